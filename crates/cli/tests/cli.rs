//! Runs the built `redressctl` binary.
#![allow(clippy::unwrap_used)]

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Shanghai office: split shifts Monday to Friday, Saturday 10-16, two
/// October holidays, a working Sunday, a closed Tuesday.
const OFFICE: &str = r#"
timezone = "Asia/Shanghai"
holidays = ["2026-10-01", "2026-10-02"]

[hours]
mon = [["09:00", "12:00"], ["13:00", "18:00"]]
tue = [["09:00", "12:00"], ["13:00", "18:00"]]
wed = [["09:00", "12:00"], ["13:00", "18:00"]]
thu = [["09:00", "12:00"], ["13:00", "18:00"]]
fri = [["09:00", "12:00"], ["13:00", "18:00"]]
sat = [["10:00", "16:00"]]

[overrides]
"2026-09-27" = [["09:00", "18:00"]]
"2026-12-01" = []
"#;

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("redressctl-cli-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

/// A calendar file in its own temporary directory.
struct CalFile {
    path: PathBuf,
    _dir: TempDir,
}

impl Deref for CalFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

fn write_calendar(text: &str) -> CalFile {
    let dir = TempDir::new();
    let path = dir.join("cal.toml");
    std::fs::write(&path, text).unwrap();
    CalFile { path, _dir: dir }
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_redressctl"))
        .args(args)
        .output()
        .unwrap();
    Output {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn sla(cmd: &str, calendar: &Path, rest: &[&str]) -> Output {
    let mut args = vec!["sla", cmd, "--calendar", calendar.to_str().unwrap()];
    args.extend_from_slice(rest);
    run(&args)
}

/// Expects success with exactly `want` on stdout.
fn ok(out: Output, want: &str) {
    assert_eq!(out.stderr, "", "stderr");
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, format!("{want}\n"));
}

/// Expects a failure with one `error[code]: ...` line on stderr; returns it.
fn fails(out: Output, exit: i32, code: &str) -> String {
    assert_eq!(out.code, exit, "exit status; stderr: {}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.lines().count(), 1, "one line: {:?}", out.stderr);
    let prefix = format!("error[{code}]: ");
    assert!(
        out.stderr.starts_with(&prefix),
        "{:?} should start with {prefix:?}",
        out.stderr
    );
    out.stderr.trim_end().to_owned()
}

#[test]
fn add_forward() {
    let cal = write_calendar(OFFICE);
    let add = |start: &str, dur: &[&str]| {
        let mut rest = vec!["--start", start];
        rest.extend_from_slice(dur);
        sla("add", &cal, &rest)
    };
    ok(
        add("2026-11-23T09:00:00+08:00", &["--minutes", "60"]),
        "2026-11-23T10:00:00+08:00",
    );
    // Exactly used up at the end of the morning window, then one second more.
    ok(
        add("2026-11-23T09:00:00+08:00", &["--seconds", "10800"]),
        "2026-11-23T12:00:00+08:00",
    );
    ok(
        add("2026-11-23T09:00:00+08:00", &["--seconds", "10801"]),
        "2026-11-23T13:00:01+08:00",
    );
    // Printed in the calendar's offset whatever the input offset.
    ok(
        add("2026-11-23T01:00:00Z", &["--seconds", "0"]),
        "2026-11-23T09:00:00+08:00",
    );
    ok(
        add("2026-11-23T04:30:00Z", &["--seconds", "0"]),
        "2026-11-23T13:00:00+08:00",
    );
    // Fractional seconds only when present.
    ok(
        add("2026-11-23T09:00:00.25+08:00", &["--seconds", "60"]),
        "2026-11-23T09:01:00.25+08:00",
    );
    // Holidays (Thu, Fri), Saturday, a working Sunday, a closed Tuesday.
    ok(
        add("2026-09-30T17:00:00+08:00", &["--minutes", "120"]),
        "2026-10-03T11:00:00+08:00",
    );
    ok(
        add("2026-09-26T15:00:00+08:00", &["--minutes", "120"]),
        "2026-09-27T10:00:00+08:00",
    );
    ok(
        add("2026-11-30T17:00:00+08:00", &["--minutes", "120"]),
        "2026-12-02T10:00:00+08:00",
    );
}

#[test]
fn add_backward() {
    let cal = write_calendar(OFFICE);
    let back = |start: &str, dur: &[&str]| {
        let mut rest = vec!["--backward", "--start", start];
        rest.extend_from_slice(dur);
        sla("add", &cal, &rest)
    };
    ok(
        back("2026-11-23T14:00:00+08:00", &["--minutes", "120"]),
        "2026-11-23T11:00:00+08:00",
    );
    ok(
        back("2026-11-23T12:30:00+08:00", &["--seconds", "0"]),
        "2026-11-23T12:00:00+08:00",
    );
    ok(
        back("2026-11-30T10:00:00+08:00", &["--seconds", "7200"]),
        "2026-11-28T15:00:00+08:00",
    );
}

#[test]
fn add_with_pauses() {
    let cal = write_calendar(OFFICE);
    let overnight = "2026-11-23T17:00:00+08:00/2026-11-24T10:00:00+08:00";
    let start = ["--start", "2026-11-23T16:00:00+08:00", "--minutes", "180"];
    ok(
        sla("add", &cal, &[&start[..], &["--pause", overnight]].concat()),
        "2026-11-24T12:00:00+08:00",
    );
    // Overlapping pauses count once: 10:00-11:30 paused.
    let rest = [
        "--start",
        "2026-11-23T09:00:00+08:00",
        "--seconds",
        "10800",
        "--pause",
        "2026-11-23T10:30:00+08:00/2026-11-23T11:30:00+08:00",
        "--pause",
        "2026-11-23T02:00:00Z/2026-11-23T03:00:00Z",
    ];
    ok(sla("add", &cal, &rest), "2026-11-23T14:30:00+08:00");
    let back = [
        "--backward",
        "--start",
        "2026-11-24T12:00:00+08:00",
        "--minutes",
        "180",
        "--pause",
        overnight,
    ];
    ok(sla("add", &cal, &back), "2026-11-23T16:00:00+08:00");
}

#[test]
fn add_across_daylight_saving() {
    let cal =
        write_calendar("timezone = \"Europe/Berlin\"\n[hours]\nsun = [[\"02:00\", \"04:00\"]]\n");
    let start = "2026-03-29T00:00:00+01:00";
    ok(
        sla("add", &cal, &["--start", start, "--seconds", "0"]),
        "2026-03-29T03:00:00+02:00",
    );
    ok(
        sla("add", &cal, &["--start", start, "--seconds", "3600"]),
        "2026-03-29T04:00:00+02:00",
    );
    ok(
        sla(
            "between",
            &cal,
            &[
                "--start",
                "2026-03-28T00:00:00+01:00",
                "--end",
                "2026-03-30T00:00:00+02:00",
            ],
        ),
        "3600",
    );
}

#[test]
fn between() {
    let cal = write_calendar(OFFICE);
    let week = [
        "--start",
        "2026-11-23T00:00:00+08:00",
        "--end",
        "2026-11-30T00:00:00+08:00",
    ];
    ok(sla("between", &cal, &week), "165600");
    let lunch_and_morning = [
        "--pause",
        "2026-11-23T10:00:00+08:00/2026-11-23T11:00:00+08:00",
        "--pause",
        "2026-11-23T12:00:00+08:00/2026-11-23T13:00:00+08:00",
    ];
    ok(
        sla("between", &cal, &[&week[..], &lunch_and_morning].concat()),
        "162000",
    );
    let backward = [
        "--start",
        "2026-11-30T00:00:00+08:00",
        "--end",
        "2026-11-23T00:00:00+08:00",
    ];
    ok(sla("between", &cal, &backward), "0");
    ok(
        sla(
            "between",
            &cal,
            &[
                "--start",
                "2026-11-23T09:00:00+08:00",
                "--end",
                "2026-11-23T09:00:01.9+08:00",
            ],
        ),
        "1",
    );
}

fn bad_calendar(text: &str, code: &str) -> String {
    let cal = write_calendar(text);
    fails(
        sla(
            "add",
            &cal,
            &["--start", "2026-11-23T09:00:00Z", "--seconds", "60"],
        ),
        2,
        code,
    )
}

#[test]
fn bad_calendar_files() {
    let cal = write_calendar("timezone = \"Mars/Olympus\"\n");
    let line = fails(
        sla(
            "add",
            &cal,
            &["--start", "2026-11-23T09:00:00Z", "--seconds", "1"],
        ),
        2,
        "unknown_time_zone",
    );
    assert_eq!(
        line,
        format!(
            "error[unknown_time_zone]: calendar {}: unknown time zone \"Mars/Olympus\"",
            cal.display()
        )
    );
    let line = bad_calendar(
        "timezone = \"UTC\"\n[hours]\nmon = [[\"9:00\", \"12:00\"]]\n",
        "bad_time",
    );
    assert!(line.ends_with("bad time \"9:00\": expected HH:MM or HH:MM:SS from 00:00 to 23:59:59 (24:00 only as a window end)"));
    bad_calendar(
        "timezone = \"UTC\"\n[hours]\nmon = [[\"24:00\", \"24:00\"]]\n",
        "bad_time",
    );
    let line = bad_calendar(
        "timezone = \"UTC\"\nholidays = [\"2026-02-30\"]\n",
        "bad_date",
    );
    assert!(line.contains("\"2026-02-30\""), "{line}");
    let line = bad_calendar(
        "timezone = \"UTC\"\n[hours]\ntue = [[\"18:00\", \"09:00\"]]\n",
        "reversed_window",
    );
    assert!(line.contains("18:00-09:00 on tue"), "{line}");
    let line = bad_calendar(
        "timezone = \"UTC\"\n[overrides]\n\"2026-09-27\" = [[\"09:00\", \"12:00\"], [\"11:00\", \"13:00\"]]\n",
        "overlapping_windows",
    );
    assert!(line.contains("on 2026-09-27"), "{line}");
    let line = bad_calendar("timezone = \"UTC\"\nholiday = []\n", "invalid_calendar");
    assert!(
        line.contains("line 2, column 1: unknown field `holiday`"),
        "{line}"
    );
    let line = bad_calendar(
        "timezone = \"UTC\"\n[hours]\nmonday = []\n",
        "invalid_calendar",
    );
    assert!(line.contains("unknown field `monday`"), "{line}");
    let line = bad_calendar("holidays = []\n", "invalid_calendar");
    assert!(line.contains("missing field `timezone`"), "{line}");
    let line = bad_calendar(
        "timezone = \"UTC\"\n[hours]\nmon = [[\"09:00\", \"12:00\", \"13:00\"]]\n",
        "invalid_calendar",
    );
    assert!(line.contains("expected 2 times, found 3"), "{line}");
    let line = bad_calendar("timezone = \"UTC\n", "invalid_toml");
    assert!(line.contains("line 1"), "{line}");
    bad_calendar("timezone = \"UTC\"\ntimezone = \"UTC\"\n", "invalid_toml");
}

#[test]
fn unreadable_calendar_files() {
    let dir = TempDir::new();
    let missing = dir.join("missing.toml");
    let line = fails(
        sla(
            "add",
            &missing,
            &["--start", "2026-11-23T09:00:00Z", "--seconds", "1"],
        ),
        2,
        "unreadable_file",
    );
    assert!(line.starts_with(&format!(
        "error[unreadable_file]: calendar {}: cannot read file: ",
        missing.display()
    )));
    fails(
        sla(
            "between",
            &dir,
            &[
                "--start",
                "2026-11-23T09:00:00Z",
                "--end",
                "2026-11-24T09:00:00Z",
            ],
        ),
        2,
        "unreadable_file",
    );
}

#[test]
fn bad_arguments() {
    let cal = write_calendar(OFFICE);
    let add = |rest: &[&str]| sla("add", &cal, rest);
    let line = fails(
        add(&["--start", "tomorrow", "--seconds", "1"]),
        2,
        "bad_instant",
    );
    assert!(
        line.starts_with("error[bad_instant]: --start: malformed instant \"tomorrow\""),
        "{line}"
    );
    // An instant needs an offset, and looser ISO 8601 / Temporal forms are
    // not RFC 3339.
    for loose in [
        "2026-11-23T09:00:00",
        "2026-11-23T09:00Z",
        "20261123T090000Z",
        "2026-11-23 09:00:00Z",
        "2026-11-23T09:00:00+08:00[Asia/Tokyo]",
        "2026-11-23T09:00:00.Z",
        "2026-11-23T09:00:00+0800",
    ] {
        fails(add(&["--start", loose, "--seconds", "1"]), 2, "bad_instant");
    }
    // Fractions and lower-case separators are RFC 3339.
    let ok = add(&["--start", "2026-11-23t01:00:00.5z", "--seconds", "0"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let line = fails(
        sla(
            "between",
            &cal,
            &[
                "--start",
                "2026-11-23T09:00:00Z",
                "--end",
                "2026-11-31T09:00:00Z",
            ],
        ),
        2,
        "bad_instant",
    );
    assert!(line.contains("--end"), "{line}");
    let start = [
        "--start",
        "2026-11-23T09:00:00Z",
        "--seconds",
        "60",
        "--pause",
    ];
    for pause in [
        "2026-11-23T10:00:00Z",
        "2026-11-23T10:00:00Z/later",
        "soon/2026-11-23T11:00:00Z",
        "2026-11-23T11:00:00Z/2026-11-23T10:00:00Z",
    ] {
        let line = fails(add(&[&start[..], &[pause]].concat()), 2, "bad_pause");
        assert!(line.contains(pause), "{line}");
    }
    fails(
        add(&["--start", "2026-11-23T09:00:00Z", "--seconds", "-5"]),
        2,
        "negative_duration",
    );
    fails(
        add(&["--start", "2026-11-23T09:00:00Z", "--minutes", "-5"]),
        2,
        "negative_duration",
    );
    fails(
        add(&[
            "--start",
            "2026-11-23T09:00:00Z",
            "--minutes",
            "9223372036854775807",
        ]),
        2,
        "out_of_range",
    );
}

#[test]
fn usage_errors_exit_2() {
    let cal = write_calendar(OFFICE);
    let cal = cal.to_str().unwrap();
    for args in [
        &[
            "sla",
            "add",
            "--calendar",
            cal,
            "--start",
            "2026-11-23T09:00:00Z",
        ][..],
        &[
            "sla",
            "add",
            "--calendar",
            cal,
            "--start",
            "2026-11-23T09:00:00Z",
            "--seconds",
            "1",
            "--minutes",
            "1",
        ],
        &[
            "sla",
            "add",
            "--calendar",
            cal,
            "--start",
            "2026-11-23T09:00:00Z",
            "--seconds",
            "soon",
        ],
        &[
            "sla",
            "between",
            "--calendar",
            cal,
            "--start",
            "2026-11-23T09:00:00Z",
        ],
        &["sla", "frobnicate"],
    ] {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.starts_with("error[usage]: "), "{}", out.stderr);
        assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
    }
}

#[test]
fn no_working_time_exits_1() {
    let cal = write_calendar("timezone = \"UTC\"\n");
    let line = fails(
        sla(
            "add",
            &cal,
            &["--start", "2026-11-23T09:00:00Z", "--seconds", "1"],
        ),
        1,
        "no_working_time",
    );
    assert!(line.contains("no working time"), "{line}");
    ok(
        sla(
            "between",
            &cal,
            &[
                "--start",
                "2026-11-23T09:00:00Z",
                "--end",
                "2027-11-23T09:00:00Z",
            ],
        ),
        "0",
    );
}

#[test]
fn demo_seed_fills_an_empty_data_dir_once() {
    let dir = std::env::temp_dir().join(format!("redressctl-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let out = run(&["--data-dir", d, "demo", "seed", "--count", "40"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("seeded 47 complaints"),
        "{}",
        out.stdout
    );
    let store = redress_local::LocalStore::open_dir(&dir).unwrap();
    assert_eq!(store.read(|r| r.complaint_count()).unwrap(), 47);
    drop(store);
    // A second seed would mix demo data into real data: refused, nothing added.
    let again = run(&["--data-dir", d, "demo", "seed", "--count", "40"]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.starts_with("error[store_not_empty]: "),
        "{}",
        again.stderr
    );
    let store = redress_local::LocalStore::open_dir(&dir).unwrap();
    assert_eq!(store.read(|r| r.complaint_count()).unwrap(), 47);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn state_digest_fingerprints_the_confirmed_state() {
    let dir = std::env::temp_dir().join(format!("redressctl-digest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let empty = run(&["--data-dir", d, "state", "digest"]);
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    let empty = empty.stdout.trim().to_owned();
    assert_eq!(empty, redress_protocol::state_digest(&[]).unwrap());

    let out = run(&["--data-dir", d, "demo", "seed", "--count", "10"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = run(&["--data-dir", d, "state", "digest"]).stdout;
    let second = run(&["--data-dir", d, "state", "digest"]).stdout;
    assert_eq!(first, second, "stable");
    assert_ne!(first.trim(), empty, "the complaints count");
    assert!(
        first.trim().len() >= 16 && first.trim().chars().all(|c| c.is_ascii_hexdigit()),
        "{first}"
    );
    let store = redress_local::LocalStore::open_dir(&dir).unwrap();
    let mirror = store.read(|r| r.mirror_complaints()).unwrap();
    assert_eq!(
        first.trim(),
        redress_protocol::state_digest(&mirror).unwrap()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn admin_config_put_checks_the_whole_document_and_get_prints_it() {
    let dir = TempDir::new();
    let d = dir.to_str().unwrap();
    let put = |file: &Path| {
        run(&[
            "--data-dir",
            d,
            "admin",
            "config",
            "put",
            file.to_str().unwrap(),
        ])
    };
    let site = dir.join("site.toml");
    std::fs::write(
        &site,
        r#"
[[catalogs.departments]]
code = "billing"
names = { zh_cn = "计费结算中心", en = "Billing" }

[[catalogs.categories]]
code = "billing"
names = { zh_cn = "计费", en = "Billing" }
categories = [{ code = "billing.fee", names = { zh_cn = "收费争议", en = "Fee dispute" } }]
"#,
    )
    .unwrap();
    ok(
        put(&site),
        "site configuration stored: 1 departments, 1 categories in 1 groups",
    );
    let got = run(&["--data-dir", d, "admin", "config", "get"]);
    assert_eq!(got.code, 0, "{}", got.stderr);
    assert!(
        got.stdout.contains("zh_cn = \"收费争议\""),
        "{}",
        got.stdout
    );

    // Not a configuration, or one that does not check out: refused whole,
    // the stored one stays.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "colour = \"red\"\n").unwrap();
    let line = fails(put(&bad), 2, "invalid_rules");
    assert!(line.contains("colour"), "{line}");
    std::fs::write(
        &bad,
        "[[catalogs.departments]]\ncode = \"Sales Dept\"\nnames = { zh_cn = \"销售\", en = \" \" }\n",
    )
    .unwrap();
    let line = fails(put(&bad), 2, "validation_failed");
    assert!(line.contains("catalogs.departments[0].code"), "{line}");
    assert!(line.contains("catalogs.departments[0].names.en"), "{line}");
    let again = run(&["--data-dir", d, "admin", "config", "get"]);
    assert_eq!(again.stdout, got.stdout, "the stored configuration stays");

    // Recording follows it: a category outside the catalog is refused.
    let out = run(&[
        "--data-dir",
        d,
        "complaint",
        "add",
        "--category",
        "logistics.late",
    ]);
    let line = fails(out, 2, "validation_failed");
    assert!(line.contains("category"), "{line}");
    let out = run(&["--data-dir", d, "complaint", "add"]);
    assert_eq!(out.code, 0, "billing.fee is in the catalog: {}", out.stderr);
}

#[test]
fn demo_site_gives_an_unconfigured_directory_the_demo_catalogs_once() {
    let dir = TempDir::new();
    let d = dir.to_str().unwrap();
    let out = run(&["--data-dir", d, "demo", "site"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("demo site configuration stored"),
        "{}",
        out.stdout
    );
    let got = run(&["--data-dir", d, "admin", "config", "get"]).stdout;
    assert!(got.contains("zh_cn = \"计费结算中心\""), "{got}");
    assert!(got.contains("name = \"李娜\""), "{got}");
    // Never over a configuration it already has.
    let out = run(&["--data-dir", d, "demo", "site"]);
    assert!(
        out.stdout.contains("keeps its site configuration"),
        "{}",
        out.stdout
    );
}
