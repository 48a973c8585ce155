//! Evaluation tables (部门整体支出绩效评价指标表) as data: a rule language, its validation,
//! and exact, explained evaluation against base data.
//!
//! A [`RuleSet`] is written as TOML (docs/rules.md): indicators with their points, a
//! [`expr::Expr`] measure over base-data fields and a [`shape::Rule`]; fields mapped to cells of
//! the base-data table; grade bands; veto conditions. [`evaluate`] computes every indicator —
//! `公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11 → 8分` — and never gives points for data it does
//! not have: such an indicator is `无法计算（缺少：…）`.

pub mod bind;
pub mod compile;
pub mod expr;
pub mod shape;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
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
    /// Points per group, checked against the indicators: `"投入" = 10`, `"投入/预算配置" = 10`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<String, Points>,
    /// Base-data fields: name → where the value sits in the 基础数据表.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSource>,
    /// The indicators, in table order.
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
    /// Conditions that fail the whole evaluation (一票否决).
    #[serde(default, rename = "veto", skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<Veto>,
}

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// Points, written exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Points(#[serde(with = "decimal")] pub Decimal);

/// A deduction on top of a rule, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deduction {
    /// Points taken.
    #[serde(with = "decimal")]
    pub points: Decimal,
    /// Why (required).
    pub reason: crate::form::Reason,
}

/// Where a field's value is in the base-data table. A field with no column is not in the
/// table: the assessment supplies it (or it is missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSource {
    /// The row label (`三公经费`, `其中：办公经费`); empty for a one-row block.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The column header (`2021年预算数`, `编制数`); empty when the table has no such cell.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub column: String,
    /// What the field is, for readers of the rule file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The unit (`人`, `万元`, `㎡`); fields combined in one formula must agree.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
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
    /// Measure ÷ target at or above which the evaluation must explain the overshoot (1.2),
    /// for a `ratio_to_target` rule (shape 22).
    #[serde(
        default,
        with = "crate::form::cell::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub overshoot: Option<Decimal>,
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

/// A map of exact decimals written as text or integers.
mod decimal_map {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Points;

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Decimal>, D::Error> {
        let map: BTreeMap<String, Points> = BTreeMap::deserialize(d)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
    }

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let points: BTreeMap<&String, Points> = map.iter().map(|(k, v)| (k, Points(*v))).collect();
        points.serialize(s)
    }
}

/// What the evaluator and the data supply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Field values.
    #[serde(default, with = "decimal_map")]
    pub values: BTreeMap<String, Decimal>,
    /// Judgements for rules that need one, by indicator name.
    #[serde(default)]
    pub judgements: BTreeMap<String, Judgement>,
    /// Deductions on top of the rule, by indicator name.
    #[serde(default)]
    pub deductions: BTreeMap<String, Deduction>,
    /// Indicators that do not apply, with the reason.
    #[serde(default)]
    pub not_applicable: BTreeMap<String, String>,
    /// Scores a filled-in table states, by indicator name.
    #[serde(default, with = "decimal_map")]
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

use crate::money::round2;

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
                // The evaluator may score what the data cannot, with a reason.
                if let Some(shape::Judgement::Score { score, reason }) = a.judgements.get(&ind.name)
                {
                    if *score < Decimal::ZERO || *score > ind.points {
                        result.status = Status::NotComputable {
                            reason: format!(
                                "评价人给分{}超出0至{}分",
                                pts(*score),
                                pts(ind.points)
                            ),
                        };
                        result.explanation = format!("无法计算（{e}）；评价人给分超出分值范围");
                        return result;
                    }
                    result.score = Some(*score);
                    result.status = Status::Judged;
                    result.explanation = format!(
                        "无法按规则计算（{e}），按评价人给分{}分（理由：{reason}）",
                        pts(*score)
                    );
                    return result;
                }
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
        Ok(shape::Scored { score, steps }) => {
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
                reason: reason.to_string(),
            };
            lines.push(format!("无法计算（{reason}）"));
        }
    }
    if let (Some(score), Some(deduction)) = (result.score, a.deductions.get(&ind.name)) {
        let d = deduction.points;
        let s = (score - d).max(Decimal::ZERO);
        lines.push(format!(
            "另扣{}分（{}）：{} − {} = {}分",
            pts(d),
            deduction.reason,
            pts(score),
            pts(d),
            pts(s)
        ));
        result.score = Some(s);
    }
    if let (Some(threshold), Some(x), Rule::RatioToTarget { target, .. }) =
        (ind.overshoot, measure, &ind.rule)
        && *target > Decimal::ZERO
        && x / *target >= threshold
    {
        lines.push(format!(
            "实际为目标的{}%，达到{}%的复核线，须说明原因",
            pts(round2(x / *target * Decimal::ONE_HUNDRED)),
            pts(threshold * Decimal::ONE_HUNDRED)
        ));
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
        for (name, source) in self.fields.iter().filter(|(_, s)| !s.column.is_empty()) {
            let cell = if source.label.is_empty() {
                format!("“{}”", source.column)
            } else {
                format!("“{}”的“{}”", source.label, source.column)
            };
            match data.value(&source.label, &source.column) {
                None => notes.push(format!("{name}：基础数据表中{cell}未填写")),
                Some(text) => match parse_number(text, &['%']) {
                    Ok(Some(v)) => {
                        values.insert(name.clone(), v);
                    }
                    Ok(None) => notes.push(format!(
                        "{name}：基础数据表中{cell}为“{}”，未填写数值",
                        text.trim()
                    )),
                    Err(_) => notes.push(format!("{name}：基础数据表中{cell}为“{text}”，不是数字")),
                },
            }
        }
        (values, notes)
    }
}

impl RuleSet {
    /// Checks the rule set; `text` is its TOML, for line numbers. Returns every problem.
    pub fn validate(&self, text: &str) -> Vec<RuleError> {
        let mut out = Vec::new();
        let line = |name: &str| {
            text.find(&format!("name = \"{name}\""))
                .or_else(|| text.find(name))
                .map(|o| line_of(text, o))
        };
        let total: Decimal = self.indicators.iter().map(|i| i.points).sum();
        if total != self.full_score {
            out.push(RuleError {
                line: None,
                message: format!(
                    "各指标分值合计{}，与满分{}不符",
                    pts(total),
                    pts(self.full_score)
                ),
            });
        }
        for (group, points) in &self.levels {
            let (l1, l2) = group
                .split_once('/')
                .map_or((group.as_str(), None), |(a, b)| (a, Some(b)));
            let sum: Decimal = self
                .indicators
                .iter()
                .filter(|i| i.level1 == l1 && l2.is_none_or(|l2| i.level2 == l2))
                .map(|i| i.points)
                .sum();
            if sum != points.0 {
                out.push(RuleError {
                    line: line(group),
                    message: format!(
                        "“{group}”标注{}分，所含指标分值合计{}分",
                        pts(points.0),
                        pts(sum)
                    ),
                });
            }
        }
        for ind in &self.indicators {
            let at = line(&ind.name);
            let mut err = |message: String| {
                out.push(RuleError {
                    line: at,
                    message: format!("“{}”：{message}", ind.name),
                })
            };
            match (&ind.measure, ind.rule.needs_measure()) {
                (None, true) => err("该规则需要计算公式（measure）".into()),
                (Some(_), false) => err("该规则由评价人判断，不应有计算公式".into()),
                _ => {}
            }
            if let Some(m) = &ind.measure {
                for f in m.fields() {
                    if !self.fields.contains_key(&f) {
                        err(format!("公式中的字段“{f}”未在 [fields] 中定义"));
                    }
                }
                for group in m.unit_groups() {
                    let units: Vec<(&String, &str)> = group
                        .iter()
                        .filter_map(|f| self.fields.get(f).map(|s| (f, s.unit.as_str())))
                        .filter(|(_, u)| !u.is_empty())
                        .collect();
                    if let Some((f0, u0)) = units.first()
                        && let Some((f1, u1)) = units.iter().find(|(_, u)| u != u0)
                    {
                        err(format!("单位不一致：“{f0}”为{u0}，“{f1}”为{u1}"));
                    }
                }
            }
            match &ind.rule {
                Rule::Bands { bands } => {
                    if bands.iter().any(|b| b.points > ind.points) {
                        err("档次得分超过分值".into());
                    }
                    if let Some(problem) = band_problem(bands) {
                        err(problem);
                    }
                }
                Rule::Checklist { items } => {
                    let sum: Decimal = items.iter().map(|i| i.points).sum();
                    if sum != ind.points {
                        err(format!(
                            "各项分值合计{}，与分值{}不符",
                            pts(sum),
                            pts(ind.points)
                        ));
                    }
                }
                Rule::Tiers { tiers }
                    if tiers.iter().any(|t| t.max > ind.points || t.min > t.max) =>
                {
                    err("档次分值超出0至分值的范围".into());
                }
                _ => {}
            }
        }
        out
    }

    /// Stated scores from a filled-in evaluation table, by indicator. An indicator named
    /// `经济效益、社会效益` takes the scores of both rows.
    pub fn stated_from(&self, table: &crate::form::EvaluationTable) -> BTreeMap<String, Decimal> {
        let key = |s: &str| s.split_whitespace().collect::<String>();
        let mut out = BTreeMap::new();
        for ind in &self.indicators {
            let parts: Vec<String> = ind.name.split('、').map(key).collect();
            let scores: Vec<Decimal> = table
                .indicators
                .iter()
                .filter(|t| parts.contains(&key(&t.name)) || key(&t.name) == key(&ind.name))
                .filter_map(|t| t.stated_score)
                .collect();
            if !scores.is_empty() {
                out.insert(ind.name.clone(), scores.iter().sum());
            }
        }
        out
    }
}

/// A gap or overlap between bands, sorted by their lower ends.
fn band_problem(bands: &[shape::Band]) -> Option<String> {
    let mut sorted: Vec<&shape::Band> = bands.iter().collect();
    sorted.sort_by(|a, b| a.min.cmp(&b.min).then(a.max.cmp(&b.max)));
    for w in sorted.windows(2) {
        let (a, b) = (w[0], w[1]);
        match (a.max, b.min) {
            (Some(hi), Some(lo)) if hi < lo => {
                return Some(format!("档次{}与{}之间有空档", a.describe(), b.describe()));
            }
            (Some(hi), Some(lo)) if hi > lo => {
                return Some(format!("档次{}与{}重叠", a.describe(), b.describe()));
            }
            (Some(_), Some(_)) if a.max_inclusive && b.min_inclusive => {
                return Some(format!("档次{}与{}在边界重叠", a.describe(), b.describe()));
            }
            (Some(_), Some(_)) if !a.max_inclusive && !b.min_inclusive => {
                return Some(format!(
                    "档次{}与{}之间漏掉了边界值",
                    a.describe(),
                    b.describe()
                ));
            }
            (None, _) => return Some(format!("档次{}上不封顶，其后不应再有档次", a.describe())),
            _ => {}
        }
    }
    None
}

/// A difference between a stated score and the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The indicator.
    pub name: String,
    /// The score stated.
    pub stated: Decimal,
    /// The score computed, when computable.
    pub computed: Option<Decimal>,
    /// What differs, in Chinese.
    pub message: String,
}

impl Evaluation {
    /// Stated scores that the rules do not confirm: a different computed score, or a score
    /// that cannot be verified because data is missing.
    pub fn differences(&self) -> Vec<Difference> {
        let mut out = Vec::new();
        for r in &self.indicators {
            let Some(stated) = r.stated else { continue };
            match (&r.status, r.score) {
                (Status::FromTable, _) | (Status::NotApplicable, _) => {}
                (Status::NotComputable { reason }, _) => out.push(Difference {
                    name: r.name.clone(),
                    stated,
                    computed: None,
                    message: format!("表中得分{}分无法核实：{reason}", pts(stated)),
                }),
                (_, Some(score)) if score != stated => out.push(Difference {
                    name: r.name.clone(),
                    stated,
                    computed: Some(score),
                    message: format!(
                        "表中得分{}分，按规则应为{}分（{}）",
                        pts(stated),
                        pts(score),
                        r.explanation
                    ),
                }),
                _ => {}
            }
        }
        out
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
