//! [`FormRow`]: what the pages and the API show of a stored form in a list or a header, typed.
//! The store keeps kinds, stages, lights and figures as text; a row is read into this type at
//! the app's door, and a value the system does not know is a corrupt row (an error naming the
//! form and the value), never a blank or a guess.

use std::str::FromStr;

use jixiao_core::grade::Grade;
use jixiao_core::monitor::Light;
use jixiao_store::StoreError;
use jixiao_store::forms::FormListRow;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use jixiao_record::kind::FormKind;
use jixiao_record::workflow::Stage;

/// A stored form without its content: who, which year, what kind, where in the workflow, and
/// the figures computed when it was last saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormRow {
    /// Id.
    pub id: i64,
    /// The unit it belongs to.
    pub org_id: i64,
    /// The fiscal year.
    pub year: i64,
    /// The project, for project forms.
    pub project_id: Option<i64>,
    /// Its kind.
    pub kind: FormKind,
    /// Project or department name.
    pub name: String,
    /// Where it is in the workflow.
    pub stage: Stage,
    /// Version, from 1.
    pub version: i64,
    /// The computed total (self-evaluations).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub total: Option<Decimal>,
    /// The grade of the computed total.
    #[serde(serialize_with = "grade_name")]
    pub grade: Option<Grade>,
    /// Audit errors.
    pub errors: i64,
    /// Audit warnings.
    pub warnings: i64,
    /// The 运行监控 light of a monitoring form.
    pub light: Option<Light>,
    /// The computed execution rate as a fraction (`0.843`), for self-evaluations.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub rate: Option<Decimal>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last changed (Unix ms).
    pub updated_at: i64,
}

/// A grade as its name (`优`), the way the forms print it.
fn grade_name<S: Serializer>(grade: &Option<Grade>, s: S) -> Result<S::Ok, S::Error> {
    match grade {
        Some(g) => s.serialize_some(g.name()),
        None => s.serialize_none(),
    }
}

/// The stage of a stored form; a stage the system does not know is a corrupt row.
pub fn stage_of(row: &FormListRow) -> Result<Stage, StoreError> {
    Stage::from_code(&row.stage)
        .ok_or_else(|| StoreError::Corrupt(format!("表单 {} 的阶段“{}”", row.id, row.stage)))
}

/// The kind of a stored form; a kind the system does not know is a corrupt row, never taken
/// for another kind.
pub fn kind_of(row: &FormListRow) -> Result<FormKind, StoreError> {
    FormKind::parse(&row.kind)
        .map_err(|e| StoreError::Corrupt(format!("表单 {} 的类型：{e}", row.id)))
}

impl FormRow {
    /// The typed row of a stored one; a value the system does not know is a corrupt row.
    pub fn of(row: &FormListRow) -> Result<FormRow, StoreError> {
        let corrupt = |what: &str, value: &str| {
            StoreError::Corrupt(format!("表单 {} 的{what}“{value}”无法识别", row.id))
        };
        let decimal = |what: &str, text: &Option<String>| {
            text.as_deref()
                .map(|t| Decimal::from_str(t).map_err(|_| corrupt(what, t)))
                .transpose()
        };
        Ok(FormRow {
            id: row.id,
            org_id: row.org_id,
            year: row.year,
            project_id: row.project_id,
            kind: kind_of(row)?,
            name: row.name.clone(),
            stage: stage_of(row)?,
            version: row.version,
            total: decimal("总分", &row.total)?,
            grade: row
                .grade
                .as_deref()
                .map(|g| Grade::parse(g).ok_or_else(|| corrupt("等级", g)))
                .transpose()?,
            errors: row.errors,
            warnings: row.warnings,
            light: row
                .light
                .as_deref()
                .map(|l| Light::from_code(l).ok_or_else(|| corrupt("预警灯", l)))
                .transpose()?,
            rate: decimal("执行率", &row.rate)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// Typed rows of stored ones, in order; the first corrupt one is the error.
    pub fn all(rows: &[FormListRow]) -> Result<Vec<FormRow>, StoreError> {
        rows.iter().map(FormRow::of).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> FormListRow {
        FormListRow {
            id: 7,
            org_id: 3,
            year: 2022,
            project_id: Some(2),
            kind: "project_self_evaluation".into(),
            name: "日常运转经费".into(),
            stage: "submitted".into(),
            version: 4,
            total: Some("89.48".into()),
            grade: Some("良".into()),
            errors: 2,
            warnings: 1,
            light: None,
            rate: Some("0.8430".into()),
            codes: None,
            created_at: 1,
            updated_at: 2,
        }
    }

    #[test]
    fn a_stored_row_reads_typed_and_serialises_as_the_codes() {
        let row = FormRow::of(&stored()).expect("typed");
        assert_eq!(row.kind, FormKind::ProjectSelfEvaluation);
        assert_eq!(row.stage, Stage::Submitted);
        assert_eq!(row.total, Some(Decimal::new(8948, 2)));
        assert_eq!(row.grade, Some(Grade::Good));
        let json = serde_json::to_value(&row).expect("JSON");
        assert_eq!(json["kind"], "project_self_evaluation");
        assert_eq!(json["stage"], "submitted");
        assert_eq!(json["total"], "89.48");
        assert_eq!(json["grade"], "良");
    }

    #[test]
    fn the_voided_stage_is_the_one_lists_leave_out() {
        assert_eq!(Stage::Voided.code(), jixiao_store::forms::VOIDED);
    }

    #[test]
    fn an_unknown_value_is_a_corrupt_row_naming_it() {
        for (field, value) in [("kind", "budget"), ("stage", "lost"), ("total", "九十")] {
            let mut row = stored();
            match field {
                "kind" => row.kind = value.into(),
                "stage" => row.stage = value.into(),
                _ => row.total = Some(value.into()),
            }
            let e = FormRow::of(&row).expect_err(field).to_string();
            assert!(e.contains(value) && e.contains("表单 7"), "{e}");
        }
    }
}
