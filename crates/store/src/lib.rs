//! # jixiao-store
//!
//! Where Jixiao keeps its data: an embedded SQLite file by default (WAL mode), or PostgreSQL,
//! chosen by the database URL. One portable SQL text per query (`$1` placeholders, `RETURNING`),
//! run through sqlx's `Any` driver; migrations per backend under `migrations/`.
//!
//! The store knows rows, not rules: who may do what, and which stage follows which, is decided
//! by `jixiao-app`. What the store guarantees itself:
//! - a save names the version it was based on, and a stale one is refused ([`StoreError::Conflict`]);
//! - every change is appended to a hash-chained log ([`log`]) in the same transaction, and the
//!   appends are serialised so the chain never forks;
//! - money and scores are kept as decimal text, never as floating point.

pub mod adjustments;
pub mod backup;
pub mod clock;
pub mod db;
pub mod error;
pub mod evaluations;
pub mod experts;
pub mod forms;
pub mod jobs;
pub mod library;
pub mod log;
pub mod orgs;
pub mod payments;
pub mod region_runs;
pub mod results;
pub mod sessions;
pub mod spot_checks;
pub mod tree;
pub mod users;

pub use db::{Backend, Store};
pub use error::StoreError;
