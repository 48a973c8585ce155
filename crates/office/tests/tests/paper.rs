//! What people sign and file, read back from the native PDFs with poppler's `pdftotext
//! -bbox-layout`: the report's closing part in the GB/T 9704 order and layout, tables whose
//! header rows repeat on a new page, and no number, sign or unit broken across lines in any
//! PDF made from the documents in `testdata`. Page images are kept under
//! `target/tmp/paper/` for a look.

// Positions read back from pdftotext are floating-point points.
#![allow(clippy::float_arithmetic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{ReportData, compose};
use jixiao_recognize::{Limits, import};
use jixiao_write as write;

const MM: f64 = 72.0 / 25.4;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

fn expected(seed: &str) -> Vec<Form> {
    let path = root().join(format!("testdata/expected/seed{seed}.json"));
    let values: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    values
        .into_iter()
        .map(|v| Form::from_json(&v.to_string()).unwrap())
        .collect()
}

/// The fonts and poppler, or `None` outside CI when they are missing (the test script
/// installs both, so CI always checks).
fn ready() -> Option<jixiao_pdf::Fonts> {
    let poppler = Command::new("pdftotext").arg("-v").output().is_ok();
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

fn artifacts(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("paper")
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the PDF, renders its pages to PNG beside it, and returns its lines.
fn keep(dir: &Path, name: &str, bytes: &[u8]) -> Vec<Vec<TextLine>> {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, bytes).unwrap();
    let png = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&file)
        .arg(dir.join(name))
        .output()
        .unwrap();
    // Poppler reads every embedded font program without complaint.
    let errors = String::from_utf8_lossy(&png.stderr);
    assert!(
        png.status.success() && errors.trim().is_empty(),
        "{name}: {errors}"
    );
    lines(&file)
}

/// A line of text as pdftotext finds it: its box (points from the top left), its text, and
/// the block it belongs to.
#[derive(Debug, Clone)]
struct TextLine {
    x0: f64,
    y0: f64,
    x1: f64,
    text: String,
    block: usize,
}

/// The lines of each page, in pdftotext's reading order.
fn lines(pdf: &Path) -> Vec<Vec<TextLine>> {
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).to_string();
    let attr = |s: &str, k: &str| -> f64 {
        let at = s.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    let mut block = 0;
    for page in html.split("<page ").skip(1) {
        let mut lines = Vec::new();
        for b in page.split("<block ").skip(1) {
            block += 1;
            for l in b.split("<line ").skip(1) {
                let text: String = l
                    .split("<word ")
                    .skip(1)
                    .map(|w| w.split('>').nth(1).unwrap().split('<').next().unwrap())
                    .collect();
                lines.push(TextLine {
                    x0: attr(l, "xMin"),
                    y0: attr(l, "yMin"),
                    x1: attr(l, "xMax"),
                    text: text.replace("&amp;", "&"),
                    block,
                });
            }
        }
        pages.push(lines);
    }
    pages
}

#[test]
fn the_reports_closing_part_is_in_order_and_signed_per_gb_t_9704() {
    let Some(fonts) = ready() else { return };
    let mut data = ReportData::from_forms(&expected("003")).unwrap();
    data.date = Some("2022年3月10日".into());
    let draft = compose(&data, &ScoringPolicy::default());
    let pdf = jixiao_pdf::render(&write::report_document(&draft), &fonts).unwrap();
    let pages = keep(&artifacts("report"), "report", &pdf.bytes);
    // The last body page: the one before the first attached form.
    let first_attachment = pages
        .iter()
        .position(|p| p.first().is_some_and(|l| l.text == "附件1-1"))
        .expect("an attachment page");
    // The closing part: the last two body pages, in reading order.
    let last: Vec<TextLine> = pages[first_attachment - 2..first_attachment]
        .iter()
        .enumerate()
        .flat_map(|(p, lines)| {
            lines.iter().cloned().map(move |mut l| {
                l.y0 += p as f64 * 1000.0;
                l
            })
        })
        .collect();
    let find = |pred: &dyn Fn(&str) -> bool| {
        last.iter()
            .find(|l| pred(&l.text))
            .unwrap_or_else(|| panic!("not on the last body pages: {last:#?}"))
    };
    let seven = find(&|t| t.starts_with("七、"));
    let note = find(&|t| t.starts_with("附件："));
    let second = find(&|t| t.starts_with("1-2."));
    let unit = find(&|t| t == "株洲市工伤保险服务中心");
    let date = find(&|t| t == "2022年3月10日");
    // Order: 七、, then the one 附件 note, then the unit, then the date.
    assert!(seven.y0 < note.y0 && note.y0 < second.y0 && second.y0 < unit.y0);
    assert!(unit.y0 < date.y0);
    assert_eq!(
        last.iter().filter(|l| l.text.contains("附件：")).count(),
        1,
        "one attachment note"
    );
    assert!(
        pages
            .iter()
            .flatten()
            .all(|l| !l.text.contains("附件：1-1. 2021")),
        "the unit's own note is gone from the body"
    );
    let (left, right) = (28.0 * MM, 595.3 - 26.0 * MM);
    // The body pitch: 28 characters over the 156 mm text block.
    let char_w = 156.0 * MM / 28.0;
    let near = |a: f64, b: f64| (a - b).abs() < 0.25 * char_w;
    // The note two characters in; the second name under the first name (after 附件：).
    assert!(near(note.x0, left + 2.0 * char_w), "{note:?}");
    assert!(near(second.x0, left + 5.0 * char_w), "{second:?}");
    // Set flush left, not spread letter by letter to the right edge.
    assert!(note.x1 < right - 2.0 * char_w, "{note:?}");
    let natural = note.text.chars().count() as f64 * char_w;
    assert!(note.x1 - note.x0 < natural, "{note:?} is spread out");
    // The unit two characters from the right; the date starts two characters right of it.
    assert!(near(unit.x1, right - 2.0 * char_w), "{unit:?}");
    assert!(
        near(date.x0, unit.x0 + 2.0 * char_w),
        "{date:?} vs {unit:?}"
    );
}

#[test]
fn a_table_split_across_pages_repeats_its_header_and_group_label() {
    let Some(fonts) = ready() else { return };
    let forms = expected("003");
    let department: Vec<Form> = forms
        .iter()
        .filter(|f| matches!(f, Form::DepartmentSelfEvaluation(_)))
        .cloned()
        .collect();
    let pdf = jixiao_pdf::render(&write::forms_document(&department), &fonts).unwrap();
    let pages = keep(&artifacts("split"), "department", &pdf.bytes);
    assert!(pages.len() >= 2, "the form runs over two pages");
    for (n, page) in pages.iter().enumerate() {
        let has = |t: &str| page.iter().any(|l| l.text.contains(t));
        assert!(
            has("一级指标") && has("三级指标") && has("实际完成值"),
            "page {}: the indicator header",
            n + 1
        );
        assert!(has("绩效指标"), "page {}: the group label", n + 1);
    }
}

/// Which characters end a number, and which may continue one.
fn breaks_a_number(before: &str, after: &str) -> bool {
    let (Some(a), Some(b)) = (before.chars().last(), after.chars().next()) else {
        return false;
    };
    let digitish = |c: char| c.is_ascii_digit() || c == '.';
    (digitish(a) && (digitish(b) || b == '%'))
        || ("≥≤＞＜><±".contains(a) && b.is_ascii_digit())
        || (a.is_ascii_digit() && "万亿元人次个户%".contains(b))
}

#[test]
fn no_number_is_broken_across_lines_in_any_pdf_from_testdata() {
    let Some(fonts) = ready() else { return };
    let dir = artifacts("numbers");
    let mut checked = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "-");
        let imported = import(&path.display().to_string(), &bytes, &Limits::default()).unwrap();
        let forms: Vec<Form> = imported.forms.into_iter().map(|f| f.form).collect();
        let mut documents = vec![(format!("{name}-forms"), write::forms_document(&forms))];
        if let Ok(data) = ReportData::from_forms(&forms) {
            let draft = compose(&data, &ScoringPolicy::default());
            documents.push((format!("{name}-report"), write::report_document(&draft)));
        }
        for (name, doc) in documents {
            if doc.blocks.is_empty() {
                continue;
            }
            let pdf = jixiao_pdf::render(&doc, &fonts).unwrap();
            let pages = keep(&dir, &name, &pdf.bytes);
            for (n, page) in pages.iter().enumerate() {
                for pair in page.windows(2) {
                    let (a, b) = (&pair[0], &pair[1]);
                    // Consecutive lines of one block: one paragraph or one table cell.
                    if a.block != b.block || b.y0 <= a.y0 {
                        continue;
                    }
                    assert!(
                        !breaks_a_number(&a.text, &b.text),
                        "{name} page {}: a number broken across lines: {:?} / {:?}",
                        n + 1,
                        a.text,
                        b.text
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} line breaks seen");
}

#[test]
fn the_body_is_set_in_a_real_fangsong_and_the_title_in_a_bold_song() {
    let Some(fonts) = ready() else { return };
    let fang = fonts.face(jixiao_pdf::Role::FangSong);
    let title = fonts.face(jixiao_pdf::Role::XiaoBiaoSong);
    let real = jixiao_pdf::Role::FangSong
        .families()
        .contains(&fang.family.as_str());
    if !real {
        // The test script fetches FandolFang (scripts/fonts.sh), so CI always has a 仿宋.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have a 仿宋 face, got {}",
            fang.family
        );
        return;
    }
    let draft = compose(
        &ReportData::from_forms(&expected("003")).unwrap(),
        &ScoringPolicy::default(),
    );
    let pdf = jixiao_pdf::render(&write::report_document(&draft), &fonts).unwrap();
    let dir = artifacts("fonts");
    keep(&dir, "report", &pdf.bytes);
    let out = Command::new("pdffonts")
        .arg(dir.join("report.pdf"))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    for face in [fang, title] {
        let line = listing
            .lines()
            .find(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|n| n.ends_with(&format!("+{}", face.name)))
            })
            .unwrap_or_else(|| panic!("{} not embedded: {listing}", face.name));
        // Embedded, as a subset, with a Unicode map.
        assert!(line.contains("yes yes yes"), "{line}");
        if face.cff {
            assert!(line.contains("CID Type 0C"), "{line}");
        }
    }
    assert!(
        title.name.contains("Bold") || !title.family.starts_with("Fandol"),
        "a bold 宋 for the title: {}",
        title.name
    );
}
