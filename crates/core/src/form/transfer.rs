//! 转移支付区域（项目）绩效自评表: the self-evaluation the recipient region writes for a
//! central (or provincial) transfer payment.
//!
//! Its layout differs from the project form: 资金投入情况 rows by level of government (年度资金
//! 总额, 中央财政资金, 地方财政资金, 其他资金) with 全年预算数(A) / 全年执行数(B) / 执行率 on each
//! row (some provinces add 全年到位资金), a 资金管理情况 checklist (分配科学性, 下达及时性,
//! 拨付合规性 …) answered in words, 总体目标完成情况 and 绩效指标 rows with 指标值 and 全年实际
//! 完成值, usually without weights or scores. Every number is what the form printed.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cell::{opt_decimal, opt_percent};
use super::{Field, IndicatorRow, OverallTarget};
use crate::money::Amount;

/// A filled-in transfer-payment self-evaluation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferPayment {
    /// 年度.
    #[serde(default)]
    pub year: Option<u16>,
    /// 转移支付（项目）名称.
    pub name: String,
    /// 中央主管部门.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central_department: Option<String>,
    /// 地方主管部门 (or 省级/自治区主管部门).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_department: Option<String>,
    /// 资金使用单位 / 实施单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit: Option<String>,
    /// Other header cells as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// 资金投入情况 rows, in form order.
    #[serde(default)]
    pub funds: Vec<TransferFunds>,
    /// 资金管理情况: one answer per aspect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub management: Vec<ManagementItem>,
    /// 总体目标完成情况: 总体目标 and 全年实际完成情况.
    #[serde(default)]
    pub overall_target: OverallTarget,
    /// 绩效指标 rows, in form order (weight and score only when the form has them).
    #[serde(default)]
    pub indicators: Vec<IndicatorRow>,
    /// A stated total score (总分 / 项目总得分), when the form prints one.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_total: Option<Decimal>,
    /// 备注 and 说明 lines as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TransferPayment {
    /// The 年度资金总额 row of the whole transfer, if the form has one.
    pub fn total(&self) -> Option<&TransferFunds> {
        self.funds
            .iter()
            .find(|r| r.level == FundLevel::Total && r.part.is_none())
    }
}

/// Which level of government a funds row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundLevel {
    /// 年度资金总额 / 合计.
    Total,
    /// 中央财政资金 / 中央补助.
    Central,
    /// 地方财政资金, 省级/市级/县级/本级资金, 自治区补助, 市县资金.
    Local,
    /// 其他资金 (自有资金、社会资本、结转结余 …).
    Other,
}

impl FundLevel {
    /// The row label on the national form.
    pub fn label(self) -> &'static str {
        match self {
            FundLevel::Total => "年度资金总额",
            FundLevel::Central => "其中：中央财政资金",
            FundLevel::Local => "地方财政资金",
            FundLevel::Other => "其他资金",
        }
    }
}

/// One row of 资金投入情况 (万元 unless a cell says otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferFunds {
    /// Which level.
    pub level: FundLevel,
    /// The label as printed, when it differs from the national one (`市级资金`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The part of the transfer the row belongs to, when the form splits it into parts with
    /// their own rows (`计划生育家庭特别扶助制度补助资金（万元）`); `None` for the whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// 全年预算数(A).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Amount>,
    /// 全年到位资金, when the form has the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<Amount>,
    /// 全年执行数(B).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<Amount>,
    /// 预算执行率 as printed, in percent (`86%` → 86).
    #[serde(default, with = "opt_percent", skip_serializing_if = "Option::is_none")]
    pub stated_rate: Option<Decimal>,
}

/// One aspect of 资金管理情况 and what the region wrote about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementItem {
    /// The aspect (分配科学性, 下达及时性, 拨付合规性, 使用规范性, 执行准确性,
    /// 预算绩效管理情况, 支出责任履行情况), with a sub-item when the form has one.
    pub aspect: String,
    /// 情况说明.
    #[serde(default)]
    pub explanation: String,
    /// 存在问题和改进措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Form;

    #[test]
    fn json_round_trip() {
        let text = r#"{
            "form": "transfer_payment_self_evaluation",
            "year": 2024,
            "name": "就业补助资金",
            "central_department": "人力资源社会保障部",
            "funds": [
                {"level": "total", "budget": "808.1", "executed": "692.98", "stated_rate": "86%"},
                {"level": "central", "label": "其中:中央财政资金", "budget": "808.1", "executed": "692.98", "stated_rate": "86%"},
                {"level": "local"}
            ],
            "management": [{"aspect": "分配科学性", "explanation": "合理分配"}],
            "overall_target": {"expected": "落实政策", "actual": "均按要求完成"},
            "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "target": "≥100人", "actual": "120人"}]
        }"#;
        let form = Form::from_json(text).expect("reads");
        let Form::TransferPayment(t) = &form else {
            panic!("not a transfer payment form");
        };
        assert_eq!(
            t.total().and_then(|r| r.stated_rate),
            Some(Decimal::from(86))
        );
        assert_eq!(form.title(), "转移支付区域绩效自评表");
        assert_eq!(
            Form::from_json(&form.to_json().expect("written")).expect("round trip"),
            form
        );
    }
}
