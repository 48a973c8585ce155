//! Jixiao's benchmark harness: `cargo run --release -p jixiao-bench -- [import|score] [ROUNDS]`.
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("all", String::as_str);
    let rounds = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(100);
    match what {
        "import" => import_bench(rounds),
        "score" => score_bench(rounds * 10),
        "all" => {
            import_bench(rounds);
            score_bench(rounds * 10);
        }
        other => {
            eprintln!("未知的基准“{other}”：可用 import、score、all");
            std::process::exit(2);
        }
    }
}
