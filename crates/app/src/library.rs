//! 指标库 as the system uses it: gathered from the forms that have left their units' drafts
//! (declarations and self-evaluations of every year), kept until the database changes, and
//! ranked for a unit while it declares its targets, with last year's target and actual of the
//! same project beside each suggestion; a declaration's targets reviewed against it (T01–T08)
//! with last year's values beside its rows.

use std::sync::Arc;

use jixiao_core::audit::Finding;
use jixiao_core::form::Form;
use jixiao_core::library::suggestion::beside;
use jixiao_core::library::{
    Curation, Field, LastYear, Library, Query, Request, Source, Suggestion,
};
use jixiao_store::forms::FormFilter;

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::row::FormRow;
use crate::service::App;
use crate::workflow::Stage;

/// The library and the fingerprint of what it was built from; the lock is held while it is
/// built, so callers arriving meanwhile wait and share it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LibraryCache(Arc<tokio::sync::Mutex<Option<Built>>>);

/// A library and the fingerprint of the forms and curations it was built from.
type Built = ([i64; 5], Arc<Library>);

impl App {
    /// The library as of the last change to what it is built from (forms out of their drafts,
    /// the bureau's curations); drafts being typed do not rebuild it.
    pub async fn library(&self) -> Result<Arc<Library>, AppError> {
        let kinds = [
            FormKind::ProjectTarget.code(),
            FormKind::DepartmentTarget.code(),
            FormKind::ProjectSelfEvaluation.code(),
            FormKind::DepartmentSelfEvaluation.code(),
        ];
        let excluded = [Stage::Draft.code(), Stage::Voided.code()];
        let changes = self.store.library_fingerprint(&kinds, &excluded).await?;
        let mut kept = self.library.0.lock().await;
        if let Some((at, library)) = kept.as_ref()
            && *at == changes
        {
            return Ok(Arc::clone(library));
        }
        let rows = self.store.library_forms(&kinds, &excluded).await?;
        // A stored form that no longer parses is left out of the library, not an error for
        // the unit asking: the form's own page reports it.
        let forms: Vec<(String, Form)> = rows
            .into_iter()
            .filter_map(|(unit, data)| Form::from_json(&data).ok().map(|f| (unit, f)))
            .collect();
        // The bureau's decisions; one that no longer parses is left out like a form.
        let curations: Vec<Curation> = self
            .store
            .curations()
            .await?
            .into_iter()
            .filter_map(|row| serde_json::from_str(&row.data).ok())
            .collect();
        // Built in place: it takes a few milliseconds per thousand forms, once per change.
        let library = Library::build(
            forms.iter().map(|(unit, form)| Source { unit, form }),
            &curations,
        );
        let library = Arc::new(library);
        *kept = Some((changes, Arc::clone(&library)));
        Ok(library)
    }

    /// Indicators for `query`, most relevant first: for any signed-in user who may see their
    /// own organisation's forms. Other units appear only as counts and spreads.
    pub async fn suggest_indicators(
        &self,
        actor: &Actor,
        query: &Request,
    ) -> Result<Vec<Suggestion>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::View, &chain)?;
        let library = self.library().await?;
        let field = query
            .field
            .or_else(|| Field::classify(&query.text).first().copied());
        let found = library.suggest(
            &Query {
                text: &query.text,
                level1: query.level1,
                level2: query.level2,
                field,
            },
            query.limit.clamp(1, 50),
        );
        let last = query.year.and_then(|y| u16::try_from(y - 1).ok());
        Ok(found
            .into_iter()
            .map(|e| Suggestion::of(e, field, query.project.as_deref(), last))
            .collect())
    }
}

/// What the library says about a declaration: the review's findings and last year's target and
/// actual beside each indicator row.
#[derive(Debug, Clone, Default)]
pub struct TargetReview {
    /// The findings of the review (T01–T08), answered by the unit before sending on.
    pub findings: Vec<Finding>,
    /// Last year's values beside each row of the declaration (by row index).
    pub last_year: Vec<Option<LastYear>>,
}

impl App {
    /// The same project's (or department's) form of the year before `head`'s: its
    /// self-evaluation, else its declaration; voided forms are not looked at.
    pub(crate) async fn last_years(&self, head: &FormRow) -> Result<Option<Form>, AppError> {
        let kinds = match head.kind {
            FormKind::ProjectTarget => [FormKind::ProjectSelfEvaluation, FormKind::ProjectTarget],
            FormKind::DepartmentTarget => [
                FormKind::DepartmentSelfEvaluation,
                FormKind::DepartmentTarget,
            ],
            _ => return Ok(None),
        };
        for kind in kinds {
            let found = self
                .store
                .forms(&FormFilter {
                    org_ids: Some(vec![head.org_id]),
                    year: Some(head.year - 1),
                    kind: Some(kind.code().to_string()),
                    ..FormFilter::default()
                })
                .await?;
            let same = found
                .iter()
                .filter(|r| r.stage != Stage::Voided.code())
                .find(|r| r.name == head.name);
            if let Some(row) = same
                && let Ok(form) = Form::from_json(&self.store.form(row.id).await?.data)
            {
                return Ok(Some(form));
            }
        }
        Ok(None)
    }

    /// The review of a declaration's targets and last year's values beside its rows (nothing
    /// for other forms).
    pub(crate) async fn review_of(
        &self,
        head: &FormRow,
        form: &Form,
    ) -> Result<TargetReview, AppError> {
        let rows = match form {
            Form::ProjectTarget(f) => &f.indicators,
            Form::DepartmentTarget(f) => &f.indicators,
            _ => return Ok(TargetReview::default()),
        };
        let library = self.library().await?;
        let last = self.last_years(head).await?;
        Ok(TargetReview {
            findings: crate::assess::review_targets(form, &library, last.as_ref()),
            last_year: last
                .as_ref()
                .map(|l| beside(rows, l))
                .unwrap_or_else(|| vec![None; rows.len()]),
        })
    }
}

impl App {
    /// Suggestions beside a declaration on its page: ranked by `words` (else by the project's
    /// name and annual target), indicators the form already has left out, with last year's
    /// values of the same project.
    pub async fn suggestions_for(
        &self,
        actor: &Actor,
        view: &crate::service::FormView,
        words: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion>, AppError> {
        let (rows, annual) = match &view.form {
            Form::ProjectTarget(f) => (&f.indicators, f.annual_target.as_str()),
            Form::DepartmentTarget(f) => (&f.indicators, f.annual_target.as_str()),
            _ => return Ok(Vec::new()),
        };
        let words = words.trim();
        let text = match words.is_empty() {
            true => format!("{} {annual}", view.head.name),
            false => words.to_string(),
        };
        let have: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                let level2 = jixiao_core::indicator::Level2::parse(&r.level2)?;
                Some(jixiao_core::library::key(level2, &r.name))
            })
            .collect();
        let request = Request {
            text,
            project: Some(view.head.name.clone()),
            year: Some(view.head.year),
            limit: (limit + have.len()).min(50),
            // The field follows the project, not the words typed to search.
            field: Field::of_project(&view.head.name, annual),
            ..Request::default()
        };
        let mut found = self.suggest_indicators(actor, &request).await?;
        found.retain(|s| !have.contains(&s.key));
        found.truncate(limit);
        Ok(found)
    }

    /// One library entry as suggested for `project` declared in `year` (the one-click add).
    pub async fn suggestion(
        &self,
        actor: &Actor,
        key: &str,
        project: &str,
        year: i64,
    ) -> Result<Suggestion, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::View, &chain)?;
        let library = self.library().await?;
        let entry = library
            .get(key)
            .ok_or_else(|| AppError::Invalid(format!("指标库中没有“{key}”这项指标")))?;
        let field = Field::of_project(project, "");
        let last = u16::try_from(year - 1).ok();
        Ok(Suggestion::of(entry, field, Some(project), last))
    }
}
