//! 抽评: the finance bureau draws a share of the year's handed-over self-evaluations (at random
//! with a recorded seed, by 主管部门 when asked, or by hand), scores each itself, and sees the
//! gap between the unit's total and its own; units whose self-scores run high are listed.

use std::collections::BTreeMap;

use jixiao_core::form::Form;
use jixiao_core::sample::{Candidate, draw};
use jixiao_core::scoring::{ScoredForm, score};
use jixiao_core::spot_check::{Review, Reviewed, check, reviewed};
use jixiao_store::forms::FormFilter;
use jixiao_store::spot_checks::{ItemReview, NewSpotCheck, SpotCheckRow, SpotItemRow};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::service::{App, author};
use crate::workflow::Stage;

/// How the bureau asks for a sample.
#[derive(Debug, Clone, Default)]
pub struct DrawRequest {
    /// The year of the self-evaluations.
    pub year: i64,
    /// The share, in percent (ignored when `forms` are chosen by hand).
    pub percent: Decimal,
    /// The seed to draw with (a new random one when none).
    pub seed: Option<i64>,
    /// Draw the share within each 主管部门.
    pub stratified: bool,
    /// Forms chosen by hand instead of a draw.
    pub forms: Option<Vec<i64>>,
}

/// A spot check with its items.
#[derive(Debug, Clone, Serialize)]
pub struct SpotCheck {
    /// How it was drawn.
    pub check: SpotCheckRow,
    /// The forms drawn.
    pub items: Vec<SpotItem>,
}

/// A drawn form with its figures.
#[derive(Debug, Clone, Serialize)]
pub struct SpotItem {
    /// The item.
    pub id: i64,
    /// The self-evaluation.
    pub form_id: i64,
    /// Its name (the project's, or the department's).
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// The unit's 主管部门.
    pub department: String,
    /// The unit's total when drawn.
    pub unit_total: Option<Decimal>,
    /// The reviewer's total, once reviewed.
    pub reviewed_total: Option<Decimal>,
    /// The unit's total minus the reviewer's.
    pub gap: Option<Decimal>,
}

/// A unit whose self-evaluations the spot checks of a year reviewed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitGap {
    /// The unit.
    pub unit: String,
    /// How many of its forms were reviewed.
    pub reviewed: usize,
    /// The mean gap (unit's total minus the reviewer's).
    pub mean_gap: Decimal,
    /// The largest gap.
    pub max_gap: Decimal,
}

/// The gap from which a unit's self-scores are said to run high (5 points).
pub const HIGH_GAP: i64 = 5;

fn decimal(text: Option<&str>) -> Option<Decimal> {
    text.and_then(|t| t.parse().ok())
}

impl App {
    /// The submitted self-evaluations of `year` the actor may check: (form, unit, its 主管部门
    /// name, total).
    async fn spot_candidates(
        &self,
        actor: &Actor,
        year: i64,
    ) -> Result<Vec<(i64, i64, String, Option<String>)>, AppError> {
        let orgs = self.visible_orgs(actor).await?;
        let names: BTreeMap<i64, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
        let parent: BTreeMap<i64, Option<i64>> = orgs.iter().map(|o| (o.id, o.parent_id)).collect();
        let mut out = Vec::new();
        for kind in [
            FormKind::ProjectSelfEvaluation,
            FormKind::DepartmentSelfEvaluation,
        ] {
            let rows = self
                .store
                .forms(&FormFilter {
                    org_ids: Some(orgs.iter().map(|o| o.id).collect()),
                    year: Some(year),
                    kind: Some(kind.code().to_string()),
                    ..FormFilter::default()
                })
                .await?;
            for r in rows {
                if Stage::from_code(&r.stage).is_some_and(Stage::submitted) {
                    let department = parent
                        .get(&r.org_id)
                        .copied()
                        .flatten()
                        .and_then(|p| names.get(&p).copied())
                        .unwrap_or("")
                        .to_string();
                    out.push((r.id, r.org_id, department, r.total.clone()));
                }
            }
        }
        Ok(out)
    }

    /// Draws a spot check (or keeps the forms chosen by hand); returns its id and the forms.
    pub async fn draw_spot_check(
        &self,
        actor: &Actor,
        request: &DrawRequest,
    ) -> Result<(i64, Vec<i64>), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::SpotCheck, &chain)?;
        let candidates = self.spot_candidates(actor, request.year).await?;
        if candidates.is_empty() {
            return Err(AppError::Invalid(format!(
                "{}年度没有已提交的自评表可供抽评",
                request.year
            )));
        }
        let seed = match request.seed {
            Some(s) if s >= 0 => s,
            Some(s) => return Err(AppError::Invalid(format!("随机种子应为非负整数，收到{s}"))),
            None => {
                let mut bytes = [0u8; 8];
                getrandom::fill(&mut bytes)
                    .map_err(|e| AppError::Unwritable(format!("无法生成随机种子：{e}")))?;
                i64::from_le_bytes(bytes) & i64::MAX
            }
        };
        let chosen: Vec<i64> = match &request.forms {
            Some(forms) => {
                let unknown: Vec<String> = forms
                    .iter()
                    .filter(|id| !candidates.iter().any(|c| c.0 == **id))
                    .map(ToString::to_string)
                    .collect();
                if !unknown.is_empty() {
                    return Err(AppError::Invalid(format!(
                        "表单{}不是{}年度可抽评的已提交自评表",
                        unknown.join("、"),
                        request.year
                    )));
                }
                let mut f = forms.clone();
                f.sort_unstable();
                f.dedup();
                f
            }
            None => {
                if request.percent <= Decimal::ZERO || request.percent > Decimal::from(100) {
                    return Err(AppError::Invalid(format!(
                        "抽取比例应在0至100之间，收到{}",
                        request.percent.normalize()
                    )));
                }
                let pool: Vec<Candidate<'_>> = candidates
                    .iter()
                    .map(|c| Candidate {
                        id: c.0,
                        stratum: &c.2,
                    })
                    .collect();
                draw(
                    &pool,
                    request.percent,
                    seed.unsigned_abs(),
                    request.stratified,
                )
            }
        };
        if chosen.is_empty() {
            return Err(AppError::Invalid("没有选中要抽评的表单".into()));
        }
        let items: Vec<(i64, i64, Option<String>)> = chosen
            .iter()
            .filter_map(|id| candidates.iter().find(|c| c.0 == *id))
            .map(|c| (c.0, c.1, c.3.clone()))
            .collect();
        let percent = request.percent.normalize().to_string();
        let id = self
            .store
            .create_spot_check(
                &NewSpotCheck {
                    year: request.year,
                    percent: &percent,
                    seed,
                    stratified: request.stratified,
                    by_hand: request.forms.is_some(),
                    items: &items,
                },
                &author(actor),
            )
            .await?;
        Ok((id, chosen))
    }

    /// The spot checks the actor drew or may see.
    pub async fn spot_checks(&self, actor: &Actor) -> Result<Vec<SpotCheckRow>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::SpotCheck, &chain)?;
        Ok(self.store.spot_checks().await?)
    }

    /// One spot check with its items.
    pub async fn spot_check(&self, actor: &Actor, id: i64) -> Result<SpotCheck, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::SpotCheck, &chain)?;
        let check = self.store.spot_check(id).await?;
        let orgs = self.visible_orgs(actor).await?;
        let name_of = |id: Option<i64>| {
            id.and_then(|id| orgs.iter().find(|o| o.id == id))
                .map(|o| o.name.clone())
                .unwrap_or_default()
        };
        let mut items = Vec::new();
        for row in self.store.spot_items(id).await? {
            // Only units the actor sees (a bureau sees its whole region).
            let Some(org) = orgs.iter().find(|o| o.id == row.org_id) else {
                continue;
            };
            let head = self.store.form_head(row.form_id).await?;
            items.push(SpotItem {
                id: row.id,
                form_id: row.form_id,
                name: head.name,
                unit: org.name.clone(),
                department: name_of(org.parent_id),
                unit_total: decimal(row.unit_total.as_deref()),
                reviewed_total: decimal(row.reviewed_total.as_deref()),
                gap: decimal(row.gap.as_deref()),
            });
        }
        Ok(SpotCheck { check, items })
    }

    /// A drawn form for its review: the item, the form, Jixiao's scores and the review so far.
    pub async fn spot_item(
        &self,
        actor: &Actor,
        item_id: i64,
    ) -> Result<(SpotItemRow, Form, ScoredForm, Review), AppError> {
        // Refused before anything is looked up, so ids cannot be probed.
        let own = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::SpotCheck, &own)?;
        let row = self.store.spot_item(item_id).await?;
        let chain = self.chain(row.org_id).await?;
        access::authorize(actor, Operation::SpotCheck, &chain)?;
        let stored = self.store.form(row.form_id).await?;
        let form = Form::from_json(&stored.data).map_err(|e| {
            AppError::Store(jixiao_store::StoreError::Corrupt(format!(
                "表单 {}：{e}",
                row.form_id
            )))
        })?;
        let Some(s) = form.self_evaluation() else {
            return Err(AppError::Invalid("抽评的表单不是自评表".into()));
        };
        let year = self.year_settings(stored.head.year).await?;
        let scored = score(s, &year.scoring);
        let review = match row.review.as_deref() {
            Some(text) => serde_json::from_str(text).map_err(|e| {
                AppError::Store(jixiao_store::StoreError::Corrupt(format!(
                    "抽评复核 {item_id}：{e}"
                )))
            })?,
            None => Review::default(),
        };
        Ok((row, form, scored, review))
    }

    /// Keeps the reviewer's scores of a drawn form; returns the reviewed total and the gap.
    pub async fn review_spot_item(
        &self,
        actor: &Actor,
        item_id: i64,
        review: &Review,
    ) -> Result<Reviewed, AppError> {
        let (row, _, scored, _) = self.spot_item(actor, item_id).await?;
        check(review, &scored).map_err(|e| AppError::Invalid(e.0))?;
        let result = reviewed(review, &scored, decimal(row.unit_total.as_deref()));
        let text =
            serde_json::to_string(review).map_err(|e| AppError::unwritable("复核评分", e))?;
        let total = result.total.normalize().to_string();
        let gap = result.gap.map(|g| g.normalize().to_string());
        self.store
            .review_spot_item(
                item_id,
                &ItemReview {
                    review: &text,
                    total: &total,
                    gap: gap.as_deref(),
                },
                &author(actor),
            )
            .await?;
        Ok(result)
    }

    /// The units reviewed in the year's spot checks, by their mean gap, largest first; those
    /// at or above [`HIGH_GAP`] score themselves high.
    pub async fn unit_gaps(&self, actor: &Actor, year: i64) -> Result<Vec<UnitGap>, AppError> {
        let mut by_unit: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
        for c in self
            .spot_checks(actor)
            .await?
            .iter()
            .filter(|c| c.year == year)
        {
            for item in self.spot_check(actor, c.id).await?.items {
                if let Some(g) = item.gap {
                    by_unit.entry(item.unit).or_default().push(g);
                }
            }
        }
        let mut out: Vec<UnitGap> = by_unit
            .into_iter()
            .map(|(unit, gaps)| {
                let sum: Decimal = gaps.iter().sum();
                UnitGap {
                    reviewed: gaps.len(),
                    mean_gap: jixiao_core::money::round2(sum / Decimal::from(gaps.len())),
                    max_gap: gaps.iter().copied().max().unwrap_or_default(),
                    unit,
                }
            })
            .collect();
        out.sort_by(|a, b| b.mean_gap.cmp(&a.mean_gap).then(a.unit.cmp(&b.unit)));
        Ok(out)
    }
}
