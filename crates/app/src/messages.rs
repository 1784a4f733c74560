//! The few texts Rust itself shows: desktop notification titles and bodies,
//! and the tray icon's tooltip.
//! Everything on screen is translated by the UI; notifications are raised
//! from Rust (the UI may not even be open), so they carry their own catalogue.

use crate::ports::Opens;
use crate::settings::Language;
use jiff::tz::TimeZone;
use redress_domain::planner::{Reminder, ReminderKind};
use redress_domain::sla::ClockKind;
use redress_local::{DashboardRow, HeaderCounts};

fn clock_name(lang: Language, kind: ClockKind) -> &'static str {
    match (lang, kind) {
        (Language::ZhCn, ClockKind::FirstResponse) => "首次响应",
        (Language::ZhCn, ClockKind::ProgressUpdate) => "进度同步",
        (Language::ZhCn, ClockKind::Resolution) => "处理时效",
        (Language::ZhCn, ClockKind::Approval) => "审批",
        (Language::ZhCn, ClockKind::Callback) => "回访",
        (Language::En, ClockKind::FirstResponse) => "first response",
        (Language::En, ClockKind::ProgressUpdate) => "progress update",
        (Language::En, ClockKind::Resolution) => "resolution",
        (Language::En, ClockKind::Approval) => "approval",
        (Language::En, ClockKind::Callback) => "callback",
    }
}

/// Title and body for one reminder about complaint `number` of `customer`.
/// Times are shown in `tz`, the desktop's zone.
pub fn reminder_text(
    lang: Language,
    tz: &TimeZone,
    r: &Reminder,
    number: &str,
    customer: &str,
) -> (String, String) {
    let clock = clock_name(lang, r.clock_kind);
    let title = match (lang, r.kind) {
        (Language::ZhCn, ReminderKind::ProgressDue) => format!("{number} 需要同步进度"),
        (Language::ZhCn, ReminderKind::SlaWarning) => format!("{number} {clock}即将超时"),
        (Language::ZhCn, ReminderKind::SlaBreach) => format!("{number} {clock}已超时"),
        (Language::ZhCn, ReminderKind::ApprovalWaiting) => format!("{number} 有补偿待审批"),
        (Language::ZhCn, ReminderKind::CallbackDue) => format!("{number} 需要回访"),
        (Language::En, ReminderKind::ProgressDue) => format!("{number}: progress update due"),
        (Language::En, ReminderKind::SlaWarning) => format!("{number}: {clock} due soon"),
        (Language::En, ReminderKind::SlaBreach) => format!("{number}: {clock} overdue"),
        (Language::En, ReminderKind::ApprovalWaiting) => {
            format!("{number}: remedy awaiting approval")
        }
        (Language::En, ReminderKind::CallbackDue) => format!("{number}: follow-up call due"),
    };
    let due = r
        .due_at
        .to_zoned(tz.clone())
        .strftime("%m-%d %H:%M")
        .to_string();
    let body = match lang {
        Language::ZhCn => format!("客户：{customer}；时限：{due}"),
        Language::En => format!("Customer: {customer}; due {due}"),
    };
    (title, body)
}

/// One notification standing for `count` reminders at once.
/// The label of a notification's click action (what opening it does).
pub fn open_label(lang: Language, opens: Opens) -> &'static str {
    match (lang, opens) {
        (Language::ZhCn, Opens::Complaint { .. }) => "打开投诉",
        (Language::ZhCn, Opens::Reminders) => "查看提醒",
        (Language::ZhCn, Opens::Dashboard) => "打开看板",
        (Language::ZhCn, Opens::Console) => "打开控制台",
        (Language::En, Opens::Complaint { .. }) => "Open complaint",
        (Language::En, Opens::Reminders) => "Open reminders",
        (Language::En, Opens::Dashboard) => "Open the dashboard",
        (Language::En, Opens::Console) => "Open console",
    }
}

/// One toast for several reminders about one complaint arriving together:
/// the most urgent one's title with a count, its body, then the others'
/// titles a line each.
pub fn grouped_text(lang: Language, first: (&str, &str), others: &[&str]) -> (String, String) {
    let (title, body) = first;
    let n = others.len();
    let title = match lang {
        Language::ZhCn => format!("{title}（另有 {n} 条）"),
        Language::En => format!("{title} (+{n} more)"),
    };
    let mut lines = vec![body.to_owned()];
    lines.extend(others.iter().map(|t| (*t).to_owned()));
    (title, lines.join("\n"))
}

pub fn summary_text(lang: Language, count: usize) -> (String, String) {
    match lang {
        Language::ZhCn => (
            format!("{count} 条提醒待处理"),
            "请打开提醒收件箱查看".to_owned(),
        ),
        Language::En => (
            format!("{count} reminders need you"),
            "Open the reminder inbox to see them".to_owned(),
        ),
    }
}

/// A repeat complaint escalated (the third from one customer on one issue).
pub fn escalation_text(
    lang: Language,
    number: &str,
    customer: &str,
    ordinal: u32,
) -> (String, String) {
    match lang {
        Language::ZhCn => (
            format!("{number} 重复投诉已升级"),
            format!("客户 {customer} 第 {ordinal} 次就同一问题投诉"),
        ),
        Language::En => (
            format!("{number}: repeat complaint escalated"),
            format!("{customer} has complained about this {ordinal} times"),
        ),
    }
}

/// One notification for a catch-up: the sync after being offline (or
/// closed) brought other people's changes to `count` complaints.
pub fn changed_offline_text(lang: Language, count: usize) -> (String, String) {
    match lang {
        Language::ZhCn => (
            format!("离线期间有 {count} 件投诉发生变化"),
            "已与服务器同步，请查看总览".to_owned(),
        ),
        Language::En => (
            format!("{count} complaints changed while you were offline"),
            "Synced with the server; see the dashboard".to_owned(),
        ),
    }
}

/// One notification after the server's database was restored from a
/// backup or replaced: this desktop sends again the `requeued` changes the
/// server lost and reloads everything from it.
pub fn started_over_text(lang: Language, requeued: usize) -> (String, String) {
    match lang {
        Language::ZhCn => (
            "服务器数据已从备份恢复".to_owned(),
            if requeued == 0 {
                "正在从服务器重新加载全部投诉".to_owned()
            } else {
                format!("正在重新发送服务器丢失的 {requeued} 项修改，并重新加载全部投诉")
            },
        ),
        Language::En => (
            "The server was restored from a backup".to_owned(),
            if requeued == 0 {
                "Reloading every complaint from the server".to_owned()
            } else {
                format!(
                    "Sending again the {requeued} changes the server lost, and reloading every complaint"
                )
            },
        ),
    }
}

/// One notification for server rules that cannot be used: the console
/// keeps deciding with the rules it had.
pub fn rules_invalid_text(lang: Language, reason: &str) -> (String, String) {
    match lang {
        Language::ZhCn => (
            "服务器规则无法使用，继续使用原有规则".to_owned(),
            reason.to_owned(),
        ),
        Language::En => (
            "The server's rules cannot be used; the previous rules stay".to_owned(),
            reason.to_owned(),
        ),
    }
}

/// The tray tooltip: what needs the supervisor now.
pub fn tray_text(lang: Language, c: &HeaderCounts) -> String {
    match lang {
        Language::ZhCn => format!(
            "Redress：{} 件已超时，{} 件即将超时，{} 件待审批，{} 条提醒",
            c.breached, c.at_risk, c.approvals_waiting, c.reminders
        ),
        Language::En => format!(
            "Redress: {} breached, {} at risk, {} approvals waiting, {} reminders",
            c.breached, c.at_risk, c.approvals_waiting, c.reminders
        ),
    }
}

/// A tray section's heading: breached or at risk, with how many.
pub fn tray_heading(lang: Language, breached: bool, count: u32) -> String {
    match (lang, breached) {
        (Language::ZhCn, true) => format!("已超时（{count}）"),
        (Language::ZhCn, false) => format!("即将超时（{count}）"),
        (Language::En, true) => format!("Breached ({count})"),
        (Language::En, false) => format!("At risk ({count})"),
    }
}

/// A complaint in the tray: number, customer, and the clock that is next.
pub fn tray_item(lang: Language, row: &DashboardRow) -> String {
    match row.next_due_kind {
        Some(kind) => format!(
            "{} · {} · {}",
            row.number,
            row.customer_name,
            clock_name(lang, kind)
        ),
        None => format!("{} · {}", row.number, row.customer_name),
    }
}

/// The tray entry for the complaints a section has no room for.
pub fn tray_more(lang: Language, more: u32) -> String {
    match lang {
        Language::ZhCn => format!("另有 {more} 件，打开看板"),
        Language::En => format!("{more} more: open the dashboard"),
    }
}

/// The tray's two commands: show the console, quit.
pub fn tray_verbs(lang: Language) -> (&'static str, &'static str) {
    match lang {
        Language::ZhCn => ("显示控制台", "退出"),
        Language::En => ("Show console", "Quit"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catch_up_is_one_notification_with_the_count() {
        assert_eq!(
            changed_offline_text(Language::En, 12).0,
            "12 complaints changed while you were offline"
        );
        assert_eq!(
            changed_offline_text(Language::ZhCn, 12).0,
            "离线期间有 12 件投诉发生变化"
        );
    }

    #[test]
    fn a_start_over_says_how_many_changes_go_again() {
        assert_eq!(
            started_over_text(Language::En, 3).1,
            "Sending again the 3 changes the server lost, and reloading every complaint"
        );
        assert_eq!(
            started_over_text(Language::ZhCn, 3).1,
            "正在重新发送服务器丢失的 3 项修改，并重新加载全部投诉"
        );
        assert_eq!(
            started_over_text(Language::En, 0).1,
            "Reloading every complaint from the server"
        );
    }

    #[test]
    fn tray_text_names_the_counts_in_both_languages() {
        let c = HeaderCounts {
            open: 9,
            at_risk: 2,
            breached: 3,
            approvals_waiting: 1,
            callbacks_due_24h: 0,
            reminders: 4,
        };
        assert_eq!(
            tray_text(Language::En, &c),
            "Redress: 3 breached, 2 at risk, 1 approvals waiting, 4 reminders"
        );
        assert_eq!(
            tray_text(Language::ZhCn, &c),
            "Redress：3 件已超时，2 件即将超时，1 件待审批，4 条提醒"
        );
    }
}
