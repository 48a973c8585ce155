//! Region-wide audit: the finance bureau uploads a .zip (or a single file) of forms from many
//! units and gets the audit of all of them, grouped by unit, each finding linked to its form
//! (in the report, and in the system when the unit has filed the same form there). Each unit a
//! file names is assigned to the unit of the system of that name (`（本级）` and bracket forms
//! alike, [`crate::filing::names_unit`]); what cannot be assigned is listed as such.
//!
//! The archive is untrusted: entries are counted and read with the importer's limits (each
//! file, and the total inflated), names are only labels (never paths on disk), and anything
//! unreadable is listed as such, never dropped.

use crate::batch::{FileAudit, audit_bytes};
use jixiao_core::audit::Finding;
use jixiao_core::audit::FormSummary;
use jixiao_grid::{BoundedZip, ZipFault};
use jixiao_store::forms::FormFilter;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::service::{Download, author};
use crate::{App, AppError};
use jixiao_store::region_runs::NewRegionRun;
pub use jixiao_store::region_runs::{RegionRunRow, RunFileRow, RunFindingFilter, RunFindingRow};

/// The most files one archive may hold.
pub const MAX_FILES: usize = 5_000;

/// One form of the region audit.
#[derive(Debug, Clone, Serialize)]
pub struct FormAudit {
    /// An anchor for links within the report (`f12`).
    pub anchor: String,
    /// The file inside the archive.
    pub file: String,
    /// Unit, totals, grade, counts.
    pub summary: FormSummary,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// The same form in the system, when the unit has filed it there.
    pub form_id: Option<i64>,
}

/// A unit's forms.
#[derive(Debug, Clone, Serialize)]
pub struct UnitAudit {
    /// The unit as the forms name it (or the archive's folder).
    pub unit: String,
    /// The unit of the system it was assigned to, by name: (id, name); `None` when no unit the
    /// bureau oversees bears that name.
    pub assigned: Option<(i64, String)>,
    /// Errors over its forms.
    pub errors: usize,
    /// Warnings over its forms.
    pub warnings: usize,
    /// Its forms.
    pub forms: Vec<FormAudit>,
}

/// The audit of an archive.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionAudit {
    /// Files read.
    pub files: usize,
    /// Per unit, most errors first.
    pub units: Vec<UnitAudit>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    /// Entries left out (folders, unsupported types), with why.
    pub skipped: Vec<(String, String)>,
    /// Units named by the files that match no unit of the system: (unit, its files).
    pub unassigned: Vec<(String, Vec<String>)>,
    /// Files read without trouble that hold no form, with why.
    pub empty: Vec<(String, String)>,
}

/// The kinds of file a region's upload may hold, for messages.
const SUPPORTED: &str = ".docx .xlsx .xls .xlsb .ods .html .txt .pdf";

fn supported(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "docx" | "xlsx" | "xlsm" | "xls" | "xlsb" | "et" | "ods" | "html" | "htm" | "txt" | "pdf"
    )
}

/// The entries of an archive as (name, bytes), within the limits.
fn entries(
    name: &str,
    bytes: &[u8],
    limits: &jixiao_recognize::Limits,
    out: &mut RegionAudit,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut zip = BoundedZip::open(
        bytes,
        MAX_FILES,
        limits.max_file_bytes,
        limits.max_total_bytes,
    )
    .map_err(|f| match f {
        ZipFault::TooManyEntries { count, .. } => {
            AppError::Invalid(format!("{name} 含{count}个文件，超过上限{MAX_FILES}个"))
        }
        other => AppError::Invalid(format!("{name} 不是可读的 zip 压缩包：{other}")),
    })?;
    let mut files = Vec::new();
    for k in 0..zip.len() {
        let entry_name = zip.name(k).unwrap_or_default();
        if zip.is_dir(k) || entry_name.starts_with("__MACOSX") {
            continue;
        }
        if !supported(&entry_name) {
            out.skipped.push((
                entry_name,
                format!("不支持的文件类型（可审核 {SUPPORTED}）"),
            ));
            continue;
        }
        match zip.read(k) {
            Ok(data) => files.push((entry_name, data)),
            Err(ZipFault::EntryTooLarge { limit, .. }) => out
                .unreadable
                .push((entry_name, format!("解压后超过单个文件上限 {limit} 字节"))),
            Err(ZipFault::TotalTooLarge { limit }) => {
                return Err(AppError::Invalid(format!(
                    "{name} 解压后的总量超过上限 {limit} 字节（疑似压缩炸弹），已停止"
                )));
            }
            Err(other) => {
                return Err(AppError::Invalid(format!(
                    "{name} 中的 {entry_name} 无法解压：{other}"
                )));
            }
        }
    }
    Ok(files)
}

impl App {
    /// Audits every form of an uploaded archive (or single file) for the bureau.
    pub async fn region_audit(
        &self,
        actor: &Actor,
        name: &str,
        bytes: &[u8],
    ) -> Result<RegionAudit, AppError> {
        self.region_audit_files(actor, vec![(name.to_string(), bytes.to_vec())])
            .await
    }

    /// Audits every form of several uploaded files (a folder chosen in the browser: names keep
    /// their relative paths), each a .zip or a form file.
    pub async fn region_audit_files(
        &self,
        actor: &Actor,
        uploads: Vec<(String, Vec<u8>)>,
    ) -> Result<RegionAudit, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::RegionAudit, &chain)?;
        if uploads.len() > MAX_FILES {
            return Err(AppError::Invalid(format!(
                "一次上传了{}个文件，超过上限{MAX_FILES}个",
                uploads.len()
            )));
        }
        let mut out = RegionAudit::default();
        let mut files = Vec::new();
        for (name, bytes) in uploads {
            // Relative paths are kept as labels (the unit's folder), never used on disk.
            let label = name.replace('\\', "/");
            if label.to_ascii_lowercase().ends_with(".zip") {
                files.extend(entries(&label, &bytes, &self.limits(), &mut out)?);
            } else if supported(&label) {
                if bytes.len() as u64 > self.limits().max_file_bytes {
                    out.unreadable.push((
                        label,
                        format!("超过单个文件上限 {} 字节", self.limits().max_file_bytes),
                    ));
                } else {
                    files.push((label, bytes));
                }
            } else {
                out.skipped.push((
                    label,
                    format!("不支持的文件类型（可审核 .zip {SUPPORTED}）"),
                ));
            }
        }
        out.files = files.len();
        let policy = self.policy.clone();
        let limits = self.limits();
        // Reading is CPU-bound: off the request threads, so the server stays responsive.
        let audits: Vec<FileAudit> = self
            .parsing
            .run(move || {
                files
                    .into_iter()
                    .map(|(file, data)| audit_bytes(&file, &data, &limits, &policy, None))
                    .collect()
            })
            .await?;
        let orgs = self.visible_orgs(actor).await?;
        let known = self
            .store
            .forms(&FormFilter {
                org_ids: Some(orgs.iter().map(|o| o.id).collect()),
                ..FormFilter::default()
            })
            .await?;
        // A unit named in a file, assigned to the system's unit of that name: an exact name
        // first, else one name containing the other (`（本级）`).
        let units: Vec<&jixiao_store::orgs::OrgRow> =
            orgs.iter().filter(|o| o.kind != "finance").collect();
        let assign = |unit: &str| -> Option<(i64, String)> {
            units
                .iter()
                .find(|o| o.name == unit)
                .or_else(|| {
                    units
                        .iter()
                        .find(|o| crate::filing::names_unit(unit, std::slice::from_ref(&o.name)))
                })
                .map(|o| (o.id, o.name.clone()))
        };
        let mut n = 0;
        for a in audits {
            if let Some(e) = &a.error {
                out.unreadable.push((a.file.clone(), e.clone()));
                continue;
            }
            let folder = a
                .file
                .split('/')
                .rev()
                .nth(1)
                .map(str::to_string)
                .filter(|f| !f.is_empty());
            if a.summaries.is_empty() {
                out.empty.push((a.file.clone(), no_form_reason(&a.notes)));
                continue;
            }
            for summary in &a.summaries {
                n += 1;
                let unit = summary
                    .unit
                    .clone()
                    .or_else(|| folder.clone())
                    .unwrap_or_else(|| "（未注明单位）".into());
                let form_name = summary.form.split_once('：').map_or("", |(_, n)| n);
                let assigned = assign(&unit);
                let form_id = assigned
                    .as_ref()
                    .and_then(|(id, _)| {
                        known
                            .iter()
                            .find(|f| f.org_id == *id && f.name == form_name)
                    })
                    .map(|f| f.id);
                let form = FormAudit {
                    anchor: format!("f{n}"),
                    file: a.file.clone(),
                    findings: a
                        .findings
                        .iter()
                        .filter(|f| f.form == summary.form)
                        .cloned()
                        .collect(),
                    summary: summary.clone(),
                    form_id,
                };
                match out.units.iter_mut().find(|u| u.unit == unit) {
                    Some(u) => u.forms.push(form),
                    None => out.units.push(UnitAudit {
                        unit,
                        assigned,
                        errors: 0,
                        warnings: 0,
                        forms: vec![form],
                    }),
                }
            }
        }
        for u in &mut out.units {
            u.errors = u.forms.iter().map(|f| f.summary.errors).sum();
            u.warnings = u.forms.iter().map(|f| f.summary.warnings).sum();
            if u.assigned.is_none() {
                let mut files: Vec<String> = u.forms.iter().map(|f| f.file.clone()).collect();
                files.dedup();
                out.unassigned.push((u.unit.clone(), files));
            }
        }
        out.units
            .sort_by(|a, b| b.errors.cmp(&a.errors).then(a.unit.cmp(&b.unit)));
        Ok(out)
    }
}

/// Why a readable file holds no form, from what the importer noted of it.
fn no_form_reason(notes: &[String]) -> String {
    match notes.first() {
        None => "未识别出表单：文件中没有可识别的表格（本系统审核绩效目标申报表、自评表、监控表、自评报告等）".into(),
        Some(first) => format!(
            "未识别出表单：文件中的内容不是本系统审核的表单（{}处未能识别，如“{}”）",
            notes.len(),
            first.chars().take(60).collect::<String>()
        ),
    }
}

/// A run's file status in words.
pub fn file_status_name(status: &str) -> &'static str {
    match status {
        "forms" => "已审核",
        "unassigned" => "未能对应单位",
        "empty" => "没有表单",
        "unreadable" => "无法读取",
        "skipped" => "已跳过",
        _ => "未知",
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What an audit found, as the run to keep: a row per file and unit, one per file without
/// forms (with why), and every finding.
fn run_of(org_id: i64, year: i64, archive: String, a: &RegionAudit) -> NewRegionRun {
    let mut file_rows = Vec::new();
    let mut findings = Vec::new();
    for u in &a.units {
        let org_id = u.assigned.as_ref().map(|(id, _)| *id);
        let mut files: Vec<RunFileRow> = Vec::new();
        for f in &u.forms {
            let (errors, warnings) = (count(f.summary.errors), count(f.summary.warnings));
            match files.iter_mut().find(|r| r.file == f.file) {
                Some(r) => {
                    r.forms += 1;
                    r.errors += errors;
                    r.warnings += warnings;
                }
                None => files.push(RunFileRow {
                    file: f.file.clone(),
                    unit: Some(u.unit.clone()),
                    org_id,
                    status: if org_id.is_some() { "forms" } else { "unassigned" }.into(),
                    reason: org_id.is_none().then(|| {
                        format!(
                            "系统中没有名为“{}”的单位：请核对单位名称，或先在“单位管理”中建立该单位",
                            u.unit
                        )
                    }),
                    forms: 1,
                    errors,
                    warnings,
                }),
            }
            findings.extend(f.findings.iter().map(|x| RunFindingRow {
                file: f.file.clone(),
                form: f.summary.form.clone(),
                unit: u.unit.clone(),
                org_id,
                form_id: f.form_id,
                code: x.code.into(),
                severity: x.severity.name().into(),
                message: x.message.clone(),
                location: x.location.to_string(),
            }));
        }
        file_rows.extend(files);
    }
    for (status, list) in [
        ("empty", &a.empty),
        ("unreadable", &a.unreadable),
        ("skipped", &a.skipped),
    ] {
        file_rows.extend(list.iter().map(|(file, why)| RunFileRow {
            file: file.clone(),
            unit: None,
            org_id: None,
            status: status.into(),
            reason: Some(why.clone()),
            forms: 0,
            errors: 0,
            warnings: 0,
        }));
    }
    NewRegionRun {
        org_id,
        year,
        archive,
        files: count(a.files),
        units: count(a.units.len()),
        file_rows,
        findings,
    }
}

/// The archive's name as the run lists it: the upload's name, or the first of several.
fn archive_name(uploads: &[(String, Vec<u8>)]) -> String {
    match uploads {
        [] => String::new(),
        [(name, _)] => name.clone(),
        [(name, _), ..] => format!("{name} 等{}个文件", uploads.len()),
    }
}

/// A run's file, with its status in words and the unit of the system it was assigned to.
#[derive(Debug, Clone, Serialize)]
pub struct RunFile {
    /// The stored row.
    #[serde(flatten)]
    pub row: RunFileRow,
    /// Its status in words (已审核, 没有表单, …).
    pub status_name: &'static str,
    /// The name of the unit of the system it was assigned to.
    pub assigned: Option<String>,
}

/// A run's finding with its check's name.
#[derive(Debug, Clone, Serialize)]
pub struct RunFinding {
    /// The stored row.
    #[serde(flatten)]
    pub row: RunFindingRow,
    /// The check's name from the catalog (empty for a code the catalog no longer has).
    pub title: &'static str,
}

/// A saved run as its page shows it: its files, its findings narrowed by a filter, and what
/// the filter can choose from.
#[derive(Debug, Clone, Serialize)]
pub struct RunView {
    /// The run.
    pub run: RegionRunRow,
    /// When it ran (`2026-12-07 09:30`).
    pub when: String,
    /// Its files.
    pub files: Vec<RunFile>,
    /// Its findings that pass the filter.
    pub findings: Vec<RunFinding>,
    /// Every finding of the run, before filtering.
    pub total: usize,
    /// The units the run's forms name, for the filter.
    pub units: Vec<String>,
    /// The checks that fired, with their names, for the filter.
    pub codes: Vec<(String, &'static str)>,
}

fn title_of(code: &str) -> &'static str {
    jixiao_core::audit::catalog::check(code).map_or("", |c| c.title)
}

impl App {
    /// Audits uploaded files for `year`, as [`App::region_audit_files`], and keeps what was
    /// found as a run the bureau can reopen; the run's id.
    pub async fn region_audit_run(
        &self,
        actor: &Actor,
        year: i64,
        uploads: Vec<(String, Vec<u8>)>,
    ) -> Result<i64, AppError> {
        let archive = archive_name(&uploads);
        let audit = self.region_audit_files(actor, uploads).await?;
        let run = run_of(actor.org_id, year, archive, &audit);
        Ok(self.store.create_region_run(&run, &author(actor)).await?)
    }

    /// The runs the actor may reopen, newest first.
    pub async fn region_runs(&self, actor: &Actor) -> Result<Vec<RegionRunRow>, AppError> {
        self.require(actor, Operation::RegionAudit).await?;
        let orgs: Vec<i64> = self
            .visible_orgs(actor)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        Ok(self.store.region_runs(&orgs).await?)
    }

    /// A run the actor may open; one they may not is "not found", as a missing one.
    async fn authorized_run(&self, actor: &Actor, id: i64) -> Result<RegionRunRow, AppError> {
        let run = self.store.region_run(id).await?;
        let chain = self.chain(run.org_id).await?;
        access::authorize_on(actor, Operation::RegionAudit, &chain, "审核记录")?;
        Ok(run)
    }

    /// A saved run with its findings narrowed by `filter`.
    pub async fn region_run(
        &self,
        actor: &Actor,
        id: i64,
        filter: &RunFindingFilter,
    ) -> Result<RunView, AppError> {
        let run = self.authorized_run(actor, id).await?;
        let names: std::collections::HashMap<i64, String> = self
            .visible_orgs(actor)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let files: Vec<RunFile> = self
            .store
            .region_run_files(id)
            .await?
            .into_iter()
            .map(|row| RunFile {
                status_name: file_status_name(&row.status),
                assigned: row.org_id.and_then(|o| names.get(&o).cloned()),
                row,
            })
            .collect();
        let all = self
            .store
            .region_run_findings(id, &RunFindingFilter::default())
            .await?;
        let shown = if *filter == RunFindingFilter::default() {
            all.clone()
        } else {
            self.store.region_run_findings(id, filter).await?
        };
        let mut units: Vec<String> = files.iter().filter_map(|f| f.row.unit.clone()).collect();
        units.sort();
        units.dedup();
        let mut codes: Vec<(String, &'static str)> = all
            .iter()
            .map(|f| (f.code.clone(), title_of(&f.code)))
            .collect();
        codes.sort();
        codes.dedup();
        Ok(RunView {
            when: crate::time::minute(run.created_at),
            run,
            files,
            total: all.len(),
            findings: shown
                .into_iter()
                .map(|row| RunFinding {
                    title: title_of(&row.code),
                    row,
                })
                .collect(),
            units,
            codes,
        })
    }

    /// A saved run as an Excel workbook: its findings (narrowed by `filter`), each check with
    /// its name, and its files with their unit and forms, and why a file holds none.
    pub async fn region_run_xlsx(
        &self,
        actor: &Actor,
        id: i64,
        filter: &RunFindingFilter,
    ) -> Result<Download, AppError> {
        let v = self.region_run(actor, id, filter).await?;
        let mut findings = vec![
            [
                "检查项",
                "名称",
                "单位（文件所注）",
                "文件",
                "表单",
                "严重程度",
                "问题",
                "位置",
            ]
            .map(String::from)
            .to_vec(),
        ];
        findings.extend(v.findings.iter().map(|f| {
            vec![
                f.row.code.clone(),
                f.title.to_string(),
                f.row.unit.clone(),
                f.row.file.clone(),
                f.row.form.clone(),
                f.row.severity.clone(),
                f.row.message.clone(),
                f.row.location.clone(),
            ]
        }));
        let mut files = vec![
            [
                "文件",
                "单位（文件所注）",
                "系统中的单位",
                "表单数",
                "错误",
                "警告",
                "状态",
                "原因",
            ]
            .map(String::from)
            .to_vec(),
        ];
        files.extend(v.files.iter().map(|f| {
            vec![
                f.row.file.clone(),
                f.row.unit.clone().unwrap_or_default(),
                f.assigned.clone().unwrap_or_default(),
                f.row.forms.to_string(),
                f.row.errors.to_string(),
                f.row.warnings.to_string(),
                f.status_name.to_string(),
                f.row.reason.clone().unwrap_or_default(),
            ]
        }));
        let mut book = jixiao_write::Workbook::default();
        book.sheet("问题", findings);
        book.sheet("文件", files);
        let bytes = book
            .to_bytes()
            .map_err(|e| AppError::Unwritable(format!("导出失败：{e}")))?;
        Ok(Download {
            name: format!("{}年度区域审核{}.xlsx", v.run.year, v.run.id),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_office_files_are_audited() {
        assert!(supported("a/b/自评表.DOCX"));
        assert!(!supported("a/evil.exe"));
        assert!(!supported("noext"));
    }

    #[test]
    fn a_run_keeps_every_file_and_says_why_one_holds_no_form() {
        assert!(no_form_reason(&[]).contains("没有可识别的表格"));
        assert!(no_form_reason(&["未识别：表格1：会议纪要".into()]).contains("1处未能识别"));
        assert_eq!(archive_name(&[("a.zip".into(), vec![])]), "a.zip");
        assert_eq!(
            archive_name(&[("a.docx".into(), vec![]), ("b.docx".into(), vec![])]),
            "a.docx 等2个文件"
        );
        let audit = RegionAudit {
            files: 2,
            empty: vec![("纪要.html".into(), no_form_reason(&[]))],
            skipped: vec![("说明.exe".into(), "不支持的文件类型".into())],
            ..RegionAudit::default()
        };
        let run = run_of(1, 2022, "a.zip".into(), &audit);
        let statuses: Vec<(&str, &str)> = run
            .file_rows
            .iter()
            .map(|f| (f.file.as_str(), f.status.as_str()))
            .collect();
        assert_eq!(statuses, [("纪要.html", "empty"), ("说明.exe", "skipped")]);
        assert!(run.file_rows.iter().all(|f| f.reason.is_some()));
        assert_eq!((run.files, run.units), (2, 0));
    }
}
