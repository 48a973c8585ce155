use super::*;
use crate::form::{DeclaredIndicator, ProjectTarget};

fn declaration(project: &str, year: u16, rows: &[(&str, &str, &str, &str)]) -> Form {
    let mut f = ProjectTarget::blank(Some(year));
    f.project_name = project.to_string();
    f.indicators = rows
        .iter()
        .map(|&(l1, l2, name, target)| DeclaredIndicator {
            level1: l1.into(),
            level2: l2.into(),
            name: name.into(),
            target: target.into(),
            weight: None,
        })
        .collect();
    Form::ProjectTarget(f)
}

#[test]
fn indicators_are_gathered_by_group_and_name_with_their_spread() {
    let a = declaration(
        "学生资助补助资金",
        2023,
        &[
            ("产出指标", "数量指标", "资助学生人数(人)", "≥1200人"),
            ("产出指标", "质量指标", "资助对象识别准确率", "100%"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥85%"),
        ],
    );
    let b = declaration(
        "高中助学金",
        2023,
        &[
            ("产出指标", "数量", "资助学生 人数", "≥800人"),
            ("满意度指标", "满意度", "服务对象满意度", "≥90%"),
        ],
    );
    let c = declaration(
        "营养改善计划",
        2023,
        &[("满意度指标", "满意度指标", "服务对象满意度", "≥95%")],
    );
    let sources = [
        Source {
            unit: "甲中学",
            form: &a,
        },
        Source {
            unit: "乙中学",
            form: &b,
        },
        Source {
            unit: "丙小学",
            form: &c,
        },
    ];
    let library = Library::build(sources, &[]);
    let students = library
        .get(&key(Level2::Quantity, "资助学生人数"))
        .expect("gathered");
    assert_eq!(students.uses.len(), 2);
    assert_eq!(students.level1, Level1::Output);
    let spread = students.spread.as_ref().expect("numeric targets");
    assert_eq!((spread.count, spread.unit.as_str()), (2, "人"));
    assert_eq!(students.fields.first(), Some(&Field::Education));
    let satisfaction = library
        .get(&key(Level2::Satisfaction, "服务对象满意度"))
        .expect("common");
    // The curated entry gathers the units' uses: three targets, median 90%.
    assert_eq!(satisfaction.origin, Origin::Common);
    assert_eq!(satisfaction.uses.len(), 3);
    assert_eq!(
        satisfaction.spread.as_ref().map(|s| s.median),
        Some(Decimal::from(90))
    );
    assert_eq!(satisfaction.direction, Direction::Positive);
}

#[test]
fn suggestions_rank_by_the_project_and_respect_filters_and_curation() {
    let a = declaration(
        "学生资助补助资金",
        2023,
        &[("产出指标", "数量指标", "资助学生人数", "≥1200人")],
    );
    let b = declaration(
        "农村公路养护",
        2023,
        &[("产出指标", "数量指标", "养护公路里程", "≥300公里")],
    );
    let sources = [
        Source {
            unit: "甲",
            form: &a,
        },
        Source {
            unit: "乙",
            form: &b,
        },
    ];
    let library = Library::build(sources, &[]);
    let found = library.suggest(
        &Query {
            text: "高中学生资助",
            ..Query::default()
        },
        5,
    );
    assert_eq!(
        found[0].name,
        "资助学生人数",
        "{:?}",
        found.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    let only_quality = library.suggest(
        &Query {
            text: "学生资助",
            level2: Some(Level2::Quality),
            ..Query::default()
        },
        5,
    );
    assert!(only_quality.iter().all(|e| e.level2 == Level2::Quality));
    // Retired entries are not suggested; merged ones count where they were merged.
    let road = key(Level2::Quantity, "养护公路里程");
    let students = key(Level2::Quantity, "资助学生人数");
    let curations = [
        Curation {
            key: road.clone(),
            status: Status::Retired,
            fixed_for: vec![],
            merged_into: None,
            proposal: None,
        },
        Curation {
            key: students.clone(),
            status: Status::Active,
            fixed_for: vec![Field::Education],
            merged_into: None,
            proposal: None,
        },
    ];
    let library = Library::build(sources, &curations);
    assert!(
        library
            .suggest(
                &Query {
                    text: "公路养护",
                    ..Query::default()
                },
                5
            )
            .iter()
            .all(|e| e.key != road)
    );
    assert_eq!(
        library
            .fixed(Field::Education)
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        [students.as_str()]
    );
    let merged = [Curation {
        key: road.clone(),
        status: Status::Active,
        fixed_for: vec![],
        merged_into: Some(students.clone()),
        proposal: None,
    }];
    let library = Library::build(sources, &merged);
    assert!(library.get(&road).is_none());
    assert_eq!(library.get(&students).map(|e| e.uses.len()), Some(2));
}

#[test]
fn a_proposal_waits_for_the_bureau() {
    let proposal = Curation {
        key: key(Level2::Quality, "校车安全运行率"),
        status: Status::Pending,
        fixed_for: vec![],
        merged_into: None,
        proposal: Some(Proposal {
            level2: Level2::Quality,
            name: "校车安全运行率".into(),
            typical: "=100%".into(),
            fields: vec![Field::Education],
        }),
    };
    let library = Library::build([], std::slice::from_ref(&proposal));
    let entry = library.get(&proposal.key).expect("listed for the bureau");
    assert_eq!(
        (entry.origin, entry.status),
        (Origin::Proposed, Status::Pending)
    );
    let suggested = |library: &Library| {
        library
            .suggest(
                &Query {
                    text: "校车安全",
                    ..Query::default()
                },
                5,
            )
            .iter()
            .any(|e| e.key == proposal.key)
    };
    assert!(!suggested(&library));
    let approved = Curation {
        status: Status::Active,
        ..proposal.clone()
    };
    let library = Library::build([], &[approved]);
    assert!(suggested(&library));
    assert_eq!(
        library.get(&proposal.key).map(|e| e.origin),
        Some(Origin::Industry)
    );
}

#[test]
fn keys_and_numbers() {
    assert_eq!(
        key(Level2::Quantity, "开展小型水利工程建设(个)"),
        "数量指标|开展小型水利工程建设"
    );
    assert_eq!(number("≥95%"), Some((Decimal::from(95), "%".to_string())));
    assert_eq!(number("逐年提高"), None);
    assert_eq!(direction("≤100%"), Direction::Reverse);
    assert_eq!(direction("健全"), Direction::Qualitative);
}

#[test]
fn last_years_values_sit_beside_the_same_indicator() {
    let last = declaration(
        "学生资助",
        2023,
        &[
            ("产出指标", "数量指标", "资助学生人数", "≥800人"),
            ("产出指标", "时效指标", "资金拨付及时率", "≥95%"),
        ],
    );
    let Form::ProjectTarget(now) = declaration(
        "学生资助",
        2024,
        &[
            ("产出指标", "时效指标", "资金拨付及时率", "100%"),
            ("产出指标", "数量指标", "新增宿舍床位", "≥50张"),
            // Another 二级指标: not the same indicator.
            ("产出指标", "质量指标", "资助学生人数", "≥900人"),
        ],
    ) else {
        unreachable!()
    };
    let got = suggestion::beside(&now.indicators, &last);
    assert_eq!(
        got,
        vec![
            Some(LastYear {
                year: 2023,
                target: "≥95%".into(),
                actual: None
            }),
            None,
            None,
        ]
    );
}
