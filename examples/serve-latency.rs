//! Edit-to-visible latency of `chapterhouse serve`: save a change to one
//! event file, poll that event's page until the change is served, repeat,
//! and print the median.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example serve-latency -- [SITE] [--edits 21] [--save rename|inplace]
//! ```
//!
//! `benches/serve-latency.sh` runs it. SITE defaults to the example network
//! in this repository; it is copied to a temporary folder first, so the
//! original is never touched. For 10,000 events:
//!
//! ```text
//! cargo run --release --example gen-network -- --chapters 200 --events-per-chapter 50 /tmp/net10k
//! cargo run --release --example serve-latency -- /tmp/net10k
//! ```
//!
//! The clock starts just before the save and stops when a GET of the page
//! returns the new text. A browser tab reloads after the same moment (the
//! server tells it over its event stream), so add a few milliseconds for
//! the browser's own reload. Polls are 5 ms apart over loopback. Before
//! each edit the benchmark waits until the server has finished the whole
//! rebuild of the previous one and been quiet for 300 ms, so every edit
//! meets an idle server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;

/// Measure how soon an edit shows up in `chapterhouse serve`
#[derive(Debug, Parser)]
struct Args {
    /// The site to copy and serve [default: this repository's example network]
    site: Option<PathBuf>,
    /// Number of edits to time
    #[arg(long, default_value_t = 21)]
    edits: usize,
    /// `rename`: write a temporary file and rename it over the event (as
    /// most editors save); `inplace`: truncate and write
    #[arg(long, default_value = "rename")]
    save: String,
    /// Passed to `serve --today`
    #[arg(long, default_value = "2026-11-24")]
    today: String,
    /// The binary to measure [default: target/release/chapterhouse]
    #[arg(long)]
    bin: Option<PathBuf>,
}

/// What the server has printed so far.
#[derive(Default)]
struct Log {
    text: String,
    whole_builds: usize,
    previews_ms: Vec<u64>,
    last_whole: String,
    url: Option<String>,
    changed_at: Option<Instant>,
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let site = args.site.clone().unwrap_or_else(|| repo.clone());
    if !site.join("site.yaml").is_file() {
        return Err(format!("no site.yaml in {}", site.display()));
    }
    let bin = args
        .bin
        .clone()
        .unwrap_or_else(|| repo.join("target/release/chapterhouse"));
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release` first",
            bin.display()
        ));
    }

    // Copy only what a build reads (the repository root also holds target/).
    let work = tempfile::Builder::new()
        .prefix("serve-latency")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let root = work.path().join("site");
    copy(&site.join("site.yaml"), &root.join("site.yaml"))?;
    for d in ["content", "static", "themes"] {
        if site.join(d).is_dir() {
            copy_tree(&site.join(d), &root.join(d))?;
        }
    }
    let mut events: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/chapters"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == "events")
        })
        .collect();
    events.sort();
    if events.is_empty() {
        return Err("the site has no events".into());
    }
    let file = events[events.len() / 2].clone();
    let chapter = file
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    let log = Arc::new(Mutex::new(Log::default()));
    let mut server = Server(
        Command::new(&bin)
            .args(["serve", "--port", "0", "--today", &args.today, "--root"])
            .arg(&root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?,
    );
    let stderr = server.0.stderr.take().ok_or("no stderr")?;
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let mut l = sink.lock().unwrap();
            l.changed_at = Some(Instant::now());
            if let Some(rest) = line.strip_prefix("serving at ") {
                l.url = rest.split(';').next().map(str::to_string);
            }
            if line.starts_with("built ") || line.contains(" changed: rebuilt ") {
                l.whole_builds += 1;
                l.last_whole = line.clone();
            }
            if line.contains(" changed: updated ")
                && let Some(ms) = line
                    .split(" in ")
                    .nth(1)
                    .and_then(|s| s.split(' ').next())
                    .and_then(|s| s.parse().ok())
            {
                l.previews_ms.push(ms);
            }
            l.text.push_str(&line);
            l.text.push('\n');
        }
    });

    let url = wait(Duration::from_secs(600), "the server to start", || {
        log.lock().unwrap().url.clone()
    })
    .map_err(|e| format!("{e}\n{}", log.lock().unwrap().text))?;
    let base = url::Url::parse(&url).map_err(|e| e.to_string())?;
    let addr = format!(
        "{}:{}",
        base.host_str().unwrap_or("127.0.0.1"),
        base.port().unwrap_or(80)
    );
    let page = format!("/chapters/{chapter}/events/{stem}/");
    get(&addr, &page)
        .filter(|b| b.contains("<html"))
        .ok_or(format!("{url}{} is not served", &page[1..]))?;
    let (count, first) = {
        let l = log.lock().unwrap();
        (events.len(), l.last_whole.clone())
    };
    println!("site: {} ({count} events); {first}", site.display());
    println!(
        "editing {} ({} save), polling {url}{}",
        file.strip_prefix(&root).unwrap_or(&file).display(),
        args.save,
        &page[1..]
    );

    let mut results = Vec::new();
    for i in 1..=args.edits {
        let before = log.lock().unwrap().whole_builds;
        let marker = format!("latency-probe-{i}-{}", std::process::id());
        let mut text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        text.push_str(&format!("\n{marker}\n"));
        let t0 = Instant::now();
        if args.save == "inplace" {
            std::fs::write(&file, &text).map_err(|e| e.to_string())?;
        } else {
            let tmp = file.with_extension("md.tmp");
            std::fs::write(&tmp, &text).map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, &file).map_err(|e| e.to_string())?;
        }
        wait(Duration::from_secs(60), "the edit to show", || {
            get(&addr, &page).filter(|b| b.contains(&marker))
        })
        .map_err(|e| format!("edit {i}: {e}\n{}", log.lock().unwrap().text))?;
        let ms = t0.elapsed().as_millis() as u64;
        println!("edit {i:2}: {ms:4} ms");
        results.push(ms);
        // Let the whole rebuild of this edit finish, then 300 ms of quiet.
        wait(Duration::from_secs(600), "the whole rebuild", || {
            let l = log.lock().unwrap();
            (l.whole_builds > before
                && l.changed_at
                    .is_some_and(|t| t.elapsed() > Duration::from_millis(300)))
            .then_some(())
        })?;
    }

    let l = log.lock().unwrap();
    println!(
        "edit-to-visible over {} edits: {}",
        results.len(),
        summary(&mut results)
    );
    if !l.previews_ms.is_empty() {
        let mut p = l.previews_ms.clone();
        println!("of which the chapter preview build: {}", summary(&mut p));
    }
    println!(
        "last whole rebuild: {}",
        l.last_whole.split(": ").last().unwrap_or("")
    );
    drop(l);
    server.stop();
    Ok(())
}

fn summary(v: &mut [u64]) -> String {
    v.sort_unstable();
    let at = |q: usize| v[((v.len() - 1) * q) / 100];
    format!(
        "median {} ms (min {}, p90 {}, max {})",
        at(50),
        v[0],
        at(90),
        v[v.len() - 1]
    )
}

/// Call `f` every 5 ms until it returns something, for at most `limit`.
fn wait<T>(limit: Duration, what: &str, mut f: impl FnMut() -> Option<T>) -> Result<T, String> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Ok(v);
        }
        if start.elapsed() > limit {
            return Err(format!("waited {limit:?} for {what}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The body of `path`, by a minimal HTTP/1.1 GET over loopback (a
/// benchmark client; the server under test is axum).
fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(p) = to.parent() {
        std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{}: {e}", from.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).map_err(|e| e.to_string())?;
        if e.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).map_err(|e| e.to_string())?;
        } else if e.file_type().is_file() {
            copy(e.path(), &to.join(rel))?;
        }
    }
    Ok(())
}

/// The server process; stopped with Ctrl-C's signal where there is one,
/// killed otherwise, and always on drop.
struct Server(Child);

impl Server {
    fn stop(&mut self) {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-INT", &self.0.id().to_string()])
                .status();
            for _ in 0..100 {
                if let Ok(Some(_)) = self.0.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            self.stop();
        }
    }
}
