//! The catalog of checks: each with a stable code, a severity, a title and its basis.

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// 错误: the form contradicts itself or a rule; it must be corrected.
    #[serde(rename = "错误")]
    Error,
    /// 警告: likely wrong or against good practice; a reviewer should look.
    #[serde(rename = "警告")]
    Warning,
    /// 提示: worth knowing (vague targets, values taken as stated).
    #[serde(rename = "提示")]
    Info,
    /// 无法核对: the check needs a row or cell the form does not have (a form cut off before
    /// its 总分 row, no budget row), so it says so instead of calling the form wrong or
    /// staying silent. Not a problem of the form; below 提示 for `--fail-on`.
    #[serde(rename = "无法核对")]
    CannotCheck,
}

impl Severity {
    /// 错误 / 警告 / 提示.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
            Severity::CannotCheck => "无法核对",
        }
    }

    /// Every severity, most serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::CannotCheck,
    ];

    /// Reads 错误/警告/提示/无法核对 or error/warning/info/cannot-check.
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "错误" | "error" => Some(Severity::Error),
            "警告" | "warning" => Some(Severity::Warning),
            "提示" | "info" => Some(Severity::Info),
            "无法核对" | "cannot-check" => Some(Severity::CannotCheck),
            _ => None,
        }
    }
}

/// A check in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable code (`A01`); families: A arithmetic, S structure, P scoring practice,
    /// C completeness, Q target quality, R report, T the review of declared targets, X ex-ante
    /// assessments.
    pub code: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Short Chinese title.
    pub title: &'static str,
    /// What the check rests on.
    pub basis: &'static str,
}

const TEN: &str = "财预〔2020〕10号《项目支出绩效评价管理办法》";
const FORM: &str = "表内数据勾稽关系";
const ONE_OH_ONE: &str =
    "财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》";

/// A01 执行率计算错误.
pub const A01: Check = Check {
    code: "A01",
    severity: Severity::Error,
    title: "执行率计算错误",
    basis: "表单备注：执行率 = 全年执行数 / 全年预算数（计分政策可配置分母）",
};

/// A02 执行率得分计算错误.
pub const A02: Check = Check {
    code: "A02",
    severity: Severity::Error,
    title: "执行率得分计算错误",
    basis: "得分 = 分值 × 执行率，最高不超过分值",
};

/// A03 指标得分与计分规则不符.
pub const A03: Check = Check {
    code: "A03",
    severity: Severity::Warning,
    title: "指标得分与计分规则不符",
    basis: TEN,
};

/// A04 总分计算错误: the stated total against the form's own stated scores.
pub const A04: Check = Check {
    code: "A04",
    severity: Severity::Error,
    title: "总分计算错误",
    basis: "总分 = 表中各项得分（含执行率得分）之和，按表中数值的印刷精度核对",
};

/// A05 等级与总分不符.
pub const A05: Check = Check {
    code: "A05",
    severity: Severity::Error,
    title: "等级与总分不符",
    basis: "等级：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差",
};

/// A06 资金来源合计与总额不符.
pub const A06: Check = Check {
    code: "A06",
    severity: Severity::Error,
    title: "资金来源合计与总额不符",
    basis: "其中：当年财政拨款 + 上年结转资金 + 其他资金 = 年度资金总额",
};

/// A07 预算构成合计与资金总额不符.
pub const A07: Check = Check {
    code: "A07",
    severity: Severity::Error,
    title: "预算构成合计与资金总额不符",
    basis: "按收入性质：财政拨款 + 其他资金 = 资金总额；按支出性质：基本支出 + 项目支出 = 资金总额；预算成本构成：每一金额列各项之和 = 合计",
};

/// A08 年度主要任务金额不符.
pub const A08: Check = Check {
    code: "A08",
    severity: Severity::Error,
    title: "年度主要任务金额不符",
    basis: "各任务预算金额之和 = 金额合计；每项任务：财政拨款 + 其他资金 = 总额",
};

/// A09 一级指标分值与标注不符.
pub const A09: Check = Check {
    code: "A09",
    severity: Severity::Error,
    title: "一级指标分值与标注不符",
    basis: FORM,
};

/// A10 项目清单金额不符.
pub const A10: Check = Check {
    code: "A10",
    severity: Severity::Error,
    title: "项目清单金额不符",
    basis: "项目清单合计 = 各项目全年预算数之和；清单金额 = 对应自评表全年预算数",
};

/// A11 重新计分与填报总分不同: the stated total agrees with the stated scores, but the rules
/// score the rows differently. Softer than A04: the form's own arithmetic holds.
pub const A11: Check = Check {
    code: "A11",
    severity: Severity::Info,
    title: "按规则重新计分与填报总分不同",
    basis: "财预〔2020〕10号计分规则（见各指标的计算过程）；填报总分与表中各项得分之和一致",
};

/// A12 基础数据表分项与合计不符.
pub const A12: Check = Check {
    code: "A12",
    severity: Severity::Error,
    title: "基础数据表分项与合计不符",
    basis: "“其中”分项之和不得超过合计；逐项编号列出的分项（1、2、3、）之和应等于合计",
};

/// A13 零基数上的执行率: a rate printed on a zero budget (0 ÷ 0 shown as 100%).
pub const A13: Check = Check {
    code: "A13",
    severity: Severity::Warning,
    title: "预算数为零却填报执行率",
    basis: "执行率 = 全年执行数 / 全年预算数；预算数为0时执行率无法计算，不应填报为100%",
};

/// S01 一级指标分值与规定不符.
pub const S01: Check = Check {
    code: "S01",
    severity: Severity::Warning,
    title: "一级指标分值与规定不符",
    basis: "财预〔2020〕10号：原则上产出50分、效益30分、满意度10分、预算执行率10分",
};

/// S02 分值合计不等于满分.
pub const S02: Check = Check {
    code: "S02",
    severity: Severity::Error,
    title: "分值合计不等于满分",
    basis: "自评表总分设置为100分",
};

/// S03 缺少一级指标.
pub const S03: Check = Check {
    code: "S03",
    severity: Severity::Warning,
    title: "缺少一级指标",
    basis: "绩效指标应包括产出、效益、满意度指标（财预〔2015〕88号、财预〔2020〕10号）",
};

/// S04 指标层级不在指标体系中.
pub const S04: Check = Check {
    code: "S04",
    severity: Severity::Warning,
    title: "指标层级不在指标体系中",
    basis: "财预〔2015〕88号/〔2020〕10号/〔2021〕101号指标体系",
};

/// P01 已达成的指标未得满分且未说明原因.
pub const P01: Check = Check {
    code: "P01",
    severity: Severity::Warning,
    title: "已达成的指标未得满分且未说明原因",
    basis: "财预〔2020〕10号：达到年度指标值的，得满分（指标值未写明比较方向，按计分政策推定为达成）",
};

/// P02 未达成的指标得满分.
pub const P02: Check = Check {
    code: "P02",
    severity: Severity::Warning,
    title: "未达成的指标得满分",
    basis: "财预〔2020〕10号：未达到的，按实际完成比例计分（指标值未写明比较方向，按计分政策推定为未达成）",
};

/// P03 得分超过分值.
pub const P03: Check = Check {
    code: "P03",
    severity: Severity::Error,
    title: "得分超过分值",
    basis: "单项得分不得超过其分值",
};

/// P04 定性指标得分不在档次区间内.
pub const P04: Check = Check {
    code: "P04",
    severity: Severity::Warning,
    title: "定性指标得分不在档次区间内",
    basis: "财预〔2020〕10号：定性指标分达成/部分达成/未达成三档计分",
};

/// P05 大幅超额完成未说明原因.
pub const P05: Check = Check {
    code: "P05",
    severity: Severity::Warning,
    title: "大幅超额完成未说明原因",
    basis: "财预〔2020〕10号：超额完成较多的须说明原因，目标明显偏低的应按偏离程度扣分（超额比例按计分政策）",
};

/// P06 人工调整得分无效.
pub const P06: Check = Check {
    code: "P06",
    severity: Severity::Error,
    title: "人工调整得分无效",
    basis: "人工调整得分须在0至分值之间并说明理由",
};

/// P07 已达成的指标未得满分 (the target states its comparison, or the actual equals it).
pub const P07: Check = Check {
    code: "P07",
    severity: Severity::Error,
    title: "明确达成的指标未得满分且未说明原因",
    basis: "财预〔2020〕10号：达到年度指标值的，得满分（指标值写明≥、≤、=，或实际完成值与指标值相等）",
};

/// P08 未达成的指标得满分 (the target states its comparison, or is a bare 100% of a rate that
/// cannot pass it).
pub const P08: Check = Check {
    code: "P08",
    severity: Severity::Error,
    title: "明确未达成的指标得满分",
    basis: "财预〔2020〕10号：未达到年度指标值的，按实际完成比例计分（指标值写明≥、≤、=，或不能超过100%的比率以100%为目标）",
};

/// P09 得分按权重重复折算: 折算得分 = 单项指标得分 × 权重占比 on a 单项指标得分 that is
/// already on the 分值 scale.
pub const P09: Check = Check {
    code: "P09",
    severity: Severity::Error,
    title: "得分按权重重复折算",
    basis: "折算得分 = 单项指标得分（百分制）× 权重占比；单项指标得分已按分值计的，不得再乘以权重占比",
};

/// C01 扣分未填写偏差原因.
pub const C01: Check = Check {
    code: "C01",
    severity: Severity::Warning,
    title: "扣分未填写偏差原因",
    basis: "财预〔2020〕10号：未完成绩效目标或偏差较大的，应分析原因并提出改进措施",
};

/// C02 实际完成值未填写.
pub const C02: Check = Check {
    code: "C02",
    severity: Severity::Warning,
    title: "实际完成值未填写",
    basis: "自评表须逐项填写实际完成值",
};

/// C03 无法自动计分，沿用填报得分.
pub const C03: Check = Check {
    code: "C03",
    severity: Severity::Info,
    title: "无法自动计分，沿用填报得分",
    basis: "定性或不可比较的指标由评价人判断，需确认",
};

/// C04 缺少分值或得分.
pub const C04: Check = Check {
    code: "C04",
    severity: Severity::Warning,
    title: "缺少分值或得分",
    basis: "自评表须逐项填写分值和得分",
};

/// Q01 指标值不可衡量.
pub const Q01: Check = Check {
    code: "Q01",
    severity: Severity::Info,
    title: "指标值不可衡量",
    basis: ONE_OH_ONE,
};

/// Q02 指标值与实际完成值单位不一致.
pub const Q02: Check = Check {
    code: "Q02",
    severity: Severity::Warning,
    title: "指标值与实际完成值单位不一致",
    basis: ONE_OH_ONE,
};

/// Q03 实际完成值照抄指标值.
pub const Q03: Check = Check {
    code: "Q03",
    severity: Severity::Info,
    title: "实际完成值照抄指标值",
    basis: "实际完成值应填写实际完成的情况和数值",
};

/// Q04 指标与其他表单重复.
pub const Q04: Check = Check {
    code: "Q04",
    severity: Severity::Warning,
    title: "指标与其他表单重复",
    basis: "项目绩效目标应与项目支出内容对应，不应照搬部门整体或其他项目的指标",
};

/// Q05 指标值缺少计量单位.
pub const Q05: Check = Check {
    code: "Q05",
    severity: Severity::Info,
    title: "指标值缺少计量单位",
    basis: ONE_OH_ONE,
};

/// Q06 计量单位不成立.
pub const Q06: Check = Check {
    code: "Q06",
    severity: Severity::Warning,
    title: "计量单位不成立",
    basis: "《国务院关于在我国统一实行法定计量单位的命令》：金额与计量单位的复合单位应写作“元/亩”等形式",
};

/// R01 报告中的合计与分项不符.
pub const R01: Check = Check {
    code: "R01",
    severity: Severity::Error,
    title: "报告中的合计与分项不符",
    basis: "报告文字中“其中”分项之和应等于合计",
};

/// R02 报告中的收支与结余不平衡.
pub const R02: Check = Check {
    code: "R02",
    severity: Severity::Error,
    title: "报告中的收支与结余不平衡",
    basis: "收入 − 支出 = 结余（结转）",
};

/// R03 报告中的百分比计算错误.
pub const R03: Check = Check {
    code: "R03",
    severity: Severity::Error,
    title: "报告中的百分比计算错误",
    basis: "百分比 = 分子 ÷ 分母",
};

/// R05 文字所述等级与得分不符.
pub const R05: Check = Check {
    code: "R05",
    severity: Severity::Error,
    title: "文字所述等级与得分不符",
    basis: "财预〔2020〕10号：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差",
};

/// R06 文字中的乘算结果不符.
pub const R06: Check = Check {
    code: "R06",
    severity: Severity::Error,
    title: "文字中的乘算结果不符",
    basis: "基数 × 百分比 = 结果，结果与基数同一计量单位（元、万元、亿元按进率换算）",
};

/// R04 报告与附表数据不一致.
pub const R04: Check = Check {
    code: "R04",
    severity: Severity::Error,
    title: "报告与附表数据不一致",
    basis: "自评报告所述数据应与所附绩效自评表一致",
};

/// R07 报告资金表合计与来源不符: a column of a report's funds grid (计划安排, 实际到位 …)
/// whose total is not the sum of its sources (中央, 省, 市, 区, 其它).
pub const R07: Check = Check {
    code: "R07",
    severity: Severity::Error,
    title: "报告资金表合计与来源不符",
    basis: "报告资金表中每栏合计 = 中央、省、市、县（区）、其它各来源之和，按表中数值的印刷精度核对",
};

/// R08 报告资金表结余与到位、支出不符: 结余 ≠ 实际到位 − 实际支出 in a report's funds grid,
/// in total or for one source.
pub const R08: Check = Check {
    code: "R08",
    severity: Severity::Error,
    title: "报告资金表结余与到位、支出不符",
    basis: "结余 = 实际到位资金 − 实际支出（合计及各来源分别核对）",
};

/// E01 评价得分与规则计算不符.
pub const E01: Check = Check {
    code: "E01",
    severity: Severity::Error,
    title: "评价得分与规则计算不符",
    basis: "评价指标表的评价标准（规则文件）",
};

/// E02 评价得分无法核实.
pub const E02: Check = Check {
    code: "E02",
    severity: Severity::Info,
    title: "评价得分无法核实",
    basis: "评价标准所需的基础数据缺失，不能按规则计分",
};

/// Basis of the target review (审核绩效目标): 财预〔2015〕88号 and 财预〔2021〕101号.
const TARGETS: &str = "财预〔2015〕88号第十七条（完整性、相关性、适当性、可行性）、财预〔2021〕101号（指标值应明确、可衡量，参考历史标准、行业标准）";

/// T01 目标值低于上年实际完成值.
pub const T01: Check = Check {
    code: "T01",
    severity: Severity::Warning,
    title: "目标值低于上年实际完成值",
    basis: TARGETS,
};

/// T02 目标值低于多数单位.
pub const T02: Check = Check {
    code: "T02",
    severity: Severity::Warning,
    title: "目标值低于多数单位同类指标",
    basis: TARGETS,
};

/// T03 缺少固化指标.
pub const T03: Check = Check {
    code: "T03",
    severity: Severity::Warning,
    title: "缺少本领域固化指标",
    basis: "财政部门对本领域项目固化的指标（指标库）",
};

/// T04 定性目标而指标库有定量值.
pub const T04: Check = Check {
    code: "T04",
    severity: Severity::Info,
    title: "定性目标可量化",
    basis: TARGETS,
};

/// T05 指标归类与指标库不符.
pub const T05: Check = Check {
    code: "T05",
    severity: Severity::Warning,
    title: "指标归类与指标库不符",
    basis: "财预〔2020〕10号 指标体系（一级、二级指标）",
};

/// T06 成本目标超过预算.
pub const T06: Check = Check {
    code: "T06",
    severity: Severity::Warning,
    title: "成本目标与预算不符",
    basis: "绩效目标应与预算资金相匹配（财预〔2015〕88号）",
};

/// T07 满意度目标低于常用下限.
pub const T07: Check = Check {
    code: "T07",
    severity: Severity::Warning,
    title: "满意度目标偏低",
    basis: "满意度指标的常用下限（可在审核设置中调整）",
};

/// T08 同一指标重复.
pub const T08: Check = Check {
    code: "T08",
    severity: Severity::Warning,
    title: "同一指标重复填报",
    basis: TARGETS,
};

const EX_ANTE: &str = "财预〔2021〕101号、各地事前绩效评估管理办法（立项必要性、投入经济性、绩效目标合理性、实施方案可行性、筹资合规性）";

/// X01 评估得分超过分值.
pub const X01: Check = Check {
    code: "X01",
    severity: Severity::Error,
    title: "评估得分超过分值",
    basis: EX_ANTE,
};

/// X02 评估总分计算错误.
pub const X02: Check = Check {
    code: "X02",
    severity: Severity::Error,
    title: "评估总分计算错误",
    basis: "表内数据勾稽关系：总分 = 各项得分之和",
};

/// X03 评估结论与得分不符.
pub const X03: Check = Check {
    code: "X03",
    severity: Severity::Error,
    title: "评估结论与得分不符",
    basis: "年度计分政策中的事前评估结论分档（缺省：80%及以上予以支持，60%及以上调整完善后予以支持）",
};

/// X04 分值合计不为满分.
pub const X04: Check = Check {
    code: "X04",
    severity: Severity::Warning,
    title: "评估分值合计不为100分",
    basis: EX_ANTE,
};

/// X05 扣分未说明理由.
pub const X05: Check = Check {
    code: "X05",
    severity: Severity::Warning,
    title: "扣分未说明理由",
    basis: EX_ANTE,
};

/// X06 缺少评估内容.
pub const X06: Check = Check {
    code: "X06",
    severity: Severity::Warning,
    title: "缺少评估内容",
    basis: EX_ANTE,
};

/// Every check, in code order.
pub const CHECKS: &[Check] = &[
    A01, A02, A03, A04, A05, A06, A07, A08, A09, A10, A11, A12, A13, S01, S02, S03, S04, P01, P02,
    P03, P04, P05, P06, P07, P08, P09, C01, C02, C03, C04, E01, E02, Q01, Q02, Q03, Q04, Q05, Q06,
    R01, R02, R03, R04, R05, R06, R07, R08, T01, T02, T03, T04, T05, T06, T07, T08, X01, X02, X03,
    X04, X05, X06,
];

/// The check with this code, if there is one.
pub fn check(code: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        let codes: Vec<&str> = CHECKS.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes.len(), sorted.len());
        assert_eq!(check("A01").map(|c| c.title), Some("执行率计算错误"));
        assert!(check("Z99").is_none());
    }
}
