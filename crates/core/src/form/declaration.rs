//! 绩效目标申报表: the declarations made with the budget.
//!
//! [`ProjectTarget`] is the 项目支出绩效目标申报表 (funds, 中期/年度目标, indicator tree with
//! target values); [`DepartmentTarget`] is the 部门整体支出绩效目标申报表, which adds funds by
//! source and by nature and the 年度主要任务 table.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Field;
use super::cell::opt_decimal;
use crate::indicator::Layout;
use crate::money::Amount;

/// One declared indicator: its place in the tree and its 指标值.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredIndicator {
    /// 一级指标 as printed.
    pub level1: String,
    /// 二级指标 as printed.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 指标值 as written.
    pub target: String,
    /// 分值 / 权重, when the declaration weights its indicators (a 绩效评价指标表 with 分值).
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub weight: Option<Decimal>,
}

/// 项目支出绩效目标申报表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectTarget {
    /// 年度.
    #[serde(default)]
    pub year: Option<u16>,
    /// 项目名称.
    pub project_name: String,
    /// 主管部门 / 预算单位.
    #[serde(default)]
    pub unit: String,
    /// Indicator catalog.
    #[serde(default)]
    pub layout: Layout,
    /// Other header cells as printed (项目属性, 项目期 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// 资金总额.
    #[serde(default)]
    pub funds_total: Option<Amount>,
    /// 其中：财政拨款.
    #[serde(default)]
    pub funds_fiscal: Option<Amount>,
    /// 其他资金.
    #[serde(default)]
    pub funds_other: Option<Amount>,
    /// 中期目标, when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium_term_target: Option<String>,
    /// 年度目标.
    #[serde(default)]
    pub annual_target: String,
    /// 绩效指标.
    pub indicators: Vec<DeclaredIndicator>,
    /// The 总分 row's 分值, when the declaration weights its indicators.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_total_weight: Option<Decimal>,
    /// The amount columns of a cost build-up (项目预算成本构成 | 金额 | … | 2020年实际执行数,
    /// Hubei), when the declaration prints one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_columns: Vec<CostColumn>,
}

/// One amount column of a cost build-up: its items' amounts and its 合计.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostColumn {
    /// The column's header as printed (金额, 2020年实际执行数).
    pub label: String,
    /// Each item (保安服务费 …) and its amount in this column, if readable.
    #[serde(default)]
    pub items: Vec<CostItem>,
    /// The 合计 row's amount in this column.
    #[serde(default)]
    pub total: Option<Amount>,
}

/// One item of a cost build-up column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostItem {
    /// The item as printed.
    pub name: String,
    /// Its amount, if readable.
    #[serde(default)]
    pub amount: Option<Amount>,
}

impl ProjectTarget {
    /// An empty declaration of `year`: no name, funds, targets or indicators.
    pub fn blank(year: Option<u16>) -> ProjectTarget {
        ProjectTarget {
            year,
            project_name: String::new(),
            unit: String::new(),
            layout: Layout::default(),
            other_fields: Vec::new(),
            funds_total: None,
            funds_fiscal: None,
            funds_other: None,
            medium_term_target: None,
            annual_target: String::new(),
            indicators: Vec::new(),
            stated_total_weight: None,
            cost_columns: Vec::new(),
        }
    }
}

/// 部门整体支出绩效目标申报表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentTarget {
    /// 年度.
    #[serde(default)]
    pub year: Option<u16>,
    /// 部门名称.
    pub department: String,
    /// Indicator catalog.
    #[serde(default)]
    pub layout: Layout,
    /// Other header cells as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// 资金总额.
    #[serde(default)]
    pub funds_total: Option<Amount>,
    /// 按收入性质分：公共财政拨款.
    #[serde(default)]
    pub funds_fiscal: Option<Amount>,
    /// 按收入性质分：其他资金.
    #[serde(default)]
    pub funds_other: Option<Amount>,
    /// 按支出性质分：基本支出.
    #[serde(default)]
    pub basic_expenditure: Option<Amount>,
    /// 按支出性质分：项目支出.
    #[serde(default)]
    pub project_expenditure: Option<Amount>,
    /// 部门职能职责概述.
    #[serde(default)]
    pub duties: String,
    /// 年度主要任务.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// The 金额合计 row as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_tasks_total: Option<TaskBudget>,
    /// 年度总体目标.
    #[serde(default)]
    pub annual_target: String,
    /// 年度绩效指标.
    pub indicators: Vec<DeclaredIndicator>,
}

/// A row of 年度主要任务.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// 任务名称.
    pub name: String,
    /// 主要内容.
    #[serde(default)]
    pub content: String,
    /// 预算金额.
    #[serde(default)]
    pub budget: TaskBudget,
}

/// 预算金额 of a task: 总额, 财政拨款, 其他资金.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskBudget {
    /// 总额.
    #[serde(default)]
    pub total: Option<Amount>,
    /// 财政拨款.
    #[serde(default)]
    pub fiscal: Option<Amount>,
    /// 其他资金.
    #[serde(default)]
    pub other: Option<Amount>,
}
