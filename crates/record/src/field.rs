//! A form field's name as users know it: `indicators[3].weight` is 「第4项指标的分值」,
//! `funds.rows[0].executed` is 「资金第1行的全年执行数」. Messages, the history and the diffs of
//! saves name fields this way; paths stay for code, links and the API.

/// The Chinese name of the field at `path` in a form's JSON (docs/forms.md); a path this module
/// does not know is 「表中其他内容」, never the path itself.
pub fn label(path: &str) -> String {
    let mut parts = path.split('.');
    let Some(first) = parts.next() else {
        return OTHER.to_string();
    };
    let rest: Vec<&str> = parts.collect();
    let (head, index) = indexed(first);
    match (head, index, rest.as_slice()) {
        ("funds", None, ["rows", ..]) | ("funds", None, []) => OTHER.to_string(),
        ("funds", None, [field]) if !field.starts_with("rows") => match *field {
            "weight" => "执行率分值".into(),
            "stated_rate" => "执行率（表中）".into(),
            "stated_score" => "执行率得分（表中）".into(),
            _ => OTHER.into(),
        },
        ("funds", None, [row, field]) => match indexed(row) {
            ("rows", Some(k)) => format!("资金第{}行的{}", k + 1, funds_field(field)),
            _ => OTHER.into(),
        },
        ("funds", Some(k), [field]) => format!("资金第{}行的{}", k + 1, funds_field(field)),
        ("indicators", Some(k), [field]) => {
            format!("第{}项指标的{}", k + 1, indicator_field(field))
        }
        ("indicators", Some(k), [field, ..]) => {
            format!("第{}项指标的{}", k + 1, indicator_field(field))
        }
        ("tasks", Some(k), [field]) => format!("第{}项任务的{}", k + 1, task_field(field)),
        ("tasks", Some(k), ["budget", field]) => {
            format!("第{}项任务的{}", k + 1, task_field(field))
        }
        ("management", Some(k), [field]) => {
            format!("资金管理情况第{}项的{}", k + 1, management_field(field))
        }
        ("sections", Some(k), ["heading"]) => format!("第{}节标题", k + 1),
        ("sections", Some(k), [p]) => match indexed(p) {
            ("paragraphs", Some(n)) => format!("第{}节第{}段", k + 1, n + 1),
            _ => format!("第{}节", k + 1),
        },
        ("overall_target", None, ["expected"]) => "年度总体目标（预期目标）".into(),
        ("overall_target", None, ["actual"]) => "年度总体目标（实际完成情况）".into(),
        ("overall_target", None, ["set"]) => "年度总体目标".into(),
        ("overall_target", None, ["progress"]) => "总体目标完成情况".into(),
        ("other_fields", _, _) => "表头其他栏目".into(),
        ("notes", _, _) => "备注".into(),
        (key, None, []) => top(key).map_or_else(|| OTHER.to_string(), str::to_string),
        _ => OTHER.into(),
    }
}

/// What a path this module does not know is called.
const OTHER: &str = "表中其他内容";

/// `rows[3]` → (`rows`, Some(3)); `name` → (`name`, None).
fn indexed(segment: &str) -> (&str, Option<usize>) {
    match segment.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (segment, None),
    }
}

fn top(key: &str) -> Option<&'static str> {
    Some(match key {
        "name" => "名称",
        "project_name" => "项目名称",
        "department" => "部门（单位）名称",
        "unit" => "单位",
        "year" => "年度",
        "competent_department" => "主管部门",
        "implementing_unit" => "实施单位",
        "layout" => "指标体系",
        "funds_total" => "资金总额",
        "funds_fiscal" => "财政拨款",
        "funds_other" => "其他资金",
        "basic_expenditure" => "基本支出",
        "project_expenditure" => "项目支出",
        "duties" => "部门职能职责概述",
        "stated_total" => "总分",
        "stated_total_weight" => "总分分值",
        "stated_grade" => "等级",
        "stated_tasks_total" => "任务金额合计",
        "period_end_month" => "监控截至月份",
        "problems" => "偏差或不能完成目标原因分析",
        "measures" => "拟采取的措施",
        "title" => "标题",
        "date" => "日期",
        "kind" => "报告类型",
        "medium_term" => "中期目标",
        "central_department" => "中央主管部门",
        "local_department" => "地方主管部门",
        _ => return None,
    })
}

fn funds_field(field: &str) -> &'static str {
    match field {
        "initial_budget" => "年初预算数",
        "full_year_budget" => "全年预算数",
        "adjusted_budget" => "调整后预算数",
        "executed" => "全年执行数",
        "expected_year_end" => "预计全年执行数",
        "source" => "资金来源",
        "label" => "名称",
        "budget" => "全年预算数",
        "received" => "全年到位资金",
        "stated_rate" => "执行率（表中）",
        _ => "其他内容",
    }
}

fn management_field(field: &str) -> &'static str {
    match field {
        "aspect" => "管理事项",
        "explanation" => "情况说明",
        "problems" => "存在问题和改进措施",
        _ => "其他内容",
    }
}

fn indicator_field(field: &str) -> &'static str {
    match field {
        "level1" => "一级指标",
        "level2" => "二级指标",
        "name" => "三级指标",
        "target" => "指标值",
        "actual" => "实际完成值",
        "weight" => "分值",
        "score" | "stated_score" => "得分",
        "deviation_reason" => "偏差原因分析及改进措施",
        "progress" => "执行进度",
        "expected_year_end" => "预计全年完成情况",
        "likelihood" => "完成可能性",
        "cause" => "偏差原因类型",
        "not_applicable" => "不适用说明",
        "manual_override" => "人工评分",
        _ => "其他内容",
    }
}

fn task_field(field: &str) -> &'static str {
    match field {
        "name" => "任务名称",
        "content" => "主要内容",
        "total" => "金额合计",
        "fiscal" => "财政拨款",
        "other" => "其他资金",
        _ => "其他内容",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_words() {
        for (path, words) in [
            ("indicators[3].weight", "第4项指标的分值"),
            ("indicators[0].actual", "第1项指标的实际完成值"),
            ("funds.rows[0].executed", "资金第1行的全年执行数"),
            ("funds.stated_score", "执行率得分（表中）"),
            ("funds[1].adjusted_budget", "资金第2行的调整后预算数"),
            ("funds_total", "资金总额"),
            ("stated_total", "总分"),
            ("tasks[2].budget.fiscal", "第3项任务的财政拨款"),
            ("sections[1].paragraphs[4]", "第2节第5段"),
            ("overall_target.actual", "年度总体目标（实际完成情况）"),
            ("funds[0].received", "资金第1行的全年到位资金"),
            ("management[2].explanation", "资金管理情况第3项的情况说明"),
            ("something_new", "表中其他内容"),
        ] {
            assert_eq!(label(path), words, "{path}");
        }
    }

    #[test]
    fn no_label_shows_a_code() {
        for path in [
            "indicators[9].manual_override.score",
            "other_fields[2].value",
            "funds.rows",
            "",
        ] {
            let words = label(path);
            assert!(
                !words
                    .chars()
                    .any(|c| c.is_ascii_alphabetic() || c == '_' || c == '['),
                "{path} → {words}"
            );
        }
    }
}
