//! `jixiao audit`: import files and folders in parallel, audit every form, report findings.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use jixiao_core::audit::{Finding, Input, Severity, audit, counts};
use jixiao_core::scoring::ScoringPolicy;
use jixiao_office::{Limits, import};
use serde::Serialize;

use crate::table::Table;

/// The extensions the importer reads.
const EXTENSIONS: &[&str] = &[
    "docx", "xlsx", "html", "htm", "txt", "doc", "xls", "wps", "et",
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
    /// The import error, when the file could not be read.
    pub error: Option<String>,
}

/// Every file under `paths` (folders recursively), sorted, with a supported extension.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("无法读取文件夹 {}", dir.display()))?
        {
            let path = entry?.path();
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

/// Audits one file.
pub fn audit_file(path: &Path, limits: &Limits, policy: &ScoringPolicy) -> FileAudit {
    let file = path.display().to_string();
    let imported = std::fs::read(path)
        .map_err(|e| format!("{file}：无法读取文件：{e}"))
        .and_then(|bytes| import(&file, &bytes, limits).map_err(|e| e.to_string()));
    match imported {
        Ok(i) => {
            let inputs: Vec<Input<'_>> = i
                .forms
                .iter()
                .map(|f| Input {
                    form: &f.form,
                    location: &f.location,
                    provenance: &f.provenance,
                })
                .collect();
            let findings = audit(&inputs, policy);
            let mut notes = i.warnings.clone();
            notes.extend(i.unrecognized.iter().map(|u| {
                format!(
                    "未识别：{}：{}",
                    u.location,
                    u.text.chars().take(40).collect::<String>()
                )
            }));
            FileAudit {
                file,
                forms: i.forms.len(),
                findings,
                notes,
                error: None,
            }
        }
        Err(e) => FileAudit {
            file,
            forms: 0,
            findings: Vec::new(),
            notes: Vec::new(),
            error: Some(e),
        },
    }
}

/// Audits files on all cores; shows progress on a terminal.
pub fn audit_all(files: &[PathBuf], policy: &ScoringPolicy) -> Vec<FileAudit> {
    let limits = Limits::default();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, FileAudit)>> = Mutex::new(Vec::with_capacity(files.len()));
    let progress = std::io::stderr().is_terminal() && files.len() > 1;
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(k) else { break };
                    let result = audit_file(path, &limits, policy);
                    if let Ok(mut r) = results.lock() {
                        r.push((k, result));
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress && (n % 16 == 0 || n == files.len()) {
                        eprint!("\r审核中 {n}/{} 个文件", files.len());
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

/// The audits as a readable table per file.
pub fn render(audits: &[FileAudit]) -> String {
    let mut out = String::new();
    let all: Vec<&Finding> = audits.iter().flat_map(|a| &a.findings).collect();
    for a in audits {
        if let Some(e) = &a.error {
            out.push_str(&format!("{}：无法导入：{e}\n\n", a.file));
            continue;
        }
        let (e, w, i) = counts(&a.findings);
        out.push_str(&format!(
            "{}：{}份表单，错误{e}项，警告{w}项，提示{i}项\n",
            a.file, a.forms
        ));
        if !a.findings.is_empty() {
            let mut t = Table::new(&["级别", "代码", "问题", "表单", "位置", "说明"], 46);
            for f in &a.findings {
                let location = f.location.to_string().replacen(&a.file, "", 1);
                t.row(vec![
                    f.severity.name().into(),
                    f.code.into(),
                    f.title.into(),
                    f.form.clone(),
                    location.trim().to_string(),
                    f.message.clone(),
                ]);
            }
            out.push_str(&t.render());
        }
        for n in &a.notes {
            out.push_str(&format!("  · {n}\n"));
        }
        out.push('\n');
    }
    let (e, w, i) = counts(&all.iter().map(|f| (*f).clone()).collect::<Vec<_>>());
    out.push_str(&format!(
        "合计：{}个文件，错误{e}项，警告{w}项，提示{i}项\n",
        audits.len()
    ));
    out
}

/// Whether any finding is at or above `level` (or any file failed to import).
pub fn fails(audits: &[FileAudit], level: Severity) -> bool {
    audits
        .iter()
        .any(|a| a.error.is_some() || a.findings.iter().any(|f| f.severity <= level))
}
