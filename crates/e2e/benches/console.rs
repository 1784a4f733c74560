//! How the real console behaves with a big local store: 50,000 complaints of
//! which 5,000 are open (the issue's target). Measures, through WebDriver on
//! the built debug console under Xvfb:
//!
//! - the dashboard command's round trip from the UI (IPC, SQLite, JSON of all
//!   5,000 open rows), p50 and max of 20 calls, next to the same command
//!   answering one row (the baseline: the bridge and the fixed cost), with
//!   the JSON's size and WebKit's share in parsing it;
//! - scrolling the virtualised dashboard list from top to bottom, one step per
//!   animation frame: frame intervals (p50, p95, max) and how many rows are in
//!   the DOM while 5,000 are listed;
//! - CPU used by the console's processes (the Rust process and its WebKit
//!   children) over 30 s: on the dashboard (countdowns ticking), on a screen
//!   without countdowns, and with an empty store.
//!
//! Run with `make bench-ui`; figures go to docs/performance.md.
//! `REDRESS_BENCH_IPC_ONLY=1` stops after the round trip, and
//! `REDRESS_E2E_APP` names another console binary (a release build).

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use redress_e2e::{Console, workspace_root};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A 50k store, seeded once and kept under target/ (seeding takes minutes).
fn big_store() -> PathBuf {
    let dir = target().join("bench-data/ui-50k");
    if !dir.join("redress.sqlite3").is_file() {
        let tmp = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&tmp);
        eprintln!("seeding 50,000 complaints (once)...");
        let status = std::process::Command::new(target().join("debug/redressctl"))
            .arg("--data-dir")
            .arg(&tmp)
            .args(["demo", "seed", "--count", "50000"])
            .status()
            .expect("run redressctl");
        assert!(status.success(), "demo seed failed");
        std::fs::rename(&tmp, &dir).expect("move the seeded store in place");
    }
    dir
}

/// Copies the store so the run does not change the cached one.
fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read store dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU ticks (user + system) of a process.
fn ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // Fields 14 and 15 of stat (utime, stime), counted after the name.
    n(11) + n(12)
}

fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// The console process and everything it started (WebKit's processes).
fn console_pids() -> Vec<u32> {
    let all: Vec<u32> = std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let root: Vec<u32> = all
        .iter()
        .copied()
        .filter(|p| {
            std::fs::read_link(format!("/proc/{p}/exe"))
                .is_ok_and(|e| e.file_name().is_some_and(|n| n == "redress-desktop"))
        })
        .collect();
    all.into_iter()
        .filter(|p| {
            let mut cur = Some(*p);
            for _ in 0..8 {
                match cur {
                    Some(c) if root.contains(&c) => return true,
                    Some(c) => cur = parent(c),
                    None => return false,
                }
            }
            false
        })
        .collect()
}

/// Percent of one core used by the console over `secs`.
fn cpu_percent(secs: u64) -> f64 {
    let pids = console_pids();
    assert!(!pids.is_empty(), "console processes not found");
    let hz = 100.0; // USER_HZ on Linux
    let before: u64 = pids.iter().map(|p| ticks(*p)).sum();
    std::thread::sleep(Duration::from_secs(secs));
    let after: u64 = pids.iter().map(|p| ticks(*p)).sum();
    (after.saturating_sub(before)) as f64 / hz / secs as f64 * 100.0
}

/// Times 20 `dashboard` calls with the given row limit (null: all open).
const IPC: &str = r#"
const [limit] = arguments;
const done = arguments[arguments.length - 1];
(async () => {
  const q = { states: [], owner: null, department: null, severities: [], kinds: [],
              breached_only: false, search: null, now: new Date().toISOString(), limit };
  const times = []; let rows = 0; let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const v = await window.__TAURI_INTERNALS__.invoke('dashboard', { query: q });
    times.push(performance.now() - t0); rows = v.lines.id.length;
  }
  const v = await window.__TAURI_INTERNALS__.invoke('dashboard', { query: q });
  const text = JSON.stringify(v);
  bytes = text.length;
  // The share of WebKit's JSON parser in the round trip.
  const parses = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    JSON.parse(text);
    parses.push(performance.now() - t0);
  }
  parses.sort((a, b) => a - b);
  done({ times, rows, bytes, parse: parses[2] });
})().catch((e) => done({ error: String(e) }));
"#;

/// p50 and max of an IPC timing run, and what it carried.
fn ipc_round_trip(wd: &redress_e2e::Session, limit: Option<u32>) -> (f64, f64, u64, u64, f64) {
    let ipc = wd.exec_async(IPC, json!([limit])).expect("ipc timing");
    assert!(ipc.get("error").is_none(), "ipc timing: {ipc}");
    let mut times: Vec<f64> = ipc["times"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    times.sort_by(f64::total_cmp);
    (
        percentile(&times, 0.5),
        times.last().copied().unwrap_or(f64::NAN),
        ipc["rows"].as_u64().unwrap_or(0),
        ipc["bytes"].as_u64().unwrap_or(0),
        ipc["parse"].as_f64().unwrap_or(f64::NAN),
    )
}

/// Scrolls the dashboard list by `step` pixels per animation frame, from the
/// top, for at most `frames` frames or until the end.
const SCROLL: &str = r#"
const [step, maxFrames] = arguments;
const done = arguments[arguments.length - 1];
const list = document.querySelector('[data-testid=dashboard-list]');
if (!list) { done({ error: 'no dashboard list' }); return; }
list.scrollTop = 0;
const frames = []; let last = performance.now(); let maxDom = 0;
function frame(t) {
  frames.push(t - last); last = t;
  maxDom = Math.max(maxDom, list.querySelectorAll('[data-testid=dashboard-row]').length);
  if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1 || frames.length > maxFrames) {
    done({ frames: frames.slice(1), maxDom, top: list.scrollTop });
    return;
  }
  list.scrollTop += step;
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
"#;

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    copy_store(&big_store(), &data);
    let t0 = Instant::now();
    let console = Console::launch(&data, "bench");
    let wd = &console.wd;
    wd.wait("[data-testid=dashboard-row]", Duration::from_secs(120))
        .expect("dashboard rows");
    println!(
        "start to first dashboard rows (50k store, 5k open): {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    // The baseline in the same run: the same command answering one row
    // (the bridge, the query's fixed cost, the header counts).
    let (p50, max, rows, bytes, _) = ipc_round_trip(wd, Some(1));
    println!(
        "dashboard command round trip, baseline of {rows} row: p50 {p50:.1} ms, max {max:.1} ms ({bytes} bytes of JSON)"
    );
    let (p50, max, rows, bytes, parse) = ipc_round_trip(wd, None);
    println!(
        "dashboard command round trip from the UI ({rows} rows): p50 {p50:.1} ms, max {max:.1} ms ({bytes} bytes of JSON, of which JSON.parse {parse:.1} ms)"
    );
    if std::env::var_os("REDRESS_BENCH_IPC_ONLY").is_some() {
        return;
    }

    let probe = wd
        .exec_async(
            "const done = arguments[arguments.length - 1]; let n = 0; const t0 = performance.now();
             function f() { n++; if (performance.now() - t0 < 1000) requestAnimationFrame(f); else done(n); }
             requestAnimationFrame(f); setTimeout(() => done('timeout ' + n), 5000);",
            json!([]),
        )
        .expect("raf probe");
    println!("animation frames in one second: {probe}");
    // What painting alone costs here: repaint the list's area every frame
    // (its background changes) without React doing anything.
    let repaint = wd
        .exec_async(
            "const done = arguments[arguments.length - 1];
             const list = document.querySelector('[data-testid=dashboard-list]');
             const frames = []; let last = performance.now(); let i = 0;
             function f(t) {
               frames.push(t - last); last = t; i++;
               list.style.background = i % 2 ? '#ffffff' : '#fefefe';
               if (frames.length < 120) requestAnimationFrame(f);
               else { list.style.background = ''; done(frames.slice(1)); }
             }
             requestAnimationFrame(f);",
            json!([]),
        )
        .expect("repaint probe");
    let mut repaint: Vec<f64> = repaint
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    repaint.sort_by(f64::total_cmp);
    println!(
        "repainting the list area every frame, no React work: frame p50 {:.1} ms, p95 {:.1} ms",
        percentile(&repaint, 0.5),
        percentile(&repaint, 0.95)
    );
    // A wheel-like scroll (3 rows a frame) and a fling (the whole list in
    // about 300 frames, some 17 new rows a frame).
    for (what, step) in [
        ("wheel, 120 px a frame", 120),
        ("fling, 670 px a frame", 670),
    ] {
        let scroll = wd.exec_async(SCROLL, json!([step, 300])).expect("scroll");
        if let Some(e) = scroll.get("error") {
            panic!("scroll: {e}");
        }
        let mut frames: Vec<f64> = scroll["frames"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        let n = frames.len();
        frames.sort_by(f64::total_cmp);
        println!(
            "scrolling the 5,000-row dashboard ({what}, {n} frames): frame p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; at most {} rows in the DOM",
            percentile(&frames, 0.5),
            percentile(&frames, 0.95),
            frames.last().copied().unwrap_or(f64::NAN),
            scroll["maxDom"]
        );
    }

    std::thread::sleep(Duration::from_secs(5));
    println!(
        "CPU on the dashboard, countdowns ticking (30 s): {:.1} % of one core",
        cpu_percent(30)
    );
    wd.click("[data-testid=nav-settings]").expect("settings");
    std::thread::sleep(Duration::from_secs(5));
    println!(
        "CPU on the settings screen, 50k store (30 s): {:.1} % of one core",
        cpu_percent(30)
    );
    drop(console);

    let empty = tmp.path().join("empty");
    let console = Console::launch(&empty, "bench-empty");
    std::thread::sleep(Duration::from_secs(5));
    println!(
        "CPU with an empty store, dashboard open (30 s): {:.1} % of one core",
        cpu_percent(30)
    );
    drop(console);
}
