//! The page templates (askama, in `templates/`) and the rows they show.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jixiao_app::results::FixStatus;
use jixiao_app::rows::YearRow;
use jixiao_app::service::{ImportOutcome, Session};
use jixiao_core::audit::{Finding, Severity};

use crate::edit::{FieldError, Grid};

/// The header's signed-in part.
pub struct Nav {
    pub name: String,
    pub role: String,
    pub org: String,
    pub csrf: String,
    /// True for the finance bureau's roles (the dashboard link).
    pub bureau: bool,
    /// True for the roles that administer units and users (the 系统管理 links).
    pub admin: bool,
    /// True for the finance bureau's reviewers (the 抽评 link).
    pub reviewer: bool,
    /// True for a 第三方/专家: the menu is their assignments and forms.
    pub expert: bool,
    /// True while the user must change a one-time password: the menu is hidden.
    pub password_only: bool,
}

impl Nav {
    pub fn of(s: &Session) -> Option<Nav> {
        Some(Nav {
            name: s.actor.display_name.clone(),
            role: s.actor.role.name().to_string(),
            org: s.actor.org_name.clone(),
            csrf: s.csrf.clone(),
            bureau: s.actor.is_bureau(),
            admin: s.actor.administers(),
            reviewer: s.actor.role == jixiao_app::role::Role::Finance,
            expert: s.actor.role == jixiao_app::role::Role::Expert,
            password_only: s.must_change_password,
        })
    }
}

/// A rendered page, or `None` when its template failed (already logged).
#[must_use]
pub struct Page(Option<String>);

impl Page {
    /// The page with `status`; a page whose template failed is a 500 whatever `status` says.
    pub fn with_status(self, status: StatusCode) -> Response {
        match self.0 {
            Some(html) => (status, Html(html)).into_response(),
            None => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(format!(
                    "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>出错了</title><p>页面生成失败：{}</p></html>",
                    crate::error::INTERNAL
                )),
            )
                .into_response(),
        }
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        self.with_status(StatusCode::OK)
    }
}

/// Renders a template. A template that fails is logged and served as a 500 page with a
/// message in Chinese (never a panic, never a 200).
pub fn render<T: Template>(t: &T) -> Page {
    match t.render() {
        Ok(html) => Page(Some(html)),
        Err(e) => {
            tracing::error!(error = %e, template = std::any::type_name::<T>(), "template failed");
            Page(None)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: Option<Nav>,
    title: &'a str,
    message: &'a str,
    back: &'a str,
}

pub fn error_page(title: &str, message: &str, back: &str) -> Page {
    render(&ErrorPage {
        nav: None,
        title,
        message,
        back,
    })
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub nav: Option<Nav>,
    pub error: Option<String>,
    pub username: String,
}

pub struct TodoRow {
    pub id: i64,
    pub what: String,
    pub org: String,
    pub year: i64,
    pub kind: String,
    pub name: String,
    pub stage: String,
    pub stage_code: String,
    pub reason: String,
    pub deadline: String,
    /// `逾期3天`, when the deadline has passed.
    pub overdue: String,
}

impl TodoRow {
    /// The row of a 待办 item.
    pub fn of(t: jixiao_app::service::Todo) -> TodoRow {
        TodoRow {
            id: t.form.id,
            what: t.what,
            org: t.org_name,
            year: t.form.year,
            kind: t.form.kind.name().to_string(),
            name: t.form.name,
            stage: t.form.stage.name().to_string(),
            stage_code: t.form.stage.code().to_string(),
            reason: t.reason.unwrap_or_default(),
            deadline: t.deadline.unwrap_or_else(|| "未设".to_string()),
            overdue: t
                .overdue_days
                .map(|d| format!("逾期{d}天"))
                .unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub todo: Vec<TodoRow>,
    /// Rectifications waiting: to answer (a unit), to close (the bureau).
    pub fixes: Vec<TodoRow>,
    /// Everything waiting, shown or not.
    pub todo_total: usize,
    pub deadlines: Vec<String>,
    pub can_create: bool,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub projects: Vec<String>,
    pub year: String,
}

pub struct FormRowView {
    pub id: i64,
    pub org: String,
    pub year: i64,
    pub kind: String,
    pub name: String,
    pub stage: String,
    pub stage_code: String,
    pub version: i64,
    pub total: String,
    pub grade: String,
    pub errors: i64,
    pub warnings: i64,
    pub light: Option<jixiao_core::monitor::Light>,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "forms.html")]
pub struct FormList {
    pub nav: Option<Nav>,
    pub rows: Vec<FormRowView>,
    /// The units of the drop-down (empty when there are too many: a name field instead).
    pub units: Vec<(i64, String, bool)>,
    /// The unit-name fragment typed.
    pub unit_name: String,
    pub kinds: Vec<(&'static str, &'static str, bool)>,
    pub stages: Vec<(&'static str, &'static str, bool)>,
    pub stage_counts: Vec<(&'static str, i64)>,
    pub lights: Vec<(&'static str, &'static str, bool)>,
    pub year: String,
    pub q: String,
    /// Forms matching in all pages.
    pub total: i64,
    /// This page (from 1) and the number of pages.
    pub page: u32,
    pub pages: u32,
    /// The query string of this list without `page`, for the pager's links.
    pub query: String,
}

pub struct FindingView {
    /// The finding's key (`code@field`), as explanations name it.
    pub key: String,
    /// The explanation the unit gave when it sent the form on, if any.
    pub note: Option<String>,
    /// A finding of the target review (T01–T08): the unit's note is its answer.
    pub review: bool,
    pub code: &'static str,
    pub title: &'static str,
    pub severity: &'static str,
    pub severity_class: &'static str,
    pub message: String,
    pub evidence: String,
    pub basis: &'static str,
    pub field: String,
}

impl FindingView {
    /// The finding with the explanation `notes` give it (its own, else the one for all).
    pub fn with_notes(f: &Finding, notes: &[jixiao_app::rows::NoteRow]) -> FindingView {
        let mut view = FindingView::of(f);
        view.note = notes
            .iter()
            .find(|n| n.finding == view.key)
            .or_else(|| {
                notes
                    .iter()
                    .find(|n| n.finding == "*" && f.severity == Severity::Error)
            })
            .map(|n| n.note.clone());
        view
    }

    pub fn of(f: &Finding) -> FindingView {
        let (severity, severity_class) = match f.severity {
            Severity::Error => ("错误", "error"),
            Severity::Warning => ("警告", "warning"),
            Severity::Info => ("提示", "info"),
            Severity::CannotCheck => ("无法核对", "cannot-check"),
        };
        FindingView {
            key: jixiao_app::service::finding_key(f),
            note: None,
            review: jixiao_core::audit::targets::is_review(f.code),
            code: f.code,
            title: f.title,
            severity,
            severity_class,
            message: f.message.clone(),
            evidence: f.evidence.clone(),
            basis: f.basis,
            // An indicator's stated score is the input `indicators[k].score`; the execution
            // score keeps its name (`funds.stated_score`).
            field: f.location.file.replace("].stated_score", "].score"),
        }
    }
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    pub org: String,
    pub year: i64,
    pub stage: &'static str,
    pub stage_code: &'static str,
    pub version: i64,
    /// The form's one total, its grade and what it is (`单位自评总分` …).
    pub total: Option<String>,
    pub grade: Option<String>,
    pub total_basis: Option<&'static str>,
    /// Jixiao's computed score, shown beside the total.
    pub computed: Option<String>,
    /// How the total relates to the computed score, in sentences.
    pub total_explained: Vec<String>,
    pub message: Option<String>,
    pub errors: Vec<FieldError>,
    pub return_reason: Option<String>,
    /// The deadline of the form's year and kind, and the days past it while the unit holds
    /// the form.
    pub deadline: Option<(String, Option<i64>)>,
    pub grid: Grid,
    pub editable: bool,
    pub has_rows: bool,
    pub row_ops: Vec<(String, String)>,
    pub findings: Vec<FindingView>,
    pub oob: bool,
    pub n_errors: usize,
    pub n_warnings: usize,
    pub n_infos: usize,
    pub actions: Vec<(&'static str, &'static str)>,
    pub needs_reason: bool,
    pub exports: Vec<(&'static str, &'static str)>,
    /// True when the form's kind has an offline template to download.
    pub templates: bool,
    pub attachments: Vec<(i64, String, String)>,
    pub fixes: Vec<FixView>,
    /// Monitoring lights that are not green: (word, code, what, explanation).
    pub warnings: Vec<(&'static str, &'static str, String, String)>,
    /// What a monitoring form still has to state.
    pub missing: Vec<String>,
    pub is_monitoring: bool,
    pub can_rectify: bool,
    pub can_copy: bool,
    /// The filer may delete this draft.
    pub deletable: bool,
    /// At 审定: the bureau may adopt the computed score (it differs from the total).
    pub can_adopt: bool,
    /// Sending on needs these audit errors explained: (key, code and message, as typed).
    pub to_explain: Vec<(String, String, String)>,
    /// Why the last workflow step was refused, shown beside the buttons.
    pub action_error: Option<String>,
    /// Values read uncertainly from a scan, to confirm against the paper before sending on.
    pub readings: Vec<jixiao_app::readings::Reading>,
    /// The reason typed with the refused step, kept.
    pub typed_reason: String,
    /// The adoption box as ticked with the refused step.
    pub adopt_checked: bool,
    /// Sending on needs these findings of the target review answered: (key, finding, as typed).
    pub to_answer: Vec<(String, String, String)>,
    /// The library's suggestions beside a declaration the user may edit.
    pub suggestions: Option<SuggestPanel>,
    /// A project declaration's 事前绩效评估 (or that the year requires one).
    pub ex_ante: Option<ExAntePanel>,
    /// 绩效目标调整 of a handed-over declaration.
    pub adjustments: Option<AdjustmentPanel>,
    /// The payments fed to a monitoring form.
    pub payments: Option<PaymentsPanel>,
    /// The experts the form is assigned to (for the bureau).
    pub assignments: Option<AssignmentsPanel>,
}

/// The 事前绩效评估 of a project declaration, as its page shows it.
pub struct ExAntePanel {
    /// The assessment form, when there is one.
    pub id: Option<i64>,
    /// What it says, in sentences.
    pub lines: Vec<String>,
    /// True when the declaration may go on on it (or the year requires none).
    pub ok: bool,
}

/// The 绩效目标调整 of a declaration, as its page shows them.
pub struct AdjustmentPanel {
    /// The requests, oldest first.
    pub items: Vec<AdjustmentLine>,
    /// True when the user may ask for an adjustment now (handed over, none pending).
    pub can_request: bool,
    /// True when the user may decide the pending request.
    pub can_decide: bool,
}

/// One target adjustment request.
pub struct AdjustmentLine {
    pub id: i64,
    /// 待审核 / 已批准 / 未批准.
    pub status: &'static str,
    pub pending: bool,
    /// The version it was asked against.
    pub based_on: i64,
    pub reason: String,
    pub requested_by: String,
    /// Who decided and why, in a sentence.
    pub decision: Option<String>,
    /// What it changes, in sentences.
    pub changes: String,
}

/// The page where a unit asks to adjust its declaration's targets: the declaration's fields,
/// editable, and the reason.
#[derive(Template)]
#[template(path = "adjust.html")]
pub struct AdjustPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub id: i64,
    pub kind: &'static str,
    pub name: String,
    pub org: String,
    pub year: i64,
    pub version: i64,
    pub grid: crate::edit::Grid,
    /// Always true: the grid's fields are inputs.
    pub editable: bool,
    pub has_rows: bool,
    pub row_ops: Vec<(String, String)>,
    pub reason: String,
    pub errors: Vec<FieldError>,
    pub message: Option<String>,
}

/// The 支付数据 page: the upload form and the uploads kept.
#[derive(Template)]
#[template(path = "payments.html")]
pub struct PaymentsPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub year: i64,
    pub years: Vec<i64>,
    pub uploads: Vec<PaymentUploadLine>,
}

/// One upload in the list.
pub struct PaymentUploadLine {
    pub id: i64,
    pub year: i64,
    pub file_name: String,
    pub rows: i64,
    pub unmatched: usize,
    pub at: String,
    pub by: String,
}

/// One upload: the projects it fed and the rows that matched none.
#[derive(Template)]
#[template(path = "payment_upload.html")]
pub struct PaymentUploadPage {
    pub nav: Option<Nav>,
    pub id: i64,
    pub year: i64,
    pub file_name: String,
    pub rows: i64,
    pub at: String,
    pub by: String,
    pub matched: Vec<MatchedLine>,
    /// (sheet, row, the row's cells, why).
    pub unmatched: Vec<(String, usize, String, String)>,
}

/// A project an upload fed.
pub struct MatchedLine {
    pub form_id: i64,
    pub project: String,
    pub unit: String,
    pub months: String,
    pub rows: usize,
    pub amount: String,
}

/// A monitoring form's payments by month.
pub struct PaymentsPanel {
    /// The budget the rate is measured against, 万元.
    pub budget: Option<String>,
    /// The stated 执行数 against the payments, when they differ.
    pub differs: Option<String>,
    /// The uploads the months come from, a line each.
    pub sources: Vec<String>,
    pub months: Vec<PaidMonth>,
}

/// One month of payments.
pub struct PaidMonth {
    pub month: u8,
    pub paid: String,
    pub cumulative: String,
    pub rate: String,
    /// The upload and its rows.
    pub source: String,
}

/// The registers of 中介机构 and 专家.
#[derive(Template)]
#[template(path = "experts.html")]
pub struct ExpertsPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    /// A notice (the new expert's one-time password, shown once).
    pub message: Option<String>,
    pub institutions: Vec<InstitutionLine>,
    pub experts: Vec<ExpertLine>,
}

/// An institution in the register.
pub struct InstitutionLine {
    pub id: i64,
    pub name: String,
    pub nature: String,
    pub credit_rating: String,
    pub contact: String,
    pub assignments: i64,
}

/// An expert in the register.
pub struct ExpertLine {
    pub name: String,
    pub username: String,
    pub field: String,
    pub title: String,
    pub rating: String,
    pub institution: String,
    pub assignments: usize,
}

/// A form's 第三方评审 panel (for the bureau).
pub struct AssignmentsPanel {
    /// The assignments.
    pub items: Vec<AssignmentLine>,
    /// The experts of the register, to assign: (user id, name and field).
    pub experts: Vec<(i64, String)>,
    /// The default period.
    pub starts: String,
    pub ends: String,
}

/// One assignment.
pub struct AssignmentLine {
    pub id: i64,
    pub form_id: i64,
    pub form: String,
    pub expert: String,
    pub period: String,
    pub status: &'static str,
    pub running: bool,
    pub opinion: String,
    pub total: String,
}

/// An expert's assignments.
#[derive(Template)]
#[template(path = "assignments.html")]
pub struct AssignmentsPage {
    pub nav: Option<Nav>,
    pub items: Vec<AssignmentLine>,
}

/// An expert's assignment: the declaration first, then the form and the scores.
#[derive(Template)]
#[template(path = "assignment.html")]
pub struct AssignmentPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub line: AssignmentLine,
    /// True until the expert has declared.
    pub declare: bool,
    /// The words of the declaration of no conflict.
    pub no_conflict: &'static str,
    /// The declaration made.
    pub declaration: String,
    /// True when the expert may score (declared, running).
    pub scoring: bool,
    pub opinion: String,
    /// The score column's heading.
    pub score_word: &'static str,
    /// The score lines (self-evaluations only).
    pub lines: Vec<RescoreLine>,
}

/// 指标库 suggestions beside a declaration: the words searched and what was found.
pub struct SuggestPanel {
    /// The words typed (empty: ranked by the project's name and annual target).
    pub q: String,
    pub items: Vec<SuggestItem>,
}

/// One suggested indicator as the panel shows it.
pub struct SuggestItem {
    /// The library key, posted by its 添加 button.
    pub key: String,
    pub level1: &'static str,
    pub level2: &'static str,
    pub name: String,
    /// The 指标值 added with it.
    pub typical: String,
    pub origin: &'static str,
    /// 固化 for the project's field.
    pub fixed: bool,
    /// Who uses it, in words (`5个单位的12张表`).
    pub usage: String,
    /// The spread of targets set, in words.
    pub spread: Option<String>,
    /// Last year's target and actual of the same project, in words.
    pub last_year: Option<String>,
}

impl SuggestItem {
    /// `s` in words.
    pub fn of(s: &jixiao_core::library::Suggestion) -> SuggestItem {
        let spread = s.spread.as_ref().map(|p| {
            format!(
                "目标值中位数{}{}（四分位{}–{}{}，{}个值）",
                p.median.normalize(),
                p.unit,
                p.q1.normalize(),
                p.q3.normalize(),
                p.unit,
                p.count
            )
        });
        let last_year = s.last_year.as_ref().map(|l| match &l.actual {
            Some(a) => format!("本项目{}年：目标{}，实际完成{}", l.year, l.target, a),
            None => format!("本项目{}年：目标{}", l.year, l.target),
        });
        SuggestItem {
            key: s.key.clone(),
            level1: s.level1,
            level2: s.level2,
            name: s.name.clone(),
            typical: s.typical.clone(),
            origin: s.origin,
            fixed: s.fixed,
            usage: match s.uses {
                0 => "尚无单位使用".to_string(),
                n => format!("{}个单位的{n}张表使用", s.units),
            },
            spread,
            last_year,
        }
    }
}

pub struct FixView {
    pub id: i64,
    pub status: String,
    pub status_name: &'static str,
    pub description: String,
    pub deadline: String,
    pub answer: String,
    /// The evidence sent with the answer: (attachment id, name, size).
    pub evidence: Vec<(i64, String, String)>,
    pub can_answer: bool,
    pub can_close: bool,
}

impl FixView {
    pub fn of(x: &jixiao_app::results::Fix, can_answer: bool, can_close: bool) -> FixView {
        FixView {
            evidence: Vec::new(),
            id: x.id,
            status_name: x.status.name(),
            status: x.status.code().to_string(),
            description: x.description.clone(),
            deadline: x.deadline.clone(),
            answer: x.answer.clone().unwrap_or_default(),
            can_answer: can_answer && x.status == FixStatus::Open,
            can_close: can_close && x.status == FixStatus::Answered,
        }
    }
}

pub struct ResultView {
    pub id: i64,
    pub unit: String,
    pub kind: String,
    pub name: String,
    pub stage: String,
    pub total: String,
    pub grade: String,
    pub consequence: String,
    pub fixes: String,
}

#[derive(Template)]
#[template(path = "results.html")]
pub struct ResultsPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub year: i64,
    pub years: Vec<i64>,
    pub public: bool,
    pub can_publish: bool,
    pub can_rectify: bool,
    pub default_deadline: String,
    pub rows: Vec<ResultView>,
}

#[derive(Template)]
#[template(path = "public.html")]
pub struct PublicPage {
    pub nav: Option<Nav>,
    pub year: i64,
    /// Who publishes the results (the finance bureaus).
    pub authority: String,
    /// When (`2026-12-07`).
    pub published_on: String,
    pub rows: Vec<jixiao_app::results::PublicRow>,
}

#[derive(Template)]
#[template(path = "preview.html")]
pub struct Preview {
    pub warnings: Vec<(&'static str, &'static str, String, String)>,
    pub missing: Vec<String>,
    pub is_monitoring: bool,
    pub calcs: Vec<(String, String)>,
    pub markers: Vec<(String, Vec<String>)>,
    pub findings: Vec<FindingView>,
    pub oob: bool,
    pub n_errors: usize,
    pub n_warnings: usize,
    pub n_infos: usize,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub file: String,
    pub outcome: ImportOutcome,
    pub back: String,
    /// The changed fields of an import into a form, in words.
    pub changes: Vec<String>,
    /// For an import into a form: (form id, version before, version after), to undo it.
    pub undo: Option<(i64, i64, i64)>,
}

/// An upload questioned before anything is filed: forms already filed, or a file naming
/// another unit, year or project. The user answers and chooses the file again.
#[derive(Template)]
#[template(path = "question.html")]
pub struct UploadQuestion {
    pub nav: Option<Nav>,
    pub csrf: String,
    /// Where the answer goes (`/forms/upload`, `/forms/{id}/import`).
    pub action: String,
    pub file: String,
    pub message: String,
    /// Forms already filed: (id, description).
    pub existing: Vec<(i64, String)>,
    /// Differences to confirm, in words.
    pub differences: Vec<String>,
    /// Fields the answer carries again (`year`, `version`).
    pub hidden: Vec<(String, String)>,
    /// True when replacing the forms already filed is possible.
    pub can_replace: bool,
    pub back: String,
    /// True when the answer must carry the file again (a background import kept its forms).
    pub file_again: bool,
}

/// A background import (`/jobs/{id}`): its progress, refreshed every second while it runs,
/// then what it filed or why it failed.
#[derive(Template)]
#[template(path = "job.html")]
pub struct JobPage {
    pub nav: Option<Nav>,
    pub job: jixiao_app::jobs::JobView,
}

/// "Delete this draft?", asked before it is deleted.
#[derive(Template)]
#[template(path = "confirm_delete.html")]
pub struct ConfirmDelete {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub id: i64,
    pub version: i64,
    pub kind: &'static str,
    pub name: String,
    pub year: i64,
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct History {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub id: i64,
    pub name: String,
    /// The current version.
    pub version: i64,
    /// True when an earlier version may be restored now.
    pub restorable: bool,
    /// Versions: (number, time, by).
    pub versions: Vec<(i64, String, String)>,
    pub events: Vec<(String, String, String, String, String, String)>,
    /// Change-log entries: (number, the entry as a sentence).
    pub changes: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "years.html")]
pub struct Years {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub years: Vec<YearRow>,
    pub can_manage: bool,
    pub settings: Vec<(i64, SettingsView)>,
    /// What the last save did.
    pub notice: Option<String>,
}

pub struct SettingsView {
    /// The form's fields by group, in order: (group, fields).
    pub groups: Vec<(&'static str, Vec<crate::year_form::SettingField>)>,
    /// What was wrong with the last post of this year's form.
    pub errors: Vec<String>,
}

impl SettingsView {
    /// The fields grouped as the form shows them.
    pub fn of(fields: Vec<crate::year_form::SettingField>, errors: Vec<String>) -> SettingsView {
        let mut groups: Vec<(&'static str, Vec<crate::year_form::SettingField>)> = Vec::new();
        for f in fields {
            match groups.iter_mut().find(|(g, _)| *g == f.group) {
                Some((_, list)) => list.push(f),
                None => groups.push((f.group, vec![f])),
            }
        }
        SettingsView { groups, errors }
    }
}

pub struct UnitView {
    pub id: i64,
    pub name: String,
    pub department: String,
    pub forms: usize,
    pub submitted: usize,
    pub stage: String,
    pub overdue: bool,
    pub total: String,
    pub errors: i64,
    pub red: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub nav: Option<Nav>,
    pub d: std::sync::Arc<jixiao_app::dashboard::Dashboard>,
    pub region: String,
    pub year: i64,
    pub years: Vec<i64>,
    pub deadline: String,
    pub stages: Vec<(&'static str, &'static str, usize)>,
    pub overdue: Vec<(i64, String)>,
    pub lights: Vec<(String, &'static str, usize)>,
    pub grade_chart: String,
    pub band_chart: String,
    pub scatter: String,
    pub units: Vec<UnitView>,
    pub checks: Vec<(String, &'static str, usize)>,
    pub error_units: Vec<(String, i64)>,
    pub ranking: Vec<(usize, String, String)>,
    pub trend_years: Vec<i64>,
    pub trend: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "evaluations.html")]
pub struct EvaluationsPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub can_evaluate: bool,
    pub units: Vec<(i64, String)>,
    pub year: String,
    pub rule_sets: Vec<(&'static str, &'static str)>,
    pub rows: Vec<(i64, String, i64, String, String, String, String)>,
}

pub struct IndicatorView {
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub points: String,
    pub measure: String,
    pub score: String,
    pub stated: String,
    pub differs: bool,
    pub explanation: String,
    pub judgeable: bool,
    pub judged_score: String,
    pub judged_reason: String,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
pub struct EvaluationPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub id: i64,
    pub unit: String,
    pub year: i64,
    pub rules_name: String,
    pub source: String,
    pub total: String,
    pub grade: String,
    pub missing: Vec<String>,
    pub binding: Vec<(String, String, String, String, bool, String)>,
    pub rows: Vec<IndicatorView>,
    pub can_judge: bool,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "region.html")]
pub struct RegionPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    /// The runs kept, newest first, each with when it ran.
    pub runs: Vec<(String, jixiao_app::region::RegionRunRow)>,
    /// The years to audit, newest first.
    pub years: Vec<i64>,
}

#[derive(Template)]
#[template(path = "region_run.html")]
pub struct RegionRunPage {
    pub nav: Option<Nav>,
    pub view: jixiao_app::region::RunView,
    pub filter: jixiao_app::region::RunFindingFilter,
    /// True when the filter narrows the findings.
    pub filtered: bool,
    /// The severities' names, for the filter.
    pub severities: Vec<&'static str>,
    /// The export link, with the filter.
    pub export: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value whose display fails, as a broken filter or field would.
    struct Failing;

    impl std::fmt::Display for Failing {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Err(std::fmt::Error)
        }
    }

    #[derive(Template)]
    #[template(source = "<p>{{ value }}</p>", ext = "html")]
    struct Broken {
        value: Failing,
    }

    #[derive(Template)]
    #[template(source = "<p>{{ value }}</p>", ext = "html")]
    struct Fine {
        value: &'static str,
    }

    async fn body(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }

    #[tokio::test]
    async fn a_failing_template_is_a_500_in_chinese() {
        let r = render(&Broken { value: Failing }).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body(r).await.contains("系统内部错误"));
        // A status asked for does not hide the failure.
        let r = render(&Broken { value: Failing }).with_status(StatusCode::CONFLICT);
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let r = render(&Fine { value: "好" }).into_response();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(body(r).await, "<p>好</p>");
        let r = render(&Fine { value: "好" }).with_status(StatusCode::CONFLICT);
        assert_eq!(r.status(), StatusCode::CONFLICT);
    }
}

/// 指标库: browsing, the bureau's curation, the units' proposals.
#[derive(Template)]
#[template(path = "library.html")]
pub struct LibraryPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub message: Option<String>,
    /// The words searched.
    pub q: String,
    /// The 二级指标 filtered by (empty: all).
    pub level2: String,
    /// Every 二级指标, for the filter and the proposal.
    pub level2s: Vec<&'static str>,
    /// Every field, for 固化 and the proposal.
    pub fields: Vec<&'static str>,
    /// The proposals waiting (the bureau only).
    pub proposals: Vec<jixiao_app::curation::EntryView>,
    /// The entries found.
    pub entries: Vec<LibraryRow>,
    pub can_curate: bool,
    pub can_propose: bool,
}

/// An entry of the library page with the entries it may be merged into.
pub struct LibraryRow {
    pub e: jixiao_app::curation::EntryView,
    /// Entries of the same 二级指标 among those found: (key, name).
    pub merge_into: Vec<(String, String)>,
}

/// 抽评: the draw form, the spot checks kept, the units by gap.
#[derive(Template)]
#[template(path = "spot_checks.html")]
pub struct SpotChecksPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub year: i64,
    pub years: Vec<i64>,
    pub checks: Vec<SpotCheckLine>,
    /// (unit, reviewed forms, mean gap, largest gap, runs high).
    pub gaps: Vec<(String, usize, String, String, bool)>,
    /// The gap from which a unit runs high.
    pub high: i64,
}

/// A spot check in the list.
pub struct SpotCheckLine {
    pub id: i64,
    pub year: i64,
    /// How it was drawn, in words.
    pub how: String,
    pub by: String,
}

/// One spot check and its drawn forms.
#[derive(Template)]
#[template(path = "spot_check.html")]
pub struct SpotCheckPage {
    pub nav: Option<Nav>,
    pub id: i64,
    pub year: i64,
    pub how: String,
    pub by: String,
    pub items: Vec<SpotItemLine>,
}

/// A drawn form in the list.
pub struct SpotItemLine {
    pub id: i64,
    pub form_id: i64,
    pub name: String,
    pub unit: String,
    pub department: String,
    pub unit_total: String,
    pub reviewed_total: String,
    pub gap: String,
    /// The unit scored itself high.
    pub high: bool,
}

/// The review form of a drawn self-evaluation.
#[derive(Template)]
#[template(path = "spot_item.html")]
pub struct SpotItemPage {
    pub nav: Option<Nav>,
    /// The score column's heading (复核得分).
    pub score_word: &'static str,
    pub csrf: String,
    pub id: i64,
    pub spot_check_id: i64,
    pub form_id: i64,
    pub name: String,
    pub unit_total: String,
    pub reviewed_total: String,
    pub gap: String,
    /// The rectification proposed when the unit scored itself high.
    pub fix: Option<String>,
    /// Its default deadline.
    pub deadline: String,
    pub lines: Vec<RescoreLine>,
}

/// One line of the review: what the unit stated, what Jixiao computed, the reviewer's score.
pub struct RescoreLine {
    /// `execution` or `i{row}`.
    pub key: String,
    pub name: String,
    pub weight: String,
    pub stated: String,
    pub computed: String,
    pub score: String,
    pub reason: String,
}
