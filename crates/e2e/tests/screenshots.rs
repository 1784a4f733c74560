//! A populated console (demo data, Chinese UI): the dashboard shows live
//! countdowns in several statuses and the approval queue says why a decision
//! is out of reach; a complaint's page; a breached clock paused stays in the
//! Breached tile; in English the dashboard lays out from 1440 down to the
//! minimum window size. Saves PNGs (`make screenshots` copies them to docs/).

use redress_e2e::webdriver::Session;
use redress_e2e::{Console, output_dir};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

fn seed(dir: &Path) {
    redress_e2e::redressctl(&[
        "--data-dir",
        dir.to_str().expect("a UTF-8 path"),
        "demo",
        "seed",
        "--count",
        "400",
    ]);
}

fn save_png(name: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is a PNG");
    assert!(
        png.len() > 20_000,
        "{name} has content ({} bytes)",
        png.len()
    );
    let path = output_dir().join(name);
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

#[test]
fn dashboard_and_approval_queue_of_a_populated_console() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    seed(&data);
    let console = Console::launch(&data, "screenshots");
    let wd = &console.wd;

    wd.wait("[data-testid=dashboard-row]", Duration::from_secs(20))
        .expect("dashboard rows");
    let statuses = wd
        .wait_until(
            // Soonest due first: the breached rows lead, then those at risk,
            // then the rest. How many of each the first screen holds depends
            // on the time of day (the demo's calendar closes at night), so
            // the picture needs a breach and one other status, not all three.
            "countdowns in several statuses",
            "const s = new Set([...document.querySelectorAll(
                 '[data-testid=dashboard-row] [data-testid=countdown]')].map((c) => c.dataset.status));
             return s.has('breached') && (s.has('ok') || s.has('warning')) ? [...s] : null;",
            json!([]),
            Duration::from_secs(20),
        )
        .expect("statuses");
    assert!(statuses.is_array());
    let open: u64 = wd
        .text("[data-testid=count-open]")
        .expect("open count")
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number");
    assert!(open >= 40, "the demo has open complaints: {open}");
    // Let the countdowns tick once so the picture is a live one.
    std::thread::sleep(Duration::from_millis(1200));
    save_png("dashboard.png", &wd.screenshot().expect("screenshot"));

    wd.click("[data-testid=nav-approvals]").expect("approvals");
    wd.wait("[data-testid=approval-row]", Duration::from_secs(10))
        .expect("approval rows");
    // The default user is a supervisor: the manager-level request is out of
    // their authority and the queue says so.
    wd.wait("[data-testid=blocked-reason]", Duration::from_secs(10))
        .expect("a blocked request explains itself");
    std::thread::sleep(Duration::from_millis(500));
    save_png("approvals.png", &wd.screenshot().expect("screenshot"));

    // One complaint's page: clocks, actions and the timeline.
    wd.click("[data-testid=approval-row] [data-testid=complaint-link]")
        .expect("open a complaint");
    wd.wait("[data-testid=timeline-entry]", Duration::from_secs(10))
        .expect("the timeline");
    std::thread::sleep(Duration::from_millis(500));
    save_png("complaint.png", &wd.screenshot().expect("screenshot"));

    // A breach is a fact: pausing a breached clock keeps it in the Breached
    // tile, and the clock says "breached, paused".
    let breached_count = |wd: &Session| -> u64 {
        wd.text("[data-testid=count-breached]")
            .expect("breached count")
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("a number")
    };
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    wd.wait("[data-testid=dashboard-row]", Duration::from_secs(10))
        .expect("rows");
    let before = breached_count(wd);
    assert!(before > 0, "the demo has breaches");
    // Soonest due first: the first row is breached.
    wd.click("[data-testid=dashboard-row]")
        .expect("open the first row");
    let pause = "[data-testid^=clock-][data-status=breached] [data-testid^=action-pause-]";
    wd.wait(pause, Duration::from_secs(10))
        .expect("a breached clock that can be paused");
    wd.click(pause).expect("pause");
    wd.set_value("[data-testid=f-reason]", "waiting_on_customer")
        .expect("reason");
    wd.type_into("[data-testid=f-note]", "客户要求明天再联系")
        .expect("a note: the deadline has passed");
    wd.click("[data-testid=dialog-confirm]").expect("confirm");
    wd.wait("[data-testid=clock-paused]", Duration::from_secs(10))
        .expect("the clock shows it is paused");
    let tag = wd.text("[data-testid=clock-paused]").expect("tag");
    assert!(tag.contains("超时"), "breached, paused: {tag}");
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    wd.wait_until(
        "the counts are read again",
        "return document.querySelector('[data-testid=count-breached]')?.textContent.trim() !== '–'",
        json!([]),
        Duration::from_secs(10),
    )
    .expect("counts");
    assert_eq!(
        breached_count(wd),
        before,
        "the paused breach is still counted"
    );

    // In English, from the minimum window size up, the dashboard shows the
    // next-due column, and no number, state, severity, kind, channel or
    // clock name is cut off (free text, names and departments, may end in
    // an ellipsis with the whole in the tooltip).
    wd.click("[data-testid=nav-settings]").expect("settings");
    wd.set_value("[data-testid=set-language]", "en")
        .expect("English");
    wd.click("[data-testid=set-save]").expect("save");
    wd.click("[data-testid=nav-dashboard]").expect("dashboard");
    for (w, h) in [(1440, 900), (1280, 800), (960, 600)] {
        wd.set_window_size(w, h).expect("resize");
        wd.wait("[data-testid=dashboard-row]", Duration::from_secs(10))
            .expect("rows");
        // The columns follow the width a frame after the resize.
        const LAYOUT: &str = r#"if (Math.abs(window.innerWidth - arguments[0]) > 40) return null;
                   // arguments[1]: report whatever is there; otherwise wait
                   // until the columns have followed the new width.
                   const head = [...document.querySelectorAll('[role=columnheader]')]
                     .find((h) => h.textContent.startsWith('Next due'));
                   if (!head) return null;
                   const right = head.getBoundingClientRect().right;
                   const whole = ['number', 'due', 'severity', 'state', 'kind', 'channel'];
                   const cells = [...document.querySelectorAll('[data-testid=dashboard-row] [role=gridcell]')]
                     .filter((c) => whole.includes(c.dataset.col));
                   const parts = [...document.querySelectorAll('[data-testid=due-kind]')]
                     .map((k) => k.parentElement);
                   const cut = [...cells, ...parts]
                     .filter((e) => e.scrollWidth > e.clientWidth + 1)
                     .map((e) => `${e.dataset.col ?? 'due-kind'}: ${e.textContent}`);
                   const body = document.querySelector('[data-testid=dashboard-body]');
                   if (!arguments[1] && cut.length > 0) return null;
                   return { width: window.innerWidth, right, cut,
                            tier: body?.dataset.tier, body: body?.clientWidth };"#;
        let layout = match wd.wait_until(
            "the layout settled",
            LAYOUT,
            json!([w, false]),
            Duration::from_secs(10),
        ) {
            Ok(v) => v,
            Err(e) => wd
                .exec(LAYOUT, json!([w, true]))
                .unwrap_or_else(|_| panic!("layout at {w} x {h}: {e}")),
        };
        let width = layout["width"].as_f64().expect("width");
        let right = layout["right"].as_f64().expect("right");
        assert!(right <= width, "{w} x {h}: next due is on screen: {layout}");
        assert_eq!(
            layout["cut"],
            json!([]),
            "{w} x {h}: nothing cut off: {layout}"
        );
    }
    std::thread::sleep(Duration::from_millis(500));
    save_png(
        "dashboard-960-en.png",
        &wd.screenshot().expect("screenshot"),
    );
}
