//! Live change notification (sync design §7.4): after a push commits, every
//! open event stream is told the new high-water seq, and its client pulls.

use tokio::sync::broadcast;

/// Carries "the log now reaches seq N" from the pushing request to every
/// listener. The single-process SQLite server uses [`BroadcastHub`]; a
/// PostgreSQL deployment with several instances will implement this with
/// `LISTEN/NOTIFY`, re-broadcasting into a local hub.
pub trait ChangeNotifier: Send + Sync + std::fmt::Debug {
    /// Announces `high_water`. Called only after the commit.
    fn poke(&self, high_water: i64);

    /// A new listener. It may miss pokes when it falls far behind
    /// ([`broadcast::error::RecvError::Lagged`]); the next one it gets is newer.
    fn subscribe(&self) -> broadcast::Receiver<i64>;
}

/// An in-process [`ChangeNotifier`] on a `tokio::sync::broadcast` channel.
#[derive(Debug)]
pub struct BroadcastHub {
    sender: broadcast::Sender<i64>,
}

impl BroadcastHub {
    /// How many pokes a slow listener may fall behind before it lags.
    pub const CAPACITY: usize = 64;

    pub fn new() -> BroadcastHub {
        BroadcastHub {
            sender: broadcast::channel(Self::CAPACITY).0,
        }
    }
}

impl Default for BroadcastHub {
    fn default() -> Self {
        BroadcastHub::new()
    }
}

impl ChangeNotifier for BroadcastHub {
    fn poke(&self, high_water: i64) {
        // No listeners is not an error.
        let _ = self.sender.send(high_water);
    }

    fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.sender.subscribe()
    }
}
