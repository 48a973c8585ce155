//! The self-evaluation report ([`Draft`]) on paper in the GB/T 9704-2012 layout: 2号小标宋 title,
//! headings 一、 in 黑体, （一） in 楷体, body in 3号仿宋 indented two characters, the score table,
//! the 附件 note, unit and date, then each attached form on a new page under its `附件1` mark.

use jixiao_core::form::Form;
use jixiao_core::self_report::{Content, Draft, ScoreLine};

use super::form::{SCORED_COLUMNS, form_sheets};
use super::paper::{Align, Block, Font, Page, Paper, size};
use super::sheet::{Sheet, Style, level_cells};

fn line(
    text: impl Into<String>,
    font: Font,
    size: u32,
    align: Align,
    outline: Option<u8>,
) -> Block {
    Block::Paragraph {
        text: text.into(),
        font,
        size,
        bold: false,
        align,
        outline,
    }
}

/// The score table: 一级/二级 merged over their runs, 三级, 指标值, 实际完成值, 分值, 得分.
fn score_sheet(lines: &[ScoreLine]) -> Sheet {
    let mut s = Sheet::new("得分");
    for (c, w) in [
        (0, 80),
        (1, 90),
        (2, 160),
        (3, 120),
        (4, 120),
        (5, 45),
        (6, 45),
    ] {
        s.width(c, w);
    }
    for (c, h) in SCORED_COLUMNS.iter().enumerate() {
        s.set(0, c, *h, Style::CellCenter);
    }
    s.header(0, 0);
    for (k, l) in lines.iter().enumerate() {
        s.set(k + 1, 2, &l.name, Style::Cell)
            .set(k + 1, 3, &l.target, Style::Cell)
            .set(k + 1, 4, &l.actual, Style::Cell)
            .set(k + 1, 5, &l.weight, Style::CellCenter)
            .set(k + 1, 6, &l.score, Style::CellCenter);
    }
    let levels: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l.level1.as_str(), l.level2.as_str()))
        .collect();
    level_cells(&mut s, 1, 0, &levels);
    s
}

/// A 2号 title of more than one line breaks where the words allow (GB/T 9704 §7.3.1: 回行时
///要做到词意完整): after the unit and year (`…2021年度` / `部门整体支出绩效自评报告`), else
/// before the kind of report; a title that fits one line (20 characters of 2号 on the text
/// block) stays as it is.
fn title_lines(title: &str) -> String {
    const LINE: usize = 20;
    // Digits and Latin letters take half a character.
    let width = |t: &str| {
        t.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
            .div_ceil(2)
    };
    if width(title) <= LINE {
        return title.to_string();
    }
    let at = title
        .find("年度")
        .map(|k| k + "年度".len())
        .filter(|&k| width(&title[..k]) <= LINE && k < title.len())
        .or_else(|| {
            ["部门整体支出", "项目支出", "绩效自评报告"]
                .iter()
                .filter_map(|w| title.find(w))
                .find(|&k| k > 0 && width(&title[..k]) <= LINE)
        });
    match at {
        Some(k) => format!("{}\n{}", &title[..k], &title[k..]),
        None => title.to_string(),
    }
}

/// The report as a Word document.
pub fn report_docx(draft: &Draft) -> Result<Vec<u8>, std::io::Error> {
    report_document(draft).to_bytes()
}

/// The report's document model, for the Word and PDF writers.
pub fn report_document(draft: &Draft) -> Paper {
    let page = Page::official();
    let mut doc = Paper::new(page);
    doc.push(line(
        title_lines(&draft.title),
        Font::XiaoBiaoSong,
        size::ER,
        Align::Center,
        Some(0),
    ));
    doc.push(line("", page.body.0, page.body.1, Align::Left, None));
    for part in &draft.parts {
        let font = match part.level {
            1 => Font::Hei,
            2 => Font::Kai,
            _ => Font::FangSong,
        };
        doc.push(line(
            &part.heading,
            font,
            size::SAN,
            Align::Indented,
            Some(part.level),
        ));
        for content in &part.content {
            match content {
                Content::Text { text, .. } => {
                    doc.push(Block::body(text, &page));
                }
                Content::Scores(lines) => {
                    doc.push(Block::Form(score_sheet(lines)));
                }
            }
        }
    }
    // 附件：1-1.×××, one line below the body; later names align under the first.
    if !draft.attachments.is_empty() {
        doc.push(line("", page.body.0, page.body.1, Align::Left, None));
        let names = if let [only] = draft.attachments.as_slice() {
            vec![only.form.title().to_string()]
        } else {
            draft
                .attachments
                .iter()
                .map(|a| format!("{}.{}", a.label.trim_start_matches("附件"), a.form.title()))
                .collect()
        };
        doc.push(Block::Attachments(names));
    }
    // Without a seal: one line below, the unit two characters from the right, the date below.
    doc.push(line("", page.body.0, page.body.1, Align::Left, None));
    doc.push(Block::Signature {
        unit: draft.unit.clone(),
        // No date known: a line to date by hand when signing.
        date: Some(
            draft
                .date
                .clone()
                .unwrap_or_else(|| "　　年　　月　　日".into()),
        ),
    });
    for attachment in &draft.attachments {
        doc.push(Block::PageBreak);
        doc.push(line(
            &attachment.label,
            Font::Hei,
            size::SAN,
            Align::Left,
            None,
        ));
        let forms: [Form; 1] = [attachment.form.clone()];
        for sheet in form_sheets(&forms) {
            doc.push(Block::Form(sheet));
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_break_between_words() {
        assert_eq!(
            title_lines("株洲市工伤保险服务中心2021年度部门整体支出绩效自评报告"),
            "株洲市工伤保险服务中心2021年度\n部门整体支出绩效自评报告"
        );
        assert_eq!(
            title_lines(
                "淮北市人力资源和社会保障局所属工伤保险管理服务中心部门整体支出绩效自评报告"
            ),
            "淮北市人力资源和社会保障局所属工伤保险管理服务中心部门整体支出绩效自评报告",
            "no break that keeps the first line within the width: left to the layout"
        );
        assert_eq!(title_lines("2021年度自评报告"), "2021年度自评报告");
    }
}
