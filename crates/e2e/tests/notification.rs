//! A progress update falling due reaches the desktop as a real notification:
//! a `Notify` call on the D-Bus session bus, sent by the console's SLA
//! watcher while it runs. Posting the update then clears the reminder: it
//! leaves the inbox for the Cleared tab and the navigation count drops. The
//! notification carries the product's name, its urgency and a default
//! action: the fake notification server clicks it, and the complaint opens.
//! The tray menu (read and clicked over D-Bus as a status area would) lists
//! the complaint at risk, then breached, opens it, and its count drops.

use redress_e2e::{Console, Notifications, TrayMenu};
use serde_json::json;
use std::time::Duration;

#[test]
fn a_progress_update_falling_due_is_notified_on_the_session_bus() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let notes = Notifications::listen(tmp.path());
    let console = Console::launch(&tmp.path().join("data"), "notification");
    let wd = &console.wd;

    // English, so the notification's words are known.
    wd.click("[data-testid=nav-settings]").expect("settings");
    wd.set_value("[data-testid=set-language]", "en")
        .expect("language");
    wd.click("[data-testid=set-save]").expect("save");
    wd.wait_until(
        "the console speaks English",
        "return document.documentElement.lang === 'en'",
        json!([]),
        Duration::from_secs(10),
    )
    .expect("language switched");

    // An emotion-driven complaint received 28.5 minutes ago, to the minute
    // the form takes (so 28:30 to 29:29 old): its 30-minute progress-update
    // clock falls due between 30 and 90 seconds from now, and its 75%
    // warning has passed.
    wd.click("[data-testid=nav-new]").expect("new complaint");
    wd.type_into("[data-testid=nc-name]", "Zhou Min")
        .expect("name");
    wd.type_into("[data-testid=nc-phone]", "13911112222")
        .expect("phone");
    wd.type_into("[data-testid=nc-subject-ref]", "ORD-77")
        .expect("subject");
    wd.type_into("[data-testid=nc-category]", "billing.fee")
        .expect("category");
    wd.type_into("[data-testid=nc-demand]", "Call me back today")
        .expect("demand");
    wd.type_into(
        "[data-testid=nc-description]",
        "Angry about a double charge",
    )
    .expect("description");
    wd.set_value("[data-testid=nc-kind]", "emotion_driven")
        .expect("kind");
    let received = wd
        .exec(
            "const d = new Date(Date.now() - 28.5 * 60000);
             const p = (n) => String(n).padStart(2, '0');
             return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;",
            json!([]),
        )
        .expect("local time");
    wd.set_value(
        "[data-testid=nc-received-at]",
        received.as_str().expect("a string"),
    )
    .expect("received at");
    wd.click("[data-testid=nc-submit]").expect("submit");
    if let Err(e) = wd.wait("[data-testid=detail-number]", Duration::from_secs(20)) {
        let screen = wd
            .exec(
                "return document.querySelector('main')?.innerText ?? ''",
                json!([]),
            )
            .unwrap_or_default();
        panic!("the new complaint does not open ({e:?}); the screen says: {screen}");
    }
    let number = wd.text("[data-testid=detail-number]").expect("number");
    assert!(number.starts_with("TS-"), "complaint number {number:?}");

    let title = format!("{number}: progress update due");
    assert!(
        notes
            .received()
            .iter()
            .all(|n| n["summary"] != title.as_str()),
        "not due yet at recording time"
    );

    // The tray lists it as at risk (the warning passed, nothing is due).
    let tray = TrayMenu;
    let tray_has = |heading: &str, labels: &[String]| {
        labels
            .iter()
            .position(|l| l == heading)
            .is_some_and(|h| labels.get(h + 1).is_some_and(|l| l.starts_with(&number)))
    };
    tray.wait(
        "the tray lists the complaint at risk",
        Duration::from_secs(20),
        |l| tray_has("At risk (1)", l),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let n = notes
        .wait_for(&title, Duration::from_secs(150))
        .unwrap_or_else(|| {
            panic!(
                "no `{title}` notification on the bus; got {:?}",
                notes.received()
            )
        });
    assert!(
        n["body"].as_str().is_some_and(|b| b.contains("Zhou Min")),
        "the body names the customer: {n}"
    );
    assert_eq!(n["app"], "Redress", "the product's name: {n}");
    assert_eq!(n["urgency"], 1, "a progress update due is normal: {n}");
    assert_eq!(
        n["actions"],
        json!(["default", "Open complaint"]),
        "a click opens the complaint: {n}"
    );
    // Now the tray lists it as breached.
    tray.wait(
        "the tray lists the complaint breached",
        Duration::from_secs(40),
        |l| tray_has("Breached (1)", l),
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // From the dashboard, `click` opens the complaint.
    let opens_the_complaint = |what: &str, click: &dyn Fn()| {
        wd.click("[data-testid=nav-dashboard]").expect("dashboard");
        wd.wait("[data-testid=dashboard-search]", Duration::from_secs(10))
            .expect("dashboard");
        click();
        wd.wait_until(
            what,
            "const e = document.querySelector('[data-testid=detail-number]');
             return e !== null && e.textContent === arguments[0];",
            json!([number]),
            Duration::from_secs(10),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    };
    // Clicking the notification, with the console on another screen...
    opens_the_complaint("the notification's click opens the complaint", &|| {
        notes.invoke(n["id"].as_u64().expect("an id"), "default")
    });
    // ... and so does its entry in the tray menu.
    opens_the_complaint("the tray entry opens the complaint", &|| {
        tray.click(&number)
    });

    // The reminder inbox lists what was notified.
    wd.click("[data-testid=nav-reminders]").expect("reminders");
    wd.wait_until(
        "the reminder is in the inbox",
        "return [...document.querySelectorAll('[data-testid=reminder-row]')]
            .some((r) => r.textContent.includes(arguments[0]))",
        json!([title]),
        Duration::from_secs(10),
    )
    .expect("inbox row");

    // Shown once: the same reminder is not sent again.
    std::thread::sleep(Duration::from_secs(3));
    let times = notes
        .received()
        .iter()
        .filter(|n| n["summary"] == title.as_str())
        .count();
    assert_eq!(times, 1, "notified exactly once");

    // The update is posted from the complaint the reminder opens.
    let count = || {
        wd.exec(
            "const c = document.querySelector('[data-testid=nav-count-reminders]');
             return c ? Number(c.textContent) : 0;",
            json!([]),
        )
        .expect("nav count")
        .as_i64()
        .expect("a number")
    };
    wd.wait_until(
        "the navigation counts the reminder",
        "const c = document.querySelector('[data-testid=nav-count-reminders]');
         return c !== null && Number(c.textContent) > 0;",
        json!([]),
        Duration::from_secs(10),
    )
    .expect("nav count");
    let before = count();
    wd.exec(
        "[...document.querySelectorAll('[data-testid=reminder-row]')]
            .find((r) => r.textContent.includes(arguments[0])).click()",
        json!([title]),
    )
    .expect("open the reminder's complaint");
    wd.wait("[data-testid=action-progress]", Duration::from_secs(10))
        .expect("the complaint opens");
    assert_eq!(
        wd.text("[data-testid=detail-number]").expect("number"),
        number
    );
    wd.click("[data-testid=action-progress]").expect("progress");
    wd.type_into(
        "[data-testid=f-text]",
        "Refund of the double charge is on its way",
    )
    .expect("text");
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait("[data-testid=progress-entry]", Duration::from_secs(10))
        .expect("the update is listed");

    wd.click("[data-testid=nav-reminders]").expect("reminders");
    wd.wait_until(
        "the reminder leaves the inbox",
        "return document.querySelector('[data-testid=reminders-table], [data-testid=empty]') !== null
            && ![...document.querySelectorAll('[data-testid=reminder-row]')]
                .some((r) => r.textContent.includes(arguments[0]))",
        json!([title]),
        Duration::from_secs(10),
    )
    .expect("cleared from the inbox");
    wd.wait_until(
        "the navigation count drops by one",
        "const c = document.querySelector('[data-testid=nav-count-reminders]');
         return (c ? Number(c.textContent) : 0) === arguments[0];",
        json!([before - 1]),
        Duration::from_secs(10),
    )
    .expect("nav count drops");
    // The tray's count drops with it, and the complaint is no longer
    // listed as breached.
    let reminders = format!(", {} reminders", before - 1);
    tray.wait("the tray's count drops", Duration::from_secs(40), |l| {
        l.first().is_some_and(|s| s.ends_with(&reminders)) && !tray_has("Breached (1)", l)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    wd.click("[data-testid=tab-history]").expect("history");
    wd.wait_until(
        "the reminder is listed as dealt with",
        "return [...document.querySelectorAll('[data-testid=reminder-row]')]
            .some((r) => r.textContent.includes(arguments[0]) && r.dataset.resolution === 'done')",
        json!([title]),
        Duration::from_secs(10),
    )
    .expect("history row");
}
