//! A minimal Excel (.xlsx) writer: sheets of text rows with a bold, frozen header row.
//! Enough for lists such as the audit findings; inline strings, no shared-string table.

use std::io::Write;

use jixiao_core::audit::Finding;

use super::AuditedFile;
use crate::write::html::escape;

/// A workbook of plain text sheets.
#[derive(Debug, Default)]
pub struct Workbook {
    sheets: Vec<(String, Vec<Vec<String>>)>,
}

impl Workbook {
    /// Adds a sheet whose first row is the header.
    pub fn sheet(&mut self, name: &str, rows: Vec<Vec<String>>) -> &mut Workbook {
        // Sheet names: at most 31 characters, none of []:*?/\.
        let name: String = name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        self.sheets.push((name, rows));
        self
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

    fn sheet_xml(rows: &[Vec<String>]) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
             <sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>",
        );
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, text) in row.iter().enumerate() {
                let style = if r == 0 { " s=\"1\"" } else { "" };
                xml.push_str(&format!(
                    "<c r=\"{}{}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">{}</t></is></c>",
                    Self::column(c),
                    r + 1,
                    escape(text)
                ));
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        xml
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
        for (i, (name, _)) in self.sheets.iter().enumerate() {
            let n = i + 1;
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
            sheets.push_str(&format!(
                "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
                escape(name)
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
        part(
            &mut zip,
            "xl/styles.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"宋体\"/></font><font><b/><sz val=\"11\"/><name val=\"宋体\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs></styleSheet>",
        )?;
        for (i, (_, rows)) in self.sheets.iter().enumerate() {
            part(
                &mut zip,
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                &Self::sheet_xml(rows),
            )?;
        }
        zip.finish().map_err(io)?;
        Ok(cursor.into_inner())
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
