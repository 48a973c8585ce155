//! `jixiao export` and `jixiao report`: forms and the self-evaluation report written as the
//! files people file. PDF is rendered natively with the system's CJK TrueType fonts.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_core::self_report::{ReportData, compose};
use jixiao_office::write;

/// The forms in a file: a form's JSON (one, or an array), else whatever the importer finds.
pub fn load_forms(file: &Path) -> Result<Vec<Form>> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    if file.extension().is_some_and(|e| e == "json") {
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{} 不是 UTF-8 文本", file.display()))?;
        let forms = if text.trim_start().starts_with('[') {
            let values: Vec<serde_json::Value> = serde_json::from_str(&text)
                .with_context(|| format!("表单文件 {}", file.display()))?;
            values
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    Form::from_json(&v.to_string())
                        .with_context(|| format!("表单文件 {} 第{}张表", file.display(), k + 1))
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            vec![Form::from_json(&text).with_context(|| format!("表单文件 {}", file.display()))?]
        };
        return Ok(forms);
    }
    let imported = jixiao_office::import(
        &file.display().to_string(),
        &bytes,
        &jixiao_office::Limits::default(),
    )?;
    Ok(imported.forms.into_iter().map(|f| f.form).collect())
}

/// `jixiao export FILE --to docx|xlsx|html|pdf [-o OUT]`.
pub fn forms(file: &Path, to: &str, output: Option<&Path>) -> Result<()> {
    let forms = load_forms(file)?;
    let sheets = write::form_sheets(&forms);
    if sheets.is_empty() {
        bail!(
            "{} 中没有可导出的表单（目前可导出：项目/部门整体支出绩效目标申报表、项目/部门整体支出绩效自评表）",
            file.display()
        );
    }
    let out = target(file, output, "", to)?;
    match to {
        "xlsx" => save(&out, &write::forms_xlsx(&forms)?.unwrap_or_default())?,
        "docx" => save(&out, &write::forms_docx(&forms)?.unwrap_or_default())?,
        "html" => save(&out, write::forms_html(&sheets).as_bytes())?,
        "pdf" => pdf(&write::forms_document(&forms), &out)?,
        other => bail!("不支持导出为“{other}”：可用 docx、xlsx、html、pdf"),
    }
    println!("已导出{}张表到 {}", sheets.len(), out.display());
    Ok(())
}

/// `jixiao report DATA --to docx|pdf [-o OUT]`.
pub fn report(data: &Path, to: &str, output: Option<&Path>, policy: &ScoringPolicy) -> Result<()> {
    if !matches!(to, "docx" | "pdf") {
        bail!("自评报告不支持“{to}”格式：可用 docx、pdf");
    }
    let forms = load_forms(data)?;
    let data_set = ReportData::from_forms(&forms).with_context(|| format!("{}", data.display()))?;
    let draft = compose(&data_set, policy);
    let doc = write::report_document(&draft);
    let out = target(data, output, "-自评报告", to)?;
    if to == "pdf" {
        pdf(&doc, &out)?;
    } else {
        save(&out, &doc.to_bytes()?)?;
    }
    println!(
        "已生成自评报告 {}（附件{}张）",
        out.display(),
        draft.attachments.len()
    );
    if !draft.notes.is_empty() {
        println!("请在报送前核对：");
        for note in &draft.notes {
            println!("  · {note}");
        }
    }
    Ok(())
}

/// The output path: `-o`, else the input's name with `suffix` and the new extension.
fn target(input: &Path, output: Option<&Path>, suffix: &str, ext: &str) -> Result<PathBuf> {
    let out = match output {
        Some(o) => o.to_path_buf(),
        None => {
            let stem = input.file_stem().unwrap_or_default().to_string_lossy();
            input.with_file_name(format!("{stem}{suffix}.{ext}"))
        }
    };
    if out == input {
        bail!("输出文件与输入文件相同，请用 -o 指定输出文件");
    }
    Ok(out)
}

fn save(out: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("无法写入 {}", out.display()))
}

/// Renders a document to PDF; characters no installed face has are reported.
fn pdf(doc: &write::Docx, out: &Path) -> Result<()> {
    let fonts = write::Fonts::from_system()?;
    let pdf = write::pdf(doc, &fonts);
    save(out, &pdf.bytes)?;
    if !pdf.missing.is_empty() {
        let chars: String = pdf.missing.iter().collect();
        eprintln!("注意：字体中没有这些字符，PDF 中显示为空框：{chars}");
    }
    Ok(())
}
