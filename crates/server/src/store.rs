//! The storage seam every server backend implements.

use crate::error::StoreError;
use jiff::Timestamp;
use redress_domain::complaint::Complaint;
use redress_domain::ids::{ComplaintId, UpdateId, UserId};
use redress_domain::model::Actor;
use redress_protocol::{
    ComplaintDraft, DeviceId, MutationResult, PullResponse, PushRequest, PushResponse,
};
use uuid::Uuid;

/// The most changes one pull returns, whatever the caller asks for.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// About the most bytes of JSON one pull or snapshot page carries; a page
/// always holds at least one item, so a single complaint larger than this
/// still gets through (the per-complaint caps of the rulebook bound it).
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// A complaint as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComplaint {
    pub complaint: Complaint,
    /// 1 when recorded, one more per applied mutation.
    pub version: i64,
    /// The change-log seq of the latest applied mutation.
    pub last_seq: i64,
}

/// One page of the bootstrap snapshot (sync design §7.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotPage {
    /// The change-log high water the page was read at: every change up to
    /// it is in the page's complaints, none after it.
    pub as_of_seq: i64,
    /// Complaints in ascending id order.
    pub complaints: Vec<StoredComplaint>,
    /// Whether complaints with larger ids remain.
    pub has_more: bool,
}

/// One request of the intake API, keyed by the integration and the
/// caller's `external_ref` (for progress, within the complaint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeRequest {
    /// `POST /intake/complaints`.
    Record {
        external_ref: String,
        draft: ComplaintDraft,
    },
    /// `POST /intake/complaints/{id}/progress`.
    Progress {
        complaint_id: ComplaintId,
        external_ref: String,
        text: String,
        customer_informed: bool,
    },
}

/// How an intake request was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeSettled {
    /// The complaint recorded, or the one the update is about.
    pub complaint_id: ComplaintId,
    /// The progress update's id (progress requests only).
    pub update_id: Option<UpdateId>,
    /// The mutation's result; `replayed` when the key was seen before.
    pub result: MutationResult,
}

/// Where the server keeps its state, and the push/pull algorithm over it.
///
/// All methods are synchronous and may block on IO; async callers run them
/// on a blocking thread. The caller authenticates: `actor` (user, role,
/// approval limit) and `device` come from the session, never from the
/// request body, and the time `now` from the server's clock.
pub trait ServerStore: Send + Sync {
    /// Registers `device` for `user`, or refreshes its name and last-seen
    /// time. A device registered to another user is refused.
    fn register_device(
        &self,
        device: DeviceId,
        user: &UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Settles the request's mutations in order, each in its own transaction
    /// (sync design §7.2): settled ones are answered from the log with
    /// `replayed`, a gap stops the batch, and every new one is decided by the
    /// rulebook as `actor` at `now` and recorded exactly once, applied or
    /// rejected. On an error, mutations already settled stay settled; the
    /// client retries and gets them replayed.
    fn push(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &PushRequest,
        now: Timestamp,
    ) -> Result<PushResponse, StoreError>;

    /// Settles one intake request as the next mutation of the integration's
    /// `device`, in one transaction keyed by (integration, kind, complaint,
    /// `external_ref`): a key seen before gets its stored outcome with
    /// `replayed`, whatever the body; a new one gets fresh random ids
    /// (nobody can guess or pre-empt them) and is decided by the rulebook
    /// like any push. Progress goes only to complaints this integration
    /// recorded ([`StoreError::NotIntegrationsComplaint`] otherwise,
    /// nothing written). Atomic across server processes on one database.
    fn intake(
        &self,
        device: DeviceId,
        actor: &Actor,
        request: &IntakeRequest,
        now: Timestamp,
    ) -> Result<IntakeSettled, StoreError>;

    /// The changes with `seq > after`, ascending, read consistently: the
    /// latest state of each complaint changed after `after` (at the seq of
    /// its last change, so several changes of one complaint cost one copy)
    /// and every other change (rejections). At most `limit` of them (at
    /// most [`MAX_PULL_LIMIT`]) and, beyond the first, at most about
    /// [`MAX_PAGE_BYTES`]; `has_more` says whether to pull again after the
    /// last seq.
    fn pull(
        &self,
        device: DeviceId,
        after: i64,
        limit: u32,
        now: Timestamp,
    ) -> Result<PullResponse, StoreError>;

    /// The stored results of `device`'s mutations from `from_client_seq` on,
    /// ascending, at most `limit` (for a client whose push response was lost).
    fn results(
        &self,
        device: DeviceId,
        from_client_seq: u64,
        limit: u32,
    ) -> Result<Vec<MutationResult>, StoreError>;

    /// Up to `limit` complaints (at most [`MAX_PULL_LIMIT`], and beyond the
    /// first at most about [`MAX_PAGE_BYTES`]) with an id
    /// greater than `after` (all when `None`), ascending by id, read in one
    /// transaction together with the change log's high water. Each page is
    /// consistent on its own; a client that pulls after the smallest
    /// `as_of_seq` of its pages catches up on whatever changed in between.
    fn snapshot_page(
        &self,
        after: Option<ComplaintId>,
        limit: u32,
    ) -> Result<SnapshotPage, StoreError>;

    /// One complaint's current state.
    fn complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>, StoreError>;

    /// A stable fingerprint of every complaint's state
    /// ([`redress_protocol::state_digest`]): equal histories give equal digests,
    /// on any backend and on a desktop's mirror.
    fn digest(&self) -> Result<String, StoreError>;

    /// The id of this database's lineage; a restore from backup changes it.
    fn epoch(&self) -> Result<Uuid, StoreError>;
}
