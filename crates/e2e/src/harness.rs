//! Launching the built console under tauri-driver, and listening for its
//! desktop notifications on the session bus.

use crate::webdriver::Session;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where the tests leave what they produce (screenshots, logs).
pub fn output_dir() -> PathBuf {
    let dir = target_dir().join("e2e");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn require_env(name: &str, hint: &str) {
    if std::env::var_os(name).is_none_or(|v| v.is_empty()) {
        panic!("{name} is not set: {hint} (run the end-to-end tests with `make e2e`)");
    }
}

/// The console binary: `REDRESS_E2E_APP`, else the debug build.
fn app_binary() -> PathBuf {
    let app = std::env::var_os("REDRESS_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/redress-desktop"));
    assert!(
        app.is_file(),
        "the console is not built at {} (run `make e2e`, which builds it)",
        app.display()
    );
    app
}

/// tauri-driver: `TAURI_DRIVER`, else on PATH, else in cargo's bin directory.
fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("tauri-driver"))
            .find(|p| p.is_file())
    });
    let in_cargo = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|c| c.join("bin/tauri-driver"));
    on_path
        .or(in_cargo.filter(|p| p.is_file()))
        .unwrap_or_else(|| panic!("tauri-driver not found (make e2e installs it)"))
}

/// The two ports of one tauri-driver: its WebDriver port (`--port`) and the
/// native driver's behind it (`--native-port`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverPorts {
    pub port: u16,
    pub native: u16,
}

impl DriverPorts {
    /// Two distinct ports free now.
    pub fn free() -> DriverPorts {
        let port = free_port();
        let native = loop {
            let p = free_port();
            if p != port {
                break p;
            }
        };
        DriverPorts { port, native }
    }
}

/// A loopback port free now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn wait_port(port: u16, timeout: Duration) -> bool {
    let end = Instant::now() + timeout;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    while Instant::now() < end {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// A running console window with its own data directory.
#[derive(Debug)]
pub struct Console {
    pub wd: Session,
    driver: Child,
    pub data_dir: PathBuf,
    /// The console asked who is at the keyboard when it started (a fresh
    /// standalone data directory), and the harness answered.
    pub asked_who: bool,
}

impl Console {
    /// Starts the console on `data_dir` and waits until its UI is up.
    pub fn launch(data_dir: &Path, log_name: &str) -> Console {
        Console::launch_with(data_dir, log_name, DriverPorts::free())
    }

    /// Starts the console on `data_dir` through a tauri-driver on `ports`
    /// (several consoles at once each need their own driver and ports).
    pub fn launch_with(data_dir: &Path, log_name: &str, ports: DriverPorts) -> Console {
        require_env("DISPLAY", "the console needs an X display (Xvfb)");
        require_env(
            "DBUS_SESSION_BUS_ADDRESS",
            "the console needs a D-Bus session bus (dbus-run-session)",
        );
        let app = app_binary();
        let DriverPorts { port, native } = ports;
        let log_path = output_dir().join(format!("{log_name}.driver.log"));
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", log_path.display()));
        let log2 = log
            .try_clone()
            .unwrap_or_else(|e| panic!("cannot share the log file: {e}"));
        // The application inherits tauri-driver's environment.
        let driver = Command::new(tauri_driver())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("REDRESS_DATA_DIR", data_dir)
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tauri-driver: {e}"));
        let mut console_driver = DriverGuard(Some(driver));
        assert!(
            wait_port(port, Duration::from_secs(30)) && wait_port(native, Duration::from_secs(30)),
            "tauri-driver did not listen on ports {port} and {native}; see {}",
            log_path.display()
        );
        let wd = Session::start(&format!("http://127.0.0.1:{port}"), &app.to_string_lossy())
            .unwrap_or_else(|e| panic!("no WebDriver session: {e}; see {}", log_path.display()));
        let mut console = Console {
            wd,
            driver: console_driver.take(),
            data_dir: data_dir.to_owned(),
            asked_who: false,
        };
        console
            .wd
            .wait(
                "[data-testid=nav-dashboard], [data-testid=whoami-form]",
                Duration::from_secs(60),
            )
            .unwrap_or_else(|e| panic!("the console did not show its navigation: {e}"));
        if !console
            .wd
            .find_all("[data-testid=whoami-form]")
            .unwrap_or_default()
            .is_empty()
        {
            console.answer_who_am_i("sup.zhang", "张主管", "supervisor");
        }
        console
            .wd
            .wait("[data-testid=nav-dashboard]", Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("the console did not show its navigation: {e}"));
        console
    }

    /// Answers a fresh console's "who is at this console?" (the tests then
    /// start as the supervisor a demo shows, unless they say otherwise).
    fn answer_who_am_i(&mut self, user: &str, name: &str, role: &str) {
        let wd = &self.wd;
        wd.type_into("[data-testid=whoami-name]", name)
            .expect("name");
        wd.type_into("[data-testid=whoami-user]", user)
            .expect("user");
        wd.set_value("[data-testid=whoami-role]", role)
            .expect("role");
        wd.click("[data-testid=whoami-start]").expect("start");
        self.asked_who = true;
    }
}

/// Kills tauri-driver if launching fails half-way.
struct DriverGuard(Option<Child>);

impl DriverGuard {
    fn take(&mut self) -> Child {
        self.0.take().unwrap_or_else(|| unreachable!("taken once"))
    }
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(c) = self.0.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.wd.quit();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Runs the built `redressctl` with `args` and returns what it printed;
/// panics when it fails.
pub fn redressctl(args: &[&str]) -> String {
    let bin = target_dir().join("debug/redressctl");
    assert!(
        bin.is_file(),
        "redressctl is not built at {} (run `make e2e`, which builds it)",
        bin.display()
    );
    let out = Command::new(&bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "redressctl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The sync server binary: `REDRESS_E2E_SERVER`, else the debug build.
fn server_binary() -> PathBuf {
    let bin = std::env::var_os("REDRESS_E2E_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/redress-server"));
    assert!(
        bin.is_file(),
        "the server is not built at {} (run `make e2e`, which builds it)",
        bin.display()
    );
    bin
}

/// A real `redress-server` on a loopback port with its own SQLite database.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub url: String,
    pub db: PathBuf,
}

impl Server {
    /// Creates the database in `dir`, adds `users` (name, role, password)
    /// and serves on a free loopback port until dropped.
    pub fn start(dir: &Path, users: &[(&str, &str, &str)]) -> Server {
        let bin = server_binary();
        let db = dir.join("server.sqlite3");
        for (name, role, password) in users {
            let mut add = Command::new(&bin)
                .args([
                    "user",
                    "add",
                    name,
                    "--role",
                    role,
                    "--password-stdin",
                    "--db",
                ])
                .arg(&db)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
            if let Some(mut stdin) = add.stdin.take() {
                use std::io::Write as _;
                writeln!(stdin, "{password}").unwrap_or_else(|e| panic!("password: {e}"));
            }
            let status = add.wait().unwrap_or_else(|e| panic!("user add: {e}"));
            assert!(status.success(), "redress-server user add {name} failed");
        }
        let port = free_port();
        let log_path = output_dir().join("server.log");
        let log = std::fs::File::create(&log_path)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", log_path.display()));
        let child = Command::new(&bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--db"])
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut server = Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            db,
        };
        if !wait_port(port, Duration::from_secs(30)) {
            let _ = server.child.kill();
            panic!(
                "redress-server did not listen on {port}; see {}",
                log_path.display()
            );
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The console's tray menu on the session bus, read and clicked the way a
/// desktop's status area does (through `tray.py`: StatusNotifierItem and
/// com.canonical.dbusmenu).
#[derive(Debug, Clone, Copy, Default)]
pub struct TrayMenu;

impl TrayMenu {
    fn run(args: &[&str]) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tray.py");
        let out = Command::new("/usr/bin/python3")
            .arg(&script)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run tray.py: {e}"));
        assert!(
            out.status.success(),
            "tray.py {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The menu's entries (`id`, `label`, `enabled`, `separator`), or
    /// `None` while no tray item is on the bus.
    pub fn entries(&self) -> Option<Vec<Value>> {
        serde_json::from_str::<Option<Vec<Value>>>(Self::run(&["layout"]).trim())
            .unwrap_or_else(|e| panic!("tray.py layout: {e}"))
    }

    /// The labels, in order (an empty list while there is no tray).
    pub fn labels(&self) -> Vec<String> {
        self.entries()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e["label"].as_str().map(str::to_owned))
            .collect()
    }

    /// Waits until some labels satisfy `ok`; the last labels seen otherwise.
    pub fn wait(
        &self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>, String> {
        let end = Instant::now() + timeout;
        loop {
            let labels = self.labels();
            if ok(&labels) {
                return Ok(labels);
            }
            if Instant::now() > end {
                return Err(format!(
                    "{what}: not within {timeout:?}; the tray shows {labels:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Clicks the first entry whose label starts with `prefix`.
    pub fn click(&self, prefix: &str) {
        let entries = self.entries().unwrap_or_default();
        let entry = entries
            .iter()
            .find(|e| e["label"].as_str().is_some_and(|l| l.starts_with(prefix)))
            .unwrap_or_else(|| panic!("no tray entry starting {prefix:?} in {entries:?}"));
        let id = entry["id"].as_i64().expect("an id").to_string();
        Self::run(&["click", &id]);
    }
}

/// A notification server on the session bus that records every `Notify`.
#[derive(Debug)]
pub struct Notifications {
    server: Child,
    log: PathBuf,
}

impl Notifications {
    /// Takes the org.freedesktop.Notifications name on the current bus.
    pub fn listen(dir: &Path) -> Notifications {
        require_env(
            "DBUS_SESSION_BUS_ADDRESS",
            "the notification server needs a session bus (dbus-run-session)",
        );
        let log = dir.join("notify.jsonl");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fake_notifyd.py");
        // Debian's interpreter, where python3-dbus and python3-gi are installed
        // (another python3 may come first on PATH).
        let mut server = Command::new("/usr/bin/python3")
            .arg(&script)
            .arg(&log)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the notification server: {e}"));
        let mut first = String::new();
        if let Some(out) = server.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut first);
        }
        if first.trim() != "ready" {
            let _ = server.kill();
            panic!(
                "the notification server did not start (python3-dbus and python3-gi needed; \
                 another server may own the name)"
            );
        }
        Notifications { server, log }
    }

    /// Clicks notification `id` on action `key` (`default` is a click on the
    /// notification itself): the server emits `ActionInvoked`.
    pub fn invoke(&self, id: u64, key: &str) {
        let status = Command::new("dbus-send")
            .args([
                "--session",
                "--type=method_call",
                "--print-reply",
                "--dest=org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "org.redress.E2e.Invoke",
                &format!("uint32:{id}"),
                &format!("string:{key}"),
            ])
            .stdout(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run dbus-send: {e}"));
        assert!(status.success(), "dbus-send Invoke failed");
    }

    /// Every Notify call so far: objects with `id`, `replaces`, `app`,
    /// `summary`, `body`, `actions` (key, label, ...) and `urgency` (0 low,
    /// 1 normal, 2 critical).
    pub fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits for a notification whose summary is `summary`.
    pub fn wait_for(&self, summary: &str, timeout: Duration) -> Option<Value> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(n) = self
                .received()
                .into_iter()
                .find(|n| n["summary"].as_str() == Some(summary))
            {
                return Some(n);
            }
            if Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Notifications {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
