//! Region-wide audit: the finance bureau uploads a .zip (or a single file) of forms from many
//! units and gets the audit of all of them, grouped by unit, each finding linked to its form
//! (in the report, and in the system when the unit has filed the same form there). Each unit a
//! file names is assigned to the unit of the system of that name (`（本级）` and bracket forms
//! alike, [`crate::filing::names_unit`]); what cannot be assigned is listed as such.
//!
//! The archive is untrusted: entries are counted and read with the importer's limits (each
//! file, and the total inflated), names are only labels (never paths on disk), and anything
//! unreadable is listed as such, never dropped.

use std::io::{Cursor, Read};

use crate::batch::{FileAudit, audit_bytes};
use jixiao_core::audit::Finding;
use jixiao_core::audit::FormSummary;
use jixiao_store::forms::FormFilter;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::{App, AppError};

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

fn supported(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "docx" | "xlsx" | "html" | "htm" | "txt" | "pdf"
    )
}

/// The entries of an archive as (name, bytes), within the limits.
fn entries(
    name: &str,
    bytes: &[u8],
    limits: &jixiao_recognize::Limits,
    out: &mut RegionAudit,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| AppError::Invalid(format!("{name} 不是可读的 zip 压缩包：{e}")))?;
    if zip.len() > MAX_FILES {
        return Err(AppError::Invalid(format!(
            "{name} 含{}个文件，超过上限{MAX_FILES}个",
            zip.len()
        )));
    }
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for k in 0..zip.len() {
        let mut entry = zip
            .by_index(k)
            .map_err(|e| AppError::Invalid(format!("{name} 第{}个文件无法读取：{e}", k + 1)))?;
        let entry_name = entry.name().to_string();
        if entry.is_dir() || entry_name.starts_with("__MACOSX") {
            continue;
        }
        if !supported(&entry_name) {
            out.skipped.push((
                entry_name,
                "不支持的文件类型（可审核 .docx .xlsx .html .txt .pdf）".into(),
            ));
            continue;
        }
        let mut data = Vec::new();
        let cap = limits.max_file_bytes;
        (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut data)
            .map_err(|e| AppError::Invalid(format!("{name} 中的 {entry_name} 无法解压：{e}")))?;
        if data.len() as u64 > cap {
            out.unreadable
                .push((entry_name, format!("解压后超过单个文件上限 {} 字节", cap)));
            continue;
        }
        total += data.len() as u64;
        if total > limits.max_total_bytes {
            return Err(AppError::Invalid(format!(
                "{name} 解压后的总量超过上限 {} 字节（疑似压缩炸弹），已停止",
                limits.max_total_bytes
            )));
        }
        files.push((entry_name, data));
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
        access::authorize(actor, Operation::Dashboard, &chain)?;
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
                    "不支持的文件类型（可审核 .zip .docx .xlsx .html .txt .pdf）".into(),
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
                out.empty.push((
                    a.file.clone(),
                    "文件可以读取，但其中没有识别出本系统审核的表单（绩效目标申报表、自评表、监控表、自评报告）".into(),
                ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_office_files_are_audited() {
        assert!(supported("a/b/自评表.DOCX"));
        assert!(!supported("a/evil.exe"));
        assert!(!supported("noext"));
    }
}
