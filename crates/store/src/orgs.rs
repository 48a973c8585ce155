//! Organisations, users, fiscal years and projects.

use serde::Serialize;
use serde_json::json;

use crate::log::{self, Author};
use crate::{Store, StoreError};

/// An organisation: 财政局 (`finance`), 主管部门 (`department`) or 预算单位 (`unit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OrgRow {
    /// Id.
    pub id: i64,
    /// Name (`株洲市工伤保险服务中心`).
    pub name: String,
    /// `finance`, `department` or `unit`.
    pub kind: String,
    /// The organisation above (unit → department → finance).
    pub parent_id: Option<i64>,
    /// 1 while active; 0 once deactivated (hidden from pickers, its forms kept).
    pub active: i64,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role code (`filer`, `unit_head`, `supervisor`, `finance`, `admin`).
    pub role: String,
    /// The user's organisation.
    pub org_id: i64,
    /// 1 when the account is disabled (no login, no session).
    pub disabled: i64,
    /// 1 while the user must change a one-time password before doing anything else.
    pub must_change_password: i64,
}

/// A fiscal year and its deadlines (`2026-03-31`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct YearRow {
    /// The year.
    pub year: i64,
    /// 1 while open for filing.
    pub is_open: i64,
    /// 目标申报 deadline.
    pub declaration_deadline: Option<String>,
    /// 运行监控 deadline.
    pub monitoring_deadline: Option<String>,
    /// 绩效自评 deadline.
    pub self_evaluation_deadline: Option<String>,
}

/// A project of a unit's 项目库 for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProjectRow {
    /// Id.
    pub id: i64,
    /// The unit.
    pub org_id: i64,
    /// The year.
    pub year: i64,
    /// 项目名称.
    pub name: String,
}

impl Store {
    /// Creates an organisation.
    pub async fn create_org(
        &self,
        name: &str,
        kind: &str,
        parent_id: Option<i64>,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO orgs (name, kind, parent_id) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(kind)
        .bind(parent_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        let detail = json!({"name": name, "kind": kind, "parent_id": parent_id});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "org",
            id,
            "create",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every organisation, by id.
    pub async fn orgs(&self) -> Result<Vec<OrgRow>, StoreError> {
        Ok(
            sqlx::query_as("SELECT id, name, kind, parent_id, active FROM orgs ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// One organisation.
    pub async fn org(&self, id: i64) -> Result<OrgRow, StoreError> {
        sqlx::query_as("SELECT id, name, kind, parent_id, active FROM orgs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("单位 {id}")))
    }

    /// Creates a user with an already hashed password. The hash never enters the log.
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
        role: &str,
        org_id: i64,
        by: &Author,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (username, display_name, password_hash, role, org_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .bind(role)
        .bind(org_id)
        .bind(self.clock.now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
        let detail = json!({"username": username, "role": role, "org_id": org_id});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "user",
            id,
            "create",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a user's password hash with one to be used as it is (set-up: the account need
    /// not change it at the next login). The hash never enters the log.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "user",
            user_id,
            "set_password",
            &json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user by login name.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, username, display_name, password_hash, role, org_id, disabled, must_change_password FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A user by id.
    pub async fn user(&self, id: i64) -> Result<UserRow, StoreError> {
        sqlx::query_as(
            "SELECT id, username, display_name, password_hash, role, org_id, disabled, must_change_password FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("用户 {id}")))
    }

    /// Every user, by id.
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, username, display_name, password_hash, role, org_id, disabled, must_change_password FROM users ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Opens (or updates) a fiscal year with its deadlines.
    pub async fn put_year(&self, year: &YearRow, by: &Author) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let updated = sqlx::query(
            "UPDATE fiscal_years SET is_open = $2, declaration_deadline = $3, monitoring_deadline = $4,
             self_evaluation_deadline = $5 WHERE year = $1",
        )
        .bind(year.year)
        .bind(year.is_open)
        .bind(&year.declaration_deadline)
        .bind(&year.monitoring_deadline)
        .bind(&year.self_evaluation_deadline)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            sqlx::query(
                "INSERT INTO fiscal_years (year, is_open, declaration_deadline, monitoring_deadline, self_evaluation_deadline)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(year.year)
            .bind(year.is_open)
            .bind(&year.declaration_deadline)
            .bind(&year.monitoring_deadline)
            .bind(&year.self_evaluation_deadline)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::to_value(year).map_err(|e| StoreError::InvalidJson {
            what: "年度",
            reason: e.to_string(),
        })?;
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "year",
            year.year,
            "put",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The fiscal years, newest first.
    pub async fn years(&self) -> Result<Vec<YearRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT year, is_open, declaration_deadline, monitoring_deadline, self_evaluation_deadline
             FROM fiscal_years ORDER BY year DESC",
        )
        .fetch_all(&self.pool)
        .await?)
    }
    /// The id of a unit's project of a year, created (and logged) when missing.
    pub async fn ensure_project(
        &self,
        org_id: i64,
        year: i64,
        name: &str,
        by: &Author,
    ) -> Result<i64, StoreError> {
        if let Some(p) = self.project_named(org_id, year, name).await? {
            return Ok(p.id);
        }
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let id = ensure_project_in(&mut tx, self.clock.now_ms(), org_id, year, name, by).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The projects of these units, by unit, newest year first, then by name.
    pub async fn projects_of(&self, org_ids: &[i64]) -> Result<Vec<ProjectRow>, StoreError> {
        if org_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: formatting them cannot inject anything.
        let list: Vec<String> = org_ids.iter().map(i64::to_string).collect();
        Ok(sqlx::query_as(&format!(
            "SELECT id, org_id, year, name FROM projects WHERE org_id IN ({}) ORDER BY org_id, year DESC, name",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn project_named(
        &self,
        org_id: i64,
        year: i64,
        name: &str,
    ) -> Result<Option<ProjectRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, org_id, year, name FROM projects WHERE org_id = $1 AND year = $2 AND name = $3",
        )
        .bind(org_id)
        .bind(year)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A project.
    pub async fn project(&self, id: i64) -> Result<ProjectRow, StoreError> {
        sqlx::query_as("SELECT id, org_id, year, name FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("项目 {id}")))
    }

    /// Every project, by unit, year and name.
    pub async fn projects(&self) -> Result<Vec<ProjectRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, org_id, year, name FROM projects ORDER BY org_id, year DESC, name",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

/// The id of a unit's project of a year inside a write transaction (the caller holds the log
/// lock, so no other writer can create it in between), created and logged when missing.
pub(crate) async fn ensure_project_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    now: i64,
    org_id: i64,
    year: i64,
    name: &str,
    by: &Author,
) -> Result<i64, StoreError> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM projects WHERE org_id = $1 AND year = $2 AND name = $3")
            .bind(org_id)
            .bind(year)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((id,)) = found {
        return Ok(id);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO projects (org_id, year, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(org_id)
    .bind(year)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    let detail = json!({"org_id": org_id, "year": year, "name": name});
    log::append(tx, now, by, "project", id, "create", &detail).await?;
    Ok(id)
}
