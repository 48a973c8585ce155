//! Hostile and broken files: each gives a clear error naming the file and the problem (or
//! imports with a warning), within bounded time and memory, and never panics.

use std::io::Write;
use std::path::PathBuf;

use jixiao_recognize::{ErrorKind, Limits, import};
use zip::write::SimpleFileOptions;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../testdata/fixtures")
            .join(name),
    )
    .unwrap()
}

/// A zip package with the given parts, deflated.
/// A zip of `parts`; a workbook also gets the package relationship every real one has.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let root: &[u8] = br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = parts.iter().any(|(n, _)| *n == "xl/workbook.xml");
    let rels = workbook.then_some(("_rels/.rels", root));
    for (name, bytes) in parts.iter().copied().chain(rels) {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn error(file: &str, bytes: &[u8], limits: &Limits) -> (ErrorKind, String) {
    let e = import(file, bytes, limits).expect_err("must fail");
    assert_eq!(e.file, file);
    let text = e.to_string();
    assert!(text.starts_with(file), "{text}");
    (e.kind, text)
}

#[test]
fn empty_file() {
    let (kind, text) = error("空.docx", b"", &Limits::default());
    assert_eq!(kind, ErrorKind::Empty);
    assert_eq!(text, "空.docx：文件为空");
}

#[test]
fn truncated_zip() {
    let bytes = fixture("seed001.docx");
    let (kind, text) = error("截断.docx", &bytes[..bytes.len() / 2], &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{text}");
    assert!(text.contains("压缩包损坏或不完整"), "{text}");
}

#[test]
fn zip_without_office_parts() {
    let bytes = package(&[("hello.txt", b"hello")]);
    let (kind, text) = error("x.xlsx", &bytes, &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{text}");
    assert!(text.contains("word/document.xml"), "{text}");
}

#[test]
fn zip_bomb_stops_at_the_limit() {
    // 64 MiB of zeros deflates to about 64 KiB.
    let zeros = vec![0u8; 64 << 20];
    let bytes = package(&[("word/document.xml", &zeros)]);
    assert!(bytes.len() < 1 << 20);
    let limits = Limits {
        max_part_bytes: 4 << 20,
        ..Limits::default()
    };
    let (kind, text) = error("炸弹.docx", &bytes, &limits);
    assert!(matches!(kind, ErrorKind::InflatesTooMuch { .. }), "{text}");
    assert!(text.contains("疑似压缩炸弹"), "{text}");
}

#[test]
fn entity_expansion_is_not_performed() {
    let mut xml = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol9;项目</w:t></w:r></w:p></w:body></w:document>");
    let bytes = package(&[("word/document.xml", xml.as_bytes())]);
    let i = import("笑.docx", &bytes, &Limits::default()).unwrap();
    // The unknown entity is dropped, not expanded to a billion "lol"s.
    assert_eq!(i.unrecognized.len(), 1);
    assert_eq!(i.unrecognized[0].text, "项目");
}

#[test]
fn a_hundred_thousand_rows_are_refused_quickly() {
    let mut html = String::from("<table>");
    for r in 0..100_000 {
        html.push_str(&format!("<tr><td>{r}</td><td>x</td></tr>"));
    }
    html.push_str("</table>");
    let (kind, text) = error("大表.html", html.as_bytes(), &Limits::default());
    assert!(matches!(kind, ErrorKind::TooBig { .. }), "{text}");
    assert!(text.contains("行数超过上限（20000）"), "{text}");

    let mut sheet = String::from("<worksheet><sheetData>");
    for r in 1..=100_000 {
        sheet.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>x</t></is></c></row>"
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    let workbook = r#"<workbook><sheets><sheet name="大" sheetId="1" r:id="rId1" xmlns:r="r"/></sheets></workbook>"#;
    let rels = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let bytes = package(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let (kind, text) = error("大表.xlsx", &bytes, &Limits::default());
    assert!(matches!(kind, ErrorKind::TooBig { .. }), "{text}");
    assert!(text.contains("工作表“大”的行数"), "{text}");
}

#[test]
fn a_far_away_cell_does_not_allocate_a_huge_grid() {
    let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" t="inlineStr"><is><t>b</t></is></c></row></sheetData></worksheet>"#;
    let workbook =
        r#"<workbook><sheets><sheet name="远" r:id="rId1" xmlns:r="r"/></sheets></workbook>"#;
    let rels = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let bytes = package(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let (kind, text) = error("远.xlsx", &bytes, &Limits::default());
    assert!(matches!(kind, ErrorKind::TooBig { .. }), "{text}");
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let (kind, text) = error("乱码.xlsx", &garbage, &Limits::default());
    assert_eq!(kind, ErrorKind::Unsupported, "{text}");
}

#[test]
fn encrypted_workbook() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(
        "EncryptionInfo"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    bytes.resize(2048, 0);
    let (kind, text) = error("加密.xlsx", &bytes, &Limits::default());
    assert_eq!(kind, ErrorKind::Encrypted);
    assert!(text.contains("取消密码"), "{text}");
}

#[test]
fn legacy_binary_needs_libreoffice_or_fails_clearly() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(4096, 0);
    let (kind, text) = error("旧.doc", &bytes, &Limits::default());
    assert!(
        matches!(
            kind,
            ErrorKind::NeedsLibreOffice | ErrorKind::ConversionFailed { .. }
        ),
        "{text}"
    );
}

#[test]
fn wrong_extension_is_read_by_content_with_a_warning() {
    let i = import("seed001.docx", &fixture("seed001.xlsx"), &Limits::default()).unwrap();
    assert_eq!(i.forms.len(), 2);
    assert_eq!(
        i.warnings,
        ["文件扩展名为“.docx”，但内容是Excel 工作簿（.xlsx），已按内容读取"]
    );
    let text = import(
        "note.docx",
        "这不是 Word 文件".as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    assert!(
        text.warnings[0].contains("内容是文本"),
        "{:?}",
        text.warnings
    );
}

#[test]
fn oversized_file_is_refused_before_reading() {
    let limits = Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    };
    let (kind, _) = error("大.docx", &fixture("seed001.docx"), &limits);
    assert!(matches!(kind, ErrorKind::FileTooLarge { .. }));
}

#[test]
fn gbk_text_is_decoded() {
    let (gbk, _, _) = encoding_rs::GBK.encode("\t项目名称\n\t日常运转经费\n");
    let i = import("gbk.txt", &gbk, &Limits::default()).unwrap();
    assert_eq!(i.unrecognized[0].text, "项目名称 | 日常运转经费");
}

#[test]
fn legacy_conversion_can_be_switched_off() {
    let limits = Limits {
        convert_legacy: false,
        ..Limits::default()
    };
    let bytes = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/legacy/seed000.doc"),
    )
    .unwrap();
    let (kind, _) = error("seed000.doc", &bytes, &limits);
    assert_eq!(kind, ErrorKind::NeedsLibreOffice);
}

#[test]
fn malformed_xml_in_any_part_is_an_error_not_silence() {
    // Each part the readers stream: a broken one used to end the loop quietly and lose what
    // followed (every sheet after a damaged workbook.xml, every heading style).
    let doc = br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"#;
    let broken_styles = package(&[
        ("word/document.xml", doc),
        (
            "word/styles.xml",
            b"<w:styles><w:style w:styleId=\"a\"></w:stile></w:styles>",
        ),
    ]);
    let (kind, text) = error("坏样式.docx", &broken_styles, &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{kind:?}");
    assert!(
        text.contains("word/styles.xml 不是格式正确的 XML"),
        "{text}"
    );
    let broken_workbook = package(&[
        (
            "xl/workbook.xml",
            b"<workbook><sheets><sheet name=\"a\" r:id=\"rId1\"/></sheetz><sheet name=\"b\" r:id=\"rId1\"/></sheets></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData/></worksheet>"),
    ]);
    let (kind, text) = error("坏工作簿.xlsx", &broken_workbook, &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{kind:?}");
    assert!(text.contains("不是有效的Excel 工作簿"), "{text}");
    assert!(text.contains("ill-formed"), "{text}");
    // A sheet whose tags do not match is read as far as its cells go: calamine keeps
    // the text (nothing after the damage is dropped quietly, the cell below is still read).
    let odd_sheet = package(&[
        (
            "xl/workbook.xml",
            br#"<workbook><sheets><sheet name="a" r:id="rId1" xmlns:r="r"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></rowz><row r="2"><c r="A2" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>"#,
        ),
    ]);
    let read = import("怪工作表.xlsx", &odd_sheet, &Limits::default()).expect("read");
    let texts: Vec<&str> = read.unrecognized.iter().map(|u| u.text.as_str()).collect();
    assert!(texts.contains(&"x") && texts.contains(&"y"), "{texts:?}");
}
