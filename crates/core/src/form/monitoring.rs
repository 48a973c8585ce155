//! 项目支出绩效目标执行监控表 (rules.md §4.3): what a unit states mid-year about its budget
//! execution and its targets' progress ("双监控"). Nothing here is computed; the warnings live in
//! [`crate::monitor`].

use serde::{Deserialize, Serialize};

use super::Field;
use super::self_eval::FundSource;
use crate::indicator::Layout;
use crate::money::Amount;

/// A filled-in monitoring form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// 年度.
    #[serde(default)]
    pub year: Option<u16>,
    /// 项目名称.
    pub project_name: String,
    /// 主管部门（及代码）.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_department: Option<String>,
    /// 实施单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit: Option<String>,
    /// Indicator catalog.
    #[serde(default)]
    pub layout: Layout,
    /// Other header cells as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_fields: Vec<Field>,
    /// The last month of the period monitored: 7 for 1–7月, 6 for a half year.
    #[serde(default = "default_month")]
    pub period_end_month: u8,
    /// 项目资金 rows (万元).
    #[serde(default)]
    pub funds: Vec<MonitoringFunds>,
    /// 年度总体目标: as set, and done so far.
    #[serde(default)]
    pub overall_target: TargetProgress,
    /// 绩效指标 rows.
    #[serde(default)]
    pub indicators: Vec<MonitoredIndicator>,
    /// 偏差或不能完成目标原因分析 (the whole form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<String>,
    /// 拟采取的措施 / 相关建议或举措.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<String>,
}

fn default_month() -> u8 {
    7
}

/// A row of 项目资金.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringFunds {
    /// Which row (年度资金总额, 财政拨款, 其他资金).
    pub source: FundSource,
    /// 年初预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_budget: Option<Amount>,
    /// 调整后预算数, when the form has the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted_budget: Option<Amount>,
    /// 1–N月执行数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<Amount>,
    /// 全年预计执行数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_year_end: Option<Amount>,
}

impl MonitoringFunds {
    /// The budget the execution is measured against: adjusted when stated, else initial.
    pub fn budget(&self) -> Option<&Amount> {
        self.adjusted_budget
            .as_ref()
            .or(self.initial_budget.as_ref())
    }
}

/// 年度总体目标 and its progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetProgress {
    /// 年初设定目标.
    #[serde(default)]
    pub target: String,
    /// 1–N月实际完成情况.
    #[serde(default)]
    pub progress: String,
}

/// One indicator row of a monitoring form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoredIndicator {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// 年度指标值.
    #[serde(default)]
    pub target: String,
    /// 1–N月执行情况.
    #[serde(default)]
    pub progress: String,
    /// 全年预计完成情况.
    #[serde(default)]
    pub expected_year_end: String,
    /// 完成目标可能性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<Likelihood>,
    /// 偏差原因 category (ticked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<DeviationCause>,
    /// 偏差原因分析 (text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation_reason: Option<String>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl MonitoredIndicator {
    /// A row of the indicator `name` under `level1`/`level2` with its 指标值 `target`, nothing
    /// monitored yet (a row started from a declaration, or a blank row added to a group).
    pub fn new(level1: String, level2: String, name: String, target: String) -> MonitoredIndicator {
        MonitoredIndicator {
            level1,
            level2,
            name,
            target,
            progress: String::new(),
            expected_year_end: String::new(),
            likelihood: None,
            cause: None,
            deviation_reason: None,
            note: None,
        }
    }
}

/// 完成目标可能性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Likelihood {
    /// 确定能.
    #[serde(rename = "确定能")]
    Certain,
    /// 有可能.
    #[serde(rename = "有可能")]
    Possible,
    /// 完全不可能 / 不可能.
    #[serde(rename = "完全不可能")]
    Impossible,
}

impl Likelihood {
    /// Every value, in the form's order.
    pub const ALL: [Likelihood; 3] = [
        Likelihood::Certain,
        Likelihood::Possible,
        Likelihood::Impossible,
    ];

    /// As printed on the form.
    pub fn name(self) -> &'static str {
        match self {
            Likelihood::Certain => "确定能",
            Likelihood::Possible => "有可能",
            Likelihood::Impossible => "完全不可能",
        }
    }

    /// Reads the words a form uses (`不可能` too).
    pub fn parse(text: &str) -> Option<Likelihood> {
        let t: String = text.split_whitespace().collect();
        match t.as_str() {
            "确定能" | "能" | "确定" => Some(Likelihood::Certain),
            "有可能" | "可能" => Some(Likelihood::Possible),
            "完全不可能" | "不可能" => Some(Likelihood::Impossible),
            _ => None,
        }
    }
}

/// 偏差原因 categories of the form (经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeviationCause {
    /// 经费保障.
    #[serde(rename = "经费保障")]
    Funding,
    /// 制度保障.
    #[serde(rename = "制度保障")]
    Institution,
    /// 人员保障.
    #[serde(rename = "人员保障")]
    Staffing,
    /// 硬件条件保障.
    #[serde(rename = "硬件条件保障")]
    Facilities,
    /// 其他.
    #[serde(rename = "其他")]
    Other,
}

impl DeviationCause {
    /// Every category, in the form's order.
    pub const ALL: [DeviationCause; 5] = [
        DeviationCause::Funding,
        DeviationCause::Institution,
        DeviationCause::Staffing,
        DeviationCause::Facilities,
        DeviationCause::Other,
    ];

    /// As printed on the form.
    pub fn name(self) -> &'static str {
        match self {
            DeviationCause::Funding => "经费保障",
            DeviationCause::Institution => "制度保障",
            DeviationCause::Staffing => "人员保障",
            DeviationCause::Facilities => "硬件条件保障",
            DeviationCause::Other => "其他",
        }
    }

    /// Reads a category as written.
    pub fn parse(text: &str) -> Option<DeviationCause> {
        let t: String = text.split_whitespace().collect();
        DeviationCause::ALL
            .into_iter()
            .find(|c| t == c.name() || (t.len() >= 6 && c.name().starts_with(&t)))
    }
}
