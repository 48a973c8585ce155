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

/// A transfer form whose funds rows are laid out unevenly: labels merged over two columns or
/// split into 其中 | 中央财政资金, a 彩票公益金 row beside the levels, empty cells in the
/// middle of a row. `lottery_rate` is what the 彩票公益金 row prints under 执行率.
fn uneven_funds_page(lottery_rate: &str) -> String {
    format!(
        "<html><body><p>2023年度中央对地方转移支付区域绩效自评表</p><table>\
         <tr><td colspan=\"3\">转移支付（项目）名称</td><td colspan=\"4\">示例补助资金</td></tr>\
         <tr><td colspan=\"3\">中央主管部门</td><td colspan=\"4\">示例部</td></tr>\
         <tr><td colspan=\"3\">地方主管部门</td><td>示例厅</td><td colspan=\"2\">资金使用单位</td><td>示例局</td></tr>\
         <tr><td rowspan=\"6\">资金投入情况（万元）</td><td colspan=\"2\"></td><td>全年预算数（A）</td><td>全年到位资金</td><td>全年执行数（B）</td><td>执行率（B/A）</td></tr>\
         <tr><td colspan=\"2\">年度资金总额</td><td>150</td><td>150</td><td>140</td><td>93.33%</td></tr>\
         <tr><td>其中</td><td>中央财政资金</td><td>100</td><td>100</td><td>95</td><td>95%</td></tr>\
         <tr><td colspan=\"2\">地方资金</td><td>50</td><td>50</td><td>45</td><td>90%</td></tr>\
         <tr><td colspan=\"2\">彩票公益金</td><td>0</td><td></td><td>0</td><td>{lottery_rate}</td></tr>\
         <tr><td colspan=\"2\">其他资金</td><td></td><td>0</td><td>0</td><td></td></tr>\
         <tr><td rowspan=\"2\">总体目标完成情况</td><td colspan=\"3\">总体目标</td><td colspan=\"3\">全年实际完成情况</td></tr>\
         <tr><td colspan=\"3\">完成任务</td><td colspan=\"3\">已完成</td></tr>\
         </table></body></html>"
    )
}

/// Funds rows are aligned by their labels and the header's columns, not by their position:
/// 彩票公益金 is a row of its own (its 0 and 100% never shift into 地方资金), an empty
/// 全年预算数 leaves the budget empty instead of taking the 到位 figure, and the rate it
/// prints on a zero base (0 ÷ 0 shown as 100%) is flagged by A13, at its cell; printed as
/// “—” it is quiet.
#[test]
fn funds_rows_are_aligned_by_label_and_a_rate_on_a_zero_base_is_flagged() {
    let page = uneven_funds_page("100%");
    let imported = import("t.html", page.as_bytes(), &Limits::default()).expect("reads");
    let Some(Form::TransferPayment(t)) = imported.forms.first().map(|f| &f.form) else {
        panic!("no transfer form: {:?}", imported.forms)
    };
    let rows: Vec<String> = t
        .funds
        .iter()
        .map(|r| {
            let a = |x: Option<jixiao_core::money::Amount>| {
                x.map(|a| a.value().normalize().to_string())
                    .unwrap_or_default()
            };
            format!(
                "{:?} {} {}|{}|{}|{}",
                r.level,
                r.label.as_deref().unwrap_or(""),
                a(r.budget),
                a(r.received),
                a(r.executed),
                r.stated_rate.map(|x| x.to_string()).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "Total  150|150|140|93.33",
            "Central 中央财政资金 100|100|95|95",
            "Local 地方资金 50|50|45|90",
            "Other 彩票公益金 0||0|100",
            "Other  |0|0|",
        ],
        "{rows:?}"
    );
    let inputs: Vec<_> = imported.forms.iter().map(|f| f.input()).collect();
    let found = jixiao_core::audit::audit(&inputs, &jixiao_core::scoring::ScoringPolicy::default());
    let a13: Vec<_> = found.iter().filter(|f| f.code == "A13").collect();
    assert_eq!(a13.len(), 1, "{found:?}");
    assert!(a13[0].message.contains("彩票公益金"), "{}", a13[0].message);
    assert_eq!(a13[0].severity, jixiao_core::audit::Severity::Warning);
    // At the 执行率 cell of the 彩票公益金 row (row 8, column 7).
    assert_eq!(
        (a13[0].location.row, a13[0].location.col),
        (Some(8), Some(7))
    );
    // The levels add up and every other rate is right: nothing else is an error.
    assert!(
        !found.iter().any(|f| f.code == "A06" || f.code == "A01"),
        "{found:?}"
    );
    let page = uneven_funds_page("—");
    let imported = import("t.html", page.as_bytes(), &Limits::default()).expect("reads");
    let inputs: Vec<_> = imported.forms.iter().map(|f| f.input()).collect();
    let found = jixiao_core::audit::audit(&inputs, &jixiao_core::scoring::ScoringPolicy::default());
    assert!(!found.iter().any(|f| f.code == "A13"), "{found:?}");
}

/// In flattened text (values after their label), 彩票公益金 is a row of its own too, whether
/// it has a paragraph of its own or is run into the 地方资金 row's line (merged rows), and its
/// 100% on a zero base is A13.
#[test]
fn a_lottery_row_in_flattened_text_is_its_own_row() {
    for lottery in ["\n\n彩票公益金", " 彩票公益金"] {
        let text = format!(
            "2023年度中央对地方转移支付区域绩效自评表\n\n转移支付（项目）名称 示例补助资金\n\n\
             资金投入情况（万元） 全年预算数（A） 全年执行数（B） 执行率（B/A）\n\n\
             年度资金总额 150 140 93.33%\n\n其中：中央财政资金 100 95 95%\n\n地方资金 50 45 90%\
             {lottery} 0 0 100%\n\n总体目标完成情况\n"
        );
        lottery_row_is_its_own(&text);
    }
}

/// Imports `text` and checks its funds rows: 彩票公益金 after 地方资金, which keeps its own 90%.
fn lottery_row_is_its_own(text: &str) {
    let imported = import("t.txt", text.as_bytes(), &Limits::default()).expect("reads");
    let Some(Form::TransferPayment(t)) = imported.forms.first().map(|f| &f.form) else {
        panic!("no transfer form: {:?}", imported.forms)
    };
    let labels: Vec<Option<&str>> = t.funds.iter().map(|r| r.label.as_deref()).collect();
    assert_eq!(labels, [None, None, Some("地方资金"), Some("彩票公益金")]);
    let local = &t.funds[2];
    assert_eq!(local.stated_rate.map(|r| r.to_string()), Some("90".into()));
    let inputs: Vec<_> = imported.forms.iter().map(|f| f.input()).collect();
    let found = jixiao_core::audit::audit(&inputs, &jixiao_core::scoring::ScoringPolicy::default());
    assert_eq!(
        found.iter().filter(|f| f.code == "A13").count(),
        1,
        "{found:?}"
    );
}
