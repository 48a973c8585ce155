//! 运行监控 warnings ("双监控", rules.md §4.4): budget execution against the share of the year
//! elapsed (序时进度), and each target's progress, turned into red, yellow and green lights, each
//! explained like a score (inputs, rule, arithmetic).
//!
//! No national thresholds exist, so every band is a [`MonitoringPolicy`] field, configurable per
//! region and year. The defaults are the observed ones: execution ÷ 序时进度 below 60% red, below
//! 80% yellow; a 数量指标 more than 30% behind its pro-rata target, or an execution rate of zero,
//! needs a written cause and measures. A fourth light, 蓝灯, marks over-achievement: a 数量指标 at
//! 120% or more of its pro-rata target (the target may have been set low). A reverse indicator
//! (≤, ＜: costs, complaints) is judged the other way: past its annual ceiling red, ahead of its
//! pro-rata ceiling by more than the trigger yellow. A qualitative one has only its stated
//! 完成目标可能性 to go by.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::form::FundSource;
use crate::form::monitoring::{Likelihood, MonitoredIndicator, Monitoring};
use crate::indicator::Level2;
use crate::money::round2;
use crate::scoring::{Explanation, percent};
use crate::target_value::{Operator, TargetValue, compare};

/// A warning light. Always shown with its word, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// 绿灯: on track.
    Green,
    /// 蓝灯: well ahead of the pro-rata target (over-achievement; the target may be low).
    Blue,
    /// 黄灯: behind, to watch.
    Yellow,
    /// 红灯: seriously behind.
    Red,
}

impl Light {
    /// `红灯`, `黄灯`, `绿灯`.
    pub fn name(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Blue => "蓝灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }

    /// The code used in URLs and CSS (`red`, `yellow`, `green`).
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Blue => "blue",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    /// The light of a code.
    pub fn from_code(code: &str) -> Option<Light> {
        [Light::Green, Light::Blue, Light::Yellow, Light::Red]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

/// The bands and triggers of the monitoring warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitoringPolicy {
    /// Execution ÷ 序时进度, in percent, below which the light is red (default 60).
    #[serde(with = "rust_decimal::serde::str")]
    pub red_below: Decimal,
    /// … below which it is yellow (default 80); at or above it, green.
    #[serde(with = "rust_decimal::serde::str")]
    pub yellow_below: Decimal,
    /// A 数量指标 this many percent behind its pro-rata target needs a cause (default 30).
    #[serde(with = "rust_decimal::serde::str")]
    pub deviation_trigger: Decimal,
    /// A 数量指标 at this many percent of its pro-rata target or more is 蓝灯 (default 120;
    /// `None` turns the light off).
    #[serde(with = "rust_decimal::serde::str_option")]
    pub blue_from: Option<Decimal>,
}

impl Default for MonitoringPolicy {
    fn default() -> MonitoringPolicy {
        MonitoringPolicy {
            red_below: Decimal::from(60),
            yellow_below: Decimal::from(80),
            deviation_trigger: Decimal::from(30),
            blue_from: Some(Decimal::from(120)),
        }
    }
}

impl MonitoringPolicy {
    /// Reads a policy from JSON; missing fields keep their defaults.
    pub fn from_json(text: &str) -> Result<MonitoringPolicy, MonitoringPolicyError> {
        let p: MonitoringPolicy = serde_json::from_str(text)
            .map_err(|e| MonitoringPolicyError(format!("监控预警规则 JSON 有误：{e}")))?;
        p.check()?;
        Ok(p)
    }

    /// The bands must rise: 0 ≤ red < yellow, and the trigger is positive.
    pub fn check(&self) -> Result<(), MonitoringPolicyError> {
        if self.red_below < Decimal::ZERO || self.red_below >= self.yellow_below {
            return Err(MonitoringPolicyError(format!(
                "红灯界限（{}%）应小于黄灯界限（{}%），且不小于0",
                self.red_below, self.yellow_below
            )));
        }
        if self.blue_from.is_some_and(|b| b <= Decimal::ONE_HUNDRED) {
            return Err(MonitoringPolicyError(format!(
                "蓝灯界限（{}%）应大于100%",
                self.blue_from.unwrap_or_default()
            )));
        }
        if self.deviation_trigger <= Decimal::ZERO {
            return Err(MonitoringPolicyError(format!(
                "偏差触发比例（{}%）应大于0",
                self.deviation_trigger
            )));
        }
        Ok(())
    }

    /// The light of an execution-to-time ratio, in percent.
    pub fn light(&self, ratio: Decimal) -> Light {
        if ratio < self.red_below {
            Light::Red
        } else if ratio < self.yellow_below {
            Light::Yellow
        } else {
            Light::Green
        }
    }
}

/// A monitoring policy that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MonitoringPolicyError(pub String);

/// The budget-execution warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionWarning {
    /// Execution rate (executed ÷ budget) as a fraction, when computable.
    pub rate: Option<Decimal>,
    /// 序时进度: months elapsed ÷ 12, as a fraction.
    pub time_share: Decimal,
    /// Rate ÷ 序时进度 × 100, when computable.
    pub ratio: Option<Decimal>,
    /// The light; none when the figures are missing.
    pub light: Option<Light>,
    /// How it was obtained.
    pub explanation: Explanation,
}

/// An indicator's warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorWarning {
    /// Row index in the form.
    pub row: usize,
    /// 三级指标.
    pub name: String,
    /// The light; none when nothing can be said.
    pub light: Option<Light>,
    /// True when the row must state a cause and measures and does not.
    pub needs_reason: bool,
    /// How it was obtained.
    pub explanation: Explanation,
}

/// A monitoring form's warnings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonitorResult {
    /// Budget execution.
    pub execution: ExecutionWarning,
    /// Per indicator, in form order.
    pub indicators: Vec<IndicatorWarning>,
    /// The form's light: the worst of all.
    pub light: Option<Light>,
    /// What the unit still has to write, in sentences.
    pub missing: Vec<String>,
}

fn month_share(month: u8) -> Decimal {
    Decimal::from(month.clamp(1, 12)) / Decimal::from(12)
}

/// The budget-execution light of a form.
pub fn execution(form: &Monitoring, policy: &MonitoringPolicy) -> ExecutionWarning {
    let time_share = month_share(form.period_end_month);
    let month = form.period_end_month.clamp(1, 12);
    let mut e = Explanation::rule(format!(
        "序时进度 = {month} ÷ 12；执行进度比 = 执行率 ÷ 序时进度 × 100；低于{}为红灯，低于{}为黄灯，其余为绿灯",
        policy.red_below, policy.yellow_below
    ));
    let total = form
        .funds
        .iter()
        .find(|r| r.source == FundSource::Total)
        .or_else(|| form.funds.first());
    let (budget, executed) = match total {
        Some(r) => (r.budget().copied(), r.executed),
        None => (None, None),
    };
    if let Some(b) = budget {
        e = e.input("预算数", b);
    }
    if let Some(x) = executed {
        e = e.input(format!("1—{month}月执行数"), x);
    }
    let rate = match (executed, budget) {
        (Some(x), Some(b)) if !b.is_zero() => x.ratio_to(&b),
        _ => None,
    };
    let Some(rate) = rate else {
        e.step("预算数或执行数未填写（或预算为0），无法计算执行进度");
        return ExecutionWarning {
            rate: None,
            time_share,
            ratio: None,
            light: None,
            explanation: e,
        };
    };
    let ratio = round2(rate * Decimal::ONE_HUNDRED / time_share);
    let light = policy.light(ratio);
    e.step(format!(
        "执行率 = {}；序时进度 = {month} ÷ 12 = {}；{} ÷ {} × 100 = {}，{}",
        percent(rate),
        percent(time_share),
        percent(rate),
        percent(time_share),
        ratio.normalize(),
        light.name()
    ));
    ExecutionWarning {
        rate: Some(rate),
        time_share,
        ratio: Some(ratio),
        light: Some(light),
        explanation: e,
    }
}

fn written(text: Option<&String>) -> bool {
    text.is_some_and(|t| !t.trim().is_empty())
}

/// How far a 数量指标's progress is behind its pro-rata target, in percent, with the words.
fn behind(row: &MonitoredIndicator, time_share: Decimal) -> Option<(Decimal, String)> {
    if Level2::parse(&row.level2) != Some(Level2::Quantity) {
        return None;
    }
    let target = TargetValue::parse(&row.target);
    let progress = TargetValue::parse(&row.progress);
    let c = compare(&target, &progress, |t| {
        t.operator.as_ref().map_or(Operator::Ge, |w| w.operator)
    });
    let m = c.matches.first()?;
    if m.target
        .operator
        .as_ref()
        .is_some_and(|w| w.operator.is_reverse())
    {
        return None;
    }
    let (low, _) = m.target_base()?;
    let staged = low * time_share;
    if staged <= Decimal::ZERO {
        return None;
    }
    let gap = round2((staged - m.actual_base) / staged * Decimal::ONE_HUNDRED);
    Some((
        gap,
        format!(
            "年度指标值{}，按序时进度应完成{}，实际{}，落后{}%",
            row.target.trim(),
            round2(staged).normalize(),
            m.actual_base.normalize(),
            gap.max(Decimal::ZERO).normalize()
        ),
    ))
}

/// A reverse indicator's (≤, ＜) progress against its ceiling: (past the annual ceiling, percent
/// above the pro-rata ceiling, words).
fn over_ceiling(row: &MonitoredIndicator, time_share: Decimal) -> Option<(bool, Decimal, String)> {
    let target = TargetValue::parse(&row.target);
    let progress = TargetValue::parse(&row.progress);
    let c = compare(&target, &progress, |t| {
        t.operator.as_ref().map_or(Operator::Ge, |w| w.operator)
    });
    let m = c.matches.first()?;
    if !m
        .target
        .operator
        .as_ref()
        .is_some_and(|w| w.operator.is_reverse())
    {
        return None;
    }
    let (ceiling, _) = m.target_base()?;
    let staged = ceiling * time_share;
    if staged <= Decimal::ZERO {
        return None;
    }
    let past = m.actual_base > ceiling;
    let over = round2((m.actual_base - staged) / staged * Decimal::ONE_HUNDRED);
    Some((
        past,
        over,
        format!(
            "反向指标，全年上限{}，按序时进度应不超过{}，实际{}",
            row.target.trim(),
            round2(staged).normalize(),
            m.actual_base.normalize()
        ),
    ))
}

/// The light of one indicator: its stated 完成目标可能性; for a 数量指标 its progress against
/// the pro-rata target (behind: 黄灯, well ahead: 蓝灯); for a reverse indicator its progress
/// against its ceiling; a qualitative one by its 完成目标可能性 alone.
pub fn indicator(
    k: usize,
    row: &MonitoredIndicator,
    time_share: Decimal,
    policy: &MonitoringPolicy,
) -> IndicatorWarning {
    let mut e = Explanation::rule(format!(
        "完成目标可能性：确定能为绿灯，有可能为黄灯，完全不可能为红灯；数量指标落后于序时进度目标超过{}%为黄灯；选“有可能”“完全不可能”或落后超过{}%时须填写偏差原因",
        policy.deviation_trigger, policy.deviation_trigger
    ))
    .input("年度指标值", &row.target)
    .input("执行情况", &row.progress);
    let mut light = None;
    let mut needs_cause = false;
    if let Some(l) = row.likelihood {
        let by_likelihood = match l {
            Likelihood::Certain => Light::Green,
            Likelihood::Possible => Light::Yellow,
            Likelihood::Impossible => Light::Red,
        };
        e.step(format!(
            "完成目标可能性为“{}”：{}",
            l.name(),
            by_likelihood.name()
        ));
        light = Some(by_likelihood);
        needs_cause |= l != Likelihood::Certain;
    }
    if let Some((gap, words)) = behind(row, time_share) {
        // Progress as a share of the pro-rata target: 100 − the gap behind.
        let reached = Decimal::ONE_HUNDRED - gap;
        if gap > policy.deviation_trigger {
            e.step(format!("{words}，超过{}%：黄灯", policy.deviation_trigger));
            light = light.max(Some(Light::Yellow));
            needs_cause = true;
        } else if let Some(blue) = policy.blue_from.filter(|b| reached >= *b) {
            e.step(format!(
                "{words}（即完成序时进度目标的{}%），达到{}%：蓝灯，超额完成，目标值可能偏低",
                reached.normalize(),
                blue.normalize()
            ));
            light = light.max(Some(Light::Blue));
        } else {
            e.step(format!("{words}，未超过{}%", policy.deviation_trigger));
            light = light.max(Some(Light::Green));
        }
    } else if let Some((past, over, words)) = over_ceiling(row, time_share) {
        if past {
            e.step(format!("{words}，已超过全年上限：红灯"));
            light = light.max(Some(Light::Red));
            needs_cause = true;
        } else if over > policy.deviation_trigger {
            e.step(format!(
                "{words}，超出序时进度{}%，超过{}%：黄灯",
                over.normalize(),
                policy.deviation_trigger
            ));
            light = light.max(Some(Light::Yellow));
            needs_cause = true;
        } else {
            e.step(format!("{words}，在序时进度之内"));
            light = light.max(Some(Light::Green));
        }
    } else if TargetValue::parse(&row.target).terms().is_empty() {
        e.step("定性指标：按完成目标可能性判断");
    }
    if light.is_none() {
        e.step("未选择完成目标可能性，执行情况无法与指标值按序时进度比较");
    }
    let needs_reason = needs_cause && !written(row.deviation_reason.as_ref());
    if needs_reason {
        e.step("须填写偏差原因分析，尚未填写");
    }
    IndicatorWarning {
        row: k,
        name: row.name.clone(),
        light,
        needs_reason,
        explanation: e,
    }
}

/// All warnings of a monitoring form.
pub fn monitor(form: &Monitoring, policy: &MonitoringPolicy) -> MonitorResult {
    let execution = execution(form, policy);
    let indicators: Vec<IndicatorWarning> = form
        .indicators
        .iter()
        .enumerate()
        .map(|(k, row)| indicator(k, row, execution.time_share, policy))
        .collect();
    let light = indicators
        .iter()
        .filter_map(|i| i.light)
        .chain(execution.light)
        .max();
    let mut missing: Vec<String> = indicators
        .iter()
        .filter(|i| i.needs_reason)
        .map(|i| format!("指标“{}”须填写偏差原因分析", i.name))
        .collect();
    let explain = execution.rate == Some(Decimal::ZERO)
        || light == Some(Light::Red)
        || indicators.iter().any(|i| i.light == Some(Light::Red));
    if explain && !(written(form.problems.as_ref()) && written(form.measures.as_ref())) {
        missing.push("执行率为0或出现红灯：须填写存在问题及原因和拟采取的措施".to_string());
    }
    MonitorResult {
        execution,
        indicators,
        light,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::monitoring::MonitoringFunds;
    use crate::money::{Amount, MoneyUnit};

    fn form(budget: &str, executed: &str, month: u8) -> Monitoring {
        let wan = |s: &str| Amount::parse(s, Some(MoneyUnit::Wan)).ok();
        Monitoring {
            year: Some(2026),
            project_name: "老工伤工作经费".into(),
            competent_department: None,
            implementing_unit: None,
            layout: Default::default(),
            other_fields: Vec::new(),
            period_end_month: month,
            funds: vec![MonitoringFunds {
                source: FundSource::Total,
                initial_budget: wan(budget),
                adjusted_budget: None,
                executed: wan(executed),
                expected_year_end: None,
            }],
            overall_target: Default::default(),
            indicators: Vec::new(),
            problems: None,
            measures: None,
        }
    }

    fn ratio_light(executed: &str) -> (Option<Decimal>, Option<Light>) {
        // Budget 12 over 6 months: 序时进度 50%, so executed 3.6 is a ratio of 60.
        let w = execution(&form("12", executed, 6), &MonitoringPolicy::default());
        (w.ratio, w.light)
    }

    #[test]
    fn execution_bands_at_their_edges() {
        assert_eq!(
            ratio_light("3.6"),
            (Some(Decimal::from(60)), Some(Light::Yellow))
        );
        assert_eq!(ratio_light("3.59").1, Some(Light::Red));
        assert_eq!(
            ratio_light("4.8"),
            (Some(Decimal::from(80)), Some(Light::Green))
        );
        assert_eq!(ratio_light("4.79").1, Some(Light::Yellow));
        assert_eq!(ratio_light("0").1, Some(Light::Red));
        assert_eq!(ratio_light("12").1, Some(Light::Green));
    }

    #[test]
    fn bands_are_configurable_and_checked() {
        let strict = MonitoringPolicy::from_json(r#"{"red_below": "70", "yellow_below": "90"}"#)
            .expect("valid");
        let w = execution(&form("12", "4.8", 6), &strict);
        assert_eq!(w.light, Some(Light::Yellow), "80 is yellow under 70/90");
        assert!(
            MonitoringPolicy::from_json(r#"{"red_below": "90", "yellow_below": "80"}"#).is_err()
        );
        assert!(MonitoringPolicy::from_json(r#"{"deviation_trigger": "0"}"#).is_err());
    }

    #[test]
    fn a_warning_explains_itself() {
        let w = execution(&form("12.8", "2", 7), &MonitoringPolicy::default());
        let text = w.explanation.to_string();
        assert!(
            text.contains("15.63%") && text.contains("58.33%") && text.contains("红灯"),
            "{text}"
        );
        let none = execution(&form("0", "2", 7), &MonitoringPolicy::default());
        assert_eq!(none.light, None);
        assert!(none.explanation.to_string().contains("无法计算"));
    }

    fn row(
        level2: &str,
        target: &str,
        progress: &str,
        likelihood: Option<Likelihood>,
    ) -> MonitoredIndicator {
        MonitoredIndicator {
            level1: "产出指标".into(),
            level2: level2.into(),
            name: "宣传次数".into(),
            target: target.into(),
            progress: progress.into(),
            expected_year_end: String::new(),
            likelihood,
            cause: None,
            deviation_reason: None,
            note: None,
        }
    }

    #[test]
    fn blue_for_well_ahead_red_for_a_ceiling_passed_and_words_for_the_qualitative() {
        let p = MonitoringPolicy::default();
        let half = month_share(6);
        // ≥12次 by June: 6 expected; 7.2 is 120%: 蓝灯; 7.1 is not.
        let ahead = indicator(0, &row("数量指标", "≥12次", "7.2次", None), half, &p);
        assert_eq!(ahead.light, Some(Light::Blue), "{}", ahead.explanation);
        assert!(ahead.explanation.to_string().contains("目标值可能偏低"));
        let near = indicator(0, &row("数量指标", "≥12次", "7.1次", None), half, &p);
        assert_eq!(near.light, Some(Light::Green));
        // A stated doubt outweighs the blue.
        let doubted = indicator(
            0,
            &row("数量指标", "≥12次", "7.2次", Some(Likelihood::Possible)),
            half,
            &p,
        );
        assert_eq!(doubted.light, Some(Light::Yellow));
        // Off: no blue.
        let off = MonitoringPolicy {
            blue_from: None,
            ..MonitoringPolicy::default()
        };
        assert_eq!(
            indicator(0, &row("数量指标", "≥12次", "9次", None), half, &off).light,
            Some(Light::Green)
        );
        assert!(MonitoringPolicy::from_json(r#"{"blue_from": "90"}"#).is_err());
        // A reverse indicator: ≤12万元 by June allows 6; 7 is within 30%, 8 is not, 13 is past
        // the whole year's ceiling.
        let cost = |x: &str| indicator(0, &row("成本指标", "≤12万元", x, None), half, &p);
        assert_eq!(cost("7万元").light, Some(Light::Green));
        assert_eq!(cost("8万元").light, Some(Light::Yellow));
        assert!(cost("8万元").needs_reason);
        assert_eq!(
            cost("13万元").light,
            Some(Light::Red),
            "{}",
            cost("13万元").explanation
        );
        // A qualitative indicator: its likelihood alone, said so.
        let q = indicator(
            0,
            &row("质量指标", "服务质量明显提升", "有所提升", None),
            half,
            &p,
        );
        assert_eq!(q.light, None);
        assert!(q.explanation.to_string().contains("定性指标"));
    }

    #[test]
    fn quantity_rows_against_the_pro_rata_target() {
        let p = MonitoringPolicy::default();
        let half = month_share(6);
        // ≥12次 by June: 6 expected. 4.2 is exactly 30% behind: not past the trigger.
        let at = indicator(0, &row("数量指标", "≥12次", "4.2次", None), half, &p);
        assert_eq!(at.light, Some(Light::Green));
        assert!(!at.needs_reason);
        let past = indicator(0, &row("数量指标", "≥12次", "4.1次", None), half, &p);
        assert_eq!(past.light, Some(Light::Yellow));
        assert!(past.needs_reason, "{}", past.explanation);
        // Not a quantity: only the likelihood counts.
        let quality = indicator(0, &row("质量指标", "≥90%", "10%", None), half, &p);
        assert_eq!(quality.light, None);
        let impossible = indicator(
            0,
            &row("质量指标", "≥90%", "10%", Some(Likelihood::Impossible)),
            half,
            &p,
        );
        assert_eq!(impossible.light, Some(Light::Red));
        assert!(impossible.needs_reason);
    }

    #[test]
    fn red_needs_problems_and_measures() {
        let mut f = form("12", "0", 7);
        f.indicators
            .push(row("数量指标", "≥12次", "7次", Some(Likelihood::Certain)));
        let r = monitor(&f, &MonitoringPolicy::default());
        assert_eq!(r.light, Some(Light::Red));
        assert_eq!(r.missing.len(), 1, "{:?}", r.missing);
        f.problems = Some("资金拨付滞后".into());
        f.measures = Some("加快支付".into());
        assert!(monitor(&f, &MonitoringPolicy::default()).missing.is_empty());
    }
}
