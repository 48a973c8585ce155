//! A small Excel (.xlsx) writer: text cells with a few styles (header, title, bordered form
//! cells), merged ranges, column widths, A4 page setup. Inline strings, no shared-string table.

use std::io::Write;

use jixiao_core::audit::Finding;

use super::AuditedFile;
use crate::write::html::escape;

/// How a cell looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// No borders.
    #[default]
    Plain,
    /// Bold, for a list's header row.
    Header,
    /// A form title: bold, large, centred.
    Title,
    /// A form cell: thin borders, wrapped, left-aligned, vertically centred.
    Cell,
    /// A form cell, centred.
    CellCenter,
}

impl Style {
    fn index(self) -> usize {
        match self {
            Style::Plain => 0,
            Style::Header => 1,
            Style::Title => 2,
            Style::Cell => 3,
            Style::CellCenter => 4,
        }
    }
}

/// True for a line under a form's title that is centred with it: the year (`（2021年度）`);
/// other lines above a table (填报单位：…) stay flush left.
pub(super) fn is_caption(text: &[&str]) -> bool {
    text.first()
        .is_some_and(|t| t.starts_with('（') || t.starts_with('('))
}

/// A worksheet: text cells with styles, merged ranges, column widths.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    name: String,
    pub(super) cells: std::collections::BTreeMap<(usize, usize), (String, Style)>,
    pub(super) merges: Vec<(usize, usize, usize, usize)>,
    pub(super) widths: Vec<(usize, u32)>,
    freeze_first_row: bool,
}

impl Sheet {
    /// An empty sheet. Names lose the characters Excel forbids and are cut to 31 characters.
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect(),
            ..Sheet::default()
        }
    }

    /// Sets the text of cell (row, col), 0-based.
    pub fn set(
        &mut self,
        row: usize,
        col: usize,
        text: impl Into<String>,
        style: Style,
    ) -> &mut Sheet {
        self.cells.insert((row, col), (text.into(), style));
        self
    }

    /// Merges a range, 0-based and inclusive; the covered cells get the anchor's style so the
    /// borders are drawn.
    pub fn merge(&mut self, r1: usize, c1: usize, r2: usize, c2: usize) -> &mut Sheet {
        if (r1, c1) != (r2, c2) {
            let style = self.cells.get(&(r1, c1)).map_or(Style::Plain, |c| c.1);
            for r in r1..=r2 {
                for c in c1..=c2 {
                    self.cells
                        .entry((r, c))
                        .or_insert_with(|| (String::new(), style));
                }
            }
            self.merges.push((r1, c1, r2, c2));
        }
        self
    }

    /// Sets a column's width in tenths of a character.
    pub fn width(&mut self, col: usize, tenths: u32) -> &mut Sheet {
        self.widths.push((col, tenths));
        self
    }

    /// Row heights (in points) that show every wrapped line: each cell's text laid out over the
    /// width of the columns it spans (a CJK character is two units wide).
    fn heights(&self) -> std::collections::BTreeMap<usize, u32> {
        let width_of = |c: usize| {
            self.widths
                .iter()
                .find(|(k, _)| *k == c)
                .map_or(90, |(_, w)| *w)
        };
        let mut out = std::collections::BTreeMap::new();
        for (&(r, c), (text, _)) in &self.cells {
            if text.is_empty() {
                continue;
            }
            let merge = self.merges.iter().find(|m| m.0 == r && m.1 == c);
            if merge.is_some_and(|m| m.2 > m.0) {
                continue; // a vertically merged cell has the rows' room
            }
            let last = merge.map_or(c, |m| m.3);
            let room: u32 = (c..=last).map(width_of).sum::<u32>() / 10 * 2;
            let lines: u32 = text
                .lines()
                .map(|l| {
                    let w: u32 = l.chars().map(|ch| if ch.is_ascii() { 1 } else { 2 }).sum();
                    w.div_ceil(room.max(2)).max(1)
                })
                .sum();
            let h = lines * 15 + 4;
            let e = out.entry(r).or_insert(h);
            *e = (*e).max(h);
        }
        out
    }

    fn xml(&self) -> String {
        let heights = self.heights();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
             <sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>",
        );
        if self.freeze_first_row {
            xml.push_str("<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>");
        }
        if !self.widths.is_empty() {
            xml.push_str("<cols>");
            for (c, w) in &self.widths {
                xml.push_str(&format!(
                    "<col min=\"{n}\" max=\"{n}\" width=\"{}.{}\" customWidth=\"1\"/>",
                    w / 10,
                    w % 10,
                    n = c + 1
                ));
            }
            xml.push_str("</cols>");
        }
        xml.push_str("<sheetData>");
        let mut current = None;
        for (&(r, c), (text, style)) in &self.cells {
            if current != Some(r) {
                if current.is_some() {
                    xml.push_str("</row>");
                }
                match heights.get(&r) {
                    Some(h) if *h > 19 => {
                        xml.push_str(&format!(
                            "<row r=\"{}\" ht=\"{h}\" customHeight=\"1\">",
                            r + 1
                        ));
                    }
                    _ => xml.push_str(&format!("<row r=\"{}\">", r + 1)),
                }
                current = Some(r);
            }
            let s = match style.index() {
                0 => String::new(),
                i => format!(" s=\"{i}\""),
            };
            if text.is_empty() {
                xml.push_str(&format!("<c r=\"{}{}\"{s}/>", column(c), r + 1));
            } else {
                xml.push_str(&format!(
                    "<c r=\"{}{}\" t=\"inlineStr\"{s}><is><t xml:space=\"preserve\">{}</t></is></c>",
                    column(c),
                    r + 1,
                    escape(text)
                ));
            }
        }
        if current.is_some() {
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData>");
        if !self.merges.is_empty() {
            xml.push_str(&format!("<mergeCells count=\"{}\">", self.merges.len()));
            for (r1, c1, r2, c2) in &self.merges {
                xml.push_str(&format!(
                    "<mergeCell ref=\"{}{}:{}{}\"/>",
                    column(*c1),
                    r1 + 1,
                    column(*c2),
                    r2 + 1
                ));
            }
            xml.push_str("</mergeCells>");
        }
        // A4 portrait, fitted to one page wide.
        xml.push_str("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"portrait\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>");
        xml
    }
}

fn column(mut n: usize) -> String {
    let mut s = String::new();
    n += 1;
    while n > 0 {
        let r = (n - 1) % 26;
        s.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

/// A workbook of sheets.
#[derive(Debug, Default)]
pub struct Workbook {
    sheets: Vec<Sheet>,
}

impl Workbook {
    /// Adds a list sheet: the first row is a bold, frozen header.
    pub fn sheet(&mut self, name: &str, rows: Vec<Vec<String>>) -> &mut Workbook {
        let mut sheet = Sheet::new(name);
        sheet.freeze_first_row = true;
        for (r, row) in rows.into_iter().enumerate() {
            for (c, text) in row.into_iter().enumerate() {
                sheet.set(
                    r,
                    c,
                    text,
                    if r == 0 { Style::Header } else { Style::Plain },
                );
            }
        }
        self.sheets.push(sheet);
        self
    }

    /// Adds a prepared sheet.
    pub fn add(&mut self, sheet: Sheet) -> &mut Workbook {
        self.sheets.push(sheet);
        self
    }

    /// The workbook as .xlsx bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, std::io::Error> {
        let mut cursor = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
        let part =
            |zip: &mut zip::ZipWriter<_>, name: &str, body: &str| -> Result<(), std::io::Error> {
                zip.start_file(name, options).map_err(io)?;
                zip.write_all(body.as_bytes())
            };
        let mut types = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
        );
        let mut sheets = String::new();
        let mut rels = String::new();
        for (i, sheet) in self.sheets.iter().enumerate() {
            let n = i + 1;
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
            sheets.push_str(&format!(
                "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
                escape(&sheet.name)
            ));
            rels.push_str(&format!(
                "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
            ));
        }
        let n = self.sheets.len() + 1;
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        ));
        types.push_str("</Types>");
        part(&mut zip, "[Content_Types].xml", &types)?;
        part(
            &mut zip,
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        )?;
        part(
            &mut zip,
            "xl/workbook.xml",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>{sheets}</sheets></workbook>"
            ),
        )?;
        part(
            &mut zip,
            "xl/_rels/workbook.xml.rels",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
            ),
        )?;
        part(&mut zip, "xl/styles.xml", STYLES)?;
        for (i, sheet) in self.sheets.iter().enumerate() {
            part(
                &mut zip,
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                &sheet.xml(),
            )?;
        }
        zip.finish().map_err(io)?;
        Ok(cursor.into_inner())
    }
}

/// Fonts 宋体 11 / bold 11 / bold 16; thin borders; the five [`Style`]s in order.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"宋体\"/></font><font><b/><sz val=\"11\"/><name val=\"宋体\"/></font><font><b/><sz val=\"16\"/><name val=\"宋体\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"2\"><border/><border><left style=\"thin\"><color rgb=\"FF000000\"/></left><right style=\"thin\"><color rgb=\"FF000000\"/></right><top style=\"thin\"><color rgb=\"FF000000\"/></top><bottom style=\"thin\"><color rgb=\"FF000000\"/></bottom><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"5\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment vertical=\"center\" wrapText=\"1\"/></xf>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>\
</cellXfs></styleSheet>";

/// The findings of `files` as an Excel list, one row per finding.
pub fn audit_xlsx(files: &[AuditedFile<'_>]) -> Result<Vec<u8>, std::io::Error> {
    let header = [
        "文件",
        "级别",
        "代码",
        "问题",
        "表单",
        "位置",
        "说明",
        "表中数值",
        "核算数值",
        "计算过程",
        "依据",
    ];
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for file in files {
        if let Some(err) = file.error {
            rows.push(vec![
                file.file.to_string(),
                "错误".into(),
                String::new(),
                "无法导入".into(),
                String::new(),
                String::new(),
                err.to_string(),
            ]);
        }
        for f in file.findings {
            rows.push(row(file.file, f));
        }
    }
    let mut book = Workbook::default();
    book.sheet("审核问题", rows);
    book.to_bytes()
}

fn row(file: &str, f: &Finding) -> Vec<String> {
    vec![
        file.to_string(),
        f.severity.name().to_string(),
        f.code.to_string(),
        f.title.to_string(),
        f.form.clone(),
        f.location.to_string(),
        f.message.clone(),
        f.stated.clone().unwrap_or_default(),
        f.computed.clone().unwrap_or_default(),
        f.evidence.clone(),
        f.basis.to_string(),
    ]
}
