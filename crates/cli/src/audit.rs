//! `jixiao audit` output: per file the errors, then the warnings, then the notes (提示), the
//! checks that could not be made (无法核对) and what the importer could not use, each message whole and wrapped; then one line per form
//! (unit, stated total, computed total, grade) and the totals, unreadable files counted.

use std::path::PathBuf;

use jixiao_app::batch::FileAudit;
use jixiao_core::audit::{Finding, FormSummary, Severity, count, counts};
use jixiao_core::rules::RuleSet;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_recognize::Limits;
use unicode_width::UnicodeWidthChar;

use crate::progress::Progress;

/// Audits `files` on all cores, with progress on stderr when it is a terminal and the batch
/// has more than a few files.
pub fn audit_all(
    files: &[PathBuf],
    limits: &Limits,
    policy: &ScoringPolicy,
    rules: Option<&RuleSet>,
) -> Vec<FileAudit> {
    let progress = Progress::new(files.len(), "审核中");
    let audits =
        jixiao_app::batch::audit_all(files, limits, policy, rules, &|done, _| progress.tell(done));
    progress.finish();
    audits
}

/// The width text is wrapped to, in terminal columns (a CJK character takes two).
const WIDTH: usize = 88;

/// `text` wrapped to `width` columns: the first line after `lead`, the others indented by
/// `indent` spaces. Nothing is cut.
pub fn wrap(lead: &str, text: &str, indent: usize, width: usize) -> String {
    let mut out = String::from(lead);
    let mut col: usize = lead.chars().map(|c| c.width().unwrap_or(0)).sum();
    let room = width.max(indent + 10);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
        }
        for c in line.chars() {
            let w = c.width().unwrap_or(0);
            // A closing mark stays on its line even past the width.
            let closing = "，。、；：？！）》」』”’,.;:?!)%".contains(c);
            if col + w > room && !closing {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            }
            out.push(c);
            col += w;
        }
    }
    out.push('\n');
    out
}

fn finding(out: &mut String, n: usize, f: &Finding, file: &str) {
    let location = f.location.to_string().replacen(file, "", 1);
    let head = format!("  {n}. [{}] {}：{}", f.code, f.title, f.form);
    out.push_str(&wrap("", &head, 6, WIDTH));
    let place = location.trim();
    if !place.is_empty() {
        out.push_str(&wrap("     位置：", place, 11, WIDTH));
    }
    out.push_str(&wrap("     ", &f.message, 5, WIDTH));
    if let (Some(s), Some(c)) = (&f.stated, &f.computed) {
        out.push_str(&wrap("     表中：", &format!("{s}；核算：{c}"), 11, WIDTH));
    }
}

/// A form's summary line: unit, stated total, computed total, grade.
pub fn form_line(s: &FormSummary) -> String {
    let mut parts = vec![s.form.clone()];
    if let Some(u) = &s.unit {
        parts.push(format!("单位 {u}"));
    }
    let num = |v: Option<rust_decimal::Decimal>| {
        v.map_or_else(|| "—".to_string(), |v| v.normalize().to_string())
    };
    if s.computed_total.is_some() {
        parts.push(format!("填报总分 {}", num(s.stated_total)));
        parts.push(format!("核算总分 {}", num(s.computed_total)));
        parts.push(match &s.grade {
            Some(g) => format!("等级 {g}"),
            None => "等级 暂定（有无法计分的指标）".into(),
        });
    }
    parts.push(format!("错误{}项，警告{}项", s.errors, s.warnings));
    parts.join("，")
}

/// The audits as readable text.
pub fn render(audits: &[FileAudit]) -> String {
    let mut out = String::new();
    for a in audits {
        if let Some(e) = &a.error {
            let e = e.strip_prefix(&format!("{}：", a.file)).unwrap_or(e);
            out.push_str(&wrap(&format!("{}：无法读取：", a.file), e, 2, WIDTH));
            out.push('\n');
            continue;
        }
        let (e, w, i) = counts(&a.findings);
        out.push_str(&format!(
            "{}：{}份表单，错误{e}项，警告{w}项，提示{i}项{}\n",
            a.file,
            a.forms,
            cannot_check(&a.findings)
        ));
        for severity in Severity::ALL {
            let heading = severity.name();
            let of: Vec<&Finding> = a
                .findings
                .iter()
                .filter(|f| f.severity == severity)
                .collect();
            if of.is_empty() {
                continue;
            }
            out.push_str(&format!(" {heading}（{}项）\n", of.len()));
            for (n, f) in of.iter().enumerate() {
                finding(&mut out, n + 1, f, &a.file);
            }
        }
        if !a.notes.is_empty() {
            out.push_str(&format!(" 导入说明（{}条）\n", a.notes.len()));
            for n in &a.notes {
                out.push_str(&wrap("  · ", n, 4, WIDTH));
            }
        }
        out.push('\n');
    }
    let forms: Vec<(&str, &FormSummary)> = audits
        .iter()
        .flat_map(|a| a.summaries.iter().map(move |s| (a.file.as_str(), s)))
        .collect();
    if !forms.is_empty() {
        out.push_str("各表汇总：\n");
        for (file, s) in forms {
            out.push_str(&wrap(&format!("  {file}："), &form_line(s), 4, WIDTH));
        }
    }
    let all: Vec<Finding> = audits.iter().flat_map(|a| a.findings.clone()).collect();
    let (e, w, i) = counts(&all);
    let unreadable = audits.iter().filter(|a| a.error.is_some()).count();
    out.push_str(&format!(
        "合计：{}个文件{}，错误{e}项，警告{w}项，提示{i}项{}\n",
        audits.len(),
        if unreadable > 0 {
            format!("（{unreadable}个无法读取）")
        } else {
            String::new()
        },
        cannot_check(&all)
    ));
    out
}

/// `，无法核对N项` when some checks could not be made, else nothing.
fn cannot_check(findings: &[Finding]) -> String {
    match count(findings, Severity::CannotCheck) {
        0 => String::new(),
        n => format!("，无法核对{n}项"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_wrap_whole_with_a_hanging_indent() {
        let text = "工".repeat(50);
        let out = wrap("  · ", &text, 4, 40);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[1].starts_with("    工"));
        let kept: String = out.chars().filter(|c| *c == '工').collect();
        assert_eq!(kept.chars().count(), 50, "nothing cut");
        // A closing mark is not sent to a new line alone.
        let out = wrap("", &format!("{}。", "工".repeat(20)), 0, 40);
        assert_eq!(out.lines().count(), 1, "{out}");
    }
}
