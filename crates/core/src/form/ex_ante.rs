//! 事前绩效评估表: the ex-ante assessment of a new (or continuing) project before it is
//! budgeted. The assessor scores five aspects — 立项必要性, 投入经济性, 绩效目标合理性, 实施方案
//! 可行性, 筹资合规性 — each out of its points (usually 20) with the reasoning, and concludes
//! 予以支持, 调整完善后予以支持 or 不予支持. Every number is what the form printed; the total
//! and the conclusion the scores call for are computed by [`crate::ex_ante`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Field;
use super::cell::opt_decimal;
use crate::money::Amount;

/// A filled-in ex-ante assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExAnteAssessment {
    /// 年度 (the budget year the project is assessed for).
    #[serde(default)]
    pub year: Option<u16>,
    /// 项目名称.
    pub project_name: String,
    /// 项目单位 (预算单位).
    #[serde(default)]
    pub unit: String,
    /// 主管部门.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 申请资金 (万元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds: Option<Amount>,
    /// 评估机构（评估人）.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
    /// Other header cells as printed (项目属性, 评估时间 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// The scored aspects, in form order.
    #[serde(default)]
    pub aspects: Vec<AspectRow>,
    /// 总分 as printed.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_total: Option<Decimal>,
    /// 评估结论 as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<Conclusion>,
    /// 评估意见及建议.
    #[serde(default)]
    pub opinion: String,
}

/// One scored aspect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AspectRow {
    /// The aspect as printed (立项必要性 …).
    pub name: String,
    /// 分值.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// 得分.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// 评估意见 (why points were taken off).
    #[serde(default)]
    pub reasoning: String,
}

/// The five aspects of the national practice, in form order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// 立项必要性.
    Necessity,
    /// 投入经济性.
    Economy,
    /// 绩效目标合理性.
    Targets,
    /// 实施方案可行性.
    Feasibility,
    /// 筹资合规性.
    Financing,
}

impl Aspect {
    /// Every aspect, in form order.
    pub const ALL: [Aspect; 5] = [
        Aspect::Necessity,
        Aspect::Economy,
        Aspect::Targets,
        Aspect::Feasibility,
        Aspect::Financing,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Necessity => "立项必要性",
            Aspect::Economy => "投入经济性",
            Aspect::Targets => "绩效目标合理性",
            Aspect::Feasibility => "实施方案可行性",
            Aspect::Financing => "筹资合规性",
        }
    }

    /// The aspect a printed label names (`一、立项必要性（20分）`, and the policy forms'
    /// 政策设立必要性, 政策保障充分性, 政策目标合理性, 政策实施可持续性, 政策资金合规性).
    pub fn parse(label: &str) -> Option<Aspect> {
        let words: [(&str, Aspect); 10] = [
            ("必要性", Aspect::Necessity),
            ("经济性", Aspect::Economy),
            ("保障充分性", Aspect::Economy),
            ("目标合理性", Aspect::Targets),
            ("绩效目标", Aspect::Targets),
            ("可行性", Aspect::Feasibility),
            ("可持续性", Aspect::Feasibility),
            ("筹资", Aspect::Financing),
            ("合规性", Aspect::Financing),
            ("实施方案", Aspect::Feasibility),
        ];
        words
            .iter()
            .find(|(w, _)| label.contains(w))
            .map(|(_, a)| *a)
    }
}

/// 评估结论.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 予以支持.
    Support,
    /// 调整完善后予以支持.
    SupportAfterRevision,
    /// 不予支持.
    NotSupported,
}

impl Conclusion {
    /// Every conclusion, most favourable first.
    pub const ALL: [Conclusion; 3] = [
        Conclusion::Support,
        Conclusion::SupportAfterRevision,
        Conclusion::NotSupported,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Conclusion::Support => "予以支持",
            Conclusion::SupportAfterRevision => "调整完善后予以支持",
            Conclusion::NotSupported => "不予支持",
        }
    }

    /// The conclusion a printed text states (`予以支持`, `调整完善后支持`, `不予支持`, with or
    /// without a ticked box: `☑予以支持 □不予支持`).
    pub fn parse(text: &str) -> Option<Conclusion> {
        let t: String = text.split_whitespace().collect();
        // A ticked box names the choice among printed alternatives.
        for tick in ['☑', '√', '✓', '■', '☒'] {
            if let Some(at) = t.find(tick) {
                return Conclusion::parse_plain(&t[at + tick.len_utf8()..]);
            }
        }
        Conclusion::parse_plain(&t)
    }

    fn parse_plain(t: &str) -> Option<Conclusion> {
        if t.starts_with("不予") || (t.contains("不予支持") && !t.contains("予以支持")) {
            Some(Conclusion::NotSupported)
        } else if t.starts_with("调整") || t.starts_with("完善后") {
            Some(Conclusion::SupportAfterRevision)
        } else if t.starts_with("予以支持") || t.starts_with("支持") {
            Some(Conclusion::Support)
        } else {
            None
        }
    }

    /// True when the project may be budgeted (予以支持 or 调整完善后予以支持).
    pub fn supports(self) -> bool {
        self != Conclusion::NotSupported
    }
}

impl ExAnteAssessment {
    /// A blank assessment of `year`: the five aspects at 20 points each.
    pub fn blank(year: Option<u16>) -> ExAnteAssessment {
        ExAnteAssessment {
            year,
            project_name: String::new(),
            unit: String::new(),
            department: None,
            funds: None,
            assessor: None,
            other_fields: Vec::new(),
            aspects: Aspect::ALL
                .iter()
                .map(|a| AspectRow {
                    name: a.name().to_string(),
                    points: Some(Decimal::from(20)),
                    score: None,
                    reasoning: String::new(),
                })
                .collect(),
            stated_total: None,
            conclusion: None,
            opinion: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspects_and_conclusions_read_as_printed() {
        assert_eq!(
            Aspect::parse("一、立项必要性（20分）"),
            Some(Aspect::Necessity)
        );
        assert_eq!(Aspect::parse("政策保障充分性"), Some(Aspect::Economy));
        assert_eq!(Aspect::parse("绩效目标合理性"), Some(Aspect::Targets));
        assert_eq!(Aspect::parse("筹资合规性"), Some(Aspect::Financing));
        assert_eq!(Aspect::parse("合计"), None);
        assert_eq!(Conclusion::parse("予以支持"), Some(Conclusion::Support));
        assert_eq!(
            Conclusion::parse("调整完善后予以支持"),
            Some(Conclusion::SupportAfterRevision)
        );
        assert_eq!(
            Conclusion::parse("不予支持"),
            Some(Conclusion::NotSupported)
        );
        assert_eq!(
            Conclusion::parse("□予以支持 ☑调整完善后予以支持 □不予支持"),
            Some(Conclusion::SupportAfterRevision)
        );
        assert_eq!(Conclusion::parse("待定"), None);
        assert!(!Conclusion::NotSupported.supports());
    }
}
