//! Administration's writes: organisations renamed, moved, deactivated; accounts created with a
//! one-time password, reset, changed, disabled, given another role; a directory of units and
//! users imported in one transaction. Each write appends its change-log entry in the same
//! transaction; no password and no hash ever enters the log.

use serde_json::json;
use sqlx::{Any, Transaction};

use crate::log::{self, Author};
use crate::sessions::token_hash;
use crate::{Store, StoreError};

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Name shown.
    pub display_name: &'a str,
    /// argon2id PHC string (never logged).
    pub password_hash: &'a str,
    /// Role code.
    pub role: &'a str,
    /// The user's organisation.
    pub org_id: i64,
    /// True for a one-time password the user must change at the first login.
    pub must_change_password: bool,
}

/// Where a new organisation of an import hangs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    /// An organisation already in the database.
    Existing(i64),
    /// An organisation created earlier in the same import (its index there).
    New(usize),
}

/// An organisation to create in an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg<'a> {
    /// Name.
    pub name: &'a str,
    /// `department` or `unit`.
    pub kind: &'a str,
    /// Where it hangs.
    pub parent: Parent,
}

/// A user to create in an import, whose organisation may be new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedUser<'a> {
    /// The account; its `org_id` is ignored when `org` is [`Parent::New`].
    pub user: NewUser<'a>,
    /// Its organisation.
    pub org: Parent,
}

async fn insert_org(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    name: &str,
    kind: &str,
    parent_id: i64,
    by: &Author,
) -> Result<i64, StoreError> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO orgs (name, kind, parent_id) VALUES ($1, $2, $3) RETURNING id")
            .bind(name)
            .bind(kind)
            .bind(parent_id)
            .fetch_one(&mut **tx)
            .await
            .map_err(StoreError::from_insert)?;
    let detail = json!({"name": name, "kind": kind, "parent_id": parent_id});
    log::append(tx, now, by, "org", id, "create", &detail).await?;
    Ok(id)
}

pub(crate) async fn insert_user(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    u: &NewUser<'_>,
    org_id: i64,
    by: &Author,
) -> Result<i64, StoreError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, display_name, password_hash, role, org_id, created_at,
                            must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(u.username)
    .bind(u.display_name)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(org_id)
    .bind(now)
    .bind(i64::from(u.must_change_password))
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    let detail = json!({"username": u.username, "role": u.role, "org_id": org_id});
    log::append(tx, now, by, "user", id, "create", &detail).await?;
    Ok(id)
}

/// Fails with [`StoreError::NotFound`] when an update touched no row.
fn touched(rows: u64, what: &str, id: i64) -> Result<(), StoreError> {
    if rows == 0 {
        Err(StoreError::NotFound(format!("{what} {id}")))
    } else {
        Ok(())
    }
}

impl Store {
    /// Creates an account (a one-time password when `must_change_password`).
    pub async fn create_account(&self, u: &NewUser<'_>, by: &Author) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let id = insert_user(&mut tx, self.clock.now_ms(), u, u.org_id, by).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames an organisation (`rename`, old → new in the log).
    pub async fn rename_org(&self, id: i64, name: &str, by: &Author) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let old: Option<(String,)> = sqlx::query_as("SELECT name FROM orgs WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let (old,) = old.ok_or_else(|| StoreError::NotFound(format!("单位 {id}")))?;
        sqlx::query("UPDATE orgs SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_insert)?;
        let detail = json!({"old": old, "new": name});
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "org",
            id,
            "rename",
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hangs an organisation under another (`move`, old → new parent in the log).
    pub async fn move_org(&self, id: i64, parent_id: i64, by: &Author) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let old: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT parent_id FROM orgs WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let (old,) = old.ok_or_else(|| StoreError::NotFound(format!("单位 {id}")))?;
        sqlx::query("UPDATE orgs SET parent_id = $1 WHERE id = $2")
            .bind(parent_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = json!({"old_parent_id": old, "parent_id": parent_id});
        log::append(&mut tx, self.clock.now_ms(), by, "org", id, "move", &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates or reactivates an organisation (`deactivate` / `activate`).
    pub async fn set_org_active(
        &self,
        id: i64,
        active: bool,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let rows = sqlx::query("UPDATE orgs SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        touched(rows, "单位", id)?;
        let action = if active { "activate" } else { "deactivate" };
        log::append(
            &mut tx,
            self.clock.now_ms(),
            by,
            "org",
            id,
            action,
            &json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active users of an organisation and its active child organisations.
    pub async fn active_members(&self, org_id: i64) -> Result<(i64, i64), StoreError> {
        let (users,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE org_id = $1 AND disabled = 0")
                .bind(org_id)
                .fetch_one(&self.pool)
                .await?;
        let (orgs,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND active = 1")
                .bind(org_id)
                .fetch_one(&self.pool)
                .await?;
        Ok((users, orgs))
    }

    /// Gives a user a new one-time password (`password_reset`): they must change it at the next
    /// login, and every session of theirs ends.
    pub async fn reset_password(
        &self,
        user_id: i64,
        password_hash: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let rows = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        touched(rows, "用户", user_id)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let now = self.clock.now_ms();
        log::append(
            &mut tx,
            now,
            by,
            "user",
            user_id,
            "password_reset",
            &json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's own new password (`password_change`): the one-time mark is cleared and every
    /// other session of theirs ends; the session of `keep_token` stays.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_token: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let rows = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        touched(rows, "用户", user_id)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(token_hash(keep_token))
            .execute(&mut *tx)
            .await?;
        let now = self.clock.now_ms();
        log::append(
            &mut tx,
            now,
            by,
            "user",
            user_id,
            "password_change",
            &json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (every session ends) or enables an account (`disable` / `enable`).
    pub async fn set_user_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let rows = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        touched(rows, "用户", user_id)?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        let now = self.clock.now_ms();
        log::append(&mut tx, now, by, "user", user_id, action, &json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a user another role (`role`, old → new in the log).
    pub async fn set_user_role(
        &self,
        user_id: i64,
        role: &str,
        by: &Author,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let old: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let (old,) = old.ok_or_else(|| StoreError::NotFound(format!("用户 {user_id}")))?;
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let detail = json!({"old": old, "new": role});
        let now = self.clock.now_ms();
        log::append(&mut tx, now, by, "user", user_id, "role", &detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates the organisations, then the users, of an import in one transaction: all of
    /// them or, on any error, none. Returns their ids in the order given.
    pub async fn import_directory(
        &self,
        orgs: &[NewOrg<'_>],
        users: &[ImportedUser<'_>],
        by: &Author,
    ) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
        let resolve = |p: Parent, made: &[i64]| match p {
            Parent::Existing(id) => Ok(id),
            Parent::New(i) => made
                .get(i)
                .copied()
                .ok_or_else(|| StoreError::NotFound(format!("导入中的第{}个单位", i + 1))),
        };
        let mut tx = self.pool.begin().await?;
        log::lock(&mut tx).await?;
        let now = self.clock.now_ms();
        let mut org_ids = Vec::with_capacity(orgs.len());
        for o in orgs {
            let parent = resolve(o.parent, &org_ids)?;
            org_ids.push(insert_org(&mut tx, now, o.name, o.kind, parent, by).await?);
        }
        let mut user_ids = Vec::with_capacity(users.len());
        for u in users {
            let org = resolve(u.org, &org_ids)?;
            user_ids.push(insert_user(&mut tx, now, &u.user, org, by).await?);
        }
        tx.commit().await?;
        Ok((org_ids, user_ids))
    }
}
