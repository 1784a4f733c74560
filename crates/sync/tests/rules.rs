//! The server's rules reach a desktop: signing in (the first sync of its
//! `LiveSync`) fetches and stores them and puts them in the rules handle the
//! console's `App` shares, and a server started again with other rules is
//! noticed on reconnect. Against a real server over HTTP on 127.0.0.1.
#![allow(clippy::unwrap_used)]

mod support;

use redress_app::{App, SystemClock};
use redress_domain::ids::CalendarId;
use redress_domain::model::Role;
use redress_domain::rules::RulesDocument;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::{DeviceId, rules_digest};
use redress_server::SqliteStore;
use redress_server::http::HttpConfig;
use redress_server::testing::{PASSWORD, Serving, TestServer};
use redress_sync::{HttpTransport, LiveConfig, LiveEvent, LiveStatus, LiveSync, login};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{open_console, set_user};

const DEADLINE: Duration = Duration::from_secs(30);

/// A site with one business calendar named `calendar`.
fn site(calendar: &str, code: &str) -> RulesDocument {
    serde_json::from_value(serde_json::json!({
        "default_calling_code": code,
        "calendars": {
            calendar: { "timezone": "Asia/Shanghai", "hours": { "mon": [["09:00", "18:00"]] } }
        },
        "sla": { "policies": [{
            "name": "office resolution",
            "resolution": { "seconds": 28800, "calendar": calendar }
        }]}
    }))
    .unwrap()
}

fn wait_for<T>(what: &str, f: impl Fn() -> Option<T>) -> T {
    let until = Instant::now() + DEADLINE;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

struct Desktop {
    app: App,
    store: LocalStore,
    live: LiveSync,
    events: Arc<Mutex<Vec<LiveEvent>>>,
}

impl Desktop {
    fn sign_in(dir: &std::path::Path, url: &str) -> Desktop {
        let (app, store, device) = open_console(dir, Arc::new(SystemClock));
        set_user(&app, "amy", Role::Agent);
        let session = login(url, "amy", PASSWORD, device, "desk").unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let live = LiveSync::start(
            LocalStore::open_dir(dir).unwrap(),
            app.rules_handle(),
            LiveConfig::new(url, &session.token, device),
            Arc::new(jiff::Timestamp::now),
            move |e| sink.lock().unwrap().push(e),
        );
        Desktop {
            app,
            store,
            live,
            events,
        }
    }

    fn stored(&self) -> (Option<RulesDocument>, Option<String>) {
        self.store
            .read(|r| {
                Ok::<_, redress_local::StoreError>((
                    r.get_setting::<RulesDocument>(&keys::SERVER_RULES)?,
                    r.get_setting::<String>(&keys::SERVER_RULES_DIGEST)?,
                ))
            })
            .unwrap()
    }

    fn wait_rules(&self, digest: &str) {
        wait_for("the new rules", || {
            self.events
                .lock()
                .unwrap()
                .iter()
                .any(|e| matches!(e, LiveEvent::RulesChanged { digest: d } if d == digest))
                .then_some(())
        });
    }
}

#[test]
fn signing_in_fetches_and_stores_the_server_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = site("office", "44");
    let server = TestServer::start_with_rules(doc.clone(), &[("amy", Role::Agent, None)]);

    // The transport reads the server's answer as it is.
    let device = DeviceId(uuid::Uuid::now_v7());
    let session = login(&server.url(), "amy", PASSWORD, device, "probe").unwrap();
    let answer = HttpTransport::new(&server.url(), &session.token, device)
        .rules()
        .unwrap();
    assert_eq!(answer.document, doc);
    assert_eq!(answer.digest, rules_digest(&doc));

    let desktop = Desktop::sign_in(&tmp.path().join("a"), &server.url());
    desktop.wait_rules(&rules_digest(&doc));
    assert_eq!(
        desktop.stored(),
        (Some(doc.clone()), Some(rules_digest(&doc)))
    );
    // The app decides with them too: the handle is shared.
    let rules = desktop.app.rules();
    assert!(rules.calendar(&CalendarId::new("office")).is_ok());
    assert_eq!(rules.default_calling_code.as_deref(), Some("44"));
    wait_for("online", || {
        (desktop.live.status() == LiveStatus::Online).then_some(())
    });
    desktop.live.stop();
}

#[test]
fn a_server_started_again_with_other_rules_is_noticed_on_reconnect() {
    let tmp = tempfile::tempdir().unwrap();
    let first = site("office", "44");
    let mut server = TestServer::start_with_rules(first.clone(), &[("amy", Role::Agent, None)]);
    let desktop = Desktop::sign_in(&tmp.path().join("a"), &server.url());
    desktop.wait_rules(&rules_digest(&first));
    wait_for("online", || {
        (desktop.live.status() == LiveStatus::Online).then_some(())
    });

    // The same database served again on the same address, now with a
    // `shop` calendar instead of `office`.
    let addr = server.addr().to_string();
    let path = server.path().to_owned();
    server.stop();
    let second = site("shop", "33");
    let store = SqliteStore::open(&path, second.to_rules().unwrap()).unwrap();
    let _serving = Serving::start_with_rules(
        Arc::new(store),
        HttpConfig::default(),
        &addr,
        second.clone(),
    )
    .unwrap();

    desktop.wait_rules(&rules_digest(&second));
    assert_eq!(
        desktop.stored(),
        (Some(second.clone()), Some(rules_digest(&second)))
    );
    let rules = desktop.app.rules();
    assert!(rules.calendar(&CalendarId::new("shop")).is_ok());
    assert!(rules.calendar(&CalendarId::new("office")).is_err());
    assert_eq!(rules.default_calling_code.as_deref(), Some("33"));
    desktop.live.stop();
}
