//! Self-evaluation forms (项目支出/部门整体支出绩效自评表) written as Excel sheets in the
//! standard layout: title and year, header fields, the funds block with 分值/执行率/得分, the
//! overall target, the indicator table with merged 一级/二级 cells, 总分 with the grade, and
//! the 备注 lines. What is written reads back, through the importer, as the same typed form.

use jixiao_core::form::{Form, FundSource, SelfEvaluation};
use jixiao_core::money::{Amount, MoneyUnit};

use super::catalog::{base_data_sheet, evaluation_table_sheet, project_list_sheet};
use super::declaration::{department_target_sheet, project_target_sheet};
use super::paper::{Block, Page, Paper};
use super::sheet::{Sheet, Style, level_cells};
use super::xlsx::Workbook;

const COLS: usize = 9;

/// The columns of a scored indicator table, as the self-evaluation form and the report's
/// score table head them.
pub(crate) const SCORED_COLUMNS: [&str; 7] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
];

fn number(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Money as the form's 万元 header reads it (`9.40`); an amount written in 元 or 亿元 converted
/// exactly (`387664.62元` → `38.766462`).
fn money(a: Option<Amount>) -> String {
    match a {
        Some(a) if a.unit() == MoneyUnit::Wan => a.value().to_string(),
        Some(a) => a
            .to_unit(MoneyUnit::Wan)
            .map_or_else(|| a.as_written(), |w| w.value().normalize().to_string()),
        None => String::new(),
    }
}

/// The sheet of one self-evaluation form.
pub fn self_evaluation_sheet(form: &SelfEvaluation, department: bool, sheet_name: &str) -> Sheet {
    let mut s = Sheet::new(sheet_name);
    for (c, w) in [
        (0, 100),
        (1, 110),
        (2, 120),
        (3, 140),
        (4, 160),
        (5, 220),
        (6, 60),
        (7, 60),
        (8, 200),
    ] {
        s.width(c, w);
    }
    let r = head(&mut s, form, department);
    let r = funds_block(&mut s, form, r);
    let r = overall_target(&mut s, form, r);
    let r = indicator_table(&mut s, form, r);
    totals(&mut s, form, r);
    s
}

/// Title, year and header fields: the name, 主管部门 | 实施单位, then other fields two to a
/// row. Returns the next row.
fn head(s: &mut Sheet, form: &SelfEvaluation, department: bool) -> usize {
    let title = if department {
        "部门整体支出绩效自评表"
    } else {
        "项目支出绩效自评表"
    };
    let mut r = 0;
    s.set(r, 0, title, Style::Title).merge(r, 0, r, COLS - 1);
    r += 1;
    if let Some(year) = form.year {
        s.set(r, 0, format!("（{year}年度）"), Style::Caption)
            .merge(r, 0, r, COLS - 1);
        r += 1;
    }
    let name_label = if department {
        "部门名称"
    } else {
        "项目名称"
    };
    s.field_row(r, name_label, &form.name, COLS);
    r += 1;
    if form.competent_department.is_some() || form.implementing_unit.is_some() {
        s.set(r, 0, "主管部门", Style::CellCenter)
            .set(
                r,
                1,
                form.competent_department.clone().unwrap_or_default(),
                Style::Cell,
            )
            .merge(r, 1, r, 3)
            .set(r, 4, "实施单位", Style::CellCenter)
            .merge(r, 4, r, 5)
            .set(
                r,
                6,
                form.implementing_unit.clone().unwrap_or_default(),
                Style::Cell,
            )
            .merge(r, 6, r, COLS - 1);
        r += 1;
    }
    for pair in form.other_fields.chunks(2) {
        s.set(r, 0, &pair[0].label, Style::CellCenter)
            .set(r, 1, &pair[0].value, Style::Cell)
            .merge(r, 1, r, 3);
        if let Some(second) = pair.get(1) {
            s.set(r, 4, &second.label, Style::CellCenter)
                .merge(r, 4, r, 5)
                .set(r, 6, &second.value, Style::Cell)
                .merge(r, 6, r, COLS - 1);
        }
        r += 1;
    }
    r
}

/// The funds block from row `r`: its header, then a row per fund source, the total carrying
/// 分值/执行率/得分. Returns the next row.
fn funds_block(s: &mut Sheet, form: &SelfEvaluation, mut r: usize) -> usize {
    let funds_top = r;
    s.set(r, 0, "项目资金（万元）", Style::CellCenter)
        .set(r, 1, "", Style::CellCenter)
        .merge(r, 1, r, 2);
    for (c, h) in [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        s.set(r, 3 + c, *h, Style::CellCenter);
    }
    r += 1;
    for row in &form.funds.rows {
        let label = row
            .label
            .clone()
            .unwrap_or_else(|| row.source.label().to_string());
        s.set(r, 1, label, Style::Cell).merge(r, 1, r, 2);
        s.set(r, 3, money(row.initial_budget), Style::CellCenter)
            .set(r, 4, money(row.full_year_budget), Style::CellCenter)
            .set(r, 5, money(row.executed), Style::CellCenter);
        if row.source == FundSource::Total {
            s.set(r, 6, number(form.funds.weight), Style::CellCenter)
                .set(
                    r,
                    7,
                    form.funds
                        .stated_rate
                        .map(|v| format!("{v}%"))
                        .unwrap_or_default(),
                    Style::CellCenter,
                )
                .set(r, 8, number(form.funds.stated_score), Style::CellCenter);
        } else {
            s.set(r, 6, "—", Style::CellCenter)
                .set(r, 7, "", Style::CellCenter)
                .set(r, 8, "—", Style::CellCenter);
        }
        r += 1;
    }
    s.merge(funds_top, 0, r - 1, 0);
    r
}

/// 年度总体目标 (预期目标 | 实际完成情况) on two rows from `r`. Returns the next row.
fn overall_target(s: &mut Sheet, form: &SelfEvaluation, r: usize) -> usize {
    s.set(r, 0, "年度总体目标", Style::CellCenter)
        .set(r, 1, "预期目标", Style::CellCenter)
        .merge(r, 1, r, 4)
        .set(r, 5, "实际完成情况", Style::CellCenter)
        .merge(r, 5, r, COLS - 1);
    s.set(r + 1, 1, &form.overall_target.expected, Style::Cell)
        .merge(r + 1, 1, r + 1, 4)
        .set(r + 1, 5, &form.overall_target.actual, Style::Cell)
        .merge(r + 1, 5, r + 1, COLS - 1);
    s.merge(r, 0, r + 1, 0);
    r + 2
}

/// The indicator table from row `r`: its header (repeated on every page) and a row per
/// indicator with merged 一级/二级 cells. Returns the next row.
fn indicator_table(s: &mut Sheet, form: &SelfEvaluation, r: usize) -> usize {
    let table_top = r;
    s.set(r, 0, "绩效指标", Style::CellCenter);
    for (c, h) in SCORED_COLUMNS
        .iter()
        .chain(&["偏差原因分析及改进措施"])
        .enumerate()
    {
        s.set(r, 1 + c, *h, Style::CellCenter);
    }
    s.header(r, r);
    let first_row = r + 1;
    for (k, row) in form.indicators.iter().enumerate() {
        let rr = first_row + k;
        s.set(rr, 3, &row.name, Style::Cell)
            .set(rr, 4, &row.target, Style::Cell)
            .set(rr, 5, &row.actual, Style::Cell)
            .set(rr, 6, number(row.weight), Style::CellCenter)
            .set(rr, 7, number(row.score), Style::CellCenter)
            .set(
                rr,
                8,
                row.deviation_reason.clone().unwrap_or_default(),
                Style::Cell,
            );
    }
    let levels: Vec<(&str, &str)> = form
        .indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    level_cells(s, first_row, 1, &levels);
    let r = first_row + form.indicators.len();
    s.merge(table_top, 0, r - 1, 0);
    r
}

/// 总分 with the stated weight, total and grade at row `r`, then the 备注 lines.
fn totals(s: &mut Sheet, form: &SelfEvaluation, mut r: usize) {
    s.set(r, 0, "总分", Style::CellCenter)
        .merge(r, 0, r, 5)
        .set(r, 6, number(form.stated_total_weight), Style::CellCenter)
        .set(r, 7, number(form.stated_total), Style::CellCenter)
        .set(
            r,
            8,
            form.stated_grade
                .map(|g| format!("等级：{g}"))
                .unwrap_or_default(),
            Style::CellCenter,
        );
    r += 1;
    for (i, note) in form.notes.iter().enumerate() {
        let text = if i == 0 {
            format!("备注：{note}")
        } else {
            note.clone()
        };
        s.set(r, 0, text, Style::Plain).merge(r, 0, r, COLS - 1);
        r += 1;
    }
}

/// Every form but the narrative report (which `jixiao report` writes), one sheet each, named
/// uniquely (at most 31 characters).
pub fn form_sheets(forms: &[Form]) -> Vec<Sheet> {
    let mut sheets = Vec::new();
    for (k, form) in forms.iter().enumerate() {
        let (subject, short) = match form {
            Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
                (f.name.as_str(), "自评表")
            }
            Form::ProjectTarget(f) => (f.project_name.as_str(), "申报表"),
            Form::DepartmentTarget(f) => (f.department.as_str(), "申报表"),
            Form::ProjectList(_) => ("", "项目清单"),
            Form::EvaluationTable(_) => ("", "评价指标表"),
            Form::BaseData(_) => ("", "基础数据表"),
            Form::Monitoring(f) => (f.project_name.as_str(), "监控表"),
            Form::TransferPayment(f) => (f.name.as_str(), "转移支付自评表"),
            Form::ExAnteAssessment(f) => (f.project_name.as_str(), "事前评估表"),
            Form::Report(_) => continue,
        };
        let subject: String = subject.chars().take(23).collect();
        let name = format!("{}{subject}{short}", k + 1);
        sheets.push(match form {
            Form::ProjectSelfEvaluation(f) => self_evaluation_sheet(f, false, &name),
            Form::DepartmentSelfEvaluation(f) => self_evaluation_sheet(f, true, &name),
            Form::ProjectTarget(f) => project_target_sheet(f, &name),
            Form::DepartmentTarget(f) => department_target_sheet(f, &name),
            Form::ProjectList(f) => project_list_sheet(f, &name),
            Form::EvaluationTable(f) => evaluation_table_sheet(f, &name),
            Form::BaseData(f) => base_data_sheet(f, &name),
            Form::Monitoring(f) => super::monitoring::monitoring_sheet(f, &name),
            Form::TransferPayment(f) => super::transfer::transfer_sheet(f, &name),
            Form::ExAnteAssessment(f) => super::ex_ante::ex_ante_sheet(f, &name),
            Form::Report(_) => continue,
        });
    }
    sheets
}

/// The forms as one workbook, a sheet each; `None` when none can be laid out.
pub fn forms_xlsx(forms: &[Form]) -> Result<Option<Vec<u8>>, std::io::Error> {
    let sheets = form_sheets(forms);
    if sheets.is_empty() {
        return Ok(None);
    }
    let mut book = Workbook::default();
    for sheet in sheets {
        book.add(sheet);
    }
    book.to_bytes().map(Some)
}

/// The forms as one Word document, a page each; `None` when none can be laid out.
pub fn forms_docx(forms: &[Form]) -> Result<Option<Vec<u8>>, std::io::Error> {
    let doc = forms_document(forms);
    if doc.blocks.is_empty() {
        return Ok(None);
    }
    doc.to_bytes().map(Some)
}

/// The forms' document model, a form per page, for the Word and PDF writers.
pub fn forms_document(forms: &[Form]) -> Paper {
    let mut doc = Paper::new(Page::form());
    for (k, sheet) in form_sheets(forms).into_iter().enumerate() {
        if k > 0 {
            doc.push(Block::PageBreak);
        }
        doc.push(Block::Form(sheet));
    }
    doc
}
