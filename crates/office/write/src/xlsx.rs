//! A small Excel (.xlsx) writer: text cells with a few styles (header, title, bordered form
//! cells), merged ranges, column widths, A4 page setup. Inline strings, no shared-string table.

use jixiao_core::audit::Finding;

use super::audited::AuditedFile;
use super::markup::escape;
use super::sheet::{Sheet, Style};

impl Style {
    fn index(self) -> usize {
        match self {
            Style::Plain => 0,
            Style::Header => 1,
            Style::Title => 2,
            Style::Cell => 3,
            Style::CellCenter => 4,
            Style::Caption => 5,
        }
    }
}

impl Sheet {
    /// Row heights (in points) that show every wrapped line: each cell's text laid out over the
    /// width of the columns it spans (a CJK character is two units wide).
    fn heights(&self) -> std::collections::BTreeMap<usize, u32> {
        let mut out = std::collections::BTreeMap::new();
        // Single-row cells first, so a merged cell knows the rows' heights.
        let mut cells: Vec<_> = self.cells.iter().collect();
        cells.sort_by_key(|((r, c), _)| {
            let tall = self
                .merges
                .iter()
                .any(|m| m.0 == *r && m.1 == *c && m.2 > m.0);
            (tall, *r, *c)
        });
        for (&(r, c), (text, style)) in cells {
            if text.is_empty() {
                continue;
            }
            let merge = self.merges.iter().find(|m| m.0 == r && m.1 == c);
            let last = merge.map_or(c, |m| m.3);
            let bottom = merge.map_or(r, |m| m.2);
            // Width in digit widths (what Excel's column width counts), less the cell's
            // padding; a CJK character is two digits wide, and a line breaks at the last
            // character that fits.
            let room = ((c..=last).map(|c| self.column_width(c)).sum::<u32>() / 10)
                .saturating_sub(1)
                .max(2);
            let lines: u32 = text
                .lines()
                .map(|l| {
                    let (mut lines, mut used) = (1, 0);
                    for ch in l.chars() {
                        let w = if ch.is_ascii() { 1 } else { 2 };
                        if used + w > room {
                            lines += 1;
                            used = 0;
                        }
                        used += w;
                    }
                    lines
                })
                .sum();
            let line = if style == &Style::Title { 24 } else { 15 };
            let h = lines * line + 5;
            if bottom > r {
                // A vertically merged cell has the rows' room: the last row grows when the
                // text needs more than the rows give.
                let given: u32 = (r..=bottom)
                    .map(|k| out.get(&k).copied().unwrap_or(15))
                    .sum();
                if given < h {
                    let e = out.entry(bottom).or_insert(15);
                    *e += h - given;
                }
                continue;
            }
            let e = out.entry(r).or_insert(h);
            *e = (*e).max(h);
        }
        out
    }

    /// The autofilter's range over a list sheet (`A1:K57`), header row included.
    fn filter_range(&self) -> Option<String> {
        if !self.autofilter {
            return None;
        }
        let rows = self.cells.keys().map(|k| k.0).max()?;
        let cols = self.cells.keys().map(|k| k.1).max()?;
        Some(format!("A1:{}{}", column(cols), rows + 1))
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
                    Some(h) if *h > 20 => {
                        xml.push_str(&format!(
                            "<row r=\"{}\" ht=\"{h}\" customHeight=\"1\">",
                            r + 1
                        ));
                    }
                    _ => xml.push_str(&format!("<row r=\"{}\">", r + 1)),
                }
                current = Some(r);
            }
            // A label merged down rows taller than a printed page could split sits at the
            // top of its range, where it is printed, not centred into a page break.
            let tall = *style == Style::CellCenter
                && self.merges.iter().any(|m| {
                    (m.0, m.1) == (r, c)
                        && m.2 > m.0
                        && (m.0..=m.2)
                            .map(|k| heights.get(&k).copied().unwrap_or(15))
                            .sum::<u32>()
                            > TALL_MERGE
                });
            let number = match style {
                Style::Cell | Style::CellCenter => Number::parse(text),
                _ => None,
            };
            let number = number.filter(|_| !tall);
            let index = match &number {
                Some(n) => n.style(*style),
                None if tall => 6,
                None => style.index(),
            };
            let s = match index {
                0 => String::new(),
                i => format!(" s=\"{i}\""),
            };
            if let Some(n) = number {
                xml.push_str(&format!(
                    "<c r=\"{}{}\"{s}><v>{}</v></c>",
                    column(c),
                    r + 1,
                    n.stored
                ));
            } else if text.is_empty() {
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
        if let Some(range) = self.filter_range() {
            xml.push_str(&format!("<autoFilter ref=\"{range}\"/>"));
        }
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

/// Points above which a vertically merged label is set at the top of its range.
const TALL_MERGE: u32 = 240;

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
        sheet.autofilter = true;
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
        let mut types = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
        );
        let mut sheets = String::new();
        let mut names = String::new();
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
            if let Some(range) = sheet.filter_range() {
                let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                let abs = |r: &str| {
                    let split = r.find(|c: char| c.is_ascii_digit()).unwrap_or(r.len());
                    format!("${}${}", &r[..split], &r[split..])
                };
                names.push_str(&format!(
                    "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">'{}'!{}:{}</definedName>",
                    escape(&sheet.name.replace('\'', "''")),
                    abs(a),
                    abs(b)
                ));
            }
        }
        if !names.is_empty() {
            names = format!("<definedNames>{names}</definedNames>");
        }
        let n = self.sheets.len() + 1;
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        ));
        types.push_str("</Types>");
        let mut parts = vec![
            ("[Content_Types].xml".to_string(), types),
            (
                "_rels/.rels".to_string(),
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string(),
            ),
            (
                "xl/workbook.xml".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>{sheets}</sheets>{names}</workbook>"
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels".to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
                ),
            ),
            ("xl/styles.xml".to_string(), styles()),
        ];
        for (i, sheet) in self.sheets.iter().enumerate() {
            parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), sheet.xml()));
        }
        super::markup::package(&parts)
    }
}

/// A form cell holding a plain decimal (`292.83`, `10`) or percentage (`84.3%`): stored as a
/// number so Excel can add it up, shown with exactly the decimals it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    /// The value as stored (`0.843` for `84.3%`).
    stored: String,
    /// Decimals shown (0–4).
    decimals: usize,
    /// Shown as a percentage.
    percent: bool,
}

impl Number {
    fn parse(text: &str) -> Option<Number> {
        let (digits, percent) = match text.strip_suffix('%') {
            Some(d) => (d, true),
            None => (text, false),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let int_ok = !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && (int == "0" || !int.starts_with('0'));
        let frac_ok = frac.chars().all(|c| c.is_ascii_digit())
            && frac.len() <= 4
            && (frac.is_empty() != digits.contains('.'));
        // Long digit strings (ids, phone numbers) stay text: Excel keeps 15 digits.
        if !int_ok || !frac_ok || int.len() + frac.len() > 12 {
            return None;
        }
        let stored = if percent {
            let value = rust_decimal::Decimal::from_str_exact(digits).ok()?;
            (value / rust_decimal::Decimal::ONE_HUNDRED)
                .normalize()
                .to_string()
        } else {
            digits.to_string()
        };
        Some(Number {
            stored,
            decimals: frac.len(),
            percent,
        })
    }

    /// The cell style: after the seven plain styles, ten number formats for each of the two
    /// form-cell alignments.
    fn style(&self, style: Style) -> usize {
        let align = usize::from(style == Style::CellCenter);
        7 + align * 10 + usize::from(self.percent) * 5 + self.decimals
    }
}

/// The number formats of [`Number`] in style order: 0–4 decimals, then the same as percentages.
fn number_formats() -> Vec<String> {
    let fixed = (0..5).map(|d| {
        if d == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(d))
        }
    });
    let fixed: Vec<String> = fixed.collect();
    let percent: Vec<String> = fixed.iter().map(|f| format!("{f}%")).collect();
    fixed.into_iter().chain(percent).collect()
}

/// The stylesheet: fonts 宋体 (GB2312 charset) for cells, 黑体 for titles; plain, header,
/// title and the two bordered form-cell styles, then the form-cell number styles.
fn styles() -> String {
    let formats = number_formats();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
    );
    x.push_str(&format!("<numFmts count=\"{}\">", formats.len()));
    for (k, f) in formats.iter().enumerate() {
        x.push_str(&format!(
            "<numFmt numFmtId=\"{}\" formatCode=\"{f}\"/>",
            164 + k
        ));
    }
    x.push_str("</numFmts>");
    x.push_str(
        "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>\
         <font><b/><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>\
         <font><sz val=\"18\"/><name val=\"黑体\"/><family val=\"3\"/><charset val=\"134\"/></font></fonts>\
         <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
         <borders count=\"2\"><border/><border><left style=\"thin\"><color rgb=\"FF000000\"/></left><right style=\"thin\"><color rgb=\"FF000000\"/></right><top style=\"thin\"><color rgb=\"FF000000\"/></top><bottom style=\"thin\"><color rgb=\"FF000000\"/></bottom><diagonal/></border></borders>\
         <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>",
    );
    x.push_str(&format!("<cellXfs count=\"{}\">", 7 + 2 * formats.len()));
    x.push_str(
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
         <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
         <xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>\
         <xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment vertical=\"center\" wrapText=\"1\"/></xf>\
         <xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>\
         <xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>\
         <xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"top\" wrapText=\"1\"/></xf>",
    );
    for horizontal in ["", " horizontal=\"center\""] {
        for k in 0..formats.len() {
            x.push_str(&format!(
                "<xf numFmtId=\"{}\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment{horizontal} vertical=\"center\" wrapText=\"1\"/></xf>",
                164 + k
            ));
        }
    }
    x.push_str("</cellXfs></styleSheet>");
    x
}

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
    let mut summary = vec![
        [
            "文件",
            "表单",
            "单位",
            "填报总分",
            "核算总分",
            "等级",
            "错误",
            "警告",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>(),
    ];
    let decimal =
        |v: Option<rust_decimal::Decimal>| v.map(|v| v.normalize().to_string()).unwrap_or_default();
    for file in files {
        if file.error.is_some() {
            summary.push(vec![
                file.file.to_string(),
                "无法导入".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "1".into(),
                "0".into(),
            ]);
        }
        for f in file.summaries {
            summary.push(vec![
                file.file.to_string(),
                f.form.clone(),
                f.unit.clone().unwrap_or_default(),
                decimal(f.stated_total),
                decimal(f.computed_total),
                match (&f.grade, f.computed_total) {
                    (Some(g), _) => g.clone(),
                    (None, Some(_)) => "暂定".into(),
                    (None, None) => String::new(),
                },
                f.errors.to_string(),
                f.warnings.to_string(),
            ]);
        }
    }
    let mut book = Workbook::default();
    book.sheet("汇总", summary);
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

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn form_figures_are_stored_as_numbers_with_their_decimals() {
        let n = Number::parse("9.40").unwrap();
        assert_eq!(
            (n.stored.as_str(), n.decimals, n.percent),
            ("9.40", 2, false)
        );
        let p = Number::parse("84.3%").unwrap();
        assert_eq!(
            (p.stored.as_str(), p.decimals, p.percent),
            ("0.843", 1, true)
        );
        assert_eq!(Number::parse("10").unwrap().style(Style::CellCenter), 17);
        // Text, ids and numbers Excel would mangle stay text.
        for text in [
            "12.8万元",
            "0731",
            "≥90%",
            "9.",
            "",
            "1.23456",
            "1234567890123",
            "-5",
        ] {
            assert_eq!(Number::parse(text), None, "{text}");
        }
    }

    #[test]
    fn number_cells_get_their_format() {
        let mut s = Sheet::new("t");
        s.set(0, 0, "331.61", Style::CellCenter)
            .set(0, 1, "100%", Style::Cell)
            .set(0, 2, "331.61", Style::Plain);
        let xml = s.xml();
        assert!(
            xml.contains("<c r=\"A1\" s=\"19\"><v>331.61</v></c>"),
            "{xml}"
        );
        assert!(xml.contains("<c r=\"B1\" s=\"12\"><v>1</v></c>"), "{xml}");
        assert!(xml.contains("<c r=\"C1\" t=\"inlineStr\">"), "{xml}");
        let styles = styles();
        assert!(styles.contains("formatCode=\"0.00\"") && styles.contains("formatCode=\"0%\""));
        assert_eq!(styles.matches("<xf ").count(), 1 + 7 + 20);
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use jixiao_core::audit::FormSummary;

    #[test]
    fn rows_are_as_tall_as_their_wrapped_text() {
        let mut s = Sheet::new("t");
        s.width(0, 100).width(1, 100);
        // 45 CJK characters in a 10-digit column: 4 a line (a CJK character is two digits,
        // one digit of the width is padding), so 12 lines of 15 pt.
        s.set(0, 0, "工".repeat(45), Style::Cell);
        // Over two merged columns: 9 a line, 5 lines.
        s.set(1, 0, "工".repeat(45), Style::Cell).merge(1, 0, 1, 1);
        // A label merged down two short rows that needs four lines: the last row grows.
        s.set(2, 0, "工".repeat(16), Style::CellCenter)
            .merge(2, 0, 3, 0)
            .set(2, 1, "1", Style::Cell)
            .set(3, 1, "2", Style::Cell);
        let h = s.heights();
        assert_eq!(h[&0], 12 * 15 + 5);
        assert_eq!(h[&1], 5 * 15 + 5);
        assert_eq!(h[&2] + h[&3], 4 * 15 + 5);
        let xml = s.xml();
        assert!(
            xml.contains("<row r=\"1\" ht=\"185\" customHeight=\"1\">"),
            "{xml}"
        );
    }

    #[test]
    fn the_year_caption_is_centred_across_the_form() {
        let forms = crate::form_sheets(&[jixiao_core::form::Form::from_json(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../testdata/forms/seed003-department.json"
            ))
            .unwrap(),
        )
        .unwrap()]);
        let xml = forms[0].xml();
        // Row 2 holds （2021年度） in the centred caption style, merged across the columns.
        assert!(
            xml.contains(
                "<c r=\"A2\" t=\"inlineStr\" s=\"5\"><is><t xml:space=\"preserve\">（2021年度）</t>"
            ),
            "{xml}"
        );
        assert!(xml.contains("<mergeCell ref=\"A2:I2\"/>"));
        assert!(styles().contains("<alignment horizontal=\"center\" vertical=\"center\"/></xf>"));
    }

    #[test]
    fn the_audit_workbook_has_a_summary_and_filters() {
        let summaries = [FormSummary {
            form: "部门整体支出绩效自评表：株洲市工伤保险服务中心".into(),
            unit: Some("株洲市工伤保险服务中心".into()),
            stated_total: Some("100".parse().unwrap()),
            computed_total: Some("99.97".parse().unwrap()),
            grade: Some("优".into()),
            complete: true,
            errors: 2,
            warnings: 1,
        }];
        let files = [
            AuditedFile {
                file: "seed003.docx",
                forms: 1,
                findings: &[],
                notes: &[],
                error: None,
                summaries: &summaries,
            },
            AuditedFile {
                file: "broken.docx",
                forms: 0,
                findings: &[],
                notes: &[],
                error: Some("无法读取"),
                summaries: &[],
            },
        ];
        let bytes = audit_xlsx(&files).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            use std::io::Read;
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let book = part("xl/workbook.xml");
        assert!(
            book.contains("<sheet name=\"汇总\" sheetId=\"1\""),
            "{book}"
        );
        assert!(book.contains("_xlnm._FilterDatabase"));
        let summary = part("xl/worksheets/sheet1.xml");
        assert!(summary.contains("<autoFilter ref=\"A1:H3\"/>"), "{summary}");
        for text in [
            "核算总分",
            "株洲市工伤保险服务中心",
            "99.97",
            "优",
            "无法导入",
        ] {
            assert!(summary.contains(text), "{text}: {summary}");
        }
        let findings = part("xl/worksheets/sheet2.xml");
        assert!(findings.contains("<autoFilter ref=\"A1:"), "{findings}");
    }
}
