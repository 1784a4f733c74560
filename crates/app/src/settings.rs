//! The console's own settings: who is at the keyboard (until server sign-in
//! exists), the language, and which reminders become desktop notifications.

use redress_domain::ids::UserId;
use redress_domain::model::{Actor, Role};
use redress_domain::planner::ReminderKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NotifyPrefs {
    pub progress_due: bool,
    pub sla_warning: bool,
    pub sla_breach: bool,
    pub approval_waiting: bool,
    pub callback_due: bool,
    /// More reminders than this at once become one summary notification.
    pub summary_over: u32,
}

impl Default for NotifyPrefs {
    fn default() -> Self {
        NotifyPrefs {
            progress_due: true,
            sla_warning: true,
            sla_breach: true,
            approval_waiting: true,
            callback_due: true,
            summary_over: 5,
        }
    }
}

impl NotifyPrefs {
    pub fn wants(&self, kind: ReminderKind) -> bool {
        match kind {
            ReminderKind::ProgressDue => self.progress_due,
            ReminderKind::SlaWarning => self.sla_warning,
            ReminderKind::SlaBreach => self.sla_breach,
            ReminderKind::ApprovalWaiting => self.approval_waiting,
            ReminderKind::CallbackDue => self.callback_due,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    pub user: UserId,
    pub display_name: String,
    pub role: Role,
    /// A personal approval limit in minor units overriding the role's.
    #[serde(default)]
    pub approval_limit_minor: Option<i64>,
    pub language: Language,
    #[serde(default)]
    pub notify: NotifyPrefs,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            user: UserId::new("sup.zhang"),
            display_name: "张主管".to_owned(),
            role: Role::Supervisor,
            approval_limit_minor: None,
            language: Language::ZhCn,
            notify: NotifyPrefs::default(),
        }
    }
}

impl Settings {
    /// The acting user as the rulebook sees them.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.clone(),
            role: self.role,
            approval_limit_minor: self.approval_limit_minor,
        }
    }
}

/// One change of role on a standalone console, kept so that who gave
/// themselves which authority, and when, can be seen later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RoleChange {
    pub at: jiff::Timestamp,
    pub user: UserId,
    pub from: Role,
    pub to: Role,
}

impl RoleChange {
    /// The most changes kept (the oldest go first).
    pub const KEPT: usize = 200;
}

/// Who the console says is at the keyboard, and where that comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct IdentityStatus {
    /// A fresh standalone console: nobody has said who they are yet. The
    /// console asks once, before anything else.
    pub first_run: bool,
    /// Linked to a server: user, role and limit come from the server only.
    pub from_server: bool,
    /// Role changes on this console, the latest first.
    pub role_changes: Vec<RoleChange>,
}
