//! `jixiao import`: what was recognized in each file, with counts, and what was not. Form
//! JSON (one form, an array, or an earlier `import --json`) is read as it is.

use std::path::PathBuf;

use anyhow::Result;
use jixiao_core::form::Form;
use jixiao_recognize::{Import, Limits};

use crate::progress::Progress;

/// Imports every file under `paths` (folders read recursively) on all cores; a file that
/// fails is reported and the others go on.
pub fn run(paths: &[PathBuf], json: bool, limits: &Limits) -> Result<()> {
    let files = jixiao_app::batch::collect(paths).map_err(anyhow::Error::msg)?;
    if files.is_empty() {
        anyhow::bail!(
            "没有找到可导入的文件（支持 .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf .json .doc .wps）"
        );
    }
    let progress = Progress::new(files.len(), "导入中");
    let results: Vec<Result<Import, String>> =
        jixiao_app::batch::import_all(&files, limits, &|done, _| progress.tell(done))
            .into_iter()
            .map(|(_, r)| r)
            .collect();
    progress.finish();
    let failed = results.iter().filter(|r| r.is_err()).count();
    if json {
        let values: Vec<serde_json::Value> = results
            .iter()
            .map(|r| match r {
                Ok(i) => serde_json::to_value(i).unwrap_or_default(),
                Err(e) => serde_json::json!({ "error": e }),
            })
            .collect();
        sayln!("{}", serde_json::to_string_pretty(&values)?);
    } else {
        for r in &results {
            match r {
                Ok(i) => say!("{}", summary(i)),
                Err(e) => sayln!("错误：{e}\n"),
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed}个文件未能导入");
    }
    Ok(())
}

fn counts(form: &Form) -> String {
    match form {
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => {
            format!("{}，{}项指标", f.name, f.indicators.len())
        }
        Form::ProjectTarget(f) => format!("{}，{}项指标", f.project_name, f.indicators.len()),
        Form::DepartmentTarget(f) => format!(
            "{}，{}项任务，{}项指标",
            f.department,
            f.tasks.len(),
            f.indicators.len()
        ),
        Form::ProjectList(f) => format!("{}个项目", f.items.len()),
        Form::EvaluationTable(f) => format!("{}项三级指标", f.indicators.len()),
        Form::BaseData(f) => format!("{}个数据项", f.items.len()),
        Form::Monitoring(f) => format!(
            "{}，1—{}月，{}项指标",
            f.project_name,
            f.period_end_month,
            f.indicators.len()
        ),
        Form::TransferPayment(f) => format!(
            "{}，{}行资金，{}项资金管理情况，{}项指标",
            f.name,
            f.funds.len(),
            f.management.len(),
            f.indicators.len()
        ),
        Form::ExAnteAssessment(f) => format!(
            "{}，{}项评估内容{}",
            f.project_name,
            f.aspects.len(),
            f.conclusion
                .map(|c| format!("，结论：{}", c.name()))
                .unwrap_or_default()
        ),
        Form::Report(r) => format!(
            "{}，{}节，{}个数字",
            r.title,
            r.sections.len(),
            r.figures().len()
        ),
    }
}

/// The import of one file as text.
fn summary(i: &Import) -> String {
    let mut out = format!(
        "{}（{}）：识别出{}份表单\n",
        i.file,
        i.format.name(),
        i.forms.len()
    );
    for (n, f) in i.forms.iter().enumerate() {
        out.push_str(&format!(
            "  {}. {}：{}（始于 {}）\n",
            n + 1,
            f.form.title(),
            counts(&f.form),
            f.location
        ));
    }
    if !i.warnings.is_empty() {
        out.push_str(&format!("  提示（{}条）：\n", i.warnings.len()));
        for w in &i.warnings {
            out.push_str(&format!("    - {w}\n"));
        }
    }
    if i.unrecognized.is_empty() {
        out.push_str("  没有未识别的内容\n");
    } else {
        out.push_str(&format!("  未识别的内容（{}处）：\n", i.unrecognized.len()));
        for u in &i.unrecognized {
            let text: String = u.text.chars().take(60).collect();
            out.push_str(&format!("    - {}：{text}\n", u.location));
        }
    }
    out.push('\n');
    out
}
