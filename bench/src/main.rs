//! Jixiao's benchmark harness: `cargo run --release -p jixiao-bench -- [import|score|audit|all] [N]`.
//!
//! Speed targets live here, never in timed tests. Each scenario prints what it did and the
//! figures; BENCHMARKS.md records them with the command that produced them.

// Timings are measurements, not money or scores: floating point is right here.
#![allow(clippy::float_arithmetic)]

use std::path::PathBuf;
use std::time::Instant;

use jixiao_core::scoring::{ScoringPolicy, score};
use jixiao_office::{Limits, import};

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// Every seed document in every format: (name, bytes).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in ["fixtures", "seeds"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata().join(dir))
            .expect("testdata is present")
            .map(|e| e.expect("readable directory").path())
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).expect("readable file");
            files.push((
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                bytes,
            ));
        }
    }
    files
}

fn import_bench(rounds: usize) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let limits = Limits::default();
    let run = |files: &[(String, Vec<u8>)], rounds: usize| -> usize {
        let mut forms = 0;
        for _ in 0..rounds {
            for (name, data) in files {
                forms += import(name, data, &limits).map_or(0, |i| i.forms.len());
            }
        }
        forms
    };
    // Warm-up.
    run(&files, 1);
    let start = Instant::now();
    let forms = run(&files, rounds);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "import, 1 thread: {} files × {rounds} rounds ({:.1} MB per round)",
        files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  {forms} forms in {secs:.3} s: {:.0} forms/s, {:.0} files/s, {:.1} MB/s",
        forms as f64 / secs,
        (files.len() * rounds) as f64 / secs,
        (bytes * rounds) as f64 / 1e6 / secs
    );

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let start = Instant::now();
    let forms: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let files = &files;
                s.spawn(move || run(files, rounds / threads + usize::from(t < rounds % threads)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let secs = start.elapsed().as_secs_f64();
    println!("import, {threads} threads:");
    println!(
        "  {forms} forms in {secs:.3} s: {:.0} forms/s, {:.0} files/s",
        forms as f64 / secs,
        (files.len() * rounds) as f64 / secs
    );
}

fn score_bench(rounds: usize) {
    let limits = Limits::default();
    let evals: Vec<_> = corpus()
        .iter()
        .filter_map(|(n, b)| import(n, b, &limits).ok())
        .flat_map(|i| {
            i.forms
                .into_iter()
                .filter_map(|f| f.form.self_evaluation().cloned())
        })
        .collect();
    let policy = ScoringPolicy::default();
    let start = Instant::now();
    let mut discrepancies = 0;
    for _ in 0..rounds {
        for e in &evals {
            discrepancies += score(e, &policy).discrepancies.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = evals.len() * rounds;
    println!(
        "score: {} self-evaluation forms × {rounds} rounds",
        evals.len()
    );
    println!(
        "  {n} forms in {secs:.3} s: {:.0} forms/s ({discrepancies} discrepancies found)",
        n as f64 / secs
    );
}

/// A folder of `n` .docx forms (the seed documents in turn), audited on all cores.
fn audit_bench(n: usize) {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-audit-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        eprintln!("无法创建临时文件夹 {}", dir.display());
        return;
    }
    let seeds: Vec<Vec<u8>> = ["seed000", "seed001", "seed003", "seed004"]
        .iter()
        .filter_map(|s| std::fs::read(testdata().join(format!("fixtures/{s}.docx"))).ok())
        .collect();
    for k in 0..n {
        let _ = std::fs::write(
            dir.join(format!("form{k:05}.docx")),
            &seeds[k % seeds.len()],
        );
    }
    let files = jixiao_office::batch::collect(std::slice::from_ref(&dir)).unwrap_or_default();
    let policy = ScoringPolicy::default();
    let start = Instant::now();
    let audits = jixiao_office::batch::audit_all(&files, &policy, None, false);
    let secs = start.elapsed().as_secs_f64();
    let forms: usize = audits.iter().map(|a| a.forms).sum();
    let findings: usize = audits.iter().map(|a| a.findings.len()).sum();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "audit: a folder of {} .docx files ({forms} forms), {threads} threads",
        files.len()
    );
    println!(
        "  {secs:.3} s: {:.0} forms/s, {:.0} files/s ({findings} findings)",
        forms as f64 / secs,
        files.len() as f64 / secs
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("all", String::as_str);
    let rounds = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(100);
    match what {
        "import" => import_bench(rounds),
        "score" => score_bench(rounds * 10),
        "audit" => audit_bench(rounds * 20),
        "all" => {
            import_bench(rounds);
            score_bench(rounds * 10);
            audit_bench(rounds * 20);
        }
        other => {
            eprintln!("未知的基准“{other}”：可用 import、score、audit、all");
            std::process::exit(2);
        }
    }
}
