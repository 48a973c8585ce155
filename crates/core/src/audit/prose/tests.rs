//! Prose arithmetic on real text: sentences from the corpus and the seeds, each check once
//! firing and once quiet, with the finding on the cell it reads.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::super::{Finding, Input, audit};
use crate::form::Form;
use crate::scoring::ScoringPolicy;
use crate::source::Location;

fn seed_form() -> Form {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/forms/seed001-daily-operations.json"),
    )
    .unwrap();
    Form::from_json(&text).unwrap()
}

/// The seed self-evaluation with `actual` as its 实际完成情况, audited with that cell at
/// table 1, row 7, column 3; the findings of the prose checks only.
fn actual(actual: &str) -> Vec<Finding> {
    let mut form = seed_form();
    if let Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) = &mut form {
        f.overall_target.actual = actual.to_string();
    }
    let mut provenance = BTreeMap::new();
    provenance.insert(
        "overall_target.actual".to_string(),
        Location {
            table: Some(1),
            row: Some(7),
            col: Some(3),
            ..Location::default()
        },
    );
    let location = Location::default();
    let input = Input {
        form: &form,
        location: &location,
        provenance: &provenance,
    };
    audit(&[input], &ScoringPolicy::default())
        .into_iter()
        .filter(|f| ["R01", "R02", "R03", "R05", "R06", "Q06"].contains(&f.code))
        .collect()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn parts_without_of_which_must_add_up_to_their_total() {
    let f = actual("省级下拨40万元；市级下拨20万元；全年应执行70万元。");
    assert_eq!(codes(&f), ["R01"], "{f:#?}");
    assert_eq!(f[0].stated.as_deref(), Some("70万元"));
    assert_eq!(f[0].computed.as_deref(), Some("60万元"));
    assert!(
        f[0].message.contains("“省级下拨”与“市级下拨”"),
        "{}",
        f[0].message
    );
    // The marker sits on the cell the sentence is in.
    assert_eq!((f[0].location.row, f[0].location.col), (Some(7), Some(3)));
    assert!(actual("省级下拨40万元；市级下拨20万元；全年应执行60万元。").is_empty());
    // The total before its parts.
    assert_eq!(
        codes(&actual(
            "共下达资金100万元，中央财政资金60万元，省级财政资金30万元。"
        )),
        ["R01"]
    );
}

#[test]
fn yuan_wan_and_yi_are_converted_before_comparing() {
    assert!(actual("中央补助资金1.2亿元，省级配套资金3000万元，合计1.5亿元。").is_empty());
    assert!(actual("中央补助资金1.2亿元，省级配套资金3000万元，合计15000万元。").is_empty());
    assert!(actual("中央补助资金12000万元，省级配套资金30000000元，合计1.5亿元。").is_empty());
    let f = actual("中央补助资金1.2亿元，省级配套资金3000万元，合计1.7亿元。");
    assert_eq!(codes(&f), ["R01"]);
    assert_eq!(f[0].computed.as_deref(), Some("1.5亿元"));
}

#[test]
fn labels_that_are_not_parallel_are_not_parts() {
    // 042's sentence: a total with 其中 (the report check's), not parallel parts.
    assert!(
        actual("项目总投资39.2696万元,其中:中央财政衔接资金39万元,已下拨到位。自筹资金2696元,已完成自筹。")
            .is_empty()
    );
    // Two figures of different kinds beside a total.
    assert!(actual("年初预算数12万元，执行数9.40万元，合计完成率78.33%。").is_empty());
}

#[test]
fn a_stated_grade_is_checked_against_the_bands() {
    // 044's sentence as published: 91.8 is 优.
    assert!(actual("第三方机构最终绩效评价总得分为91.8分,评价等级为优秀。").is_empty());
    let f = actual("第三方机构最终绩效评价总得分为88.5分,评价等级为优秀。");
    assert_eq!(codes(&f), ["R05"]);
    assert_eq!(f[0].stated.as_deref(), Some("优"));
    assert_eq!(f[0].computed.as_deref(), Some("良"));
    assert_eq!(f[0].location.row, Some(7));
    assert_eq!(codes(&actual("项目自评得分75分，评级为良。")), ["R05"]);
    assert!(actual("项目自评得分85分，评级为良。").is_empty());
    // Bands are not statements (seed 003's note), nor is a score on another scale (043).
    assert!(
        actual("总分设置为100分，等级划分为：90分（含）—100分为优，80分（含）—90分为良。")
            .is_empty()
    );
    assert!(actual("得分60分以下，等级为差。").is_empty());
    assert!(actual("自评得分102.8分，等级为优。").is_empty());
}

#[test]
fn a_product_is_checked_with_its_unit() {
    assert!(actual("按项目总额200万元×30%=60万元拨付首期资金。").is_empty());
    assert!(actual("按项目总额200万元×30%=600000元拨付首期资金。").is_empty());
    assert!(actual("首期拨付30%×200万元=60万元。").is_empty());
    let f = actual("按项目总额200万元×30%=6万元拨付首期资金。");
    assert_eq!(codes(&f), ["R06"]);
    assert_eq!(f[0].computed.as_deref(), Some("60万元"));
    let f = actual("种植面积1000亩×80%=800万元。");
    assert_eq!(codes(&f), ["R06"], "{f:#?}");
    // Seed 004's formulas hold no numbers to check.
    assert!(actual("在职人员控制率=（在职人员数/编制数）×100%。").is_empty());
    assert!(actual("该项得分=（绩效办对应部分考核得分/100）*8。").is_empty());
}

#[test]
fn money_glued_to_a_measure_is_no_unit() {
    let f = actual("发放耕地地力保护补贴，补助标准为105元亩。");
    assert_eq!(codes(&f), ["Q06"]);
    assert!(f[0].message.contains("“元亩”"), "{}", f[0].message);
    assert_eq!(codes(&actual("完成投资3万元吨。")), ["Q06"]);
    assert!(actual("补助标准为105元/亩。").is_empty());
    assert!(actual("每人补助500元户籍在本村。").is_empty());
}

#[test]
fn no_prose_finding_on_the_seed_forms() {
    // The seeds' text cells hold no prose arithmetic error.
    let form = seed_form();
    let text = match &form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            f.overall_target.actual.clone()
        }
        _ => unreachable!(),
    };
    assert!(actual(&text).is_empty());
}
