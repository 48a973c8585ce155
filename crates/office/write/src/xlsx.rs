//! Excel (.xlsx) output through rust_xlsxwriter: a [`Sheet`]'s styled cells (宋体, 黑体 titles,
//! thin borders), figures stored as numbers under the format they were written with, merged
//! ranges, column widths and row heights that show wrapped text, A4 portrait fitted to one page
//! wide with the header rows repeated, frozen and filtered list headers; and for offline
//! templates, data validation on the input cells, formulas, and a protected sheet whose only
//! editable cells are the inputs.

use jixiao_core::audit::Finding;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, Worksheet, XlsxError,
};

use super::audited::AuditedFile;
use super::markup::forbidden_in_xml;
use super::sheet::{Input, Sheet, Style};

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

    /// Renders the sheet into `ws`.
    fn render(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        ws.set_name(&self.name)?;
        // A formula whose result is not given shows nothing until Excel computes it (not 0).
        ws.set_formula_result_default("");
        let heights = self.heights();
        for (c, w) in &self.widths {
            // Tenths of a character, as Excel's width takes it (`12.5`): formatted, not divided.
            let width: f64 = format!("{}.{}", w / 10, w % 10).parse().unwrap_or(9.0);
            ws.set_column_width(col(*c), width)?;
        }
        for (r, h) in &heights {
            if *h > 20 {
                ws.set_row_height(row(*r), *h)?;
            }
        }
        // A label merged down rows taller than a printed page could split sits at the top of
        // its range, where it is printed, not centred into a page break.
        let tall = |r: usize, c: usize, style: Style| {
            style == Style::CellCenter
                && self.merges.iter().any(|m| {
                    (m.0, m.1) == (r, c)
                        && m.2 > m.0
                        && (m.0..=m.2)
                            .map(|k| heights.get(&k).copied().unwrap_or(15))
                            .sum::<u32>()
                            > TALL_MERGE
                })
        };
        // Each merged range by its anchor, and the cells it covers (written by the anchor).
        let mut anchors = std::collections::HashMap::new();
        let mut covered = std::collections::HashSet::new();
        for m in &self.merges {
            anchors.insert((m.0, m.1), *m);
            for r in m.0..=m.2 {
                for c in m.1..=m.3 {
                    if (r, c) != (m.0, m.1) {
                        covered.insert((r, c));
                    }
                }
            }
        }
        // A sheet uses a handful of formats: each is built once.
        let mut formats: std::collections::HashMap<(Style, bool, String, bool), Format> =
            std::collections::HashMap::new();
        for (&(r, c), (text, style)) in &self.cells {
            if covered.contains(&(r, c)) {
                continue;
            }
            let input = self.inputs.get(&(r, c));
            let tall = tall(r, c, *style);
            let number = match style {
                Style::Cell | Style::CellCenter if !tall => Number::parse(text),
                _ => None,
            };
            let code = match (input, &number) {
                (Some(Input::Formula { format, .. }), _) => (*format).to_string(),
                (_, Some(n)) => n.code(),
                _ => String::new(),
            };
            let unlocked = input.is_some_and(|i| !matches!(i, Input::Formula { .. }));
            let format = formats
                .entry((*style, tall, code, unlocked))
                .or_insert_with_key(|(style, tall, code, unlocked)| {
                    let mut f = format(*style, *tall);
                    if !code.is_empty() {
                        f = f.set_num_format(code);
                    }
                    if *unlocked {
                        f = f.set_unlocked();
                    }
                    f
                })
                .clone();
            if let Some(m) = anchors.get(&(r, c)) {
                ws.merge_range(row(m.0), col(m.1), row(m.2), col(m.3), "", &format)?;
            }
            self.write(ws, (r, c), text, number.as_ref(), input, &format)?;
        }
        for (&(r, c), input) in &self.inputs {
            if let Some(validation) = validation(input)? {
                let m = self.merge_at(r, c).unwrap_or((r, c, r, c));
                ws.add_data_validation(row(m.0), col(m.1), row(m.2), col(m.3), &validation)?;
            }
        }
        if self.freeze_first_row {
            ws.set_freeze_panes(1, 0)?;
        }
        if self.autofilter
            && let (Some(rows), Some(cols)) = (
                self.cells.keys().map(|k| k.0).max(),
                self.cells.keys().map(|k| k.1).max(),
            )
        {
            ws.autofilter(0, 0, row(rows), col(cols))?;
        }
        if let Some((first, last)) = self.headers.first() {
            ws.set_repeat_rows(row(*first), row(*last))?;
        }
        // A4 portrait, fitted to one page wide.
        ws.set_paper_size(9)
            .set_portrait()
            .set_print_fit_to_pages(1, 0);
        if self.protect {
            let options = ProtectionOptions {
                format_rows: true,
                format_columns: true,
                ..ProtectionOptions::default()
            };
            ws.protect_with_options(&options);
        }
        Ok(())
    }

    /// Writes one cell's content: a formula, a number, text, or nothing but its format.
    fn write(
        &self,
        ws: &mut Worksheet,
        (r, c): (usize, usize),
        text: &str,
        number: Option<&Number>,
        input: Option<&Input>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let (r, c) = (row(r), col(c));
        match (input, number) {
            (
                Some(Input::Formula {
                    formula, result, ..
                }),
                _,
            ) => {
                let formula = Formula::new(formula).set_result(result.clone().unwrap_or_default());
                ws.write_formula_with_format(r, c, formula, format)?;
            }
            (_, Some(n)) => {
                ws.write_number_with_format(r, c, n.value(), format)?;
            }
            _ if text.is_empty() => {
                ws.write_blank(r, c, format)?;
            }
            // Characters XML forbids are left out, as every writer does (Excel would keep
            // them escaped as `_x0001_`, which no reader expects in a form).
            _ if text.chars().any(forbidden_in_xml) => {
                let kept: String = text.chars().filter(|&c| !forbidden_in_xml(c)).collect();
                ws.write_string_with_format(r, c, kept, format)?;
            }
            _ => {
                ws.write_string_with_format(r, c, text, format)?;
            }
        }
        Ok(())
    }
}

/// The data validation of a template's input, if it has one.
fn validation(input: &Input) -> Result<Option<DataValidation>, XlsxError> {
    let number_error = |v: DataValidation, what: &str| {
        v.set_error_title("输入有误")?
            .set_error_message(format!("此处请填写{what}"))
    };
    Ok(match input {
        Input::Text | Input::Formula { .. } => None,
        Input::Choice(values) => Some(
            DataValidation::new()
                .allow_list_strings(values)?
                .set_error_title("输入有误")?
                .set_error_message("请从下拉列表中选择")?,
        ),
        Input::Number => Some(number_error(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                .set_error_style(DataValidationErrorStyle::Stop),
            "不小于0的数字",
        )?),
    })
}

/// A row number as rust_xlsxwriter counts it.
fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// A column number as rust_xlsxwriter counts it.
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// The format of a cell of `style`: fonts 宋体 (GB2312 charset) for cells, 黑体 for titles; a
/// tall merged label sits at the top.
fn format(style: Style, tall: bool) -> Format {
    let font = |f: Format, name: &str, size: u8| {
        f.set_font_name(name)
            .set_font_size(size)
            .set_font_family(3)
            .set_font_charset(134)
    };
    let base = font(Format::new(), "宋体", 11);
    match style {
        Style::Plain => base,
        Style::Header => base.set_bold(),
        Style::Title => font(Format::new(), "黑体", 18)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Style::Caption => base
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Style::Cell => base
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap(),
        Style::CellCenter => base
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(if tall {
                FormatAlign::Top
            } else {
                FormatAlign::VerticalCenter
            })
            .set_text_wrap(),
    }
}

/// Points above which a vertically merged label is set at the top of its range.
const TALL_MERGE: u32 = 240;

/// A workbook of sheets.
#[derive(Debug, Default)]
pub struct Workbook {
    sheets: Vec<Sheet>,
}

impl Workbook {
    /// Adds a list sheet: the first row is a bold, frozen header with filters.
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
        let mut book = rust_xlsxwriter::Workbook::new();
        for sheet in &self.sheets {
            sheet
                .render(book.add_worksheet())
                .map_err(std::io::Error::other)?;
        }
        book.save_to_buffer().map_err(std::io::Error::other)
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

    /// The value for Excel, which stores every number as a double: parsed from the exact
    /// decimal text (at most 12 digits), so it reads back as the same text.
    fn value(&self) -> f64 {
        self.stored.parse().unwrap_or_default()
    }

    /// The number format that shows exactly the decimals it was written with.
    fn code(&self) -> String {
        let fixed = if self.decimals == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(self.decimals))
        };
        if self.percent {
            format!("{fixed}%")
        } else {
            fixed
        }
    }
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
            rows.push(finding_row(file.file, f));
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

fn finding_row(file: &str, f: &Finding) -> Vec<String> {
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
mod tests {
    use std::collections::BTreeMap;
    use std::io::Cursor;

    use calamine::{DataRef, Reader, Xlsx};
    use jixiao_core::audit::FormSummary;

    use super::*;

    /// A workbook read back by calamine: per sheet, each cell's value (as calamine types it)
    /// and number format.
    type ReadBack = Vec<(String, BTreeMap<(u32, u32), (String, String)>)>;

    fn read_back(bytes: Vec<u8>) -> (ReadBack, Xlsx<Cursor<Vec<u8>>>) {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("Excel output re-reads");
        let mut out = Vec::new();
        for name in book.sheet_names() {
            let mut cells = book.worksheet_cells_reader(&name).expect("sheet");
            let codes: Vec<String> = cells
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .map_or("General".into(), |f| f.format_code.clone())
                })
                .collect();
            let mut sheet = BTreeMap::new();
            while let Some((cell, style)) = cells.next_cell_with_style_id().expect("cell") {
                let value = match cell.get_value() {
                    DataRef::Float(f) => format!("number {f}"),
                    DataRef::SharedString(s) => format!("text {s}"),
                    DataRef::String(s) => format!("text {s}"),
                    DataRef::Empty => continue,
                    other => format!("{other:?}"),
                };
                sheet.insert(cell.get_position(), (value, codes[style].clone()));
            }
            out.push((name, sheet));
        }
        (out, book)
    }

    #[test]
    fn form_figures_are_stored_as_numbers_with_their_decimals() {
        let n = Number::parse("9.40").unwrap();
        assert_eq!((n.stored.as_str(), n.code()), ("9.40", "0.00".to_string()));
        let p = Number::parse("84.3%").unwrap();
        assert_eq!((p.stored.as_str(), p.code()), ("0.843", "0.0%".to_string()));
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
    fn number_cells_read_back_as_numbers_under_their_format() {
        let mut s = Sheet::new("t");
        s.set(0, 0, "331.61", Style::CellCenter)
            .set(0, 1, "100%", Style::Cell)
            .set(0, 2, "331.61", Style::Plain)
            .set(0, 3, "84.3%", Style::Cell);
        let mut book = Workbook::default();
        book.add(s);
        let (sheets, _) = read_back(book.to_bytes().unwrap());
        let cells = &sheets[0].1;
        let cell = |c: u32| cells[&(0, c)].clone();
        assert_eq!(cell(0), ("number 331.61".into(), "0.00".into()));
        assert_eq!(cell(1), ("number 1".into(), "0%".into()));
        assert_eq!(cell(2), ("text 331.61".into(), "General".into()));
        assert_eq!(cell(3), ("number 0.843".into(), "0.0%".into()));
    }

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
        let mut book = Workbook::default();
        book.add(s);
        let bytes = book.to_bytes().unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        // Excel counts heights in pixels: 185 points is stored as 185.25.
        assert!(
            xml.contains(r#"<row r="1" spans="1:2" ht="185.25""#),
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
        let mut book = Workbook::default();
        book.add(forms[0].clone());
        let (sheets, mut read) = read_back(book.to_bytes().unwrap());
        assert_eq!(sheets[0].1[&(1, 0)].0, "text （2021年度）");
        let merges = read.merge_cells_by_sheet_name(&sheets[0].0).unwrap();
        assert!(
            merges.iter().any(|m| m.start == (1, 0) && m.end == (1, 8)),
            "{merges:?}"
        );
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
        let (sheets, read) = read_back(audit_xlsx(&files).unwrap());
        let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, ["汇总", "审核问题"]);
        let summary: Vec<String> = sheets[0].1.values().map(|v| v.0.clone()).collect();
        for text in [
            "text 核算总分",
            "text 株洲市工伤保险服务中心",
            "text 99.97",
            "text 优",
            "text 无法导入",
        ] {
            assert!(summary.iter().any(|s| s == text), "{text}: {summary:?}");
        }
        // Both lists carry filters (Excel's hidden _FilterDatabase names).
        let filters = read
            .defined_names()
            .iter()
            .filter(|(n, _)| n == "_xlnm._FilterDatabase")
            .count();
        assert_eq!(filters, 2, "{:?}", read.defined_names());
    }
}
