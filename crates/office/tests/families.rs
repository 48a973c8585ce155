//! Layout families the recognizers read by meaning (issue 11), on small forms written for the
//! purpose: what a family changes is read, the rest as usual.

use jixiao_core::form::Form;
use jixiao_office::{Limits, import};

/// A project self-evaluation as a web page whose funds header and total row are `funds`.
fn page(funds: &str) -> String {
    format!(
        "<html><body><p>项目支出绩效自评表</p><p>（2023年度）</p><table>\
         <tr><td>项目名称</td><td colspan=\"7\">示例项目</td></tr>\
         <tr><td>主管部门</td><td colspan=\"3\">示例局</td><td>实施单位</td><td colspan=\"3\">示例单位</td></tr>\
         {funds}\
         <tr><td>年度总体目标</td><td colspan=\"3\">预期目标</td><td colspan=\"4\">实际完成情况</td></tr>\
         <tr><td></td><td colspan=\"3\">完成任务</td><td colspan=\"4\">已完成</td></tr>\
         <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td><td>分值</td><td>得分</td><td>偏差原因分析及改进措施</td></tr>\
         <tr><td>产出指标</td><td>数量指标</td><td>完成数量</td><td>≥10个</td><td>10个</td><td>90</td><td>90</td><td></td></tr>\
         <tr><td colspan=\"5\">总分</td><td>100</td><td>99.58</td><td>等级：优</td></tr>\
         </table></body></html>"
    )
}

fn self_evaluation(html: &str) -> jixiao_core::form::SelfEvaluation {
    let imported = import("form.html", html.as_bytes(), &Limits::default()).expect("reads");
    match imported.forms.first().map(|f| &f.form) {
        Some(Form::ProjectSelfEvaluation(f)) => f.clone(),
        other => panic!("not a project self-evaluation: {other:?}"),
    }
}

#[test]
fn rates_written_as_fractions_are_percentages() {
    for (printed, percent) in [("0.958", "95.800"), ("1", "100")] {
        let f = self_evaluation(&page(&format!(
            "<tr><td>项目资金（万元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>\
             <tr><td></td><td>年度资金总额</td><td>12</td><td>12</td><td>11.5</td><td>10</td><td>{printed}</td><td>9.58</td></tr>"
        )));
        assert_eq!(
            f.funds.stated_rate.map(|r| r.to_string()),
            Some(percent.to_string()),
            "{printed}"
        );
    }
}

#[test]
fn amounts_in_yuan_keep_their_unit() {
    let f = self_evaluation(&page(
        "<tr><td>项目资金（元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>\
         <tr><td></td><td>年度资金总额</td><td>387664.62</td><td>387664.62</td><td>387664.62</td><td>10</td><td>100%</td><td>10</td></tr>",
    ));
    let total = f.funds.total().expect("total row");
    let budget = total.full_year_budget.expect("budget");
    assert_eq!(budget.unit(), jixiao_core::money::MoneyUnit::Yuan);
    // Exactly 38.766462 万元.
    assert_eq!(
        budget
            .to_unit(jixiao_core::money::MoneyUnit::Wan)
            .map(|a| a.value().to_string()),
        Some("38.766462".to_string())
    );
}
