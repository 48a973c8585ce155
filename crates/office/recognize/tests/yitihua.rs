//! The 一体化 exchange on real forms: every fixture and corpus document imported, its forms
//! written as the 规范表 zip (`jixiao-yitihua`), the zip imported again through the same
//! importer as any upload, and the forms compared with `==`, one test per exchangeable kind.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jixiao_core::form::Form;
use jixiao_recognize::{Limits, import};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../testdata")
}

/// The documents: testdata/fixtures (Word, Excel, web pages), testdata/corpus (each
/// published form's rebuilt Word file and extracted text), and testdata/forms (form JSON).
fn files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut add = |dir: &Path| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| {
                    ["docx", "xlsx", "html", "txt", "json"].contains(&e.to_string_lossy().as_ref())
                })
            })
            .collect();
        found.sort();
        files.extend(found);
    };
    add(&root().join("fixtures"));
    add(&root().join("forms"));
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(root().join("corpus"))
        .expect("testdata/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    corpus.sort();
    for dir in corpus {
        add(&dir);
    }
    files
}

/// Every form the importer finds in the documents, with the file it came from.
fn forms() -> &'static [(String, Form)] {
    static FORMS: OnceLock<Vec<(String, Form)>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let limits = Limits {
            convert_legacy: false,
            ocr: false,
            ..Limits::default()
        };
        let mut out = Vec::new();
        for path in files() {
            let bytes = std::fs::read(&path).expect("fixture");
            let name = path.display().to_string();
            if let Ok(import) = import(&name, &bytes, &limits) {
                out.extend(import.forms.into_iter().map(|r| (name.clone(), r.form)));
            }
        }
        out
    })
}

/// Writes `forms` as a 一体化 zip and imports it as an upload would.
fn round_trip(forms: &[Form]) -> Vec<Form> {
    let exported =
        jixiao_yitihua::write(forms, &jixiao_yitihua::Options::default()).expect("exported");
    assert_eq!(exported.written, forms.len());
    assert!(exported.refused.is_empty());
    let back = import("一体化.zip", &exported.bytes, &Limits::default()).expect("imported");
    assert_eq!(back.format, jixiao_grid::Format::Yitihua);
    back.forms.into_iter().map(|r| r.form).collect()
}

/// All forms of one kind round-trip exactly, all in one zip and each form on its own.
fn kind_round_trips(kind: &str, pick: fn(&Form) -> bool, at_least: usize) {
    let picked: Vec<&(String, Form)> = forms().iter().filter(|(_, f)| pick(f)).collect();
    eprintln!("{kind}: {} forms", picked.len());
    assert!(
        picked.len() >= at_least,
        "{kind}: only {} forms in the fixtures",
        picked.len()
    );
    for (file, form) in &picked {
        let back = round_trip(std::slice::from_ref(form));
        assert!(
            back.len() == 1 && &back[0] == form,
            "{kind} from {file} differs after the round trip:\n{:#?}\nvs\n{:#?}",
            form,
            back
        );
    }
    let all: Vec<Form> = picked.iter().map(|(_, f)| f.clone()).collect();
    assert!(round_trip(&all) == all, "{kind}: the forms together differ");
}

#[test]
fn project_targets_round_trip() {
    kind_round_trips("project_target", |f| matches!(f, Form::ProjectTarget(_)), 3);
}

#[test]
fn department_targets_round_trip() {
    kind_round_trips(
        "department_target",
        |f| matches!(f, Form::DepartmentTarget(_)),
        2,
    );
}

#[test]
fn monitoring_forms_round_trip() {
    kind_round_trips("monitoring", |f| matches!(f, Form::Monitoring(_)), 1);
}

#[test]
fn project_self_evaluations_round_trip() {
    kind_round_trips(
        "project_self_evaluation",
        |f| matches!(f, Form::ProjectSelfEvaluation(_)),
        3,
    );
}

#[test]
fn department_self_evaluations_round_trip() {
    kind_round_trips(
        "department_self_evaluation",
        |f| matches!(f, Form::DepartmentSelfEvaluation(_)),
        2,
    );
}

#[test]
fn mixed_forms_keep_their_order_and_the_others_are_listed_as_refused() {
    let all: Vec<Form> = forms().iter().map(|(_, f)| f.clone()).collect();
    let exchangeable: Vec<Form> = all
        .iter()
        .filter(|f| jixiao_yitihua::exchangeable(f))
        .cloned()
        .collect();
    assert!(
        exchangeable.len() < all.len(),
        "the fixtures have other kinds too"
    );
    let exported =
        jixiao_yitihua::write(&all, &jixiao_yitihua::Options::default()).expect("exported");
    assert_eq!(exported.written, exchangeable.len());
    assert_eq!(exported.refused.len(), all.len() - exchangeable.len());
    let message = exported.refused[0].message();
    assert!(
        message.contains("没有对应的一体化规范表") && message.contains("项目支出绩效自评表"),
        "{message}"
    );
    let back = import("all.zip", &exported.bytes, &Limits::default()).expect("imported");
    let back: Vec<Form> = back.forms.into_iter().map(|r| r.form).collect();
    assert!(back == exchangeable, "the forms differ or changed order");
}

#[test]
fn only_other_kinds_is_refused_with_the_forms_named() {
    let others: Vec<Form> = forms()
        .iter()
        .filter(|(_, f)| !jixiao_yitihua::exchangeable(f))
        .map(|(_, f)| f.clone())
        .take(2)
        .collect();
    assert!(!others.is_empty());
    let e = jixiao_yitihua::write(&others, &jixiao_yitihua::Options::default())
        .expect_err("nothing to exchange");
    let text = e.to_string();
    assert!(
        text.starts_with("没有可按一体化规范表导出的表单：第1张“") && text.contains("可交换："),
        "{text}"
    );
}

#[test]
fn office_files_and_zips_of_documents_are_not_taken_for_an_exchange() {
    let docx = std::fs::read(root().join("fixtures/seed000.docx")).expect("fixture");
    assert!(!jixiao_yitihua::is_exchange(&docx));
    let import = import("seed000.docx", &docx, &Limits::default()).expect("imported");
    assert_eq!(import.format, jixiao_grid::Format::Docx);
}

#[test]
fn a_zip_without_tables_says_so() {
    let e = import(
        "各单位.zip",
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        &Limits::default(),
    )
    .expect_err("no tables");
    assert!(e.to_string().contains("压缩包中没有一体化规范表"), "{e}");
    let e = import("坏.zip", b"not a zip", &Limits::default()).expect_err("not a zip");
    assert!(e.to_string().starts_with("坏.zip："), "{e}");
}
