//! The five example complaints of the domain description, hand-written, with
//! fixed ids so tests and demos can find them. Their times are relative to
//! the demo's `now`.

use super::script::{
    DAY, HOUR, MIN, Plan, Script, agent, assign, callback, close, decide, implement, judge_invalid,
    judge_valid, progress, propose, resolve, review, root_cause, supervisor,
};
use crate::rng::SplitMix64;
use jiff::Timestamp;
use redress_domain::Rules;
use redress_domain::authority::Routing;
use redress_domain::complaint::{ComplaintDraft, NewComplaint, Tier, approval_id};
use redress_domain::ids::{AttemptId, CategoryCode, ComplaintId, RemedyId, UpdateId};
use redress_domain::model::{
    Actor, CallbackOutcome, Channel, ComplaintKind, Customer, DemandClass, InvalidReason, Money,
    RemedyKind, RootCause, Severity, Subject, SubjectKind,
};
use uuid::Uuid;

const fn example(n: u128) -> ComplaintId {
    ComplaintId(Uuid::from_u128(
        0x5e3d_0000_0000_4000_8000_0000_0000_0000 | n,
    ))
}

/// A bank customer's lost-card call: 30 minutes with long silences, unsure
/// when the new card arrives (demand-driven; root cause process + system).
pub const LOST_CARD: ComplaintId = example(1);
/// Broadband drops, first call: the modem was restarted (closed).
pub const BROADBAND_FIRST: ComplaintId = example(2);
/// Broadband drops again, second call: an engineer replaced the modem (closed).
pub const BROADBAND_SECOND: ComplaintId = example(3);
/// Third call the next day, angry: repeat ordinal 3, escalated, a ¥199 fee
/// waiver waiting for a supervisor.
pub const BROADBAND_REPEAT: ComplaintId = example(4);
/// A disputed ring-back-tone subscription: a misunderstanding of the free
/// period, judged not valid and closed politely.
pub const RING_BACK_TONE: ComplaintId = example(5);
/// A discounted overseas package tour spreading on a forum: public
/// exposure, compound, a tiered compensation waiting for a manager.
pub const PACKAGE_TOUR: ComplaintId = example(6);
/// A wrong spare part shipped: replacement approved and sent expedited.
pub const WRONG_SPARE_PART: ComplaintId = example(7);

/// Every example id, in the order above.
pub const ALL: [ComplaintId; 7] = [
    LOST_CARD,
    BROADBAND_FIRST,
    BROADBAND_SECOND,
    BROADBAND_REPEAT,
    RING_BACK_TONE,
    PACKAGE_TOUR,
    WRONG_SPARE_PART,
];

/// The repeat family of the broadband complaints.
pub(super) const BROADBAND_FAMILY: usize = 0;

/// Deterministic sub-ids (remedies, updates, attempts) of one example.
struct Ids(SplitMix64);

impl Ids {
    fn new(id: ComplaintId) -> Ids {
        Ids(SplitMix64::derive(0x7e57_da7a, id.0.as_u128() as u64))
    }
    fn update(&mut self) -> UpdateId {
        UpdateId(self.0.uuid())
    }
    fn remedy(&mut self) -> RemedyId {
        RemedyId(self.0.uuid())
    }
    fn attempt(&mut self) -> AttemptId {
        AttemptId(self.0.uuid())
    }
}

fn cny(minor: i64, rules: &Rules) -> Money {
    Money {
        amount_minor: minor,
        currency: rules.authority.currency.clone(),
    }
}

fn needs_approval(rules: &Rules, proposer: &Actor, kind: RemedyKind, total: i64) -> bool {
    matches!(
        rules.authority.route(proposer, kind, total),
        Ok(Routing::NeedsApproval { .. })
    )
}

struct Base {
    id: ComplaintId,
    name: &'static str,
    phone: &'static str,
    customer_id: Option<&'static str>,
    channel: Channel,
    subject: (SubjectKind, &'static str),
    category: &'static str,
    demand: &'static str,
    description: &'static str,
    kind: ComplaintKind,
    demand_class: DemandClass,
    severity: Severity,
    public_exposure: bool,
}

fn plan(
    seq: usize,
    family: Option<usize>,
    base: Base,
    received_at: Timestamp,
    recorder: Actor,
    recorded_after: i64,
    script: Script,
) -> Plan {
    Plan {
        seq,
        family,
        new: NewComplaint {
            id: base.id,
            number: String::new(),
            draft: ComplaintDraft {
                customer: Customer {
                    name: base.name.to_owned(),
                    phone: base.phone.to_owned(),
                    customer_id: base.customer_id.map(str::to_owned),
                },
                channel: base.channel,
                subject: Subject {
                    kind: base.subject.0,
                    reference: base.subject.1.to_owned(),
                },
                category: CategoryCode::new(base.category),
                demand: base.demand.to_owned(),
                description: base.description.to_owned(),
                kind: base.kind,
                demand_class: base.demand_class,
                severity: base.severity,
                public_exposure: base.public_exposure,
                received_at: Some(received_at),
            },
        },
        received_at,
        recorder,
        recorded_at: super::script::at(received_at, recorded_after),
        steps: script.into_steps(received_at),
    }
}

/// The seven plans (five examples; the broadband one with its two earlier calls).
pub(super) fn plans(now: Timestamp, rules: &Rules) -> Vec<Plan> {
    let received = |ago: i64| super::script::at(now, -ago);
    vec![
        lost_card(received(3 * HOUR + 10 * MIN), rules),
        broadband_first(received(19 * DAY + 3 * HOUR), rules),
        broadband_second(received(4 * DAY + 2 * HOUR), rules),
        broadband_repeat(received(50 * MIN), rules),
        ring_back_tone(received(27 * HOUR)),
        package_tour(received(5 * HOUR), rules),
        wrong_spare_part(received(22 * HOUR), rules),
    ]
}

fn lost_card(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(LOST_CARD);
    let li = agent("agent.li");
    let zhang = supervisor("sup.zhang");
    let (waiver, express) = (ids.remedy(), ids.remedy());
    let mut s = Script::default();
    s.push(
        35 * MIN,
        &li,
        progress(
            ids.update(),
            "已回电致歉：新卡已加急制作，预计两个工作日内通过 EMS 寄达，寄送单号会短信告知",
            true,
        ),
    );
    s.push(
        38 * MIN,
        &zhang,
        judge_valid(
            "调取通话录音：通话 31 分钟，其中静音等待累计 14 分钟，座席未向客户说明等待原因，也未告知新卡寄送时效",
        ),
    );
    s.push(40 * MIN, &zhang, assign("customer_care", &li));
    s.push(
        70 * MIN,
        &li,
        root_cause(
            &[RootCause::Process, RootCause::System],
            "挂失补卡要在核心系统、卡管系统和寄送系统之间来回切换，查询寄送信息还需转接后台，造成长时间静音；话术也没有要求告知等待原因和新卡时效",
        ),
    );
    s.push(
        75 * MIN,
        &li,
        propose(
            waiver,
            RemedyKind::FeeWaiver,
            cny(1_000, rules),
            None,
            "免收补卡工本费 10 元",
        ),
    );
    s.push(
        76 * MIN,
        &li,
        propose(
            express,
            RemedyKind::ServiceUpgrade,
            cny(0, rules),
            None,
            "新卡加急制作，EMS 免费寄送到客户单位地址",
        ),
    );
    s.push(80 * MIN, &li, implement(waiver, "工本费已减免"));
    s.push(
        2 * HOUR,
        &li,
        progress(
            ids.update(),
            "新卡已寄出，已短信告知客户 EMS 单号 1100 8823 4471 5，预计后天上午送达",
            true,
        ),
    );
    let base = Base {
        id: LOST_CARD,
        name: "刘建国",
        phone: "138-0013-5721",
        customer_id: Some("CIF-3102-0087"),
        channel: Channel::Phone,
        subject: (SubjectKind::BusinessLine, "借记卡挂失补卡"),
        category: "banking.card_replacement",
        demand: "明确告知新卡什么时候能寄到，并尽快寄出",
        description: "客户来电挂失借记卡，通话持续约 30 分钟，期间多次长时间静音等待，座席没有说明原因；挂失办完后客户仍不清楚新卡何时寄到、寄到哪里。客户要求明确新卡到达时间，并对等待体验作出解释。",
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
    };
    plan(0, None, base, received_at, li, 32 * MIN, s)
}

const BROADBAND_NAME: &str = "王志强";
const BROADBAND_PHONE: &str = "139 1024 6608";

fn broadband_first(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(BROADBAND_FIRST);
    let chen = agent("agent.chen");
    let zhang = supervisor("sup.zhang");
    let restart = ids.remedy();
    let mut s = Script::default();
    s.push(
        8 * MIN,
        &chen,
        progress(
            ids.update(),
            "已远程检测线路，指导客户重启光猫，重启后恢复正常；已告知客户如再掉线可直接回拨",
            true,
        ),
    );
    s.push(10 * MIN, &chen, judge_valid("线路确有掉线记录，投诉成立"));
    s.push(12 * MIN, &chen, assign("network_operations", &chen));
    s.push(
        20 * MIN,
        &chen,
        root_cause(&[RootCause::Product], "光猫长时间运行发热，重启后恢复"),
    );
    s.push(
        22 * MIN,
        &chen,
        propose(
            restart,
            RemedyKind::Repair,
            cny(0, rules),
            None,
            "远程重启光猫并下发优化配置",
        ),
    );
    s.push(25 * MIN, &chen, implement(restart, "已远程重启并下发配置"));
    s.push(26 * MIN, &chen, resolve("已告知客户处理结果"));
    s.push(
        DAY + 10 * HOUR,
        &chen,
        callback(
            ids.attempt(),
            CallbackOutcome::Satisfied { score: 4 },
            "客户表示重启后暂时正常",
        ),
    );
    s.push(
        2 * DAY,
        &zhang,
        review(
            "只在用户侧重启光猫，没有排查网络侧原因",
            &["同一线路再次报障时直接派单上门检测"],
        ),
    );
    s.push(2 * DAY + 30 * MIN, &zhang, close("结案"));
    let base = Base {
        id: BROADBAND_FIRST,
        name: BROADBAND_NAME,
        phone: BROADBAND_PHONE,
        customer_id: None,
        channel: Channel::Phone,
        subject: (SubjectKind::BusinessLine, "家庭宽带 300M（光纤入户）"),
        category: "broadband.dropout",
        demand: "尽快修复网络",
        description: "家庭宽带每天晚上八九点频繁掉线，每次断几分钟，影响孩子上网课。",
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
    };
    plan(
        1,
        Some(BROADBAND_FAMILY),
        base,
        received_at,
        chen,
        6 * MIN,
        s,
    )
}

fn broadband_second(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(BROADBAND_SECOND);
    let zhao = agent("agent.zhao");
    let zhang = supervisor("sup.zhang");
    let visit = ids.remedy();
    let mut s = Script::default();
    s.push(
        8 * MIN,
        &zhao,
        progress(ids.update(), "已为客户预约明天上午工程师上门检修", true),
    );
    s.push(
        9 * MIN,
        &zhao,
        judge_valid("同一线路一周内再次掉线，投诉成立"),
    );
    s.push(12 * MIN, &zhao, assign("field_service", &zhao));
    s.push(
        22 * HOUR,
        &zhao,
        root_cause(
            &[RootCause::Product],
            "工程师上门检测：光猫老化，入户光纤弯折处损耗偏大",
        ),
    );
    s.push(
        22 * HOUR + 5 * MIN,
        &zhao,
        propose(
            visit,
            RemedyKind::Repair,
            cny(0, rules),
            None,
            "免费更换新光猫，并重新熔接入户光纤",
        ),
    );
    s.push(
        23 * HOUR,
        &zhao,
        implement(visit, "已更换光猫，测试速率正常"),
    );
    s.push(
        23 * HOUR + 10 * MIN,
        &zhao,
        resolve("工程师当面告知客户处理结果"),
    );
    s.push(
        2 * DAY,
        &zhao,
        callback(
            ids.attempt(),
            CallbackOutcome::Satisfied { score: 4 },
            "更换光猫后测试正常，客户认可",
        ),
    );
    s.push(
        2 * DAY + 2 * HOUR,
        &zhang,
        review(
            "第二次报障已上门更换光猫，需跟踪是否再次掉线",
            &["把该用户线路加入重点观察名单"],
        ),
    );
    s.push(2 * DAY + 3 * HOUR, &zhang, close("结案"));
    let base = Base {
        id: BROADBAND_SECOND,
        name: BROADBAND_NAME,
        phone: BROADBAND_PHONE,
        customer_id: None,
        channel: Channel::Phone,
        subject: (SubjectKind::BusinessLine, "家庭宽带 300M（光纤入户）"),
        category: "broadband.dropout",
        demand: "派工程师上门彻底检修",
        description: "上次重启光猫后好了几天，这周又开始每晚掉线。客户不想再远程重启，要求派工程师上门彻底检查。",
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
    };
    plan(
        2,
        Some(BROADBAND_FAMILY),
        base,
        received_at,
        zhao,
        5 * MIN,
        s,
    )
}

fn broadband_repeat(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(BROADBAND_REPEAT);
    let li = agent("agent.li");
    let chen = agent("agent.chen");
    let zhang = supervisor("sup.zhang");
    let mut s = Script::default();
    s.push(
        14 * MIN,
        &li,
        progress(
            ids.update(),
            "已向客户诚恳致歉，说明已升级处理，承诺 30 分钟内回电反馈进展",
            true,
        ),
    );
    s.push(
        15 * MIN,
        &li,
        judge_valid("本月第三次因同一故障来电，投诉成立，已升级班长"),
    );
    s.push(18 * MIN, &zhang, assign("network_operations", &chen));
    s.push(
        22 * MIN,
        &zhang,
        progress(
            ids.update(),
            "内部备注：第三次重复投诉，客户情绪激动，班长全程跟进",
            false,
        ),
    );
    s.push(
        24 * MIN,
        &chen,
        progress(
            ids.update(),
            "网络运维部远程排查，初步判断为小区分光器端口故障，已安排今晚抢修；已回电告知客户",
            true,
        ),
    );
    s.push(
        30 * MIN,
        &chen,
        root_cause(
            &[RootCause::Process, RootCause::System],
            "OLT 侧该端口光功率偏低，分光器故障；前两次处理都只在用户侧排查，没有联动网络侧检查",
        ),
    );
    s.push(
        36 * MIN,
        &chen,
        propose(
            ids.remedy(),
            RemedyKind::FeeWaiver,
            cny(19_900, rules),
            None,
            "减免本月宽带月租 199 元",
        ),
    );
    let base = Base {
        id: BROADBAND_REPEAT,
        name: BROADBAND_NAME,
        phone: BROADBAND_PHONE,
        customer_id: None,
        channel: Channel::Phone,
        subject: (SubjectKind::BusinessLine, "家庭宽带 300M（光纤入户）"),
        category: "broadband.dropout",
        demand: "彻底解决掉线问题，减免本月宽带月租 199 元",
        description: "工程师上门换了光猫，第二天晚上又开始掉线，这是本月第三次因为同一个问题来电。客户情绪非常激动：“修了两次都没用，每个月交钱却天天断网！”要求彻底解决并减免本月宽带费，否则向工信部投诉。",
        kind: ComplaintKind::EmotionDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
    };
    plan(
        3,
        Some(BROADBAND_FAMILY),
        base,
        received_at,
        li,
        12 * MIN,
        s,
    )
}

fn ring_back_tone(received_at: Timestamp) -> Plan {
    let mut ids = Ids::new(RING_BACK_TONE);
    let huang = agent("agent.huang");
    let zhang = supervisor("sup.zhang");
    let mut s = Script::default();
    s.push(
        6 * MIN,
        &huang,
        progress(ids.update(), "已受理，承诺一小时内查询订购记录后回电", true),
    );
    s.push(
        40 * MIN,
        &huang,
        judge_invalid(
            InvalidReason::Misunderstanding,
            "查询订购记录：客户上月在营业厅办理 5G 套餐时一并开通了视频彩铃，含三个月免费体验期，业务单上有客户签字；本月是免费期结束后的第一个计费月",
        ),
    );
    s.push(
        45 * MIN,
        &huang,
        progress(
            ids.update(),
            "已回电向客户解释免费体验期到期后自动计费的规则，并按客户要求办理退订，下月起不再收费；客户表示理解",
            true,
        ),
    );
    s.push(
        3 * HOUR,
        &zhang,
        close("已礼貌答复客户，客户认可解释，结案"),
    );
    let base = Base {
        id: RING_BACK_TONE,
        name: "张伟",
        phone: "186 2233 4417",
        customer_id: None,
        channel: Channel::Phone,
        subject: (SubjectKind::Product, "视频彩铃"),
        category: "telecom.value_added_billing",
        demand: "退还彩铃费用并取消该业务",
        description: "客户称本月话费账单中出现“视频彩铃功能费 5 元”，表示自己从没订过彩铃，怀疑被乱扣费，语气较冲。",
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::LOW,
        public_exposure: false,
    };
    plan(4, None, base, received_at, huang, 4 * MIN, s)
}

fn package_tour(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(PACKAGE_TOUR);
    let zhao = agent("agent.zhao");
    let zhou = supervisor("sup.zhou");
    let (apology, compensation) = (ids.remedy(), ids.remedy());
    let mut s = Script::default();
    for (minutes, text) in [
        (
            25,
            "已通过论坛私信和电话联系客户，诚恳致歉，承诺今天内给出处理方案，并每半小时同步一次进展",
        ),
        (60, "已联系地接社核实早餐安排，已告知客户核实进展"),
        (
            110,
            "已告知客户初步原因：地接社擅自取消早餐，签证材料审核滞后",
        ),
        (170, "已告知客户赔偿方案已提交，正在等待审批"),
        (
            266,
            "已告知客户赔偿方案仍在经理审批中，暂无新进展，半小时后再同步",
        ),
    ] {
        s.push(minutes * MIN, &zhou, progress(ids.update(), text, true));
    }
    s.push(
        30 * MIN,
        &zhou,
        judge_valid("合同约定含早餐，投诉成立；已在论坛帖下回复“已联系客户处理”"),
    );
    s.push(35 * MIN, &zhou, assign("customer_care", &zhou));
    s.push(
        100 * MIN,
        &zhou,
        root_cause(
            &[RootCause::Management, RootCause::Process],
            "地接社擅自取消早餐，我司没有做行中质检；签证材料审核滞后，出发前一周才发现缺件",
        ),
    );
    s.push(
        130 * MIN,
        &zhou,
        propose(
            apology,
            RemedyKind::ApologyOnly,
            cny(0, rules),
            None,
            "书面致歉信，并在论坛公开回复处理结果",
        ),
    );
    s.push(
        135 * MIN,
        &zhou,
        propose(
            compensation,
            RemedyKind::CompensationPayment,
            cny(80_000, rules),
            Some(Tier {
                extra_minor: 50_000,
                extra_kind: RemedyKind::Voucher,
                condition: "客户接受方案，代金券十二个月内出游使用".to_owned(),
            }),
            "赔偿三天早餐差价及签证补件误工损失 800 元；另赠 500 元旅游代金券",
        ),
    );
    s.push(
        140 * MIN,
        &zhou,
        implement(apology, "致歉信已发送，论坛已公开回复"),
    );
    let base = Base {
        id: PACKAGE_TOUR,
        name: "陈静",
        phone: "137 5566 8821",
        customer_id: None,
        channel: Channel::SocialMedia,
        subject: (SubjectKind::Order, "TR20260214-3381 北海道六日特价团"),
        category: "travel.package_tour",
        demand: "退还未提供早餐的费用，赔偿签证补件造成的损失，并公开致歉",
        description: "客户参加我司特价出境跟团游（北海道六日），出发前一周才被通知签证材料需要补件，全家为此请假奔波，出发当天才拿到签证；行程中有三天酒店早餐没有安排，导游称“特价团不含早”，与合同约定不符。客户已在旅游论坛发帖《特价团就是坑》，浏览量过万，评论区有其他游客附和。",
        kind: ComplaintKind::Compound,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::HIGH,
        public_exposure: true,
    };
    plan(5, None, base, received_at, zhao, 20 * MIN, s)
}

fn wrong_spare_part(received_at: Timestamp, rules: &Rules) -> Plan {
    let mut ids = Ids::new(WRONG_SPARE_PART);
    let liu = agent("agent.liu");
    let zhang = supervisor("sup.zhang");
    let part = ids.remedy();
    let mut s = Script::default();
    s.push(
        15 * MIN,
        &liu,
        progress(ids.update(), "已致歉，核实后两小时内回复换发方案", true),
    );
    s.push(
        20 * MIN,
        &liu,
        judge_valid("出库记录显示型号错发，投诉成立"),
    );
    s.push(25 * MIN, &liu, assign("logistics", &liu));
    s.push(
        3 * HOUR,
        &liu,
        root_cause(
            &[RootCause::Process, RootCause::People],
            "两种配件库位相邻、外包装相似，拣货员没有扫码复核",
        ),
    );
    let amount = 8_600;
    s.push(
        3 * HOUR + 5 * MIN,
        &liu,
        propose(
            part,
            RemedyKind::Replacement,
            cny(amount, rules),
            None,
            "换发正确的排水泵（86 元），顺丰次日达加急，免运费，并上门取回错发件",
        ),
    );
    if needs_approval(rules, &liu, RemedyKind::Replacement, amount) {
        s.push(
            3 * HOUR + 40 * MIN,
            &zhang,
            decide(approval_id(part, 1), 1, true, ""),
        );
    }
    s.push(
        5 * HOUR,
        &liu,
        implement(part, "已加急发出，顺丰单号 SF1402398812873，明天中午前送达"),
    );
    s.push(
        5 * HOUR + 5 * MIN,
        &liu,
        progress(ids.update(), "已短信告知客户顺丰单号和预计送达时间", true),
    );
    let base = Base {
        id: WRONG_SPARE_PART,
        name: "赵磊",
        phone: "150 3378 9026",
        customer_id: None,
        channel: Channel::App,
        subject: (
            SubjectKind::Order,
            "SP2026030188213（洗衣机排水泵 XQB80-2）",
        ),
        category: "logistics.wrong_item",
        demand: "加急换发正确的排水泵，并上门取回错发的配件",
        description: "客户订购洗衣机排水泵配件（XQB80 适用），收到的却是另一型号的进水阀，无法安装，洗衣机已经停用三天。",
        kind: ComplaintKind::DemandDriven,
        demand_class: DemandClass::ImmediateFix,
        severity: Severity::MEDIUM,
        public_exposure: false,
    };
    plan(6, None, base, received_at, liu, 8 * MIN, s)
}
