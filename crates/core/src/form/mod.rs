//! The typed documents of the performance cycle and their JSON form.
//!
//! A [`Form`] is what a paper form *states*, cell by cell, typed: money as [`crate::money::Amount`],
//! scores as exact decimals, 指标值 as written. Nothing here is computed; scoring and audit read
//! forms and produce their own results. The JSON form is documented in `docs/forms.md`.

pub mod cell;
mod declaration;
mod self_eval;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

pub use declaration::{DeclaredIndicator, DepartmentTarget, ProjectTarget, Task, TaskBudget};
pub use self_eval::{
    FundSource, Funds, FundsRow, IndicatorRow, ManualOverride, OverallTarget, SelfEvaluation,
};

/// Any form Jixiao knows, tagged by `"form"` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Form {
    /// 项目支出绩效目标申报表.
    ProjectTarget(ProjectTarget),
    /// 部门整体支出绩效目标申报表.
    DepartmentTarget(DepartmentTarget),
    /// 项目支出绩效自评表.
    ProjectSelfEvaluation(SelfEvaluation),
    /// 部门整体支出绩效自评表.
    DepartmentSelfEvaluation(SelfEvaluation),
}

impl Form {
    /// Reads a form from its JSON. Errors say where (`indicators[3].score`) and what.
    pub fn from_json(text: &str) -> Result<Form, FormError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            FormError {
                path,
                line: inner.line(),
                column: inner.column(),
                message: inner.to_string(),
            }
        })
    }

    /// The form as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain data to a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The form's official title.
    pub fn title(&self) -> &'static str {
        match self {
            Form::ProjectTarget(_) => "项目支出绩效目标申报表",
            Form::DepartmentTarget(_) => "部门整体支出绩效目标申报表",
            Form::ProjectSelfEvaluation(_) => "项目支出绩效自评表",
            Form::DepartmentSelfEvaluation(_) => "部门整体支出绩效自评表",
        }
    }

    /// The self-evaluation inside, if this is one.
    pub fn self_evaluation(&self) -> Option<&SelfEvaluation> {
        match self {
            Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => Some(s),
            _ => None,
        }
    }
}

/// A form's JSON could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("表单 JSON 第{line}行第{column}列（字段 {path}）：{message}")]
pub struct FormError {
    /// Path of the field (`indicators[3].score`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A labelled header cell kept as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The label cell (`项目总投资（万元）`).
    pub label: String,
    /// The value cell.
    pub value: String,
}

/// A non-blank reason (for an override, a not-applicable mark).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Reason(String);

impl Reason {
    /// A reason, refusing blank text.
    pub fn parse(text: &str) -> Result<Reason, String> {
        let t = text.trim();
        if t.is_empty() {
            Err("理由不能为空".into())
        } else {
            Ok(Reason(t.to_string()))
        }
    }

    /// The reason's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Reason, D::Error> {
        let s = String::deserialize(d)?;
        Reason::parse(&s).map_err(serde::de::Error::custom)
    }
}
