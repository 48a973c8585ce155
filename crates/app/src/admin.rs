//! Administration (系统管理): the organisations of the region, the user accounts with their
//! one-time passwords, every user's own password change, and the Excel import of units and
//! users.
//!
//! Every use case here asks [`access`] for [`Operation::ManageUsers`] first (the 管理员, over
//! everything below their organisation), except [`App::change_password`], which every signed-in
//! user may do for themselves. The rules a bureau's administrator expects:
//!
//! - only 主管部门 and 预算单位 are created (the 财政局 is the root); a parent must exist, be
//!   active and lie within the administrator's reach; an organisation is never moved under
//!   itself or its own descendants; an organisation with active users or active child
//!   organisations is not deactivated (the message says what to do first);
//! - a role fits its organisation: 填报人 and 单位负责人 at a 预算单位, 主管部门审核 at a 主管部门,
//!   财政审核 and 管理员 at the 财政局;
//! - new accounts and resets get a random one-time password, shown once: the user must change
//!   it at the next login (until then only the change and logout are open); a reset ends all
//!   the user's sessions, a change every other session;
//! - a new password has at least 8 characters and differs from the old one and the user name;
//! - an administrator cannot disable themselves or change their own role (lockout protection);
//! - a disabled account cannot log in (told 账号已停用 only after the right password) and its
//!   sessions end.
//!
//! Every change is one change-log entry (entity `org` or `user`), never with a password or hash.

use std::collections::HashMap;

use jixiao_store::StoreError;
use jixiao_store::orgs::{OrgRow, UserRow};
use jixiao_store::users::{
    ImportedUser, NewOrg as StoreOrg, NewUser as StoreUser, Parent as StoreParent,
};

use crate::directory::Parent;

pub use jixiao_record::account::{
    DirectoryImport, ImportedAccount, NewAccount, NewOrg, OneTimePassword, OrgKind, OrgView,
    UserView, check_new_password, checked_org_name, checked_username, parse_role,
};

use crate::access::{self, Actor, Operation};
use crate::role::Role;
use crate::service::{App, author};
use crate::{AppError, password};

/// A planned parent as the store takes it.
fn stored(p: Parent) -> StoreParent {
    match p {
        Parent::Existing(id) => StoreParent::Existing(id),
        Parent::New(i) => StoreParent::New(i),
    }
}

/// A duplicate key of the store in words.
fn duplicate(e: StoreError, what: &str) -> AppError {
    match e {
        StoreError::Duplicate(_) => AppError::Taken(what.to_string()),
        other => AppError::from(other),
    }
}

/// The kind a stored organisation row has.
fn kind_of(o: &OrgRow) -> Result<OrgKind, AppError> {
    OrgKind::parse(&o.kind).ok_or_else(|| {
        AppError::Store(StoreError::Corrupt(format!(
            "单位 {} 的类型“{}”",
            o.id, o.kind
        )))
    })
}

/// Refuses a role at an organisation of another kind.
fn role_fits(role: Role, org: &OrgRow) -> Result<(), AppError> {
    let want = OrgKind::of_role(role);
    if kind_of(org)? == want {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "{}须属于{}，“{}”是{}",
            role.name(),
            want.name(),
            org.name,
            kind_of(org)?.name()
        )))
    }
}

/// Refuses a parent that cannot hold an organisation of `kind`: a 主管部门 hangs under the
/// 财政局, a 预算单位 under the 财政局 or a 主管部门.
fn parent_fits(kind: OrgKind, parent: &OrgRow) -> Result<(), AppError> {
    let pk = kind_of(parent)?;
    let ok = match kind {
        OrgKind::Finance => false,
        OrgKind::Department => pk == OrgKind::Finance,
        OrgKind::Unit => matches!(pk, OrgKind::Finance | OrgKind::Department),
    };
    if parent.active == 0 {
        return Err(AppError::Invalid(format!(
            "上级单位“{}”已停用，请先启用它或选择其他上级单位",
            parent.name
        )));
    }
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "{}不能设在{}“{}”之下",
            kind.name(),
            pk.name(),
            parent.name
        )))
    }
}

/// The organisations an administrator reaches: their own and everything below, by id.
struct Scope {
    orgs: Vec<OrgRow>,
    by_id: HashMap<i64, usize>,
    root: i64,
}

impl Scope {
    fn get(&self, id: i64) -> Result<&OrgRow, AppError> {
        self.by_id
            .get(&id)
            .map(|&i| &self.orgs[i])
            .ok_or_else(|| AppError::NotFound(format!("单位 {id}")))
    }

    fn name(&self, id: i64) -> String {
        self.get(id).map(|o| o.name.clone()).unwrap_or_default()
    }

    /// Levels between `id` and the root (bounded).
    fn depth(&self, id: i64) -> usize {
        let mut depth = 0;
        let mut at = id;
        while at != self.root && depth < 16 {
            match self.get(at).ok().and_then(|o| o.parent_id) {
                Some(p) => {
                    at = p;
                    depth += 1;
                }
                None => break,
            }
        }
        depth
    }

    /// True when `id` is `ancestor` or lies below it.
    fn is_within(&self, id: i64, ancestor: i64) -> bool {
        let mut at = Some(id);
        for _ in 0..=16 {
            match at {
                Some(a) if a == ancestor => return true,
                Some(a) => at = self.get(a).ok().and_then(|o| o.parent_id),
                None => return false,
            }
        }
        false
    }

    fn view(&self, o: &OrgRow) -> Result<OrgView, AppError> {
        let kind = kind_of(o)?;
        Ok(OrgView {
            id: o.id,
            name: o.name.clone(),
            kind,
            kind_name: kind.name(),
            parent_id: o.parent_id,
            parent_name: o.parent_id.map(|p| self.name(p)).filter(|n| !n.is_empty()),
            active: o.active != 0,
            depth: self.depth(o.id),
        })
    }
}

impl App {
    /// The organisations `actor` administers (refused unless they may manage users).
    async fn scope(&self, actor: &Actor) -> Result<Scope, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::ManageUsers, &chain).map_err(|e| match e {
            access::Refusal::NotFound(_) => AppError::Forbidden(format!(
                "{}不能{}",
                actor.role.name(),
                access::describe(Operation::ManageUsers)
            )),
            other => other.into(),
        })?;
        let orgs = self.store.org_subtree(actor.org_id).await?;
        let by_id = orgs.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Ok(Scope {
            orgs,
            by_id,
            root: actor.org_id,
        })
    }

    /// The organisations `actor` administers as a tree: each after its parent, by name.
    pub async fn admin_orgs(&self, actor: &Actor) -> Result<Vec<OrgView>, AppError> {
        let scope = self.scope(actor).await?;
        let mut out = Vec::with_capacity(scope.orgs.len());
        let mut children: HashMap<Option<i64>, Vec<&OrgRow>> = HashMap::new();
        for o in &scope.orgs {
            let parent = o.parent_id.filter(|_| o.id != scope.root);
            children.entry(parent).or_default().push(o);
        }
        for list in children.values_mut() {
            list.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let mut stack: Vec<&OrgRow> = vec![scope.get(scope.root)?];
        while let Some(o) = stack.pop() {
            out.push(scope.view(o)?);
            if let Some(list) = children.get(&Some(o.id)) {
                stack.extend(list.iter().rev());
            }
        }
        Ok(out)
    }

    /// The user accounts of the organisations `actor` administers, by organisation and name.
    pub async fn admin_users(&self, actor: &Actor) -> Result<Vec<UserView>, AppError> {
        let scope = self.scope(actor).await?;
        let mut users: Vec<UserView> = self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| scope.by_id.contains_key(&u.org_id))
            .map(|u| user_view(&scope, u))
            .collect::<Result<_, _>>()?;
        users.sort_by(|a, b| {
            (a.org_name.as_str(), a.username.as_str()).cmp(&(&b.org_name, &b.username))
        });
        Ok(users)
    }

    /// Creates a 主管部门 or 预算单位 (`create` in the log).
    pub async fn create_org(&self, actor: &Actor, new: &NewOrg) -> Result<i64, AppError> {
        let scope = self.scope(actor).await?;
        let name = checked_org_name(&new.name)?;
        let kind = match OrgKind::parse(&new.kind) {
            Some(k @ (OrgKind::Department | OrgKind::Unit)) => k,
            _ => {
                return Err(AppError::Invalid(format!(
                    "单位类型“{}”无效：只能新建主管部门（department）或预算单位（unit）",
                    new.kind
                )));
            }
        };
        let parent = scope.get(new.parent_id.unwrap_or(actor.org_id))?;
        parent_fits(kind, parent)?;
        self.store
            .create_org(&name, kind.code(), Some(parent.id), &author(actor))
            .await
            .map_err(|e| duplicate(e, &format!("已有名为“{name}”的单位")))
    }

    /// Renames an organisation (`rename`).
    pub async fn rename_org(&self, actor: &Actor, id: i64, name: &str) -> Result<(), AppError> {
        let scope = self.scope(actor).await?;
        let org = scope.get(id)?;
        let name = checked_org_name(name)?;
        if name == org.name {
            return Ok(());
        }
        self.store
            .rename_org(id, &name, &author(actor))
            .await
            .map_err(|e| duplicate(e, &format!("已有名为“{name}”的单位")))
    }

    /// Hangs an organisation under another (`move`): never under itself or its descendants,
    /// never the administrator's own organisation.
    pub async fn move_org(&self, actor: &Actor, id: i64, parent_id: i64) -> Result<(), AppError> {
        let scope = self.scope(actor).await?;
        let org = scope.get(id)?;
        if id == scope.root || org.parent_id.is_none() {
            return Err(AppError::Invalid(format!(
                "“{}”是最上级单位，不能移动",
                org.name
            )));
        }
        let parent = scope.get(parent_id)?;
        if scope.is_within(parent_id, id) {
            return Err(AppError::Invalid(format!(
                "不能把“{}”移到它自己或它的下级单位“{}”之下",
                org.name, parent.name
            )));
        }
        parent_fits(kind_of(org)?, parent)?;
        if org.parent_id == Some(parent_id) {
            return Ok(());
        }
        Ok(self.store.move_org(id, parent_id, &author(actor)).await?)
    }

    /// Deactivates an organisation (`deactivate`): refused while it has active users or active
    /// child organisations, and for the administrator's own.
    pub async fn deactivate_org(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let scope = self.scope(actor).await?;
        let org = scope.get(id)?;
        if id == scope.root || org.parent_id.is_none() {
            return Err(AppError::Invalid(format!(
                "“{}”是最上级单位，不能停用",
                org.name
            )));
        }
        if org.active == 0 {
            return Ok(());
        }
        let (users, children) = self.store.active_members(id).await?;
        if users > 0 || children > 0 {
            let mut what = Vec::new();
            if users > 0 {
                what.push(format!(
                    "{users}个在用账号（请先停用这些账号或改到其他单位）"
                ));
            }
            if children > 0 {
                what.push(format!(
                    "{children}个在用的下级单位（请先停用或移走这些单位）"
                ));
            }
            return Err(AppError::Invalid(format!(
                "“{}”还有{}，暂不能停用",
                org.name,
                what.join("和")
            )));
        }
        Ok(self.store.set_org_active(id, false, &author(actor)).await?)
    }

    /// Reactivates an organisation (`activate`) whose parent is active.
    pub async fn activate_org(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let scope = self.scope(actor).await?;
        let org = scope.get(id)?;
        if org.active != 0 {
            return Ok(());
        }
        if let Some(p) = org.parent_id.and_then(|p| scope.get(p).ok())
            && p.active == 0
        {
            return Err(AppError::Invalid(format!(
                "上级单位“{}”已停用，请先启用它",
                p.name
            )));
        }
        Ok(self.store.set_org_active(id, true, &author(actor)).await?)
    }

    /// Creates an account with a one-time password (`create`); the answer is the only place
    /// the password is ever shown.
    pub async fn create_account(
        &self,
        actor: &Actor,
        new: &NewAccount,
    ) -> Result<OneTimePassword, AppError> {
        let scope = self.scope(actor).await?;
        let name = checked_username(&new.username)?;
        let role = Role::from_code(new.role.trim()).ok_or_else(|| {
            AppError::Invalid(format!(
                "未知的角色代码“{}”：可用 filer、unit_head、supervisor、finance、admin",
                new.role
            ))
        })?;
        let org = scope.get(new.org_id)?;
        if org.active == 0 {
            return Err(AppError::Invalid(format!("单位“{}”已停用", org.name)));
        }
        role_fits(role, org)?;
        let display = new
            .display_name
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .unwrap_or(&name)
            .chars()
            .take(50)
            .collect::<String>();
        let pw = password::random_password()?;
        let hash = password::hash(&pw)?;
        let id = self
            .store
            .create_account(
                &StoreUser {
                    username: &name,
                    display_name: &display,
                    password_hash: &hash,
                    role: role.code(),
                    org_id: org.id,
                    must_change_password: true,
                },
                &author(actor),
            )
            .await
            .map_err(|e| duplicate(e, &format!("用户名“{name}”已被使用，请换一个")))?;
        Ok(OneTimePassword {
            id,
            username: name,
            password: pw,
        })
    }

    /// The account `id` within `actor`'s reach.
    async fn managed_user(&self, actor: &Actor, id: i64) -> Result<(Scope, UserRow), AppError> {
        let scope = self.scope(actor).await?;
        let user = self.store.user(id).await?;
        if !scope.by_id.contains_key(&user.org_id) {
            return Err(AppError::NotFound(format!("用户 {id}")));
        }
        Ok((scope, user))
    }

    /// Gives an account a new one-time password (`password_reset`); every session of theirs
    /// ends.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<OneTimePassword, AppError> {
        let (_, user) = self.managed_user(actor, id).await?;
        let pw = password::random_password()?;
        let hash = password::hash(&pw)?;
        self.store.reset_password(id, &hash, &author(actor)).await?;
        Ok(OneTimePassword {
            id,
            username: user.username,
            password: pw,
        })
    }

    /// Disables (`disable`: every session ends) or enables (`enable`) an account; an
    /// administrator cannot disable themselves.
    pub async fn set_disabled(
        &self,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> Result<(), AppError> {
        let (scope, user) = self.managed_user(actor, id).await?;
        if disabled && id == actor.user_id {
            return Err(AppError::Invalid(
                "不能停用自己的账号（否则将无人能管理系统）".into(),
            ));
        }
        if !disabled && scope.get(user.org_id)?.active == 0 {
            return Err(AppError::Invalid(format!(
                "账号所属单位“{}”已停用，请先启用该单位",
                scope.name(user.org_id)
            )));
        }
        if (user.disabled != 0) == disabled {
            return Ok(());
        }
        Ok(self
            .store
            .set_user_disabled(id, disabled, &author(actor))
            .await?)
    }

    /// Gives an account another role (`role`), fitting its organisation; an administrator
    /// cannot change their own.
    pub async fn set_role(&self, actor: &Actor, id: i64, role: Role) -> Result<(), AppError> {
        let (scope, user) = self.managed_user(actor, id).await?;
        if id == actor.user_id {
            return Err(AppError::Invalid(
                "不能修改自己的角色（否则可能失去管理权限）；请由其他管理员修改".into(),
            ));
        }
        role_fits(role, scope.get(user.org_id)?)?;
        if user.role == role.code() {
            return Ok(());
        }
        Ok(self
            .store
            .set_user_role(id, role.code(), &author(actor))
            .await?)
    }

    /// The signed-in user's own password change (`password_change`): the old password must be
    /// right (a wrong one counts as a failed login), the new one follow the rules; the
    /// one-time mark is cleared and every other session of theirs ends.
    pub async fn change_password(
        &self,
        actor: &Actor,
        session_token: &str,
        old: &str,
        new: &str,
    ) -> Result<(), AppError> {
        let window = self.settings().lockout_window_ms();
        let (failures, last) = self.store.login_failures(&actor.username, window).await?;
        if failures >= i64::from(self.settings().lockout.failures) {
            let until = last.unwrap_or_default() + window;
            let minutes = ((until - self.clock().now_ms()) / 60_000).max(1);
            return Err(AppError::LockedOut { minutes });
        }
        let user = self.store.user(actor.user_id).await?;
        if !password::verify(old, &user.password_hash) {
            self.store
                .record_login_failure(&actor.username, window)
                .await?;
            return Err(AppError::Invalid("原密码不正确".into()));
        }
        check_new_password(&user.username, old, new)?;
        let hash = password::hash(new)?;
        Ok(self
            .store
            .change_password(user.id, &hash, session_token, &author(actor))
            .await?)
    }

    /// Imports units and users from an Excel workbook ([`crate::directory`]): every row is
    /// checked first, and an error names its sheet, row and column; then all of them are
    /// created in one transaction, or none. The answer carries the one-time passwords.
    pub async fn import_directory(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<DirectoryImport, AppError> {
        let scope = self.scope(actor).await?;
        let sheet = crate::directory::read(file_name, bytes, &self.limits())?;
        let taken = self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| u.username)
            .collect();
        let plan = crate::directory::plan(&sheet, &scope_names(&scope), &taken, scope.root)?;
        let mut passwords = Vec::with_capacity(plan.users.len());
        for _ in &plan.users {
            let pw = password::random_password()?;
            let hash = password::hash(&pw)?;
            passwords.push((pw, hash));
        }
        let orgs: Vec<StoreOrg> = plan
            .orgs
            .iter()
            .map(|o| StoreOrg {
                name: &o.name,
                kind: o.kind.code(),
                parent: stored(o.parent),
            })
            .collect();
        let users: Vec<ImportedUser> = plan
            .users
            .iter()
            .zip(&passwords)
            .map(|(u, (_, hash))| ImportedUser {
                user: StoreUser {
                    username: &u.username,
                    display_name: &u.display_name,
                    password_hash: hash,
                    role: u.role.code(),
                    org_id: match u.org {
                        Parent::Existing(id) => id,
                        Parent::New(_) => 0,
                    },
                    must_change_password: true,
                },
                org: stored(u.org),
            })
            .collect();
        let (org_ids, user_ids) = self
            .store
            .import_directory(&orgs, &users, &author(actor))
            .await
            .map_err(|e| duplicate(e, "导入的单位名称或用户名与已有的重复，未导入任何内容"))?;
        let org_name = |p: Parent| match p {
            Parent::Existing(id) => scope.name(id),
            Parent::New(i) => plan.orgs.get(i).map(|o| o.name.clone()).unwrap_or_default(),
        };
        Ok(DirectoryImport {
            orgs: plan
                .orgs
                .iter()
                .zip(&org_ids)
                .map(|(o, id)| OrgView {
                    id: *id,
                    name: o.name.clone(),
                    kind: o.kind,
                    kind_name: o.kind.name(),
                    parent_id: match o.parent {
                        Parent::Existing(p) => Some(p),
                        Parent::New(i) => org_ids.get(i).copied(),
                    },
                    parent_name: Some(org_name(o.parent)),
                    active: true,
                    depth: 0,
                })
                .collect(),
            users: plan
                .users
                .iter()
                .zip(&user_ids)
                .zip(passwords)
                .map(|((u, id), (pw, _))| ImportedAccount {
                    id: *id,
                    username: u.username.clone(),
                    password: pw,
                    role_name: u.role.name(),
                    org_name: org_name(u.org),
                })
                .collect(),
        })
    }
}

/// The administrator's organisations by name, with their kind and whether active.
fn scope_names(scope: &Scope) -> crate::directory::Known {
    scope
        .orgs
        .iter()
        .filter_map(|o| {
            let kind = OrgKind::parse(&o.kind)?;
            Some((o.name.clone(), (o.id, kind, o.active != 0)))
        })
        .collect()
}

fn user_view(scope: &Scope, u: UserRow) -> Result<UserView, AppError> {
    let role = Role::from_code(&u.role).ok_or_else(|| {
        AppError::Store(StoreError::Corrupt(format!(
            "用户 {} 的角色“{}”",
            u.username, u.role
        )))
    })?;
    Ok(UserView {
        id: u.id,
        org_name: scope.name(u.org_id),
        username: u.username,
        display_name: u.display_name,
        role,
        role_name: role.name(),
        org_id: u.org_id,
        disabled: u.disabled != 0,
        must_change_password: u.must_change_password != 0,
    })
}
