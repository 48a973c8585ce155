//! Forms written as the 规范表: one CSV per table (UTF-8 with a byte-order mark, so Chinese
//! Excel opens it right), zipped. Forms without a 规范表 are left out and listed as refused.

use std::io::Write as _;

use jixiao_core::form::monitoring::Monitoring;
use jixiao_core::form::{
    DeclaredIndicator, DepartmentTarget, Field, Form, ProjectTarget, SelfEvaluation, TaskBudget,
};
use jixiao_core::indicator::Layout;
use jixiao_core::money::Amount;
use rust_decimal::Decimal;

use crate::codes;
use crate::error::WriteError;
use crate::tables::{self, TableDef};

/// What the forms do not say and the 规范表 need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// 财政区划 code written in `mof_div_code` (default [`codes::DEFAULT_MOF_DIV_CODE`]).
    pub mof_div_code: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mof_div_code: codes::DEFAULT_MOF_DIV_CODE.to_string(),
        }
    }
}

/// A written 一体化 zip.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The zip.
    pub bytes: Vec<u8>,
    /// How many forms it holds.
    pub written: usize,
    /// The forms left out: their kinds have no 规范表.
    pub refused: Vec<Refused>,
}

/// A form left out of the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Its position among the forms given, from 1.
    pub position: usize,
    /// Its title (`绩效自评报告`).
    pub title: &'static str,
}

impl Refused {
    /// `第3张“绩效自评报告”`.
    pub fn name(&self) -> String {
        format!("第{}张“{}”", self.position, self.title)
    }

    /// The warning shown for it.
    pub fn message(&self) -> String {
        format!(
            "{}没有对应的一体化规范表，未导出（可交换：{}）",
            self.name(),
            crate::EXCHANGEABLE
        )
    }
}

/// True for the form kinds that have a 规范表.
pub fn exchangeable(form: &Form) -> bool {
    matches!(
        form,
        Form::ProjectTarget(_)
            | Form::DepartmentTarget(_)
            | Form::Monitoring(_)
            | Form::ProjectSelfEvaluation(_)
            | Form::DepartmentSelfEvaluation(_)
    )
}

/// Writes the forms that have a 规范表 as a 一体化 zip; the others are listed in
/// [`Exported::refused`]. Refused when none has one.
pub fn write(forms: &[Form], options: &Options) -> Result<Exported, WriteError> {
    let mut out = Tables::default();
    let mut refused = Vec::new();
    let mut written = 0;
    for (i, form) in forms.iter().enumerate() {
        if !exchangeable(form) {
            refused.push(Refused {
                position: i + 1,
                title: form.title(),
            });
            continue;
        }
        written += 1;
        let form_no = written;
        match form {
            Form::ProjectTarget(f) => project_target(&mut out, options, form_no, f),
            Form::DepartmentTarget(f) => department_target(&mut out, options, form_no, f),
            Form::Monitoring(f) => monitoring(&mut out, options, form_no, f),
            Form::ProjectSelfEvaluation(f) => {
                self_evaluation(&mut out, options, form_no, f, SelfKind::Project);
            }
            Form::DepartmentSelfEvaluation(f) => {
                self_evaluation(&mut out, options, form_no, f, SelfKind::Department);
            }
            _ => {}
        }
    }
    if written == 0 {
        return Err(WriteError::NothingToExchange {
            refused: refused
                .iter()
                .map(Refused::name)
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    library(&mut out, options, forms);
    Ok(Exported {
        bytes: out.zip()?,
        written,
        refused,
    })
}

/// The rows of every table, in [`tables::ALL`] order.
#[derive(Default)]
struct Tables {
    rows: Vec<(&'static TableDef, Vec<Vec<String>>)>,
}

impl Tables {
    fn push(&mut self, row: Row) {
        let def = row.def;
        let cells = row.finish();
        match self.rows.iter_mut().find(|(d, _)| d.name == def.name) {
            Some((_, rows)) => rows.push(cells),
            None => self.rows.push((def, vec![cells])),
        }
    }

    fn zip(self) -> Result<Vec<u8>, WriteError> {
        let io = |reason: String| WriteError::Io { reason };
        let mut cursor = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for def in tables::ALL.into_iter().chain([&tables::BAS_PERF_INDICATOR]) {
            let Some((_, rows)) = self.rows.iter().find(|(d, _)| d.name == def.name) else {
                continue;
            };
            let mut csv = csv::Writer::from_writer(Vec::from(*b"\xEF\xBB\xBF"));
            csv.write_record(def.columns)
                .map_err(|e| io(e.to_string()))?;
            for row in rows {
                csv.write_record(row).map_err(|e| io(e.to_string()))?;
            }
            let body = csv.into_inner().map_err(|e| io(e.to_string()))?;
            zip.start_file(def.entry(), options)
                .map_err(|e| io(e.to_string()))?;
            zip.write_all(&body).map_err(|e| io(e.to_string()))?;
        }
        zip.finish().map_err(|e| io(e.to_string()))?;
        Ok(cursor.into_inner())
    }
}

/// BAS_PERF_INDICATOR: the library of `forms` (with the 共性 indicators) as a frame of 一级,
/// 二级 and 三级 rows. Codes: 一级 `1`–`4`, 二级 its 一级's code and two digits, 三级 its
/// 二级's code and four digits, numbered in the library's key order.
fn library(out: &mut Tables, options: &Options, forms: &[Form]) {
    use jixiao_core::indicator::{Level1, Level2};
    use jixiao_core::library::{Library, Origin, Source, Status};
    let units: Vec<String> = forms.iter().map(unit_of).collect();
    let library = Library::build(
        forms
            .iter()
            .zip(&units)
            .map(|(form, unit)| Source { unit, form }),
        &[],
    );
    let year = forms.iter().filter_map(year_of).max();
    let keys = Keys {
        mof_div_code: options.mof_div_code.clone(),
        fiscal_year: year.map(|y| y.to_string()).unwrap_or_default(),
        pro_code: None,
        dept_code: None,
        form_id: String::new(),
    };
    let level1_code = |l: Level1| {
        let k = Level1::ALL.iter().position(|x| *x == l).unwrap_or(0);
        format!("{}", k + 1)
    };
    let level2_code = |l: Level2| {
        let k = Level2::ALL.iter().position(|x| *x == l).unwrap_or(0);
        format!(
            "{}{:02}",
            level1_code(jixiao_core::library::parent(l)),
            k + 1
        )
    };
    let frame = |code: String, name: &str, parent: String, level: u8| {
        let mut row = Row::new(&tables::BAS_PERF_INDICATOR, &keys);
        row.set("ind_id", code.clone());
        row.set("perf_ind_code", code);
        row.set("perf_ind_name", name);
        row.set("is_common_ind", "1");
        row.set("parent_id", parent);
        row.set("level_no", level.to_string());
        row.set("is_leaf", "2");
        row.set("is_enabled", "1");
        row.set("is_deleted", "2");
        row
    };
    for l1 in Level1::ALL {
        out.push(frame(level1_code(l1), l1.name(), String::new(), 1));
    }
    for l2 in Level2::ALL {
        let parent = jixiao_core::library::parent(l2);
        out.push(frame(level2_code(l2), l2.name(), level1_code(parent), 2));
    }
    let mut numbers: std::collections::BTreeMap<Level2, usize> = Default::default();
    for e in library.entries() {
        let n = numbers.entry(e.level2).or_default();
        *n += 1;
        let code = format!("{}{:04}", level2_code(e.level2), n);
        let mut row = Row::new(&tables::BAS_PERF_INDICATOR, &keys);
        let (sign, value, unit) = codes::split_value(&e.typical);
        row.set("ind_id", code.clone());
        row.set("perf_ind_code", code);
        row.set("perf_ind_name", e.name.clone());
        row.set(
            "is_common_ind",
            if e.origin == Origin::Common { "1" } else { "2" },
        );
        row.set("value_desc", e.typical.clone());
        row.set("kpi_val", value);
        row.set("computesign", sign);
        row.set("meterunit", unit);
        row.set("parent_id", level2_code(e.level2));
        row.set("level_no", "3");
        row.set("is_leaf", "1");
        row.set(
            "is_enabled",
            if e.status == Status::Active { "1" } else { "2" },
        );
        row.set("is_deleted", "2");
        row.set("x_kpi_lv1_name", e.level1.name());
        row.set("x_kpi_lv2_name", e.level2.name());
        row.set("x_origin", e.origin.name());
        let names = |fields: &[jixiao_core::library::Field]| {
            fields
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join("、")
        };
        row.set("x_field", names(&e.fields));
        row.set("x_fixed_for", names(&e.fixed_for));
        row.set("x_direction", e.direction.name());
        row.set("x_uses", e.uses.len().to_string());
        let mut who: Vec<&str> = e.uses.iter().map(|u| u.unit.as_str()).collect();
        who.sort_unstable();
        who.dedup();
        row.set("x_units", who.len().to_string());
        if let Some(s) = &e.spread {
            row.set("x_q1", s.q1.normalize().to_string());
            row.set("x_median", s.median.normalize().to_string());
            row.set("x_q3", s.q3.normalize().to_string());
            row.set("x_spread_unit", s.unit.clone());
        }
        out.push(row);
    }
}

/// The filing unit a form names (for the library's count of units).
fn unit_of(form: &Form) -> String {
    match form {
        Form::ProjectTarget(f) => f.unit.clone(),
        Form::DepartmentTarget(f) => f.department.clone(),
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f
            .implementing_unit
            .clone()
            .unwrap_or_else(|| f.name.clone()),
        _ => String::new(),
    }
}

/// A form's year, if it states one.
fn year_of(form: &Form) -> Option<u16> {
    match form {
        Form::ProjectTarget(f) => f.year,
        Form::DepartmentTarget(f) => f.year,
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.year,
        Form::Monitoring(f) => f.year,
        _ => None,
    }
}

/// The keys every row of a form carries.
struct Keys {
    mof_div_code: String,
    fiscal_year: String,
    pro_code: Option<String>,
    dept_code: Option<String>,
    form_id: String,
}

/// One row being filled, cell by column name.
struct Row {
    def: &'static TableDef,
    cells: Vec<String>,
    /// Optional text columns holding `Some("")`, told apart from `None` (an empty cell).
    empties: Vec<&'static str>,
}

impl Row {
    fn new(def: &'static TableDef, keys: &Keys) -> Row {
        let mut row = Row {
            def,
            cells: vec![String::new(); def.columns.len()],
            empties: Vec::new(),
        };
        row.set_if("mof_div_code", &keys.mof_div_code);
        row.set_if("fiscal_year", &keys.fiscal_year);
        if let Some(code) = &keys.pro_code {
            row.set_if("pro_code", code);
        }
        if let Some(code) = &keys.dept_code {
            row.set_if("dept_code", code);
        }
        row.set_if("x_form_id", &keys.form_id);
        row.set_if("is_deleted", "2");
        row
    }

    /// Sets a column the table has (a programming error otherwise, caught by the tests).
    fn set(&mut self, column: &'static str, value: impl Into<String>) {
        debug_assert!(
            self.def.index(column).is_some(),
            "{} has no column {column}",
            self.def.name
        );
        self.set_if(column, &value.into());
    }

    fn set_if(&mut self, column: &str, value: &str) {
        if let Some(i) = self.def.index(column) {
            self.cells[i] = value.to_string();
        }
    }

    fn text(&mut self, column: &'static str, value: Option<&str>) {
        match value {
            Some("") => self.empties.push(column),
            Some(v) => self.set(column, v),
            None => {}
        }
    }

    fn decimal(&mut self, column: &'static str, value: Option<Decimal>) {
        if let Some(v) = value {
            self.set(column, v.to_string());
        }
    }

    /// An amount: the number in 万元 in `column`; the amount as written (`9400元`) in
    /// `as_written` when it is not in 万元.
    fn amount(&mut self, column: &'static str, as_written: &'static str, value: Option<&Amount>) {
        let Some(a) = value else { return };
        if let Some(wan) = codes::in_wan(a) {
            self.set(column, wan.to_string());
        }
        if a.unit() != jixiao_core::money::MoneyUnit::Wan || codes::in_wan(a).is_none() {
            self.set(as_written, a.as_written());
        }
    }

    fn finish(mut self) -> Vec<String> {
        if !self.empties.is_empty() {
            let list = self.empties.join(" ");
            self.set("x_empty", list);
        }
        self.cells
    }
}

fn year(y: Option<u16>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

fn layout(l: Layout) -> String {
    match serde_json::to_value(l) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn fields(out: &mut Tables, keys: &Keys, fields: &[Field]) {
    for f in fields {
        let mut row = Row::new(&tables::X_PERF_FORM_FIELD, keys);
        row.set("x_label", f.label.as_str());
        row.set("x_value", f.value.as_str());
        out.push(row);
    }
}

/// A declared indicator row of PM_PERF_INDICATOR or BGT_PERF_INDICATOR.
fn declared(
    out: &mut Tables,
    def: &'static TableDef,
    keys: &Keys,
    parent: &'static str,
    k: usize,
    ind: &DeclaredIndicator,
) {
    let mut row = Row::new(def, keys);
    row.set("kpi_id", format!("{}-{:03}", keys.form_id, k + 1));
    row.set(parent, keys.form_id.as_str());
    indicator_levels(&mut row, &ind.level1, &ind.level2, &ind.name, &ind.target);
    row.decimal("x_weight", ind.weight);
    out.push(row);
}

fn indicator_levels(row: &mut Row, level1: &str, level2: &str, name: &str, target: &str) {
    row.set("kpi_lv1", codes::level1_name(level1));
    row.set("kpi_lv2", codes::level2_name(level2));
    row.set("kpi_lv3", name);
    row.set("x_kpi_lv1_name", level1);
    row.set("x_kpi_lv2_name", level2);
    value_columns(row, target);
}

fn value_columns(row: &mut Row, target: &str) {
    let (sign, value, unit) = codes::split_value(target);
    row.set("computesign", sign);
    row.set("kpi_val", value);
    row.set("meterunit", unit);
    row.set("x_kpi_val_text", target);
}

fn project_target(out: &mut Tables, options: &Options, form_no: usize, f: &ProjectTarget) {
    let code = codes::project_code(&f.project_name, &f.other_fields);
    let keys = Keys {
        mof_div_code: options.mof_div_code.clone(),
        fiscal_year: year(f.year),
        form_id: codes::form_id(&code, "MB", form_no),
        pro_code: Some(code),
        dept_code: None,
    };
    let mut row = Row::new(&tables::PM_PERF_GOAL_INFO, &keys);
    row.set("kpi_per_id", keys.form_id.as_str());
    row.set("kpi_target", f.annual_target.as_str());
    row.set("x_form_no", form_no.to_string());
    row.set("x_pro_name", f.project_name.as_str());
    row.set("x_unit", f.unit.as_str());
    row.set("x_layout", layout(f.layout));
    row.text("x_medium_term_target", f.medium_term_target.as_deref());
    row.amount(
        "x_funds_total",
        "x_funds_total_as_written",
        f.funds_total.as_ref(),
    );
    row.amount(
        "x_funds_fiscal",
        "x_funds_fiscal_as_written",
        f.funds_fiscal.as_ref(),
    );
    row.amount(
        "x_funds_other",
        "x_funds_other_as_written",
        f.funds_other.as_ref(),
    );
    row.decimal("x_stated_total_weight", f.stated_total_weight);
    out.push(row);
    for (k, ind) in f.indicators.iter().enumerate() {
        declared(out, &tables::PM_PERF_INDICATOR, &keys, "kpi_per_id", k, ind);
    }
    for (c, column) in f.cost_columns.iter().enumerate() {
        let cost_row = |item: Option<&str>, amount: Option<&jixiao_core::money::Amount>| {
            let mut row = Row::new(&tables::X_PM_PERF_COST, &keys);
            row.set("kpi_per_id", keys.form_id.as_str());
            row.set("x_column_no", (c + 1).to_string());
            row.set("x_column", column.label.as_str());
            match item {
                Some(name) => row.set("x_item", name),
                None => row.set("x_is_total", "1"),
            }
            row.amount("x_amt", "x_amt_as_written", amount);
            row
        };
        for item in &column.items {
            out.push(cost_row(Some(&item.name), item.amount.as_ref()));
        }
        out.push(cost_row(None, column.total.as_ref()));
    }
    fields(out, &keys, &f.other_fields);
}

fn department_target(out: &mut Tables, options: &Options, form_no: usize, f: &DepartmentTarget) {
    let code = codes::department_code(&f.department, &f.other_fields);
    let keys = Keys {
        mof_div_code: options.mof_div_code.clone(),
        fiscal_year: year(f.year),
        form_id: codes::form_id(&code, "BM", form_no),
        pro_code: None,
        dept_code: Some(code),
    };
    let mut row = Row::new(&tables::BGT_PERF_GOAL_INFO, &keys);
    row.set("kpi_dep_id", keys.form_id.as_str());
    row.set("kpi_target", f.annual_target.as_str());
    row.set("x_form_no", form_no.to_string());
    row.set("x_dept_name", f.department.as_str());
    row.set("x_layout", layout(f.layout));
    row.set("x_duties", f.duties.as_str());
    for (column, as_written, value) in [
        ("x_funds_total", "x_funds_total_as_written", &f.funds_total),
        (
            "x_funds_fiscal",
            "x_funds_fiscal_as_written",
            &f.funds_fiscal,
        ),
        ("x_funds_other", "x_funds_other_as_written", &f.funds_other),
        (
            "x_basic_expenditure",
            "x_basic_expenditure_as_written",
            &f.basic_expenditure,
        ),
        (
            "x_project_expenditure",
            "x_project_expenditure_as_written",
            &f.project_expenditure,
        ),
    ] {
        row.amount(column, as_written, value.as_ref());
    }
    out.push(row);
    for (k, ind) in f.indicators.iter().enumerate() {
        declared(
            out,
            &tables::BGT_PERF_INDICATOR,
            &keys,
            "kpi_dep_id",
            k,
            ind,
        );
    }
    let task_row = |name: Option<(&str, &str)>, budget: &TaskBudget| {
        let mut row = Row::new(&tables::X_BGT_PERF_TASK, &keys);
        row.set("kpi_dep_id", keys.form_id.as_str());
        match name {
            Some((name, content)) => {
                row.set("x_task_name", name);
                row.set("x_task_content", content);
            }
            None => row.set("x_is_total", "1"),
        }
        row.amount(
            "x_total_amt",
            "x_total_amt_as_written",
            budget.total.as_ref(),
        );
        row.amount(
            "x_fiscal_amt",
            "x_fiscal_amt_as_written",
            budget.fiscal.as_ref(),
        );
        row.amount(
            "x_other_amt",
            "x_other_amt_as_written",
            budget.other.as_ref(),
        );
        row
    };
    for task in &f.tasks {
        out.push(task_row(
            Some((task.name.as_str(), task.content.as_str())),
            &task.budget,
        ));
    }
    if let Some(total) = &f.stated_tasks_total {
        out.push(task_row(None, total));
    }
    fields(out, &keys, &f.other_fields);
}

fn monitoring(out: &mut Tables, options: &Options, form_no: usize, f: &Monitoring) {
    let code = codes::project_code(&f.project_name, &f.other_fields);
    let keys = Keys {
        mof_div_code: options.mof_div_code.clone(),
        fiscal_year: year(f.year),
        form_id: codes::form_id(&code, "JK", form_no),
        pro_code: Some(code),
        dept_code: None,
    };
    let mut row = Row::new(&tables::PAY_PERF_MONITOR_TASK, &keys);
    row.set("perf_task_no", keys.form_id.as_str());
    row.set("perf_type_code", "2");
    row.set("perf_type_name", "部门自行监控");
    if let Some(y) = f.year {
        row.set("task_end_date", month_end(y, f.period_end_month));
    }
    row.set("is_last_inst", "2");
    row.set("x_form_no", form_no.to_string());
    row.set("x_pro_name", f.project_name.as_str());
    row.text("x_competent_department", f.competent_department.as_deref());
    row.text("x_implementing_unit", f.implementing_unit.as_deref());
    row.set("x_layout", layout(f.layout));
    row.set("x_period_end_month", f.period_end_month.to_string());
    row.set("x_goal_target", f.overall_target.target.as_str());
    row.set("x_goal_progress", f.overall_target.progress.as_str());
    row.text("x_problems", f.problems.as_deref());
    row.text("x_measures", f.measures.as_deref());
    out.push(row);
    for (k, ind) in f.indicators.iter().enumerate() {
        let mut row = Row::new(&tables::PAY_PERF_MONITOR_INFO, &keys);
        row.set("perf_task_no", keys.form_id.as_str());
        row.set("lv1_perf_ind_name", ind.level1.as_str());
        row.set("lv2_perf_ind_name", ind.level2.as_str());
        row.set(
            "lv3_perf_ind_code",
            format!("{}-{:03}", keys.form_id, k + 1),
        );
        row.set("lv3_perf_ind_name", ind.name.as_str());
        value_columns(&mut row, &ind.target);
        row.set("perf_comp", ind.progress.as_str());
        row.set("est_perf_annual", ind.expected_year_end.as_str());
        row.text("ana_dev_reasons", ind.deviation_reason.as_deref());
        if let Some(l) = ind.likelihood {
            row.set("complete_rate", l.name());
        }
        if let Some(c) = ind.cause {
            row.set("x_dev_cause", c.name());
        }
        row.text("x_note", ind.note.as_deref());
        out.push(row);
    }
    for funds in &f.funds {
        let mut row = Row::new(&tables::X_PAY_PERF_MONITOR_BGT, &keys);
        row.set("perf_task_no", keys.form_id.as_str());
        row.set("found_type_code", codes::fund_code(funds.source));
        row.set("x_found_type_name", funds.source.label());
        row.amount(
            "reply_amt",
            "x_reply_amt_as_written",
            funds.initial_budget.as_ref(),
        );
        row.amount(
            "cur_amt",
            "x_cur_amt_as_written",
            funds.adjusted_budget.as_ref(),
        );
        row.amount(
            "pro_bgt_comp",
            "x_pro_bgt_comp_as_written",
            funds.executed.as_ref(),
        );
        row.amount(
            "est_pro_bgt_annual",
            "x_est_pro_bgt_annual_as_written",
            funds.expected_year_end.as_ref(),
        );
        out.push(row);
    }
    fields(out, &keys, &f.other_fields);
}

/// The last day of `month` of `year` (`2023-07-31`); blank for a month out of range.
fn month_end(year: u16, month: u8) -> String {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let day = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return String::new(),
    };
    format!("{year:04}-{month:02}-{day:02}")
}

/// Which self-evaluation form.
#[derive(Clone, Copy)]
enum SelfKind {
    Project,
    Department,
}

fn self_evaluation(
    out: &mut Tables,
    options: &Options,
    form_no: usize,
    f: &SelfEvaluation,
    kind: SelfKind,
) {
    let (code, pro_code, dept_code, kind_name) = match kind {
        SelfKind::Project => {
            let code = codes::project_code(&f.name, &f.other_fields);
            (code.clone(), Some(code), None, "project_self_evaluation")
        }
        SelfKind::Department => {
            let code = codes::department_code(&f.name, &f.other_fields);
            (code.clone(), None, Some(code), "department_self_evaluation")
        }
    };
    let keys = Keys {
        mof_div_code: options.mof_div_code.clone(),
        fiscal_year: year(f.year),
        form_id: codes::form_id(&code, "ZP", form_no),
        pro_code,
        dept_code,
    };
    let mut row = Row::new(&tables::PM_PERF_SELF_EVAL, &keys);
    row.decimal("total_eval_value", f.stated_total);
    row.set("x_form_no", form_no.to_string());
    row.set("x_form_kind", kind_name);
    row.set("x_name", f.name.as_str());
    row.text("x_competent_department", f.competent_department.as_deref());
    row.text("x_implementing_unit", f.implementing_unit.as_deref());
    row.set("x_layout", layout(f.layout));
    row.decimal("x_stated_total_weight", f.stated_total_weight);
    if let Some(g) = f.stated_grade {
        row.set("x_stated_grade", g.name());
    }
    row.decimal("x_funds_weight", f.funds.weight);
    row.decimal("x_funds_stated_rate", f.funds.stated_rate);
    row.decimal("x_funds_stated_score", f.funds.stated_score);
    out.push(row);

    let mut goal = Row::new(&tables::PM_SELF_EVAL_GOAL, &keys);
    goal.set("kpi_target", f.overall_target.expected.as_str());
    goal.set("goal_comp", f.overall_target.actual.as_str());
    out.push(goal);

    for (k, ind) in f.indicators.iter().enumerate() {
        let mut row = Row::new(&tables::PM_SELF_EVAL_INDICATOR, &keys);
        row.set("kpi_id", format!("{}-{:03}", keys.form_id, k + 1));
        indicator_levels(&mut row, &ind.level1, &ind.level2, &ind.name, &ind.target);
        row.set("ind_comp", ind.actual.as_str());
        row.decimal("ind_weight", ind.weight);
        row.decimal("eval_score", ind.score);
        row.text("devi_analy", ind.deviation_reason.as_deref());
        row.decimal("x_item_score", ind.item_score);
        if let Some(r) = &ind.not_applicable {
            row.set("x_not_applicable", r.as_str());
        }
        if let Some(o) = &ind.manual_override {
            row.set("x_override_score", o.score.to_string());
            row.set("x_override_reason", o.reason.as_str());
        }
        out.push(row);
    }

    let total_row = f
        .funds
        .rows
        .iter()
        .position(|r| r.source == jixiao_core::form::FundSource::Total)
        .unwrap_or(0);
    for (i, funds) in f.funds.rows.iter().enumerate() {
        let mut row = Row::new(&tables::PM_PERF_SELF_BGT, &keys);
        row.set("found_type_code", codes::fund_code(funds.source));
        row.set("x_found_type_name", funds.source.label());
        row.text("x_label", funds.label.as_deref());
        row.amount(
            "reply_amt",
            "x_reply_amt_as_written",
            funds.initial_budget.as_ref(),
        );
        row.amount(
            "cur_amt",
            "x_cur_amt_as_written",
            funds.full_year_budget.as_ref(),
        );
        row.amount(
            "year_exe_amt",
            "x_year_exe_amt_as_written",
            funds.executed.as_ref(),
        );
        // 调整数 = 全年预算数 − 年初预算数, in 万元; informative, not read back.
        let adjustment = funds
            .full_year_budget
            .as_ref()
            .and_then(codes::in_wan)
            .zip(funds.initial_budget.as_ref().and_then(codes::in_wan))
            .and_then(|(full, initial)| full.checked_sub(initial));
        row.decimal("year_adj_amt", adjustment);
        // The block's 执行率 and 得分, on its total row; informative (PM_PERF_SELF_EVAL's
        // x_funds_stated_rate / x_funds_stated_score are read back).
        if i == total_row {
            row.decimal("exe_amt_rate", f.funds.stated_rate);
            row.decimal("exe_score", f.funds.stated_score);
        }
        out.push(row);
    }

    for note in &f.notes {
        let mut row = Row::new(&tables::X_PM_SELF_EVAL_NOTE, &keys);
        row.set("x_note", note.as_str());
        out.push(row);
    }
    fields(out, &keys, &f.other_fields);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of `table` in an exported zip, by column name.
    fn table(zip: &[u8], table: &str) -> Vec<std::collections::BTreeMap<String, String>> {
        use std::io::Read as _;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
        let mut entry = archive
            .by_name(&format!("{table}.csv"))
            .expect("the table's entry");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("text");
        let mut csv = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let head: Vec<String> = csv
            .headers()
            .expect("a header")
            .iter()
            .map(str::to_string)
            .collect();
        csv.records()
            .map(|r| {
                head.iter()
                    .cloned()
                    .zip(r.expect("a row").iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_library_is_written_as_bas_perf_indicator() {
        let mut f = ProjectTarget::blank(Some(2025));
        f.project_name = "学生资助".into();
        f.unit = "某某中学".into();
        f.indicators = vec![DeclaredIndicator {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: "新增宿舍床位".into(),
            target: "≥50张".into(),
            weight: None,
        }];
        let exported = write(&[Form::ProjectTarget(f)], &Options::default()).expect("written");
        let rows = table(&exported.bytes, "BAS_PERF_INDICATOR");
        let at = |level: &str| rows.iter().filter(|r| r["level_no"] == level).count();
        assert_eq!(
            (at("1"), at("2")),
            (4, 12),
            "the frame of 一级 and 二级 rows"
        );
        let quantity = rows
            .iter()
            .find(|r| r["perf_ind_name"] == "数量指标")
            .expect("数量指标");
        let mine = rows
            .iter()
            .find(|r| r["perf_ind_name"] == "新增宿舍床位")
            .expect("the form's indicator");
        assert_eq!(mine["parent_id"], quantity["perf_ind_code"]);
        assert!(mine["perf_ind_code"].starts_with(&quantity["perf_ind_code"]));
        assert_eq!(
            (
                mine["computesign"].as_str(),
                mine["kpi_val"].as_str(),
                mine["meterunit"].as_str()
            ),
            ("1", "50", "张")
        );
        assert_eq!(
            (mine["is_common_ind"].as_str(), mine["x_uses"].as_str()),
            ("2", "1")
        );
        assert_eq!(mine["fiscal_year"], "2025");
        assert_eq!(mine["x_field"], "教育");
        // The 共性 indicators come along, marked as such; codes are unique.
        assert!(
            rows.iter()
                .any(|r| r["level_no"] == "3" && r["is_common_ind"] == "1")
        );
        let mut codes: Vec<&str> = rows.iter().map(|r| r["ind_id"].as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), rows.len());
    }

    #[test]
    fn month_ends() {
        assert_eq!(month_end(2024, 2), "2024-02-29");
        assert_eq!(month_end(2023, 7), "2023-07-31");
        assert_eq!(month_end(2023, 13), "");
    }
}
