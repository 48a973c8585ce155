//! Seed 000's two target declarations, transcribed by hand: the typed model carries them, the
//! indicator catalog places every row (or says why not), and the amounts add up exactly.

use std::path::PathBuf;

use jixiao_core::form::{DepartmentTarget, Form, ProjectTarget};
use jixiao_core::indicator::{IndicatorPath, Layout, Level1, Level2};
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_core::target_value::{Flag, TargetValue};

fn load(name: &str) -> Form {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/forms")
        .join(name);
    let form = Form::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        Form::from_json(&form.to_json().unwrap()).unwrap(),
        form,
        "{name} round-trips"
    );
    form
}

fn wan(s: &str) -> Amount {
    Amount::parse(s, Some(MoneyUnit::Wan)).unwrap()
}

fn sum(amounts: impl Iterator<Item = Amount>) -> Amount {
    amounts.fold(Amount::zero(MoneyUnit::Wan), |a, b| {
        a.checked_add(&b).unwrap()
    })
}

#[test]
fn department_declaration_adds_up() {
    let Form::DepartmentTarget(f) = load("seed000-department-target.json") else {
        panic!("not a department target")
    };
    let f: DepartmentTarget = f;
    assert_eq!(f.funds_total, Some(wan("476.66")));
    // By nature and by source, the totals hold: 289.86 + 186.8 = 302.66 + 174 = 476.66.
    let by_nature = f
        .basic_expenditure
        .unwrap()
        .checked_add(&f.project_expenditure.unwrap());
    let by_source = f.funds_fiscal.unwrap().checked_add(&f.funds_other.unwrap());
    assert_eq!(by_nature, f.funds_total);
    assert_eq!(by_source, f.funds_total);
    let stated = f.stated_tasks_total.clone().unwrap();
    assert_eq!(
        Some(sum(f.tasks.iter().filter_map(|t| t.budget.total))),
        stated.total
    );
    assert_eq!(
        Some(sum(f.tasks.iter().filter_map(|t| t.budget.fiscal))),
        stated.fiscal
    );
    assert_eq!(
        Some(sum(f.tasks.iter().filter_map(|t| t.budget.other))),
        stated.other
    );

    // Every row has a place in the 88号 catalog, including 满意度指标/满意度指标.
    for i in &f.indicators {
        IndicatorPath::parse(&i.level1, &i.level2, &i.name, Layout::Mof88).unwrap();
    }
    // Targets that cannot be measured are flagged.
    let vague: Vec<&str> = f
        .indicators
        .iter()
        .filter(|i| TargetValue::parse(&i.target).is_vague())
        .map(|i| i.target.as_str())
        .collect();
    assert!(vague.contains(&"显著改善"));
    assert!(vague.contains(&"长期"));
    assert!(vague.contains(&"维持社会稳定"));
    assert!(!vague.contains(&"举办工伤预防培训6场。"));
    let rate = TargetValue::parse("参保单位及职工满意度>98%");
    assert_eq!(rate.terms()[0].to_string(), ">98%");
}

#[test]
fn project_declaration_places_satisfaction_under_benefit() {
    let Form::ProjectTarget(f) = load("seed000-project-target.json") else {
        panic!("not a project target")
    };
    let f: ProjectTarget = f;
    assert_eq!(f.funds_total, Some(wan("12.8")));
    let paths: Vec<Result<IndicatorPath, jixiao_core::indicator::PathError>> = f
        .indicators
        .iter()
        .map(|i| IndicatorPath::parse(&i.level1, &i.level2, &i.name, Layout::Mof88))
        .collect();
    assert_eq!(paths.iter().filter(|p| p.is_ok()).count(), 9);
    // As printed, 老工伤人员满意度 sits in the 效益指标 block: the catalog says where it belongs.
    let last = paths.last().unwrap().as_ref().unwrap_err();
    assert_eq!(
        last.to_string(),
        "二级指标“服务对象满意度指标”不属于一级指标“效益指标”（财预〔2015〕88号/〔2020〕10号体系）"
    );
    assert_eq!(
        Level2::parse(&f.indicators[8].level2),
        Some(Level2::Sustainability)
    );
    assert_eq!(Level1::parse(&f.indicators[0].level1), Some(Level1::Output));
    // 进京群访次数为0 has no unit; 12.8万元 does.
    let zero = TargetValue::parse(&f.indicators[2].target);
    assert!(
        zero.flags()
            .iter()
            .any(|x| matches!(x, Flag::UnitMissing { .. }))
    );
    assert_eq!(
        TargetValue::parse(&f.indicators[4].target).terms()[0].to_string(),
        "12.8万元"
    );
}
