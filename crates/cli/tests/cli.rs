//! The `jixiao` binary as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("run jixiao")
}

fn form(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/forms")
        .join(name)
        .display()
        .to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn demo_is_the_default_and_shows_the_seed_errors() {
    let o = jixiao(&[]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("日常运转经费"));
    assert!(
        out.contains("填报执行率得分8.5分，按 10 × 84.30% 应为8.43分"),
        "{out}"
    );
    assert!(out.contains("总分：89.48分，等级：良"));
    assert!(out.contains("填报得分8分，按规则应为7.97分"));
    assert_eq!(out, stdout(&jixiao(&["demo"])));
}

#[test]
fn score_prints_a_table_and_json() {
    let o = jixiao(&["score", &form("seed003-department.json")]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("部门整体支出绩效自评表（2021年度）：株洲市工伤保险服务中心"));
    assert!(out.contains("总分：99.97分，等级：优"));

    let o = jixiao(&["score", "--json", &form("seed001-audit-special.json")]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["total"], "94.80");
    assert_eq!(v["execution"]["score"], "9.28");
    assert_eq!(v["grade"], "优");
}

#[test]
fn a_policy_file_changes_the_rules() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{"total_basis": "raw_sum"}"#).unwrap();
    let o = jixiao(&[
        "score",
        "--json",
        "--policy",
        policy.to_str().unwrap(),
        &form("seed001-daily-operations.json"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["total"], "98.43");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn errors_are_in_chinese_and_say_where() {
    let o = jixiao(&["score", "no-such-file.json"]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("无法读取 no-such-file.json：文件或文件夹不存在，请检查路径"),
        "{err}"
    );

    let o = jixiao(&["score", &form("seed000-project-target.json")]);
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("是项目支出绩效目标申报表，只有自评表可以计分"),
        "{err}"
    );
}

#[test]
fn import_lists_forms_counts_and_leftovers() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures");
    let docx = fixtures.join("seed001.docx").display().to_string();
    let o = jixiao(&["import", &docx]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("识别出3份表单"), "{out}");
    assert!(out.contains("绩效自评项目清单：2个项目"), "{out}");
    assert!(
        out.contains("项目支出绩效自评表：日常运转经费，8项指标"),
        "{out}"
    );
    assert!(out.contains("没有未识别的内容"), "{out}");

    let o = jixiao(&["import", "--json", &docx, "missing.docx"]);
    assert!(!o.status.success(), "a file that fails sets the exit code");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["forms"].as_array().unwrap().len(), 3);
    assert_eq!(
        v[0]["forms"][1]["provenance"]["indicators[0].score"]["row"],
        11
    );
    assert!(
        v[1]["error"]
            .as_str()
            .unwrap()
            .contains("无法读取 missing.docx：文件或文件夹不存在")
    );
}

#[test]
fn audit_reports_findings_in_every_output() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/fixtures");
    let dir = std::env::temp_dir().join(format!("jixiao-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("审核.html");
    let xlsx = dir.join("审核.xlsx");
    let seed003 = fixtures.join("seed003.docx").display().to_string();
    let o = jixiao(&[
        "audit",
        &seed003,
        "--html",
        html.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "no --fail-on: exit 0");
    let out = stdout(&o);
    assert!(out.contains("[P02] 未达成的指标得满分"), "{out}");
    assert!(out.contains("[Q04] 指标与其他表单重复"), "{out}");
    // Errors, then warnings, then notes; then a line per form.
    let (e, w, i) = (
        out.find(" 错误（").unwrap(),
        out.find(" 警告（").unwrap(),
        out.find(" 提示（").unwrap(),
    );
    assert!(e < w && w < i, "{out}");
    let unwrapped = out.replace("\n    ", "");
    assert!(
        unwrapped.contains("部门整体支出绩效自评表：株洲市工伤保险服务中心，单位 株洲市工伤保险服务中心，填报总分 100，核算总分 99.97，等级 优"),
        "{out}"
    );
    // Whole messages: nothing is cut with an ellipsis.
    assert!(!out.contains('…'), "{out}");
    assert!(out.contains("合计：1个文件"), "{out}");

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("R04 报告与附表数据不一致"));
    assert!(!page.contains("<script"), "self-contained, no scripts");

    // The Excel list reads back with Jixiao's own reader: one row per finding.
    let bytes = std::fs::read(&xlsx).unwrap();
    let doc = jixiao_read::read("审核.xlsx", &bytes, &Default::default()).unwrap();
    let mut tables = doc.tables();
    let summary = tables.next().unwrap();
    assert_eq!(summary.sheet.as_deref(), Some("汇总"));
    let table = tables.next().unwrap();
    assert_eq!(table.sheet.as_deref(), Some("审核问题"));
    let json = jixiao(&["audit", "--json", &seed003]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let findings = v[0]["findings"].as_array().unwrap();
    assert_eq!(table.rows, findings.len() + 1);
    // The summary: a line per form, with its totals and grade.
    assert_eq!(summary.rows, v[0]["forms"].as_u64().unwrap() as usize + 1);
    assert_eq!(v[0]["summaries"][1]["computed_total"], "99.97");
    assert_eq!(findings[0]["severity"], "错误");

    // --fail-on sets the exit code; a folder is read recursively.
    let o = jixiao(&["audit", "--fail-on", "error", fixtures.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("合计：11个文件"), "{}", stdout(&o));
    let clean = dir.join("clean.html");
    std::fs::write(
        &clean,
        "<table><tr><td>项目名称</td><td>无</td></tr></table>",
    )
    .unwrap();
    let o = jixiao(&["audit", "--fail-on", "error", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = jixiao(&["audit", "--fail-on", "severe", clean.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--fail-on 的取值“severe”无效"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn evaluate_and_check_rules() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let rules = root
        .join("rules/hunan-department.toml")
        .display()
        .to_string();
    let o = jixiao(&["rules", "check", &rules]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("16项指标，合计100分"));

    let data = root
        .join("testdata/fixtures/seed004.xlsx")
        .display()
        .to_string();
    let o = jixiao(&["evaluate", "--rules", "hunan-department", "--data", &data]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(
        out.contains("公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11；"),
        "{out}"
    );
    assert!(out.contains("70.11未超过标准100，得满分8分"), "{out}");
    assert!(
        out.contains("“三公经费”变动率：无法计算（缺少：上年三公经费预算数）"),
        "{out}"
    );
    assert!(out.contains("与表中得分的差异（7项）"), "{out}");

    let page = std::env::temp_dir().join(format!("jixiao-eval-{}.html", std::process::id()));
    let o = jixiao(&[
        "evaluate",
        "--rules",
        "hunan-department",
        "--data",
        &data,
        "--html",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11")
            && html.contains("与表中得分的差异（7项）")
    );
    std::fs::remove_file(page).ok();
    let o = jixiao(&[
        "evaluate",
        "--json",
        "--rules",
        "hunan-department",
        "--data",
        &data,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["evaluation"]["indicators"][6]["score"], "8");
    assert_eq!(v["evaluation"]["complete"], false);

    let dir = std::env::temp_dir().join(format!("jixiao-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.toml");
    let text = std::fs::read_to_string(root.join("rules/hunan-department.toml"))
        .unwrap()
        .replace("points = 7\n", "points = 8\n");
    std::fs::write(&broken, text).unwrap();
    let o = jixiao(&["rules", "check", broken.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("各指标分值合计101，与满分100不符"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn rules_from_a_table_s_own_words() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let table = root
        .join("testdata/fixtures/seed004.html")
        .display()
        .to_string();
    let o = jixiao(&["rules", "from-table", &table]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("已转换16项指标，未能转换0项"));
    let text = stdout(&o);
    assert!(text.contains("kind = \"deduct_per_step\""), "{text}");
    // The compiled file is a valid rule file.
    let dir = std::env::temp_dir().join(format!("jixiao-compiled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("compiled.toml");
    std::fs::write(&file, &text).unwrap();
    let o = jixiao(&["rules", "check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    // Rules taken straight from the table bind their fields to the base data of the same
    // document by themselves, say how, and score what the data supports.
    let o = jixiao(&["evaluate", "--rules", &table, "--data", &table]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("字段对应：实际支出公用经费总额 → “公用经费”“2021年决算数”＝20.5"),
        "{err}"
    );
    assert!(err.contains("字段未对应：上年度“三公经费”预算数"), "{err}");
    let out = stdout(&o);
    assert!(
        out.contains("公用经费控制率") && out.contains("70.11"),
        "{out}"
    );
    assert!(!out.contains("在职人员控制率：无法计算"), "{out}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn export_writes_every_format_and_says_what_it_cannot() {
    let testdata = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let dir = std::env::temp_dir().join(format!("jixiao-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed000 = testdata.join("fixtures/seed000.docx").display().to_string();
    for to in ["docx", "xlsx", "html"] {
        let out = dir.join(format!("申报表.{to}"));
        let o = jixiao(&["export", &seed000, "--to", to, "-o", out.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{to}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(stdout(&o).contains("已导出2张表"), "{}", stdout(&o));
        // What was written imports back as the same two declarations.
        let back = jixiao(&["import", out.to_str().unwrap()]);
        let text = stdout(&back);
        assert!(
            text.contains("项目支出绩效目标申报表") && text.contains("部门整体支出绩效目标申报表"),
            "{to}: {text}"
        );
    }
    // PDF with the system's CJK fonts (the test script installs them), else a clear error.
    let pdf = dir.join("申报表.pdf");
    let o = jixiao(&[
        "export",
        &seed000,
        "--to",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    if o.status.success() {
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-1.7"));
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI has the fonts");
        assert!(String::from_utf8_lossy(&o.stderr).contains("fonts-arphic-uming"));
    }
    let o = jixiao(&["export", &seed000, "--to", "odt"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("不支持导出为“odt”：可用 docx、xlsx、html、pdf、json")
    );
    // The format follows -o; --to in any case; a contradiction is refused.
    let by_ext = dir.join("按扩展名.XLSX");
    let o = jixiao(&["export", &seed000, "-o", by_ext.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&by_ext).unwrap().starts_with(b"PK"));
    let upper = dir.join("大写.docx");
    let o = jixiao(&[
        "export",
        &seed000,
        "--to",
        "DOCX",
        "-o",
        upper.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let clash = dir.join("矛盾.docx");
    let o = jixiao(&[
        "export",
        &seed000,
        "--to",
        "pdf",
        "-o",
        clash.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--to pdf 与输出文件的扩展名 .docx 不符"));
    assert!(!clash.exists(), "nothing written");
    let o = jixiao(&["export", &seed000]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("请用 --to 指定格式"));
    let o = jixiao(&["export", &seed000, "--to", "docx"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("输出文件与输入文件相同"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn report_composes_from_forms_and_lists_what_to_check() {
    let testdata = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let dir = std::env::temp_dir().join(format!("jixiao-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // From the forms and narrative as JSON (a JSON array of forms).
    let data = testdata.join("expected/seed003.json").display().to_string();
    let out = dir.join("报告.docx");
    let o = jixiao(&["report", &data, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(text.contains("（附件2张）"), "{text}");
    assert!(text.contains("“自评工作开展情况”没有撰写内容"), "{text}");
    assert!(text.contains("填报总分100分，重新计算为99.97分"), "{text}");
    let back = stdout(&jixiao(&["import", out.to_str().unwrap()]));
    assert!(
        back.contains("绩效自评报告") && back.contains("部门整体支出绩效自评表"),
        "{back}"
    );
    // A file without a department self-evaluation cannot make a report.
    let seed000 = testdata.join("fixtures/seed000.docx").display().to_string();
    let o = jixiao(&["report", &seed000]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有部门整体支出绩效自评表"));
    std::fs::remove_dir_all(dir).ok();
}

fn testdata(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(path)
        .display()
        .to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // 200 KB of findings into `head`, which stops reading after three lines.
    let fixtures = testdata("fixtures");
    let o = Command::new("bash")
        .arg("-c")
        .arg("set -o pipefail; \"$0\" audit \"$1\" \"$1\" \"$1\" \"$1\" | head -n 3")
        .arg(env!("CARGO_BIN_EXE_jixiao"))
        .arg(&fixtures)
        .output()
        .unwrap();
    assert_eq!(stdout(&o).lines().count(), 3);
    assert_eq!(stderr(&o), "", "no panic, no message");
    assert!(o.status.success(), "quiet exit: {:?}", o.status);
}

#[test]
fn the_output_of_import_json_goes_into_every_command() {
    let dir = scratch("chain");
    let imported = dir.join("seed003.json");
    let o = jixiao(&["import", "--json", &testdata("fixtures/seed003.docx")]);
    assert!(o.status.success());
    std::fs::write(&imported, &o.stdout).unwrap();
    let imported = imported.to_str().unwrap();

    // import reads it back: the same forms.
    let o = jixiao(&["import", imported]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("表单 JSON（.json））：识别出3份表单"),
        "{}",
        stdout(&o)
    );
    // score: every self-evaluation in it.
    let o = jixiao(&["score", imported]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("部门整体支出绩效自评表（2021年度）：株洲市工伤保险服务中心"));
    // score takes a Word document as well.
    let o = jixiao(&["score", "--json", &testdata("fixtures/seed001.xlsx")]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[1]["total"], "94.80", "two forms, one JSON array");
    // report, audit, export.
    let report = dir.join("报告.pdf");
    let o = jixiao(&[
        "report",
        imported,
        "--to",
        "PDF",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = jixiao(&["audit", imported]);
    assert!(stdout(&o).contains("核算总分 99.97"), "{}", stdout(&o));
    let xlsx = dir.join("表.xlsx");
    let o = jixiao(&["export", imported, "-o", xlsx.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已导出3张表"));
    // evaluate --data: the base data of an imported evaluation table.
    let base = dir.join("seed004.json");
    std::fs::write(
        &base,
        jixiao(&["import", "--json", &testdata("fixtures/seed004.docx")]).stdout,
    )
    .unwrap();
    let o = jixiao(&[
        "evaluate",
        "--rules",
        "hunan-department",
        "--data",
        base.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn export_and_report_run_over_a_folder_into_an_output_folder() {
    let dir = scratch("batch");
    let out = dir.join("导出");
    let o = jixiao(&[
        "export",
        &testdata("fixtures"),
        "--to",
        "docx",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // One file per input: the same name from .docx, .html and .xlsx keeps its origin.
    assert_eq!(written.len(), 11, "{written:?}");
    assert!(
        written.contains(&"seed004-xlsx.docx".to_string()),
        "{written:?}"
    );
    // Reports: the inputs without a department form are named, the rest are written.
    let reports = dir.join("报告");
    let o = jixiao(&[
        "report",
        &testdata("fixtures/seed003.docx"),
        &testdata("fixtures/seed000.docx"),
        "--out-dir",
        reports.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("seed000.docx：没有部门整体支出绩效自评表"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("2个文件中有1个未能完成"));
    assert!(reports.join("seed003-自评报告.docx").is_file());
    // Several inputs need a folder, not -o.
    let o = jixiao(&[
        "export",
        &testdata("fixtures"),
        "--to",
        "pdf",
        "-o",
        "x.pdf",
    ]);
    assert!(
        stderr(&o).contains("-o 只能用于单个输入文件"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn demo_json_is_one_document_and_nothing_says_seed_document() {
    let o = jixiao(&["demo", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    assert_eq!(v.as_array().unwrap().len(), 4);
    for args in [
        &["demo"][..],
        &["--help"],
        &["export", "--help"],
        &["report", "--help"],
    ] {
        let o = jixiao(args);
        assert!(!stdout(&o).contains("种子"), "{args:?}");
    }
}

#[test]
fn evaluate_gives_no_grade_while_items_cannot_be_computed() {
    let o = jixiao(&[
        "evaluate",
        "--rules",
        "hunan-department",
        "--data",
        &testdata("fixtures/seed004.docx"),
    ]);
    let out = stdout(&o);
    assert!(out.contains("暂定：有7项指标无法计算，不评定等级"), "{out}");
    assert!(
        out.contains("无法计算的指标：“三公经费”变动率、预算完成率"),
        "{out}"
    );
    assert!(!out.contains("等级："), "{out}");
    let o = jixiao(&[
        "evaluate",
        "--json",
        "--rules",
        "hunan-department",
        "--data",
        &testdata("fixtures/seed004.docx"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["evaluation"]["grade"], serde_json::Value::Null);
    assert_eq!(v["provisional"], true);
    assert_eq!(v["uncomputable"].as_array().unwrap().len(), 7);
}

#[test]
fn unreadable_files_are_counted_and_fail_the_audit() {
    let o = jixiao(&[
        "audit",
        &testdata("fixtures/seed001.xlsx"),
        "没有这个文件.docx",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("没有这个文件.docx：无法读取：无法读取文件：文件或文件夹不存在"),
        "{out}"
    );
    assert!(out.contains("合计：2个文件（1个无法读取）"), "{out}");
}

#[test]
fn every_message_is_chinese() {
    let dir = scratch("messages");
    let bad = dir.join("坏.json");
    std::fs::write(&bad, "{\"form\": \"project_self_evaluation\", \"nme\": 1}").unwrap();
    let o = jixiao(&["score", bad.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("未知字段“nme”（可用："),
        "{}",
        stderr(&o)
    );
    std::fs::write(&bad, "{\"form\":").unwrap();
    let o = jixiao(&[
        "export",
        bad.to_str().unwrap(),
        "--to",
        "docx",
        "-o",
        dir.join("x.docx").to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("第1行第8列：JSON 不完整"),
        "{}",
        stderr(&o)
    );
    // Command-line mistakes.
    let o = jixiao(&["scor"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("没有“scor”这个命令，是否要用"),
        "{}",
        stderr(&o)
    );
    let o = jixiao(&["export"]);
    assert!(stderr(&o).contains("缺少参数 <FILE>"), "{}", stderr(&o));
    let o = jixiao(&["audit", "--bogus", "x"]);
    assert!(
        stderr(&o).contains("不认识的参数“--bogus”"),
        "{}",
        stderr(&o)
    );
    let help = stdout(&jixiao(&["score", "--help"]));
    assert!(
        help.contains("用法：jixiao score [选项]") && help.contains("显示帮助"),
        "{help}"
    );
    // Headings end with the full-width colon, on the top level and on a subcommand.
    let top = stdout(&jixiao(&["--help"]));
    for (text, heading) in [
        (&top, "命令"),
        (&top, "选项"),
        (&help, "选项"),
        (&help, "参数"),
    ] {
        assert!(
            text.contains(&format!("\n{heading}：\n")),
            "{heading}: {text}"
        );
        assert!(!text.contains(&format!("{heading}:")), "{heading}: {text}");
    }
    for english in ["Usage", "Options", "Print help", "error:", "No such file"] {
        for o in [
            jixiao(&["scor"]),
            jixiao(&["score", "--help"]),
            jixiao(&["score", "无.json"]),
        ] {
            let all = format!("{}{}", stdout(&o), stderr(&o));
            assert!(!all.contains(english), "{english}: {all}");
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn checks_that_cannot_be_made_are_shown_in_every_output() {
    // Seed 003's department form cut off after its first five indicators: no 总分 row, so the
    // total, the weights and the missing groups cannot be checked.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(form("seed003-department.json")).unwrap())
            .unwrap();
    v["indicators"].as_array_mut().unwrap().truncate(5);
    for key in ["stated_total", "stated_total_weight", "stated_grade"] {
        v.as_object_mut().unwrap().remove(key);
    }
    let dir = std::env::temp_dir().join(format!("jixiao-cannot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cut.json");
    std::fs::write(&file, v.to_string()).unwrap();
    let (html, xlsx) = (dir.join("a.html"), dir.join("a.xlsx"));
    let file = file.to_str().unwrap();
    let o = jixiao(&[
        "audit",
        "--fail-on",
        "info",
        file,
        "--html",
        html.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    let out = stdout(&o);
    assert!(
        out.contains(" 无法核对（") && out.contains("无法核对总分"),
        "{out}"
    );
    assert!(out.contains("，无法核对4项"), "{out}");
    assert!(
        !out.contains(" 错误（"),
        "a cut-off form is not wrong: {out}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("无法核对 A04"), "{page}");
    let bytes = std::fs::read(&xlsx).unwrap();
    let doc = jixiao_read::read("a.xlsx", &bytes, &Default::default()).unwrap();
    let list = doc.tables().nth(1).unwrap();
    assert!(
        list.cells.iter().any(|c| c.text == "无法核对"),
        "the 级别 column says 无法核对"
    );
    let json = jixiao(&["audit", "--json", file]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(
        v[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "无法核对" && f["code"] == "S03")
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn export_to_yitihua_merges_the_inputs_and_imports_back_to_the_same_forms() {
    let testdata = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let dir = std::env::temp_dir().join(format!("jixiao-yitihua-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed000 = testdata.join("fixtures/seed000.docx").display().to_string();
    let seed003 = testdata.join("fixtures/seed003.docx").display().to_string();
    let monitoring = form("monitoring-example.json");
    let out = dir.join("一体化.zip");
    let o = jixiao(&[
        "export",
        &seed000,
        &seed003,
        &monitoring,
        "--to",
        "yitihua",
        "--mof-div-code",
        "430000",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("已按一体化规范表导出5张表")
            && stdout(&o).contains("1张表没有对应的规范表"),
        "{}",
        stdout(&o)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("seed003.docx 中的“绩效自评报告”没有对应的一体化规范表，未导出"),
        "{err}"
    );
    // The zip imports back to the forms the inputs hold (the report aside), in input order.
    let forms = |args: &[&str]| -> Vec<serde_json::Value> {
        let v: serde_json::Value = serde_json::from_str(&stdout(&jixiao(args))).expect("JSON");
        v.as_array()
            .unwrap()
            .iter()
            .flat_map(|file| file["forms"].as_array().cloned().unwrap_or_default())
            .map(|r| r["form"].clone())
            .filter(|f| f["form"] != "report")
            .collect()
    };
    let expected = forms(&["import", "--json", &seed000, &seed003, &monitoring]);
    assert_eq!(expected.len(), 5);
    assert_eq!(
        forms(&["import", "--json", out.to_str().unwrap()]),
        expected
    );
    // Only kinds without a 规范表: refused, naming them.
    let seed004 = testdata.join("fixtures/seed004.docx").display().to_string();
    let o = jixiao(&[
        "export",
        &seed004,
        "--to",
        "yitihua",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("没有可按一体化规范表导出的表单")
            && err.contains("部门整体支出绩效评价指标表"),
        "{err}"
    );
    // The 财政区划 code is digits.
    let o = jixiao(&[
        "export",
        &seed000,
        "--to",
        "yitihua",
        "--mof-div-code",
        "湖南",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("财政区划代码“湖南”应为数字"));
    // A .zip is only for the exchange.
    let o = jixiao(&[
        "export",
        &seed000,
        "--to",
        "docx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--to yitihua"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn import_takes_folders_and_several_paths() {
    let fixtures = testdata("fixtures");
    let o = jixiao(&["import", &fixtures]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for seed in ["seed000.docx", "seed001.xlsx", "seed004.html"] {
        assert!(out.contains(seed), "{seed} listed: {out}");
    }
    // A folder and a file, in JSON: one entry per file read, in order.
    let one = testdata("fixtures/seed001.docx");
    let o = jixiao(&["--json", "import", &fixtures, &one]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let n = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter(|e| {
            let name = e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .to_lowercase();
            [".docx", ".xlsx", ".html"]
                .iter()
                .any(|x| name.ends_with(x))
        })
        .count();
    assert_eq!(v.as_array().map(Vec::len), Some(n + 1));
    // An empty folder is said to be empty, not "a folder".
    let empty = scratch("empty-import");
    let o = jixiao(&["import", &empty.display().to_string()]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("没有找到可导入的文件"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_command_answers_in_json() {
    let dir = scratch("json-everywhere");
    let seed000 = testdata("fixtures/seed000.docx");
    let seed003 = testdata("fixtures/seed003.docx");
    let out = dir.display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["demo".into()],
        vec!["score".into(), form("seed001-daily-operations.json")],
        vec!["audit".into(), seed000.clone()],
        vec![
            "export".into(),
            seed000.clone(),
            "--to".into(),
            "xlsx".into(),
            "--out-dir".into(),
            out.clone(),
        ],
        vec![
            "export".into(),
            seed000.clone(),
            "--to".into(),
            "yitihua".into(),
            "-o".into(),
            dir.join("一体化.zip").display().to_string(),
        ],
        vec![
            "report".into(),
            seed003.clone(),
            "--out-dir".into(),
            out.clone(),
        ],
        vec!["rules".into(), "check".into(), "hunan-department".into()],
        vec!["completions".into(), "bash".into()],
        vec!["man".into()],
    ];
    for args in cases {
        let mut with = vec!["--json".to_string()];
        with.extend(args.iter().cloned());
        let refs: Vec<&str> = with.iter().map(String::as_str).collect();
        let o = jixiao(&refs);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let text = stdout(&o);
        let v: Result<serde_json::Value, _> = serde_json::from_str(&text);
        assert!(v.is_ok(), "{args:?} is not JSON: {text}");
    }
    // The flag stands after the command too.
    let o = jixiao(&["rules", "check", "hunan-department", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["valid"], true);
    assert_eq!(v["points"], "100");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn completions_man_page_version_and_exit_codes() {
    for (shell, mark) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef jixiao"),
        ("fish", "complete -c jixiao"),
    ] {
        let o = jixiao(&["completions", shell]);
        assert!(o.status.success());
        let script = stdout(&o);
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(
            script.contains("audit") && script.contains("serve"),
            "{shell}"
        );
    }
    let o = jixiao(&["man"]);
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH jixiao"),
        "{page}"
    );
    assert!(
        page.contains("退出状态"),
        "the exit status is in the man page"
    );
    let o = jixiao(&["--version"]);
    let version = stdout(&o);
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
    assert!(version.contains("提交 "), "{version}");
    let o = jixiao(&["--help"]);
    let help = stdout(&o);
    assert!(
        help.contains("退出状态") && help.contains("2  命令行参数有误"),
        "{help}"
    );
    let o = jixiao(&["audit"]);
    assert_eq!(o.status.code(), Some(2), "a usage error is 2");
    let o = jixiao(&["audit", "/nonexistent/x.docx"]);
    assert_eq!(o.status.code(), Some(1), "what could not be done is 1");
}

/// Progress is drawn on a terminal and never into a pipe: the audit of a folder run under a
/// pseudo-terminal (`script`) shows 审核中 on its screen; the same run with stderr captured
/// shows nothing on stderr.
#[test]
fn progress_shows_on_a_terminal_and_not_in_a_pipe() {
    let fixtures = testdata("fixtures");
    let bin = env!("CARGO_BIN_EXE_jixiao");
    let o = Command::new("script")
        .args([
            "-qec",
            &format!("'{bin}' audit '{fixtures}' > /dev/null"),
            "/dev/null",
        ])
        .env("TERM", "xterm")
        .output()
        .expect("script (util-linux) runs");
    let screen = String::from_utf8_lossy(&o.stdout);
    assert!(
        screen.contains("审核中"),
        "the terminal shows progress: {screen:?}"
    );
    let o = jixiao(&["audit", &fixtures]);
    assert!(o.status.success() || o.status.code() == Some(1));
    assert!(
        !stderr(&o).contains("审核中"),
        "no progress in a pipe: {}",
        stderr(&o)
    );
}

/// Fills the blank cells `values` (`("D9", "培训人次")`) of the first sheet of an .xlsx, as a
/// unit typing into the template does: text as inline strings, figures as numbers.
fn fill_xlsx(bytes: &[u8], values: &[(String, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for k in 0..zip.len() {
        let mut entry = zip.by_index(k).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(body).unwrap();
            for (at, value) in values {
                let open = format!("<c r=\"{at}\" ");
                let start = xml.find(&open).unwrap_or_else(|| panic!("no cell {at}"));
                // A blank cell is one empty element: `<c r="D9" s="12"/>`.
                let end = start + xml[start..].find("/>").unwrap() + 2;
                assert!(!xml[start..end - 2].contains('>'), "{at} is not blank");
                let style = &xml[start + open.len()..end - 2];
                let cell = if value.parse::<f64>().is_ok() {
                    format!("<c r=\"{at}\" {style}><v>{value}</v></c>")
                } else {
                    format!("<c r=\"{at}\" {style} t=\"inlineStr\"><is><t>{value}</t></is></c>")
                };
                xml.replace_range(start..end, &cell);
            }
            body = xml.into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&body).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The reference (`D9`) of the cell `down` rows below and `right` columns right of the first
/// cell of the template's form sheet that reads `label`.
fn below(bytes: &[u8], label: &str, down: u32, right: u32) -> String {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("填报表").unwrap();
    let (r, c) = range
        .cells()
        .find(|(_, _, v)| matches!(v, calamine::Data::String(s) if s == label))
        .map(|(r, c, _)| (r as u32, c as u32))
        .unwrap_or_else(|| panic!("no {label}"));
    let (r, c) = (r + down, c + right);
    let letter = char::from(b'A' + u8::try_from(c).unwrap());
    format!("{letter}{}", r + 1)
}

#[test]
fn a_template_filled_offline_imports_back_as_filled() {
    let dir = scratch("template");
    let path = dir.join("自评模板.xlsx");
    let o = jixiao(&[
        "template",
        "project-self-evaluation",
        "--year",
        "2024",
        "--project",
        "职工培训",
        "--unit",
        "测试服务中心",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("项目支出绩效自评表离线填报模板（2024年度）"));
    let blank = std::fs::read(&path).unwrap();
    // A unit fills the first indicator slot and the funds, as in Excel.
    let filled = fill_xlsx(
        &blank,
        &[
            (below(&blank, "三级指标", 1, 0), "培训人次"),
            (below(&blank, "三级指标", 1, 1), "≥500人次"),
            (below(&blank, "三级指标", 1, 2), "612人次"),
            (below(&blank, "三级指标", 1, 3), "20"),
            (below(&blank, "三级指标", 1, 4), "20"),
            (below(&blank, "全年预算数", 1, 0), "12.8"),
            (below(&blank, "全年预算数", 1, 1), "11.52"),
            (below(&blank, "年初预算数", 1, 0), "12.8"),
        ],
    );
    let filled_path = dir.join("已填.xlsx");
    std::fs::write(&filled_path, &filled).unwrap();
    let o = jixiao(&["import", filled_path.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let read = &v[0]["forms"][0]["form"];
    assert_eq!(read["form"], "project_self_evaluation", "{v}");
    assert_eq!(read["name"], "职工培训");
    assert_eq!(read["year"], 2024);
    let first = &read["indicators"][0];
    assert_eq!(first["level1"], "产出指标");
    assert_eq!(first["level2"], "数量指标");
    assert_eq!(first["name"], "培训人次");
    assert_eq!(first["target"], "≥500人次");
    assert_eq!(first["actual"], "612人次");
    assert_eq!(first["weight"], "20");
    assert_eq!(first["score"], "20");
    let total = &read["funds"]["rows"][0];
    assert_eq!(total["source"], "total");
    assert_eq!(total["initial_budget"], "12.8万元");
    assert_eq!(total["full_year_budget"], "12.8万元");
    assert_eq!(total["executed"], "11.52万元");
    // The other slots stay the blank slots they were; nothing else came in.
    assert_eq!(read["indicators"].as_array().unwrap().len(), 6);
    assert_eq!(v[0]["unrecognized"].as_array().unwrap().len(), 0, "{v}");

    // Word, and a template prefilled from a declaration.
    let declaration = form("seed000-project-target.json");
    let word = dir.join("申报模板.docx");
    let o = jixiao(&[
        "template",
        "project-self-evaluation",
        "--from",
        &declaration,
        "-o",
        word.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(said["kind"], "project_self_evaluation");
    let o = jixiao(&["import", word.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v[0]["forms"][0]["form"]["name"], "老工伤工作经费", "{v}");
    assert_eq!(
        v[0]["forms"][0]["form"]["indicators"][0]["target"],
        "老工伤纳入统筹管理人员共计20729人；"
    );
    // Wrong kinds and extensions are refused with what to do.
    let o = jixiao(&["template", "report", "-o", "x.xlsx"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("未知的模板类型“report”"),
        "{}",
        stderr(&o)
    );
    let o = jixiao(&["template", "project-target", "-o", "x.pdf"]);
    assert!(
        stderr(&o).contains("模板只能写成 .xlsx 或 .docx"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn score_evaluate_and_rules_check_take_several_paths_and_folders() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = scratch("several");
    for name in ["seed003-project.json", "seed001-daily-operations.json"] {
        std::fs::copy(form(name), dir.join(name)).unwrap();
    }
    // A folder of self-evaluations and one more file: each scored, named beside its result.
    let extra = form("seed003-department.json");
    let o = jixiao(&["score", dir.to_str().unwrap(), &extra]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for name in [
        "seed003-project.json",
        "seed001-daily-operations.json",
        "seed003-department.json",
    ] {
        assert!(out.contains(&format!("{name}】")), "{name}: {out}");
    }
    assert!(
        out.contains("填报执行率得分8.5分，按 10 × 84.30% 应为8.43分"),
        "{out}"
    );
    let o = jixiao(&["score", dir.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    assert!(
        v[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("seed001-daily-operations.json")
    );
    assert!(v[0]["scored"]["total"].is_string(), "{v}");
    // A file with no self-evaluation fails beside the others, which are still scored.
    let declaration = form("seed000-project-target.json");
    let o = jixiao(&["score", &declaration, &extra, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        v[0]["error"]
            .as_str()
            .unwrap()
            .contains("只有自评表可以计分"),
        "{v}"
    );
    assert!(v[1]["scored"].is_object(), "{v}");

    // Evaluation data: two files, one JSON array.
    let data = root.join("testdata/fixtures/seed004.xlsx");
    let html = root.join("testdata/fixtures/seed004.html");
    let o = jixiao(&[
        "evaluate",
        "--rules",
        "hunan-department",
        "--data",
        data.to_str().unwrap(),
        html.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(
        v[0]["evaluation"]["total"], v[1]["evaluation"]["total"],
        "{v}"
    );
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("seed004.html")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("seed004.xlsx")),
        "{files:?}"
    );

    // Rule files: a folder of them and a built-in name.
    let o = jixiao(&[
        "rules",
        "check",
        root.join("rules").to_str().unwrap(),
        "hunan-reference",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let checked = v.as_array().unwrap();
    assert!(checked.len() >= 2, "{v}");
    assert!(checked.iter().all(|c| c["valid"] == true), "{v}");

    // Evaluation tables to rule files: several inputs need --out-dir, each gets its .toml.
    let (xlsx, html) = (data.to_str().unwrap(), html.to_str().unwrap());
    let o = jixiao(&["rules", "from-table", xlsx, html]);
    assert!(
        stderr(&o).contains("请用 --out-dir 指定输出文件夹"),
        "{}",
        stderr(&o)
    );
    let rules_dir = dir.join("rules");
    let o = jixiao(&[
        "rules",
        "from-table",
        xlsx,
        html,
        "--out-dir",
        rules_dir.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    // Both inputs are seed004: each keeps its extension in its name, neither overwrites the other.
    assert!(rules_dir.join("seed004-xlsx.toml").is_file());
    assert!(rules_dir.join("seed004-html.toml").is_file());
    assert!(v[0]["indicators"].as_u64().unwrap() > 10, "{v}");
}

#[test]
fn xls_and_ods_are_read_with_no_libreoffice_on_the_path() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/legacy");
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("PATH", "/nonexistent")
        .args([
            "import",
            root.join("seed001.xls").to_str().unwrap(),
            root.join("seed001.ods").to_str().unwrap(),
            "--json",
        ])
        .output()
        .expect("run jixiao");
    assert!(o.status.success(), "{}\n{}", stderr(&o), stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for file in v.as_array().unwrap() {
        let forms = file["forms"].as_array().unwrap();
        assert_eq!(forms.len(), 2, "{file}");
        assert_eq!(
            forms[0]["form"]["form"], "project_self_evaluation",
            "{file}"
        );
        assert_eq!(file["warnings"].as_array().unwrap().len(), 0, "{file}");
    }
    // A legacy Word file still needs LibreOffice, and says so.
    let o = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .env("PATH", "/nonexistent")
        .args(["import", root.join("seed000.doc").to_str().unwrap()])
        .output()
        .expect("run jixiao");
    assert!(!o.status.success());
    assert!(
        stdout(&o).contains("需要 LibreOffice 转换"),
        "{}",
        stdout(&o)
    );
}
