//! # jixiao-figures
//!
//! What Jixiao computes from the forms the store keeps, pure (no I/O): a form's assessment —
//! score, grade, monitoring lights, an ex-ante assessment's total and conclusion, audit findings —
//! and the figures a list shows of it; a stored list row, typed; and the finance bureau's
//! dashboard across units with its workbook. The app computes these on every save and view; the
//! web shows them.
//!
//! - [`assess`] — a form's computed figures (by the core's scoring, monitoring and audit).
//! - [`row`] — a stored form's list row, typed (`FormRow`: kind, stage, light, decimals).
//! - [`dashboard`] — the bureau's figures across units, and their workbook.

pub mod assess;
pub mod dashboard;
pub mod row;
