//! Loading a region without an actor: the organisations, accounts and years a set-up script
//! (the demo region, `jixiao-demo`) writes before anyone can sign in. Every write is in the
//! change log as the system's. Nothing here is reachable from the web.

use jixiao_store::log::Author;
use jixiao_store::orgs::{OrgRow, UserRow, YearRow};

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

    /// A budget year with its deadlines.
    pub async fn year(&self, year: &YearRow) -> Result<(), AppError> {
        Ok(self.app.store.put_year(year, &Author::system()).await?)
    }
}
