//! Evaluation tables (部门整体支出绩效评价指标表) as data: a rule language, its validation,
//! and exact, explained evaluation against base data.
//!
//! A [`RuleSet`] is written as TOML (docs/rules.md): indicators with their points, a
//! [`expr::Expr`] measure over base-data fields and a [`shape::Rule`]; fields mapped to cells of
//! the base-data table; grade bands; veto conditions. [`evaluate`] computes every indicator —
//! `公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11 → 8分` — and never gives points for data it does
//! not have: such an indicator is `无法计算（缺少：…）`.

pub mod expr;
pub mod shape;

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::form::BaseData;
use crate::form::cell::{decimal, parse_number};
use crate::grade::{Grade, GradeBands};
use expr::Expr;
use shape::{Judgement, Rule};

/// A rule set: the evaluation table as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The table's name.
    pub name: String,
    /// The full score (100).
    #[serde(default = "hundred", with = "decimal")]
    pub full_score: Decimal,
    /// Grade bands.
    #[serde(default)]
    pub grade: GradeBands,
    /// Base-data fields: name → where the value sits in the 基础数据表.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSource>,
    /// The indicators, in table order.
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
    /// Conditions that fail the whole evaluation (一票否决).
    #[serde(default, rename = "veto")]
    pub vetoes: Vec<Veto>,
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// Where a field's value is in the base-data table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSource {
    /// The row label (`三公经费`, `其中：办公经费`); empty for a one-row block.
    #[serde(default)]
    pub label: String,
    /// The column header (`2021年预算数`, `编制数`).
    pub column: String,
}

/// An indicator of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 分值.
    #[serde(with = "decimal")]
    pub points: Decimal,
    /// The measure, when the rule reads one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Expr>,
    /// The rule.
    pub rule: Rule,
    /// What to do when the measure's data is absent: not computable (default), or full points
    /// when the table says so ("没有楼堂馆所项目的部门按满分计算").
    #[serde(default)]
    pub when_missing: WhenMissing,
    /// The 评价标准 as written, kept for the reader.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criteria: String,
}

/// What an indicator scores when its data is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhenMissing {
    /// 无法计算 (the default: no points are ever given for missing data).
    #[default]
    NotComputable,
    /// Full points, because the table's own rule says so.
    Full,
}

/// A veto condition (一票否决).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    /// The condition (`审计发现严重违规问题`).
    pub condition: String,
}

/// What the evaluator and the data supply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Field values.
    #[serde(default)]
    pub values: BTreeMap<String, Decimal>,
    /// Judgements for rules that need one, by indicator name.
    #[serde(default)]
    pub judgements: BTreeMap<String, Judgement>,
    /// Deductions on top of the rule, by indicator name: points and reason.
    #[serde(default)]
    pub deductions: BTreeMap<String, (Decimal, String)>,
    /// Indicators that do not apply, with the reason.
    #[serde(default)]
    pub not_applicable: BTreeMap<String, String>,
    /// Scores a filled-in table states, by indicator name.
    #[serde(default)]
    pub stated: BTreeMap<String, Decimal>,
    /// Veto conditions found to hold.
    #[serde(default)]
    pub vetoes: Vec<String>,
}

/// How an indicator's score was obtained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Computed from the data by the rule.
    Computed,
    /// From the evaluator's judgement.
    Judged,
    /// No judgement was given; the score the filled-in table states was taken.
    FromTable,
    /// The data is absent and the table gives full points for that case.
    FullWhenMissing,
    /// Does not apply: dropped, the total rescaled.
    NotApplicable,
    /// Cannot be computed.
    NotComputable {
        /// What is missing or wrong.
        reason: String,
    },
}

/// One indicator evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorResult {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 分值.
    pub points: Decimal,
    /// The measure's value, if computed.
    pub measure: Option<Decimal>,
    /// The score.
    pub score: Option<Decimal>,
    /// The score the table states, if any.
    pub stated: Option<Decimal>,
    /// How the score was obtained.
    #[serde(flatten)]
    pub status: Status,
    /// The explanation: measure, rule, arithmetic.
    pub explanation: String,
}

/// A whole evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The rule set's name.
    pub name: String,
    /// Per indicator.
    pub indicators: Vec<IndicatorResult>,
    /// Points of the indicators that apply.
    pub applicable_points: Decimal,
    /// The total (rescaled to the full score when some indicators do not apply).
    pub total: Decimal,
    /// The grade.
    pub grade: Grade,
    /// False when some indicator could not be computed: the total is provisional.
    pub complete: bool,
    /// The veto that failed the evaluation, if any.
    pub veto: Option<String>,
}

fn round2(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn pts(v: Decimal) -> String {
    v.normalize().to_string()
}

/// Evaluates `rules` with `assessment`.
pub fn evaluate(rules: &RuleSet, assessment: &Assessment) -> Evaluation {
    let mut indicators = Vec::new();
    for ind in &rules.indicators {
        indicators.push(evaluate_one(ind, assessment));
    }
    let applicable: Vec<&IndicatorResult> = indicators
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
        .collect();
    let applicable_points: Decimal = applicable.iter().map(|r| r.points).sum();
    let raw: Decimal = applicable.iter().filter_map(|r| r.score).sum();
    let complete = applicable.iter().all(|r| r.score.is_some());
    let mut total = if applicable_points > Decimal::ZERO && applicable_points != rules.full_score {
        round2(raw * rules.full_score / applicable_points)
    } else {
        round2(raw)
    };
    let veto = rules
        .vetoes
        .iter()
        .find(|v| assessment.vetoes.contains(&v.condition))
        .map(|v| v.condition.clone());
    if veto.is_some() {
        total = Decimal::ZERO;
    }
    Evaluation {
        name: rules.name.clone(),
        grade: if veto.is_some() {
            Grade::Poor
        } else {
            rules.grade.grade(total)
        },
        indicators,
        applicable_points,
        total,
        complete,
        veto,
    }
}

fn evaluate_one(ind: &Indicator, a: &Assessment) -> IndicatorResult {
    let mut result = IndicatorResult {
        level1: ind.level1.clone(),
        level2: ind.level2.clone(),
        name: ind.name.clone(),
        points: ind.points,
        measure: None,
        score: None,
        stated: a.stated.get(&ind.name).copied(),
        status: Status::Computed,
        explanation: String::new(),
    };
    if let Some(reason) = a.not_applicable.get(&ind.name) {
        result.status = Status::NotApplicable;
        result.explanation = format!("不适用（{reason}），不计分，总分按适用指标分值折算");
        return result;
    }
    let mut lines = vec![format!("规则：{}", ind.rule.describe(ind.points))];
    let measure = match &ind.measure {
        Some(e) => match e.eval(&a.values) {
            Ok(v) => {
                lines.insert(
                    0,
                    format!(
                        "{} = {} = {}",
                        ind.name,
                        e.substituted(&a.values),
                        pts(round2(v))
                    ),
                );
                Some(v)
            }
            Err(expr::ExprError::Missing(fields)) if ind.when_missing == WhenMissing::Full => {
                result.score = Some(ind.points);
                result.status = Status::FullWhenMissing;
                result.explanation = format!(
                    "缺少{}，按表中规定计满分{}分（{}）",
                    fields.join("、"),
                    pts(ind.points),
                    ind.criteria
                );
                return result;
            }
            Err(e) => {
                result.status = Status::NotComputable {
                    reason: e.to_string(),
                };
                result.explanation = format!("无法计算（{e}）");
                return result;
            }
        },
        None => None,
    };
    result.measure = measure.map(round2);
    let judgement = a.judgements.get(&ind.name);
    match ind.rule.score(ind.points, measure, judgement) {
        Ok((score, steps)) => {
            lines.extend(steps);
            result.score = Some(score);
            if !ind.rule.needs_measure() {
                result.status = Status::Judged;
            }
        }
        Err(reason) if !ind.rule.needs_measure() && result.stated.is_some() => {
            let s = result
                .stated
                .unwrap_or_default()
                .clamp(Decimal::ZERO, ind.points);
            lines.push(format!(
                "{reason}；未提供评价意见，采用表中得分{}分",
                pts(s)
            ));
            result.score = Some(s);
            result.status = Status::FromTable;
        }
        Err(reason) => {
            result.status = Status::NotComputable {
                reason: reason.clone(),
            };
            lines.push(format!("无法计算（{reason}）"));
        }
    }
    if let (Some(score), Some((d, why))) = (result.score, a.deductions.get(&ind.name)) {
        let s = (score - d).max(Decimal::ZERO);
        lines.push(format!(
            "另扣{}分（{why}）：{} − {} = {}分",
            pts(*d),
            pts(score),
            pts(*d),
            pts(s)
        ));
        result.score = Some(s);
    }
    if let Some(score) = result.score {
        lines.push(format!("得分{}分", pts(score)));
    }
    result.explanation = lines.join("；");
    result
}

impl RuleSet {
    /// Reads a rule set from TOML; errors carry line numbers.
    pub fn from_toml(text: &str) -> Result<RuleSet, RuleError> {
        toml::from_str(text).map_err(|e| RuleError {
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().to_string(),
        })
    }

    /// The rule set as TOML.
    pub fn to_toml(&self) -> Result<String, RuleError> {
        toml::to_string(self).map_err(|e| RuleError {
            line: None,
            message: e.to_string(),
        })
    }

    /// Field values from an imported base-data table, by the field mapping. Returns the values
    /// and a note for each mapped field whose cell is empty, a dash or not a number.
    pub fn values_from(&self, data: &BaseData) -> (BTreeMap<String, Decimal>, Vec<String>) {
        let mut values = BTreeMap::new();
        let mut notes = Vec::new();
        for (name, source) in &self.fields {
            match data.value(&source.label, &source.column) {
                None => notes.push(format!(
                    "基础数据表中没有“{}”的“{}”",
                    source.label, source.column
                )),
                Some(text) => match parse_number(text, &['%']) {
                    Ok(Some(v)) => {
                        values.insert(name.clone(), v);
                    }
                    Ok(None) => {
                        notes.push(format!("“{}”的“{}”未填写", source.label, source.column))
                    }
                    Err(_) => notes.push(format!(
                        "“{}”的“{}”为“{text}”，不是数字",
                        source.label, source.column
                    )),
                },
            }
        }
        (values, notes)
    }
}

/// A rule file could not be read or is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("第{l}行：")).unwrap_or_default())]
pub struct RuleError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests;
