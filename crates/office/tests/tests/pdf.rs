//! PDFs with a text layer (testdata/pdf, made from the fixtures by scripts/make-test-pdfs.sh)
//! import to the same forms as the documents they were printed from; scanned and hostile
//! PDFs give clear errors.

use std::path::PathBuf;

use jixiao_grid::{Block, Document};
use jixiao_read::read;
use jixiao_recognize::Limits;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../testdata")
}

fn pdf(name: &str) -> Vec<u8> {
    std::fs::read(root().join("pdf").join(name)).unwrap()
}

/// The grid as text, one line per table row (`|`-separated cells with their spans).
fn show(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => out.push_str(&format!("P{}: {}\n", p.index, p.text)),
            Block::Table(t) => {
                out.push_str(&format!("T{} {}x{}\n", t.index, t.rows, t.cols));
                for r in 0..t.rows {
                    let row: Vec<String> = t
                        .cells
                        .iter()
                        .filter(|c| c.row == r)
                        .map(|c| {
                            let span = if (c.rowspan, c.colspan) == (1, 1) {
                                String::new()
                            } else {
                                format!("[{}x{}]", c.rowspan, c.colspan)
                            };
                            let page = c.page.map(|p| format!("@{p}")).unwrap_or_default();
                            format!("{}{span}{page}", c.text.replace('\n', "⏎"))
                        })
                        .collect();
                    out.push_str(&format!("  {}\n", row.join(" | ")));
                }
            }
        }
    }
    out
}

#[test]
#[ignore = "prints the grids of the test PDFs to look at"]
fn dump() {
    for name in std::env::var("PDFS")
        .unwrap_or("seed001.docx.pdf".into())
        .split(',')
    {
        let doc = read(name, &pdf(name), &Limits::default()).unwrap();
        println!("== {name}\n{}", show(&doc));
    }
}

fn forms(file: &str, bytes: &[u8]) -> Vec<serde_json::Value> {
    let i = jixiao_recognize::import(file, bytes, &Limits::default()).unwrap();
    i.forms
        .iter()
        .map(|f| serde_json::to_value(&f.form).unwrap())
        .collect()
}

fn fixture_forms(name: &str) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(root().join("fixtures").join(name)).unwrap();
    forms(name, &bytes)
}

/// Paths of JSON leaves that differ, with both values.
fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let n = Value::Null;
                diff(
                    &format!("{path}.{k}"),
                    x.get(k).unwrap_or(&n),
                    y.get(k).unwrap_or(&n),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                out.push(format!("{path}: {} items ≠ {}", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} ≠ {b}")),
        _ => {}
    }
}

/// A form's JSON with every space and line break taken out of its texts: a PDF shows
/// where a line ended, not whether the source broke it there or wrapped it, and a space at
/// the end of a wrapped line is not drawn.
fn without_spacing(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(s.chars().filter(|c| !c.is_whitespace()).collect()),
        Value::Array(a) => Value::Array(a.iter().map(without_spacing).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), without_spacing(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// How the forms of a test PDF differ from those of the file it was printed from, spacing
/// aside.
fn differences(pdf_name: &str, source: &str) -> Vec<String> {
    let got = forms(pdf_name, &pdf(pdf_name));
    let want = fixture_forms(source);
    let mut out = Vec::new();
    if got.len() != want.len() {
        out.push(format!("{} forms ≠ {}", got.len(), want.len()));
    }
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        diff(
            &format!("[{i}]"),
            &without_spacing(g),
            &without_spacing(w),
            &mut out,
        );
    }
    out
}

const PAIRS: [(&str, &str); 7] = [
    ("seed000.docx.pdf", "seed000.docx"),
    ("seed001.docx.pdf", "seed001.docx"),
    ("seed003.docx.pdf", "seed003.docx"),
    ("seed004.docx.pdf", "seed004.docx"),
    ("seed001.xlsx.pdf", "seed001.xlsx"),
    ("seed003.xlsx.pdf", "seed003.xlsx"),
    ("seed004.xlsx.pdf", "seed004.xlsx"),
];

#[test]
#[ignore = "prints how each test PDF's forms differ from its source's"]
fn show_differences() {
    for (pdf_name, source) in PAIRS {
        let out = differences(pdf_name, source);
        println!("== {pdf_name}: {} differences", out.len());
        for d in out.iter().take(40) {
            println!("  {d}");
        }
    }
}

/// The differences' paths.
fn paths(differences: &[String]) -> Vec<&str> {
    differences
        .iter()
        .map(|d| d.split_once(": ").map_or(d.as_str(), |(p, _)| p))
        .collect()
}

/// A report's text in order, headings and paragraphs alike, without spacing.
fn report_text(form: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for s in form["sections"].as_array().unwrap() {
        for t in std::iter::once(&s["heading"]).chain(s["paragraphs"].as_array().unwrap()) {
            let t: String = t
                .as_str()
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !t.is_empty() {
                out.push(t);
            }
        }
    }
    out
}

#[test]
fn printed_forms_import_like_the_files_they_were_printed_from() {
    // Spacing aside, these are the same forms, every figure and text included.
    for (pdf_name, source) in [
        ("seed001.docx.pdf", "seed001.docx"),
        ("seed001.xlsx.pdf", "seed001.xlsx"),
        ("seed003.xlsx.pdf", "seed003.xlsx"),
    ] {
        assert_eq!(
            differences(pdf_name, source),
            Vec::<String>::new(),
            "{pdf_name}"
        );
    }

    // Seed 003's report: LibreOffice did not draw two punctuation marks that fell at the end
    // of a line (调研、 and 整改，; pdftotext misses them too). The forms are whole.
    let d = differences("seed003.docx.pdf", "seed003.docx");
    assert_eq!(
        paths(&d),
        [
            "[0].sections[4].paragraphs[1]",
            "[0].sections[4].paragraphs[6]"
        ],
        "{d:#?}"
    );

    // Seed 000: the 时效指标 name cell holds 工伤保险待遇发放⏎参保人员异动, each line filling
    // the cell, so the break reads as a wrap and the two indicators stay one (15, not 16).
    // The project declaration and everything else of the department's are the same.
    let d = differences("seed000.docx.pdf", "seed000.docx");
    assert!(d.iter().all(|p| p.starts_with("[1].indicators")), "{d:#?}");
    assert!(
        d.contains(&"[1].indicators: 15 items ≠ 16".to_string()),
        "{d:#?}"
    );

    // Seed 004's report: a PDF has no heading styles, so the heading written without
    // numbering ((2) 年度绩效目标) stays a paragraph, as in the text extract, and the
    // sections after it shift; the text is the same, in the same order. The evaluation
    // table and the base data are the same.
    let d = differences("seed004.docx.pdf", "seed004.docx");
    assert!(d.iter().all(|p| p.starts_with("[2].sections")), "{d:#?}");
    let got = forms("seed004.docx.pdf", &pdf("seed004.docx.pdf"));
    let want = fixture_forms("seed004.docx");
    // Here too LibreOffice left out two punctuation marks at line ends (人员， 轨道。).
    let (got, want) = (report_text(&got[2]), report_text(&want[2]));
    assert_eq!(got.len(), want.len());
    let mut dropped = Vec::new();
    for (g, w) in got.iter().zip(&want) {
        if g != w {
            let at = g.chars().zip(w.chars()).take_while(|(a, b)| a == b).count();
            let mut w: Vec<char> = w.chars().collect();
            dropped.push(w.remove(at));
            assert_eq!(*g, w.into_iter().collect::<String>());
        }
    }
    assert_eq!(dropped, ['，', '。']);

    // Seed 004's workbook: Calc draws a merged label in the middle of its whole range, and
    // the range of 产出及效率 / 履职效益 crosses the page break, so the labels land below
    // the table's last rule on page 1 (read as paragraphs) and its last two rows are left
    // on page 2 without them: 15 indicators of 17, the first 12 the same.
    let d = differences("seed004.xlsx.pdf", "seed004.xlsx");
    assert!(d.iter().all(|p| p.starts_with("[0].indicators")), "{d:#?}");
    assert!(
        d.contains(&"[0].indicators: 15 items ≠ 17".to_string()),
        "{d:#?}"
    );
    for p in paths(&d).into_iter().skip(1) {
        let k: usize = p["[0].indicators[".len()..]
            .split(']')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(k >= 12, "{p}");
    }
}

#[test]
fn every_value_names_its_page() {
    let bytes = pdf("seed001.docx.pdf");
    let i = jixiao_recognize::import("seed001.pdf", &bytes, &Limits::default()).unwrap();
    assert_eq!(i.format, jixiao_grid::Format::Pdf);
    assert!(i.unrecognized.iter().all(|u| !u.text.is_empty()));
    for f in &i.forms {
        for (path, at) in &f.provenance {
            assert!(at.page.is_some(), "{path}: {at}");
        }
    }
    // The second project form starts on page 4; its 总分 row is on page 5.
    let form = &i.forms[2];
    let funds = form
        .provenance
        .get("funds.budget")
        .or_else(|| form.provenance.values().next())
        .unwrap();
    assert_eq!(funds.page, Some(4), "{funds}");
    assert!(
        funds.to_string().starts_with("seed001.pdf 第4页 表格"),
        "{funds}"
    );
    let total = form
        .provenance
        .iter()
        .find(|(p, _)| p.contains("total"))
        .map(|(_, l)| l)
        .unwrap();
    assert_eq!(total.page, Some(5), "{total}");
}

fn error(name: &str, bytes: &[u8], limits: &Limits) -> (jixiao_recognize::ErrorKind, String) {
    let e = read(name, bytes, limits).expect_err("must fail");
    assert_eq!(e.file, name);
    let text = e.to_string();
    (e.kind, text)
}

/// A PDF without a text layer is a scan: read by character recognition (issue 23), or, with
/// recognition switched off in the settings, refused with a message that says so.
#[test]
fn a_scanned_pdf_is_read_by_character_recognition_or_refused_when_that_is_off() {
    let doc = read("扫描件.pdf", &pdf("scanned.pdf"), &Limits::default()).expect("a scan reads");
    assert_eq!(doc.format, jixiao_grid::Format::Scan);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.starts_with("扫描件，已经文字识别（OCR）读取")),
        "{:?}",
        doc.warnings
    );
    let off = Limits {
        ocr: false,
        ..Limits::default()
    };
    let (kind, text) = error("扫描件.pdf", &pdf("scanned.pdf"), &off);
    assert_eq!(kind, jixiao_recognize::ErrorKind::OcrOff);
    assert!(
        text.starts_with(
            "扫描件.pdf：这是扫描件（图片或没有文字层的 PDF），文字识别已在设置中关闭"
        ),
        "{text}"
    );
}

#[test]
fn a_pdf_with_an_opening_password_is_refused_with_a_message() {
    let (kind, text) = error("加密.pdf", &pdf("encrypted.pdf"), &Limits::default());
    assert_eq!(kind, jixiao_recognize::ErrorKind::PdfEncrypted, "{text}");
    assert!(text.contains("已加密"), "{text}");
}

#[test]
fn broken_and_hostile_pdfs_fail_clearly() {
    use jixiao_recognize::ErrorKind;
    let whole = pdf("seed001.docx.pdf");
    // Cut in half: the cross-reference table and half the pages are gone.
    let (kind, text) = error("截断.pdf", &whole[..whole.len() / 2], &Limits::default());
    assert!(
        matches!(kind, ErrorKind::Corrupt { .. } | ErrorKind::NoTextLayer),
        "{text}"
    );
    assert!(text.starts_with("截断.pdf："), "{text}");

    // A header and then garbage.
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let (kind, text) = error("乱码.pdf", &garbage, &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{text}");
    assert!(text.contains("不是有效的PDF 文件"), "{text}");

    // A content stream that inflates to 64 MiB of zeros from a few kilobytes.
    let bomb = flate_bomb(64 << 20);
    assert!(bomb.len() < 200 << 10, "{}", bomb.len());
    let limits = Limits {
        max_part_bytes: 8 << 20,
        ..Limits::default()
    };
    let started = std::time::Instant::now();
    let (kind, text) = error("炸弹.pdf", &bomb, &limits);
    assert_eq!(
        kind,
        ErrorKind::InflatesTooMuch { limit: 8 << 20 },
        "{text}"
    );
    assert!(text.contains("疑似压缩炸弹"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    // A form XObject that draws itself.
    let cycle = pdf_with(
        b"q /X0 Do Q",
        &stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 5 0 R >> >>",
            b"/X0 Do",
        ),
    );
    let (kind, text) = error("循环.pdf", &cycle, &Limits::default());
    assert!(matches!(kind, ErrorKind::Corrupt { .. }), "{text}");
    assert!(text.contains("循环引用"), "{text}");

    // Too many pages for the limit.
    let limits = Limits {
        max_pdf_pages: 3,
        ..Limits::default()
    };
    let (kind, text) = error("多页.pdf", &whole, &limits);
    assert_eq!(
        kind,
        ErrorKind::TooBig {
            what: "PDF 的页数".into(),
            limit: 3
        },
        "{text}"
    );
}

/// A PDF of the given objects (numbered from 1; object 1 the catalog), with its
/// cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    let n = objects.len() + 1;
    out.extend(
        format!("trailer\n<< /Size {n} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

/// A stream object of `data` with the given extra dictionary entries.
fn stream(entries: &str, data: &[u8]) -> Vec<u8> {
    let head = format!("<< /Length {} {entries} >>\nstream\n", data.len());
    [head.as_bytes(), data, b"\nendstream"].concat()
}

/// A one-page PDF whose content stream is `content` and whose object 5 is `object5`
/// (the page's XObject `/X0`).
fn pdf_with(content: &[u8], object5: &[u8]) -> Vec<u8> {
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", content),
        object5.to_vec(),
    ])
}

/// A one-page PDF whose content stream inflates to `size` zero bytes.
fn flate_bomb(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() {
        z.write_all(&chunk).unwrap();
    }
    let data = z.finish().unwrap();
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", &data),
    ])
}

#[test]
fn a_small_ruled_table_in_a_standard_font() {
    // Hand-made (fuzz/corpus/read_pdf): one rectangle with a rule across and one down,
    // Helvetica without embedded font or character map.
    let path = root().join("../fuzz/corpus/read_pdf/ruled-table.pdf");
    let doc = read("表.pdf", &std::fs::read(path).unwrap(), &Limits::default()).unwrap();
    assert_eq!(
        show(&doc),
        "P0: Self-evaluation 2021\nT0 2x2\n  Name@1 | Score@1\n  Total@1 | 85.5@1\n"
    );
}

/// Jixiao's own PDF export read back. Not yet equal (prints the differences): its forms
/// come back with the header rows it repeats on each page read as indicator rows, and
/// seed 000's department declaration loses most indicators. Left for the next step.
#[test]
#[ignore = "prints how Jixiao's own PDF export reads back; not yet equal"]
fn own_pdf_export_reads_back() {
    let fonts = jixiao_pdf::Fonts::from_system().unwrap();
    for name in ["seed000.docx", "seed001.docx", "seed003.docx"] {
        let bytes = std::fs::read(root().join("fixtures").join(name)).unwrap();
        let i = jixiao_recognize::import(name, &bytes, &Limits::default()).unwrap();
        let forms: Vec<_> = i.forms.iter().map(|f| f.form.clone()).collect();
        let doc = jixiao_write::forms_document(&forms);
        let pdf = jixiao_pdf::render(&doc, &fonts).unwrap();
        let back = jixiao_recognize::import("back.pdf", &pdf.bytes, &Limits::default());
        match back {
            Ok(b) => {
                let got: Vec<_> = b
                    .forms
                    .iter()
                    .map(|f| serde_json::to_value(&f.form).unwrap())
                    .collect();
                let want: Vec<_> = forms
                    .iter()
                    .map(|f| serde_json::to_value(f).unwrap())
                    .collect();
                let mut out = Vec::new();
                if got.len() != want.len() {
                    out.push(format!("{} forms ≠ {}", got.len(), want.len()));
                }
                for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                    diff(
                        &format!("[{k}]"),
                        &without_spacing(g),
                        &without_spacing(w),
                        &mut out,
                    );
                }
                println!("== {name}: {} differences", out.len());
                for d in out.iter().take(10) {
                    println!("  {}", d.chars().take(200).collect::<String>());
                }
            }
            Err(e) => println!("== {name}: {e}"),
        }
    }
}
