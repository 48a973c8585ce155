//! Input that cannot be true, refused where it is typed: negative or absurd amounts, rates and
//! scores out of their range, and the fields a form cannot be filed without. Each problem names
//! its field in Chinese (`全年执行数`, not `executed`) and carries the field's path, so the page
//! marks the input and keeps what was typed.
//!
//! What *may* be true but looks wrong (a score above its weight, a total that does not add up)
//! is the audit's, not this module's: such forms are saved and flagged.

use jixiao_core::form::Form;
use jixiao_core::money::{Amount, MoneyUnit};
use rust_decimal::Decimal;
use serde::Serialize;

/// The largest amount a form may state: 1亿万元 (10¹² 元), far above any unit's budget.
pub const MAX_WAN: i64 = 100_000_000;

/// A value refused, at its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field's path in the form (`funds.rows[0].executed`).
    pub path: String,
    /// What is wrong, naming the field in Chinese.
    pub message: String,
}

/// Collects problems with their paths.
#[derive(Default)]
struct Check {
    problems: Vec<Problem>,
}

impl Check {
    fn refuse(&mut self, path: String, message: String) {
        self.problems.push(Problem { path, message });
    }

    fn required(&mut self, path: &str, label: &str, text: &str) {
        if text.trim().is_empty() {
            self.refuse(path.to_string(), format!("{label}不能为空"));
        }
    }

    fn year(&mut self, year: Option<u16>) {
        match year {
            None => self.refuse("year".into(), "年度不能为空".into()),
            Some(y) if !(2000..=2100).contains(&y) => {
                self.refuse("year".into(), format!("年度“{y}”应在2000—2100之间"))
            }
            Some(_) => {}
        }
    }

    fn amount(&mut self, path: String, label: &str, amount: Option<&Amount>) {
        let Some(a) = amount else { return };
        let wan = a.in_yuan().map(|yuan| yuan / MoneyUnit::Wan.in_yuan());
        match wan {
            Some(w) if w < Decimal::ZERO => self.refuse(
                path,
                format!("{label}不能为负数（填写的是{}）", a.as_written()),
            ),
            Some(w) if w > Decimal::from(MAX_WAN) => self.refuse(
                path,
                format!(
                    "{label}“{}”超出合理范围（上限{}万元），请核对单位和位数",
                    a.as_written(),
                    MAX_WAN
                ),
            ),
            Some(_) => {}
            None => self.refuse(path, format!("{label}“{}”过大，无法计算", a.as_written())),
        }
    }

    fn range(&mut self, path: String, label: &str, value: Option<Decimal>, max: i64, unit: &str) {
        let Some(v) = value else { return };
        if v < Decimal::ZERO || v > Decimal::from(max) {
            self.refuse(
                path,
                format!(
                    "{label}应在0—{max}{unit}之间（填写的是{}{unit}）",
                    v.normalize()
                ),
            );
        }
    }
}

/// The problems of a form as typed; empty when it may be saved.
pub fn check(form: &Form) -> Vec<Problem> {
    let mut c = Check::default();
    match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            let label = if matches!(form, Form::ProjectSelfEvaluation(_)) {
                "项目名称"
            } else {
                "部门（单位）名称"
            };
            c.required("name", label, &s.name);
            c.year(s.year);
            for (k, row) in s.funds.rows.iter().enumerate() {
                let at = |f: &str| format!("funds.rows[{k}].{f}");
                c.amount(
                    at("initial_budget"),
                    "年初预算数",
                    row.initial_budget.as_ref(),
                );
                c.amount(
                    at("full_year_budget"),
                    "全年预算数",
                    row.full_year_budget.as_ref(),
                );
                c.amount(at("executed"), "全年执行数", row.executed.as_ref());
            }
            c.range(
                "funds.weight".into(),
                "执行率分值",
                s.funds.weight,
                100,
                "分",
            );
            c.range(
                "funds.stated_rate".into(),
                "执行率",
                s.funds.stated_rate,
                100,
                "%",
            );
            c.range(
                "funds.stated_score".into(),
                "执行率得分",
                s.funds.stated_score,
                100,
                "分",
            );
            for (k, row) in s.indicators.iter().enumerate() {
                let at = |f: &str| format!("indicators[{k}].{f}");
                c.range(at("weight"), "指标分值", row.weight, 100, "分");
                c.range(at("score"), "指标得分", row.score, 100, "分");
            }
            c.range("stated_total".into(), "总分", s.stated_total, 100, "分");
        }
        Form::ProjectTarget(d) => {
            c.required("project_name", "项目名称", &d.project_name);
            c.required("unit", "主管部门（预算单位）", &d.unit);
            c.year(d.year);
            c.amount("funds_total".into(), "资金总额", d.funds_total.as_ref());
            c.amount("funds_fiscal".into(), "财政拨款", d.funds_fiscal.as_ref());
            c.amount("funds_other".into(), "其他资金", d.funds_other.as_ref());
        }
        Form::DepartmentTarget(d) => {
            c.required("department", "部门（单位）名称", &d.department);
            c.year(d.year);
            c.amount("funds_total".into(), "资金总额", d.funds_total.as_ref());
            c.amount(
                "funds_fiscal".into(),
                "公共财政拨款",
                d.funds_fiscal.as_ref(),
            );
            c.amount("funds_other".into(), "其他资金", d.funds_other.as_ref());
            c.amount(
                "basic_expenditure".into(),
                "基本支出",
                d.basic_expenditure.as_ref(),
            );
            c.amount(
                "project_expenditure".into(),
                "项目支出",
                d.project_expenditure.as_ref(),
            );
            for (k, t) in d.tasks.iter().enumerate() {
                let at = |f: &str| format!("tasks[{k}].{f}");
                c.amount(at("total"), "任务金额合计", t.budget.total.as_ref());
                c.amount(at("fiscal"), "任务财政拨款", t.budget.fiscal.as_ref());
                c.amount(at("other"), "任务其他资金", t.budget.other.as_ref());
            }
        }
        Form::Monitoring(m) => {
            c.required("project_name", "项目名称", &m.project_name);
            c.year(m.year);
            for (k, row) in m.funds.iter().enumerate() {
                let at = |f: &str| format!("funds[{k}].{f}");
                c.amount(
                    at("initial_budget"),
                    "年初预算数",
                    row.initial_budget.as_ref(),
                );
                c.amount(
                    at("adjusted_budget"),
                    "调整后预算数",
                    row.adjusted_budget.as_ref(),
                );
                c.amount(at("executed"), "执行数", row.executed.as_ref());
                c.amount(
                    at("expected_year_end"),
                    "预计全年执行数",
                    row.expected_year_end.as_ref(),
                );
            }
        }
        Form::Report(r) => c.required("title", "报告标题", &r.title),
        Form::TransferPayment(t) => {
            c.required("name", "转移支付（项目）名称", &t.name);
            c.year(t.year);
            for (k, row) in t.funds.iter().enumerate() {
                let at = |f: &str| format!("funds[{k}].{f}");
                c.amount(at("budget"), "全年预算数", row.budget.as_ref());
                c.amount(at("received"), "全年到位资金", row.received.as_ref());
                c.amount(at("executed"), "全年执行数", row.executed.as_ref());
            }
        }
        _ => {}
    }
    c.problems
}

/// The problems in one sentence: `全年执行数不能为负数（填写的是-171万元）；项目名称不能为空`.
pub fn describe(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::money::MoneyUnit;

    fn seed() -> Form {
        Form::from_json(include_str!(
            "../../../testdata/forms/seed001-daily-operations.json"
        ))
        .expect("seed form")
    }

    #[test]
    fn a_real_form_passes() {
        assert_eq!(check(&seed()), Vec::new());
    }

    #[test]
    fn a_negative_or_absurd_amount_a_blank_name_and_a_wild_rate_are_refused_by_field() {
        let mut form = seed();
        if let Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) = &mut form {
            s.name = "  ".into();
            s.funds.rows[0].executed = Some(Amount::new(Decimal::from(-171), MoneyUnit::Wan));
            s.funds.rows[0].full_year_budget = Some(Amount::new(
                Decimal::from_str_exact("99999999999999999999999").expect("decimal"),
                MoneyUnit::Wan,
            ));
            s.funds.stated_rate = Some(Decimal::from(250));
        }
        let problems = check(&form);
        let at = |path: &str| {
            problems
                .iter()
                .find(|p| p.path == path)
                .map(|p| p.message.clone())
                .unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"))
        };
        assert!(at("name").contains("名称不能为空"));
        assert!(at("funds.rows[0].executed").contains("全年执行数不能为负数"));
        assert!(at("funds.rows[0].full_year_budget").contains("超出合理范围"));
        assert!(at("funds.stated_rate").contains("执行率应在0—100%之间"));
        assert_eq!(problems.len(), 4, "{problems:?}");
    }
}
