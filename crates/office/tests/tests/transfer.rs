//! 转移支付区域绩效自评表: written as .xlsx, .docx and .html in its national layout and read
//! back as the same typed form (parts with their own rows, 资金管理情况, indicators).

mod support;

use jixiao_core::form::Form;
use jixiao_recognize::{Limits, import};

fn example() -> Form {
    Form::from_json(include_str!(
        "../../../../testdata/forms/transfer-example.json"
    ))
    .expect("example transfer-payment form")
}

#[test]
fn transfer_forms_round_trip_through_every_format() {
    support::round_trips_through_every_format(&example(), "transfer");
}

/// A transfer form cut off at its indicator header (corpus 020) keeps its funds, management
/// and overall target, and says that its indicators were not read.
#[test]
fn a_cut_off_transfer_form_says_what_was_not_read() {
    let text = include_bytes!(
        "../../../../testdata/corpus/020-anhui-huainan-tianjiaan-employment-transfer/source.txt"
    );
    let imported = import("020.txt", text, &Limits::default()).expect("reads");
    let Some(Form::TransferPayment(t)) = imported.forms.first().map(|f| &f.form) else {
        panic!("no transfer form: {:?}", imported.forms)
    };
    assert_eq!(t.management.len(), 7);
    assert!(t.indicators.is_empty());
    let total = t.total().expect("a total row");
    assert_eq!(total.stated_rate.map(|r| r.to_string()), Some("86".into()));
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("未读到绩效指标")),
        "{:?}",
        imported.warnings
    );
}

/// A fund row whose label carries a note in brackets (其他资金(万元,自有资金、社会资本…), corpus
/// 046) is a row of its own: its 行次 number is not taken for the row above's amount.
#[test]
fn a_fund_label_with_a_bracketed_note_is_its_own_row() {
    let docx = include_bytes!(
        "../../../../testdata/corpus/046-sichuan-yaan-mingshan-forestry-transfer/rebuilt.docx"
    );
    let imported = import("046.docx", docx, &Limits::default()).expect("reads");
    let Some(Form::TransferPayment(t)) = imported.forms.first().map(|f| &f.form) else {
        panic!("no transfer form: {:?}", imported.forms)
    };
    let budgets: Vec<(String, Option<String>)> = t
        .funds
        .iter()
        .map(|r| {
            (
                format!("{:?}", r.level),
                r.budget.map(|a| a.value().to_string()),
            )
        })
        .collect();
    assert_eq!(
        budgets,
        [
            ("Total".to_string(), Some("52.800000".to_string())),
            ("Central".to_string(), Some("52.800000".to_string())),
            ("Local".to_string(), None),
            ("Other".to_string(), None),
        ],
        "{budgets:?}"
    );
}
