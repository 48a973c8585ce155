//! # jixiao-demo
//!
//! The demo region: a finance bureau, a 主管部门 and the three units of the bundled seed
//! documents, with their real forms imported from the bundled Word files, and one account per
//! role. `jixiao serve --demo` loads it into an empty database, its forms taken through the
//! workflow so that every stage holds one (草稿 to 已公开), each with its real history.
//!
//! The demo never touches a real database: on a database that already holds the demo region
//! (and nothing else) only the demo's own accounts get new passwords; a database holding any
//! other organisation is refused.

use jixiao_app::access::Actor;
use jixiao_app::files;
use jixiao_app::filing::{ImportChoice, OnDuplicate};
use jixiao_app::kind::FormKind;
use jixiao_app::password;
use jixiao_app::role::Role;
use jixiao_app::service::{ImportOutcome, StepInput, finding_key};
use jixiao_app::workflow::{Action, Stage};
use jixiao_app::{App, AppError};
use jixiao_core::audit::targets::is_review;
use serde::Serialize;

/// The demo region's documents: (unit, file name, bytes).
const DOCUMENTS: &[(&str, &str, &[u8])] = &[
    (
        "衡阳市工伤保险服务中心",
        "seed000.docx",
        include_bytes!("../../../testdata/fixtures/seed000.docx"),
    ),
    (
        "淮北市工伤保险管理服务中心",
        "seed001.docx",
        include_bytes!("../../../testdata/fixtures/seed001.docx"),
    ),
    (
        "株洲市工伤保险服务中心",
        "seed003.docx",
        include_bytes!("../../../testdata/fixtures/seed003.docx"),
    ),
];

/// The finance bureau of the demo region.
pub const FINANCE: &str = "演示市财政局";
/// The demo 主管部门.
pub const DEPARTMENT: &str = "演示市人力资源和社会保障局";

/// A demo account, printed once when the demo is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Login name.
    pub username: String,
    /// Password (random, generated at load).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Organisation.
    pub org: String,
}

impl Account {
    /// `账号 NAME 密码 PASSWORD 角色 ROLE`.
    pub fn line(&self) -> String {
        format!(
            "账号 {} 密码 {} 角色 {}",
            self.username,
            self.password,
            self.role.name()
        )
    }
}

/// The demo's own accounts: (login name, unit number for unit staff).
const USERNAMES: [&str; 10] = [
    "caizheng",
    "admin",
    "renshe",
    "tianbao1",
    "fuzeren1",
    "tianbao2",
    "fuzeren2",
    "tianbao3",
    "fuzeren3",
    "zhuanjia1",
];

/// The names of the demo region's organisations.
fn demo_orgs() -> Vec<&'static str> {
    let mut names = vec![FINANCE, DEPARTMENT];
    names.extend(DOCUMENTS.iter().map(|(unit, _, _)| *unit));
    names
}

/// Loads the demo region into an empty database and returns its accounts. When the demo is
/// already there (and nothing else), the demo's accounts get new passwords (the old ones were
/// shown once and are not stored), so the printed list always works; no other account is
/// touched. A database that holds any other organisation is refused.
pub async fn load(app: &App) -> Result<Vec<Account>, AppError> {
    let seed = app.seed();
    let existing = seed.orgs().await?;
    let demo = demo_orgs();
    let others: Vec<&str> = existing
        .iter()
        .map(|o| o.name.as_str())
        .filter(|n| !demo.contains(n))
        .collect();
    if !others.is_empty() {
        return Err(AppError::Invalid(format!(
            "此数据库已有演示区域以外的单位（{}{}），--demo 不会改动它。请用空数据库运行演示，或去掉 --demo 启动",
            others
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join("、"),
            if others.len() > 3 {
                format!("等{}个", others.len())
            } else {
                String::new()
            }
        )));
    }
    if !existing.is_empty() {
        return reset_passwords(app).await;
    }
    let finance = seed.org(FINANCE, "finance", None).await?;
    let department = seed.org(DEPARTMENT, "department", Some(finance)).await?;
    let mut accounts = Vec::new();
    let mut add = async |username: &str, display: &str, role: Role, org_id: i64, org: &str| {
        let pw = password::random_password()?;
        let id = seed.user(username, display, &pw, role, org_id).await?;
        accounts.push(Account {
            username: username.to_string(),
            password: pw,
            role,
            org: org.to_string(),
        });
        Ok::<i64, AppError>(id)
    };
    let caizheng = add("caizheng", "财政局审核员", Role::Finance, finance, FINANCE).await?;
    add("admin", "系统管理员", Role::Admin, finance, FINANCE).await?;
    let renshe = add(
        "renshe",
        "人社局审核员",
        Role::Supervisor,
        department,
        DEPARTMENT,
    )
    .await?;
    let mut units = Vec::new();
    for (k, (unit, _, _)) in DOCUMENTS.iter().enumerate() {
        let org_id = seed.org(unit, "unit", Some(department)).await?;
        let n = k + 1;
        let filer = add(
            &format!("tianbao{n}"),
            &format!("{unit}填报人"),
            Role::Filer,
            org_id,
            unit,
        )
        .await?;
        let head = add(
            &format!("fuzeren{n}"),
            &format!("{unit}负责人"),
            Role::UnitHead,
            org_id,
            unit,
        )
        .await?;
        units.push((org_id, filer, head));
    }
    let mut staff = Vec::new();
    for ((_, file, bytes), (_, filer, head)) in DOCUMENTS.iter().zip(&units) {
        let actor = seed.actor(*filer).await?;
        let year = if *file == "seed001.docx" { 2022 } else { 2021 };
        let choice = ImportChoice {
            on_duplicate: OnDuplicate::Ask,
            confirmed: true,
        };
        app.import_new_with(&actor, file, bytes, year, choice)
            .await?;
        if *file == "seed000.docx" {
            // Mid-year monitoring of the declared project (an example, behind on spending).
            let example = files::forms_from_json(
                "monitoring-example.json",
                include_str!("../../../testdata/forms/monitoring-example.json"),
            )?;
            let mut outcome = ImportOutcome::default();
            app.file_forms(&actor, example, 2021, &mut outcome).await?;
            // A transfer payment's region self-evaluation, filed by the unit that spent it.
            let mut transfer = files::forms_from_json(
                "transfer-example.json",
                include_str!("../../../testdata/forms/transfer-example.json"),
            )?;
            for form in &mut transfer {
                if let jixiao_core::form::Form::TransferPayment(t) = form {
                    t.year = Some(2021);
                    t.implementing_unit = Some(actor.org_name.clone());
                    t.notes.clear();
                }
            }
            app.file_forms(&actor, transfer, 2021, &mut outcome).await?;
        }
        staff.push((actor, seed.actor(*head).await?));
    }
    for (year, decl, selfe) in [
        (2021, "2021-03-31", "2022-03-31"),
        (2022, "2022-03-31", "2023-03-31"),
    ] {
        let row = jixiao_app::rows::YearRow {
            year,
            is_open: 1,
            declaration_deadline: Some(decl.to_string()),
            monitoring_deadline: Some(format!("{year}-08-31")),
            self_evaluation_deadline: Some(selfe.to_string()),
        };
        seed.year(&row).await?;
    }
    let reviewers = (seed.actor(renshe).await?, seed.actor(caizheng).await?);
    take_through_the_workflow(app, &staff, &reviewers).await?;
    curate_the_library(app, &staff, &reviewers.1).await?;
    assess_ex_ante(app, &staff[0]).await?;
    spot_check(app, &reviewers.1).await?;
    adjust_targets(app, &staff[0].0, &reviewers.1).await?;
    app.upload_payments(
        &reviewers.1,
        2021,
        "2021年1—7月国库集中支付明细.csv",
        include_bytes!("../../../testdata/payments/demo-2021.csv"),
        None,
    )
    .await?;
    accounts.push(engage_an_expert(app, &reviewers.1).await?);
    Ok(accounts)
}

/// 第三方评审: a 会计师事务所 and one of its experts in the bureau's registers; the expert has
/// declared no conflict on 株洲's 2021 project self-evaluation and reviewed it, and has yet to
/// declare on its 2021 department self-evaluation.
async fn engage_an_expert(app: &App, finance: &Actor) -> Result<Account, AppError> {
    use jixiao_app::expert::{NewExpert, NewInstitution};
    let firm = app
        .register_institution(
            finance,
            &NewInstitution {
                name: "湘衡联合会计师事务所".into(),
                nature: "会计师事务所".into(),
                credit_rating: "A".into(),
                contact: "李会计 0734-8221234".into(),
            },
        )
        .await?;
    let (id, _) = app
        .register_expert(
            finance,
            &NewExpert {
                username: "zhuanjia1".into(),
                display_name: "王评审".into(),
                field: "社会保障".into(),
                title: "高级会计师".into(),
                rating: "优秀".into(),
                institution_id: Some(firm),
            },
        )
        .await?;
    let seed = app.seed();
    let user_id = app
        .experts(finance)
        .await?
        .iter()
        .find(|e| e.row.id == id)
        .map(|e| e.row.user_id)
        .ok_or_else(|| AppError::NotFound("专家".into()))?;
    let pw = password::random_password()?;
    seed.password(user_id, &pw).await?;
    let expert = seed.actor(user_id).await?;
    let of_2021 = |kind: FormKind| jixiao_app::rows::FormFilter {
        year: Some(2021),
        kind: Some(kind.code().to_string()),
        ..Default::default()
    };
    let reviewed = app
        .list_forms(finance, &of_2021(FormKind::ProjectSelfEvaluation))
        .await?;
    let waiting = app
        .list_forms(finance, &of_2021(FormKind::DepartmentSelfEvaluation))
        .await?;
    if let Some(form) = reviewed.first() {
        let a = app
            .assign_expert(finance, form.id, user_id, None, None)
            .await?;
        app.declare(&expert, a, true, "").await?;
        app.form(&expert, form.id).await?;
        app.score_assignment(
            &expert,
            a,
            "指标设置完整，完成值有佐证；部分效益指标表述不可衡量，建议细化。",
            &jixiao_core::spot_check::Review::default(),
        )
        .await?;
    }
    if let Some(form) = waiting.first() {
        app.assign_expert(finance, form.id, user_id, None, None)
            .await?;
    }
    Ok(Account {
        username: "zhuanjia1".into(),
        password: pw,
        role: Role::Expert,
        org: FINANCE.into(),
    })
}

/// 绩效目标调整 of 衡阳's 2021 project declaration: a lower 待遇发放 target approved by the
/// bureau (the declaration's next version), then a second request still waiting for it.
async fn adjust_targets(app: &App, filer: &Actor, finance: &Actor) -> Result<(), AppError> {
    use jixiao_core::form::Form;
    let found = app
        .list_forms(
            filer,
            &jixiao_app::rows::FormFilter {
                year: Some(2021),
                kind: Some(FormKind::ProjectTarget.code().to_string()),
                ..Default::default()
            },
        )
        .await?;
    let Some(id) = found.first().map(|f| f.id) else {
        return Ok(());
    };
    let requests = [
        (
            "老工伤待遇发放",
            "按时足额发放老工伤人员相关待遇，预计1350万元。",
            "受老工伤人员自然减员影响，全年待遇发放预计减少约150万元，申请相应调整目标。",
            Some("同意调整：与上半年待遇发放进度相符。"),
        ),
        (
            "老工伤统筹管理人员",
            "老工伤纳入统筹管理人员共计20500人；",
            "年中核查清理死亡未报人员229人，纳入统筹管理人数相应减少。",
            None,
        ),
    ];
    for (indicator, target, reason, approval) in requests {
        let view = app.form(filer, id).await?;
        let mut proposed = view.form.clone();
        let Form::ProjectTarget(d) = &mut proposed else {
            return Ok(());
        };
        let Some(row) = d.indicators.iter_mut().find(|r| r.name == indicator) else {
            continue;
        };
        row.target = target.to_string();
        let request = app
            .request_adjustment(filer, id, view.head.version, proposed, reason)
            .await?;
        if let Some(why) = approval {
            app.decide_adjustment(finance, request, true, why).await?;
        }
    }
    Ok(())
}

/// The bureau's 抽评 of 2021 (seed 2021, all handed-over self-evaluations), the first one
/// reviewed: two points off its first scored indicator for want of evidence.
async fn spot_check(app: &App, finance: &Actor) -> Result<(), AppError> {
    use jixiao_app::spot_check::DrawRequest;
    use jixiao_core::spot_check::{Rescore, Review};
    use rust_decimal::Decimal;
    let request = DrawRequest {
        year: 2021,
        percent: Decimal::from(100),
        seed: Some(2021),
        ..DrawRequest::default()
    };
    let (id, _) = app.draw_spot_check(finance, &request).await?;
    let Some(item) = app.spot_check(finance, id).await?.items.first().cloned() else {
        return Ok(());
    };
    let (_, _, scored, _) = app.spot_item(finance, item.id).await?;
    let mut review = Review::default();
    if let Some(i) = scored
        .indicators
        .iter()
        .find(|i| i.score.is_some_and(|s| s >= Decimal::from(2)))
    {
        review.indicators.insert(
            i.row,
            Rescore {
                score: i.score.unwrap_or_default() - Decimal::from(2),
                reason: "佐证材料不足，完成值无法核实".into(),
            },
        );
    }
    app.review_spot_item(finance, item.id, &review).await?;
    Ok(())
}

/// 衡阳's 事前绩效评估 of a new project for 2022 (testdata/forms/ex-ante-example.json),
/// handed over to its 主管部门.
async fn assess_ex_ante(app: &App, (filer, head): &(Actor, Actor)) -> Result<(), AppError> {
    let mut forms = files::forms_from_json(
        "ex-ante-example.json",
        include_str!("../../../testdata/forms/ex-ante-example.json"),
    )?;
    for form in &mut forms {
        if let jixiao_core::form::Form::ExAnteAssessment(a) = form {
            a.year = Some(2022);
            a.unit = filer.org_name.clone();
        }
    }
    let mut outcome = ImportOutcome::default();
    app.file_forms(filer, forms, 2022, &mut outcome).await?;
    for (id, _, _) in outcome.forms {
        for (who, action) in [
            (filer, Action::RequestConfirmation),
            (head, Action::Confirm),
            (filer, Action::Submit),
        ] {
            let version = app.form(who, id).await?.head.version;
            app.act(who, id, version, action, None).await?;
        }
    }
    Ok(())
}

/// The library as a bureau keeps it: 衡阳's proposal approved and required (固化) for 社会保障和
/// 就业 projects, 株洲's still waiting for the bureau.
async fn curate_the_library(
    app: &App,
    staff: &[(Actor, Actor)],
    finance: &Actor,
) -> Result<(), AppError> {
    use jixiao_app::curation::NewProposal;
    use jixiao_core::library::{Decision, Field};
    let proposal = |name: &str, typical: &str, reason: &str| NewProposal {
        level2: "数量指标".into(),
        name: name.into(),
        typical: typical.into(),
        field: Field::SocialSecurity.name().into(),
        reason: reason.into(),
    };
    let approved = app
        .propose_indicator(
            &staff[0].0,
            &proposal(
                "工伤待遇核定人次",
                "≥3000人次",
                "本中心每年核定工伤待遇，库中没有对应指标",
            ),
        )
        .await?;
    app.curate(finance, &approved, &Decision::Approve, Some("同意入库"))
        .await?;
    app.curate(
        finance,
        &approved,
        &Decision::Fix(vec![Field::SocialSecurity]),
        Some("工伤保险类项目须填报"),
    )
    .await?;
    if let Some((filer, _)) = staff.get(1) {
        app.propose_indicator(
            filer,
            &proposal(
                "工伤预防宣传场次",
                "≥12场",
                "工伤预防项目需要反映宣传培训工作量",
            ),
        )
        .await?;
    }
    Ok(())
}

/// Where each demo form is taken: (unit number, kind, the start of its name, stage).
const STAGES: &[(usize, FormKind, &str, Stage)] = &[
    (
        0,
        FormKind::ProjectTarget,
        "老工伤工作经费",
        Stage::FinanceApproved,
    ),
    (
        0,
        FormKind::DepartmentTarget,
        "衡阳市工伤保险服务中心",
        Stage::SupervisorApproved,
    ),
    (
        2,
        FormKind::DepartmentSelfEvaluation,
        "株洲市工伤保险服务中心",
        Stage::Published,
    ),
    (2, FormKind::Report, "", Stage::SupervisorReturned),
    (
        2,
        FormKind::ProjectSelfEvaluation,
        "工伤管理信息系统建设经费",
        Stage::FinanceReturned,
    ),
];

/// The demo units' answer to each finding of the target review.
const REVIEW_ANSWER: &str = "已与上年完成情况和同类单位比较，目标按本年任务和资金安排设定";

/// Takes the demo's forms through the workflow, step by step as the people of the region would
/// (the seed forms' audit errors explained when sent on), so that every stage holds a form:
/// 淮北's two self-evaluations and the monitoring form stay drafts, and 衡阳's two declarations
/// are copied to next year (one confirmed, one waiting for confirmation) and the project's once
/// more to the year after (submitted).
async fn take_through_the_workflow(
    app: &App,
    staff: &[(Actor, Actor)],
    (supervisor, finance): &(Actor, Actor),
) -> Result<(), AppError> {
    let route = |target: Stage| -> Vec<(Action, Option<&'static str>)> {
        let to_submitted = [
            (
                Action::RequestConfirmation,
                Some("原表如此，已逐项核对，偏差原因见各指标说明"),
            ),
            (Action::Confirm, None),
            (Action::Submit, None),
        ];
        let steps: Vec<(Action, Option<&'static str>)> = match target {
            Stage::AwaitingConfirmation => to_submitted[..1].to_vec(),
            Stage::Confirmed => to_submitted[..2].to_vec(),
            Stage::Submitted => to_submitted.to_vec(),
            Stage::SupervisorReturned => [
                &to_submitted[..],
                &[(
                    Action::SupervisorReturn,
                    Some("报告未写明执行率偏低的原因，请补充后重报"),
                )],
            ]
            .concat(),
            Stage::SupervisorApproved => {
                [&to_submitted[..], &[(Action::SupervisorApprove, None)]].concat()
            }
            Stage::FinanceReturned => [
                &to_submitted[..],
                &[
                    (Action::SupervisorApprove, None),
                    (
                        Action::FinanceReturn,
                        Some("项目名称与预算批复不一致，请按批复填写"),
                    ),
                ],
            ]
            .concat(),
            Stage::FinanceApproved => [
                &to_submitted[..],
                &[
                    (Action::SupervisorApprove, None),
                    (Action::FinanceApprove, None),
                ],
            ]
            .concat(),
            Stage::Published => [
                &to_submitted[..],
                &[
                    (Action::SupervisorApprove, None),
                    (Action::FinanceApprove, None),
                    (Action::Publish, None),
                ],
            ]
            .concat(),
            _ => Vec::new(),
        };
        steps
    };
    let mut plan: Vec<(usize, i64, Stage)> = Vec::new();
    for &(unit, kind, name, stage) in STAGES {
        let (filer, _) = &staff[unit];
        let forms = app
            .list_forms(
                filer,
                &jixiao_app::rows::FormFilter {
                    kind: Some(kind.code().to_string()),
                    ..Default::default()
                },
            )
            .await?;
        let form = forms
            .iter()
            .find(|f| f.name.starts_with(name))
            .ok_or_else(|| AppError::NotFound(format!("演示表单“{name}”")))?;
        plan.push((unit, form.id, stage));
    }
    // 衡阳's declarations copied to next year: one confirmed by its head, one waiting.
    let (filer, _) = &staff[0];
    let copied = app.copy_to_next_year(filer, plan[0].1).await?;
    plan.push((0, copied, Stage::Confirmed));
    let copied = app.copy_to_next_year(filer, plan[1].1).await?;
    plan.push((0, copied, Stage::AwaitingConfirmation));
    let project_next = plan[plan.len() - 2].1;
    let copied = app.copy_to_next_year(filer, project_next).await?;
    plan.push((0, copied, Stage::Submitted));
    for (unit, id, stage) in plan {
        let (filer, head) = &staff[unit];
        for (action, reason) in route(stage) {
            let who = match action.step().role {
                Role::Filer => filer,
                Role::UnitHead => head,
                Role::Supervisor => supervisor,
                _ => finance,
            };
            let view = app.form(who, id).await?;
            // The units answer the target review's findings when they send a declaration on.
            let notes = match action {
                Action::RequestConfirmation => view
                    .assessment
                    .findings
                    .iter()
                    .filter(|f| is_review(f.code))
                    .map(|f| (finding_key(f), REVIEW_ANSWER.to_string()))
                    .collect(),
                _ => Vec::new(),
            };
            let version = view.head.version;
            let input = StepInput {
                reason: reason.map(str::to_string),
                notes,
                ..StepInput::default()
            };
            app.act_with(who, id, version, action, &input).await?;
        }
    }
    Ok(())
}

/// New passwords for the demo's own accounts (by name, in the demo's organisations); every
/// other account is left as it is.
async fn reset_passwords(app: &App) -> Result<Vec<Account>, AppError> {
    let seed = app.seed();
    let orgs = seed.orgs().await?;
    let demo = demo_orgs();
    let in_demo = |org_id: i64| {
        orgs.iter()
            .any(|o| o.id == org_id && demo.contains(&o.name.as_str()))
    };
    let mut accounts = Vec::new();
    for user in seed.users().await? {
        if !USERNAMES.contains(&user.username.as_str()) || !in_demo(user.org_id) {
            continue;
        }
        let Some(role) = Role::from_code(&user.role) else {
            continue;
        };
        let pw = password::random_password()?;
        seed.password(user.id, &pw).await?;
        accounts.push(Account {
            username: user.username,
            password: pw,
            role,
            org: orgs
                .iter()
                .find(|o| o.id == user.org_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        });
    }
    Ok(accounts)
}
