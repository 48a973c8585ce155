//! # jixiao-yitihua
//!
//! The 预算管理一体化 exchange: forms written as the 一体化 规范表 — one CSV per table
//! (`PM_PERF_GOAL_INFO.csv`, `PM_PERF_INDICATOR.csv` …, UTF-8 with a byte-order mark) in a zip —
//! and read back to identical forms. Project and department targets, monitoring forms and
//! self-evaluations have 规范表; other form kinds are refused by name. Standard columns carry the
//! 规范表's names; what the standard has no column for is kept in documented `x_` columns and
//! `X_` tables so the round trip is exact (docs/yitihua.md lists every column and its source).
//!
//! [`tables`] lists the tables and columns, [`codes`] derives the codes forms do not state,
//! [`mod@write`] writes the zip, [`mod@read`] reads one (bounded against hostile zips), [`error`] says
//! what went wrong in Chinese.

pub mod codes;
pub mod error;
pub mod read;
pub mod tables;
pub mod write;

pub use error::{ReadError, ReadErrorKind, WriteError};
pub use read::{is_exchange, read};
pub use write::{Exported, Options, Refused, exchangeable, write};

/// The form kinds that have a 规范表, for messages.
pub const EXCHANGEABLE: &str = "项目支出绩效目标申报表、部门整体支出绩效目标申报表、项目支出绩效目标执行监控表、项目支出绩效自评表、部门整体支出绩效自评表";
