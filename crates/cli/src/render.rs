//! Renders a scored form as readable Chinese text for the terminal.

use jixiao_core::form::SelfEvaluation;
use jixiao_core::scoring::{Method, ScoredForm};
use jixiao_core::target_value::Outcome;

use crate::table::Table;

fn points(v: Option<rust_decimal::Decimal>) -> String {
    v.map(|v| v.normalize().to_string())
        .unwrap_or_else(|| "—".into())
}

fn method(m: &Method) -> &'static str {
    match m {
        Method::Formula => "公式",
        Method::QualitativeTier { .. } => "定性档次",
        Method::EvaluatorJudgement => "沿用填报",
        Method::ManualOverride => "人工调整",
        Method::NotApplicable => "不适用",
        Method::NotComputable => "无法计算",
    }
}

/// The scored form as text: header, execution rate, indicator table, explanations, groups,
/// total and every discrepancy.
pub fn scored_form(title: &str, form: &SelfEvaluation, scored: &ScoredForm) -> String {
    let mut out = String::new();
    let year = form
        .year
        .map(|y| format!("（{y}年度）"))
        .unwrap_or_default();
    out.push_str(&format!("{title}{year}：{}\n\n", scored.name));

    let e = &scored.execution;
    out.push_str(&format!(
        "预算执行率：{}\n  表中执行率 {}，表中得分 {}；计算得分 {}\n\n",
        e.explanation,
        e.stated_rate
            .map(|r| format!("{r}%"))
            .unwrap_or_else(|| "—".into()),
        points(e.stated_score),
        points(e.score),
    ));

    let mut table = Table::new(
        &[
            "序号",
            "二级指标",
            "三级指标",
            "指标值",
            "实际完成值",
            "分值",
            "表中得分",
            "计算得分",
            "判定",
            "方式",
        ],
        22,
    );
    for s in &scored.indicators {
        table.row(vec![
            (s.row + 1).to_string(),
            s.level2
                .map(|l| l.name().to_string())
                .unwrap_or_else(|| "？".into()),
            s.name.clone(),
            s.target.to_string(),
            s.actual.to_string(),
            points(s.weight),
            points(s.stated),
            points(s.score),
            match s.outcome {
                Outcome::Met => "达成",
                Outcome::NotMet => "未达成",
                Outcome::NotComparable => "无法比较",
            }
            .into(),
            method(&s.method).into(),
        ]);
    }
    out.push_str(&table.render());

    out.push_str("\n计分说明：\n");
    for s in &scored.indicators {
        out.push_str(&format!("  {}. {}：{}\n", s.row + 1, s.name, s.explanation));
    }

    out.push_str("\n分组合计：\n");
    for g in &scored.groups {
        let stated = g
            .stated_weight
            .map(|w| format!("（标注{}分）", w.normalize()))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}：分值{}{stated}，得分{}\n",
            g.level1,
            g.weight.normalize(),
            g.score.normalize()
        ));
    }
    out.push_str(&format!(
        "  预算执行率：分值{}，得分{}\n",
        e.weight.normalize(),
        points(e.score)
    ));

    // A total with items that could not be scored is provisional: no grade for it.
    let missing: Vec<&str> = form
        .indicators
        .iter()
        .zip(&scored.indicators)
        .filter(|(_, s)| s.method != Method::NotApplicable && s.score.is_none())
        .map(|(r, _)| r.name.as_str())
        .collect();
    let grade = if scored.complete {
        format!("等级：{}", scored.grade)
    } else if missing.is_empty() {
        "暂定，预算执行率无法计分，不评定等级".to_string()
    } else {
        format!("暂定，无法计分：{}，不评定等级", missing.join("、"))
    };
    out.push_str(&format!(
        "\n总分：{}分，{grade}\n  {}\n  表中总分：{}，表中等级：{}\n",
        scored.total.normalize(),
        scored.total_explanation,
        points(form.stated_total),
        form.stated_grade
            .map(|g| g.to_string())
            .unwrap_or_else(|| "—".into()),
    ));

    if scored.discrepancies.is_empty() {
        out.push_str("\n未发现表中数据与计算结果的差异。\n");
    } else {
        out.push_str(&format!(
            "\n差异与提示（{}项）：\n",
            scored.discrepancies.len()
        ));
        for (i, d) in scored.discrepancies.iter().enumerate() {
            out.push_str(&format!("  {}. {d}\n", i + 1));
        }
    }
    out
}
