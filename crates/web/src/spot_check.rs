//! 抽评 pages and API: the bureau draws a sample of a year's submitted self-evaluations (share,
//! seed, by 主管部门, or by hand), scores each drawn form itself, and sees the gaps; units whose
//! self-scores run high are listed, and a rectification can be required from a reviewed form.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::spot_check::{DrawRequest, HIGH_GAP};
use jixiao_core::spot_check::{Rescore, Review};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{ApiUser, PageUser};
use crate::dashboard::YearQuery;
use crate::error::WebError;
use crate::posted::{ApiPost, PagePost, Posted};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

fn dec(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// `GET /spot-checks?year=`: the draw form, the spot checks kept, the units by gap.
pub async fn page(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let app = &state.app;
    let (year, years) = q.among(app).await.map_err(WebError::page)?;
    let checks = app.spot_checks(&s.actor).await.map_err(WebError::page)?;
    let gaps = app
        .unit_gaps(&s.actor, year)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::SpotChecksPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        year,
        years,
        checks: checks
            .iter()
            .map(|c| views::SpotCheckLine {
                id: c.id,
                year: c.year,
                how: how(c.by_hand == 1, &c.percent, c.seed, c.stratified == 1),
                by: c.created_by.clone(),
            })
            .collect(),
        gaps: gaps
            .iter()
            .map(|g| {
                (
                    g.unit.clone(),
                    g.reviewed,
                    g.mean_gap.normalize().to_string(),
                    g.max_gap.normalize().to_string(),
                    g.mean_gap >= Decimal::from(HIGH_GAP),
                )
            })
            .collect(),
        high: HIGH_GAP,
    })
    .into_response())
}

/// How a spot check was drawn, in words.
fn how(by_hand: bool, percent: &str, seed: i64, stratified: bool) -> String {
    if by_hand {
        "人工选定".to_string()
    } else {
        format!(
            "随机抽取{percent}%{}，随机种子{seed}",
            if stratified {
                "（按主管部门分层）"
            } else {
                ""
            }
        )
    }
}

/// `POST /spot-checks`: draws and goes to the new spot check.
pub async fn draw(State(state): State<AppState>, Posted(s, f, ..): PagePost) -> PageResult {
    let text = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let invalid = |m: String| WebError::page(AppError::Invalid(m));
    let year: i64 = text("year")
        .parse()
        .map_err(|_| invalid(format!("年度“{}”应为四位年份", text("year"))))?;
    let forms = match text("forms").as_str() {
        "" => None,
        list => Some(
            list.split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .map(|p| p.parse::<i64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| invalid(format!("表单编号“{list}”应为数字，以逗号分隔")))?,
        ),
    };
    let percent = match text("percent").as_str() {
        "" if forms.is_some() => Decimal::ZERO,
        p => p
            .trim_end_matches('%')
            .parse()
            .map_err(|_| invalid(format!("抽取比例“{p}”应为数字")))?,
    };
    let seed = match text("seed").as_str() {
        "" => None,
        v => Some(
            v.parse()
                .map_err(|_| invalid(format!("随机种子“{v}”应为非负整数")))?,
        ),
    };
    let request = DrawRequest {
        year,
        percent,
        seed,
        stratified: text("stratified") == "1",
        forms,
    };
    let (id, _) = state
        .app
        .draw_spot_check(&s.actor, &request)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/spot-checks/{id}")).into_response())
}

/// `GET /spot-checks/{id}`.
pub async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let c = state
        .app
        .spot_check(&s.actor, id)
        .await
        .map_err(WebError::page)?;
    Ok(render(&views::SpotCheckPage {
        nav: Nav::of(&s),
        id,
        year: c.check.year,
        how: how(
            c.check.by_hand == 1,
            &c.check.percent,
            c.check.seed,
            c.check.stratified == 1,
        ),
        by: c.check.created_by.clone(),
        items: c
            .items
            .iter()
            .map(|i| views::SpotItemLine {
                id: i.id,
                form_id: i.form_id,
                name: i.name.clone(),
                unit: i.unit.clone(),
                department: i.department.clone(),
                unit_total: dec(i.unit_total),
                reviewed_total: dec(i.reviewed_total),
                gap: dec(i.gap),
                high: i.gap.is_some_and(|g| g >= Decimal::from(HIGH_GAP)),
            })
            .collect(),
    })
    .into_response())
}

/// `GET /spot-checks/items/{id}`: the review form of a drawn self-evaluation.
pub async fn item(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let (row, form, scored, review) = state
        .app
        .spot_item(&s.actor, id)
        .await
        .map_err(WebError::page)?;
    let name = jixiao_app::kind::name_of(&form);
    let lines = rescore_lines(&scored, &review);
    let gap: Option<Decimal> = row.gap.as_deref().and_then(|g| g.parse().ok());
    Ok(render(&views::SpotItemPage {
        nav: Nav::of(&s),
        score_word: "复核得分",
        csrf: s.csrf.clone(),
        id,
        spot_check_id: row.spot_check_id,
        form_id: row.form_id,
        name,
        unit_total: row.unit_total.clone().unwrap_or_default(),
        reviewed_total: row.reviewed_total.clone().unwrap_or_default(),
        gap: row.gap.clone().unwrap_or_default(),
        fix: gap.filter(|g| *g > Decimal::ZERO).map(|g| {
            format!(
                "抽评复核总分{}，单位自评总分{}，自评偏高{}分：请说明原因，按复核意见整改",
                row.reviewed_total.clone().unwrap_or_default(),
                row.unit_total.clone().unwrap_or_default(),
                g.normalize()
            )
        }),
        deadline: state.app.clock().in_days(30),
        lines,
    })
    .into_response())
}

/// The lines of a review form: budget execution, then each indicator, with what the unit
/// stated, what Jixiao computed and the reviewer's score and reason so far.
pub(crate) fn rescore_lines(
    scored: &jixiao_core::scoring::ScoredForm,
    review: &Review,
) -> Vec<views::RescoreLine> {
    let mut lines = vec![views::RescoreLine {
        key: "execution".into(),
        name: "预算执行率".into(),
        weight: scored.execution.weight.normalize().to_string(),
        stated: dec(scored.execution.stated_score),
        computed: dec(scored.execution.score),
        score: review
            .execution
            .as_ref()
            .map(|r| r.score.normalize().to_string())
            .unwrap_or_default(),
        reason: review
            .execution
            .as_ref()
            .map(|r| r.reason.clone())
            .unwrap_or_default(),
    }];
    for i in &scored.indicators {
        let mine = review.indicators.get(&i.row);
        lines.push(views::RescoreLine {
            key: format!("i{}", i.row),
            name: i.name.clone(),
            weight: dec(i.weight),
            stated: dec(i.stated),
            computed: dec(i.score),
            score: mine
                .map(|r| r.score.normalize().to_string())
                .unwrap_or_default(),
            reason: mine.map(|r| r.reason.clone()).unwrap_or_default(),
        });
    }
    lines
}

/// `POST /spot-checks/items/{id}`: keeps the reviewer's scores (blank: the computed score).
pub async fn review(
    State(state): State<AppState>,
    Posted(s, f, Path(id), ..): PagePost<crate::edit::Fields, Path<i64>>,
) -> PageResult {
    let review = review_of(&f)?;
    state
        .app
        .review_spot_item(&s.actor, id, &review)
        .await
        .map_err(WebError::page)?;
    Ok(Redirect::to(&format!("/spot-checks/items/{id}")).into_response())
}

/// The scores of a posted review form (`score:execution`, `score:i{row}`, with `reason:…`);
/// a blank score keeps the computed one.
pub(crate) fn review_of(f: &crate::edit::Fields) -> Result<Review, WebError> {
    let mut review = Review::default();
    let field = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let keys = std::iter::once("execution".to_string()).chain(
        f.keys()
            .filter_map(|k| k.strip_prefix("score:"))
            .filter(|k| k.starts_with('i'))
            .map(str::to_string),
    );
    for key in keys {
        let text = field(&format!("score:{key}"));
        if text.is_empty() {
            continue;
        }
        let score: Decimal = text
            .trim_end_matches('分')
            .parse()
            .map_err(|_| WebError::page(AppError::Invalid(format!("复核得分“{text}”应为数字"))))?;
        let r = Rescore {
            score,
            reason: field(&format!("reason:{key}")),
        };
        match key.strip_prefix('i').map(str::parse::<usize>) {
            Some(Ok(row)) => {
                review.indicators.insert(row, r);
            }
            Some(Err(_)) => {}
            None => review.execution = Some(r),
        }
    }
    Ok(review)
}

/// The body of `POST /api/v1/spot_checks`.
#[derive(Debug, Deserialize)]
pub struct DrawBody {
    year: i64,
    #[serde(default)]
    percent: Option<Decimal>,
    #[serde(default)]
    seed: Option<i64>,
    #[serde(default)]
    stratified: bool,
    #[serde(default)]
    forms: Option<Vec<i64>>,
}

/// `POST /api/v1/spot_checks` → `201 {"id", "forms", "seed"}`.
pub async fn api_draw(
    State(state): State<AppState>,
    Posted(s, Json(b), ..): ApiPost<Json<DrawBody>>,
) -> Result<Response, WebError> {
    let request = DrawRequest {
        year: b.year,
        percent: b.percent.unwrap_or_default(),
        seed: b.seed,
        stratified: b.stratified,
        forms: b.forms,
    };
    let (id, forms) = state
        .app
        .draw_spot_check(&s.actor, &request)
        .await
        .map_err(WebError::api)?;
    let c = state
        .app
        .spot_check(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "forms": forms, "seed": c.check.seed})),
    )
        .into_response())
}

/// `GET /api/v1/spot_checks/{id}`.
pub async fn api_show(
    State(state): State<AppState>,
    ApiUser(s): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let c = state
        .app
        .spot_check(&s.actor, id)
        .await
        .map_err(WebError::api)?;
    Ok(Json(c).into_response())
}
