//! The narrative 绩效自评报告: title, unit, date and its sections, one textarea per section with
//! a paragraph per line.

use jixiao_core::form::report::{Report, Section};

use super::read::{Reader, RowOp};
use super::{Builder, Table, label, opt};

/// The report's head and one heading and text per section.
pub(super) fn layout(b: &Builder<'_>, r: &Report) -> Vec<Table> {
    let mut t = Table {
        widths: vec![12, 88],
        rows: vec![
            vec![
                label("标题"),
                b.input("title", r.title.clone(), "标题", false),
            ],
            vec![
                label("单位"),
                b.input("unit", opt(r.unit.as_ref()), "单位", false),
            ],
            vec![
                label("日期"),
                b.input("date", opt(r.date.as_ref()), "日期", false),
            ],
        ],
    };
    for (k, s) in r.sections.iter().enumerate() {
        t.rows.push(vec![
            label(format!("第{}节标题", k + 1)),
            b.input(
                &format!("sections[{k}].heading"),
                s.heading.clone(),
                "章节标题",
                false,
            ),
        ]);
        t.rows.push(vec![
            label("正文（每段一行）"),
            b.input(
                &format!("sections[{k}].text"),
                s.paragraphs.join("\n"),
                "章节正文（每段一行）",
                true,
            ),
        ]);
    }
    vec![t]
}

/// Reads the report's posted fields, then adds or deletes a section.
pub(super) fn apply(r: &mut Reader<'_>, rep: &mut Report, op: Option<RowOp>) {
    r.set_text("title", &mut rep.title);
    r.set_opt_text("unit", &mut rep.unit);
    r.set_opt_text("date", &mut rep.date);
    for (k, s) in rep.sections.iter_mut().enumerate() {
        r.set_text(&format!("sections[{k}].heading"), &mut s.heading);
        if let Some(text) = r.text(&format!("sections[{k}].text")) {
            s.paragraphs = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
        }
    }
    match op {
        Some(RowOp::Add(k)) => {
            let at = (k + 1).min(rep.sections.len());
            rep.sections.insert(
                at,
                Section {
                    heading: String::new(),
                    level: 1,
                    paragraphs: Vec::new(),
                },
            );
        }
        Some(RowOp::Delete(k)) if k < rep.sections.len() => {
            rep.sections.remove(k);
        }
        _ => {}
    }
}
