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
    assert!(err.contains("无法读取文件 no-such-file.json"), "{err}");

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
            .contains("missing.docx：无法读取文件")
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
    assert!(out.contains("P02   未达成的指标得满分"), "{out}");
    assert!(out.contains("Q04   指标与其他表单重复"), "{out}");
    assert!(out.contains("合计：1个文件"), "{out}");

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("R04 报告与附表数据不一致"));
    assert!(!page.contains("<script"), "self-contained, no scripts");

    // The Excel list reads back with Jixiao's own reader: one row per finding.
    let bytes = std::fs::read(&xlsx).unwrap();
    let doc = jixiao_office::read("审核.xlsx", &bytes, &Default::default()).unwrap();
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
