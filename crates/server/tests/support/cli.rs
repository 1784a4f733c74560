//! The built `redress-server` binary, run from a test: one-shot commands
//! with their output and exit status, and `serve` on a free port.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary, without the settings a developer's environment may hold.
pub fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_redress-server"));
    command
        .env_remove("REDRESS_DB")
        .env_remove("REDRESS_LISTEN")
        .env_remove("REDRESS_RULES")
        .env_remove("REDRESS_TIME_ZONE");
    command
}

/// Runs the binary with `args`, `stdin` as its input, and captures stdout,
/// stderr and the exit status.
pub fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    // A command refused early exits without reading: ignore a broken pipe.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait for the binary")
}

/// Exit status 2 and exactly one line `error[code]: ...` on stderr.
pub fn assert_input_error(output: &Output, code: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error[{code}]: ")), "{stderr}");
}

/// A path as a command-line argument.
pub fn db_arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// Starts `serve` (given its arguments and environment in `command`, which
/// should listen on `127.0.0.1:0`) with an info-level log on stderr, and
/// returns the child and the address its log announced. `each_line` sees
/// every log line up to that one. The rest of the log is drained in the
/// background so the server never blocks on a full pipe.
pub fn serve(command: Command, each_line: impl Fn(&str)) -> (Child, String) {
    let (child, addr, log) = start_serving(command, each_line);
    std::thread::spawn(move || for _ in log.lines() {});
    (child, addr)
}

/// Starts `serve` with an info-level log on stderr and reads the log up to
/// the line announcing the bound address (each line to `each_line`); the
/// child, the address and the rest of the log.
fn start_serving(
    mut command: Command,
    each_line: impl Fn(&str),
) -> (Child, String, BufReader<std::process::ChildStderr>) {
    let mut child = command
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut log = BufReader::new(child.stderr.take().expect("stderr"));
    let addr = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).expect("read the log") > 0,
            "the server ended before serving"
        );
        each_line(&line);
        if let Some(rest) = line.split("local=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .expect("an address")
                .to_owned();
        }
    };
    (child, addr, log)
}

/// `serve --db db` on a free port: the child and its address.
pub fn serve_db(db: &str) -> (Child, String) {
    let mut command = bin();
    command.args(["serve", "--db", db, "--listen", "127.0.0.1:0"]);
    serve(command, |_| {})
}

/// Sends SIGTERM and waits (at most 10 s) for the server to exit.
pub fn terminate(child: &mut Child) -> ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(exit) = child.try_wait().expect("poll the server") {
            return exit;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Like [`serve`], but the rest of the log after the address line comes
/// back through the receiver, one line at a time, instead of being
/// drained.
pub fn serve_logged(command: Command) -> (Child, String, std::sync::mpsc::Receiver<String>) {
    let (child, addr, log) = start_serving(command, |_| {});
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in log.lines() {
            let Ok(line) = line else { break };
            // Once nobody listens, the lines are drained all the same.
            let _ = tx.send(line);
        }
    });
    (child, addr, rx)
}
