//! The typed documents of the performance cycle and their JSON form.
//!
//! A [`Form`] is what a paper form *states*, cell by cell, typed: money as [`crate::money::Amount`],
//! scores as exact decimals, 指标值 as written. Nothing here is computed; scoring and audit read
//! forms and produce their own results. The JSON form is documented in `docs/forms.md`.

mod catalog;
pub mod cell;
mod declaration;
pub mod ex_ante;
pub mod json_error;
pub mod monitoring;
pub mod report;
mod self_eval;
pub mod transfer;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

pub use catalog::{
    BaseData, BaseDataItem, BaseDataSection, EvaluationIndicator, EvaluationTable, ProjectList,
    ProjectListItem,
};
pub use declaration::{
    CostColumn, CostItem, DeclaredIndicator, DepartmentTarget, ProjectTarget, Task, TaskBudget,
};
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
    /// 绩效自评项目清单.
    ProjectList(ProjectList),
    /// 部门整体支出绩效评价指标表.
    EvaluationTable(EvaluationTable),
    /// 部门整体支出绩效评价基础数据表.
    BaseData(BaseData),
    /// 绩效自评报告.
    Report(report::Report),
    /// 项目支出绩效目标执行监控表.
    Monitoring(monitoring::Monitoring),
    /// 转移支付区域（项目）绩效自评表.
    #[serde(rename = "transfer_payment_self_evaluation")]
    TransferPayment(transfer::TransferPayment),
    /// 事前绩效评估表.
    ExAnteAssessment(ex_ante::ExAnteAssessment),
}

impl Form {
    /// Reads a form from its JSON. Errors say where: the line and column of a syntax error,
    /// the field path (`indicators[3].score`) of a wrong value.
    pub fn from_json(text: &str) -> Result<Form, FormError> {
        let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| FormError {
            path: String::new(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: json_error::message(&e),
        })?;
        let tag = value
            .as_object_mut()
            .and_then(|o| o.remove("form"))
            .and_then(|t| t.as_str().map(str::to_string))
            .ok_or_else(|| FormError::at("form", "缺少表单类型字段 \"form\""))?;
        match tag.as_str() {
            "project_target" => typed(value).map(Form::ProjectTarget),
            "department_target" => typed(value).map(Form::DepartmentTarget),
            "project_self_evaluation" => typed(value).map(Form::ProjectSelfEvaluation),
            "department_self_evaluation" => typed(value).map(Form::DepartmentSelfEvaluation),
            "project_list" => typed(value).map(Form::ProjectList),
            "evaluation_table" => typed(value).map(Form::EvaluationTable),
            "base_data" => typed(value).map(Form::BaseData),
            "report" => typed(value).map(Form::Report),
            "monitoring" => typed(value).map(Form::Monitoring),
            "transfer_payment_self_evaluation" => typed(value).map(Form::TransferPayment),
            "ex_ante_assessment" => typed(value).map(Form::ExAnteAssessment),
            other => Err(FormError::at(
                "form",
                &format!(
                    "未知的表单类型“{other}”（可用：project_target、department_target、project_self_evaluation、department_self_evaluation、project_list、evaluation_table、base_data、report、monitoring、transfer_payment_self_evaluation、ex_ante_assessment）"
                ),
            )),
        }
    }

    /// The form as pretty JSON. An error (a value serde cannot write as JSON) is returned,
    /// never an empty text that a caller might store or send as the form.
    pub fn to_json(&self) -> Result<String, FormError> {
        serde_json::to_string_pretty(self).map_err(|e| FormError::unwritable(&e))
    }

    /// The form's official title.
    pub fn title(&self) -> &'static str {
        match self {
            Form::ProjectTarget(_) => "项目支出绩效目标申报表",
            Form::DepartmentTarget(_) => "部门整体支出绩效目标申报表",
            Form::ProjectSelfEvaluation(_) => "项目支出绩效自评表",
            Form::DepartmentSelfEvaluation(_) => "部门整体支出绩效自评表",
            Form::ProjectList(_) => "绩效自评项目清单",
            Form::EvaluationTable(_) => "部门整体支出绩效评价指标表",
            Form::BaseData(_) => "部门整体支出绩效评价基础数据表",
            Form::Report(r) => r.kind.title(),
            Form::Monitoring(_) => "项目支出绩效目标执行监控表",
            Form::TransferPayment(_) => "转移支付区域绩效自评表",
            Form::ExAnteAssessment(_) => "事前绩效评估表",
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

/// Deserializes a JSON value into `T`, keeping the path of a failing field.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, FormError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        FormError::at(&path, &json_error::message(&e.into_inner()))
    })
}

/// A form's JSON could not be read (or, rarely, written: [`FormError::unwritable`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(*.line, *.column, path))]
pub struct FormError {
    /// Path of the field (`indicators[3].score`); empty for a syntax error.
    pub path: String,
    /// 1-based line of a syntax error.
    pub line: Option<usize>,
    /// 1-based column of a syntax error.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl FormError {
    /// A form that could not be written as JSON.
    pub fn unwritable(e: &serde_json::Error) -> FormError {
        FormError::at("", &format!("表单无法写成 JSON：{e}"))
    }

    fn at(path: &str, message: &str) -> FormError {
        FormError {
            path: path.to_string(),
            line: None,
            column: None,
            message: message.to_string(),
        }
    }
}

fn location(line: Option<usize>, column: Option<usize>, path: &str) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("JSON 第{l}行第{c}列："),
        _ if !path.is_empty() => format!("字段 {path}："),
        _ => String::new(),
    }
}

/// The name of an offline template's instructions sheet: written after the form, and not
/// content when the filled template is read back.
pub const TEMPLATE_INSTRUCTIONS: &str = "填报说明";

/// A name (of a project, a unit) as names are compared: without spaces, full-width or not, and
/// with either kind of bracket (`（本级）` and `(本级)` alike).
pub fn plain_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
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

/// A reason was left blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("理由不能为空")]
pub struct BlankReason;

impl Reason {
    /// A reason, refusing blank text.
    pub fn parse(text: &str) -> Result<Reason, BlankReason> {
        let t = text.trim();
        if t.is_empty() {
            Err(BlankReason)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_that_cannot_be_written_is_an_error_in_chinese() {
        // serde_json refuses maps whose keys are not strings: the kind of error to_json returns.
        let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let e = serde_json::to_string(&map).expect_err("not a JSON key");
        let error = FormError::unwritable(&e);
        assert!(
            error.to_string().starts_with("表单无法写成 JSON："),
            "{error}"
        );
    }
}
