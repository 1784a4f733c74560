//! The desktop's sync engine (sync design §8).
//!
//! Local commands leave two things behind in one transaction: the new state
//! in the overlay and the intent in the outbox (`redress-local`). This engine
//! carries the intents to the shared server and the server's answer back:
//!
//! - **push** sends pending outbox rows in `client_seq` order, in batches, and
//!   records each result (applied or rejected) on its row. A transport failure
//!   leaves the rows pending; the next push sends the same ones again, and the
//!   server answers replays from its log, so nothing is applied twice.
//! - **pull** reads the server's change log after the local cursor, page by
//!   page, and writes each complaint's state into the mirror, then **rebases**
//!   in the same transaction: complaints whose intents are all answered lose
//!   their overlay (the server's state stands), and intents still pending are
//!   replayed on top of the server's state, so the screen shows the server's
//!   truth plus what this desktop has not sent yet.
//!
//! The network is behind [`Transport`], so tests can drop, delay or repeat
//! requests and answers; [`HttpTransport`] is the real one, talking to the
//! server's HTTP API (with [`login`] and [`logout`] for its sessions).
//!
//! [`LiveSync`] runs the engine in the background the way the desktop does:
//! on start, on every local change ([`LiveSync::nudge`]), on every poke of
//! the server's event stream ([`EventStream`]) and periodically, retrying an
//! unreachable server with jittered [`Backoff`].
#![forbid(unsafe_code)]

pub mod backoff;
pub mod endpoint;
mod engine;
pub mod events;
mod http;
pub mod live;
pub mod rules;

pub use backoff::Backoff;
pub use endpoint::{EndpointError, ServerEndpoint};
pub use engine::{EpochCheck, PullReport, PushReport, StartOver, SyncEngine, SyncError};
pub use events::EventStream;
pub use http::{
    CONNECT_TIMEOUT, HttpTransport, REQUEST_TIMEOUT, ServerMeta, Session, api_base, login,
    login_to, logout, logout_from,
};
pub use live::{LiveConfig, LiveEvent, LiveStatus, LiveSync};
pub use rules::{RulesUpdate, SharedRules, current_rules, refresh_rules, shared_rules};

use redress_protocol::{ErrorCode, PullResponse, PushRequest, PushResponse, ResultsResponse};

/// Why the server could not be asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer (network down, timeout, server restarting): try again later
    /// with the same request.
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// The server answered with a refusal that waiting will not fix
    /// (`unauthorized`, `protocol_mismatch`, ...): stop and tell the user.
    #[error("server refused the request: {code}: {message}")]
    Refused { code: ErrorCode, message: String },
}

/// The way to the shared server.
pub trait Transport: Send + Sync {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    fn pull(&self, after: i64, limit: u32) -> Result<PullResponse, TransportError>;

    /// The stored results of this device's intents from `client_seq` `from`
    /// on (`GET /sync/results`), for when a push answer was lost. Transports
    /// that cannot ask answer `Unreachable`.
    fn results(&self, from: u64, limit: u32) -> Result<ResultsResponse, TransportError> {
        let _ = (from, limit);
        Err(TransportError::Unreachable(
            "this transport cannot fetch stored results".to_owned(),
        ))
    }
}
