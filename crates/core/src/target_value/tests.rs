use super::*;

/// A compact, reviewable summary of a parse: terms as `op value unit`, `?` for an unwritten
/// operator, `Q:class` for qualitative, `BLANK`; flags after `|`.
pub(crate) fn summary(v: &TargetValue) -> String {
    let body = match v.kind() {
        ValueKind::Blank => "BLANK".to_string(),
        ValueKind::Qualitative { class } => format!("Q:{class:?}"),
        ValueKind::Quantitative { terms } => terms
            .iter()
            .map(|t| {
                let op = t.operator.as_ref().map_or("?", |w| w.operator.symbol());
                format!("{op}{}", t.bound)
            })
            .collect::<Vec<_>>()
            .join(" ; "),
    };
    let flags: Vec<&str> = v
        .flags()
        .iter()
        .map(|f| match f {
            Flag::Blank => "blank",
            Flag::NoQuantity => "noqty",
            Flag::VagueWording { .. } => "vague",
            Flag::UnitMissing { .. } => "nounit",
            Flag::SeveralQuantities { .. } => "several",
        })
        .collect();
    if flags.is_empty() {
        body
    } else {
        format!("{body} | {}", flags.join(","))
    }
}

/// Real 指标值 and 实际完成值 strings from the seed documents, rules.md and common forms, with
/// their reviewed parse.
const CASES: &[(&str, &str)] = &[
    ("≥90%", "≥90%"),
    ("≧10次", "≥10次"),
    (">98%", ">98%"),
    (" >98%", ">98%"),
    ("55.5万人", "?55.5万人"),
    ("55.5 万人", "?55.5万人"),
    ("56.88万人", "?56.88万人"),
    ("≥95%", "≥95%"),
    ("100%", "?100%"),
    ("292.83万元", "?292.83万元"),
    ("293.87 万元", "?293.87万元"),
    ("逐年提高", "Q:Trend | noqty,vague"),
    ("按政策下调", "Q:Trend | noqty"),
    ("满意", "Q:Achieved | noqty"),
    ("达成", "Q:Achieved | noqty"),
    ("显著改善", "Q:Trend | noqty,vague"),
    ("长期", "Q:Duration | noqty,vague"),
    ("维持社会稳定", "Q:Statement | noqty"),
    ("不超过12万", "≤12万 | nounit"),
    ("总项目成本不超过12万", "≤12万 | nounit"),
    ("满意率90%以上", "≥90%"),
    ("满意率达100%", "≥100%"),
    ("报账资料交齐后50个工作日内", "≤50个工作日"),
    ("80%-90%", "?80%-90%"),
    ("80-90%", "?80%-90%"),
    ("1.5亿", "?1.5亿 | nounit"),
    ("1.5亿元", "?1.5亿元"),
    ("全年老工伤人员进京群访次数为0", "=0 | nounit"),
    ("老工伤人员服务工作全年不间断", "Q:Statement | noqty"),
    ("老工伤工作专项经费12.8万元。", "?12.8万元"),
    (
        "通过加强对老工伤协议医院的监管，杜绝过度医疗，节省老工伤人员医疗遇支出预计300万元。",
        "?300万元 | vague",
    ),
    (
        "保障老工伤人员旧伤复发得到有效救治，人均每年去医院的次数减少2次。",
        "?2次 | vague",
    ),
    (
        "加强监管，合理引导老工伤人员进行治疗，减少过度医疗，减少20%医疗废弃物的产生。",
        "?20% | vague",
    ),
    (
        "老工伤人员健康状态持续好转，生活质量得到显著提升。",
        "Q:Trend | noqty,vague",
    ),
    (
        "1、老工伤纳入统筹管理人员共计20729人；2、按时足额发放老工伤人员相关待遇，预计1500万元。",
        "?20729人 ; ?1500万元 | several",
    ),
    (
        "加强征缴扩面，市本级工伤保险参保人数达到20万人。",
        "≥20万人 | vague",
    ),
    ("市本级全年发放各项工伤保险待遇1.5亿元。", "?1.5亿元"),
    ("每年接待老工伤人员政策咨询1500人次。", "?1500人次"),
    ("举办工伤预防培训6场。", "?6场"),
    (
        "全年通过短信息、报纸、广播等媒体和宣传物品进行工伤保险政策宣传次数不低于60万次。",
        "≥60万次",
    ),
    ("新建筑工地参保率100%。", "?100%"),
    ("每季度对协议医院的稽查工作不少于1次。", "≥1次"),
    ("1、报账资料交齐后50个工作日内待遇发放到位。", "≤50个工作日"),
    (
        "2、参保人员异动通过网上办事系统随时办理。",
        "Q:Statement | noqty",
    ),
    (
        "1、基本支出维持中心正常运转，保障职工工资及日常办公开支289.86万元。",
        "?289.86万元",
    ),
    (
        "2、项目支出186.8万元，包括老工伤工作和工伤预防宣传工作",
        "?186.8万元",
    ),
    ("市本级工伤保险基金结余4.5亿元。", "?4.5亿元"),
    ("参保单位及职工满意度>98%", ">98%"),
    ("工伤保险宣传至少1次", "≥1次"),
    (
        "通过制作视频宣传工伤政策一次；向企业发放宣传手册和工伤保险制度汇编",
        "?1次",
    ),
    ("建立内控制度，确保经费支出合规化", "Q:Statement | noqty"),
    (
        "全年日常运转经费执行数为9.4万元，为参保人员提供服务需要资料、宣传资料印制、工作人员业务培训，日常办公消耗、办公设备维修、更新等。",
        "=9.4万元",
    ),
    (
        "经费支出进度全年达84.3%，支出进度低于预期100%",
        "≥84.3% ; ?100% | several",
    ),
    (
        "每周至少组织1次学习，进行业务讨论，提高职工思想理论。",
        "?1次 | vague",
    ),
    ("实际支出不超出预算", "Q:Statement | noqty"),
    (
        "本年度全年预算11.15万元，实际支出9.4万元，完成预算的84.3%",
        "?11.15万元 ; ?9.4万元 ; ?84.3% | several",
    ),
    ("提高运行稳健性", "Q:Trend | noqty,vague"),
    (
        "全年开展130次日常稽核，开展专项检查一次",
        "?130次 ; ?1次 | several",
    ),
    ("待遇正确率100%", "?100%"),
    (
        "开展工伤医疗疑点数据筛查一次，待遇正确率100%",
        "?1次 ; ?100% | several",
    ),
    ("审核扣除率15%", "?15%"),
    (
        "全年审核费用3104万元，审核扣除471万元，审核扣除率为15.2%",
        "?3104万元 ; ?471万元 ; =15.2% | several",
    ),
    ("基金支付金额25775万元", "?25775万元"),
    ("全年基金支付金额26800万元", "?26800万元"),
    (
        "全年享受待遇人数12702人，基金支付金额25775万元",
        "?12702人 ; ?25775万元 | several",
    ),
    (
        "全年享受待遇人数9000人次，全年基金支付金额26800万元",
        "?9000人次 ; ?26800万元 | several",
    ),
    ("给予工伤职工生活保障和就医保障", "Q:Statement | noqty"),
    (
        "截至2021年底,全市参保人数累计达到56.88万人,建筑项目参保率达到95%以上。",
        "≥56.88万人 ; ≥95% | several",
    ),
    (
        "从2021年1月1日开始实行工伤保险省级统筹",
        "Q:Statement | noqty",
    ),
    ("百分之九十", "?90%"),
    ("两场", "?2场"),
    ("十二个工作日", "?12个工作日"),
    ("三万五千人", "?35000人"),
    ("１２．８万元", "?12.8万元"),
    ("≤0", "≤0 | nounit"),
    ("-5%", "?-5%"),
    ("≦100%", "≤100%"),
    ("不少于一千五百人次", "≥1500人次"),
    ("控制在5%以内", "≤5%"),
    ("3至5个工作日", "?3个工作日-5个工作日"),
    ("90%及以上", "≥90%"),
    ("0", "?0 | nounit"),
    ("—", "BLANK | blank"),
    ("在职人员控制率≦100%", "≤100%"),
    ("“三公经费”变动率≦0", "≤0 | nounit"),
    ("90%（含）以上", "≥90%"),
    ("80%（含）-90%", "?80%-90%"),
    ("低于70%", "<70%"),
    ("0-10%（含）", "?0%-10%"),
    ("大于30%", ">30%"),
    ("100%以下（含）", "≤100%"),
    ("＝100%", "=100%"),
    ("=100%", "=100%"),
    ("≥1000万元", "≥1000万元"),
    ("≤30天", "≤30天"),
    ("≤12个月", "≤12个月"),
    ("3年", "?3年"),
    ("≥2万平方米", "≥2万平方米"),
    ("≥500㎡", "≥500㎡"),
    ("10公里", "?10公里"),
    ("5‰", "?5‰"),
    ("≤3‰", "≤3‰"),
    ("2022年12月底前", "Q:Statement | noqty"),
    ("按时完成", "Q:Achieved | noqty"),
    ("及时", "Q:Statement | noqty"),
    ("100人次以上", "≥100人次"),
    ("不低于90分", "≥90分"),
    ("≥85分", "≥85分"),
    ("≤1次", "≤1次"),
    ("零事故", "Q:Statement | noqty"),
    ("无重大安全事故", "Q:Statement | noqty"),
    ("0起", "?0起"),
    ("≥3家", "≥3家"),
    ("50户", "?50户"),
    ("≥200吨", "≥200吨"),
    ("≥98.5%", "≥98.5%"),
    ("达标", "Q:Achieved | noqty"),
    ("合格", "Q:Achieved | noqty"),
    ("是", "Q:Achieved | noqty"),
    ("否", "Q:NotAchieved | noqty"),
    ("已完成", "Q:Achieved | noqty"),
    ("部分完成", "Q:Partial | noqty"),
    ("未完成", "Q:NotAchieved | noqty"),
    ("基本满意", "Q:Partial | noqty"),
    ("有效提升", "Q:Trend | noqty,vague"),
    ("明显改善", "Q:Trend | noqty,vague"),
    ("稳步提高", "Q:Trend | noqty,vague"),
    ("进一步规范", "Q:Trend | noqty,vague"),
    ("2021-2023年", "Q:Statement | noqty"),
    ("≥95%　", "≥95%"),
    ("９５％", "?95%"),
    ("≥ 90 %", "≥90%"),
    ("不高于5%", "≤5%"),
    ("不超过预算", "Q:Statement | noqty"),
    ("12月31日前完成", "Q:Achieved | noqty"),
    ("1-6月执行率达到50%", "≥50%"),
    ("每月1次", "?1次"),
    ("培训人数≥200人", "≥200人"),
    ("覆盖率≥95%", "≥95%"),
    ("发放及时率100%", "?100%"),
    ("资金到位率100%", "?100%"),
    ("项目完成率≥100%", "≥100%"),
    ("满意度≥90%", "≥90%"),
    ("群众满意度达到95%以上", "≥95%"),
    ("参训人员满意度不低于85%", "≥85%"),
    ("事故发生率下降5%", "?5%"),
    ("降低10%", "?10%"),
    ("减少2次", "?2次"),
    ("节约成本10万元", "?10万元"),
    ("≤50万元", "≤50万元"),
    ("不超过300万元", "≤300万元"),
    ("1.5万人次", "?1.5万人次"),
    ("2万册", "?2万册"),
    ("8期", "?8期"),
    ("12篇", "?12篇"),
    ("300份", "?300份"),
    ("15个", "?15个"),
    ("20件", "?20件"),
    ("5项", "?5项"),
    ("30条", "?30条"),
    ("3台", "?3台"),
    ("45天", "?45天"),
    ("10个工作日", "?10个工作日"),
    ("6个月", "?6个月"),
    ("24小时", "?24小时"),
    ("30分钟", "?30分钟"),
    ("2人", "?2人"),
    ("1500万元", "?1500万元"),
    ("9,400元", "?9400元"),
    ("26689.81万元", "?26689.81万元"),
];

#[test]
fn real_values_parse_as_reviewed() {
    assert!(CASES.len() >= 150, "at least 150 real strings");
    let mut failures = Vec::new();
    for (input, expected) in CASES {
        let got = summary(&TargetValue::parse(input));
        if got != *expected {
            failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn ge(_: &Term) -> Operator {
    Operator::Ge
}

#[test]
fn comparison_says_met_not_met_or_why_not() {
    let c = |t: &str, a: &str| {
        compare(&TargetValue::parse(t), &TargetValue::parse(a), |term| {
            term.operator.as_ref().map_or(Operator::Ge, |w| w.operator)
        })
    };
    assert_eq!(c("55.5万人", "56.88万人").outcome, Outcome::Met);
    assert_eq!(c("55.5万人", "550000人").outcome, Outcome::NotMet);
    assert_eq!(
        c("≥95%", "100").outcome,
        Outcome::Met,
        "a bare 100 reads as 100%"
    );
    assert_eq!(c("≤50个工作日", "45个工作日").outcome, Outcome::Met);
    assert_eq!(
        c("≤50个工作日", "45天").outcome,
        Outcome::NotComparable,
        "working days ≠ days"
    );
    let units = c("12702人", "9000人次");
    assert_eq!(units.outcome, Outcome::NotComparable);
    assert!(units.reason.contains("单位不一致"), "{}", units.reason);
    assert_eq!(c("≥90%", "").reason, "实际完成值未填写");
    assert_eq!(c("", "90%").reason, "指标值未填写");
    assert_eq!(c("逐年提高", "逐年提高").outcome, Outcome::Met);
    assert_eq!(c("显著改善", "未完成").outcome, Outcome::NotMet);
    assert_eq!(c("显著改善", "效果一般").outcome, Outcome::NotComparable);
    // The right quantity is picked from a sentence.
    let m = match_terms(
        &TargetValue::parse("审核扣除率15%"),
        &TargetValue::parse("全年审核费用3104万元，审核扣除471万元，审核扣除率为15.2%"),
    )
    .unwrap();
    assert_eq!(m[0].actual.to_string(), "15.2%");
    // A dimensionless target takes the actual's unit.
    let m = match_terms(
        &TargetValue::parse("不超过12万"),
        &TargetValue::parse("9.4万元"),
    )
    .unwrap();
    assert_eq!(m[0].compatibility, Compatibility::Assumed);
    assert_eq!(m[0].actual_base, Decimal::from(94_000));
}

#[test]
fn truncated_phrases_do_not_panic() {
    // Found by fuzzing: 百分之 at the very end.
    assert_eq!(
        summary(&TargetValue::parse("百分之")),
        "Q:Statement | noqty"
    );
    assert_eq!(summary(&TargetValue::parse("80%-")), "?80%");
    assert_eq!(
        summary(&TargetValue::parse("不低于")),
        "Q:Statement | noqty"
    );
}

#[test]
fn operators_decide_met_at_the_boundary() {
    let t = Decimal::from(90);
    assert!(Operator::Ge.is_met(t, t));
    assert!(!Operator::Gt.is_met(t, t));
    assert!(Operator::Le.is_met(t, t));
    assert!(!Operator::Lt.is_met(t, t));
    assert!(Operator::Eq.is_met(Decimal::ZERO, Decimal::ZERO));
    assert!(!Operator::Eq.is_met(Decimal::ONE, Decimal::ZERO));
    assert!(
        Operator::Eq.is_met(Decimal::from(95), t),
        "= with t > 0 is reached at or above"
    );
}

proptest::proptest! {
    #[test]
    fn parsing_never_panics(s in "\\PC{0,60}") {
        let v = TargetValue::parse(&s);
        let _ = v.to_string();
        let _ = compare(&v, &TargetValue::parse(&s), ge);
        let _ = crate::money::Amount::parse(&s, Some(crate::money::MoneyUnit::Wan));
    }

    #[test]
    fn parsing_form_like_text_never_panics(
        s in "[0-9０-９.,，%％万亿千百十一二两三零〇人次元天个工作日≥≤<>=＞＜≧≦以上下内不低超过于至-]{0,30}"
    ) {
        let v = TargetValue::parse(&s);
        let _ = compare(&v, &v, ge);
        let _ = crate::money::Amount::parse(&s, None);
    }

    #[test]
    fn written_quantities_round_trip(v in 0u64..10_000_000, unit in proptest::sample::select(vec!["%", "人", "万元", "次", "个工作日"])) {
        let parsed = TargetValue::parse(&format!("≥{v}{unit}"));
        let terms = parsed.terms();
        proptest::prop_assert_eq!(terms.len(), 1);
        proptest::prop_assert_eq!(terms[0].bound.to_string(), format!("{v}{unit}"));
    }
}
