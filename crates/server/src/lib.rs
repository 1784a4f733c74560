//! The shared Redress server: the authoritative store of complaint state and
//! the sync push/pull algorithm (sync design §7).
//!
//! [`ServerStore`] is the storage seam. Its methods are synchronous, and the
//! HTTP layer (still to come) calls them from `spawn_blocking`. Every pushed
//! mutation is decided by `redress-domain` with the server's clock and rules
//! and settled in a transaction of its own. [`SqliteStore`] is the one
//! implementation today. The `conformance` feature exports the test suite
//! every implementation must pass.
#![forbid(unsafe_code)]

mod error;
mod sqlite;
mod store;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::StoreError;
pub use sqlite::{SqliteStore, StoreOptions};
pub use store::{MAX_PULL_LIMIT, ServerStore, StoredComplaint};
