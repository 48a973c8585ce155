//! Tests of the application's pure parts through their public API: the dashboard's figures,
//! the department evaluation's rule sets, the directory workbook's plan.

mod dashboard {
    use jixiao_app::dashboard::*;
    use jixiao_app::workflow::Stage;
    use jixiao_store::forms::FormListRow;
    use jixiao_store::orgs::{OrgRow, YearRow};
    use rust_decimal::Decimal;

    fn row(
        id: i64,
        org: i64,
        year: i64,
        kind: &str,
        stage: &str,
        total: Option<&str>,
    ) -> FormListRow {
        FormListRow {
            id,
            org_id: org,
            year,
            project_id: None,
            kind: kind.into(),
            name: format!("表{id}"),
            stage: stage.into(),
            version: 1,
            total: total.map(str::to_string),
            grade: total.map(|t| if t.starts_with('9') { "优" } else { "良" }.to_string()),
            errors: 1,
            warnings: 0,
            light: None,
            rate: Some("0.843".into()),
            codes: Some("A02,S02".into()),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn org(id: i64, name: &str, kind: &str, parent: Option<i64>) -> OrgRow {
        OrgRow {
            id,
            name: name.into(),
            kind: kind.into(),
            parent_id: parent,
            active: 1,
        }
    }

    #[test]
    fn units_stages_overdue_ranking_and_trend() {
        let orgs = [
            org(1, "财政局", "finance", None),
            org(2, "人社局", "department", Some(1)),
            org(3, "甲中心", "unit", Some(2)),
            org(4, "乙中心", "unit", Some(2)),
            org(5, "丙中心", "unit", Some(2)),
        ];
        let forms = [
            row(
                1,
                3,
                2022,
                "project_self_evaluation",
                "submitted",
                Some("89.48"),
            ),
            row(
                2,
                3,
                2022,
                "project_self_evaluation",
                "published",
                Some("95"),
            ),
            row(
                3,
                4,
                2022,
                "department_self_evaluation",
                "draft",
                Some("99.97"),
            ),
            row(
                4,
                4,
                2021,
                "department_self_evaluation",
                "published",
                Some("80"),
            ),
            row(
                5,
                5,
                2022,
                "department_self_evaluation",
                "voided",
                Some("70"),
            ),
        ];
        let years = [YearRow {
            year: 2022,
            is_open: 1,
            declaration_deadline: None,
            monitoring_deadline: None,
            self_evaluation_deadline: Some("2023-03-31".into()),
        }];
        let d = build(2022, &forms, &orgs, &years, "2023-04-01");
        let unit = |n: &str| d.units.iter().find(|u| u.name == n).expect("unit");
        assert_eq!(
            unit("甲中心").total.map(|t| t.to_string()),
            Some("92.24".into())
        );
        assert!(!unit("甲中心").overdue);
        assert_eq!(unit("甲中心").stage, Some(Stage::Submitted));
        assert!(unit("乙中心").overdue, "a draft after the deadline");
        assert!(unit("丙中心").overdue, "nothing filed after the deadline");
        assert_eq!(unit("丙中心").stage, None);
        // The draft of 乙中心 (99.97) and the voided form of 丙中心 count nowhere but in
        // the progress figures: nobody is ranked, graded or charted on a draft.
        assert_eq!(
            d.ranking,
            vec![("甲中心".to_string(), "92.24".parse().expect("total"))]
        );
        assert_eq!(unit("乙中心").total, None);
        assert_eq!(unit("乙中心").forms, 1);
        assert_eq!(unit("乙中心").stage, Some(Stage::Draft));
        assert_eq!(unit("丙中心").forms, 0, "a voided form is no form");
        assert_eq!(d.checks, vec![("A02".into(), 2), ("S02".into(), 2)]);
        assert_eq!(d.grades[0], ("优".into(), 1));
        assert_eq!(d.self_evaluations, 2);
        assert_eq!(d.points.len(), 2);
        assert_eq!(d.points[0].rate.normalize().to_string(), "84.3");
        let count = |s: Stage| d.stages.iter().find(|(x, _)| *x == s).map(|(_, n)| *n);
        assert_eq!(count(Stage::Draft), Some(1));
        assert_eq!(
            count(Stage::Voided),
            None,
            "voided forms are not a stage of the year"
        );
        let trend = d.trend.iter().find(|(n, _)| n == "乙中心").expect("trend");
        assert_eq!(trend.1, vec![(2021, Some(Decimal::from(80))), (2022, None)]);
        // Before the deadline nobody is overdue.
        let early = build(2022, &forms, &orgs, &years, "2023-03-31");
        assert!(early.units.iter().all(|u| !u.overdue));
    }
}

mod evaluation {
    use std::collections::BTreeMap;

    use jixiao_app::evaluation::*;
    use jixiao_core::rules::bind;
    use jixiao_core::rules::shape::Judgement;
    use jixiao_core::rules::{Evaluation, RuleSet};
    use rust_decimal::Decimal;

    #[test]
    fn built_in_rule_sets_are_valid() {
        for b in BUILT_IN {
            let rules = RuleSet::from_toml(b.toml).expect(b.code);
            assert!(rules.validate(b.toml).is_empty(), "{}", b.code);
        }
    }

    /// The evaluation table of seed 004, uploaded as .docx with its base data, compiles with
    /// its fields bound and gives the same figures as the hand-written rule set.
    #[test]
    fn seed004_uploaded_binds_itself_and_matches_the_hand_written_rules() {
        let bytes = include_bytes!("../../../testdata/fixtures/seed004.docx");
        let limits = jixiao_recognize::Limits::default();
        let (rules, _uncompiled, base, stated) =
            rules_from_upload("seed004.docx", bytes, &limits).expect("compiles");
        let base = base.expect("the base data is in the same document");
        let binding = bind::bind(&rules, &base);
        assert_eq!(binding.year, Some(2021));
        let bound = binding.apply(&rules);
        let (compiled, _) = run(&bound, Some(&base), &stated, &BTreeMap::new());
        let hand = RuleSet::from_toml(BUILT_IN[0].toml).expect("hand-written");
        let (written, _) = run(&hand, Some(&base), &stated, &BTreeMap::new());
        let measure = |e: &Evaluation, name: &str| {
            e.indicators
                .iter()
                .find(|i| i.name.contains(name))
                .and_then(|i| i.measure)
                .map(|m| jixiao_core::money::round(m, 4))
        };
        // 公用经费控制率 = 20.5 ÷ 29.24 = 70.11%; “三公经费”控制率 = 1.28 ÷ 1.4 = 91.43%.
        assert_eq!(
            measure(&compiled, "公用经费控制率").map(|m| jixiao_core::money::round2(m).to_string()),
            Some("70.11".into())
        );
        assert_eq!(
            measure(&compiled, "三公经费”控制率")
                .map(|m| jixiao_core::money::round2(m).to_string()),
            Some("91.43".into())
        );
        assert_eq!(compiled.indicators.len(), written.indicators.len());
        for (c, w) in compiled.indicators.iter().zip(&written.indicators) {
            assert_eq!(
                (&c.name, c.score),
                (&w.name, w.score),
                "{}: {} / {}",
                c.name,
                c.explanation,
                w.explanation
            );
        }
        assert_eq!(compiled.total, written.total);
        assert_eq!(compiled.complete, written.complete);
    }

    /// An indicator the data cannot score takes the evaluator's score, with its reason; a
    /// score beyond the indicator's points is refused.
    #[test]
    fn judgements_score_what_the_data_cannot() {
        let rules = RuleSet::from_toml(BUILT_IN[0].toml).expect("rules");
        let (before, _) = run(&rules, None, &BTreeMap::new(), &BTreeMap::new());
        let name = "政府采购执行率";
        let row = |e: &Evaluation| {
            e.indicators
                .iter()
                .find(|i| i.name == name)
                .cloned()
                .expect("indicator")
        };
        assert!(matches!(
            row(&before).status,
            jixiao_core::rules::Status::NotComputable { .. }
        ));
        let reason =
            jixiao_core::form::Reason::parse("抽查采购合同，执行率约九成").expect("reason");
        let mut j = BTreeMap::new();
        j.insert(
            name.to_string(),
            Judgement::Score {
                score: Decimal::from(5),
                reason: reason.clone(),
            },
        );
        let (after, _) = run(&rules, None, &BTreeMap::new(), &j);
        assert_eq!(row(&after).score, Some(Decimal::from(5)));
        assert!(row(&after).explanation.contains("抽查采购合同"));
        assert_eq!(after.total - before.total, Decimal::from(5));
        j.insert(
            name.to_string(),
            Judgement::Score {
                score: Decimal::from(60),
                reason,
            },
        );
        let (refused, _) = run(&rules, None, &BTreeMap::new(), &j);
        assert_eq!(row(&refused).score, None);
    }
}

mod directory {
    use std::collections::{HashMap, HashSet};

    use jixiao_app::admin::OrgKind;
    use jixiao_app::directory::Parent;
    use jixiao_app::directory::*;
    use jixiao_app::role::Role;
    use jixiao_recognize::Limits;

    fn s(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_string()).collect())
            .collect()
    }

    fn read_book(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<Row> {
        let bytes = workbook(sheets).expect("book");
        read("目录.xlsx", &bytes, &Limits::default()).expect("read")
    }

    fn known() -> Known {
        HashMap::from([
            ("财政局".to_string(), (1, OrgKind::Finance, true)),
            ("人社局".to_string(), (2, OrgKind::Department, true)),
            ("旧单位".to_string(), (3, OrgKind::Unit, false)),
        ])
    }

    #[test]
    fn a_good_sheet_plans_orgs_before_their_users() {
        let rows = read_book(&[
            (
                "单位",
                s(&[
                    &["单位名称", "类型", "上级单位"],
                    &["教育局", "主管部门", ""],
                    &["第一中学", "预算单位", "教育局"],
                ]),
            ),
            (
                "用户",
                s(&[
                    &["用户名", "姓名", "角色", "所属单位"],
                    &["yizhong", "王老师", "填报人", "第一中学"],
                    &["jiaoyu", "", "supervisor", "教育局"],
                ]),
            ),
        ]);
        let plan = plan(&rows, &known(), &HashSet::new(), 1).expect("plan");
        assert_eq!(plan.orgs.len(), 2);
        assert_eq!(plan.orgs[0].parent, Parent::Existing(1));
        assert_eq!(plan.orgs[1].parent, Parent::New(0));
        assert_eq!(plan.users[0].org, Parent::New(1));
        assert_eq!(plan.users[0].role, Role::Filer);
        assert_eq!(plan.users[1].display_name, "jiaoyu");
    }

    #[test]
    fn errors_name_sheet_row_and_column() {
        let rows = read_book(&[(
            "目录",
            s(&[
                &["单位名称", "类型", "上级单位", "用户名", "角色", "所属单位"],
                &["某某中心", "科室", "人社局", "", "", ""],
                &["", "", "", "zhang", "填报人", "旧单位"],
                &["", "", "", "li", "填报人", "人社局"],
                &["", "", "", "taken", "填报人", "人社局"],
            ]),
        )]);
        let taken = HashSet::from(["taken".to_string()]);
        let err = plan(&rows, &known(), &taken, 1).expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("工作表“目录”第2行“类型”列"), "{text}");
        assert!(
            text.contains("第3行“所属单位”列：单位“旧单位”已停用"),
            "{text}"
        );
        assert!(
            text.contains("第4行“角色”列：填报人须属于预算单位"),
            "{text}"
        );
        assert!(
            text.contains("第5行“用户名”列：用户名“taken”已被使用"),
            "{text}"
        );
        assert!(read("目录.docx", b"x", &Limits::default()).is_err());
    }
}
