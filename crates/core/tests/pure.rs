//! The core's invariants, read from the source:
//! - no I/O: nothing in `crates/core/src` touches files, processes, the network, the
//!   environment or the clock;
//! - one rounding: every rounding of a decimal, in any crate, goes through `money::round`.
//!
//! Dependencies between crates are pinned by `crates/cli/tests/architecture.rs`.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every line of code in the core (comments and test modules left out) that contains one of
/// `needles`.
fn hits(needles: &[&str], except: &[&str]) -> Vec<String> {
    hits_in(&["core"], needles, except)
}

/// Every line of code in the sources of the workspace crates `crates` (comments and test
/// modules left out) that contains one of `needles`.
fn hits_in(crates: &[&str], needles: &[&str], except: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    for krate in crates {
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(krate)
                .join("src"),
            &mut files,
        );
    }
    let mut out = Vec::new();
    for file in files {
        let name = file.display().to_string();
        if name.ends_with("tests.rs") || except.iter().any(|e| name.ends_with(e)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or_default();
            if needles.iter().any(|needle| line.contains(needle)) {
                out.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn the_core_does_no_io() {
    let found = hits(
        &[
            "std::fs",
            "std::net",
            "std::process",
            "std::env",
            "std::io::stdin",
            "std::io::stdout",
            "SystemTime",
            "Instant::now",
            "tokio",
            "println!",
            "eprintln!",
        ],
        &[],
    );
    assert!(found.is_empty(), "I/O in the core:\n{}", found.join("\n"));
}

#[test]
fn decimals_are_rounded_in_one_place() {
    // Every crate of the workspace: a page or a reader that rounds on its own (`round_dp` is
    // banker's rounding) would show another figure than the core computed.
    let found = hits_in(
        &[
            "core",
            "office/grid",
            "office/flat",
            "office/read",
            "office/recognize",
            "office/write",
            "office/pdf",
            "office/yitihua",
            "record",
            "figures",
            "app",
            "web",
            "web/edit",
            "store",
            "cli",
        ],
        &["round_dp"],
        &["core/src/money.rs"],
    );
    assert!(
        found.is_empty(),
        "rounding outside money::round:\n{}",
        found.join("\n")
    );
}
