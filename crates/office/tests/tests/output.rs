//! Official output opened in real clients: the exported forms and the composed report go
//! through LibreOffice to PDF, and the report is also rendered by Jixiao's own PDF writer; the
//! PDFs are checked for A4 and the layout's margins (poppler's pdfinfo and pdftotext), and each
//! page is rendered to PNG under `target/tmp/output/` for a look. The report and its attached
//! forms import back.

// Positions read back from pdftotext are measured in floating-point points.
#![allow(clippy::float_arithmetic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{Content, ReportData, compose};
use jixiao_recognize::{Limits, import};
use jixiao_write as write;

fn expected(seed: &str) -> Vec<Form> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../../testdata/expected/seed{seed}.json"));
    let values: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    values
        .into_iter()
        .map(|v| Form::from_json(&v.to_string()).unwrap())
        .collect()
}

fn tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// The artifacts folder of one test.
fn artifacts(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("output")
        .join(test);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Converts `file` to PDF with LibreOffice and renders its pages to PNG; `None` without
/// LibreOffice outside CI (the test script installs it, so CI always converts).
fn to_pdf(file: &Path) -> Option<PathBuf> {
    let (Some(soffice), Some(_)) = (
        tool("soffice").or_else(|| tool("libreoffice")),
        tool("pdftoppm"),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have LibreOffice and poppler-utils"
        );
        return None;
    };
    let dir = file.parent().unwrap();
    let out = Command::new(soffice)
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    let pdf = file.with_extension("pdf");
    assert!(
        out.status.success() && pdf.is_file(),
        "LibreOffice could not convert {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(dir.join("profile")).ok();
    let png = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&pdf)
        .arg(file.with_extension(""))
        .status()
        .unwrap();
    assert!(png.success());
    Some(pdf)
}

/// Page size in points and each word's box (x0, y0, x1, y1 from the top left) per page.
/// A word on a page: x0, y0, x1, y1 (points from the top left) and its text.
type Word = (f64, f64, f64, f64, String);

fn layout(pdf: &Path) -> ((f64, f64), Vec<Vec<Word>>) {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .unwrap()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>();
    let (w, h) = (size[0].parse().unwrap(), size[2].parse().unwrap());
    let html = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&html.stdout).to_string();
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for w in page.split("<word ").skip(1) {
            let num = |k: &str| -> f64 {
                let at = w.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                w[at..].split('"').next().unwrap().parse().unwrap()
            };
            let text = w.split('>').nth(1).unwrap().split('<').next().unwrap();
            words.push((
                num("xMin"),
                num("yMin"),
                num("xMax"),
                num("yMax"),
                text.to_string(),
            ));
        }
        pages.push(words);
    }
    ((w, h), pages)
}

const MM: f64 = 72.0 / 25.4;

/// Every form of every seed but the narrative reports.
fn all_forms() -> Vec<Form> {
    ["000", "001", "003", "004"]
        .iter()
        .flat_map(|s| expected(s))
        .filter(|f| !matches!(f, Form::Report(_)))
        .collect()
}

/// A4, the forms' titles and figures present, nothing printed in the outer 10 mm.
fn assert_forms_pdf(pdf: &Path, min_pages: usize) {
    let ((w, h), pages) = layout(pdf);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4: {w} × {h}"
    );
    assert!(
        pages.len() >= min_pages,
        "{}: {} pages",
        pdf.display(),
        pages.len()
    );
    let text: String = pages.iter().flatten().map(|w| w.4.as_str()).collect();
    for needle in [
        "项目支出绩效目标申报表",
        "部门整体支出绩效目标申报表",
        "老工伤统筹管理人员",
        "331.61",
        "绩效自评项目清单",
        "部门整体支出绩效评价指标表",
        "在职人员控制率",
        "部门整体支出绩效评价基础数据表",
    ] {
        assert!(text.contains(needle), "{}: {needle} missing", pdf.display());
    }
    for words in &pages {
        for word in words {
            assert!(word.0 >= 10.0 * MM && word.2 <= w - 10.0 * MM, "{word:?}");
            assert!(word.1 >= 10.0 * MM && word.3 <= h - 10.0 * MM, "{word:?}");
        }
    }
}

#[test]
fn exported_forms_convert_to_a4_pdf_in_libreoffice() {
    let forms = all_forms();
    let dir = artifacts("forms");
    let docx = dir.join("forms.docx");
    let xlsx = dir.join("forms.xlsx");
    std::fs::write(&docx, write::forms_docx(&forms).unwrap().unwrap()).unwrap();
    std::fs::write(&xlsx, write::forms_xlsx(&forms).unwrap().unwrap()).unwrap();
    for file in [docx, xlsx] {
        let Some(pdf) = to_pdf(&file) else { return };
        assert_forms_pdf(&pdf, forms.len());
    }
}

#[test]
fn exported_forms_render_to_pdf_natively() {
    let Some(fonts) = fonts() else { return };
    let forms = all_forms();
    let pdf = jixiao_pdf::render(&write::forms_document(&forms), &fonts).unwrap();
    assert!(pdf.missing.is_empty(), "{:?}", pdf.missing);
    let dir = artifacts("forms-native");
    let file = dir.join("forms.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    if tool("pdftoppm").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have poppler-utils"
        );
        return;
    }
    assert_forms_pdf(&file, forms.len());
    let png = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&file)
        .arg(dir.join("forms"))
        .status()
        .unwrap();
    assert!(png.success());
}

#[test]
fn the_report_of_seed_003_in_word_imports_back_and_converts_per_gb_t_9704() {
    let forms = expected("003");
    let data = ReportData::from_forms(&forms).unwrap();
    let draft = compose(&data, &ScoringPolicy::default());
    let bytes = write::report_docx(&draft).unwrap();

    // The attached forms come back identical, the narrative as written, in the new outline.
    let back = import("report.docx", &bytes, &Limits::default()).unwrap();
    let got: Vec<&Form> = back.forms.iter().map(|f| &f.form).collect();
    let Form::Report(report) = got[0] else {
        panic!("the report first: {got:#?}")
    };
    assert_eq!(got[1..], forms[1..].iter().collect::<Vec<_>>());
    let headings: Vec<&str> = report
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "一、基本情况",
            "二、绩效目标",
            "三、自评工作开展情况",
            "四、绩效目标实现情况",
            "五、存在的问题及原因",
            "六、改进措施",
            "七、结果应用及公开"
        ]
    );
    let Form::Report(original) = &forms[0] else {
        panic!()
    };
    let written: Vec<&String> = report.sections.iter().flat_map(|s| &s.paragraphs).collect();
    // The unit's own attachment note (附件：1-1. …, 1-2. …) gives way to the report's one.
    let note = |p: &str| p.starts_with("附件") || (p.starts_with("1-") && p.contains("自评表"));
    for p in original
        .sections
        .iter()
        .filter(|s| s.level > 0)
        .flat_map(|s| &s.paragraphs)
        .filter(|p| !note(p))
    {
        assert!(written.contains(&p), "written paragraph lost: {p}");
    }
    // The computed parts: total, grade, execution rate from the department form.
    let all: String = draft
        .parts
        .iter()
        .flat_map(|p| &p.content)
        .filter_map(|c| match c {
            Content::Text { text, .. } => Some(text.as_str()),
            Content::Scores(_) => None,
        })
        .collect();
    // The form states 100; its overspent 基本支出 (293.87 against 292.83) scores 7.97 of 8.
    assert!(
        all.contains("部门整体支出绩效自评得分99.97分，等级为“优”"),
        "{all}"
    );
    assert!(
        all.contains("基本支出：年度指标值292.83万元，实际完成293.87万元，得7.97分（分值8分）")
    );
    assert!(
        draft
            .notes
            .iter()
            .any(|n| n.contains("基本支出") && n.contains("7.97")),
        "{:?}",
        draft.notes
    );
    assert!(
        all.contains(
            "全年预算数331.61万元（年初预算数292.83万元），全年执行数331.61万元，预算执行率100.00%"
        ),
        "{all}"
    );
    assert!(
        all.contains(
            "全市工伤保险参保人数：年度指标值55.5万人，实际完成56.88万人，得9分（分值9分）"
        )
    );
    assert!(
        draft.notes.iter().any(|n| n.contains("自评工作开展情况")),
        "{:?}",
        draft.notes
    );

    let dir = artifacts("report");
    let docx = dir.join("report.docx");
    std::fs::write(&docx, &bytes).unwrap();
    if let Some(pdf) = to_pdf(&docx) {
        assert_official_layout(&pdf);
    }
}

/// A4; body pages (before the first 附件 page) keep their text inside the 156 × 225 mm block
/// at 37 mm from the top and 28 mm from the left; `— n —` sits 7 mm or more below the block,
/// on the right of odd pages and the left of even ones.
fn assert_official_layout(pdf: &Path) {
    let ((w, h), pages) = layout(pdf);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4: {w} × {h}"
    );
    // Body pages (before the first 附件 page): text inside the 156 × 225 mm block at 37 mm
    // from the top and 28 mm from the left; the page number 7 mm or more below it.
    let body = pages
        .iter()
        .take_while(|p| !p.first().is_some_and(|w| w.4.starts_with("附件")))
        .collect::<Vec<_>>();
    assert!(body.len() >= 2, "{} body pages", body.len());
    let tolerance = 1.5 * MM;
    for (n, words) in body.iter().enumerate() {
        let number_top = 297.0 * MM - 35.0 * MM + 7.0 * MM - tolerance;
        let (numbers, text): (Vec<_>, Vec<_>) = words.iter().partition(|w| w.1 >= number_top);
        for word in &text {
            assert!(
                word.0 >= 28.0 * MM - tolerance,
                "page {}: left {word:?}",
                n + 1
            );
            // LibreOffice hangs a closing punctuation mark (标点悬挂) past the edge.
            let hang = if word.4.ends_with(['。', '，', '、', '；', '：', '”', '）']) {
                16.5
            } else {
                0.0
            };
            assert!(
                word.2 <= w - 26.0 * MM + tolerance + hang,
                "page {}: right {word:?}",
                n + 1
            );
            assert!(
                word.1 >= 37.0 * MM - tolerance,
                "page {}: top {word:?}",
                n + 1
            );
            assert!(
                word.3 <= h - 35.0 * MM + tolerance,
                "page {}: bottom {word:?}",
                n + 1
            );
        }
        // `— n —`, outside: right on odd pages, left on even pages.
        let label: String = numbers.iter().map(|w| w.4.as_str()).collect();
        assert_eq!(label, format!("—{}—", n + 1), "page {}", n + 1);
        if n % 2 == 0 {
            assert!(numbers[0].0 > w / 2.0, "odd page number on the right");
        } else {
            assert!(numbers[0].2 < w / 2.0, "even page number on the left");
        }
    }
}

fn fonts() -> Option<jixiao_pdf::Fonts> {
    match jixiao_pdf::Fonts::from_system() {
        Ok(f) => Some(f),
        Err(e) => {
            // The test script installs the fonts, so CI always renders.
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have the CJK fonts: {e}"
            );
            None
        }
    }
}

#[test]
fn the_report_of_seed_003_renders_to_pdf_natively_per_gb_t_9704() {
    let Some(fonts) = fonts() else { return };
    if tool("pdftoppm").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have poppler-utils"
        );
        return;
    }
    let draft = compose(
        &ReportData::from_forms(&expected("003")).unwrap(),
        &ScoringPolicy::default(),
    );
    let pdf = jixiao_pdf::render(&write::report_document(&draft), &fonts).unwrap();
    assert!(pdf.missing.is_empty(), "{:?}", pdf.missing);
    let dir = artifacts("report-native");
    let file = dir.join("report.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let png = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&file)
        .arg(dir.join("report"))
        .status()
        .unwrap();
    assert!(png.success());
    assert_official_layout(&file);
    let ((_, _), pages) = layout(&file);
    assert_eq!(pages.len(), pdf.pages);
    let text: String = pages.iter().flatten().map(|w| w.4.as_str()).collect();
    for needle in [
        "一、基本情况",
        "部门整体支出绩效自评得分99.97分，等级为“优”",
        "全市工伤保险参保人数",
        "附件1-1",
        "附件1-2",
        "部门整体支出绩效自评表",
        "56.88万人",
    ] {
        assert!(text.contains(needle), "{needle} not in the PDF text");
    }
}
