//! 指标库 as the system uses it: gathered from the forms that have left their units' drafts
//! (declarations and self-evaluations of every year), kept until the database changes, and
//! ranked for a unit while it declares its targets, with last year's target and actual of the
//! same project beside each suggestion.

use std::sync::{Arc, Mutex};

use jixiao_core::form::Form;
use jixiao_core::indicator::{Level1, Level2};
use jixiao_core::library::{Direction, Entry, Field, Library, Origin, Query, Source, Spread};
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::service::App;
use crate::workflow::Stage;

/// A library and the change count it was built at.
type Built = (i64, Arc<Library>);

/// The library with the change count it was built at.
#[derive(Debug, Clone, Default)]
pub(crate) struct LibraryCache {
    kept: Arc<Mutex<Option<Built>>>,
    /// Held while the library is built: callers arriving meanwhile wait and share it.
    building: Arc<tokio::sync::Mutex<()>>,
}

impl LibraryCache {
    fn get(&self, changes: i64) -> Option<Arc<Library>> {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.as_ref()
            .filter(|(at, _)| *at == changes)
            .map(|(_, l)| Arc::clone(l))
    }

    fn put(&self, changes: i64, library: Arc<Library>) {
        *self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((changes, library));
    }
}

/// What a unit asks the library for.
#[derive(Debug, Clone, Default)]
pub struct IndicatorQuery {
    /// Words: the project's name and description, or what the user typed.
    pub text: String,
    /// Only this 一级指标.
    pub level1: Option<Level1>,
    /// Only this 二级指标.
    pub level2: Option<Level2>,
    /// Only this field (else the field the words name, if any).
    pub field: Option<Field>,
    /// The project declared, for last year's values beside each suggestion.
    pub project: Option<String>,
    /// The year declared (last year is the one before).
    pub year: Option<i64>,
    /// How many suggestions (at most 50).
    pub limit: usize,
}

/// One suggested indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The library key.
    pub key: String,
    /// 一级指标.
    pub level1: &'static str,
    /// 二级指标.
    pub level2: &'static str,
    /// 三级指标.
    pub name: String,
    /// The 指标值 most often set (or curated).
    pub typical: String,
    /// 正向 / 反向 / 定性.
    pub direction: &'static str,
    /// The fields it belongs to (empty: every field).
    pub fields: Vec<&'static str>,
    /// 共性指标 / 行业指标 / 单位指标.
    pub origin: &'static str,
    /// Required (固化) for the project's field.
    pub fixed: bool,
    /// How many forms set it.
    pub uses: usize,
    /// How many units set it.
    pub units: usize,
    /// The spread of the numeric targets set for it.
    pub spread: Option<Spread>,
    /// The same project's target and actual last year, when it had this indicator.
    pub last_year: Option<LastYear>,
}

/// Last year's values of an indicator for the same project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastYear {
    /// The year.
    pub year: u16,
    /// The 指标值 set.
    pub target: String,
    /// The 实际完成值, when the project was self-evaluated.
    pub actual: Option<String>,
}

impl App {
    /// The library as of the last change to the database.
    pub async fn library(&self) -> Result<Arc<Library>, AppError> {
        let changes = self.store.change_count().await?;
        if let Some(l) = self.library.get(changes) {
            return Ok(l);
        }
        let _building = self.library.building.lock().await;
        let changes = self.store.change_count().await?;
        if let Some(l) = self.library.get(changes) {
            return Ok(l);
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
        self.library.put(changes, Arc::clone(&library));
        Ok(library)
    }

    /// Indicators for `query`, most relevant first: for any signed-in user who may see their
    /// own organisation's forms. Other units appear only as counts and spreads.
    pub async fn suggest_indicators(
        &self,
        actor: &Actor,
        query: &IndicatorQuery,
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
        Ok(found
            .into_iter()
            .map(|e| suggestion(e, field, query))
            .collect())
    }
}

fn suggestion(e: &Entry, field: Option<Field>, query: &IndicatorQuery) -> Suggestion {
    let mut units: Vec<&str> = e.uses.iter().map(|u| u.unit.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let last = query.year.and_then(|y| u16::try_from(y - 1).ok());
    let last_year = match (&query.project, last) {
        (Some(project), Some(year)) => e
            .uses
            .iter()
            .filter(|u| u.year == Some(year) && &u.project == project)
            // A self-evaluation (with its actual) is worth more than the declaration.
            .max_by_key(|u| u.actual.is_some())
            .map(|u| LastYear {
                year,
                target: u.target.clone(),
                actual: u.actual.clone(),
            }),
        _ => None,
    };
    Suggestion {
        key: e.key.clone(),
        level1: e.level1.name(),
        level2: e.level2.name(),
        name: e.name.clone(),
        typical: e.typical.clone(),
        direction: match e.direction {
            Direction::Positive => "正向",
            Direction::Reverse => "反向",
            Direction::Qualitative => "定性",
        },
        fields: e.fields.iter().map(|f| f.name()).collect(),
        origin: match e.origin {
            Origin::Common => "共性指标",
            Origin::Industry => "行业指标",
            Origin::Collected => "单位指标",
            Origin::Proposed => "入库申请",
        },
        fixed: field.is_some_and(|f| e.fixed_for.contains(&f)),
        uses: e.uses.len(),
        units: units.len(),
        spread: e.spread.clone(),
        last_year,
    }
}
