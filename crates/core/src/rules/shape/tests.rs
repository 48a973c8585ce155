use proptest::prelude::*;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn score(rule: &Rule, points: &str, x: &str) -> Decimal {
    rule.score(d(points), Some(d(x)), None).unwrap().score
}

fn per_point(target: &str, side: Side, step: &str, deduct: &str, whole: bool) -> Rule {
    Rule::DeductPerStep {
        target: d(target),
        side,
        step: d(step),
        deduct: d(deduct),
        whole_steps: whole,
    }
}

fn base_share(target: &str, base: &str, per_point: &str, cap_multiple: &str) -> Rule {
    Rule::BaseShare {
        target: d(target),
        base: d(base),
        per_point: d(per_point),
        cap_multiple: d(cap_multiple),
    }
}

fn per_unit(target: &str, plus: &str, minus: &str, cap_multiple: &str) -> Rule {
    Rule::PerUnit {
        target: d(target),
        plus: d(plus),
        minus: d(minus),
        cap_multiple: d(cap_multiple),
    }
}

#[test]
fn deduct_per_point_above_a_cap() {
    // 在职人员控制率 5分: ≤100% full; each point over −0.5, down to 0.
    let r = per_point("100", Side::Above, "1", "0.5", false);
    assert_eq!(score(&r, "5", "100"), d("5"));
    assert_eq!(score(&r, "5", "99.99"), d("5"));
    assert_eq!(score(&r, "5", "101"), d("4.5"));
    assert_eq!(score(&r, "5", "103.5"), d("3.25"));
    assert_eq!(score(&r, "5", "110"), d("0"));
    assert_eq!(score(&r, "5", "150"), d("0"), "扣完为止");
}

#[test]
fn whole_steps_and_both_sides() {
    // 新建楼堂馆所面积控制率: each 5% over −2, counted by whole steps.
    let r = per_point("100", Side::Above, "5", "2", true);
    assert_eq!(score(&r, "5", "104.99"), d("5"));
    assert_eq!(score(&r, "5", "105"), d("3"));
    assert_eq!(score(&r, "5", "109.99"), d("3"));
    assert_eq!(score(&r, "5", "112.5"), d("1"));
    // 政府采购执行率 6分: each 5% over or under −2.
    let r = per_point("100", Side::Both, "5", "2", true);
    assert_eq!(score(&r, "6", "95"), d("4"));
    assert_eq!(score(&r, "6", "105"), d("4"));
    assert_eq!(score(&r, "6", "100"), d("6"));
    // 预算完成率: 100% full, each 5 points below −2.
    let r = per_point("100", Side::Below, "5", "2", true);
    assert_eq!(score(&r, "5", "120"), d("5"));
    assert_eq!(score(&r, "5", "90"), d("1"));
}

fn band(min: Option<&str>, min_in: bool, max: Option<&str>, max_in: bool, points: &str) -> Band {
    Band {
        min: min.map(d),
        min_inclusive: min_in,
        max: max.map(d),
        max_inclusive: max_in,
        points: d(points),
    }
}

#[test]
fn bands_with_inclusive_ends_and_exact_values() {
    // 预算控制率: =0 → 5; (0,10%] → 4; (10,20%] → 3; (20,30%] → 2; >30% → 0.
    let r = Rule::Bands {
        bands: vec![
            band(Some("0"), true, Some("0"), true, "5"),
            band(Some("0"), false, Some("10"), true, "4"),
            band(Some("10"), false, Some("20"), true, "3"),
            band(Some("20"), false, Some("30"), true, "2"),
            band(Some("30"), false, None, false, "0"),
        ],
    };
    assert_eq!(score(&r, "5", "0"), d("5"));
    assert_eq!(score(&r, "5", "0.01"), d("4"));
    assert_eq!(score(&r, "5", "10"), d("4"));
    assert_eq!(score(&r, "5", "10.01"), d("3"));
    assert_eq!(score(&r, "5", "30"), d("2"));
    assert_eq!(score(&r, "5", "30.01"), d("0"));
    assert!(
        r.score(d("5"), Some(d("-1")), None).is_err(),
        "a value in no band is an error, not 0"
    );
    // 满意度: ≥90 → 6; [80,90) → 4; [70,80) → 2; <70 → 0.
    let r = Rule::Bands {
        bands: vec![
            band(Some("90"), true, None, false, "6"),
            band(Some("80"), true, Some("90"), false, "4"),
            band(Some("70"), true, Some("80"), false, "2"),
            band(None, false, Some("70"), false, "0"),
        ],
    };
    assert_eq!(score(&r, "6", "90"), d("6"));
    assert_eq!(score(&r, "6", "89.99"), d("4"));
    assert_eq!(score(&r, "6", "80"), d("4"));
    assert_eq!(score(&r, "6", "69.99"), d("0"));
}

fn tier(label: &str, min: &str, max: &str) -> Tier {
    Tier {
        label: label.into(),
        min: d(min),
        max: d(max),
    }
}

/// The evaluator's pick of the tier `label`, with `score` in it.
fn picked(label: &str, score: Option<&str>) -> Judgement {
    Judgement::Tier {
        label: label.into(),
        score: score.map(d),
        reason: crate::form::Reason::parse("依据自评材料").unwrap(),
    }
}

#[test]
fn checklists_occurrences_tiers_and_manual_scores() {
    let items = (1..=4)
        .map(|i| Item {
            text: format!("第{i}项"),
            points: d("2"),
        })
        .collect();
    let r = Rule::Checklist { items };
    let j = Judgement::Checklist(vec![true, true, false, true]);
    assert_eq!(r.score(d("8"), None, Some(&j)).unwrap().score, d("6"));
    assert!(
        r.score(d("8"), None, None).is_err(),
        "never full marks without a judgement"
    );
    assert!(
        r.score(d("8"), None, Some(&Judgement::Checklist(vec![true])))
            .is_err()
    );

    let r = Rule::PerOccurrence { deduct: d("1") };
    assert_eq!(
        r.score(d("6"), None, Some(&Judgement::Occurrences(2)))
            .unwrap()
            .score,
        d("4")
    );
    assert_eq!(
        r.score(d("6"), None, Some(&Judgement::Occurrences(9)))
            .unwrap()
            .score,
        d("0")
    );

    let r = Rule::Tiers {
        tiers: vec![
            tier("较好", "6", "6"),
            tier("一般", "3", "3"),
            tier("达成", "4.8", "6"),
        ],
    };
    let pick =
        |label: &str, score: Option<&str>| r.score(d("6"), None, Some(&picked(label, score)));
    assert_eq!(pick("一般", None).unwrap().score, d("3"));
    assert_eq!(pick("达成", Some("5")).unwrap().score, d("5"));
    assert!(
        pick("达成", Some("4.7")).is_err(),
        "outside the tier's band"
    );
    assert!(pick("达成", None).is_err(), "a banded tier needs a score");
    assert!(pick("优秀", None).is_err());

    assert_eq!(
        Rule::Manual
            .score(
                d("10"),
                None,
                Some(&Judgement::Score {
                    score: d("9"),
                    reason: crate::form::Reason::parse("综合评价材料").unwrap()
                })
            )
            .unwrap()
            .score,
        d("9")
    );
    assert!(
        Rule::Manual
            .score(
                d("10"),
                None,
                Some(&Judgement::Score {
                    score: d("11"),
                    reason: crate::form::Reason::parse("综合评价材料").unwrap()
                })
            )
            .is_err()
    );
}

#[test]
fn proportional_and_base_share() {
    // 重点工作实际完成率: 绩效办得分 / 100 × 8.
    let r = Rule::Proportional {
        full: d("100"),
        cap: true,
    };
    assert_eq!(score(&r, "8", "95"), d("7.6"));
    assert_eq!(score(&r, "8", "120"), d("8"), "capped");
    // Base share: met → 80% of points, ±0.5 per point, at most 1.2 × points.
    let r = base_share("100", "0.8", "0.5", "1.2");
    assert_eq!(score(&r, "10", "100"), d("8"));
    assert_eq!(score(&r, "10", "102"), d("9"));
    assert_eq!(score(&r, "10", "90"), d("3"));
    assert_eq!(score(&r, "10", "120"), d("12"), "capped at 1.2 × 10");
}

#[test]
fn ratio_to_target_both_reverse_formulas_and_per_unit() {
    use crate::scoring::ReverseFormula;
    let up = Rule::RatioToTarget {
        target: d("100"),
        better: Better::Higher,
        reverse: ReverseFormula::Deviation,
    };
    assert_eq!(score(&up, "10", "100"), d("10"));
    assert_eq!(score(&up, "10", "80"), d("8"));
    assert_eq!(score(&up, "10", "130"), d("10"), "capped");
    // t = 100, a = 125: 75% by the deviation formula, 80% by the ratio formula (rules.md §9.2).
    let down = |reverse| Rule::RatioToTarget {
        target: d("100"),
        better: Better::Lower,
        reverse,
    };
    assert_eq!(
        score(&down(ReverseFormula::Deviation), "10", "125"),
        d("7.5")
    );
    assert_eq!(score(&down(ReverseFormula::Ratio), "10", "125"), d("8"));
    assert_eq!(score(&down(ReverseFormula::Deviation), "10", "200"), d("0"));
    assert_eq!(score(&down(ReverseFormula::Ratio), "10", "90"), d("10"));
    // +3 per unit over, −3 per unit under (rules.md §6.20).
    let r = per_unit("10", "3", "3", "2");
    assert_eq!(score(&r, "10", "10"), d("10"));
    assert_eq!(score(&r, "10", "12"), d("16"));
    assert_eq!(score(&r, "10", "8"), d("4"));
    assert_eq!(score(&r, "10", "20"), d("20"), "capped at 2 × 10");
    assert_eq!(score(&r, "10", "0"), d("0"));
}

#[test]
fn negative_points_or_caps_score_0_instead_of_panicking() {
    // Rule files stored by the web application are not validated again before scoring.
    let r = Rule::Proportional {
        full: d("100"),
        cap: true,
    };
    assert_eq!(score(&r, "-5", "50"), d("0"));
    let r = base_share("100", "0.8", "0.5", "-1");
    assert_eq!(score(&r, "10", "100"), d("0"));
    let r = per_unit("10", "1", "1", "-2");
    assert_eq!(score(&r, "10", "12"), d("0"));
}

proptest! {
    #[test]
    fn scores_stay_within_zero_and_points(x in 0u32..100_000, cents in 0u32..100, points in 1u32..30) {
        let x = Decimal::new(i64::from(x) * 100 + i64::from(cents), 4);
        let p = Decimal::from(points);
        for rule in [
            per_point("100", Side::Above, "1", "0.5", false),
            per_point("100", Side::Both, "5", "2", true),
            Rule::Proportional { full: d("100"), cap: true },
        ] {
            let s = rule.score(p, Some(x), None).unwrap().score;
            prop_assert!(s >= Decimal::ZERO && s <= p, "{rule:?} {x} → {s}");
        }
    }

    #[test]
    fn deductions_are_monotonic(a in 0u32..20_000, b in 0u32..20_000) {
        let (lo, hi) = (Decimal::new(i64::from(a.min(b)), 2), Decimal::new(i64::from(a.max(b)), 2));
        let rule = per_point("100", Side::Above, "1", "0.5", false);
        prop_assert!(score_of(&rule, lo) >= score_of(&rule, hi));
        let rule = per_point("100", Side::Below, "5", "2", true);
        prop_assert!(score_of(&rule, lo) <= score_of(&rule, hi));
    }
}

fn score_of(rule: &Rule, x: Decimal) -> Decimal {
    rule.score(d("5"), Some(x), None).unwrap().score
}

#[test]
fn a_shape_that_cannot_score_says_why_in_a_typed_error() {
    use crate::scoring::ReverseFormula;
    let ratio = |target: &str, better, reverse| Rule::RatioToTarget {
        target: d(target),
        better,
        reverse,
    };
    // A zero target that is not met cannot be divided by.
    let err = ratio("0", Better::Higher, ReverseFormula::Deviation)
        .score(d("10"), Some(d("-5")), None)
        .unwrap_err();
    assert_eq!(err, ShapeError::ZeroTarget);
    assert_eq!(err.to_string(), "目标值不能为0");
    let err = ratio("0", Better::Lower, ReverseFormula::Deviation)
        .score(d("10"), Some(d("5")), None)
        .unwrap_err();
    assert_eq!(err, ShapeError::ZeroTarget);
    // The ratio formula divides by the actual value instead.
    let err = ratio("-1", Better::Lower, ReverseFormula::Ratio)
        .score(d("10"), Some(d("0")), None)
        .unwrap_err();
    assert_eq!(err, ShapeError::ZeroActual);
    assert_eq!(err.to_string(), "实际值不能为0");

    let err = per_point("100", Side::Above, "0", "1", false)
        .score(d("5"), Some(d("101")), None)
        .unwrap_err();
    assert_eq!(err.to_string(), "档距不能为0");
    let err = per_point("100", Side::Above, "1", "1", false)
        .score(d("5"), None, None)
        .unwrap_err();
    assert_eq!(err, ShapeError::MissingMeasure);
    assert_eq!(err.to_string(), "缺少计算所需的数据");
    let err = Rule::Proportional {
        full: d("0"),
        cap: true,
    }
    .score(d("5"), Some(d("1")), None)
    .unwrap_err();
    assert_eq!(err.to_string(), "满分基数不能为0");
    let err = Rule::Bands {
        bands: vec![band(Some("0"), true, None, false, "5")],
    }
    .score(d("5"), Some(d("-1.005")), None)
    .unwrap_err();
    assert_eq!(err.to_string(), "-1.01不在任何档次内");
}

#[test]
fn judgement_errors_name_what_the_evaluator_must_give() {
    let items = vec![
        Item {
            text: "有制度".into(),
            points: d("1"),
        },
        Item {
            text: "有台账".into(),
            points: d("1"),
        },
    ];
    let r = Rule::Checklist { items };
    assert_eq!(
        r.score(d("2"), None, None).unwrap_err().to_string(),
        "需评价人逐项判断（共2项）"
    );
    assert_eq!(
        r.score(d("2"), None, Some(&Judgement::Checklist(vec![true])))
            .unwrap_err()
            .to_string(),
        "逐项判断应有2项，给出了1项"
    );
    assert_eq!(
        Rule::PerOccurrence { deduct: d("1") }
            .score(d("2"), None, None)
            .unwrap_err()
            .to_string(),
        "需评价人给出不符合要求的例数"
    );

    let r = Rule::Tiers {
        tiers: vec![tier("好", "4", "5"), tier("差", "0", "0")],
    };
    let pick = |label: &str, score: Option<&str>| {
        r.score(d("5"), None, Some(&picked(label, score)))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        r.score(d("5"), None, None).unwrap_err().to_string(),
        "需评价人选择档次（好/差）"
    );
    assert_eq!(pick("中", None), "没有“中”这一档");
    assert_eq!(pick("好", None), "“好”档须在4～5分之间给分");
    assert_eq!(pick("好", Some("3.50")), "3.5分不在“好”档4～5分之间");

    assert_eq!(
        Rule::Manual.score(d("5"), None, None).unwrap_err(),
        ShapeError::ScoreNeeded
    );
    let err = Rule::Manual
        .score(
            d("5"),
            None,
            Some(&Judgement::Score {
                score: d("6.0"),
                reason: crate::form::Reason::parse("综合评价材料").unwrap(),
            }),
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "评定分6不在0～5分之间");
}

#[test]
fn each_score_explains_its_inputs_rule_and_result() {
    let steps = |rule: &Rule, x: &str| rule.score(d("5"), Some(d(x)), None).unwrap().steps;
    let r = per_point("100", Side::Above, "1", "0.5", false);
    assert_eq!(steps(&r, "99"), ["99未超过标准100，得满分5分"]);
    assert_eq!(
        steps(&r, "103.5"),
        ["偏离标准3.5个百分点（103.5 与 100），扣3.5 × 0.5 = 1.75分，5 − 1.75 = 3.25分"]
    );
    let r = Rule::RatioToTarget {
        target: d("100"),
        better: Better::Higher,
        reverse: crate::scoring::ReverseFormula::Deviation,
    };
    assert_eq!(
        steps(&r, "80"),
        ["实际80，目标100，完成比例80%，5 × 80% = 4分"]
    );
    let r = per_unit("10", "1", "0.5", "2");
    assert_eq!(steps(&r, "8"), ["实际8，目标10，5 − 1 = 4分"]);
    let r = base_share("100", "0.8", "0.5", "1.2");
    assert_eq!(steps(&r, "98"), ["5 × 0.8 + (98 − 100) × 0.5 = 3分"]);
}
