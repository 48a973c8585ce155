use std::collections::BTreeMap;

use super::*;
use crate::form::{Funds, IndicatorRow, ProjectTarget, SelfEvaluation};
use crate::library::{Curation, Source, Status};
use crate::money::MoneyUnit;
use crate::source::Location;

fn row(l2: &str, name: &str, target: &str) -> DeclaredIndicator {
    DeclaredIndicator {
        level1: String::new(),
        level2: l2.into(),
        name: name.into(),
        target: target.into(),
        weight: None,
    }
}

fn declaration(project: &str, rows: Vec<DeclaredIndicator>) -> Form {
    let mut f = ProjectTarget::blank(Some(2024));
    f.project_name = project.into();
    f.funds_total = Amount::parse("100", Some(MoneyUnit::Wan)).ok();
    f.indicators = rows;
    Form::ProjectTarget(f)
}

fn codes(form: &Form, library: &Library, context: &Context<'_>) -> Vec<&'static str> {
    let location = Location::default();
    let provenance = BTreeMap::new();
    let input = Input {
        form,
        location: &location,
        provenance: &provenance,
    };
    review(&input, library, context)
        .iter()
        .map(|f| f.code)
        .collect()
}

/// A library of three other units' declarations: 资助学生人数 800/1000/1200 人, 资金拨付及时率
/// ≥95% (three times), 校舍维修面积 under 数量指标 twice.
fn library(curations: &[Curation]) -> Library {
    let forms: Vec<Form> = [("800人", "≥95%"), ("1000人", "≥95%"), ("1200人", "≥95%")]
        .iter()
        .map(|(n, t)| {
            declaration(
                "学生资助",
                vec![
                    row("数量指标", "资助学生人数", &format!("≥{n}")),
                    row("时效指标", "资金拨付及时率", t),
                    row("数量指标", "校舍维修面积", "≥500平方米"),
                ],
            )
        })
        .collect();
    Library::build(
        forms.iter().map(|form| Source {
            unit: "其他学校",
            form,
        }),
        curations,
    )
}

#[test]
fn each_finding_fires_on_its_case_and_stays_quiet_on_its_pair() {
    let lib = library(&[]);
    let none = Context::default();
    // T02: 500 students is below most units' (quartiles 800–1200); 1000 is not.
    let low = declaration("学生资助", vec![row("数量指标", "资助学生人数", "≥500人")]);
    let fine = declaration("学生资助", vec![row("数量指标", "资助学生人数", "≥1000人")]);
    assert!(codes(&low, &lib, &none).contains(&"T02"));
    assert!(!codes(&fine, &lib, &none).contains(&"T02"));
    // T04: a qualitative target where the library holds ≥95%.
    let vague = declaration("学生资助", vec![row("时效指标", "资金拨付及时率", "及时")]);
    let exact = declaration("学生资助", vec![row("时效指标", "资金拨付及时率", "≥95%")]);
    assert!(codes(&vague, &lib, &none).contains(&"T04"));
    assert!(!codes(&exact, &lib, &none).contains(&"T04"));
    // T05: 校舍维修面积 filed under 质量指标 where units file it under 数量指标.
    let misfiled = declaration(
        "学生资助",
        vec![row("质量指标", "校舍维修面积", "≥500平方米")],
    );
    let filed = declaration(
        "学生资助",
        vec![row("数量指标", "校舍维修面积", "≥500平方米")],
    );
    assert!(codes(&misfiled, &lib, &none).contains(&"T05"));
    assert!(!codes(&filed, &lib, &none).contains(&"T05"));
    // T06: a cost target of 120万元 on 100万元 of funds; 90万元 fits.
    let dear = declaration("学生资助", vec![row("成本指标", "项目总成本", "≤120万元")]);
    let cheap = declaration("学生资助", vec![row("成本指标", "项目总成本", "≤90万元")]);
    assert!(codes(&dear, &lib, &none).contains(&"T06"));
    assert!(!codes(&cheap, &lib, &none).contains(&"T06"));
    // T07: 满意度 ≥80% below the floor of 85%; ≥90% is fine; the floor is a setting.
    let lax = declaration(
        "学生资助",
        vec![row("服务对象满意度指标", "受助学生满意度", "≥80%")],
    );
    let usual = declaration(
        "学生资助",
        vec![row("服务对象满意度指标", "受助学生满意度", "≥90%")],
    );
    assert!(codes(&lax, &lib, &none).contains(&"T07"));
    assert!(!codes(&usual, &lib, &none).contains(&"T07"));
    let lenient = Context {
        satisfaction_floor: Some(Decimal::from(80)),
        ..Context::default()
    };
    assert!(!codes(&lax, &lib, &lenient).contains(&"T07"));
    // T08: the same indicator twice (spacing aside); two different ones are fine.
    let twice = declaration(
        "学生资助",
        vec![
            row("数量指标", "资助学生人数", "≥1000人"),
            row("数量", "资助学生 人数", "≥1000人"),
        ],
    );
    assert_eq!(
        codes(&twice, &lib, &none)
            .iter()
            .filter(|c| **c == "T08")
            .count(),
        1
    );
    assert!(!codes(&fine, &lib, &none).contains(&"T08"));
}

#[test]
fn last_years_actual_and_fixed_indicators() {
    let lib = library(&[]);
    // T01: last year's self-evaluation achieved 1100 students; a target of 1000 is below it,
    // 1200 is not.
    let mut last = SelfEvaluation {
        year: Some(2023),
        name: "学生资助".into(),
        competent_department: None,
        implementing_unit: None,
        layout: Default::default(),
        other_fields: Vec::new(),
        funds: Funds {
            rows: Vec::new(),
            weight: None,
            stated_rate: None,
            stated_score: None,
        },
        overall_target: Default::default(),
        indicators: Vec::new(),
        stated_total_weight: None,
        stated_total: None,
        stated_grade: None,
        notes: Vec::new(),
    };
    last.indicators = vec![IndicatorRow::new(
        "产出指标".into(),
        "数量指标".into(),
        "资助学生人数".into(),
        "≥1000人".into(),
    )];
    last.indicators[0].actual = "1100人".into();
    let last = Form::ProjectSelfEvaluation(last);
    let context = Context {
        last_year: Some(&last),
        ..Context::default()
    };
    let easy = declaration("学生资助", vec![row("数量指标", "资助学生人数", "≥1000人")]);
    let hard = declaration("学生资助", vec![row("数量指标", "资助学生人数", "≥1200人")]);
    assert!(codes(&easy, &lib, &context).contains(&"T01"));
    assert!(!codes(&hard, &lib, &context).contains(&"T01"));
    // T03: the bureau fixed 资金拨付及时率 for education; a student-grant declaration without it
    // is flagged, one with it is not, and a road project is not asked for it.
    let fixed = Curation {
        key: key(Level2::Timeliness, "资金拨付及时率"),
        status: Status::Active,
        fixed_for: vec![Field::Education],
        merged_into: None,
        proposal: None,
    };
    let lib = library(&[fixed]);
    let without = declaration("学生资助", vec![row("数量指标", "资助学生人数", "≥1200人")]);
    let with = declaration(
        "学生资助",
        vec![
            row("数量指标", "资助学生人数", "≥1200人"),
            row("时效指标", "资金拨付及时率", "≥95%"),
        ],
    );
    let road = declaration(
        "农村公路养护",
        vec![row("数量指标", "养护里程", "≥300公里")],
    );
    let none = Context::default();
    assert!(codes(&without, &lib, &none).contains(&"T03"));
    assert!(!codes(&with, &lib, &none).contains(&"T03"));
    assert!(!codes(&road, &lib, &none).contains(&"T03"));
}

#[test]
fn an_amount_is_not_compared_with_other_units_amounts() {
    // Three units budget 培训费 at 10, 20 and 30 万元; a smaller project's 5 万元 is its own
    // size, not a low target (T06 compares amounts with the funds instead).
    let forms: Vec<Form> = ["10万元", "20万元", "30万元"]
        .iter()
        .map(|t| {
            declaration(
                "干部培训",
                vec![row("成本指标", "培训费", &format!("≤{t}"))],
            )
        })
        .collect();
    let lib = Library::build(
        forms.iter().map(|form| Source {
            unit: "其他单位",
            form,
        }),
        &[],
    );
    let small = declaration("干部培训", vec![row("成本指标", "培训费", "≤5万元")]);
    assert!(!codes(&small, &lib, &Context::default()).contains(&"T02"));
    // The same spread in 人 does fire: the skip is for money alone.
    let people: Vec<Form> = ["10人", "20人", "30人"]
        .iter()
        .map(|t| {
            declaration(
                "干部培训",
                vec![row("数量指标", "培训人数", &format!("≥{t}"))],
            )
        })
        .collect();
    let lib = Library::build(
        people.iter().map(|form| Source {
            unit: "其他单位",
            form,
        }),
        &[],
    );
    let few = declaration("干部培训", vec![row("数量指标", "培训人数", "≥5人")]);
    assert!(codes(&few, &lib, &Context::default()).contains(&"T02"));
}
