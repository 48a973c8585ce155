//! The corpus of published forms (testdata/corpus/, issue 11): every document's extracted text
//! is imported and compared with its hand-checked expected.toml. The per-family and per-format
//! table in docs/import.md is recomputed here; the test fails when the document is stale
//! (`JIXIAO_BLESS=1 cargo test -p jixiao-office-tests --test corpus` rewrites it).
//!
//! A form counts as recognized when a form of the document's kind is found; its key figures
//! are correct when every key figure expected.toml states and the form type carries (project
//! name, 年初/全年预算数, 全年执行数, 执行率, execution weight and score, stated total and grade,
//! indicator count, 资金总额 of a declaration) equals the one read.

mod corpus_set;

use std::collections::BTreeMap;
use std::path::Path;

use jixiao_recognize::{Limits, import};
use rust_decimal::Decimal;
use serde_json::Value;

/// What one document gave.
#[derive(Debug)]
struct Outcome {
    dir: String,
    format: String,
    families: Vec<String>,
    recognized: bool,
    /// Key figures compared and how many were equal.
    checked: usize,
    equal: usize,
    /// Differences, for the failure message.
    wrong: Vec<String>,
}

impl Outcome {
    fn correct(&self) -> bool {
        self.recognized && self.equal == self.checked
    }
}

/// The number in a printed value (`251.89万元` → 251.89, `100.00%` → 100.00).
fn number(text: &str) -> Option<Decimal> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit() && *c != '-')
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    digits.parse().ok()
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The read value for an expected key, or `None` when the form type does not carry it.
fn read_value(kind: &str, form: &Value, key: &str) -> Option<Option<String>> {
    // The 年度资金总额 row; when it is all zeros and the 财政拨款 row is not (004), the
    // figures are that row's, as expected.toml says it read them.
    let total_row = || {
        let rows = form["funds"]["rows"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let zero = |r: &Value| {
            ["initial_budget", "full_year_budget", "executed"]
                .iter()
                .all(|k| text_of(r.get(*k)).is_none_or(|t| number(&t).is_none_or(|n| n.is_zero())))
        };
        let total = rows.iter().find(|r| r["source"] == "total").cloned();
        match total {
            Some(t) if zero(&t) => rows
                .iter()
                .find(|r| r["source"] == "current_fiscal" && !zero(r))
                .cloned()
                .unwrap_or(t),
            Some(t) => t,
            None => Value::Null,
        }
    };
    if kind == "transfer_payment_self_evaluation" {
        return transfer_value(form, key);
    }
    if kind == "monitoring" {
        let total = form["funds"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["source"] == "total"))
            .cloned()
            .unwrap_or(Value::Null);
        return Some(match key {
            "project" => text_of(form.get("project_name")),
            "budget_initial" => text_of(total.get("initial_budget")),
            "executed_to_date" => text_of(total.get("executed")),
            "indicator_count" => Some(named_indicators(form).to_string()),
            _ => return None,
        });
    }
    let self_eval = matches!(
        kind,
        "project_self_evaluation" | "department_self_evaluation"
    );
    Some(match (key, self_eval) {
        ("project", true) => text_of(form.get("name")),
        ("project", false) if kind == "project_target" => text_of(form.get("project_name")),
        ("budget_initial", true) => text_of(total_row().get("initial_budget")),
        ("budget_full_year", true) => text_of(total_row().get("full_year_budget")),
        ("executed", true) => text_of(total_row().get("executed")),
        ("execution_rate", true) => text_of(form["funds"].get("stated_rate")),
        ("execution_weight", true) => text_of(form["funds"].get("weight")),
        ("execution_score", true) => text_of(form["funds"].get("stated_score")),
        ("stated_total", true) => text_of(form.get("stated_total")),
        ("stated_grade", true) => text_of(form.get("stated_grade")),
        ("indicator_count", _) if self_eval || kind == "project_target" => {
            Some(named_indicators(form).to_string())
        }
        ("funds_total", false) if kind == "project_target" => text_of(form.get("funds_total")),
        _ => return None,
    })
}

/// Indicators with a name: a blank slot a form keeps for its layout is not an indicator.
fn named_indicators(form: &Value) -> usize {
    form["indicators"].as_array().map_or(0, |rows| {
        rows.iter()
            .filter(|r| r["name"].as_str().is_some_and(|n| !n.trim().is_empty()))
            .count()
    })
}

/// The read value of a transfer-payment form for an expected key.
fn transfer_value(form: &Value, key: &str) -> Option<Option<String>> {
    let rows = form["funds"].as_array().cloned().unwrap_or_default();
    let row = |pred: &dyn Fn(&Value) -> bool| {
        rows.iter()
            .find(|r| pred(r))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let level = |l: &'static str| move |r: &Value| r["level"] == l && r.get("part").is_none();
    let labelled = |words: &'static [&'static str]| {
        move |r: &Value| {
            r["level"] == "local"
                && r.get("label")
                    .and_then(Value::as_str)
                    .is_some_and(|s| words.iter().any(|w| s.contains(w)))
                && r.get("part").is_none()
        }
    };
    Some(match key {
        "project" => text_of(form.get("name")),
        "budget_full_year" => text_of(row(&level("total")).get("budget")),
        "executed" => text_of(row(&level("total")).get("executed")),
        "execution_rate" => text_of(row(&level("total")).get("stated_rate")),
        "funds_received" => text_of(row(&level("total")).get("received")),
        "central_funds" => text_of(row(&level("central")).get("budget")),
        "central_executed" => text_of(row(&level("central")).get("executed")),
        "municipal_funds" => text_of(row(&labelled(&["市级"])).get("budget")),
        "local_funds" => text_of(row(&labelled(&["地方", "本级", "市县"])).get("budget")),
        "local_executed" => text_of(row(&labelled(&["地方", "本级", "市县"])).get("executed")),
        "stated_total" => text_of(form.get("stated_total")),
        "indicator_count" => Some(named_indicators(form).to_string()),
        _ => return None,
    })
}

fn equal(key: &str, expected: &str, read: &str) -> bool {
    match key {
        "project" | "stated_grade" => {
            let k = |s: &str| s.split_whitespace().collect::<String>();
            k(read).contains(&k(expected)) || k(expected).contains(&k(read)) && !read.is_empty()
        }
        _ => number(expected).is_some() && number(expected) == number(read),
    }
}

/// Which file of a corpus document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Its extracted text (source.txt).
    Text,
    /// The Word file rebuilt from the hand transcription (rebuilt.docx).
    Rebuilt,
    /// Its scan (testdata/scans/NAME.pdf: the rebuilt file printed, rasterised at 150 dpi,
    /// turned up to 1°, blurred, saved as images), read by character recognition.
    Scan,
}

/// The outcome of the document in `dir` read from `source` (`None` when it has no such file).
fn outcome(dir: &Path, source: Source) -> Option<Outcome> {
    let meta: toml::Table = std::fs::read_to_string(dir.join("meta.toml"))
        .expect("meta.toml")
        .parse()
        .expect("meta.toml parses");
    let expected: toml::Table = std::fs::read_to_string(dir.join("expected.toml"))
        .expect("expected.toml")
        .parse()
        .expect("expected.toml parses");
    let kind = meta["kind"].as_str().unwrap_or_default().to_string();
    let families = meta["family"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let (path, file) = match source {
        Source::Text => (dir.join("source.txt"), "source.txt".to_string()),
        Source::Rebuilt => (dir.join("rebuilt.docx"), "rebuilt.docx".to_string()),
        Source::Scan => (scans().join(format!("{name}.pdf")), format!("{name}.pdf")),
    };
    let bytes = std::fs::read(path).ok()?;
    let import = import(&format!("{name}/{file}"), &bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let forms: Vec<Value> = import
        .forms
        .iter()
        .map(|f| serde_json::to_value(&f.form).expect("form serializes"))
        .filter(|v| v["form"] == kind.as_str())
        .collect();
    let mut out = Outcome {
        dir: name.clone(),
        format: match source {
            Source::Text => meta["format"].as_str().unwrap_or_default().to_string(),
            Source::Rebuilt => "rebuilt .docx".to_string(),
            Source::Scan => "scan .pdf".to_string(),
        },
        families,
        recognized: !forms.is_empty(),
        checked: 0,
        equal: 0,
        wrong: Vec::new(),
    };
    // The form compared: the one with most equal key figures.
    let mut best: Option<(usize, usize, Vec<String>)> = None;
    for form in &forms {
        let (mut checked, mut equal_n, mut wrong) = (0, 0, Vec::new());
        for (key, value) in &expected {
            let expected_text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                _ => continue,
            };
            let Some(read) = read_value(&kind, form, key) else {
                continue;
            };
            checked += 1;
            let read = read.unwrap_or_default();
            if equal(key, &expected_text, &read) {
                equal_n += 1;
            } else {
                wrong.push(format!("{key}: expected {expected_text:?}, read {read:?}"));
            }
        }
        if best.as_ref().is_none_or(|b| equal_n > b.1) {
            best = Some((checked, equal_n, wrong));
        }
    }
    if let Some((checked, equal_n, wrong)) = best {
        out.checked = checked;
        out.equal = equal_n;
        out.wrong = wrong;
    }
    Some(out)
}

/// Every document's extracted text.
fn outcomes() -> Vec<Outcome> {
    corpus_set::documents()
        .iter()
        .filter_map(|d| outcome(d, Source::Text))
        .collect()
}

/// Every document's rebuilt Word file, where one was transcribed.
fn rebuilt_outcomes() -> Vec<Outcome> {
    corpus_set::documents()
        .iter()
        .filter_map(|d| outcome(d, Source::Rebuilt))
        .collect()
}

/// testdata/scans/.
fn scans() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/scans")
}

/// Every document that has a scan, read by character recognition.
fn scan_outcomes() -> Vec<Outcome> {
    corpus_set::documents()
        .iter()
        .filter_map(|d| outcome(d, Source::Scan))
        .collect()
}

/// The markdown table: one row per format and per family tag.
fn table(outcomes: &[Outcome]) -> String {
    if outcomes.is_empty() {
        return String::from("(none yet)\n");
    }
    let mut groups: BTreeMap<(u8, String), Vec<&Outcome>> = BTreeMap::new();
    for o in outcomes {
        groups.entry((0, "all".to_string())).or_default().push(o);
        groups
            .entry((1, format!("format `{}`", o.format)))
            .or_default()
            .push(o);
        if o.families.is_empty() {
            groups
                .entry((2, "family (none)".to_string()))
                .or_default()
                .push(o);
        }
        for f in &o.families {
            groups
                .entry((2, format!("family `{f}`")))
                .or_default()
                .push(o);
        }
    }
    let mut s = String::from(
        "| group | documents | forms recognized | key figures correct | key figures equal |\n|---|---|---|---|---|\n",
    );
    for ((_, name), list) in &groups {
        let n = list.len();
        let recognized = list.iter().filter(|o| o.recognized).count();
        let correct = list.iter().filter(|o| o.correct()).count();
        let checked: usize = list.iter().map(|o| o.checked).sum();
        let equal: usize = list.iter().map(|o| o.equal).sum();
        s.push_str(&format!(
            "| {name} | {n} | {recognized} ({}%) | {correct} ({}%) | {equal} of {checked} |\n",
            recognized * 100 / n,
            correct * 100 / n
        ));
    }
    s
}

const BEGIN: &str = "<!-- corpus table: begin (crates/office/tests/tests/corpus.rs) -->\n";
const END: &str = "<!-- corpus table: end -->";
const SCAN_BEGIN: &str = "<!-- scan table: begin (crates/office/tests/tests/corpus.rs) -->\n";
const SCAN_END: &str = "<!-- scan table: end -->";

#[test]
fn corpus_table_in_docs_is_current() {
    let outcomes = outcomes();
    assert!(
        outcomes.len() >= 40,
        "corpus has {} documents",
        outcomes.len()
    );
    for o in &outcomes {
        if o.recognized && !o.wrong.is_empty() {
            eprintln!("{}: {}", o.dir, o.wrong.join("; "));
        }
    }
    let rebuilt = rebuilt_outcomes();
    for o in &rebuilt {
        if !o.correct() {
            eprintln!(
                "rebuilt {}: recognized={} {:?}",
                o.dir, o.recognized, o.wrong
            );
        }
    }
    let table = format!(
        "Extracted texts (source.txt), {} documents:\n\n{}\nRebuilt Word files (rebuilt.docx, from the hand transcription table.tsv), {} of {} documents transcribed so far:\n\n{}",
        outcomes.len(),
        table(&outcomes),
        rebuilt.len(),
        outcomes.len(),
        table(&rebuilt)
    );
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../docs/import.md");
    let doc = std::fs::read_to_string(&doc_path).expect("docs/import.md");
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("docs/import.md has the corpus table markers");
    let (_, tail) = rest.split_once(END).expect("corpus table end marker");
    let fresh = format!("{head}{BEGIN}{table}{END}{tail}");
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&doc_path, &fresh).expect("write docs/import.md");
    } else {
        assert!(
            fresh == doc,
            "docs/import.md's corpus table is stale; the table is now:\n{table}\n\
             (JIXIAO_BLESS=1 cargo test -p jixiao-office-tests --test corpus rewrites it)"
        );
    }
}

/// Documents that are recognized today keep their key figures: a floor, raised as the
/// recognizers learn.
#[test]
fn recognized_documents_keep_their_key_figures() {
    let outcomes = outcomes();
    let by_dir: BTreeMap<&str, &Outcome> = outcomes.iter().map(|o| (&o.dir[..3], o)).collect();
    // 003, 047: split 指标值 columns and 调整后预算数 (one cell per line; '|' rows);
    // 007: blank lines between cells, header words cut by line breaks; 016, 026: 预算数(A) /
    // 执行数(B) with the execution weight in the block label (20分); 017: traditional
    // characters with pinyin glosses.
    for dir in ["003", "007", "016", "017", "026", "047"] {
        let o = by_dir[dir];
        assert!(o.correct(), "{dir}: {:?}", o.wrong);
        assert!(
            o.checked >= 6,
            "{dir}: only {} key figures compared",
            o.checked
        );
    }
    // 028: a declaration's funds by numbered source (（一）财政拨款小计 6.30, one per line under
    // 金额(万元)) and a 一级 label whose 指标 went to the next line (项目完成 / 指标).
    // 025: the Chongqing scoring sheet run together with OCR slips (相)预资5, 全年(If整),
    // `执行率权重执行率得分(分)O76%107.6`: 76% | 10 | 7.6 by weight × rate = score).
    // 034: the transfer's name row carrying 自治区主管部门 / 市县财政部门 itself, 项目总得分 and
    // its value on lines of their own above it, the total row's figures kept once in its sole
    // source's row. 024: an evaluation-indicator table with no name row, one run-together row
    // a line, weights read by their sum (总分). 040: a cost build-up (项目预算成本构成 | 金额 …)
    // run together, its 合计 checked against the items' sum.
    for (dir, figures) in [("028", 3), ("025", 4), ("034", 5), ("024", 2), ("040", 2)] {
        let o = by_dir[dir];
        assert!(o.correct(), "{dir}: {:?}", o.wrong);
        assert!(
            o.checked >= figures,
            "{dir}: only {} key figures compared",
            o.checked
        );
    }
    // Issue 11's target for PDF and extracted text was 80% of the forms; the floor is the
    // level reached since (47 of 49), raised as the recognizers learn.
    let correct = outcomes.iter().filter(|o| o.correct()).count();
    assert!(
        correct * 100 >= outcomes.len() * 95,
        "{correct} of {} texts with correct key figures (floor 95%)",
        outcomes.len()
    );
    // The rebuilt Word files: every transfer-payment form and every form of the families the
    // recognizers learned keeps its figures.
    let rebuilt = rebuilt_outcomes();
    let rebuilt_correct = rebuilt.iter().filter(|o| o.correct()).count();
    // Issue 11's target for .docx/.xlsx/.html: at least 95% of the forms.
    assert!(
        rebuilt_correct * 100 >= rebuilt.len() * 95,
        "{rebuilt_correct} of {} rebuilt files with correct key figures (target 95%)",
        rebuilt.len()
    );
    for o in rebuilt
        .iter()
        .filter(|o| o.families.iter().any(|f| f == "transfer-payment"))
    {
        assert!(o.correct(), "rebuilt {}: {:?}", o.dir, o.wrong);
    }
}

/// Issue 23: scans of corpus documents (image-only PDFs made by scripts/make-scans.py: 150
/// dpi gray, turned up to 1°, blurred, JPEG) are read by character recognition into the same
/// forms. Issue 23's target: every scan's form is found, at least 80% of the scans keep every
/// key figure, and a transfer-payment scan keeps every figure. Every table cell of a scan keeps its page and its box on the page image, and the
/// import says how many cells need confirmation.
#[test]
fn scans_are_read_through_character_recognition() {
    let outcomes = scan_outcomes();
    assert!(outcomes.len() >= 10, "{} scans", outcomes.len());
    let recognized: Vec<&Outcome> = outcomes.iter().filter(|o| o.recognized).collect();
    let checked: usize = recognized.iter().map(|o| o.checked).sum();
    let equal: usize = recognized.iter().map(|o| o.equal).sum();
    for o in &recognized {
        eprintln!("scan {}: {}/{} {:?}", o.dir, o.equal, o.checked, o.wrong);
    }
    assert!(
        recognized.len() == outcomes.len(),
        "{} of {} scans recognized",
        recognized.len(),
        outcomes.len()
    );
    assert!(
        equal * 100 >= checked * 90,
        "{equal} of {checked} key figures of the recognized scans equal (floor 90%)"
    );
    let correct = outcomes.iter().filter(|o| o.correct()).count();
    assert!(
        correct * 10 >= outcomes.len() * 8,
        "{correct} of {} scans with every key figure correct (target 80%)",
        outcomes.len()
    );
    // docs/import.md keeps the scans' table beside the texts' and the rebuilt files'.
    let fresh_table = format!(
        "Scans (testdata/scans/, image-only PDFs of the rebuilt files), {} documents:\n\n{}",
        outcomes.len(),
        table(&outcomes)
    );
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../docs/import.md");
    let doc = std::fs::read_to_string(&doc_path).expect("docs/import.md");
    let (head, rest) = doc
        .split_once(SCAN_BEGIN)
        .expect("docs/import.md has the scan table markers");
    let (_, tail) = rest.split_once(SCAN_END).expect("scan table end marker");
    let fresh = format!("{head}{SCAN_BEGIN}{fresh_table}{SCAN_END}{tail}");
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&doc_path, &fresh).expect("write docs/import.md");
    } else {
        assert!(
            fresh == doc,
            "docs/import.md's scan table is stale; the table is now:\n{fresh_table}\n\
             (JIXIAO_BLESS=1 cargo test -p jixiao-office-tests --test corpus scans rewrites it)"
        );
    }
    let transfer = outcomes
        .iter()
        .find(|o| o.dir.starts_with("020"))
        .expect("020 scanned");
    assert!(transfer.correct(), "020: {:?}", transfer.wrong);

    let name = "003-sichuan-qingshen-wages.pdf";
    let bytes = std::fs::read(scans().join(name)).expect("scan");
    let doc = jixiao_read::read(name, &bytes, &Limits::default()).expect("scan reads");
    assert_eq!(doc.format, jixiao_grid::Format::Scan);
    let cells: Vec<&jixiao_grid::Cell> = doc.tables().flat_map(|t| &t.cells).collect();
    assert!(cells.len() > 50, "{} cells", cells.len());
    for c in &cells {
        let scan = c
            .scan
            .as_deref()
            .copied()
            .expect("a scan cell keeps its box");
        assert_eq!(c.page, Some(1));
        let [l, t, r, b] = scan.bbox;
        assert!(l < r && t < b && scan.dpi == 150, "{scan:?}");
    }
    let uncertain = cells
        .iter()
        .filter(|c| c.scan.as_deref().is_some_and(|s| s.needs_confirmation()))
        .count();
    assert!(uncertain > 0, "a blurred scan has cells to confirm");
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains(&format!("其中{uncertain}个单元格识别把握不大，需确认"))),
        "{:?}",
        doc.warnings
    );
    // The figures of the funds table are read as printed (with their boxes), 万元 as in the paper.
    let figure = cells
        .iter()
        .find(|c| c.text == "238.93")
        .expect("年初预算 238.93 read");
    assert!(figure.scan.is_some());
}

#[test]
#[ignore = "lists every document's outcome"]
fn list_outcomes() {
    for o in outcomes()
        .into_iter()
        .chain(rebuilt_outcomes())
        .chain(scan_outcomes())
    {
        eprintln!(
            "{} {} recognized={} {}/{} {:?}",
            o.dir, o.format, o.recognized, o.equal, o.checked, o.wrong
        );
    }
}

/// Every prefix of every corpus text (cut as the store cuts them) reads without a panic, and
/// every rebuilt cell points at a line of the text.
#[test]
fn cut_off_texts_read_without_panic() {
    for o in outcomes() {
        let text = std::fs::read_to_string(corpus_set::root().join(&o.dir).join("source.txt"))
            .expect("source.txt");
        let chars: Vec<char> = text.chars().collect();
        for end in (0..chars.len()).step_by(97) {
            let cut: String = chars[..end].iter().collect();
            let lines = cut.lines().count().max(1);
            for t in jixiao_flat::tokens(&cut) {
                assert!(
                    t.line <= lines,
                    "{}: token line {} of {lines}",
                    o.dir,
                    t.line
                );
            }
            let _ = import("cut.txt", cut.as_bytes(), &Limits::default());
        }
    }
}
