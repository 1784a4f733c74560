//! How long `GET /rules` takes while the server is busy with pushes: four
//! devices push batches of 100 mutations back to back over HTTP, and one
//! client asks for the rules 2,000 times; the percentiles are printed next
//! to the same requests on an idle server, measured in the same run.
//!
//! `cargo bench -p redress-server --bench latency` (with
//! `scripts/with-postgres.sh` in front, PostgreSQL is measured too);
//! figures are in docs/performance.md ("Reads during pushes").
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use common::{HttpFixture, backends, batch, check};
use redress_sync::{HttpTransport, Transport};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Requests measured per condition.
const REQUESTS: usize = 2_000;

fn main() {
    for backend in backends() {
        let fixture = HttpFixture::start(backend);
        // A desk of its own, signed in as one of the pushing users.
        let (user, _) = &fixture.devices[0];
        let desk = redress_protocol::DeviceId(uuid::Uuid::now_v7());
        let session = redress_sync::login(
            &fixture.url,
            user.actor.user.as_str(),
            redress_server::testing::PASSWORD,
            desk,
            "reader",
        )
        .unwrap();
        let rules = HttpTransport::new(&fixture.url, &session.token, desk);
        let idle = measure(&rules);
        let pushing = AtomicBool::new(true);
        let pushed = AtomicU64::new(0);
        let busy = std::thread::scope(|scope| {
            for (device, transport) in &fixture.devices {
                scope.spawn(|| {
                    while pushing.load(Ordering::Relaxed) {
                        let request = device.request(batch(&device.actor.user));
                        check(&transport.push(&request).unwrap());
                        pushed.fetch_add(100, Ordering::Relaxed);
                    }
                });
            }
            // Let the pushes get going first.
            std::thread::sleep(Duration::from_millis(200));
            let started = Instant::now();
            let before = pushed.load(Ordering::Relaxed);
            let busy = measure(&rules);
            let rate =
                (pushed.load(Ordering::Relaxed) - before) as f64 / started.elapsed().as_secs_f64();
            pushing.store(false, Ordering::Relaxed);
            (busy, rate)
        });
        println!("{backend}: GET /rules, {REQUESTS} requests each");
        println!("  idle:            {}", summary(&idle));
        println!(
            "  during pushes:   {}  ({:.0} mutations/s pushed meanwhile)",
            summary(&busy.0),
            busy.1
        );
    }
}

/// The latency of each of [`REQUESTS`] rules requests, sorted.
fn measure(transport: &HttpTransport) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..REQUESTS)
        .map(|_| {
            let started = Instant::now();
            transport.rules().unwrap();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn summary(sorted: &[Duration]) -> String {
    let at = |q: f64| sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)];
    format!(
        "p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        sorted[sorted.len() - 1].as_secs_f64() * 1e3
    )
}
