//! The demo region: a finance bureau, a 主管部门 and the three units of the bundled seed
//! documents, with their real forms imported from the bundled Word files, and one account per
//! role. `jixiao serve --demo` loads it into an empty database.

use jixiao_store::log::Author;
use serde::Serialize;

use crate::access::Actor;
use crate::files;
use crate::password;
use crate::role::Role;
use crate::service::ImportOutcome;
use crate::{App, AppError};

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

/// Loads the demo region into an empty database and returns its accounts. When the demo is
/// already there, its accounts get new passwords (the old ones were shown once and are not
/// stored), so the printed list always works.
pub async fn load(app: &App) -> Result<Vec<Account>, AppError> {
    let system = Author::system();
    let existing = app.store.orgs().await?;
    if existing.iter().any(|o| o.name == FINANCE) {
        return reset_passwords(app).await;
    }
    let finance = app
        .store
        .create_org(FINANCE, "finance", None, &system)
        .await?;
    let department = app
        .store
        .create_org(DEPARTMENT, "department", Some(finance), &system)
        .await?;
    let mut accounts = Vec::new();
    let mut add = async |username: &str, display: &str, role: Role, org_id: i64, org: &str| {
        let pw = password::random_password()?;
        let hash = password::hash(&pw)?;
        let id = app
            .store
            .create_user(username, display, &hash, role.code(), org_id, &system)
            .await?;
        accounts.push(Account {
            username: username.to_string(),
            password: pw,
            role,
            org: org.to_string(),
        });
        Ok::<i64, AppError>(id)
    };
    add("caizheng", "财政局审核员", Role::Finance, finance, FINANCE).await?;
    add("admin", "系统管理员", Role::Admin, finance, FINANCE).await?;
    add(
        "renshe",
        "人社局审核员",
        Role::Supervisor,
        department,
        DEPARTMENT,
    )
    .await?;
    let mut units = Vec::new();
    for (k, (unit, _, _)) in DOCUMENTS.iter().enumerate() {
        let org_id = app
            .store
            .create_org(unit, "unit", Some(department), &system)
            .await?;
        let n = k + 1;
        let filer = add(
            &format!("tianbao{n}"),
            &format!("{unit}填报人"),
            Role::Filer,
            org_id,
            unit,
        )
        .await?;
        add(
            &format!("fuzeren{n}"),
            &format!("{unit}负责人"),
            Role::UnitHead,
            org_id,
            unit,
        )
        .await?;
        units.push((org_id, filer));
    }
    for ((unit, file, bytes), (org_id, filer)) in DOCUMENTS.iter().zip(units) {
        let actor = Actor {
            user_id: filer,
            username: format!("demo:{unit}"),
            display_name: format!("{unit}填报人"),
            role: Role::Filer,
            org_id,
            org_name: (*unit).to_string(),
        };
        let year = if *file == "seed001.docx" { 2022 } else { 2021 };
        app.import_new(&actor, file, bytes, year).await?;
        if *file == "seed000.docx" {
            // Mid-year monitoring of the declared project (an example, behind on spending).
            let example = files::forms_from_json(
                "monitoring-example.json",
                include_str!("../../../testdata/forms/monitoring-example.json"),
            )?;
            let mut outcome = ImportOutcome::default();
            app.file_forms(&actor, example, 2021, &mut outcome).await?;
        }
    }
    for (year, decl, selfe) in [
        (2021, "2021-03-31", "2022-03-31"),
        (2022, "2022-03-31", "2023-03-31"),
    ] {
        let row = jixiao_store::orgs::YearRow {
            year,
            is_open: 1,
            declaration_deadline: Some(decl.to_string()),
            monitoring_deadline: Some(format!("{year}-08-31")),
            self_evaluation_deadline: Some(selfe.to_string()),
        };
        app.store.put_year(&row, &system).await?;
    }
    Ok(accounts)
}

async fn reset_passwords(app: &App) -> Result<Vec<Account>, AppError> {
    let orgs = app.store.orgs().await?;
    let mut accounts = Vec::new();
    for user in app.store.users().await? {
        let Some(role) = Role::from_code(&user.role) else {
            continue;
        };
        let pw = password::random_password()?;
        app.store
            .set_password(user.id, &password::hash(&pw)?, &Author::system())
            .await?;
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
