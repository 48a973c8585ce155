use proptest::prelude::*;

use super::*;
use crate::form::{FundSource, Funds, FundsRow, IndicatorRow, ManualOverride, Reason};
use crate::money::{Amount, MoneyUnit};
use crate::target_value::Outcome;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn row(level1: &str, level2: &str, target: &str, actual: &str, weight: &str) -> IndicatorRow {
    IndicatorRow {
        level1: level1.into(),
        level2: level2.into(),
        name: "测试指标".into(),
        target: target.into(),
        actual: actual.into(),
        weight: Some(d(weight)),
        score: None,
        item_score: None,
        deviation_reason: None,
        not_applicable: None,
        manual_override: None,
    }
}

fn output(target: &str, actual: &str, weight: &str) -> IndicatorRow {
    row("产出指标", "数量指标", target, actual, weight)
}

fn form(indicators: Vec<IndicatorRow>, executed: &str, budget: &str) -> SelfEvaluation {
    let wan = |s: &str| Some(Amount::parse(s, Some(MoneyUnit::Wan)).unwrap());
    SelfEvaluation {
        year: Some(2024),
        name: "测试项目".into(),
        competent_department: None,
        implementing_unit: None,
        layout: Default::default(),
        other_fields: vec![],
        funds: Funds {
            rows: vec![FundsRow {
                source: FundSource::Total,
                label: None,
                initial_budget: wan(budget),
                full_year_budget: wan(budget),
                executed: wan(executed),
            }],
            weight: Some(d("10")),
            stated_rate: None,
            stated_score: None,
        },
        overall_target: Default::default(),
        indicators,
        stated_total_weight: None,
        stated_total: None,
        stated_grade: None,
        notes: vec![],
    }
}

fn one(r: IndicatorRow, policy: &ScoringPolicy) -> IndicatorScore {
    score(&form(vec![r], "10", "10"), policy)
        .indicators
        .remove(0)
}

fn score_of(target: &str, actual: &str, weight: &str) -> Option<Decimal> {
    one(output(target, actual, weight), &ScoringPolicy::default()).score
}

#[test]
fn positive_indicators_at_and_around_the_target() {
    assert_eq!(score_of("≥90%", "90%", "10"), Some(d("10")));
    assert_eq!(score_of("≥90%", "95%", "10"), Some(d("10")));
    assert_eq!(
        score_of("≥90%", "89.99%", "10"),
        Some(d("10.00")),
        "9.9989 rounds to 10.00"
    );
    assert_eq!(score_of("≥90%", "81%", "10"), Some(d("9")));
    assert_eq!(score_of("≥100人", "55人", "8"), Some(d("4.4")));
    assert_eq!(score_of("≥100人", "0人", "8"), Some(d("0")));
    assert_eq!(score_of("不少于3场", "2场", "9"), Some(d("6")));
    assert_eq!(
        score_of("55.5万人", "555000人", "9"),
        Some(d("9")),
        "万人 converts"
    );
}

#[test]
fn reverse_indicators_use_the_configured_formula() {
    // t = 100, a = 125: vendor formula 75%, local ratio formula 80% (rules.md §9.2).
    let deviation = ScoringPolicy::default();
    let ratio = ScoringPolicy {
        reverse_formula: ReverseFormula::Ratio,
        ..ScoringPolicy::default()
    };
    let r = || output("≤100万元", "125万元", "10");
    assert_eq!(one(r(), &deviation).score, Some(d("7.5")));
    assert_eq!(one(r(), &ratio).score, Some(d("8")));
    assert_eq!(score_of("≤100万元", "100万元", "10"), Some(d("10")));
    assert_eq!(
        score_of("≤100万元", "200万元", "10"),
        Some(d("0")),
        "a ≥ 2t gives 0"
    );
    assert_eq!(score_of("≤100万元", "250万元", "10"), Some(d("0")));
    assert_eq!(score_of("≤0", "0", "5"), Some(d("5")));
    assert_eq!(score_of("≤0", "1", "5"), Some(d("0")));
}

#[test]
fn equals_zero_and_equals_positive() {
    assert_eq!(score_of("上访次数为0", "0次", "10"), Some(d("10")));
    assert_eq!(score_of("上访次数为0", "1次", "10"), Some(d("0")));
    assert_eq!(score_of("=100%", "100%", "10"), Some(d("10")));
    assert_eq!(
        score_of("=100%", "95%", "10"),
        Some(d("9.5")),
        "= with t > 0 scores like ≥"
    );
}

#[test]
fn ranges_score_full_inside() {
    assert_eq!(score_of("80%-90%", "85%", "10"), Some(d("10")));
    assert_eq!(score_of("80%-90%", "80%", "10"), Some(d("10")));
    assert_eq!(score_of("80%-90%", "40%", "10"), Some(d("5")));
    assert_eq!(
        score_of("80%-90%", "99%", "10"),
        Some(d("9")),
        "1 − 9/90 = 90%"
    );
}

#[test]
fn implied_operator_for_cost_money_is_a_ceiling() {
    let cost = |target, actual| row("产出指标", "成本指标", target, actual, "8");
    let policy = ScoringPolicy::default();
    assert_eq!(
        one(cost("100万元", "110万元"), &policy).score,
        Some(d("7.2"))
    );
    assert_eq!(one(cost("100万元", "90万元"), &policy).score, Some(d("8")));
    // A percentage under 成本指标 is not money: reaching it is the target.
    assert_eq!(one(cost("15%", "15.2%"), &policy).outcome, Outcome::Met);
    let as_floor = ScoringPolicy {
        implied_operator: ImpliedOperator {
            default: crate::target_value::Operator::Ge,
            cost_money: crate::target_value::Operator::Ge,
        },
        ..ScoringPolicy::default()
    };
    assert_eq!(
        one(cost("100万元", "110万元"), &as_floor).score,
        Some(d("8"))
    );
}

#[test]
fn overshoot_needs_a_reason() {
    let policy = ScoringPolicy::default();
    let f = |actual: &str, reason: Option<&str>| {
        let mut r = output("≥100次", actual, "10");
        r.deviation_reason = reason.map(str::to_string);
        score(&form(vec![r], "10", "10"), &policy)
            .discrepancies
            .iter()
            .filter(|x| x.kind == DiscrepancyKind::OvershootUnexplained)
            .count()
    };
    assert_eq!(f("119次", None), 0);
    assert_eq!(f("120次", None), 1, "120% is the threshold, inclusive");
    assert_eq!(f("300次", Some("年初目标偏低，已调整")), 0);
    let off = ScoringPolicy {
        overshoot_threshold: None,
        ..ScoringPolicy::default()
    };
    let s = score(
        &form(vec![output("≥100次", "300次", "10")], "10", "10"),
        &off,
    );
    assert!(
        s.discrepancies
            .iter()
            .all(|x| x.kind != DiscrepancyKind::OvershootUnexplained)
    );
}

#[test]
fn qualitative_tiers_keep_scores_inside_their_band() {
    let policy = ScoringPolicy::default();
    let q = |actual: &str, stated: &str| {
        let mut r = row("效益指标", "社会效益指标", "显著改善", actual, "10");
        r.score = Some(d(stated));
        score(&form(vec![r], "10", "10"), &policy)
    };
    // 达成 [8, 10]: 8 kept, 7.99 outside → default 10 and reported.
    assert_eq!(q("达成", "8").indicators[0].score, Some(d("8")));
    let s = q("达成", "7.99");
    assert_eq!(s.indicators[0].score, Some(d("10")));
    assert!(
        s.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::QualitativeOutOfBand)
    );
    // 部分达成 [6, 8): 8 is outside.
    assert_eq!(q("部分完成", "6").indicators[0].score, Some(d("6")));
    assert_eq!(q("部分完成", "8").indicators[0].score, Some(d("7")));
    // 未达成 [0, 6).
    assert_eq!(q("未完成", "5.99").indicators[0].score, Some(d("5.99")));
    assert_eq!(q("未完成", "6").indicators[0].score, Some(d("3")));
    // No score given: the default point of the tier.
    let mut r = row("满意度指标", "服务对象满意度指标", "满意", "满意", "10");
    r.score = None;
    assert_eq!(one(r, &policy).score, Some(d("10")));
}

#[test]
fn not_comparable_without_a_stated_score_is_not_computable() {
    let s = score(
        &form(vec![output("≥100人", "100人次", "10")], "10", "10"),
        &ScoringPolicy::default(),
    );
    assert_eq!(s.indicators[0].method, Method::NotComputable);
    assert_eq!(s.indicators[0].score, None);
    assert!(!s.complete);
    assert!(s.total_explanation.to_string().contains("暂定"));
}

#[test]
fn manual_override_with_reason_replaces_the_score() {
    let mut r = output("≥100人", "100人", "10");
    r.manual_override = Some(ManualOverride {
        score: d("9"),
        reason: Reason::parse("年初目标明显偏低，按偏差比例扣分").unwrap(),
    });
    let s = one(r.clone(), &ScoringPolicy::default());
    assert_eq!(s.computed, Some(d("10")));
    assert_eq!(s.score, Some(d("9")));
    assert_eq!(s.method, Method::ManualOverride);
    assert!(s.explanation.to_string().contains("年初目标明显偏低"));
    // Outside [0, weight]: refused and reported.
    r.manual_override.as_mut().unwrap().score = d("11");
    let f = score(&form(vec![r], "10", "10"), &ScoringPolicy::default());
    assert_eq!(f.indicators[0].score, Some(d("10")));
    assert!(
        f.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::InvalidOverride)
    );
    assert!(Reason::parse("  ").is_err());
}

#[test]
fn not_applicable_rescales_the_total() {
    let mut na = output("≥10次", "", "20");
    na.not_applicable = Some(Reason::parse("本年度未开展此项工作").unwrap());
    let rows = vec![
        output("≥10次", "10次", "40"),
        na,
        row("效益指标", "社会效益指标", "≥10家", "5家", "30"),
    ];
    let s = score(&form(rows, "10", "10"), &ScoringPolicy::default());
    // 40 + 15 + 10 = 65 of 80 applicable points → 81.25.
    assert_eq!(s.weight_total, d("80"));
    assert_eq!(s.raw_total, d("65"));
    assert_eq!(s.total, d("81.25"));
    assert_eq!(s.grade, crate::grade::Grade::Good);
    assert_eq!(s.indicators[1].method, Method::NotApplicable);
}

#[test]
fn execution_rate_is_capped_at_the_weight() {
    let policy = ScoringPolicy::default();
    assert_eq!(
        score(&form(vec![], "12", "10"), &policy).execution.score,
        Some(d("10"))
    );
    assert_eq!(
        score(&form(vec![], "8.5", "10"), &policy).execution.score,
        Some(d("8.5"))
    );
    let none = score(&form(vec![], "8.5", "0"), &policy);
    assert_eq!(none.execution.score, None);
    assert!(
        none.discrepancies
            .iter()
            .any(|x| x.subject == Subject::ExecutionRate)
    );
}

#[test]
fn stated_rate_is_checked_at_its_printed_precision() {
    let mut f = form(vec![], "9.40", "11.15");
    f.funds.stated_rate = Some(d("84.3"));
    let ok = score(&f, &ScoringPolicy::default());
    assert!(
        ok.discrepancies
            .iter()
            .all(|x| x.kind != DiscrepancyKind::RateDiffers)
    );
    f.funds.stated_rate = Some(d("84.2"));
    let bad = score(&f, &ScoringPolicy::default());
    assert!(
        bad.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::RateDiffers)
    );
}

#[test]
fn policy_reads_from_json_with_defaults() {
    let p = ScoringPolicy::from_json(
        r#"{"reverse_formula": "ratio", "execution_denominator": "initial_budget",
            "overshoot_threshold": "1.3", "level1_weights": {"output": "40", "benefit": "40"}}"#,
    )
    .unwrap();
    assert_eq!(p.reverse_formula, ReverseFormula::Ratio);
    assert_eq!(p.overshoot_threshold, Some(d("1.3")));
    assert_eq!(
        p.level1_weights.get(&crate::indicator::Level1::Output),
        Some(&d("40"))
    );
    assert_eq!(p.full_score, d("100"));
    let err = ScoringPolicy::from_json(r#"{"full_score": "1e30"}"#);
    assert!(err.is_err());
    let err = ScoringPolicy::from_json(r#"{"overshoot_threshold": "0.9"}"#).unwrap_err();
    assert_eq!(err.path, "overshoot_threshold");
    assert!(ScoringPolicy::default().validate().is_ok());
    let err = ScoringPolicy::from_json(r#"{"reverse_formla": "ratio"}"#).unwrap_err();
    assert!(err.to_string().contains("reverse_formla"), "{err}");
}

proptest! {
    #[test]
    fn scores_stay_within_zero_and_weight(
        target in 0u32..100_000, actual in 0u32..300_000, weight in 1u32..40,
        op in prop::sample::select(vec!["≥", "≤", "=", ">", "<", ""]),
        unit in prop::sample::select(vec!["%", "人", "万元", "次", ""]),
    ) {
        let r = output(&format!("{op}{target}{unit}"), &format!("{actual}{unit}"), &weight.to_string());
        let s = one(r, &ScoringPolicy::default());
        let score = s.score.expect("comparable values score");
        prop_assert!(score >= Decimal::ZERO && score <= Decimal::from(weight), "{score}");
    }

    #[test]
    fn positive_scoring_is_monotonic_in_the_actual(
        target in 1u32..10_000, a in 0u32..20_000, b in 0u32..20_000, weight in 1u32..40,
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let w = weight.to_string();
        let s_lo = score_of(&format!("≥{target}人"), &format!("{lo}人"), &w).unwrap();
        let s_hi = score_of(&format!("≥{target}人"), &format!("{hi}人"), &w).unwrap();
        prop_assert!(s_lo <= s_hi, "{lo}→{s_lo} > {hi}→{s_hi}");
    }

    #[test]
    fn reverse_scoring_is_antitone_in_the_actual(
        target in 1u32..10_000, a in 0u32..30_000, b in 0u32..30_000,
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let s_lo = score_of(&format!("≤{target}万元"), &format!("{lo}万元"), "10").unwrap();
        let s_hi = score_of(&format!("≤{target}万元"), &format!("{hi}万元"), "10").unwrap();
        prop_assert!(s_lo >= s_hi);
    }
}
