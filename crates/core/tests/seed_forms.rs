//! The self-evaluation forms of the seed documents, transcribed by hand exactly as printed
//! (testdata/forms), scored under the default policy. Where the recomputation differs from
//! what the form printed, the test asserts the recomputed value and that the difference is
//! reported.

use std::path::PathBuf;

use jixiao_core::form::{Form, SelfEvaluation};
use jixiao_core::grade::Grade;
use jixiao_core::scoring::{
    Discrepancy, DiscrepancyKind, ExecutionDenominator, Method, ScoredForm, ScoringPolicy, Subject,
    TotalBasis, score,
};
use jixiao_core::target_value::Outcome;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn load(name: &str) -> SelfEvaluation {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/forms")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    match Form::from_json(&text).unwrap() {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f,
        other => panic!("{name} is a {}", other.title()),
    }
}

fn kinds(scored: &ScoredForm) -> Vec<(DiscrepancyKind, String)> {
    scored
        .discrepancies
        .iter()
        .map(|d| (d.kind, d.subject.to_string()))
        .collect()
}

fn find<'a>(scored: &'a ScoredForm, kind: DiscrepancyKind, subject: &Subject) -> &'a Discrepancy {
    scored
        .discrepancies
        .iter()
        .find(|x| x.kind == kind && &x.subject == subject)
        .unwrap_or_else(|| panic!("no {kind:?} on {subject}: {:#?}", kinds(scored)))
}

fn indicator(row: usize, name: &str) -> Subject {
    Subject::Indicator {
        row,
        name: name.into(),
    }
}

#[test]
fn seed001_daily_operations() {
    let form = load("seed001-daily-operations.json");
    let s = score(&form, &ScoringPolicy::default());

    // Execution: 9.40 / 11.15 = 84.30%; 10 × 84.30% = 8.43, the form printed 8.5.
    assert_eq!(s.execution.score, Some(d("8.43")));
    let e = find(
        &s,
        DiscrepancyKind::ExecutionScoreDiffers,
        &Subject::ExecutionScore,
    );
    assert_eq!(e.stated.as_deref(), Some("8.5"));
    assert_eq!(e.computed.as_deref(), Some("8.43"));
    // The printed rate 84.3% is right at the precision printed.
    assert!(
        !s.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::RateDiffers)
    );

    // Indicators: quantitative ones computed, qualitative ones kept or banded.
    let scores: Vec<Option<Decimal>> = s.indicators.iter().map(|i| i.score).collect();
    let expected: Vec<Option<Decimal>> = ["10", "10", "10", "10", "20", "10", "10", "10"]
        .iter()
        .map(|v| Some(d(v)))
        .collect();
    assert_eq!(scores, expected);
    assert_eq!(s.indicators[0].method, Method::Formula, "至少1次 vs 一次");
    assert_eq!(
        s.indicators[2].method,
        Method::Formula,
        "不超过12万 vs 9.4万元"
    );
    assert_eq!(s.indicators[2].outcome, Outcome::Met);
    assert_eq!(s.indicators[1].method, Method::EvaluatorJudgement);
    // 实际支出不超出预算: spent 9.4 of 11.15, met, yet scored 5 of 10.
    let out_of_band = find(
        &s,
        DiscrepancyKind::QualitativeOutOfBand,
        &indicator(5, "实际支出超出预算比例"),
    );
    assert_eq!(out_of_band.stated.as_deref(), Some("5"));
    assert_eq!(out_of_band.computed.as_deref(), Some("10"));

    // Weights: indicators 100 + execution 10 = 110; 效益 40 against the policy's 30.
    find(&s, DiscrepancyKind::WeightTotalDiffers, &Subject::Weights);
    let benefit = find(
        &s,
        DiscrepancyKind::Level1WeightDiffers,
        &Subject::Group {
            level1: jixiao_core::indicator::Level1::Benefit,
        },
    );
    assert_eq!(benefit.stated.as_deref(), Some("40"));
    assert_eq!(s.weight_total, d("110"));

    // Total: (90 + 8.43) × 100 / 110 = 89.48 (良); the form printed 85.
    assert_eq!(s.raw_total, d("98.43"));
    assert_eq!(s.total, d("89.48"));
    assert_eq!(s.grade, Grade::Good);
    let total = find(&s, DiscrepancyKind::TotalDiffers, &Subject::Total);
    assert_eq!(total.stated.as_deref(), Some("85"));
    assert_eq!(total.computed.as_deref(), Some("89.48"));

    // Under the raw-sum basis the total is the plain sum.
    let raw = ScoringPolicy {
        total_basis: TotalBasis::RawSum,
        ..ScoringPolicy::default()
    };
    assert_eq!(score(&form, &raw).total, d("98.43"));
}

#[test]
fn seed001_audit_special() {
    let form = load("seed001-audit-special.json");
    let s = score(&form, &ScoringPolicy::default());

    // 17.27 / 18.60 = 92.85%: printed as 92.8% (right at one decimal), score 9.28 not 9.5.
    assert!(
        !s.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::RateDiffers)
    );
    assert_eq!(s.execution.score, Some(d("9.28")));
    find(
        &s,
        DiscrepancyKind::ExecutionScoreDiffers,
        &Subject::ExecutionScore,
    );

    // ≧10次 against 130次: met, but 1300% of target with no explanation.
    assert_eq!(s.indicators[0].score, Some(d("15")));
    let over = find(
        &s,
        DiscrepancyKind::OvershootUnexplained,
        &indicator(0, "全年开展稽核次数"),
    );
    assert_eq!(over.computed.as_deref(), Some("1300.00%"));

    // The actual's 15.2% is found among 3104万元 and 471万元.
    assert_eq!(s.indicators[3].outcome, Outcome::Met);
    // 12702人 against 9000人次: units differ; the stated 15 is kept and reported.
    assert_eq!(s.indicators[5].outcome, Outcome::NotComparable);
    assert_eq!(s.indicators[5].method, Method::EvaluatorJudgement);
    assert_eq!(s.indicators[5].score, Some(d("15")));
    let units = find(
        &s,
        DiscrepancyKind::NotComparable,
        &indicator(5, "享受工伤保险待遇"),
    );
    assert!(units.message.contains("人次"), "{}", units.message);

    // (95 + 9.28) × 100 / 110 = 94.8.
    assert_eq!(s.total, d("94.80"));
    assert_eq!(s.grade, Grade::Excellent);
    find(&s, DiscrepancyKind::TotalDiffers, &Subject::Total);
    find(&s, DiscrepancyKind::WeightTotalDiffers, &Subject::Weights);
}

fn check_seed003(name: &str) {
    let form = load(name);
    let s = score(&form, &ScoringPolicy::default());

    // 331.61 / 331.61 (or 37.74 / 37.74) = 100%: 10 points, as printed.
    assert_eq!(s.execution.score, Some(d("10")));
    // 基本支出: target 292.83万元, spent 293.87万元. A cost amount without an operator is a
    // ceiling: 8 × (1 − 1.04/292.83) = 7.97, the form printed 8.
    let cost = &s.indicators[5];
    assert_eq!(cost.outcome, Outcome::NotMet);
    assert_eq!(cost.score, Some(d("7.97")));
    let diff = find(&s, DiscrepancyKind::ScoreDiffers, &indicator(5, "基本支出"));
    assert_eq!(diff.stated.as_deref(), Some("8"));
    assert_eq!(diff.computed.as_deref(), Some("7.97"));
    // Every other indicator is as printed; qualitative ones are in their tier.
    for i in s.indicators.iter().filter(|i| i.row != 5) {
        assert_eq!(i.score, i.stated, "{}", i.name);
    }
    assert!(matches!(
        s.indicators[7].method,
        Method::QualitativeTier { .. }
    ));
    // Group labels (50分/30分/10分) and the policy weights agree with the rows.
    assert!(!s.discrepancies.iter().any(|x| matches!(
        x.kind,
        DiscrepancyKind::GroupLabelDiffers
            | DiscrepancyKind::Level1WeightDiffers
            | DiscrepancyKind::WeightTotalDiffers
    )));
    assert_eq!(s.total, d("99.97"));
    assert_eq!(s.grade, Grade::Excellent);
    let total = find(&s, DiscrepancyKind::TotalDiffers, &Subject::Total);
    assert_eq!(total.stated.as_deref(), Some("100"));
    // The grade 优 stands.
    assert!(
        !s.discrepancies
            .iter()
            .any(|x| x.kind == DiscrepancyKind::GradeDiffers)
    );
    assert_eq!(s.discrepancies.len(), 2, "{:#?}", kinds(&s));
}

#[test]
fn seed003_department() {
    check_seed003("seed003-department.json");
}

#[test]
fn seed003_project() {
    check_seed003("seed003-project.json");
}

#[test]
fn seed003_against_the_initial_budget() {
    // With 年初预算数 as denominator the department ran at 331.61 / 292.83 = 113.24%: capped.
    let form = load("seed003-department.json");
    let policy = ScoringPolicy {
        execution_denominator: ExecutionDenominator::InitialBudget,
        ..ScoringPolicy::default()
    };
    let s = score(&form, &policy);
    assert_eq!(
        s.execution
            .rate
            .map(|r| jixiao_core::money::round2(r * Decimal::ONE_HUNDRED)),
        Some(d("113.24"))
    );
    assert_eq!(s.execution.score, Some(d("10")));
    // The project form's initial budget is 0: no rate, and the gap is reported.
    let project = score(&load("seed003-project.json"), &policy);
    assert_eq!(project.execution.score, None);
    assert!(!project.complete);
}

#[test]
fn every_explanation_shows_inputs_rule_and_arithmetic() {
    for name in [
        "seed001-daily-operations.json",
        "seed001-audit-special.json",
        "seed003-department.json",
        "seed003-project.json",
    ] {
        let s = score(&load(name), &ScoringPolicy::default());
        for i in &s.indicators {
            let text = i.explanation.to_string();
            assert!(
                text.contains("输入：") && text.contains("规则：") && text.contains("计算："),
                "{name} {}: {text}",
                i.name
            );
        }
        assert!(s.total_explanation.to_string().contains("计算："));
    }
}

#[test]
fn forms_round_trip_through_json() {
    for name in [
        "seed001-daily-operations.json",
        "seed001-audit-special.json",
        "seed003-department.json",
        "seed003-project.json",
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/forms")
            .join(name);
        let form = Form::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let again = Form::from_json(&form.to_json().unwrap()).unwrap();
        assert_eq!(form, again, "{name}");
    }
}

#[test]
fn bad_json_says_where() {
    let text = r#"{"form":"project_self_evaluation","name":"x","funds":{"rows":[]},
        "indicators":[{"level1":"产出指标","level2":"数量指标","name":"a","weight":"十"}]}"#;
    let err = Form::from_json(text).unwrap_err();
    assert_eq!(err.path, "indicators[0].weight");
    assert!(err.to_string().contains("“十”不是数字"), "{err}");
    let float = r#"{"form":"project_self_evaluation","name":"x","funds":{"rows":[],"stated_score":8.5},"indicators":[]}"#;
    let err = Form::from_json(float).unwrap_err();
    assert_eq!(err.path, "funds.stated_score");
    let blank_reason = r#"{"form":"project_self_evaluation","name":"x","funds":{"rows":[]},
        "indicators":[{"level1":"产出指标","level2":"数量指标","name":"a","weight":"10",
        "manual_override":{"score":"9","reason":"  "}}]}"#;
    let err = Form::from_json(blank_reason).unwrap_err();
    assert!(err.to_string().contains("理由不能为空"), "{err}");
}
