//! Batches: files and folders imported (and audited) in parallel on rayon's pool, one result per
//! file in the order given (a file that cannot be read, or whose reading or audit panics, is a
//! result with its error). Used by `jixiao audit` and `jixiao import`, the region audit and the
//! benchmarks; progress is reported to the caller.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use jixiao_core::audit::{
    Finding, FormSummary, Input, Severity, audit_scored, evaluation_findings,
};
use jixiao_core::form::Form;
use jixiao_core::rules::{Assessment, RuleSet, evaluate};
use jixiao_core::scoring::ScoringPolicy;
use rayon::prelude::*;
use serde::Serialize;

use jixiao_recognize::{Limits, Recognized, import};

/// The extensions the importer reads.
const EXTENSIONS: &[&str] = &[
    "docx", "xlsx", "xlsm", "xlsb", "xls", "et", "ods", "html", "htm", "txt", "pdf", "doc", "wps",
    "json",
];

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

impl FileAudit {
    /// The audit of `file`, which could not be audited, with its `error` (which names it).
    fn unaudited(file: String, error: String) -> FileAudit {
        FileAudit {
            file,
            forms: 0,
            findings: Vec::new(),
            notes: Vec::new(),
            summaries: Vec::new(),
            error: Some(error),
        }
    }

    /// The audit of the file at `path`, which could not be audited, for `reason`.
    fn failed(path: &Path, reason: &str) -> FileAudit {
        let file = path.display().to_string();
        let error = format!("{file}：{reason}");
        FileAudit::unaudited(file, error)
    }
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
        Err(e) => FileAudit::failed(
            path,
            &format!("无法读取文件：{}", jixiao_grid::io_reason(&e)),
        ),
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
        Err(e) => FileAudit::unaudited(file, e),
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

/// Audits files on all cores (rayon's pool), one result per file in the order given. A file
/// whose audit panics gets an error of its own instead of taking the batch down; `progress` is
/// told `(done, total)` after each file, from whichever worker finished it.
pub fn audit_all(
    files: &[PathBuf],
    limits: &Limits,
    policy: &ScoringPolicy,
    rules: Option<&RuleSet>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<FileAudit> {
    let done = AtomicUsize::new(0);
    files
        .par_iter()
        .map(|path| {
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                audit_file(path, limits, policy, rules)
            }))
            .unwrap_or_else(|_| {
                FileAudit::failed(path, "审核该文件时程序内部出错，请将文件反馈给维护者")
            });
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
            result
        })
        .collect()
}

/// Reads files on all cores, one result per file in the order given (the file's name, and
/// what it holds or why it could not be read). A file whose reading panics gets an error of its
/// own; `progress` is told `(done, total)` after each file.
pub fn import_all(
    files: &[PathBuf],
    limits: &Limits,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(String, Result<jixiao_recognize::Import, String>)> {
    let done = AtomicUsize::new(0);
    files
        .par_iter()
        .map(|path| {
            let file = path.display().to_string();
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| match std::fs::read(path) {
                Ok(bytes) => import(&file, &bytes, limits).map_err(|e| e.to_string()),
                Err(e) => Err(format!("无法读取 {file}：{}", jixiao_grid::io_reason(&e))),
            }))
            .unwrap_or_else(|_| {
                Err(format!(
                    "{file}：读取该文件时程序内部出错，请将文件反馈给维护者"
                ))
            });
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
            (file, result)
        })
        .collect()
}

/// Whether any finding is at or above `level` (or any file failed to import).
pub fn fails(audits: &[FileAudit], level: Severity) -> bool {
    audits
        .iter()
        .any(|a| a.error.is_some() || a.findings.iter().any(|f| f.severity <= level))
}
