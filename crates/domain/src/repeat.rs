//! Repeat complaints: the same customer complaining again about the same
//! issue (a broadband line that keeps dropping, three calls) is linked to the
//! earlier complaints and, from the policy's `escalate_at` on, escalated.
//!
//! A customer is recognised by the customer id when the complaint has one and
//! by the normalised phone otherwise; an issue is the complaint's category.

use crate::complaint::Complaint;
use crate::ids::{CategoryCode, ComplaintId};
use crate::model::Customer;
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

    /// The key one customer is recognised by. `customer.phone` must already be
    /// normalised (it is, on a recorded complaint).
    pub fn customer_key(customer: &Customer) -> String {
        match customer.customer_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => format!("id:{id}"),
            _ => format!("tel:{}", customer.phone),
        }
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
    let mut linked: Vec<&RepeatProbe> = prior
        .iter()
        .filter(|p| {
            p.complaint != new.complaint
                && p.customer_key == new.customer_key
                && p.category == new.category
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
        assert_eq!(RepeatProbe::customer_key(&c), "id:C-42");
        c.customer_id = Some("  ".into());
        assert_eq!(RepeatProbe::customer_key(&c), "tel:+8613800138000");
    }
}
