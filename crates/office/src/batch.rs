//! Batch audit: files and folders imported and audited in parallel, one result per file.
//! Used by `jixiao audit` and by the benchmarks.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use jixiao_core::audit::{Finding, Input, Severity, audit_scored, evaluation_findings};
use jixiao_core::form::Form;
use jixiao_core::rules::{Assessment, RuleSet, evaluate};
use jixiao_core::scoring::ScoringPolicy;
use serde::Serialize;

use crate::{Limits, Recognized, import};

/// The extensions the importer reads.
const EXTENSIONS: &[&str] = &[
    "docx", "xlsx", "html", "htm", "txt", "pdf", "doc", "xls", "wps", "et", "json",
];

/// One form of an audited file in a line: who, the totals and the grade, how many findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormSummary {
    /// The form (`项目支出绩效自评表：日常运转经费`).
    pub form: String,
    /// The unit the form is for (部门名称, 实施单位, 预算单位), when it names one.
    pub unit: Option<String>,
    /// The total the form states (self-evaluations).
    pub stated_total: Option<rust_decimal::Decimal>,
    /// The total Jixiao computes (self-evaluations).
    pub computed_total: Option<rust_decimal::Decimal>,
    /// The grade of the computed total; `None` when items could not be scored (暂定).
    pub grade: Option<String>,
    /// True when every scored item could be computed.
    pub complete: bool,
    /// Errors found on this form.
    pub errors: usize,
    /// Warnings found on this form.
    pub warnings: usize,
}

impl FormSummary {
    /// The summary of `input`, counting the `findings` that name it.
    pub fn of(
        input: &Input<'_>,
        findings: &[Finding],
        scored: Option<&jixiao_core::scoring::ScoredForm>,
        policy: &ScoringPolicy,
    ) -> FormSummary {
        let label = input.label();
        let mine = findings.iter().filter(|f| f.form == label);
        let errors = mine
            .clone()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = mine.filter(|f| f.severity == Severity::Warning).count();
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        let mut summary = FormSummary {
            form: label,
            unit: None,
            stated_total: None,
            computed_total: None,
            grade: None,
            complete: true,
            errors,
            warnings,
        };
        match input.form {
            Form::DepartmentSelfEvaluation(f) | Form::ProjectSelfEvaluation(f) => {
                let scored = match scored {
                    Some(s) => std::borrow::Cow::Borrowed(s),
                    None => std::borrow::Cow::Owned(jixiao_core::scoring::score(f, policy)),
                };
                summary.unit = match input.form {
                    Form::DepartmentSelfEvaluation(_) => some(&f.name),
                    _ => f
                        .implementing_unit
                        .as_deref()
                        .or(f.competent_department.as_deref())
                        .and_then(some)
                        .or_else(|| {
                            f.other_fields
                                .iter()
                                .find(|x| x.label.contains("单位") || x.label.contains("部门名称"))
                                .and_then(|x| some(&x.value))
                        }),
                };
                summary.stated_total = f.stated_total;
                summary.computed_total = Some(scored.total);
                summary.complete = scored.complete;
                summary.grade = scored.complete.then(|| scored.grade.to_string());
            }
            Form::ProjectTarget(f) => summary.unit = some(&f.unit),
            Form::DepartmentTarget(f) => summary.unit = some(&f.department),
            Form::BaseData(f) => summary.unit = f.unit.as_deref().and_then(some),
            _ => {}
        }
        summary
    }
}

/// The audit of one file.
#[derive(Debug, Serialize)]
pub struct FileAudit {
    /// The file.
    pub file: String,
    /// How many forms were recognized.
    pub forms: usize,
    /// Findings, in form order.
    pub findings: Vec<Finding>,
    /// Content that was not understood, and import warnings.
    pub notes: Vec<String>,
    /// One line per form recognized: unit, totals, grade, findings.
    pub summaries: Vec<FormSummary>,
    /// The import error, when the file could not be read.
    pub error: Option<String>,
}

/// Every file under `paths` (folders recursively), sorted, with a supported extension.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let unreadable = |e: std::io::Error| format!("无法读取文件夹 {}：{e}", dir.display());
        for entry in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_lowercase().as_str()))
            {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    Ok(out)
}

/// Audits one file; with `rules`, a document holding a 基础数据表 is also evaluated and the
/// stated scores of its 评价指标表 checked against the rules.
pub fn audit_file(
    path: &Path,
    limits: &Limits,
    policy: &ScoringPolicy,
    rules: Option<&RuleSet>,
) -> FileAudit {
    let file = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => audit_bytes(&file, &bytes, limits, policy, rules),
        Err(e) => FileAudit {
            error: Some(format!(
                "{file}：无法读取文件：{}",
                crate::error::io_reason(&e)
            )),
            file,
            forms: 0,
            findings: Vec::new(),
            notes: Vec::new(),
            summaries: Vec::new(),
        },
    }
}

/// Audits the content of one file (named `file`), as [`audit_file`] does.
pub fn audit_bytes(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    policy: &ScoringPolicy,
    rules: Option<&RuleSet>,
) -> FileAudit {
    let file = file.to_string();
    match import(&file, bytes, limits).map_err(|e| e.to_string()) {
        Ok(i) => {
            let inputs: Vec<Input<'_>> = i.forms.iter().map(Recognized::input).collect();
            let (mut findings, scores) = audit_scored(&inputs, policy);
            if let Some(rules) = rules {
                findings.extend(evaluate_document(&inputs, rules));
            }
            let mut notes = i.warnings.clone();
            notes.extend(i.unrecognized.iter().map(|u| {
                format!(
                    "未识别：{}：{}",
                    u.location,
                    u.text.chars().take(40).collect::<String>()
                )
            }));
            let summaries = inputs
                .iter()
                .zip(&scores)
                .map(|(input, scored)| FormSummary::of(input, &findings, scored.as_ref(), policy))
                .collect();
            FileAudit {
                file,
                forms: i.forms.len(),
                findings,
                notes,
                summaries,
                error: None,
            }
        }
        Err(e) => FileAudit {
            file,
            forms: 0,
            findings: Vec::new(),
            notes: Vec::new(),
            summaries: Vec::new(),
            error: Some(e),
        },
    }
}

/// Evaluates a document's base data with `rules` and turns differences from its filled-in
/// evaluation table into findings.
fn evaluate_document(inputs: &[Input<'_>], rules: &RuleSet) -> Vec<Finding> {
    let data = inputs.iter().find_map(|i| match i.form {
        Form::BaseData(b) => Some(b),
        _ => None,
    });
    let table = inputs
        .iter()
        .find(|i| matches!(i.form, Form::EvaluationTable(_)));
    let (Some(data), Some(table)) = (data, table) else {
        return Vec::new();
    };
    let Form::EvaluationTable(t) = table.form else {
        return Vec::new();
    };
    let (values, _) = rules.values_from(data);
    let assessment = Assessment {
        values,
        stated: rules.stated_from(t),
        ..Assessment::default()
    };
    evaluation_findings(table, &evaluate(rules, &assessment))
}

/// Audits files on all cores; shows progress on stderr when `progress` is set.
pub fn audit_all(
    files: &[PathBuf],
    policy: &ScoringPolicy,
    rules: Option<&RuleSet>,
    progress: bool,
) -> Vec<FileAudit> {
    let limits = Limits::default();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, FileAudit)>> = Mutex::new(Vec::with_capacity(files.len()));
    let progress = progress && files.len() > 1;
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(k) else { break };
                    let result = audit_file(path, &limits, policy, rules);
                    if let Ok(mut r) = results.lock() {
                        r.push((k, result));
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress && (n % 16 == 0 || n == files.len()) {
                        eprint!("\r{}", progress_bar(n, files.len()));
                        let _ = std::io::stderr().flush();
                    }
                }
            });
        }
    });
    if progress {
        eprintln!();
    }
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(k, _)| *k);
    results.into_iter().map(|(_, r)| r).collect()
}

/// `审核中 [##########··········]  50% 2000/4000 个文件`.
fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "审核中 [{}{}] {percent:>3}% {done}/{total} 个文件",
        "#".repeat(filled),
        "·".repeat(WIDTH - filled)
    )
}

/// Whether any finding is at or above `level` (or any file failed to import).
pub fn fails(audits: &[FileAudit], level: Severity) -> bool {
    audits
        .iter()
        .any(|a| a.error.is_some() || a.findings.iter().any(|f| f.severity <= level))
}

#[cfg(test)]
mod tests {
    use super::progress_bar;

    #[test]
    fn the_progress_bar_fills() {
        assert_eq!(
            progress_bar(0, 10),
            format!("审核中 [{}]   0% 0/10 个文件", "·".repeat(30))
        );
        assert_eq!(
            progress_bar(5, 10),
            format!(
                "审核中 [{}{}]  50% 5/10 个文件",
                "#".repeat(15),
                "·".repeat(15)
            )
        );
        assert_eq!(
            progress_bar(10, 10),
            format!("审核中 [{}] 100% 10/10 个文件", "#".repeat(30))
        );
    }
}
