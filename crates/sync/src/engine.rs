use crate::rules::{SharedRules, current_rules, shared_rules};
use crate::{Transport, TransportError};
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::complaint::Complaint;
use redress_domain::ids::ComplaintId;
use redress_domain::model::{Actor, Role};
use redress_local::keys;
use redress_local::{LocalStore, OutboxRow, OutboxState, StoreError, WriteTx};
use redress_protocol::{
    ChangeOp, DeviceId, Mutation, MutationEnvelope, MutationResult, PushRequest, entity,
};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// At most this many intents go in one push.
pub const PUSH_BATCH: usize = 100;
/// Changes asked for per pull page.
pub const PULL_PAGE: u32 = 500;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An outbox row or a change could not be read as the protocol says.
    #[error("unreadable sync data: {0}")]
    Wire(String),
    /// The server expects an earlier intent than the oldest pending one:
    /// this outbox and the server's record of this device disagree.
    #[error("the server expects intent {expected}, the oldest pending one is {pending}")]
    Gap { expected: u64, pending: u64 },
}

impl SyncError {
    /// Worth trying again later (the network), as opposed to a refusal or a
    /// broken local state.
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Transport(TransportError::Unreachable(_)))
            || matches!(self, SyncError::Store(e) if e.is_transient())
    }
}

fn wire(e: impl std::fmt::Display) -> SyncError {
    SyncError::Wire(e.to_string())
}

/// What one push did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushReport {
    pub applied: usize,
    pub rejected: usize,
    /// Answers the server gave from its log (the intent was settled before).
    pub replayed: usize,
}

/// What one pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullReport {
    /// Changes written (complaint states and rejections).
    pub changes: usize,
    /// Complaints whose mirror state changed.
    pub complaints: Vec<ComplaintId>,
    pub cursor: i64,
    /// Answers fetched for pending intents the server had already settled
    /// (a push whose answer was lost), recorded on their outbox rows.
    pub recovered: PushReport,
}

/// What [`SyncEngine::check_epoch`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpochCheck {
    /// First contact: the epoch was stored.
    First,
    /// The epoch this desktop synced with.
    Same,
    /// Another epoch: the desktop started over.
    StartedOver(StartOver),
}

/// What starting over against a restored server did
/// ([`SyncEngine::start_over`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartOver {
    /// Intents the old server had answered that the restored one lacks, put
    /// back in the outbox to be pushed again with their seqs and ids.
    pub requeued: usize,
    /// Mirror rows dropped; the next pull rebuilds the mirror from seq 0.
    pub dropped: usize,
}

/// One desktop's sync engine over its local store.
#[derive(Debug)]
pub struct SyncEngine<T: Transport> {
    store: LocalStore,
    rules: SharedRules,
    transport: T,
}

impl<T: Transport> SyncEngine<T> {
    pub fn new(store: LocalStore, rules: Rules, transport: T) -> SyncEngine<T> {
        SyncEngine::with_shared_rules(store, shared_rules(rules), transport)
    }

    /// An engine deciding with whatever rules `rules` holds at each pull,
    /// the handle the console's `App` decides with too.
    pub fn with_shared_rules(store: LocalStore, rules: SharedRules, transport: T) -> SyncEngine<T> {
        SyncEngine {
            store,
            rules,
            transport,
        }
    }

    /// The rules the engine decides with now.
    pub fn rules(&self) -> Arc<Rules> {
        current_rules(&self.rules)
    }

    pub fn store(&self) -> &LocalStore {
        &self.store
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    pub fn device_id(&self) -> Result<DeviceId, SyncError> {
        Ok(DeviceId(self.store.read(|r| r.sync_state())?.device_id))
    }

    /// Pushes until nothing is pending, then pulls until the cursor reaches
    /// the server's newest change.
    pub fn sync(&self, now: Timestamp) -> Result<(PushReport, PullReport), SyncError> {
        let pushed = self.push(now)?;
        let pulled = self.pull(now)?;
        Ok((pushed, pulled))
    }

    /// Sends every pending intent, oldest first, and records the answers.
    pub fn push(&self, now: Timestamp) -> Result<PushReport, SyncError> {
        let device_id = self.device_id()?;
        let mut report = PushReport::default();
        loop {
            let pending = self.store.read(|r| r.outbox_pending())?;
            if pending.is_empty() {
                return Ok(report);
            }
            let batch = pending
                .iter()
                .take(PUSH_BATCH)
                .map(envelope)
                .collect::<Result<Vec<_>, _>>()?;
            let request = PushRequest {
                device_id,
                sent_at_device: now,
                mutations: batch,
            };
            let response = match self.transport.push(&request) {
                Ok(r) => r,
                Err(e) => {
                    let text = e.to_string();
                    self.store.write(|tx| tx.note_push(now, Some(&text)))?;
                    return Err(e.into());
                }
            };
            if response.results.is_empty() {
                return Err(SyncError::Gap {
                    expected: response.next_expected_seq,
                    pending: request.mutations.first().map_or(0, |m| m.client_seq),
                });
            }
            self.store.write(|tx| {
                record_results(tx, &response.results, &mut report)?;
                tx.note_push(now, None)?;
                Ok::<_, SyncError>(())
            })?;
        }
    }

    /// Pulls the server's changes into the mirror and rebases pending work.
    pub fn pull(&self, now: Timestamp) -> Result<PullReport, SyncError> {
        let mut report = PullReport::default();
        loop {
            let cursor = self.store.read(|r| r.sync_state())?.cursor_seq;
            let page = self.transport.pull(cursor, PULL_PAGE)?;
            let next = if page.has_more {
                page.changes.last().map_or(page.high_water, |c| c.seq)
            } else {
                page.high_water.max(cursor)
            };
            let answers = self.lost_answers(page.device_last_seq)?;
            let rules = self.rules();
            self.store.write(|tx| {
                record_results(tx, &answers, &mut report.recovered)?;
                for change in &page.changes {
                    report.changes += 1;
                    if change.entity == entity::COMPLAINT && change.op == ChangeOp::Upsert {
                        let c: Complaint =
                            serde_json::from_value(change.data.clone()).map_err(wire)?;
                        tx.put_mirror(&c, &rules, change.version, change.seq)?;
                        report.complaints.push(c.id);
                    }
                    // Rejections reach their author through the push result
                    // on the outbox row; other entities are for newer
                    // clients and skipped.
                }
                tx.set_sync_cursor(next, now)?;
                rebase(tx, &rules, page.device_last_seq)?;
                Ok::<_, SyncError>(())
            })?;
            report.cursor = next;
            if !page.has_more {
                return Ok(report);
            }
        }
    }
}

impl<T: Transport> SyncEngine<T> {
    /// The one rule for the server's epoch (`GET /meta`, every answer's
    /// `Redress-Server-Epoch` header): stored at first contact; the same one
    /// later means the same database; another one means it was restored or
    /// replaced, and the desktop [starts over](Self::start_over), storing
    /// the new epoch in that same transaction.
    pub fn check_epoch(&self, epoch: uuid::Uuid) -> Result<EpochCheck, SyncError> {
        let stored = epoch.to_string();
        let known = self
            .store
            .read(|r| r.get_setting::<String>(&keys::SERVER_EPOCH))?;
        match known {
            Some(known) if known == stored => Ok(EpochCheck::Same),
            Some(_) => {
                Ok(EpochCheck::StartedOver(self.start_over(|tx| {
                    tx.set_setting(&keys::SERVER_EPOCH, &stored)
                })?))
            }
            None => {
                self.store
                    .write(|tx| tx.set_setting(&keys::SERVER_EPOCH, &stored))?;
                Ok(EpochCheck::First)
            }
        }
    }

    /// Starts over against a server whose database was restored from a
    /// backup or replaced (its epoch changed): every answered intent after
    /// the last seq the server holds for this device goes back to pending
    /// (same seq, same mutation id, so the server applies each once), the
    /// mirror is dropped and the cursor reset, so the next sync pushes them
    /// and pulls the server's whole state. Complaints those intents touch
    /// stay on screen as pending overlay rows meanwhile. `also` runs in the
    /// same local transaction (the caller stores the new epoch there), so
    /// a crash leaves either the old state or the new one.
    pub fn start_over(
        &self,
        also: impl FnOnce(&mut WriteTx<'_>) -> Result<(), StoreError>,
    ) -> Result<StartOver, SyncError> {
        // What the server holds for this device: a one-item pull says.
        let probe = self.transport.pull(0, 1)?;
        let held = i64::try_from(probe.device_last_seq).map_err(wire)?;
        self.store.write(|tx| {
            let requeued = tx.requeue_outbox_after(held)?;
            let mut keep: BTreeMap<ComplaintId, i64> = BTreeMap::new();
            for row in tx.reader().outbox_pending()? {
                if row.client_seq > held {
                    let m = Mutation::from_wire(&row.name, row.args.clone()).map_err(wire)?;
                    keep.insert(m.complaint_id(), row.client_seq);
                }
            }
            let keep: Vec<(ComplaintId, i64)> = keep.into_iter().collect();
            let dropped = tx.restart_mirror(&keep)?;
            also(tx)?;
            Ok::<_, SyncError>(StartOver { requeued, dropped })
        })
    }

    /// Gives this desktop a new device id after the server reported a fork
    /// (`device_forked`: another copy of this database pushed the same
    /// seqs) and puts every answered intent back to pending. After the
    /// user signs in again (which registers the new id) the whole outbox is
    /// pushed from seq 1: intents the server settled for this user before
    /// are recognised by their mutation ids and answered from its log, the
    /// rest are decided for the first time. Returns the new id and how many
    /// rows were put back.
    pub fn reregister(&self) -> Result<(DeviceId, usize), SyncError> {
        let device = DeviceId(uuid::Uuid::now_v7());
        let requeued = self.store.write(|tx| {
            tx.set_device_id(device.0)?;
            tx.requeue_outbox_after(0)
        })?;
        Ok((device, requeued))
    }
}

impl<T: Transport> SyncEngine<T> {
    /// The server's answers for pending intents it has settled (those up to
    /// `device_last_seq`), when a push answer was lost on the way. A
    /// transport that cannot fetch them gives none; the rebase still leaves
    /// those intents out, and the next push gets their answers replayed.
    fn lost_answers(&self, device_last_seq: u64) -> Result<Vec<MutationResult>, SyncError> {
        let pending = self.store.read(|r| r.outbox_pending())?;
        let settled: Vec<u64> = pending
            .iter()
            .filter_map(|row| u64::try_from(row.client_seq).ok())
            .filter(|seq| *seq <= device_last_seq)
            .collect();
        let (Some(&from), Some(&to)) = (settled.first(), settled.last()) else {
            return Ok(Vec::new());
        };
        let limit = u32::try_from(to - from + 1).unwrap_or(u32::MAX);
        match self.transport.results(from, limit) {
            Ok(answer) => Ok(answer
                .results
                .into_iter()
                .filter(|r| settled.contains(&r.client_seq))
                .collect()),
            Err(TransportError::Unreachable(_)) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }
}

/// Records the server's answers on their outbox rows.
fn record_results(
    tx: &mut WriteTx<'_>,
    results: &[MutationResult],
    report: &mut PushReport,
) -> Result<(), SyncError> {
    for r in results {
        let seq = i64::try_from(r.client_seq).map_err(wire)?;
        let state = if r.is_applied() {
            report.applied += 1;
            OutboxState::Applied
        } else {
            report.rejected += 1;
            OutboxState::Rejected
        };
        if r.replayed {
            report.replayed += 1;
        }
        let result = serde_json::to_value(r).map_err(wire)?;
        tx.mark_outbox(seq, state, &result)?;
    }
    Ok(())
}

fn envelope(row: &OutboxRow) -> Result<MutationEnvelope, SyncError> {
    Ok(MutationEnvelope {
        client_seq: u64::try_from(row.client_seq).map_err(wire)?,
        mutation_id: row.mutation_id,
        author_user_id: row.author.clone(),
        occurred_at_device: row.occurred_at_device,
        base_seq: row.base_seq,
        mutation: Mutation::from_wire(&row.name, row.args.clone()).map_err(wire)?,
    })
}

/// Rebuilds the overlay on the mirror just pulled: the server's state plus
/// this desktop's intents it has not answered yet, replayed in order. An
/// intent that no longer applies (someone decided first) stays pending and
/// changes nothing on screen; the server's answer will say why. Intents the
/// server has settled (up to `device_last_seq`) are not replayed even when
/// their answer is missing: their effect is in the server's state already.
fn rebase(tx: &mut WriteTx<'_>, rules: &Rules, device_last_seq: u64) -> Result<(), SyncError> {
    let pending = tx.reader().outbox_pending()?;
    let mut by_complaint: BTreeMap<ComplaintId, Vec<(i64, Mutation, &OutboxRow)>> = BTreeMap::new();
    let unsettled = pending
        .iter()
        .filter(|row| u64::try_from(row.client_seq).is_ok_and(|seq| seq > device_last_seq));
    for row in unsettled {
        let m = Mutation::from_wire(&row.name, row.args.clone()).map_err(wire)?;
        by_complaint
            .entry(m.complaint_id())
            .or_default()
            .push((row.client_seq, m, row));
    }
    let waiting: HashSet<ComplaintId> = by_complaint.keys().copied().collect();
    for id in tx.reader().overlay_ids()? {
        if !waiting.contains(&id) {
            tx.clear_overlay(id)?;
        }
    }
    for (id, intents) in by_complaint {
        // A complaint the server has not confirmed yet exists only in the
        // overlay, which already holds every local step on it.
        let Some(mut c) = tx.reader().mirror_complaint(id)? else {
            continue;
        };
        let mut last = None;
        for (client_seq, m, row) in intents {
            if let Mutation::Execute { command, .. } = m {
                // The server decides who may do what; the replay only
                // predicts the state, so it does not check authority.
                let actor = Actor {
                    user: row.author.clone(),
                    role: Role::Admin,
                    approval_limit_minor: Some(i64::MAX),
                };
                if c.execute(&command, &actor, row.occurred_at_device, rules)
                    .is_ok()
                {
                    last = Some(client_seq);
                }
            }
        }
        match last {
            Some(seq) => tx.stage_complaint(&c, rules, seq)?,
            None => {
                tx.clear_overlay(id)?;
            }
        }
    }
    Ok(())
}
