//! The finance bureau's department evaluation pages: start one (a unit, a year, a built-in rule
//! set or an uploaded 评价指标表, the 基础数据表), see the field binding for confirmation and
//! every indicator explained, give judgements with their reasons.

use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use jixiao_app::AppError;
use jixiao_app::evaluation::{BUILT_IN, RuleSource};
use jixiao_app::files::Format;
use jixiao_app::time as clock;
use jixiao_core::form::Reason;
use jixiao_core::rules::Status;
use jixiao_core::rules::shape::Judgement;

use crate::AppState;
use crate::auth::PageUser;
use crate::edit::Fields;
use crate::error::{WebError, page};
use crate::posted::{PagePost, PostBody, Posted, Unread, multipart};
use crate::views::{self, Nav, render};

type PageResult = Result<Response, WebError>;

/// `GET /evaluations`.
pub async fn list(State(state): State<AppState>, PageUser(s): PageUser) -> PageResult {
    let app = &state.app;
    let rights = page(app.rights(&s.actor).await)?;
    let orgs = page(app.visible_orgs(&s.actor).await)?;
    let rows = page(app.evaluations(&s.actor).await)?;
    let year = page(app.years().await)?
        .first()
        .map(|y| y.year.to_string())
        .unwrap_or_else(|| app.this_year().to_string());
    Ok(render(&views::EvaluationsPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        can_evaluate: rights.evaluate,
        units: orgs
            .iter()
            .filter(|o| o.kind == "unit")
            .map(|o| (o.id, o.name.clone()))
            .collect(),
        year,
        rule_sets: BUILT_IN.iter().map(|b| (b.code, b.title)).collect(),
        rows: rows
            .into_iter()
            .map(|(r, unit)| {
                (
                    r.id,
                    unit,
                    r.year,
                    r.rule_source,
                    r.total.unwrap_or_default(),
                    r.grade.unwrap_or_default(),
                    clock::minute(r.updated_at),
                )
            })
            .collect(),
    })
    .into_response())
}

/// The upload that starts an evaluation: its fields, and its non-empty files by field name
/// (`table`, `base`) as (file name, bytes).
#[derive(Debug, Default)]
pub struct RuleUpload {
    fields: BTreeMap<String, String>,
    files: BTreeMap<String, (String, Vec<u8>)>,
}

impl RuleUpload {
    async fn read_all(mut multipart: Multipart) -> Result<RuleUpload, AppError> {
        let mut up = RuleUpload::default();
        let bad = |e: axum::extract::multipart::MultipartError| {
            AppError::Invalid(format!("上传未完成或文件过大：{e}"))
        };
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file) => {
                    let bytes = field.bytes().await.map_err(bad)?;
                    if !file.is_empty() && !bytes.is_empty() {
                        up.files.insert(name, (file, bytes.to_vec()));
                    }
                }
                None => {
                    up.fields.insert(name, field.text().await.map_err(bad)?);
                }
            }
        }
        Ok(up)
    }
}

impl PostBody for RuleUpload {
    async fn read(req: Request, state: &AppState) -> Result<Self, Unread> {
        let parts = multipart(req, state).await?;
        RuleUpload::read_all(parts).await.map_err(Unread::Invalid)
    }

    fn csrf(&self) -> Option<&str> {
        self.fields.get("_csrf").map(String::as_str)
    }
}

/// `POST /evaluations` (multipart: unit, year, rules, table, base).
pub async fn start(
    State(state): State<AppState>,
    Posted(s, RuleUpload { fields, files }, ..): PagePost<RuleUpload>,
) -> PageResult {
    let unit: i64 = fields
        .get("unit")
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| WebError::page(AppError::Invalid("请选择被评价单位".into())))?;
    let year: i64 = fields
        .get("year")
        .and_then(|y| y.trim().parse().ok())
        .ok_or_else(|| WebError::page(AppError::Invalid("年度应为四位年份".into())))?;
    let rules = fields.get("rules").cloned().unwrap_or_default();
    let source = if rules == "upload" {
        let (name, bytes) = files
            .get("table")
            .ok_or_else(|| WebError::page(AppError::Invalid("请选择含评价指标表的文件".into())))?;
        RuleSource::Upload { name, bytes }
    } else {
        RuleSource::BuiltIn(&rules)
    };
    let base = files.get("base").map(|(n, b)| (n.as_str(), b.as_slice()));
    let id = page(
        state
            .app
            .start_evaluation(&s.actor, unit, year, source, base)
            .await,
    )?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

/// `GET /evaluations/{id}`.
pub async fn show(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path(id): Path<i64>,
) -> PageResult {
    let v = page(state.app.evaluation(&s.actor, id).await)?;
    let can_judge = page(state.app.rights_at(&s.actor, v.row.org_id).await)?.evaluate;
    let e = &v.evaluation;
    let dec =
        |d: Option<rust_decimal::Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    let missing: Vec<String> = e
        .indicators
        .iter()
        .filter_map(|i| match &i.status {
            Status::NotComputable { reason } => Some(format!("{}：{reason}", i.name)),
            _ => None,
        })
        .collect();
    let rows = e
        .indicators
        .iter()
        .map(|i| {
            let (judged_score, judged_reason) = match v.judgements.get(&i.name) {
                Some(Judgement::Score { score, reason }) => {
                    (score.normalize().to_string(), reason.to_string())
                }
                _ => (String::new(), String::new()),
            };
            views::IndicatorView {
                level1: i.level1.clone(),
                level2: i.level2.clone(),
                name: i.name.clone(),
                points: i.points.normalize().to_string(),
                measure: dec(i.measure),
                score: dec(i.score),
                stated: dec(i.stated),
                differs: matches!((i.stated, i.score), (Some(a), Some(b)) if a != b),
                explanation: i.explanation.clone(),
                judgeable: matches!(
                    i.status,
                    Status::NotComputable { .. } | Status::Judged | Status::FromTable
                ) || !judged_score.is_empty(),
                judged_score,
                judged_reason,
            }
        })
        .collect();
    let binding = v
        .binding
        .as_ref()
        .map(|b| {
            b.fields
                .iter()
                .map(|f| {
                    let (label, column) = f
                        .source
                        .as_ref()
                        .map(|s| {
                            let label = if s.label.is_empty() {
                                "（无行标签）".to_string()
                            } else {
                                s.label.clone()
                            };
                            (label, s.column.clone())
                        })
                        .unwrap_or_else(|| ("—".into(), "—".into()));
                    (
                        f.field.clone(),
                        label,
                        column,
                        f.value.clone().unwrap_or_default(),
                        f.source.is_none(),
                        f.reason.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(render(&views::EvaluationPage {
        nav: Nav::of(&s),
        csrf: s.csrf.clone(),
        id,
        unit: v.unit.clone(),
        year: v.row.year,
        rules_name: v.rules_name.clone(),
        source: v.row.rule_source.clone(),
        total: if e.complete {
            e.total.normalize().to_string()
        } else {
            format!("{}（暂定：{}项未评）", e.total.normalize(), missing.len())
        },
        grade: if e.complete {
            e.grade.name().to_string()
        } else {
            "暂定（有无法计算的指标）".into()
        },
        missing,
        binding,
        rows,
        can_judge,
        notes: v.notes.clone(),
    })
    .into_response())
}

/// `GET /evaluations/{id}/export/{format}`: the evaluation as `.xlsx` or `.pdf`.
pub async fn export(
    State(state): State<AppState>,
    PageUser(s): PageUser,
    Path((id, format)): Path<(i64, String)>,
) -> PageResult {
    // Whether the evaluation exists for this user is answered first, so that a
    // bad format never tells another unit's id from a missing one.
    page(state.app.evaluation(&s.actor, id).await)?;
    let format = Format::parse(&format)
        .filter(|f| matches!(f, Format::Xlsx | Format::Pdf))
        .ok_or_else(|| {
            WebError::page(AppError::Invalid(format!(
                "不支持将评价导出为“{format}”：可用 xlsx、pdf"
            )))
        })?;
    let d = page(state.app.export_evaluation(&s.actor, id, format).await)?;
    Ok(crate::pages::download(d))
}

/// `POST /evaluations/{id}/judge`: fields `score:NAME` and `reason:NAME`.
pub async fn judge(
    State(state): State<AppState>,
    Posted(s, body, Path(id), ..): PagePost<Fields, Path<i64>>,
) -> PageResult {
    // Sorted by name, so that the first bad score reported is always the same one.
    let f: BTreeMap<String, String> = body.into_iter().collect();
    let mut judgements = BTreeMap::new();
    for (key, value) in &f {
        let Some(name) = key.strip_prefix("score:") else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let score = value.trim().parse().map_err(|_| {
            WebError::page(AppError::Invalid(format!(
                "“{name}”的给分“{value}”不是数字"
            )))
        })?;
        let reason_text = f
            .get(&format!("reason:{name}"))
            .cloned()
            .unwrap_or_default();
        let reason = Reason::parse(&reason_text)
            .map_err(|_| WebError::page(AppError::Invalid(format!("“{name}”的给分须写明理由"))))?;
        judgements.insert(name.to_string(), Judgement::Score { score, reason });
    }
    page(state.app.judge(&s.actor, id, judgements).await)?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}
