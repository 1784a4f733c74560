//! Demo complaints: the five examples of the domain description plus any
//! number of generated ones, every one driven through the real rulebook
//! ([`Complaint::record`] and [`Complaint::execute`]), so each is in a state
//! the console could have reached itself. See `docs/demo-data.md`.
//!
//! The output depends only on the options and the rules: the same options
//! give the same complaints, byte for byte.

pub mod catalog;
pub mod examples;
mod generate;
mod script;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use redress_domain::complaint::Complaint;
use redress_domain::repeat::RepeatProbe;
use redress_domain::{DomainError, Rules};
use std::collections::BTreeMap;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// How many complaints to generate besides the seven example complaints
    /// (the five examples and the two earlier calls of the broadband one).
    pub count: usize,
    /// The same seed gives the same complaints.
    pub seed: u64,
    /// The instant the data is generated for: nothing happens after it, and
    /// the open complaints' clocks are placed relative to it.
    pub now: Timestamp,
    /// The share of generated complaints still open at `now`, 0 to 1
    /// (default 0.1: 50,000 complaints of which 5,000 are open).
    pub open_share: f64,
}

impl DemoOptions {
    /// `count` complaints for `now`, 10% of them open.
    pub fn new(count: usize, seed: u64, now: Timestamp) -> DemoOptions {
        DemoOptions {
            count,
            seed,
            now,
            open_share: 0.1,
        }
    }
}

/// The example complaints and `opts.count` generated ones, in received order,
/// numbered `TS-<year of now>-000001`, `…-000002`, …
///
/// Open generated complaints were received in the ~2 days before `now`,
/// closed ones in the 30 days before it. With round-the-clock SLA targets
/// (the defaults) some open complaints have, at `now`, a progress update
/// already due, clocks in warning and breached, and a clock falling due
/// within the next minute.
///
/// An error means the plan asked the rulebook for something it refused,
/// which happens only with rules very different from the defaults.
pub fn demo_complaints(opts: &DemoOptions, rules: &Rules) -> Result<Vec<Complaint>, DomainError> {
    let mut plans = examples::plans(opts.now, rules);
    let first_seq = plans.len();
    plans.extend(generate::plans(opts, rules, first_seq));
    plans.sort_by_key(|p| (p.received_at, p.seq));
    let year = opts.now.to_zoned(TimeZone::UTC).year();
    let mut families: BTreeMap<usize, Vec<RepeatProbe>> = BTreeMap::new();
    let mut out = Vec::with_capacity(plans.len());
    for (n, plan) in plans.into_iter().enumerate() {
        let mut new = plan.new;
        new.number = format!("TS-{year}-{:06}", n + 1);
        let priors = plan
            .family
            .and_then(|f| families.get(&f))
            .map_or(&[][..], Vec::as_slice);
        let mut complaint =
            Complaint::record(new, priors, &plan.recorder, plan.recorded_at, rules)?.complaint;
        if let Some(family) = plan.family {
            families
                .entry(family)
                .or_default()
                .push(RepeatProbe::of(&complaint));
        }
        for step in &plan.steps {
            complaint.execute(&step.cmd, &step.actor, step.at, rules)?;
        }
        out.push(complaint);
    }
    Ok(out)
}
