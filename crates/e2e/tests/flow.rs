//! The closed loop through the real console: an agent records a complaint
//! and works it up to a remedy beyond their authority; a manager approves it;
//! the agent carries it out and resolves; the follow-up call finds the
//! customer not satisfied and the complaint reopens.

use redress_e2e::Session;
use serde_json::json;
use std::time::Duration;

const SHORT: Duration = Duration::from_secs(10);

fn act_as(wd: &Session, user: &str, name: &str, role: &str) {
    wd.click("[data-testid=nav-settings]").expect("settings");
    wd.type_into("[data-testid=set-user]", user).expect("user");
    wd.type_into("[data-testid=set-name]", name).expect("name");
    let before = wd
        .exec(
            "return document.querySelector('[data-testid=set-role]').value",
            json!([]),
        )
        .expect("role now");
    wd.set_value("[data-testid=set-role]", role).expect("role");
    wd.click("[data-testid=set-save]").expect("save");
    if before.as_str() != Some(role) {
        // A change of role is confirmed first (and recorded).
        wd.wait("[data-testid=role-confirm]", SHORT)
            .expect("the console asks before changing the role");
        wd.click("[data-testid=role-confirm] [data-testid=dialog-confirm]")
            .expect("confirm");
    }
    wd.wait_until(
        "the console knows who I am",
        "return document.querySelector('[data-testid=whoami]')?.textContent.includes(arguments[0])",
        json!([name]),
        SHORT,
    )
    .expect("settings applied");
}

/// Picks `value` in a select once the list offers it.
fn choose(wd: &Session, select: &str, value: &str) {
    wd.wait_until(
        &format!("{select} offers {value}"),
        "const s = document.querySelector(arguments[0]); \
         return !!s && [...s.options].some(o => o.value === arguments[1])",
        json!([select, value]),
        SHORT,
    )
    .unwrap_or_else(|e| {
        let seen = wd
            .exec(
                "const s = document.querySelector(arguments[0]); \
                 return { options: s ? [...s.options].map(o => o.outerHTML) : null, \
                          me: document.querySelector('[data-testid=whoami]')?.textContent };",
                json!([select]),
            )
            .unwrap_or_default();
        panic!("{e}; the list offers {seen}")
    });
    wd.set_value(select, value).expect("choose");
}

fn wait_state(wd: &Session, state: &str) {
    wd.wait_until(
        &format!("complaint in state {state}"),
        "return document.querySelector('[data-testid=detail-state]')?.dataset.state === arguments[0]",
        json!([state]),
        SHORT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Opens a step's dialog, fills it with `fill`, confirms, and waits for the
/// dialog to close (the command succeeded).
fn step(wd: &Session, action: &str, fill: impl FnOnce(&Session)) {
    wd.click(&format!("[data-testid={action}]"))
        .unwrap_or_else(|e| panic!("{action}: {e}"));
    wd.el("[data-testid=dialog-confirm]").expect("dialog");
    fill(wd);
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait_until(
        &format!("{action} done"),
        "const d = document.querySelector('[role=dialog]');
         if (!d) return true;
         const err = d.querySelector('[data-testid=error]');
         return err ? 'error: ' + err.textContent : false;",
        json!([]),
        SHORT,
    )
    .and_then(|v| match v.as_str() {
        Some(e) if e.starts_with("error") => Err(redress_e2e::WdError(e.to_owned())),
        _ => Ok(v),
    })
    .unwrap_or_else(|e| panic!("{action}: {e}"));
}

fn open_from_dashboard(wd: &Session, number: &str) {
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    let row = format!("[data-testid=dashboard-row][data-number=\"{number}\"]");
    wd.wait(&row, SHORT).expect("row on the dashboard");
    wd.click(&row).expect("open the row");
    wd.wait_until(
        "detail page",
        "return document.querySelector('[data-testid=detail-number]')?.textContent.includes(arguments[0])",
        json!([number]),
        SHORT,
    )
    .expect("detail opened");
}

/// A site with two departments and one category, named in both languages,
/// and the display name of its manager.
const SITE: &str = r#"
[[catalogs.people]]
user = "mgr.wang"
name = "王强"

[[catalogs.departments]]
code = "billing"
names = { zh_cn = "计费结算中心", en = "Billing" }

[[catalogs.departments]]
code = "customer_care"
names = { zh_cn = "客户关怀部", en = "Customer Care" }

[[catalogs.categories]]
code = "billing"
names = { zh_cn = "计费", en = "Billing" }
categories = [
  { code = "billing.fee", names = { zh_cn = "收费争议", en = "Fee dispute" } },
]
"#;

#[test]
fn a_complaint_goes_round_the_closed_loop() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    // The site's catalogs, put in place the way an administrator's script
    // does before anyone works here.
    let site = tmp.path().join("site.toml");
    std::fs::write(&site, SITE).expect("write the site configuration");
    let stored = redress_e2e::redressctl(&[
        "--data-dir",
        data.to_str().expect("a UTF-8 path"),
        "admin",
        "config",
        "put",
        site.to_str().expect("a UTF-8 path"),
    ]);
    assert!(stored.contains("2 departments"), "{stored}");
    let console = redress_e2e::Console::launch(&data, "flow");
    let wd = &console.wd;

    // A fresh console asked who is at the keyboard (the harness answered).
    assert!(console.asked_who, "a fresh console asks who I am");
    // An empty store shows an empty dashboard, not an error.
    wd.wait("[data-testid=empty]", SHORT).expect("empty state");

    act_as(wd, "agent.li", "Li Na", "agent");

    // Record.
    wd.click("[data-testid=nav-new]").expect("new complaint");
    wd.type_into("[data-testid=nc-name]", "王芳").expect("name");
    // 123 is no number to call back: libphonenumber's rules, through Rust.
    wd.type_into("[data-testid=nc-phone]", "123")
        .expect("phone");
    wd.wait("[data-testid=nc-hint-phone]", SHORT)
        .expect("a hint on the phone");
    let hint = wd.text("[data-testid=nc-hint-phone]").expect("hint");
    assert!(!hint.contains("123"), "no formatted number for 123: {hint}");
    wd.type_into("[data-testid=nc-phone]", "138 0013 8000")
        .expect("phone");
    wd.wait_until(
        "the number is recognised as a mobile",
        "const h = document.querySelector('[data-testid=nc-hint-phone]'); \
         return !!h && h.textContent.includes('138 0013 8000')",
        json!([]),
        SHORT,
    )
    .expect("valid mobile");
    wd.type_into("[data-testid=nc-subject-ref]", "ORD-20261123-7")
        .expect("subject");
    // The category is picked from the site's catalog, by name.
    choose(wd, "[data-testid=nc-category]", "billing.fee");
    wd.type_into("[data-testid=nc-demand]", "退还重复扣除的月费")
        .expect("demand");
    wd.type_into("[data-testid=nc-description]", "同一个月被扣了两次套餐费")
        .expect("description");
    wd.click("[data-testid=nc-submit]").expect("submit");
    wd.wait("[data-testid=detail-number]", SHORT)
        .expect("the new complaint opens");
    let number = wd.text("[data-testid=detail-number]").expect("number");
    let number = number.trim().to_owned();
    assert!(number.starts_with("TS-"), "number {number:?}");
    wait_state(wd, "recorded");

    // On the dashboard with a live countdown.
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    let row = format!("[data-testid=dashboard-row][data-number=\"{number}\"]");
    let countdown = format!("{row} [data-testid=countdown]");
    wd.wait(&countdown, SHORT).expect("countdown on the row");
    assert_eq!(
        wd.attr(&countdown, "data-status")
            .expect("status")
            .as_deref(),
        Some("ok"),
        "a fresh complaint is on track"
    );
    let first = wd.text(&countdown).expect("countdown text");
    wd.wait_until(
        "the countdown ticks",
        "return document.querySelector(arguments[0])?.textContent !== arguments[1]",
        json!([countdown, first]),
        Duration::from_secs(5),
    )
    .expect("ticking");
    open_from_dashboard(wd, &number);

    // Judge, assign, a progress update, the root cause.
    step(wd, "action-judge", |wd| {
        wd.set_value("[data-testid=f-valid]", "yes").expect("valid");
    });
    wait_state(wd, "validated");
    // Department and owner are chosen from lists, never typed.
    step(wd, "action-assign", |wd| {
        choose(wd, "[data-testid=f-department]", "billing");
        choose(wd, "[data-testid=f-owner]", "agent.li");
    });
    wait_state(wd, "assigned");
    // Shown by its name in the console's language, never by its code.
    let names = wd
        .exec(
            "return [document.documentElement.lang, \
                     document.querySelector('[data-testid=detail-department]').textContent, \
                     document.querySelector('[data-testid=detail-category]').textContent]",
            json!([]),
        )
        .expect("names");
    let expected = if names[0] == "en" {
        json!(["en", "Billing", "Billing / Fee dispute"])
    } else {
        json!([names[0], "计费结算中心", "计费 / 收费争议"])
    };
    assert_eq!(names, expected);
    step(wd, "action-progress", |wd| {
        wd.type_into("[data-testid=f-text]", "已致电客户，正在核查扣费记录")
            .expect("text");
    });
    wd.wait("[data-testid=progress-entry]", SHORT)
        .expect("the update is listed");
    step(wd, "action-root-cause", |wd| {
        wd.click("[data-testid=f-categories-system]")
            .expect("system");
        wd.type_into("[data-testid=f-note]", "计费系统重复出账")
            .expect("note");
    });
    wait_state(wd, "analysed");

    // A refund of 300.00 is beyond an agent's limit: it waits for approval.
    step(wd, "action-propose-remedy", |wd| {
        wd.set_value("[data-testid=f-kind]", "refund")
            .expect("kind");
        wd.type_into("[data-testid=f-amount]", "300")
            .expect("amount");
        wd.type_into("[data-testid=f-note]", "退还重复扣费")
            .expect("note");
    });
    wait_state(wd, "awaiting_approval");

    // The agent sees it in the queue but may not decide their own request.
    wd.click("[data-testid=nav-approvals]").expect("approvals");
    let approval = format!("[data-testid=approval-row][data-number=\"{number}\"]");
    wd.wait(&approval, SHORT).expect("in the approval queue");
    wd.el(&format!(
        "[data-testid=others-section] {approval} [data-testid=blocked-reason]"
    ))
    .expect("the agent is told why not, under \"waiting for someone else\"");

    // A manager approves.
    act_as(wd, "mgr.wang", "Wang Lei", "manager");
    wd.click("[data-testid=nav-approvals]").expect("approvals");
    let approve = format!("{approval} [data-testid=approve-btn]");
    wd.wait_until(
        "approve enabled",
        "const b = document.querySelector(arguments[0]); return b && !b.disabled",
        json!([approve]),
        SHORT,
    )
    .expect("the manager may approve");
    wd.click(&approve).expect("approve");
    // The dialog carries what the manager needs to decide: the proposer's
    // note among it.
    let note = wd
        .text("[role=dialog] [data-testid=decide-note]")
        .expect("the proposer's note");
    assert_eq!(note, "退还重复扣费");
    wd.type_into("[data-testid=reason-input]", "符合退费政策")
        .expect("reason");
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait_until(
        "the request leaves the queue",
        "return !document.querySelector(arguments[0])",
        json!([approval]),
        SHORT,
    )
    .expect("decided");
    // ... and is listed as decided, by whom.
    wd.click("[data-testid=tab-decided]").expect("decided tab");
    let decided = format!("[data-testid=decided-row][data-number=\"{number}\"]");
    wd.wait(&decided, SHORT).expect("on the decided tab");
    let by = format!("{decided} [data-testid=decided-by]");
    wd.wait_until(
        "the decided tab names who decided, by their display name",
        "return document.querySelector(arguments[0])?.textContent === arguments[1]",
        json!([by, "王强"]),
        SHORT,
    )
    .unwrap_or_else(|e| {
        let seen = wd.text(&by).unwrap_or_default();
        panic!("{e}; it says {seen:?}")
    });

    // Back to the agent: carry it out and resolve.
    act_as(wd, "agent.li", "Li Na", "agent");
    open_from_dashboard(wd, &number);
    wait_state(wd, "remedy_agreed");
    step(wd, "action-implement", |wd| {
        if let Ok(note) = wd.find_all("[role=dialog] [data-testid=f-note]") {
            if !note.is_empty() {
                wd.type_into("[data-testid=f-note]", "已原路退款")
                    .expect("note");
            }
        }
    });
    wait_state(wd, "implemented");
    step(wd, "action-resolve", |wd| {
        wd.type_into("[data-testid=f-note]", "已告知客户退款到账时间")
            .expect("note");
    });
    wait_state(wd, "resolved");

    // The follow-up call is due; the customer is not satisfied.
    wd.click("[data-testid=nav-callbacks]").expect("callbacks");
    let callback = format!("[data-testid=callback-row][data-number=\"{number}\"]");
    wd.wait(&callback, SHORT).expect("callback due");
    wd.click(&format!("{callback} [data-testid=cb-not-satisfied]"))
        .expect("not satisfied");
    wd.set_value("[data-testid=cb-score]", "2")
        .expect("a score of 1-2");
    wd.type_into("[data-testid=cb-note]", "客户认为退款太慢")
        .expect("the reason");
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait_until(
        "the callback is recorded",
        "return !document.querySelector(arguments[0])",
        json!([callback]),
        SHORT,
    )
    .expect("callback recorded");

    // Reopened: back to analysis, and the timeline says who did what.
    open_from_dashboard(wd, &number);
    wait_state(wd, "analysed");
    let entries = wd
        .find_all("[data-testid=timeline-entry]")
        .expect("timeline");
    assert!(
        entries.len() >= 10,
        "every step is on the timeline: {}",
        entries.len()
    );
    let timeline = wd.text("[data-testid=timeline]").expect("timeline text");
    assert!(
        timeline.contains("王强") && !timeline.contains("mgr.wang"),
        "the approver is named by their display name: {timeline}"
    );
    assert!(timeline.contains("agent.li"), "the agent is named");

    // A supervisor reassigns it from the dashboard, ticking it in the list.
    act_as(wd, "sup.zhang", "Zhang Wei", "supervisor");
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    let row = format!("[data-testid=dashboard-row][data-number=\"{number}\"]");
    wd.wait(&row, SHORT).expect("row");
    wd.wait(
        "[data-testid=team-panel] [data-testid=team-owner][data-owner=\"agent.li\"]",
        SHORT,
    )
    .expect("agent.li's workload in the team panel");
    wd.click(&format!("{row} [data-testid=row-tick]"))
        .expect("tick");
    wd.wait("[data-testid=bulk-bar]", SHORT).expect("bulk bar");
    assert!(
        wd.find_all("[data-testid=detail-number]")
            .expect("find")
            .is_empty(),
        "ticking does not open the complaint"
    );
    wd.click("[data-testid=bulk-assign]").expect("assign");
    choose(wd, "[data-testid=bulk-department]", "customer_care");
    choose(wd, "[data-testid=bulk-owner]", "sup.zhang");
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait("[data-testid=notice]", SHORT).expect("notice");
    wd.wait_until(
        "the row shows its new owner",
        "const r = document.querySelector(arguments[0]); return !!r && r.textContent.includes('sup.zhang')",
        json!([row]),
        SHORT,
    )
    .expect("reassigned");
    wd.wait("[data-testid=team-owner][data-owner=\"sup.zhang\"]", SHORT)
        .expect("the team panel follows");

    // An admin configures this standalone console on the same screens: a
    // new category, saved into the console's own configuration, is offered
    // by the new-complaint form at once.
    act_as(wd, "admin.li", "Li Admin", "admin");
    wd.click("[data-testid=nav-admin]").expect("configuration");
    wd.wait("[data-testid=admin-home][data-home=local]", SHORT)
        .expect("the console's own configuration");
    for (field, value) in [("code", "mobile"), ("zh", "移动业务"), ("en", "Mobile")] {
        wd.type_into(&format!("[data-testid=admin-add-group-{field}]"), value)
            .expect("group");
    }
    wd.click("[data-testid=admin-add-group-add]")
        .expect("add group");
    for (field, value) in [
        ("code", "mobile.signal"),
        ("zh", "信号差"),
        ("en", "Poor signal"),
    ] {
        wd.type_into(
            &format!("[data-testid=admin-add-category-mobile-{field}]"),
            value,
        )
        .expect("category");
    }
    wd.click("[data-testid=admin-add-category-mobile-add]")
        .expect("add category");
    wd.click("[data-testid=admin-save]").expect("save");
    wd.wait("[data-testid=admin-saved]", SHORT)
        .expect("saved locally");
    wd.click("[data-testid=tab-versions]").expect("versions");
    wd.wait("[data-testid=admin-versions-local]", SHORT)
        .expect("a standalone console has no versions");
    wd.click("[data-testid=nav-new]").expect("new complaint");
    choose(wd, "[data-testid=nc-category]", "mobile.signal");
}
