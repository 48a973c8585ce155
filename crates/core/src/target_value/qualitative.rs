//! Qualitative values: what a text with no measurable quantity says, and vague wording.
//!
//! The class is a reading of the words, not a verdict: it lets scoring pick the qualitative
//! tier an actual value claims (`达成`, `部分完成`, `未完成`), and lets audit flag targets that
//! cannot be measured (`逐年提高`, `显著改善`, `长期`).

use serde::{Deserialize, Serialize};

/// What a qualitative text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualitativeClass {
    /// Claims full achievement (达成, 完成, 实现, 满意, 已…, 到位).
    Achieved,
    /// Claims partial achievement (部分达成, 基本完成).
    Partial,
    /// States failure (未完成, 未达到, 不满意, 低于预期).
    NotAchieved,
    /// A direction with no number (逐年提高, 显著改善, 进一步加强).
    Trend,
    /// A duration with no number (长期, 持续).
    Duration,
    /// Any other statement.
    Statement,
}

const NOT_ACHIEVED: &[&str] = &[
    "未达成",
    "未完成",
    "未达到",
    "未实现",
    "未能",
    "没有完成",
    "没有达到",
    "不满意",
    "低于预期",
    "未按",
    "尚未",
    "否",
];
const PARTIAL: &[&str] = &[
    "部分达成",
    "部分完成",
    "部分实现",
    "基本达成",
    "基本完成",
    "基本实现",
    "基本满意",
    "部分",
];
const ACHIEVED: &[&str] = &[
    "达成", "完成", "实现", "满意", "到位", "做到", "已", "达标", "合格", "是",
];
const TREND: &[&str] = &[
    "逐年",
    "逐步",
    "不断",
    "进一步",
    "提高",
    "提升",
    "改善",
    "增强",
    "加强",
    "下调",
    "上升",
];
const DURATION: &[&str] = &["长期", "持续", "长效"];

/// Words that typically make a value unmeasurable (rules.md §2.2).
const VAGUE: &[&str] = &[
    "进一步",
    "明显",
    "显著",
    "有效",
    "逐年",
    "逐步",
    "不断",
    "提升",
    "提高",
    "改善",
    "促进",
    "加强",
    "较好",
    "良好",
    "长期",
    "稳步",
    "持续",
    "大幅",
    "积极",
];

impl QualitativeClass {
    /// Classifies a (width-folded) text. Failure words are checked before success words, so
    /// `未完成` is not read as `完成`.
    pub fn of(text: &str) -> QualitativeClass {
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if has(NOT_ACHIEVED) {
            QualitativeClass::NotAchieved
        } else if has(PARTIAL) {
            QualitativeClass::Partial
        } else if has(ACHIEVED) {
            QualitativeClass::Achieved
        } else if has(TREND) {
            QualitativeClass::Trend
        } else if has(DURATION) {
            QualitativeClass::Duration
        } else {
            QualitativeClass::Statement
        }
    }
}

/// The vague words found in `text`, in catalogue order, without duplicates.
pub(super) fn vague_words(text: &str) -> Vec<String> {
    VAGUE
        .iter()
        .filter(|w| text.contains(*w))
        .map(|w| (*w).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_words_win_over_success_words() {
        assert_eq!(
            QualitativeClass::of("未完成"),
            QualitativeClass::NotAchieved
        );
        assert_eq!(QualitativeClass::of("基本完成"), QualitativeClass::Partial);
        assert_eq!(QualitativeClass::of("达成"), QualitativeClass::Achieved);
        assert_eq!(QualitativeClass::of("满意"), QualitativeClass::Achieved);
        assert_eq!(QualitativeClass::of("逐年提高"), QualitativeClass::Trend);
        assert_eq!(QualitativeClass::of("长期"), QualitativeClass::Duration);
        assert_eq!(
            QualitativeClass::of("维持社会稳定"),
            QualitativeClass::Statement
        );
    }

    #[test]
    fn vague_words_are_listed_once() {
        assert_eq!(vague_words("显著改善"), vec!["显著", "改善"]);
        assert!(vague_words("待遇正确率100%").is_empty());
    }
}
