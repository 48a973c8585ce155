//! # jixiao-grid
//!
//! The vocabulary the office adapters share: the neutral [`Document`] every reader produces
//! (paragraphs and tables of spanned cells, in document order, each cell with where it was
//! read), the [`Limits`] that bound what an untrusted file may cost, and the [`ImportError`]
//! every reader and recognizer reports (Chinese messages that name the file).
//!
//! - [`document`] — `Document`, `Block`, `Paragraph`, `Table`, `Cell` (with `Scanned`, a scan
//!   cell's box and confidence), `TableBuilder`.
//! - [`bounded_zip`] — the one bounded reader of untrusted zip archives.
//! - [`limits`] — bytes, inflated bytes, rows, columns, cells, text and nesting.
//! - [`error`] — `ImportError`, `ErrorKind`, `io_reason`.
//! - [`progress`] — pages of a long read reported to whoever waits on it.

pub mod bounded_zip;
pub mod document;
pub mod error;
pub mod limits;
pub mod progress;

pub use bounded_zip::{BoundedZip, ZipFault};
pub use document::{Block, Cell, Document, Format, Paragraph, Scanned, Table, TableBuilder};
pub use error::{ErrorKind, ImportError, io_reason};
pub use limits::{Limits, within};
