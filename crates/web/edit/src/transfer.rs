//! The 转移支付区域（项目）绩效自评表: names, 资金投入情况 by level of government with the
//! execution rate as stated and as computed (B/A), 资金管理情况 in words, the overall target and
//! the indicator rows — laid out as the paper form, and read back from a posted page.

use jixiao_core::form::IndicatorRow;
use jixiao_core::form::transfer::{TransferFunds, TransferPayment};
use jixiao_core::money::round2;
use rust_decimal::Decimal;

use super::read::{Reader, RowOp, edit_rows};
use super::{Builder, Cell, Table, label, money, opt, span, year};

/// The head (names), the funds, 资金管理情况, the overall target and the indicators.
pub(super) fn layout(b: &mut Builder<'_>, t: &TransferPayment) -> Vec<Table> {
    let head = Table {
        widths: vec![16, 34, 16, 34],
        rows: vec![
            vec![
                label("转移支付（项目）名称"),
                b.input("name", t.name.clone(), "转移支付（项目）名称", false),
                label("年度"),
                b.input("year", year(t.year), "年度", false),
            ],
            vec![
                label("中央主管部门"),
                b.input(
                    "central_department",
                    opt(t.central_department.as_ref()),
                    "中央主管部门",
                    false,
                ),
                label("地方主管部门"),
                b.input(
                    "local_department",
                    opt(t.local_department.as_ref()),
                    "地方主管部门",
                    false,
                ),
            ],
            vec![
                label("资金使用单位"),
                span(
                    b.input(
                        "implementing_unit",
                        opt(t.implementing_unit.as_ref()),
                        "资金使用单位",
                        false,
                    ),
                    3,
                ),
            ],
        ],
    };
    let mut funds = Table {
        widths: vec![24, 16, 16, 16, 14, 14],
        rows: vec![vec![
            label("资金投入情况（万元）"),
            label("全年预算数（A）"),
            label("全年到位资金"),
            label("全年执行数（B）"),
            label("执行率（表中）"),
            label("执行率（计算 B/A）"),
        ]],
    };
    for (k, row) in t.funds.iter().enumerate() {
        funds.rows.push(funds_row(b, k, row));
    }
    let mut management = Table {
        widths: vec![20, 45, 35],
        rows: vec![vec![
            label("资金管理情况"),
            label("情况说明"),
            label("存在问题和改进措施"),
        ]],
    };
    for (k, item) in t.management.iter().enumerate() {
        let prefix = format!("management[{k}]");
        management.rows.push(vec![
            b.input(
                &format!("{prefix}.aspect"),
                item.aspect.clone(),
                "管理事项",
                true,
            ),
            b.input(
                &format!("{prefix}.explanation"),
                item.explanation.clone(),
                &format!("{} 情况说明", item.aspect),
                true,
            ),
            b.input(
                &format!("{prefix}.problems"),
                opt(item.problems.as_ref()),
                &format!("{} 存在问题和改进措施", item.aspect),
                true,
            ),
        ]);
    }
    management.rows.push(vec![
        label("总体目标"),
        span(
            b.input(
                "overall_target.expected",
                t.overall_target.expected.clone(),
                "总体目标",
                true,
            ),
            2,
        ),
    ]);
    management.rows.push(vec![
        label("全年实际完成情况"),
        span(
            b.input(
                "overall_target.actual",
                t.overall_target.actual.clone(),
                "全年实际完成情况",
                true,
            ),
            2,
        ),
    ]);
    let mut indicators = Table {
        widths: vec![10, 12, 20, 16, 16, 26],
        rows: vec![vec![
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("指标值"),
            label("全年实际完成值"),
            label("未完成原因和改进措施"),
        ]],
    };
    for (k, row) in t.indicators.iter().enumerate() {
        indicators.rows.push(indicator_row(b, k, row));
    }
    vec![head, funds, management, indicators]
}

/// One funds row: the amounts, the stated rate, and the rate computed from them.
fn funds_row(b: &mut Builder<'_>, k: usize, row: &TransferFunds) -> Vec<Cell> {
    let name = match (&row.part, &row.label) {
        (Some(part), _) => {
            let part = part
                .trim_start_matches("其中：")
                .trim_end_matches("（万元）");
            let level = row.label.as_deref().unwrap_or(row.level.label());
            format!("{part}：{}", level.trim_start_matches("其中："))
        }
        (None, Some(l)) => l.clone(),
        (None, None) => row.level.label().to_string(),
    };
    let at = |field: &str| format!("funds[{k}].{field}");
    let computed = match (&row.budget, &row.executed) {
        (Some(budget), Some(executed)) => executed
            .ratio_to(budget)
            .map(|r| format!("{}%", round2(r * Decimal::ONE_HUNDRED).normalize())),
        _ => None,
    }
    .unwrap_or_else(|| "—".to_string());
    vec![
        label(name.clone()),
        b.input(
            &at("budget"),
            money(row.budget.as_ref()),
            &format!("{name} 全年预算数"),
            false,
        ),
        b.input(
            &at("received"),
            money(row.received.as_ref()),
            &format!("{name} 全年到位资金"),
            false,
        ),
        b.input(
            &at("executed"),
            money(row.executed.as_ref()),
            &format!("{name} 全年执行数"),
            false,
        ),
        b.input(
            &at("stated_rate"),
            row.stated_rate
                .map(|r| format!("{}%", r.normalize()))
                .unwrap_or_default(),
            &format!("{name} 执行率（表中）"),
            false,
        ),
        b.calc(&format!("calc-funds-{k}"), computed),
    ]
}

/// One indicator row (the national transfer form has no weights or scores).
fn indicator_row(b: &Builder<'_>, k: usize, row: &IndicatorRow) -> Vec<Cell> {
    let prefix = format!("indicators[{k}]");
    let mut cells = b.row_inputs(
        &prefix,
        [
            ("level1", row.level1.clone(), "一级指标", true),
            ("level2", row.level2.clone(), "二级指标", true),
            ("name", row.name.clone(), "三级指标", true),
            ("target", row.target.clone(), "指标值", true),
            ("actual", row.actual.clone(), "全年实际完成值", true),
        ],
    );
    cells.push(b.input(
        &format!("{prefix}.deviation_reason"),
        opt(row.deviation_reason.as_ref()),
        "未完成原因和改进措施",
        true,
    ));
    cells
}

/// Reads a transfer form's posted fields, then adds or deletes an indicator row.
pub(super) fn apply(r: &mut Reader<'_>, t: &mut TransferPayment, op: Option<RowOp>) {
    r.set_text("name", &mut t.name);
    r.set_year(&mut t.year);
    r.set_opt_text("central_department", &mut t.central_department);
    r.set_opt_text("local_department", &mut t.local_department);
    r.set_opt_text("implementing_unit", &mut t.implementing_unit);
    for (k, row) in t.funds.iter_mut().enumerate() {
        let at = |field: &str| format!("funds[{k}].{field}");
        r.set_money(&at("budget"), &mut row.budget);
        r.set_money(&at("received"), &mut row.received);
        r.set_money(&at("executed"), &mut row.executed);
        r.set_number(&at("stated_rate"), &['%'], &mut row.stated_rate);
    }
    for (k, item) in t.management.iter_mut().enumerate() {
        let at = |field: &str| format!("management[{k}].{field}");
        r.set_text(&at("aspect"), &mut item.aspect);
        r.set_text(&at("explanation"), &mut item.explanation);
        r.set_opt_text(&at("problems"), &mut item.problems);
    }
    r.set_text("overall_target.expected", &mut t.overall_target.expected);
    r.set_text("overall_target.actual", &mut t.overall_target.actual);
    for (k, row) in t.indicators.iter_mut().enumerate() {
        let at = |field: &str| format!("indicators[{k}].{field}");
        r.set_text(&at("level1"), &mut row.level1);
        r.set_text(&at("level2"), &mut row.level2);
        r.set_text(&at("name"), &mut row.name);
        r.set_text(&at("target"), &mut row.target);
        r.set_text(&at("actual"), &mut row.actual);
        r.set_opt_text(&at("deviation_reason"), &mut row.deviation_reason);
    }
    if let Some(op) = op {
        edit_rows(&mut t.indicators, op, |k: &IndicatorRow| {
            IndicatorRow::new(
                k.level1.clone(),
                k.level2.clone(),
                String::new(),
                String::new(),
            )
        });
    }
}
