//! The house's shape, read from cargo itself (`cargo metadata`), not from convention:
//! - every crate's normal dependencies are pinned, workspace crates and external ones alike, so
//!   a new arrow between crates or a new heavy dependency is a decision made in this file;
//! - the arrows point inward: the pure core depends on no workspace crate, the office adapters
//!   only on the core and on the office crates below them, and the web knows neither the store
//!   nor the office crates (it reaches data and files through the app alone);
//! - every library crate but the core stays small enough to read (under 8,000 lines).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Each workspace crate → (its manifest's folder, its normal dependencies by name).
fn crates() -> BTreeMap<String, (PathBuf, BTreeSet<String>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let name = p["name"].as_str().expect("name").to_string();
            let dir = Path::new(p["manifest_path"].as_str().expect("manifest"))
                .parent()
                .expect("folder")
                .to_path_buf();
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().expect("name").to_string())
                .collect();
            (name, (dir, deps))
        })
        .collect()
}

/// The pinned normal dependencies of every workspace crate.
const PINNED: &[(&str, &[&str])] = &[
    (
        "jixiao-core",
        &[
            "rust_decimal",
            "serde",
            "serde_json",
            "serde_path_to_error",
            "thiserror",
            "toml",
        ],
    ),
    ("jixiao-grid", &["jixiao-core", "serde", "thiserror", "zip"]),
    (
        "jixiao-flat",
        &["jixiao-core", "jixiao-grid", "rust_decimal"],
    ),
    (
        "jixiao-read",
        &[
            "calamine",
            "encoding_rs",
            "flate2",
            "jixiao-core",
            "jixiao-flat",
            "jixiao-grid",
            "jixiao-ocr",
            "pdf-extract",
            "quick-xml",
            "rust_decimal",
            "tempfile",
        ],
    ),
    (
        "jixiao-ocr",
        &["image", "jixiao-core", "jixiao-grid", "tempfile"],
    ),
    (
        "jixiao-recognize",
        &[
            "jixiao-core",
            "jixiao-grid",
            "jixiao-read",
            "jixiao-yitihua",
            "rust_decimal",
            "serde",
            "serde_json",
        ],
    ),
    (
        "jixiao-write",
        &["jixiao-core", "rust_decimal", "rust_xlsxwriter", "zip"],
    ),
    (
        "jixiao-yitihua",
        &[
            "csv",
            "encoding_rs",
            "jixiao-core",
            "jixiao-grid",
            "rust_decimal",
            "serde_json",
            "sha2",
            "thiserror",
            "zip",
        ],
    ),
    (
        "jixiao-pdf",
        &[
            "flate2",
            "fontdb",
            "jixiao-write",
            "pdf-writer",
            "subsetter",
            "thiserror",
            "ttf-parser",
        ],
    ),
    ("jixiao-office-tests", &[]),
    (
        "jixiao-store",
        &[
            "serde",
            "serde_json",
            "sha2",
            "sqlx",
            "thiserror",
            "time",
            "tracing",
        ],
    ),
    (
        "jixiao-record",
        &[
            "jixiao-core",
            "rust_decimal",
            "serde",
            "serde_json",
            "thiserror",
        ],
    ),
    (
        "jixiao-files",
        &[
            "csv",
            "encoding_rs",
            "jixiao-core",
            "jixiao-grid",
            "jixiao-pdf",
            "jixiao-read",
            "jixiao-recognize",
            "jixiao-write",
            "jixiao-yitihua",
            "rayon",
            "serde",
            "serde_json",
            "thiserror",
        ],
    ),
    (
        "jixiao-config",
        &["jixiao-grid", "serde", "thiserror", "toml"],
    ),
    (
        "jixiao-figures",
        &[
            "jixiao-core",
            "jixiao-record",
            "jixiao-store",
            "jixiao-write",
            "rust_decimal",
            "serde",
        ],
    ),
    (
        "jixiao-app",
        &[
            "argon2",
            "getrandom",
            "jixiao-core",
            "jixiao-config",
            "jixiao-figures",
            "jixiao-files",
            "jixiao-grid",
            "jixiao-read",
            "jixiao-recognize",
            "jixiao-record",
            "jixiao-store",
            "jixiao-write",
            "rust_decimal",
            "serde",
            "serde_json",
            "thiserror",
            "time",
            "tokio",
            "tracing",
        ],
    ),
    (
        "jixiao-demo",
        &["jixiao-app", "jixiao-core", "rust_decimal", "serde"],
    ),
    (
        "jixiao-edit",
        &[
            "jixiao-core",
            "jixiao-figures",
            "jixiao-record",
            "rust_decimal",
            "serde_json",
        ],
    ),
    (
        "jixiao-web",
        &[
            "askama",
            "axum",
            "jixiao-app",
            "jixiao-edit",
            "jixiao-core",
            "rust_decimal",
            "serde",
            "serde_json",
            "serde_urlencoded",
            "thiserror",
            "tokio",
            "tower",
            "tower-http",
            "tracing",
        ],
    ),
    (
        "jixiao",
        &[
            "anyhow",
            "clap",
            "clap_complete",
            "clap_mangen",
            "indicatif",
            "jixiao-app",
            "jixiao-core",
            "jixiao-demo",
            "jixiao-grid",
            "jixiao-read",
            "jixiao-recognize",
            "jixiao-store",
            "jixiao-web",
            "jixiao-write",
            "mimalloc",
            "rust_decimal",
            "serde",
            "serde_json",
            "tokio",
            "tracing-subscriber",
            "unicode-width",
        ],
    ),
    (
        "jixiao-bench",
        &[
            "jixiao-app",
            "jixiao-core",
            "jixiao-pdf",
            "jixiao-recognize",
            "jixiao-store",
            "jixiao-write",
            "mimalloc",
            "quick-xml",
            "serde_json",
            "tokio",
            "zip",
        ],
    ),
];

#[test]
fn every_crate_has_exactly_its_pinned_dependencies() {
    let actual = crates();
    let pinned: BTreeMap<&str, BTreeSet<String>> = PINNED
        .iter()
        .map(|(k, d)| (*k, d.iter().map(|s| s.to_string()).collect()))
        .collect();
    let mut wrong = Vec::new();
    for (name, (_, deps)) in &actual {
        match pinned.get(name.as_str()) {
            None => wrong.push(format!("{name}: a new crate, not pinned here")),
            Some(want) if want != deps => wrong.push(format!(
                "{name}: added {:?}, removed {:?}",
                deps.difference(want).collect::<Vec<_>>(),
                want.difference(deps).collect::<Vec<_>>()
            )),
            Some(_) => {}
        }
    }
    for name in pinned.keys() {
        if !actual.contains_key(*name) {
            wrong.push(format!("{name}: pinned but not in the workspace"));
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies changed:\n{}",
        wrong.join("\n")
    );
}

/// The layers, inside out: a crate may depend only on workspace crates of earlier layers.
const LAYERS: &[&[&str]] = &[
    &["jixiao-core"],
    &[
        "jixiao-grid",
        "jixiao-write",
        "jixiao-store",
        "jixiao-record",
    ],
    &[
        "jixiao-flat",
        "jixiao-ocr",
        "jixiao-pdf",
        "jixiao-config",
        "jixiao-yitihua",
    ],
    &["jixiao-read"],
    &["jixiao-recognize"],
    &["jixiao-files", "jixiao-figures"],
    &["jixiao-app", "jixiao-edit"],
    &["jixiao-web", "jixiao-demo"],
    &["jixiao", "jixiao-bench", "jixiao-office-tests"],
];

#[test]
fn dependencies_point_inward() {
    let actual = crates();
    let layer = |name: &str| LAYERS.iter().position(|l| l.contains(&name));
    let mut wrong = Vec::new();
    for (name, (_, deps)) in &actual {
        let Some(mine) = layer(name) else {
            wrong.push(format!("{name} has no layer"));
            continue;
        };
        for dep in deps.iter().filter(|d| d.starts_with("jixiao")) {
            match layer(dep) {
                Some(theirs) if theirs < mine => {}
                _ => wrong.push(format!("{name} → {dep} points outward")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check reads what it claims to: the app does reach the store.
    assert!(actual["jixiao-app"].1.contains("jixiao-store"));
}

#[test]
fn the_web_knows_neither_the_store_nor_the_office_crates() {
    let actual = crates();
    let office = [
        "jixiao-grid",
        "jixiao-flat",
        "jixiao-read",
        "jixiao-ocr",
        "jixiao-recognize",
        "jixiao-write",
        "jixiao-pdf",
        "jixiao-yitihua",
    ];
    let web = &actual["jixiao-web"].1;
    for forbidden in office.iter().chain(&["jixiao-store"]) {
        assert!(
            !web.contains(*forbidden),
            "jixiao-web depends on {forbidden}"
        );
    }
    assert!(web.contains("jixiao-app"));
}

/// Lines in the `.rs` files under `dir`.
fn lines(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            n += lines(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            n += std::fs::read_to_string(&path)
                .expect("text")
                .lines()
                .count();
        }
    }
    n
}

#[test]
fn every_library_crate_but_the_core_stays_under_8000_lines() {
    let mut big = Vec::new();
    let mut counted = 0;
    for (name, (dir, _)) in crates() {
        let src = dir.join("src");
        if name == "jixiao-core" || !src.join("lib.rs").is_file() {
            continue;
        }
        counted += 1;
        let n = lines(&src);
        if n >= 8000 {
            big.push(format!("{name}: {n} lines"));
        }
    }
    assert!(counted >= 9, "only {counted} library crates found");
    assert!(big.is_empty(), "{}", big.join("\n"));
}
