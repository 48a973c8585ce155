//! Money and scores are exact decimals: no `f32`/`f64` in the core's source. The only
//! allowed mention is serde's `visit_f64`, which exists to refuse fractional JSON numbers.

use std::path::Path;

fn scan(dir: &Path, hits: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, hits);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                let float = code
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|w| w == "f64" || w == "f32");
                if float && !code.contains("fn visit_f64") {
                    hits.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
}

#[test]
fn core_has_no_floating_point() {
    let mut hits = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut hits,
    );
    assert!(
        hits.is_empty(),
        "floating point in the core:\n{}",
        hits.join("\n")
    );
}
