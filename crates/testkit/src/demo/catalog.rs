//! The vocabulary demo complaints are written in: categories (several drawn
//! from real public complaint data, see `docs/demo-data.md`), departments,
//! people, and the Chinese texts agents type.

use redress_domain::catalog::{CatalogEntry, Catalogs, Person};
use redress_domain::model::{RemedyKind, RootCause, SubjectKind};

/// One complaint category with a typical department, texts and remedies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategorySample {
    /// Dotted category code, e.g. `credit_card.billing_dispute`.
    pub code: &'static str,
    /// The usual responsible department (one of [`DEPARTMENTS`]).
    pub department: &'static str,
    /// Short description in zh-CN.
    pub zh: &'static str,
    /// Short description in English.
    pub en: &'static str,
    /// Where the category comes from: a CFPB product / issue, an NYC 311
    /// complaint type / descriptor, or the domain description's examples.
    pub source: &'static str,
    pub subject_kind: SubjectKind,
    /// Product or business line; for orders the prefix of the order number.
    pub subject: &'static str,
    /// What the customer typically asks for (zh-CN).
    pub demand: &'static str,
    /// Typical details the customer gives (zh-CN), one is picked.
    pub details: &'static [&'static str],
    /// Remedies that fit, the first being the most usual.
    pub remedies: &'static [RemedyKind],
    /// Root causes that fit.
    pub causes: &'static [RootCause],
}

use RemedyKind as R;
use RootCause as C;
use SubjectKind as S;

#[allow(clippy::too_many_arguments)]
const fn cat(
    code: &'static str,
    department: &'static str,
    zh: &'static str,
    en: &'static str,
    source: &'static str,
    subject: (SubjectKind, &'static str),
    demand: &'static str,
    details: &'static [&'static str],
    remedies: &'static [RemedyKind],
    causes: &'static [RootCause],
) -> CategorySample {
    CategorySample {
        code,
        department,
        zh,
        en,
        source,
        subject_kind: subject.0,
        subject: subject.1,
        demand,
        details,
        remedies,
        causes,
    }
}

/// Responsible departments (`DeptId`s) with their zh-CN names.
pub const DEPARTMENTS: [(&str, &str); 6] = [
    ("logistics", "物流部"),
    ("quality", "质量管理部"),
    ("billing", "计费结算中心"),
    ("network_operations", "网络运维部"),
    ("field_service", "现场服务部"),
    ("customer_care", "客户关怀部"),
];

/// The English names of [`DEPARTMENTS`], in the same order.
const DEPARTMENTS_EN: [&str; 6] = [
    "Logistics",
    "Quality Management",
    "Billing & Settlement",
    "Network Operations",
    "Field Service",
    "Customer Care",
];

/// Level-1 categories: the first part of every category code, named.
const GROUPS: &[(&str, &str, &str)] = &[
    ("account", "账户", "Accounts"),
    ("banking", "银行业务", "Banking"),
    ("billing", "计费", "Billing"),
    ("broadband", "宽带", "Broadband"),
    ("credit_card", "信用卡", "Credit cards"),
    ("credit_report", "征信报告", "Credit reports"),
    ("debt_collection", "催收", "Debt collection"),
    ("ecommerce", "电商购物", "Online shopping"),
    ("field", "上门服务", "Field visits"),
    ("food", "食品安全", "Food safety"),
    ("heating", "供暖", "Heating"),
    ("home_repair", "房屋维修", "Home repair"),
    ("indoor_air", "室内空气", "Indoor air"),
    ("logistics", "物流配送", "Delivery"),
    ("mobile", "移动通信", "Mobile"),
    ("money_transfer", "转账汇款", "Money transfers"),
    ("mortgage", "房贷", "Mortgages"),
    ("noise", "噪音", "Noise"),
    ("parking", "停车", "Parking"),
    ("parking_meter", "停车计费器", "Parking meters"),
    ("product", "产品质量", "Product quality"),
    ("service", "服务态度", "Service"),
    ("street", "街道设施", "Streets"),
    ("taxi", "出租车", "Taxis"),
    ("telecom", "电信业务", "Telecom services"),
    ("travel", "旅游", "Travel"),
    ("vehicle_loan", "车贷", "Vehicle loans"),
];

/// The site catalogs the demo data is written in: every department and
/// category above with its Chinese and English names.
pub fn demo_catalogs() -> Catalogs {
    let entry = CatalogEntry::new;
    let departments = DEPARTMENTS
        .iter()
        .zip(DEPARTMENTS_EN)
        .map(|((code, zh), en)| entry(code, zh, en))
        .collect();
    let categories = GROUPS
        .iter()
        .map(|(group, zh, en)| CatalogEntry {
            categories: CATEGORIES
                .iter()
                .filter(|c| c.code.split('.').next() == Some(*group))
                .map(|c| entry(c.code, c.zh, c.en))
                .collect(),
            ..entry(group, zh, en)
        })
        .filter(|g| !g.categories.is_empty())
        .collect();
    let people = PEOPLE
        .iter()
        .map(|(user, name)| Person {
            user: (*user).to_owned(),
            name: (*name).to_owned(),
            calendar: None,
        })
        .collect();
    let channels = CHANNELS
        .iter()
        .map(|(code, zh, en)| CatalogEntry::new(code, zh, en))
        .collect();
    Catalogs {
        departments,
        categories,
        people,
        channels,
        ..Catalogs::default()
    }
}

/// The demo's names of the channels complaints arrive by.
const CHANNELS: &[(&str, &str, &str)] = &[
    ("phone", "客服热线", "Hotline"),
    ("online_chat", "在线客服", "Online chat"),
    ("app", "手机 App", "Mobile app"),
    ("email", "电子邮件", "Email"),
    ("social_media", "社交媒体", "Social media"),
    ("letter", "信函", "Letter"),
    ("walk_in", "营业厅", "Service hall"),
];

/// The display names of everyone in the demo.
const PEOPLE: &[(&str, &str)] = &[
    ("agent.li", "李娜"),
    ("agent.chen", "陈静"),
    ("agent.zhao", "赵磊"),
    ("agent.liu", "刘洋"),
    ("agent.huang", "黄敏"),
    ("agent.wu", "吴刚"),
    ("sup.zhang", "张伟"),
    ("sup.zhou", "周丽"),
    ("mgr.wang", "王强"),
    ("mgr.qian", "钱芳"),
    ("admin.sun", "孙涛"),
];

/// The zh-CN name of a department id.
pub fn department_zh(id: &str) -> &'static str {
    DEPARTMENTS
        .iter()
        .find(|(d, _)| *d == id)
        .map_or("相关部门", |(_, zh)| zh)
}

/// The categories generated complaints are drawn from.
pub const CATEGORIES: &[CategorySample] = &[
    cat(
        "broadband.dropout",
        "network_operations",
        "家庭宽带频繁掉线",
        "Home broadband keeps dropping",
        "domain example",
        (S::BusinessLine, "家庭宽带 300M"),
        "尽快修复网络，并减免故障期间的月租",
        &[
            "每天晚上八点到十一点之间掉线三四次，重启光猫后能用一会儿",
            "家里老人看电视、孩子上网课都受影响，已经持续一周",
            "光猫的 LOS 灯时不时闪红灯，打游戏、视频会议经常断开",
        ],
        &[R::FeeWaiver, R::Repair, R::Voucher],
        &[C::Product, C::System, C::Process],
    ),
    cat(
        "broadband.slow_speed",
        "network_operations",
        "宽带实际网速远低于签约速率",
        "Broadband far slower than the contracted speed",
        "domain",
        (S::BusinessLine, "家庭宽带 1000M"),
        "提速到签约带宽，或按实际速率退还差价",
        &[
            "签约的是千兆宽带，有线测速只有七八十兆",
            "晚高峰打开网页都要转圈，白天正常",
        ],
        &[R::Refund, R::Repair, R::ServiceUpgrade],
        &[C::System, C::Product],
    ),
    cat(
        "mobile.signal_coverage",
        "network_operations",
        "住宅小区手机信号差",
        "Poor mobile signal at home",
        "domain",
        (S::BusinessLine, "移动通信"),
        "尽快优化小区信号覆盖",
        &[
            "在家里经常只有一格信号，接电话断断续续",
            "高层住户反映 5G 经常掉回 4G，电梯里完全没有信号",
        ],
        &[R::ApologyOnly, R::Voucher, R::ServiceUpgrade],
        &[C::System, C::Management],
    ),
    cat(
        "telecom.value_added_billing",
        "billing",
        "未订购的增值业务被扣费",
        "Charged for a value-added service never ordered",
        "domain example",
        (S::Product, "增值业务"),
        "退还扣费并取消业务",
        &[
            "账单上有“视频会员包 15 元/月”，客户称从未办理",
            "连续被扣了三个月才发现，要求查明是谁给开通的",
        ],
        &[R::Refund, R::FeeWaiver, R::ApologyOnly],
        &[C::Process, C::CustomerMisunderstanding, C::People],
    ),
    cat(
        "telecom.roaming_charges",
        "billing",
        "国际漫游流量费用异常",
        "Unexpected international roaming charges",
        "domain",
        (S::Product, "国际漫游"),
        "核实并减免异常的漫游费用",
        &[
            "出国前已经办理了漫游流量包，回国后仍被收取 860 元流量费",
            "超额提醒短信晚了两天才收到，产生了高额费用",
        ],
        &[R::FeeWaiver, R::Refund],
        &[C::System, C::KnowledgeBase],
    ),
    cat(
        "field.installation_missed",
        "field_service",
        "装维人员未按预约时间上门",
        "Installer missed the booked appointment",
        "domain",
        (S::BusinessLine, "宽带装机"),
        "重新预约并保证准时上门",
        &[
            "预约周六上午九点到十二点，客户请假在家等到下午也没人来，电话也打不通",
            "已经是第二次改约，师傅每次都说临时有事",
        ],
        &[R::Voucher, R::ApologyOnly, R::ServiceUpgrade],
        &[C::People, C::Management],
    ),
    cat(
        "banking.card_replacement",
        "customer_care",
        "挂失补卡进度不明",
        "Unclear status of a replacement bank card",
        "domain example",
        (S::BusinessLine, "借记卡"),
        "告知新卡寄达时间并尽快寄出",
        &[
            "挂失补卡已经十天，网点和热线都说不清新卡在哪里",
            "工资卡补办期间无法取现，生活受到影响",
        ],
        &[R::FeeWaiver, R::ServiceUpgrade, R::ApologyOnly],
        &[C::Process, C::System],
    ),
    cat(
        "credit_card.billing_dispute",
        "billing",
        "信用卡账单出现不认识的消费",
        "Unrecognised purchase on the credit card statement",
        "CFPB: Credit card or prepaid card / Problem with a purchase shown on your statement",
        (S::Product, "信用卡"),
        "冻结可疑交易，退还被盗刷的金额",
        &[
            "本期账单有一笔 2,380 元的境外网购消费，卡一直在本人身上",
            "已经打过一次电话，说七个工作日内回复，至今没有消息",
        ],
        &[R::Refund, R::ApologyOnly],
        &[C::System, C::Process],
    ),
    cat(
        "credit_card.fees_interest",
        "billing",
        "信用卡年费和利息收取有异议",
        "Dispute over credit card annual fee and interest",
        "CFPB: Credit card or prepaid card / Fees or interest",
        (S::Product, "信用卡"),
        "退还年费和多收的利息",
        &[
            "办卡时业务员承诺免年费，现在却扣了 600 元年费",
            "每期都按时全额还款，仍被收取了循环利息",
        ],
        &[R::Refund, R::FeeWaiver],
        &[C::People, C::CustomerMisunderstanding],
    ),
    cat(
        "credit_report.incorrect_info",
        "quality",
        "征信报告中有错误的逾期记录",
        "Incorrect late-payment record on the credit report",
        "CFPB: Credit reporting / Incorrect information on your report",
        (S::BusinessLine, "个人征信"),
        "更正征信记录并出具书面证明",
        &[
            "客户从未逾期，征信报告却显示去年八月有一次逾期",
            "因为这条记录，房贷审批被退回了",
        ],
        &[R::ApologyOnly, R::CompensationPayment],
        &[C::System, C::Process],
    ),
    cat(
        "debt_collection.not_owed",
        "customer_care",
        "被催收不属于本人的欠款",
        "Collection calls for a debt not owed",
        "CFPB: Debt collection / Attempts to collect debt not owed",
        (S::BusinessLine, "贷后催收"),
        "停止催收电话并核实欠款",
        &[
            "每天接到多通催收电话，说欠款四万元，客户从未办理过这笔贷款",
            "催收人员还打电话给客户的同事和家人",
        ],
        &[R::ApologyOnly, R::CompensationPayment],
        &[C::Management, C::People],
    ),
    cat(
        "mortgage.payment_trouble",
        "billing",
        "房贷还款扣款失败被计收罚息",
        "Mortgage repayment failed and penalty interest was charged",
        "CFPB: Mortgage / Trouble during payment process",
        (S::Product, "个人住房贷款"),
        "撤销罚息并修复还款记录",
        &[
            "还款日卡里余额充足，系统却显示扣款失败",
            "因扣款失败被计收罚息 312.6 元，还担心影响征信",
        ],
        &[R::Refund, R::FeeWaiver, R::ApologyOnly],
        &[C::System],
    ),
    cat(
        "account.frozen",
        "customer_care",
        "储蓄账户被冻结无法使用",
        "Savings account frozen without notice",
        "CFPB: Checking or savings account / Managing an account",
        (S::Product, "储蓄账户"),
        "尽快解冻账户并说明原因",
        &[
            "工资卡突然被限制非柜面交易，事先没有任何通知",
            "到网点办理被要求提供大量证明材料，跑了三趟还没办好",
        ],
        &[R::ApologyOnly, R::Voucher],
        &[C::Process, C::KnowledgeBase],
    ),
    cat(
        "money_transfer.fraud",
        "quality",
        "转账遭遇诈骗，要求协助追回",
        "Money transfer fraud, asks for help recovering it",
        "CFPB: Money transfer, virtual currency, or money service / Fraud or scam",
        (S::BusinessLine, "手机银行转账"),
        "协助冻结对方账户并追回资金",
        &[
            "接到冒充客服的电话后转出 1.2 万元，发现被骗后马上来电",
            "客户认为银行止付不及时，风险提示也不明显",
        ],
        &[R::ApologyOnly, R::CompensationPayment],
        &[C::System, C::CustomerMisunderstanding],
    ),
    cat(
        "vehicle_loan.early_repayment",
        "billing",
        "车贷提前还款被收取高额手续费",
        "High early-repayment fee on a car loan",
        "CFPB: Vehicle loan or lease / Managing the loan or lease",
        (S::Product, "汽车贷款"),
        "按合同重新核算手续费",
        &[
            "合同写明满一年可免费提前还款，却被收取了 3% 的手续费",
            "客服前后给出三种不同的说法",
        ],
        &[R::Refund, R::Discount],
        &[C::KnowledgeBase, C::People],
    ),
    cat(
        "noise.residential",
        "customer_care",
        "楼上住户深夜噪音扰民",
        "Late-night noise from a neighbour",
        "NYC 311: Noise - Residential / Loud Music/Party",
        (S::BusinessLine, "物业服务"),
        "物业出面制止，并给出长期解决办法",
        &[
            "每天晚上十一点以后还有拖拽家具和音乐声，孩子无法入睡",
            "已经向物业反映三次，没有任何效果",
        ],
        &[R::ApologyOnly, R::Discount],
        &[C::Management, C::Process],
    ),
    cat(
        "heating.no_heat",
        "field_service",
        "冬季暖气不热",
        "No heat in winter",
        "NYC 311: HEAT/HOT WATER",
        (S::BusinessLine, "集中供暖"),
        "尽快上门检修，并减免未达标期间的取暖费",
        &[
            "室内温度只有 14 度，家里有老人和婴儿",
            "报修后说要排队，三天了一直没人来",
        ],
        &[R::Repair, R::FeeWaiver, R::Discount],
        &[C::Product, C::Management],
    ),
    cat(
        "street.failed_repair",
        "field_service",
        "小区道路修补后再次塌陷",
        "Street repair failed and caved in again",
        "NYC 311: Street Condition / Failed Street Repair",
        (S::BusinessLine, "市政维修"),
        "重新施工，并设置安全警示",
        &[
            "上个月刚修补的路面又塌了一个大坑",
            "晚上没有警示标志，已经有电动车在这里摔倒",
        ],
        &[R::Repair, R::ApologyOnly],
        &[C::Management, C::Process],
    ),
    cat(
        "parking.blocked_driveway",
        "customer_care",
        "车库出入口长期被占用",
        "Driveway repeatedly blocked",
        "NYC 311: Blocked Driveway / No Access",
        (S::BusinessLine, "停车场管理"),
        "清理占道车辆并加强巡查",
        &[
            "早上上班车开不出去，联系不上车主，保安说管不了",
            "一周内第三次被堵，耽误了送孩子上学",
        ],
        &[R::ApologyOnly, R::Voucher],
        &[C::Management],
    ),
    cat(
        "taxi.driver_complaint",
        "quality",
        "网约车司机绕路且态度恶劣",
        "Ride-hailing driver took a detour and was rude",
        "NYC 311: Taxi Complaint / Driver Complaint",
        (S::Order, "RD"),
        "退还多收的车费并处理司机",
        &[
            "平时 35 元的路程收了 78 元，导航显示明显绕路",
            "客户提出异议时司机出言不逊，还把客户赶下车",
        ],
        &[R::Refund, R::Voucher, R::ApologyOnly],
        &[C::People, C::Management],
    ),
    cat(
        "food.foreign_object",
        "quality",
        "外卖餐品中吃出异物",
        "Foreign object found in a delivered meal",
        "NYC 311: Food Establishment / Food Poisoning",
        (S::Order, "WM"),
        "全额退款并给予赔偿",
        &[
            "在米饭里吃出一截钢丝球，商家拒不承认",
            "吃完后全家腹泻，已去医院就诊",
        ],
        &[R::Refund, R::CompensationPayment, R::Voucher],
        &[C::Product, C::Management],
    ),
    cat(
        "indoor_air.odor",
        "field_service",
        "新装修房屋有刺激性气味",
        "Strong chemical smell after a renovation",
        "NYC 311: Indoor Air Quality / Chemical Vapors/Gases/Odors",
        (S::Order, "ZX"),
        "上门检测甲醛并负责治理",
        &[
            "装修完通风三个月，屋里仍有很重的刺鼻气味",
            "孩子住进去后咳嗽不止，自测甲醛超标",
        ],
        &[R::Repair, R::CompensationPayment, R::Refund],
        &[C::Product, C::Management],
    ),
    cat(
        "home_repair.delay",
        "field_service",
        "报修后迟迟无人上门",
        "Repair request not attended for days",
        "NYC 311: Home Repair / Maintenance or Facility",
        (S::BusinessLine, "家电维修"),
        "尽快安排维修",
        &[
            "热水器漏水报修五天了，师傅一直说在路上",
            "约好的上门时间三次爽约，每次都要请假等",
        ],
        &[R::Repair, R::Voucher, R::ApologyOnly],
        &[C::People, C::Process],
    ),
    cat(
        "parking_meter.no_receipt",
        "billing",
        "停车缴费机扣款后不出票",
        "Parking meter charged but gave no receipt",
        "NYC 311: Broken Muni Meter / No Receipt",
        (S::BusinessLine, "停车缴费"),
        "退还重复扣除的费用",
        &[
            "扫码支付两次都显示失败，银行卡却被扣了两次",
            "没有票据，出口道闸不抬杆，又被收了一次",
        ],
        &[R::Refund],
        &[C::System],
    ),
    cat(
        "logistics.wrong_item",
        "logistics",
        "发错货",
        "Wrong item shipped",
        "domain example",
        (S::Order, "SP"),
        "换发正确的商品并上门取回错发件",
        &[
            "订的是白色 M 码，收到的是黑色 XL 码",
            "买的是 XQB80 型号的配件，收到的型号完全不同，无法安装",
        ],
        &[R::Replacement, R::Refund, R::Voucher],
        &[C::Process, C::People],
    ),
    cat(
        "logistics.late_delivery",
        "logistics",
        "快递超时未送达",
        "Parcel delivered late",
        "domain",
        (S::Order, "JD"),
        "尽快送达并给予补偿",
        &[
            "承诺次日达，已经第五天了，物流信息一直停在中转站",
            "快递员未打电话就显示“已签收”，实际没有收到",
        ],
        &[R::Voucher, R::Refund, R::CompensationPayment],
        &[C::Process, C::Management],
    ),
    cat(
        "logistics.damaged_parcel",
        "logistics",
        "包裹破损，商品损坏",
        "Parcel arrived damaged",
        "domain",
        (S::Order, "SF"),
        "换货或退款",
        &[
            "收到的整套餐具碎了三个，外箱明显被压扁",
            "显示器屏幕有裂痕，快递员要求先签收再说",
        ],
        &[R::Replacement, R::Refund],
        &[C::Process, C::People],
    ),
    cat(
        "ecommerce.refund_delay",
        "billing",
        "退货后退款迟迟未到账",
        "Refund not received after a return",
        "domain",
        (S::Order, "DD"),
        "尽快退款",
        &[
            "商品两周前已寄回并显示签收，退款一直是“处理中”",
            "客服说三个工作日到账，已经过了十天",
        ],
        &[R::Refund, R::Voucher],
        &[C::System, C::Process],
    ),
    cat(
        "product.quality_defect",
        "quality",
        "新买的家电使用不久出现故障",
        "New appliance broke down soon after purchase",
        "domain",
        (S::Product, "滚筒洗衣机 XQG100"),
        "换新或退货",
        &[
            "买了不到一个月，脱水时剧烈晃动并报 E3 故障",
            "维修过一次后同样的问题又出现了",
        ],
        &[R::Replacement, R::Repair, R::Refund],
        &[C::Product],
    ),
    cat(
        "travel.package_tour",
        "customer_care",
        "跟团游行程与宣传不符",
        "Package tour not as advertised",
        "domain example",
        (S::Order, "TR"),
        "退还部分团费并书面道歉",
        &[
            "合同写明全程四星酒店，实际入住的是快捷酒店",
            "行程中多了两个购物点，导游不进店就甩脸色",
        ],
        &[R::Refund, R::CompensationPayment, R::Voucher],
        &[C::Management, C::Process],
    ),
    cat(
        "service.agent_attitude",
        "customer_care",
        "客服人员态度差、互相推诿",
        "Rude agent who passed the customer around",
        "domain",
        (S::Agent, "agent.huang"),
        "道歉，并对相关人员进行处理",
        &[
            "客服多次说“这个不归我们管”，然后直接挂断电话",
            "转了四个部门，每次都要重新说一遍问题",
        ],
        &[R::ApologyOnly, R::Voucher],
        &[C::People, C::KnowledgeBase],
    ),
];

pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];

pub const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "雪梅",
    "子涵", "浩然", "俊杰", "欣怡", "宇轩", "婷婷", "国庆", "建军", "丽娟", "文博", "思远", "佳琪",
];

/// Mobile prefixes for generated customers (the hand-written examples use
/// others, so they never share a phone with a generated customer).
pub const MOBILE_PREFIXES: &[&str] = &[
    "135", "136", "151", "152", "157", "158", "159", "182", "183", "187", "188", "130", "131",
    "132", "155", "156", "185", "133", "153", "180", "181", "189", "177", "199",
];

pub const AGENTS: &[&str] = &[
    "agent.li",
    "agent.chen",
    "agent.zhao",
    "agent.liu",
    "agent.huang",
    "agent.wu",
];
pub const SUPERVISORS: &[&str] = &["sup.zhang", "sup.zhou"];
pub const MANAGERS: &[&str] = &["mgr.wang", "mgr.qian"];
pub const ADMIN: &str = "admin.sun";

/// How the description starts, by channel.
pub fn channel_opening(channel: redress_domain::model::Channel) -> &'static str {
    use redress_domain::model::Channel;
    match channel {
        Channel::Phone => "客户来电反映：",
        Channel::OnlineChat => "客户在线客服反映：",
        Channel::App => "客户通过 App 提交投诉：",
        Channel::Email => "客户来邮件称：",
        Channel::SocialMedia => "客户通过微博私信反映：",
        Channel::Letter => "客户来信称：",
        Channel::WalkIn => "客户到营业厅当面反映：",
    }
}

/// Informed progress updates; `{dept}` is replaced by the department name.
pub const PROGRESS_INFORMED: &[&str] = &[
    "已向客户致歉，承诺一小时内反馈处理进展",
    "已联系{dept}核实情况，已告知客户今天内给出方案",
    "{dept}仍在核查，暂无新进展；已如实告知客户，并约定半小时后再次反馈",
    "已向客户说明初步原因，客户情绪趋于平稳",
    "{dept}已安排专人跟进，已短信告知客户工单号和处理时限",
    "客户来电催办，已安抚并说明当前进度",
    "已告知客户补偿方案正在走审批流程",
    "已与客户确认上门时间和联系方式",
    "已回电告知客户处理方案和预计完成时间，客户表示等待结果",
    "已将{dept}的核查结果同步给客户",
];

/// Internal notes (not told to the customer).
pub const PROGRESS_INTERNAL: &[&str] = &[
    "内部备注：已在系统中关联相关工单",
    "内部备注：客户情绪激动，后续沟通注意语气，优先由班长回电",
    "内部备注：需{dept}提供处理记录后再答复客户",
    "内部备注：客户要求只在工作日晚上七点后联系",
];

pub const JUDGE_VALID_NOTES: &[&str] = &[
    "经核实，客户反映情况属实，投诉成立",
    "调取录音和工单记录，确认问题存在",
    "与客户描述一致，投诉成立",
];

pub const ROOT_CAUSE_NOTES: &[(RootCause, &str)] = &[
    (C::Process, "跨部门交接没有明确时限，工单在流转中停滞"),
    (C::People, "一线人员未按规范操作，解释不到位"),
    (C::System, "系统数据未同步，导致信息错误"),
    (C::Management, "对合作方的管理和考核不到位"),
    (
        C::KnowledgeBase,
        "知识库缺少该场景的处理指引，各座席口径不一",
    ),
    (C::Product, "产品本身存在缺陷"),
    (
        C::CustomerMisunderstanding,
        "客户对业务规则理解有偏差，宣传说明不够清楚",
    ),
];

/// The note on a root-cause category.
pub fn root_cause_note(cause: RootCause) -> &'static str {
    ROOT_CAUSE_NOTES
        .iter()
        .find(|(c, _)| *c == cause)
        .map_or("原因待补充", |(_, note)| note)
}

pub const TIER_CONDITIONS: &[&str] = &[
    "客户续约十二个月",
    "客户同意以优惠券形式领取，三十天内有效",
    "客户接受方案后七天内问题未再出现",
];

pub const REJECT_REASONS: &[&str] = &[
    "金额高于同类案例标准，请调整后重新提交",
    "请补充客户实际损失的证明材料，金额酌情下调",
    "先以费用减免为主，现金赔偿需要更充分的理由",
];

pub const RESOLVE_NOTES: &[&str] = &[
    "已电话告知客户处理结果，客户认可",
    "已短信和电话双重告知处理结果",
    "已告知客户处理结果及到账时间",
    "已上门处理完毕，当面向客户说明",
];

pub const SATISFIED_NOTES: &[&str] = &[
    "客户对处理结果满意",
    "客户表示问题已解决，感谢及时处理",
    "客户基本满意，希望以后不要再出现",
];

pub const UNREACHABLE_NOTES: &[&str] =
    &["电话无人接听", "客户手机关机", "客户正在开会，约稍后再打"];

pub const NOT_SATISFIED_NOTES: &[&str] = &[
    "客户表示问题仍未解决，要求重新处理",
    "客户不认可补偿方案，认为没有解决根本问题",
];

pub const REVIEW_LESSONS: &[&str] = &[
    "首次接触时未能给出明确时限，客户多次来电催办",
    "跨部门协同效率低，建议设置工单节点时限",
    "处理及时，补偿方案合理，可作为同类案例参考",
    "同类问题本月多次出现，需从源头整改",
    "座席解释口径不统一，需更新知识库",
];

pub const REVIEW_ACTIONS: &[&str] = &[
    "更新知识库相关条目",
    "对相关座席进行专项培训",
    "与合作方召开整改会议",
    "在系统中增加提醒节点",
    "纳入月度质检抽查",
];

pub const CLOSE_NOTES: &[&str] = &["结案", "处理完毕，结案", "已复盘，结案归档"];

/// What an invalid complaint is answered with, by reason.
pub const INVALID_NOTES: &[(redress_domain::model::InvalidReason, &str)] = &[
    (
        redress_domain::model::InvalidReason::Misunderstanding,
        "经核实，客户对计费规则理解有误，已耐心解释并获得理解",
    ),
    (
        redress_domain::model::InvalidReason::OutsidePolicy,
        "客户诉求超出服务协议范围，已礼貌说明相关政策",
    ),
    (
        redress_domain::model::InvalidReason::Duplicate,
        "与客户此前的工单重复，已合并到原工单处理",
    ),
    (
        redress_domain::model::InvalidReason::NotOurService,
        "该问题不属于我司服务范围，已告知客户正确的反映渠道",
    ),
];

/// The note of a remedy of `kind` worth `amount` (already formatted).
pub fn remedy_note(kind: RemedyKind, amount: &str) -> String {
    match kind {
        R::Refund => format!("退还 {amount} 元，1-2 个工作日内原路退回"),
        R::Replacement => format!("换发新品（价值 {amount} 元），加急配送"),
        R::Repair => format!("安排工程师上门维修，费用 {amount} 元由我司承担"),
        R::Discount => format!("下期账单优惠 {amount} 元"),
        R::CompensationPayment => format!("一次性赔偿 {amount} 元"),
        R::FeeWaiver => format!("减免相关费用 {amount} 元"),
        R::Voucher => format!("赠送 {amount} 元优惠券"),
        R::ServiceUpgrade => format!("免费升级服务三个月（价值 {amount} 元）"),
        R::ApologyOnly => "向客户正式致歉".to_owned(),
    }
}

/// Money in fen as yuan: `199`, `312.60`.
pub fn yuan(minor: i64) -> String {
    if minor % 100 == 0 {
        format!("{}", minor / 100)
    } else {
        format!("{}.{:02}", minor / 100, (minor % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_is_usable() {
        assert!(CATEGORIES.len() >= 30);
        for c in CATEGORIES {
            assert!(
                DEPARTMENTS.iter().any(|(d, _)| *d == c.department),
                "{}",
                c.code
            );
            assert!(!c.details.is_empty() && !c.remedies.is_empty() && !c.causes.is_empty());
        }
        for (d, _) in DEPARTMENTS {
            assert!(CATEGORIES.iter().any(|c| c.department == d), "{d}");
        }
        let catalogs = demo_catalogs();
        assert_eq!(catalogs.check(), Ok(()));
        assert_eq!(
            catalogs.leaf_categories().count(),
            CATEGORIES.len(),
            "every category is in a named group"
        );
        for user in AGENTS
            .iter()
            .chain(SUPERVISORS)
            .chain(MANAGERS)
            .chain([&ADMIN])
        {
            assert!(catalogs.people.iter().any(|p| p.user == *user), "{user}");
        }
        assert_eq!(yuan(31_260), "312.60");
        assert_eq!(yuan(19_900), "199");
    }
}
