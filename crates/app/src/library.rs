//! 指标库 as the system uses it: gathered from the forms that have left their units' drafts
//! (declarations and self-evaluations of every year), kept until the database changes, and
//! ranked for a unit while it declares its targets, with last year's target and actual of the
//! same project beside each suggestion.

use std::sync::Arc;

use jixiao_core::form::Form;
use jixiao_core::library::{Field, Library, Query, Request, Source, Suggestion};

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::service::App;
use crate::workflow::Stage;

/// The library and the change count it was built at; the lock is held while it is built, so
/// callers arriving meanwhile wait and share it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LibraryCache(Arc<tokio::sync::Mutex<Option<Built>>>);

/// A library and the change count it was built at.
type Built = (i64, Arc<Library>);

impl App {
    /// The library as of the last change to the database.
    pub async fn library(&self) -> Result<Arc<Library>, AppError> {
        let changes = self.store.change_count().await?;
        let mut kept = self.library.0.lock().await;
        if let Some((at, library)) = kept.as_ref()
            && *at == changes
        {
            return Ok(Arc::clone(library));
        }
        let kinds = [
            FormKind::ProjectTarget.code(),
            FormKind::DepartmentTarget.code(),
            FormKind::ProjectSelfEvaluation.code(),
            FormKind::DepartmentSelfEvaluation.code(),
        ];
        let rows = self
            .store
            .library_forms(&kinds, &[Stage::Draft.code(), Stage::Voided.code()])
            .await?;
        // A stored form that no longer parses is left out of the library, not an error for
        // the unit asking: the form's own page reports it.
        let forms: Vec<(String, Form)> = rows
            .into_iter()
            .filter_map(|(unit, data)| Form::from_json(&data).ok().map(|f| (unit, f)))
            .collect();
        // Built in place: it takes a few milliseconds per thousand forms, once per change.
        let library = Library::build(forms.iter().map(|(unit, form)| Source { unit, form }), &[]);
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
