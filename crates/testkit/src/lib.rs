//! Test and demo support for Redress.
//!
//! - [`clock::FakeClock`]: a shareable clock that only moves when told to, for
//!   tests of anything that asks "what time is it?".
//! - [`rng::SplitMix64`]: a tiny deterministic PRNG, so generated data depends
//!   on a seed and nothing else.
//! - [`demo`]: realistic demo complaints (the five examples of the domain
//!   description plus any number of generated ones), each driven through the
//!   real rulebook so that every complaint is in a state the console could
//!   have reached itself.
//!
//! Nothing here reads the system clock, the network or the file system.
#![forbid(unsafe_code)]

pub mod clock;
pub mod demo;
pub mod rng;

pub use clock::FakeClock;
pub use demo::{DemoOptions, demo_complaints};
pub use rng::SplitMix64;
