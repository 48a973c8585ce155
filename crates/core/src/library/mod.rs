//! The indicator library (指标库): indicators that units have declared and achieved, the
//! curated 共性 indicators of the national framework (财预〔2020〕10号, 财预〔2021〕101号), and the
//! bureau's curation of them (approved, 固化 for a field, merged, retired), searchable while a
//! unit declares its targets.
//!
//! An [`Entry`] is one indicator: its place in the tree (一级/二级), its name, the target values
//! written for it across units and years with their [`Spread`] (median and quartiles), its
//! direction and its fields. [`Library::build`] gathers entries from forms ([`Source`]) and
//! [`common`] indicators, applies [`Curation`]s and indexes them ([`search`]);
//! [`Library::suggest`] ranks them for a project.

pub mod common;
pub mod field;
pub mod search;
pub mod suggestion;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use field::Field;
pub use suggestion::{LastYear, Suggestion};

use crate::form::{DeclaredIndicator, Form};
use crate::indicator::{Level1, Level2};
use crate::numeral::fold_width;
use crate::target_value::{Bound, Operator, TargetValue, ValueKind};

/// Where an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A 共性 indicator of the national framework, for every project.
    Common,
    /// A 行业 indicator curated for a field.
    Industry,
    /// Gathered from units' declarations and self-evaluations.
    Collected,
    /// Proposed by a unit (入库申请), awaiting the bureau.
    Proposed,
}

impl Origin {
    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Common => "共性指标",
            Origin::Industry => "行业指标",
            Origin::Collected => "单位指标",
            Origin::Proposed => "入库申请",
        }
    }
}

/// Where an entry stands with the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In use: suggested to units.
    Active,
    /// Proposed by a unit, not yet approved (not suggested to other units).
    Pending,
    /// Retired by the bureau: no longer suggested.
    Retired,
}

impl Status {
    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "在用",
            Status::Pending => "待审核",
            Status::Retired => "已停用",
        }
    }
}

/// Whether a higher value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// ≥, >, = a number: higher is better (正向).
    Positive,
    /// ≤, <: lower is better (反向).
    Reverse,
    /// No number (定性).
    Qualitative,
}

impl Direction {
    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Positive => "正向",
            Direction::Reverse => "反向",
            Direction::Qualitative => "定性",
        }
    }
}

/// One use of an indicator: who set which target, and what was achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    /// The unit (主管部门 / 实施单位) as written.
    pub unit: String,
    /// The year.
    pub year: Option<u16>,
    /// The project (or the department, for a department form).
    pub project: String,
    /// The 指标值 set.
    pub target: String,
    /// The 实际完成值, on a self-evaluation.
    pub actual: Option<String>,
}

/// The spread of the numeric targets set for an indicator, in one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    /// How many targets were numeric in this unit.
    pub count: usize,
    /// The unit (`%`, `人`, `万元`), empty when none is written.
    pub unit: String,
    /// The lower quartile.
    pub q1: Decimal,
    /// The median.
    pub median: Decimal,
    /// The upper quartile.
    pub q3: Decimal,
}

/// One indicator of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The matching key: 二级指标 and the name normalised ([`key`]).
    pub key: String,
    /// 一级指标.
    pub level1: Level1,
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标, as most often written.
    pub name: String,
    /// The 指标值 most often written (or the curated one).
    pub typical: String,
    /// Whether higher is better.
    pub direction: Direction,
    /// The fields it belongs to (empty: every field).
    pub fields: Vec<Field>,
    /// Where it comes from.
    pub origin: Origin,
    /// Where it stands.
    pub status: Status,
    /// The fields for whose projects the bureau requires it (固化).
    pub fixed_for: Vec<Field>,
    /// Every use found, in the order read.
    pub uses: Vec<Use>,
    /// The spread of the numeric targets, when there are some.
    pub spread: Option<Spread>,
}

/// The matching key of an indicator: its 二级指标 and its name with widths folded, spaces and
/// a trailing unit in brackets removed (`开展小型水利工程建设(个)` → `开展小型水利工程建设`).
pub fn key(level2: Level2, name: &str) -> String {
    let mut n: String = fold_width(name).split_whitespace().collect();
    if n.ends_with(')')
        && let Some(open) = n.rfind('(')
        && open > 0
    {
        n.truncate(open);
    }
    format!("{}|{n}", level2.name())
}

/// The 一级指标 a 二级指标 sits under.
pub fn parent(level2: Level2) -> Level1 {
    match level2 {
        Level2::Quantity | Level2::Quality | Level2::Timeliness | Level2::Cost => Level1::Output,
        Level2::EconomicCost | Level2::SocialCost | Level2::EcologicalCost => Level1::Cost,
        Level2::EconomicBenefit
        | Level2::SocialBenefit
        | Level2::EcologicalBenefit
        | Level2::Sustainability => Level1::Benefit,
        Level2::Satisfaction => Level1::Satisfaction,
    }
}

/// The direction of a written 指标值.
pub fn direction(target: &str) -> Direction {
    let value = TargetValue::parse(target);
    match value.terms().first() {
        None => Direction::Qualitative,
        Some(term) => match term.operator.as_ref().map(|o| o.operator) {
            Some(Operator::Le | Operator::Lt) => Direction::Reverse,
            _ => Direction::Positive,
        },
    }
}

/// The single number and unit a 指标值 states (`≥95%` → 95, `%`), when it states exactly one.
pub fn number(target: &str) -> Option<(Decimal, String)> {
    let value = TargetValue::parse(target);
    let ValueKind::Quantitative { terms } = value.kind() else {
        return None;
    };
    let [term] = terms.as_slice() else {
        return None;
    };
    match &term.bound {
        Bound::Single(q) => Some((q.value, q.unit.to_string())),
        Bound::Range { .. } => None,
    }
}

/// A form to gather indicators from, with the unit that filed it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The filing unit's name.
    pub unit: &'a str,
    /// The form.
    pub form: &'a Form,
}

/// A bureau's decision on an entry, kept by the store and applied over what is gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curation {
    /// The entry's key.
    pub key: String,
    /// Its status (a proposal is `Pending` until approved).
    pub status: Status,
    /// The fields it is required for.
    #[serde(default)]
    pub fixed_for: Vec<Field>,
    /// The entry it was merged into (its uses count there; it is no longer listed).
    #[serde(default)]
    pub merged_into: Option<String>,
    /// For a proposal or a curated entry not yet in any form: its 一级/二级, name and typical
    /// value.
    #[serde(default)]
    pub proposal: Option<Proposal>,
}

/// What the bureau decides on an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Approve a proposal, or take a retired entry back into use.
    Approve,
    /// Retire it (a proposal so decided is refused): no longer suggested.
    Retire,
    /// Require it (固化) for these fields; an empty list lifts the requirement.
    Fix(Vec<Field>),
    /// Merge it into the entry with this key: its uses count there, it is no longer listed.
    Merge(String),
}

impl Curation {
    /// The curation of an entry nobody has decided on yet: in use, nothing required.
    pub fn new(key: &str) -> Curation {
        Curation {
            key: key.to_string(),
            status: Status::Active,
            fixed_for: Vec::new(),
            merged_into: None,
            proposal: None,
        }
    }

    /// A unit's proposal (入库申请), pending until the bureau approves it.
    pub fn proposed(proposal: Proposal) -> Curation {
        Curation {
            key: key(proposal.level2, &proposal.name),
            status: Status::Pending,
            fixed_for: Vec::new(),
            merged_into: None,
            proposal: Some(proposal),
        }
    }

    /// `decision` taken on this curation.
    pub fn decide(&mut self, decision: &Decision) {
        match decision {
            Decision::Approve => self.status = Status::Active,
            Decision::Retire => self.status = Status::Retired,
            Decision::Fix(fields) => {
                self.fixed_for = fields.clone();
                self.fixed_for.sort();
                self.fixed_for.dedup();
            }
            Decision::Merge(into) => self.merged_into = Some(into.clone()),
        }
    }
}

/// A proposed indicator (入库申请).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// 二级指标.
    pub level2: Level2,
    /// 三级指标.
    pub name: String,
    /// The suggested 指标值.
    pub typical: String,
    /// Its fields.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// A query for suggestions.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// Free text: the project's name and description, or what the user typed.
    pub text: &'a str,
    /// Only this 一级指标.
    pub level1: Option<Level1>,
    /// Only this 二级指标.
    pub level2: Option<Level2>,
    /// Only entries of this field (or of every field).
    pub field: Option<Field>,
}

/// What a unit asks the library for, owned (a request over HTTP).
#[derive(Debug, Clone, Default)]
pub struct Request {
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

/// The library: entries and their search index.
#[derive(Debug, Clone, Default)]
pub struct Library {
    entries: Vec<Entry>,
    index: search::Index,
}

impl Library {
    /// Gathers the indicators of `sources` and the [`common`] indicators, applies `curations`
    /// (proposals added, merges folded, statuses and 固化 set) and indexes the result.
    pub fn build<'a>(
        sources: impl IntoIterator<Item = Source<'a>>,
        curations: &[Curation],
    ) -> Library {
        let mut by_key: BTreeMap<String, Entry> = BTreeMap::new();
        for entry in common::entries() {
            by_key.insert(entry.key.clone(), entry);
        }
        for source in sources {
            for (level1, level2, name, target, actual, project, year) in rows(source.form) {
                let Some(level2) = Level2::parse(level2) else {
                    continue;
                };
                let level1 = Level1::parse(level1).unwrap_or_else(|| parent(level2));
                if name.trim().is_empty() {
                    continue;
                }
                let k = key(level2, name);
                let entry = by_key.entry(k.clone()).or_insert_with(|| Entry {
                    key: k,
                    level1,
                    level2,
                    name: name.split_whitespace().collect(),
                    typical: String::new(),
                    direction: Direction::Qualitative,
                    fields: Vec::new(),
                    origin: Origin::Collected,
                    status: Status::Active,
                    fixed_for: Vec::new(),
                    uses: Vec::new(),
                    spread: None,
                });
                entry.uses.push(Use {
                    unit: source.unit.to_string(),
                    year,
                    project: project.to_string(),
                    target: target.trim().to_string(),
                    actual: actual.map(|a| a.trim().to_string()),
                });
            }
        }
        for c in curations {
            if let Some(p) = &c.proposal
                && !by_key.contains_key(&c.key)
            {
                by_key.insert(
                    c.key.clone(),
                    Entry {
                        key: c.key.clone(),
                        level1: parent(p.level2),
                        level2: p.level2,
                        name: p.name.clone(),
                        typical: p.typical.clone(),
                        direction: direction(&p.typical),
                        fields: p.fields.clone(),
                        origin: Origin::Proposed,
                        status: Status::Pending,
                        fixed_for: Vec::new(),
                        uses: Vec::new(),
                        spread: None,
                    },
                );
            }
        }
        for c in curations {
            if let Some(into) = &c.merged_into
                && into != &c.key
                && by_key.contains_key(into)
                && let Some(merged) = by_key.remove(&c.key)
                && let Some(target) = by_key.get_mut(into)
            {
                target.uses.extend(merged.uses);
                continue;
            }
            if let Some(e) = by_key.get_mut(&c.key) {
                e.status = c.status;
                e.fixed_for = c.fixed_for.clone();
                if e.origin == Origin::Proposed && c.status == Status::Active {
                    e.origin = Origin::Industry;
                }
            }
        }
        let mut entries: Vec<Entry> = by_key.into_values().collect();
        for e in &mut entries {
            settle(e);
        }
        let documents: Vec<String> = entries.iter().map(document).collect();
        let index = search::Index::build(documents.iter().map(String::as_str));
        Library { entries, index }
    }

    /// Every entry, in key order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The active entries for `query`, most relevant first, at most `limit`. With no query
    /// text, the most used entries of the filters come first.
    pub fn suggest(&self, query: &Query<'_>, limit: usize) -> Vec<&Entry> {
        self.find(query, &[Status::Active], limit)
    }

    /// The entries of `statuses` for `query`, most relevant first, at most `limit` (the
    /// bureau's view of the library: proposals and retired entries too).
    pub fn find(&self, query: &Query<'_>, statuses: &[Status], limit: usize) -> Vec<&Entry> {
        let accept = |e: &Entry| {
            statuses.contains(&e.status)
                && query.level1.is_none_or(|l| e.level1 == l)
                && query.level2.is_none_or(|l| e.level2 == l)
                && query
                    .field
                    .is_none_or(|f| e.fields.is_empty() || e.fields.contains(&f))
        };
        if search::grams(query.text).is_empty() {
            let mut all: Vec<&Entry> = self.entries.iter().filter(|e| accept(e)).collect();
            all.sort_by(|a, b| b.uses.len().cmp(&a.uses.len()).then(a.key.cmp(&b.key)));
            all.truncate(limit);
            return all;
        }
        self.index
            .rank(query.text, limit, |i| accept(&self.entries[i]))
            .into_iter()
            .map(|(i, _)| &self.entries[i])
            .collect()
    }

    /// The 固化 entries of `field`: the indicators the bureau requires for its projects.
    pub fn fixed(&self, field: Field) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |e| e.status == Status::Active && e.fixed_for.contains(&field))
    }
}

/// The text an entry is found by: its name and groups, its fields, and the projects that use
/// it (so that an indicator of student grants is found for a project about student grants).
fn document(e: &Entry) -> String {
    let mut text = format!("{} {} {}", e.name, e.level2.name(), e.level1.name());
    for f in &e.fields {
        text.push(' ');
        text.push_str(f.name());
    }
    let mut projects: Vec<&str> = e.uses.iter().map(|u| u.project.as_str()).collect();
    projects.sort_unstable();
    projects.dedup();
    for p in projects.into_iter().take(20) {
        text.push(' ');
        text.push_str(p);
    }
    text
}

/// Typical value, direction, fields and spread from an entry's uses.
fn settle(e: &mut Entry) {
    if !e.uses.is_empty() {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for u in &e.uses {
            if !u.target.is_empty() {
                *counts
                    .entry(u.target.split_whitespace().collect())
                    .or_default() += 1;
            }
        }
        if e.typical.is_empty()
            && let Some((t, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        {
            e.typical = t.clone();
        }
        if e.fields.is_empty() && e.origin == Origin::Collected {
            let text: String = e
                .uses
                .iter()
                .map(|u| u.project.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            e.fields = Field::classify(&format!("{} {text}", e.name))
                .into_iter()
                .take(2)
                .collect();
        }
        e.spread = spread(e.uses.iter().map(|u| u.target.as_str()));
    }
    e.direction = direction(&e.typical);
}

/// The spread of the numeric targets among `targets`, in their most common unit.
pub fn spread<'a>(targets: impl Iterator<Item = &'a str>) -> Option<Spread> {
    let mut by_unit: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for t in targets {
        if let Some((v, unit)) = number(t) {
            by_unit.entry(unit).or_default().push(v);
        }
    }
    let (unit, mut values) = by_unit
        .into_iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))?;
    values.sort_unstable();
    let at = |p: usize| values[((values.len() - 1) * p).div_ceil(100).min(values.len() - 1)];
    Some(Spread {
        count: values.len(),
        unit,
        q1: at(25),
        median: at(50),
        q3: at(75),
    })
}

/// A form's indicator rows: 一级, 二级, 三级, 指标值, 实际完成值, project, year.
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a str,
    Option<u16>,
);

/// A declaration's indicator rows (no actuals).
fn declared<'a>(
    indicators: &'a [DeclaredIndicator],
    project: &'a str,
    year: Option<u16>,
) -> Vec<Row<'a>> {
    indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.name.as_str(),
                i.target.as_str(),
                None,
                project,
                year,
            )
        })
        .collect()
}

fn rows(form: &Form) -> Vec<Row<'_>> {
    match form {
        Form::ProjectTarget(f) => declared(&f.indicators, f.project_name.as_str(), f.year),
        Form::DepartmentTarget(f) => declared(&f.indicators, f.department.as_str(), f.year),
        Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => f
            .indicators
            .iter()
            .map(|i| {
                let actual = Some(i.actual.as_str()).filter(|a| !a.trim().is_empty());
                (
                    i.level1.as_str(),
                    i.level2.as_str(),
                    i.name.as_str(),
                    i.target.as_str(),
                    actual,
                    f.name.as_str(),
                    f.year,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
