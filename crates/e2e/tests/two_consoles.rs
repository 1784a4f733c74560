//! Two consoles and a real sync server: both sign in through the UI; a
//! complaint recorded in console A is on console B's dashboard within one
//! second of A's save returning, and a progress update posted in B is on
//! A's complaint page within one second of B's save returning. Then the
//! server goes away: B's next change waits (offline, one pending), signing
//! out warns about it and keeps it, and A relaunched resumes its loop.
//!
//! Times are taken inside the pages (both on this machine's clock) by DOM
//! observers: the moment the saving console's form closes (it closes in the
//! same tick the save returns) and the moment the change shows in the other
//! console, so WebDriver's own latency does not count.

use redress_e2e::{Console, DriverPorts, Server, Session};
use serde_json::{Value, json};
use std::time::Duration;

const SHORT: Duration = Duration::from_secs(10);
const PASSWORD: &str = "correct-horse-battery";
/// The longest a change may take from one console to the other.
const LIVE_MS: f64 = 1000.0;

fn sign_in(wd: &Session, url: &str, user: &str) {
    // A fresh console is standalone; its status indicator leads to sign-in.
    wd.wait("[data-testid=sync-status][data-state=standalone]", SHORT)
        .expect("a fresh console is standalone");
    wd.click("[data-testid=sync-status]").expect("indicator");
    wd.type_into("[data-testid=signin-url]", url).expect("url");
    wd.type_into("[data-testid=signin-user]", user)
        .expect("user");
    wd.type_into("[data-testid=signin-password]", PASSWORD)
        .expect("password");
    shot(wd, &format!("signin-{user}.png"));
    // Enter submits.
    wd.send_keys("[data-testid=signin-password]", "\u{E007}")
        .expect("enter");
    wd.wait_until(
        "signed in and online",
        "const s = document.querySelector('[data-testid=sync-status]');
         const e = document.querySelector('[data-testid=error]');
         if (e) return 'error: ' + e.textContent;
         return s && s.dataset.state === 'online';",
        json!([]),
        Duration::from_secs(30),
    )
    .and_then(|v| match v.as_str() {
        Some(e) if e.starts_with("error") => Err(redress_e2e::WdError(e.to_owned())),
        _ => Ok(v),
    })
    .unwrap_or_else(|e| panic!("{user} signs in: {e}"));
    // Settings say where the token is: no keychain on the test bus.
    wd.click("[data-testid=nav-settings]").expect("settings");
    wd.wait(
        "[data-testid=token-store][data-store=local_settings]",
        SHORT,
    )
    .expect("the token is kept in the local settings, and Settings say so");
    wd.wait_until(
        "the server's account is the acting user",
        "return document.querySelector('[data-testid=set-user]')?.value === arguments[0]",
        json!([user]),
        SHORT,
    )
    .expect("acting as the server's user");
    shot(wd, &format!("server-{user}.png"));
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
}

/// Saves the window under `target/e2e/` for a person to look at.
fn shot(wd: &Session, name: &str) {
    let png = wd.screenshot().expect("screenshot");
    let path = redress_e2e::output_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Records in `window.__savedAt` the instant (page clock, ms) the last
/// element matching `css` goes away: the form or dialog that closes as soon
/// as its save returns (the UI moves on in the same tick).
fn watch_gone(wd: &Session, css: &str) {
    wd.exec(
        "const css = arguments[0];
         window.__savedAt = null;
         const check = () => {
           if (!window.__savedAt && !document.querySelector(css)) window.__savedAt = Date.now();
         };
         if (window.__goneObserver) window.__goneObserver.disconnect();
         window.__goneObserver = new MutationObserver(check);
         window.__goneObserver.observe(document.body, { subtree: true, childList: true });",
        json!([css]),
    )
    .expect("watch the form");
}

/// Records in `window.__seenAt` the instant (page clock, ms) an element
/// matching `css` whose text contains `text` first appears.
fn watch_for(wd: &Session, css: &str, text: &str) {
    wd.exec(
        "const [css, text] = arguments;
         window.__seenAt = null;
         const check = () => {
           if (window.__seenAt) return;
           for (const el of document.querySelectorAll(css)) {
             if (el.textContent.includes(text)) { window.__seenAt = Date.now(); return; }
           }
         };
         if (window.__observer) window.__observer.disconnect();
         window.__observer = new MutationObserver(check);
         window.__observer.observe(document.body, { subtree: true, childList: true, characterData: true });
         check();",
        json!([css, text]),
    )
    .expect("watch");
}

fn page_ms(wd: &Session, var: &str) -> f64 {
    wd.wait_until(
        var,
        &format!("return window.{var}"),
        json!([]),
        Duration::from_secs(15),
    )
    .map(|v: Value| v.as_f64().unwrap_or(f64::NAN))
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_change_in_one_console_is_live_in_the_other() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        tmp.path(),
        &[("amy", "agent", PASSWORD), ("bob", "supervisor", PASSWORD)],
    );
    // Two consoles, each with its own data directory and its own driver.
    let a = Console::launch_with(&tmp.path().join("a"), "two_consoles_a", DriverPorts::free());
    let b = Console::launch_with(&tmp.path().join("b"), "two_consoles_b", DriverPorts::free());
    sign_in(&a.wd, &server.url, "amy");
    sign_in(&b.wd, &server.url, "bob");

    // A records a complaint; B's dashboard shows it.
    let customer = "双机测试客户";
    watch_for(&b.wd, "[data-testid=dashboard-row]", customer);
    let wd = &a.wd;
    wd.click("[data-testid=nav-new]").expect("new complaint");
    wd.type_into("[data-testid=nc-name]", customer)
        .expect("name");
    wd.type_into("[data-testid=nc-phone]", "138 0013 8123")
        .expect("phone");
    wd.type_into("[data-testid=nc-subject-ref]", "ORD-20261123-9")
        .expect("subject");
    wd.type_into("[data-testid=nc-category]", "billing.fee")
        .expect("category");
    wd.type_into("[data-testid=nc-demand]", "退还重复扣除的月费")
        .expect("demand");
    wd.type_into("[data-testid=nc-description]", "同一个月被扣了两次")
        .expect("description");
    watch_gone(wd, "[data-testid=nc-submit]");
    wd.click("[data-testid=nc-submit]").expect("submit");
    wd.wait("[data-testid=detail-number]", SHORT)
        .expect("the new complaint opens in A");
    let saved = page_ms(wd, "__savedAt");
    let seen = page_ms(&b.wd, "__seenAt");
    eprintln!("A's complaint on B's dashboard after {} ms", seen - saved);
    assert!(
        seen - saved <= LIVE_MS,
        "B showed A's complaint {} ms after A's save returned",
        seen - saved
    );
    // A's own page stops saying "syncing" once the server confirmed it.
    wd.wait_until(
        "A's complaint confirmed",
        "return !document.querySelector('[data-testid=detail-pending]')",
        json!([]),
        SHORT,
    )
    .expect("the syncing mark goes away");

    // B opens it and posts a progress update; A's complaint page shows it.
    let progress = "已联系客户，退款处理中";
    watch_for(wd, "[data-testid=progress-entry]", progress);
    let bw = &b.wd;
    bw.click("[data-testid=dashboard-row]").expect("open in B");
    bw.wait("[data-testid=action-progress]", SHORT)
        .expect("B's complaint page");
    bw.click("[data-testid=action-progress]").expect("progress");
    bw.type_into("[data-testid=f-text]", progress)
        .expect("text");
    watch_gone(bw, "[data-testid=dialog-confirm]");
    bw.click("[data-testid=dialog-confirm]").expect("confirm");
    let saved = page_ms(bw, "__savedAt");
    let seen = page_ms(wd, "__seenAt");
    eprintln!("B's progress update on A's page after {} ms", seen - saved);
    assert!(
        seen - saved <= LIVE_MS,
        "A showed B's progress update {} ms after B's save returned",
        seen - saved
    );
    a.wd.wait("[data-testid=sync-status][data-pending='0']", SHORT)
        .expect("nothing left to send in A");
    shot(&a.wd, "live-a.png");

    // The server goes away: B's next change waits in its outbox, B shows
    // offline with the pending count, and signing out warns and keeps it.
    drop(server);
    bw.wait("[data-testid=action-progress]", SHORT)
        .expect("B's complaint page");
    bw.click("[data-testid=action-progress]").expect("progress");
    bw.type_into("[data-testid=f-text]", "服务器离线时的进度")
        .expect("text");
    bw.click("[data-testid=dialog-confirm]").expect("confirm");
    bw.wait(
        "[data-testid=sync-status][data-state=offline][data-pending='1']",
        Duration::from_secs(20),
    )
    .expect("B is offline with one change pending");
    bw.click("[data-testid=nav-settings]").expect("settings");
    bw.click("[data-testid=sign-out]").expect("sign out");
    let warning = bw.text("[data-testid=signout-pending]").expect("warning");
    assert!(
        warning.contains('1'),
        "the dialog counts the change: {warning}"
    );
    bw.click("[data-testid=dialog-confirm]").expect("confirm");
    bw.wait(
        "[data-testid=sync-status][data-state=signed_out][data-pending='1']",
        SHORT,
    )
    .expect("signed out, the change kept");
    bw.wait("[data-testid=sign-in]", SHORT)
        .expect("Settings offer to sign in again");

    // A console that was signed in starts its loop again at launch (with
    // the server gone: offline, retrying).
    let a_dir = a.data_dir.clone();
    drop(a);
    let a = Console::launch_with(&a_dir, "two_consoles_a2", DriverPorts::free());
    a.wd.wait(
        "[data-testid=sync-status][data-state=offline]",
        Duration::from_secs(20),
    )
    .expect("A relaunched signed in, and offline");
}

/// Records in `window.__savedAt` the instant (page clock, ms) an element
/// matching `css` appears: the notice a save shows as soon as it returns.
fn watch_appear(wd: &Session, css: &str) {
    wd.exec(
        "const css = arguments[0];
         window.__savedAt = null;
         const check = () => {
           if (!window.__savedAt && document.querySelector(css)) window.__savedAt = Date.now();
         };
         if (window.__appearObserver) window.__appearObserver.disconnect();
         window.__appearObserver = new MutationObserver(check);
         window.__appearObserver.observe(document.body, { subtree: true, childList: true });",
        json!([css]),
    )
    .expect("watch for the notice");
}

/// Types a code and both names into one of the configuration screen's add
/// rows and adds the entry.
fn add_entry(wd: &Session, row: &str, code: &str, zh: &str, en: &str) {
    wd.type_into(&format!("[data-testid={row}-code]"), code)
        .expect("code");
    wd.type_into(&format!("[data-testid={row}-zh]"), zh)
        .expect("Chinese name");
    wd.type_into(&format!("[data-testid={row}-en]"), en)
        .expect("English name");
    wd.click(&format!("[data-testid={row}-add]")).expect("add");
}

/// An admin configures the center from console A: a new category (and her
/// own display name), then a faster resolution target. Console B, a
/// supervisor's, offers the category by name within a second of A's save,
/// without a restart, and a complaint recorded in B gets the new target.
/// A's audit view lists both changes under the admin's display name; B
/// does not see the configuration screen at all.
#[test]
fn an_admin_configures_the_center_and_every_console_follows() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        tmp.path(),
        &[("ada", "admin", PASSWORD), ("bob", "supervisor", PASSWORD)],
    );
    let a = Console::launch_with(&tmp.path().join("a"), "admin_a", DriverPorts::free());
    let b = Console::launch_with(&tmp.path().join("b"), "admin_b", DriverPorts::free());
    sign_in(&a.wd, &server.url, "ada");
    sign_in(&b.wd, &server.url, "bob");
    let (aw, bw) = (&a.wd, &b.wd);

    // Only the admin has the configuration screen.
    aw.wait("[data-testid=nav-admin]", SHORT)
        .expect("the admin sees the configuration screen");
    assert!(
        bw.find_all("[data-testid=nav-admin]")
            .expect("query")
            .is_empty(),
        "a supervisor does not see the configuration screen"
    );

    // B waits on the new-complaint form, whose category is still typed.
    bw.click("[data-testid=nav-new]").expect("new complaint");
    bw.wait("input[data-testid=nc-category]", SHORT)
        .expect("no catalog yet: the category is typed");
    watch_for(bw, "[data-testid=nc-category] option", "重复扣费");

    // A adds a category group with one category, and her display name.
    aw.click("[data-testid=nav-admin]").expect("configuration");
    aw.wait("[data-testid=admin-add-group]", SHORT)
        .expect("the catalogs tab");
    add_entry(aw, "admin-add-group", "billing", "计费", "Billing");
    aw.wait("[data-testid=admin-add-category-billing]", SHORT)
        .expect("the new group takes categories");
    add_entry(
        aw,
        "admin-add-category-billing",
        "billing.double",
        "重复扣费",
        "Double charge",
    );
    aw.type_into("[data-testid=admin-add-person-user]", "ada")
        .expect("user");
    aw.type_into("[data-testid=admin-add-person-name]", "林管理")
        .expect("name");
    aw.click("[data-testid=admin-add-person-add]")
        .expect("add person");
    aw.type_into("[data-testid=admin-note]", "计费投诉分类")
        .expect("note");
    watch_appear(aw, "[data-testid=admin-saved]");
    aw.click("[data-testid=admin-save]").expect("save");
    let saved = page_ms(aw, "__savedAt");
    let seen = page_ms(bw, "__seenAt");
    eprintln!("A's new category in B's form after {} ms", seen - saved);
    assert!(
        seen - saved <= LIVE_MS,
        "B offered A's category {} ms after A's save returned",
        seen - saved
    );
    assert!(
        aw.text("[data-testid=admin-saved]")
            .expect("notice")
            .contains('1'),
        "saved as version 1"
    );

    shot(aw, "admin-catalogs.png");

    // A sets resolution within 4 hours for every complaint.
    aw.click("[data-testid=tab-sla]").expect("SLA tab");
    aw.type_into("[data-testid=admin-add-policy-name]", "快速处理")
        .expect("policy name");
    aw.click("[data-testid=admin-add-policy-add]")
        .expect("add policy");
    aw.type_into("[data-testid=admin-policy-0-resolution]", "4")
        .expect("hours");
    aw.click("[data-testid=admin-save]").expect("save");
    aw.wait_until(
        "saved as version 2",
        "return document.querySelector('[data-testid=admin-saved]')?.textContent.includes('2')",
        json!([]),
        SHORT,
    )
    .expect("the second version");
    shot(aw, "admin-sla.png");

    // B records a complaint in the new category: its resolution clock has
    // the new 4-hour target. B's rules arrive over the event stream; the
    // form is the same one, never reloaded by hand.
    bw.wait("select[data-testid=nc-category]", SHORT)
        .expect("the category is picked from the catalog now");
    bw.type_into("[data-testid=nc-name]", "配置测试客户")
        .expect("name");
    bw.type_into("[data-testid=nc-phone]", "138 0013 8456")
        .expect("phone");
    bw.type_into("[data-testid=nc-subject-ref]", "ORD-20261207-1")
        .expect("subject");
    bw.set_value("[data-testid=nc-category]", "billing.double")
        .expect("category");
    bw.type_into("[data-testid=nc-demand]", "退还多扣的费用")
        .expect("demand");
    bw.type_into("[data-testid=nc-description]", "本月扣费两次")
        .expect("description");
    bw.click("[data-testid=nc-submit]").expect("submit");
    bw.wait("[data-testid=detail-number]", SHORT)
        .expect("the complaint opens in B");
    bw.wait(
        "[data-testid^=clock-][data-kind=resolution][data-target-secs='14400']",
        SHORT,
    )
    .expect("the resolution clock has the new 4-hour target");
    shot(bw, "admin-b-complaint.png");

    // A's audit view: both changes, by the admin's display name (after
    // the accounts the server's command line added).
    aw.click("[data-testid=tab-audit]").expect("audit tab");
    let actors = aw
        .wait_until(
            "two configuration entries",
            "const rows = [...document.querySelectorAll('[data-action=\"config.put\"]')];
             return rows.length === 2 && rows.map((r) => r.children[1].textContent);",
            json!([]),
            SHORT,
        )
        .expect("the audit view lists both changes");
    assert_eq!(
        actors,
        json!(["林管理", "林管理"]),
        "by the admin's display name"
    );
    assert!(
        aw.text("[data-testid=admin-audit]")
            .expect("audit")
            .contains("服务器命令行"),
        "the accounts added on the server's command line are there too"
    );
    shot(aw, "admin-audit.png");

    // The same screen in English: the authority check and a calendar.
    aw.click("[data-testid=nav-settings]").expect("settings");
    aw.set_value("[data-testid=set-language]", "en")
        .expect("language");
    aw.wait_until(
        "the console speaks English",
        "return document.documentElement.lang === 'en'",
        json!([]),
        SHORT,
    )
    .expect("English");
    aw.click("[data-testid=nav-admin]").expect("configuration");
    aw.click("[data-testid=tab-authority]")
        .expect("authority tab");
    aw.type_into("[data-testid=admin-route-amount]", "1200")
        .expect("amount");
    aw.wait_until(
        "the check answers",
        "return document.querySelector('[data-testid=admin-route-answer]')?.textContent.includes('Manager')",
        json!([]),
        SHORT,
    )
    .expect("a refund of 1,200 proposed by an agent needs a manager");
    shot(aw, "admin-authority-en.png");
    aw.click("[data-testid=tab-calendars]")
        .expect("calendars tab");
    aw.type_into("[data-testid=admin-add-calendar-id]", "office")
        .expect("id");
    aw.click("[data-testid=admin-add-calendar-add]")
        .expect("add calendar");
    aw.wait("[data-testid=admin-calendar-office]", SHORT)
        .expect("the new calendar");
    shot(aw, "admin-calendars-en.png");
}
