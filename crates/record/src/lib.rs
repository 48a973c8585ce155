//! # jixiao-record
//!
//! The rules of Jixiao as a system of record, pure (no I/O, no database): what the use cases of
//! `jixiao-app` decide with, and what the pages show in words.
//!
//! - [`role`] — 填报人, 单位负责人, 主管部门审核, 财政审核, 管理员, 第三方/专家.
//! - [`account`] — organisations and accounts as the administration checks and shows them.
//! - [`access`] — every authorisation decision, in one table: who may do what, how far.
//! - [`settings`] — a fiscal year's settings: policies, bands, consequences, what is required.
//! - [`workflow`] — the stages of a form and the steps between them (作废 among them).
//! - [`kind`] — which form types the system keeps, their names, blank forms, and how a
//!   self-evaluation starts from its declaration; when a form is still empty.
//! - [`filing`] — one form per thing: what an upload would file again, and the unit, year and
//!   project a file names.
//! - [`total`] — the one total of a form everyone sees: stated until review, then reviewed;
//!   the computed score and its rescaling in words.
//! - [`validate`] — input that cannot be true, refused by field in Chinese.
//! - [`diff`] — what changed between two versions of a form, field by field.
//! - [`field`] — a form field's name as users know it (「第4项指标的分值」).

pub mod access;
pub mod account;
pub mod diff;
pub mod directory;
pub mod field;
pub mod filing;
pub mod kind;
pub mod role;
pub mod settings;
pub mod total;
pub mod validate;
pub mod workflow;
