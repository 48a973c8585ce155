//! Reading a posted page back into its form: every field that cannot be read is an error naming
//! the field; fields the page does not show keep their stored values.

use jixiao_core::form::Form;
use jixiao_core::form::cell::parse_number;
use jixiao_core::money::{Amount, MoneyUnit};
use rust_decimal::Decimal;

use super::{Fields, declaration, ex_ante, monitoring, report, self_evaluation, transfer};

/// A field that could not be read, with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The posted fields being read, and the fields that could not be.
pub(super) struct Reader<'a> {
    fields: &'a Fields,
    errors: Vec<FieldError>,
}

impl Reader<'_> {
    pub(super) fn text(&self, path: &str) -> Option<String> {
        self.fields.get(path).map(|v| v.trim().to_string())
    }

    pub(super) fn set_text(&self, path: &str, into: &mut String) {
        if let Some(v) = self.text(path) {
            *into = v;
        }
    }

    pub(super) fn set_opt_text(&self, path: &str, into: &mut Option<String>) {
        if let Some(v) = self.text(path) {
            *into = (!v.is_empty()).then_some(v);
        }
    }

    /// Notes that the field at `path` could not be read: the message names the field as users
    /// know it (「资金总额：金额“28七abc”不是金额」), the path stays for the link to the input.
    pub(super) fn fail(&mut self, path: &str, message: String) {
        self.errors.push(FieldError {
            path: path.to_string(),
            message: format!("{}：{message}", jixiao_record::field::label(path)),
        });
    }

    pub(super) fn set_money(&mut self, path: &str, into: &mut Option<Amount>) {
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

    pub(super) fn set_number(&mut self, path: &str, suffixes: &[char], into: &mut Option<Decimal>) {
        let Some(v) = self.text(path) else { return };
        match parse_number(&v, suffixes) {
            Ok(d) => *into = d,
            Err(e) => self.fail(path, e.to_string()),
        }
    }

    pub(super) fn set_year(&mut self, into: &mut Option<u16>) {
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
    pub(super) fn rows(&self, prefix: &str) -> usize {
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
            self_evaluation::apply(&mut r, s, op);
        }
        Form::ProjectTarget(d) => declaration::apply_project(&mut r, d, op),
        Form::DepartmentTarget(d) => declaration::apply_department(&mut r, d, op),
        Form::Monitoring(m) => monitoring::apply(&mut r, m, op),
        Form::Report(rep) => report::apply(&mut r, rep, op),
        Form::TransferPayment(t) => transfer::apply(&mut r, t, op),
        Form::ExAnteAssessment(a) => ex_ante::apply(&mut r, a, op),
        _ => {}
    }
    if r.errors.is_empty() {
        Ok(form)
    } else {
        Err(r.errors)
    }
}

/// Adds a row after row `k` (made from it by `blank_after`) or deletes row `k` (never the last).
pub(super) fn edit_rows<T>(rows: &mut Vec<T>, op: RowOp, blank_after: impl Fn(&T) -> T) {
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
