//! Jixiao's benchmark harness: `cargo run --release -p jixiao-bench -- [import|pdf|score|audit|report|export|all] [N]`.
//!
//! Speed targets live here, never in timed tests. Each scenario prints what it did and the
//! figures; BENCHMARKS.md records them with the command that produced them.

// Timings are measurements, not money or scores: floating point is right here.
#![allow(clippy::float_arithmetic)]

use std::path::PathBuf;
use std::time::Instant;

use jixiao_core::scoring::{ScoringPolicy, score};
use jixiao_recognize::{Limits, import};

/// The allocator of the `jixiao` binary, so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

    // Per format, 1 thread: where a change of reader shows.
    for ext in ["docx", "xlsx", "html", "txt"] {
        let some: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(n, _)| n.ends_with(&format!(".{ext}")))
            .cloned()
            .collect();
        run(&some, 1);
        let start = Instant::now();
        let forms = run(&some, rounds * 2);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "  per format, 1 thread: .{ext}: {} files × {} rounds, {forms} forms, {:.3} ms per file",
            some.len(),
            rounds * 2,
            secs * 1e3 / (some.len() * rounds * 2).max(1) as f64
        );
    }

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

/// PDFs with a text layer (testdata/pdf, printed from the fixtures by LibreOffice) against
/// the files they were printed from, one thread.
fn pdf_bench(rounds: usize) {
    let limits = Limits::default();
    let mut pdfs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut sources: Vec<(String, Vec<u8>)> = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata().join("pdf"))
        .expect("testdata/pdf is present")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| {
            p.to_string_lossy().ends_with(".docx.pdf") || p.to_string_lossy().ends_with(".xlsx.pdf")
        })
        .collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let source = name.trim_end_matches(".pdf").to_string();
        pdfs.push((name, std::fs::read(&p).expect("readable file")));
        let bytes = std::fs::read(testdata().join("fixtures").join(&source)).expect("the fixture");
        sources.push((source, bytes));
    }
    let time = |files: &[(String, Vec<u8>)]| -> (usize, f64) {
        let mut forms = 0;
        for (name, data) in files {
            forms += import(name, data, &limits).map_or(0, |i| i.forms.len());
        }
        let start = Instant::now();
        for _ in 0..rounds {
            for (name, data) in files {
                forms += import(name, data, &limits).map_or(0, |i| i.forms.len());
            }
        }
        (forms / (rounds + 1), start.elapsed().as_secs_f64())
    };
    let bytes: usize = pdfs.iter().map(|(_, b)| b.len()).sum();
    let pages: usize = pdfs.iter().map(|(_, b)| page_count(b)).sum();
    let (forms, secs) = time(&pdfs);
    let (source_forms, source_secs) = time(&sources);
    let n = (pdfs.len() * rounds) as f64;
    println!(
        "pdf import, 1 thread: {} PDFs ({:.2} MB, {forms} forms) × {rounds} rounds",
        pdfs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  {secs:.3} s: {:.1} ms per PDF, {:.0} files/s, {:.1} MB/s",
        secs * 1000.0 / n,
        n / secs,
        (bytes * rounds) as f64 / 1e6 / secs
    );
    println!(
        "  {pages} pages: {:.1} ms per page",
        secs * 1000.0 / (pages * rounds) as f64
    );
    println!(
        "  the .docx/.xlsx they were printed from ({source_forms} forms): {:.1} ms per file; PDF is {:.1}× slower",
        source_secs * 1000.0 / n,
        secs / source_secs
    );
}

/// The pages of a PDF as LibreOffice writes it: its page objects (`/Type/Page`, not
/// `/Type/Pages`), which it leaves uncompressed.
fn page_count(pdf: &[u8]) -> usize {
    [&b"/Type/Page"[..], &b"/Type /Page"[..]]
        .iter()
        .map(|needle| {
            pdf.windows(needle.len() + 1)
                .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
                .count()
        })
        .sum()
}

/// Scans (testdata/scans: image-only PDFs) read end to end through character recognition,
/// one file at a time: seconds per page (pages counted by poppler's pdfinfo, which the
/// recognition needs anyway).
fn scan_bench(rounds: usize) {
    let limits = Limits::default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata().join("scans"))
        .expect("testdata/scans is present")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    paths.sort();
    let pages: usize = paths
        .iter()
        .map(|p| {
            let out = std::process::Command::new("pdfinfo")
                .arg(p)
                .output()
                .expect("pdfinfo (poppler-utils) is installed");
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:"))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(1)
        })
        .sum();
    let mut forms = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &paths {
            let bytes = std::fs::read(p).expect("readable file");
            forms += import(&p.to_string_lossy(), &bytes, &limits).map_or(0, |i| i.forms.len());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "scans, one at a time: {} files, {pages} pages, {} forms × {rounds} rounds",
        paths.len(),
        forms / rounds
    );
    println!(
        "  {secs:.1} s: {:.2} s per page",
        secs / (pages * rounds) as f64
    );
}

/// The indicator library at `n` entries: the indicators of the corpus (every rebuilt corpus
/// document and fixture) under `n / names` made-up project prefixes, built once, then queried
/// with every corpus project's name: latency per query, p50 and p99, one thread.
fn library_bench(n: usize) {
    use jixiao_core::form::{DeclaredIndicator, Form, ProjectTarget};
    use jixiao_core::library::{Library, Query, Source};
    let limits = Limits::default();
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    let mut projects: Vec<String> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = corpus();
    if let Ok(dirs) = std::fs::read_dir(testdata().join("corpus")) {
        for d in dirs.flatten() {
            if let Ok(bytes) = std::fs::read(d.path().join("rebuilt.docx")) {
                files.push((format!("{}.docx", d.file_name().to_string_lossy()), bytes));
            }
        }
    }
    for (name, bytes) in &files {
        for r in import(name, bytes, &limits)
            .map(|i| i.forms)
            .unwrap_or_default()
        {
            let (project, indicators): (String, Vec<(String, String, String, String)>) =
                match &r.form {
                    Form::ProjectTarget(f) => (
                        f.project_name.clone(),
                        f.indicators
                            .iter()
                            .map(|i| {
                                (
                                    i.level1.clone(),
                                    i.level2.clone(),
                                    i.name.clone(),
                                    i.target.clone(),
                                )
                            })
                            .collect(),
                    ),
                    Form::ProjectSelfEvaluation(f) | Form::DepartmentSelfEvaluation(f) => (
                        f.name.clone(),
                        f.indicators
                            .iter()
                            .map(|i| {
                                (
                                    i.level1.clone(),
                                    i.level2.clone(),
                                    i.name.clone(),
                                    i.target.clone(),
                                )
                            })
                            .collect(),
                    ),
                    _ => continue,
                };
            if !project.is_empty() {
                projects.push(project);
            }
            rows.extend(indicators);
        }
    }
    // Only rows the library can place (a 二级指标 it reads), one per group and name.
    let mut keyed: Vec<(String, (String, String, String, String))> = rows
        .into_iter()
        .filter_map(|r| {
            let level2 = jixiao_core::indicator::Level2::parse(&r.1)?;
            (!r.2.trim().is_empty()).then(|| (jixiao_core::library::key(level2, &r.2), r))
        })
        .collect();
    keyed.sort();
    keyed.dedup_by(|a, b| a.0 == b.0);
    let rows: Vec<(String, String, String, String)> = keyed.into_iter().map(|(_, r)| r).collect();
    let prefixes = n.div_ceil(rows.len().max(1));
    let places = [
        "城区",
        "东乡",
        "西镇",
        "南湖",
        "北山",
        "河口",
        "新区",
        "高新",
        "开发区",
        "江北",
    ];
    let mut forms: Vec<Form> = Vec::new();
    let mut made = 0;
    'all: for p in 0..prefixes {
        let prefix = format!("{}{}片区", places[p % places.len()], p / places.len() + 1);
        for chunk in rows.chunks(10) {
            let mut f = ProjectTarget::blank(Some(2024));
            f.project_name = format!(
                "{prefix}{}",
                projects
                    .get(p % projects.len().max(1))
                    .map_or("项目", String::as_str)
            );
            for (l1, l2, name, target) in chunk {
                f.indicators.push(DeclaredIndicator {
                    level1: l1.clone(),
                    level2: l2.clone(),
                    name: format!("{prefix}{name}"),
                    target: target.clone(),
                    weight: None,
                });
                made += 1;
                if made >= n {
                    forms.push(Form::ProjectTarget(f));
                    break 'all;
                }
            }
            forms.push(Form::ProjectTarget(f));
        }
    }
    let start = Instant::now();
    let library = Library::build(
        forms.iter().map(|form| Source {
            unit: "单位", form
        }),
        &[],
    );
    let built = start.elapsed().as_secs_f64();
    let mut times: Vec<f64> = Vec::new();
    let mut found = 0;
    for round in 0..5 {
        for p in &projects {
            let text = if round % 2 == 0 {
                p.clone()
            } else {
                format!("{p}绩效目标")
            };
            let start = Instant::now();
            found += library
                .suggest(
                    &Query {
                        text: &text,
                        ..Query::default()
                    },
                    20,
                )
                .len();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: usize| times[(times.len() - 1) * q / 100];
    println!(
        "indicator library: {} entries ({} distinct corpus indicators × {prefixes} prefixes), built in {built:.2} s",
        library.entries().len(),
        rows.len()
    );
    println!(
        "  {} queries (corpus project names): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({found} suggestions)",
        times.len(),
        at(50),
        at(99),
        times.last().copied().unwrap_or(0.0)
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
    let files = jixiao_app::batch::collect(std::slice::from_ref(&dir)).unwrap_or_default();
    let policy = ScoringPolicy::default();
    // The floor: the same files read, unzipped and tokenised on the same threads. The machine
    // is shared, so floor and audit run in turn three times and the best of each counts.
    // Wall time depends on what else runs; the CPU time the process spends does much less.
    let mut best_floor = f64::MAX;
    let mut secs = f64::MAX;
    let (mut floor_cpu, mut audit_cpu) = (f64::MAX, f64::MAX);
    let mut audits = Vec::new();
    for _ in 0..5 {
        let cpu = cpu_secs();
        best_floor = best_floor.min(floor(&files));
        floor_cpu = floor_cpu.min(cpu_secs() - cpu);
        let cpu = cpu_secs();
        let start = Instant::now();
        audits =
            jixiao_app::batch::audit_all(&files, &Limits::default(), &policy, None, &|_, _| {});
        secs = secs.min(start.elapsed().as_secs_f64());
        audit_cpu = audit_cpu.min(cpu_secs() - cpu);
    }
    let floor = best_floor;
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
    println!(
        "  floor (read, unzip every XML part, tokenise it with quick-xml): {floor:.3} s; audit is {:.2}× the floor",
        secs / floor
    );
    println!(
        "  CPU time: audit {audit_cpu:.2} s, floor {floor_cpu:.2} s: {:.2}× (best of 5 each)",
        audit_cpu / floor_cpu
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat (clock ticks of
/// 10 ms); 0 where there is no /proc.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |k: usize| {
        fields
            .get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state.
    (ticks(11) + ticks(12)) / 100.0
}

/// Seconds to read `files`, inflate every XML part of each and walk its tokens, on as many
/// threads as the audit uses: what any importer of these files must at least do.
fn floor(files: &[PathBuf]) -> f64 {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let tokens = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(k) else { break };
                    let Ok(bytes) = std::fs::read(path) else {
                        continue;
                    };
                    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                        continue;
                    };
                    let mut count = 0;
                    for i in 0..zip.len() {
                        let Ok(mut part) = zip.by_index(i) else {
                            continue;
                        };
                        if !part.name().is_ok_and(|n| n.ends_with(".xml")) {
                            continue;
                        }
                        // Reserved from the declared size, as the importer does, so the floor
                        // does not pay for a growing buffer's copies.
                        let declared = usize::try_from(part.size()).unwrap_or(0);
                        let mut xml = String::with_capacity(declared.min(16 << 20));
                        if std::io::Read::read_to_string(&mut part, &mut xml).is_err() {
                            continue;
                        }
                        let mut reader = quick_xml::Reader::from_str(&xml);
                        loop {
                            match reader.read_event() {
                                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                                Ok(_) => count += 1,
                            }
                        }
                    }
                    tokens.fetch_add(count, Ordering::Relaxed);
                }
            });
        }
    });
    let secs = start.elapsed().as_secs_f64();
    std::hint::black_box(tokens.load(Ordering::Relaxed));
    secs
}

/// The CPU time this thread has run, in seconds, to the nanosecond (`/proc/thread-self/schedstat`;
/// 0 where there is none): fine enough to time one report.
fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// Seed 003's report with the text of every body paragraph replaced by as many characters of
/// `text` (a corpus document's), in turn: the same layout, other glyphs.
fn report_variant(paper: &jixiao_write::Paper, text: &str) -> jixiao_write::Paper {
    use jixiao_write::{Align, Block};
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut paper = paper.clone();
    if chars.is_empty() {
        return paper;
    }
    let mut at = 0;
    for block in &mut paper.blocks {
        if let Block::Paragraph {
            text,
            align: Align::Indented,
            ..
        } = block
        {
            let n = text.chars().count();
            *text = (0..n).map(|k| chars[(at + k) % chars.len()]).collect();
            at += n;
        }
    }
    paper
}

/// The self-evaluation report of seed 003 (composed, laid out, fonts subset and embedded)
/// rendered to PDF `rounds` times, against LibreOffice converting the same report's .docx.
/// A face keeps the charstrings of the glyphs it has subset, so rendering one report over
/// and over measures a warm cache only: the first report in the process is timed on its own,
/// and then the rounds render seed 003's report with the body text of each corpus document
/// in turn (the same layout, other glyphs). `JIXIAO_BENCH_PDF=<file>` writes seed 003's
/// report there, `JIXIAO_BENCH_VARIANT=<file>` the variant with the first corpus text.
fn report_bench(rounds: usize) {
    let Ok(bytes) = std::fs::read(testdata().join("fixtures/seed003.docx")) else {
        eprintln!("缺少 testdata/fixtures/seed003.docx");
        return;
    };
    let forms: Vec<_> = match import("seed003.docx", &bytes, &Limits::default()) {
        Ok(i) => i.forms.into_iter().map(|f| f.form).collect(),
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let Ok(data) = jixiao_core::self_report::ReportData::from_forms(&forms) else {
        eprintln!("seed 003 没有部门整体支出绩效自评表");
        return;
    };
    let mut texts: Vec<PathBuf> = std::fs::read_dir(testdata().join("corpus"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("source.txt"))
        .filter(|p| p.is_file())
        .collect();
    texts.sort();
    let texts: Vec<String> = texts
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let start = Instant::now();
    let fonts = match jixiao_pdf::Fonts::from_system() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let font_secs = start.elapsed().as_secs_f64();
    let policy = ScoringPolicy::default();
    let paper = |data: &jixiao_core::self_report::ReportData| {
        jixiao_write::report_document(&jixiao_core::self_report::compose(data, &policy))
    };
    let render =
        |paper: &jixiao_write::Paper| jixiao_pdf::render(paper, &fonts).expect("the fonts subset");
    let (start, cpu) = (Instant::now(), thread_cpu_secs());
    let first = render(&paper(&data));
    let (first_secs, first_cpu) = (start.elapsed().as_secs_f64(), thread_cpu_secs() - cpu);
    let seed = paper(&data);
    let variants: Vec<_> = texts.iter().map(|t| report_variant(&seed, t)).collect();
    for (var, doc) in [
        ("JIXIAO_BENCH_PDF", Some(&seed)),
        ("JIXIAO_BENCH_VARIANT", variants.first()),
    ] {
        if let (Some(path), Some(doc)) = (std::env::var_os(var), doc)
            && let Err(e) = std::fs::write(&path, render(doc).bytes)
        {
            eprintln!("无法写入 {}：{e}", PathBuf::from(path).display());
        }
    }
    let (pages, size) = (first.pages, first.bytes.len());
    // Seed 003's report with the body text of each corpus document in turn.
    let mut all_pages = 0;
    let cpu = thread_cpu_secs();
    let start = Instant::now();
    for k in 0..rounds {
        all_pages += render(variants.get(k % variants.len().max(1)).unwrap_or(&seed)).pages;
    }
    let varied = start.elapsed().as_secs_f64() / rounds as f64;
    let varied_cpu = (thread_cpu_secs() - cpu) / rounds as f64;
    // Seed 003's report again and again (the figure of the earlier runs: a warm cache).
    let cpu = thread_cpu_secs();
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(render(&paper(&data)));
    }
    let native = start.elapsed().as_secs_f64() / rounds as f64;
    let native_cpu = (thread_cpu_secs() - cpu) / rounds as f64;
    println!("report: seed 003 self-evaluation report, {pages} A4 pages, {size} bytes of PDF");
    println!("  fonts loaded once: {:.1} ms", font_secs * 1000.0);
    println!(
        "  first report in the process: {:.1} ms, CPU time {:.1} ms",
        first_secs * 1000.0,
        first_cpu * 1000.0
    );
    println!(
        "  {} corpus texts in turn: {:.1} ms per report, CPU time {:.1} ms, {:.1} pages per report",
        variants.len(),
        varied * 1000.0,
        varied_cpu * 1000.0,
        all_pages as f64 / rounds as f64
    );
    println!(
        "  jixiao: {:.1} ms per report (compose + layout + font subsets + PDF), {rounds} rounds",
        native * 1000.0
    );
    // The machine is shared: the CPU time spent (the writer runs on this one thread) moves
    // less with the load than the wall time.
    println!(
        "  CPU time: {:.1} ms per report (this thread)",
        native_cpu * 1000.0
    );
    // LibreOffice on the same report as .docx, with a warm profile (the first run creates it).
    let Some(soffice) = ["soffice", "libreoffice"].iter().find_map(|n| {
        std::env::var_os("PATH").and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(n))
                .find(|p| p.is_file())
        })
    }) else {
        println!("  LibreOffice: not installed, no comparison");
        return;
    };
    let dir = std::env::temp_dir().join(format!("jixiao-bench-report-{}", std::process::id()));
    let draft = jixiao_core::self_report::compose(&data, &policy);
    let written = std::fs::create_dir_all(&dir).is_ok()
        && jixiao_write::report_docx(&draft)
            .is_ok_and(|b| std::fs::write(dir.join("report.docx"), b).is_ok());
    if !written {
        eprintln!("无法写入临时文件夹 {}", dir.display());
        return;
    }
    let convert = || {
        std::process::Command::new(&soffice)
            .arg("--headless")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.join("profile").display()
            ))
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(dir.join("report.docx"))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !convert() {
        eprintln!("LibreOffice 转换失败");
        return;
    }
    let runs = 3;
    let start = Instant::now();
    for _ in 0..runs {
        convert();
    }
    let office = start.elapsed().as_secs_f64() / f64::from(runs);
    println!(
        "  LibreOffice: {:.0} ms per conversion of the same .docx (warm profile, {runs} runs)",
        office * 1000.0
    );
    println!("  jixiao is {:.0}× faster", office / native);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Export: every example form (testdata/forms) written as Excel and as Word, one thread; then
/// the xlsx fixtures imported and audited, the path a unit's Excel file takes.
fn export_bench(rounds: usize) {
    let mut forms = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(testdata().join("forms"))
        .expect("testdata/forms is present")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("readable form");
        forms.push(jixiao_core::form::Form::from_json(&text).expect("a form"));
    }
    for (label, write) in [
        (
            "xlsx",
            (|f: &[jixiao_core::form::Form]| {
                jixiao_write::forms_xlsx(f).map(|b| b.map_or(0, |b| b.len()))
            }) as fn(&[jixiao_core::form::Form]) -> Result<usize, std::io::Error>,
        ),
        ("docx", |f: &[jixiao_core::form::Form]| {
            jixiao_write::forms_docx(f).map(|b| b.map_or(0, |b| b.len()))
        }),
    ] {
        let mut bytes = 0;
        for f in &forms {
            bytes += write(std::slice::from_ref(f)).expect("written");
        }
        let start = Instant::now();
        for _ in 0..rounds {
            for f in &forms {
                std::hint::black_box(write(std::slice::from_ref(f)).expect("written"));
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "export {label}, 1 thread: {} forms × {rounds} rounds ({:.0} kB per round)",
            forms.len(),
            bytes as f64 / 1e3
        );
        println!(
            "  {:.0} files/s, {:.3} ms per file",
            (forms.len() * rounds) as f64 / secs,
            secs * 1e3 / (forms.len() * rounds) as f64
        );
    }
    let limits = Limits::default();
    let xlsx: Vec<(String, Vec<u8>)> = corpus()
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xlsx"))
        .collect();
    let policy = ScoringPolicy::default();
    let run = |rounds: usize| {
        let mut forms = 0;
        for _ in 0..rounds {
            for (name, data) in &xlsx {
                let audit = jixiao_app::batch::audit_bytes(name, data, &limits, &policy, None);
                forms += audit.forms;
                std::hint::black_box(audit);
            }
        }
        forms
    };
    run(1);
    let start = Instant::now();
    let n = run(rounds * 5);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "import+audit of the .xlsx fixtures, 1 thread: {} files × {} rounds",
        xlsx.len(),
        rounds * 5
    );
    println!(
        "  {n} forms in {secs:.3} s: {:.0} files/s, {:.3} ms per file",
        (xlsx.len() * rounds * 5) as f64 / secs,
        secs * 1e3 / (xlsx.len() * rounds * 5) as f64
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("all", String::as_str);
    let rounds = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(100);
    match what {
        "import" => import_bench(rounds),
        "pdf" => pdf_bench(rounds.div_ceil(5)),
        "score" => score_bench(rounds * 10),
        "audit" => audit_bench(rounds * 20),
        "scan" => scan_bench(rounds.div_ceil(100)),
        "library" => library_bench(rounds.max(1) * 1000),
        "report" => report_bench(rounds.div_ceil(5)),
        "export" => export_bench(rounds.div_ceil(5)),
        "all" => {
            import_bench(rounds);
            pdf_bench(rounds.div_ceil(5));
            score_bench(rounds * 10);
            audit_bench(rounds * 20);
            report_bench(rounds.div_ceil(5));
        }
        other => {
            eprintln!(
                "未知的基准“{other}”：可用 import、pdf、score、audit、scan、library、report、export、all"
            );
            std::process::exit(2);
        }
    }
}
