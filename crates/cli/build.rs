//! The commit `jixiao --version` names: `JIXIAO_COMMIT` when the build sets it (a package
//! built from a tarball), else `git rev-parse --short HEAD`, else `未知`.

fn main() {
    println!("cargo:rerun-if-env-changed=JIXIAO_COMMIT");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // HEAD, the branch it names (a commit moves the branch, not HEAD) and the packed refs.
    let mut watched = vec![".git/HEAD".to_string(), ".git/packed-refs".to_string()];
    if let Ok(head) = std::fs::read_to_string(root.join(".git/HEAD"))
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watched.push(format!(".git/{branch}"));
    }
    for w in watched {
        let path = root.join(w);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = std::env::var("JIXIAO_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            std::process::Command::new("git")
                .args(["rev-parse", "--short=10", "HEAD"])
                .current_dir(&root)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| String::from_utf8(o.stdout).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "未知".to_string());
    println!("cargo:rustc-env=JIXIAO_COMMIT={commit}");
}
