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
pub fn from_table(path: &Path, out: Option<&Path>, limits: &Limits, json: bool) -> Result<()> {
    let compiled = compile_file(path, limits)?;
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

/// `jixiao rules check FILE`.
pub fn check(spec: &Path, limits: &Limits, json: bool) -> Result<()> {
    let (rules, text) = load(spec, limits)?;
    let errors = rules.validate(&text);
    let total: rust_decimal::Decimal = rules.indicators.iter().map(|i| i.points).sum();
    if json {
        sayln!(
            "{}",
            serde_json::json!({
                "file": spec.display().to_string(),
                "valid": errors.is_empty(),
                "name": rules.name,
                "indicators": rules.indicators.len(),
                "points": total.normalize().to_string(),
                "errors": errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        );
    }
    if errors.is_empty() {
        if json {
            return Ok(());
        }
        sayln!(
            "规则文件有效：{}，{}项指标，合计{}分",
            rules.name,
            rules.indicators.len(),
            total.normalize()
        );
        Ok(())
    } else {
        if !json {
            for e in &errors {
                sayln!("{}：{e}", spec.display());
            }
        }
        bail!("规则文件有{}处错误", errors.len());
    }
}

/// `jixiao evaluate --rules FILE --data FILE [--json]`.
pub fn run(
    rules: &Path,
    data: &Path,
    json: bool,
    html: Option<&Path>,
    limits: &Limits,
) -> Result<()> {
    let (rules, text) = load(rules, limits)?;
    let errors = rules.validate(&text);
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        bail!("规则文件无效：{}", list.join("；"));
    }
    let mut notes = Vec::new();
    // Evaluation data JSON as it is; any other file (documents, form JSON, `import --json`
    // output) for the 基础数据表 and 评价指标表 it holds.
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
    let evaluation = evaluate(&rules, &assessment);
    let differences = evaluation.differences();
    if let Some(path) = html {
        crate::out::save(
            path,
            jixiao_write::evaluation_html(&evaluation, &differences, &notes).as_bytes(),
        )?;
    }
    // Items that could not be computed make the total provisional: no grade is given for it.
    let missing: Vec<String> = evaluation
        .indicators
        .iter()
        .filter(|r| r.score.is_none())
        .map(|r| r.name.clone())
        .collect();
    let provisional = !evaluation.complete;
    if json {
        let mut v = serde_json::json!({ "evaluation": evaluation, "differences": differences, "notes": notes });
        if provisional {
            v["evaluation"]["grade"] = serde_json::Value::Null;
            v["provisional"] = serde_json::Value::Bool(true);
            v["uncomputable"] = serde_json::json!(missing);
        }
        sayln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    sayln!("{}\n", evaluation.name);
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
    say!("{}", t.render());
    sayln!("\n计分说明：");
    for (i, r) in evaluation.indicators.iter().enumerate() {
        sayln!("  {}. {}：{}", i + 1, r.name, r.explanation);
    }
    if provisional {
        sayln!(
            "\n总分：{}分（适用指标分值{}），暂定：有{}项指标无法计算，不评定等级",
            evaluation.total.normalize(),
            evaluation.applicable_points.normalize(),
            missing.len()
        );
        sayln!("无法计算的指标：{}", missing.join("、"));
        sayln!("请补齐这些指标所需的基础数据后重新计分（见上方计分说明和下方基础数据说明）。");
    } else {
        sayln!(
            "\n总分：{}分（适用指标分值{}），等级：{}",
            evaluation.total.normalize(),
            evaluation.applicable_points.normalize(),
            evaluation.grade
        );
    }
    if let Some(v) = &evaluation.veto {
        sayln!("一票否决：{v}");
    }
    if !differences.is_empty() {
        sayln!("\n与表中得分的差异（{}项）：", differences.len());
        for d in &differences {
            sayln!("  - {}：{}", d.name, d.message);
        }
    }
    if !notes.is_empty() {
        sayln!("\n基础数据说明：");
        for n in &notes {
            sayln!("  - {n}");
        }
    }
    Ok(())
}
