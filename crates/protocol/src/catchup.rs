//! Catching up without the push response or the log: stored results of a
//! device's mutations, and the bootstrap snapshot.

use crate::messages::MutationResult;
use jiff::Timestamp;
use redress_domain::complaint::Complaint;
use redress_domain::ids::ComplaintId;
use serde::{Deserialize, Serialize};

/// `GET /sync/results?from=<client_seq>`: the stored results of the
/// device's own mutations, for a client whose push response was lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsResponse {
    /// Results from `from` on, ascending by `client_seq`, exactly as the push
    /// answered them (`replayed` set when the push itself was a replay).
    pub results: Vec<MutationResult>,
    /// The highest `client_seq` of this device the server had settled when
    /// the results were read. If it is above the last result's
    /// `client_seq`, ask again from the next one.
    pub device_last_seq: u64,
    pub server_time: Timestamp,
}

/// One complaint of a bootstrap page: its full state as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotComplaint {
    /// The rulebook's whole complaint aggregate, as in a `complaint`
    /// change's `data`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub complaint: Complaint,
    /// 1 when recorded, one more per applied mutation (a change's
    /// `version`).
    pub version: i64,
    /// The change-log seq of the latest change to this complaint.
    pub last_seq: i64,
}

/// `GET /sync/bootstrap?after=<complaint id>`: one page of the complaints,
/// ascending by id, read in one transaction with the log's high water.
///
/// Each page is consistent on its own, at its own `as_of_seq`. Pages read
/// at different times may disagree; a client that pulls from the smallest
/// `as_of_seq` of all its pages receives every change made meanwhile, and
/// since changes are full snapshots with versions, applying them over the
/// pages converges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BootstrapPage {
    /// The change-log high water this page was read at: every change up to
    /// it is reflected in the page, none after it.
    pub as_of_seq: i64,
    pub complaints: Vec<SnapshotComplaint>,
    /// The `after` of the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<uuid::Uuid>))]
    pub next_after: Option<ComplaintId>,
    pub server_time: Timestamp,
}
