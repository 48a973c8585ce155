//! `jixiao export` and `jixiao report`: forms and the self-evaluation report written as the
//! files people file. PDF is rendered natively with the system's CJK TrueType fonts; `--to
//! yitihua` writes the forms of all inputs into one 一体化 规范表 zip (docs/yitihua.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jixiao_app::files::{self, Format};
use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_recognize::Limits;

/// The forms in a file: a form's JSON (one, an array, or `import --json` output), else
/// whatever the importer finds.
pub fn load_forms(file: &Path, limits: &Limits) -> Result<Vec<Form>> {
    let bytes = crate::out::read(file)?;
    Ok(files::forms_in(
        &file.display().to_string(),
        &bytes,
        limits,
    )?)
}

/// The inputs of a batch: files as given, folders walked for every format the importer reads.
/// Several inputs need `--out-dir`; one input may use `-o`.
fn inputs(
    paths: &[PathBuf],
    output: Option<&Path>,
    out_dir: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    let files = jixiao_app::batch::collect(paths).map_err(anyhow::Error::msg)?;
    let batch = files.len() > 1 || paths.iter().any(|p| p.is_dir());
    if files.is_empty() {
        bail!(
            "没有找到可读的文件（支持 .json .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf，以及 .doc .wps）"
        );
    }
    if batch && output.is_some() {
        bail!("-o 只能用于单个输入文件；多个文件或文件夹请用 --out-dir 指定输出文件夹");
    }
    if batch && out_dir.is_none() {
        bail!("有{}个输入文件：请用 --out-dir 指定输出文件夹", files.len());
    }
    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow::anyhow!(
                "无法创建文件夹 {}：{}",
                dir.display(),
                crate::out::io_error(&e)
            )
        })?;
    }
    Ok(files)
}

/// The output of each input: `-o`, else in `--out-dir` (or beside the input) the input's name
/// with `suffix` and the new extension. Inputs sharing a name (`seed004.docx`,
/// `seed004.xlsx`) keep their own extension in it (`seed004-xlsx.pdf`), and a name still
/// taken gets a number, so no output overwrites another.
fn targets(
    inputs: &[PathBuf],
    output: Option<&Path>,
    out_dir: Option<&Path>,
    suffix: &str,
    ext: &str,
) -> Result<Vec<PathBuf>> {
    let stem = |p: &Path| {
        p.file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let mut taken: std::collections::BTreeSet<PathBuf> = Default::default();
    let mut out = Vec::new();
    for input in inputs {
        let path = match output {
            Some(o) => o.to_path_buf(),
            None => {
                let shared = inputs.iter().filter(|p| stem(p) == stem(input)).count() > 1;
                let from = input
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase());
                let base = match from {
                    Some(e) if shared => format!("{}-{e}{suffix}", stem(input)),
                    _ => format!("{}{suffix}", stem(input)),
                };
                let dir = out_dir.map_or_else(|| input.with_file_name(""), Path::to_path_buf);
                let mut path = dir.join(format!("{base}.{ext}"));
                let mut n = 1;
                while taken.contains(&path) {
                    n += 1;
                    path = dir.join(format!("{base}-{n}.{ext}"));
                }
                path
            }
        };
        if &path == input {
            bail!("输出文件与输入文件相同，请用 -o 或 --out-dir 指定别处");
        }
        taken.insert(path.clone());
        out.push(path);
    }
    Ok(out)
}

/// `jixiao export FILE... [--to docx|xlsx|html|pdf|json|yitihua] [-o OUT | --out-dir DIR]`.
pub fn forms(
    paths: &[PathBuf],
    to: Option<&str>,
    output: Option<&Path>,
    out_dir: Option<&Path>,
    mof_div_code: Option<&str>,
    limits: &Limits,
    json: bool,
) -> Result<()> {
    let zip_out = output
        .and_then(|o| o.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    match to {
        Some(t) if t.eq_ignore_ascii_case("yitihua") => {
            return yitihua(paths, output, out_dir, mof_div_code, limits, json);
        }
        Some(t) if zip_out => {
            bail!("--to {t} 与输出文件的扩展名 .zip 不符：.zip 用于一体化规范表（--to yitihua）")
        }
        None if zip_out => return yitihua(paths, output, out_dir, mof_div_code, limits, json),
        _ => {}
    }
    if mof_div_code.is_some() {
        bail!("--mof-div-code 只用于一体化规范表（--to yitihua）");
    }
    let format = resolve(to, output, None, "docx、xlsx、html、pdf、json、yitihua")?;
    let files = inputs(paths, output, out_dir)?;
    let outs = targets(&files, output, out_dir, "", format.ext())?;
    let mut done_list = Batch::new(json);
    for (file, out) in files.iter().zip(&outs) {
        let done = load_forms(file, limits).and_then(|forms| {
            let written =
                files::write_forms(&forms, format).with_context(|| file.display().to_string())?;
            crate::out::save(out, &written.bytes)?;
            warn_missing(&written);
            if !json {
                sayln!("已导出{}张表到 {}", forms.len(), out.display());
            }
            Ok(serde_json::json!({
                "input": file.display().to_string(),
                "output": out.display().to_string(),
                "forms": forms.len(),
            }))
        });
        done_list.add(file, done, files.len() == 1)?;
    }
    done_list.finish(files.len())
}

/// What a batch of files came to: each file's result, printed as it goes (text) or as one JSON
/// array at the end.
struct Batch {
    json: bool,
    done: Vec<serde_json::Value>,
    failed: usize,
}

impl Batch {
    fn new(json: bool) -> Batch {
        Batch {
            json,
            done: Vec::new(),
            failed: 0,
        }
    }

    /// One file's result; the error of a batch of one is the command's error (in text).
    fn add(&mut self, file: &Path, result: Result<serde_json::Value>, alone: bool) -> Result<()> {
        match result {
            Ok(v) => self.done.push(v),
            Err(e) if alone && !self.json => return Err(e),
            Err(e) => {
                self.failed += 1;
                let message = crate::out::message(&e);
                if self.json {
                    self.done.push(serde_json::json!({
                        "input": file.display().to_string(),
                        "error": message,
                    }));
                } else {
                    eprintln!("错误：{message}");
                }
            }
        }
        Ok(())
    }

    /// Prints the JSON array; a batch of `total` files fails when any file failed (each was
    /// named).
    fn finish(self, total: usize) -> Result<()> {
        if self.json {
            sayln!("{}", serde_json::to_string_pretty(&self.done)?);
        }
        if self.failed > 0 {
            bail!("{total}个文件中有{}个未能完成", self.failed);
        }
        Ok(())
    }
}

/// `jixiao export FILE... --to yitihua [-o OUT.zip]`: the forms of every input in one 一体化
/// 规范表 zip. An input that cannot be read stops the export (a partial exchange would pass for
/// a whole one); forms of kinds without a 规范表 are left out with a warning naming each.
fn yitihua(
    paths: &[PathBuf],
    output: Option<&Path>,
    out_dir: Option<&Path>,
    mof_div_code: Option<&str>,
    limits: &Limits,
    json: bool,
) -> Result<()> {
    let mof_div_code = match mof_div_code.map(str::trim) {
        None => None,
        Some(code)
            if !code.is_empty() && code.len() <= 15 && code.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(code.to_string())
        }
        Some(code) => bail!("财政区划代码“{code}”应为数字（如 430000）"),
    };
    if out_dir.is_some() {
        bail!(
            "一体化规范表把所有输入的表单写进一个压缩包：请用 -o 指定输出文件（.zip），不用 --out-dir"
        );
    }
    let files = jixiao_app::batch::collect(paths).map_err(anyhow::Error::msg)?;
    let out = match (output, files.as_slice()) {
        (Some(o), _) => {
            let ext = o.extension().map(|e| e.to_string_lossy().to_lowercase());
            if ext.as_deref().is_some_and(|e| e != "zip") {
                bail!(
                    "一体化规范表导出为 .zip 压缩包：-o 的扩展名应为 .zip（现为 .{}）",
                    ext.unwrap_or_default()
                );
            }
            o.with_extension("zip")
        }
        (None, []) => bail!(
            "没有找到可读的文件（支持 .json .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf，以及 .doc .wps）"
        ),
        (None, [one]) => {
            let stem = one.file_stem().unwrap_or_default().to_string_lossy();
            one.with_file_name(format!("{stem}-一体化.zip"))
        }
        (None, many) => bail!(
            "有{}个输入文件：请用 -o 指定输出的一体化规范表压缩包（.zip）",
            many.len()
        ),
    };
    if files.is_empty() {
        bail!(
            "没有找到可读的文件（支持 .json .docx .xlsx .xls .xlsb .ods .et .html .txt .pdf，以及 .doc .wps）"
        );
    }
    if files.iter().any(|f| f == &out) {
        bail!("输出文件与输入文件相同，请用 -o 指定别处");
    }
    let mut forms = Vec::new();
    let mut origins = Vec::new();
    for file in &files {
        let found = load_forms(file, limits).with_context(|| file.display().to_string())?;
        origins.extend(std::iter::repeat_n(file.display().to_string(), found.len()));
        forms.extend(found);
    }
    let exported = files::write_yitihua(&forms, mof_div_code)?;
    crate::out::save(&out, &exported.bytes)?;
    for refused in &exported.refused {
        let file = origins
            .get(refused.position.saturating_sub(1))
            .map_or("", String::as_str);
        eprintln!(
            "注意：{file} 中的“{}”没有对应的一体化规范表，未导出",
            refused.title
        );
    }
    if !exported.refused.is_empty() {
        eprintln!("（可交换：{}）", jixiao_app::files::YITIHUA_KINDS);
    }
    if json {
        let refused: Vec<serde_json::Value> = exported
            .refused
            .iter()
            .map(|r| {
                serde_json::json!({
                    "input": origins.get(r.position.saturating_sub(1)),
                    "title": r.title,
                })
            })
            .collect();
        sayln!(
            "{}",
            serde_json::json!({
                "output": out.display().to_string(),
                "forms": exported.written,
                "refused": refused,
            })
        );
        return Ok(());
    }
    sayln!(
        "已按一体化规范表导出{}张表到 {}{}",
        exported.written,
        out.display(),
        if exported.refused.is_empty() {
            String::new()
        } else {
            format!("（{}张表没有对应的规范表，未导出）", exported.refused.len())
        }
    );
    Ok(())
}

/// `jixiao report DATA... [--to docx|pdf] [-o OUT | --out-dir DIR]`.
pub fn report(
    paths: &[PathBuf],
    to: Option<&str>,
    output: Option<&Path>,
    out_dir: Option<&Path>,
    policy: &ScoringPolicy,
    limits: &Limits,
    json: bool,
) -> Result<()> {
    let format = resolve(to, output, Some(Format::Docx), "docx、pdf")?;
    if !matches!(format, Format::Docx | Format::Pdf) {
        bail!("自评报告不支持“{}”格式：可用 docx、pdf", format.ext());
    }
    let files = inputs(paths, output, out_dir)?;
    let outs = targets(&files, output, out_dir, "-自评报告", format.ext())?;
    let mut done_list = Batch::new(json);
    for (data, out) in files.iter().zip(&outs) {
        let done = load_forms(data, limits).and_then(|forms| {
            let (written, draft) = files::write_report(&forms, policy, format)
                .with_context(|| data.display().to_string())?;
            crate::out::save(out, &written.bytes)?;
            warn_missing(&written);
            if !json {
                sayln!(
                    "已生成自评报告 {}（附件{}张）",
                    out.display(),
                    draft.attachments.len()
                );
                if !draft.notes.is_empty() {
                    sayln!("请在报送前核对：");
                    for note in &draft.notes {
                        sayln!("  · {note}");
                    }
                }
            }
            Ok(serde_json::json!({
                "input": data.display().to_string(),
                "output": out.display().to_string(),
                "attachments": draft.attachments.len(),
                "notes": draft.notes,
            }))
        });
        done_list.add(data, done, files.len() == 1)?;
    }
    done_list.finish(files.len())
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
