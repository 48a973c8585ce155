//! Layout families the recognizers read by meaning (issue 11), on small forms written for the
//! purpose: what a family changes is read, the rest as usual.

use jixiao_core::form::Form;
use jixiao_recognize::{Limits, import};

/// A project self-evaluation as a web page whose funds header and total row are `funds`.
fn page(funds: &str) -> String {
    format!(
        "<html><body><p>项目支出绩效自评表</p><p>（2023年度）</p><table>\
         <tr><td>项目名称</td><td colspan=\"7\">示例项目</td></tr>\
         <tr><td>主管部门</td><td colspan=\"3\">示例局</td><td>实施单位</td><td colspan=\"3\">示例单位</td></tr>\
         {funds}\
         <tr><td>年度总体目标</td><td colspan=\"3\">预期目标</td><td colspan=\"4\">实际完成情况</td></tr>\
         <tr><td></td><td colspan=\"3\">完成任务</td><td colspan=\"4\">已完成</td></tr>\
         <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td><td>分值</td><td>得分</td><td>偏差原因分析及改进措施</td></tr>\
         <tr><td>产出指标</td><td>数量指标</td><td>完成数量</td><td>≥10个</td><td>10个</td><td>90</td><td>90</td><td></td></tr>\
         <tr><td colspan=\"5\">总分</td><td>100</td><td>99.58</td><td>等级：优</td></tr>\
         </table></body></html>"
    )
}

fn self_evaluation(html: &str) -> jixiao_core::form::SelfEvaluation {
    let imported = import("form.html", html.as_bytes(), &Limits::default()).expect("reads");
    match imported.forms.first().map(|f| &f.form) {
        Some(Form::ProjectSelfEvaluation(f)) => f.clone(),
        other => panic!("not a project self-evaluation: {other:?}"),
    }
}

#[test]
fn rates_written_as_fractions_are_percentages() {
    for (printed, percent) in [("0.958", "95.800"), ("1", "100")] {
        let f = self_evaluation(&page(&format!(
            "<tr><td>项目资金（万元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>\
             <tr><td></td><td>年度资金总额</td><td>12</td><td>12</td><td>11.5</td><td>10</td><td>{printed}</td><td>9.58</td></tr>"
        )));
        assert_eq!(
            f.funds.stated_rate.map(|r| r.to_string()),
            Some(percent.to_string()),
            "{printed}"
        );
    }
}

#[test]
fn amounts_in_yuan_keep_their_unit() {
    let f = self_evaluation(&page(
        "<tr><td>项目资金（元）</td><td></td><td>年初预算数</td><td>全年预算数</td><td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>\
         <tr><td></td><td>年度资金总额</td><td>387664.62</td><td>387664.62</td><td>387664.62</td><td>10</td><td>100%</td><td>10</td></tr>",
    ));
    let total = f.funds.total().expect("total row");
    let budget = total.full_year_budget.expect("budget");
    assert_eq!(budget.unit(), jixiao_core::money::MoneyUnit::Yuan);
    // Exactly 38.766462 万元.
    assert_eq!(
        budget
            .to_unit(jixiao_core::money::MoneyUnit::Wan)
            .map(|a| a.value().to_string()),
        Some("38.766462".to_string())
    );
}

/// The forms imported from a corpus document's file (`rebuilt.docx`, `source.txt`).
fn corpus_forms(dir_prefix: &str, file: &str) -> (Vec<Form>, jixiao_recognize::Import) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/corpus");
    let dir = std::fs::read_dir(&root)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(dir_prefix))
        })
        .expect("corpus document");
    let bytes = std::fs::read(dir.join(file)).expect("file");
    let imported = import(file, &bytes, &Limits::default()).expect("reads");
    (
        imported.forms.iter().map(|f| f.form.clone()).collect(),
        imported,
    )
}

fn decimal(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("decimal")
}

#[test]
fn execution_scored_as_an_indicator_row_is_the_execution_item() {
    // 006: 项目管理 | 投入管理 | 预算执行率 | 10 | 100% | | 9, no 分值/得分 in the funds block.
    let (forms, imported) = corpus_forms("006", "rebuilt.docx");
    let Some(Form::ProjectSelfEvaluation(f)) = forms.first() else {
        panic!("not a self-evaluation: {forms:?}");
    };
    assert_eq!(f.funds.weight, Some(decimal("10")));
    assert_eq!(f.funds.stated_score, Some(decimal("9")));
    assert_eq!(f.funds.stated_rate, Some(decimal("100")));
    assert!(
        !f.indicators.iter().any(|r| r.name.contains("执行率")),
        "the execution row stays an indicator"
    );
    // Its cells are where the weight and score were read.
    let p = &imported.forms[0].provenance;
    assert!(p.contains_key("funds.weight") && p.contains_key("funds.stated_score"));
}

#[test]
fn execution_row_is_read_from_a_small_form() {
    // The same rule on a form written for the purpose: the row leaves the indicators, and the
    // indicators after it keep their provenance in order.
    let html = "<html><body><p>项目支出绩效自评表</p><table>\
        <tr><td>项目名称</td><td colspan=\"6\">示例项目</td></tr>\
        <tr><td>项目资金（万元）</td><td></td><td>年初预算数</td><td>调整预算数(A)</td><td>全年执行数(B)</td><td colspan=\"2\">执行率(B/A)</td></tr>\
        <tr><td></td><td>年度资金总额</td><td>20</td><td>20</td><td>19</td><td colspan=\"2\">95%</td></tr>\
        <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>指标值</td><td>实际值</td><td>得分</td></tr>\
        <tr><td>项目管理</td><td>投入管理</td><td>资金执行率</td><td>20</td><td>100%</td><td>95%</td><td>19</td></tr>\
        <tr><td>项目产出</td><td>数量指标</td><td>完成数量</td><td>80</td><td>10个</td><td>10个</td><td>80</td></tr>\
        <tr><td colspan=\"3\">总分</td><td>100</td><td></td><td></td><td>99</td></tr>\
        </table></body></html>";
    let imported = import("form.html", html.as_bytes(), &Limits::default()).expect("reads");
    let Some(Form::ProjectSelfEvaluation(f)) = imported.forms.first().map(|f| &f.form) else {
        panic!("not a self-evaluation");
    };
    assert_eq!(f.funds.weight, Some(decimal("20")));
    assert_eq!(f.funds.stated_score, Some(decimal("19")));
    assert_eq!(f.indicators.len(), 1);
    assert_eq!(f.indicators[0].name, "完成数量");
    let p = &imported.forms[0].provenance;
    assert_eq!(
        p.get("indicators[0].name").and_then(|l| l.row),
        p.get("indicators[0].weight").and_then(|l| l.row)
    );
    assert_ne!(
        p.get("indicators[0].name").and_then(|l| l.row),
        p.get("funds.weight").and_then(|l| l.row)
    );
}

#[test]
fn evaluation_indicator_table_is_a_declaration_with_weights() {
    // 024: 评价指标 | 评价内容 | 指标名称 | 指标说明 | 目标值 | 分值, then 总分 100.
    let (forms, _) = corpus_forms("024", "rebuilt.docx");
    let Some(Form::ProjectTarget(t)) = forms.first() else {
        panic!("not a declaration: {forms:?}");
    };
    assert!(t.project_name.contains("高中助学金"), "{}", t.project_name);
    assert_eq!(t.year, Some(2019));
    assert_eq!(t.indicators.len(), 7);
    let weights: Vec<_> = t.indicators.iter().map(|i| i.weight).collect();
    let expected: Vec<_> = [20, 10, 10, 10, 10, 20, 20]
        .iter()
        .map(|w| Some(rust_decimal::Decimal::from(*w)))
        .collect();
    assert_eq!(weights, expected);
    assert_eq!(t.stated_total_weight, Some(decimal("100")));
    assert_eq!(t.indicators[1].name, "享受资助人数");
    assert_eq!(t.indicators[1].target, "2100");
    assert_eq!(t.indicators[1].level2, "产出数量指标");
    // Exported in the standard layout (a 分值 column and a 分值合计 row), it reads back the
    // same: nothing the form printed is dropped.
    let form = forms[0].clone();
    let files = [
        (
            "024.xlsx",
            jixiao_write::forms_xlsx(std::slice::from_ref(&form))
                .expect("xlsx")
                .expect("a sheet"),
        ),
        (
            "024.docx",
            jixiao_write::forms_docx(std::slice::from_ref(&form))
                .expect("docx")
                .expect("a table"),
        ),
        (
            "024.html",
            jixiao_write::forms_html(&jixiao_write::form_sheets(std::slice::from_ref(&form)))
                .into_bytes(),
        ),
    ];
    for (name, bytes) in files {
        let back = import(name, &bytes, &Limits::default()).expect(name);
        assert_eq!(back.forms.len(), 1, "{name}: {:?}", back.unrecognized);
        assert_eq!(back.forms[0].form, form, "{name}");
    }
}

#[test]
fn chongqing_scoring_sheet_reads_its_unlabelled_funds_row() {
    // 025: 部门整体绩效自评表 starting with 主管部门; 执行率(%) | 执行率权重 | 执行率得分(分) on a
    // row without a label; indicators under 指标名称 | … | 得分系数(%) | 指标权重(分) | 指标得分(分).
    let (forms, _) = corpus_forms("025", "rebuilt.docx");
    let Some(Form::DepartmentSelfEvaluation(f)) = forms.first() else {
        panic!("not a department self-evaluation: {forms:?}");
    };
    assert_eq!(f.funds.stated_rate, Some(decimal("76")));
    assert_eq!(f.funds.weight, Some(decimal("10")));
    assert_eq!(f.funds.stated_score, Some(decimal("7.6")));
    assert_eq!(f.stated_total, Some(decimal("97.6")));
    let row = f
        .indicators
        .iter()
        .find(|r| r.name == "政府采购执行率")
        .expect("indicator row");
    assert_eq!(row.weight, Some(decimal("2")));
    assert_eq!(row.score, Some(decimal("2")));
    assert_eq!(row.target, "100%");
    assert_eq!(row.actual, "72.74%");
    // The 得分系数 is a factor, never the score: 组织宣传活动次数 10 × 100% = 10.
    let row = f
        .indicators
        .iter()
        .find(|r| r.name == "组织宣传活动次数")
        .expect("indicator row");
    assert_eq!(
        (row.weight, row.score),
        (Some(decimal("10")), Some(decimal("10")))
    );
}

#[test]
fn declaration_without_a_total_sums_its_stated_sources() {
    // 028: 年度资金总额 prints no amount; （一）财政拨款小计 6.30, （二）自有资金小计 0.00,
    // （三）其他收入 0.00.
    let (forms, imported) = corpus_forms("028", "rebuilt.docx");
    let Some(Form::ProjectTarget(t)) = forms.first() else {
        panic!("not a declaration: {forms:?}");
    };
    assert_eq!(t.funds_total.map(|a| a.value()), Some(decimal("6.30")));
    assert_eq!(t.funds_fiscal.map(|a| a.value()), Some(decimal("6.30")));
    assert_eq!(t.indicators.len(), 9);
    assert!(imported.forms[0].provenance.contains_key("funds_total"));
    let note = imported
        .warnings
        .iter()
        .find(|w| w.contains("资金总额未填写金额"))
        .expect("a note says the total was computed");
    assert!(
        note.contains("财政拨款小计6.30") && note.contains("其他收入0.00"),
        "{note}"
    );
}

#[test]
fn sources_without_numbering_are_not_summed() {
    // Ambiguous: source rows without （一）（二） numbering may be parts of each other.
    let html = "<html><body><p>项目支出绩效目标申报表</p><table>\
        <tr><td>项目名称</td><td colspan=\"3\">示例项目</td></tr>\
        <tr><td>项目资金</td><td>资金总额</td><td colspan=\"2\">金额</td></tr>\
        <tr><td></td><td>财政拨款</td><td colspan=\"2\">5</td></tr>\
        <tr><td></td><td>其中：一般公共预算</td><td colspan=\"2\">5</td></tr>\
        <tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>指标值</td></tr>\
        <tr><td>产出指标</td><td>数量指标</td><td>完成数量</td><td>10个</td></tr>\
        </table></body></html>";
    let imported = import("form.html", html.as_bytes(), &Limits::default()).expect("reads");
    let Some(Form::ProjectTarget(t)) = imported.forms.first().map(|f| &f.form) else {
        panic!("not a declaration");
    };
    assert_eq!(t.funds_total, None);
    assert_eq!(t.funds_fiscal.map(|a| a.value()), Some(decimal("5")));
}

#[test]
fn cost_structure_declaration_takes_its_total() {
    // 040: 项目预算成本构成 | 金额 | 测算(公式)依据 | 2020年实际执行数 | 2021年实际执行数, then
    // 合计 814; indicators under 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值.
    let (forms, imported) = corpus_forms("040", "rebuilt.docx");
    let Some(Form::ProjectTarget(t)) = forms.first() else {
        panic!("not a declaration: {forms:?}");
    };
    assert_eq!(t.funds_total.map(|a| a.value()), Some(decimal("814")));
    assert!(t.project_name.contains("办公大楼运行保障"));
    assert!(imported.forms[0].provenance.contains_key("funds_total"));
    // Each cost item is kept.
    let item = t
        .other_fields
        .iter()
        .find(|f| f.label.contains("保安服务费"))
        .expect("cost item kept");
    assert!(item.value.contains("191"), "{}", item.value);
    let ind = t
        .indicators
        .iter()
        .find(|i| i.name == "大楼安检巡察次数")
        .expect("indicator");
    assert_eq!(ind.target, "200次");
    assert_eq!(ind.level2, "数量指标");
    assert!(t.annual_target.contains("服务对象满意"));
}

#[test]
fn monitoring_reports_are_reports_of_their_own_kind() {
    use jixiao_core::form::report::ReportKind;
    for doc in ["032", "042"] {
        let (forms, _) = corpus_forms(doc, "source.txt");
        let reports: Vec<_> = forms
            .iter()
            .filter_map(|f| match f {
                Form::Report(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(reports.len(), 1, "{doc}: {forms:?}");
        assert_eq!(reports[0].kind, ReportKind::Monitoring, "{doc}");
        assert!(reports[0].title.contains("监控"), "{doc}");
        assert_eq!(forms[0].title(), "绩效监控报告");
    }
    // A self-evaluation report stays one.
    let html = "<html><body><p>2022年度项目支出绩效自评报告</p><p>一、基本情况</p><p>正文。</p></body></html>";
    let imported = import("r.html", html.as_bytes(), &Limits::default()).expect("reads");
    let Some(Form::Report(r)) = imported.forms.first().map(|f| &f.form) else {
        panic!("not a report");
    };
    assert_eq!(r.kind, ReportKind::SelfEvaluation);
}

/// The report of an import (`None` when no report was found).
fn report_of(html: &str) -> Option<jixiao_core::form::report::Report> {
    let imported = import("r.html", html.as_bytes(), &Limits::default()).expect("reads");
    imported.forms.into_iter().find_map(|f| match f.form {
        Form::Report(r) => Some(r),
        _ => None,
    })
}

#[test]
fn a_report_without_a_title_is_titled_by_its_unit_year_and_kind() {
    // The text opens with a sentence (no title paragraph): the title is built from the signing
    // unit, the first year the text names and the report's kind.
    let signed = "<html><body><p>根据县财政局《关于开展2022年度项目支出绩效自评工作的通知》要求，我局组织对2022年度项目支出开展了绩效自评，现将自评情况报告如下：</p>\
        <p>一、基本情况</p><p>2023年共安排资金100万元。</p>\
        <p>某某县水利局</p><p>2023年3月10日</p></body></html>";
    let r = report_of(signed).expect("a report");
    assert_eq!(r.title, "某某县水利局2022年度绩效自评报告");
    assert_eq!(r.unit.as_deref(), Some("某某县水利局"));
    // Neither unit nor year: the kind's name, never an empty title.
    let bare = "<html><body><p>根据财政局关于开展项目支出绩效自评工作的通知要求，我局组织各业务股室对所有项目支出逐项开展了绩效自评，现将自评情况报告如下：</p>\
        <p>一、基本情况</p><p>资金已全部拨付。</p></body></html>";
    let r = report_of(bare).expect("a report");
    assert_eq!(r.title, "绩效自评报告");
    // A printed title is kept as printed.
    let titled = "<html><body><p>2022年度项目支出绩效自评报告</p><p>一、基本情况</p>\
        <p>正文。</p></body></html>";
    assert_eq!(
        report_of(titled).expect("a report").title,
        "2022年度项目支出绩效自评报告"
    );
}

#[test]
fn a_report_titled_only_by_its_page_metadata_takes_that_title() {
    // 038: the page's metadata table (标题:… / 索引号:… / 成文日期:…) carries the title; the
    // report after it opens with 一、 and has no title paragraph.
    for file in ["rebuilt.docx", "source.txt"] {
        let (forms, _) = corpus_forms("038", file);
        let report = forms
            .iter()
            .find_map(|f| match f {
                Form::Report(r) => Some(r),
                _ => None,
            })
            .unwrap_or_else(|| panic!("038 {file}: no report in {forms:?}"));
        assert_eq!(
            report.title, "锡林郭勒盟城乡居民基本养老保险补助资金2022年度绩效自评报告",
            "{file}"
        );
        assert!(
            report
                .sections
                .iter()
                .any(|s| s.heading.starts_with("一、绩效目标分解下达情况")),
            "{file}: {:?}",
            report.sections
        );
    }
    // A metadata table whose 标题 names no report is not taken for one.
    let html = "<html><body><table><tr><td>标题:关于公布收费目录的通知</td></tr>\
        <tr><td>索引号:123</td></tr></table><p>一、收费项目</p><p>正文。</p></body></html>";
    let imported = import("n.html", html.as_bytes(), &Limits::default()).expect("reads");
    assert!(
        !imported
            .forms
            .iter()
            .any(|f| matches!(f.form, Form::Report(_))),
        "{:?}",
        imported.forms
    );
}

/// A self-evaluation whose header is two rows: 年度指标值 split into 符号 | 值 | 单位 and
/// 自评得分 into 单项指标得分 | 权重占比 | 折算得分, under a budget block headed 预算数 | 到位数 |
/// 执行数 | 预算执行进度. `rows` are the indicator rows (name, sign, value, unit, actual, item
/// score, weight share, weighted score).
fn split_header_page(rows: &[[&str; 8]]) -> String {
    let body: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td>产出指标</td><td>数量指标</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td></td></tr>",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
            )
        })
        .collect();
    format!(
        "<html><body><p>2023年度项目支出绩效自评表</p><table>\
         <tr><td>项目名称</td><td colspan=\"10\">示例项目</td></tr>\
         <tr><td>主管部门</td><td colspan=\"4\">示例局</td><td>实施单位</td><td colspan=\"5\">示例单位</td></tr>\
         <tr><td>项目资金（万元）</td><td colspan=\"2\">预算数</td><td colspan=\"2\">到位数</td><td colspan=\"2\">执行数</td><td colspan=\"4\">预算执行进度</td></tr>\
         <tr><td>年度资金总额</td><td colspan=\"2\">100</td><td colspan=\"2\">100</td><td colspan=\"2\">95</td><td colspan=\"4\">95%</td></tr>\
         <tr><td rowspan=\"2\">一级指标</td><td rowspan=\"2\">二级指标</td><td rowspan=\"2\">三级指标</td><td colspan=\"3\">年度指标值</td><td rowspan=\"2\">实际完成值</td><td colspan=\"3\">自评得分</td><td rowspan=\"2\">偏差原因分析</td></tr>\
         <tr><td>符号</td><td>值</td><td>单位</td><td>单项指标得分</td><td>权重占比</td><td>折算得分</td></tr>\
         {body}\
         </table></body></html>"
    )
}

fn audit_codes(html: &str) -> Vec<&'static str> {
    let imported = import("form.html", html.as_bytes(), &Limits::default()).expect("reads");
    let inputs: Vec<jixiao_core::audit::Input<'_>> = imported
        .forms
        .iter()
        .map(|f| jixiao_core::audit::Input {
            form: &f.form,
            location: &f.location,
            provenance: &f.provenance,
        })
        .collect();
    jixiao_core::audit::audit(&inputs, &jixiao_core::scoring::ScoringPolicy::default())
        .into_iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn two_row_headers_join_the_children_of_a_split_column() {
    let html = split_header_page(&[
        ["培训人数", "≥", "90", "人", "95人", "100", "40%", "40"],
        ["验收合格率", "=", "100", "%", "100%", "100", "60%", "60"],
    ]);
    let f = self_evaluation(&html);
    // 预算执行进度 is the block's rate.
    assert_eq!(f.funds.stated_rate, Some(decimal("95")));
    let names: Vec<&str> = f.indicators.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["培训人数", "验收合格率"]);
    // The target as written: 符号 + 值 + 单位.
    assert_eq!(f.indicators[0].target, "≥90人");
    assert_eq!(f.indicators[1].target, "=100%");
    // The score is the 折算得分; 单项指标得分 is kept apart; 权重占比 is the weight in points.
    let r = &f.indicators[0];
    assert_eq!(
        (r.item_score, r.weight, r.score),
        (
            Some(decimal("100")),
            Some(decimal("40")),
            Some(decimal("40"))
        )
    );
    assert!(!audit_codes(&html).contains(&"P09"));
}

#[test]
fn a_score_weighted_twice_is_flagged() {
    // The 单项指标得分 are already points (40 of 40, 60 of 60), then multiplied by 权重占比.
    let html = split_header_page(&[
        ["培训人数", "≥", "90", "人", "95人", "40", "40%", "16"],
        ["验收合格率", "=", "100", "%", "100%", "60", "60%", "36"],
    ]);
    assert!(audit_codes(&html).contains(&"P09"));
}

#[test]
fn template_placeholder_rows_are_not_indicators() {
    // 007 keeps its template's 指标2 / …… rows under each 二级指标; 002 a …… row.
    for doc in ["007", "002"] {
        let (forms, _) = corpus_forms(doc, "rebuilt.docx");
        let Some(Form::ProjectSelfEvaluation(f)) = forms.first() else {
            panic!("{doc}: not a self-evaluation: {forms:?}");
        };
        for r in &f.indicators {
            let name = r.name.trim_end_matches([':', '：']);
            let ellipsis = !name.is_empty() && name.chars().all(|c| c == '…');
            let numbered =
                name.starts_with("指标") && name[6..].chars().all(|c| c.is_ascii_digit());
            assert!(
                !ellipsis && !numbered,
                "{doc}: placeholder row read as an indicator: {r:?}"
            );
        }
    }
    let (forms, _) = corpus_forms("007", "rebuilt.docx");
    let Some(Form::ProjectSelfEvaluation(f)) = forms.first() else {
        panic!()
    };
    assert_eq!(
        f.indicators.iter().filter(|r| !r.name.is_empty()).count(),
        9
    );
}

/// The audit's findings on every form `file` holds.
fn findings(file: &str, bytes: &[u8]) -> Vec<jixiao_core::audit::Finding> {
    let imported = import(file, bytes, &Limits::default()).expect("reads");
    let inputs: Vec<jixiao_core::audit::Input<'_>> =
        imported.forms.iter().map(|f| f.input()).collect();
    jixiao_core::audit::audit(&inputs, &jixiao_core::scoring::ScoringPolicy::default())
}

/// The one report of a document, which must hold nothing else.
fn the_report(file: &str, bytes: &[u8]) -> jixiao_core::form::report::Report {
    let imported = import(file, bytes, &Limits::default()).expect("reads");
    let forms: Vec<&Form> = imported.forms.iter().map(|f| &f.form).collect();
    match forms.as_slice() {
        [Form::Report(r)] => r.clone(),
        other => panic!("{file}: not one report: {other:?}"),
    }
}

/// The (total, [(source, amount)]) of each column of a report's funds grid, as printed.
fn grid(r: &jixiao_core::form::report::Report) -> Vec<(String, Option<String>, Vec<String>)> {
    r.funds
        .as_ref()
        .expect("a funds grid")
        .columns
        .iter()
        .map(|c| {
            (
                c.kind.name().to_string(),
                c.total.map(|a| a.to_string()),
                c.sources
                    .iter()
                    .map(|s| {
                        format!(
                            "{}={}",
                            s.source,
                            s.amount.map(|a| a.to_string()).unwrap_or_default()
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

/// 048 (Zhejiang 财政支出政策绩效评价报告): its cover's funds grid, 计划安排资金 / 实际到位资金
/// by source with each source label repeated per column, then 实际支出, is read into the
/// report, from the extracted text (a flattened `|` table in one paragraph) and from the
/// rebuilt Word table alike; the year is the document's (2020, not the 2021 signing date),
/// and the grid adds up, so R07 and R08 stay quiet.
#[test]
fn a_report_cover_funds_grid_is_read_and_checked() {
    for file in ["source.txt", "rebuilt.docx"] {
        let (_, imported) = corpus_forms("048", file);
        assert_eq!(imported.forms.len(), 1, "{file}: {:?}", imported.forms);
        let Form::Report(r) = &imported.forms[0].form else {
            panic!("{file}: not a report")
        };
        assert_eq!(r.title, "淳安县财政支出政策绩效评价报告", "{file}");
        assert_eq!(r.year, Some(2020), "{file}");
        assert_eq!(
            r.unit.as_deref(),
            Some("淳安县文化和广电旅游体育局"),
            "{file}"
        );
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            grid(r),
            vec![
                (
                    "计划安排".to_string(),
                    Some("1088.00万元".to_string()),
                    s(&[
                        "中央财政=",
                        "省财政=",
                        "市财政=49.34万元",
                        "县财政=1038.66万元"
                    ])
                ),
                (
                    "实际到位".to_string(),
                    Some("1020.02万元".to_string()),
                    s(&[
                        "中央财政=",
                        "省财政=",
                        "市财政=49.34万元",
                        "县财政=970.68万元"
                    ])
                ),
                (
                    "实际支出".to_string(),
                    Some("1020.02万元".to_string()),
                    vec![]
                ),
            ],
            "{file}"
        );
        // Every figure keeps its cell.
        let p = &imported.forms[0].provenance;
        assert!(
            p.contains_key("funds.columns[1].sources[3].amount"),
            "{p:?}"
        );
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../testdata/corpus/048-zhejiang-chunan-public-culture-report")
                .join(file),
        )
        .expect("file");
        let found = findings(file, &bytes);
        assert!(
            !found.iter().any(|f| f.code == "R07" || f.code == "R08"),
            "{file}: {found:?}"
        );
    }
}

/// A 财政支出项目绩效评价自评报告 of the Hunan kind, as text extraction gives it: 附件1, the
/// form's own title, the cover lines, the project's title, then the funds grid 计划安排 /
/// 实际到位 / 实际支出 / 结余 × 中央 / 省 / 市 / 区 / 其它 with each row label repeated in
/// every column, then 支出明细. `grid` holds the grid's rows (`|`-separated).
fn hunan_report_text(grid: &str) -> String {
    format!(
        "附件1\n\n财政支出项目绩效评价自评报告\n\n项目名称：县级储备粮补贴\n\n项目单位：衡山县商务和粮食局\n\n\
         主管部门：衡山县财政局\n\n填报日期：2021年3月10日\n\n湖南省财政厅制\n\n\
         2020年度县级储备粮补贴项目绩效自评报告\n\n一、项目基本情况\n\n{grid}\n\n二、项目支出明细\n\n\
         支出内容 | 计划支出数 | 实际支出数 |\n\n储备粮利息补贴 | 150.00 | 140.00 |\n\n\
         三、绩效目标实现情况\n\n项目按计划实施。\n"
    )
}

/// The grid rows of the hand-made Hunan report: `planned`, `balance` and `province_balance`
/// are the figures the erroneous version changes.
fn hunan_grid(planned: &str, balance: &str, province_balance: &str) -> String {
    [
        format!(
            "计划安排 | {planned} | 实际到位 | 190.00 | 实际支出 | 175.50 | 结余 | {balance} |"
        ),
        "中央 | 120.00 | 中央 | 120.00 | 中央 | 110.00 | 中央 | 10.00 |".to_string(),
        format!("省 | 30.00 | 省 | 30.00 | 省 | 25.50 | 省 | {province_balance} |"),
        "市 | 市 | 市 | 市 |".to_string(),
        "区 | 50.00 | 区 | 40.00 | 区 | 40.00 | 区 | 0.00 |".to_string(),
        "其它 | 其它 | 其它 | 其它 |".to_string(),
    ]
    .join("\n\n")
}

/// The same report as a web page with the grid as a table (label and amount cells in turn).
fn hunan_report_page(planned: &str, balance: &str, province_balance: &str) -> String {
    let row = |cells: &[&str]| {
        let tds: String = cells.iter().map(|c| format!("<td>{c}</td>")).collect();
        format!("<tr>{tds}</tr>")
    };
    let rows = [
        row(&[
            "计划安排",
            planned,
            "实际到位",
            "190.00",
            "实际支出",
            "175.50",
            "结余",
            balance,
        ]),
        row(&[
            "中央", "120.00", "中央", "120.00", "中央", "110.00", "中央", "10.00",
        ]),
        row(&[
            "省",
            "30.00",
            "省",
            "30.00",
            "省",
            "25.50",
            "省",
            province_balance,
        ]),
        row(&["市", "", "市", "", "市", "", "市", ""]),
        row(&["区", "50.00", "区", "40.00", "区", "40.00", "区", "0.00"]),
        row(&["其它", "", "其它", "", "其它", "", "其它", ""]),
    ]
    .concat();
    format!(
        "<html><body><p>附件1</p><p>财政支出项目绩效评价自评报告</p><p>项目名称：县级储备粮补贴</p>\
         <p>项目单位：衡山县商务和粮食局</p><p>填报日期：2021年3月10日</p><p>湖南省财政厅制</p>\
         <p>2020年度县级储备粮补贴项目绩效自评报告</p><p>一、项目基本情况</p><table>{rows}</table>\
         <p>二、项目支出明细</p><p>三、绩效目标实现情况</p><p>项目按计划实施。</p></body></html>"
    )
}

/// A Hunan-kind report is one report (not split at its second title, not titled 附件1), its
/// year is the document's (2020: neither the 2021 filling date nor today), its funds grid is
/// read, and the audit checks it: each column's total against its sources (R07) and 结余
/// against 实际到位 − 实际支出, in total and per source (R08), naming the cells. The clean
/// version stays quiet.
#[test]
fn a_hunan_report_funds_grid_is_one_report_and_checked() {
    let clean_text = hunan_report_text(&hunan_grid("200.00", "14.50", "4.50"));
    let wrong_text = hunan_report_text(&hunan_grid("210.00", "15.50", "5.50"));
    let clean_page = hunan_report_page("200.00", "14.50", "4.50");
    let wrong_page = hunan_report_page("210.00", "15.50", "5.50");
    for (file, clean, wrong) in [
        ("report.txt", clean_text.as_bytes(), wrong_text.as_bytes()),
        ("report.html", clean_page.as_bytes(), wrong_page.as_bytes()),
    ] {
        let r = the_report(file, clean);
        assert_eq!(r.title, "财政支出项目绩效评价自评报告", "{file}");
        assert_eq!(r.year, Some(2020), "{file}");
        assert_eq!(r.unit.as_deref(), Some("衡山县商务和粮食局"), "{file}");
        let columns = grid(&r);
        let names: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            names,
            ["计划安排", "实际到位", "实际支出", "结余"],
            "{file}"
        );
        assert_eq!(columns[3].1.as_deref(), Some("14.50万元"), "{file}");
        assert_eq!(
            columns[2].2,
            [
                "中央=110.00万元",
                "省=25.50万元",
                "市=",
                "区=40.00万元",
                "其它="
            ],
            "{file}"
        );
        let quiet = findings(file, clean);
        assert!(
            !quiet.iter().any(|f| f.code == "R07" || f.code == "R08"),
            "{file}: {quiet:?}"
        );
        let found = findings(file, wrong);
        let r07: Vec<_> = found.iter().filter(|f| f.code == "R07").collect();
        assert_eq!(r07.len(), 1, "{file}: {found:?}");
        assert_eq!(r07[0].stated.as_deref(), Some("210.00万元"));
        assert_eq!(r07[0].computed.as_deref(), Some("200.00万元"));
        assert!(r07[0].message.contains("计划安排"), "{}", r07[0].message);
        let r08: Vec<_> = found.iter().filter(|f| f.code == "R08").collect();
        assert_eq!(r08.len(), 2, "{file}: {found:?}");
        assert_eq!(r08[0].computed.as_deref(), Some("14.50万元"));
        assert!(r08[1].message.contains("“省”"), "{}", r08[1].message);
        assert_eq!(r08[1].computed.as_deref(), Some("4.50万元"));
        if file.ends_with(".html") {
            // The evidence names the cells it read: 到位 190.00 in column 4, 支出 in column 6.
            assert!(
                r08[0].evidence.contains("第1行第4列") && r08[0].evidence.contains("第1行第6列"),
                "{}",
                r08[0].evidence
            );
            assert_eq!(r08[0].location.col, Some(8), "{:?}", r08[0].location);
        }
    }
}

/// Every report of the corpus (the 19 documents of kind `report`, monitoring reports among
/// them), from its extracted text and its rebuilt Word file: one document is one report,
/// never titled by an attachment number, and the year it reads is the year expected.toml
/// states (the document's, never today's); `missing` lists what is not read.
#[test]
fn every_corpus_report_is_one_report_of_its_own_year() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/corpus");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut reports = 0;
    let mut without_year = Vec::new();
    for dir in dirs {
        let meta: toml::Table = std::fs::read_to_string(dir.join("meta.toml"))
            .expect("meta")
            .parse()
            .expect("meta parses");
        if meta["kind"].as_str() != Some("report") {
            continue;
        }
        let expected: toml::Table = std::fs::read_to_string(dir.join("expected.toml"))
            .expect("expected")
            .parse()
            .expect("expected parses");
        let year = expected
            .get("year")
            .and_then(|y| y.as_integer())
            .and_then(|y| u16::try_from(y).ok());
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        for file in ["source.txt", "rebuilt.docx"] {
            let bytes = std::fs::read(dir.join(file)).expect("file");
            let imported = import(file, &bytes, &Limits::default()).expect("reads");
            let found: Vec<&jixiao_core::form::report::Report> = imported
                .forms
                .iter()
                .filter_map(|f| match &f.form {
                    Form::Report(r) => Some(r),
                    _ => None,
                })
                .collect();
            assert_eq!(found.len(), 1, "{name} {file}: {} reports", found.len());
            let r = found[0];
            assert!(!r.title.starts_with("附件"), "{name} {file}: {}", r.title);
            reports += 1;
            match r.year {
                Some(y) => assert_eq!(Some(y), year, "{name} {file}: year"),
                None => without_year.push(format!("{name} {file}")),
            }
        }
    }
    assert_eq!(reports, 2 * 19, "reports checked");
    assert!(without_year.is_empty(), "no year read: {without_year:?}");
}

/// The grid printed the other way round (a source per row under a 计划安排 | 实际到位 | 实际支出
/// | 结余 header, totals in a 合计 row): each figure goes to the column its header cell stands
/// over, an empty cell shifting nothing, and the checks read it the same.
#[test]
fn a_report_funds_grid_with_a_source_per_row_is_read_by_column() {
    let page = |balance: &str| {
        format!(
            "<html><body><p>财政支出项目绩效评价自评报告</p><p>项目名称：县级储备粮补贴</p>\
             <p>项目起止时间：2020年度</p><table>\
             <tr><td>资金来源</td><td>计划安排</td><td>实际到位</td><td>实际支出</td><td>结余</td></tr>\
             <tr><td>合计</td><td>200.00</td><td>190.00</td><td>175.50</td><td>{balance}</td></tr>\
             <tr><td>中央</td><td>120.00</td><td>120.00</td><td>110.00</td><td>10.00</td></tr>\
             <tr><td>省</td><td>30.00</td><td>30.00</td><td>25.50</td><td>4.50</td></tr>\
             <tr><td>区</td><td>50.00</td><td></td><td>40.00</td><td>0.00</td></tr>\
             <tr><td>其它</td><td></td><td>40.00</td><td></td><td></td></tr>\
             </table><p>一、项目基本情况</p><p>正文。</p></body></html>"
        )
    };
    let clean = page("14.50");
    let r = the_report("grid.html", clean.as_bytes());
    assert_eq!(r.year, Some(2020));
    let columns = grid(&r);
    assert_eq!(
        columns[1].2,
        ["中央=120.00万元", "省=30.00万元", "区=", "其它=40.00万元"],
        "{columns:?}"
    );
    assert_eq!(
        columns[2].2,
        ["中央=110.00万元", "省=25.50万元", "区=40.00万元", "其它="],
        "{columns:?}"
    );
    assert_eq!(columns[3].1.as_deref(), Some("14.50万元"));
    let quiet = findings("grid.html", clean.as_bytes());
    assert!(
        !quiet.iter().any(|f| f.code == "R07" || f.code == "R08"),
        "{quiet:?}"
    );
    let wrong = page("24.50");
    let found = findings("grid.html", wrong.as_bytes());
    let codes: Vec<&str> = found
        .iter()
        .filter(|f| f.code.starts_with('R'))
        .map(|f| f.code)
        .collect();
    // 结余 24.50 against 190.00 − 175.50 = 14.50, and against its sources 10 + 4.5 + 0.
    assert_eq!(codes, ["R07", "R08"], "{found:?}");
}

/// An untitled report under an attachment number (附件1, then a body that says it reports a
/// self-evaluation) is one report, not titled 附件1, with the year its opening names.
#[test]
fn an_untitled_report_under_an_attachment_number_is_read() {
    let text = "附件1\n\n根据县财政局《关于开展2020年度项目支出绩效自评工作的通知》要求，我局对县级储备粮补贴项目开展了绩效自评，\
        现将2020年度县级储备粮补贴项目绩效自评报告如下：\n\n\
        一、项目基本情况\n\n2020年县级储备粮补贴资金200万元，已全部到位。\n";
    let r = the_report("r.txt", text.as_bytes());
    assert!(!r.title.starts_with("附件"), "{}", r.title);
    assert_eq!(r.year, Some(2020));
}

#[test]
fn an_overall_target_without_column_words_is_read_as_one_text() {
    // 034's extracted text: 年度总体目标 then its prose (run together, figures and all) up
    // to the indicator table, with no 预期目标 / 实际完成情况 words.
    let (forms, _) = corpus_forms("034", "source.txt");
    let target = forms
        .iter()
        .find_map(|f| match f {
            Form::TransferPayment(f) => Some(&f.overall_target),
            _ => None,
        })
        .expect("034 is read as a transfer-payment self-evaluation");
    assert!(
        target
            .expected
            .starts_with("一是通过政府招标采购方式,采购马铃薯原原种425万粒")
            && target.expected.ends_with("平均亩产马铃薯原种2500公斤"),
        "{target:?}"
    );
}

#[test]
fn a_missing_value_of_a_flattened_row_is_marked_where_it_belongs() {
    // One cell per line; the actual is an empty cell (`|`), so the rebuilt row has no cell
    // there. C02 is marked at the actual's column, at the text just after the target.
    let cells =
        "项目名称|培训项目|主管部门|人社局|项目资金(万元)|全年预算数|全年执行数|分值|执行率|\
                 得分|年度资金总额|100|100|10|100%|10|一级指标|二级指标|三级指标|年度指标值|\
                 实际完成值|分值|得分|产出指标|数量指标|培训人次|3000人次||90|90|总分|100|100"
            .split('|')
            .collect::<Vec<_>>();
    let text: String = cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                "|\n".to_string()
            } else {
                format!("{c} |\n")
            }
        })
        .collect();
    let imported = import("t.txt", text.as_bytes(), &Limits::default()).expect("reads");
    let inputs: Vec<_> = imported.forms.iter().map(|f| f.input()).collect();
    let findings = jixiao_core::audit::audit(&inputs, &Default::default());
    let c02 = findings
        .iter()
        .find(|f| f.code == "C02")
        .unwrap_or_else(|| panic!("C02 fires: {findings:#?}"));
    let target_line = cells.iter().position(|c| *c == "3000人次").unwrap() + 1;
    assert_eq!(c02.location.col, Some(5), "{c02:#?}");
    assert_eq!(c02.location.source, Some((target_line, 1)), "{c02:#?}");
}
