//! Exports people file (issue 22): Word tables whose columns are sized from their content (no
//! figure or short label such as `98.02%`, `100`, 分值, 执行率 wraps), the last rows (总分) kept
//! with their table in Word and in the PDF, and no empty block above the first line of a PDF.
//! Files and page images are kept under `target/tmp/exports/` for a look.

// Positions read back from pdftotext are floating-point points.
#![allow(clippy::float_arithmetic)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{ReportData, compose};
use jixiao_recognize::{Limits, import};
use jixiao_write as write;
use rust_decimal::Decimal;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn artifacts(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("exports")
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The forms of every fixture in `testdata/fixtures`, by file.
fn fixtures() -> Vec<(String, Vec<Form>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let imported = import(&path.display().to_string(), &bytes, &Limits::default()).unwrap();
            let name = path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace('.', "-");
            (name, imported.forms.into_iter().map(|f| f.form).collect())
        })
        .collect()
}

/// Seed 003's project self-evaluation with a rate and a total that wrapped in narrow columns.
fn project_with_wide_figures() -> Form {
    let text = std::fs::read_to_string(root().join("testdata/forms/seed003-project.json")).unwrap();
    let mut form = Form::from_json(&text).unwrap();
    let Form::ProjectSelfEvaluation(f) = &mut form else {
        panic!("a project self-evaluation")
    };
    f.funds.stated_rate = Some(Decimal::from_str("98.02").unwrap());
    f.funds.stated_score = Some(Decimal::from_str("9.80").unwrap());
    f.stated_total = Some(Decimal::from(100));
    form
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The value of attribute `key` in the first element `tag` of `xml`.
fn attr(xml: &str, tag: &str, key: &str) -> Option<String> {
    let at = xml.find(&format!("<{tag} "))?;
    let element = &xml[at..at + xml[at..].find('>')?];
    let k = element.find(&format!("{key}=\""))? + key.len() + 2;
    Some(element[k..].split('"').next()?.to_string())
}

/// A cell of a Word table: its first grid column, its span and its text.
type Cell = (usize, usize, String);

/// A Word table: its grid column widths (twips) and its rows, each as its XML and its cells.
struct Table {
    grid: Vec<i64>,
    rows: Vec<(String, Vec<Cell>)>,
}

fn tables(xml: &str) -> Vec<Table> {
    xml.split("<w:tbl>")
        .skip(1)
        .map(|t| {
            let t = t.split("</w:tbl>").next().unwrap();
            let grid = t
                .split("<w:gridCol ")
                .skip(1)
                .map(|g| attr(&format!("<w:gridCol {g}"), "w:gridCol", "w:w").unwrap())
                .map(|w| w.parse().unwrap())
                .collect();
            let rows = t
                .split("<w:tr>")
                .skip(1)
                .map(|row| {
                    let mut col = 0;
                    let mut cells = Vec::new();
                    for cell in row.split("<w:tc>").skip(1) {
                        let span: usize =
                            attr(cell, "w:gridSpan", "w:val").map_or(1, |s| s.parse().unwrap());
                        let text: String = cell
                            .split("<w:t xml:space=\"preserve\">")
                            .skip(1)
                            .map(|s| s.split("</w:t>").next().unwrap())
                            .collect();
                        cells.push((col, span, text));
                        col += span;
                    }
                    (row.to_string(), cells)
                })
                .collect();
            Table { grid, rows }
        })
        .collect()
}

/// A figure or a short label: must never wrap.
fn unbreakable(text: &str) -> bool {
    let n = text.chars().count();
    n > 0
        && (n <= 4
            || text
                .chars()
                .all(|c| c.is_ascii_digit() || ".%-—+".contains(c)))
}

/// Width in twips at 五号 (10.5 pt = 210 twips per em): a CJK character one em, ASCII half.
fn em_model(text: &str) -> i64 {
    text.chars()
        .map(|c| if c.is_ascii() { 105 } else { 210 })
        .sum()
}

#[test]
fn word_columns_hold_their_figures_and_short_labels_on_one_line() {
    let mut docs = fixtures();
    docs.push(("wide-figures".into(), vec![project_with_wide_figures()]));
    let mut checked = 0;
    for (name, forms) in &docs {
        let Some(docx) = write::forms_docx(forms).unwrap() else {
            continue;
        };
        for table in tables(&document_xml(&docx)) {
            // The table fills the text block (A4 less 20 mm margins).
            assert!((table.grid.iter().sum::<i64>() - (11906 - 2 * 1134)).abs() <= 2);
            for (_, cells) in &table.rows {
                for (col, span, text) in cells {
                    if *span != 1 || !unbreakable(text) {
                        continue;
                    }
                    // The cell's room: its column less 1 mm margins on each side.
                    let room = table.grid[*col] - 2 * 57;
                    assert!(
                        room >= em_model(text),
                        "{name}: {text:?} needs {} twips, its column has {room}",
                        em_model(text)
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} cells checked");
    // The figures of the wide form are among those checked.
    let docx = write::forms_docx(&[project_with_wide_figures()])
        .unwrap()
        .unwrap();
    let xml = document_xml(&docx);
    for t in ["98.02%", "9.80", ">100<", "分值", "执行率", "得分"] {
        assert!(xml.contains(t), "{t}");
    }
}

#[test]
fn word_keeps_the_total_row_with_the_rows_above_it() {
    let docx = write::forms_docx(&[project_with_wide_figures()])
        .unwrap()
        .unwrap();
    let xml = document_xml(&docx);
    for table in tables(&xml) {
        let n = table.rows.len();
        for (k, (row, _)) in table.rows.iter().enumerate() {
            assert!(row.contains("<w:cantSplit/>"), "row {k} may split");
            let kept = row.contains("<w:keepNext/>");
            // The last three rows stay together: the two above the last keep with the next.
            assert_eq!(kept, k + 3 >= n && k + 1 < n, "row {k} of {n}");
        }
    }
    let last = tables(&xml).pop().unwrap();
    assert!(last.rows.last().unwrap().1[0].2.contains("总分"));
}

/// The Word export as LibreOffice prints it: no figure is split over two lines.
#[test]
fn word_figures_stay_whole_when_printed_by_libreoffice() {
    let (Some(soffice), Some(pdftotext)) = (
        tool("soffice").or_else(|| tool("libreoffice")),
        tool("pdftotext"),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have LibreOffice and poppler-utils"
        );
        return;
    };
    let dir = artifacts("libreoffice");
    let docx = dir.join("wide.docx");
    std::fs::write(
        &docx,
        write::forms_docx(&[project_with_wide_figures()])
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let out = Command::new(soffice)
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_dir_all(dir.join("profile")).ok();
    let pdf = dir.join("wide.pdf");
    Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&pdf)
        .arg(dir.join("wide"))
        .status()
        .ok();
    let text = Command::new(pdftotext)
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    for figure in ["98.02%", "9.80", "100", "分值", "执行率", "得分"] {
        assert!(
            words.contains(&figure),
            "{figure} is not printed whole:\n{text}"
        );
    }
}

/// The fonts and poppler, or `None` outside CI when they are missing.
fn ready() -> Option<jixiao_pdf::Fonts> {
    let poppler = tool("pdftotext").is_some();
    match (jixiao_pdf::Fonts::from_system(), poppler) {
        (Ok(f), true) => Some(f),
        (f, _) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have the CJK fonts and poppler-utils: {:?}",
                f.err()
            );
            None
        }
    }
}

/// Each page's words: (yMin, text), in reading order, from `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<Vec<(f64, String)>> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    html.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|w| {
                    let y = attr(&format!("<word {w}"), "word", "yMin").unwrap();
                    let text = w.split('>').nth(1).unwrap().split('<').next().unwrap();
                    (y.parse().unwrap(), text.to_string())
                })
                .collect()
        })
        .collect()
}

fn keep(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, bytes).unwrap();
    Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&file)
        .arg(dir.join(name))
        .status()
        .unwrap();
    file
}

#[test]
fn pdf_tables_never_leave_the_total_row_alone_on_a_page() {
    let Some(fonts) = ready() else { return };
    let dir = artifacts("total-row");
    let Form::ProjectSelfEvaluation(base) = project_with_wide_figures() else {
        unreachable!()
    };
    let mut seen_on_a_later_page = false;
    // Longer and longer indicator tables, so that the page ends at every row near the end.
    for extra in 16..56 {
        let mut f = base.clone();
        for k in 0..extra {
            let mut row = base.indicators[k % base.indicators.len()].clone();
            row.name = format!("补充指标{k}");
            f.indicators.push(row);
        }
        // The last two rows named short, so that each prints on one line.
        let n = f.indicators.len();
        f.indicators[n - 2].name = "末前指标".into();
        f.indicators[n - 1].name = "末项指标".into();
        let (before, last) = ("末前指标", "末项指标");
        let doc = write::forms_document(&[Form::ProjectSelfEvaluation(f)]);
        let pdf = jixiao_pdf::render(&doc, &fonts).unwrap();
        let file = dir.join(format!("rows-{extra}.pdf"));
        std::fs::write(&file, &pdf.bytes).unwrap();
        let pages = words(&file);
        let at = pages
            .iter()
            .position(|p| p.iter().any(|w| w.1 == "总分"))
            .expect("a 总分 row");
        seen_on_a_later_page |= at > 1;
        let page: String = pages[at].iter().map(|w| w.1.as_str()).collect();
        assert!(
            page.contains(last) && page.contains(before),
            "{extra} more rows: 总分 on page {} without the rows above it",
            at + 1
        );
    }
    assert!(seen_on_a_later_page, "no table ran onto a third page");
}

#[test]
fn the_first_line_of_a_pdf_starts_at_the_top_margin() {
    let Some(fonts) = ready() else { return };
    let dir = artifacts("top");
    let mut documents = Vec::new();
    for (name, forms) in fixtures() {
        documents.push((format!("{name}-forms"), write::forms_document(&forms), 20.0));
        if let Ok(data) = ReportData::from_forms(&forms) {
            let draft = compose(&data, &ScoringPolicy::default());
            documents.push((
                format!("{name}-report"),
                write::report_document(&draft),
                37.0,
            ));
        }
    }
    for (name, doc, top_mm) in documents {
        if doc.blocks.is_empty() {
            continue;
        }
        let pdf = jixiao_pdf::render(&doc, &fonts).unwrap();
        let pages = words(&keep(&dir, &name, &pdf.bytes));
        let first = pages[0].first().expect("text on page 1");
        let margin = top_mm * 72.0 / 25.4;
        // The first line's glyphs start within its own leading below the margin (a 2号 title:
        // 22 pt on a 28.6 pt line), never an empty block lower.
        assert!(
            first.0 >= margin - 1.0 && first.0 <= margin + 12.0,
            "{name}: the first text {:?} starts at {:.1} pt, the margin is {margin:.1} pt",
            first.1,
            first.0
        );
    }
}
