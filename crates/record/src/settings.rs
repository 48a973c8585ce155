//! A fiscal year's settings, set by the 管理员: the scoring policy, the monitoring bands, the
//! budget consequence of each grade (结果应用, rules.md §7.3 — local rules differ, so it is
//! data), the evaluation rule set the bureau uses, and whether the results page is public.

use jixiao_core::grade::Grade;
use jixiao_core::monitor::MonitoringPolicy;
use jixiao_core::scoring::ScoringPolicy;
use serde::{Deserialize, Serialize};

/// Why settings could not be read or written, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The settings are not valid (a band, a policy), with what is wrong.
    #[error("{0}")]
    Invalid(String),
    /// They could not be written as JSON.
    #[error("{0}")]
    Unwritable(String),
}

/// The settings of one fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct YearSettings {
    /// How self-evaluations are scored.
    pub scoring: ScoringPolicy,
    /// The monitoring warning bands.
    pub monitoring: MonitoringPolicy,
    /// The budget consequence of each grade.
    pub consequences: Consequences,
    /// The built-in evaluation rule set of the bureau's department evaluation.
    pub rule_set: String,
    /// True once the bureau has published the year's results page.
    pub results_public: bool,
    /// The day it was published (`2026-12-07`), shown on the public page.
    pub published_on: Option<String>,
    /// A project declaration goes on (送确认) only with an ex-ante assessment (事前绩效评估) of
    /// the same project, handed over, whose total calls for 予以支持 or 调整完善后予以支持.
    pub require_ex_ante: bool,
}

/// What each grade means for next year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequences {
    /// 优.
    pub excellent: String,
    /// 良.
    pub good: String,
    /// 中.
    pub fair: String,
    /// 差.
    pub poor: String,
}

impl Default for Consequences {
    /// 财预〔2020〕10号 and the local rules of rules.md §7.3: 优/良 supported, 中 cut, 差
    /// cancelled or suspended.
    fn default() -> Consequences {
        Consequences {
            excellent: "优先保障，下年度预算予以支持".into(),
            good: "按需安排下年度预算".into(),
            fair: "督促整改，下年度预算按比例压减".into(),
            poor: "责令整改，下年度预算取消或暂停安排".into(),
        }
    }
}

impl Consequences {
    /// The consequence of a grade.
    pub fn of(&self, grade: Grade) -> &str {
        match grade {
            Grade::Excellent => &self.excellent,
            Grade::Good => &self.good,
            Grade::Fair => &self.fair,
            Grade::Poor => &self.poor,
        }
    }
}

impl Default for YearSettings {
    fn default() -> YearSettings {
        YearSettings {
            scoring: ScoringPolicy::default(),
            monitoring: MonitoringPolicy::default(),
            consequences: Consequences::default(),
            rule_set: "hunan-department".into(),
            results_public: false,
            published_on: None,
            require_ex_ante: false,
        }
    }
}

impl YearSettings {
    /// Reads settings from their JSON; every part is checked (a wrong band or policy is refused
    /// with what is wrong).
    pub fn from_json(text: &str) -> Result<YearSettings, SettingsError> {
        let s: YearSettings = serde_json::from_str(text)
            .map_err(|e| SettingsError::Invalid(format!("年度设置有误：{e}")))?;
        s.monitoring
            .check()
            .map_err(|e| SettingsError::Invalid(format!("监控预警设置有误：{e}")))?;
        let scoring = serde_json::to_string(&s.scoring).map_err(|e| unwritable("计分政策", e))?;
        ScoringPolicy::from_json(&scoring)
            .map_err(|e| SettingsError::Invalid(format!("计分政策有误：{e}")))?;
        Ok(s)
    }

    /// The settings as JSON (an error, never an empty text, if they cannot be written).
    pub fn to_json(&self) -> Result<String, SettingsError> {
        serde_json::to_string(self).map_err(|e| unwritable("年度设置", e))
    }
}

/// `what` could not be written as JSON, for `reason`.
fn unwritable(what: &str, reason: impl std::fmt::Display) -> SettingsError {
    SettingsError::Unwritable(format!("{what}无法写成 JSON：{reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_bad_bands_are_refused() {
        let s = YearSettings::default();
        assert_eq!(
            YearSettings::from_json(&s.to_json().expect("written")).ok(),
            Some(s.clone())
        );
        let partial =
            YearSettings::from_json(r#"{"results_public": true}"#).expect("defaults fill in");
        assert!(partial.results_public);
        assert_eq!(partial.consequences.of(Grade::Poor), s.consequences.poor);
        let bad =
            YearSettings::from_json(r#"{"monitoring": {"red_below": "90", "yellow_below": "80"}}"#);
        assert!(bad.is_err());
    }
}
