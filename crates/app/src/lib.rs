//! # jixiao-app
//!
//! The use cases of Jixiao as a system people log into — sign in, list, create, import, save,
//! score, audit, confirm, submit, review, publish, export — shared by the web application and
//! the CLI. No HTTP here: `jixiao-web` maps requests to these calls.
//!
//! - [`role`] — 填报人, 单位负责人, 主管部门审核, 财政审核, 管理员, 第三方/专家.
//! - [`workflow`] — the stages of a form and the actions between them (pure).
//! - [`access`] — every authorisation decision, in one table (pure; `jixiao-record`).
//! - [`adjustment`] — 绩效目标调整: requests to change handed-over targets, the bureau's decision.
//! - [`admin`] — 系统管理: organisations, accounts, one-time passwords, password changes.
//! - [`directory`] — the Excel import of units and users, checked row by row.
//! - [`kind`] — which form types the system manages, and how a self-evaluation starts from its
//!   declaration.
//! - [`assess`] — a form's computed figures: score, grade and audit findings (by the core;
//!   `jixiao-figures`).
//! - [`batch`] — files and folders audited in parallel, one result per file (`jixiao-files`).
//! - [`config`] — the instance's [`Settings`], loaded once from a file, the
//!   environment and the command line (`jixiao-config`).
//! - [`dashboard`] — the finance bureau's figures across units (pure; `jixiao-figures`).
//! - [`diff`] — what changed between two versions of a form, field by field.
//! - [`evaluation`] — the bureau's department evaluation: rule sets, binding, judgements.
//! - [`ex_ante`] — a declaration's 事前绩效评估, and the year's requirement of one.
//! - [`files`] — the forms a file holds, and forms or the report written as files
//!   (`jixiao-files`).
//! - [`filing`] — one form per thing: duplicates, and the unit and year a file names.
//! - [`region`] — the region-wide audit of an uploaded archive of many units' forms.
//! - [`results`] — 结果应用: consequences, rectifications, the public results page.
//! - [`spot_check`] — 抽评: samples of submitted self-evaluations, the bureau's own scores, gaps.
//! - [`row`] — a stored form's list row, typed (`FormRow`: kind, stage, light, decimals;
//!   `jixiao-figures`).
//! - [`password`] — argon2id hashes and random tokens.
//! - [`settings`] — a fiscal year's policies, consequences and publication (`jixiao-record`).
//! - [`total`] — the one total of a form everyone sees (stated, then reviewed).
//! - [`validate`] — input that cannot be true, refused with the field's Chinese name.
//! - [`library`] — 指标库: indicators gathered from the forms, suggested while declaring; a
//!   declaration's targets reviewed against it.
//! - [`curation`] — the bureau's curation of the library and the units' proposals (入库申请).
//! - [`jobs`] — scans imported in the background: queued, claimed by a worker, progress.
//! - [`parsing`] — the gate uploads pass before they are parsed (a bounded queue).
//! - [`readings`] — values read uncertainly from a scan, confirmed before the form goes on.
//! - [`service`] — [`App`]: the use cases over the store.
//! - [`payment`] — 支付数据: the payment system's exports feeding monitoring, by month.
//! - [`expert`] — 第三方评审: registers of institutions and experts, assignments, what an expert
//!   may see (only the forms assigned to them), their declaration and scores.
//! - [`seed`] — the set-up writes a script makes before anyone signs in (the demo region of
//!   `jixiao-demo`).

pub mod adjustment;
pub mod admin;
pub mod curation;
pub mod directory;
pub mod error;
pub mod evaluation;
pub mod ex_ante;
pub mod expert;
pub mod jobs;
pub mod library;
pub mod parsing;
pub mod password;
pub mod payment;
pub mod readings;
pub mod region;
pub mod results;
pub mod seed;
pub mod service;
pub mod spot_check;

pub use jixiao_record::{
    access, diff, field, filing, kind, role, settings, total, validate, workflow,
};

/// The instance's settings ([`jixiao_config`]).
pub use jixiao_config as config;
/// What is computed from stored forms ([`jixiao_figures`]): a form's assessment, its list row,
/// the bureau's dashboard.
pub use jixiao_figures::{assess, dashboard, row};
/// Files in and out ([`jixiao_files`]).
pub use jixiao_files as files;
/// Batch audits of many files ([`jixiao_files::batch`]).
pub use jixiao_files::batch;

pub use access::{Actor, Operation};
pub use config::Settings;
pub use error::AppError;
pub use jixiao_store::clock::Clock;
pub use row::FormRow;
pub use service::App;

/// Time as the pages show it: Unix milliseconds in Beijing time.
pub mod time {
    pub use jixiao_store::clock::{date, minute};
}

/// The rows the use cases return and take as the store keeps them (filters, pages, years,
/// events, attachments, organisations); the web reaches them only through the app.
pub mod rows {
    pub use jixiao_store::forms::{AttachmentRow, EventRow, FormFilter, NoteRow, PageRequest};
    pub use jixiao_store::log::Entry as LogEntry;
    pub use jixiao_store::orgs::{OrgRow, ProjectRow, YearRow};
}
