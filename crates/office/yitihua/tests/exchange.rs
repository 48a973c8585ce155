//! The exchange's edges: what the standard columns cannot tell apart (an empty text and none,
//! amounts in 元 or 亿元) survives the round trip; CSV edited by hand (no byte-order mark,
//! GB18030 from Excel) is read; malformed CSV and hostile zips give errors naming the file,
//! table, row and column, never a panic.

use std::io::{Cursor, Read, Write};

use jixiao_core::form::Form;
use jixiao_grid::Limits;
use jixiao_yitihua::{Options, ReadErrorKind, read, write};

fn form(json: &str) -> Form {
    Form::from_json(json).expect("form JSON")
}

/// A self-evaluation and a project declaration with the cells the standard columns cannot
/// tell apart.
fn awkward() -> Vec<Form> {
    vec![
        form(
            r#"{"form":"project_self_evaluation","year":2023,"name":"农村 饮水\n工程",
            "competent_department":"","other_fields":[{"label":"项目编码","value":"43000023X1"}],
            "funds":{"rows":[{"source":"total","label":"合计","initial_budget":"9400元",
              "full_year_budget":"1.50亿元","executed":"12.80"},{"source":"carry_over"}],
              "weight":"10","stated_rate":"84.30%","stated_score":"8.50"},
            "overall_target":{"expected":" 前后有空格 ","actual":"含\"引号\",逗号"},
            "indicators":[{"level1":"产出指标 (50分)","level2":"数量","name":"覆盖人数",
              "target":"≥1.5万人","actual":"1.6万人","weight":"10","score":"10.00",
              "item_score":"100","deviation_reason":"",
              "not_applicable":"本年未开展","manual_override":{"score":"9","reason":"复核"}}],
            "stated_total":"95.5","stated_grade":"优","notes":["注1","",  "注3"]}"#,
        ),
        form(
            r#"{"form":"project_target","project_name":"示范项目","medium_term_target":"",
            "funds_total":"-5元","indicators":[{"level1":"","level2":"","name":"","target":""}]}"#,
        ),
    ]
}

fn exported(forms: &[Form]) -> Vec<u8> {
    write(forms, &Options::default()).expect("written").bytes
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut e = archive.by_index(i).expect("entry");
            let mut body = Vec::new();
            e.read_to_end(&mut body).expect("read");
            (e.name().expect("name").into_owned(), body)
        })
        .collect()
}

fn zipped(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut cursor);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in entries {
        zip.start_file(name.as_str(), options).expect("entry");
        zip.write_all(body).expect("write");
    }
    zip.finish().expect("zip");
    cursor.into_inner()
}

/// The zip with one table's CSV text changed by `edit`.
fn edited(zip: &[u8], table: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let entries: Vec<(String, Vec<u8>)> = entries(zip)
        .into_iter()
        .map(|(name, body)| {
            if name == format!("{table}.csv") {
                let text = String::from_utf8(body).expect("utf-8");
                (name, edit(&text).into_bytes())
            } else {
                (name, body)
            }
        })
        .collect();
    zipped(&entries)
}

fn read_error(zip: &[u8]) -> ReadErrorKind {
    read("交换.zip", zip, &Limits::default())
        .expect_err("refused")
        .kind
}

#[test]
fn what_the_standard_columns_cannot_tell_apart_survives() {
    let forms = awkward();
    let back = read("交换.zip", &exported(&forms), &Limits::default()).expect("read");
    assert_eq!(back, forms);
    // The scale as written is kept too, not only the value.
    let Form::ProjectSelfEvaluation(s) = &back[0] else {
        panic!("kind")
    };
    assert_eq!(
        s.funds.stated_rate.map(|d| d.to_string()).as_deref(),
        Some("84.30")
    );
    assert_eq!(
        s.funds.rows[0]
            .full_year_budget
            .as_ref()
            .map(|a| a.as_written()),
        Some("1.50亿元".to_string())
    );
}

#[test]
fn csv_is_written_with_a_bom_and_the_standard_names() {
    let entries = entries(&exported(&awkward()));
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    for table in [
        "PM_PERF_GOAL_INFO.csv",
        "PM_PERF_INDICATOR.csv",
        "PM_PERF_SELF_EVAL.csv",
        "PM_SELF_EVAL_GOAL.csv",
        "PM_SELF_EVAL_INDICATOR.csv",
        "PM_PERF_SELF_BGT.csv",
    ] {
        assert!(names.contains(&table), "{table} in {names:?}");
    }
    let (_, body) = entries
        .iter()
        .find(|(n, _)| n == "PM_SELF_EVAL_INDICATOR.csv")
        .expect("indicators");
    assert!(body.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(body);
    assert!(text.contains("computesign") && text.contains("meterunit"));
    // ≥1.5万人: sign 1, value 1.5, unit 万人; the project code from the header.
    assert!(
        text.contains(",1,1.5,万人,") || text.contains("1.5,1,"),
        "{text}"
    );
    assert!(text.contains("43000023X1"), "{text}");
    let (_, bgt) = entries
        .iter()
        .find(|(n, _)| n == "PM_PERF_SELF_BGT.csv")
        .expect("funds");
    let bgt = String::from_utf8_lossy(bgt);
    // 9400元 is 0.94 万元 in reply_amt, and kept as written beside it.
    assert!(bgt.contains("0.94") && bgt.contains("9400元"), "{bgt}");
}

#[test]
fn csv_without_bom_or_in_gb18030_is_read() {
    let forms = awkward();
    let zip = exported(&forms);
    let no_bom = edited(&zip, "PM_SELF_EVAL_INDICATOR", |t| {
        t.trim_start_matches('\u{feff}').to_string()
    });
    assert_eq!(
        read("a.zip", &no_bom, &Limits::default()).expect("read"),
        forms
    );
    let entries: Vec<(String, Vec<u8>)> = entries(&zip)
        .into_iter()
        .map(|(name, body)| {
            let text = String::from_utf8(body).expect("utf-8");
            let text = text.trim_start_matches('\u{feff}');
            (name, encoding_gb18030(text))
        })
        .collect();
    assert_eq!(
        read("b.zip", &zipped(&entries), &Limits::default()).expect("read"),
        forms
    );
}

/// `text` in GB18030, as Chinese Excel saves "CSV (逗号分隔)".
fn encoding_gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn a_bad_cell_names_file_table_row_and_column() {
    let zip = edited(&exported(&awkward()), "PM_SELF_EVAL_INDICATOR", |t| {
        t.replacen(",10,10.00,", ",十分,10.00,", 1)
    });
    let e = read("交换.zip", &zip, &Limits::default()).expect_err("refused");
    let text = e.to_string();
    assert!(
        text.starts_with("交换.zip：表 PM_SELF_EVAL_INDICATOR 第2行“ind_weight”列："),
        "{text}"
    );
}

#[test]
fn a_row_with_missing_cells_is_a_csv_error_with_its_line() {
    let zip = edited(&exported(&awkward()), "PM_PERF_SELF_BGT", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        lines[2] = "000000,2023".into();
        lines.join("\n")
    });
    match read_error(&zip) {
        ReadErrorKind::Csv { table, line, .. } => {
            assert_eq!((table.as_str(), line), ("PM_PERF_SELF_BGT", 3));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_detail_row_of_no_form_is_refused() {
    let zip = edited(&exported(&awkward()), "PM_PERF_SELF_BGT", |t| {
        t.replace("-ZP001", "-ZP999")
    });
    assert!(matches!(
        read_error(&zip),
        ReadErrorKind::Orphan { line: 2, .. }
    ));
}

#[test]
fn hostile_zips_are_refused_early() {
    // Not a zip, a truncated zip, a zip of no table.
    assert!(matches!(
        read_error(b"PK\x03\x04junk"),
        ReadErrorKind::NotZip { .. }
    ));
    let zip = exported(&awkward());
    assert!(matches!(
        read_error(&zip[..zip.len() / 2]),
        ReadErrorKind::NotZip { .. }
    ));
    let none = zipped(&[("readme.txt".into(), b"hello".to_vec())]);
    assert_eq!(read_error(&none), ReadErrorKind::NoTables);
    // Too many entries.
    let many: Vec<(String, Vec<u8>)> = (0..100)
        .map(|i| (format!("f{i}.txt"), Vec::new()))
        .chain([("PM_PERF_GOAL_INFO.csv".to_string(), Vec::new())])
        .collect();
    assert!(matches!(
        read_error(&zipped(&many)),
        ReadErrorKind::TooManyEntries { count: 101, .. }
    ));
    // A table that inflates beyond the part limit.
    let bomb = zipped(&[("PM_PERF_GOAL_INFO.csv".into(), vec![b' '; 1 << 20])]);
    let limits = Limits {
        max_part_bytes: 64 << 10,
        ..Limits::default()
    };
    assert!(matches!(
        read("bomb.zip", &bomb, &limits).expect_err("refused").kind,
        ReadErrorKind::InflatesTooMuch { .. }
    ));
    // More rows than allowed.
    let limits = Limits {
        max_rows: 1,
        ..Limits::default()
    };
    assert!(matches!(
        read("rows.zip", &zip, &limits).expect_err("refused").kind,
        ReadErrorKind::TooBig { what: "行数", .. }
    ));
    // Text in no encoding Excel writes.
    let binary = zipped(&[(
        "PM_PERF_GOAL_INFO.csv".into(),
        b"x_form_id\n\xFF\xFE\xFF\n".to_vec(),
    )]);
    assert!(matches!(read_error(&binary), ReadErrorKind::NotText { .. }));
    // The same table twice.
    let twice = zipped(&[
        ("PM_PERF_GOAL_INFO.csv".into(), b"x_form_id\n".to_vec()),
        ("dir/PM_PERF_GOAL_INFO.csv".into(), b"x_form_id\n".to_vec()),
    ]);
    assert!(matches!(
        read_error(&twice),
        ReadErrorKind::DuplicateTable { .. }
    ));
}

#[test]
fn tables_from_other_systems_are_linked_by_their_standard_keys() {
    // No x_ columns at all: kpi_per_id links, and the value is rebuilt from computesign.
    let goal =
        "\u{feff}mof_div_code,fiscal_year,pro_code,kpi_per_id,kpi_target\n430000,2024,P1,K1,目标\n";
    let ind = "mof_div_code,fiscal_year,pro_code,kpi_id,kpi_per_id,kpi_lv1,kpi_lv2,kpi_lv3,kpi_val,computesign,meterunit\n430000,2024,P1,I1,K1,产出指标,数量指标,培训人数,100,1,人次\n";
    let zip = zipped(&[
        ("PM_PERF_GOAL_INFO.csv".into(), goal.as_bytes().to_vec()),
        ("PM_PERF_INDICATOR.csv".into(), ind.as_bytes().to_vec()),
    ]);
    let forms = read("vendor.zip", &zip, &Limits::default()).expect("read");
    let [Form::ProjectTarget(t)] = forms.as_slice() else {
        panic!("{forms:?}")
    };
    assert_eq!((t.year, t.annual_target.as_str()), (Some(2024), "目标"));
    assert_eq!(t.indicators[0].target, "≥100人次");
    assert_eq!(t.indicators[0].level2, "数量指标");
}

#[test]
fn mangled_zips_and_tables_give_errors_never_panics() {
    let zip = exported(&awkward());
    let tables = entries(&zip);
    // A small deterministic generator (xorshift), so a failure is reproducible.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n.max(1) as u64).unwrap_or(0)
    };
    let limits = Limits::default();
    for _ in 0..300 {
        // Bytes of the zip itself changed.
        let mut bytes = zip.clone();
        for _ in 0..1 + next(4) {
            let i = next(bytes.len());
            bytes[i] = u8::try_from(next(256)).unwrap_or(0);
        }
        let _ = read("坏.zip", &bytes, &limits);
        // A table's text cut, or given stray quotes, commas, line breaks and BOMs.
        let mut mangled = tables.clone();
        let t = next(mangled.len());
        let mut text: Vec<char> = String::from_utf8_lossy(&mangled[t].1).chars().collect();
        for _ in 0..1 + next(3) {
            let at = next(text.len() + 1);
            match next(4) {
                0 => text.truncate(at),
                1 => text.insert(at, ['"', ',', '\n', '\u{feff}'][next(4)]),
                2 if at < text.len() => {
                    text.remove(at);
                }
                _ => text.insert(at, '十'),
            }
        }
        mangled[t].1 = text.into_iter().collect::<String>().into_bytes();
        let _ = read("坏.zip", &zipped(&mangled), &limits);
    }
}
