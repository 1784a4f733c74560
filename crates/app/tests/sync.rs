//! The console's link to a server as the application keeps it: who may
//! join, what signing in and out leave behind, the pending count and the
//! sync-issues inbox.
#![allow(clippy::unwrap_used)]

mod support;

use redress_app::{ServerLink, SyncStatus, TokenStore};
use redress_domain::complaint::Command;
use redress_domain::complaint::ComplaintDraft;
use redress_domain::ids::{CategoryCode, UserId};
use redress_domain::model::{
    Channel, ComplaintKind, Customer, DemandClass, Role, Severity, Subject, SubjectKind,
};
use redress_local::{LocalStore, OutboxState};
use serde_json::json;
use support::{TestClock, open};

fn broadband() -> ComplaintDraft {
    ComplaintDraft {
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

    let old = h.app.forget_session().unwrap().unwrap();
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

// Signing in and out and syncing through the app against a real server
// over HTTP (127.0.0.1), with a vault that keeps tokens in memory.

mod live {
    use super::*;
    use redress_app::{
        NoVault, RulesRefresh, SignIn, SignOut, SyncManager, SyncOverview, TokenVault,
    };
    use redress_domain::ErrorCode;
    use redress_domain::rules::RulesDocument;
    use redress_server::ServerStore;
    use redress_server::testing::{PASSWORD, TestServer};
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// Keeps tokens in memory; `locked` makes it give nothing back (a
    /// keychain that lost the entry or is locked).
    #[derive(Debug, Default)]
    struct MemoryVault {
        tokens: Mutex<BTreeMap<String, String>>,
        locked: std::sync::atomic::AtomicBool,
    }

    impl TokenVault for MemoryVault {
        fn save(&self, account: &str, token: &str) -> Result<(), String> {
            self.tokens
                .lock()
                .unwrap()
                .insert(account.to_owned(), token.to_owned());
            Ok(())
        }
        fn load(&self, account: &str) -> Result<String, String> {
            if self.locked.load(std::sync::atomic::Ordering::SeqCst) {
                return Err("locked".to_owned());
            }
            self.tokens
                .lock()
                .unwrap()
                .get(account)
                .cloned()
                .ok_or_else(|| "no entry".to_owned())
        }
        fn delete(&self, account: &str) {
            self.tokens.lock().unwrap().remove(account);
        }
    }

    fn server() -> TestServer {
        let rules: RulesDocument =
            serde_json::from_value(json!({ "default_calling_code": "852" })).unwrap();
        TestServer::start_with_rules(rules, &[("amy", Role::Agent, None)])
    }

    fn sign_in<'a>(url: &'a str, password: &'a str) -> SignIn<'a> {
        SignIn {
            url,
            user: " amy ",
            password,
            ca_file: None,
            insecure_http: false,
            device_name: "test desk",
        }
    }

    fn now_clock() -> Arc<TestClock> {
        TestClock::at(&jiff::Timestamp::now().to_string())
    }

    /// A complaint whose phone number carries its country code (the
    /// server's rules here are Hong Kong's, `852`).
    fn mainland_caller() -> ComplaintDraft {
        let mut input = broadband();
        input.customer.phone = "+86 138 0013 8000".into();
        input
    }

    fn wait_for(what: &str, f: impl Fn() -> bool) {
        let until = Instant::now() + Duration::from_secs(30);
        while !f() {
            assert!(Instant::now() < until, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn signing_in_keeps_the_token_in_the_vault_takes_the_rules_and_signing_out_revokes_it() {
        let server = server();
        let dir = tempfile::tempdir().unwrap();
        let h = open(dir.path(), now_clock());
        let vault = MemoryVault::default();

        let wrong = h
            .app
            .sign_in(&vault, &sign_in(&server.url(), "not it"))
            .unwrap_err();
        assert_eq!(wrong.code, ErrorCode::InvalidCredentials);
        assert_eq!(
            h.app.server_link().unwrap(),
            None,
            "a refusal links nothing"
        );

        let done = h
            .app
            .sign_in(&vault, &sign_in(&server.url(), PASSWORD))
            .unwrap();
        assert_eq!(done.user, UserId::new("amy"));
        assert_eq!(done.role, Role::Agent);
        assert!(matches!(done.rules, RulesRefresh::Changed { .. }));
        assert_eq!(
            h.app.rules().default_calling_code.as_deref(),
            Some("852"),
            "the server's rules are in force at once"
        );
        let link = h.app.server_link().unwrap().unwrap();
        assert!(link.keychain && link.token.is_none(), "{link:?}");
        let account = h.app.device_id().unwrap().to_string();
        let token = vault.load(&account).unwrap();
        assert_eq!(h.app.session(&vault).unwrap().1, token);
        assert_eq!(h.settings().role, Role::Agent);
        assert!(h.app.server_sync());

        // A change goes out with one sync on demand.
        h.app.record_complaint(mainland_caller()).unwrap();
        let report = h.app.sync_now(&vault).unwrap();
        assert_eq!(report.pushed.applied, 1, "{report:?}");
        assert_eq!(report.pending, 0);
        assert_eq!(report.rules, RulesRefresh::Unchanged);
        assert_eq!(report.started_over, None);

        match h.app.sign_out(&vault).unwrap() {
            SignOut::SignedOut { revoked, .. } => revoked.unwrap(),
            other => panic!("{other:?}"),
        }
        assert!(vault.tokens.lock().unwrap().is_empty(), "vault emptied");
        assert_eq!(
            h.app.session(&vault).unwrap_err().code,
            ErrorCode::NotSignedIn
        );
        assert!(matches!(
            h.app.sign_out(&vault).unwrap(),
            SignOut::AlreadySignedOut { .. }
        ));
        // The server ended the session: the old token is refused.
        let (endpoint, _) = {
            vault.save(&account, &token).unwrap();
            let mut l = h.app.server_link().unwrap().unwrap();
            l.keychain = true;
            h.app.complete_sign_in(&l, Role::Agent, None).unwrap();
            h.app.session(&vault).unwrap()
        };
        let refused = redress_sync::logout_from(
            &endpoint,
            &token,
            redress_protocol::DeviceId(h.app.device_id().unwrap()),
        )
        .unwrap_err();
        assert!(
            matches!(refused, redress_sync::TransportError::Refused { .. }),
            "{refused:?}"
        );
    }

    #[test]
    fn without_a_vault_the_token_stays_in_the_settings_and_a_lost_one_asks_to_sign_in() {
        let server = server();
        let dir = tempfile::tempdir().unwrap();
        let h = open(dir.path(), now_clock());
        h.app
            .sign_in(&NoVault, &sign_in(&server.url(), PASSWORD))
            .unwrap();
        let link = h.app.server_link().unwrap().unwrap();
        assert!(!link.keychain && link.token.is_some(), "{link:?}");
        assert_eq!(
            h.app.sync_overview(None).unwrap().token_store,
            Some(TokenStore::LocalSettings)
        );

        // A link whose token is in a keychain this process cannot read.
        let in_keychain = ServerLink {
            token: None,
            keychain: true,
            ..link
        };
        h.app
            .complete_sign_in(&in_keychain, Role::Agent, None)
            .unwrap();
        assert_eq!(
            h.app.sync_now(&NoVault).unwrap_err().code,
            ErrorCode::TokenUnavailable
        );
        // Signing out forgets it all the same, and says the server was not
        // told.
        match h.app.sign_out(&NoVault).unwrap() {
            SignOut::SignedOut { revoked, .. } => {
                assert_eq!(revoked.unwrap_err().code, ErrorCode::TokenUnavailable);
            }
            other => panic!("{other:?}"),
        }
        assert!(!h.app.server_link().unwrap().unwrap().signed_in());
    }

    #[test]
    fn the_sync_loop_runs_from_sign_in_to_sign_out_and_reports_every_status() {
        let server = server();
        let dir = tempfile::tempdir().unwrap();
        let h = open(dir.path(), now_clock());
        let app = Arc::new(h.app);
        let vault = Arc::new(MemoryVault::default());
        let seen: Arc<Mutex<Vec<SyncOverview>>> = Arc::default();
        let sink = Arc::clone(&seen);
        let sync = SyncManager::new(
            Arc::clone(&app),
            Arc::clone(&vault) as Arc<dyn TokenVault>,
            move |o| sink.lock().unwrap().push(o.clone()),
        );
        let last = || seen.lock().unwrap().last().map(|o| o.status.clone());

        sync.sign_in(&sign_in(&server.url(), PASSWORD)).unwrap();
        wait_for("online", || last() == Some(SyncStatus::Online));
        // A local change is sent at the nudge, without a poll.
        let id = app.record_complaint(mainland_caller()).unwrap();
        sync.nudge();
        wait_for("sent", || app.pending_count().unwrap() == 0);
        assert!(server.store().complaint(id).unwrap().is_some());

        let o = sync.sign_out().unwrap();
        assert_eq!(o.status, SyncStatus::SignedOut);
        assert_eq!(last(), Some(SyncStatus::SignedOut));

        // Signed in again, a restarted console whose keychain does not give
        // the token back asks to sign in instead of syncing.
        sync.sign_in(&sign_in(&server.url(), PASSWORD)).unwrap();
        sync.stop();
        vault
            .locked
            .store(true, std::sync::atomic::Ordering::SeqCst);
        sync.launch().unwrap();
        assert!(matches!(
            sync.overview().unwrap().status,
            SyncStatus::NeedsSignIn {
                code: ErrorCode::TokenUnavailable,
                ..
            }
        ));
    }
}
