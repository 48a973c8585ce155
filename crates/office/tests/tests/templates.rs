//! Offline templates (issue 26): a form written as a template reads back as the same form,
//! with the rates and scores the template works out itself; the workbook carries its lists,
//! number checks, formulas and protection, as calamine and the sheet XML show.

use std::io::{Cursor, Read};
use std::path::PathBuf;

use calamine::{Reader, Xlsx};
use jixiao_core::form::Form;
use jixiao_recognize::{Limits, import};
use rust_decimal::Decimal;

fn form(name: &str) -> Form {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../testdata/forms")
        .join(name);
    Form::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sheet_xml(bytes: &[u8], n: usize) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn a_self_evaluation_template_reads_back_with_its_computed_rate_and_scores() {
    let original = form("seed003-project.json");
    let bytes = jixiao_write::template_xlsx(&original)
        .unwrap()
        .expect("a template");
    let back = import("模板.xlsx", &bytes, &Limits::default()).unwrap();
    assert_eq!(back.forms.len(), 1, "{:?}", back.unrecognized);
    let (Form::ProjectSelfEvaluation(a), Form::ProjectSelfEvaluation(b)) =
        (&original, &back.forms[0].form)
    else {
        panic!("{:?}", back.forms[0].form)
    };
    // Everything the unit fills is as written.
    assert_eq!(a.name, b.name);
    assert_eq!(a.indicators, b.indicators);
    assert_eq!(a.funds.rows, b.funds.rows);
    assert_eq!(a.funds.weight, b.funds.weight);
    assert_eq!(a.overall_target, b.overall_target);
    // The rate and its score are the template's formulas, cached for the values written:
    // 全年执行数 ÷ 全年预算数 to four places, and at most 100% of 分值.
    let total = a.funds.total().unwrap();
    let (budget, executed) = (
        total.full_year_budget.unwrap().value(),
        total.executed.unwrap().value(),
    );
    let rate = (executed / budget).round_dp(4);
    assert_eq!(b.funds.stated_rate, Some(rate * Decimal::ONE_HUNDRED));
    let score = (rate.min(Decimal::ONE) * a.funds.weight.unwrap()).round_dp(2);
    assert_eq!(b.funds.stated_score, Some(score));
    // 总分: the indicators' scores and the funds' score.
    let sum: Decimal = a.indicators.iter().filter_map(|i| i.score).sum();
    assert_eq!(b.stated_total, Some(sum + score));

    // The workbook: the form, then 填报说明; formulas where the sheet works things out.
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["填报表", "填报说明"]);
    let formulas = book.worksheet_formula("填报表").unwrap();
    let texts: Vec<String> = formulas.used_cells().map(|(_, _, f)| f.clone()).collect();
    assert!(
        texts.iter().any(|f| f.contains("ROUND(MIN(1,")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|f| f.starts_with("SUM(")), "{texts:?}");
    let xml = sheet_xml(&bytes, 1);
    // Protected without a password; lists for 一级/二级, numbers for 分值 and amounts.
    assert!(xml.contains("<sheetProtection"), "{xml}");
    assert!(!xml.contains("password"), "{xml}");
    assert!(xml.contains(r#"type="list""#) && xml.contains("服务对象满意度指标"));
    assert!(xml.contains(r#"type="decimal""#));
    assert!(xml.contains("此处请填写不小于0的数字"));
}

#[test]
fn a_declaration_template_reads_back_as_the_declaration() {
    for name in [
        "seed000-project-target.json",
        "seed000-department-target.json",
    ] {
        let original = form(name);
        let bytes = jixiao_write::template_xlsx(&original)
            .unwrap()
            .expect("a template");
        let back = import("模板.xlsx", &bytes, &Limits::default()).unwrap();
        assert_eq!(back.forms.len(), 1, "{name}: {:?}", back.unrecognized);
        assert_eq!(back.forms[0].form, original, "{name}");
        let docx = jixiao_write::template_docx(&original)
            .unwrap()
            .expect("a Word template");
        let back = import("模板.docx", &docx, &Limits::default()).unwrap();
        assert_eq!(back.forms[0].form, original, "{name} in Word");
    }
    // The monitoring form's rate is a formula over its own amounts, its choices are lists.
    let bytes = jixiao_write::template_xlsx(&form("monitoring-example.json"))
        .unwrap()
        .unwrap();
    let xml = sheet_xml(&bytes, 1);
    assert!(xml.contains("ROUND(N("), "{xml}");
    assert!(xml.contains("经费保障"), "{xml}");
}
