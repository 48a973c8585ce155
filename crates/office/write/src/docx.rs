//! A Word (.docx) writer for the papers people file: a form (its [`Sheet`] layout as a Word
//! table with gridSpan/vMerge, A4, 宋体) and an official document in the GB/T 9704-2012 layout
//! (A4, 37/35/28/26 mm margins, 3号仿宋 on a 22-line × 28-character grid, headings 一、（一）1.（1）
//! in 黑体/楷体/仿宋, 2号小标宋 title, `— 1 —` page numbers outside on odd and even pages).
//!
//! Fonts are named as users expect (仿宋_GB2312, 楷体_GB2312, 方正小标宋简体) with the common
//! system names as alternates in the font table, so Word and LibreOffice fall back cleanly.

use super::columns::{em_width, fit_columns};
use super::markup::escape;
use super::paper::{Align, Block, Font, Paper, loose_style, mm, signature_indents};
use super::sheet::{Sheet, Style};

/// A table cell's left and right inner margin, twips (1 mm).
const CELL_MARGIN: i64 = 57;

impl Font {
    fn name(self) -> &'static str {
        match self {
            Font::FangSong => "仿宋_GB2312",
            Font::Song => "宋体",
            Font::Hei => "黑体",
            Font::Kai => "楷体_GB2312",
            Font::XiaoBiaoSong => "方正小标宋简体",
        }
    }

    /// The name Word and LibreOffice try when the first is not installed.
    fn alternate(self) -> &'static str {
        match self {
            Font::FangSong => "仿宋",
            Font::Song => "SimSun",
            Font::Hei => "SimHei",
            Font::Kai => "楷体",
            Font::XiaoBiaoSong => "华文中宋",
        }
    }

    const ALL: [Font; 5] = [
        Font::FangSong,
        Font::Song,
        Font::Hei,
        Font::Kai,
        Font::XiaoBiaoSong,
    ];
}

impl Paper {
    /// The document XML.
    fn document_xml(&self) -> String {
        let mut x = String::with_capacity(16 * 1024);
        x.push_str(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
        );
        for block in &self.blocks {
            match block {
                Block::Paragraph {
                    text,
                    font,
                    size,
                    bold,
                    align,
                    outline,
                } => paragraph(
                    &mut x,
                    text,
                    *font,
                    *size,
                    *bold,
                    *align,
                    *outline,
                    Place::Body,
                ),
                Block::Form(sheet) => self.form(&mut x, sheet),
                Block::Attachments(names) => self.attachments(&mut x, names),
                Block::Signature { unit, date } => self.signature(&mut x, unit, date.as_deref()),
                Block::PageBreak => x.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"),
            }
        }
        let (w, h) = self.page.size();
        let (top, bottom, left, right) = self.page.margins;
        x.push_str("<w:sectPr>");
        if self.page.page_numbers {
            x.push_str(
                "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>\
                 <w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>",
            );
        }
        // The page number's top sits 7 mm below the text block; its line is about 6 mm high.
        let footer = bottom.saturating_sub(mm(13));
        x.push_str(&format!(
            "<w:pgSz w:w=\"{w}\" w:h=\"{h}\"{}/>\
             <w:pgMar w:top=\"{top}\" w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" \
             w:header=\"851\" w:footer=\"{footer}\" w:gutter=\"0\"/>",
            if self.page.landscape {
                " w:orient=\"landscape\""
            } else {
                ""
            }
        ));
        if let Some(pitch) = self.page.line_pitch() {
            x.push_str(&format!(
                "<w:docGrid w:type=\"lines\" w:linePitch=\"{pitch}\"/>"
            ));
        }
        x.push_str("</w:sectPr></w:body></w:document>");
        x
    }

    /// The width of one character of the body on the page's grid, in twips.
    fn char_pitch(&self) -> u32 {
        match self.page.grid {
            Some(g) => self.page.text_width() / g.chars,
            None => self.page.body.1 * 10,
        }
    }

    /// A body-font paragraph with explicit indents (twips) and alignment.
    fn indented(&self, x: &mut String, text: &str, ind: &str, jc: &str) {
        let (font, size) = self.page.body;
        x.push_str(&format!(
            "<w:p><w:pPr><w:overflowPunct w:val=\"0\"/><w:ind {ind}/><w:jc w:val=\"{jc}\"/></w:pPr>\
             <w:r><w:rPr>{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>\
             <w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            fonts(font),
            escape(text)
        ));
    }

    fn attachments(&self, x: &mut String, names: &[String]) {
        let pitch = self.char_pitch();
        let (indent, lead) = (2 * pitch, 3 * pitch);
        for (k, name) in names.iter().enumerate() {
            if k == 0 {
                let ind = format!("w:left=\"{}\" w:hanging=\"{lead}\"", indent + lead);
                self.indented(x, &format!("附件：{name}"), &ind, "left");
            } else {
                let ind = format!("w:left=\"{}\"", indent + lead);
                self.indented(x, name, &ind, "left");
            }
        }
    }

    fn signature(&self, x: &mut String, unit: &str, date: Option<&str>) {
        let pitch = self.char_pitch();
        // Widths in half characters: Latin letters and digits are half as wide.
        let halves = |t: &str| -> u32 { t.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum() };
        let (u, d) = (halves(unit), date.map_or(0, halves));
        let (unit_right, date_right) = signature_indents(u, d);
        let ind = |halves: u32| format!("w:right=\"{}\"", halves * pitch / 2);
        self.indented(x, unit, &ind(unit_right), "right");
        if let Some(date) = date {
            self.indented(x, date, &ind(date_right), "right");
        }
    }

    /// A form: borderless leading rows as centred paragraphs (the title in 小标宋, the year),
    /// the bordered rows as one table, borderless trailing rows (备注) as paragraphs.
    fn form(&self, x: &mut String, sheet: &Sheet) {
        let g = sheet.regions();
        let loose = |x: &mut String, r: usize| {
            let line = sheet.loose(r, g.cols, r < g.first);
            let (font, size, align) = loose_style(&line, self.page.table_size);
            paragraph(x, &line.text, font, size, false, align, None, Place::Body);
        };
        for r in 0..g.first {
            loose(x, r);
        }
        if g.first < g.last {
            self.table(x, sheet, g.first, g.last, g.cols);
        }
        for r in g.last..g.rows {
            loose(x, r);
        }
    }

    /// Column widths in twips over the text block, sized from the cells' content
    /// ([`fit_columns`]) by the em model ([`em_width`]: CJK one em, ASCII half an em), with a
    /// cell's margins and an eighth of an em to spare on each side, so no figure or short
    /// label wraps in Word or LibreOffice.
    fn column_widths(&self, sheet: &Sheet, first: usize, last: usize, cols: usize) -> Vec<u32> {
        let em = i64::from(self.page.table_size) * 10;
        let pad = CELL_MARGIN + em / 8;
        let width = i64::from(self.page.text_width());
        fit_columns(sheet, (first, last, cols), width, (pad, em), |t| {
            em_width(t, em)
        })
        .into_iter()
        .map(|w| u32::try_from(w.max(0)).unwrap_or(0))
        .collect()
    }

    fn table(&self, x: &mut String, sheet: &Sheet, first: usize, last: usize, cols: usize) {
        let grid = self.column_widths(sheet, first, last, cols);
        let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
        x.push_str(&format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>\
             <w:insideH {border}/><w:insideV {border}/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:left w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/><w:right w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/></w:tblCellMar>\
             </w:tblPr><w:tblGrid>",
            grid.iter().sum::<u32>()
        ));
        for g in &grid {
            x.push_str(&format!("<w:gridCol w:w=\"{g}\"/>"));
        }
        x.push_str("</w:tblGrid>");
        for r in first..last {
            x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            let mut c = 0;
            while c < cols {
                let (span, vmerge, text, style) = match sheet.merge_at(r, c) {
                    Some(m) if m.1 != c => {
                        c += 1; // inside a horizontal span already written
                        continue;
                    }
                    Some(m) => {
                        let vmerge = if m.2 == m.0 {
                            ""
                        } else if m.0 == r {
                            "<w:vMerge w:val=\"restart\"/>"
                        } else {
                            "<w:vMerge/>"
                        };
                        let cell = sheet.cells.get(&(r, c)).filter(|_| m.0 == r);
                        (m.3 - m.1 + 1, vmerge, cell, cell.map(|v| v.1))
                    }
                    None => {
                        let cell = sheet.cells.get(&(r, c));
                        (1, "", cell, cell.map(|v| v.1))
                    }
                };
                let w: u32 = grid[c..c + span].iter().sum();
                x.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
                ));
                if span > 1 {
                    x.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
                }
                x.push_str(vmerge);
                x.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
                let align = if style == Some(Style::Cell) {
                    Align::Left
                } else {
                    Align::Center
                };
                let text = text.map_or("", |v| v.0.as_str());
                paragraph(
                    x,
                    text,
                    Font::Song,
                    self.page.table_size,
                    false,
                    align,
                    None,
                    if r + KEPT_ROWS >= last && r + 1 < last {
                        Place::LastRows
                    } else {
                        Place::Cell
                    },
                );
                x.push_str("</w:tc>");
                c += span;
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl>");
    }

    /// The .docx package.
    pub fn to_bytes(&self) -> Result<Vec<u8>, std::io::Error> {
        let footers = self.page.page_numbers;
        let mut parts: Vec<(String, String)> = Vec::new();
        parts.push((
            "[Content_Types].xml".into(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
                 <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
                 <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
                 <Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>{}\
                 </Types>",
                if footers {
                    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
                     <Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
                } else {
                    ""
                }
            ),
        ));
        parts.push((
            "_rels/.rels".into(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
             </Relationships>".to_string(),
        ));
        parts.push((
            "word/_rels/document.xml.rels".into(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
                 <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
                 <Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>{}\
                 </Relationships>",
                if footers {
                    "<Relationship Id=\"rIdFooterOdd\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
                     <Relationship Id=\"rIdFooterEven\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer2.xml\"/>"
                } else {
                    ""
                }
            ),
        ));
        parts.push(("word/document.xml".into(), self.document_xml()));
        parts.push(("word/styles.xml".into(), self.styles_xml()));
        parts.push(("word/settings.xml".into(), SETTINGS.into()));
        parts.push(("word/fontTable.xml".into(), font_table()));
        if footers {
            parts.push(("word/footer1.xml".into(), footer(Align::Right)));
            parts.push(("word/footer2.xml".into(), footer(Align::Left)));
        }
        super::markup::package(&parts)
    }

    fn styles_xml(&self) -> String {
        let (font, size) = self.page.body;
        let spacing = match self.page.line_pitch() {
            Some(p) => format!("<w:spacing w:line=\"{p}\" w:lineRule=\"exact\"/>"),
            None => String::new(),
        };
        // Characters per line: the text width over the grid's count, less the font size,
        // tracked on every run (what Word's character grid does).
        let tracking = match self.page.grid {
            Some(g) => {
                let pitch = i64::from(self.page.text_width() / g.chars);
                format!("<w:spacing w:val=\"{}\"/>", pitch - i64::from(size) * 10)
            }
            None => String::new(),
        };
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:docDefaults><w:rPrDefault><w:rPr>{}{tracking}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>\
             <w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
             <w:pPrDefault><w:pPr>{spacing}</w:pPr></w:pPrDefault></w:docDefaults>\
             <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>",
            fonts(font)
        );
        x.push_str(
            "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>\
             <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>",
        );
        for level in 2..=5u8 {
            x.push_str(&format!(
                "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/>\
                 <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:outlineLvl w:val=\"{}\"/></w:pPr></w:style>",
                level - 1
            ));
        }
        x.push_str("</w:styles>");
        x
    }
}

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:evenAndOddHeaders/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

fn font_table() -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    for f in Font::ALL {
        x.push_str(&format!(
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:charset w:val=\"86\"/>\
             <w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>",
            f.name(),
            f.alternate()
        ));
    }
    x.push_str("<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/></w:font></w:fonts>");
    x
}

/// Run fonts: Latin text in Times New Roman (a 宋体 page number's digits stay 宋体), CJK in `font`.
fn fonts(font: Font) -> String {
    let latin = if font == Font::Song {
        "宋体"
    } else {
        "Times New Roman"
    };
    format!(
        "<w:rFonts w:ascii=\"{latin}\" w:hAnsi=\"{latin}\" w:eastAsia=\"{}\" w:cs=\"{latin}\" w:hint=\"eastAsia\"/>",
        font.name()
    )
}

/// The odd (right) or even (left) page-number footer: 4号宋体 `— 1 —`, one character in from
/// the outside edge.
fn footer(align: Align) -> String {
    let (jc, indent) = match align {
        Align::Left => ("left", "w:left=\"280\""),
        _ => ("right", "w:right=\"280\""),
    };
    let run = |t: &str| {
        format!(
            "<w:r><w:rPr>{}<w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">{t}</w:t></w:r>",
            fonts(Font::Song)
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind {indent}/><w:jc w:val=\"{jc}\"/></w:pPr>\
         {}<w:fldSimple w:instr=\" PAGE \">{}</w:fldSimple>{}</w:p></w:ftr>",
        run("— "),
        run("1"),
        run(" —")
    )
}

/// Where a paragraph stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// In the body.
    Body,
    /// In a table cell.
    Cell,
    /// In a cell of a table's last rows but one, kept with the next row.
    LastRows,
}

/// A table's last rows kept on one page (the 总分 row and the two above it): the paragraphs
/// of all but the last are kept with the next.
const KEPT_ROWS: usize = 3;

#[allow(clippy::too_many_arguments)]
fn paragraph(
    x: &mut String,
    text: &str,
    font: Font,
    size: u32,
    bold: bool,
    align: Align,
    outline: Option<u8>,
    place: Place,
) {
    let in_table = place != Place::Body;
    x.push_str("<w:p><w:pPr>");
    match outline {
        Some(0) => x.push_str("<w:pStyle w:val=\"Title\"/>"),
        // Below the title, as Word outlines do: 一、 is "heading 2".
        Some(level) => x.push_str(&format!("<w:pStyle w:val=\"Heading{}\"/>", level + 1)),
        None => {}
    }
    if place == Place::LastRows {
        // The last rows (合计, 总分) stay on one page with the rows before them.
        x.push_str("<w:keepNext/>");
    }
    // No punctuation hanging past the text block's right edge.
    x.push_str("<w:overflowPunct w:val=\"0\"/>");
    if in_table {
        // Table text keeps its own size and pitch, off the page's character grid.
        x.push_str("<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>");
    }
    match align {
        Align::Left => x.push_str("<w:jc w:val=\"left\"/>"),
        Align::Center => x.push_str("<w:jc w:val=\"center\"/>"),
        Align::Right => x.push_str("<w:jc w:val=\"right\"/>"),
        Align::Indented => {
            x.push_str(&format!(
                "<w:ind w:firstLine=\"{}\"/><w:jc w:val=\"both\"/>",
                size * 20
            ));
        }
    }
    x.push_str("</w:pPr>");
    let props = format!(
        "<w:rPr>{}{}{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>",
        fonts(font),
        if bold { "<w:b/>" } else { "" },
        if in_table {
            "<w:spacing w:val=\"0\"/>"
        } else {
            ""
        }
    );
    for (i, line) in text.split('\n').enumerate() {
        x.push_str("<w:r>");
        x.push_str(&props);
        if i > 0 {
            x.push_str("<w:br/>");
        }
        if !line.is_empty() {
            x.push_str("<w:t xml:space=\"preserve\">");
            x.push_str(&escape(line));
            x.push_str("</w:t>");
        }
        x.push_str("</w:r>");
    }
    x.push_str("</w:p>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Page;

    #[test]
    fn official_margins_are_the_standard_ones_in_twips() {
        let p = Page::official();
        // 37, 35, 28, 26 mm.
        assert_eq!(p.margins, (2098, 1985, 1588, 1474));
        // 225 mm over 22 lines: 28.95 pt, the Word practice of about 29 pt.
        assert_eq!(p.line_pitch(), Some(579));
        // 156 mm text block.
        assert_eq!(p.text_width(), 11906 - 1588 - 1474);
    }

    #[test]
    fn signature_follows_the_standard() {
        // Units in half characters: the unit 10 characters, the date 11 halves.
        let (u, d) = signature_indents(20, 11);
        assert_eq!((u, d), (4, 9));
        // The date starts two characters (4 halves) right of the unit's start.
        assert_eq!((u + 20) - (d + 11), 4);
        // A date longer than the unit: the date two characters in, the unit two further left.
        let (u, d) = signature_indents(8, 11);
        assert_eq!(d, 4);
        assert_eq!((u + 8) - (d + 11), 4);
    }

    #[test]
    fn merged_cells_become_grid_spans_and_vertical_merges() {
        let mut s = Sheet::new("t");
        s.set(0, 0, "绩效指标", Style::CellCenter)
            .set(0, 1, "一级", Style::CellCenter)
            .set(0, 2, "二级", Style::CellCenter)
            .merge(0, 0, 1, 0)
            .set(1, 1, "产出", Style::CellCenter)
            .merge(1, 1, 1, 2);
        let mut d = Paper::new(Page::form());
        d.push(Block::Form(s));
        let xml = d.document_xml();
        assert_eq!(xml.matches("<w:tr>").count(), 2);
        assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 1);
        assert_eq!(xml.matches("<w:vMerge/>").count(), 1);
        assert_eq!(xml.matches("<w:gridSpan w:val=\"2\"/>").count(), 1);
        // Row 2 has the continuation and the spanning cell: two cells, not three.
        let row2 = xml.split("<w:tr>").nth(2).unwrap();
        assert_eq!(row2.matches("<w:tc>").count(), 2);
    }
}
