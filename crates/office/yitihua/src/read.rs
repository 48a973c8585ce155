//! A 一体化 zip read back into forms, bounded: the file size, the number of entries, each
//! entry's and all entries' inflated size ([`Limits`]), and each table's rows, columns and cell
//! lengths. CSV is read as UTF-8 with or without a byte-order mark, or as GB18030 (what Chinese
//! Excel writes for "CSV (逗号分隔)") when it is not UTF-8.

use std::collections::{HashMap, HashSet};

use jixiao_core::form::cell::parse_number;
use jixiao_core::form::monitoring::{
    DeviationCause, Likelihood, MonitoredIndicator, Monitoring, MonitoringFunds, TargetProgress,
};
use jixiao_core::form::{
    CostColumn, CostItem, DeclaredIndicator, DepartmentTarget, Field, Form, Funds, FundsRow,
    IndicatorRow, ManualOverride, OverallTarget, ProjectTarget, Reason, SelfEvaluation, Task,
    TaskBudget,
};
use jixiao_core::grade::Grade;
use jixiao_core::indicator::Layout;
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_grid::Limits;
use jixiao_grid::{BoundedZip, ZipFault};
use rust_decimal::Decimal;

use crate::codes;
use crate::error::{ReadError, ReadErrorKind as Kind};
use crate::tables::{self, TableDef};

/// The most entries a 一体化 zip may have: one per table, and room for a few others (a readme).
pub const MAX_ENTRIES: usize = 64;

/// True when `bytes` is a zip holding at least one 规范表 CSV (`PM_PERF_GOAL_INFO.csv` …). Only
/// the zip's directory is read; Office files (also zips) and zips of documents are not exchanges.
pub fn is_exchange(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK") {
        return false;
    }
    match BoundedZip::open(bytes, usize::MAX, 0, 0) {
        Ok(archive) => archive
            .names()
            .iter()
            .any(|name| tables::by_entry(name).is_some()),
        Err(_) => false,
    }
}

/// Reads the forms of a 一体化 zip (`file` names it in errors), in the order they were written
/// (`x_form_no`), else in table order.
pub fn read(file: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Form>, ReadError> {
    let error = |kind| ReadError {
        file: file.to_string(),
        kind,
    };
    let tables = read_tables(bytes, limits).map_err(error)?;
    build(&tables).map_err(error)
}

/// A table as read: which file column holds each of its columns, and its rows.
struct Table {
    def: &'static TableDef,
    /// For each column of `def`, its position in the file.
    positions: Vec<Option<usize>>,
    /// Rows with their CSV line.
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    fn has(&self, column: &str) -> bool {
        self.def
            .index(column)
            .and_then(|i| self.positions[i])
            .is_some()
    }
}

/// A bounded-zip fault as this reader's error (`entry`: the entry being read, if any).
fn fault(fault: ZipFault, entry: &str) -> Kind {
    match fault {
        ZipFault::TooManyEntries { count, limit } => Kind::TooManyEntries { count, limit },
        ZipFault::Encrypted { entry } => Kind::Encrypted { entry },
        ZipFault::Damaged { entry, reason } => Kind::DamagedEntry { entry, reason },
        ZipFault::EntryTooLarge { entry, limit } => Kind::InflatesTooMuch { entry, limit },
        ZipFault::TotalTooLarge { limit } => Kind::InflatesTooMuch {
            entry: entry.to_string(),
            limit,
        },
        ZipFault::NotZip { reason } | ZipFault::Unsupported { reason } => Kind::NotZip { reason },
    }
}

fn read_tables(bytes: &[u8], limits: &Limits) -> Result<Vec<Table>, Kind> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Kind::FileTooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let mut archive = BoundedZip::open(
        bytes,
        MAX_ENTRIES,
        limits.max_part_bytes,
        limits.max_total_bytes,
    )
    .map_err(|f| fault(f, ""))?;
    let mut out: Vec<Table> = Vec::new();
    for index in 0..archive.len() {
        // Entries that are no table are never opened.
        let Some(name) = archive.name(index) else {
            continue;
        };
        let Some(def) = tables::by_entry(&name) else {
            continue;
        };
        if out.iter().any(|t| t.def.name == def.name) {
            return Err(Kind::DuplicateTable {
                table: def.name.to_string(),
            });
        }
        let body = archive.read(index).map_err(|f| fault(f, &name))?;
        let text = decode(&body).ok_or_else(|| Kind::NotText {
            table: def.name.to_string(),
        })?;
        out.push(parse_csv(def, &text, limits)?);
    }
    if out.is_empty() {
        return Err(Kind::NoTables);
    }
    Ok(out)
}

/// UTF-8 after a byte-order mark; else UTF-8 when valid and holding a character of 3 bytes or
/// more (every Chinese character is); else GB18030 when that reads without error (short Chinese
/// text in GB18030 can pass for UTF-8 of 2-byte letters, `注` for `ע`); else UTF-8. `None` when
/// the bytes are neither.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).ok().map(str::to_string);
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    if let Some(text) = utf8
        && (text.is_ascii() || text.chars().any(|c| c.len_utf8() >= 3))
    {
        return Some(text.to_string());
    }
    let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
    if bad {
        utf8.map(str::to_string)
    } else {
        Some(text.into_owned())
    }
}

fn parse_csv(def: &'static TableDef, text: &str, limits: &Limits) -> Result<Table, Kind> {
    let table = || def.name.to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let csv_error = |e: csv::Error| Kind::Csv {
        table: table(),
        line: e.position().map_or(0, csv::Position::line),
        reason: e.to_string(),
    };
    let header = match records.next() {
        Some(r) => r.map_err(csv_error)?,
        None => {
            return Err(Kind::Csv {
                table: table(),
                line: 1,
                reason: "文件为空，没有表头行".into(),
            });
        }
    };
    if header.len() > limits.max_cols {
        return Err(Kind::TooBig {
            table: table(),
            what: "列数",
            limit: limits.max_cols,
        });
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let positions = def
        .columns
        .iter()
        .map(|c| names.iter().position(|n| n == c))
        .collect();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            return Err(Kind::Csv {
                table: table(),
                line,
                reason: format!("这一行有{}个单元格，表头有{}列", record.len(), header.len()),
            });
        }
        if rows.len() >= limits.max_rows {
            return Err(Kind::TooBig {
                table: table(),
                what: "行数",
                limit: limits.max_rows,
            });
        }
        if record
            .iter()
            .any(|c| c.chars().count() > limits.max_text_chars)
        {
            return Err(Kind::TooBig {
                table: table(),
                what: "单元格字数",
                limit: limits.max_text_chars,
            });
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(Table {
        def,
        positions,
        rows,
    })
}

/// One row being read, cell by column name; errors name its table, line and column.
struct Rec<'a> {
    table: &'a Table,
    line: u64,
    cells: &'a [String],
    empties: Vec<&'a str>,
}

impl<'a> Rec<'a> {
    fn new(table: &'a Table, line: u64, cells: &'a [String]) -> Rec<'a> {
        let mut rec = Rec {
            table,
            line,
            cells,
            empties: Vec::new(),
        };
        rec.empties = rec
            .get("x_empty")
            .split([' ', ',', '，'])
            .filter(|s| !s.is_empty())
            .collect();
        rec
    }

    /// The cell of `column`; empty when the file has no such column.
    fn get(&self, column: &str) -> &'a str {
        self.table
            .def
            .index(column)
            .and_then(|i| self.table.positions[i])
            .and_then(|p| self.cells.get(p))
            .map_or("", String::as_str)
    }

    fn text(&self, column: &str) -> String {
        self.get(column).to_string()
    }

    /// Optional text: an empty cell is none, unless `x_empty` lists the column.
    fn opt_text(&self, column: &str) -> Option<String> {
        let v = self.get(column);
        if !v.is_empty() || self.empties.contains(&column) {
            Some(v.to_string())
        } else {
            None
        }
    }

    fn cell_error(&self, column: &str, reason: String) -> Kind {
        Kind::Cell {
            table: self.table.def.name.to_string(),
            line: self.line,
            column: column.to_string(),
            reason,
        }
    }

    /// A score, weight or rate: a plain number, bounded as forms bound them.
    fn decimal(&self, column: &str) -> Result<Option<Decimal>, Kind> {
        let v = self.get(column);
        if v.trim().is_empty() {
            return Ok(None);
        }
        parse_number(v, &[]).map_err(|e| self.cell_error(column, e.to_string()))
    }

    /// An amount: the one as written in `as_written` when given, else the 万元 number.
    fn amount(&self, column: &str, as_written: &str) -> Result<Option<Amount>, Kind> {
        for (col, unit) in [(as_written, None), (column, Some(MoneyUnit::Wan))] {
            let v = self.get(col);
            if !v.trim().is_empty() {
                return Amount::parse(v, unit)
                    .map(Some)
                    .map_err(|e| self.cell_error(col, e.to_string()));
            }
        }
        Ok(None)
    }

    fn year(&self) -> Result<Option<u16>, Kind> {
        let v = self.get("fiscal_year").trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<u16>()
            .map(Some)
            .map_err(|_| self.cell_error("fiscal_year", format!("“{v}”不是年度（如 2024）")))
    }

    fn form_no(&self) -> Result<Option<u64>, Kind> {
        let v = self.get("x_form_no").trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<u64>()
            .map(Some)
            .map_err(|_| self.cell_error("x_form_no", format!("“{v}”不是序号")))
    }

    fn layout(&self) -> Result<Layout, Kind> {
        let v = self.get("x_layout").trim();
        if v.is_empty() {
            return Ok(Layout::default());
        }
        serde_json::from_value(serde_json::Value::String(v.to_string())).map_err(|_| {
            self.cell_error(
                "x_layout",
                format!("“{v}”不是指标体系（可用：mof88、mof101）"),
            )
        })
    }

    /// The id linking the row to its form: `x_form_id`, else the standard key columns.
    fn link(&self, fallback: &[&str]) -> Result<String, Kind> {
        let id = if self.table.has("x_form_id") && !self.get("x_form_id").trim().is_empty() {
            self.get("x_form_id").trim().to_string()
        } else {
            fallback
                .iter()
                .map(|c| self.get(c).trim())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join("|")
        };
        if id.is_empty() {
            return Err(self.cell_error(
                "x_form_id",
                format!(
                    "为空，无法确定这一行属于哪张表单（也没有 {}）",
                    fallback.join("、")
                ),
            ));
        }
        Ok(id)
    }

    /// The indicator's 一级, 二级, 三级 and 指标值: as printed when the extension columns are
    /// there, else from the standard ones.
    fn indicator(&self) -> (String, String, String, String) {
        let pick = |ext: &str, std: &str| {
            if self.table.has(ext) {
                self.text(ext)
            } else {
                self.text(std)
            }
        };
        (
            pick("x_kpi_lv1_name", "kpi_lv1"),
            pick("x_kpi_lv2_name", "kpi_lv2"),
            self.text("kpi_lv3"),
            self.target(),
        )
    }

    fn target(&self) -> String {
        if self.table.has("x_kpi_val_text") {
            self.text("x_kpi_val_text")
        } else {
            codes::join_value(
                self.get("computesign"),
                self.get("kpi_val"),
                self.get("meterunit"),
            )
        }
    }

    fn orphan(&self, id: &str) -> Kind {
        Kind::Orphan {
            table: self.table.def.name.to_string(),
            line: self.line,
            column: "x_form_id".into(),
            id: id.to_string(),
        }
    }

    fn duplicate(&self, id: &str) -> Kind {
        Kind::Duplicate {
            table: self.table.def.name.to_string(),
            line: self.line,
            column: "x_form_id".into(),
            id: id.to_string(),
        }
    }
}

const PM_KEY: &[&str] = &["kpi_per_id"];
const BGT_KEY: &[&str] = &["kpi_dep_id"];
const PAY_KEY: &[&str] = &["perf_task_no"];
const SELF_KEY: &[&str] = &["pro_code", "dept_code", "fiscal_year"];

/// The forms read so far, by id.
#[derive(Default)]
struct Forms {
    entries: Vec<(Option<u64>, Form)>,
    ids: HashMap<String, usize>,
}

impl Forms {
    fn add(&mut self, rec: &Rec, id: String, form: Form) -> Result<(), Kind> {
        if self.ids.contains_key(&id) {
            return Err(rec.duplicate(&id));
        }
        self.ids.insert(id, self.entries.len());
        self.entries.push((rec.form_no()?, form));
        Ok(())
    }

    fn get(&mut self, rec: &Rec, id: &str) -> Result<&mut Form, Kind> {
        match self.ids.get(id) {
            Some(&i) => Ok(&mut self.entries[i].1),
            None => Err(rec.orphan(id)),
        }
    }
}

fn build(tables: &[Table]) -> Result<Vec<Form>, Kind> {
    let mut forms = Forms::default();
    let of = |def: &TableDef| tables.iter().find(|t| t.def.name == def.name);
    let rows = |def: &TableDef| {
        of(def).into_iter().flat_map(|t| {
            t.rows
                .iter()
                .map(move |(line, cells)| Rec::new(t, *line, cells))
        })
    };

    for rec in rows(&tables::PM_PERF_GOAL_INFO) {
        let form = ProjectTarget {
            year: rec.year()?,
            project_name: rec.text("x_pro_name"),
            unit: rec.text("x_unit"),
            layout: rec.layout()?,
            other_fields: Vec::new(),
            funds_total: rec.amount("x_funds_total", "x_funds_total_as_written")?,
            funds_fiscal: rec.amount("x_funds_fiscal", "x_funds_fiscal_as_written")?,
            funds_other: rec.amount("x_funds_other", "x_funds_other_as_written")?,
            medium_term_target: rec.opt_text("x_medium_term_target"),
            annual_target: rec.text("kpi_target"),
            indicators: Vec::new(),
            stated_total_weight: rec.decimal("x_stated_total_weight")?,
            cost_columns: Vec::new(),
        };
        forms.add(&rec, rec.link(PM_KEY)?, Form::ProjectTarget(form))?;
    }
    for rec in rows(&tables::BGT_PERF_GOAL_INFO) {
        let form = DepartmentTarget {
            year: rec.year()?,
            department: rec.text("x_dept_name"),
            layout: rec.layout()?,
            other_fields: Vec::new(),
            funds_total: rec.amount("x_funds_total", "x_funds_total_as_written")?,
            funds_fiscal: rec.amount("x_funds_fiscal", "x_funds_fiscal_as_written")?,
            funds_other: rec.amount("x_funds_other", "x_funds_other_as_written")?,
            basic_expenditure: rec
                .amount("x_basic_expenditure", "x_basic_expenditure_as_written")?,
            project_expenditure: rec
                .amount("x_project_expenditure", "x_project_expenditure_as_written")?,
            duties: rec.text("x_duties"),
            tasks: Vec::new(),
            stated_tasks_total: None,
            annual_target: rec.text("kpi_target"),
            indicators: Vec::new(),
        };
        forms.add(&rec, rec.link(BGT_KEY)?, Form::DepartmentTarget(form))?;
    }
    for rec in rows(&tables::PAY_PERF_MONITOR_TASK) {
        let month = rec.get("x_period_end_month").trim();
        let period_end_month = if month.is_empty() {
            7
        } else {
            month.parse::<u8>().map_err(|_| {
                rec.cell_error("x_period_end_month", format!("“{month}”不是月份（如 7）"))
            })?
        };
        let form = Monitoring {
            year: rec.year()?,
            project_name: rec.text("x_pro_name"),
            competent_department: rec.opt_text("x_competent_department"),
            implementing_unit: rec.opt_text("x_implementing_unit"),
            layout: rec.layout()?,
            other_fields: Vec::new(),
            period_end_month,
            funds: Vec::new(),
            overall_target: TargetProgress {
                target: rec.text("x_goal_target"),
                progress: rec.text("x_goal_progress"),
            },
            indicators: Vec::new(),
            problems: rec.opt_text("x_problems"),
            measures: rec.opt_text("x_measures"),
        };
        forms.add(&rec, rec.link(PAY_KEY)?, Form::Monitoring(form))?;
    }
    for rec in rows(&tables::PM_PERF_SELF_EVAL) {
        let grade = match rec.get("x_stated_grade").trim() {
            "" => None,
            g => Some(Grade::parse(g).ok_or_else(|| {
                rec.cell_error("x_stated_grade", format!("“{g}”不是等级（优、良、中、差）"))
            })?),
        };
        let form = SelfEvaluation {
            year: rec.year()?,
            name: rec.text("x_name"),
            competent_department: rec.opt_text("x_competent_department"),
            implementing_unit: rec.opt_text("x_implementing_unit"),
            layout: rec.layout()?,
            other_fields: Vec::new(),
            funds: Funds {
                rows: Vec::new(),
                weight: rec.decimal("x_funds_weight")?,
                stated_rate: rec.decimal("x_funds_stated_rate")?,
                stated_score: rec.decimal("x_funds_stated_score")?,
            },
            overall_target: OverallTarget::default(),
            indicators: Vec::new(),
            stated_total_weight: rec.decimal("x_stated_total_weight")?,
            stated_total: rec.decimal("total_eval_value")?,
            stated_grade: grade,
            notes: Vec::new(),
        };
        let form = match rec.get("x_form_kind").trim() {
            "project_self_evaluation" => Form::ProjectSelfEvaluation(form),
            "department_self_evaluation" => Form::DepartmentSelfEvaluation(form),
            "" if !rec.get("pro_code").trim().is_empty() => Form::ProjectSelfEvaluation(form),
            "" => Form::DepartmentSelfEvaluation(form),
            other => {
                return Err(rec.cell_error(
                    "x_form_kind",
                    format!(
                        "“{other}”不是自评表类型（可用：project_self_evaluation、department_self_evaluation）"
                    ),
                ));
            }
        };
        forms.add(&rec, rec.link(SELF_KEY)?, form)?;
    }

    for (def, key) in [
        (&tables::PM_PERF_INDICATOR, PM_KEY),
        (&tables::BGT_PERF_INDICATOR, BGT_KEY),
    ] {
        for rec in rows(def) {
            let id = rec.link(key)?;
            let (level1, level2, name, target) = rec.indicator();
            let indicator = DeclaredIndicator {
                level1,
                level2,
                name,
                target,
                weight: rec.decimal("x_weight")?,
            };
            match (forms.get(&rec, &id)?, def.name) {
                (Form::ProjectTarget(f), "PM_PERF_INDICATOR") => f.indicators.push(indicator),
                (Form::DepartmentTarget(f), "BGT_PERF_INDICATOR") => f.indicators.push(indicator),
                _ => return Err(rec.orphan(&id)),
            }
        }
    }
    // A cost build-up: rows in order, a column opened by its number, closed by its 合计.
    for rec in rows(&tables::X_PM_PERF_COST) {
        let id = rec.link(PM_KEY)?;
        let number = rec.get("x_column_no").trim().to_string();
        let label = rec.text("x_column");
        let amount = rec.amount("x_amt", "x_amt_as_written")?;
        let is_total = rec.get("x_is_total").trim() == "1";
        let Form::ProjectTarget(f) = forms.get(&rec, &id)? else {
            return Err(rec.orphan(&id));
        };
        let wanted: usize = number.parse().map_err(|_| {
            rec.cell_error("x_column_no", format!("“{number}”不是列序号（1、2、3 …）"))
        })?;
        if wanted == f.cost_columns.len() + 1 {
            f.cost_columns.push(CostColumn {
                label,
                items: Vec::new(),
                total: None,
            });
        } else if wanted != f.cost_columns.len() {
            return Err(rec.cell_error(
                "x_column_no",
                format!(
                    "列序号“{number}”不接续（应为 {} 或 {}）",
                    f.cost_columns.len(),
                    f.cost_columns.len() + 1
                ),
            ));
        }
        let Some(column) = f.cost_columns.last_mut() else {
            return Err(rec.cell_error("x_column_no", "列序号应从 1 开始".to_string()));
        };
        if is_total {
            column.total = amount;
        } else {
            column.items.push(CostItem {
                name: rec.text("x_item"),
                amount,
            });
        }
    }
    let mut totals = HashSet::new();
    for rec in rows(&tables::X_BGT_PERF_TASK) {
        let id = rec.link(BGT_KEY)?;
        let budget = TaskBudget {
            total: rec.amount("x_total_amt", "x_total_amt_as_written")?,
            fiscal: rec.amount("x_fiscal_amt", "x_fiscal_amt_as_written")?,
            other: rec.amount("x_other_amt", "x_other_amt_as_written")?,
        };
        let is_total = rec.get("x_is_total").trim() == "1";
        let Form::DepartmentTarget(f) = forms.get(&rec, &id)? else {
            return Err(rec.orphan(&id));
        };
        if is_total {
            if !totals.insert(id.clone()) {
                return Err(rec.duplicate(&id));
            }
            f.stated_tasks_total = Some(budget);
        } else {
            f.tasks.push(Task {
                name: rec.text("x_task_name"),
                content: rec.text("x_task_content"),
                budget,
            });
        }
    }
    for rec in rows(&tables::PAY_PERF_MONITOR_INFO) {
        let id = rec.link(PAY_KEY)?;
        let likelihood = match rec.get("complete_rate").trim() {
            "" => None,
            t => Some(Likelihood::parse(t).ok_or_else(|| {
                rec.cell_error(
                    "complete_rate",
                    format!("“{t}”不是完成目标可能性（确定能、有可能、完全不可能）"),
                )
            })?),
        };
        let cause = match rec.get("x_dev_cause").trim() {
            "" => None,
            t => Some(DeviationCause::parse(t).ok_or_else(|| {
                rec.cell_error(
                    "x_dev_cause",
                    format!(
                        "“{t}”不是偏差原因类别（经费保障、制度保障、人员保障、硬件条件保障、其他）"
                    ),
                )
            })?),
        };
        let indicator = MonitoredIndicator {
            level1: rec.text("lv1_perf_ind_name"),
            level2: rec.text("lv2_perf_ind_name"),
            name: rec.text("lv3_perf_ind_name"),
            target: rec.target(),
            progress: rec.text("perf_comp"),
            expected_year_end: rec.text("est_perf_annual"),
            likelihood,
            cause,
            deviation_reason: rec.opt_text("ana_dev_reasons"),
            note: rec.opt_text("x_note"),
        };
        let Form::Monitoring(f) = forms.get(&rec, &id)? else {
            return Err(rec.orphan(&id));
        };
        f.indicators.push(indicator);
    }
    let source = |rec: &Rec| {
        let code = rec.get("found_type_code").trim();
        codes::fund_source(code).ok_or_else(|| {
            rec.cell_error(
                "found_type_code",
                format!(
                    "“{code}”不是资金来源代码（1 年度资金总额、2 当年财政拨款、3 上年结转资金、4 其他资金）"
                ),
            )
        })
    };
    for rec in rows(&tables::X_PAY_PERF_MONITOR_BGT) {
        let id = rec.link(PAY_KEY)?;
        let funds = MonitoringFunds {
            source: source(&rec)?,
            initial_budget: rec.amount("reply_amt", "x_reply_amt_as_written")?,
            adjusted_budget: rec.amount("cur_amt", "x_cur_amt_as_written")?,
            executed: rec.amount("pro_bgt_comp", "x_pro_bgt_comp_as_written")?,
            expected_year_end: rec
                .amount("est_pro_bgt_annual", "x_est_pro_bgt_annual_as_written")?,
        };
        let Form::Monitoring(f) = forms.get(&rec, &id)? else {
            return Err(rec.orphan(&id));
        };
        f.funds.push(funds);
    }

    let mut goals = HashSet::new();
    for rec in rows(&tables::PM_SELF_EVAL_GOAL) {
        let id = rec.link(SELF_KEY)?;
        let target = OverallTarget {
            expected: rec.text("kpi_target"),
            actual: rec.text("goal_comp"),
        };
        let f = self_evaluation(forms.get(&rec, &id)?).ok_or_else(|| rec.orphan(&id))?;
        if !goals.insert(id.clone()) {
            return Err(rec.duplicate(&id));
        }
        f.overall_target = target;
    }
    for rec in rows(&tables::PM_SELF_EVAL_INDICATOR) {
        let id = rec.link(SELF_KEY)?;
        let (level1, level2, name, target) = rec.indicator();
        let override_score = rec.decimal("x_override_score")?;
        let override_reason = rec.get("x_override_reason");
        let manual_override = match (override_score, override_reason.trim().is_empty()) {
            (None, true) => None,
            (Some(score), false) => Some(ManualOverride {
                score,
                reason: Reason::parse(override_reason)
                    .map_err(|e| rec.cell_error("x_override_reason", e.to_string()))?,
            }),
            (None, false) => {
                return Err(rec.cell_error("x_override_score", "人工改分缺少分数".into()));
            }
            (Some(_), true) => {
                return Err(rec.cell_error("x_override_reason", "人工改分缺少理由".into()));
            }
        };
        let not_applicable = match rec.get("x_not_applicable") {
            t if t.trim().is_empty() => None,
            t => Some(
                Reason::parse(t).map_err(|e| rec.cell_error("x_not_applicable", e.to_string()))?,
            ),
        };
        let row = IndicatorRow {
            level1,
            level2,
            name,
            target,
            actual: rec.text("ind_comp"),
            weight: rec.decimal("ind_weight")?,
            score: rec.decimal("eval_score")?,
            item_score: rec.decimal("x_item_score")?,
            deviation_reason: rec.opt_text("devi_analy"),
            not_applicable,
            manual_override,
        };
        let f = self_evaluation(forms.get(&rec, &id)?).ok_or_else(|| rec.orphan(&id))?;
        f.indicators.push(row);
    }
    for rec in rows(&tables::PM_PERF_SELF_BGT) {
        let id = rec.link(SELF_KEY)?;
        let row = FundsRow {
            source: source(&rec)?,
            label: rec.opt_text("x_label"),
            initial_budget: rec.amount("reply_amt", "x_reply_amt_as_written")?,
            full_year_budget: rec.amount("cur_amt", "x_cur_amt_as_written")?,
            executed: rec.amount("year_exe_amt", "x_year_exe_amt_as_written")?,
        };
        let f = self_evaluation(forms.get(&rec, &id)?).ok_or_else(|| rec.orphan(&id))?;
        f.funds.rows.push(row);
    }
    for rec in rows(&tables::X_PM_SELF_EVAL_NOTE) {
        let id = rec.link(SELF_KEY)?;
        let note = rec.text("x_note");
        let f = self_evaluation(forms.get(&rec, &id)?).ok_or_else(|| rec.orphan(&id))?;
        f.notes.push(note);
    }
    for rec in rows(&tables::X_PERF_FORM_FIELD) {
        let id = rec.link(&[])?;
        let field = Field {
            label: rec.text("x_label"),
            value: rec.text("x_value"),
        };
        match forms.get(&rec, &id)? {
            Form::ProjectTarget(f) => f.other_fields.push(field),
            Form::DepartmentTarget(f) => f.other_fields.push(field),
            Form::Monitoring(f) => f.other_fields.push(field),
            Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
                f.other_fields.push(field);
            }
            _ => return Err(rec.orphan(&id)),
        }
    }

    let mut entries: Vec<(usize, Option<u64>, Form)> = forms
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, (no, form))| (i, no, form))
        .collect();
    entries.sort_by_key(|(i, no, _)| (no.unwrap_or(u64::MAX), *i));
    Ok(entries.into_iter().map(|(_, _, form)| form).collect())
}

fn self_evaluation(form: &mut Form) -> Option<&mut SelfEvaluation> {
    match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => Some(f),
        _ => None,
    }
}
