//! Monitoring fed by payments (支付数据): the finance bureau uploads the payment system's export
//! for a year (CSV or Excel; columns found by their header words, `jixiao_core::payment`); each
//! row is matched to a monitoring form of its region (by 项目编码 when the form states one, else
//! by the project's name, narrowed by 预算单位), the matched ones are kept, and the ones that
//! match no project are kept with the upload with their reason. A monitoring form then shows
//! its executed amount and execution rate by month with the file each came from; a later
//! upload's rows for a month replace earlier ones for that project and month.

use std::collections::{BTreeMap, BTreeSet};

use jixiao_core::form::Form;
use jixiao_core::form::FundSource;
use jixiao_core::money::MoneyUnit;
use jixiao_core::payment::{self, Candidate, MonthLine, PaymentRow, RowProblem};
use jixiao_store::forms::FormFilter;
use jixiao_store::payments::{NewPayment, NewPaymentUpload, PaymentUploadRow};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::kind::FormKind;
use crate::service::{App, author, parse_form};

/// A project an upload's rows matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matched {
    /// The monitoring form.
    pub form_id: i64,
    /// The project.
    pub project: String,
    /// Its unit.
    pub unit: String,
    /// The months paid (1–12).
    pub months: Vec<u8>,
    /// Rows matched.
    pub rows: usize,
    /// Their sum, 万元 (exact).
    pub amount: Decimal,
}

/// An upload as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentUpload {
    /// Id.
    pub id: i64,
    /// The budget year.
    pub year: i64,
    /// The file's name.
    pub file_name: String,
    /// Payment rows read.
    pub rows: i64,
    /// The projects matched.
    pub matched: Vec<Matched>,
    /// The rows that matched no project or could not be read, with why.
    pub unmatched: Vec<RowProblem>,
    /// Who uploaded it.
    pub created_by: String,
    /// When (Unix ms).
    pub created_at: i64,
}

/// Where a month's payments came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The upload.
    pub upload_id: i64,
    /// Its file.
    pub file_name: String,
    /// When it was uploaded (Unix ms).
    pub at: i64,
    /// The rows of the file, `sheet` and line, that make the month.
    pub lines: Vec<(String, i64)>,
}

/// One month of a monitoring form's payments, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FedMonth {
    /// Amounts and the rate.
    #[serde(flatten)]
    pub line: MonthLine,
    /// Where the month's payments came from (none for a month nothing was paid in).
    pub source: Option<Source>,
}

/// The payments of a monitoring form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feed {
    /// The budget the rate is measured against (调整后预算数, else 年初预算数), 万元.
    pub budget: Option<Decimal>,
    /// The months from January to the last one paid.
    pub months: Vec<FedMonth>,
    /// The form's 1–N月执行数 beside the payments to the end of month N, when they differ.
    pub differs: Option<String>,
}

/// A form's total budget and stated executed amount, 万元.
fn budget_and_executed(form: &Form) -> (Option<Decimal>, Option<Decimal>, u8) {
    let Form::Monitoring(m) = form else {
        return (None, None, 0);
    };
    let total = m
        .funds
        .iter()
        .find(|f| f.source == FundSource::Total)
        .or(m.funds.first());
    let wan = |a: Option<&jixiao_core::money::Amount>| {
        a.and_then(|a| a.to_unit(MoneyUnit::Wan)).map(|a| a.value())
    };
    (
        total.and_then(|f| wan(f.budget())),
        total.and_then(|f| wan(f.executed.as_ref())),
        m.period_end_month,
    )
}

/// The project code a monitoring form states among its other fields, if any.
fn code_of(form: &Form) -> Option<String> {
    let Form::Monitoring(m) = form else {
        return None;
    };
    m.other_fields
        .iter()
        .find(|f| {
            ["项目编码", "项目代码", "项目编号"]
                .iter()
                .any(|w| f.label.contains(w))
        })
        .map(|f| f.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl App {
    /// Reads the payment export `file_name` for `year` (amounts in `unit` when its header
    /// declares none), matches its rows to the region's monitoring forms and keeps them.
    pub async fn upload_payments(
        &self,
        actor: &Actor,
        year: i64,
        file_name: &str,
        bytes: &[u8],
        unit: Option<MoneyUnit>,
    ) -> Result<PaymentUpload, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::FeedPayments, &chain)?;
        let the_year = u16::try_from(year)
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::Invalid(format!("年度“{year}”应为四位年份")))?;
        let mut rows: Vec<PaymentRow> = Vec::new();
        let mut problems: Vec<RowProblem> = Vec::new();
        let mut first_error = None;
        let mut read_any = false;
        for sheet in jixiao_files::table::read(file_name, bytes, &self.limits())? {
            match payment::columns(&sheet.name, &sheet.rows, unit) {
                Ok((header, cols)) => {
                    read_any = true;
                    let (ok, bad) =
                        payment::rows(&sheet.name, &sheet.rows, header, &cols, the_year);
                    rows.extend(ok);
                    problems.extend(bad);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if !read_any {
            return Err(AppError::Invalid(match first_error {
                Some(e) => e.to_string(),
                None => format!("“{file_name}”中没有表格"),
            }));
        }
        let read = rows.len() + problems.len();
        // The region's monitoring forms of the year.
        let orgs = self.visible_orgs(actor).await?;
        let forms = self
            .store
            .forms(&FormFilter {
                org_ids: Some(orgs.iter().map(|o| o.id).collect()),
                year: Some(year),
                kind: Some(FormKind::Monitoring.code().to_string()),
                ..FormFilter::default()
            })
            .await?;
        let mut candidates = Vec::with_capacity(forms.len());
        for f in &forms {
            let stored = self.store.form(f.id).await?;
            candidates.push(Candidate {
                form_id: f.id,
                project: f.name.clone(),
                unit: orgs
                    .iter()
                    .find(|o| o.id == f.org_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                code: code_of(&parse_form(f.id, &stored.data)?),
            });
        }
        let mut kept = Vec::new();
        for row in &rows {
            match payment::match_row(row, &candidates) {
                Ok(form_id) => kept.push(NewPayment {
                    form_id,
                    month: i64::from(row.month),
                    amount: row.amount.normalize().to_string(),
                    sheet: row.sheet.clone(),
                    line: i64::try_from(row.line).unwrap_or(i64::MAX),
                }),
                Err(reason) => problems.push(RowProblem {
                    sheet: row.sheet.clone(),
                    line: row.line,
                    text: [
                        row.code.as_deref(),
                        row.unit.as_deref(),
                        row.project.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" | "),
                    reason: format!(
                        "{}月 {:.2}万元：{reason}",
                        row.month,
                        jixiao_core::money::round2(row.amount)
                    ),
                }),
            }
        }
        problems.sort_by(|a, b| a.sheet.cmp(&b.sheet).then(a.line.cmp(&b.line)));
        let problems_json = serde_json::to_string(&problems)
            .map_err(|e| AppError::unwritable("未匹配的支付数据", e))?;
        let id = self
            .store
            .record_payments(
                &NewPaymentUpload {
                    org_id: actor.org_id,
                    year,
                    file_name,
                    rows_read: i64::try_from(read).unwrap_or(i64::MAX),
                    problems: &problems_json,
                },
                &kept,
                &author(actor),
            )
            .await?;
        self.payment_upload(actor, id).await
    }

    /// The uploads the actor's bureau made, newest first.
    pub async fn payment_uploads(&self, actor: &Actor) -> Result<Vec<PaymentUploadRow>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::FeedPayments, &chain)?;
        let orgs: Vec<i64> = self
            .visible_orgs(actor)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        Ok(self.store.payment_uploads(&orgs).await?)
    }

    /// One upload: the projects it matched and the rows it did not.
    pub async fn payment_upload(&self, actor: &Actor, id: i64) -> Result<PaymentUpload, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::FeedPayments, &chain)?;
        let row = self.store.payment_upload(id).await?;
        let orgs = self.visible_orgs(actor).await?;
        if !orgs.iter().any(|o| o.id == row.org_id) {
            return Err(AppError::NotFound("支付数据上传记录".into()));
        }
        let mut matched: BTreeMap<i64, Matched> = BTreeMap::new();
        for p in self.store.payments_of_upload(id).await? {
            let m = match matched.entry(p.form_id) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let head = self.store.form_head(p.form_id).await?;
                    e.insert(Matched {
                        form_id: p.form_id,
                        project: head.name.clone(),
                        unit: orgs
                            .iter()
                            .find(|o| o.id == head.org_id)
                            .map(|o| o.name.clone())
                            .unwrap_or_default(),
                        months: Vec::new(),
                        rows: 0,
                        amount: Decimal::ZERO,
                    })
                }
            };
            m.rows += 1;
            m.amount += p.amount.parse::<Decimal>().unwrap_or_default();
            let month = u8::try_from(p.month).unwrap_or(0);
            if !m.months.contains(&month) {
                m.months.push(month);
            }
        }
        let unmatched: Vec<RowProblem> = serde_json::from_str(&row.problems)
            .map_err(|e| AppError::unwritable("未匹配的支付数据", e))?;
        let created_by = self
            .display_name(&mut Default::default(), row.created_by)
            .await?;
        Ok(PaymentUpload {
            id,
            year: row.year,
            file_name: row.file_name,
            rows: row.rows_read,
            matched: matched.into_values().collect(),
            unmatched,
            created_by,
            created_at: row.created_at,
        })
    }

    /// The payments fed to monitoring form `form_id`, by month with their source (`None` for a
    /// form of another kind or one nothing was paid to).
    pub async fn payments_of(&self, actor: &Actor, form_id: i64) -> Result<Option<Feed>, AppError> {
        let stored = self.store.form(form_id).await?;
        self.authorize_form(actor, Operation::View, &stored.head)
            .await?;
        let paid = self.store.payments_of_form(form_id).await?;
        if paid.is_empty() {
            return Ok(None);
        }
        // Per month, the rows of the latest upload that has the month.
        let mut latest: BTreeMap<u8, i64> = BTreeMap::new();
        for p in &paid {
            let month = u8::try_from(p.month).unwrap_or(0);
            let at = latest.entry(month).or_insert(p.upload_id);
            *at = (*at).max(p.upload_id);
        }
        let mut by_month: BTreeMap<u8, Decimal> = BTreeMap::new();
        let mut sources: BTreeMap<u8, Source> = BTreeMap::new();
        let uploads: BTreeSet<i64> = latest.values().copied().collect();
        let mut files = BTreeMap::new();
        for u in uploads {
            files.insert(u, self.store.payment_upload(u).await?);
        }
        for p in &paid {
            let month = u8::try_from(p.month).unwrap_or(0);
            if latest.get(&month) != Some(&p.upload_id) {
                continue;
            }
            let amount: Decimal = p.amount.parse().map_err(|_| {
                AppError::Store(jixiao_store::StoreError::Corrupt(format!(
                    "支付数据 {}：金额“{}”",
                    p.id, p.amount
                )))
            })?;
            *by_month.entry(month).or_default() += amount;
            let upload = &files[&p.upload_id];
            sources
                .entry(month)
                .or_insert_with(|| Source {
                    upload_id: p.upload_id,
                    file_name: upload.file_name.clone(),
                    at: upload.created_at,
                    lines: Vec::new(),
                })
                .lines
                .push((p.sheet.clone(), p.line));
        }
        let form = parse_form(form_id, &stored.data)?;
        let (budget, executed, through) = budget_and_executed(&form);
        let months: Vec<FedMonth> = payment::monthly(&by_month, budget)
            .into_iter()
            .map(|line| FedMonth {
                source: sources.get(&line.month).cloned(),
                line,
            })
            .collect();
        let paid_through = months
            .iter()
            .take_while(|m| m.line.month <= through)
            .last()
            .map(|m| m.line.cumulative);
        let differs = match (executed, paid_through) {
            (Some(stated), Some(paid)) if (stated - paid).abs() >= Decimal::new(1, 2) => {
                Some(format!(
                    "填报的1–{through}月执行数为{:.2}万元，支付数据1–{through}月累计支付{:.2}万元，填报数{}{:.2}万元",
                    jixiao_core::money::round2(stated),
                    jixiao_core::money::round2(paid),
                    if stated > paid { "多" } else { "少" },
                    jixiao_core::money::round2((stated - paid).abs())
                ))
            }
            _ => None,
        };
        Ok(Some(Feed {
            budget,
            months,
            differs,
        }))
    }
}
