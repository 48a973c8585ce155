//! The 事前绩效评估表 as the browser edits it: the project header, one row per aspect (分值,
//! 得分, 评估意见), the computed total and the conclusion it calls for beside the stated ones.

use jixiao_core::ex_ante::ExAnteResult;
use jixiao_core::form::ex_ante::{AspectRow, Conclusion, ExAnteAssessment};

use super::read::{Reader, RowOp, edit_rows};
use super::{Builder, Table, dec, label, money, opt, span, year};

/// The header table and the aspects table.
pub(super) fn layout(
    b: &mut Builder<'_>,
    a: &ExAnteAssessment,
    result: Option<&ExAnteResult>,
) -> Vec<Table> {
    let head = Table {
        widths: vec![16, 34, 16, 34],
        rows: vec![
            vec![
                label("项目名称"),
                b.input("project_name", a.project_name.clone(), "项目名称", false),
                label("年度"),
                b.input("year", year(a.year), "年度", false),
            ],
            vec![
                label("项目单位"),
                b.input("unit", a.unit.clone(), "项目单位", false),
                label("主管部门"),
                b.input("department", opt(a.department.as_ref()), "主管部门", false),
            ],
            vec![
                label("申请资金（万元）"),
                b.input("funds", money(a.funds.as_ref()), "申请资金", false),
                label("评估机构"),
                b.input("assessor", opt(a.assessor.as_ref()), "评估机构", false),
            ],
        ],
    };
    let mut aspects = Table {
        widths: vec![22, 10, 10, 58],
        rows: vec![vec![
            label("评估内容"),
            label("分值"),
            label("得分"),
            label("评估意见"),
        ]],
    };
    for (k, row) in a.aspects.iter().enumerate() {
        aspects.rows.push(b.row_inputs(
            &format!("aspects[{k}]"),
            [
                ("name", row.name.clone(), "评估内容", false),
                ("points", dec(row.points), "分值", false),
                ("score", dec(row.score), "得分", false),
                ("reasoning", row.reasoning.clone(), "评估意见", true),
            ],
        ));
    }
    let computed = result.map_or_else(String::new, |r| {
        let total = r.total.normalize().to_string();
        if r.complete {
            format!("系统计算：{total}（满分{}）", r.points.normalize())
        } else {
            format!("系统计算：{total}（暂定：有未评分的内容）")
        }
    });
    let called_for = result.and_then(|r| r.conclusion).map_or_else(
        || "按得分：暂不能得出结论".to_string(),
        |c| format!("按得分应为：{}", c.name()),
    );
    let choices: Vec<&'static str> = std::iter::once("")
        .chain(Conclusion::ALL.iter().map(|c| c.name()))
        .collect();
    aspects.rows.push(vec![
        label("总分"),
        span(
            b.input("stated_total", dec(a.stated_total), "总分", false),
            2,
        ),
        b.calc("calc-ex-ante-total", computed),
    ]);
    aspects.rows.push(vec![
        label("评估结论"),
        span(
            b.choice(
                "conclusion",
                a.conclusion
                    .map(|c| c.name().to_string())
                    .unwrap_or_default(),
                "评估结论",
                choices,
            ),
            2,
        ),
        b.calc("calc-ex-ante-conclusion", called_for),
    ]);
    aspects.rows.push(vec![
        label("评估意见及建议"),
        span(
            b.input("opinion", a.opinion.clone(), "评估意见及建议", true),
            3,
        ),
    ]);
    vec![head, aspects]
}

/// Reads an assessment's posted fields, then adds or deletes an aspect row.
pub(super) fn apply(r: &mut Reader<'_>, a: &mut ExAnteAssessment, op: Option<RowOp>) {
    r.set_text("project_name", &mut a.project_name);
    r.set_year(&mut a.year);
    r.set_text("unit", &mut a.unit);
    r.set_opt_text("department", &mut a.department);
    r.set_money("funds", &mut a.funds);
    r.set_opt_text("assessor", &mut a.assessor);
    for (k, row) in a.aspects.iter_mut().enumerate() {
        let at = |field: &str| format!("aspects[{k}].{field}");
        r.set_text(&at("name"), &mut row.name);
        r.set_number(&at("points"), &['分'], &mut row.points);
        r.set_number(&at("score"), &['分'], &mut row.score);
        r.set_text(&at("reasoning"), &mut row.reasoning);
    }
    r.set_number("stated_total", &['分'], &mut a.stated_total);
    if let Some(v) = r.text("conclusion") {
        match (v.is_empty(), Conclusion::parse(&v)) {
            (true, _) => a.conclusion = None,
            (false, Some(c)) => a.conclusion = Some(c),
            (false, None) => r.fail(
                "conclusion",
                format!("评估结论“{v}”应为 予以支持、调整完善后予以支持 或 不予支持"),
            ),
        }
    }
    r.set_text("opinion", &mut a.opinion);
    if let Some(op) = op {
        edit_rows(&mut a.aspects, op, |_: &AspectRow| AspectRow {
            name: String::new(),
            points: None,
            score: None,
            reasoning: String::new(),
        });
    }
}
