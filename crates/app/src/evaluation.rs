//! The finance bureau's department evaluation (部门整体支出绩效评价) in the application: a unit
//! evaluated with a built-in rule set or one compiled from an uploaded 评价指标表, on its
//! 基础数据表 (uploaded with the table or on its own), with the evaluator's judgements and their
//! reasons; every figure explained line by line, stated scores compared with computed ones, and
//! a total built from missing figures shown as 暂定 with what is missing.
//!
//! Rules compiled from a table bind their fields to the base data by themselves
//! ([`jixiao_core::rules::bind`]); the binding is stored with the evaluation and shown for
//! confirmation, and a field that cannot be bound is listed, never guessed.

use std::collections::BTreeMap;

use jixiao_core::form::{BaseData, Form};
use jixiao_core::rules::bind::{self, Binding};
use jixiao_core::rules::compile::{self, Uncompiled};
use jixiao_core::rules::shape::Judgement;
use jixiao_core::rules::{Assessment, Difference, Evaluation, RuleSet, evaluate};
use jixiao_store::evaluations::{EvaluationRow, NewEvaluation};
use jixiao_store::log::Author;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::files;
use crate::service::Download;
use crate::{App, AppError};

/// A built-in rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    /// Its code (`hunan-department`).
    pub code: &'static str,
    /// Its name as users know it.
    pub title: &'static str,
    /// The rule file.
    pub toml: &'static str,
}

/// The built-in rule sets.
pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        code: "hunan-department",
        title: "湖南省部门整体支出绩效评价指标表",
        toml: include_str!("../../../rules/hunan-department.toml"),
    },
    BuiltIn {
        code: "hunan-reference",
        title: "湖南省部门整体支出绩效评价评分表（参考样表，现有部分36分）",
        toml: include_str!("../../../rules/hunan-reference.toml"),
    },
];

/// A built-in rule set by code.
pub fn built_in(code: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|b| b.code == code)
}

/// Where the rules of a new evaluation come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSource<'a> {
    /// A built-in rule set, by code.
    BuiltIn(&'a str),
    /// An uploaded file holding a 评价指标表 (and possibly the 基础数据表).
    Upload {
        /// The file name.
        name: &'a str,
        /// Its content.
        bytes: &'a [u8],
    },
}

/// An evaluation as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationView {
    /// The stored evaluation.
    pub row: EvaluationRow,
    /// The unit's name.
    pub unit: String,
    /// The rule set's name.
    pub rules_name: String,
    /// How the fields were bound (when they were).
    pub binding: Option<Binding>,
    /// The evaluation, line by line.
    pub evaluation: Evaluation,
    /// Stated scores that differ from the computed ones.
    pub differences: Vec<Difference>,
    /// Fields whose base-data cell is empty or not a number.
    pub notes: Vec<String>,
    /// Criteria of an uploaded table that could not be compiled.
    pub uncompiled: Vec<Uncompiled>,
    /// The judgements given, by indicator.
    pub judgements: BTreeMap<String, Judgement>,
}

fn author(actor: &Actor) -> Author {
    Author {
        user_id: Some(actor.user_id),
        username: actor.username.clone(),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Store(jixiao_store::StoreError::Corrupt(format!("{what}：{e}")))
}

/// The forms of an upload of a given kind.
fn tables(
    name: &str,
    bytes: &[u8],
    limits: &jixiao_recognize::Limits,
) -> Result<Vec<Form>, AppError> {
    Ok(files::forms_in(name, bytes, limits)?)
}

/// What an uploaded evaluation table gives: the compiled rules, the criteria that could not be
/// compiled, the base data of the same file (if any) and the scores the table states.
pub type Uploaded = (
    RuleSet,
    Vec<Uncompiled>,
    Option<BaseData>,
    BTreeMap<String, Decimal>,
);

/// A rule set, compiled from an uploaded table and bound to the base data in the same file when
/// there is one; with what could not be compiled.
pub fn rules_from_upload(
    name: &str,
    bytes: &[u8],
    limits: &jixiao_recognize::Limits,
) -> Result<Uploaded, AppError> {
    let forms = tables(name, bytes, limits)?;
    let table = forms
        .iter()
        .find_map(|f| match f {
            Form::EvaluationTable(t) => Some(t),
            _ => None,
        })
        .ok_or_else(|| AppError::Invalid(format!("{name} 中没有部门整体支出绩效评价指标表")))?;
    let compiled = compile::from_table(table);
    let stated = compiled.rules.stated_from(table);
    let base = forms.iter().find_map(|f| match f {
        Form::BaseData(b) => Some(b.clone()),
        _ => None,
    });
    Ok((compiled.rules, compiled.uncompiled, base, stated))
}

/// Evaluates `rules` (fields bound) on `base` with `judgements`.
pub fn run(
    rules: &RuleSet,
    base: Option<&BaseData>,
    stated: &BTreeMap<String, Decimal>,
    judgements: &BTreeMap<String, Judgement>,
) -> (Evaluation, Vec<String>) {
    let mut a = Assessment {
        judgements: judgements.clone(),
        stated: stated.clone(),
        ..Assessment::default()
    };
    let mut notes = Vec::new();
    match base {
        Some(b) => {
            let (values, missing) = rules.values_from(b);
            a.values = values;
            notes = missing;
        }
        None => notes.push("尚未提供基础数据表：依赖基础数据的指标无法计算".into()),
    }
    for (name, src) in &rules.fields {
        if src.column.is_empty() {
            notes.push(format!(
                "“{name}”未对应基础数据表中的单元格，相关指标无法计算"
            ));
        }
    }
    (evaluate(rules, &a), notes)
}

impl App {
    /// Starts the bureau's evaluation of a unit for a year. With an upload, its 评价指标表 is
    /// compiled and its fields bound to the 基础数据表 of the same upload or of `base_upload`.
    pub async fn start_evaluation(
        &self,
        actor: &Actor,
        org_id: i64,
        year: i64,
        source: RuleSource<'_>,
        base_upload: Option<(&str, &[u8])>,
    ) -> Result<i64, AppError> {
        let chain = self.chain(org_id).await?;
        access::authorize(actor, Operation::Evaluate, &chain)?;
        let org = self.store.org(org_id).await?;
        if org.kind != "unit" && org.kind != "department" {
            return Err(AppError::Invalid(format!("“{}”不是预算单位", org.name)));
        }
        let (rules, label, mut base, stated) = match source {
            RuleSource::BuiltIn(code) => {
                let b = built_in(code)
                    .ok_or_else(|| AppError::Invalid(format!("没有内置规则“{code}”")))?;
                let rules = RuleSet::from_toml(b.toml).map_err(|e| corrupt("内置规则", e))?;
                (rules, format!("内置：{}", b.title), None, BTreeMap::new())
            }
            RuleSource::Upload { name, bytes } => {
                let (rules, _, base, stated) = rules_from_upload(name, bytes, &self.limits())?;
                (rules, format!("上传：{name}"), base, stated)
            }
        };
        if let Some((name, bytes)) = base_upload {
            base = tables(name, bytes, &self.limits())?
                .into_iter()
                .find_map(|f| match f {
                    Form::BaseData(b) => Some(b),
                    _ => None,
                });
            if base.is_none() {
                return Err(AppError::Invalid(format!("{name} 中没有基础数据表")));
            }
        }
        let binding = base.as_ref().map(|b| bind::bind(&rules, b));
        let rules = match &binding {
            Some(b) => b.apply(&rules),
            None => rules,
        };
        let toml = rules
            .to_toml()
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let binding_json = binding
            .as_ref()
            .map(|b| to_json("评价绑定", b))
            .transpose()?;
        let base_json = base
            .as_ref()
            .map(|b| to_json("基础数据表", b))
            .transpose()?;
        let stated_json = (!stated.is_empty())
            .then(|| to_json("表中得分", &stated))
            .transpose()?;
        let new = NewEvaluation {
            org_id,
            year,
            rule_source: &label,
            rules: &toml,
            binding: binding_json.as_deref(),
            base_data: base_json.as_deref(),
            stated: stated_json.as_deref(),
        };
        let id = self.store.create_evaluation(&new, &author(actor)).await?;
        self.judge(actor, id, BTreeMap::new()).await?;
        Ok(id)
    }

    /// An evaluation with every figure explained.
    pub async fn evaluation(&self, actor: &Actor, id: i64) -> Result<EvaluationView, AppError> {
        let row = self.store.evaluation(id).await?;
        let chain = self.chain(row.org_id).await?;
        access::authorize_on(actor, Operation::View, &chain, "评价")?;
        let rules = RuleSet::from_toml(&row.rules).map_err(|e| corrupt("评价规则", e))?;
        let base: Option<BaseData> = match &row.base_data {
            Some(j) => Some(serde_json::from_str(j).map_err(|e| corrupt("基础数据", e))?),
            None => None,
        };
        let stated: BTreeMap<String, Decimal> = match &row.stated {
            Some(j) => serde_json::from_str(j).map_err(|e| corrupt("表中得分", e))?,
            None => BTreeMap::new(),
        };
        let judgements: BTreeMap<String, Judgement> =
            serde_json::from_str(&row.judgements).map_err(|e| corrupt("评价意见", e))?;
        let binding: Option<Binding> = match &row.binding {
            Some(j) => Some(serde_json::from_str(j).map_err(|e| corrupt("字段对应", e))?),
            None => None,
        };
        let (evaluation, notes) = run(&rules, base.as_ref(), &stated, &judgements);
        let differences = evaluation.differences();
        let unit = self.store.org(row.org_id).await?.name;
        Ok(EvaluationView {
            unit,
            rules_name: rules.name.clone(),
            binding,
            differences,
            notes,
            uncompiled: Vec::new(),
            judgements,
            evaluation,
            row,
        })
    }

    /// Gives (or replaces) the evaluator's judgements; each carries its reason. Returns the
    /// new total's view.
    pub async fn judge(
        &self,
        actor: &Actor,
        id: i64,
        judgements: BTreeMap<String, Judgement>,
    ) -> Result<EvaluationView, AppError> {
        let row = self.store.evaluation(id).await?;
        let chain = self.chain(row.org_id).await?;
        access::authorize_on(actor, Operation::Evaluate, &chain, "评价")?;
        let text = to_json("评价判断", &judgements)?;
        // Compute with the new judgements before storing them.
        self.store
            .update_evaluation(id, &text, None, None, false, &author(actor))
            .await?;
        let view = self.evaluation(actor, id).await?;
        let e = &view.evaluation;
        let total = e.total.normalize().to_string();
        let grade = if e.complete {
            e.grade.name().to_string()
        } else {
            "暂定".to_string()
        };
        self.store
            .update_evaluation(
                id,
                &text,
                Some(&total),
                Some(&grade),
                e.complete,
                &author(actor),
            )
            .await?;
        self.evaluation(actor, id).await
    }

    /// An evaluation as a file to keep or send (`.xlsx` or `.pdf`): every indicator with its
    /// 评分标准, measure, 得分 and explanation, the base data read, the total — said to be
    /// 暂定 with the number of indicators not yet judged when it is provisional.
    pub async fn export_evaluation(
        &self,
        actor: &Actor,
        id: i64,
        format: files::Format,
    ) -> Result<Download, AppError> {
        let v = self.evaluation(actor, id).await?;
        let rules = RuleSet::from_toml(&v.row.rules).map_err(|e| corrupt("评价规则", e))?;
        let criteria: Vec<String> = rules
            .indicators
            .iter()
            .map(|i| {
                if i.criteria.trim().is_empty() {
                    i.rule.describe(i.points)
                } else {
                    i.criteria.clone()
                }
            })
            .collect();
        let inputs: Vec<(String, String)> = match &v.row.base_data {
            Some(j) => {
                let base: BaseData = serde_json::from_str(j).map_err(|e| corrupt("基础数据", e))?;
                rules
                    .values_from(&base)
                    .0
                    .into_iter()
                    .map(|(field, value)| (field, value.normalize().to_string()))
                    .collect()
            }
            None => Vec::new(),
        };
        let doc = jixiao_write::EvaluationDocument {
            unit: &v.unit,
            year: v.row.year,
            rules_name: &v.rules_name,
            evaluation: &v.evaluation,
            criteria: &criteria,
            inputs: &inputs,
            notes: &v.notes,
        };
        let bytes = match format {
            files::Format::Xlsx => doc
                .xlsx()
                .map_err(|e| AppError::Unwritable(format!("导出失败：{e}")))?,
            files::Format::Pdf => files::paper_pdf(&doc.paper())?.bytes,
            other => {
                return Err(AppError::Invalid(format!(
                    "评价可导出为 xlsx 或 pdf，不能导出为 {}",
                    other.ext()
                )));
            }
        };
        Ok(Download {
            name: format!("{}-{}.{}", v.unit, doc.title(), format.ext()),
            content_type: format.content_type(),
            bytes,
        })
    }

    /// The evaluations of the units the actor may see.
    pub async fn evaluations(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(EvaluationRow, String)>, AppError> {
        let orgs = self.visible_orgs(actor).await?;
        let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
        Ok(self
            .store
            .evaluations(&ids)
            .await?
            .into_iter()
            .map(|r| {
                let unit = orgs
                    .iter()
                    .find(|o| o.id == r.org_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (r, unit)
            })
            .collect())
    }
}

/// A stored part (`what`) as JSON text; an error rather than an empty or stand-in text.
fn to_json<T: Serialize>(what: &str, value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::unwritable(what, e))
}
