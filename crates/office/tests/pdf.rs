//! PDFs with a text layer (testdata/pdf, made from the fixtures by scripts/make-test-pdfs.sh)
//! import to the same forms as the documents they were printed from; scanned and hostile
//! PDFs give clear errors.

use std::path::PathBuf;

use jixiao_office::grid::{Block, Document};
use jixiao_office::{Limits, read};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
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
                out.push_str(&format!("T{} page {:?} {}x{}\n", t.index, t.page, t.rows, t.cols));
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
                            format!("{}{span}", c.text.replace('\n', "⏎"))
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
    for name in std::env::var("PDFS").unwrap_or("seed001.docx.pdf".into()).split(',') {
        let doc = read(name, &pdf(name), &Limits::default()).unwrap();
        println!("== {name}\n{}", show(&doc));
    }
}

fn forms(file: &str, bytes: &[u8]) -> Vec<serde_json::Value> {
    let i = jixiao_office::import(file, bytes, &Limits::default()).unwrap();
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
                diff(&format!("{path}.{k}"), x.get(k).unwrap_or(&n), y.get(k).unwrap_or(&n), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} ≠ {b}")),
        _ => {}
    }
}

#[test]
#[ignore = "prints how each test PDF's forms differ from its source's"]
fn differences() {
    for (pdf_name, source) in [
        ("seed000.docx.pdf", "seed000.docx"),
        ("seed001.docx.pdf", "seed001.docx"),
        ("seed003.docx.pdf", "seed003.docx"),
        ("seed004.docx.pdf", "seed004.docx"),
        ("seed001.xlsx.pdf", "seed001.xlsx"),
        ("seed003.xlsx.pdf", "seed003.xlsx"),
        ("seed004.xlsx.pdf", "seed004.xlsx"),
    ] {
        let got = forms(pdf_name, &pdf(pdf_name));
        let want = fixture_forms(source);
        let mut out = Vec::new();
        if got.len() != want.len() {
            out.push(format!("{} forms ≠ {}", got.len(), want.len()));
        }
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            diff(&format!("[{i}]"), g, w, &mut out);
        }
        println!("== {pdf_name}: {} differences", out.len());
        for d in out.iter().take(40) {
            println!("  {d}");
        }
    }
}
