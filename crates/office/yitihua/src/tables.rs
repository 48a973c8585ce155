//! The 一体化 规范表 written and read: each table's name and its columns, in file order.
//!
//! Standard columns carry the names of the 规范表 (docs/yitihua.md says where each comes from);
//! columns and tables that start with `x_` / `X_` are Jixiao's documented extensions, holding what
//! the standard has no column for so that the round trip is exact.

/// One table: its name (the zip entry is `NAME.csv`) and its columns in order.
#[derive(Debug, PartialEq, Eq)]
pub struct TableDef {
    /// The 规范表 name (`PM_PERF_INDICATOR`).
    pub name: &'static str,
    /// Column names, in the order written.
    pub columns: &'static [&'static str],
}

impl TableDef {
    /// The position of `column`, if the table has it.
    pub fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }

    /// The zip entry name: `NAME.csv`.
    pub fn entry(&self) -> String {
        format!("{}.csv", self.name)
    }
}

/// 项目支出绩效目标 header: one row per 项目支出绩效目标申报表.
pub static PM_PERF_GOAL_INFO: TableDef = TableDef {
    name: "PM_PERF_GOAL_INFO",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "kpi_per_id",
        "kpi_target",
        "busi_type",
        "version",
        "version_name",
        "sub_mof_code",
        "is_deleted",
        "x_form_id",
        "x_form_no",
        "x_pro_name",
        "x_unit",
        "x_layout",
        "x_medium_term_target",
        "x_funds_total",
        "x_funds_total_as_written",
        "x_funds_fiscal",
        "x_funds_fiscal_as_written",
        "x_funds_other",
        "x_funds_other_as_written",
        "x_stated_total_weight",
        "x_empty",
    ],
};

/// 项目支出绩效指标: one row per declared indicator.
pub static PM_PERF_INDICATOR: TableDef = TableDef {
    name: "PM_PERF_INDICATOR",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "kpi_id",
        "kpi_per_id",
        "kpi_lv1",
        "kpi_lv2",
        "kpi_lv3",
        "kpi_content",
        "kpi_val",
        "kpi_evalstd",
        "kpi_remark",
        "computesign",
        "meterunit",
        "is_deleted",
        "x_form_id",
        "x_kpi_lv1_name",
        "x_kpi_lv2_name",
        "x_kpi_val_text",
        "x_weight",
    ],
};

/// 部门整体支出绩效目标 header: one row per 部门整体支出绩效目标申报表.
pub static BGT_PERF_GOAL_INFO: TableDef = TableDef {
    name: "BGT_PERF_GOAL_INFO",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "dept_code",
        "kpi_dep_id",
        "kpi_target",
        "busi_type",
        "version",
        "version_name",
        "sub_mof_code",
        "is_deleted",
        "x_form_id",
        "x_form_no",
        "x_dept_name",
        "x_layout",
        "x_duties",
        "x_funds_total",
        "x_funds_total_as_written",
        "x_funds_fiscal",
        "x_funds_fiscal_as_written",
        "x_funds_other",
        "x_funds_other_as_written",
        "x_basic_expenditure",
        "x_basic_expenditure_as_written",
        "x_project_expenditure",
        "x_project_expenditure_as_written",
        "x_empty",
    ],
};

/// 部门整体支出绩效指标: one row per declared indicator.
pub static BGT_PERF_INDICATOR: TableDef = TableDef {
    name: "BGT_PERF_INDICATOR",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "dept_code",
        "kpi_id",
        "kpi_dep_id",
        "kpi_lv1",
        "kpi_lv2",
        "kpi_lv3",
        "kpi_content",
        "kpi_val",
        "kpi_evalstd",
        "kpi_remark",
        "computesign",
        "meterunit",
        "is_deleted",
        "x_form_id",
        "x_kpi_lv1_name",
        "x_kpi_lv2_name",
        "x_kpi_val_text",
        "x_weight",
    ],
};

/// Extension: 年度主要任务 of a department declaration, and its 金额合计 row (`x_is_total` = 1).
pub static X_BGT_PERF_TASK: TableDef = TableDef {
    name: "X_BGT_PERF_TASK",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "dept_code",
        "kpi_dep_id",
        "x_form_id",
        "x_is_total",
        "x_task_name",
        "x_task_content",
        "x_total_amt",
        "x_total_amt_as_written",
        "x_fiscal_amt",
        "x_fiscal_amt_as_written",
        "x_other_amt",
        "x_other_amt_as_written",
    ],
};

/// Extension: a project declaration's cost build-up (项目预算成本构成 | 金额 | … | 2020年实际
/// 执行数), one row per column and item in order, and each column's 合计 (`x_is_total` = 1).
pub static X_PM_PERF_COST: TableDef = TableDef {
    name: "X_PM_PERF_COST",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "kpi_per_id",
        "x_form_id",
        "x_column_no",
        "x_column",
        "x_is_total",
        "x_item",
        "x_amt",
        "x_amt_as_written",
    ],
};

/// 绩效监控任务: one row per 项目支出绩效目标执行监控表.
pub static PAY_PERF_MONITOR_TASK: TableDef = TableDef {
    name: "PAY_PERF_MONITOR_TASK",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "perf_task_no",
        "perf_type_code",
        "perf_type_name",
        "task_end_date",
        "is_last_inst",
        "is_deleted",
        "x_form_id",
        "x_form_no",
        "x_pro_name",
        "x_competent_department",
        "x_implementing_unit",
        "x_layout",
        "x_period_end_month",
        "x_goal_target",
        "x_goal_progress",
        "x_problems",
        "x_measures",
        "x_empty",
    ],
};

/// 绩效监控信息: one row per monitored indicator.
pub static PAY_PERF_MONITOR_INFO: TableDef = TableDef {
    name: "PAY_PERF_MONITOR_INFO",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "perf_task_no",
        "lv1_perf_ind_code",
        "lv1_perf_ind_name",
        "lv2_perf_ind_code",
        "lv2_perf_ind_name",
        "lv3_perf_ind_code",
        "lv3_perf_ind_name",
        "kpi_val",
        "computesign",
        "meterunit",
        "perf_comp",
        "est_perf_annual",
        "ana_dev_reasons",
        "complete_rate",
        "is_perf_rectify",
        "rectify_advise",
        "rectify_epilog",
        "is_deleted",
        "x_form_id",
        "x_kpi_val_text",
        "x_dev_cause",
        "x_note",
        "x_empty",
    ],
};

/// Extension: the 项目资金 rows of a monitoring form (预算执行), by source.
pub static X_PAY_PERF_MONITOR_BGT: TableDef = TableDef {
    name: "X_PAY_PERF_MONITOR_BGT",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "perf_task_no",
        "x_form_id",
        "found_type_code",
        "x_found_type_name",
        "reply_amt",
        "x_reply_amt_as_written",
        "cur_amt",
        "x_cur_amt_as_written",
        "pro_bgt_comp",
        "x_pro_bgt_comp_as_written",
        "est_pro_bgt_annual",
        "x_est_pro_bgt_annual_as_written",
    ],
};

/// 绩效自评 header: one row per 项目 / 部门整体支出绩效自评表 (`x_form_kind` says which).
pub static PM_PERF_SELF_EVAL: TableDef = TableDef {
    name: "PM_PERF_SELF_EVAL",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "total_eval_value",
        "dept_score",
        "dep_aud_opinion",
        "mof_aud_opinion",
        "is_deleted",
        "x_form_id",
        "x_form_no",
        "x_form_kind",
        "x_name",
        "x_competent_department",
        "x_implementing_unit",
        "x_layout",
        "x_stated_total_weight",
        "x_stated_grade",
        "x_funds_weight",
        "x_funds_stated_rate",
        "x_funds_stated_score",
        "x_empty",
    ],
};

/// 自评目标: the 年度总体目标 (预期 and 实际完成) of a self-evaluation.
pub static PM_SELF_EVAL_GOAL: TableDef = TableDef {
    name: "PM_SELF_EVAL_GOAL",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "x_form_id",
        "kpi_target",
        "goal_comp",
    ],
};

/// 自评指标: one row per indicator of a self-evaluation.
pub static PM_SELF_EVAL_INDICATOR: TableDef = TableDef {
    name: "PM_SELF_EVAL_INDICATOR",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "kpi_id",
        "kpi_lv1",
        "kpi_lv2",
        "kpi_lv3",
        "kpi_val",
        "computesign",
        "meterunit",
        "ind_comp",
        "ind_weight",
        "eval_score",
        "devi_analy",
        "application_advise",
        "is_deleted",
        "x_form_id",
        "x_kpi_lv1_name",
        "x_kpi_lv2_name",
        "x_kpi_val_text",
        "x_item_score",
        "x_not_applicable",
        "x_override_score",
        "x_override_reason",
        "x_empty",
    ],
};

/// 自评预算执行: one row per funds row of a self-evaluation.
pub static PM_PERF_SELF_BGT: TableDef = TableDef {
    name: "PM_PERF_SELF_BGT",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "x_form_id",
        "found_type_code",
        "x_found_type_name",
        "x_label",
        "reply_amt",
        "x_reply_amt_as_written",
        "year_adj_amt",
        "cur_amt",
        "x_cur_amt_as_written",
        "year_exe_amt",
        "x_year_exe_amt_as_written",
        "exe_amt_rate",
        "exe_score",
        "x_empty",
    ],
};

/// Extension: 备注 lines of a self-evaluation, in order.
pub static X_PM_SELF_EVAL_NOTE: TableDef = TableDef {
    name: "X_PM_SELF_EVAL_NOTE",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "x_form_id",
        "x_note",
    ],
};

/// Extension: other header cells of any exchanged form (项目属性, 项目期 …), as printed.
pub static X_PERF_FORM_FIELD: TableDef = TableDef {
    name: "X_PERF_FORM_FIELD",
    columns: &[
        "mof_div_code",
        "fiscal_year",
        "pro_code",
        "dept_code",
        "x_form_id",
        "x_label",
        "x_value",
    ],
};

/// 绩效指标库: the library of the exchanged forms' indicators and the 共性 indicators, one row
/// per 一级, 二级 and 三级 indicator (`level_no` 1–3, `parent_id` the level above). Written for
/// other systems; not read back (it holds no form).
pub static BAS_PERF_INDICATOR: TableDef = TableDef {
    name: "BAS_PERF_INDICATOR",
    columns: &[
        "ind_id",
        "perf_ind_code",
        "perf_ind_name",
        "is_common_ind",
        "value_desc",
        "kpi_val",
        "computesign",
        "meterunit",
        "parent_id",
        "level_no",
        "is_leaf",
        "start_date",
        "end_date",
        "is_enabled",
        "mof_div_code",
        "fiscal_year",
        "is_deleted",
        "x_kpi_lv1_name",
        "x_kpi_lv2_name",
        "x_origin",
        "x_field",
        "x_fixed_for",
        "x_direction",
        "x_uses",
        "x_units",
        "x_q1",
        "x_median",
        "x_q3",
        "x_spread_unit",
    ],
};

/// Every table, in the order written and read (headers before their details).
pub static ALL: [&TableDef; 15] = [
    &PM_PERF_GOAL_INFO,
    &PM_PERF_INDICATOR,
    &X_PM_PERF_COST,
    &BGT_PERF_GOAL_INFO,
    &BGT_PERF_INDICATOR,
    &X_BGT_PERF_TASK,
    &PAY_PERF_MONITOR_TASK,
    &PAY_PERF_MONITOR_INFO,
    &X_PAY_PERF_MONITOR_BGT,
    &PM_PERF_SELF_EVAL,
    &PM_SELF_EVAL_GOAL,
    &PM_SELF_EVAL_INDICATOR,
    &PM_PERF_SELF_BGT,
    &X_PM_SELF_EVAL_NOTE,
    &X_PERF_FORM_FIELD,
];

/// The table whose zip entry is `entry` (`dir/PM_PERF_INDICATOR.csv`, any case of `.csv`).
pub fn by_entry(entry: &str) -> Option<&'static TableDef> {
    let base = entry.rsplit(['/', '\\']).next().unwrap_or(entry);
    let stem = base
        .len()
        .checked_sub(4)
        .filter(|&n| base.is_char_boundary(n) && base[n..].eq_ignore_ascii_case(".csv"))
        .map(|n| &base[..n])?;
    ALL.into_iter().find(|t| t.name.eq_ignore_ascii_case(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_name_in_any_folder() {
        assert_eq!(
            by_entry("out/PM_PERF_INDICATOR.csv"),
            Some(&PM_PERF_INDICATOR)
        );
        assert_eq!(by_entry("pm_perf_self_bgt.CSV"), Some(&PM_PERF_SELF_BGT));
        assert_eq!(by_entry("word/document.xml"), None);
        assert_eq!(by_entry("表.csv"), None);
    }

    #[test]
    fn columns_are_unique_and_every_table_is_keyed() {
        for t in ALL {
            let mut seen = std::collections::BTreeSet::new();
            for c in t.columns {
                assert!(seen.insert(c), "{}: duplicate {c}", t.name);
            }
            for key in ["mof_div_code", "fiscal_year", "x_form_id"] {
                assert!(t.index(key).is_some(), "{}: no {key}", t.name);
            }
            assert!(
                t.index("pro_code").is_some() || t.index("dept_code").is_some(),
                "{}",
                t.name
            );
        }
    }
}
