//! Discrepancies: where what the form states differs from what the rules give, or where a
//! scoring rule needs something the form lacks. Audit turns these into findings.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::indicator::Level1;

/// What a discrepancy is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "subject")]
pub enum Subject {
    /// An indicator row (0-based index in the form) and its name.
    Indicator {
        /// Row index.
        row: usize,
        /// 三级指标 name.
        name: String,
    },
    /// The execution rate cell.
    ExecutionRate,
    /// The execution rate's 得分 cell.
    ExecutionScore,
    /// A first-level group.
    Group {
        /// The group.
        level1: Level1,
    },
    /// The weights of the whole form.
    Weights,
    /// The 总分 cell.
    Total,
    /// The grade.
    Grade,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Indicator { row, name } => write!(f, "第{}项指标“{name}”", row + 1),
            Subject::ExecutionRate => f.write_str("执行率"),
            Subject::ExecutionScore => f.write_str("执行率得分"),
            Subject::Group { level1 } => write!(f, "{level1}"),
            Subject::Weights => f.write_str("分值设置"),
            Subject::Total => f.write_str("总分"),
            Subject::Grade => f.write_str("等级"),
        }
    }
}

/// The kind of discrepancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// A stated indicator score differs from the computed one.
    ScoreDiffers,
    /// The stated execution rate differs from executed ÷ budget.
    RateDiffers,
    /// The stated execution score differs.
    ExecutionScoreDiffers,
    /// The stated total differs.
    TotalDiffers,
    /// The stated grade differs from the grade of the computed total.
    GradeDiffers,
    /// A group's weights do not add up to the points its label states (`产出指标 (50分)`).
    GroupLabelDiffers,
    /// A group's weights differ from the policy's level-1 weight.
    Level1WeightDiffers,
    /// The weights do not add up to the full score.
    WeightTotalDiffers,
    /// A stated score is above the indicator's weight.
    ScoreAboveWeight,
    /// A qualitative score lies outside the band of the tier the actual value claims.
    QualitativeOutOfBand,
    /// The actual exceeds the target by the overshoot threshold and no reason is given.
    OvershootUnexplained,
    /// Target and actual cannot be compared automatically; the stated score was kept.
    NotComparable,
    /// A row's labels are not in the indicator catalog.
    UnknownIndicatorGroup,
    /// A row lacks its weight, or its score cannot be computed.
    NotComputable,
    /// A manual override is outside [0, weight].
    InvalidOverride,
}

/// One discrepancy, with the stated and computed values where there are two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// Kind.
    pub kind: DiscrepancyKind,
    /// Where.
    pub subject: Subject,
    /// What the form states.
    pub stated: Option<String>,
    /// What Jixiao computes.
    pub computed: Option<String>,
    /// A Chinese sentence with the evidence.
    pub message: String,
}

impl fmt::Display for Discrepancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.subject, self.message)
    }
}
