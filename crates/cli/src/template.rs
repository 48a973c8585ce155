//! `jixiao template`: an offline template (离线填报模板) of a form kind, blank or prefilled from
//! a declaration, written as Excel or Word for a unit to fill and import.

use std::path::Path;

use anyhow::{Context, Result, bail};
use jixiao_app::kind::{self, FormKind};
use jixiao_core::form::Form;
use jixiao_recognize::Limits;

use crate::out;

/// The kinds a template is made of, as the command line names them.
pub const KINDS: [(&str, FormKind); 5] = [
    ("project-target", FormKind::ProjectTarget),
    ("department-target", FormKind::DepartmentTarget),
    ("monitoring", FormKind::Monitoring),
    ("project-self-evaluation", FormKind::ProjectSelfEvaluation),
    (
        "department-self-evaluation",
        FormKind::DepartmentSelfEvaluation,
    ),
];

/// What `jixiao template` was asked for.
pub struct Request<'a> {
    /// The kind, as named on the command line.
    pub kind: &'a str,
    /// 年度.
    pub year: Option<u16>,
    /// 项目名称 (or 部门名称 of a department form).
    pub project: Option<&'a str>,
    /// 预算单位.
    pub unit: Option<&'a str>,
    /// A declaration to prefill from.
    pub from: Option<&'a Path>,
    /// The file to write (.xlsx or .docx).
    pub output: &'a Path,
}

/// Writes the template and says what it holds.
pub fn run(request: &Request<'_>, limits: &Limits, json: bool) -> Result<()> {
    let Some(&(_, kind)) = KINDS
        .iter()
        .find(|(name, _)| *name == request.kind.replace('_', "-"))
    else {
        let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
        bail!(
            "未知的模板类型“{}”：可用 {}",
            request.kind,
            names.join("、")
        );
    };
    let year = request.year.unwrap_or_else(this_year);
    let form = match request.from {
        Some(path) => prefilled(path, kind, year, limits)?,
        None => kind::blank(
            kind,
            year,
            request.unit.unwrap_or_default(),
            request.project.unwrap_or_default(),
        ),
    };
    let extension = request
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = match extension.as_str() {
        "xlsx" => jixiao_write::template_xlsx(&form)?,
        "docx" => jixiao_write::template_docx(&form)?,
        other => bail!("模板只能写成 .xlsx 或 .docx，而不是“.{other}”：请改 -o 的扩展名"),
    }
    .with_context(|| format!("{}没有离线模板", kind.name()))?;
    out::save(request.output, &bytes)?;
    if json {
        sayln!(
            "{}",
            serde_json::json!({
                "kind": kind.code(),
                "title": kind.name(),
                "year": year,
                "output": request.output.display().to_string(),
                "bytes": bytes.len(),
            })
        );
    } else {
        sayln!(
            "已生成{}离线填报模板（{year}年度）：{}",
            kind.name(),
            request.output.display()
        );
    }
    Ok(())
}

/// The form of `kind` started from the declaration in `path`, or the declaration itself when
/// `kind` is a declaration.
fn prefilled(path: &Path, kind: FormKind, year: u16, limits: &Limits) -> Result<Form> {
    let forms = crate::export::load_forms(path, limits)?;
    let wanted = kind.declaration().unwrap_or(kind);
    let declaration = forms
        .iter()
        .find(|f| FormKind::of(f) == Some(wanted))
        .with_context(|| format!("{} 中没有{}", path.display(), wanted.name()))?;
    if wanted == kind {
        return Ok(declaration.clone());
    }
    kind::started_from(declaration, kind, year)
        .with_context(|| format!("不能由{}生成{}", wanted.name(), kind.name()))
}

/// The current year by the system clock.
fn this_year() -> u16 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // 365.2425 days a year from 1970, good to the day for this purpose.
    u16::try_from(1970 + days * 10_000 / 3_652_425).unwrap_or(2026)
}
