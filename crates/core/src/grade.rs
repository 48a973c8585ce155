//! Grades (等级) and the score bands that give them.
//!
//! Default bands follow 财预〔2020〕10号 and the MOF 预算司 clarification as half-open
//! intervals: 优 `[90,100]`, 良 `[80,90)`, 中 `[60,80)`, 差 `[0,60)` (rules.md §1.5, §9.6).

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A performance grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// 优.
    #[serde(rename = "优")]
    Excellent,
    /// 良.
    #[serde(rename = "良")]
    Good,
    /// 中.
    #[serde(rename = "中")]
    Fair,
    /// 差.
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    /// The grade as written: 优, 良, 中, 差.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// Reads a grade as written on a form (`优`, `等级：优`, `良好`→良 is not accepted).
    pub fn parse(text: &str) -> Option<Grade> {
        let t: String = text.split_whitespace().collect();
        let t = t
            .strip_prefix("等级：")
            .or_else(|| t.strip_prefix("等级:"))
            .unwrap_or(&t);
        match t {
            "优" | "优秀" => Some(Grade::Excellent),
            "良" => Some(Grade::Good),
            "中" => Some(Grade::Fair),
            "差" => Some(Grade::Poor),
            _ => None,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The lower bounds (inclusive) of 优, 良 and 中; below 中 is 差.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeBands {
    /// Lowest score that is 优 (default 90).
    pub excellent: Decimal,
    /// Lowest score that is 良 (default 80).
    pub good: Decimal,
    /// Lowest score that is 中 (default 60).
    pub fair: Decimal,
}

impl Default for GradeBands {
    fn default() -> GradeBands {
        GradeBands {
            excellent: Decimal::from(90),
            good: Decimal::from(80),
            fair: Decimal::from(60),
        }
    }
}

impl GradeBands {
    /// The grade of `score` (89.5 is 良: bands are half-open).
    pub fn grade(&self, score: Decimal) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.fair {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    /// The band as text, for explanations: `90分（含）以上为优，…`.
    pub fn describe(&self) -> String {
        format!(
            "{}分（含）以上为优，{}分（含）至{}分为良，{}分（含）至{}分为中，{}分以下为差",
            self.excellent.normalize(),
            self.good.normalize(),
            self.excellent.normalize(),
            self.fair.normalize(),
            self.good.normalize(),
            self.fair.normalize()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn bands_are_half_open() {
        let b = GradeBands::default();
        assert_eq!(b.grade(d("100")), Grade::Excellent);
        assert_eq!(b.grade(d("90")), Grade::Excellent);
        assert_eq!(b.grade(d("89.99")), Grade::Good);
        assert_eq!(b.grade(d("89.5")), Grade::Good);
        assert_eq!(b.grade(d("80")), Grade::Good);
        assert_eq!(b.grade(d("79.99")), Grade::Fair);
        assert_eq!(b.grade(d("60")), Grade::Fair);
        assert_eq!(b.grade(d("59.99")), Grade::Poor);
        assert_eq!(b.grade(d("0")), Grade::Poor);
    }

    #[test]
    fn reads_grades_as_written() {
        assert_eq!(Grade::parse("等级：优"), Some(Grade::Excellent));
        assert_eq!(Grade::parse("良"), Some(Grade::Good));
        assert_eq!(Grade::parse("很好"), None);
    }
}
