//! A library entry as a unit sees it while declaring: its groups and name, the value most
//! often set, direction and fields in words, whether it is required for the project's field,
//! how many forms and units set it (never which), the spread of their targets, and last year's
//! target and actual of the same project; and last year's values beside a declaration's rows
//! ([`beside`]).

use serde::Serialize;

use super::{Entry, Field, Spread, key};
use crate::form::{DeclaredIndicator, Form};
use crate::indicator::Level2;

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

impl Suggestion {
    /// `e` as suggested for a project of `field` named `project`, with its values of `last_year`.
    pub fn of(
        e: &Entry,
        field: Option<Field>,
        project: Option<&str>,
        last_year: Option<u16>,
    ) -> Suggestion {
        let mut units: Vec<&str> = e.uses.iter().map(|u| u.unit.as_str()).collect();
        units.sort_unstable();
        units.dedup();
        let last_year = match (project, last_year) {
            (Some(project), Some(year)) => e
                .uses
                .iter()
                .filter(|u| u.year == Some(year) && u.project == project)
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
            direction: e.direction.name(),
            fields: e.fields.iter().map(|f| f.name()).collect(),
            origin: e.origin.name(),
            fixed: field.is_some_and(|f| e.fixed_for.contains(&f)),
            uses: e.uses.len(),
            units: units.len(),
            spread: e.spread.clone(),
            last_year,
        }
    }
}

/// Last year's target and actual beside each of `declared`'s rows: the row of `last` (last
/// year's self-evaluation, or else its declaration) with the same 二级指标 and normalized name.
pub fn beside(declared: &[DeclaredIndicator], last: &Form) -> Vec<Option<LastYear>> {
    let year = match last {
        Form::ProjectTarget(f) => f.year,
        Form::DepartmentTarget(f) => f.year,
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f.year,
        _ => None,
    };
    let Some(year) = year else {
        return vec![None; declared.len()];
    };
    let known: Vec<(String, &str, Option<&str>)> = super::rows(last)
        .into_iter()
        .filter_map(|(_, level2, name, target, actual, _, _)| {
            let level2 = Level2::parse(level2)?;
            Some((key(level2, name), target, actual))
        })
        .collect();
    declared
        .iter()
        .map(|row| {
            let level2 = Level2::parse(&row.level2)?;
            let wanted = key(level2, &row.name);
            known
                .iter()
                .find(|(k, _, _)| *k == wanted)
                .map(|(_, target, actual)| LastYear {
                    year,
                    target: target.trim().to_string(),
                    actual: actual.map(|a| a.trim().to_string()),
                })
        })
        .collect()
}
