//! `jixiao export` and `jixiao report`: forms and the self-evaluation report written as the
//! files people file. PDF is rendered natively with the system's CJK TrueType fonts.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jixiao_app::files::{self, Format};
use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;

/// The forms in a file: a form's JSON (one, or an array), else whatever the importer finds.
pub fn load_forms(file: &Path) -> Result<Vec<Form>> {
    let bytes = std::fs::read(file).with_context(|| format!("无法读取文件 {}", file.display()))?;
    Ok(files::forms_in(
        &file.display().to_string(),
        &bytes,
        &jixiao_office::Limits::default(),
    )?)
}

/// `jixiao export FILE [--to docx|xlsx|html|pdf|json] [-o OUT]`.
pub fn forms(file: &Path, to: Option<&str>, output: Option<&Path>) -> Result<()> {
    let format = resolve(to, output, None, "docx、xlsx、html、pdf、json")?;
    let forms = load_forms(file)?;
    let out = target(file, output, "", format.ext())?;
    let written = files::write_forms(&forms, format).with_context(|| file.display().to_string())?;
    save(&out, &written.bytes)?;
    warn_missing(&written);
    println!("已导出{}张表到 {}", forms.len(), out.display());
    Ok(())
}

/// `jixiao report DATA [--to docx|pdf] [-o OUT]`.
pub fn report(
    data: &Path,
    to: Option<&str>,
    output: Option<&Path>,
    policy: &ScoringPolicy,
) -> Result<()> {
    let format = resolve(to, output, Some(Format::Docx), "docx、pdf")?;
    if !matches!(format, Format::Docx | Format::Pdf) {
        bail!("自评报告不支持“{}”格式：可用 docx、pdf", format.ext());
    }
    let forms = load_forms(data)?;
    let out = target(data, output, "-自评报告", format.ext())?;
    let (written, draft) =
        files::write_report(&forms, policy, format).with_context(|| data.display().to_string())?;
    save(&out, &written.bytes)?;
    warn_missing(&written);
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

/// The output format: `--to` (any case), else `-o`'s extension, else `default`. A `--to` that
/// contradicts `-o`'s extension is refused.
fn resolve(
    to: Option<&str>,
    output: Option<&Path>,
    default: Option<Format>,
    choices: &str,
) -> Result<Format> {
    let from_to = match to {
        Some(t) => {
            Some(Format::parse(t).with_context(|| format!("不支持导出为“{t}”：可用 {choices}"))?)
        }
        None => None,
    };
    let ext = output
        .and_then(|o| o.extension())
        .map(|e| e.to_string_lossy().into_owned());
    let from_ext = ext.as_deref().and_then(Format::parse);
    match (from_to, from_ext) {
        (Some(a), Some(b)) if a != b => bail!(
            "--to {} 与输出文件的扩展名 .{} 不符：请只用其中一个，或让两者一致",
            a.ext(),
            ext.unwrap_or_default()
        ),
        (Some(a), _) => Ok(a),
        (None, Some(b)) => Ok(b),
        (None, None) => match (default, ext) {
            (_, Some(e)) => bail!("不支持导出为“{e}”：可用 {choices}"),
            (Some(d), None) => Ok(d),
            (None, None) => bail!("请用 --to 指定格式（{choices}），或给 -o 一个带扩展名的文件名"),
        },
    }
}

fn warn_missing(written: &files::Written) {
    if !written.missing_chars.is_empty() {
        let chars: String = written.missing_chars.iter().collect();
        eprintln!("注意：字体中没有这些字符，PDF 中显示为空框：{chars}");
    }
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
