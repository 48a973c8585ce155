//! The bureau's curation of the indicator library (指标库) and the units' proposals
//! (入库申请): a unit's filer proposes an indicator, the finance bureau approves or refuses
//! it, merges duplicates, requires (固化) indicators for a field and retires old ones. Every
//! decision is kept by the store (and logged); the library applies them when it is next built.

use jixiao_core::indicator::Level2;
use jixiao_core::library::{Curation, Decision, Field, Proposal, Query, Status};
use jixiao_store::StoreError;
use jixiao_store::library::NewCuration;
use serde::Serialize;

use crate::access::{self, Actor, Operation};
use crate::error::AppError;
use crate::service::{App, author};

/// One library entry as the library page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryView {
    /// The key.
    pub key: String,
    /// 一级指标.
    pub level1: &'static str,
    /// 二级指标.
    pub level2: &'static str,
    /// 三级指标.
    pub name: String,
    /// The 指标值 most often set.
    pub typical: String,
    /// 共性指标 / 行业指标 / 单位指标 / 入库申请.
    pub origin: &'static str,
    /// 在用 / 待审核 / 已停用.
    pub status: &'static str,
    /// True while a proposal waits for the bureau.
    pub pending: bool,
    /// True when retired.
    pub retired: bool,
    /// Its fields.
    pub fields: Vec<&'static str>,
    /// The fields it is required (固化) for.
    pub fixed_for: Vec<&'static str>,
    /// How many forms use it.
    pub uses: usize,
    /// How many units use it.
    pub units: usize,
    /// The unit that proposed it (入库申请).
    pub proposed_by: Option<String>,
    /// The proposal's reason.
    pub reason: Option<String>,
    /// The bureau's last note.
    pub decision: Option<String>,
}

/// What the library page asks for.
#[derive(Debug, Clone, Default)]
pub struct Browse {
    /// Words to search by.
    pub text: String,
    /// Only this 二级指标.
    pub level2: Option<Level2>,
    /// Only proposals waiting for the bureau.
    pub pending_only: bool,
    /// At most this many entries.
    pub limit: usize,
}

/// A unit's proposal (入库申请), as typed.
#[derive(Debug, Clone, Default)]
pub struct NewProposal {
    /// 二级指标.
    pub level2: String,
    /// 三级指标.
    pub name: String,
    /// The suggested 指标值.
    pub typical: String,
    /// Its field, by its Chinese name (empty: every field).
    pub field: String,
    /// Why it is needed.
    pub reason: String,
}

impl App {
    /// Library entries for `browse`: anyone signed in sees the entries in use; the bureau
    /// (who may curate) sees proposals and retired entries too, proposals first.
    pub async fn library_entries(
        &self,
        actor: &Actor,
        browse: &Browse,
    ) -> Result<Vec<EntryView>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::View, &chain)?;
        let curator = access::allows(actor, Operation::CurateLibrary, &chain);
        let statuses: &[Status] = match (curator, browse.pending_only) {
            (true, true) => &[Status::Pending],
            (true, false) => &[Status::Pending, Status::Active, Status::Retired],
            (false, _) => &[Status::Active],
        };
        let library = self.library().await?;
        let query = Query {
            text: &browse.text,
            level2: browse.level2,
            ..Query::default()
        };
        let mut found = library.find(&query, statuses, browse.limit.clamp(1, 500));
        found.sort_by_key(|e| e.status != Status::Pending);
        let rows = self.store.curations().await?;
        let mut out = Vec::with_capacity(found.len());
        for e in found {
            let row = rows.iter().find(|r| r.entry_key == e.key);
            let proposed_by = match row.and_then(|r| r.org_id) {
                Some(org) => Some(self.store.org(org).await?.name),
                None => None,
            };
            let mut units: Vec<&str> = e.uses.iter().map(|u| u.unit.as_str()).collect();
            units.sort_unstable();
            units.dedup();
            out.push(EntryView {
                key: e.key.clone(),
                level1: e.level1.name(),
                level2: e.level2.name(),
                name: e.name.clone(),
                typical: e.typical.clone(),
                origin: e.origin.name(),
                status: e.status.name(),
                pending: e.status == Status::Pending,
                retired: e.status == Status::Retired,
                fields: e.fields.iter().map(|f| f.name()).collect(),
                fixed_for: e.fixed_for.iter().map(|f| f.name()).collect(),
                uses: e.uses.len(),
                units: units.len(),
                proposed_by,
                reason: row.and_then(|r| r.reason.clone()),
                decision: row.and_then(|r| r.decision.clone()),
            });
        }
        Ok(out)
    }

    /// The proposals waiting for the bureau (入库申请待审核).
    pub async fn proposals(&self, actor: &Actor) -> Result<Vec<EntryView>, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::CurateLibrary, &chain)?;
        let browse = Browse {
            pending_only: true,
            limit: 500,
            ..Browse::default()
        };
        self.library_entries(actor, &browse).await
    }

    /// A unit proposes an indicator (入库申请); it waits for the bureau. Returns its key.
    pub async fn propose_indicator(
        &self,
        actor: &Actor,
        p: &NewProposal,
    ) -> Result<String, AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::ProposeIndicator, &chain)?;
        let level2 = Level2::parse(p.level2.trim())
            .ok_or_else(|| AppError::Invalid(format!("二级指标“{}”无法识别", p.level2.trim())))?;
        let name: String = p.name.split_whitespace().collect();
        let typical = p.typical.trim();
        let reason = p.reason.trim();
        for (value, what) in [
            (name.as_str(), "三级指标名称"),
            (typical, "指标值"),
            (reason, "申请理由"),
        ] {
            if value.is_empty() {
                return Err(AppError::Invalid(format!("请填写{what}")));
            }
            if value.chars().count() > 200 {
                return Err(AppError::Invalid(format!("{what}不能超过200个字")));
            }
        }
        let fields = match p.field.trim() {
            "" => Vec::new(),
            f => vec![
                Field::parse(f)
                    .ok_or_else(|| AppError::Invalid(format!("行业领域“{f}”无法识别")))?,
            ],
        };
        let curation = Curation::proposed(Proposal {
            level2,
            name: name.clone(),
            typical: typical.to_string(),
            fields,
        });
        let library = self.library().await?;
        if let Some(e) = library.get(&curation.key) {
            return Err(AppError::Invalid(match e.status {
                Status::Pending => format!("“{name}”已有入库申请，正等待财政部门审核"),
                _ => format!("指标库已有“{name}”（{}），无需申请", e.level2.name()),
            }));
        }
        let data =
            serde_json::to_string(&curation).map_err(|e| AppError::unwritable("入库申请", e))?;
        self.store
            .put_curation(
                &NewCuration {
                    entry_key: &curation.key,
                    data: &data,
                    org_id: Some(actor.org_id),
                    reason: Some(reason),
                    decision: None,
                    action: "propose",
                },
                &author(actor),
            )
            .await?;
        Ok(curation.key)
    }

    /// The bureau decides on an entry: approve (a proposal, or a retired entry back), retire,
    /// require for fields (固化), or merge into another entry.
    pub async fn curate(
        &self,
        actor: &Actor,
        key: &str,
        decision: &Decision,
        note: Option<&str>,
    ) -> Result<(), AppError> {
        let chain = self.chain(actor.org_id).await?;
        access::authorize(actor, Operation::CurateLibrary, &chain)?;
        let library = self.library().await?;
        let entry = library
            .get(key)
            .ok_or_else(|| AppError::NotFound(format!("指标库中的“{key}”")))?;
        if let Decision::Merge(into) = decision {
            let target = library
                .get(into)
                .filter(|t| t.key != entry.key && t.status == Status::Active)
                .ok_or_else(|| {
                    AppError::Invalid(format!("合并目标“{into}”不是指标库中另一项在用的指标"))
                })?;
            if target.level2 != entry.level2 {
                return Err(AppError::Invalid(format!(
                    "“{}”（{}）与“{}”（{}）的二级指标不同，不能合并",
                    entry.name,
                    entry.level2.name(),
                    target.name,
                    target.level2.name()
                )));
            }
        }
        if matches!(decision, Decision::Fix(f) if !f.is_empty()) && entry.status != Status::Active {
            return Err(AppError::Invalid(format!(
                "“{}”当前为“{}”，批准后才能固化",
                entry.name,
                entry.status.name()
            )));
        }
        let stored = self.store.curation(key).await?;
        let mut curation = match &stored {
            Some(row) => serde_json::from_str(&row.data).map_err(|e| {
                AppError::Store(StoreError::Corrupt(format!("指标库决定“{key}”：{e}")))
            })?,
            None => Curation::new(key),
        };
        curation.decide(decision);
        let data =
            serde_json::to_string(&curation).map_err(|e| AppError::unwritable("指标库决定", e))?;
        let action = match decision {
            Decision::Approve => "approve",
            Decision::Retire => "retire",
            Decision::Fix(_) => "fix",
            Decision::Merge(_) => "merge",
        };
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        self.store
            .put_curation(
                &NewCuration {
                    entry_key: key,
                    data: &data,
                    org_id: None,
                    reason: None,
                    decision: note,
                    action,
                },
                &author(actor),
            )
            .await?;
        Ok(())
    }
}
