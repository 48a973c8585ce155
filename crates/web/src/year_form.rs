//! A fiscal year's settings as form fields with Chinese labels: the scoring policy's open
//! choices (full score, weights, execution-rate denominator, reverse formula, overshoot
//! threshold, total basis, grade bands, decimals), the monitoring bands, the four consequences
//! 优/良/中/差 and the rule set. A wrong value is named by its Chinese label, and what was
//! typed is shown again. The qualitative tiers and the operators of bare numbers keep their
//! stored values (they are not on the form).

use jixiao_app::settings::YearSettings;
use jixiao_core::indicator::Level1;
use jixiao_core::scoring::{ExecutionDenominator, ReverseFormula, TotalBasis};
use rust_decimal::Decimal;

use crate::edit::Fields;

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingField {
    /// The posted name.
    pub key: &'static str,
    /// The Chinese label.
    pub label: &'static str,
    /// The value shown (stored, or as typed after an error).
    pub value: String,
    /// For a drop-down: (value, label).
    pub options: Vec<(String, String)>,
    /// The group it is shown in.
    pub group: &'static str,
}

/// The serde code of a policy choice.
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

const DENOMINATORS: [ExecutionDenominator; 2] = [
    ExecutionDenominator::FullYearBudget,
    ExecutionDenominator::InitialBudget,
];
const REVERSE: [ReverseFormula; 2] = [ReverseFormula::Deviation, ReverseFormula::Ratio];
const BASES: [(TotalBasis, &str); 2] = [
    (
        TotalBasis::RescaleToFullScore,
        "按满分折算（各项得分之和×满分÷各项分值之和）",
    ),
    (TotalBasis::RawSum, "直接合计各项得分"),
];

/// The level-1 weight fields: (key, label, group).
const WEIGHTS: [(&str, &str, Level1); 4] = [
    ("w_output", "产出指标分值", Level1::Output),
    ("w_cost", "成本指标分值（留空则不单列）", Level1::Cost),
    ("w_benefit", "效益指标分值", Level1::Benefit),
    ("w_satisfaction", "满意度指标分值", Level1::Satisfaction),
];

/// The fields of `st`, each showing what `typed` holds for it when given.
pub fn fields(
    st: &YearSettings,
    rule_sets: &[(&str, &str)],
    typed: Option<&Fields>,
) -> Vec<SettingField> {
    let p = &st.scoring;
    let text =
        |k: &'static str, label: &'static str, group: &'static str, v: String| SettingField {
            key: k,
            label,
            value: typed.and_then(|t| t.get(k).cloned()).unwrap_or(v),
            options: Vec::new(),
            group,
        };
    let select = |k: &'static str,
                  label: &'static str,
                  group: &'static str,
                  v: String,
                  options: Vec<(String, String)>| SettingField {
        options,
        ..text(k, label, group, v)
    };
    let d = |v: Decimal| v.normalize().to_string();
    let mut out = vec![
        text("full_score", "满分", "计分政策", d(p.full_score)),
        text(
            "execution_weight",
            "预算执行率分值",
            "计分政策",
            d(p.execution_weight),
        ),
    ];
    for (k, label, level) in WEIGHTS {
        let v = p
            .level1_weights
            .get(&level)
            .map(|w| d(*w))
            .unwrap_or_default();
        out.push(text(k, label, "计分政策", v));
    }
    out.extend([
        select(
            "execution_denominator",
            "预算执行率的分母",
            "计分政策",
            code(&p.execution_denominator),
            DENOMINATORS
                .iter()
                .map(|x| (code(x), x.label().to_string()))
                .collect(),
        ),
        select(
            "reverse_formula",
            "反向指标超出目标时的计分公式",
            "计分政策",
            code(&p.reverse_formula),
            REVERSE
                .iter()
                .map(|x| (code(x), x.describe().to_string()))
                .collect(),
        ),
        text(
            "overshoot_threshold",
            "实际值超过目标值的倍数（如1.2即120%）达到时须说明原因，留空则不检查",
            "计分政策",
            p.overshoot_threshold.map(d).unwrap_or_default(),
        ),
        select(
            "total_basis",
            "各项分值之和不等于满分时",
            "计分政策",
            code(&p.total_basis),
            BASES
                .iter()
                .map(|(x, l)| (code(x), (*l).to_string()))
                .collect(),
        ),
        text(
            "grade_excellent",
            "等级“优”的最低分",
            "计分政策",
            d(p.grade_bands.excellent),
        ),
        text(
            "grade_good",
            "等级“良”的最低分",
            "计分政策",
            d(p.grade_bands.good),
        ),
        text(
            "grade_fair",
            "等级“中”的最低分",
            "计分政策",
            d(p.grade_bands.fair),
        ),
        text(
            "decimals",
            "得分保留小数位数",
            "计分政策",
            p.decimals.to_string(),
        ),
        text(
            "red_below",
            "执行进度比低于（%）为红灯",
            "运行监控预警",
            d(st.monitoring.red_below),
        ),
        text(
            "yellow_below",
            "执行进度比低于（%）为黄灯",
            "运行监控预警",
            d(st.monitoring.yellow_below),
        ),
        text(
            "deviation_trigger",
            "数量指标落后序时进度超过（%）须说明原因",
            "运行监控预警",
            d(st.monitoring.deviation_trigger),
        ),
        text(
            "blue_from",
            "数量指标完成序时进度目标的（%）达到时为蓝灯（超额完成），留空则不用蓝灯",
            "运行监控预警",
            st.monitoring.blue_from.map(d).unwrap_or_default(),
        ),
        text(
            "excellent",
            "等级“优”的预算安排",
            "结果应用",
            st.consequences.excellent.clone(),
        ),
        text(
            "good",
            "等级“良”的预算安排",
            "结果应用",
            st.consequences.good.clone(),
        ),
        text(
            "fair",
            "等级“中”的预算安排",
            "结果应用",
            st.consequences.fair.clone(),
        ),
        text(
            "poor",
            "等级“差”的预算安排",
            "结果应用",
            st.consequences.poor.clone(),
        ),
        select(
            "require_ex_ante",
            "项目申报须附事前绩效评估（结论为予以支持或调整完善后予以支持）",
            "事前绩效评估",
            if st.require_ex_ante { "yes" } else { "no" }.to_string(),
            vec![
                ("no".to_string(), "不要求".to_string()),
                ("yes".to_string(), "要求".to_string()),
            ],
        ),
        text(
            "ex_ante_support",
            "得分率达到（%）结论为“予以支持”",
            "事前绩效评估",
            d(p.ex_ante.support_from),
        ),
        text(
            "ex_ante_revise",
            "得分率达到（%）结论为“调整完善后予以支持”",
            "事前绩效评估",
            d(p.ex_ante.revise_from),
        ),
        select(
            "rule_set",
            "部门整体支出评价规则",
            "部门评价",
            st.rule_set.clone(),
            rule_sets
                .iter()
                .map(|(c, t)| ((*c).to_string(), (*t).to_string()))
                .collect(),
        ),
    ]);
    out
}

/// The label of a field.
fn label(key: &str) -> &'static str {
    fields(&YearSettings::default(), &[], None)
        .into_iter()
        .find(|f| f.key == key)
        .map_or("设置", |f| f.label)
}

/// `st` with the posted fields applied; every error names its field by its Chinese label.
pub fn apply(
    st: &YearSettings,
    f: &Fields,
    rule_sets: &[(&str, &str)],
) -> Result<YearSettings, Vec<String>> {
    let mut st = st.clone();
    let mut errors = Vec::new();
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string());
    let mut dec = |k: &'static str, into: &mut Decimal| {
        if let Some(v) = get(k) {
            match v.trim_end_matches('%').parse::<Decimal>() {
                Ok(x) => *into = x,
                Err(_) => errors.push(format!("“{}”应为数字，“{v}”不是", label(k))),
            }
        }
    };
    let p = &mut st.scoring;
    dec("full_score", &mut p.full_score);
    dec("execution_weight", &mut p.execution_weight);
    dec("grade_excellent", &mut p.grade_bands.excellent);
    dec("grade_good", &mut p.grade_bands.good);
    dec("grade_fair", &mut p.grade_bands.fair);
    dec("ex_ante_support", &mut p.ex_ante.support_from);
    dec("ex_ante_revise", &mut p.ex_ante.revise_from);
    dec("red_below", &mut st.monitoring.red_below);
    dec("yellow_below", &mut st.monitoring.yellow_below);
    dec("deviation_trigger", &mut st.monitoring.deviation_trigger);
    match get("blue_from").as_deref() {
        None => {}
        Some("") => st.monitoring.blue_from = None,
        Some(v) => match v.trim_end_matches('%').parse::<Decimal>() {
            Ok(x) => st.monitoring.blue_from = Some(x),
            Err(_) => errors.push(format!("“{}”应为数字或留空，“{v}”不是", label("blue_from"))),
        },
    }
    for (k, _, level) in WEIGHTS {
        match get(k).as_deref() {
            None => {}
            Some("") => {
                st.scoring.level1_weights.remove(&level);
            }
            Some(v) => match v.parse::<Decimal>() {
                Ok(x) => {
                    st.scoring.level1_weights.insert(level, x);
                }
                Err(_) => errors.push(format!("“{}”应为数字，“{v}”不是", label(k))),
            },
        }
    }
    match get("overshoot_threshold").as_deref() {
        None => {}
        Some("") => st.scoring.overshoot_threshold = None,
        Some(v) => match v.parse::<Decimal>() {
            Ok(x) => st.scoring.overshoot_threshold = Some(x),
            Err(_) => errors.push(format!(
                "“{}”应为数字或留空，“{v}”不是",
                label("overshoot_threshold")
            )),
        },
    }
    if let Some(v) = get("decimals") {
        match v.parse::<u32>() {
            Ok(x) => st.scoring.decimals = x,
            Err(_) => errors.push(format!("“{}”应为0至10的整数，“{v}”不是", label("decimals"))),
        }
    }
    let pick = |k: &str, options: Vec<String>| -> Option<Result<String, String>> {
        let v = get(k)?;
        Some(if options.contains(&v) {
            Ok(v)
        } else {
            Err(format!("“{}”的选项“{v}”无效", label(k)))
        })
    };
    macro_rules! choose {
        ($key:literal, $list:expr, $field:expr) => {
            match pick($key, $list.iter().map(code).collect()) {
                Some(Ok(v)) => {
                    if let Some(x) = $list.iter().find(|x| code(*x) == v) {
                        $field = *x;
                    }
                }
                Some(Err(e)) => errors.push(e),
                None => {}
            }
        };
    }
    choose!(
        "execution_denominator",
        DENOMINATORS,
        st.scoring.execution_denominator
    );
    choose!("reverse_formula", REVERSE, st.scoring.reverse_formula);
    let bases: Vec<TotalBasis> = BASES.iter().map(|(b, _)| *b).collect();
    choose!("total_basis", bases, st.scoring.total_basis);
    for (k, into) in [
        ("excellent", &mut st.consequences.excellent),
        ("good", &mut st.consequences.good),
        ("fair", &mut st.consequences.fair),
        ("poor", &mut st.consequences.poor),
    ] {
        if let Some(v) = get(k) {
            if v.is_empty() {
                errors.push(format!("请填写“{}”", label(k)));
            } else {
                *into = v;
            }
        }
    }
    match pick("require_ex_ante", vec!["no".into(), "yes".into()]) {
        Some(Ok(v)) => st.require_ex_ante = v == "yes",
        Some(Err(e)) => errors.push(e),
        None => {}
    }
    let bands = &st.scoring.ex_ante;
    if !(Decimal::ZERO <= bands.revise_from
        && bands.revise_from <= bands.support_from
        && bands.support_from <= Decimal::from(100))
    {
        errors.push(format!(
            "“{}”应在0至100之间，且不低于“{}”",
            label("ex_ante_support"),
            label("ex_ante_revise")
        ));
    }
    match pick(
        "rule_set",
        rule_sets.iter().map(|(c, _)| (*c).to_string()).collect(),
    ) {
        Some(Ok(v)) => st.rule_set = v,
        Some(Err(e)) => errors.push(e),
        None => {}
    }
    if errors.is_empty() {
        if let Err((path, message)) = st.scoring.validate() {
            let key = match path {
                "full_score" => "full_score",
                "execution_weight" => "execution_weight",
                "level1_weights" => "w_output",
                "overshoot_threshold" => "overshoot_threshold",
                "grade_bands" => "grade_excellent",
                "decimals" => "decimals",
                _ => "",
            };
            let name = if path == "level1_weights" {
                "一级指标分值"
            } else if path == "grade_bands" {
                "等级分数线"
            } else {
                label(key)
            };
            errors.push(format!("“{name}”有误：{message}"));
        }
        if let Err(e) = st.monitoring.check() {
            errors.push(format!("运行监控预警有误：{}", e.0));
        }
    }
    if errors.is_empty() {
        Ok(st)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn fields_round_trip_and_errors_name_the_field_in_chinese() {
        let st = YearSettings::default();
        let rules = [("hunan-department", "湖南")];
        let all: Fields = fields(&st, &rules, None)
            .into_iter()
            .map(|f| (f.key.to_string(), f.value))
            .collect();
        assert_eq!(apply(&st, &all, &rules), Ok(st.clone()));
        let changed = apply(
            &st,
            &posted(&[
                ("full_score", "120"),
                ("overshoot_threshold", ""),
                ("total_basis", "raw_sum"),
            ]),
            &rules,
        )
        .expect("valid");
        assert_eq!(changed.scoring.full_score, Decimal::from(120));
        assert_eq!(changed.scoring.overshoot_threshold, None);
        assert_eq!(changed.scoring.total_basis, TotalBasis::RawSum);
        let errors = apply(
            &st,
            &posted(&[("full_score", "一百"), ("decimals", "-1")]),
            &rules,
        )
        .expect_err("refused");
        assert!(errors[0].contains("“满分”应为数字"), "{errors:?}");
        assert!(errors[1].contains("得分保留小数位数"), "{errors:?}");
        let errors = apply(&st, &posted(&[("grade_good", "95")]), &rules).expect_err("bands");
        assert!(errors[0].contains("等级分数线"), "{errors:?}");
        let typed = posted(&[("full_score", "一百")]);
        let shown = fields(&st, &rules, Some(&typed));
        assert_eq!(shown[0].value, "一百", "what was typed is kept");
    }
}
