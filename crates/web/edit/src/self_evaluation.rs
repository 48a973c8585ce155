//! The self-evaluations (项目支出绩效自评表, 部门整体支出绩效自评表): funds with the execution
//! rate and its score, the overall target, the indicator rows with stated and computed scores,
//! the total and the grade — laid out as the paper form, and read back from a posted page.

use jixiao_core::form::{FundsRow, IndicatorRow, SelfEvaluation};
use jixiao_core::grade::Grade;
use jixiao_core::money::round2;
use jixiao_core::scoring::{ScoredForm, percent};

use super::read::{Reader, RowOp, edit_rows};
use super::{Builder, Cell, Table, dec, label, money, opt, span, year};

/// The head table (names, funds, overall target) and the indicator table with the totals.
pub(super) fn layout(
    b: &mut Builder<'_>,
    s: &SelfEvaluation,
    scored: Option<&ScoredForm>,
) -> Vec<Table> {
    let mut head = head(b, s);
    for (k, row) in s.funds.rows.iter().enumerate() {
        head.rows.push(funds_row(b, s, k, row, scored));
    }
    head.rows.push(vec![
        label("年度总体目标：预期目标"),
        span(
            b.input(
                "overall_target.expected",
                s.overall_target.expected.clone(),
                "预期目标",
                true,
            ),
            3,
        ),
        span(label("实际完成情况"), 2),
        span(
            b.input(
                "overall_target.actual",
                s.overall_target.actual.clone(),
                "实际完成情况",
                true,
            ),
            3,
        ),
    ]);
    let mut table = Table {
        widths: vec![8, 9, 14, 15, 15, 6, 6, 7, 20],
        rows: vec![vec![
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("年度指标值"),
            label("实际完成值"),
            label("分值"),
            label("得分（表中）"),
            label("得分（计算）"),
            label("偏差原因分析及改进措施"),
        ]],
    };
    for (k, row) in s.indicators.iter().enumerate() {
        table.rows.push(indicator_row(b, k, row, scored));
    }
    totals(b, s, scored, &mut table);
    vec![head, table]
}

/// Names, year and the funds' column labels.
fn head(b: &Builder<'_>, s: &SelfEvaluation) -> Table {
    Table {
        widths: vec![14, 12, 12, 12, 8, 12, 8, 12, 10],
        rows: vec![
            vec![
                label("名称"),
                span(b.input("name", s.name.clone(), "项目或部门名称", false), 4),
                label("年度"),
                b.input("year", year(s.year), "年度", false),
                span(label(""), 2),
            ],
            vec![
                label("主管部门"),
                span(
                    b.input(
                        "competent_department",
                        opt(s.competent_department.as_ref()),
                        "主管部门",
                        false,
                    ),
                    4,
                ),
                label("实施单位"),
                span(
                    b.input(
                        "implementing_unit",
                        opt(s.implementing_unit.as_ref()),
                        "实施单位",
                        false,
                    ),
                    3,
                ),
            ],
            vec![
                label("资金（万元）"),
                label("年初预算数"),
                label("全年预算数"),
                label("全年执行数"),
                label("分值"),
                label("执行率（表中）"),
                label("执行率（计算）"),
                label("得分（表中）"),
                label("得分（计算）"),
            ],
        ],
    }
}

/// One funds row; the first also carries the execution weight, rates and scores.
fn funds_row(
    b: &mut Builder<'_>,
    s: &SelfEvaluation,
    k: usize,
    row: &FundsRow,
    scored: Option<&ScoredForm>,
) -> Vec<Cell> {
    let execution = scored.map(|sc| &sc.execution);
    let FundsRow {
        initial_budget,
        full_year_budget,
        executed,
        ..
    } = row;
    let name = row
        .label
        .clone()
        .unwrap_or_else(|| row.source.label().to_string());
    let mut cells = vec![
        label(name.clone()),
        b.input(
            &format!("funds.rows[{k}].initial_budget"),
            money(initial_budget.as_ref()),
            &format!("{name} 年初预算数"),
            false,
        ),
        b.input(
            &format!("funds.rows[{k}].full_year_budget"),
            money(full_year_budget.as_ref()),
            &format!("{name} 全年预算数"),
            false,
        ),
        b.input(
            &format!("funds.rows[{k}].executed"),
            money(executed.as_ref()),
            &format!("{name} 全年执行数"),
            false,
        ),
    ];
    if k == 0 {
        let rate = execution
            .and_then(|e| e.rate)
            .map(percent)
            .unwrap_or_else(|| "—".into());
        let exec_score = execution
            .and_then(|e| e.score)
            .map(|r| round2(r).normalize().to_string())
            .unwrap_or_else(|| "—".into());
        cells.push(b.input("funds.weight", dec(s.funds.weight), "执行率分值", false));
        cells.push(
            b.input(
                "funds.stated_rate",
                s.funds
                    .stated_rate
                    .map(|r| format!("{}%", r.normalize()))
                    .unwrap_or_default(),
                "执行率（表中）",
                false,
            ),
        );
        cells.push(b.calc("calc-rate", rate));
        cells.push(b.input(
            "funds.stated_score",
            dec(s.funds.stated_score),
            "执行率得分（表中）",
            false,
        ));
        cells.push(b.calc("calc-exec-score", exec_score));
    } else {
        cells.push(span(label(""), 5));
    }
    cells
}

/// One indicator row: the stated fields, the computed score, the deviation reason.
fn indicator_row(
    b: &mut Builder<'_>,
    k: usize,
    row: &IndicatorRow,
    scored: Option<&ScoredForm>,
) -> Vec<Cell> {
    let computed = scored
        .and_then(|sc| sc.indicators.get(k))
        .and_then(|i| i.score)
        .map(|d| round2(d).normalize().to_string())
        .unwrap_or_else(|| "—".into());
    let prefix = format!("indicators[{k}]");
    let mut cells = b.row_inputs(
        &prefix,
        [
            ("level1", row.level1.clone(), "一级指标", true),
            ("level2", row.level2.clone(), "二级指标", true),
            ("name", row.name.clone(), "三级指标", true),
            ("target", row.target.clone(), "年度指标值", true),
            ("actual", row.actual.clone(), "实际完成值", true),
            ("weight", dec(row.weight), "分值", false),
            ("score", dec(row.score), "得分（表中）", false),
        ],
    );
    cells.push(b.calc(&format!("calc-{k}"), computed));
    cells.push(b.input(
        &format!("{prefix}.deviation_reason"),
        opt(row.deviation_reason.as_ref()),
        "偏差原因分析及改进措施",
        true,
    ));
    cells
}

/// The 总分 and 等级 rows: stated and computed (暂定 while something is not computable).
fn totals(b: &mut Builder<'_>, s: &SelfEvaluation, scored: Option<&ScoredForm>, table: &mut Table) {
    let total = scored
        .map(|sc| {
            let t = round2(sc.total).normalize().to_string();
            if sc.complete {
                t
            } else {
                format!("{t}（暂定）")
            }
        })
        .unwrap_or_else(|| "—".into());
    let grade = scored
        .map(|sc| {
            if sc.complete {
                sc.grade.name().to_string()
            } else {
                "暂定".to_string()
            }
        })
        .unwrap_or_else(|| "—".into());
    let stated_grade = s
        .stated_grade
        .map(|g| g.name().to_string())
        .unwrap_or_default();
    table.rows.push(vec![
        span(label("总分"), 5),
        b.input(
            "stated_total_weight",
            dec(s.stated_total_weight),
            "总分分值",
            false,
        ),
        b.input("stated_total", dec(s.stated_total), "总分（表中）", false),
        b.calc("calc-total", total),
        label(""),
    ]);
    table.rows.push(vec![
        span(label("等级"), 6),
        b.input("stated_grade", stated_grade, "等级（表中）", false),
        b.calc("calc-grade", grade),
        label(""),
    ]);
}

/// Reads a self-evaluation's posted fields, then adds or deletes an indicator row.
pub(super) fn apply(r: &mut Reader<'_>, s: &mut SelfEvaluation, op: Option<RowOp>) {
    r.set_text("name", &mut s.name);
    r.set_year(&mut s.year);
    r.set_opt_text("competent_department", &mut s.competent_department);
    r.set_opt_text("implementing_unit", &mut s.implementing_unit);
    for (k, row) in s.funds.rows.iter_mut().enumerate() {
        let at = |field: &str| format!("funds.rows[{k}].{field}");
        r.set_money(&at("initial_budget"), &mut row.initial_budget);
        r.set_money(&at("full_year_budget"), &mut row.full_year_budget);
        r.set_money(&at("executed"), &mut row.executed);
    }
    r.set_number("funds.weight", &['分'], &mut s.funds.weight);
    r.set_number("funds.stated_rate", &['%'], &mut s.funds.stated_rate);
    r.set_number("funds.stated_score", &['分'], &mut s.funds.stated_score);
    r.set_text("overall_target.expected", &mut s.overall_target.expected);
    r.set_text("overall_target.actual", &mut s.overall_target.actual);
    for (k, row) in s.indicators.iter_mut().enumerate() {
        let at = |field: &str| format!("indicators[{k}].{field}");
        r.set_text(&at("level1"), &mut row.level1);
        r.set_text(&at("level2"), &mut row.level2);
        r.set_text(&at("name"), &mut row.name);
        r.set_text(&at("target"), &mut row.target);
        r.set_text(&at("actual"), &mut row.actual);
        r.set_number(&at("weight"), &['分'], &mut row.weight);
        r.set_number(&at("score"), &['分'], &mut row.score);
        r.set_opt_text(&at("deviation_reason"), &mut row.deviation_reason);
    }
    r.set_number("stated_total_weight", &['分'], &mut s.stated_total_weight);
    r.set_number("stated_total", &['分'], &mut s.stated_total);
    if let Some(g) = r.text("stated_grade") {
        if g.is_empty() {
            s.stated_grade = None;
        } else {
            match Grade::parse(&g) {
                Some(grade) => s.stated_grade = Some(grade),
                None => r.fail("stated_grade", format!("等级“{g}”应为 优、良、中 或 差")),
            }
        }
    }
    if let Some(op) = op {
        edit_rows(&mut s.indicators, op, |k: &IndicatorRow| {
            IndicatorRow::new(
                k.level1.clone(),
                k.level2.clone(),
                String::new(),
                String::new(),
            )
        });
    }
}
