//! 项目支出绩效自评表 and 部门整体支出绩效自评表: what the form states.
//!
//! Both forms share one shape: a funds block (年初预算数 / 全年预算数 / 全年执行数 by source,
//! with the execution rate's 分值, 执行率 and 得分), the overall target (预期目标 / 实际完成情况)
//! and indicator rows (target, actual, weight, score, deviation reason). Every number here is
//! what the form *printed*; what Jixiao computes lives in [`crate::scoring`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cell::{opt_decimal, opt_percent};
use super::{Field, Reason};
use crate::grade::Grade;
use crate::indicator::Layout;
use crate::money::Amount;

/// A filled-in self-evaluation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfEvaluation {
    /// 年度, e.g. 2022.
    #[serde(default)]
    pub year: Option<u16>,
    /// 项目名称 (project form) or 部门名称 (department form).
    pub name: String,
    /// 主管部门.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_department: Option<String>,
    /// 实施单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit: Option<String>,
    /// Which indicator catalog the form follows.
    #[serde(default)]
    pub layout: Layout,
    /// Other header cells as printed (项目总投资, 项目总实施期 …), so nothing is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// 项目资金 / 资金情况 block.
    pub funds: Funds,
    /// 年度总体目标.
    #[serde(default)]
    pub overall_target: OverallTarget,
    /// 绩效指标 rows, in form order.
    pub indicators: Vec<IndicatorRow>,
    /// The 总分 row's 分值 cell (the points the form says it is out of).
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_total_weight: Option<Decimal>,
    /// The 总分 row's 得分 cell.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_total: Option<Decimal>,
    /// The grade the form states (`等级：优`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_grade: Option<Grade>,
    /// 备注 lines as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The funds block and its execution-rate scoring cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// Rows by source; the [`FundSource::Total`] row carries the totals.
    pub rows: Vec<FundsRow>,
    /// 分值 of the execution rate (usually 10).
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// 执行率 as printed, in percent (`84.3%` → 84.3).
    #[serde(default, with = "opt_percent", skip_serializing_if = "Option::is_none")]
    pub stated_rate: Option<Decimal>,
    /// 得分 as printed.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_score: Option<Decimal>,
}

impl Funds {
    /// The 年度资金总额 / 合计 row, if the form has one.
    pub fn total(&self) -> Option<&FundsRow> {
        self.rows.iter().find(|r| r.source == FundSource::Total)
    }

    /// The row of `source`, if present.
    pub fn row(&self, source: FundSource) -> Option<&FundsRow> {
        self.rows.iter().find(|r| r.source == source)
    }
}

/// Where money comes from: the rows of the funds block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundSource {
    /// 年度资金总额 / 合计.
    Total,
    /// 其中：当年财政拨款.
    CurrentFiscal,
    /// 上年结转资金.
    CarryOver,
    /// 其他资金.
    Other,
}

impl FundSource {
    /// The row label as on the standard form.
    pub fn label(self) -> &'static str {
        match self {
            FundSource::Total => "年度资金总额",
            FundSource::CurrentFiscal => "其中：当年财政拨款",
            FundSource::CarryOver => "上年结转资金",
            FundSource::Other => "其他资金",
        }
    }
}

/// One row of the funds block (万元 unless a cell says otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundsRow {
    /// Which row.
    pub source: FundSource,
    /// The label as printed, when it differs from the standard one (`合计`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// 年初预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_budget: Option<Amount>,
    /// 全年预算数 (after adjustments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_year_budget: Option<Amount>,
    /// 全年执行数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<Amount>,
}

/// 年度总体目标: expected and achieved, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverallTarget {
    /// 预期目标.
    #[serde(default)]
    pub expected: String,
    /// 实际完成情况.
    #[serde(default)]
    pub actual: String,
}

/// One indicator row of a self-evaluation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRow {
    /// 一级指标 as printed (`产出指标 (50分)`), carried down merged cells.
    pub level1: String,
    /// 二级指标 as printed.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值.
    #[serde(default)]
    pub target: String,
    /// 实际完成值.
    #[serde(default)]
    pub actual: String,
    /// 分值 (weight).
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
    /// 得分 as printed (the 折算得分 when the form also prints an unweighted score).
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// 单项指标得分 as printed, on forms that score each indicator before weighting it
    /// (自评得分 split into 单项指标得分 | 权重占比 | 折算得分, where 折算得分 = 单项指标得分 ×
    /// 权重占比 and `weight` is the 权重占比 in points). `None` on the usual forms.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub item_score: Option<Decimal>,
    /// 偏差原因分析及改进措施.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation_reason: Option<String>,
    /// Marks the indicator as not applicable this year, with the reason; it is dropped and
    /// the total rescaled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<Reason>,
    /// An evaluator's score that replaces the computed one, with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_override: Option<ManualOverride>,
}

impl IndicatorRow {
    /// A row of the indicator `name` under `level1`/`level2` with its 指标值 `target`, nothing
    /// evaluated yet (a row started from a declaration, or a blank row added to a group).
    pub fn new(level1: String, level2: String, name: String, target: String) -> IndicatorRow {
        IndicatorRow {
            level1,
            level2,
            name,
            target,
            actual: String::new(),
            weight: None,
            score: None,
            item_score: None,
            deviation_reason: None,
            not_applicable: None,
            manual_override: None,
        }
    }

    /// The deviation reason if one is written (blank cells count as none).
    pub fn deviation_reason(&self) -> Option<&str> {
        self.deviation_reason
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// A score set by hand. The reason is required: a bare number is not an override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualOverride {
    /// The score.
    #[serde(with = "rust_decimal::serde::str")]
    pub score: Decimal,
    /// Why.
    pub reason: Reason,
}
