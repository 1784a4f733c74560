//! Repeat complaints: the same customer complaining again about the same
//! issue (a broadband line that keeps dropping, three calls) is linked to the
//! earlier complaints and, from the policy's `escalate_at` on, escalated.
//!
//! A customer is recognised by the customer id when the complaint has one and
//! by the normalised phone otherwise; an issue is the complaint's category.
//! Keys are compared normalised, so trivial variants still link: customer
//! ids and categories are trimmed, case-folded, with full-width forms read
//! as their ASCII ones and inner white space dropped (`" c-42 "`, `"C-42"`
//! and `"Ｃ－４２"` are one customer), and phones are normalised (see
//! [`crate::phone`]).

use crate::complaint::Complaint;
use crate::ids::{CategoryCode, ComplaintId};
use crate::model::Customer;
use crate::phone::normalize_phone;
use crate::rules::RepeatPolicy;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What repeat detection needs to know about one complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RepeatProbe {
    pub complaint: ComplaintId,
    /// `id:<customer id>` or `tel:<normalised phone>`; see [`RepeatProbe::customer_key`].
    pub customer_key: String,
    pub category: CategoryCode,
    pub received_at: Timestamp,
}

impl RepeatProbe {
    pub fn of(complaint: &Complaint) -> RepeatProbe {
        RepeatProbe {
            complaint: complaint.id,
            customer_key: RepeatProbe::customer_key(&complaint.customer),
            category: complaint.category.clone(),
            received_at: complaint.received_at,
        }
    }

    /// The key one customer is recognised by: `id:` and the normalised
    /// customer id when there is one, else `tel:` and the normalised phone
    /// (as stored on a recorded complaint, E.164; a phone that does not
    /// normalise is used as written, trimmed).
    pub fn customer_key(customer: &Customer) -> String {
        let id = customer
            .customer_id
            .as_deref()
            .map(normalize_key)
            .filter(|id| !id.is_empty());
        match id {
            Some(id) => format!("id:{id}"),
            None => {
                // Stored phones are already E.164 (recording normalises
                // them): those skip the parser, which would cost on every
                // projection for nothing. Anything else is normalised
                // (without a site country) or used as written, trimmed.
                let compact: String = customer
                    .phone
                    .chars()
                    .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
                    .collect();
                let e164 = compact
                    .strip_prefix('+')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                let phone = if e164 {
                    compact
                } else {
                    normalize_phone(&customer.phone, None)
                        .unwrap_or_else(|| customer.phone.trim().to_owned())
                };
                format!("tel:{phone}")
            }
        }
    }
}

/// A code as compared for repeats: full-width forms as ASCII, white space
/// dropped, lower case.
pub fn normalize_key(raw: &str) -> String {
    raw.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A full-width form (U+FF01–U+FF5E) as its ASCII character; others as they are.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// How a complaint repeats earlier ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RepeatLink {
    /// 2 for the second complaint in the window, 3 for the third, ...
    pub ordinal: u32,
    /// The earlier complaints, oldest first.
    pub linked: Vec<ComplaintId>,
    /// The ordinal reached the policy's `escalate_at`: severity was raised and
    /// supervisors alerted.
    pub escalated: bool,
}

/// Links `new` to the `prior` complaints of the same customer and category
/// received within `policy.window_days` before it (inclusive of both ends).
/// Returns `None` when nothing links, i.e. this is not a repeat.
pub fn detect(
    new: &RepeatProbe,
    prior: &[RepeatProbe],
    policy: &RepeatPolicy,
) -> Option<RepeatLink> {
    let window = SignedDuration::from_secs(policy.window_days.max(0).saturating_mul(86_400));
    let since = new
        .received_at
        .saturating_sub(window)
        .unwrap_or(Timestamp::MIN);
    let category = normalize_key(new.category.as_str());
    let mut linked: Vec<&RepeatProbe> = prior
        .iter()
        .filter(|p| {
            p.complaint != new.complaint
                && p.customer_key == new.customer_key
                && normalize_key(p.category.as_str()) == category
                && p.received_at >= since
                && p.received_at <= new.received_at
        })
        .collect();
    if linked.is_empty() {
        return None;
    }
    linked.sort_by_key(|p| (p.received_at, p.complaint));
    let mut seen = BTreeSet::new();
    linked.retain(|p| seen.insert(p.complaint));
    let ordinal = u32::try_from(linked.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    Some(RepeatLink {
        ordinal,
        linked: linked.into_iter().map(|p| p.complaint).collect(),
        escalated: ordinal >= policy.escalate_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn probe(n: u128, key: &str, category: &str, at: &str) -> RepeatProbe {
        RepeatProbe {
            complaint: ComplaintId(Uuid::from_u128(n)),
            customer_key: key.to_owned(),
            category: CategoryCode::new(category),
            received_at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    #[test]
    fn links_same_customer_and_category_within_the_window() {
        let policy = RepeatPolicy::default();
        let new = probe(
            9,
            "tel:+8613800138000",
            "broadband.dropout",
            "2026-11-30T10:00:00Z",
        );
        let prior = [
            probe(
                2,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-11-20T10:00:00Z",
            ),
            probe(
                1,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-11-01T10:00:00Z",
            ),
            probe(
                3,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-10-31T09:59:59Z",
            ),
            probe(4, "tel:+8613800138000", "billing", "2026-11-25T10:00:00Z"),
            probe(
                5,
                "tel:+8613900000000",
                "broadband.dropout",
                "2026-11-25T10:00:00Z",
            ),
            probe(
                6,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-12-01T10:00:00Z",
            ),
            probe(
                9,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-11-30T10:00:00Z",
            ),
            probe(
                2,
                "tel:+8613800138000",
                "broadband.dropout",
                "2026-11-20T10:00:00Z",
            ),
        ];
        let link = detect(&new, &prior, &policy);
        assert_eq!(
            link,
            Some(RepeatLink {
                ordinal: 3,
                linked: vec![
                    ComplaintId(Uuid::from_u128(1)),
                    ComplaintId(Uuid::from_u128(2))
                ],
                escalated: true,
            })
        );
        assert_eq!(detect(&new, &prior[2..7], &policy), None);
        let second = detect(&new, &prior[..1], &policy);
        assert_eq!(second.map(|l| (l.ordinal, l.escalated)), Some((2, false)));
    }

    #[test]
    fn customer_id_wins_over_phone() {
        let mut c = Customer {
            name: "Wang".into(),
            phone: "+8613800138000".into(),
            customer_id: Some(" C-42 ".into()),
        };
        assert_eq!(RepeatProbe::customer_key(&c), "id:c-42");
        c.customer_id = Some("  ".into());
        assert_eq!(RepeatProbe::customer_key(&c), "tel:+8613800138000");
    }

    #[test]
    fn trivial_variants_of_a_key_are_one_key() {
        let key = |id: Option<&str>, phone: &str| {
            RepeatProbe::customer_key(&Customer {
                name: "Wang".into(),
                phone: phone.into(),
                customer_id: id.map(str::to_owned),
            })
        };
        let one = key(Some("C-42"), "+8613800138000");
        for id in [" c-42 ", "C-42\t", "Ｃ－４２", "c - 42"] {
            assert_eq!(key(Some(id), "+8613800138000"), one, "{id:?}");
        }
        assert_ne!(key(Some("C-43"), "+8613800138000"), one);
        let tel = key(None, "+8613800138000");
        for phone in [
            " +86 138 0013 8000 ",
            "+86-138-0013-8000",
            "0086 13800138000",
        ] {
            assert_eq!(key(None, phone), tel, "{phone:?}");
        }
        // Categories compare the same way.
        let policy = RepeatPolicy::default();
        let new = probe(9, &tel, " Broadband.Dropout ", "2026-11-30T10:00:00Z");
        let prior = [probe(1, &tel, "broadband.dropout", "2026-11-20T10:00:00Z")];
        assert_eq!(detect(&new, &prior, &policy).map(|l| l.ordinal), Some(2));
    }
}
