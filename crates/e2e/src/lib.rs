//! End-to-end test support: a small W3C WebDriver client and a harness that
//! launches the built console through tauri-driver (which drives
//! WebKitWebDriver, the WebKitGTK driver) with its own data directory.
//!
//! The tests need a display (Xvfb) and a D-Bus session bus; `make e2e` runs
//! them under `xvfb-run` and `dbus-run-session`. They fail, never skip, when
//! something they need is missing.
#![forbid(unsafe_code)]

pub mod harness;
pub mod webdriver;

pub use harness::{
    Console, DriverPorts, Notifications, Server, TrayMenu, free_port, output_dir, redressctl,
    workspace_root,
};
pub use webdriver::{Session, WdError};
