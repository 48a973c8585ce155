//! The curated entries every library starts with: the 共性 indicators of the national
//! framework (财预〔2020〕10号's 产出/效益/满意度 groups, 财预〔2021〕101号's guidance that
//! values be definite numbers with units) that fit any project, and a first set of 行业
//! indicators per field. Typical values are common practice, not national rules (rules.md
//! §2.2 marks them as recalled, not verified); the bureau curates them like any other entry.

use crate::indicator::Level2;

use super::{Direction, Entry, Field, Origin, Status, key, parent};

/// (二级指标, 三级指标, typical 指标值, fields; empty = 共性).
const CURATED: &[(Level2, &str, &str, &[Field])] = &[
    (Level2::Quality, "资金使用合规率", "=100%", &[]),
    (Level2::Quality, "项目验收合格率", "≥95%", &[]),
    (Level2::Timeliness, "资金拨付及时率", "≥95%", &[]),
    (Level2::Timeliness, "项目按期完成率", "=100%", &[]),
    (Level2::Cost, "预算成本控制率", "≤100%", &[]),
    (Level2::EconomicCost, "项目总成本", "≤预算数", &[]),
    (Level2::SocialBenefit, "政策知晓率", "≥90%", &[]),
    (Level2::Sustainability, "长效管理机制健全性", "健全", &[]),
    (Level2::Satisfaction, "服务对象满意度", "≥90%", &[]),
    (Level2::Satisfaction, "受益群众满意度", "≥90%", &[]),
    (
        Level2::Quantity,
        "资助学生人数",
        "≥计划人数",
        &[Field::Education],
    ),
    (
        Level2::Quality,
        "资助对象识别准确率",
        "=100%",
        &[Field::Education],
    ),
    (
        Level2::Quality,
        "免疫规划疫苗接种率",
        "≥90%",
        &[Field::Health],
    ),
    (
        Level2::Quality,
        "传染病报告及时率",
        "≥95%",
        &[Field::Health],
    ),
    (
        Level2::Quantity,
        "城镇新增就业人数",
        "≥计划人数",
        &[Field::SocialSecurity],
    ),
    (
        Level2::Quality,
        "补贴发放准确率",
        "=100%",
        &[Field::SocialSecurity],
    ),
    (
        Level2::Quality,
        "动物防疫密度",
        "≥90%",
        &[Field::Agriculture],
    ),
    (
        Level2::Quantity,
        "新建高标准农田面积",
        "≥计划面积",
        &[Field::Agriculture],
    ),
    (
        Level2::Quality,
        "工程验收合格率",
        "=100%",
        &[Field::Transport, Field::Urban],
    ),
    (
        Level2::EcologicalBenefit,
        "污染物排放削减量",
        "≥计划量",
        &[Field::Environment],
    ),
    (
        Level2::SocialBenefit,
        "公共文化服务覆盖率",
        "≥90%",
        &[Field::Culture],
    ),
    (
        Level2::Quality,
        "案件办结率",
        "≥95%",
        &[Field::PublicSafety],
    ),
    (
        Level2::Quality,
        "设施设备完好率",
        "≥95%",
        &[Field::GeneralServices],
    ),
];

/// The curated entries, active, without uses.
pub fn entries() -> Vec<Entry> {
    CURATED
        .iter()
        .map(|&(level2, name, typical, fields)| Entry {
            key: key(level2, name),
            level1: parent(level2),
            level2,
            name: name.to_string(),
            typical: typical.to_string(),
            direction: Direction::Qualitative,
            fields: fields.to_vec(),
            origin: if fields.is_empty() {
                Origin::Common
            } else {
                Origin::Industry
            },
            status: Status::Active,
            fixed_for: Vec::new(),
            uses: Vec::new(),
            spread: None,
        })
        .collect()
}
