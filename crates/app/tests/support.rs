//! Test doubles for the app's ports: a settable clock and recorders.
#![allow(dead_code, clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use redress_app::{App, Changed, Clock, EventSink, Notification, Notifier, Settings};
use redress_domain::Rules;
use redress_domain::model::Role;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct TestClock(Mutex<Timestamp>);

impl TestClock {
    pub fn at(s: &str) -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(s.parse().unwrap())))
    }
    pub fn advance_mins(&self, m: i64) {
        let mut t = self.0.lock().unwrap();
        *t += SignedDuration::from_mins(m);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

#[derive(Debug, Default)]
pub struct Toasts(pub Mutex<Vec<Notification>>);

impl Toasts {
    pub fn take(&self) -> Vec<Notification> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Notifier for Toasts {
    fn notify(&self, n: &Notification) -> Result<(), String> {
        self.0.lock().unwrap().push(n.clone());
        Ok(())
    }
}

#[derive(Debug, Default)]
pub struct Events(pub Mutex<Vec<Changed>>);

impl EventSink for Events {
    fn changed(&self, c: &Changed) {
        self.0.lock().unwrap().push(c.clone());
    }
}

#[allow(missing_debug_implementations)]
pub struct Harness {
    pub app: App,
    pub clock: Arc<TestClock>,
    pub toasts: Arc<Toasts>,
    pub events: Arc<Events>,
}

pub fn open(dir: &Path, clock: Arc<TestClock>) -> Harness {
    open_with_rules(dir, clock, Rules::default())
}

pub fn open_with_rules(dir: &Path, clock: Arc<TestClock>, rules: Rules) -> Harness {
    let toasts = Arc::new(Toasts::default());
    let events = Arc::new(Events::default());
    let app = App::open(
        dir,
        Arc::new(rules),
        clock.clone(),
        toasts.clone(),
        events.clone(),
    )
    .unwrap()
    .with_time_zone(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap());
    Harness {
        app,
        clock,
        toasts,
        events,
    }
}

impl Harness {
    /// Acts as another user from now on.
    pub fn act_as(&self, user: &str, role: Role) {
        let mut s = self.app.settings().unwrap();
        s.user = redress_domain::ids::UserId::new(user);
        s.role = role;
        self.app.set_settings(&s).unwrap();
    }

    pub fn settings(&self) -> Settings {
        self.app.settings().unwrap()
    }

    /// Switches the console to `lang` (texts are rendered in it from now).
    pub fn speak(&self, lang: redress_app::Language) {
        let mut s = self.settings();
        s.language = lang;
        self.app.set_settings(&s).unwrap();
    }
}
