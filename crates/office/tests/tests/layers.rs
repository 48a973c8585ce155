//! Inside a crate, the module graphs of the readers (`jixiao-read`) and the writers
//! (`jixiao-write`) have no cycles: each module uses only modules below it (`write/src/lib.rs`
//! lists the layers). Read from the sources' `super::…` and `crate::…` paths, test modules left
//! out. Between crates, cargo keeps the layers (`crates/cli/tests/architecture.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the sibling modules it uses, for the modules of `dir` (a folder of the crate).
fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let (name, file) = if path.is_dir() {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path.join("mod.rs"),
            )
        } else if path.extension().is_some_and(|e| e == "rs") {
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                path.clone(),
            )
        } else {
            continue;
        };
        if name != "mod" && name != "lib" && file.is_file() {
            let text = std::fs::read_to_string(&file).unwrap();
            // Code before the test module.
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_string();
            files.push((name, code));
        }
    }
    let names: BTreeSet<String> = files.iter().map(|f| f.0.clone()).collect();
    files
        .into_iter()
        .map(|(name, code)| {
            let mut uses = BTreeSet::new();
            let paths = code
                .match_indices("super::")
                .map(|(k, p)| k + p.len())
                .chain(code.match_indices("crate::").map(|(k, p)| k + p.len()));
            for at in paths {
                let rest = &code[at..];
                if let Some(list) = rest.strip_prefix('{') {
                    for item in list.split('}').next().unwrap_or_default().split(',') {
                        let m = item.trim().split("::").next().unwrap_or_default();
                        if names.contains(m) {
                            uses.insert(m.to_string());
                        }
                    }
                } else {
                    let m: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if names.contains(&m) && rest[m.len()..].starts_with("::") {
                        uses.insert(m);
                    }
                }
            }
            uses.remove(&name);
            (name, uses)
        })
        .collect()
}

/// A cycle in the graph, if there is one.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            return Some(path[at..].to_vec());
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn readers_and_writers_use_only_the_modules_below_them() {
    let office = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let src = |name: &str| office.join(name).join("src");
    for dir in ["read", "write"] {
        let g = graph(&src(dir));
        assert!(g.len() >= 6, "{dir}: {g:?}");
        assert_eq!(cycle(&g), None, "{dir}: {g:#?}");
    }
    // The check sees an edge where there is one.
    let write = graph(&src("write"));
    assert!(write["docx"].contains("paper") && write["xlsx"].contains("sheet"));
    let mut looped = write.clone();
    looped.get_mut("paper").unwrap().insert("docx".into());
    assert!(cycle(&looped).is_some());
}
