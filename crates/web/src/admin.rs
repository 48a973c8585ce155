//! 系统管理: the pages and the API of organisations (单位管理) and user accounts (用户管理), the
//! Excel import of units and users, and 修改密码 for everyone (`/password`,
//! `PUT /api/v1/session/password`). Who may do what is decided by the app ([`App`]'s
//! administration use cases); the pages show role names in Chinese, the API takes role codes.
//!
//! [`App`]: jixiao_app::App

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::admin::{NewAccount, NewOrg, OneTimePassword, OrgKind, OrgView, UserView};
use jixiao_app::role::Role;
use jixiao_app::service::Session;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::edit::Fields;
use crate::error::{WebError, page};
use crate::posted::{ApiPost, PagePost, Posted, Upload};
use crate::routing::{Routes, get, post, put};
use crate::views::{Nav, render};

type Result2 = Result<Response, WebError>;

fn api<T>(r: Result<T, AppError>) -> Result<T, WebError> {
    r.map_err(WebError::api)
}

/// The administration routes (pages and API, full paths).
pub fn routes() -> Routes {
    Routes::new()
        .route("/admin/orgs", get(orgs_page).post(org_create))
        .route("/admin/orgs/{id}", post(org_change))
        .route("/admin/users", get(users_page).post(user_create))
        .route("/admin/users/{id}", post(user_change))
        .route("/admin/import", post(import_page))
        .route("/admin/import/template.xlsx", get(template))
        .route("/password", get(password_page).post(password_change))
        .route("/api/v1/orgs", get(api_orgs).post(api_org_create))
        .route("/api/v1/orgs/{id}/rename", post(api_org_rename))
        .route("/api/v1/orgs/{id}/move", post(api_org_move))
        .route("/api/v1/orgs/{id}/deactivate", post(api_org_deactivate))
        .route("/api/v1/orgs/{id}/activate", post(api_org_activate))
        .route("/api/v1/users", get(api_users).post(api_user_create))
        .route("/api/v1/users/{id}/password", post(api_user_reset))
        .route("/api/v1/users/{id}/disable", post(api_user_disable))
        .route("/api/v1/users/{id}/enable", post(api_user_enable))
        .route("/api/v1/users/{id}/role", post(api_user_role))
        .route("/api/v1/directory", post(api_import))
        .route("/api/v1/session/password", put(api_password))
}

// ── templates ───────────────────────────────────────────────────────────────────────────────

/// 单位管理.
#[derive(Template)]
#[template(path = "admin_orgs.html")]
pub struct OrgsPage {
    nav: Option<Nav>,
    csrf: String,
    message: Option<String>,
    error: Option<String>,
    orgs: Vec<OrgRowView>,
    /// Active organisations that can hold others: (id, name).
    parents: Vec<(i64, String)>,
    /// What was typed into the create form, kept after an error.
    typed: Fields,
}

impl OrgsPage {
    /// What was typed into field `name` of the create form.
    fn typed(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }
}

impl UsersPage {
    /// What was typed into field `name` of the create form.
    fn typed(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }
}

/// One organisation of the tree.
pub struct OrgRowView {
    org: OrgView,
    /// The name indented by its depth.
    indent: String,
    is_root: bool,
}

/// 用户管理.
#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    nav: Option<Nav>,
    csrf: String,
    message: Option<String>,
    error: Option<String>,
    users: Vec<UserView>,
    /// (code, Chinese name).
    roles: Vec<(&'static str, &'static str)>,
    /// Active organisations: (id, name with its kind).
    orgs: Vec<(i64, String)>,
    me: i64,
    typed: Fields,
}

/// One-time passwords shown once (a new account, a reset, an import).
#[derive(Template)]
#[template(path = "admin_passwords.html")]
pub struct PasswordsPage {
    nav: Option<Nav>,
    title: String,
    orgs: Vec<OrgView>,
    /// (user name, role, organisation, one-time password).
    users: Vec<(String, String, String, String)>,
}

/// 修改密码.
#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    nav: Option<Nav>,
    csrf: String,
    forced: bool,
    error: Option<String>,
    message: Option<String>,
}

// ── pages ───────────────────────────────────────────────────────────────────────────────────

#[derive(Debug, Default, Deserialize)]
struct MsgQuery {
    #[serde(default)]
    msg: String,
}

fn message_of(code: &str) -> Option<String> {
    Some(
        match code {
            "created" => "已新建单位。",
            "renamed" => "已修改单位名称。",
            "moved" => "已调整上级单位。",
            "deactivated" => "已停用单位。",
            "activated" => "已启用单位。",
            "disabled" => "已停用账号，该用户的登录已全部结束。",
            "enabled" => "已启用账号。",
            "role" => "已修改角色。",
            "password" => "密码已修改。",
            _ => return None,
        }
        .to_string(),
    )
}

async fn orgs_view(
    state: &AppState,
    s: &Session,
    message: Option<String>,
    error: Option<String>,
    typed: Fields,
) -> Result<OrgsPage, WebError> {
    let orgs = page(state.app.admin_orgs(&s.actor).await)?;
    let parents = orgs
        .iter()
        .filter(|o| o.active && o.kind != OrgKind::Unit)
        .map(|o| (o.id, format!("{}（{}）", o.name, o.kind_name)))
        .collect();
    Ok(OrgsPage {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        message,
        error,
        parents,
        orgs: orgs
            .into_iter()
            .map(|o| OrgRowView {
                indent: "　".repeat(o.depth),
                is_root: o.id == s.actor.org_id,
                org: o,
            })
            .collect(),
        typed,
    })
}

async fn orgs_page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<MsgQuery>,
) -> Result2 {
    let view = orgs_view(&state, &s, message_of(&q.msg), None, Fields::new()).await?;
    Ok(render(&view).into_response())
}

/// Shows `error` on the page it came from (kept typing), or fails as an error page.
async fn refused_on_orgs(state: &AppState, s: &Session, e: AppError, typed: Fields) -> Result2 {
    match e {
        AppError::Invalid(_) | AppError::Taken(_) | AppError::NotFound(_) => {
            let status = crate::error::status(&e);
            let msg = crate::error::message(&e);
            let view = orgs_view(state, s, None, Some(msg), typed).await?;
            Ok(render(&view).with_status(status))
        }
        other => Err(WebError::page(other)),
    }
}

fn id_field(f: &Fields, name: &str) -> Option<i64> {
    f.get(name).and_then(|v| v.trim().parse().ok())
}

async fn org_create(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> Result2 {
    let new = NewOrg {
        name: f.get("name").cloned().unwrap_or_default(),
        kind: f.get("kind").cloned().unwrap_or_default(),
        parent_id: id_field(&f, "parent_id"),
    };
    match state.app.create_org(&s.actor, &new).await {
        Ok(_) => Ok(Redirect::to("/admin/orgs?msg=created").into_response()),
        Err(e) => refused_on_orgs(&state, &s, e, f).await,
    }
}

async fn org_change(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> Result2 {
    let app = &state.app;
    let done = match f.get("op").map(String::as_str) {
        Some("rename") => app
            .rename_org(&s.actor, id, f.get("name").map_or("", String::as_str))
            .await
            .map(|()| "renamed"),
        Some("move") => match id_field(&f, "parent_id") {
            Some(p) => app.move_org(&s.actor, id, p).await.map(|()| "moved"),
            None => Err(AppError::Invalid("请选择新的上级单位".into())),
        },
        Some("deactivate") => app
            .deactivate_org(&s.actor, id)
            .await
            .map(|()| "deactivated"),
        Some("activate") => app.activate_org(&s.actor, id).await.map(|()| "activated"),
        _ => Err(AppError::Invalid("未知的操作".into())),
    };
    match done {
        Ok(msg) => Ok(Redirect::to(&format!("/admin/orgs?msg={msg}")).into_response()),
        Err(e) => refused_on_orgs(&state, &s, e, Fields::new()).await,
    }
}

async fn users_view(
    state: &AppState,
    s: &Session,
    message: Option<String>,
    error: Option<String>,
    typed: Fields,
) -> Result<UsersPage, WebError> {
    let users = page(state.app.admin_users(&s.actor).await)?;
    let orgs = page(state.app.admin_orgs(&s.actor).await)?
        .into_iter()
        .filter(|o| o.active)
        .map(|o| (o.id, format!("{}（{}）", o.name, o.kind_name)))
        .collect();
    Ok(UsersPage {
        nav: Nav::of(s),
        csrf: s.csrf.clone(),
        message,
        error,
        users,
        roles: Role::ADMINISTERED
            .iter()
            .map(|r| (r.code(), r.name()))
            .collect(),
        orgs,
        me: s.actor.user_id,
        typed,
    })
}

async fn users_page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<MsgQuery>,
) -> Result2 {
    let view = users_view(&state, &s, message_of(&q.msg), None, Fields::new()).await?;
    Ok(render(&view).into_response())
}

async fn refused_on_users(state: &AppState, s: &Session, e: AppError, typed: Fields) -> Result2 {
    match e {
        AppError::Invalid(_) | AppError::Taken(_) | AppError::NotFound(_) => {
            let status = crate::error::status(&e);
            let msg = crate::error::message(&e);
            let view = users_view(state, s, None, Some(msg), typed).await?;
            Ok(render(&view).with_status(status))
        }
        other => Err(WebError::page(other)),
    }
}

fn passwords_page(
    s: &Session,
    title: &str,
    users: Vec<(String, String, String, String)>,
) -> Response {
    render(&PasswordsPage {
        nav: Nav::of(s),
        title: title.to_string(),
        orgs: Vec::new(),
        users,
    })
    .into_response()
}

async fn user_create(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> Result2 {
    let new = NewAccount {
        username: f.get("username").cloned().unwrap_or_default(),
        role: f.get("role").cloned().unwrap_or_default(),
        org_id: id_field(&f, "org_id").unwrap_or_default(),
        display_name: f.get("display_name").cloned(),
    };
    match state.app.create_account(&s.actor, &new).await {
        Ok(OneTimePassword {
            username, password, ..
        }) => {
            let role = Role::from_code(&new.role)
                .map_or("", Role::name)
                .to_string();
            Ok(passwords_page(
                &s,
                "已新建账号",
                vec![(username, role, String::new(), password)],
            ))
        }
        Err(e) => refused_on_users(&state, &s, e, f).await,
    }
}

async fn user_change(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> Result2 {
    let app = &state.app;
    let done = match f.get("op").map(String::as_str) {
        Some("reset") => match app.reset_password(&s.actor, id).await {
            Ok(p) => {
                return Ok(passwords_page(
                    &s,
                    "已重置密码",
                    vec![(p.username, String::new(), String::new(), p.password)],
                ));
            }
            Err(e) => Err(e),
        },
        Some("disable") => app
            .set_disabled(&s.actor, id, true)
            .await
            .map(|()| "disabled"),
        Some("enable") => app
            .set_disabled(&s.actor, id, false)
            .await
            .map(|()| "enabled"),
        Some("role") => match Role::from_code(f.get("role").map_or("", String::as_str)) {
            Some(role) => app.set_role(&s.actor, id, role).await.map(|()| "role"),
            None => Err(AppError::Invalid("请选择角色".into())),
        },
        _ => Err(AppError::Invalid("未知的操作".into())),
    };
    match done {
        Ok(msg) => Ok(Redirect::to(&format!("/admin/users?msg={msg}")).into_response()),
        Err(e) => refused_on_users(&state, &s, e, Fields::new()).await,
    }
}

async fn import_page(
    State(state): State<AppState>,
    Posted(s, mut up, ..): PagePost<Upload>,
) -> Result2 {
    let Some((file, _, bytes)) = up.files.pop() else {
        let e = AppError::Invalid("请选择要导入的 Excel 文件".into());
        return refused_on_users(&state, &s, e, Fields::new()).await;
    };
    match state.app.import_directory(&s.actor, &file, &bytes).await {
        Ok(done) => Ok(render(&PasswordsPage {
            nav: Nav::of(&s),
            title: format!("已从“{file}”导入"),
            orgs: done.orgs,
            users: done
                .users
                .into_iter()
                .map(|u| (u.username, u.role_name.to_string(), u.org_name, u.password))
                .collect(),
        })
        .into_response()),
        Err(e) => refused_on_users(&state, &s, e, Fields::new()).await,
    }
}

async fn template(PageUser(s): PageUser) -> Result2 {
    if !s.actor.administers() {
        return Err(WebError::page(AppError::Forbidden(format!(
            "{}不能管理单位和用户",
            s.actor.role.name()
        ))));
    }
    let bytes = page(jixiao_app::directory::template())?;
    Ok(crate::pages::download(jixiao_app::service::Download {
        name: "单位和用户导入模板.xlsx".into(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    }))
}

async fn password_page(PageUser(s): PageUser, Query(q): Query<MsgQuery>) -> Result2 {
    Ok(render(&PasswordPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        forced: s.must_change_password,
        error: None,
        message: message_of(&q.msg),
    })
    .into_response())
}

async fn password_change(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> Result2 {
    let old = f.get("old_password").map_or("", String::as_str);
    let new = f.get("new_password").map_or("", String::as_str);
    let confirm = f.get("confirm_password").map_or("", String::as_str);
    let result = if new != confirm {
        Err(AppError::Invalid("两次输入的新密码不一致".into()))
    } else {
        state
            .app
            .change_password(&s.actor, &s.token, old, new)
            .await
    };
    match result {
        Ok(()) => Ok(Redirect::to("/password?msg=password").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::LockedOut { .. })) => {
            let status = crate::error::status(&e);
            Ok(render(&PasswordPage {
                nav: Nav::of(&s),
                csrf: s.csrf.clone(),
                forced: s.must_change_password,
                error: Some(crate::error::message(&e)),
                message: None,
            })
            .with_status(status))
        }
        Err(e) => Err(WebError::page(e)),
    }
}

// ── API ─────────────────────────────────────────────────────────────────────────────────────

async fn api_orgs(State(state): State<AppState>, ApiUser(s): ApiUser) -> Result2 {
    let orgs = api(state.app.admin_orgs(&s.actor).await)?;
    Ok(Json(json!({"orgs": orgs})).into_response())
}

async fn api_org_create(
    State(state): State<AppState>,
    Posted(s, Json(new), ..): ApiPost<Json<NewOrg>>,
) -> Result2 {
    let id = api(state.app.create_org(&s.actor, &new).await)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Debug, Deserialize)]
struct Rename {
    name: String,
}

async fn api_org_rename(
    State(state): State<AppState>,
    Posted(s, Json(body), Path(id), ..): ApiPost<Json<Rename>, Path<i64>>,
) -> Result2 {
    api(state.app.rename_org(&s.actor, id, &body.name).await)?;
    Ok(Json(json!({"id": id, "name": body.name.trim()})).into_response())
}

#[derive(Debug, Deserialize)]
struct Move {
    parent_id: i64,
}

async fn api_org_move(
    State(state): State<AppState>,
    Posted(s, Json(body), Path(id), ..): ApiPost<Json<Move>, Path<i64>>,
) -> Result2 {
    api(state.app.move_org(&s.actor, id, body.parent_id).await)?;
    Ok(Json(json!({"id": id, "parent_id": body.parent_id})).into_response())
}

async fn api_org_deactivate(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> Result2 {
    api(state.app.deactivate_org(&s.actor, id).await)?;
    Ok(Json(json!({"id": id, "active": false})).into_response())
}

async fn api_org_activate(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> Result2 {
    api(state.app.activate_org(&s.actor, id).await)?;
    Ok(Json(json!({"id": id, "active": true})).into_response())
}

async fn api_users(State(state): State<AppState>, ApiUser(s): ApiUser) -> Result2 {
    let users = api(state.app.admin_users(&s.actor).await)?;
    Ok(Json(json!({"users": users})).into_response())
}

async fn api_user_create(
    State(state): State<AppState>,
    Posted(s, Json(new), ..): ApiPost<Json<NewAccount>>,
) -> Result2 {
    let made = api(state.app.create_account(&s.actor, &new).await)?;
    Ok((StatusCode::CREATED, Json(made)).into_response())
}

async fn api_user_reset(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> Result2 {
    let made = api(state.app.reset_password(&s.actor, id).await)?;
    Ok(Json(made).into_response())
}

async fn api_user_disable(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> Result2 {
    api(state.app.set_disabled(&s.actor, id, true).await)?;
    Ok(Json(json!({"id": id, "disabled": true})).into_response())
}

async fn api_user_enable(
    State(state): State<AppState>,
    Posted(s, (), Path(id), ..): ApiPost<(), Path<i64>>,
) -> Result2 {
    api(state.app.set_disabled(&s.actor, id, false).await)?;
    Ok(Json(json!({"id": id, "disabled": false})).into_response())
}

#[derive(Debug, Deserialize)]
struct RoleBody {
    role: String,
}

async fn api_user_role(
    State(state): State<AppState>,
    Posted(s, Json(body), Path(id), ..): ApiPost<Json<RoleBody>, Path<i64>>,
) -> Result2 {
    let role = Role::from_code(body.role.trim()).ok_or_else(|| {
        WebError::api(AppError::Invalid(format!(
            "未知的角色代码“{}”：可用 filer、unit_head、supervisor、finance、admin",
            body.role
        )))
    })?;
    api(state.app.set_role(&s.actor, id, role).await)?;
    Ok(Json(json!({"id": id, "role": role})).into_response())
}

async fn api_import(
    State(state): State<AppState>,
    Posted(s, mut up, ..): ApiPost<Upload>,
) -> Result2 {
    let (file, _, bytes) = up
        .files
        .pop()
        .ok_or_else(|| WebError::api(AppError::Invalid("缺少文件字段 file".into())))?;
    let done = api(state.app.import_directory(&s.actor, &file, &bytes).await)?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

#[derive(Debug, Deserialize)]
struct PasswordBody {
    old_password: String,
    new_password: String,
}

async fn api_password(
    State(state): State<AppState>,
    Posted(s, Json(body), ..): ApiPost<Json<PasswordBody>>,
) -> Result2 {
    api(state
        .app
        .change_password(&s.actor, &s.token, &body.old_password, &body.new_password)
        .await)?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}
