//! # jixiao-edit
//!
//! The forms as the browser edits them: each form type laid out as its paper form (rows of
//! cells, some spanning), every input named by its JSON field path (`indicators[3].actual`),
//! computed cells shaded with ids the live preview replaces, and findings next to their field.
//!
//! [`layout`] builds the grid of a form; [`apply`] reads a posted HTML form back into the typed
//! form, starting from the stored one so fields the page does not show are kept. Each form
//! type's layout and reading live side by side in its own module, so a field added to one is
//! seen added to the other.

mod declaration;
mod ex_ante;
mod monitoring;
mod read;
mod report;
mod self_evaluation;
mod transfer;

use std::collections::HashMap;

use jixiao_core::form::Form;
use jixiao_core::money::{Amount, MoneyUnit};
use jixiao_figures::assess::Assessment;
use rust_decimal::Decimal;

pub use declaration::{add_indicator, note_last_year};
pub use read::{FieldError, RowOp, apply};

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
    /// A note under the input (an amount converted to 万元, with the original).
    pub note: Option<String>,
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
    /// Marks the inputs of fields read uncertainly from a scan: (path, text as read,
    /// confidence). The mark sits beside the field, like a finding.
    pub fn mark_readings(&mut self, readings: &[(String, String, u8)]) {
        for input in self
            .tables
            .iter_mut()
            .flat_map(|t| t.rows.iter_mut().flatten())
            .filter_map(|c| c.input.as_mut())
        {
            for (path, text, confidence) in readings.iter().filter(|r| r.0 == input.name) {
                let _ = path;
                input.findings.push(format!(
                    "扫描识别待核对：原件读作“{text}”（把握{confidence}%），请与原件核对"
                ));
            }
        }
    }

    /// Adds `note` under the input of `path` (beside any note it has).
    pub fn note(&mut self, path: &str, note: String) {
        for input in self
            .tables
            .iter_mut()
            .flat_map(|t| t.rows.iter_mut().flatten())
            .filter_map(|c| c.input.as_mut())
            .filter(|i| i.name == path)
        {
            input.note = Some(match input.note.take() {
                Some(before) => format!("{before}；{note}"),
                None => note.clone(),
            });
        }
    }

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
    /// Amounts the form states in another unit than 万元, by field path: shown in 万元 with
    /// the original beside them.
    converted: HashMap<String, String>,
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
            .filter(|f| *f.location.file == *path || *f.location.file == *alt)
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
                note: self
                    .converted
                    .get(path)
                    .map(|original| format!("原表为{original}，已换算为万元")),
            }),
            colspan: 1,
            rowspan: 1,
            class: "field",
            ..Cell::default()
        }
    }

    /// Inputs for the fields of one row: `{prefix}.{field}` for each (field, value, label,
    /// multiline).
    fn row_inputs<'f>(
        &self,
        prefix: &str,
        fields: impl IntoIterator<Item = (&'f str, String, &'f str, bool)>,
    ) -> Vec<Cell> {
        fields
            .into_iter()
            .map(|(field, value, label, multiline)| {
                self.input(&format!("{prefix}.{field}"), value, label, multiline)
            })
            .collect()
    }

    /// A label and an amount input for each (caption, field, amount), side by side.
    fn money_cells<'f>(
        &self,
        items: impl IntoIterator<Item = (&'f str, &'f str, Option<&'f Amount>)>,
    ) -> Vec<Cell> {
        items
            .into_iter()
            .flat_map(|(caption, field, amount)| {
                let name = caption.trim_start_matches("其中：");
                [
                    label(caption),
                    self.input(field, money(amount), name, false),
                ]
            })
            .collect()
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

/// An amount as the form's 万元 header reads it: `9.40`, and `387664.62元` as `38.766462`
/// (exact; the input's note says it was converted).
fn money(a: Option<&Amount>) -> String {
    match a {
        None => String::new(),
        Some(a) if a.unit() == MoneyUnit::Wan => a.value().to_string(),
        Some(a) => a
            .to_unit(MoneyUnit::Wan)
            .map_or_else(|| a.as_written(), |w| w.value().normalize().to_string()),
    }
}

/// The amounts of `form` written in another unit than 万元: (field path, as written).
fn converted_amounts(form: &Form) -> HashMap<String, String> {
    fn walk(path: &str, v: &serde_json::Value, out: &mut HashMap<String, String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(&p, x, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), x, out);
                }
            }
            serde_json::Value::String(text) if text.ends_with('元') && !text.ends_with("万元") => {
                if let Ok(a) = Amount::parse(text, None)
                    && a.unit() != MoneyUnit::Wan
                {
                    out.insert(path.to_string(), text.clone());
                }
            }
            _ => {}
        }
    }
    let mut out = HashMap::new();
    if let Ok(v) = serde_json::to_value(form) {
        walk("", &v, &mut out);
    }
    out
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
        converted: converted_amounts(form),
    };
    let tables = match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            self_evaluation::layout(&mut b, s, assessment.scored.as_ref())
        }
        Form::ProjectTarget(d) => declaration::project_layout(&b, d),
        Form::DepartmentTarget(d) => declaration::department_layout(&b, d),
        Form::Monitoring(m) => monitoring::layout(&mut b, m, assessment.monitor.as_ref()),
        Form::Report(r) => report::layout(&b, r),
        Form::TransferPayment(t) => transfer::layout(&mut b, t),
        Form::ExAnteAssessment(a) => ex_ante::layout(&mut b, a, assessment.ex_ante.as_ref()),
        _ => Vec::new(),
    };
    (Grid { tables }, b.calcs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::scoring::ScoringPolicy;
    use jixiao_figures::assess::assess;

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
            include_str!("../../../../testdata/forms/seed001-daily-operations.json"),
            include_str!("../../../../testdata/forms/seed003-department.json"),
            include_str!("../../../../testdata/forms/seed000-project-target.json"),
            include_str!("../../../../testdata/forms/seed000-department-target.json"),
            include_str!("../../../../testdata/forms/monitoring-example.json"),
            include_str!("../../../../testdata/forms/transfer-example.json"),
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
            "../../../../testdata/forms/seed001-daily-operations.json"
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
            "../../../../testdata/forms/seed001-daily-operations.json"
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
