//! Every key of the local `settings` table, in one place.
//!
//! [`Reader::get_setting`](crate::Reader::get_setting) and
//! [`WriteTx::set_setting`](crate::WriteTx::set_setting) take a
//! [`SettingKey`], which only this module makes: a key cannot be typed as
//! a string somewhere else, so two crates cannot spell the same key twice
//! (or one key two ways). Each constant says what its value holds.

use redress_domain::ids::UserId;
use std::borrow::Cow;
use std::fmt;

/// The name of one setting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SettingKey(Cow<'static, str>);

impl SettingKey {
    const fn fixed(name: &'static str) -> SettingKey {
        SettingKey(Cow::Borrowed(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The console's settings (`redress_app::Settings`: acting user, role,
/// language, notification choices).
pub const CONSOLE: SettingKey = SettingKey::fixed("console");

/// Every change of role made at this console (`Vec<redress_app::RoleChange>`).
pub const ROLE_CHANGES: SettingKey = SettingKey::fixed("role_changes");

/// The server this data directory is linked to (`redress_app::ServerLink`,
/// also read and written by `redressctl login`).
pub const SERVER_LINK: SettingKey = SettingKey::fixed("server");

/// The server's rules document as of the last sync (`RulesDocument`).
pub const SERVER_RULES: SettingKey = SettingKey::fixed("server.rules");

/// A standalone console's own site configuration (`RulesDocument`): its
/// catalogs, calendars and policies while it works without a server.
pub const LOCAL_RULES: SettingKey = SettingKey::fixed("site.rules");

/// The digest of [`SERVER_RULES`] (a string), to ask the server for newer
/// ones only.
pub const SERVER_RULES_DIGEST: SettingKey = SettingKey::fixed("server.rules_digest");

/// The server's epoch at the last sync (a string); a different one means
/// the server's database was restored and this store starts over.
pub const SERVER_EPOCH: SettingKey = SettingKey::fixed("sync.server_epoch");

/// The outbox rows whose sync issue was dismissed (`BTreeSet<i64>`).
pub const SYNC_ISSUES_DISMISSED: SettingKey = SettingKey::fixed("sync_issues_dismissed");

/// One user's saved dashboard views (`Vec<redress_app::SavedView>`).
pub fn saved_views(user: &UserId) -> SettingKey {
    SettingKey(Cow::Owned(format!("dashboard_views:{}", user.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_distinct() {
        let fixed = [
            &CONSOLE,
            &ROLE_CHANGES,
            &SERVER_LINK,
            &SERVER_RULES,
            &SERVER_RULES_DIGEST,
            &SERVER_EPOCH,
            &SYNC_ISSUES_DISMISSED,
        ];
        let mut names: Vec<&str> = fixed.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), fixed.len(), "{names:?}");
        let views = saved_views(&UserId::new("li"));
        assert_eq!(views.as_str(), "dashboard_views:li");
        assert!(fixed.iter().all(|k| **k != views));
    }
}
