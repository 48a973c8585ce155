//! `dashboard`: the finance bureau's dashboard computed over a large region (issue 21).
//!
//! ```text
//! cargo build --release -p jixiao-bench
//! $CARGO_TARGET_DIR/release/dashboard --database sqlite:/tmp/jx-dash-2000.db --units 2000 --forms 20 --runs 15
//! $CARGO_TARGET_DIR/release/dashboard --database sqlite:/tmp/jx-dash-2000.db --skip-fill --runs 15
//! ```
//!
//! 1. Fills an empty database through jixiao-store ([`jixiao_bench::fill`]): `--units` units
//!    × `--forms` forms from the real seed forms, in a region at work (most forms handed over,
//!    some drafts, a few returned or voided: [`StageMix::Realistic`]). `--skip-fill` reuses one.
//! 2. Opens [`jixiao_app::App`] on it and signs the finance bureau's `caizheng0` in.
//! 3. `--runs` times: makes a change through the store (the year's settings written again, one
//!    entry in the change log, so the cached figures no longer hold), then times
//!    `App::dashboard(bureau, --year)` — the whole recomputation: the region's organisations, its
//!    forms read from the database, the figures built. Then one view without a change (the
//!    cache).
//! 4. Prints min / median / max in milliseconds, the figures, and a digest of their JSON (so two
//!    builds can be shown to compute the same figures).

// Timings are measurements, not money or scores: floating point is right here.
#![allow(clippy::float_arithmetic)]

use std::time::{Duration, Instant};

use jixiao_app::App;
use jixiao_app::dashboard::Dashboard;
use jixiao_bench::fill::{self, PASSWORD, Region, StageMix};
use jixiao_store::Store;
use jixiao_store::log::Author;

/// The allocator of the `jixiao` binary, so that the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    database: String,
    units: usize,
    forms: usize,
    runs: usize,
    year: i64,
    skip_fill: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let num = |name: &str, default: u64| get(name).and_then(|v| v.parse().ok()).unwrap_or(default);
    let database = get("--database").unwrap_or_else(|| {
        eprintln!("需要 --database sqlite:FILE（空数据库，或加 --skip-fill 用已填好的）");
        std::process::exit(2);
    });
    Options {
        database,
        units: num("--units", 2000) as usize,
        forms: num("--forms", 20) as usize,
        runs: num("--runs", 15).clamp(1, 1000) as usize,
        year: num("--year", 2026) as i64,
        skip_fill: args.iter().any(|a| a == "--skip-fill"),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// CPU time of this process so far (user + system, from /proc; 0 where there is none), in ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis: state is the 1st, utime the 12th, stime
    // the 13th, in clock ticks (100 per second on Linux).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |k: usize| {
        fields
            .get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) * 10.0
}

/// FNV-1a over the figures' JSON: equal digests, equal figures.
fn digest(d: &Dashboard) -> (usize, u64) {
    let json = serde_json::to_vec(d).expect("the dashboard writes as JSON");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in &json {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (json.len(), h)
}

fn print_figures(d: &Dashboard) {
    let pairs = |v: &[(String, usize)]| {
        v.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("year {} (自评截止 {:?})", d.year, d.deadline);
    println!(
        "stages: {}",
        d.stages
            .iter()
            .map(|(s, n)| format!("{} {n}", s.name()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "units {} · with forms {} · overdue {} · with a total {} · forms {} · handed over {}",
        d.units.len(),
        d.units.iter().filter(|u| u.forms > 0).count(),
        d.units.iter().filter(|u| u.overdue).count(),
        d.units.iter().filter(|u| u.total.is_some()).count(),
        d.units.iter().map(|u| u.forms).sum::<usize>(),
        d.units.iter().map(|u| u.submitted).sum::<usize>(),
    );
    println!("self-evaluations counted: {}", d.self_evaluations);
    println!("grades: {}", pairs(&d.grades));
    println!("score bands: {}", pairs(&d.score_bands));
    println!("lights: {}", pairs(&d.lights));
    println!("points: {}", d.points.len());
    println!(
        "checks ({}): {}",
        d.checks.len(),
        pairs(&d.checks[..d.checks.len().min(6)])
    );
    println!(
        "ranking ({}): {}",
        d.ranking.len(),
        d.ranking
            .iter()
            .take(3)
            .map(|(u, t)| format!("{u} {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some((unit, years)) = d.trend.first() {
        println!(
            "trend ({} units), {unit}: {}",
            d.trend.len(),
            years
                .iter()
                .map(|(y, t)| format!("{y} {}", t.map(|t| t.to_string()).unwrap_or("—".into())))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (len, hash) = digest(d);
    println!("figures: {len} bytes of JSON, digest {hash:016x}");
}

#[tokio::main]
async fn main() {
    let o = options();
    if !o.skip_fill {
        fill::fill(&Region {
            database: o.database.clone(),
            units: o.units,
            forms: o.forms,
            filers: 0,
            bureau_users: 1,
            stages: StageMix::Realistic,
        })
        .await;
    }
    let app = App::open(&o.database).await.expect("open the app");
    let actor = app
        .login("caizheng0", PASSWORD)
        .await
        .expect("the bureau signs in")
        .actor;
    // Changes are made beside the app, as another instance or a filer's save would.
    let store = Store::open(&o.database).await.expect("open the store");
    let year_row = store
        .years()
        .await
        .expect("years")
        .into_iter()
        .find(|y| y.year == o.year)
        .expect("the year is set");
    // One computation before the measured ones (the database's pages in the cache).
    let mut last = app.dashboard(&actor, o.year).await.expect("dashboard");
    let mut times = Vec::with_capacity(o.runs);
    let cpu_before = cpu_ms();
    for _ in 0..o.runs {
        store
            .put_year(&year_row, &Author::system())
            .await
            .expect("a change");
        let t = Instant::now();
        let d = app.dashboard(&actor, o.year).await.expect("dashboard");
        times.push(t.elapsed());
        assert_eq!(*d, *last, "the same figures every time");
        last = d;
    }
    let cpu = (cpu_ms() - cpu_before) / o.runs as f64;
    let t = Instant::now();
    let _cached = app.dashboard(&actor, o.year).await.expect("dashboard");
    let cached = t.elapsed();
    times.sort();
    println!(
        "dashboard of {} · {} · year {} · {} runs, each after a change",
        jixiao_store::db::redact(&o.database),
        if o.skip_fill {
            "filled before".to_string()
        } else {
            format!("{} units × {} forms", o.units, o.forms)
        },
        o.year,
        o.runs
    );
    println!(
        "recomputed: min {} ms, median {} ms, max {} ms; cached view {} ms",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        ms(cached)
    );
    println!("CPU time of the process per recomputation (mean, the change included): {cpu:.0} ms");
    parts(&app, &store, &actor, o.year).await;
    print_figures(&last);
}

/// Where a recomputation's time goes: the same steps as `App::dashboard`, timed apart (median
/// of five), and what reading every list row of the region (before issue 21's change) takes.
async fn parts(app: &App, store: &Store, actor: &jixiao_app::Actor, year: i64) {
    use jixiao_app::dashboard::{self, Source};
    use jixiao_store::forms::FormFilter;
    let mut t = [const { Vec::new() }; 6];
    let mut counts = (0, 0, 0);
    for _ in 0..5 {
        let at = Instant::now();
        let orgs = app.visible_orgs(actor).await.expect("orgs");
        t[0].push(at.elapsed());
        // The bureau at the top of the region sees every organisation: no list of them.
        let region = FormFilter::default();
        let at = Instant::now();
        let forms = store
            .figure_rows(&FormFilter {
                year: Some(year),
                ..region.clone()
            })
            .await
            .expect("figure rows");
        t[1].push(at.elapsed());
        let at = Instant::now();
        let totals = store
            .totals(
                &region,
                &dashboard::scored_kinds(),
                &dashboard::uncounted_stages(),
                Some(year),
            )
            .await
            .expect("totals");
        t[2].push(at.elapsed());
        let at = Instant::now();
        let form_years = store.form_years(&region).await.expect("years");
        t[3].push(at.elapsed());
        let years = store.years().await.expect("years");
        counts = (forms.len(), totals.len(), form_years.len());
        let source = Source {
            forms,
            totals,
            years: form_years,
        };
        let at = Instant::now();
        let d = dashboard::compute(year, &source, &orgs, &years, &app.today());
        t[4].push(at.elapsed());
        drop(d);
        let at = Instant::now();
        let all = store.forms(&region).await.expect("list rows");
        t[5].push(at.elapsed());
        drop(all);
    }
    let [orgs, forms, totals, years, build, list] = t.map(|mut v| {
        v.sort();
        ms(v[v.len() / 2])
    });
    println!(
        "parts (median of 5): visible organisations {orgs} ms · the year's {} figure rows {forms} ms · {} totals {totals} ms · {} years {years} ms · figures computed {build} ms",
        counts.0, counts.1, counts.2
    );
    println!("for comparison, every list row of the region (what was read before) {list} ms");
}
