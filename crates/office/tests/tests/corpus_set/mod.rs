//! The corpus of published forms (testdata/corpus/), as the corpus tests walk it.

use std::path::{Path, PathBuf};

/// testdata/corpus/.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../testdata/corpus")
}

/// Every document's directory (those with an expected.toml), in name order.
pub fn documents() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}
