//! The server's rules on the desktop.
//!
//! A desktop linked to a server decides its provisional state with the
//! server's rules (`GET /rules`), not its built-in ones: the rules document
//! and its digest are kept in the local store's settings under
//! `keys::SERVER_RULES` and `keys::SERVER_RULES_DIGEST`, fetched at sign-in and
//! again whenever [`LiveSync`](crate::LiveSync) (re)connects and the
//! server's digest differs from the stored one.
//!
//! The console's `App` and the sync engine share one [`SharedRules`]
//! handle: whoever replaces the rules replaces them for both, so the screen
//! and the rebase can never decide with different rules.

use crate::TransportError;
use crate::engine::SyncError;
use crate::http::HttpTransport;
use redress_domain::Rules;
use redress_local::LocalStore;
use redress_local::keys;
use redress_protocol::ErrorCode;
use std::sync::{Arc, PoisonError, RwLock};

/// The rules a desktop decides with, shared by its `App` and sync engine.
pub type SharedRules = Arc<RwLock<Arc<Rules>>>;

/// A new shared handle on `rules`.
pub fn shared_rules(rules: Rules) -> SharedRules {
    Arc::new(RwLock::new(Arc::new(rules)))
}

/// The rules in `shared` now.
pub fn current_rules(shared: &SharedRules) -> Arc<Rules> {
    Arc::clone(&shared.read().unwrap_or_else(PoisonError::into_inner))
}

/// What [`refresh_rules`] found.
#[derive(Debug, Clone)]
pub enum RulesUpdate {
    /// The stored rules are the server's (or the server serves none).
    Unchanged,
    /// The server's rules changed; they are stored now.
    Changed { digest: String, rules: Arc<Rules> },
    /// The server's document does not check out here: nothing was stored,
    /// the previous rules stay.
    Invalid { digest: String, message: String },
}

/// The stored digest, if any.
pub fn stored_digest(store: &LocalStore) -> Result<Option<String>, SyncError> {
    Ok(store.read(|r| r.get_setting::<String>(&keys::SERVER_RULES_DIGEST))?)
}

/// Fetches the server's rules and stores them when their digest differs
/// from the stored one. A server without `GET /rules` (`404`) leaves the
/// stored rules as they are.
pub fn refresh_rules(http: &HttpTransport, store: &LocalStore) -> Result<RulesUpdate, SyncError> {
    let answer = match http.rules() {
        Ok(answer) => answer,
        Err(TransportError::Refused {
            code: ErrorCode::NotFound,
            ..
        }) => {
            return Ok(RulesUpdate::Unchanged);
        }
        Err(e) => return Err(e.into()),
    };
    if stored_digest(store)?.as_deref() == Some(answer.digest.as_str()) {
        return Ok(RulesUpdate::Unchanged);
    }
    let rules = match answer.document.to_rules() {
        Ok(rules) => rules,
        Err(e) => {
            return Ok(RulesUpdate::Invalid {
                digest: answer.digest,
                message: format!("the server's rules cannot be used here: {e}"),
            });
        }
    };
    store.write(|tx| {
        tx.set_setting(&keys::SERVER_RULES, &answer.document)?;
        tx.set_setting(&keys::SERVER_RULES_DIGEST, &answer.digest)
    })?;
    Ok(RulesUpdate::Changed {
        digest: answer.digest,
        rules: Arc::new(rules),
    })
}
