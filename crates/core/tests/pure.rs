//! The core's invariants, read from the source and the manifests:
//! - no I/O: nothing in `crates/core/src` touches files, processes, the network, the
//!   environment or the clock;
//! - dependencies point inward: the core depends on no other crate of the workspace, the
//!   office adapter only on the core, and nothing depends on the binary or the web crate;
//! - one rounding: every rounding of a decimal, in any crate, goes through `money::round`.

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
        &["core", "office", "app", "web", "store", "cli"],
        &["round_dp"],
        &["core/src/money.rs"],
    );
    assert!(
        found.is_empty(),
        "rounding outside money::round:\n{}",
        found.join("\n")
    );
}

/// The workspace crates a manifest depends on (`jixiao-…` in its [dependencies]).
fn workspace_deps(krate: &str) -> Vec<String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(manifest).unwrap();
    let deps = text
        .split("[dependencies]")
        .nth(1)
        .unwrap_or_default()
        .split("\n[")
        .next()
        .unwrap_or_default();
    deps.lines()
        .filter_map(|l| l.split(['.', ' ', '=']).next())
        .filter(|n| n.starts_with("jixiao"))
        .map(str::to_string)
        .collect()
}

#[test]
fn dependencies_point_inward() {
    assert_eq!(workspace_deps("core"), Vec::<String>::new());
    assert_eq!(workspace_deps("office"), ["jixiao-core"]);
    for krate in ["core", "office", "store", "app", "web"] {
        let deps = workspace_deps(krate);
        assert!(
            !deps.iter().any(|d| d == "jixiao"),
            "{krate} depends on the binary"
        );
        if krate != "web" {
            assert!(
                !deps.iter().any(|d| d == "jixiao-web"),
                "{krate} depends on the web crate"
            );
        }
    }
    // The check reads what it claims to.
    assert!(workspace_deps("app").contains(&"jixiao-core".to_string()));
}
