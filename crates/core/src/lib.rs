//! # jixiao-core
//!
//! The pure domain of Jixiao, the budget performance management system (预算绩效管理系统).
//! No I/O, no async: every function takes values and returns values, so the importers, the
//! store, the web app and the CLI can all rely on the same rules.
//!
//! - [`money`] — exact amounts in 元/万元/亿元.
//! - [`audit`] — 智能审核: checks with codes, severities, locations and evidence.
//! - [`numeral`] — Arabic and Chinese number syntax.
//! - [`target_value`] — 指标值 parsing and comparison.
//! - [`indicator`] — the 一级/二级/三级 tree and its catalogs.
//! - [`library`] — 指标库: indicators gathered and curated, ranked for a declaration.
//! - [`form`] — the typed forms (申报表, 自评表) and their JSON form.
//! - [`scoring`] — self-evaluation scoring under a configurable policy, with explanations.
//! - [`grade`] — 优/良/中/差.
//! - [`monitor`] — 运行监控 warnings: execution against 序时进度, target progress, lights.
//! - [`source`] — provenance: where a value was read.

pub mod audit;
pub mod ex_ante;
pub mod form;
pub mod grade;
pub mod indicator;
pub mod library;
pub mod money;
pub mod monitor;
pub mod numeral;
pub mod payment;
pub mod rules;
pub mod sample;
pub mod scoring;
pub mod self_report;
pub mod source;
pub mod spot_check;
pub mod target_value;
