//! The audit report as one self-contained HTML page a reviewer can read and print: per file,
//! findings by severity with their evidence and basis. No scripts, no external files.

use std::fmt::Write;

use jixiao_core::audit::{Finding, Severity, count, counts};

use super::audited::AuditedFile;
use super::markup::escape;
use super::sheet::{Sheet, Style};

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.5}\
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:2px solid #444;padding-bottom:.2em;margin-top:2em}\
.sum span{display:inline-block;margin-right:1.2em;padding:.1em .6em;border-radius:3px}\
.错误{background:#fde2e1;border-left:4px solid #c0392b}.警告{background:#fff4d6;border-left:4px solid #d68910}.提示{background:#e8f1fb;border-left:4px solid #2e6da4}.无法核对{background:#f2f2f2;border-left:4px solid #888}\
.f{margin:.6em 0;padding:.5em .8em}.f .h{font-weight:bold}.f .m{margin:.2em 0}.f .w{color:#555;font-size:.9em}\
table.v{border-collapse:collapse;margin:.3em 0}table.v td{border:1px solid #bbb;padding:.1em .5em}\
details{font-size:.9em;color:#333}.notes{color:#555;font-size:.9em}@media print{details{display:block}}";

fn finding(out: &mut String, f: &Finding) {
    let _ = write!(
        out,
        "<div class=\"f {sev}\"><div class=\"h\">{sev} {code} {title}</div><div class=\"w\">{form} · {loc}</div><div class=\"m\">{msg}</div>",
        sev = f.severity.name(),
        code = f.code,
        title = escape(f.title),
        form = escape(&f.form),
        loc = escape(&f.location.to_string()),
        msg = escape(&f.message),
    );
    if f.stated.is_some() || f.computed.is_some() {
        let _ = write!(
            out,
            "<table class=\"v\"><tr><td>表中数值</td><td>{}</td><td>核算数值</td><td>{}</td></tr></table>",
            escape(f.stated.as_deref().unwrap_or("—")),
            escape(f.computed.as_deref().unwrap_or("—"))
        );
    }
    if !f.evidence.is_empty() {
        let _ = write!(
            out,
            "<details><summary>计算过程</summary>{}</details>",
            escape(&f.evidence)
        );
    }
    let _ = write!(
        out,
        "<div class=\"w\">依据：{}</div></div>",
        escape(f.basis)
    );
}

/// Renders the audit of `files` as one HTML page.
pub fn audit_html(files: &[AuditedFile<'_>]) -> String {
    let all: Vec<Finding> = files
        .iter()
        .flat_map(|f| f.findings.iter().cloned())
        .collect();
    let (e, w, i) = counts(&all);
    let c = count(&all, Severity::CannotCheck);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>绩效审核报告</title><style>{STYLE}</style></head><body>\
         <h1>绩效审核报告</h1><p class=\"sum\"><span>文件 {n}个</span><span class=\"错误\">错误 {e}项</span><span class=\"警告\">警告 {w}项</span><span class=\"提示\">提示 {i}项</span><span class=\"无法核对\">无法核对 {c}项</span></p>",
        n = files.len()
    );
    for file in files {
        let _ = write!(out, "<h2>{}</h2>", escape(file.file));
        if let Some(err) = file.error {
            let _ = write!(
                out,
                "<div class=\"f 错误\"><div class=\"h\">无法导入</div><div class=\"m\">{}</div></div>",
                escape(err)
            );
            continue;
        }
        let (e, w, i) = counts(file.findings);
        let c = count(file.findings, Severity::CannotCheck);
        let _ = write!(
            out,
            "<p class=\"sum\"><span>表单 {}份</span><span class=\"错误\">错误 {e}</span><span class=\"警告\">警告 {w}</span><span class=\"提示\">提示 {i}</span><span class=\"无法核对\">无法核对 {c}</span></p>",
            file.forms
        );
        if file.findings.is_empty() {
            out.push_str("<p>未发现问题。</p>");
        }
        for severity in Severity::ALL {
            for f in file.findings.iter().filter(|f| f.severity == severity) {
                finding(&mut out, f);
            }
        }
        if !file.notes.is_empty() {
            out.push_str("<div class=\"notes\"><p>导入说明：</p><ul>");
            for n in file.notes {
                let _ = write!(out, "<li>{}</li>", escape(n));
            }
            out.push_str("</ul></div>");
        }
    }
    out.push_str("<p class=\"w\">由 绩效 Jixiao 生成。每项问题列出表中数值、核算数值、计算过程与依据。</p></body></html>\n");
    out
}

/// An evaluation as one self-contained HTML page: every indicator with its explanation, the
/// total and grade, the differences from the stated scores, and notes on the base data.
pub fn evaluation_html(
    evaluation: &jixiao_core::rules::Evaluation,
    differences: &[jixiao_core::rules::Difference],
    notes: &[String],
) -> String {
    let show = |v: Option<rust_decimal::Decimal>| {
        v.map_or_else(|| "—".to_string(), |v| v.normalize().to_string())
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}\
         table.e{{border-collapse:collapse;width:100%;font-size:.92em}}table.e th,table.e td{{border:1px solid #999;padding:.25em .4em;vertical-align:top}}\
         table.e th{{background:#eee}}td.n{{text-align:right;white-space:nowrap}}.nc{{color:#c0392b}}</style></head><body><h1>{title}</h1>",
        title = escape(&evaluation.name)
    );
    let _ = write!(
        out,
        "<p class=\"sum\"><span>总分 {}分</span><span>适用指标分值 {}</span><span>等级 {}</span>{}</p>",
        evaluation.total.normalize(),
        evaluation.applicable_points.normalize(),
        evaluation.grade,
        if evaluation.complete {
            String::new()
        } else {
            "<span class=\"警告\">部分指标无法计算，总分为暂定值</span>".into()
        }
    );
    if let Some(v) = &evaluation.veto {
        let _ = write!(
            out,
            "<div class=\"f 错误\"><div class=\"h\">一票否决</div><div class=\"m\">{}</div></div>",
            escape(v)
        );
    }
    out.push_str("<table class=\"e\"><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>分值</th><th>计算值</th><th>得分</th><th>表中得分</th><th>计算过程</th></tr>");
    for r in &evaluation.indicators {
        let score = r.score.map_or_else(
            || "<span class=\"nc\">无法计算</span>".to_string(),
            |s| s.normalize().to_string(),
        );
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{score}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&r.level1),
            escape(&r.level2),
            escape(&r.name),
            r.points.normalize(),
            show(r.measure),
            show(r.stated),
            escape(&r.explanation)
        );
    }
    out.push_str("</table>");
    if !differences.is_empty() {
        let _ = write!(out, "<h2>与表中得分的差异（{}项）</h2>", differences.len());
        for d in differences {
            let class = if d.computed.is_some() {
                "错误"
            } else {
                "提示"
            };
            let _ = write!(
                out,
                "<div class=\"f {class}\"><div class=\"h\">{}</div><div class=\"m\">{}</div></div>",
                escape(&d.name),
                escape(&d.message)
            );
        }
    }
    if !notes.is_empty() {
        out.push_str("<div class=\"notes\"><p>基础数据说明：</p><ul>");
        for n in notes {
            let _ = write!(out, "<li>{}</li>", escape(n));
        }
        out.push_str("</ul></div>");
    }
    out.push_str("<p class=\"w\">由 绩效 Jixiao 生成：每项得分列出计算值、规则与计算过程；缺少数据的指标不计分。</p></body></html>\n");
    out
}

const FORM_STYLE: &str = "body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;margin:2em auto;max-width:1000px;color:#000}\
.form{margin:0 0 3em}.form p.t{text-align:center;font-size:1.6em;font-weight:bold;margin:.2em 0}.form p.y{text-align:center;margin:.2em 0 .8em}\
.form p.n{margin:.3em 0;font-size:.9em}table.sheet{border-collapse:collapse;width:100%;font-size:.9em}\
table.sheet td{border:1px solid #000;padding:.25em .4em;vertical-align:middle}table.sheet td.c{text-align:center}\
@media print{.form{page-break-after:always}@page{size:A4;margin:20mm}}";

/// Forms as one HTML page, each in its standard layout: the title and year above, the bordered
/// rows as a table with the same merged cells (rowspan/colspan), notes below.
pub fn forms_html(sheets: &[Sheet]) -> String {
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>绩效表单</title><style>{FORM_STYLE}</style></head><body>"
    );
    for sheet in sheets {
        out.push_str("<section class=\"form\">");
        sheet_html(&mut out, sheet);
        out.push_str("</section>");
    }
    out.push_str("</body></html>");
    out
}

fn sheet_html(out: &mut String, sheet: &Sheet) {
    let g = sheet.regions();
    let (rows, cols) = (g.rows, g.cols);
    let mut in_table = false;
    for r in 0..rows {
        if !sheet.bordered(r, cols) {
            if in_table {
                out.push_str("</table>");
                in_table = false;
            }
            let line = sheet.loose(r, cols, r < g.first);
            let class = match (line.title, line.caption) {
                (true, _) => "t",
                (_, true) => "y",
                _ => "n",
            };
            let _ = write!(out, "<p class=\"{class}\">{}</p>", escape(&line.text));
            continue;
        }
        if !in_table {
            out.push_str("<table class=\"sheet\">");
            in_table = true;
        }
        out.push_str("<tr>");
        for c in 0..cols {
            let (rowspan, colspan) = match sheet.merge_at(r, c) {
                Some(m) if (m.0, m.1) != (r, c) => continue,
                Some(m) => (m.2 - m.0 + 1, m.3 - m.1 + 1),
                None => (1, 1),
            };
            let (text, style) = sheet
                .cells
                .get(&(r, c))
                .map_or(("", Style::Cell), |v| (v.0.as_str(), v.1));
            out.push_str("<td");
            if rowspan > 1 {
                let _ = write!(out, " rowspan=\"{rowspan}\"");
            }
            if colspan > 1 {
                let _ = write!(out, " colspan=\"{colspan}\"");
            }
            if style == Style::CellCenter {
                out.push_str(" class=\"c\"");
            }
            let _ = write!(out, ">{}</td>", escape(text).replace('\n', "<br>"));
        }
        out.push_str("</tr>");
    }
    if in_table {
        out.push_str("</table>");
    }
}
