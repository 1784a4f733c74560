//! Generated complaints: varied, realistic, and spread over every state of
//! the closed loop. Each one is planned as a script of commands with times;
//! open complaints are planned backwards from `now` so that, at `now`, the
//! console sees a controlled mix of clocks that are fine, in warning,
//! breached, or about to fall due.

use super::DemoOptions;
use super::catalog::{
    self, CategorySample, GIVEN_NAMES, JUDGE_VALID_NOTES, MOBILE_PREFIXES, SURNAMES,
};
use super::script::{
    DAY, HOUR, MIN, Plan, Script, any_agent, any_supervisor, approver, assign, at, callback, close,
    decide, implement, judge_invalid, judge_valid, pause, progress, propose, resolve, resume,
    review, revise, root_cause,
};
use crate::rng::SplitMix64;
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::authority::Routing;
use redress_domain::complaint::{
    ComplaintDraft, ComplaintState, NewComplaint, Tier, approval_id, clock_id,
};
use redress_domain::ids::{AttemptId, CategoryCode, ComplaintId, RemedyId, UpdateId};
use redress_domain::model::{
    Actor, CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, Money, PauseReason,
    Profile, RemedyKind, Role, Severity, Subject, SubjectKind,
};
use redress_domain::sla::{ClockKind, SlaTargets};

use ComplaintState as St;

/// Where a clock should stand at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    /// Well within the target (under 10%).
    Low,
    /// Within the target, before the warning.
    Fine,
    /// Past the 75% warning, not yet due.
    Warn,
    /// Past due.
    Breach,
    /// Falls due within the next minute.
    DueSoon,
}

use Bucket::{Breach, DueSoon, Fine, Low, Warn};

/// The open states, weighted by repetition. Open complaints take them in
/// turn, so every state appears as soon as there are 11 open complaints.
const OPEN_STATES: [ComplaintState; 20] = [
    St::Recorded,
    St::Validated,
    St::Invalid,
    St::Assigned,
    St::Analysed,
    St::AwaitingApproval,
    St::RemedyAgreed,
    St::Implemented,
    St::Resolved,
    St::FollowedUp,
    St::Reviewed,
    St::Analysed,
    St::AwaitingApproval,
    St::Resolved,
    St::Assigned,
    St::AwaitingApproval,
    St::Recorded,
    St::Implemented,
    St::Analysed,
    St::Resolved,
];

/// Resolution clocks of open complaints being handled (assigned … implemented).
const RESOLUTION_TURNS: [Bucket; 10] = [
    Breach, Warn, Fine, Low, Fine, Warn, Breach, Fine, Fine, Fine,
];
/// Progress-update clocks of open fast-cadence complaints (emotion-driven,
/// compound or public): the last update the customer was told about.
const PROGRESS_TURNS: [Bucket; 10] = [
    DueSoon, Breach, Warn, Fine, Fine, Breach, DueSoon, Warn, Fine, Fine,
];
/// Callback clocks of open resolved complaints.
const CALLBACK_TURNS: [Bucket; 4] = [Warn, Breach, Fine, Fine];
/// Approval clocks of open complaints awaiting approval.
const APPROVAL_TURNS: [Bucket; 4] = [Fine, Breach, Warn, Fine];
/// First-response clocks of open, freshly recorded complaints.
const FIRST_RESPONSE_TURNS: [Bucket; 4] = [Fine, Warn, Breach, Fine];

/// Open complaints were received at most this long before `now`.
const OPEN_HORIZON: i64 = 52 * HOUR;
/// Closed complaints were received at most this long before `now`.
const CLOSED_HORIZON: i64 = 30 * DAY;

#[derive(Debug, Default)]
struct Turns {
    open: usize,
    resolution: usize,
    progress: usize,
    callback: usize,
    approval: usize,
    first_response: usize,
}

fn turn<T: Copy>(counter: &mut usize, table: &[T]) -> T {
    let value = table[*counter % table.len()];
    *counter += 1;
    value
}

/// Plans `opts.count` complaints; their `seq` starts at `first_seq`.
pub(super) fn plans(opts: &DemoOptions, rules: &Rules, first_seq: usize) -> Vec<Plan> {
    let count = opts.count;
    let mut g = Gen {
        opts,
        rules,
        turns: Turns::default(),
        out: Vec::with_capacity(count),
        first_seq,
    };
    if count == 0 {
        return g.out;
    }
    let share = if opts.open_share.is_finite() {
        opts.open_share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let open_total = ((count as f64) * share).round() as usize;
    // Exactly `open_total` open slots, spread evenly.
    let is_open = |k: usize| (k + 1) * open_total / count > k * open_total / count;
    let mut k = 0;
    while k < count {
        let mut rng = SplitMix64::derive(opts.seed, k as u64);
        let roll = rng.unit();
        let mut size = if roll < 0.012 {
            3
        } else if roll < 0.05 {
            2
        } else {
            1
        };
        // Earlier members of a repeat family are closed.
        while size > 1 && (k + size > count || (k..k + size - 1).any(is_open)) {
            size -= 1;
        }
        g.family(k, size, is_open(k + size - 1), rng);
        k += size;
    }
    g.out
}

struct Gen<'a> {
    opts: &'a DemoOptions,
    rules: &'a Rules,
    turns: Turns,
    out: Vec<Plan>,
    first_seq: usize,
}

/// What the members of one repeat family share.
struct Shared {
    cat: &'static CategorySample,
    customer: Customer,
    subject: Subject,
    family: Option<usize>,
}

impl<'a> Gen<'a> {
    /// Plans `size` complaints of one customer about one issue in slots
    /// `k..k + size`: a single complaint, or a repeat family whose last
    /// member may be open.
    fn family(&mut self, k: usize, size: usize, last_open: bool, mut rng: SplitMix64) {
        let cat = rng.pick(catalog::CATEGORIES);
        let shared = Shared {
            cat,
            customer: customer(&mut rng, k, self.opts.seed, cat),
            subject: subject(&mut rng, cat),
            // Family 0 is the broadband example's.
            family: (size > 1).then_some(k + 1),
        };
        let now = self.opts.now;
        let last_slot = k + size - 1;
        let ordinal = u32::try_from(size).unwrap_or(u32::MAX);
        let window = self.rules.repeats.window_days.clamp(2, 30) * DAY;
        let last = if last_open {
            self.open(last_slot, &shared, ordinal)
        } else {
            // Leave room before it for the earlier members.
            let lo = at(now, -CLOSED_HORIZON + (size as i64 - 1) * window / 4);
            self.closed(last_slot, &shared, ordinal, lo, now)
        };
        let last_received = last.received_at;
        let mut next_received = last_received;
        let mut members = vec![last];
        for j in (0..size - 1).rev() {
            let lo = at(last_received, -window + HOUR).max(at(now, -CLOSED_HORIZON - 10 * DAY));
            let ordinal = u32::try_from(j + 1).unwrap_or(u32::MAX);
            let prior = self.closed(k + j, &shared, ordinal, lo, at(next_received, -HOUR));
            next_received = prior.received_at;
            members.push(prior);
        }
        self.out.extend(members);
    }

    fn flow(&self, slot: usize, shared: &Shared, ordinal: u32, force: Force) -> Flow<'a> {
        let mut rng = SplitMix64::derive(self.opts.seed ^ 0xC0FF_EE00, slot as u64);
        let basics = basics(&mut rng, shared, ordinal, force);
        let escalated = ordinal >= 2 && ordinal >= self.rules.repeats.escalate_at;
        let severity = if escalated {
            basics.severity.raised()
        } else {
            basics.severity
        };
        let targets = self.rules.sla.targets_for(&Profile {
            kind: basics.kind,
            severity,
            channel: basics.channel,
            category: CategoryCode::new(shared.cat.code),
            public_exposure: basics.public_exposure,
        });
        let recorder = if basics.channel == Channel::SocialMedia {
            Actor::new("agent.zhao", Role::Agent)
        } else {
            any_agent(&mut rng)
        };
        let weighty = basics.public_exposure || severity >= Severity::HIGH;
        let owner = if rng.chance(if weighty { 0.45 } else { 0.12 }) {
            any_supervisor(&mut rng)
        } else if rng.chance(0.6) {
            recorder.clone()
        } else {
            any_agent(&mut rng)
        };
        let department = if rng.chance(0.9) {
            shared.cat.department
        } else {
            rng.pick(&catalog::DEPARTMENTS).0
        };
        Flow {
            rules: self.rules,
            fast: targets.progress_cadence.seconds <= HOUR,
            sloppy: rng.chance(0.12),
            id: basics.id,
            cat: shared.cat,
            department,
            targets,
            recorder,
            dispatcher: any_supervisor(&mut rng),
            owner,
            script: Script::default(),
            rec_off: 0,
            basics,
            rng,
        }
    }

    fn open(&mut self, slot: usize, shared: &Shared, ordinal: u32) -> Plan {
        let index = self.turns.open;
        let state = turn(&mut self.turns.open, &OPEN_STATES);
        let resolution = matches!(
            state,
            St::Assigned | St::Analysed | St::AwaitingApproval | St::RemedyAgreed | St::Implemented
        )
        .then(|| turn(&mut self.turns.resolution, &RESOLUTION_TURNS));
        let force = Force {
            // Every third open complaint is emotion-driven (30-minute updates).
            emotion: index % 3 == 0,
            // Severity 1 allows 72 h, more than the open horizon.
            min_severity: if matches!(resolution, Some(Warn | Breach)) {
                Severity::MEDIUM
            } else {
                Severity::LOW
            },
        };
        let mut flow = self.flow(slot, shared, ordinal, force);
        let elapsed = flow.plan_open(state, resolution, &mut self.turns);
        let received_at = at(self.opts.now, -elapsed);
        self.finish(slot, shared, flow, received_at)
    }

    /// A complaint closed before `now`, received in `[lo, hi]` if its
    /// handling allows (closer to `hi` otherwise).
    fn closed(
        &mut self,
        slot: usize,
        shared: &Shared,
        ordinal: u32,
        lo: Timestamp,
        hi: Timestamp,
    ) -> Plan {
        let force = Force {
            emotion: false,
            min_severity: Severity::LOW,
        };
        let mut flow = self.flow(slot, shared, ordinal, force);
        let duration = flow.plan_closed();
        let hi = hi.min(at(self.opts.now, -duration - 10 * MIN));
        let span = hi.duration_since(lo).as_secs().max(0);
        let received_at = at(hi, -flow.rng.range(0, span + 1));
        self.finish(slot, shared, flow, received_at)
    }

    fn finish(&self, slot: usize, shared: &Shared, flow: Flow<'_>, received_at: Timestamp) -> Plan {
        let b = flow.basics;
        Plan {
            seq: self.first_seq + slot,
            family: shared.family,
            new: NewComplaint {
                id: b.id,
                number: String::new(),
                draft: ComplaintDraft {
                    customer: shared.customer.clone(),
                    channel: b.channel,
                    subject: shared.subject.clone(),
                    category: CategoryCode::new(shared.cat.code),
                    demand: b.demand,
                    description: b.description,
                    kind: b.kind,
                    demand_class: b.demand_class,
                    severity: b.severity,
                    public_exposure: b.public_exposure,
                    received_at: Some(received_at),
                },
            },
            received_at,
            recorder: flow.recorder,
            recorded_at: at(received_at, flow.rec_off),
            steps: flow.script.into_steps(received_at),
        }
    }
}

// ------------------------------------------------------------- the basics

#[derive(Debug, Clone, Copy)]
struct Force {
    emotion: bool,
    min_severity: Severity,
}

struct Basics {
    id: ComplaintId,
    channel: Channel,
    kind: ComplaintKind,
    demand_class: DemandClass,
    severity: Severity,
    public_exposure: bool,
    demand: String,
    description: String,
}

const CHANNELS: [(Channel, u32); 7] = [
    (Channel::Phone, 45),
    (Channel::OnlineChat, 14),
    (Channel::App, 14),
    (Channel::Email, 7),
    (Channel::SocialMedia, 7),
    (Channel::Letter, 3),
    (Channel::WalkIn, 10),
];

const EMOTION_LINES: [&str; 4] = [
    "客户情绪激动，多次打断座席。",
    "客户表示非常失望，要求给个说法。",
    "客户称再不解决就向监管部门投诉。",
    "客户在电话里哭诉，说已经被折腾了好几天。",
];

fn basics(rng: &mut SplitMix64, shared: &Shared, ordinal: u32, force: Force) -> Basics {
    let id = ComplaintId(rng.uuid());
    let weights: Vec<u32> = CHANNELS.iter().map(|(_, w)| *w).collect();
    let channel = CHANNELS[rng.weighted(&weights)].0;
    let public_exposure = if channel == Channel::SocialMedia {
        rng.chance(0.55)
    } else {
        rng.chance(0.015)
    };
    let kind = if force.emotion {
        ComplaintKind::EmotionDriven
    } else {
        [
            ComplaintKind::DemandDriven,
            ComplaintKind::EmotionDriven,
            ComplaintKind::Compound,
        ][rng.weighted(&[50, 30, 20])]
    };
    let classes = [
        DemandClass::ImmediateFix,
        DemandClass::LongTermImprovement,
        DemandClass::EmotionalCompensation,
    ];
    let demand_class = classes[match kind {
        ComplaintKind::EmotionDriven => rng.weighted(&[40, 10, 50]),
        ComplaintKind::DemandDriven => rng.weighted(&[75, 20, 5]),
        ComplaintKind::Compound => rng.weighted(&[50, 20, 30]),
    }];
    let levels = [
        Severity::LOW,
        Severity::MEDIUM,
        Severity::HIGH,
        Severity::CRITICAL,
    ];
    let mut severity = levels[rng.weighted(&[30, 40, 22, 8])].max(force.min_severity);
    if public_exposure {
        severity = severity.max(Severity::HIGH);
    }
    let cat = shared.cat;
    let mut description = format!(
        "{}{}。{}。",
        catalog::channel_opening(channel),
        cat.zh,
        rng.pick(cat.details)
    );
    if ordinal >= 2 {
        description.push_str(&format!(
            "这已经是客户本月第{}次因为同一问题投诉。",
            chinese_number(ordinal)
        ));
    }
    if kind != ComplaintKind::DemandDriven {
        let line = *rng.pick(&EMOTION_LINES);
        description.push_str(line);
    }
    if public_exposure {
        description.push_str("客户表示已在社交媒体发帖曝光，转发量还在上升。");
    }
    let demand = if kind == ComplaintKind::DemandDriven {
        cat.demand.to_owned()
    } else {
        format!("{}，并给个说法", cat.demand)
    };
    Basics {
        id,
        channel,
        kind,
        demand_class,
        severity,
        public_exposure,
        demand,
        description,
    }
}

fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        _ => n.to_string(),
    }
}

/// A customer with a phone number no other generated customer has: the
/// eight digits are a bijection of the slot.
fn customer(rng: &mut SplitMix64, k: usize, seed: u64, cat: &CategorySample) -> Customer {
    const SPACE: u64 = 100_000_000;
    let surname = rng.pick(SURNAMES);
    let name = if rng.chance(0.25) {
        format!("{surname}{}", if rng.chance(0.5) { "先生" } else { "女士" })
    } else {
        format!("{surname}{}", rng.pick(GIVEN_NAMES))
    };
    let k = k as u64 % SPACE;
    let digits = (k.wrapping_mul(7_368_787) + seed % SPACE + 1_234_567) % SPACE;
    let prefix = MOBILE_PREFIXES[(k as usize) % MOBILE_PREFIXES.len()];
    let (a, b) = (digits / 10_000, digits % 10_000);
    let phone = match rng.weighted(&[55, 20, 15, 10]) {
        0 => format!("{prefix}{digits:08}"),
        1 => format!("{prefix}-{a:04}-{b:04}"),
        2 => format!("{prefix} {a:04} {b:04}"),
        _ => format!("+86 {prefix} {a:04} {b:04}"),
    };
    let banking = [
        "banking.",
        "credit_card.",
        "credit_report.",
        "debt_collection.",
        "mortgage.",
        "account.",
        "money_transfer.",
        "vehicle_loan.",
    ]
    .iter()
    .any(|p| cat.code.starts_with(p));
    let customer_id = (banking && rng.chance(0.6))
        .then(|| format!("CIF-{:08}", (k.wrapping_mul(48_271) + 12_345) % SPACE));
    Customer {
        name,
        phone,
        customer_id,
    }
}

fn subject(rng: &mut SplitMix64, cat: &CategorySample) -> Subject {
    let reference = match cat.subject_kind {
        SubjectKind::Order => format!("{}{:010}", cat.subject, rng.below(10_000_000_000)),
        SubjectKind::Agent => rng.pick(catalog::AGENTS).to_string(),
        SubjectKind::Product | SubjectKind::BusinessLine => cat.subject.to_owned(),
    };
    Subject {
        kind: cat.subject_kind,
        reference,
    }
}

// --------------------------------------------------------------- the flow

/// One command with its nominal gap after the previous one. Elastic gaps
/// (investigating, waiting for a decision, carrying a remedy out) absorb
/// the slack when the steps must fill a longer span; quick ones (judging,
/// assigning) keep their nominal length.
struct Nom {
    gap: i64,
    elastic: bool,
    actor: Actor,
    cmd: redress_domain::complaint::Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PauseMode {
    None,
    /// The resolution clock is paused now (waiting on the customer).
    Open,
    /// Paused for a while, then resumed.
    Resumed,
}

struct RemedyPlan {
    id: RemedyId,
    kind: RemedyKind,
    base: i64,
    tier: Option<Tier>,
    note: String,
    approver: Option<Actor>,
}

/// Plans one complaint's commands as offsets (seconds) after `received_at`.
struct Flow<'a> {
    rules: &'a Rules,
    rng: SplitMix64,
    basics: Basics,
    id: ComplaintId,
    cat: &'static CategorySample,
    department: &'static str,
    targets: SlaTargets,
    /// Progress updates every 30 minutes rather than daily.
    fast: bool,
    /// Updates the customer less often than promised.
    sloppy: bool,
    recorder: Actor,
    dispatcher: Actor,
    owner: Actor,
    script: Script,
    /// When the complaint was recorded.
    rec_off: i64,
}

impl Flow<'_> {
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.range(lo, hi)
    }

    /// `fraction` of `secs`, in whole seconds.
    fn part(secs: i64, fraction: f64) -> i64 {
        (secs as f64 * fraction) as i64
    }

    /// `wanted`, or somewhere in the last half day before `max` when it does
    /// not fit (so that squeezed complaints don't all share one instant).
    fn fit(&mut self, wanted: i64, max: i64) -> i64 {
        if wanted <= max {
            wanted
        } else {
            self.range(max - DAY / 2, max + 1)
        }
    }

    fn frac(&mut self, secs: i64, lo: f64, hi: f64) -> i64 {
        let f = self.rng.uniform(lo, hi);
        Self::part(secs, f)
    }

    /// How long after receipt the complaint gets recorded.
    fn record_delay(&mut self) -> i64 {
        match self.basics.channel {
            Channel::Phone | Channel::WalkIn | Channel::OnlineChat => self.range(2 * MIN, 9 * MIN),
            Channel::App => self.range(4 * MIN, 25 * MIN),
            Channel::Email | Channel::SocialMedia | Channel::Letter => {
                self.range(10 * MIN, 90 * MIN)
            }
        }
    }

    /// When the first update the customer hears of is given.
    fn first_response(&mut self) -> i64 {
        if self.rng.chance(0.92) {
            self.rec_off + self.range(MIN, 40 * MIN)
        } else {
            self.range(62 * MIN, 150 * MIN).max(self.rec_off + MIN)
        }
    }

    fn dept_text(&mut self, texts: &[&str]) -> String {
        let text = self.rng.pick(texts);
        text.replace("{dept}", catalog::department_zh(self.department))
    }

    fn update_id(&mut self) -> UpdateId {
        UpdateId(self.rng.uuid())
    }

    /// Puts `noms` at offsets after `start`. When their nominal gaps add up
    /// to more than `end - start` they are compressed in proportion; when to
    /// less, the elastic gaps are stretched. Either way the last one lands on
    /// `end`, unless none is elastic: then they keep their nominal gaps and
    /// the complaint waits in its state until `end` and beyond.
    fn place(&mut self, mut noms: Vec<Nom>, start: i64, end: i64) {
        for n in &mut noms {
            n.gap = n.gap.max(1);
        }
        let total: i64 = noms.iter().map(|n| n.gap).sum();
        let span = (end - start).max(0);
        if total < span {
            let elastic: i64 = noms.iter().filter(|n| n.elastic).map(|n| n.gap).sum();
            let slack = i128::from(span - total);
            let mut given = 0;
            let mut left = elastic;
            for n in noms.iter_mut().filter(|n| n.elastic) {
                // Hand out the slack in proportion, the last takes the rest.
                let share = if left == n.gap {
                    slack as i64 - given
                } else {
                    (slack * i128::from(n.gap) / i128::from(elastic)) as i64
                };
                left -= n.gap;
                given += share;
                n.gap += share;
            }
        }
        let total: i64 = noms.iter().map(|n| n.gap).sum();
        let scale = |cum: i64| {
            if total <= span {
                cum
            } else {
                (i128::from(span) * i128::from(cum) / i128::from(total)) as i64
            }
        };
        let mut cum = 0;
        for n in noms {
            cum += n.gap;
            self.script.push(start + scale(cum), &n.actor, n.cmd);
        }
    }

    /// Progress updates the customer is told about, from `first` to `last`,
    /// and maybe an internal note. The first half of them keep roughly the
    /// promised cadence; if the complaint drags on, the rest are spread
    /// thinner (a capped number in all). With `exact_last` the last one is
    /// at `last`.
    fn updates(&mut self, first: i64, last: i64, exact_last: bool) {
        if last < self.rec_off {
            return;
        }
        let first = first.max(self.rec_off + 30).min(last);
        let cadence = self.targets.progress_cadence.seconds.max(MIN);
        let (lo, hi, cap) = match (self.fast, self.sloppy) {
            (true, false) => (0.55, 1.0, 30.0),
            (true, true) => (0.8, 1.6, 30.0),
            (false, _) => (0.3, 0.95, 6.0),
        };
        let mean = cadence as f64 * (lo + hi) / 2.0;
        let hot = cap / 2.0;
        let mut stretch = 1.0;
        let mut times = vec![first];
        let mut t = first;
        loop {
            if times.len() as f64 == hot {
                let needed = (last - t) as f64 / mean;
                stretch = (needed / (cap - hot)).max(1.0);
            }
            let f = self.rng.uniform(lo, hi) * stretch;
            t += Self::part(cadence, f).max(MIN);
            if t >= last {
                break;
            }
            times.push(t);
        }
        if exact_last && times.last() != Some(&last) {
            times.push(last);
        }
        for (i, t) in times.into_iter().enumerate() {
            let text = if i == 0 {
                catalog::PROGRESS_INFORMED[0].to_owned()
            } else {
                self.dept_text(&catalog::PROGRESS_INFORMED[1..])
            };
            let id = self.update_id();
            let owner = self.owner.clone();
            self.script.push(t, &owner, progress(id, &text, true));
        }
        if self.rng.chance(0.15) {
            let t = self.range(self.rec_off, last + 1);
            let text = self.dept_text(catalog::PROGRESS_INTERNAL);
            let id = self.update_id();
            let owner = self.owner.clone();
            self.script.push(t, &owner, progress(id, &text, false));
        }
    }

    // ------------------------------------------------------------ remedies

    fn cny(&self, minor: i64) -> Money {
        Money {
            amount_minor: minor,
            currency: self.rules.authority.currency.clone(),
        }
    }

    fn route(&self, kind: RemedyKind, total: i64) -> Option<Routing> {
        self.route_after(kind, total, 0)
    }

    /// Routing once the owner already granted `granted` alone in this round.
    fn route_after(&self, kind: RemedyKind, total: i64, granted: i64) -> Option<Routing> {
        self.rules
            .authority
            .route_after(&self.owner, kind, total, granted)
            .ok()
    }

    /// An amount in `[lo, hi]`, in whole yuan when possible.
    fn amount(&mut self, lo: i64, hi: i64, kind: RemedyKind) -> i64 {
        let raw = self.range(lo, hi + 1);
        if kind == RemedyKind::Refund && self.rng.chance(0.3) {
            return raw;
        }
        let rounded = (raw + 99) / 100 * 100;
        if rounded <= hi { rounded } else { raw }
    }

    /// The main remedy, proposed by the owner; with `needs_approval` it is
    /// above the owner's own authority.
    fn remedy(&mut self, needs_approval: bool) -> RemedyPlan {
        let rules = self.rules;
        let auth = &rules.authority;
        let mut kind = *self.rng.pick(self.cat.remedies);
        if needs_approval && kind == RemedyKind::ApologyOnly {
            kind = self
                .cat
                .remedies
                .iter()
                .copied()
                .find(|k| *k != RemedyKind::ApologyOnly)
                .unwrap_or(RemedyKind::CompensationPayment);
        }
        let grant = auth.grant_limit(self.owner.role, kind).max(0);
        let sup = auth.approve_limit(Role::Supervisor, kind);
        let mgr = auth
            .approve_limit(Role::Manager, kind)
            .min(300_000)
            .max(sup);
        let bands = [
            (grant / 10, grant),
            (grant + 1, sup),
            (grant.max(sup) + 1, mgr),
        ];
        let wanted = if needs_approval {
            if self.rng.chance(0.7) { 1 } else { 2 }
        } else {
            self.rng.weighted(&[52, 32, 16])
        };
        let band = (wanted..bands.len())
            .chain(0..wanted)
            .map(|i| bands[i])
            .find(|(lo, hi)| lo <= hi && (!needs_approval || *hi > grant));
        let base = match (kind, band) {
            (RemedyKind::ApologyOnly, _) | (_, None) => 0,
            (_, Some((lo, hi))) => self.amount(lo, hi, kind),
        };
        let mut tier = (kind != RemedyKind::ApologyOnly && self.rng.chance(0.1)).then(|| Tier {
            extra_minor: self.rng.range(2, 21) * 1_000,
            extra_kind: RemedyKind::Voucher,
            condition: (*self.rng.pick(catalog::TIER_CONDITIONS)).to_owned(),
        });
        let mut base = base;
        let total =
            |base: i64, tier: &Option<Tier>| base + tier.as_ref().map_or(0, |t| t.extra_minor);
        let mut routing = self.route(kind, total(base, &tier));
        if routing.is_none() {
            tier = None;
            routing = self.route(kind, base);
        }
        if routing.is_none() {
            base = 0;
            routing = self.route(kind, 0);
        }
        let approver = match routing {
            Some(Routing::NeedsApproval { required_role }) => {
                Some(approver(&mut self.rng, required_role, &self.owner.user))
            }
            _ => None,
        };
        let mut note = catalog::remedy_note(kind, &catalog::yuan(base));
        if let Some(t) = &tier {
            note.push_str(&format!(
                "；如{}，另赠 {} 元优惠券",
                t.condition,
                catalog::yuan(t.extra_minor)
            ));
        }
        RemedyPlan {
            id: RemedyId(self.rng.uuid()),
            kind,
            base,
            tier,
            note,
            approver,
        }
    }

    /// A small extra remedy within the owner's own authority (an apology or
    /// a voucher), or `None` if the rules would send it for approval. The
    /// owner already granted `granted` alone in this round, which counts
    /// against their authority.
    fn small_remedy(&mut self, granted: i64) -> Option<RemedyPlan> {
        let (kind, base) = if self.rng.chance(0.6) {
            (RemedyKind::ApologyOnly, 0)
        } else {
            let grant = self
                .rules
                .authority
                .grant_limit(self.owner.role, RemedyKind::Voucher);
            (
                RemedyKind::Voucher,
                (self.range(10, 51) * 100).min(grant.max(0)),
            )
        };
        let auto = matches!(
            self.route_after(kind, base, granted),
            Some(Routing::AutoApproved)
        );
        auto.then(|| RemedyPlan {
            id: RemedyId(self.rng.uuid()),
            kind,
            base,
            tier: None,
            note: catalog::remedy_note(kind, &catalog::yuan(base)),
            approver: None,
        })
    }

    fn propose_nom(&self, gap: i64, r: &RemedyPlan) -> Nom {
        Nom {
            gap,
            elastic: false,
            actor: self.owner.clone(),
            cmd: propose(r.id, r.kind, self.cny(r.base), r.tier.clone(), &r.note),
        }
    }

    // ------------------------------------------------------------ handling

    /// The commands from judging valid up to the one that reaches `upto`
    /// (validated … resolved). With `reject_only` (for `analysed`) the
    /// remedy is proposed and rejected.
    fn handling(
        &mut self,
        upto: ComplaintState,
        pause_mode: PauseMode,
        reject_only: bool,
    ) -> Vec<Nom> {
        let mut v = Vec::new();
        let owner = self.owner.clone();
        let judge_by = if self.rng.chance(0.7) {
            self.recorder.clone()
        } else {
            self.dispatcher.clone()
        };
        let note = *self.rng.pick(JUDGE_VALID_NOTES);
        v.push(Nom {
            elastic: false,
            gap: self.range(5 * MIN, 60 * MIN),
            actor: judge_by,
            cmd: judge_valid(note),
        });
        if upto == St::Validated {
            return v;
        }
        v.push(Nom {
            elastic: false,
            gap: self.range(5 * MIN, 90 * MIN),
            actor: self.dispatcher.clone(),
            cmd: assign(self.department, &owner),
        });
        if upto == St::Assigned {
            return v;
        }
        let mut causes = vec![*self.rng.pick(self.cat.causes)];
        if self.rng.chance(0.35) {
            causes.push(*self.rng.pick(self.cat.causes));
        }
        causes.sort_unstable();
        causes.dedup();
        let note: Vec<&str> = causes
            .iter()
            .map(|c| catalog::root_cause_note(*c))
            .collect();
        v.push(Nom {
            elastic: true,
            gap: self.range(30 * MIN, 6 * HOUR),
            actor: owner.clone(),
            cmd: root_cause(&causes, &note.join("；")),
        });
        let clock = clock_id(self.id, ClockKind::Resolution);
        let reason = if self.rng.chance(0.7) {
            PauseReason::WaitingOnCustomer
        } else {
            PauseReason::WaitingOnThirdParty
        };
        if pause_mode != PauseMode::None {
            v.push(Nom {
                elastic: false,
                gap: self.range(5 * MIN, 40 * MIN),
                actor: owner.clone(),
                cmd: pause(clock, reason),
            });
        }
        if pause_mode == PauseMode::Resumed {
            v.push(Nom {
                elastic: false,
                gap: self.range(HOUR, 10 * HOUR),
                actor: owner.clone(),
                cmd: resume(clock),
            });
        }
        if upto == St::Analysed && !reject_only {
            return v;
        }
        let primary = self.remedy(upto == St::AwaitingApproval || reject_only);
        let secondary = if reject_only || !self.rng.chance(0.15) {
            None
        } else {
            // The primary remedy counts when it was granted alone.
            let granted = if primary.approver.is_none() {
                primary.base + primary.tier.as_ref().map_or(0, |t| t.extra_minor)
            } else {
                0
            };
            self.small_remedy(granted)
        };
        let gap = self.range(10 * MIN, 3 * HOUR);
        v.push(self.propose_nom(gap, &primary));
        if let Some(s) = &secondary {
            let gap = self.range(MIN, 20 * MIN);
            v.push(self.propose_nom(gap, s));
        }
        if upto == St::AwaitingApproval {
            return v;
        }
        if let Some(approver_1) = primary.approver.clone() {
            if reject_only || self.rng.chance(0.1) {
                let reason = *self.rng.pick(catalog::REJECT_REASONS);
                v.push(Nom {
                    elastic: false,
                    gap: self.range(20 * MIN, 3 * HOUR),
                    actor: approver_1,
                    cmd: decide(approval_id(primary.id, 1), 1, false, reason),
                });
                if reject_only {
                    return v;
                }
                let lower = Self::part(primary.base, self.rng.uniform(0.4, 0.7)) / 100 * 100;
                let total = lower + primary.tier.as_ref().map_or(0, |t| t.extra_minor);
                v.push(Nom {
                    elastic: false,
                    gap: self.range(10 * MIN, 2 * HOUR),
                    actor: owner.clone(),
                    cmd: revise(primary.id, 1, lower, "按审批意见下调金额后重新提交"),
                });
                // The secondary remedy, if any, was granted alone before.
                let granted = secondary.as_ref().map_or(0, |s| s.base);
                if let Some(Routing::NeedsApproval { required_role }) =
                    self.route_after(primary.kind, total, granted)
                {
                    let approver_2 = approver(&mut self.rng, required_role, &owner.user);
                    v.push(Nom {
                        elastic: true,
                        gap: self.range(20 * MIN, 3 * HOUR),
                        actor: approver_2,
                        cmd: decide(approval_id(primary.id, 2), 2, true, ""),
                    });
                }
            } else {
                v.push(Nom {
                    elastic: true,
                    gap: self.range(20 * MIN, 5 * HOUR),
                    actor: approver_1,
                    cmd: decide(approval_id(primary.id, 1), 1, true, ""),
                });
            }
        }
        if upto == St::RemedyAgreed {
            return v;
        }
        v.push(Nom {
            elastic: true,
            gap: self.range(30 * MIN, 20 * HOUR),
            actor: owner.clone(),
            cmd: implement(primary.id, implement_note(primary.kind)),
        });
        if let Some(s) = &secondary {
            v.push(Nom {
                elastic: false,
                gap: self.range(MIN, 30 * MIN),
                actor: owner.clone(),
                cmd: implement(s.id, implement_note(s.kind)),
            });
        }
        if upto == St::Implemented {
            return v;
        }
        let note = *self.rng.pick(catalog::RESOLVE_NOTES);
        v.push(Nom {
            elastic: false,
            gap: self.range(5 * MIN, 2 * HOUR),
            actor: owner,
            cmd: resolve(note),
        });
        v
    }

    /// Callback attempts from `resolved` on until the callback is final;
    /// a dissatisfied customer (when `allow_reopen`) reopens the complaint
    /// for another round. Returns the offset of the last command.
    fn follow_up(&mut self, resolved: i64, allow_reopen: bool) -> i64 {
        let max_attempts = self.rules.callbacks.max_attempts.max(1);
        let retry = self.rules.callbacks.retry_delay_secs.max(0);
        let caller = any_agent(&mut self.rng);
        let mut t = resolved
            + match self.rng.weighted(&[70, 20, 10]) {
                0 => self.range(30 * MIN, 18 * HOUR),
                1 => self.range(18 * HOUR, 23 * HOUR + 30 * MIN),
                _ => self.range(24 * HOUR + 30 * MIN, 40 * HOUR),
            };
        let satisfied = |rng: &mut SplitMix64| CallbackOutcome::Satisfied {
            score: [5, 4, 3][rng.weighted(&[45, 35, 20])],
        };
        let roll = self.rng.weighted(&[
            78,
            if max_attempts > 1 { 10 } else { 0 },
            5,
            if allow_reopen { 7 } else { 0 },
        ]);
        match roll {
            0 | 1 => {
                if roll == 1 {
                    let note = *self.rng.pick(catalog::UNREACHABLE_NOTES);
                    let id = AttemptId(self.rng.uuid());
                    self.script
                        .push(t, &caller, callback(id, CallbackOutcome::Unreachable, note));
                    t += retry + self.range(0, 3 * HOUR);
                }
                let outcome = satisfied(&mut self.rng);
                let note = *self.rng.pick(catalog::SATISFIED_NOTES);
                let id = AttemptId(self.rng.uuid());
                self.script.push(t, &caller, callback(id, outcome, note));
                t
            }
            2 => {
                for attempt in 0..max_attempts {
                    if attempt > 0 {
                        t += retry + self.range(0, 3 * HOUR);
                    }
                    let note = *self.rng.pick(catalog::UNREACHABLE_NOTES);
                    let id = AttemptId(self.rng.uuid());
                    self.script
                        .push(t, &caller, callback(id, CallbackOutcome::Unreachable, note));
                }
                t
            }
            _ => {
                let note = *self.rng.pick(catalog::NOT_SATISFIED_NOTES);
                let id = AttemptId(self.rng.uuid());
                // 1 or 2 without another draw, so the rest of the data set
                // stays what it was.
                let score = Some(1 + u8::from(note.len() % 2 == 0));
                self.script.push(
                    t,
                    &caller,
                    callback(id, CallbackOutcome::NotSatisfied { score }, note),
                );
                // A new handling round: its own remedy, then resolve again.
                let owner = self.owner.clone();
                let remedy = self.small_remedy(0).unwrap_or_else(|| RemedyPlan {
                    id: RemedyId(self.rng.uuid()),
                    kind: RemedyKind::ApologyOnly,
                    base: 0,
                    tier: None,
                    note: catalog::remedy_note(RemedyKind::ApologyOnly, "0"),
                    approver: None,
                });
                let proposed = t + self.range(HOUR, 6 * HOUR);
                let done = proposed + self.range(HOUR, 20 * HOUR);
                let resolved = done + self.range(5 * MIN, 2 * HOUR);
                let nom = self.propose_nom(0, &remedy);
                self.script.push(proposed, &nom.actor, nom.cmd);
                self.script.push(
                    done,
                    &owner,
                    implement(remedy.id, implement_note(remedy.kind)),
                );
                let note = *self.rng.pick(catalog::RESOLVE_NOTES);
                self.script.push(resolved, &owner, resolve(note));
                let first = t + self.range(10 * MIN, HOUR);
                self.updates(first, resolved - MIN, false);
                self.follow_up(resolved, false)
            }
        }
    }

    fn review_and_close(&mut self, from: i64, close_too: bool) -> i64 {
        let reviewer = any_supervisor(&mut self.rng);
        let reviewed = from + self.range(HOUR, 48 * HOUR);
        let lessons = *self.rng.pick(catalog::REVIEW_LESSONS);
        let mut actions = vec![*self.rng.pick(catalog::REVIEW_ACTIONS)];
        if self.rng.chance(0.4) {
            actions.push(*self.rng.pick(catalog::REVIEW_ACTIONS));
        }
        actions.dedup();
        self.script
            .push(reviewed, &reviewer, review(lessons, &actions));
        if !close_too {
            return reviewed;
        }
        let closed = reviewed + self.range(10 * MIN, 24 * HOUR);
        let note = *self.rng.pick(catalog::CLOSE_NOTES);
        self.script.push(closed, &reviewer, close(note));
        closed
    }

    /// Judged not valid at `judged`: answered politely by `latest`, and
    /// closed `close_after` later when set. Returns the last offset.
    fn invalid(&mut self, judged: i64, latest: i64, close_after: Option<i64>) -> i64 {
        let (reason, note) = catalog::INVALID_NOTES[self.rng.weighted(&[45, 25, 15, 15])];
        let judge_by = self.recorder.clone();
        self.script
            .push(judged, &judge_by, judge_invalid(reason, note));
        let answered = (judged + self.range(MIN, 20 * MIN)).min(latest).max(judged);
        if judged - self.rec_off > 50 * MIN && self.rng.chance(0.7) {
            let t = self.rec_off + self.range(MIN, 30 * MIN);
            let id = self.update_id();
            self.script.push(
                t,
                &judge_by,
                progress(id, catalog::PROGRESS_INFORMED[0], true),
            );
        }
        let id = self.update_id();
        self.script.push(
            answered,
            &judge_by,
            progress(id, &format!("已向客户耐心解释：{note}"), true),
        );
        match close_after {
            Some(after) => {
                let sup = any_supervisor(&mut self.rng);
                let closed = answered + after;
                self.script
                    .push(closed, &sup, close("已礼貌答复客户，结案"));
                closed
            }
            None => answered,
        }
    }

    /// A complaint that went all the way round and was closed. Returns how
    /// long after receipt it was closed.
    fn plan_closed(&mut self) -> i64 {
        self.rec_off = self.record_delay();
        if self.rng.chance(0.08) {
            let judged = self.rec_off + self.range(10 * MIN, 4 * HOUR);
            let after = self.range(30 * MIN, 20 * HOUR);
            return self.invalid(judged, i64::MAX, Some(after));
        }
        let target = self.targets.resolution.seconds;
        let fraction = if self.rng.chance(0.13) {
            self.rng.uniform(1.05, 1.5)
        } else if self.fast {
            // Emotion-driven and public complaints get handled fast.
            self.rng.uniform(0.02, 0.18)
        } else {
            self.rng.uniform(0.08, 0.85)
        };
        let resolved = Self::part(target, fraction).max(self.rec_off + 40 * MIN);
        let pause_mode = if self.rng.chance(0.06) {
            PauseMode::Resumed
        } else {
            PauseMode::None
        };
        let noms = self.handling(St::Resolved, pause_mode, false);
        let rec = self.rec_off;
        self.place(noms, rec, resolved);
        let first = self.first_response();
        let last = resolved - self.range(MIN, 20 * MIN);
        self.updates(first, last, false);
        let followed = self.follow_up(resolved, true);
        self.review_and_close(followed, true)
    }

    /// How long a complaint resolved within its target took: fast-cadence
    /// ones are handled quicker.
    fn handling_time(&mut self) -> i64 {
        let target = self.targets.resolution.seconds;
        if self.fast {
            self.frac(target, 0.03, 0.25)
        } else {
            self.frac(target, 0.1, 0.9)
        }
    }

    /// An open complaint in `state` at `now`. Returns how long before `now`
    /// it was received.
    fn plan_open(
        &mut self,
        state: ComplaintState,
        resolution: Option<Bucket>,
        turns: &mut Turns,
    ) -> i64 {
        let rec = self.record_delay();
        match state {
            St::Recorded => {
                let bucket = turn(&mut turns.first_response, &FIRST_RESPONSE_TURNS);
                let elapsed = match bucket {
                    Warn => self.range(46 * MIN, 58 * MIN),
                    Breach => self.range(62 * MIN, 110 * MIN),
                    _ => self.range(3 * MIN, 40 * MIN),
                };
                self.rec_off = rec.min(elapsed * 2 / 3);
                if bucket == Fine && self.rng.chance(0.5) {
                    let t = self.range(self.rec_off + 30, elapsed);
                    let id = self.update_id();
                    let recorder = self.recorder.clone();
                    self.script.push(
                        t,
                        &recorder,
                        progress(id, catalog::PROGRESS_INFORMED[0], true),
                    );
                }
                elapsed
            }
            St::Validated | St::Invalid => {
                let mut elapsed = if state == St::Validated {
                    self.range(15 * MIN, 3 * HOUR)
                } else {
                    self.range(20 * MIN, 5 * HOUR)
                };
                let lag = self.progress_lag(turns, &mut elapsed, rec);
                self.rec_off = rec.min(elapsed / 4);
                let last = elapsed - lag;
                if state == St::Invalid {
                    let judged = self.range(self.rec_off, (last - 20 * MIN).max(self.rec_off) + 1);
                    let answered = self.invalid(judged, last, None);
                    if answered < last {
                        self.updates(last, last, true);
                    }
                } else {
                    let noms = self.handling(St::Validated, PauseMode::None, false);
                    let end = self.range(self.rec_off, elapsed - MIN);
                    let rec_off = self.rec_off;
                    self.place(noms, rec_off, end);
                    let first = self.first_response();
                    self.updates(first, last, true);
                }
                elapsed
            }
            St::Resolved => {
                let cb_target = self.targets.callback.seconds;
                let age = match turn(&mut turns.callback, &CALLBACK_TURNS) {
                    Warn => self.frac(cb_target, 0.77, 0.985),
                    Breach => self.frac(cb_target, 1.02, 1.25),
                    _ => self.frac(cb_target, 0.01, 0.7),
                };
                let wanted = self.handling_time();
                let handled = self.fit(wanted, OPEN_HORIZON - age).max(90 * MIN);
                self.rec_off = rec.min(handled / 6);
                let noms = self.handling(St::Resolved, PauseMode::None, false);
                let rec_off = self.rec_off;
                self.place(noms, rec_off, handled);
                let first = self.first_response();
                let last = handled - self.range(MIN, 20 * MIN);
                self.updates(first, last, false);
                if age > 40 * MIN && self.rng.chance(0.35) {
                    let t = handled + self.range(10 * MIN, (age - 5 * MIN).min(3 * HOUR));
                    let caller = any_agent(&mut self.rng);
                    let note = *self.rng.pick(catalog::UNREACHABLE_NOTES);
                    let id = AttemptId(self.rng.uuid());
                    self.script
                        .push(t, &caller, callback(id, CallbackOutcome::Unreachable, note));
                }
                handled + age
            }
            St::FollowedUp | St::Reviewed => {
                let called = self.range(HOUR, 20 * HOUR);
                let reviewed = if state == St::Reviewed {
                    self.range(HOUR, 10 * HOUR)
                } else {
                    0
                };
                let age = self.range(10 * MIN, 8 * HOUR);
                let wanted = self.handling_time();
                let handled = self
                    .fit(wanted, 48 * HOUR - called - reviewed - age)
                    .max(90 * MIN);
                self.rec_off = rec.min(handled / 6);
                let noms = self.handling(St::Resolved, PauseMode::None, false);
                let rec_off = self.rec_off;
                self.place(noms, rec_off, handled);
                let first = self.first_response();
                let last = handled - self.range(MIN, 20 * MIN);
                self.updates(first, last, false);
                let caller = any_agent(&mut self.rng);
                let id = AttemptId(self.rng.uuid());
                let score = [5, 4, 3][self.rng.weighted(&[50, 35, 15])];
                let note = *self.rng.pick(catalog::SATISFIED_NOTES);
                let t = handled + called;
                self.script.push(
                    t,
                    &caller,
                    callback(id, CallbackOutcome::Satisfied { score }, note),
                );
                if state == St::Reviewed {
                    // Reviewed `reviewed` after the callback, waiting to be closed.
                    let reviewer = any_supervisor(&mut self.rng);
                    let lessons = *self.rng.pick(catalog::REVIEW_LESSONS);
                    let action = *self.rng.pick(catalog::REVIEW_ACTIONS);
                    self.script
                        .push(t + reviewed, &reviewer, review(lessons, &[action]));
                }
                t + reviewed + age
            }
            // Being handled: assigned … implemented.
            _ => {
                let target = self.targets.resolution.seconds;
                let fraction = match resolution.unwrap_or(Fine) {
                    Low => self.rng.uniform(0.02, 0.1),
                    Warn => self.rng.uniform(0.77, 0.96),
                    Breach => self.rng.uniform(1.03, 1.6),
                    Fine | DueSoon => self.rng.uniform(0.1, 0.7),
                };
                let min_elapsed = match state {
                    St::Assigned => 25 * MIN,
                    St::Analysed => 50 * MIN,
                    St::AwaitingApproval => 70 * MIN,
                    St::RemedyAgreed => 90 * MIN,
                    _ => 2 * HOUR,
                };
                let wanted = Self::part(target, fraction).max(min_elapsed);
                let mut elapsed = if wanted <= OPEN_HORIZON {
                    wanted
                } else {
                    // Too old for the horizon: somewhere in its last day,
                    // still past due when it should be.
                    let floor = if resolution == Some(Breach) {
                        Self::part(target, 1.01)
                    } else {
                        OPEN_HORIZON - DAY
                    };
                    self.range(floor.min(OPEN_HORIZON), OPEN_HORIZON + 1)
                };
                let lag = self.progress_lag(turns, &mut elapsed, rec);
                self.rec_off = rec.min(elapsed / 6);
                let room = elapsed - self.rec_off;
                let age = if state == St::AwaitingApproval {
                    let approval = self.targets.approval.seconds;
                    match turn(&mut turns.approval, &APPROVAL_TURNS) {
                        Warn => self.frac(approval, 0.78, 0.95),
                        Breach => self.frac(approval, 1.05, 3.0),
                        _ => self.frac(approval, 0.05, 0.7),
                    }
                } else {
                    self.frac(room, 0.02, 0.4)
                };
                let age = age.min(room * 3 / 4);
                let calm = matches!(resolution, Some(Fine | Low));
                let pause_mode = if calm
                    && matches!(
                        state,
                        St::Analysed | St::AwaitingApproval | St::RemedyAgreed
                    )
                    && self.rng.chance(0.12)
                {
                    PauseMode::Open
                } else {
                    PauseMode::None
                };
                let reject_only = state == St::Analysed && self.rng.chance(0.15);
                let noms = self.handling(state, pause_mode, reject_only);
                let rec_off = self.rec_off;
                self.place(noms, rec_off, elapsed - age);
                let first = self.first_response();
                self.updates(first, elapsed - lag, true);
                elapsed
            }
        }
    }

    /// How long before `now` the last update the customer heard of was
    /// given; raises `elapsed` if the complaint is too young for it.
    fn progress_lag(&mut self, turns: &mut Turns, elapsed: &mut i64, rec: i64) -> i64 {
        let cadence = self.targets.progress_cadence.seconds.max(2 * MIN);
        if self.fast {
            let lag = match turn(&mut turns.progress, &PROGRESS_TURNS) {
                // Due 15-55 s after `now`.
                DueSoon => cadence - self.range(15, 56),
                Warn => self.frac(cadence, 0.78, 0.95),
                Breach => self.frac(cadence, 1.05, 2.5),
                Fine | Low => self.frac(cadence, 0.05, 0.7),
            };
            *elapsed = (*elapsed).max(lag + rec + 3 * MIN);
            lag
        } else {
            let lag = if self.rng.chance(0.85) {
                self.frac(cadence, 0.02, 0.7)
            } else {
                self.frac(cadence, 1.02, 1.5)
            };
            lag.min(*elapsed - rec - MIN).max(0)
        }
    }
}

fn implement_note(kind: RemedyKind) -> &'static str {
    match kind {
        RemedyKind::Refund => "退款已原路退回",
        RemedyKind::Replacement => "新品已加急发出",
        RemedyKind::Repair => "已上门维修完毕",
        RemedyKind::Discount => "折扣已在系统中配置",
        RemedyKind::CompensationPayment => "赔偿款已转账",
        RemedyKind::FeeWaiver => "费用已减免",
        RemedyKind::Voucher => "优惠券已发放到客户账户",
        RemedyKind::ServiceUpgrade => "服务已升级",
        RemedyKind::ApologyOnly => "已向客户致歉",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotations_put_the_required_buckets_first() {
        assert!(PROGRESS_TURNS[..3].contains(&DueSoon));
        assert!(PROGRESS_TURNS[..3].contains(&Breach));
        assert!(PROGRESS_TURNS[..3].contains(&Warn));
        assert!(RESOLUTION_TURNS[..2].contains(&Breach));
        let distinct: std::collections::BTreeSet<_> = OPEN_STATES[..11].iter().collect();
        assert_eq!(distinct.len(), 11);
        assert!(!OPEN_STATES.contains(&St::Closed));
    }

    #[test]
    fn chinese_ordinals() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(12), "12");
    }
}
