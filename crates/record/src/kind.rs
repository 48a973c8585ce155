//! The form types the system manages for a unit's year, and how they hang together: a
//! self-evaluation starts from its declaration, so nobody retypes the targets.

use jixiao_core::form::Form;
use jixiao_core::form::ex_ante::ExAnteAssessment;
use jixiao_core::form::monitoring::{
    MonitoredIndicator, Monitoring, MonitoringFunds, TargetProgress,
};
use jixiao_core::form::report::{Report, ReportKind, Section};
use jixiao_core::form::transfer::{FundLevel, ManagementItem, TransferFunds, TransferPayment};
use jixiao_core::form::{
    DeclaredIndicator, DepartmentTarget, FundSource, Funds, FundsRow, IndicatorRow, OverallTarget,
    ProjectTarget, SelfEvaluation, Task, TaskBudget,
};
use jixiao_core::indicator::Layout;
use jixiao_core::money::Amount;
use serde::Serialize;

/// A form kind code the system does not know (the code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的表单类型“{0}”")]
pub struct UnknownKind(pub String);

/// A kind of form a unit files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 项目支出绩效目标申报表.
    ProjectTarget,
    /// 部门整体支出绩效目标申报表.
    DepartmentTarget,
    /// 项目支出绩效目标执行监控表 (运行监控).
    Monitoring,
    /// 项目支出绩效自评表.
    ProjectSelfEvaluation,
    /// 部门整体支出绩效自评表.
    DepartmentSelfEvaluation,
    /// 绩效自评报告.
    Report,
    /// 转移支付区域（项目）绩效自评表: the region's self-evaluation of a transfer payment,
    /// filed per transfer (its name is the form's project).
    TransferPayment,
    /// 事前绩效评估表: a project's ex-ante assessment, before it is declared.
    ExAnteAssessment,
}

impl FormKind {
    /// Every kind, in the order of the year.
    pub const ALL: [FormKind; 8] = [
        FormKind::ExAnteAssessment,
        FormKind::ProjectTarget,
        FormKind::DepartmentTarget,
        FormKind::Monitoring,
        FormKind::ProjectSelfEvaluation,
        FormKind::DepartmentSelfEvaluation,
        FormKind::TransferPayment,
        FormKind::Report,
    ];

    /// The code (the form's JSON tag).
    pub fn code(self) -> &'static str {
        match self {
            FormKind::ProjectTarget => "project_target",
            FormKind::DepartmentTarget => "department_target",
            FormKind::Monitoring => "monitoring",
            FormKind::ProjectSelfEvaluation => "project_self_evaluation",
            FormKind::DepartmentSelfEvaluation => "department_self_evaluation",
            FormKind::Report => "report",
            FormKind::TransferPayment => "transfer_payment_self_evaluation",
            FormKind::ExAnteAssessment => "ex_ante_assessment",
        }
    }

    /// The official title.
    pub fn name(self) -> &'static str {
        match self {
            FormKind::ProjectTarget => "项目支出绩效目标申报表",
            FormKind::DepartmentTarget => "部门整体支出绩效目标申报表",
            FormKind::Monitoring => "项目支出绩效目标执行监控表",
            FormKind::ProjectSelfEvaluation => "项目支出绩效自评表",
            FormKind::DepartmentSelfEvaluation => "部门整体支出绩效自评表",
            FormKind::Report => "绩效自评报告",
            FormKind::TransferPayment => "转移支付区域绩效自评表",
            FormKind::ExAnteAssessment => "事前绩效评估表",
        }
    }

    /// The kind of a code.
    pub fn from_code(code: &str) -> Option<FormKind> {
        FormKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind of a code that must be one (a stored form's): an unknown code is an error
    /// naming it, never taken for another kind.
    pub fn parse(code: &str) -> Result<FormKind, UnknownKind> {
        FormKind::from_code(code).ok_or_else(|| UnknownKind(code.to_string()))
    }

    /// The kind of a form, if the system manages that type.
    pub fn of(form: &Form) -> Option<FormKind> {
        match form {
            Form::ProjectTarget(_) => Some(FormKind::ProjectTarget),
            Form::DepartmentTarget(_) => Some(FormKind::DepartmentTarget),
            Form::ProjectSelfEvaluation(_) => Some(FormKind::ProjectSelfEvaluation),
            Form::DepartmentSelfEvaluation(_) => Some(FormKind::DepartmentSelfEvaluation),
            // A monitoring report (绩效监控报告) is not the year's 自评报告.
            Form::Report(r) if r.kind == ReportKind::Monitoring => None,
            Form::Report(_) => Some(FormKind::Report),
            Form::Monitoring(_) => Some(FormKind::Monitoring),
            Form::TransferPayment(_) => Some(FormKind::TransferPayment),
            Form::ExAnteAssessment(_) => Some(FormKind::ExAnteAssessment),
            // Read, shown and exported, but not filed through the workflow.
            Form::ProjectList(_) | Form::EvaluationTable(_) | Form::BaseData(_) => None,
        }
    }

    /// True for the kinds that belong to a project.
    pub fn is_project(self) -> bool {
        matches!(
            self,
            FormKind::ProjectTarget
                | FormKind::Monitoring
                | FormKind::ProjectSelfEvaluation
                | FormKind::TransferPayment
                | FormKind::ExAnteAssessment
        )
    }

    /// The declaration a form of this kind starts from (monitoring and self-evaluation share
    /// the declared indicator tree).
    pub fn declaration(self) -> Option<FormKind> {
        match self {
            FormKind::ProjectSelfEvaluation | FormKind::Monitoring => Some(FormKind::ProjectTarget),
            FormKind::DepartmentSelfEvaluation => Some(FormKind::DepartmentTarget),
            _ => None,
        }
    }
}

/// The name a form is listed under: the project's or the department's, else its title.
pub fn name_of(form: &Form) -> String {
    let name = match form {
        Form::ProjectTarget(f) => f.project_name.clone(),
        Form::DepartmentTarget(f) => f.department.clone(),
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.name.clone(),
        Form::Report(r) => r.unit.clone().unwrap_or_else(|| r.title.clone()),
        Form::Monitoring(f) => f.project_name.clone(),
        Form::ProjectList(f) => f.title.clone(),
        Form::EvaluationTable(f) => f.title.clone(),
        Form::BaseData(f) => f.title.clone(),
        Form::TransferPayment(f) => f.name.clone(),
        Form::ExAnteAssessment(f) => f.project_name.clone(),
    };
    if name.trim().is_empty() {
        form.title().to_string()
    } else {
        name
    }
}

/// The year a form states.
pub fn year_of(form: &Form) -> Option<u16> {
    match form {
        Form::ProjectTarget(f) => f.year,
        Form::DepartmentTarget(f) => f.year,
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.year,
        Form::Monitoring(f) => f.year,
        Form::TransferPayment(f) => f.year,
        Form::ExAnteAssessment(f) => f.year,
        Form::Report(r) => r.year.or_else(|| year_in_title(&r.title)),
        _ => None,
    }
}

/// The year a title names (`2021 年度部门整体支出绩效自评报告` → 2021).
fn year_in_title(title: &str) -> Option<u16> {
    let chars: Vec<char> = title.chars().filter(|c| !c.is_whitespace()).collect();
    chars.windows(5).find_map(|w| {
        (w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
            .filter(|y| (1990..=2100).contains(y))
    })
}

/// The standard indicator rows a blank form starts with: one per 二级 group of the national
/// catalog, so the filer sees the tree and fills in the 三级 names.
fn blank_tree() -> Vec<(&'static str, &'static str)> {
    vec![
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
}

/// A blank form of `kind` for a unit (and project) and year.
pub fn blank(kind: FormKind, year: u16, unit: &str, project: &str) -> Form {
    let indicators: Vec<DeclaredIndicator> = blank_tree()
        .into_iter()
        .map(|(l1, l2)| DeclaredIndicator {
            level1: l1.into(),
            level2: l2.into(),
            name: String::new(),
            target: String::new(),
            weight: None,
        })
        .collect();
    match kind {
        FormKind::ProjectTarget => Form::ProjectTarget(ProjectTarget {
            project_name: project.into(),
            unit: unit.into(),
            layout: Layout::Mof88,
            indicators,
            ..ProjectTarget::blank(Some(year))
        }),
        FormKind::DepartmentTarget => Form::DepartmentTarget(DepartmentTarget {
            year: Some(year),
            department: unit.into(),
            layout: Layout::Mof88,
            other_fields: Vec::new(),
            funds_total: None,
            funds_fiscal: None,
            funds_other: None,
            basic_expenditure: None,
            project_expenditure: None,
            duties: String::new(),
            tasks: Vec::new(),
            stated_tasks_total: None,
            annual_target: String::new(),
            indicators,
        }),
        FormKind::ProjectSelfEvaluation => Form::ProjectSelfEvaluation(self_evaluation(
            year,
            project,
            Some(unit),
            None,
            String::new(),
            &indicators,
        )),
        FormKind::DepartmentSelfEvaluation => Form::DepartmentSelfEvaluation(self_evaluation(
            year,
            unit,
            None,
            None,
            String::new(),
            &indicators,
        )),
        FormKind::Report => Form::Report(blank_report(year, unit)),
        FormKind::Monitoring => Form::Monitoring(monitoring(
            year,
            project,
            unit,
            None,
            String::new(),
            &indicators,
        )),
        FormKind::TransferPayment => {
            Form::TransferPayment(blank_transfer(year, project, unit, &indicators))
        }
        FormKind::ExAnteAssessment => Form::ExAnteAssessment(ExAnteAssessment {
            project_name: project.into(),
            unit: unit.into(),
            ..ExAnteAssessment::blank(Some(year))
        }),
    }
}

/// The national 转移支付区域绩效自评表, blank: the four funds rows, the seven aspects of
/// 资金管理情况, and the indicator tree.
fn blank_transfer(
    year: u16,
    name: &str,
    unit: &str,
    declared: &[DeclaredIndicator],
) -> TransferPayment {
    let funds = [
        FundLevel::Total,
        FundLevel::Central,
        FundLevel::Local,
        FundLevel::Other,
    ]
    .into_iter()
    .map(|level| TransferFunds {
        level,
        label: None,
        part: None,
        budget: None,
        received: None,
        executed: None,
        stated_rate: None,
    })
    .collect();
    let management = MANAGEMENT_ASPECTS
        .iter()
        .map(|aspect| ManagementItem {
            aspect: (*aspect).to_string(),
            explanation: String::new(),
            problems: None,
        })
        .collect();
    TransferPayment {
        year: Some(year),
        name: name.into(),
        central_department: None,
        local_department: None,
        implementing_unit: Some(unit.into()),
        other_fields: Vec::new(),
        funds,
        management,
        overall_target: OverallTarget::default(),
        indicators: declared
            .iter()
            .map(|d| {
                IndicatorRow::new(
                    d.level1.clone(),
                    d.level2.clone(),
                    d.name.clone(),
                    d.target.clone(),
                )
            })
            .collect(),
        stated_total: None,
        notes: Vec::new(),
    }
}

/// The aspects of 资金管理情况 on the national transfer-payment form.
pub const MANAGEMENT_ASPECTS: [&str; 7] = [
    "分配科学性",
    "下达及时性",
    "拨付合规性",
    "使用规范性",
    "执行准确性",
    "预算绩效管理情况",
    "支出责任履行情况",
];

/// A monitoring form for a project: the declared tree and targets, the declared funds as the
/// budget, the annual target as 年初设定目标; progress is for the filer to fill.
fn monitoring(
    year: u16,
    project: &str,
    unit: &str,
    budget: Option<(Option<Amount>, Option<Amount>, Option<Amount>)>,
    target: String,
    declared: &[DeclaredIndicator],
) -> Monitoring {
    let (total, fiscal, other) = budget.unwrap_or((None, None, None));
    let row = |source, amount: Option<Amount>| MonitoringFunds {
        source,
        initial_budget: amount,
        adjusted_budget: None,
        executed: None,
        expected_year_end: None,
    };
    Monitoring {
        year: Some(year),
        project_name: project.into(),
        competent_department: None,
        implementing_unit: Some(unit.to_string()).filter(|u| !u.is_empty()),
        layout: Layout::Mof88,
        other_fields: Vec::new(),
        period_end_month: 7,
        funds: vec![
            row(FundSource::Total, total),
            row(FundSource::CurrentFiscal, fiscal),
            row(FundSource::Other, other),
        ],
        overall_target: TargetProgress {
            target,
            progress: String::new(),
        },
        indicators: declared
            .iter()
            .map(|d| {
                MonitoredIndicator::new(
                    d.level1.clone(),
                    d.level2.clone(),
                    d.name.clone(),
                    d.target.clone(),
                )
            })
            .collect(),
        problems: None,
        measures: None,
    }
}

/// The form of `kind` that starts from a declaration: a self-evaluation or a monitoring form
/// with the declared indicator tree and targets.
pub fn started_from(declaration: &Form, kind: FormKind, year: u16) -> Option<Form> {
    match (kind, declaration) {
        (FormKind::Monitoring, Form::ProjectTarget(d)) => Some(Form::Monitoring(monitoring(
            year,
            &d.project_name,
            &d.unit,
            Some((d.funds_total, d.funds_fiscal, d.funds_other)),
            d.annual_target.clone(),
            &d.indicators,
        ))),
        (FormKind::ProjectSelfEvaluation | FormKind::DepartmentSelfEvaluation, _) => {
            self_evaluation_from(declaration, year)
        }
        _ => None,
    }
}

/// The report's outline (rules.md §7.2), with empty sections to write in.
fn blank_report(year: u16, unit: &str) -> Report {
    let headings = [
        "一、基本情况",
        "二、绩效目标",
        "三、自评工作开展情况",
        "四、绩效目标实现情况",
        "五、存在的问题及原因",
        "六、改进措施",
        "七、结果应用及公开",
    ];
    Report {
        kind: ReportKind::SelfEvaluation,
        title: format!("{year}年度部门整体支出绩效自评报告"),
        unit: Some(unit.to_string()),
        date: None,
        year: Some(year),
        funds: None,
        sections: headings
            .into_iter()
            .map(|h| Section {
                heading: h.to_string(),
                level: 1,
                paragraphs: Vec::new(),
            })
            .collect(),
    }
}

fn self_evaluation(
    year: u16,
    name: &str,
    implementing_unit: Option<&str>,
    budget: Option<(Option<Amount>, Option<Amount>, Option<Amount>)>,
    expected: String,
    declared: &[DeclaredIndicator],
) -> SelfEvaluation {
    let (total, fiscal, other) = budget.unwrap_or((None, None, None));
    let row = |source, amount: Option<Amount>| FundsRow {
        source,
        label: None,
        initial_budget: amount,
        full_year_budget: amount,
        executed: None,
    };
    SelfEvaluation {
        year: Some(year),
        name: name.into(),
        competent_department: None,
        implementing_unit: implementing_unit.map(str::to_string),
        layout: Layout::Mof88,
        other_fields: Vec::new(),
        funds: Funds {
            rows: vec![
                row(FundSource::Total, total),
                row(FundSource::CurrentFiscal, fiscal),
                row(FundSource::CarryOver, None),
                row(FundSource::Other, other),
            ],
            weight: Some(rust_decimal::Decimal::TEN),
            stated_rate: None,
            stated_score: None,
        },
        overall_target: OverallTarget {
            expected,
            actual: String::new(),
        },
        indicators: declared
            .iter()
            .map(|d| {
                IndicatorRow::new(
                    d.level1.clone(),
                    d.level2.clone(),
                    d.name.clone(),
                    d.target.clone(),
                )
            })
            .collect(),
        stated_total_weight: None,
        stated_total: None,
        stated_grade: None,
        notes: Vec::new(),
    }
}

/// This year's declaration started from last year's `previous` of the same project (or
/// department): its indicator tree and targets, its annual target, header cells and duties,
/// for the unit to revise; the funds, the tasks' amounts and the cost build-up are this year's
/// to fill. `None` when `previous` is not a declaration.
pub fn declaration_from_last_year(previous: &Form, year: u16) -> Option<Form> {
    match previous {
        Form::ProjectTarget(p) => Some(Form::ProjectTarget(ProjectTarget {
            project_name: p.project_name.clone(),
            unit: p.unit.clone(),
            layout: p.layout,
            other_fields: p.other_fields.clone(),
            medium_term_target: p.medium_term_target.clone(),
            annual_target: p.annual_target.clone(),
            indicators: p.indicators.clone(),
            stated_total_weight: p.stated_total_weight,
            ..ProjectTarget::blank(Some(year))
        })),
        Form::DepartmentTarget(p) => Some(Form::DepartmentTarget(DepartmentTarget {
            year: Some(year),
            department: p.department.clone(),
            layout: p.layout,
            other_fields: p.other_fields.clone(),
            funds_total: None,
            funds_fiscal: None,
            funds_other: None,
            basic_expenditure: None,
            project_expenditure: None,
            duties: p.duties.clone(),
            tasks: p
                .tasks
                .iter()
                .map(|t| Task {
                    name: t.name.clone(),
                    content: t.content.clone(),
                    budget: TaskBudget {
                        total: None,
                        fiscal: None,
                        other: None,
                    },
                })
                .collect(),
            stated_tasks_total: None,
            annual_target: p.annual_target.clone(),
            indicators: p.indicators.clone(),
        })),
        _ => None,
    }
}

/// The self-evaluation that starts from a declaration: the same indicator tree and targets,
/// the declared funds as the budget, the declared annual target as 预期目标. Weights, actual
/// values and scores are for the filer to fill.
pub fn self_evaluation_from(declaration: &Form, year: u16) -> Option<Form> {
    match declaration {
        Form::ProjectTarget(d) => Some(Form::ProjectSelfEvaluation(self_evaluation(
            year,
            &d.project_name,
            Some(&d.unit).filter(|u| !u.is_empty()).map(String::as_str),
            Some((d.funds_total, d.funds_fiscal, d.funds_other)),
            d.annual_target.clone(),
            &d.indicators,
        ))),
        Form::DepartmentTarget(d) => Some(Form::DepartmentSelfEvaluation(self_evaluation(
            year,
            &d.department,
            None,
            Some((d.funds_total, d.funds_fiscal, d.funds_other)),
            d.annual_target.clone(),
            &d.indicators,
        ))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_evaluation_keeps_the_declared_targets() {
        let text = include_str!("../../../testdata/forms/seed000-project-target.json");
        let declaration = Form::from_json(text).expect("seed form");
        let Form::ProjectTarget(d) = &declaration else {
            panic!("not a project target")
        };
        let Some(Form::ProjectSelfEvaluation(s)) = self_evaluation_from(&declaration, 2021) else {
            panic!("no self-evaluation")
        };
        assert_eq!(s.name, d.project_name);
        assert_eq!(s.indicators.len(), d.indicators.len());
        for (row, declared) in s.indicators.iter().zip(&d.indicators) {
            assert_eq!(
                (&row.level1, &row.level2, &row.name, &row.target),
                (
                    &declared.level1,
                    &declared.level2,
                    &declared.name,
                    &declared.target
                )
            );
        }
        assert_eq!(
            s.funds.total().and_then(|t| t.full_year_budget),
            d.funds_total
        );
        assert_eq!(s.overall_target.expected, d.annual_target);
    }

    #[test]
    fn codes_round_trip_and_match_the_json_tags() {
        for k in FormKind::ALL {
            assert_eq!(FormKind::from_code(k.code()), Some(k));
            let form = blank(k, 2026, "某单位", "某项目");
            assert_eq!(FormKind::of(&form), Some(k));
            assert!(
                form.to_json()
                    .expect("written")
                    .contains(&format!("\"form\": \"{}\"", k.code()))
            );
            assert_eq!(FormKind::parse(k.code()), Ok(k));
        }
        let unknown = FormKind::parse("annual_report").expect_err("unknown");
        assert_eq!(unknown.to_string(), "未知的表单类型“annual_report”");
    }

    #[test]
    fn a_monitoring_report_is_not_filed_as_the_years_self_evaluation_report() {
        let Form::Report(mut report) = blank(FormKind::Report, 2026, "某单位", "") else {
            panic!("not a report")
        };
        assert_eq!(
            FormKind::of(&Form::Report(report.clone())),
            Some(FormKind::Report)
        );
        report.kind = ReportKind::Monitoring;
        assert_eq!(FormKind::of(&Form::Report(report)), None);
    }

    #[test]
    fn a_report_is_filed_under_the_year_its_document_states() {
        let Form::Report(mut report) = blank(FormKind::Report, 2026, "某单位", "") else {
            panic!("not a report")
        };
        // A title without a year (财政支出项目绩效评价自评报告): the year read from the cover.
        report.title = "财政支出项目绩效评价自评报告".into();
        report.year = Some(2020);
        assert_eq!(year_of(&Form::Report(report.clone())), Some(2020));
        // Neither: no year, so the filer is asked; the title's year when only it has one.
        report.year = None;
        assert_eq!(year_of(&Form::Report(report.clone())), None);
        report.title = "2021年度项目支出绩效自评报告".into();
        assert_eq!(year_of(&Form::Report(report)), Some(2021));
    }
}

/// True when nothing a filer fills in has been filled: no amount other than zero, and no
/// indicator with a value (a self-evaluation started from its declaration carries the declared
/// names and targets; those alone do not make it filled). An empty form cannot be sent on.
pub fn is_empty(form: &Form) -> bool {
    use jixiao_core::money::Amount;
    let none = |amounts: &[Option<&Amount>]| {
        amounts
            .iter()
            .flatten()
            .all(|a| a.value() == rust_decimal::Decimal::ZERO)
    };
    let blank = |t: &str| t.trim().is_empty();
    match form {
        Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) => {
            s.funds.rows.iter().all(|r| {
                none(&[
                    r.initial_budget.as_ref(),
                    r.full_year_budget.as_ref(),
                    r.executed.as_ref(),
                ])
            }) && s
                .indicators
                .iter()
                .all(|i| blank(&i.actual) && i.score.is_none())
                && s.stated_total.is_none()
        }
        Form::ProjectTarget(d) => {
            none(&[
                d.funds_total.as_ref(),
                d.funds_fiscal.as_ref(),
                d.funds_other.as_ref(),
            ]) && d
                .indicators
                .iter()
                .all(|i| blank(&i.name) && blank(&i.target))
        }
        Form::DepartmentTarget(d) => {
            none(&[
                d.funds_total.as_ref(),
                d.funds_fiscal.as_ref(),
                d.funds_other.as_ref(),
            ]) && d
                .indicators
                .iter()
                .all(|i| blank(&i.name) && blank(&i.target))
                && d.tasks.iter().all(|t| blank(&t.name) && blank(&t.content))
        }
        Form::Monitoring(m) => {
            m.funds.iter().all(|r| {
                none(&[
                    r.initial_budget.as_ref(),
                    r.adjusted_budget.as_ref(),
                    r.executed.as_ref(),
                ])
            }) && m.indicators.iter().all(|i| blank(&i.progress))
        }
        Form::Report(r) => r
            .sections
            .iter()
            .all(|s| s.paragraphs.iter().all(|p| blank(p))),
        Form::TransferPayment(t) => {
            t.funds
                .iter()
                .all(|r| none(&[r.budget.as_ref(), r.received.as_ref(), r.executed.as_ref()]))
                && t.indicators.iter().all(|i| blank(&i.actual))
                && t.management.iter().all(|m| blank(&m.explanation))
        }
        Form::ExAnteAssessment(a) => {
            a.aspects
                .iter()
                .all(|r| r.score.is_none() && blank(&r.reasoning))
                && a.conclusion.is_none()
                && blank(&a.opinion)
        }
        _ => false,
    }
}

#[cfg(test)]
mod emptiness {
    use super::*;

    #[test]
    fn a_blank_form_is_empty_and_a_real_one_is_not() {
        for kind in [
            FormKind::ProjectTarget,
            FormKind::DepartmentTarget,
            FormKind::ProjectSelfEvaluation,
            FormKind::DepartmentSelfEvaluation,
            FormKind::Monitoring,
            FormKind::ExAnteAssessment,
        ] {
            assert!(is_empty(&blank(kind, 2026, "某单位", "某项目")), "{kind:?}");
        }
        let seed = Form::from_json(include_str!(
            "../../../testdata/forms/seed001-daily-operations.json"
        ))
        .expect("seed form");
        assert!(!is_empty(&seed));
    }
}
