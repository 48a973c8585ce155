//! The forms as the browser edits them: each form type laid out as its paper form (rows of
//! cells, some spanning), every input named by its JSON field path (`indicators[3].actual`),
//! computed cells shaded with ids the live preview replaces, and findings next to their field.
//!
//! [`layout`] builds the grid of a form; [`apply`] reads a posted HTML form back into the typed
//! form, starting from the stored one so fields the page does not show are kept.

use std::collections::HashMap;

use jixiao_app::assess::Assessment;
use jixiao_core::form::cell::parse_number;
use jixiao_core::form::monitoring::{DeviationCause, Likelihood, MonitoredIndicator, Monitoring};
use jixiao_core::form::report::Section;
use jixiao_core::form::{DeclaredIndicator, Form, FundsRow, IndicatorRow, SelfEvaluation, Task};
use jixiao_core::grade::Grade;
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_core::monitor::{Light, MonitorResult};
use jixiao_core::scoring::{ScoredForm, percent};
use rust_decimal::Decimal;

/// Posted fields by name (the last value wins).
pub type Fields = HashMap<String, String>;

/// One cell of the paper layout.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Fixed text (a label, or a value shown read-only).
    pub text: String,
    /// The input, when the cell is editable.
    pub input: Option<Input>,
    /// The id of a computed value (`calc-total`), replaced by the live preview.
    pub calc: Option<String>,
    /// Columns spanned.
    pub colspan: usize,
    /// Rows spanned.
    pub rowspan: usize,
    /// CSS class: `label`, `computed`, `group` ….
    pub class: &'static str,
}

/// An input of a cell.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// The field path, also the input's name.
    pub name: String,
    /// Current value.
    pub value: String,
    /// A textarea rather than a one-line input.
    pub multiline: bool,
    /// The findings at this field, in words (shown beside it).
    pub findings: Vec<String>,
    /// The field's label, for screen readers.
    pub label: String,
    /// For a choice, the allowed values (a select; the empty choice first).
    pub choices: Vec<&'static str>,
    /// The id of the span that lists this field's findings (replaced by the live preview).
    pub marker: String,
}

/// The id of a field's findings marker: the path with every character that is not a letter or
/// digit replaced, so selectors need no escaping.
pub fn marker_id(path: &str) -> String {
    let mut id = String::from("ff-");
    id.extend(
        path.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

/// One table of a form's paper layout.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column widths in percent of the table (classes `w{n}` in the style sheet).
    pub widths: Vec<u8>,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

/// A form's paper layout: its tables, top to bottom.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The tables.
    pub tables: Vec<Table>,
}

impl Grid {
    /// Every input of the layout.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        self.tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .filter_map(|c| c.input.as_ref())
    }
}

/// A computed value the live preview replaces: (id, text).
pub type Calc = (String, String);

fn label(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        colspan: 1,
        rowspan: 1,
        class: "label",
        ..Cell::default()
    }
}

fn span(mut cell: Cell, colspan: usize) -> Cell {
    cell.colspan = colspan;
    cell
}

struct Builder<'a> {
    raw: Option<&'a Fields>,
    assessment: &'a Assessment,
    calcs: Vec<Calc>,
}

impl Builder<'_> {
    /// An input cell for `path`, showing the posted text when re-displaying a refused post.
    fn input(&self, path: &str, value: String, label: &str, multiline: bool) -> Cell {
        let value = self.raw.and_then(|r| r.get(path).cloned()).unwrap_or(value);
        let alt = path.replace(".score", ".stated_score");
        let findings = self
            .assessment
            .findings
            .iter()
            .filter(|f| f.location.file == path || f.location.file == alt)
            .map(|f| format!("{} {}", f.code, f.title))
            .collect();
        Cell {
            input: Some(Input {
                name: path.to_string(),
                value,
                multiline,
                findings,
                label: label.to_string(),
                choices: Vec::new(),
                marker: marker_id(path),
            }),
            colspan: 1,
            rowspan: 1,
            class: "field",
            ..Cell::default()
        }
    }

    /// A choice among `choices` (a select).
    fn choice(&self, path: &str, value: String, label: &str, choices: Vec<&'static str>) -> Cell {
        let mut cell = self.input(path, value, label, false);
        if let Some(i) = cell.input.as_mut() {
            i.choices = choices;
        }
        cell
    }

    fn calc(&mut self, id: &str, text: String) -> Cell {
        self.calcs.push((id.to_string(), text.clone()));
        Cell {
            text,
            calc: Some(id.to_string()),
            colspan: 1,
            rowspan: 1,
            class: "computed",
            ..Cell::default()
        }
    }
}

fn dec(v: Option<Decimal>) -> String {
    v.map(|d| d.normalize().to_string()).unwrap_or_default()
}

fn money(a: Option<&Amount>) -> String {
    match a {
        None => String::new(),
        Some(a) if a.unit() == MoneyUnit::Wan => a.value().to_string(),
        Some(a) => a.as_written(),
    }
}

fn opt(s: Option<&String>) -> String {
    s.cloned().unwrap_or_default()
}

fn year(y: Option<u16>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// The paper layout of a form, with its computed cells; also the computed values alone, for
/// the live preview.
pub fn layout(form: &Form, assessment: &Assessment, raw: Option<&Fields>) -> (Grid, Vec<Calc>) {
    let mut b = Builder {
        raw,
        assessment,
        calcs: Vec::new(),
    };
    let tables = match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            self_evaluation(&mut b, s, assessment.scored.as_ref())
        }
        Form::ProjectTarget(d) => {
            let head = Table {
                widths: vec![14, 20, 14, 20, 12, 20],
                rows: vec![
                    vec![
                        label("项目名称"),
                        span(
                            b.input("project_name", d.project_name.clone(), "项目名称", false),
                            3,
                        ),
                        label("年度"),
                        b.input("year", year(d.year), "年度", false),
                    ],
                    vec![
                        label("预算单位"),
                        span(b.input("unit", d.unit.clone(), "预算单位", false), 5),
                    ],
                    vec![
                        label("资金总额（万元）"),
                        b.input(
                            "funds_total",
                            money(d.funds_total.as_ref()),
                            "资金总额",
                            false,
                        ),
                        label("其中：财政拨款"),
                        b.input(
                            "funds_fiscal",
                            money(d.funds_fiscal.as_ref()),
                            "财政拨款",
                            false,
                        ),
                        label("其他资金"),
                        b.input(
                            "funds_other",
                            money(d.funds_other.as_ref()),
                            "其他资金",
                            false,
                        ),
                    ],
                    vec![
                        label("中期目标"),
                        span(
                            b.input(
                                "medium_term_target",
                                opt(d.medium_term_target.as_ref()),
                                "中期目标",
                                true,
                            ),
                            5,
                        ),
                    ],
                    vec![
                        label("年度目标"),
                        span(
                            b.input("annual_target", d.annual_target.clone(), "年度目标", true),
                            5,
                        ),
                    ],
                ],
            };
            vec![head, declared_indicators(&b, &d.indicators)]
        }
        Form::DepartmentTarget(d) => {
            let mut head = Table {
                widths: vec![14, 20, 14, 20, 12, 20],
                rows: vec![
                    vec![
                        label("部门名称"),
                        span(
                            b.input("department", d.department.clone(), "部门名称", false),
                            3,
                        ),
                        label("年度"),
                        b.input("year", year(d.year), "年度", false),
                    ],
                    vec![
                        label("资金总额（万元）"),
                        b.input(
                            "funds_total",
                            money(d.funds_total.as_ref()),
                            "资金总额",
                            false,
                        ),
                        label("公共财政拨款"),
                        b.input(
                            "funds_fiscal",
                            money(d.funds_fiscal.as_ref()),
                            "公共财政拨款",
                            false,
                        ),
                        label("其他资金"),
                        b.input(
                            "funds_other",
                            money(d.funds_other.as_ref()),
                            "其他资金",
                            false,
                        ),
                    ],
                    vec![
                        label("基本支出"),
                        b.input(
                            "basic_expenditure",
                            money(d.basic_expenditure.as_ref()),
                            "基本支出",
                            false,
                        ),
                        label("项目支出"),
                        b.input(
                            "project_expenditure",
                            money(d.project_expenditure.as_ref()),
                            "项目支出",
                            false,
                        ),
                        span(label(""), 2),
                    ],
                    vec![
                        label("部门职能职责概述"),
                        span(
                            b.input("duties", d.duties.clone(), "部门职能职责概述", true),
                            5,
                        ),
                    ],
                    vec![
                        label("年度主要任务"),
                        label("任务名称"),
                        span(label("主要内容"), 3),
                        label("预算金额（万元）"),
                    ],
                ],
            };
            for (k, t) in d.tasks.iter().enumerate() {
                head.rows.push(vec![
                    label(format!("任务{}", k + 1)),
                    b.input(
                        &format!("tasks[{k}].name"),
                        t.name.clone(),
                        "任务名称",
                        false,
                    ),
                    span(
                        b.input(
                            &format!("tasks[{k}].content"),
                            t.content.clone(),
                            "主要内容",
                            true,
                        ),
                        3,
                    ),
                    b.input(
                        &format!("tasks[{k}].budget.total"),
                        money(t.budget.total.as_ref()),
                        "预算金额",
                        false,
                    ),
                ]);
            }
            head.rows.push(vec![
                label("年度总体目标"),
                span(
                    b.input(
                        "annual_target",
                        d.annual_target.clone(),
                        "年度总体目标",
                        true,
                    ),
                    5,
                ),
            ]);
            vec![head, declared_indicators(&b, &d.indicators)]
        }
        Form::Monitoring(m) => monitoring(&mut b, m, assessment.monitor.as_ref()),
        Form::Report(r) => {
            let mut t = Table {
                widths: vec![12, 88],
                rows: vec![
                    vec![
                        label("标题"),
                        b.input("title", r.title.clone(), "标题", false),
                    ],
                    vec![
                        label("单位"),
                        b.input("unit", opt(r.unit.as_ref()), "单位", false),
                    ],
                    vec![
                        label("日期"),
                        b.input("date", opt(r.date.as_ref()), "日期", false),
                    ],
                ],
            };
            for (k, s) in r.sections.iter().enumerate() {
                t.rows.push(vec![
                    label(format!("第{}节标题", k + 1)),
                    b.input(
                        &format!("sections[{k}].heading"),
                        s.heading.clone(),
                        "章节标题",
                        false,
                    ),
                ]);
                t.rows.push(vec![
                    label("正文（每段一行）"),
                    b.input(
                        &format!("sections[{k}].text"),
                        s.paragraphs.join("\n"),
                        "章节正文（每段一行）",
                        true,
                    ),
                ]);
            }
            vec![t]
        }
        _ => Vec::new(),
    };
    (Grid { tables }, b.calcs)
}

fn declared_indicators(b: &Builder<'_>, rows: &[DeclaredIndicator]) -> Table {
    let mut t = Table {
        widths: vec![12, 14, 30, 44],
        rows: vec![vec![
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("指标值"),
        ]],
    };
    for (k, d) in rows.iter().enumerate() {
        t.rows.push(vec![
            b.input(
                &format!("indicators[{k}].level1"),
                d.level1.clone(),
                "一级指标",
                false,
            ),
            b.input(
                &format!("indicators[{k}].level2"),
                d.level2.clone(),
                "二级指标",
                false,
            ),
            b.input(
                &format!("indicators[{k}].name"),
                d.name.clone(),
                "三级指标",
                false,
            ),
            b.input(
                &format!("indicators[{k}].target"),
                d.target.clone(),
                "指标值",
                false,
            ),
        ]);
    }
    t
}

fn self_evaluation(
    b: &mut Builder<'_>,
    s: &SelfEvaluation,
    scored: Option<&ScoredForm>,
) -> Vec<Table> {
    let mut head = Table {
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
    };
    let execution = scored.map(|sc| &sc.execution);
    for (k, row) in s.funds.rows.iter().enumerate() {
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
                .map(|r| r.round_dp(2).normalize().to_string())
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
        head.rows.push(cells);
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
        let IndicatorRow {
            level1,
            level2,
            name,
            target,
            actual,
            weight,
            score,
            ..
        } = row;
        let computed = scored
            .and_then(|sc| sc.indicators.get(k))
            .and_then(|i| i.score)
            .map(|d| d.round_dp(2).normalize().to_string())
            .unwrap_or_else(|| "—".into());
        table.rows.push(vec![
            b.input(
                &format!("indicators[{k}].level1"),
                level1.clone(),
                "一级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].level2"),
                level2.clone(),
                "二级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].name"),
                name.clone(),
                "三级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].target"),
                target.clone(),
                "年度指标值",
                true,
            ),
            b.input(
                &format!("indicators[{k}].actual"),
                actual.clone(),
                "实际完成值",
                true,
            ),
            b.input(
                &format!("indicators[{k}].weight"),
                dec(*weight),
                "分值",
                false,
            ),
            b.input(
                &format!("indicators[{k}].score"),
                dec(*score),
                "得分（表中）",
                false,
            ),
            b.calc(&format!("calc-{k}"), computed),
            b.input(
                &format!("indicators[{k}].deviation_reason"),
                opt(row.deviation_reason.as_ref()),
                "偏差原因分析及改进措施",
                true,
            ),
        ]);
    }
    let total = scored
        .map(|sc| {
            let t = sc.total.round_dp(2).normalize().to_string();
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
    vec![head, table]
}

fn light_text(light: Option<Light>) -> String {
    light.map_or_else(|| "—".to_string(), |l| l.name().to_string())
}

/// A computed light cell, coloured by its light (the word is always there too).
fn light_cell(b: &mut Builder<'_>, id: &str, light: Option<Light>) -> Cell {
    let mut cell = b.calc(id, light_text(light));
    cell.class = match light {
        Some(Light::Red) => "computed light-red",
        Some(Light::Yellow) => "computed light-yellow",
        Some(Light::Green) => "computed light-green",
        None => "computed",
    };
    cell
}

fn monitoring(b: &mut Builder<'_>, m: &Monitoring, result: Option<&MonitorResult>) -> Vec<Table> {
    let month = m.period_end_month;
    let mut head = Table {
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
    };
    let execution = result.map(|r| &r.execution);
    for (k, row) in m.funds.iter().enumerate() {
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
        head.rows.push(cells);
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
    let likelihoods: Vec<&'static str> = std::iter::once("")
        .chain(Likelihood::ALL.iter().map(|l| l.name()))
        .collect();
    let causes: Vec<&'static str> = std::iter::once("")
        .chain(DeviationCause::ALL.iter().map(|c| c.name()))
        .collect();
    for (k, row) in m.indicators.iter().enumerate() {
        let light = result
            .and_then(|r| r.indicators.get(k))
            .and_then(|w| w.light);
        table.rows.push(vec![
            b.input(
                &format!("indicators[{k}].level1"),
                row.level1.clone(),
                "一级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].level2"),
                row.level2.clone(),
                "二级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].name"),
                row.name.clone(),
                "三级指标",
                true,
            ),
            b.input(
                &format!("indicators[{k}].target"),
                row.target.clone(),
                "年度指标值",
                true,
            ),
            b.input(
                &format!("indicators[{k}].progress"),
                row.progress.clone(),
                "执行情况",
                true,
            ),
            b.input(
                &format!("indicators[{k}].expected_year_end"),
                row.expected_year_end.clone(),
                "全年预计完成情况",
                true,
            ),
            b.choice(
                &format!("indicators[{k}].likelihood"),
                row.likelihood
                    .map(|l| l.name().to_string())
                    .unwrap_or_default(),
                "完成目标可能性",
                likelihoods.clone(),
            ),
            b.choice(
                &format!("indicators[{k}].cause"),
                row.cause.map(|c| c.name().to_string()).unwrap_or_default(),
                "偏差原因类别",
                causes.clone(),
            ),
            b.input(
                &format!("indicators[{k}].deviation_reason"),
                opt(row.deviation_reason.as_ref()),
                "偏差原因分析",
                true,
            ),
            light_cell(b, &format!("calc-light-{k}"), light),
        ]);
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

/// A field that could not be read, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

struct Reader<'a> {
    fields: &'a Fields,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    fn text(&self, path: &str) -> Option<String> {
        self.fields.get(path).map(|v| v.trim().to_string())
    }

    fn set_text(&self, path: &str, into: &mut String) {
        if let Some(v) = self.text(path) {
            *into = v;
        }
    }

    fn set_opt_text(&self, path: &str, into: &mut Option<String>) {
        if let Some(v) = self.text(path) {
            *into = (!v.is_empty()).then_some(v);
        }
    }

    fn fail(&mut self, path: &str, message: String) {
        self.errors.push(FieldError {
            path: path.to_string(),
            message,
        });
    }

    fn set_money(&mut self, path: &str, into: &mut Option<Amount>) {
        let Some(v) = self.text(path) else { return };
        if v.is_empty() {
            *into = None;
            return;
        }
        match Amount::parse(&v, Some(MoneyUnit::Wan)) {
            Ok(a) => *into = Some(a),
            Err(e) => self.fail(path, format!("金额{e}")),
        }
    }

    fn set_number(&mut self, path: &str, suffixes: &[char], into: &mut Option<Decimal>) {
        let Some(v) = self.text(path) else { return };
        match parse_number(&v, suffixes) {
            Ok(d) => *into = d,
            Err(e) => self.fail(path, e.to_string()),
        }
    }

    fn set_year(&mut self, into: &mut Option<u16>) {
        let Some(v) = self.text("year") else { return };
        if v.is_empty() {
            *into = None;
        } else {
            match v.trim_end_matches('年').parse::<u16>() {
                Ok(y) if (2000..=2100).contains(&y) => *into = Some(y),
                _ => self.fail("year", format!("年度“{v}”应为四位年份，如 2026")),
            }
        }
    }

    /// How many rows of `prefix[k].` the post has.
    fn rows(&self, prefix: &str) -> usize {
        self.fields
            .keys()
            .filter_map(|k| {
                k.strip_prefix(prefix)?
                    .strip_prefix('[')?
                    .split(']')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .map(|k| k + 1)
            .max()
            .unwrap_or(0)
    }
}

/// A row operation posted with the form: add a row after `k`, or delete row `k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOp {
    /// Insert an indicator row after this one (same groups).
    Add(usize),
    /// Delete this indicator row.
    Delete(usize),
}

impl RowOp {
    /// Reads `add:3` / `delete:3`.
    pub fn parse(text: &str) -> Option<RowOp> {
        let (op, k) = text.split_once(':')?;
        let k = k.parse().ok()?;
        match op {
            "add" => Some(RowOp::Add(k)),
            "delete" => Some(RowOp::Delete(k)),
            _ => None,
        }
    }
}

/// Reads the posted fields into a copy of `stored`; every field that cannot be read is an
/// error naming the field. Fields the page does not show are kept as stored.
pub fn apply(stored: &Form, fields: &Fields, op: Option<RowOp>) -> Result<Form, Vec<FieldError>> {
    let mut r = Reader {
        fields,
        errors: Vec::new(),
    };
    let mut form = stored.clone();
    match &mut form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            apply_self_evaluation(&mut r, s);
            if let Some(op) = op {
                edit_rows(&mut s.indicators, op, |k: &IndicatorRow| IndicatorRow {
                    level1: k.level1.clone(),
                    level2: k.level2.clone(),
                    name: String::new(),
                    target: String::new(),
                    actual: String::new(),
                    weight: None,
                    score: None,
                    deviation_reason: None,
                    not_applicable: None,
                    manual_override: None,
                });
            }
        }
        Form::ProjectTarget(d) => {
            r.set_text("project_name", &mut d.project_name);
            r.set_text("unit", &mut d.unit);
            r.set_year(&mut d.year);
            r.set_money("funds_total", &mut d.funds_total);
            r.set_money("funds_fiscal", &mut d.funds_fiscal);
            r.set_money("funds_other", &mut d.funds_other);
            r.set_opt_text("medium_term_target", &mut d.medium_term_target);
            r.set_text("annual_target", &mut d.annual_target);
            apply_declared(&mut r, &mut d.indicators);
            if let Some(op) = op {
                edit_rows(&mut d.indicators, op, blank_declared);
            }
        }
        Form::DepartmentTarget(d) => {
            r.set_text("department", &mut d.department);
            r.set_year(&mut d.year);
            r.set_money("funds_total", &mut d.funds_total);
            r.set_money("funds_fiscal", &mut d.funds_fiscal);
            r.set_money("funds_other", &mut d.funds_other);
            r.set_money("basic_expenditure", &mut d.basic_expenditure);
            r.set_money("project_expenditure", &mut d.project_expenditure);
            r.set_text("duties", &mut d.duties);
            r.set_text("annual_target", &mut d.annual_target);
            let n = r.rows("tasks");
            d.tasks.resize_with(n.max(d.tasks.len()), || Task {
                name: String::new(),
                content: String::new(),
                budget: Default::default(),
            });
            for (k, t) in d.tasks.iter_mut().enumerate() {
                r.set_text(&format!("tasks[{k}].name"), &mut t.name);
                r.set_text(&format!("tasks[{k}].content"), &mut t.content);
                r.set_money(&format!("tasks[{k}].budget.total"), &mut t.budget.total);
            }
            apply_declared(&mut r, &mut d.indicators);
            if let Some(op) = op {
                edit_rows(&mut d.indicators, op, blank_declared);
            }
        }
        Form::Monitoring(m) => {
            apply_monitoring(&mut r, m);
            if let Some(op) = op {
                edit_rows(&mut m.indicators, op, |k: &MonitoredIndicator| {
                    MonitoredIndicator {
                        level1: k.level1.clone(),
                        level2: k.level2.clone(),
                        name: String::new(),
                        target: String::new(),
                        progress: String::new(),
                        expected_year_end: String::new(),
                        likelihood: None,
                        cause: None,
                        deviation_reason: None,
                        note: None,
                    }
                });
            }
        }
        Form::Report(rep) => {
            r.set_text("title", &mut rep.title);
            r.set_opt_text("unit", &mut rep.unit);
            r.set_opt_text("date", &mut rep.date);
            for (k, s) in rep.sections.iter_mut().enumerate() {
                r.set_text(&format!("sections[{k}].heading"), &mut s.heading);
                if let Some(text) = r.text(&format!("sections[{k}].text")) {
                    s.paragraphs = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect();
                }
            }
            if let Some(RowOp::Add(k)) = op {
                let at = (k + 1).min(rep.sections.len());
                rep.sections.insert(
                    at,
                    Section {
                        heading: String::new(),
                        level: 1,
                        paragraphs: Vec::new(),
                    },
                );
            }
            if let Some(RowOp::Delete(k)) = op
                && k < rep.sections.len()
            {
                rep.sections.remove(k);
            }
        }
        _ => {}
    }
    if r.errors.is_empty() {
        Ok(form)
    } else {
        Err(r.errors)
    }
}

fn blank_declared(k: &DeclaredIndicator) -> DeclaredIndicator {
    DeclaredIndicator {
        level1: k.level1.clone(),
        level2: k.level2.clone(),
        name: String::new(),
        target: String::new(),
    }
}

fn edit_rows<T>(rows: &mut Vec<T>, op: RowOp, blank_after: impl Fn(&T) -> T) {
    match op {
        RowOp::Add(k) if k < rows.len() => {
            let new = blank_after(&rows[k]);
            rows.insert(k + 1, new);
        }
        RowOp::Delete(k) if k < rows.len() && rows.len() > 1 => {
            rows.remove(k);
        }
        _ => {}
    }
}

fn apply_declared(r: &mut Reader<'_>, rows: &mut [DeclaredIndicator]) {
    for (k, d) in rows.iter_mut().enumerate() {
        r.set_text(&format!("indicators[{k}].level1"), &mut d.level1);
        r.set_text(&format!("indicators[{k}].level2"), &mut d.level2);
        r.set_text(&format!("indicators[{k}].name"), &mut d.name);
        r.set_text(&format!("indicators[{k}].target"), &mut d.target);
    }
}

fn apply_monitoring(r: &mut Reader<'_>, m: &mut Monitoring) {
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
        r.set_money(
            &format!("funds[{k}].initial_budget"),
            &mut row.initial_budget,
        );
        r.set_money(
            &format!("funds[{k}].adjusted_budget"),
            &mut row.adjusted_budget,
        );
        r.set_money(&format!("funds[{k}].executed"), &mut row.executed);
        r.set_money(
            &format!("funds[{k}].expected_year_end"),
            &mut row.expected_year_end,
        );
    }
    r.set_text("overall_target.target", &mut m.overall_target.target);
    r.set_text("overall_target.progress", &mut m.overall_target.progress);
    for (k, row) in m.indicators.iter_mut().enumerate() {
        r.set_text(&format!("indicators[{k}].level1"), &mut row.level1);
        r.set_text(&format!("indicators[{k}].level2"), &mut row.level2);
        r.set_text(&format!("indicators[{k}].name"), &mut row.name);
        r.set_text(&format!("indicators[{k}].target"), &mut row.target);
        r.set_text(&format!("indicators[{k}].progress"), &mut row.progress);
        r.set_text(
            &format!("indicators[{k}].expected_year_end"),
            &mut row.expected_year_end,
        );
        r.set_opt_text(
            &format!("indicators[{k}].deviation_reason"),
            &mut row.deviation_reason,
        );
        let path = format!("indicators[{k}].likelihood");
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
        let path = format!("indicators[{k}].cause");
        if let Some(v) = r.text(&path) {
            match (v.is_empty(), DeviationCause::parse(&v)) {
                (true, _) => row.cause = None,
                (false, Some(c)) => row.cause = Some(c),
                (false, None) => r.fail(&path, format!("偏差原因类别“{v}”不在可选项中")),
            }
        }
    }
    r.set_opt_text("problems", &mut m.problems);
    r.set_opt_text("measures", &mut m.measures);
}

fn apply_self_evaluation(r: &mut Reader<'_>, s: &mut SelfEvaluation) {
    r.set_text("name", &mut s.name);
    r.set_year(&mut s.year);
    r.set_opt_text("competent_department", &mut s.competent_department);
    r.set_opt_text("implementing_unit", &mut s.implementing_unit);
    for (k, row) in s.funds.rows.iter_mut().enumerate() {
        r.set_money(
            &format!("funds.rows[{k}].initial_budget"),
            &mut row.initial_budget,
        );
        r.set_money(
            &format!("funds.rows[{k}].full_year_budget"),
            &mut row.full_year_budget,
        );
        r.set_money(&format!("funds.rows[{k}].executed"), &mut row.executed);
    }
    r.set_number("funds.weight", &['分'], &mut s.funds.weight);
    r.set_number("funds.stated_rate", &['%'], &mut s.funds.stated_rate);
    r.set_number("funds.stated_score", &['分'], &mut s.funds.stated_score);
    r.set_text("overall_target.expected", &mut s.overall_target.expected);
    r.set_text("overall_target.actual", &mut s.overall_target.actual);
    for (k, row) in s.indicators.iter_mut().enumerate() {
        r.set_text(&format!("indicators[{k}].level1"), &mut row.level1);
        r.set_text(&format!("indicators[{k}].level2"), &mut row.level2);
        r.set_text(&format!("indicators[{k}].name"), &mut row.name);
        r.set_text(&format!("indicators[{k}].target"), &mut row.target);
        r.set_text(&format!("indicators[{k}].actual"), &mut row.actual);
        r.set_number(&format!("indicators[{k}].weight"), &['分'], &mut row.weight);
        r.set_number(&format!("indicators[{k}].score"), &['分'], &mut row.score);
        r.set_opt_text(
            &format!("indicators[{k}].deviation_reason"),
            &mut row.deviation_reason,
        );
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_app::assess::assess;
    use jixiao_core::scoring::ScoringPolicy;

    fn seed(text: &str) -> Form {
        Form::from_json(text).expect("seed form")
    }

    /// Every input's posted value, as a browser would send the unchanged page.
    fn post_of(grid: &Grid) -> Fields {
        grid.inputs()
            .map(|i| (i.name.clone(), i.value.clone()))
            .collect()
    }

    #[test]
    fn an_unchanged_page_posts_back_the_same_form() {
        for text in [
            include_str!("../../../testdata/forms/seed001-daily-operations.json"),
            include_str!("../../../testdata/forms/seed003-department.json"),
            include_str!("../../../testdata/forms/seed000-project-target.json"),
            include_str!("../../../testdata/forms/seed000-department-target.json"),
        ] {
            let form = seed(text);
            let a = assess(&form, &ScoringPolicy::default());
            let (grid, _) = layout(&form, &a, None);
            let back = apply(&form, &post_of(&grid), None).expect("reads back");
            assert_eq!(back, form);
        }
    }

    #[test]
    fn an_edit_changes_the_field_and_bad_numbers_name_their_field() {
        let form = seed(include_str!(
            "../../../testdata/forms/seed001-daily-operations.json"
        ));
        let a = assess(&form, &ScoringPolicy::default());
        let (grid, calcs) = layout(&form, &a, None);
        assert!(calcs.iter().any(|(id, _)| id == "calc-total"));
        let mut post = post_of(&grid);
        post.insert("indicators[0].actual".into(), "100%".into());
        let Form::ProjectSelfEvaluation(s) = apply(&form, &post, None).expect("valid") else {
            panic!("kind changed")
        };
        assert_eq!(s.indicators[0].actual, "100%");
        post.insert("indicators[1].weight".into(), "十分多".into());
        post.insert("funds.rows[0].executed".into(), "abc".into());
        let errors = apply(&form, &post, None).expect_err("invalid");
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["funds.rows[0].executed", "indicators[1].weight"]);
    }

    #[test]
    fn rows_are_added_after_and_deleted() {
        let form = seed(include_str!(
            "../../../testdata/forms/seed001-daily-operations.json"
        ));
        let n = form.self_evaluation().map_or(0, |s| s.indicators.len());
        let added = apply(&form, &Fields::new(), RowOp::parse("add:0")).expect("valid");
        let s = added.self_evaluation().expect("self-evaluation");
        assert_eq!(s.indicators.len(), n + 1);
        assert_eq!(s.indicators[1].name, "");
        assert_eq!(s.indicators[1].level2, s.indicators[0].level2);
        let deleted = apply(&added, &Fields::new(), RowOp::parse("delete:1")).expect("valid");
        assert_eq!(deleted, form);
    }
}
