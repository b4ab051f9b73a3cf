//! Time each pipeline stage of a build, in process, for profiling.
//!
//! ```text
//! cargo run --release --example stage-times -- --today 2026-11-24 --runs 5 SITE [OUT]
//! ```
//!
//! Runs load → parse → model → check → render (pages, feeds, calendars
//! separately) → write `--runs` times on the site at `SITE` and prints the
//! median wall time of each stage in milliseconds, and on Linux the median
//! CPU time (user + system, all threads, from `/proc/self/stat`; 10 ms
//! ticks), which stays meaningful on a machine shared with other work. `OUT` defaults to a
//! temporary folder beside `SITE`'s parent that is removed afterwards. A
//! profiling aid (see docs/benchmark.md), not a test: it never fails on speed.

use std::path::PathBuf;
use std::time::Instant;

use chapterhouse::diag::Diagnostics;
use chapterhouse::render::{OutputPlan, Theme};
use chapterhouse::write::{self, WriteOptions};
use chrono::NaiveDate;
use clap::Parser;

/// Print the median time of each build stage
#[derive(Debug, Parser)]
struct Args {
    /// The build date
    #[arg(long, default_value = "2026-11-24")]
    today: NaiveDate,
    /// How many builds to time
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// The site's folder
    site: PathBuf,
    /// Output folder (replaced at each run); default: a temporary folder
    out: Option<PathBuf>,
}

const STAGES: &[&str] = &[
    "load (walk+read)",
    "parse (YAML)",
    "model",
    "check",
    "theme",
    "render pages",
    "render feeds",
    "render calendars",
    "write",
    "total",
];

fn main() -> Result<(), String> {
    let args = Args::parse();
    let tmp = match &args.out {
        Some(_) => None,
        None => Some(tempfile::tempdir().map_err(|e| e.to_string())?),
    };
    let out = args.out.clone().unwrap_or_else(|| {
        tmp.as_ref()
            .expect("a temporary folder")
            .path()
            .join("public")
    });
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    let mut cpu_times: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    let mut summary = String::new();
    for _ in 0..args.runs.max(1) {
        let mut t = Vec::with_capacity(STAGES.len());
        let mut c = Vec::with_capacity(STAGES.len());
        let started = Instant::now();
        let cpu_started = cpu_ms();
        let mut lap = Instant::now();
        let mut cpu_lap = cpu_started;
        let mut mark = |t: &mut Vec<f64>| {
            t.push(lap.elapsed().as_secs_f64() * 1000.0);
            lap = Instant::now();
            let now = cpu_ms();
            c.push(now.zip(cpu_lap).map(|(n, l)| n - l));
            cpu_lap = now;
        };
        let mut diags = Diagnostics::new();
        let sources = chapterhouse::source::load(&args.site, &mut diags).map_err(|e| e.0)?;
        mark(&mut t);
        let parsed = chapterhouse::parse::parse(&sources, &mut diags);
        mark(&mut t);
        let site =
            chapterhouse::model::resolve::resolve_owned(parsed, sources, args.today, &mut diags)
                .map_err(|_| "site.yaml could not be used".to_string())?;
        mark(&mut t);
        chapterhouse::check::run_all(&site, &mut diags);
        mark(&mut t);
        let theme = Theme::load(&site.sources.root, site.config.theme.as_deref(), &mut diags)
            .ok_or("the theme could not be loaded")?;
        mark(&mut t);
        let mut plan = OutputPlan::default();
        for (p, b) in &theme.assets {
            plan.insert(p.clone(), b.clone());
        }
        chapterhouse::render::pages::render_pages(&site, &theme, &mut plan, &mut diags);
        mark(&mut t);
        chapterhouse::render::feeds::render_feeds(&site, &mut plan);
        chapterhouse::render::feeds::render_sitemap(&site, &mut plan);
        mark(&mut t);
        chapterhouse::render::ical::render_calendars(&site, &mut plan);
        mark(&mut t);
        if diags.has_errors() {
            return Err(format!(
                "the site has errors ({}); run `chapterhouse check` on it",
                chapterhouse::diag::render::counts(&diags)
            ));
        }
        let _ = std::fs::remove_dir_all(&out);
        let stats = write::write(&plan, &args.site, &out, WriteOptions { force: false })?;
        mark(&mut t);
        t.push(started.elapsed().as_secs_f64() * 1000.0);
        c.push(cpu_ms().zip(cpu_started).map(|(n, s)| n - s));
        for (i, v) in t.into_iter().enumerate() {
            times[i].push(v);
        }
        for (i, v) in c.into_iter().enumerate() {
            if let Some(v) = v {
                cpu_times[i].push(v);
            }
        }
        summary = format!(
            "{} events, {} pages, {} files, {:.1} MB",
            site.events.len(),
            plan.pages(),
            stats.files,
            stats.bytes as f64 / 1e6
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    eprintln!(
        "{} ({summary}), median of {} runs:",
        args.site.display(),
        args.runs.max(1)
    );
    eprintln!("  {:<18} {:>9} {:>9}", "stage", "wall ms", "CPU ms");
    for ((name, wall), cpu) in STAGES.iter().zip(times).zip(cpu_times) {
        let cpu = median(cpu).map_or("-".to_string(), |m| format!("{m:.0}"));
        let wall = median(wall).unwrap_or(f64::NAN);
        eprintln!("  {name:<18} {wall:>9.1} {cpu:>9}");
    }
    Ok(())
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// CPU time of this process so far (user + system, all threads) in
/// milliseconds, from `/proc/self/stat` (Linux; `None` elsewhere). Fields
/// 14 and 15 count clock ticks, which are 10 ms on Linux
/// (`sysconf(_SC_CLK_TCK)` = 100); std has no process CPU clock.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; fields after it are plain.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}
