//! SLA policies: which targets apply to a complaint.
//!
//! Policies are an ordered list; for each clock the first matching policy that
//! sets a target wins, and the built-in defaults fill whatever no policy sets.

use crate::ids::CalendarId;
use crate::model::{Channel, ComplaintKind, Profile, Severity};
use serde::{Deserialize, Serialize};

/// How long a clock may run, on which calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockTarget {
    /// Working seconds on `calendar`.
    pub seconds: i64,
    pub calendar: CalendarId,
}

impl ClockTarget {
    /// A target measured round the clock.
    pub fn round_the_clock(seconds: i64) -> ClockTarget {
        ClockTarget {
            seconds,
            calendar: CalendarId::new(crate::rules::ALWAYS_ON),
        }
    }
}

/// What a policy applies to. Empty lists match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PolicyMatch {
    #[serde(default)]
    pub kinds: Vec<ComplaintKind>,
    #[serde(default)]
    pub severities: Vec<Severity>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Matches the category itself and its sub-categories (`broadband` matches
    /// `broadband.dropout`).
    #[serde(default)]
    pub category_prefix: Option<String>,
    #[serde(default)]
    pub public_exposure: Option<bool>,
}

impl PolicyMatch {
    pub fn matches(&self, p: &Profile) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&p.kind))
            && (self.severities.is_empty() || self.severities.contains(&p.severity))
            && (self.channels.is_empty() || self.channels.contains(&p.channel))
            && self.category_prefix.as_deref().is_none_or(|prefix| {
                let c = p.category.as_str();
                c == prefix
                    || (c.starts_with(prefix) && c.as_bytes().get(prefix.len()) == Some(&b'.'))
            })
            && self.public_exposure.is_none_or(|x| x == p.public_exposure)
    }
}

/// One policy: targets for some clocks of matching complaints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SlaPolicy {
    pub name: String,
    #[serde(default)]
    pub when: PolicyMatch,
    #[serde(default)]
    pub first_response: Option<ClockTarget>,
    #[serde(default)]
    pub progress_cadence: Option<ClockTarget>,
    #[serde(default)]
    pub resolution: Option<ClockTarget>,
    #[serde(default)]
    pub approval: Option<ClockTarget>,
    #[serde(default)]
    pub callback: Option<ClockTarget>,
    /// Warning thresholds in thousandths of the target (750 = 75%).
    #[serde(default)]
    pub warn_at_permille: Option<Vec<u16>>,
}

/// The targets that apply to one complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SlaTargets {
    pub first_response: ClockTarget,
    pub progress_cadence: ClockTarget,
    pub resolution: ClockTarget,
    pub approval: ClockTarget,
    pub callback: ClockTarget,
    pub warn_at_permille: Vec<u16>,
}

/// The ordered policy list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SlaPolicies {
    #[serde(default)]
    pub policies: Vec<SlaPolicy>,
}

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

/// Does this complaint need the fast (30-minute) progress cadence?
pub fn needs_fast_updates(p: &Profile) -> bool {
    matches!(
        p.kind,
        ComplaintKind::EmotionDriven | ComplaintKind::Compound
    ) || p.public_exposure
}

impl SlaPolicies {
    /// Built-in defaults (domain.md): first response within 1 h; progress every
    /// 30 min for emotion-driven, compound or publicly exposed complaints and
    /// daily otherwise; resolution by severity (72/48/24/8 h for severity 1-4);
    /// approvals decided within 4 h; callback within 24 h; warn at 75%. All
    /// round the clock.
    pub fn defaults_for(p: &Profile) -> SlaTargets {
        let resolution_hours = match p.severity.level() {
            1 => 72,
            2 => 48,
            3 => 24,
            _ => 8,
        };
        SlaTargets {
            first_response: ClockTarget::round_the_clock(HOUR),
            progress_cadence: ClockTarget::round_the_clock(if needs_fast_updates(p) {
                30 * MINUTE
            } else {
                24 * HOUR
            }),
            resolution: ClockTarget::round_the_clock(resolution_hours * HOUR),
            approval: ClockTarget::round_the_clock(4 * HOUR),
            callback: ClockTarget::round_the_clock(24 * HOUR),
            warn_at_permille: vec![750],
        }
    }

    /// Resolves every target for a complaint profile.
    pub fn targets_for(&self, p: &Profile) -> SlaTargets {
        let mut t = Self::defaults_for(p);
        let matching: Vec<&SlaPolicy> =
            self.policies.iter().filter(|x| x.when.matches(p)).collect();
        let pick =
            |f: fn(&SlaPolicy) -> Option<&ClockTarget>| matching.iter().find_map(|x| f(x)).cloned();
        if let Some(x) = pick(|x| x.first_response.as_ref()) {
            t.first_response = x;
        }
        if let Some(x) = pick(|x| x.progress_cadence.as_ref()) {
            t.progress_cadence = x;
        }
        if let Some(x) = pick(|x| x.resolution.as_ref()) {
            t.resolution = x;
        }
        if let Some(x) = pick(|x| x.approval.as_ref()) {
            t.approval = x;
        }
        if let Some(x) = pick(|x| x.callback.as_ref()) {
            t.callback = x;
        }
        if let Some(w) = matching.iter().find_map(|x| x.warn_at_permille.clone()) {
            t.warn_at_permille = w;
        }
        t.warn_at_permille.retain(|w| (1..1000).contains(w));
        t.warn_at_permille.sort_unstable();
        t.warn_at_permille.dedup();
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CategoryCode;

    fn profile(kind: ComplaintKind, sev: u8, public: bool) -> Profile {
        Profile {
            kind,
            severity: Severity::new(sev).unwrap_or(Severity::LOW),
            channel: Channel::Phone,
            category: CategoryCode::new("broadband.dropout"),
            public_exposure: public,
        }
    }

    #[test]
    fn default_progress_cadence_follows_kind_and_exposure() {
        let fast = SlaPolicies::default();
        for (kind, public, secs) in [
            (ComplaintKind::EmotionDriven, false, 1800),
            (ComplaintKind::Compound, false, 1800),
            (ComplaintKind::DemandDriven, true, 1800),
            (ComplaintKind::DemandDriven, false, 86_400),
        ] {
            let t = fast.targets_for(&profile(kind, 2, public));
            assert_eq!(t.progress_cadence.seconds, secs, "{kind:?} public={public}");
        }
    }

    #[test]
    fn resolution_by_severity_and_first_matching_policy_wins() {
        let policies = SlaPolicies {
            policies: vec![
                SlaPolicy {
                    name: "critical broadband".into(),
                    when: PolicyMatch {
                        severities: vec![Severity::CRITICAL],
                        category_prefix: Some("broadband".into()),
                        ..PolicyMatch::default()
                    },
                    first_response: None,
                    progress_cadence: None,
                    resolution: Some(ClockTarget {
                        seconds: 4 * HOUR,
                        calendar: CalendarId::new("office"),
                    }),
                    approval: None,
                    callback: None,
                    warn_at_permille: Some(vec![900, 500, 500, 1000]),
                },
                SlaPolicy {
                    name: "all critical".into(),
                    when: PolicyMatch {
                        severities: vec![Severity::CRITICAL],
                        ..PolicyMatch::default()
                    },
                    first_response: Some(ClockTarget::round_the_clock(15 * MINUTE)),
                    progress_cadence: None,
                    resolution: Some(ClockTarget::round_the_clock(HOUR)),
                    approval: None,
                    callback: None,
                    warn_at_permille: None,
                },
            ],
        };
        let t = policies.targets_for(&profile(ComplaintKind::DemandDriven, 4, false));
        assert_eq!(t.resolution.seconds, 4 * HOUR);
        assert_eq!(t.resolution.calendar.as_str(), "office");
        assert_eq!(t.first_response.seconds, 15 * MINUTE);
        assert_eq!(t.warn_at_permille, vec![500, 900]);
        let low = policies.targets_for(&profile(ComplaintKind::DemandDriven, 1, false));
        assert_eq!(low.resolution.seconds, 72 * HOUR);
        assert_eq!(low.warn_at_permille, vec![750]);
    }

    #[test]
    fn category_prefix_matches_whole_segments_only() {
        let m = PolicyMatch {
            category_prefix: Some("broad".into()),
            ..PolicyMatch::default()
        };
        assert!(!m.matches(&profile(ComplaintKind::DemandDriven, 1, false)));
        let m = PolicyMatch {
            category_prefix: Some("broadband".into()),
            ..PolicyMatch::default()
        };
        assert!(m.matches(&profile(ComplaintKind::DemandDriven, 1, false)));
    }
}
