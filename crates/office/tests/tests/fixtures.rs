//! Every seed document in every format imports to the same typed forms, pinned by a
//! hand-checked expected JSON per document (testdata/expected/seedNNN.json: the forms
//! transcribed by hand in testdata/forms, and the reviewed project list, evaluation table,
//! base data and reports).

use std::path::{Path, PathBuf};

use jixiao_core::form::{Form, SelfEvaluation};
use jixiao_core::scoring::{ScoringPolicy, score};
use jixiao_recognize::{Import, Limits, import};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../testdata")
}

fn expected(seed: &str) -> Vec<Form> {
    let text = std::fs::read_to_string(root().join(format!("expected/seed{seed}.json"))).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    values
        .into_iter()
        .map(|v| Form::from_json(&v.to_string()).unwrap())
        .collect()
}

fn open(path: &Path) -> Import {
    let bytes = std::fs::read(path).unwrap();
    import(&path.display().to_string(), &bytes, &Limits::default()).unwrap()
}

fn fixture(seed: &str, ext: &str) -> Import {
    open(&root().join(format!("fixtures/seed{seed}.{ext}")))
}

fn text_seed(seed: &str) -> Import {
    let dir = root().join("seeds");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(seed))
        .unwrap();
    open(&file)
}

fn forms(i: &Import) -> Vec<Form> {
    i.forms.iter().map(|f| f.form.clone()).collect()
}

const SEEDS: [&str; 4] = ["000", "001", "003", "004"];

#[test]
fn word_and_web_page_import_to_the_expected_forms_with_nothing_left_over() {
    for seed in SEEDS {
        let expected = expected(seed);
        for ext in ["docx", "html"] {
            let i = fixture(seed, ext);
            assert_eq!(forms(&i), expected, "seed{seed}.{ext}");
            assert!(
                i.unrecognized.is_empty(),
                "seed{seed}.{ext}: {:#?}",
                i.unrecognized
            );
            assert!(i.warnings.is_empty(), "seed{seed}.{ext}: {:#?}", i.warnings);
        }
    }
}

#[test]
fn workbooks_import_to_the_same_forms() {
    // The workbooks carry the forms only (no project list, no report).
    for (seed, which) in [("001", [1, 2]), ("003", [1, 2]), ("004", [0, 1])] {
        let expected = expected(seed);
        let i = fixture(seed, "xlsx");
        let want: Vec<Form> = which.iter().map(|&k| expected[k].clone()).collect();
        assert_eq!(forms(&i), want, "seed{seed}.xlsx");
        assert!(
            i.unrecognized.is_empty(),
            "seed{seed}.xlsx: {:#?}",
            i.unrecognized
        );
    }
}

#[test]
fn text_extracts_import_to_the_same_forms_where_the_text_keeps_the_structure() {
    // 001: Word's "save as text" keeps everything.
    assert_eq!(forms(&text_seed("001")), expected("001"));

    // 000: an indicator value cell that spans the 三级 column cannot be told from a name.
    let mut want = expected("000");
    let got = forms(&text_seed("000"));
    if let Form::DepartmentTarget(d) = &mut want[1] {
        let last = d.indicators.last_mut().unwrap();
        std::mem::swap(&mut last.name, &mut last.target);
    }
    assert_eq!(got, want);

    // 003 comes from a PDF: merged 一级/二级 labels were lost in extraction, and the project
    // header row lost its layout. Every figure, name, target, actual, weight and score and
    // the whole report must still be the same.
    let got = forms(&text_seed("003"));
    let want = expected("003");
    assert_eq!(got[0], want[0], "the report");
    for k in [1, 2] {
        let (g, w) = (self_eval(&got[k]), self_eval(&want[k]));
        assert_eq!(g.funds, w.funds);
        assert_eq!(g.overall_target, w.overall_target);
        assert_eq!(
            (g.stated_total, g.stated_grade),
            (w.stated_total, w.stated_grade)
        );
        assert_eq!(g.indicators.len(), w.indicators.len());
        for (a, b) in g.indicators.iter().zip(&w.indicators) {
            let content = |r: &jixiao_core::form::IndicatorRow| {
                (
                    r.name.clone(),
                    r.target.trim().to_string(),
                    r.actual.trim().to_string(),
                    r.weight,
                    r.score,
                )
            };
            assert_eq!(content(a), content(b));
        }
    }

    // 004: the evaluation table and base data are whole, except a score cell the extract
    // shifted; the report has no heading markup, so one level-4 heading stays a paragraph.
    let got = forms(&text_seed("004"));
    let want = expected("004");
    assert_eq!(got[1], want[1], "base data");
    let (Form::EvaluationTable(g), Form::EvaluationTable(w)) = (&got[0], &want[0]) else {
        panic!("not evaluation tables")
    };
    let differing: Vec<&str> = g
        .indicators
        .iter()
        .zip(&w.indicators)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.name.as_str())
        .collect();
    assert_eq!(differing, ["社会效益"]);
}

fn self_eval(f: &Form) -> &SelfEvaluation {
    f.self_evaluation().expect("a self-evaluation")
}

#[test]
fn every_value_points_at_its_cell() {
    let i = fixture("001", "xlsx");
    let p = &i.forms[0].provenance;
    let score = &p["indicators[0].score"];
    assert_eq!(score.sheet.as_deref(), Some("日常运转经费"));
    assert_eq!((score.row, score.col), (Some(13), Some(8)), "cell H13");
    assert_eq!(
        score.to_string(),
        "testdata/fixtures/seed001.xlsx 工作表“日常运转经费” 第13行第8列"
            .replace("testdata", &root().display().to_string())
    );
    let rate = &p["funds.stated_rate"];
    assert_eq!((rate.row, rate.col), (Some(6), Some(8)), "cell H6");

    let i = fixture("003", "docx");
    let cost = &i.forms[1].provenance["indicators[5].actual"];
    assert_eq!(
        (cost.table, cost.row, cost.col),
        (Some(1), Some(15), Some(6))
    );
    let figure = &i.forms[0].provenance["sections[2].paragraphs[1]"];
    assert!(figure.paragraph.is_some());
}

#[test]
fn an_imported_form_scores_like_its_transcription() {
    let policy = ScoringPolicy::default();
    for (seed, k) in [("001", 1), ("001", 2), ("003", 1), ("003", 2)] {
        let imported = fixture(seed, "xlsx");
        let want = expected(seed);
        let from_file = score(self_eval(&imported.forms[k - 1].form), &policy);
        let by_hand = score(self_eval(&want[k]), &policy);
        assert_eq!(from_file, by_hand, "seed{seed} form {k}");
    }
    // seed 003's cost row: 7.97, not the printed 8, whichever way it arrived.
    let s = score(self_eval(&fixture("003", "html").forms[1].form), &policy);
    assert_eq!(s.indicators[5].score.unwrap().to_string(), "7.97");
}

#[test]
fn legacy_documents_go_through_libreoffice() {
    // testdata/legacy holds seed000 as .doc, written by LibreOffice.
    let have_soffice = ["soffice", "libreoffice"].iter().any(|n| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(n).is_file()))
    });
    let bytes = std::fs::read(root().join("legacy/seed000.doc")).unwrap();
    match import("seed000.doc", &bytes, &Limits::default()) {
        Ok(i) => {
            assert!(have_soffice);
            let expected = expected("000");
            assert_eq!(forms(&i), vec![expected[0].clone(), expected[1].clone()]);
            assert!(
                i.warnings.iter().any(|w| w.contains("LibreOffice")),
                "{:?}",
                i.warnings
            );
        }
        Err(e) => {
            assert!(!have_soffice, "{e}");
            assert_eq!(e.kind, jixiao_recognize::ErrorKind::NeedsLibreOffice);
        }
    }
}

#[test]
fn xls_and_ods_workbooks_are_read_without_libreoffice() {
    // seed001 saved by LibreOffice as Excel 97-2003 (.xls) and OpenDocument (.ods): calamine
    // reads both; LibreOffice is switched off, so nothing here can go through it.
    let limits = Limits {
        convert_legacy: false,
        ..Limits::default()
    };
    let expected = expected("001");
    for file in ["seed001.xls", "seed001.ods"] {
        let bytes = std::fs::read(root().join("legacy").join(file)).unwrap();
        let i = import(file, &bytes, &limits).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            forms(&i),
            vec![expected[1].clone(), expected[2].clone()],
            "{file}"
        );
        assert!(i.warnings.is_empty(), "{file}: {:?}", i.warnings);
    }
}

#[test]
fn columns_are_found_by_meaning_split_headers_and_header_units() {
    // A central-style form: amounts in 元 declared in the header, a two-row indicator header
    // splitting 年度指标值 into 指标性质 | 指标值 | 度量单位, columns in a different order.
    let html = "<p>项目支出绩效自评表（2023年度）</p><table>\
        <tr><td>项目名称</td><td colspan=8>测试项目</td></tr>\
        <tr><td rowspan=2>项目资金（元）</td><td></td><td>全年预算数</td><td>年初预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>\
        <tr><td>年度资金总额</td><td>200000</td><td>100000</td><td>94000</td><td>10</td><td>47%</td><td>4.7</td></tr>\
        <tr><td rowspan=2>一级指标</td><td rowspan=2>二级指标</td><td rowspan=2>三级指标</td><td colspan=3>年度指标值</td><td rowspan=2>分值</td><td rowspan=2>实际完成值</td><td rowspan=2>得分</td></tr>\
        <tr><td>指标性质</td><td>指标值</td><td>度量单位</td></tr>\
        <tr><td>产出指标</td><td>数量指标</td><td>培训人次</td><td>≥</td><td>500</td><td>人次</td><td>50</td><td>600人次</td><td>50</td></tr>\
        <tr><td>总分</td><td colspan=5></td><td>60</td><td></td><td>54.7</td></tr></table>";
    let i = import("central.html", html.as_bytes(), &Limits::default()).unwrap();
    let f = self_eval(&i.forms[0].form);
    let total = f.funds.total().unwrap();
    let wan = |s: &str| {
        jixiao_core::money::Amount::parse(s, Some(jixiao_core::money::MoneyUnit::Wan)).unwrap()
    };
    let full = total.full_year_budget.unwrap();
    assert_eq!(
        full.unit(),
        jixiao_core::money::MoneyUnit::Yuan,
        "元 from the header"
    );
    assert_eq!(full, wan("20"));
    assert_eq!(total.initial_budget.unwrap(), wan("10"));
    assert_eq!(total.executed.unwrap(), wan("9.4"));
    let row = &f.indicators[0];
    assert_eq!(row.target, "≥500人次");
    assert_eq!(row.actual, "600人次");
    assert_eq!((row.weight, row.score), (Some(50.into()), Some(50.into())));
    assert_eq!(f.stated_total.unwrap().to_string(), "54.7");
    assert_eq!(f.year, Some(2023));
    assert!(i.unrecognized.is_empty(), "{:?}", i.unrecognized);
}

#[test]
fn exported_forms_import_back_identical() {
    let mut forms = Vec::new();
    // Every form type of every seed but the narrative reports (those go through
    // `jixiao report`, tested in tests/output.rs).
    for seed in ["000", "001", "003", "004"] {
        forms.extend(
            expected(seed)
                .into_iter()
                .filter(|f| !matches!(f, Form::Report(_))),
        );
    }
    assert_eq!(forms.len(), 9);
    let xlsx = jixiao_write::forms_xlsx(&forms).unwrap().unwrap();
    let docx = jixiao_write::forms_docx(&forms).unwrap().unwrap();
    let html = jixiao_write::forms_html(&jixiao_write::form_sheets(&forms));
    for (name, bytes) in [
        ("exported.xlsx", xlsx),
        ("exported.docx", docx),
        ("exported.html", html.into_bytes()),
    ] {
        let back = import(name, &bytes, &Limits::default()).unwrap();
        assert!(
            back.unrecognized.is_empty(),
            "{name}: {:#?}",
            back.unrecognized
        );
        assert!(back.warnings.is_empty(), "{name}: {:#?}", back.warnings);
        let got: Vec<Form> = back.forms.into_iter().map(|f| f.form).collect();
        assert_eq!(got.len(), forms.len(), "{name}");
        for (k, (got, want)) in got.iter().zip(&forms).enumerate() {
            assert_eq!(got, want, "{name}: form {k}");
        }
    }
}

/// A form with every value wiped but its group labels: what a finance bureau hands out.
fn blank(form: &Form) -> Form {
    let mut form = form.clone();
    match &mut form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            f.name.clear();
            f.overall_target.expected.clear();
            f.overall_target.actual.clear();
            f.funds.weight = None;
            f.funds.stated_rate = None;
            f.funds.stated_score = None;
            for r in &mut f.funds.rows {
                (r.initial_budget, r.full_year_budget, r.executed) = (None, None, None);
            }
            for r in &mut f.indicators {
                r.name.clear();
                r.target.clear();
                r.actual.clear();
                (r.weight, r.score, r.deviation_reason) = (None, None, None);
            }
            (f.stated_total, f.stated_total_weight, f.stated_grade) = (None, None, None);
        }
        Form::BaseData(b) => b.items.clear(),
        _ => {}
    }
    form
}

#[test]
fn blank_forms_stay_blank_forms_with_every_row() {
    let forms: Vec<Form> = expected("001")
        .iter()
        .chain(&expected("004"))
        .filter(|f| {
            matches!(
                f,
                Form::ProjectSelfEvaluation(_)
                    | Form::DepartmentSelfEvaluation(_)
                    | Form::BaseData(_)
            )
        })
        .map(blank)
        .collect();
    assert!(forms.len() >= 3);
    let xlsx = jixiao_write::forms_xlsx(&forms).unwrap().unwrap();
    let docx = jixiao_write::forms_docx(&forms).unwrap().unwrap();
    let html = jixiao_write::forms_html(&jixiao_write::form_sheets(&forms));
    for (name, bytes) in [
        ("blank.xlsx", xlsx),
        ("blank.docx", docx),
        ("blank.html", html.into_bytes()),
    ] {
        let back = import(name, &bytes, &Limits::default()).unwrap();
        assert!(back.warnings.is_empty(), "{name}: {:#?}", back.warnings);
        let got: Vec<Form> = back.forms.into_iter().map(|f| f.form).collect();
        assert_eq!(got.len(), forms.len(), "{name}");
        for (k, (got, want)) in got.iter().zip(&forms).enumerate() {
            assert_eq!(got, want, "{name}: form {k}");
        }
    }
    // The base-data table keeps every block and row with no value in it.
    let Form::BaseData(b) = forms.last().unwrap() else {
        panic!()
    };
    let rows: Vec<&String> = b.sections.iter().flat_map(|s| &s.labels).collect();
    assert_eq!(rows.len(), 19, "{rows:?}");
    for label in ["2、出国经费", "其中：公车购置", "1、业务工作专项"] {
        assert!(rows.iter().any(|r| *r == label), "{label} kept");
    }
    assert!(b.sections.iter().any(|s| s.name.starts_with("楼堂馆所")));
}

#[test]
fn control_characters_never_make_a_written_file_unreadable() {
    let mut forms: Vec<Form> = expected("001")
        .into_iter()
        .filter(|f| matches!(f, Form::ProjectSelfEvaluation(_)))
        .take(1)
        .collect();
    let Form::ProjectSelfEvaluation(f) = &mut forms[0] else {
        panic!()
    };
    f.name = "日常\u{1}运转\u{B}经费\u{FFFF}".into();
    f.indicators[0].actual.push('\u{8}');
    let xlsx = jixiao_write::forms_xlsx(&forms).unwrap().unwrap();
    let docx = jixiao_write::forms_docx(&forms).unwrap().unwrap();
    let html = jixiao_write::forms_html(&jixiao_write::form_sheets(&forms));
    for (name, bytes) in [
        ("c.xlsx", xlsx),
        ("c.docx", docx),
        ("c.html", html.into_bytes()),
    ] {
        let back = import(name, &bytes, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let Form::ProjectSelfEvaluation(b) = &back.forms[0].form else {
            panic!()
        };
        assert_eq!(
            b.name, "日常运转经费",
            "{name}: the forbidden characters are left out"
        );
    }
}
