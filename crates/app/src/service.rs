//! [`App`]: the use cases over the store. Every method that touches a form takes the [`Actor`]
//! and asks [`access::authorize`] before anything else.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use jixiao_core::audit::targets::is_review;
use jixiao_core::form::Form;
use jixiao_core::scoring::ScoringPolicy;
use jixiao_recognize::Limits;
use jixiao_store::clock::Clock;
use jixiao_store::forms::NewAttachment;
use jixiao_store::forms::{
    AttachmentRow, EventRow, Filing, FormFilter, FormListRow, NewForm, NoteRow, PageRequest,
    Reviewed, Save, Summary, Transition,
};
use jixiao_store::log::{Author, Entry, Verification};
use jixiao_store::orgs::{OrgRow, ProjectRow, YearRow};
use jixiao_store::{Store, StoreError};
use serde::Serialize;

use crate::AppError;
use crate::access::{self, Actor, Operation};
use crate::assess::{Assessment, assess_with};
use crate::config::Settings;
use crate::dashboard::{self, Dashboard};
use crate::diff;
use crate::files::{self, Format};
use crate::filing::{self, Existing, ImportChoice, OnDuplicate};
use crate::kind::{self, FormKind};
use crate::parsing::ParseGate;
use crate::password;
use crate::readings::Incoming;
use crate::role::Role;
use crate::row::{FormRow, kind_of, stage_of};
use crate::settings::YearSettings;
use crate::total::{self, TotalBasis};
use crate::validate;
use crate::workflow::{self, Action, Stage};

/// The application: the store, the instance's settings, the scoring policy and the import
/// limits.
#[derive(Debug, Clone)]
pub struct App {
    /// The database: private, so every read and write goes through a use case that has
    /// authorised it.
    pub(crate) store: Store,
    /// The scoring policy of the region.
    pub policy: ScoringPolicy,
    /// Dashboards computed since the database last changed.
    dashboards: DashboardCache,
    /// The indicator library since the database last changed.
    pub(crate) library: crate::library::LibraryCache,
    /// Uploads parsed at once and queued.
    pub parsing: ParseGate,
    /// The instance's settings, as loaded at start.
    settings: Arc<Settings>,
}

/// Dashboards by (organisation, role, year, today), each with the change count it was computed
/// at: a view reuses the figures until the next change anywhere (every write bumps the change
/// log's count, whichever instance makes it), so the bureau's views between changes cost one
/// small read.
#[derive(Debug, Clone, Default)]
struct DashboardCache {
    kept: Arc<Mutex<HashMap<DashboardKey, Cached>>>,
    /// Held while one dashboard is computed: viewers arriving meanwhile wait for it and take
    /// its figures instead of reading the region again side by side.
    computing: Arc<tokio::sync::Mutex<()>>,
}

/// (organisation, role, year, today).
type DashboardKey = (i64, Role, i64, String);

/// A dashboard with the change count it was computed at.
type Cached = (i64, Arc<Dashboard>);

impl DashboardCache {
    /// Kept dashboards at most (a region has a handful of bureau roles and years).
    const CAPACITY: usize = 64;

    fn get(&self, key: &DashboardKey, changes: i64) -> Option<Arc<Dashboard>> {
        let map = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(key)
            .filter(|(at, _)| *at == changes)
            .map(|(_, d)| Arc::clone(d))
    }

    fn put(&self, key: DashboardKey, changes: i64, dashboard: Arc<Dashboard>) {
        let mut map = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= Self::CAPACITY {
            map.retain(|_, (at, _)| *at == changes);
        }
        if map.len() < Self::CAPACITY {
            map.insert(key, (changes, dashboard));
        }
    }
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The token the cookie carries.
    pub token: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// Who.
    pub actor: Actor,
    /// True while the user signed in with a one-time password and must change it: until
    /// then the front ends allow only the password change and logout.
    pub must_change_password: bool,
}

/// A form as a page or the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    /// The list row (id, unit, year, kind, stage, version, figures).
    pub head: FormRow,
    /// The form itself.
    pub form: Form,
    /// Its kind.
    pub kind: FormKind,
    /// Its stage.
    pub stage: Stage,
    /// Score, grade and findings.
    pub assessment: Assessment,
    /// The unit's name.
    pub org_name: String,
    /// The workflow steps the actor may take now.
    pub actions: Vec<Action>,
    /// True when the actor may change the content now.
    pub editable: bool,
    /// True when the actor may delete the form now (the unit's filer, while it is a draft).
    pub deletable: bool,
    /// Where the total of `head` comes from, for scored forms.
    pub total_basis: Option<TotalBasis>,
    /// How the total relates to the computed score (and how that was rescaled), in sentences.
    pub total_explained: Vec<String>,
    /// The explanations of this version's audit findings given when it was sent on.
    pub notes: Vec<NoteRow>,
    /// The deadline of its year and kind, when the year sets one.
    pub deadline: Option<Deadline>,
    /// For a declaration: last year's target and actual beside each indicator row.
    pub last_year: Vec<Option<jixiao_core::library::LastYear>>,
    /// For a project declaration: the project's ex-ante assessment (事前绩效评估).
    pub ex_ante: Option<crate::ex_ante::ExAnteLink>,
    /// For a project declaration: the year requires an admitting ex-ante assessment.
    pub ex_ante_required: bool,
}

/// What a workflow step carries besides the action.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    /// The reason (returns and voiding need one; sending on with errors takes it as the one
    /// explanation for all of them; adopting the computed score needs one).
    pub reason: Option<String>,
    /// At 审定: adopt Jixiao's computed score as the form's total instead of the stated one.
    pub adopt_computed: bool,
    /// Explanations of audit errors by finding key (`code@field`), given when sending on.
    pub notes: Vec<(String, String)>,
}

/// The key of an audit finding, as explanations name it: `A02@funds.rows[0].executed`.
pub fn finding_key(f: &jixiao_core::audit::Finding) -> String {
    format!("{}@{}", f.code, f.location.file)
}

/// Something waiting for the user.
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    /// The form.
    pub form: FormRow,
    /// The unit's name.
    pub org_name: String,
    /// What to do (`填写`, `确认`, `审核` …).
    pub what: String,
    /// The reason it came back, for returned forms.
    pub reason: Option<String>,
    /// The deadline of the form's year and kind, if set.
    pub deadline: Option<String>,
    /// Days past the deadline, when it has passed.
    pub overdue_days: Option<i64>,
}

/// The deadline a form of `kind` has in its year: 目标申报's for declarations, 运行监控's for
/// monitoring, 绩效自评's for self-evaluations, transfer-payment forms and the report. An
/// ex-ante assessment comes before its declaration, so the declaration's deadline binds it.
fn deadline_in(year: &YearRow, kind: FormKind) -> Option<String> {
    match kind {
        FormKind::ExAnteAssessment | FormKind::ProjectTarget | FormKind::DepartmentTarget => {
            year.declaration_deadline.clone()
        }
        FormKind::Monitoring => year.monitoring_deadline.clone(),
        FormKind::ProjectSelfEvaluation
        | FormKind::DepartmentSelfEvaluation
        | FormKind::TransferPayment
        | FormKind::Report => year.self_evaluation_deadline.clone(),
    }
}

/// A form's deadline as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The date (`2026-03-31`).
    pub date: String,
    /// Days past it, while the unit has not handed the form over.
    pub overdue_days: Option<i64>,
}

/// Days from `deadline` (`2026-03-31`) to `today`, when `today` is later.
fn days_overdue(deadline: &str, today: &str) -> Option<i64> {
    let date = |text: &str| {
        let mut parts = text.splitn(3, '-').map(|p| p.parse::<i32>().ok());
        let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
        let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
        time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
    };
    let days = (date(today)? - date(deadline)?).whole_days();
    (days > 0).then_some(days)
}

#[cfg(test)]
mod urgency {
    use super::days_overdue;

    #[test]
    fn days_past_a_deadline() {
        assert_eq!(days_overdue("2026-03-31", "2026-04-02"), Some(2));
        assert_eq!(days_overdue("2026-03-31", "2026-03-31"), None);
        assert_eq!(
            days_overdue("2024-02-28", "2024-03-01"),
            Some(2),
            "a leap year"
        );
        assert_eq!(days_overdue("明年", "2026-03-31"), None);
    }
}

/// Forms listed on the home page's 待办 at most.
pub const TODO_SHOWN: u32 = 200;

/// The 待办 list: its first items and how many there are in all.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TodoList {
    /// Rectifications waiting for the actor: the unit's open ones to answer, for the bureau the
    /// answered ones to close; overdue first, then by deadline.
    pub fixes: Vec<Todo>,
    /// The first [`TODO_SHOWN`] forms, most urgent first: returned ones, then overdue ones
    /// (longest overdue first), then by deadline.
    pub items: Vec<Todo>,
    /// Everything waiting, shown or not.
    pub total: usize,
}

/// What an upload produced.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    /// Forms created or updated: (id, kind name, name).
    pub forms: Vec<(i64, String, String)>,
    /// How many values were recognized.
    pub recognized_fields: usize,
    /// Content no recognizer understood (where: what).
    pub unrecognized: Vec<String>,
    /// Values present but unreadable, and reader warnings.
    pub warnings: Vec<String>,
    /// Forms in the file that this system does not keep (project lists, evaluation tables …).
    pub skipped: Vec<String>,
    /// Forms whose content the file replaced: (id, version before, version after).
    pub replaced: Vec<(i64, i64, i64)>,
    /// The fields an import into a form changed.
    pub changes: Vec<diff::Change>,
    /// The differences between the file and where it went that the user confirmed.
    pub confirmed: Vec<filing::Difference>,
}

/// One page of a list of forms.
#[derive(Debug, Clone, Serialize)]
pub struct FormPage {
    /// The rows of the page.
    pub rows: Vec<FormRow>,
    /// Forms matching in all pages.
    pub total: i64,
    /// Forms matching per stage, in workflow order (stages without forms left out).
    pub stages: Vec<(Stage, i64)>,
}

/// A file to download.
#[derive(Debug, Clone)]
pub struct Download {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

pub(crate) fn author(actor: &Actor) -> Author {
    Author {
        user_id: Some(actor.user_id),
        username: actor.username.clone(),
    }
}

pub(crate) fn parse_form(id: i64, data: &str) -> Result<Form, AppError> {
    Form::from_json(data)
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("表单 {id}：{e}"))))
}

/// A stored form's JSON (the current data or a kept version) as a value, for diffs.
fn stored_json(id: i64, data: &str) -> Result<serde_json::Value, AppError> {
    serde_json::from_str(data)
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("表单 {id}：{e}"))))
}

impl App {
    /// Opens the database at `url` and migrates it.
    pub async fn open(url: &str) -> Result<App, AppError> {
        App::open_with_clock(url, Clock::system()).await
    }

    /// [`App::open`] on `clock` instead of the machine's clock (tests set the time).
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<App, AppError> {
        let settings = Settings {
            database: url.to_string(),
            ..Settings::default()
        };
        App::open_with(settings, clock).await
    }

    /// The application as `settings` configure it (its database among them), on `clock`.
    pub async fn open_with(settings: Settings, clock: Clock) -> Result<App, AppError> {
        files::use_font_dirs(&settings.fonts.dirs);
        let parsing = match settings.uploads.parse_workers {
            Some(workers) => ParseGate::new(workers, settings.uploads.parse_queue),
            None => ParseGate::with_queue(settings.uploads.parse_queue),
        };
        let app = App {
            store: Store::open_with_clock(&settings.database, clock).await?,
            policy: ScoringPolicy::default(),
            dashboards: DashboardCache::default(),
            library: Default::default(),
            parsing,
            settings: Arc::new(settings),
        };
        app.refresh_totals().await?;
        Ok(app)
    }

    /// Gives forms saved before totals had a basis their one total (the stated total before
    /// review; what was shown at review for forms already approved), in batches.
    async fn refresh_totals(&self) -> Result<(), AppError> {
        loop {
            let batch = self.store.forms_without_basis(500).await?;
            if batch.is_empty() {
                return Ok(());
            }
            for (id, year, stage, data) in batch {
                let form = parse_form(id, &data)?;
                let settings = self.year_settings(year).await?;
                let Some(scored) = form
                    .self_evaluation()
                    .map(|s| jixiao_core::scoring::score(s, &settings.scoring))
                else {
                    self.store.set_total(id, None, None, "none").await?;
                    continue;
                };
                // An approved form kept the computed total it was approved with.
                let approved = Stage::from_code(&stage).is_some_and(Stage::approved);
                let official = total::reviewed(&form, &scored, &settings.scoring, approved);
                let basis = if approved {
                    TotalBasis::Adopted
                } else {
                    official.basis
                };
                self.store
                    .set_total(
                        id,
                        Some(&official.total.to_string()),
                        Some(official.grade.name()),
                        basis.code(),
                    )
                    .await?;
            }
        }
    }

    /// The settings the application was opened with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What reading one uploaded file may cost, as the settings say.
    pub fn limits(&self) -> Limits {
        self.settings.limits()
    }

    /// The clock the application runs on.
    pub fn clock(&self) -> &Clock {
        self.store.clock()
    }

    /// Today in Beijing time (`2026-11-29`).
    pub fn today(&self) -> String {
        self.clock().today()
    }

    /// This year in Beijing time.
    pub fn this_year(&self) -> i64 {
        self.clock().year()
    }

    /// Which database is behind the application.
    pub fn backend(&self) -> jixiao_store::Backend {
        self.store.backend()
    }

    /// Closes the database's connections (waits for checked-out ones).
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// What `actor` may do from their own organisation: the pages show what this allows.
    pub async fn rights(&self, actor: &Actor) -> Result<access::Rights, AppError> {
        self.rights_at(actor, actor.org_id).await
    }

    /// What `actor` may do for the organisation `org_id` (a form's unit, an evaluated unit).
    pub async fn rights_at(&self, actor: &Actor, org_id: i64) -> Result<access::Rights, AppError> {
        let chain = self.chain(org_id).await?;
        Ok(access::Rights::of(actor, &chain))
    }

    /// Refuses unless `actor` may perform `operation` at their own organisation.
    pub async fn require(&self, actor: &Actor, operation: Operation) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        Ok(access::authorize(actor, operation, &chain)?)
    }

    /// A fiscal year's settings (the defaults when the year has none).
    pub async fn year_settings(&self, year: i64) -> Result<YearSettings, AppError> {
        match self.store.year_settings(year).await? {
            Some(json) => Ok(YearSettings::from_json(&json)?),
            None => Ok(YearSettings {
                scoring: self.policy.clone(),
                ..YearSettings::default()
            }),
        }
    }

    /// Scores, audits and lights a form under its year's policies.
    pub async fn assess_in(&self, form: &Form, year: i64) -> Result<Assessment, AppError> {
        let settings = self.year_settings(year).await?;
        Ok(assess_with(form, &settings.scoring, &settings.monitoring))
    }

    // ── sessions ────────────────────────────────────────────────────────────────────────

    /// Signs a user in. Five failures within 15 minutes lock the name (known or not) for the
    /// rest of the window; the answer never tells which of name and password was wrong.
    pub async fn login(&self, username: &str, password: &str) -> Result<Session, AppError> {
        let username = username.trim();
        let window = self.settings.lockout_window_ms();
        let (failures, last) = self.store.login_failures(username, window).await?;
        if failures >= i64::from(self.settings.lockout.failures) {
            let until = last.unwrap_or_default() + window;
            let minutes = ((until - self.clock().now_ms()) / 60_000).max(1);
            return Err(AppError::LockedOut { minutes });
        }
        let user = self.store.user_by_name(username).await?;
        let ok = match &user {
            Some(u) => password::verify(password, &u.password_hash),
            None => {
                // Same work for unknown names, so timing does not tell them apart.
                // The answer is false whatever the dummy says: only the work matters.
                let _same_work = password::verify(password, dummy_hash()?);
                false
            }
        };
        let Some(user) = user.filter(|_| ok) else {
            self.store.record_login_failure(username, window).await?;
            tracing::info!(username, "login failed");
            return Err(AppError::BadCredentials);
        };
        self.store.clear_login_failures(username).await?;
        // Told only to whoever knows the password: a disabled account is not probed by name.
        if user.disabled != 0 {
            tracing::info!(username, "login refused: account disabled");
            return Err(AppError::AccountDisabled);
        }
        let token = password::random_hex(32)?;
        let csrf = password::random_hex(32)?;
        self.store
            .create_session(&token, user.id, &csrf, self.settings.session_ttl_ms())
            .await?;
        tracing::info!(username, "login");
        let (actor, must_change_password) = self.account_of(user.id).await?;
        Ok(Session {
            token,
            csrf,
            actor,
            must_change_password,
        })
    }

    /// The session of a token (expired or unknown: [`AppError::Unauthenticated`]).
    pub async fn session(&self, token: &str) -> Result<Session, AppError> {
        let row = self
            .store
            .session(token)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let user = self.store.user(row.user_id).await?;
        if user.disabled != 0 {
            // Disabling ends the sessions; a session that outlived it still opens nothing.
            self.store.delete_session(token).await?;
            return Err(AppError::Unauthenticated);
        }
        let must_change_password = user.must_change_password != 0;
        Ok(Session {
            token: token.to_string(),
            csrf: row.csrf_token,
            actor: self.actor_from(user).await?,
            must_change_password,
        })
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(token).await?)
    }

    /// The actor of a user, as a session would have them.
    pub(crate) async fn actor_of(&self, user_id: i64) -> Result<Actor, AppError> {
        Ok(self.account_of(user_id).await?.0)
    }

    /// A user as an [`Actor`], and whether they must change a one-time password.
    async fn account_of(&self, user_id: i64) -> Result<(Actor, bool), AppError> {
        let user = self.store.user(user_id).await?;
        let must_change = user.must_change_password != 0;
        Ok((self.actor_from(user).await?, must_change))
    }

    async fn actor_from(&self, user: jixiao_store::orgs::UserRow) -> Result<Actor, AppError> {
        let org = self.store.org(user.org_id).await?;
        let role = Role::from_code(&user.role).ok_or_else(|| {
            AppError::Store(StoreError::Corrupt(format!(
                "用户 {} 的角色“{}”",
                user.username, user.role
            )))
        })?;
        Ok(Actor {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            role,
            org_id: org.id,
            org_name: org.name,
        })
    }

    // ── organisations ───────────────────────────────────────────────────────────────────

    /// An organisation and its ancestors, itself first.
    pub async fn chain(&self, org_id: i64) -> Result<Vec<i64>, AppError> {
        let mut chain = vec![org_id];
        let mut at = self.store.org(org_id).await?;
        while let Some(parent) = at.parent_id {
            if chain.contains(&parent) || chain.len() > 16 {
                break;
            }
            chain.push(parent);
            at = self.store.org(parent).await?;
        }
        Ok(chain)
    }

    /// The organisations whose forms the actor may see.
    pub async fn visible_orgs(&self, actor: &Actor) -> Result<Vec<OrgRow>, AppError> {
        // Every grant reaches the user's own organisation or what lies below it
        // (`access::Reach`), so only that subtree is read: a unit's filer reads one row, not
        // the region's thousands. Each candidate is still decided by `access::allows` on its
        // full chain (its path up to the user's organisation, then the user's own ancestors).
        let orgs = self.store.org_subtree(actor.org_id).await?;
        let above = self.chain(actor.org_id).await?;
        let parents: std::collections::HashMap<i64, Option<i64>> =
            orgs.iter().map(|o| (o.id, o.parent_id)).collect();
        let chain_of = |id: i64| {
            let mut chain = vec![id];
            let mut at = id;
            while at != actor.org_id {
                match parents.get(&at) {
                    Some(&Some(p)) if !chain.contains(&p) && chain.len() <= 16 => {
                        chain.push(p);
                        at = p;
                    }
                    _ => break,
                }
            }
            if at == actor.org_id {
                chain.extend(above.iter().skip(1));
            }
            chain
        };
        Ok(orgs
            .iter()
            .filter(|o| access::allows(actor, Operation::View, &chain_of(o.id)))
            .cloned()
            .collect())
    }

    pub(crate) async fn authorize_form(
        &self,
        actor: &Actor,
        op: Operation,
        head: &FormListRow,
    ) -> Result<(), AppError> {
        // An expert sees what is assigned to them, not what lies below their organisation.
        if actor.role == Role::Expert && self.expert_access(actor, op, head).await?.is_some() {
            return Ok(());
        }
        let chain = self.chain(head.org_id).await?;
        Ok(access::authorize(actor, op, &chain)?)
    }

    // ── forms ───────────────────────────────────────────────────────────────────────────

    /// The forms the actor may see, narrowed by `filter` (its `org_ids` can only narrow).
    pub async fn list_forms(
        &self,
        actor: &Actor,
        filter: &FormFilter,
    ) -> Result<Vec<FormListRow>, AppError> {
        let filter = self.visible_filter(actor, filter).await?;
        Ok(self.store.forms(&filter).await?)
    }

    /// One page of the forms the actor may see, narrowed by `filter`, with how many match in
    /// all and per stage — what a list of the region's thousands of forms shows.
    pub async fn list_page(
        &self,
        actor: &Actor,
        filter: &FormFilter,
        page: PageRequest,
    ) -> Result<FormPage, AppError> {
        let filter = self.visible_filter(actor, filter).await?;
        let rows = self.store.forms_page(&filter, Some(page)).await?;
        let mut stages: Vec<(Stage, i64)> = self
            .store
            .form_counts(&filter)
            .await?
            .into_iter()
            .filter_map(|(code, n)| Some((Stage::from_code(&code)?, n)))
            .collect();
        stages.sort_by_key(|(st, _)| Stage::ALL.iter().position(|s| s == st));
        Ok(FormPage {
            total: stages.iter().map(|(_, n)| n).sum(),
            rows: FormRow::all(&rows)?,
            stages,
        })
    }

    /// `filter` narrowed to the units the actor may see.
    async fn visible_filter(
        &self,
        actor: &Actor,
        filter: &FormFilter,
    ) -> Result<FormFilter, AppError> {
        if actor.role == Role::Expert {
            return Ok(FormFilter {
                ids: Some(self.assigned_forms(actor).await?),
                ..filter.clone()
            });
        }
        let visible = self.visible_orgs(actor).await?;
        self.narrowed(&visible, filter).await
    }

    /// `filter` narrowed to the `visible` organisations.
    async fn narrowed(
        &self,
        visible: &[OrgRow],
        filter: &FormFilter,
    ) -> Result<FormFilter, AppError> {
        let visible: HashSet<i64> = visible.iter().map(|o| o.id).collect();
        let org_ids = match &filter.org_ids {
            Some(wanted) => Some(
                wanted
                    .iter()
                    .copied()
                    .filter(|id| visible.contains(id))
                    .collect(),
            ),
            // Someone who sees every organisation (the bureau at the top of the region) needs
            // no list of them: the database answers faster without one.
            None if visible.len() as i64 == self.store.org_count().await? => None,
            None => {
                let mut all: Vec<i64> = visible.into_iter().collect();
                all.sort_unstable();
                Some(all)
            }
        };
        Ok(FormFilter {
            org_ids,
            ..filter.clone()
        })
    }

    /// A form with its computed figures and what the actor may do with it.
    pub async fn form(&self, actor: &Actor, id: i64) -> Result<FormView, AppError> {
        let row = self.store.form(id).await?;
        self.authorize_form(actor, Operation::View, &row.head)
            .await?;
        self.log_view(actor, id, "查看").await?;
        let form = parse_form(id, &row.data)?;
        self.view(actor, row.head, form, row.total_basis.as_deref())
            .await
    }

    async fn view(
        &self,
        actor: &Actor,
        head: FormListRow,
        form: Form,
        total_basis: Option<&str>,
    ) -> Result<FormView, AppError> {
        let head = FormRow::of(&head)?;
        let (stage, kind) = (head.stage, head.kind);
        let chain = self.chain(head.org_id).await?;
        let actions = workflow::available(stage, actor.role)
            .into_iter()
            .filter(|a| access::allows(actor, Operation::Act(*a), &chain))
            .collect();
        let may_edit = access::allows(actor, Operation::Edit, &chain);
        let editable = stage.editable() && may_edit;
        let org_name = self.store.org(head.org_id).await?.name;
        let settings = self.year_settings(head.year).await?;
        let mut assessment = assess_with(&form, &settings.scoring, &settings.monitoring);
        // A declaration's targets are reviewed against the library and last year's values.
        let review = self.review_of(&head, &form).await?;
        assessment.findings.extend(review.findings);
        let ex_ante = self.ex_ante_of(&head, &settings).await?;
        let total_basis = total_basis.and_then(TotalBasis::from_code);
        let total_explained = match (&assessment.scored, head.total, head.grade, total_basis) {
            (Some(scored), Some(total), Some(grade), Some(basis)) => total::explain(
                &total::Official {
                    total,
                    grade,
                    basis,
                },
                scored,
                &settings.scoring,
            ),
            _ => Vec::new(),
        };
        let notes = self.store.notes(head.id, head.version).await?;
        let deadline = self
            .store
            .years()
            .await?
            .iter()
            .find(|y| y.year == head.year)
            .and_then(|y| deadline_in(y, kind))
            .map(|date| Deadline {
                overdue_days: (!stage.submitted() && stage != Stage::Voided)
                    .then(|| days_overdue(&date, &self.today()))
                    .flatten(),
                date,
            });
        Ok(FormView {
            deadline,
            deletable: stage == Stage::Draft && may_edit,
            head,
            form,
            kind,
            stage,
            assessment,
            org_name,
            actions,
            editable,
            total_basis,
            total_explained,
            notes,
            last_year: review.last_year,
            ex_ante,
            ex_ante_required: settings.require_ex_ante && kind == FormKind::ProjectTarget,
        })
    }

    /// Scores and audits a form without saving it (live figures while the user types). The
    /// actor must be allowed to edit the form.
    pub async fn preview(&self, actor: &Actor, id: i64, form: Form) -> Result<FormView, AppError> {
        // The live preview runs on every keystroke: the list row is all it reads.
        let mut head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        self.check_kind(&head, &form)?;
        let settings = self.year_settings(head.year).await?;
        let basis = self.summarize_with(&form, &settings, &mut head);
        self.view(actor, head, form, basis.as_deref()).await
    }

    pub(crate) fn check_kind(&self, head: &FormListRow, form: &Form) -> Result<(), AppError> {
        if FormKind::of(form).map(FormKind::code) != Some(head.kind.as_str()) {
            let expected = FormKind::from_code(&head.kind).map_or("", FormKind::name);
            return Err(AppError::Invalid(format!(
                "表单类型不符：此表单是“{expected}”，提交的是“{}”",
                form.title()
            )));
        }
        Ok(())
    }

    /// Creates a form of `kind` for the actor's unit. A self-evaluation starts from the
    /// declaration of the same project (or the unit's department declaration) when there is
    /// one; otherwise the form starts blank with the standard indicator tree.
    pub async fn create_form(
        &self,
        actor: &Actor,
        kind: FormKind,
        year: u16,
        project: &str,
    ) -> Result<i64, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::Create, &chain)?;
        let project = project.trim();
        if kind.is_project() && project.is_empty() {
            return Err(AppError::Invalid("请填写项目名称".to_string()));
        }
        let by = author(actor);
        let project_id = if kind.is_project() {
            Some(
                self.store
                    .ensure_project(actor.org_id, i64::from(year), project, &by)
                    .await?,
            )
        } else {
            None
        };
        let name = if kind.is_project() {
            project.to_string()
        } else {
            actor.org_name.clone()
        };
        let existing = self
            .duplicates_of(actor.org_id, kind, &name, i64::from(year), None)
            .await?;
        if !existing.is_empty() {
            return Err(AppError::Duplicate(existing));
        }
        let mut form = kind::blank(kind, year, &actor.org_name, project);
        // A self-evaluation starts from this year's declaration of the project; a declaration
        // from last year's of the same project (or department).
        let from = match kind.declaration() {
            Some(declared) => Some((declared, year)),
            None if matches!(kind, FormKind::ProjectTarget | FormKind::DepartmentTarget) => {
                Some((kind, year.saturating_sub(1)))
            }
            None => None,
        };
        if let Some((from_kind, from_year)) = from {
            let found = self
                .store
                .forms(&FormFilter {
                    org_ids: Some(vec![actor.org_id]),
                    year: Some(i64::from(from_year)),
                    kind: Some(from_kind.code().to_string()),
                    ..FormFilter::default()
                })
                .await?;
            let this_year = from_year == year;
            let same = |d: &&FormListRow| match this_year {
                true => d.project_id == project_id,
                false => d.name == name,
            };
            if let Some(d) = found.iter().find(same) {
                let previous = parse_form(d.id, &self.store.form(d.id).await?.data)?;
                let started = match this_year {
                    true => kind::self_evaluation_from(&previous, year),
                    false => kind::declaration_from_last_year(&previous, year),
                };
                form = started.unwrap_or(form);
            }
        }
        self.insert(actor, form, i64::from(year), project_id).await
    }

    async fn insert(
        &self,
        actor: &Actor,
        form: Form,
        year: i64,
        project_id: Option<i64>,
    ) -> Result<i64, AppError> {
        let new = self.new_form(actor, form, year, project_id).await?;
        Ok(self.store.create_form(&new, &author(actor)).await?)
    }

    /// A new draft of the actor's unit with its computed figures.
    async fn new_form(
        &self,
        actor: &Actor,
        form: Form,
        year: i64,
        project_id: Option<i64>,
    ) -> Result<NewForm, AppError> {
        let kind = FormKind::of(&form)
            .ok_or_else(|| AppError::Invalid(format!("系统不保存“{}”", form.title())))?;
        let summary = self.summarize(&form, year).await?;
        Ok(NewForm {
            org_id: actor.org_id,
            year,
            project_id,
            kind: kind.code().to_string(),
            name: kind::name_of(&form),
            stage: Stage::Draft.code().to_string(),
            data: files::form_json(&form)?,
            summary,
        })
    }

    /// The figures a list shows for `form` in `year`, its total as before review.
    async fn summarize(&self, form: &Form, year: i64) -> Result<Summary, AppError> {
        let settings = self.year_settings(year).await?;
        let assessment = assess_with(form, &settings.scoring, &settings.monitoring);
        Ok(assessment.summary(form, &settings.scoring))
    }

    /// Puts the figures of `form` (as before review) into `head`; returns the total's basis.
    fn summarize_with(
        &self,
        form: &Form,
        settings: &crate::settings::YearSettings,
        head: &mut FormListRow,
    ) -> Option<String> {
        let summary = assess_with(form, &settings.scoring, &settings.monitoring)
            .summary(form, &settings.scoring);
        head.total = summary.total;
        head.grade = summary.grade;
        head.errors = summary.errors;
        head.warnings = summary.warnings;
        head.light = summary.light;
        head.rate = summary.rate;
        head.codes = summary.codes;
        summary.total_basis
    }

    /// Saves a form as typed over version `based_on`. Values that cannot be true are refused
    /// by field ([`AppError::Refused`]); a save based on an older version is refused with what
    /// changed since, and by whom.
    pub async fn save(
        &self,
        actor: &Actor,
        id: i64,
        based_on: i64,
        form: Form,
    ) -> Result<i64, AppError> {
        let problems = validate::check(&form);
        if !problems.is_empty() {
            return Err(AppError::Refused(problems));
        }
        self.save_content(actor, id, based_on, form, None).await
    }

    /// Saves content over version `based_on` (typed, imported or restored from
    /// `restored_from`).
    async fn save_content(
        &self,
        actor: &Actor,
        id: i64,
        based_on: i64,
        form: Form,
        restored_from: Option<i64>,
    ) -> Result<i64, AppError> {
        let row = self.store.form(id).await?;
        self.authorize_form(actor, Operation::Edit, &row.head)
            .await?;
        let stage = stage_of(&row.head)?;
        if !stage.editable() {
            return Err(AppError::Workflow(format!(
                "表单当前为“{}”，不能修改（草稿或被退回时才能修改）",
                stage.name()
            )));
        }
        self.check_kind(&row.head, &form)?;
        let why = restored_from.map(|v| ("restored_from", v));
        self.write_version(actor, &row, based_on, &form, why).await
    }

    /// Writes `form` as the next version of the stored form `row` (based on `based_on`), the
    /// change log naming what changed and, with `why`, where the change came from
    /// (`restored_from` a version, an approved `adjustment`). The caller has decided that the
    /// actor may.
    pub(crate) async fn write_version(
        &self,
        actor: &Actor,
        row: &jixiao_store::forms::FormRow,
        based_on: i64,
        form: &Form,
        why: Option<(&str, i64)>,
    ) -> Result<i64, AppError> {
        let id = row.head.id;
        let data = files::form_json(form)?;
        // The change log records old → new: both must be the real data.
        let old = stored_json(id, &row.data)?;
        let new: serde_json::Value =
            serde_json::from_str(&data).map_err(|e| AppError::unwritable("表单", e))?;
        let changes = diff::changes(&old, &new);
        let summary = self.summarize(form, row.head.year).await?;
        let mut changes_json =
            serde_json::to_value(&changes).map_err(|e| AppError::unwritable("修改记录", e))?;
        if let Some((source, v)) = why {
            changes_json = serde_json::json!({source: v, "changes": changes_json});
        }
        let name = kind::name_of(form);
        let save = Save {
            id,
            based_on,
            name: &name,
            data: &data,
            summary: &summary,
            changes: &changes_json,
        };
        match self.store.save_form(&save, &author(actor)).await {
            Ok(version) => Ok(version),
            Err(StoreError::Conflict { based_on, current }) => {
                Err(self.conflict(id, based_on, current).await)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The conflict error for a save based on `based_on` when the form is at `current`; a
    /// failure reading what changed is that failure (logged), never a conflict message.
    async fn conflict(&self, id: i64, based_on: i64, current: i64) -> AppError {
        match self.conflict_of(id, based_on, current).await {
            Ok(conflict) => conflict,
            Err(e) => {
                tracing::error!(form = id, based_on, current, error = %e, "reading a conflicting save's changes failed");
                e
            }
        }
    }

    async fn conflict_of(
        &self,
        id: i64,
        based_on: i64,
        current: i64,
    ) -> Result<AppError, AppError> {
        let version = |v: i64| async move {
            match self.store.form_version(id, v).await {
                Ok(data) => stored_json(id, &data).map(Some),
                Err(StoreError::NotFound(_)) => Ok(None),
                Err(e) => Err(AppError::Store(e)),
            }
        };
        let changes = match (version(based_on).await?, version(current).await?) {
            (Some(a), Some(b)) => diff::describe(&diff::changes(&a, &b), 8),
            _ => format!("版本{based_on}或{current}已不存在"),
        };
        let by = self
            .store
            .log_of("form", id)
            .await?
            .iter()
            .rev()
            .find(|e| e.action == "save")
            .map_or_else(|| "他人".to_string(), |e| e.username.clone());
        Ok(AppError::Conflict {
            based_on,
            current,
            by,
            changes,
        })
    }

    /// Takes a workflow step on the version the actor saw, with a reason (see [`StepInput`]).
    pub async fn act(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        action: Action,
        reason: Option<&str>,
    ) -> Result<Stage, AppError> {
        let input = StepInput {
            reason: reason.map(str::to_string),
            ..StepInput::default()
        };
        self.act_with(actor, id, version, action, &input).await
    }

    /// Takes a workflow step on the version the actor saw. Sending a form on (送确认) is
    /// refused for an empty form, and for a form with audit errors unless each error (or all of
    /// them at once) is explained; at 审定 the bureau may adopt the computed score with a
    /// reason.
    pub async fn act_with(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        action: Action,
        input: &StepInput,
    ) -> Result<Stage, AppError> {
        let head = &self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Act(action), head)
            .await?;
        let stage = stage_of(head)?;
        let to = workflow::next(stage, action).map_err(AppError::Workflow)?;
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if action.step().needs_reason && reason.is_none() {
            return Err(AppError::Invalid(format!(
                "“{}”必须写明原因",
                action.name()
            )));
        }
        if head.version != version {
            return Err(self.conflict(id, version, head.version).await);
        }
        if input.adopt_computed && action != Action::FinanceApprove {
            return Err(AppError::Invalid(
                "只有财政审定时可以采用系统计算得分".to_string(),
            ));
        }
        let mut notes = Vec::new();
        let mut reviewed = None;
        // Only sending on and approval read the content (the gate, the reviewed total).
        if action == Action::RequestConfirmation || action == Action::FinanceApprove {
            let form = parse_form(id, &self.store.form(id).await?.data)?;
            let settings = self.year_settings(head.year).await?;
            let mut assessment = assess_with(&form, &settings.scoring, &settings.monitoring);
            if action == Action::RequestConfirmation {
                self.readings_gate(id).await?;
                let head = FormRow::of(head)?;
                self.ex_ante_gate(&head, &settings).await?;
                assessment
                    .findings
                    .extend(self.review_of(&head, &form).await?.findings);
                notes = self.gate(&form, &assessment, reason, &input.notes)?;
            } else if let Some(scored) = &assessment.scored {
                if input.adopt_computed && reason.is_none() {
                    return Err(AppError::Invalid(
                        "采用系统计算得分作为审定总分，必须写明理由".to_string(),
                    ));
                }
                reviewed = Some(total::reviewed(
                    &form,
                    scored,
                    &settings.scoring,
                    input.adopt_computed,
                ));
            } else if input.adopt_computed {
                return Err(AppError::Invalid(
                    "此类表单没有得分，无需采用系统计算得分".to_string(),
                ));
            }
        }
        let reviewed_text = reviewed.map(|r| (r.total.to_string(), r));
        let step = Transition {
            action: action.code(),
            from: stage.code(),
            to: to.code(),
            reason,
            reviewed: reviewed_text.as_ref().map(|(t, r)| Reviewed {
                total: Some(t.as_str()),
                grade: Some(r.grade.name()),
                basis: r.basis.code(),
            }),
            notes: &notes,
        };
        match self
            .store
            .transition(id, version, &step, &author(actor))
            .await
        {
            Ok(()) => Ok(to),
            Err(StoreError::Conflict { .. }) => Err(AppError::Workflow(
                "操作未生效：表单刚被他人处理，请刷新后查看当前状态".to_string(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The gate before sending a form on: an empty form is refused; every finding of the target
    /// review needs its own answer; every audit error needs an explanation (its own, or the
    /// reason as one for all). Returns the explanations to keep.
    fn gate(
        &self,
        form: &Form,
        assessment: &Assessment,
        reason: Option<&str>,
        notes: &[(String, String)],
    ) -> Result<Vec<(String, String)>, AppError> {
        if kind::is_empty(form) {
            return Err(AppError::Invalid(
                "表单还是空的：请先填写内容（资金、指标等）再送单位负责人确认".to_string(),
            ));
        }
        let mut kept: Vec<(String, String)> = notes
            .iter()
            .map(|(k, n)| (k.trim().to_string(), n.trim().to_string()))
            .filter(|(k, n)| !k.is_empty() && !n.is_empty())
            .collect();
        // Each finding of the target review needs its own answer; one reason for all does not do.
        let unanswered: Vec<String> = assessment
            .findings
            .iter()
            .filter(|f| is_review(f.code))
            .filter(|f| !kept.iter().any(|(k, _)| *k == finding_key(f)))
            .map(|f| format!("{} {}：{}", f.code, f.title, f.message))
            .collect();
        if !unanswered.is_empty() {
            return Err(AppError::Invalid(format!(
                "目标审核意见有{}条未答复，请逐条答复（说明目标为何如此设定或已如何调整）后再送确认：{}",
                unanswered.len(),
                unanswered.join("；")
            )));
        }
        let errors: Vec<&jixiao_core::audit::Finding> = assessment
            .findings
            .iter()
            .filter(|f| f.severity == jixiao_core::audit::Severity::Error && !is_review(f.code))
            .collect();
        if errors.is_empty() {
            return Ok(kept);
        }
        if let Some(all) = reason {
            kept.push(("*".to_string(), all.to_string()));
            return Ok(kept);
        }
        let unexplained: Vec<String> = errors
            .iter()
            .filter(|f| !kept.iter().any(|(k, _)| *k == finding_key(f)))
            .map(|f| format!("{} {}：{}", f.code, f.title, f.message))
            .collect();
        if unexplained.is_empty() {
            Ok(kept)
        } else {
            Err(AppError::Invalid(format!(
                "表单有{}处错误未作说明，请逐条说明原因（或填写一条总的说明）后再送确认：{}",
                unexplained.len(),
                unexplained.join("；")
            )))
        }
    }

    /// Deletes a draft of the actor's unit (only while it is a draft at `version`); the change
    /// log keeps its last content.
    pub async fn delete_draft(&self, actor: &Actor, id: i64, version: i64) -> Result<(), AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        let stage = stage_of(&head)?;
        if stage != Stage::Draft {
            return Err(AppError::Workflow(format!(
                "表单当前为“{}”，只有草稿可以删除；已送出的表单如需作废，请联系财政部门",
                stage.name()
            )));
        }
        match self.store.delete_draft(id, version, &author(actor)).await {
            Ok(()) => {
                tracing::info!(form = id, "draft deleted");
                Ok(())
            }
            Err(StoreError::Conflict { current, .. }) if current != version => {
                Err(self.conflict(id, version, current).await)
            }
            Err(StoreError::Conflict { .. }) => Err(AppError::Workflow(
                "删除未生效：表单刚被他人处理，请刷新后查看当前状态".to_string(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Restores an earlier version of a form as a new version (while the form may be changed).
    pub async fn restore(
        &self,
        actor: &Actor,
        id: i64,
        based_on: i64,
        version: i64,
    ) -> Result<i64, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        let data = self.store.form_version(id, version).await?;
        let form = parse_form(id, &data)?;
        self.save_content(actor, id, based_on, form, Some(version))
            .await
    }

    /// The forms of the unit `org_id` that are the same thing as a form of `kind` named
    /// `name` for `year` (or hold exactly `data`), leaving out `except`.
    async fn duplicates_of(
        &self,
        org_id: i64,
        kind: FormKind,
        name: &str,
        year: i64,
        data: Option<&str>,
    ) -> Result<Vec<Existing>, AppError> {
        let rows = self
            .store
            .forms(&FormFilter {
                org_ids: Some(vec![org_id]),
                kind: Some(kind.code().to_string()),
                ..FormFilter::default()
            })
            .await?;
        let mut found = Vec::new();
        for r in &rows {
            let row = FormRow::of(r)?;
            let filed = Existing {
                id: row.id,
                kind: row.kind,
                name: row.name,
                year: row.year,
                stage: row.stage,
            };
            let same = filing::same_thing(kind, name, year, &filed)
                || match data {
                    Some(d) => self.store.form(r.id).await?.data == d,
                    None => false,
                };
            if same {
                found.push(filed);
            }
        }
        Ok(found)
    }

    /// A form's workflow events and change-log entries.
    pub async fn history(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(Vec<EventRow>, Vec<Entry>), AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        self.log_view(actor, id, "历史记录").await?;
        Ok((
            self.store.events(id).await?,
            self.store.log_of("form", id).await?,
        ))
    }

    /// The names people know the authors of a form's change-log entries by (display names by
    /// user id), for whoever may see the form's history: the pages show names, not log-in codes.
    pub async fn author_names(
        &self,
        actor: &Actor,
        id: i64,
        entries: &[Entry],
    ) -> Result<HashMap<i64, String>, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        let mut names = HashMap::new();
        for user_id in entries.iter().filter_map(|e| e.user_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(user_id) {
                slot.insert(self.store.user(user_id).await?.display_name);
            }
        }
        Ok(names)
    }

    // ── files ───────────────────────────────────────────────────────────────────────────

    /// Imports an uploaded file as new draft forms of the actor's unit, one per recognized
    /// form of a kind the system keeps; project forms are filed under their project.
    pub async fn import_new(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        year: u16,
    ) -> Result<ImportOutcome, AppError> {
        self.import_new_with(actor, file_name, bytes, year, ImportChoice::default())
            .await
    }

    /// [`App::import_new`] with the user's answers to the questions an upload may raise: forms
    /// already filed ([`AppError::Duplicate`]) and a file that names another unit or year
    /// ([`AppError::Unconfirmed`]).
    pub async fn import_new_with(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        year: u16,
        choice: ImportChoice,
    ) -> Result<ImportOutcome, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::Create, &chain)?;
        let imported = self.read_upload(file_name, bytes).await?;
        let mut outcome = outcome_of(&imported);
        if imported.forms.is_empty() {
            return Err(AppError::Invalid(format!(
                "{file_name} 中没有识别出表单。{}",
                describe_unrecognized(&outcome)
            )));
        }
        let forms = imported.forms.into_iter().map(Incoming::from).collect();
        self.file_forms_with(actor, forms, year, &mut outcome, choice)
            .await?;
        Ok(outcome)
    }

    /// Files typed forms (from a file, or form JSON) as new drafts of the actor's unit, one per
    /// form of a kind the system keeps; project forms under their project. Forms of other
    /// kinds are listed in `outcome.skipped`.
    pub async fn file_forms(
        &self,
        actor: &Actor,
        forms: Vec<Form>,
        year: u16,
        outcome: &mut ImportOutcome,
    ) -> Result<(), AppError> {
        let forms = forms.into_iter().map(Incoming::from).collect();
        self.file_forms_with(actor, forms, year, outcome, ImportChoice::default())
            .await
    }

    /// [`App::file_forms`] with the user's answers: differences between the files and the
    /// actor's unit and `year` must be confirmed; a form already filed is refused, replaced or
    /// filed again as `choice` says. Values read uncertainly from a scan are kept with each
    /// form to be confirmed ([`crate::readings`]).
    pub async fn file_forms_with(
        &self,
        actor: &Actor,
        forms: Vec<Incoming>,
        year: u16,
        outcome: &mut ImportOutcome,
        choice: ImportChoice,
    ) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::Create, &chain)?;
        let mut names = Vec::new();
        for id in &chain {
            names.push(self.store.org(*id).await?.name);
        }
        let mut differences = Vec::new();
        for Incoming { form, .. } in &forms {
            if FormKind::of(form).is_some() {
                for d in filing::differences(form, &actor.org_name, &names, year) {
                    if !differences.contains(&d) {
                        differences.push(d);
                    }
                }
            }
        }
        // Each form with what is already filed of it, read once: one question covers both the
        // differences and the duplicates, so the user answers once.
        let mut found = Vec::new();
        for Incoming { form, uncertain } in forms {
            let Some(kind) = FormKind::of(&form) else {
                outcome.skipped.push(form.title().to_string());
                continue;
            };
            let year = i64::from(kind::year_of(&form).unwrap_or(year));
            let name = kind::name_of(&form);
            let data = files::form_json(&form)?;
            let existing = self
                .duplicates_of(actor.org_id, kind, &name, year, Some(&data))
                .await?;
            found.push((form, uncertain, kind, year, name, existing));
        }
        if !differences.is_empty() && !choice.confirmed {
            let existing = match choice.on_duplicate {
                OnDuplicate::Ask => found.iter().flat_map(|f| f.5.clone()).collect(),
                _ => Vec::new(),
            };
            return Err(AppError::Unconfirmed {
                differences,
                existing,
            });
        }
        outcome.confirmed.extend(differences);
        let mut filings = Vec::new();
        let mut filed = Vec::new();
        let mut replacing = Vec::new();
        let mut duplicates = Vec::new();
        for (form, uncertain, kind, year, name, existing) in found {
            match (existing.first(), choice.on_duplicate) {
                (Some(_), OnDuplicate::Ask) => {
                    duplicates.extend(existing);
                    continue;
                }
                (Some(e), OnDuplicate::Replace) => {
                    if !e.stage.editable() {
                        return Err(AppError::Workflow(format!(
                            "{}当前为“{}”，不能替换内容（草稿或被退回时才能替换）",
                            e.describe(),
                            e.stage.name()
                        )));
                    }
                    replacing.push((e.id, kind, name, form, uncertain));
                    continue;
                }
                _ => {}
            }
            filings.push(Filing {
                form: self.new_form(actor, form, year, None).await?,
                project: kind.is_project().then(|| name.clone()),
                readings: crate::readings::stored(&uncertain)?,
            });
            filed.push((kind.name().to_string(), name));
        }
        if !duplicates.is_empty() {
            return Err(AppError::Duplicate(duplicates));
        }
        for (id, kind, name, form, uncertain) in replacing {
            let before = self.store.form_head(id).await?.version;
            let after = self.save_content(actor, id, before, form, None).await?;
            self.replace_readings(actor, id, &uncertain).await?;
            outcome.replaced.push((id, before, after));
            outcome.forms.push((id, kind.name().to_string(), name));
        }
        // One transaction: every form of the file is filed, or none is.
        let ids = self.store.create_forms(&filings, &author(actor)).await?;
        outcome
            .forms
            .extend(ids.into_iter().zip(filed).map(|(id, (k, n))| (id, k, n)));
        Ok(())
    }

    /// Imports an uploaded file into an existing draft: its first form of the same kind
    /// replaces the draft's content (as a save over `based_on`).
    pub async fn import_into(
        &self,
        actor: &Actor,
        id: i64,
        based_on: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportOutcome, AppError> {
        self.import_into_with(actor, id, based_on, file_name, bytes, false)
            .await
    }

    /// [`App::import_into`]; a file naming another project (or department) or year than the
    /// form is refused ([`AppError::Unconfirmed`]) until `confirmed`. The outcome lists the
    /// fields that changed; the version before stays restorable ([`App::restore`]).
    pub async fn import_into_with(
        &self,
        actor: &Actor,
        id: i64,
        based_on: i64,
        file_name: &str,
        bytes: &[u8],
        confirmed: bool,
    ) -> Result<ImportOutcome, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        let imported = self.read_upload(file_name, bytes).await?;
        let mut outcome = outcome_of(&imported);
        // The file's form of the same kind — the one of the same name when the file holds
        // several (seed 001 holds two projects' self-evaluations).
        let mut same_kind: Vec<_> = imported
            .forms
            .into_iter()
            .filter(|r| FormKind::of(&r.form).map(FormKind::code) == Some(head.kind.as_str()))
            .collect();
        let named = same_kind
            .iter()
            .position(|r| filing::differences_from(&r.form, &head.name, head.year).is_empty());
        let found = match named {
            Some(k) => Some(same_kind.swap_remove(k)),
            None => same_kind.into_iter().next(),
        };
        let Some(found) = found else {
            let kind = FormKind::from_code(&head.kind).map_or("", FormKind::name);
            return Err(AppError::Invalid(format!(
                "{file_name} 中没有“{kind}”。{}",
                describe_unrecognized(&outcome)
            )));
        };
        let name = kind::name_of(&found.form);
        let differences = filing::differences_from(&found.form, &head.name, head.year);
        if !differences.is_empty() && !confirmed {
            return Err(AppError::Unconfirmed {
                differences,
                existing: Vec::new(),
            });
        }
        outcome.confirmed = differences;
        let old = stored_json(id, &self.store.form(id).await?.data)?;
        let new: serde_json::Value = serde_json::from_str(&files::form_json(&found.form)?)
            .map_err(|e| AppError::unwritable("表单", e))?;
        outcome.changes = diff::changes(&old, &new);
        let version = self
            .save_content(actor, id, based_on, found.form, None)
            .await?;
        self.replace_readings(actor, id, &found.uncertain).await?;
        outcome.replaced.push((id, based_on, version));
        let kind = FormKind::from_code(&head.kind).map_or("", FormKind::name);
        outcome.forms.push((id, kind.to_string(), name));
        tracing::info!(form = id, version, "imported into form");
        Ok(outcome)
    }

    /// Reads an upload off the request threads (parsing is CPU-bound and bounded by the limits,
    /// so a hostile file cannot stall the server).
    async fn read_upload(
        &self,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<jixiao_recognize::Import, AppError> {
        let (name, data, limits) = (file_name.to_string(), bytes.to_vec(), self.limits());
        self.parsing
            .run(move || read_upload(&name, &data, &limits))
            .await?
    }

    /// Exports a form (or, for a report, the composed self-evaluation report).
    pub async fn export(
        &self,
        actor: &Actor,
        id: i64,
        format: Format,
    ) -> Result<Download, AppError> {
        let row = self.exportable(actor, id, "导出").await?;
        self.export_row(row, format).await
    }

    /// A stored form `actor` may take away as a file (logged as `what`); a voided form is not
    /// handed out.
    async fn exportable(
        &self,
        actor: &Actor,
        id: i64,
        what: &str,
    ) -> Result<jixiao_store::forms::FormRow, AppError> {
        let row = self.store.form(id).await?;
        self.authorize_form(actor, Operation::Export, &row.head)
            .await?;
        self.log_view(actor, id, what).await?;
        if stage_of(&row.head)? == Stage::Voided {
            return Err(AppError::Workflow("表单已作废，不能导出".to_string()));
        }
        Ok(row)
    }

    /// An offline template of a form (Excel or Word) for filling away from the system,
    /// prefilled with what the form holds.
    pub async fn template(
        &self,
        actor: &Actor,
        id: i64,
        format: Format,
    ) -> Result<Download, AppError> {
        let row = self.exportable(actor, id, "导出离线模板").await?;
        let written = files::write_template(&parse_form(id, &row.data)?, format)?;
        Ok(Download {
            name: format!("{}-离线填报模板.{}", row.head.name, format.ext()),
            content_type: format.content_type(),
            bytes: written.bytes,
        })
    }

    /// A stored form written as `format` (the report composed with its unit's forms), with its
    /// one total; the caller has decided who may have it.
    pub(crate) async fn export_row(
        &self,
        row: jixiao_store::forms::FormRow,
        format: Format,
    ) -> Result<Download, AppError> {
        let id = row.head.id;
        let form = parse_form(id, &row.data)?;
        let form = with_official_total(form, &row.head, row.total_basis.as_deref());
        let kind = kind_of(&row.head)?;
        let written = if kind == FormKind::Report && format != Format::Json {
            let forms = self.report_forms(&row.head, form).await?;
            files::write_report(&forms, &self.policy, format)?.0
        } else {
            files::write_forms(&[form], format)?
        };
        Ok(Download {
            name: format!("{}-{}.{}", row.head.name, kind.name(), format.ext()),
            content_type: format.content_type(),
            bytes: written.bytes,
        })
    }

    /// What the report of a unit's year is made from: this narrative, the unit's department
    /// self-evaluation and its project self-evaluations of the same year.
    async fn report_forms(
        &self,
        head: &FormListRow,
        narrative: Form,
    ) -> Result<Vec<Form>, AppError> {
        let mut forms = vec![narrative];
        for kind in [
            FormKind::DepartmentSelfEvaluation,
            FormKind::ProjectSelfEvaluation,
        ] {
            let rows = self
                .store
                .forms(&FormFilter {
                    org_ids: Some(vec![head.org_id]),
                    year: Some(head.year),
                    kind: Some(kind.code().to_string()),
                    ..FormFilter::default()
                })
                .await?;
            for r in rows {
                let stored = self.store.form(r.id).await?;
                let form = parse_form(r.id, &stored.data)?;
                forms.push(with_official_total(
                    form,
                    &stored.head,
                    stored.total_basis.as_deref(),
                ));
            }
        }
        Ok(forms)
    }

    /// Attaches an evidence file (like any change of content: only while the form is a draft
    /// or returned).
    pub async fn attach(
        &self,
        actor: &Actor,
        id: i64,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<i64, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::Edit, &head).await?;
        let stage = stage_of(&head)?;
        if !stage.editable() {
            return Err(AppError::Workflow(format!(
                "表单当前为“{}”，不能添加附件（草稿或被退回时才能添加）",
                stage.name()
            )));
        }
        let file = self.evidence(file_name, content_type, bytes, None)?;
        Ok(self.store.add_attachment(id, &file, &author(actor)).await?)
    }

    /// An evidence file checked before it is stored: not empty, within the instance's size
    /// limit, with a usable base name (any folder part dropped).
    pub(crate) fn evidence<'a>(
        &self,
        file_name: &'a str,
        content_type: &'a str,
        bytes: &'a [u8],
        fix_id: Option<i64>,
    ) -> Result<NewAttachment<'a>, AppError> {
        if bytes.is_empty() {
            return Err(AppError::Invalid(format!("附件“{file_name}”是空文件")));
        }
        let limit = self.settings.attachment_limit();
        if bytes.len() > limit {
            return Err(AppError::Invalid(format!(
                "附件“{file_name}”过大：{} 字节，上限 {} 字节",
                bytes.len(),
                limit
            )));
        }
        let name = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(file_name)
            .trim();
        if name.is_empty() || name.starts_with('.') {
            return Err(AppError::Invalid(format!("附件文件名“{file_name}”无效")));
        }
        Ok(NewAttachment {
            name,
            content_type: if content_type.is_empty() {
                "application/octet-stream"
            } else {
                content_type
            },
            bytes,
            fix_id,
        })
    }

    /// A form's evidence files.
    pub async fn attachments(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<Vec<AttachmentRow>, AppError> {
        let head = self.store.form_head(id).await?;
        self.authorize_form(actor, Operation::View, &head).await?;
        Ok(self.store.attachments(id).await?)
    }

    /// One evidence file, if the actor may see its form.
    pub async fn attachment(
        &self,
        actor: &Actor,
        attachment_id: i64,
    ) -> Result<(AttachmentRow, Vec<u8>), AppError> {
        let (row, bytes) = self.store.attachment(attachment_id).await?;
        let head = self.store.form_head(row.form_id).await?;
        if actor.role == Role::Expert
            && self
                .expert_access(actor, Operation::View, &head)
                .await?
                .is_some()
        {
            self.log_view(actor, head.id, &format!("佐证材料“{}”", row.name))
                .await?;
            return Ok((row, bytes));
        }
        let chain = self.chain(head.org_id).await?;
        access::authorize_on(actor, Operation::View, &chain, "附件")?;
        Ok((row, bytes))
    }

    // ── home ────────────────────────────────────────────────────────────────────────────

    /// What waits for the actor: forms to fill, fix, confirm, review or publish, with the
    /// reasons of returns and the year's deadlines — the first [`TODO_SHOWN`] of them, and how
    /// many there are in all (the bureau may have thousands waiting).
    pub async fn todo(&self, actor: &Actor) -> Result<TodoList, AppError> {
        let stages: Vec<(Stage, &str)> = match actor.role {
            Role::Filer => vec![
                (Stage::Draft, "填写"),
                (Stage::SupervisorReturned, "修改（主管部门退回）"),
                (Stage::FinanceReturned, "修改（财政退回）"),
                (Stage::Confirmed, "提交"),
            ],
            Role::UnitHead => vec![(Stage::AwaitingConfirmation, "确认")],
            Role::Supervisor => vec![(Stage::Submitted, "审核")],
            Role::Finance => vec![
                (Stage::SupervisorApproved, "审定"),
                (Stage::FinanceApproved, "公开"),
            ],
            // An expert's work is their assignments (`App::my_assignments`).
            Role::Admin | Role::Expert => Vec::new(),
        };
        if stages.is_empty() {
            return Ok(TodoList::default());
        }
        let filter = FormFilter {
            stages: Some(stages.iter().map(|(s, _)| s.code().to_string()).collect()),
            ..FormFilter::default()
        };
        let orgs = self.visible_orgs(actor).await?;
        let filter = FormFilter {
            org_ids: Some(orgs.iter().map(|o| o.id).collect()),
            ..filter
        };
        let shown = PageRequest {
            offset: 0,
            limit: TODO_SHOWN,
        };
        let forms = self.store.forms_page(&filter, Some(shown)).await?;
        let waiting: i64 = self
            .store
            .form_counts(&filter)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        let ids: Vec<i64> = forms.iter().map(|f| f.id).collect();
        let reasons: HashMap<i64, String> = self
            .store
            .last_events(&ids)
            .await?
            .into_iter()
            .filter_map(|(id, e)| Some((id, e.reason?)))
            .collect();
        let names: HashMap<i64, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
        let years = self.store.years().await?;
        let today = self.today();
        // Rectifications: the unit answers its open ones; the bureau closes answered ones.
        let (fix_orgs, fix_status, fix_what): (Vec<i64>, _, &str) = match actor.role {
            Role::Filer => (
                vec![actor.org_id],
                crate::results::FixStatus::Open,
                "答复整改",
            ),
            Role::Finance => (
                orgs.iter().map(|o| o.id).collect(),
                crate::results::FixStatus::Answered,
                "办结整改（单位已答复）",
            ),
            _ => (Vec::new(), crate::results::FixStatus::Open, ""),
        };
        let mut fixes = Vec::new();
        if !fix_orgs.is_empty() {
            for fix in self
                .store
                .rectifications(&fix_orgs, None, None)
                .await?
                .into_iter()
                .filter(|f| f.status == fix_status.code())
            {
                let overdue_days = match fix_status {
                    crate::results::FixStatus::Open => days_overdue(&fix.deadline, &today),
                    _ => None,
                };
                fixes.push(Todo {
                    form: FormRow::of(&self.store.form_head(fix.form_id).await?)?,
                    org_name: names
                        .get(&fix.org_id)
                        .map_or_else(|| actor.org_name.clone(), |n| (*n).to_string()),
                    what: fix_what.to_string(),
                    reason: Some(match &fix.answer {
                        Some(answer) if fix_status != crate::results::FixStatus::Open => {
                            format!("{}（单位答复：{answer}）", fix.description)
                        }
                        _ => fix.description,
                    }),
                    deadline: Some(fix.deadline),
                    overdue_days,
                });
            }
        }
        fixes.sort_by_key(|t| (std::cmp::Reverse(t.overdue_days), t.deadline.clone()));
        let deadline_of = |f: &FormListRow| {
            let y = years.iter().find(|y| y.year == f.year)?;
            deadline_in(y, FormKind::from_code(&f.kind)?)
        };
        let todo = forms.into_iter().map(|f| -> Result<Todo, AppError> {
            let stage = Stage::from_code(&f.stage);
            let what = stages
                .iter()
                .find(|(s, _)| Some(*s) == stage)
                .map_or("处理", |(_, w)| w)
                .to_string();
            let reason = reasons
                .get(&f.id)
                .filter(|_| stage.is_some_and(Stage::returned))
                .cloned();
            let deadline = deadline_of(&f);
            Ok(Todo {
                org_name: names
                    .get(&f.org_id)
                    .map(|n| (*n).to_string())
                    .unwrap_or_default(),
                overdue_days: deadline.as_deref().and_then(|d| days_overdue(d, &today)),
                deadline,
                form: FormRow::of(&f)?,
                what,
                reason,
            })
        });
        let mut todo = todo.collect::<Result<Vec<Todo>, AppError>>()?;
        // Most urgent first: returned, then overdue (longest first), then by deadline (none
        // last); the list's order otherwise.
        todo.sort_by_key(|t| {
            (
                !t.form.stage.returned(),
                std::cmp::Reverse(t.overdue_days),
                t.deadline.is_none(),
                t.deadline.clone(),
            )
        });
        Ok(TodoList {
            total: fixes.len() + usize::try_from(waiting).unwrap_or(usize::MAX),
            fixes,
            items: todo,
        })
    }

    /// The unit's projects (项目库) the actor may see.
    pub async fn projects(&self, actor: &Actor) -> Result<Vec<ProjectRow>, AppError> {
        let visible: Vec<i64> = self
            .visible_orgs(actor)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        Ok(self.store.projects_of(&visible).await?)
    }

    /// The fiscal years, newest first.
    pub async fn years(&self) -> Result<Vec<YearRow>, AppError> {
        Ok(self.store.years().await?)
    }

    /// Opens or updates a fiscal year (管理员).
    pub async fn put_year(&self, actor: &Actor, year: &YearRow) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::ManageYears, &chain)?;
        if !(2000..=2100).contains(&year.year) {
            return Err(AppError::Invalid(format!("年度 {} 无效", year.year)));
        }
        for d in [
            &year.declaration_deadline,
            &year.monitoring_deadline,
            &year.self_evaluation_deadline,
        ]
        .into_iter()
        .flatten()
        {
            if !is_date(d) {
                return Err(AppError::Invalid(format!(
                    "截止日期“{d}”格式应为 2026-03-31"
                )));
            }
        }
        Ok(self.store.put_year(year, &author(actor)).await?)
    }

    /// The bureau's dashboard of `year` over the region the actor oversees. Only the finance
    /// bureau's roles may see it; the figures come from every unit below the actor.
    pub async fn dashboard(&self, actor: &Actor, year: i64) -> Result<Arc<Dashboard>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        if !access::allows(actor, Operation::Dashboard, &chain) {
            return Err(AppError::Forbidden(format!(
                "{}不能{}",
                actor.role.name(),
                access::describe(Operation::Dashboard)
            )));
        }
        let today = self.today();
        let key = (actor.org_id, actor.role, year, today.clone());
        // Read before the figures: a change made meanwhile only makes the next view recompute.
        let changes = self.store.change_count().await?;
        if let Some(d) = self.dashboards.get(&key, changes) {
            return Ok(d);
        }
        let _computing = self.dashboards.computing.lock().await;
        let changes = self.store.change_count().await?;
        if let Some(d) = self.dashboards.get(&key, changes) {
            return Ok(d);
        }
        let orgs = self.visible_orgs(actor).await?;
        // Not every list row of the region: the year's forms with the columns the figures
        // count, the other years' totals, and which years there are (BENCHMARKS.md, issue 21),
        // read side by side on connections of the pool.
        let region = self.narrowed(&orgs, &FormFilter::default()).await?;
        let of_year = FormFilter {
            year: Some(year),
            ..region.clone()
        };
        let (scored, uncounted) = (dashboard::scored_kinds(), dashboard::uncounted_stages());
        let (forms, totals, form_years, years) = tokio::try_join!(
            self.store.figure_rows(&of_year),
            self.store.totals(&region, &scored, &uncounted, Some(year)),
            self.store.form_years(&region),
            self.store.years(),
        )?;
        let source = dashboard::Source {
            forms,
            totals,
            years: form_years,
        };
        let d = Arc::new(dashboard::compute(year, &source, &orgs, &years, &today));
        self.dashboards.put(key, changes, Arc::clone(&d));
        Ok(d)
    }

    /// Checks the change log's hash chain.
    pub async fn verify_log(&self) -> Result<Verification, AppError> {
        Ok(self.store.verify_log().await?)
    }
}

/// `form` with its one total in the 总分 cell, as every export prints it: the computed score
/// where the form states none, the adopted score once the bureau adopted it at review (the
/// stated total otherwise stands as it is).
fn with_official_total(mut form: Form, head: &FormListRow, basis: Option<&str>) -> Form {
    let basis = basis.and_then(TotalBasis::from_code);
    if matches!(basis, Some(TotalBasis::Computed | TotalBasis::Adopted))
        && let Form::ProjectSelfEvaluation(s) | Form::DepartmentSelfEvaluation(s) = &mut form
        && let Some(total) = head.total.as_deref().and_then(|t| t.parse().ok())
    {
        s.stated_total = Some(total);
        s.stated_grade = head
            .grade
            .as_deref()
            .and_then(jixiao_core::grade::Grade::parse);
    }
    form
}

/// True for a date written `2026-03-31`.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A real argon2 hash of a random password, made once: unknown names are verified against it
/// so that timing does not tell them from known ones. When it cannot be made (no system
/// randomness), login fails rather than answer unknown names faster.
fn dummy_hash() -> Result<&'static str, AppError> {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h);
    }
    let made = password::hash(&password::random_hex(16)?)?;
    Ok(HASH.get_or_init(|| made))
}

pub(crate) fn outcome_of(imported: &jixiao_recognize::Import) -> ImportOutcome {
    ImportOutcome {
        forms: Vec::new(),
        recognized_fields: imported.forms.iter().map(|f| f.provenance.len()).sum(),
        unrecognized: imported
            .unrecognized
            .iter()
            .map(|u| format!("{}：{}", u.location, u.text))
            .collect(),
        // Each warning once: a misaligned row is reported per cell by the recognizer, but the
        // user needs to read it once.
        warnings: {
            let mut seen = std::collections::HashSet::new();
            imported
                .warnings
                .iter()
                .filter(|w| seen.insert(w.as_str()))
                .cloned()
                .collect()
        },
        ..ImportOutcome::default()
    }
}

pub(crate) fn describe_unrecognized(outcome: &ImportOutcome) -> String {
    if outcome.unrecognized.is_empty() {
        String::new()
    } else {
        format!(
            "未识别的内容共{}处，例如：{}",
            outcome.unrecognized.len(),
            outcome
                .unrecognized
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("；")
        )
    }
}

/// Refuses an upload whose type the importer does not read (documents, 一体化 规范表 zips, and
/// scans: images and PDFs, read by OCR).
pub(crate) fn check_upload_name(file_name: &str) -> Result<(), AppError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(
        ext.as_str(),
        "docx" | "xlsx" | "html" | "htm" | "txt" | "pdf" | "zip"
    ) || crate::jobs::IMAGE_EXTENSIONS.contains(&ext.as_str())
    {
        return Ok(());
    }
    Err(AppError::Invalid(format!(
        "不支持的文件类型“{file_name}”：请上传 .docx、.xlsx、.html、.txt、.pdf 文件、一体化规范表压缩包（.zip）或扫描件（.png、.jpg、.tif）"
    )))
}

/// Checks an upload's type and imports it.
pub(crate) fn read_upload(
    file_name: &str,
    bytes: &[u8],
    limits: &jixiao_recognize::Limits,
) -> Result<jixiao_recognize::Import, AppError> {
    check_upload_name(file_name)?;
    // Only the base name: never a path from the client.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    Ok(files::import(base, bytes, limits)?)
}
