//! Loading a region without an actor: the organisations, accounts and years a set-up script
//! (the demo region, `jixiao-demo`) writes before anyone can sign in. Every write is in the
//! change log as the system's. Nothing here is reachable from the web.

use jixiao_store::log::Author;
use jixiao_store::orgs::{OrgRow, UserRow, YearRow};
use jixiao_store::users::NewUser;

use crate::role::Role;
use crate::{App, AppError, password};

/// What a set-up script may write; see [`App::seed`].
pub struct Seed<'a> {
    app: &'a App,
}

impl App {
    /// The set-up writes of this application (for scripts run before anyone signs in).
    pub fn seed(&self) -> Seed<'_> {
        Seed { app: self }
    }
}

impl Seed<'_> {
    /// Every organisation, in id order.
    pub async fn orgs(&self) -> Result<Vec<OrgRow>, AppError> {
        Ok(self.app.store.orgs().await?)
    }

    /// Every account, in id order.
    pub async fn users(&self) -> Result<Vec<UserRow>, AppError> {
        Ok(self.app.store.users().await?)
    }

    /// A new organisation of `kind` (`finance`, `department`, `unit`) under `parent`.
    pub async fn org(&self, name: &str, kind: &str, parent: Option<i64>) -> Result<i64, AppError> {
        Ok(self
            .app
            .store
            .create_org(name, kind, parent, &Author::system())
            .await?)
    }

    /// A new account with `password` (hashed here).
    pub async fn user(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
        role: Role,
        org_id: i64,
    ) -> Result<i64, AppError> {
        let hash = password::hash(password)?;
        Ok(self
            .app
            .store
            .create_user(
                username,
                display_name,
                &hash,
                role.code(),
                org_id,
                &Author::system(),
            )
            .await?)
    }

    /// A new password for account `user_id`, to be used as it is.
    pub async fn password(&self, user_id: i64, password: &str) -> Result<(), AppError> {
        let hash = password::hash(password)?;
        Ok(self
            .app
            .store
            .set_password(user_id, &hash, &Author::system())
            .await?)
    }

    /// The account `user_id` as a signed-in actor (a script acting as that user).
    pub async fn actor(&self, user_id: i64) -> Result<crate::access::Actor, AppError> {
        self.app.actor_of(user_id).await
    }

    /// A new installation's first organisation and account: the finance bureau `bureau` and
    /// its administrator `username`, with a one-time password (returned, to be changed at the
    /// first login). Refused once any organisation exists.
    pub async fn first_admin(&self, bureau: &str, username: &str) -> Result<String, AppError> {
        if !self.orgs().await?.is_empty() {
            return Err(AppError::Invalid(
                "数据库中已有单位，不再初始化：请用已有的管理员账号登录（忘记密码时可由其他管理员重置）"
                    .into(),
            ));
        }
        let bureau = crate::admin::checked_org_name(bureau)?;
        let username = crate::admin::checked_username(username)?;
        let org_id = self.org(&bureau, "finance", None).await?;
        let pw = password::random_password()?;
        let hash = password::hash(&pw)?;
        self.app
            .store
            .create_account(
                &NewUser {
                    username: &username,
                    display_name: "系统管理员",
                    password_hash: &hash,
                    role: Role::Admin.code(),
                    org_id,
                    must_change_password: true,
                },
                &Author::system(),
            )
            .await?;
        Ok(pw)
    }

    /// A budget year with its deadlines.
    pub async fn year(&self, year: &YearRow) -> Result<(), AppError> {
        Ok(self.app.store.put_year(year, &Author::system()).await?)
    }
}
