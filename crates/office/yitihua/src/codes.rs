//! Codes the 规范表 need and forms do not state: project and department codes derived stably
//! from names, form ids, the 计算符号 (`computesign`) dictionary, 资金来源 codes, standard level
//! names, and amounts in 万元.

use jixiao_core::form::{Field, FundSource};
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_core::target_value::{Bound, Operator, TargetValue, ValueKind};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

/// The 财政区划 code written when none is given: the forms do not state one.
pub const DEFAULT_MOF_DIV_CODE: &str = "000000";

/// Header labels that state a project's code on some forms.
const PROJECT_CODE_LABELS: [&str; 3] = ["项目编码", "项目代码", "项目编号"];

/// Header labels that state a department's or unit's code on some forms.
const DEPARTMENT_CODE_LABELS: [&str; 6] = [
    "部门编码",
    "部门代码",
    "单位编码",
    "单位代码",
    "预算单位编码",
    "预算单位代码",
];

/// The project's `pro_code`: the code its header states (项目编码/项目代码/项目编号), else
/// `JX` and the first 12 hex digits of SHA-256 of `P:` and its name without whitespace, so the
/// same project gets the same code in every export and in every form kind.
pub fn project_code(name: &str, fields: &[Field]) -> String {
    stated(fields, &PROJECT_CODE_LABELS).unwrap_or_else(|| hashed("P", name))
}

/// The department's `dept_code`: the code its header states (部门编码, 单位代码 …), else `JX`
/// and the first 12 hex digits of SHA-256 of `D:` and its name without whitespace.
pub fn department_code(name: &str, fields: &[Field]) -> String {
    stated(fields, &DEPARTMENT_CODE_LABELS).unwrap_or_else(|| hashed("D", name))
}

fn stated(fields: &[Field], labels: &[&str]) -> Option<String> {
    fields.iter().find_map(|f| {
        let label: String = f.label.split_whitespace().collect();
        let value = f.value.trim();
        (labels.iter().any(|l| label.contains(l)) && !value.is_empty() && value.len() <= 40)
            .then(|| value.to_string())
    })
}

fn hashed(kind: &str, name: &str) -> String {
    let name: String = name.split_whitespace().collect();
    let digest = Sha256::digest(format!("{kind}:{name}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02X}")).collect();
    format!("JX{hex}")
}

/// The id linking a form's rows across tables (`x_form_id`, also `kpi_per_id`, `kpi_dep_id`,
/// `perf_task_no`): its code, a tag of its kind and its position in the export.
pub fn form_id(code: &str, tag: &str, form_no: usize) -> String {
    format!("{code}-{tag}{form_no:03}")
}

/// The 计算符号 code of an operator: 1 ≥, 2 ＞, 3 ＝, 4 ＜, 5 ≤ (6 is 定性).
pub fn sign_code(op: Operator) -> &'static str {
    match op {
        Operator::Ge => "1",
        Operator::Gt => "2",
        Operator::Eq => "3",
        Operator::Lt => "4",
        Operator::Le => "5",
    }
}

/// The symbol a 计算符号 code stands for (`6`, 定性, has none).
pub fn sign_symbol(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("≥"),
        "2" => Some(">"),
        "3" => Some("="),
        "4" => Some("<"),
        "5" => Some("≤"),
        _ => None,
    }
}

/// A 指标值 split as vendors store it: (`computesign`, `kpi_val`, `meterunit`).
/// One measurable term gives its operator's code (blank when none is written), its number (or
/// `low-high`) and unit; a qualitative value gives `6` and the text; anything else (blank,
/// several terms) gives the text alone.
pub fn split_value(target: &str) -> (String, String, String) {
    let parsed = TargetValue::parse(target);
    match parsed.kind() {
        ValueKind::Quantitative { terms } if terms.len() == 1 => {
            let term = &terms[0];
            let sign = term.operator.as_ref().map_or("", |o| sign_code(o.operator));
            let value = match &term.bound {
                Bound::Single(q) => q.value.to_string(),
                Bound::Range { low, high } => format!("{}-{}", low.value, high.value),
            };
            (
                sign.to_string(),
                value,
                term.bound.unit().symbol().to_string(),
            )
        }
        ValueKind::Qualitative { .. } => ("6".into(), target.to_string(), String::new()),
        _ => (String::new(), target.to_string(), String::new()),
    }
}

/// A 指标值 put back together from `computesign`, `kpi_val` and `meterunit` (for files that lack
/// `x_kpi_val_text`, written by other systems).
pub fn join_value(sign: &str, value: &str, unit: &str) -> String {
    match sign_symbol(sign) {
        Some(symbol) => format!("{symbol}{value}{unit}"),
        None => format!("{value}{unit}"),
    }
}

/// The standard 一级指标 name of a label as printed, or the label when it is not one.
pub fn level1_name(printed: &str) -> String {
    Level1::parse(printed).map_or_else(|| printed.to_string(), |l| l.name().to_string())
}

/// The standard 二级指标 name of a label as printed, or the label when it is not one.
pub fn level2_name(printed: &str) -> String {
    Level2::parse(printed).map_or_else(|| printed.to_string(), |l| l.name().to_string())
}

/// The 资金来源 code (`found_type_code`): 1 年度资金总额, 2 当年财政拨款, 3 上年结转资金,
/// 4 其他资金.
pub fn fund_code(source: FundSource) -> &'static str {
    match source {
        FundSource::Total => "1",
        FundSource::CurrentFiscal => "2",
        FundSource::CarryOver => "3",
        FundSource::Other => "4",
    }
}

/// The source a `found_type_code` stands for.
pub fn fund_source(code: &str) -> Option<FundSource> {
    match code.trim() {
        "1" => Some(FundSource::Total),
        "2" => Some(FundSource::CurrentFiscal),
        "3" => Some(FundSource::CarryOver),
        "4" => Some(FundSource::Other),
        _ => None,
    }
}

/// An amount in 万元, exactly (`None` only on overflow, beyond any budget).
pub fn in_wan(amount: &Amount) -> Option<Decimal> {
    match amount.unit() {
        MoneyUnit::Wan => Some(amount.value()),
        unit => amount
            .value()
            .checked_mul(unit.in_yuan())?
            .checked_div(MoneyUnit::Wan.in_yuan()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_stable_and_ignore_spacing() {
        let a = project_code("农村 饮水工程", &[]);
        assert_eq!(a, project_code("农村饮水工程", &[]));
        assert!(a.starts_with("JX") && a.len() == 14, "{a}");
        assert_ne!(a, department_code("农村饮水工程", &[]));
        let stated = [Field {
            label: "项目编码".into(),
            value: " 43000021000001 ".into(),
        }];
        assert_eq!(project_code("x", &stated), "43000021000001");
    }

    #[test]
    fn values_split_by_the_sign_dictionary() {
        assert_eq!(split_value("≥95%"), ("1".into(), "95".into(), "%".into()));
        assert_eq!(split_value("≤12万元").0, "5");
        assert_eq!(split_value("达成预期").0, "6");
        assert_eq!(join_value("1", "95", "%"), "≥95%");
        assert_eq!(join_value("6", "达成预期", ""), "达成预期");
    }

    #[test]
    fn amounts_convert_to_wan_exactly() {
        let yuan = Amount::new(Decimal::new(9400, 0), MoneyUnit::Yuan);
        assert_eq!(in_wan(&yuan), Some(Decimal::new(94, 2)));
        let yi = Amount::new(Decimal::new(15, 1), MoneyUnit::Yi);
        assert_eq!(in_wan(&yi), Some(Decimal::new(15000, 0)));
    }
}
