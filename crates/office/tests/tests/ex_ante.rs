//! 事前绩效评估表: written as .xlsx, .docx and .html in its layout and read back as the same
//! typed form; another province's layout (评估项目 / 申报单位 / 申请金额, a ticked conclusion)
//! read by meaning, its arithmetic slip found.

mod support;

use jixiao_core::form::Form;
use jixiao_core::form::ex_ante::Conclusion;
use jixiao_recognize::{Limits, import};
use rust_decimal::Decimal;

fn example() -> Form {
    Form::from_json(include_str!(
        "../../../../testdata/forms/ex-ante-example.json"
    ))
    .expect("example ex-ante assessment")
}

#[test]
fn ex_ante_assessments_round_trip_through_every_format() {
    support::round_trips_keeping(&example(), "ex-ante", "aspects[1].score");
}

#[test]
fn another_layout_is_read_by_meaning() {
    let html = include_bytes!("../../../../testdata/ex-ante/assessment-other-layout.html");
    let imported = import("事前评估审核表.html", html, &Limits::default()).expect("reads");
    let Some(Form::ExAnteAssessment(a)) = imported.forms.first().map(|f| &f.form) else {
        panic!("no assessment: {:?}", imported.unrecognized)
    };
    assert_eq!(a.year, Some(2025));
    assert_eq!(a.project_name, "工伤预防宣传培训项目");
    assert_eq!(a.unit, "株洲市工伤保险服务中心");
    assert_eq!(a.assessor.as_deref(), Some("湖南某某会计师事务所"));
    assert_eq!(
        a.funds.map(|f| f.value().normalize().to_string()),
        Some("50".into())
    );
    let scores: Vec<Option<Decimal>> = a.aspects.iter().map(|r| r.score).collect();
    assert_eq!(scores, [16, 14, 15, 13, 16].map(|s| Some(Decimal::from(s))));
    assert_eq!(a.stated_total, Some(Decimal::from(72)));
    assert_eq!(a.conclusion, Some(Conclusion::SupportAfterRevision));
    assert!(a.opinion.contains("压缩场地费用"), "{}", a.opinion);
    assert!(
        imported.unrecognized.is_empty(),
        "{:?}",
        imported.unrecognized
    );
    // The scores add up to 74, not the 72 printed: X02, with where it was read.
    let findings = jixiao_core::audit::audit(
        &[jixiao_core::audit::Input {
            form: &imported.forms[0].form,
            location: &imported.forms[0].location,
            provenance: &imported.forms[0].provenance,
        }],
        &jixiao_core::scoring::ScoringPolicy::default(),
    );
    let x02 = findings
        .iter()
        .find(|f| f.code == "X02")
        .expect("the total's slip");
    assert!(x02.message.contains("74"), "{}", x02.message);
    assert!(x02.location.row.is_some(), "{:?}", x02.location);
}
