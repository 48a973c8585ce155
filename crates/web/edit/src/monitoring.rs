//! The 运行监控 form (项目支出绩效目标执行监控表): funds against the time elapsed, the progress
//! of each indicator with its likelihood and deviation cause, and the computed lights — laid out
//! as the paper form, and read back from a posted page.

use jixiao_core::form::monitoring::{DeviationCause, Likelihood, MonitoredIndicator, Monitoring};
use jixiao_core::monitor::{Light, MonitorResult};
use jixiao_core::scoring::percent;

use super::read::{Reader, RowOp, edit_rows};
use super::{Builder, Cell, Table, label, money, opt, span, year};

fn light_text(light: Option<Light>) -> String {
    light.map_or_else(|| "—".to_string(), |l| l.name().to_string())
}

/// A computed light cell, coloured by its light (the word is always there too).
fn light_cell(b: &mut Builder<'_>, id: &str, light: Option<Light>) -> Cell {
    let mut cell = b.calc(id, light_text(light));
    cell.class = match light {
        Some(Light::Red) => "computed light-red",
        Some(Light::Yellow) => "computed light-yellow",
        Some(Light::Blue) => "computed light-blue",
        Some(Light::Green) => "computed light-green",
        None => "computed",
    };
    cell
}

/// The head table (names, funds, overall target) and the indicator table with the lights.
pub(super) fn layout(
    b: &mut Builder<'_>,
    m: &Monitoring,
    result: Option<&MonitorResult>,
) -> Vec<Table> {
    let month = m.period_end_month;
    let mut head = head(b, m);
    for k in 0..m.funds.len() {
        head.rows.push(funds_row(b, m, k, result));
    }
    head.rows.push(vec![
        label("年度总体目标"),
        span(
            b.input(
                "overall_target.target",
                m.overall_target.target.clone(),
                "年初设定目标",
                true,
            ),
            3,
        ),
        label(format!("1—{month}月实际完成情况")),
        span(
            b.input(
                "overall_target.progress",
                m.overall_target.progress.clone(),
                "实际完成情况",
                true,
            ),
            3,
        ),
    ]);
    let mut table = Table {
        widths: vec![8, 8, 12, 12, 12, 11, 9, 9, 12, 7],
        rows: vec![vec![
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("年度指标值"),
            label(format!("1—{month}月执行情况")),
            label("全年预计完成情况"),
            label("完成目标可能性"),
            label("偏差原因类别"),
            label("偏差原因分析"),
            label("预警"),
        ]],
    };
    for (k, row) in m.indicators.iter().enumerate() {
        table.rows.push(indicator_row(b, k, row, result));
    }
    table.rows.push(vec![
        span(label("偏差或不能完成目标原因分析"), 3),
        span(
            b.input(
                "problems",
                opt(m.problems.as_ref()),
                "偏差或不能完成目标原因分析",
                true,
            ),
            5,
        ),
        label("总体预警"),
        light_cell(b, "calc-light", result.and_then(|r| r.light)),
    ]);
    table.rows.push(vec![
        span(label("拟采取的措施"), 3),
        span(
            b.input("measures", opt(m.measures.as_ref()), "拟采取的措施", true),
            7,
        ),
    ]);
    vec![head, table]
}

/// Names, year, the period and the funds' column labels.
fn head(b: &Builder<'_>, m: &Monitoring) -> Table {
    let month = m.period_end_month;
    Table {
        widths: vec![14, 12, 12, 12, 12, 12, 14, 12],
        rows: vec![
            vec![
                label("项目名称"),
                span(
                    b.input("project_name", m.project_name.clone(), "项目名称", false),
                    3,
                ),
                label("年度"),
                b.input("year", year(m.year), "年度", false),
                label("监控期末月份"),
                b.input(
                    "period_end_month",
                    month.to_string(),
                    "监控期末月份（1—N月的N）",
                    false,
                ),
            ],
            vec![
                label("主管部门"),
                span(
                    b.input(
                        "competent_department",
                        opt(m.competent_department.as_ref()),
                        "主管部门",
                        false,
                    ),
                    3,
                ),
                label("实施单位"),
                span(
                    b.input(
                        "implementing_unit",
                        opt(m.implementing_unit.as_ref()),
                        "实施单位",
                        false,
                    ),
                    3,
                ),
            ],
            vec![
                label("项目资金（万元）"),
                label("年初预算数"),
                label("调整后预算数"),
                label(format!("1—{month}月执行数")),
                label("全年预计执行数"),
                label("执行率（计算）"),
                label("执行进度比（计算）"),
                label("预警"),
            ],
        ],
    }
}

/// One funds row; the first also carries the computed rate, ratio and light.
fn funds_row(
    b: &mut Builder<'_>,
    m: &Monitoring,
    k: usize,
    result: Option<&MonitorResult>,
) -> Vec<Cell> {
    let row = &m.funds[k];
    let execution = result.map(|r| &r.execution);
    let name = row.source.label();
    let mut cells = vec![
        label(name),
        b.input(
            &format!("funds[{k}].initial_budget"),
            money(row.initial_budget.as_ref()),
            &format!("{name} 年初预算数"),
            false,
        ),
        b.input(
            &format!("funds[{k}].adjusted_budget"),
            money(row.adjusted_budget.as_ref()),
            &format!("{name} 调整后预算数"),
            false,
        ),
        b.input(
            &format!("funds[{k}].executed"),
            money(row.executed.as_ref()),
            &format!("{name} 执行数"),
            false,
        ),
        b.input(
            &format!("funds[{k}].expected_year_end"),
            money(row.expected_year_end.as_ref()),
            &format!("{name} 全年预计执行数"),
            false,
        ),
    ];
    if k == 0 {
        cells.push(
            b.calc(
                "calc-rate",
                execution
                    .and_then(|e| e.rate)
                    .map_or_else(|| "—".into(), percent),
            ),
        );
        cells.push(
            b.calc(
                "calc-ratio",
                execution
                    .and_then(|e| e.ratio)
                    .map_or_else(|| "—".into(), |r| r.normalize().to_string()),
            ),
        );
        cells.push(b.calc(
            "calc-exec-light",
            light_text(execution.and_then(|e| e.light)),
        ));
    } else {
        cells.push(span(label(""), 3));
    }
    cells
}

/// One indicator row: the stated fields, the two choices, the reason and the computed light.
fn indicator_row(
    b: &mut Builder<'_>,
    k: usize,
    row: &MonitoredIndicator,
    result: Option<&MonitorResult>,
) -> Vec<Cell> {
    let likelihoods: Vec<&'static str> = std::iter::once("")
        .chain(Likelihood::ALL.iter().map(|l| l.name()))
        .collect();
    let causes: Vec<&'static str> = std::iter::once("")
        .chain(DeviationCause::ALL.iter().map(|c| c.name()))
        .collect();
    let light = result
        .and_then(|r| r.indicators.get(k))
        .and_then(|w| w.light);
    let prefix = format!("indicators[{k}]");
    let mut cells = b.row_inputs(
        &prefix,
        [
            ("level1", row.level1.clone(), "一级指标", true),
            ("level2", row.level2.clone(), "二级指标", true),
            ("name", row.name.clone(), "三级指标", true),
            ("target", row.target.clone(), "年度指标值", true),
            ("progress", row.progress.clone(), "执行情况", true),
            (
                "expected_year_end",
                row.expected_year_end.clone(),
                "全年预计完成情况",
                true,
            ),
        ],
    );
    cells.push(
        b.choice(
            &format!("{prefix}.likelihood"),
            row.likelihood
                .map(|l| l.name().to_string())
                .unwrap_or_default(),
            "完成目标可能性",
            likelihoods,
        ),
    );
    cells.push(b.choice(
        &format!("{prefix}.cause"),
        row.cause.map(|c| c.name().to_string()).unwrap_or_default(),
        "偏差原因类别",
        causes,
    ));
    cells.push(b.input(
        &format!("{prefix}.deviation_reason"),
        opt(row.deviation_reason.as_ref()),
        "偏差原因分析",
        true,
    ));
    cells.push(light_cell(b, &format!("calc-light-{k}"), light));
    cells
}

/// Reads a monitoring form's posted fields, then adds or deletes an indicator row.
pub(super) fn apply(r: &mut Reader<'_>, m: &mut Monitoring, op: Option<RowOp>) {
    r.set_text("project_name", &mut m.project_name);
    r.set_year(&mut m.year);
    if let Some(v) = r.text("period_end_month") {
        match v.trim_end_matches('月').parse::<u8>() {
            Ok(month) if (1..=12).contains(&month) => m.period_end_month = month,
            _ => r.fail("period_end_month", format!("监控期末月份“{v}”应为1到12")),
        }
    }
    r.set_opt_text("competent_department", &mut m.competent_department);
    r.set_opt_text("implementing_unit", &mut m.implementing_unit);
    for (k, row) in m.funds.iter_mut().enumerate() {
        let at = |field: &str| format!("funds[{k}].{field}");
        r.set_money(&at("initial_budget"), &mut row.initial_budget);
        r.set_money(&at("adjusted_budget"), &mut row.adjusted_budget);
        r.set_money(&at("executed"), &mut row.executed);
        r.set_money(&at("expected_year_end"), &mut row.expected_year_end);
    }
    r.set_text("overall_target.target", &mut m.overall_target.target);
    r.set_text("overall_target.progress", &mut m.overall_target.progress);
    for (k, row) in m.indicators.iter_mut().enumerate() {
        apply_indicator(r, k, row);
    }
    r.set_opt_text("problems", &mut m.problems);
    r.set_opt_text("measures", &mut m.measures);
    if let Some(op) = op {
        edit_rows(&mut m.indicators, op, |k: &MonitoredIndicator| {
            MonitoredIndicator::new(
                k.level1.clone(),
                k.level2.clone(),
                String::new(),
                String::new(),
            )
        });
    }
}

/// Reads one indicator row, with its two choices checked against their lists.
fn apply_indicator(r: &mut Reader<'_>, k: usize, row: &mut MonitoredIndicator) {
    let at = |field: &str| format!("indicators[{k}].{field}");
    r.set_text(&at("level1"), &mut row.level1);
    r.set_text(&at("level2"), &mut row.level2);
    r.set_text(&at("name"), &mut row.name);
    r.set_text(&at("target"), &mut row.target);
    r.set_text(&at("progress"), &mut row.progress);
    r.set_text(&at("expected_year_end"), &mut row.expected_year_end);
    r.set_opt_text(&at("deviation_reason"), &mut row.deviation_reason);
    let path = at("likelihood");
    if let Some(v) = r.text(&path) {
        match (v.is_empty(), Likelihood::parse(&v)) {
            (true, _) => row.likelihood = None,
            (false, Some(l)) => row.likelihood = Some(l),
            (false, None) => r.fail(
                &path,
                format!("完成目标可能性“{v}”应为 确定能、有可能 或 完全不可能"),
            ),
        }
    }
    let path = at("cause");
    if let Some(v) = r.text(&path) {
        match (v.is_empty(), DeviationCause::parse(&v)) {
            (true, _) => row.cause = None,
            (false, Some(c)) => row.cause = Some(c),
            (false, None) => r.fail(&path, format!("偏差原因类别“{v}”不在可选项中")),
        }
    }
}
