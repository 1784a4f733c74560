//! The console's link to a server as the application keeps it: who may
//! join, what signing in and out leave behind, the pending count and the
//! sync-issues inbox.
#![allow(clippy::unwrap_used)]

mod support;

use redress_app::{NewComplaintInput, ServerLink, SyncStatus, TokenStore};
use redress_domain::complaint::Command;
use redress_domain::ids::{CategoryCode, UserId};
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, Role, Severity, Subject, SubjectKind,
};
use redress_local::{LocalStore, OutboxState};
use serde_json::json;
use support::{TestClock, open};

fn broadband() -> NewComplaintInput {
    NewComplaintInput {
        customer: Customer {
            name: "王先生".into(),
            phone: "138-0013-8000".into(),
            customer_id: None,
        },
        channel: Channel::Phone,
        subject: Subject {
            kind: SubjectKind::Product,
            reference: "家庭宽带 200M".into(),
        },
        category: CategoryCode::new("broadband.dropout"),
        demand: "减免本月宽带费".into(),
        description: "宽带第三次掉线".into(),
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
        received_at: None,
    }
}

fn judge() -> Command {
    Command::Judge {
        valid: true,
        reason: None,
        note: String::new(),
    }
}

const URL: &str = "http://127.0.0.1:8470";

fn link(token: Option<&str>, keychain: bool) -> ServerLink {
    ServerLink {
        url: URL.to_owned(),
        user: UserId::new("amy"),
        token: token.map(str::to_owned),
        keychain,
        ca_pem: None,
        insecure_http: false,
    }
}

#[test]
fn a_fresh_store_joins_a_server_and_takes_the_servers_account() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    assert_eq!(
        h.app.sync_overview(None).unwrap().status,
        SyncStatus::Standalone
    );
    assert!(!h.app.server_sync());

    h.app.check_can_join(URL).unwrap();
    h.app
        .complete_sign_in(&link(Some("tok"), false), Role::Manager, Some(90_000))
        .unwrap();
    assert!(h.app.server_sync(), "signing in switches to server sync");
    let s = h.settings();
    assert_eq!(s.user, UserId::new("amy"));
    assert_eq!(s.role, Role::Manager);
    assert_eq!(s.approval_limit_minor, Some(90_000));
    let last = h.events.0.lock().unwrap().last().cloned().unwrap();
    assert!(last.all && last.settings, "screens reload after sign-in");

    let o = h.app.sync_overview(Some(SyncStatus::Online)).unwrap();
    assert_eq!(o.status, SyncStatus::Online);
    assert_eq!(o.server_url.as_deref(), Some(URL));
    assert_eq!(o.token_store, Some(TokenStore::LocalSettings));

    // The same server under another spelling may sign in again; another
    // server may not.
    h.app
        .check_can_join("http://127.0.0.1:8470/api/v1/")
        .unwrap();
    let err = h.app.check_can_join("http://127.0.0.1:9999").unwrap_err();
    assert_eq!(err.code, "linked_elsewhere");
    assert_eq!(
        h.app.check_can_join("ftp://x").unwrap_err().code,
        "bad_server_url"
    );
}

#[test]
fn a_store_with_standalone_history_cannot_join() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.app.record_complaint(broadband()).unwrap();
    let err = h.app.check_can_join(URL).unwrap_err();
    assert_eq!(err.code, "standalone_history");
    let err = h
        .app
        .complete_sign_in(&link(Some("tok"), false), Role::Agent, None)
        .unwrap_err();
    assert_eq!(err.code, "standalone_history");
    assert!(h.app.server_link().unwrap().is_none(), "nothing was linked");
    assert!(!h.app.server_sync());
}

#[test]
fn changes_stay_pending_after_sign_in_and_sign_out_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.app
        .complete_sign_in(&link(None, true), Role::Supervisor, None)
        .unwrap();
    assert_eq!(
        h.app.sync_overview(None).unwrap().token_store,
        Some(TokenStore::Keychain)
    );
    assert_eq!(h.app.pending_count().unwrap(), 0);
    let id = h.app.record_complaint(broadband()).unwrap();
    h.app.execute(id, &judge()).unwrap();
    assert_eq!(h.app.pending_count().unwrap(), 2);
    assert!(h.app.complaint(id).unwrap().pending, "shown as syncing");

    let old = h.app.sign_out().unwrap().unwrap();
    assert!(old.keychain, "the caller learns where the token was");
    let o = h.app.sync_overview(Some(SyncStatus::Online)).unwrap();
    assert_eq!(o.status, SyncStatus::SignedOut);
    assert_eq!(o.pending, 2, "signing out keeps the outbox");
    assert_eq!(o.token_store, None);
    assert!(h.app.server_sync(), "still linked: changes keep waiting");
}

#[test]
fn refused_intents_are_listed_with_who_won_and_can_be_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.app
        .complete_sign_in(&link(Some("tok"), false), Role::Supervisor, None)
        .unwrap();
    let id = h.app.record_complaint(broadband()).unwrap();
    h.app.execute(id, &judge()).unwrap();
    assert!(h.app.sync_issues().unwrap().is_empty());

    // The server answers: the record applied, the second intent refused.
    let store = LocalStore::open_dir(dir.path()).unwrap();
    let pending = store.read(|r| r.outbox_pending()).unwrap();
    assert_eq!(pending.len(), 2);
    store
        .write(|tx| {
            tx.mark_outbox(
                pending[0].client_seq,
                OutboxState::Applied,
                &json!({"status": "applied"}),
            )?;
            tx.mark_outbox(
                pending[1].client_seq,
                OutboxState::Rejected,
                &json!({
                    "status": "rejected",
                    "code": "approval_already_decided",
                    "message": "already decided by sam",
                    "details": {"decided_by": "sam", "decision": "approve"},
                    "rejection_change_seq": 7
                }),
            )
        })
        .unwrap();

    assert_eq!(h.app.pending_count().unwrap(), 0);
    let issues = h.app.sync_issues().unwrap();
    assert_eq!(issues.len(), 1);
    let i = &issues[0];
    assert_eq!(i.client_seq, pending[1].client_seq);
    assert_eq!(i.complaint_id, Some(id));
    assert!(i.number.as_deref().unwrap_or("").starts_with("TS-"));
    assert_eq!(i.mutation, "complaint.judge");
    assert_eq!(i.code, "approval_already_decided");
    assert_eq!(i.decided_by.as_deref(), Some("sam"));
    assert_eq!(i.decision.as_deref(), Some("approve"));
    assert!(i.answered_at.is_some());
    assert_eq!(h.app.sync_overview(None).unwrap().issues, 1);

    h.app.dismiss_sync_issue(i.client_seq).unwrap();
    assert!(h.app.sync_issues().unwrap().is_empty());
    assert_eq!(h.app.sync_overview(None).unwrap().issues, 0);
    // Applied rows and unknown rows are not issues.
    assert_eq!(
        h.app
            .dismiss_sync_issue(pending[0].client_seq)
            .unwrap_err()
            .code,
        "not_found"
    );
    assert_eq!(
        h.app.dismiss_sync_issue(9999).unwrap_err().code,
        "not_found"
    );
}

#[test]
fn a_sync_refreshes_the_screens_of_the_complaints_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.app
        .complete_sign_in(&link(Some("tok"), false), Role::Agent, None)
        .unwrap();
    let id = h.app.record_complaint(broadband()).unwrap();
    h.events.0.lock().unwrap().clear();
    h.app.synced(&[id], false).unwrap();
    let got = h.events.0.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].complaints, vec![id]);
    assert!(!got[0].all);
    h.app.synced(&[id], true).unwrap();
    assert!(
        h.events.0.lock().unwrap()[1].all,
        "a refusal refreshes everything"
    );
}

#[test]
fn a_fresh_console_asks_who_is_there_once_records_role_changes_and_defers_to_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    let status = h.app.identity_status().unwrap();
    assert!(status.first_run, "nobody said who they are yet");
    assert!(!status.from_server);

    h.act_as("agent.li", Role::Agent);
    let status = h.app.identity_status().unwrap();
    assert!(!status.first_run, "asked once");
    assert!(
        status.role_changes.is_empty(),
        "the first answer is no change"
    );

    h.act_as("agent.li", Role::Manager);
    h.act_as("agent.li", Role::Agent);
    let changes = h.app.identity_status().unwrap().role_changes;
    let seen: Vec<_> = changes
        .iter()
        .map(|c| (c.user.as_str(), c.from, c.to))
        .collect();
    assert_eq!(
        seen,
        [
            ("agent.li", Role::Manager, Role::Agent),
            ("agent.li", Role::Agent, Role::Manager)
        ],
        "latest first"
    );
    let mut bad = h.settings();
    bad.display_name = "evil\u{1b}[2J".into();
    assert_eq!(h.app.set_settings(&bad).unwrap_err().code, "invalid_text");

    // Linked to a server: the role is the server's; the language is still ours.
    let dir2 = tempfile::tempdir().unwrap();
    let s = open(dir2.path(), TestClock::at("2026-11-23T01:00:00Z"));
    s.app
        .complete_sign_in(&link(Some("tok"), false), Role::Agent, None)
        .unwrap();
    let status = s.app.identity_status().unwrap();
    assert!(status.from_server && !status.first_run);
    let mut promoted = s.settings();
    promoted.role = Role::Admin;
    assert_eq!(
        s.app.set_settings(&promoted).unwrap_err().code,
        "identity_from_server"
    );
    assert_eq!(s.settings().role, Role::Agent);
    let mut english = s.settings();
    english.language = redress_app::Language::En;
    s.app.set_settings(&english).unwrap();
    assert_eq!(s.settings().language, redress_app::Language::En);
}

#[test]
fn standalone_history_is_archived_whole_and_the_console_can_then_join() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(dir.path(), TestClock::at("2026-11-23T01:00:00Z"));
    h.act_as("agent.li", Role::Agent);
    let cid = h.app.record_complaint(broadband()).unwrap();
    assert_eq!(
        h.app.check_can_join(URL).unwrap_err().code,
        "standalone_history"
    );

    let archive = h.app.archive_standalone_history().unwrap();
    assert!(archive.starts_with(dir.path().join("archive")));
    // The archive is a data directory of its own, with everything in it.
    let old = LocalStore::open_dir(&archive).unwrap();
    let kept = old.read(|r| r.complaint(cid)).unwrap().unwrap();
    assert_eq!(kept.complaint.id, cid);
    assert_eq!(old.read(|r| r.outbox_pending()).unwrap().len(), 0);
    drop(old);

    // Here: fresh, the settings kept, and now it may join.
    assert!(h.app.complaint(cid).is_err());
    assert!(
        h.app
            .dashboard(Default::default())
            .unwrap()
            .lines
            .is_empty()
    );
    assert_eq!(h.settings().user, UserId::new("agent.li"));
    h.app.check_can_join(URL).unwrap();
    h.app
        .complete_sign_in(&link(Some("tok"), false), Role::Agent, None)
        .unwrap();
    assert_eq!(
        h.app.archive_standalone_history().unwrap_err().code,
        "linked_elsewhere"
    );
    // A new complaint numbers from one again: nothing local is reused.
    let again = h.app.record_complaint(broadband()).unwrap();
    assert_ne!(again, cid);
}
