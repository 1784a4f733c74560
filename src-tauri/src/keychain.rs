//! The session token in the OS keychain (Keychain on macOS, Credential
//! Manager on Windows, the Secret Service over D-Bus on Linux), through the
//! `keyring` crate: the console's [`TokenVault`]. Where no keychain answers
//! (no Secret Service on the session bus, as under the tests' private bus)
//! the app keeps the token in the local store's settings instead and says so
//! in Settings.

use keyring::Entry;
use redress_app::TokenVault;

/// The keychain's service name: the app identifier.
const SERVICE: &str = "com.redress.console";

/// The OS keychain; one entry per data directory, named by its device id.
#[derive(Debug, Clone, Copy, Default)]
pub struct Keychain;

fn entry(account: &str) -> Result<Entry, String> {
    Entry::new(SERVICE, account).map_err(|e| e.to_string())
}

impl TokenVault for Keychain {
    /// Stores `token` and reads it back; `Err` when no keychain keeps it.
    fn save(&self, account: &str, token: &str) -> Result<(), String> {
        if std::env::var_os("REDRESS_NO_KEYCHAIN").is_some_and(|v| !v.is_empty()) {
            return Err("the keychain is switched off (REDRESS_NO_KEYCHAIN)".to_owned());
        }
        let e = entry(account)?;
        e.set_password(token).map_err(|e| e.to_string())?;
        match e.get_password() {
            Ok(back) if back == token => Ok(()),
            Ok(_) => {
                let _ = e.delete_credential();
                Err("the keychain returned another secret".to_owned())
            }
            Err(err) => {
                let _ = e.delete_credential();
                Err(err.to_string())
            }
        }
    }

    fn load(&self, account: &str) -> Result<String, String> {
        entry(account)?.get_password().map_err(|e| e.to_string())
    }

    fn delete(&self, account: &str) {
        if let Ok(e) = entry(account) {
            let _ = e.delete_credential();
        }
    }
}
