//! What the tray icon's menu shows: the counts, then the breached and the
//! at-risk complaints (soonest due first), each opening its complaint. The
//! shell only renders it; what is listed and how it reads is decided here.

use crate::App;
use crate::error::AppResult;
use crate::messages::{tray_heading, tray_item, tray_more, tray_text, tray_verbs};
use crate::ports::Opens;
use redress_local::{DashboardQuery, DashboardRow};

/// How many complaints each section lists; the rest are one "more" entry
/// that opens the dashboard.
pub const TRAY_SECTION_LIMIT: usize = 8;

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayEntry {
    pub label: String,
    /// `None` for a heading (shown, not clickable).
    pub opens: Option<Opens>,
}

/// The whole menu, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    /// The counts (also the icon's tooltip).
    pub status: String,
    /// How many complaints are breached (the icon's title, when any).
    pub breached: u32,
    /// Headings and complaints, in order; empty when nothing is at risk.
    pub entries: Vec<TrayEntry>,
    /// "Show console" and "Quit".
    pub show: String,
    pub quit: String,
}

impl App {
    /// The tray menu as of now.
    pub fn tray_menu(&self) -> AppResult<TrayMenu> {
        let lang = self.settings()?.language;
        let now = self.now();
        let limit = u32::try_from(TRAY_SECTION_LIMIT + 1).unwrap_or(u32::MAX);
        let (counts, breached, at_risk) = self.store.read(|r| {
            let q = DashboardQuery {
                now,
                limit: Some(limit),
                ..DashboardQuery::default()
            };
            let breached = r.dashboard(&DashboardQuery {
                breached_only: true,
                ..q.clone()
            })?;
            let at_risk = r.dashboard(&DashboardQuery {
                at_risk_only: true,
                ..q
            })?;
            Ok::<_, crate::AppError>((r.header_counts(now)?, breached, at_risk))
        })?;
        let mut entries = Vec::new();
        let mut section = |breach: bool, total: u32, rows: &[DashboardRow]| {
            if rows.is_empty() {
                return;
            }
            entries.push(TrayEntry {
                label: tray_heading(lang, breach, total),
                opens: None,
            });
            for row in rows.iter().take(TRAY_SECTION_LIMIT) {
                entries.push(TrayEntry {
                    label: tray_item(lang, row),
                    opens: Some(Opens::Complaint { id: row.id }),
                });
            }
            let shown = u32::try_from(rows.len().min(TRAY_SECTION_LIMIT)).unwrap_or(u32::MAX);
            if total > shown {
                entries.push(TrayEntry {
                    label: tray_more(lang, total - shown),
                    opens: Some(Opens::Dashboard),
                });
            }
        };
        section(true, counts.breached, &breached);
        section(false, counts.at_risk, &at_risk);
        let (show, quit) = tray_verbs(lang);
        Ok(TrayMenu {
            status: tray_text(lang, &counts),
            breached: counts.breached,
            entries,
            show: show.to_owned(),
            quit: quit.to_owned(),
        })
    }
}
