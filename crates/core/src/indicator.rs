//! The 3-level indicator tree (一级 → 二级 → 三级) and its catalogs.
//!
//! Two layouts are in use: the 88号/10号 layout puts 成本指标 under 产出指标; the 101号 layout
//! makes 成本指标 a first-level group of its own with 经济/社会/生态环境成本指标 under it
//! (rules.md §2.2, §9.4). Real forms write the labels many ways (`社会效益`, `社会效益\n指标`,
//! `产出指标 (50分)`, `社会公众或服务对象满意度指标`); [`Level1::parse`] and [`Level2::parse`]
//! read them all, and [`Layout::check`] says whether a pair belongs together.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::numeral::{arabic_at, fold_width};

/// First-level indicator groups (一级指标).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level1 {
    /// 产出指标.
    Output,
    /// 成本指标 (a first-level group only in the 101号 layout).
    Cost,
    /// 效益指标.
    Benefit,
    /// 满意度指标.
    Satisfaction,
}

impl Level1 {
    /// Every group, in form order.
    pub const ALL: [Level1; 4] = [
        Level1::Output,
        Level1::Cost,
        Level1::Benefit,
        Level1::Satisfaction,
    ];

    /// The Chinese name as on forms.
    pub fn name(self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Cost => "成本指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
        }
    }

    /// Reads a first-level label (`产出指标 (50分)`, `效益`, `满意度\n指标`).
    pub fn parse(label: &str) -> Option<Level1> {
        let key = label_key(label);
        match key.as_str() {
            "产出" => Some(Level1::Output),
            "成本" => Some(Level1::Cost),
            // 效果指标: the department forms' name for 效益指标.
            "效益" | "效果" => Some(Level1::Benefit),
            "满意度" | "服务对象满意度" | "社会公众或服务对象满意度" => {
                Some(Level1::Satisfaction)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Level1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Second-level indicator groups (二级指标).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level2 {
    /// 数量指标.
    Quantity,
    /// 质量指标.
    Quality,
    /// 时效指标.
    Timeliness,
    /// 成本指标 (under 产出, 88号/10号 layout).
    Cost,
    /// 经济成本指标 (101号).
    EconomicCost,
    /// 社会成本指标 (101号).
    SocialCost,
    /// 生态环境成本指标 (101号).
    EcologicalCost,
    /// 经济效益指标.
    EconomicBenefit,
    /// 社会效益指标.
    SocialBenefit,
    /// 生态效益指标.
    EcologicalBenefit,
    /// 可持续影响指标.
    Sustainability,
    /// 服务对象满意度指标.
    Satisfaction,
}

impl Level2 {
    /// Every second-level group, in the order of the national framework.
    pub const ALL: [Level2; 12] = [
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::Cost,
        Level2::EconomicCost,
        Level2::SocialCost,
        Level2::EcologicalCost,
        Level2::EconomicBenefit,
        Level2::SocialBenefit,
        Level2::EcologicalBenefit,
        Level2::Sustainability,
        Level2::Satisfaction,
    ];

    /// The Chinese name as on forms.
    pub fn name(self) -> &'static str {
        match self {
            Level2::Quantity => "数量指标",
            Level2::Quality => "质量指标",
            Level2::Timeliness => "时效指标",
            Level2::Cost => "成本指标",
            Level2::EconomicCost => "经济成本指标",
            Level2::SocialCost => "社会成本指标",
            Level2::EcologicalCost => "生态环境成本指标",
            Level2::EconomicBenefit => "经济效益指标",
            Level2::SocialBenefit => "社会效益指标",
            Level2::EcologicalBenefit => "生态效益指标",
            Level2::Sustainability => "可持续影响指标",
            Level2::Satisfaction => "服务对象满意度指标",
        }
    }

    /// Reads a second-level label (`社会效益`, `数量\n\n指标`, `可持续影响\n指标`,
    /// `社会公众或服务对象满意度指标`, `满意度指标`).
    pub fn parse(label: &str) -> Option<Level2> {
        let key = label_key(label);
        Some(match key.as_str() {
            "数量" | "产出数量" => Level2::Quantity,
            "质量" | "产出质量" => Level2::Quality,
            "时效" | "产出时效" => Level2::Timeliness,
            "成本" | "产出成本" => Level2::Cost,
            "经济成本" => Level2::EconomicCost,
            "社会成本" => Level2::SocialCost,
            "生态环境成本" | "生态成本" => Level2::EcologicalCost,
            "经济效益" => Level2::EconomicBenefit,
            "社会效益" => Level2::SocialBenefit,
            "生态效益" => Level2::EcologicalBenefit,
            "可持续影响" | "可持续" => Level2::Sustainability,
            "服务对象满意度" | "满意度" | "社会公众或服务对象满意度" | "社会公众满意度" => {
                Level2::Satisfaction
            }
            _ => return None,
        })
    }
}

impl fmt::Display for Level2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Reduces a label to its key: widths folded, whitespace and line breaks removed, a points
/// note (`(50分)`) and a trailing `指标` dropped.
fn label_key(label: &str) -> String {
    let mut key: String = fold_width(label).split_whitespace().collect();
    if let Some(open) = key.find('(')
        && key.ends_with(')')
    {
        key.truncate(open);
    }
    // `服务对象满意度指标等`: the group, and the like.
    if let Some(stripped) = key.strip_suffix('等') {
        key = stripped.to_string();
    }
    if let Some(stripped) = key.strip_suffix("指标") {
        key = stripped.to_string();
    }
    // `社会效益效益指标` (026): the group's word printed twice.
    if let Some(stripped) = key.strip_suffix("效益效益") {
        key = format!("{stripped}效益");
    }
    // `时效性`, `可持续性`: the group's quality for the group.
    if let Some(stripped) = key.strip_suffix('性')
        && (stripped.ends_with("时效") || stripped.ends_with("可持续"))
    {
        key = stripped.to_string();
    }
    key
}

/// The points a label states, if any: `产出指标 (50分)` → 50.
pub fn stated_points(label: &str) -> Option<Decimal> {
    let folded: String = fold_width(label).split_whitespace().collect();
    let open = folded.find('(')?;
    let inner: Vec<char> = folded[open + 1..].chars().collect();
    let n = arabic_at(&inner, 0)?;
    (inner.get(n.end) == Some(&'分')).then_some(n.value)
}

/// Which catalog of groups a form follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// 财预〔2015〕88号 / 〔2020〕10号: 成本 under 产出, 可持续影响 under 效益.
    #[default]
    Mof88,
    /// 财预〔2021〕101号: 成本 as its own first-level group.
    Mof101,
}

impl Layout {
    /// The second-level groups allowed under `level1` in this layout.
    pub fn children(self, level1: Level1) -> &'static [Level2] {
        use Level2::*;
        match (self, level1) {
            (Layout::Mof88, Level1::Output) => &[Quantity, Quality, Timeliness, Cost],
            (Layout::Mof88, Level1::Cost) => &[],
            (Layout::Mof101, Level1::Output) => &[Quantity, Quality, Timeliness],
            (Layout::Mof101, Level1::Cost) => &[EconomicCost, SocialCost, EcologicalCost],
            (_, Level1::Benefit) => &[
                EconomicBenefit,
                SocialBenefit,
                EcologicalBenefit,
                Sustainability,
            ],
            (_, Level1::Satisfaction) => &[Satisfaction],
        }
    }

    /// Checks that `level2` belongs under `level1` in this layout.
    pub fn check(self, level1: Level1, level2: Level2) -> Result<(), PathError> {
        if self.children(level1).contains(&level2) {
            Ok(())
        } else {
            Err(PathError::Misplaced {
                level1,
                level2,
                layout: self.name(),
            })
        }
    }

    /// The layout's name.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Mof88 => "财预〔2015〕88号/〔2020〕10号体系",
            Layout::Mof101 => "财预〔2021〕101号体系",
        }
    }
}

/// Why a row's labels are not a place in the indicator tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Not a 一级指标 of the catalog.
    #[error("无法识别的一级指标“{0}”")]
    UnknownLevel1(String),
    /// Not a 二级指标 of the catalog.
    #[error("无法识别的二级指标“{0}”")]
    UnknownLevel2(String),
    /// A 二级指标 under a 一级指标 it does not belong to in the layout.
    #[error("二级指标“{level2}”不属于一级指标“{level1}”（{layout}）")]
    Misplaced {
        /// 一级指标.
        level1: Level1,
        /// 二级指标.
        level2: Level2,
        /// The layout's name.
        layout: &'static str,
    },
}

/// Where an indicator sits in the tree: its groups and its own (third-level) name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndicatorPath {
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标 name as written.
    pub name: String,
}

impl IndicatorPath {
    /// Reads the three labels of a row and checks them against `layout`.
    pub fn parse(
        level1: &str,
        level2: &str,
        name: &str,
        layout: Layout,
    ) -> Result<IndicatorPath, PathError> {
        let l1 = Level1::parse(level1)
            .ok_or_else(|| PathError::UnknownLevel1(level1.trim().to_string()))?;
        let l2 = Level2::parse(level2)
            .ok_or_else(|| PathError::UnknownLevel2(level2.trim().to_string()))?;
        layout.check(l1, l2)?;
        Ok(IndicatorPath {
            level1: l1,
            level2: l2,
            name: name.split_whitespace().collect(),
        })
    }
}

impl fmt::Display for IndicatorPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.level1, self.level2, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_labels_of_real_forms() {
        assert_eq!(Level1::parse("产出指标 (50分)"), Some(Level1::Output));
        assert_eq!(Level1::parse("产出指标（50 分）"), Some(Level1::Output));
        assert_eq!(Level1::parse("满意度\n指标"), Some(Level1::Satisfaction));
        assert_eq!(Level1::parse("效益"), Some(Level1::Benefit));
        assert_eq!(Level1::parse("决策"), None);
        assert_eq!(Level2::parse("社会效益"), Some(Level2::SocialBenefit));
        assert_eq!(Level2::parse("社会效益\n指标"), Some(Level2::SocialBenefit));
        assert_eq!(Level2::parse("数量\n\n指标"), Some(Level2::Quantity));
        assert_eq!(
            Level2::parse("可持续影响\n指标"),
            Some(Level2::Sustainability)
        );
        assert_eq!(
            Level2::parse("社会公众或服务对象满意度指标"),
            Some(Level2::Satisfaction)
        );
        assert_eq!(
            Level2::parse("服务对象满意度指标"),
            Some(Level2::Satisfaction)
        );
        assert_eq!(Level2::parse("满意度指标"), Some(Level2::Satisfaction));
        assert_eq!(Level2::parse("基本支出"), None);
        assert_eq!(Level2::parse("时效性指标"), Some(Level2::Timeliness));
        assert_eq!(Level2::parse("可持续性"), Some(Level2::Sustainability));
        assert_eq!(
            Level2::parse("服务对象满意度指标等"),
            Some(Level2::Satisfaction)
        );
        assert_eq!(Level2::parse("时效指标(5分)"), Some(Level2::Timeliness));
        assert_eq!(
            Level2::parse("社会效益效益指标"),
            Some(Level2::SocialBenefit)
        );
        assert_eq!(Level2::parse("规范性"), None);
    }

    #[test]
    fn points_in_labels() {
        assert_eq!(stated_points("产出指标 (50分)"), Some(Decimal::from(50)));
        assert_eq!(stated_points("效益指标（30 分）"), Some(Decimal::from(30)));
        assert_eq!(stated_points("产出指标"), None);
    }

    #[test]
    fn layouts_place_cost_differently() {
        assert!(Layout::Mof88.check(Level1::Output, Level2::Cost).is_ok());
        assert!(Layout::Mof101.check(Level1::Output, Level2::Cost).is_err());
        assert!(
            Layout::Mof101
                .check(Level1::Cost, Level2::EconomicCost)
                .is_ok()
        );
        let err = Layout::Mof88
            .check(Level1::Benefit, Level2::Quantity)
            .unwrap_err();
        assert!(
            err.to_string().contains("不属于一级指标“效益指标”"),
            "{err}"
        );
        assert!(IndicatorPath::parse("效益指标", "社会效益", "x", Layout::Mof88).is_ok());
    }
}
