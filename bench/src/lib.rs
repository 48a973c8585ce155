//! Shared parts of the benchmark binaries (`src/bin/*.rs`): filling a database with a region of
//! units and forms through jixiao-store.

pub mod fill;
