//! Documents around the forms: the project list (绩效自评项目清单), the finance bureau's
//! evaluation table (部门整体支出绩效评价指标表) and its base-data table (基础数据表).
//! Cells are kept as written; the evaluation engine (rules) reads them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cell::opt_decimal;
use crate::money::Amount;

/// 绩效自评项目清单: the projects a unit self-evaluates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectList {
    /// The title as printed.
    #[serde(default)]
    pub title: String,
    /// The rows.
    pub items: Vec<ProjectListItem>,
    /// The 合计 row's amount, if filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated_total: Option<Amount>,
}

/// A row of the project list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectListItem {
    /// 序号 as written.
    #[serde(default)]
    pub number: String,
    /// 项目名称.
    pub name: String,
    /// 全年预算数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Amount>,
}

/// 部门整体支出绩效评价指标表: indicators with points and scoring rules in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationTable {
    /// The title as printed.
    #[serde(default)]
    pub title: String,
    /// Third-level indicators in table order, each with its groups.
    pub indicators: Vec<EvaluationIndicator>,
}

/// One row of an evaluation table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationIndicator {
    /// 一级指标 (投入, 过程, 产出及效率 …).
    pub level1: String,
    /// Its 分值.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub level1_points: Option<Decimal>,
    /// 二级指标.
    pub level2: String,
    /// Its 分值.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub level2_points: Option<Decimal>,
    /// 三级指标.
    pub name: String,
    /// Its 分值.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub points: Option<Decimal>,
    /// 评价标准: the scoring rule in words.
    #[serde(default)]
    pub criteria: String,
    /// 指标说明: definitions and formulas in words.
    #[serde(default)]
    pub explanation: String,
    /// 得分 as filled in, if any.
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub stated_score: Option<Decimal>,
}

/// 部门整体支出绩效评价基础数据表: labelled figures the evaluation table is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseData {
    /// The title as printed.
    #[serde(default)]
    pub title: String,
    /// 填报单位, if filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The table's blocks in order, each with its column headers and row labels — rows with
    /// no values (楼堂馆所, 出国经费, 其中 rows) included, so a blank or partly filled table
    /// keeps its shape. Empty when only the values are known (the shape then follows them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<BaseDataSection>,
    /// Every non-empty value with its row and column labels.
    pub items: Vec<BaseDataItem>,
    /// 说明 lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One block of the base-data table: its name, column headers and row labels, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseDataSection {
    /// The block (财政供养人员情况, 楼堂馆所控制情况 …).
    pub name: String,
    /// Its column headers; `[""]` for a text block (厉行节约保障措施).
    pub columns: Vec<String>,
    /// Its row labels; `[""]` when the block has a single unlabelled row.
    pub labels: Vec<String>,
}

impl BaseData {
    /// The blocks of the table: [`BaseData::sections`] with any block, column or label that
    /// only the values name added after them, in order of first appearance.
    pub fn layout(&self) -> Vec<BaseDataSection> {
        let mut out = self.sections.clone();
        for item in &self.items {
            let at = match out.iter().position(|s| s.name == item.section) {
                Some(at) => at,
                None => {
                    out.push(BaseDataSection {
                        name: item.section.clone(),
                        columns: Vec::new(),
                        labels: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let section = &mut out[at];
            if !section.columns.contains(&item.column) {
                section.columns.push(item.column.clone());
            }
            if !section.labels.contains(&item.label) {
                section.labels.push(item.label.clone());
            }
        }
        out
    }
}

/// One value of the base-data table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseDataItem {
    /// The block it belongs to (财政供养人员情况, 经费控制情况, 楼堂馆所控制情况 …).
    pub section: String,
    /// The row label (三公经费, 其中：办公经费); empty when the block has a single row.
    pub label: String,
    /// The column header (编制数, 2021年预算数, 实际规模（㎡） …).
    pub column: String,
    /// The value as written.
    pub value: String,
}

impl BaseData {
    /// The value at `label` × `column` (labels compared without spaces), if present.
    pub fn value(&self, label: &str, column: &str) -> Option<&str> {
        let key = |s: &str| s.split_whitespace().collect::<String>();
        self.items
            .iter()
            .find(|i| key(&i.label) == key(label) && key(&i.column) == key(column))
            .map(|i| i.value.as_str())
    }
}
