//! Seed 004's evaluation table as a rule file, evaluated from its own base data.

use std::path::PathBuf;

use super::*;
use crate::form::Form;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed004_rules() -> (RuleSet, String) {
    let text = std::fs::read_to_string(root().join("rules/hunan-department.toml")).unwrap();
    (RuleSet::from_toml(&text).unwrap(), text)
}

fn seed004_forms() -> (crate::form::EvaluationTable, BaseData) {
    let text = std::fs::read_to_string(root().join("testdata/expected/seed004.json")).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut table = None;
    let mut data = None;
    for v in values {
        match Form::from_json(&v.to_string()).unwrap() {
            Form::EvaluationTable(t) => table = Some(t),
            Form::BaseData(b) => data = Some(b),
            _ => {}
        }
    }
    (table.unwrap(), data.unwrap())
}

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

#[test]
fn the_seed_rule_file_is_valid_and_adds_up() {
    let (rules, text) = seed004_rules();
    assert_eq!(rules.indicators.len(), 16);
    assert!(
        rules.validate(&text).is_empty(),
        "{:#?}",
        rules.validate(&text)
    );
    let again = RuleSet::from_toml(&rules.to_toml().unwrap()).unwrap();
    assert_eq!(again, rules, "round-trips through TOML");
}

#[test]
fn seed004_evaluated_from_its_own_base_data() {
    let (rules, _) = seed004_rules();
    let (table, data) = seed004_forms();
    let (values, notes) = rules.values_from(&data);
    assert_eq!(values["编制数"], d("11"));
    assert_eq!(values["实际支出公用经费"], d("20.5"));
    assert!(
        notes.iter().any(|n| n.contains("政府采购金额")),
        "{notes:?}"
    );
    let assessment = Assessment {
        values,
        stated: rules.stated_from(&table),
        ..Assessment::default()
    };
    let e = evaluate(&rules, &assessment);
    let by = |name: &str| e.indicators.iter().find(|r| r.name == name).unwrap();

    // Computed from the data, explained.
    let staff = by("在职人员控制率");
    assert_eq!(
        (staff.score, staff.status.clone()),
        (Some(d("5")), Status::Computed)
    );
    let public = by("公用经费控制率");
    assert_eq!(public.score, Some(d("8")));
    assert!(
        public
            .explanation
            .starts_with("公用经费控制率 = 20.5 ÷ 29.24 × 100 = 70.11"),
        "{}",
        public.explanation
    );
    assert_eq!(by("“三公经费”控制率").measure, Some(d("91.43")));
    // The table's own rule gives full points when there is no building project.
    assert_eq!(by("新建楼堂馆所面积控制率").status, Status::FullWhenMissing);
    // Never full marks for missing data.
    let change = by("“三公经费”变动率");
    assert_eq!(change.score, None);
    assert_eq!(
        change.status,
        Status::NotComputable {
            reason: "缺少：上年三公经费预算数".into()
        }
    );
    assert_eq!(by("新建楼堂馆所投资概算控制率").score, None);
    // Judgement rules take the filled-in table's score, saying so.
    let rules_ok = by("管理制度健全性");
    assert_eq!(
        (rules_ok.score, rules_ok.status.clone()),
        (Some(d("8")), Status::FromTable)
    );
    assert_eq!(by("经济效益、社会效益").score, Some(d("10")));
    assert!(!e.complete);

    // Stated scores the data cannot confirm are listed.
    let diffs = e.differences();
    let names: Vec<&str> = diffs.iter().map(|x| x.name.as_str()).collect();
    assert!(
        names.contains(&"“三公经费”变动率") && names.contains(&"预算控制率"),
        "{names:?}"
    );
    assert!(!names.contains(&"公用经费控制率"), "8 = 8 stays quiet");
}

#[test]
fn judgements_deductions_not_applicable_and_veto() {
    let (mut rules, _) = seed004_rules();
    let (_, data) = seed004_forms();
    let (values, _) = rules.values_from(&data);
    let mut a = Assessment {
        values,
        ..Assessment::default()
    };
    for (k, v) in [
        ("上年三公经费预算数", "1.4"),
        ("上年结转", "16.8"),
        ("年初预算", "140.8"),
        ("本年追加预算", "0"),
        ("年末结余", "0"),
        ("实际投资金额", "100"),
        ("批准投资金额", "100"),
        ("实际政府采购金额", "0"),
        ("政府采购预算数", "0"),
        ("绩效办考核得分", "95"),
        ("满意度", "92"),
    ] {
        a.values.insert(k.into(), d(v));
    }
    a.values.remove("政府采购预算数");
    a.not_applicable
        .insert("政府采购执行率".into(), "本年度无政府采购".into());
    a.judgements.insert(
        "管理制度健全性".into(),
        Judgement::Checklist(vec![true, true, true, false]),
    );
    a.judgements
        .insert("资金使用合规性".into(), Judgement::Occurrences(1));
    a.judgements.insert(
        "预决算信息公开性".into(),
        Judgement::Checklist(vec![true; 5]),
    );
    a.judgements.insert(
        "经济效益、社会效益".into(),
        Judgement::Score {
            score: d("9"),
            reason: crate::form::Reason::parse("综合评价材料").unwrap(),
        },
    );
    a.judgements.insert(
        "行政效能".into(),
        Judgement::Tier {
            label: "一般".into(),
            score: None,
            reason: crate::form::Reason::parse("网上办事推进一般").unwrap(),
        },
    );
    a.deductions.insert(
        "公用经费控制率".into(),
        Deduction {
            points: d("1"),
            reason: crate::form::Reason::parse("审计指出一笔公用经费列支不规范").unwrap(),
        },
    );
    let e = evaluate(&rules, &a);
    assert!(
        e.complete,
        "{:#?}",
        e.indicators
            .iter()
            .filter(|r| r.score.is_none())
            .collect::<Vec<_>>()
    );
    // 5 × 6 (the six rate indicators) + 公用经费 8 − 1 + 三公 7 + 制度 6 + 合规 5 + 公开 5
    // + 重点工作 7.6 + 效益 9 + 效能 3 + 满意度 6 = 85.6 of 94 applicable points → 91.06.
    assert_eq!(e.applicable_points, d("94"));
    assert_eq!(e.total, d("91.06"));
    assert_eq!(e.grade, Grade::Excellent);
    rules.vetoes.push(Veto {
        condition: "审计发现严重违规问题".into(),
    });
    a.vetoes.push("审计发现严重违规问题".into());
    let vetoed = evaluate(&rules, &a);
    assert_eq!((vetoed.total, vetoed.grade), (Decimal::ZERO, Grade::Poor));
}

#[test]
fn validation_reports_lines() {
    let (_, text) = seed004_rules();
    let broken = text
        .replace(
            "points = 8\nmeasure = \"（实际支出公用经费",
            "points = 9\nmeasure = \"（实际支出公用经费X",
        )
        .replace(
            "{ min = 80, max = 90, points = 4 }",
            "{ min = 80, max = 89, points = 4 }",
        )
        .replace(
            "\"编制数\" = { column = \"编制数\", unit = \"人\" }",
            "\"编制数\" = { column = \"编制数\", unit = \"个\" }",
        );
    let rules = RuleSet::from_toml(&broken).unwrap();
    let errors: Vec<String> = rules
        .validate(&broken)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e == "各指标分值合计101，与满分100不符"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(
            |e| e.contains("字段“实际支出公用经费X”未在 [fields] 中定义") && e.starts_with("第")
        ),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("空档")), "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("“过程”标注60分，所含指标分值合计61分")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("单位不一致：“在职人员数”为人，“编制数”为个")),
        "{errors:?}"
    );
    let err = RuleSet::from_toml("name = \"x\"\n[[indicator]]\nname = 3\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
    let float = RuleSet::from_toml("name = \"x\"\n[[indicator]]\nlevel1=\"a\"\nlevel2=\"b\"\nname=\"c\"\npoints = 0.5\nrule = { kind = \"manual\" }\n").unwrap_err();
    assert!(float.to_string().contains("请写成文本"), "{float}");
}

#[test]
fn seed004_table_compiles_completely_from_its_own_words() {
    let (table, _) = seed004_forms();
    let compiled = compile::from_table(&table);
    assert!(compiled.uncompiled.is_empty(), "{:#?}", compiled.uncompiled);
    let (hand, _) = seed004_rules();
    assert_eq!(compiled.rules.indicators.len(), hand.indicators.len());
    for (c, h) in compiled.rules.indicators.iter().zip(&hand.indicators) {
        assert_eq!(
            (c.name.replace(' ', ""), c.points),
            (h.name.clone(), h.points)
        );
        assert_eq!(c.rule, h.rule, "{}", c.name);
        assert_eq!(c.when_missing, h.when_missing, "{}", c.name);
        assert_eq!(c.measure.is_some(), h.measure.is_some(), "{}", c.name);
    }
    // It saves as a rule file that reads back and validates.
    let text = compiled.rules.to_toml().unwrap();
    let again = RuleSet::from_toml(&text).unwrap();
    assert_eq!(again, compiled.rules);
    assert!(
        again.validate(&text).is_empty(),
        "{:#?}",
        again.validate(&text)
    );
    // Its formulas are the table's own: 在职人员控制率 reads 在职人员数 and 编制数.
    let staff = &compiled.rules.indicators[0];
    assert_eq!(
        staff.measure.as_ref().unwrap().fields(),
        ["在职人员数", "编制数"]
    );
}

#[test]
fn overshoot_is_flagged_for_review() {
    let text = r#"
name = "测试"
full_score = 10
"fields"."完成数" = { note = "评价数据" }
[[indicator]]
level1 = "产出"
level2 = "数量"
name = "培训人次"
points = 10
measure = "完成数"
overshoot = "1.2"
rule = { kind = "ratio_to_target", target = 100 }
"#;
    let rules = RuleSet::from_toml(text).unwrap();
    assert!(
        rules.validate(text).is_empty(),
        "{:?}",
        rules.validate(text)
    );
    let mut a = Assessment::default();
    a.values.insert("完成数".into(), d("130"));
    let e = evaluate(&rules, &a);
    assert_eq!(e.indicators[0].score, Some(d("10")));
    assert!(
        e.indicators[0]
            .explanation
            .contains("实际为目标的130%，达到120%的复核线，须说明原因"),
        "{}",
        e.indicators[0].explanation
    );
    a.values.insert("完成数".into(), d("110"));
    assert!(
        !evaluate(&rules, &a).indicators[0]
            .explanation
            .contains("复核线")
    );
}

#[test]
fn the_hunan_reference_table_is_valid() {
    let text = std::fs::read_to_string(root().join("rules/hunan-reference.toml")).unwrap();
    let rules = RuleSet::from_toml(&text).unwrap();
    assert!(
        rules.validate(&text).is_empty(),
        "{:#?}",
        rules.validate(&text)
    );
    // 预算调整率 = 12%: (10%, 20%] → 1 point; the exact-0 case gets 3.
    let mut a = Assessment::default();
    a.values.insert("预算调整数".into(), d("12"));
    a.values.insert("预算数".into(), d("100"));
    let e = evaluate(&rules, &a);
    let adj = e
        .indicators
        .iter()
        .find(|r| r.name == "预算调整率")
        .unwrap();
    assert_eq!(adj.score, Some(d("1")));
    a.values.insert("预算调整数".into(), d("0"));
    let e = evaluate(&rules, &a);
    assert_eq!(
        e.indicators
            .iter()
            .find(|r| r.name == "预算调整率")
            .unwrap()
            .score,
        Some(d("3"))
    );
}
