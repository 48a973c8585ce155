//! `jixiao evaluate` and `jixiao rules check`: evaluation tables as rule files.

use std::path::Path;

use anyhow::{Context, Result, bail};
use jixiao_core::form::Form;
use jixiao_core::rules::{Assessment, RuleSet, evaluate};
use jixiao_recognize::{Limits, import};

use crate::table::Table;

/// Reads a rule set: a built-in one by name (`hunan-department`), a TOML rule file, or an evaluation
/// table in any imported format, compiled from its own wording (what could not be compiled is
/// printed to stderr).
pub fn load(spec: &Path, limits: &Limits) -> Result<(RuleSet, String)> {
    if let Some(b) = spec.to_str().and_then(jixiao_app::evaluation::built_in) {
        return Ok((RuleSet::from_toml(b.toml)?, b.toml.to_string()));
    }
    if spec.extension().is_some_and(|e| e == "toml") {
        let text = crate::out::read_text(spec)?;
        let rules =
            RuleSet::from_toml(&text).with_context(|| format!("规则文件 {}", spec.display()))?;
        return Ok((rules, text));
    }
    let compiled = compile_file(spec, limits)?;
    for u in &compiled.uncompiled {
        eprintln!(
            "提示：“{}”的评价标准未能转换为规则（{}）：{}",
            u.name,
            u.reason,
            u.text.replace('\n', " ")
        );
    }
    let text = compiled.rules.to_toml()?;
    Ok((compiled.rules, text))
}

/// Imports `path` and compiles the evaluation table in it; when the same file holds the
/// 基础数据表, the compiled fields are bound to its cells by themselves (printed to stderr for
/// checking; fields that cannot be bound are named, never guessed).
fn compile_file(path: &Path, limits: &Limits) -> Result<jixiao_core::rules::compile::Compiled> {
    let bytes = crate::out::read(path)?;
    let imported = import(&path.display().to_string(), &bytes, limits)?;
    let table = imported
        .forms
        .iter()
        .find_map(|f| match &f.form {
            Form::EvaluationTable(t) => Some(t),
            _ => None,
        })
        .with_context(|| format!("{} 中没有找到评价指标表", path.display()))?;
    let mut compiled = jixiao_core::rules::compile::from_table(table);
    let base = imported.forms.iter().find_map(|f| match &f.form {
        Form::BaseData(b) => Some(b),
        _ => None,
    });
    if let Some(base) = base {
        let binding = jixiao_core::rules::bind::bind(&compiled.rules, base);
        for b in &binding.fields {
            match &b.source {
                Some(s) => eprintln!(
                    "字段对应：{} → “{}”“{}”＝{}（{}）",
                    b.field,
                    s.label,
                    s.column,
                    b.value.as_deref().unwrap_or(""),
                    b.reason
                ),
                None => eprintln!("字段未对应：{}：{}", b.field, b.reason),
            }
        }
        compiled.rules = binding.apply(&compiled.rules);
    }
    Ok(compiled)
}

/// `jixiao rules from-table FILE [-o OUT]`: the table's wording compiled into a rule file.
/// `jixiao rules from-table PATH… [-o FILE | --out-dir DIR]`: one file as [`from_table`];
/// several files or a folder each converted into `DIR/<name>.toml`, a file without an evaluation
/// table said beside it (text) or as its `error` (JSON). False when a file failed.
pub fn from_tables(
    paths: &[std::path::PathBuf],
    out: Option<&Path>,
    out_dir: Option<&Path>,
    limits: &Limits,
    json: bool,
) -> Result<bool> {
    let files = jixiao_app::batch::collect(paths).map_err(anyhow::Error::msg)?;
    let batch = files.len() > 1 || paths.iter().any(|p| p.is_dir());
    if !batch {
        let Some(one) = files.first() else {
            bail!("没有找到含评价指标表的文件");
        };
        from_table(one, out, limits, json)?;
        return Ok(true);
    }
    let Some(dir) = out_dir else {
        bail!("有{}个输入文件：请用 --out-dir 指定输出文件夹", files.len());
    };
    if out.is_some() {
        bail!("-o 只能用于单个输入文件；多个文件或文件夹请用 --out-dir 指定输出文件夹");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("无法建立文件夹 {}", dir.display()))?;
    let mut ok = true;
    let mut values = Vec::new();
    for file in &files {
        let source = file.display().to_string();
        let stem_of = |f: &Path| f.file_stem().map(|s| s.to_string_lossy().into_owned());
        let stem = stem_of(file).unwrap_or_else(|| "rules".into());
        // Inputs sharing a name keep their own extension in it (`seed004-xlsx.toml`), as
        // `jixiao export` does: one never overwrites another.
        let shared = files
            .iter()
            .filter(|f| stem_of(f).as_deref() == Some(stem.as_str()))
            .count()
            > 1;
        let target = match file.extension().map(|e| e.to_string_lossy()) {
            Some(ext) if shared => dir.join(format!("{stem}-{ext}.toml")),
            _ => dir.join(format!("{stem}.toml")),
        };
        let converted = compile_file(file, limits).and_then(|compiled| {
            crate::out::save(&target, rules_text(&compiled)?.as_bytes())?;
            Ok(compiled)
        });
        ok &= converted.is_ok();
        match converted {
            Ok(c) if json => values.push(serde_json::json!({
                "file": source,
                "output": target.display().to_string(),
                "indicators": c.rules.indicators.len(),
                "uncompiled": c.uncompiled.len(),
            })),
            Ok(c) => sayln!(
                "{source} → {}：已转换{}项指标，未能转换{}项",
                target.display(),
                c.rules.indicators.len(),
                c.uncompiled.len()
            ),
            Err(e) if json => {
                values.push(serde_json::json!({ "file": source, "error": format!("{e:#}") }));
            }
            Err(e) => sayln!("{source}：错误：{e:#}"),
        }
    }
    if json {
        sayln!("{}", serde_json::to_string_pretty(&values)?);
    }
    Ok(ok)
}

/// A converted table as a rule file, with what could not be converted as comments.
fn rules_text(compiled: &jixiao_core::rules::compile::Compiled) -> Result<String> {
    let mut text = String::from(
        "# 由评价指标表的评价标准自动转换；请在 [fields] 中填写各字段在基础数据表中的位置（label、column）。\n",
    );
    text.push_str(&compiled.rules.to_toml()?);
    for u in &compiled.uncompiled {
        text.push_str(&format!(
            "\n# 未能转换：{}（{}）：{}\n",
            u.name,
            u.reason,
            u.text.replace('\n', " ")
        ));
    }
    Ok(text)
}

/// `jixiao rules from-table FILE [-o OUT]`: the rule file printed or saved.
pub fn from_table(path: &Path, out: Option<&Path>, limits: &Limits, json: bool) -> Result<()> {
    let compiled = compile_file(path, limits)?;
    let text = rules_text(&compiled)?;
    if let Some(p) = out {
        crate::out::save(p, text.as_bytes())?;
    }
    if json {
        let uncompiled: Vec<serde_json::Value> = compiled
            .uncompiled
            .iter()
            .map(|u| serde_json::json!({"name": u.name, "reason": u.reason, "text": u.text}))
            .collect();
        sayln!(
            "{}",
            serde_json::json!({
                "output": out.map(|p| p.display().to_string()),
                "rules": if out.is_none() { Some(&text) } else { None },
                "indicators": compiled.rules.indicators.len(),
                "uncompiled": uncompiled,
            })
        );
        return Ok(());
    }
    if out.is_none() {
        say!("{text}");
    }
    eprintln!(
        "已转换{}项指标，未能转换{}项",
        compiled.rules.indicators.len(),
        compiled.uncompiled.len()
    );
    Ok(())
}

/// `jixiao rules check FILE…`: each rule file (a built-in name, a file, or the .toml files of
/// a folder) checked; one prints as it always did, several one after another (text) or as an
/// array (JSON). Fails when any is invalid.
pub fn check(specs: &[std::path::PathBuf], limits: &Limits, json: bool) -> Result<()> {
    let mut files = Vec::new();
    for spec in specs {
        if spec.is_dir() {
            let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(spec)
                .with_context(|| format!("无法读取文件夹 {}", spec.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(spec.clone());
        }
    }
    if files.is_empty() {
        bail!("没有找到规则文件（.toml）");
    }
    let mut values = Vec::new();
    let (mut invalid, mut errors_total) = (0, 0);
    for (k, spec) in files.iter().enumerate() {
        let (value, text, errors) = check_one(spec, limits)?;
        invalid += usize::from(!errors.is_empty());
        errors_total += errors.len();
        if json {
            values.push(value);
            continue;
        }
        if k > 0 && files.len() > 1 {
            sayln!();
        }
        if errors.is_empty() {
            sayln!("{text}");
        } else {
            for e in &errors {
                sayln!("{}：{e}", spec.display());
            }
        }
    }
    if json {
        match values.as_slice() {
            [one] => sayln!("{one}"),
            many => sayln!("{}", serde_json::to_string_pretty(many)?),
        }
    }
    match (invalid, files.len()) {
        (0, _) => Ok(()),
        (_, 1) => bail!("规则文件有{errors_total}处错误"),
        (n, total) => bail!("{total}个规则文件中有{n}个有错误"),
    }
}

/// One rule file checked: its JSON summary, its line of text when valid, and its errors.
fn check_one(spec: &Path, limits: &Limits) -> Result<(serde_json::Value, String, Vec<String>)> {
    let (rules, text) = load(spec, limits)?;
    let errors: Vec<String> = rules
        .validate(&text)
        .iter()
        .map(ToString::to_string)
        .collect();
    let total: rust_decimal::Decimal = rules.indicators.iter().map(|i| i.points).sum();
    let value = serde_json::json!({
        "file": spec.display().to_string(),
        "valid": errors.is_empty(),
        "name": rules.name,
        "indicators": rules.indicators.len(),
        "points": total.normalize().to_string(),
        "errors": errors,
    });
    let line = format!(
        "规则文件有效：{}，{}项指标，合计{}分",
        rules.name,
        rules.indicators.len(),
        total.normalize()
    );
    Ok((value, line, errors))
}

/// One data file evaluated: the evaluation, its differences from the table's scores, and
/// notes on the base data.
struct Outcome {
    evaluation: jixiao_core::rules::Evaluation,
    differences: Vec<jixiao_core::rules::Difference>,
    notes: Vec<String>,
}

/// `jixiao evaluate --rules FILE --data FILE… [--json]`: each data file (or the data files in
/// a folder) evaluated by the rules; one file prints as it always did, several one after
/// another (text) or as an array of `{file, …}` (JSON). False when a data file failed.
pub fn run(
    rules: &Path,
    data: &[std::path::PathBuf],
    json: bool,
    html: Option<&Path>,
    limits: &Limits,
) -> Result<bool> {
    let (rules, text) = load(rules, limits)?;
    let errors = rules.validate(&text);
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("规则文件无效：{}", list.join("；"));
    }
    let files = jixiao_app::batch::collect(data).map_err(anyhow::Error::msg)?;
    if let ([one], false) = (files.as_slice(), data.iter().any(|p| p.is_dir())) {
        let outcome = evaluate_data(&rules, one, limits)?;
        if let Some(path) = html {
            save_html(path, &outcome)?;
        }
        if json {
            sayln!("{}", serde_json::to_string_pretty(&outcome_json(&outcome))?);
        } else {
            say!("{}", outcome_text(&outcome)?);
        }
        return Ok(true);
    }
    if html.is_some() {
        bail!("--html 只能用于单个评价数据文件");
    }
    if files.is_empty() {
        bail!("没有找到评价数据文件");
    }
    let mut ok = true;
    let mut values = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let source = file.display().to_string();
        let outcome = evaluate_data(&rules, file, limits);
        ok &= outcome.is_ok();
        if json {
            let mut v = match &outcome {
                Ok(o) => outcome_json(o),
                Err(e) => serde_json::json!({ "error": format!("{e:#}") }),
            };
            v["file"] = serde_json::Value::String(source);
            values.push(v);
            continue;
        }
        if k > 0 {
            sayln!();
        }
        sayln!("【{source}】");
        match outcome {
            Ok(o) => say!("{}", outcome_text(&o)?),
            Err(e) => sayln!("错误：{e:#}"),
        }
    }
    if json {
        sayln!("{}", serde_json::to_string_pretty(&values)?);
    }
    Ok(ok)
}

/// The evaluation of one data file: evaluation data JSON as it is; any other file
/// (documents, form JSON, `import --json` output) for the 基础数据表 and 评价指标表 it holds.
fn evaluate_data(rules: &RuleSet, data: &Path, limits: &Limits) -> Result<Outcome> {
    let mut notes = Vec::new();
    let bytes = crate::out::read(data)?;
    let as_assessment = jixiao_recognize::json::is_json(&data.display().to_string())
        .then(|| serde_json::from_slice::<Assessment>(&bytes).ok())
        .flatten();
    let assessment = match as_assessment {
        Some(a) => a,
        None => {
            let forms = jixiao_app::files::forms_in(&data.display().to_string(), &bytes, limits)?;
            let mut a = Assessment::default();
            let mut found = false;
            for form in &forms {
                match form {
                    Form::BaseData(b) => {
                        let (values, missing) = rules.values_from(b);
                        a.values.extend(values);
                        notes.extend(missing);
                        found = true;
                    }
                    Form::EvaluationTable(t) => a.stated = rules.stated_from(t),
                    _ => {}
                }
            }
            if !found {
                bail!(
                    "{} 中没有找到基础数据表（评价数据可以是含基础数据表的文件，或评价数据 JSON）",
                    data.display()
                );
            }
            a
        }
    };
    let evaluation = evaluate(rules, &assessment);
    let differences = evaluation.differences();
    Ok(Outcome {
        evaluation,
        differences,
        notes,
    })
}

/// The evaluation as a single-page HTML file.
fn save_html(path: &Path, o: &Outcome) -> Result<()> {
    crate::out::save(
        path,
        jixiao_write::evaluation_html(&o.evaluation, &o.differences, &o.notes).as_bytes(),
    )
}

/// The names of the indicators that could not be computed (the total is then provisional).
fn uncomputable(o: &Outcome) -> Vec<String> {
    o.evaluation
        .indicators
        .iter()
        .filter(|r| r.score.is_none())
        .map(|r| r.name.clone())
        .collect()
}

/// The evaluation as JSON: no grade while it is provisional.
fn outcome_json(o: &Outcome) -> serde_json::Value {
    let mut v = serde_json::json!({ "evaluation": o.evaluation, "differences": o.differences, "notes": o.notes });
    if !o.evaluation.complete {
        v["evaluation"]["grade"] = serde_json::Value::Null;
        v["provisional"] = serde_json::Value::Bool(true);
        v["uncomputable"] = serde_json::json!(uncomputable(o));
    }
    v
}

/// The evaluation as text: the table, how each item was scored, the total, the differences
/// and the notes.
fn outcome_text(o: &Outcome) -> Result<String> {
    use std::fmt::Write;
    let mut out = String::new();
    let (evaluation, differences, notes) = (&o.evaluation, &o.differences, &o.notes);
    let missing = uncomputable(o);
    let provisional = !evaluation.complete;
    writeln!(out, "{}\n", evaluation.name)?;
    let mut t = Table::new(
        &[
            "一级",
            "二级",
            "三级指标",
            "分值",
            "计算值",
            "得分",
            "表中得分",
        ],
        30,
    );
    let show = |v: Option<rust_decimal::Decimal>| {
        v.map_or_else(|| "—".to_string(), |v| v.normalize().to_string())
    };
    for r in &evaluation.indicators {
        t.row(vec![
            r.level1.clone(),
            r.level2.clone(),
            r.name.clone(),
            r.points.normalize().to_string(),
            show(r.measure),
            r.score
                .map_or_else(|| "无法计算".to_string(), |s| s.normalize().to_string()),
            show(r.stated),
        ]);
    }
    write!(out, "{}", t.render())?;
    writeln!(out, "\n计分说明：")?;
    for (i, r) in evaluation.indicators.iter().enumerate() {
        writeln!(out, "  {}. {}：{}", i + 1, r.name, r.explanation)?;
    }
    if provisional {
        writeln!(
            out,
            "\n总分：{}分（适用指标分值{}），暂定：有{}项指标无法计算，不评定等级",
            evaluation.total.normalize(),
            evaluation.applicable_points.normalize(),
            missing.len()
        )?;
        writeln!(out, "无法计算的指标：{}", missing.join("、"))?;
        writeln!(
            out,
            "请补齐这些指标所需的基础数据后重新计分（见上方计分说明和下方基础数据说明）。"
        )?;
    } else {
        writeln!(
            out,
            "\n总分：{}分（适用指标分值{}），等级：{}",
            evaluation.total.normalize(),
            evaluation.applicable_points.normalize(),
            evaluation.grade
        )?;
    }
    if let Some(v) = &evaluation.veto {
        writeln!(out, "一票否决：{v}")?;
    }
    if !differences.is_empty() {
        writeln!(out, "\n与表中得分的差异（{}项）：", differences.len())?;
        for d in differences.iter() {
            writeln!(out, "  - {}：{}", d.name, d.message)?;
        }
    }
    if !notes.is_empty() {
        writeln!(out, "\n基础数据说明：")?;
        for n in notes.iter() {
            writeln!(out, "  - {n}")?;
        }
    }
    Ok(out)
}
