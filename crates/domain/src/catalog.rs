//! The site's catalogs: the departments complaints are assigned to and the
//! complaint categories (two levels), each entry with a stable code, its
//! names in Chinese and English, whether it may be picked for new work, and
//! an optional external code for regulatory statistics (such as the JR/T
//! 0169-2018 complaint classification) or a product group.
//!
//! History keeps codes, never names, so renaming an entry renames it
//! everywhere, and an entry is disabled rather than deleted: complaints that
//! use it still show its name, but new complaints and assignments may not
//! pick it. An empty catalog checks nothing (any code is accepted, as before
//! catalogs existed).

use crate::error::{DomainError, FieldError};
use crate::model::{Channel, InvalidReason, RemedyKind};
use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// An entry's names, one per language the console speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Simplified Chinese (`zh-CN`).
    pub zh_cn: String,
    pub en: String,
}

/// One entry of a catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    /// The stable code history keeps (`billing`, `broadband.dropout`).
    pub code: String,
    pub names: Names,
    /// May be picked for new complaints and assignments.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// A code in an outside classification (regulatory statistics, a
    /// product group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub external_code: Option<String>,
    /// Only on a level-1 complaint category (`broadband`): its level-2
    /// categories (`broadband.dropout`), which are what a complaint is filed
    /// under. Their codes start with the group's code and a dot.
    #[serde(default)]
    pub categories: Vec<CatalogEntry>,
}

fn yes() -> bool {
    true
}

impl CatalogEntry {
    /// An enabled entry without an external code or sub-entries.
    pub fn new(code: &str, zh_cn: &str, en: &str) -> CatalogEntry {
        CatalogEntry {
            code: code.to_owned(),
            names: Names {
                zh_cn: zh_cn.to_owned(),
                en: en.to_owned(),
            },
            enabled: true,
            external_code: None,
            categories: Vec::new(),
        }
    }
}

/// Someone who works on complaints, as every screen names them: the user
/// name history keeps, and the display name shown instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The sign-in name (`agent.li`).
    pub user: String,
    /// How colleagues know them (`李娜`).
    pub name: String,
    /// The calendar of their working hours: outside it their reminders
    /// wait (quiet hours). The site's quiet calendar when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub calendar: Option<String>,
}

/// Every catalog of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Catalogs {
    #[serde(default)]
    pub departments: Vec<CatalogEntry>,
    /// Complaint categories: level-1 entries with their level-2 ones.
    #[serde(default)]
    pub categories: Vec<CatalogEntry>,
    /// The display names of the people who work here.
    #[serde(default)]
    pub people: Vec<Person>,
    /// The channels complaints arrive by, named by the site (codes are the
    /// wire names: `phone`, `online_chat`, ...). Left out: every channel,
    /// named by the console.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<CatalogEntry>>", optional))]
    pub channels: Vec<CatalogEntry>,
    /// The remedy types in use (`refund`, `voucher`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<CatalogEntry>>", optional))]
    pub remedy_kinds: Vec<CatalogEntry>,
    /// The reasons a complaint may be judged not valid (`duplicate`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<CatalogEntry>>", optional))]
    pub invalid_reasons: Vec<CatalogEntry>,
}

/// Which catalog a code is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogKind {
    Department,
    Category,
    Channel,
    RemedyKind,
    InvalidReason,
}

impl CatalogKind {
    fn field(self) -> &'static str {
        match self {
            CatalogKind::Department => "department",
            CatalogKind::Category => "category",
            CatalogKind::Channel => "channel",
            CatalogKind::RemedyKind => "kind",
            CatalogKind::InvalidReason => "reason",
        }
    }
}

impl Catalogs {
    pub fn is_empty(&self) -> bool {
        self.departments.is_empty()
            && self.categories.is_empty()
            && self.people.is_empty()
            && self.channels.is_empty()
            && self.remedy_kinds.is_empty()
            && self.invalid_reasons.is_empty()
    }

    /// A flat catalog (departments and the enumerations).
    fn flat(&self, kind: CatalogKind) -> &[CatalogEntry] {
        match kind {
            CatalogKind::Department => &self.departments,
            CatalogKind::Category => &self.categories,
            CatalogKind::Channel => &self.channels,
            CatalogKind::RemedyKind => &self.remedy_kinds,
            CatalogKind::InvalidReason => &self.invalid_reasons,
        }
    }

    /// Every level-2 category.
    pub fn leaf_categories(&self) -> impl Iterator<Item = &CatalogEntry> {
        self.categories.iter().flat_map(|g| g.categories.iter())
    }

    /// The entry of `code`, if the catalog has it (level-1 categories
    /// included).
    pub fn entry(&self, kind: CatalogKind, code: &str) -> Option<&CatalogEntry> {
        match kind {
            CatalogKind::Category => self
                .categories
                .iter()
                .flat_map(|g| std::iter::once(g).chain(g.categories.iter()))
                .find(|e| e.code == code),
            flat => self.flat(flat).iter().find(|e| e.code == code),
        }
    }

    /// Whether `code` may be picked for new work: an enabled entry (for
    /// categories an enabled level-2 entry under an enabled group), or any
    /// code while that catalog is empty. The error names the field.
    pub fn check_pick(&self, kind: CatalogKind, code: &str) -> Result<(), DomainError> {
        let (empty, usable) = match kind {
            CatalogKind::Category => (
                self.categories.is_empty(),
                self.categories.iter().find_map(|g| {
                    g.categories
                        .iter()
                        .find(|e| e.code == code)
                        .map(|e| e.enabled && g.enabled)
                }),
            ),
            flat => {
                let list = self.flat(flat);
                (
                    list.is_empty(),
                    list.iter().find(|e| e.code == code).map(|e| e.enabled),
                )
            }
        };
        match (empty, usable) {
            (true, _) | (false, Some(true)) => Ok(()),
            (false, Some(false)) => Err(DomainError::invalid(
                kind.field(),
                format!("{code} is disabled in the catalog"),
            )),
            (false, None) => Err(DomainError::invalid(
                kind.field(),
                format!("{code} is not in the catalog"),
            )),
        }
    }

    /// The catalogs as an admin may write them: codes unique and well
    /// formed, every entry named in both languages, and level-2 categories
    /// under their group's code.
    pub fn check(&self) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, e) in self.departments.iter().enumerate() {
            let at = format!("catalogs.departments[{i}]");
            check_entry(&at, e, &mut seen, &mut errors);
            if !e.categories.is_empty() {
                errors.push(FieldError {
                    field: format!("{at}.categories"),
                    message: "only complaint categories have sub-entries".to_owned(),
                });
            }
        }
        let mut seen = BTreeSet::new();
        for (i, g) in self.categories.iter().enumerate() {
            let at = format!("catalogs.categories[{i}]");
            check_entry(&at, g, &mut seen, &mut errors);
            if g.code.contains('.') {
                errors.push(FieldError {
                    field: format!("{at}.code"),
                    message: "a level-1 code has no dot".to_owned(),
                });
            }
            for (j, e) in g.categories.iter().enumerate() {
                let at = format!("{at}.categories[{j}]");
                check_entry(&at, e, &mut seen, &mut errors);
                if !e.categories.is_empty() {
                    errors.push(FieldError {
                        field: format!("{at}.categories"),
                        message: "categories have two levels".to_owned(),
                    });
                }
                let under = e
                    .code
                    .strip_prefix(&g.code)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'));
                if !under {
                    errors.push(FieldError {
                        field: format!("{at}.code"),
                        message: format!("must be {}.<code>", g.code),
                    });
                }
            }
        }
        let mut users = BTreeSet::new();
        for (i, p) in self.people.iter().enumerate() {
            let at = format!("catalogs.people[{i}]");
            if let Err(e) = text::check("user", &p.user, text::USER_NAME) {
                errors.push(FieldError {
                    field: format!("{at}.user"),
                    message: e.to_string(),
                });
            } else if p.user.trim().is_empty() {
                errors.push(FieldError {
                    field: format!("{at}.user"),
                    message: "must not be empty".to_owned(),
                });
            } else if !users.insert(p.user.clone()) {
                errors.push(FieldError {
                    field: format!("{at}.user"),
                    message: format!("{} appears twice", p.user),
                });
            }
            check_name(&format!("{at}.name"), &p.name, &mut errors);
        }
        let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        let kinds: Vec<&str> = RemedyKind::ALL.iter().map(|k| k.as_str()).collect();
        let reasons: Vec<&str> = InvalidReason::ALL.iter().map(|r| r.as_str()).collect();
        for (name, list, known) in [
            ("channels", &self.channels, &channels),
            ("remedy_kinds", &self.remedy_kinds, &kinds),
            ("invalid_reasons", &self.invalid_reasons, &reasons),
        ] {
            let mut seen = BTreeSet::new();
            for (i, e) in list.iter().enumerate() {
                let at = format!("catalogs.{name}[{i}]");
                check_entry(&at, e, &mut seen, &mut errors);
                if !known.contains(&e.code.as_str()) {
                    errors.push(FieldError {
                        field: format!("{at}.code"),
                        message: format!("{} is not one of {}", e.code, known.join(", ")),
                    });
                }
                if !e.categories.is_empty() {
                    errors.push(FieldError {
                        field: format!("{at}.categories"),
                        message: "only complaint categories have sub-entries".to_owned(),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::ValidationFailed(errors))
        }
    }
}

/// The longest name of an entry (characters).
pub const MAX_NAME: usize = 100;

/// A name: not blank, one line of at most [`MAX_NAME`] characters.
fn check_name(field: &str, name: &str, errors: &mut Vec<FieldError>) {
    let limit = text::TextLimit {
        max_chars: MAX_NAME,
        multiline: false,
    };
    let message = if name.trim().is_empty() {
        "must not be empty".to_owned()
    } else if let Err(e) = text::check(field, name, limit) {
        e.to_string()
    } else {
        return;
    };
    errors.push(FieldError {
        field: field.to_owned(),
        message,
    });
}

fn check_entry(
    at: &str,
    e: &CatalogEntry,
    seen: &mut BTreeSet<String>,
    errors: &mut Vec<FieldError>,
) {
    let fail = |errors: &mut Vec<FieldError>, field: &str, message: String| {
        errors.push(FieldError {
            field: format!("{at}.{field}"),
            message,
        });
    };
    let code_ok = !e.code.is_empty()
        && e.code.len() <= text::CODE.max_chars
        && e.code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
    if !code_ok {
        fail(
            errors,
            "code",
            format!(
                "1 to {} of a-z, 0-9, '_', '-' and '.'",
                text::CODE.max_chars
            ),
        );
    } else if !seen.insert(e.code.clone()) {
        fail(errors, "code", format!("{} appears twice", e.code));
    }
    for (lang, name) in [("zh_cn", &e.names.zh_cn), ("en", &e.names.en)] {
        check_name(&format!("{at}.names.{lang}"), name, errors);
    }
    if let Some(x) = &e.external_code
        && let Err(err) = text::check("external_code", x, text::CODE)
    {
        fail(errors, "external_code", err.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, zh: &str, en: &str) -> CatalogEntry {
        CatalogEntry::new(code, zh, en)
    }

    fn site() -> Catalogs {
        let mut dropout = entry("broadband.dropout", "宽带掉线", "Broadband drops");
        dropout.external_code = Some("JR-0169-04".to_owned());
        let mut old = entry("broadband.dialup", "拨号上网", "Dial-up");
        old.enabled = false;
        Catalogs {
            departments: vec![entry("billing", "计费结算中心", "Billing")],
            people: vec![Person {
                user: "agent.li".to_owned(),
                name: "李娜".to_owned(),
                calendar: None,
            }],
            categories: vec![CatalogEntry {
                categories: vec![dropout, old],
                ..entry("broadband", "宽带", "Broadband")
            }],
            ..Catalogs::default()
        }
    }

    #[test]
    fn a_pick_must_be_an_enabled_entry_once_a_catalog_has_entries() {
        let c = site();
        assert!(c.check().is_ok());
        assert!(
            c.check_pick(CatalogKind::Category, "broadband.dropout")
                .is_ok()
        );
        let err = |kind, code| c.check_pick(kind, code).expect_err(code).to_string();
        assert!(err(CatalogKind::Category, "broadband.dialup").contains("disabled"));
        assert!(err(CatalogKind::Category, "broadband").contains("not in the catalog"));
        assert!(err(CatalogKind::Department, "quality").contains("not in the catalog"));
        assert!(c.check_pick(CatalogKind::Department, "billing").is_ok());
        // An empty catalog takes any code.
        let none = Catalogs::default();
        assert!(none.check_pick(CatalogKind::Category, "any.thing").is_ok());
        // A disabled group disables its categories.
        let mut off = site();
        off.categories[0].enabled = false;
        assert!(
            off.check_pick(CatalogKind::Category, "broadband.dropout")
                .is_err()
        );
        // Names are found for disabled entries too (history shows them).
        assert_eq!(
            c.entry(CatalogKind::Category, "broadband.dialup")
                .map(|e| e.names.en.as_str()),
            Some("Dial-up")
        );
    }

    #[test]
    fn bad_catalogs_are_refused_with_every_field() {
        let mut c = site();
        c.departments.push(entry("billing", "重复", "Again"));
        c.departments.push(entry("Sales Dept", "销售", "Sales"));
        c.categories[0]
            .categories
            .push(entry("mobile.signal", "信号", "Signal"));
        c.categories[0].categories[0].names.en = " ".to_owned();
        c.people.push(Person {
            user: "agent.li".to_owned(),
            name: "又一个".to_owned(),
            calendar: None,
        });
        let DomainError::ValidationFailed(fields) = c.check().expect_err("bad") else {
            panic!("validation_failed");
        };
        let fields: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "catalogs.departments[1].code",
                "catalogs.departments[2].code",
                "catalogs.categories[0].categories[0].names.en",
                "catalogs.categories[0].categories[2].code",
                "catalogs.people[1].user",
            ]
        );
    }

    #[test]
    fn catalogs_read_from_toml() {
        let text = r#"
            [[people]]
            user = "agent.li"
            name = "李娜"

            [[departments]]
            code = "billing"
            names = { zh_cn = "计费结算中心", en = "Billing" }

            [[categories]]
            code = "broadband"
            names = { zh_cn = "宽带", en = "Broadband" }
            categories = [
              { code = "broadband.dropout", names = { zh_cn = "宽带掉线", en = "Broadband drops" }, external_code = "JR-0169-04" },
              { code = "broadband.dialup", names = { zh_cn = "拨号上网", en = "Dial-up" }, enabled = false },
            ]
        "#;
        let read: Catalogs = toml::from_str(text).expect("catalogs");
        assert_eq!(read, site());
        let json = serde_json::to_value(&read).expect("json");
        assert_eq!(
            serde_json::from_value::<Catalogs>(json).expect("back"),
            read
        );
    }

    #[test]
    fn enumerated_catalogs_name_known_codes_and_limit_new_picks() {
        let mut c = Catalogs {
            channels: vec![entry("phone", "客服热线", "Hotline")],
            remedy_kinds: vec![entry("refund", "退款", "Refund"), {
                let mut e = entry("voucher", "代金券", "Voucher");
                e.enabled = false;
                e
            }],
            ..Catalogs::default()
        };
        c.check().expect("known codes");
        assert!(c.check_pick(CatalogKind::Channel, "phone").is_ok());
        assert!(
            c.check_pick(CatalogKind::Channel, "email").is_err(),
            "not listed"
        );
        assert!(
            c.check_pick(CatalogKind::RemedyKind, "voucher").is_err(),
            "not in use"
        );
        assert!(
            c.check_pick(CatalogKind::InvalidReason, "duplicate")
                .is_ok(),
            "no catalog: any"
        );
        c.invalid_reasons.push(entry("fax", "传真", "Fax"));
        let DomainError::ValidationFailed(fields) = c.check().expect_err("unknown code") else {
            panic!("validation_failed");
        };
        assert_eq!(fields[0].field, "catalogs.invalid_reasons[0].code");
    }
}
