//! `serve`: build the site in memory, serve it on loopback, rebuild when a
//! file changes and reload the open pages.
//!
//! The stages are the first five of a build (load → … → render); the
//! [`OutputPlan`] is swapped behind an `Arc` in the server's state and
//! nothing is written to disk, least of all the site's `public/`. The site
//! is built with the local address as its base URL, so every link works
//! whatever `site.yaml` says. A build with errors keeps the last good plan
//! and lays the diagnostics over every page ([`overlay`]); the next good
//! build removes them. Only `serve` adds the reload script
//! ([`livereload`]).
//!
//! Threads: the HTTP server runs on a small tokio runtime; builds run on
//! one thread of their own that owns the watcher and the last loaded site,
//! so a slow build never blocks a request (requests get the previous plan).
//! This module reports what happens through a callback and never prints.

pub mod livereload;
pub mod overlay;
pub mod rebuild;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use futures_util::stream::Stream;
use tokio::sync::watch as channel;

use crate::diag::render::HumanOptions;
use crate::render::OutputPlan;
pub use rebuild::BuildReport;
use rebuild::{Built, Rebuilder, Update};
pub use watch::WatcherKind;
use watch::{ChangeKind, Watcher};

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `--today`; `None` reads the date at each build.
    pub today: Option<NaiveDate>,
    pub bind: IpAddr,
    /// `0` lets the system pick a free port (the `Listening` event names it).
    pub port: u16,
    pub watcher: WatcherKind,
    /// How often `WatcherKind::Poll` scans.
    pub poll_interval: Duration,
    /// How diagnostics are rendered for the terminal.
    pub human: HumanOptions,
}

/// What happened, for the terminal.
#[derive(Debug)]
pub enum ServeEvent {
    /// A build finished (the first one too).
    Built(BuildReport),
    /// The server accepts requests at `url`.
    Listening { url: String, watcher: WatcherKind },
    /// Native file events could not be set up; polling instead.
    PollFallback { reason: String },
    /// The watcher reported a problem; serving goes on.
    WatchProblem(String),
    /// Ctrl-C (or SIGTERM) arrived; the server is stopping.
    Stopping,
}

/// Why `serve` could not start or went down.
#[derive(Debug)]
pub enum ServeError {
    PortInUse(SocketAddr),
    Bind(SocketAddr, std::io::Error),
    /// The site cannot be read at all.
    Site(String),
    Watch(notify::Error),
    Io(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(
                f,
                "port {} on {} is already in use (is another `chapterhouse serve` running?); \
                 choose another with `--port {}`, or `--port 0` for any free port",
                addr.port(),
                addr.ip(),
                addr.port().checked_add(1).unwrap_or(1111),
            ),
            ServeError::Bind(addr, e) => write!(
                f,
                "cannot listen on {addr}: {e}; try `--bind 127.0.0.1` or another `--port`"
            ),
            ServeError::Site(m) => f.write_str(m),
            ServeError::Watch(e) => write!(
                f,
                "cannot watch the site for changes: {e}; try `--watcher poll`"
            ),
            ServeError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ServeError {}

type Report = Arc<Mutex<dyn FnMut(ServeEvent) + Send>>;

fn emit(report: &Report, event: ServeEvent) {
    if let Ok(mut f) = report.lock() {
        f(event);
    }
}

/// What the server hands out: the last good plan (with the pages of
/// chapter previews laid over it), and the problems of the latest build
/// when it failed.
struct Snapshot {
    base: Arc<OutputPlan>,
    /// Files a chapter preview replaced (`None`: removed), over `base`.
    patch: Arc<BTreeMap<String, Option<Vec<u8>>>>,
    failure: Option<overlay::Failure>,
    token: String,
}

impl Snapshot {
    /// Nothing built yet.
    fn empty() -> Self {
        Snapshot {
            base: Arc::new(OutputPlan::default()),
            patch: Arc::new(BTreeMap::new()),
            failure: None,
            token: String::new(),
        }
    }

    fn get(&self, key: &str) -> Option<&[u8]> {
        match self.patch.get(key) {
            Some(p) => p.as_deref(),
            None => self.base.get(key),
        }
    }

    fn is_empty(&self) -> bool {
        self.base.files.is_empty() && self.patch.values().all(Option::is_none)
    }

    /// The URL paths of the pages that differ from `old`, or `None` when
    /// every page should reload (the problems changed, or a stylesheet,
    /// script or image did).
    fn changed_since(&self, old: &Snapshot) -> Option<Vec<String>> {
        let same_failure = match (&self.failure, &old.failure) {
            (None, None) => true,
            (Some(a), Some(b)) => a.text == b.text,
            _ => false,
        };
        if !same_failure {
            return None;
        }
        let mut keys: BTreeSet<&str> = self.patch.keys().map(String::as_str).collect();
        keys.extend(old.patch.keys().map(String::as_str));
        if !Arc::ptr_eq(&self.base, &old.base) {
            keys.extend(self.base.files.keys().map(String::as_str));
            keys.extend(old.base.files.keys().map(String::as_str));
        }
        let mut pages = Vec::new();
        for k in keys {
            if self.get(k) != old.get(k) {
                if !k.ends_with(".html") || pages.len() >= 200 {
                    return None;
                }
                pages.push(livereload::url_path(k));
            }
        }
        Some(pages)
    }
}

/// What the reload script hears after a build.
#[derive(Debug, Clone, Default)]
struct Reload {
    token: String,
    previous: String,
    /// `None`: every page.
    pages: Option<Vec<String>>,
}

struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    builds: channel::Sender<Reload>,
    shutdown: channel::Receiver<bool>,
    /// A per-process prefix, so that a browser reconnecting to a restarted
    /// server reloads.
    boot: u64,
    count: AtomicU64,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Take a finished build: a good one replaces the plan (or, from a
    /// preview, some chapters' pages), a failed one keeps it and records
    /// the failure. Then tell the open pages what changed. Only the build
    /// thread publishes, so reading and then writing the snapshot is safe.
    fn publish(&self, built: Built) {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        let token = format!("{:x}-{n}", self.boot);
        let old = self.current();
        let (base, patch) = match built.update {
            Update::Plan(p) => (Arc::new(p), Arc::new(BTreeMap::new())),
            Update::Patch { prefixes, files } => {
                let under = |k: &str| prefixes.iter().any(|p| k.starts_with(p.as_str()));
                let mut patch: BTreeMap<String, Option<Vec<u8>>> = old
                    .patch
                    .iter()
                    .filter(|(k, _)| !under(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for p in &prefixes {
                    for (k, _) in old
                        .base
                        .files
                        .range(p.clone()..)
                        .take_while(|(k, _)| k.starts_with(p.as_str()))
                    {
                        patch.insert(k.clone(), None);
                    }
                }
                patch.extend(files.into_iter().map(|(k, v)| (k, Some(v))));
                (old.base.clone(), Arc::new(patch))
            }
            Update::Keep => (old.base.clone(), old.patch.clone()),
        };
        let next = Snapshot {
            base,
            patch,
            failure: built.failure,
            token: token.clone(),
        };
        let reload = Reload {
            token,
            previous: old.token.clone(),
            pages: next.changed_since(&old),
        };
        match self.snapshot.write() {
            Ok(mut s) => *s = Arc::new(next),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(next),
        }
        self.builds.send_replace(reload);
    }
}

/// The address pages link to: the bound address, with loopback for an
/// unspecified bind (`0.0.0.0`), so links work from this machine.
pub fn local_url(addr: SocketAddr) -> String {
    let ip = if addr.ip().is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        addr.ip()
    };
    match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{}/", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", addr.port()),
    }
}

/// Build, serve and watch until Ctrl-C. `report` hears about every build
/// and state change.
pub fn serve(
    opts: ServeOptions,
    report: impl FnMut(ServeEvent) + Send + 'static,
) -> Result<(), ServeError> {
    let report: Report = Arc::new(Mutex::new(report));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Io)?;
    rt.block_on(run(opts, report))
}

async fn run(opts: ServeOptions, report: Report) -> Result<(), ServeError> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::PortInUse(addr),
            _ => ServeError::Bind(addr, e),
        })?;
    let local = listener.local_addr().map_err(ServeError::Io)?;
    let url = local_url(local);
    let base = crate::config::parse_base_url(&url).map_err(ServeError::Site)?;

    // Watch before the first build, so a save during it is not lost. Event
    // paths are absolute and resolved, so watch the canonical root; a root
    // that cannot be resolved is left to the first build to explain.
    let (tx, rx) = mpsc::channel();
    let watcher = match opts.root.canonicalize() {
        Ok(watch_root) => {
            let w = match Watcher::start(&watch_root, opts.watcher, opts.poll_interval, tx.clone())
            {
                Ok(w) => w,
                Err(e) if opts.watcher == WatcherKind::Native => {
                    emit(
                        &report,
                        ServeEvent::PollFallback {
                            reason: e.to_string(),
                        },
                    );
                    Watcher::start(&watch_root, WatcherKind::Poll, opts.poll_interval, tx)
                        .map_err(ServeError::Watch)?
                }
                Err(e) => return Err(ServeError::Watch(e)),
            };
            Some((w, watch_root))
        }
        Err(_) => None,
    };

    // A site that cannot be read at all stops here with its reason.
    let mut rebuilder = Rebuilder::new(opts.root.clone(), opts.today, base, opts.human);
    let (first, rebuilder) = tokio::task::spawn_blocking(move || {
        let b = rebuilder.build(ChangeKind::Full, Vec::new());
        (b, rebuilder)
    })
    .await
    .map_err(|e| ServeError::Io(std::io::Error::other(e)))?;
    let (watcher, watch_root) = match (first.fatal.clone(), watcher) {
        (Some(m), _) => return Err(ServeError::Site(m)),
        (None, Some(w)) => w,
        (None, None) => {
            return Err(ServeError::Site(format!(
                "cannot resolve {}",
                opts.root.display()
            )));
        }
    };
    let first_report = first.report.clone();

    let (sd_tx, sd_rx) = channel::channel(false);
    let boot = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let (builds, _) = channel::channel(Reload::default());
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot::empty())),
        builds,
        shutdown: sd_rx.clone(),
        boot,
        count: AtomicU64::new(0),
    });
    shared.publish(first);
    emit(&report, ServeEvent::Built(first_report));

    let watcher_kind = watcher.kind();
    let stop = Arc::new(AtomicBool::new(false));
    let builder_thread = {
        let (shared, report, stop) = (shared.clone(), report.clone(), stop.clone());
        std::thread::Builder::new()
            .name("chapterhouse-rebuild".into())
            .spawn(move || {
                rebuild_loop(rx, watcher, watch_root, rebuilder, &shared, &report, &stop)
            })
            .map_err(ServeError::Io)?
    };

    let app = Router::new()
        .route(livereload::EVENTS_PATH, get(events))
        .route("/", get(root_page))
        .route("/{*path}", get(page))
        .with_state(shared.clone());
    let mut graceful = sd_rx.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = graceful.wait_for(|stop| *stop).await;
    });
    let mut server = tokio::spawn(async move { server.await });
    emit(
        &report,
        ServeEvent::Listening {
            url,
            watcher: watcher_kind,
        },
    );

    let result = tokio::select! {
        () = stop_signal() => Ok(()),
        r = &mut server => r.map_err(|e| ServeError::Io(std::io::Error::other(e))).and_then(|r| r.map_err(ServeError::Io)),
    };
    emit(&report, ServeEvent::Stopping);
    // Ending the event streams lets the open connections close, so the
    // graceful shutdown finishes; a stuck client gets two seconds.
    let _ = sd_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(2), &mut server).await;
    server.abort();
    // A build in progress is not waited for long: it writes nothing.
    stop.store(true, Ordering::Relaxed);
    for _ in 0..20 {
        if builder_thread.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    result
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// The build thread: wait for a batch of changes, rebuild, publish.
fn rebuild_loop(
    rx: mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    mut watcher: Watcher,
    root: PathBuf,
    mut rebuilder: Rebuilder,
    shared: &Shared,
    report: &Report,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        let first = match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Take whatever else is already waiting into the same build.
        let mut paths = Vec::new();
        for r in std::iter::once(first).chain(rx.try_iter()) {
            match r {
                Ok(events) => {
                    for e in events.into_iter().filter(|e| watch::is_change(&e.kind)) {
                        paths.extend(e.event.paths);
                    }
                }
                Err(errors) => {
                    for e in errors {
                        emit(report, ServeEvent::WatchProblem(e.to_string()));
                    }
                }
            }
        }
        let Some((changed, kind)) = watch::batch(&root, &paths) else {
            continue;
        };
        if let Err(e) = watcher.watch_new_dirs(&root, &changed) {
            emit(report, ServeEvent::WatchProblem(e.to_string()));
        }
        if let Some(preview) = rebuilder.preview(&changed) {
            let r = preview.report.clone();
            shared.publish(preview);
            emit(report, ServeEvent::Built(r));
        }
        let built = rebuilder.build(kind, changed);
        let r = built.report.clone();
        shared.publish(built);
        emit(report, ServeEvent::Built(r));
    }
    drop(watcher);
}

async fn root_page(State(s): State<Arc<Shared>>) -> Response {
    respond(&s, "")
}

async fn page(State(s): State<Arc<Shared>>, Path(path): Path<String>) -> Response {
    respond(&s, &path)
}

/// Serve `path` (decoded, without the leading `/`) from the current plan.
fn respond(s: &Shared, path: &str) -> Response {
    let snap = s.current();
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(bytes) = snap.get(&key) {
        return file(StatusCode::OK, &key, bytes, &snap);
    }
    if !path.is_empty() && snap.get(&format!("{path}/index.html")).is_some() {
        return Redirect::temporary(&format!("/{path}/")).into_response();
    }
    if snap.is_empty() {
        // No good build yet: the problems are the whole page.
        if let Some(f) = &snap.failure {
            let html = overlay::page(f);
            let body = livereload::inject(html.as_bytes(), &livereload::script(&snap.token));
            return with_type(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/html; charset=utf-8",
                body,
            );
        }
    }
    match snap.get("404.html") {
        Some(bytes) => file(StatusCode::NOT_FOUND, "404.html", bytes, &snap),
        None => with_type(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("no page at /{path}\n").into_bytes(),
        ),
    }
}

/// A file of the plan; HTML pages get the reload script and, after a
/// failed build, the overlay.
fn file(status: StatusCode, key: &str, bytes: &[u8], snap: &Snapshot) -> Response {
    let ct = content_type(key);
    if ct.starts_with("text/html") {
        let mut extra = livereload::script(&snap.token);
        if let Some(f) = &snap.failure {
            extra.push_str(&overlay::element(f, true));
        }
        return with_type(status, ct, livereload::inject(bytes, &extra));
    }
    with_type(status, ct, bytes.to_vec())
}

fn with_type(status: StatusCode, ct: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    // Every request sees the latest build.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The media type of an output file, by extension. Hand-written on
/// purpose: the generator writes a known, short list of file types, and
/// `mime_guess` would add a dependency (and a table of 1,000 types) for it.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Server-sent events: the current build token on connect, then one per
/// build, until the server stops.
async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut builds = s.builds.subscribe();
    builds.mark_changed();
    let shutdown = s.shutdown.clone();
    let stream = futures_util::stream::unfold(
        (builds, shutdown),
        |(mut builds, mut shutdown)| async move {
            if *shutdown.borrow() {
                return None;
            }
            tokio::select! {
                r = builds.changed() => r.ok()?,
                _ = shutdown.changed() => return None,
            }
            let r = builds.borrow_and_update().clone();
            let data = livereload::message(&r.token, &r.previous, r.pages.as_deref());
            Some((
                Ok(Event::default().event("build").data(data)),
                (builds, shutdown),
            ))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_loopback_even_when_bound_to_every_interface() {
        assert_eq!(
            local_url("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            local_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            local_url("[::1]:1111".parse().unwrap()),
            "http://[::1]:1111/"
        );
    }

    #[test]
    fn output_files_get_their_media_type() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn shared() -> Shared {
        let (_, shutdown) = channel::channel(false);
        let (builds, _) = channel::channel(Reload::default());
        Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::empty())),
            builds,
            shutdown,
            boot: 7,
            count: AtomicU64::new(0),
        }
    }

    fn built(update: Update, failure: Option<overlay::Failure>) -> Built {
        Built {
            update,
            failure,
            fatal: None,
            report: BuildReport {
                changed: Vec::new(),
                kind: rebuild::BuildKind::Full,
                took: Duration::ZERO,
                ok: true,
                pages: 0,
                feeds: 0,
                counts: String::new(),
                diagnostics: String::new(),
            },
        }
    }

    fn plan(files: &[(&str, &str)]) -> OutputPlan {
        OutputPlan {
            files: files
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect(),
            ..OutputPlan::default()
        }
    }

    #[test]
    fn builds_replace_patch_and_keep_the_served_files_and_name_the_changed_pages() {
        let s = shared();
        s.publish(built(
            Update::Plan(plan(&[
                ("index.html", "home 1"),
                ("chapters/rome/index.html", "rome 1"),
                ("chapters/rome/events/a/index.html", "a 1"),
                ("chapters/romea/index.html", "romea 1"),
            ])),
            None,
        ));
        assert_eq!(
            s.builds.borrow().pages.as_ref().map(Vec::len),
            Some(4),
            "every page is new"
        );

        // A preview of `rome`: `a` goes, `b` comes, `romea` stays.
        s.publish(built(
            Update::Patch {
                prefixes: vec!["chapters/rome/".into()],
                files: plan(&[
                    ("chapters/rome/index.html", "rome 2"),
                    ("chapters/rome/events/b/index.html", "b 2"),
                ])
                .files,
            },
            None,
        ));
        let snap = s.current();
        assert_eq!(snap.get("chapters/rome/index.html"), Some(&b"rome 2"[..]));
        assert_eq!(snap.get("chapters/rome/events/a/index.html"), None);
        assert_eq!(
            snap.get("chapters/rome/events/b/index.html"),
            Some(&b"b 2"[..])
        );
        assert_eq!(snap.get("chapters/romea/index.html"), Some(&b"romea 1"[..]));
        let r = s.builds.borrow().clone();
        assert_eq!(
            r.pages.as_deref(),
            Some(
                &[
                    "/chapters/rome/events/a/".to_string(),
                    "/chapters/rome/events/b/".to_string(),
                    "/chapters/rome/".to_string()
                ][..]
            )
        );
        assert_eq!(r.previous, format!("{:x}-1", 7));
        assert_eq!(r.token, format!("{:x}-2", 7));

        // The whole build agrees with the preview and changes the home page.
        s.publish(built(
            Update::Plan(plan(&[
                ("index.html", "home 3"),
                ("chapters/rome/index.html", "rome 2"),
                ("chapters/rome/events/b/index.html", "b 2"),
                ("chapters/romea/index.html", "romea 1"),
            ])),
            None,
        ));
        assert_eq!(
            s.builds.borrow().pages.as_deref(),
            Some(&["/".to_string()][..])
        );

        // A failed build keeps the files and reloads every page for the overlay.
        let failure = overlay::Failure {
            counts: "1 error".into(),
            text: "error".into(),
        };
        s.publish(built(Update::Keep, Some(failure.clone())));
        assert_eq!(s.current().get("index.html"), Some(&b"home 3"[..]));
        assert_eq!(s.builds.borrow().pages, None);
        // The same problems again change nothing.
        s.publish(built(Update::Keep, Some(failure)));
        assert_eq!(s.builds.borrow().pages.as_deref(), Some(&[][..]));
        // A changed stylesheet reloads every page.
        s.publish(built(
            Update::Plan(plan(&[("index.html", "home 3"), ("style.css", "b")])),
            None,
        ));
        assert_eq!(s.builds.borrow().pages, None);
    }

    #[test]
    fn a_port_in_use_suggests_another() {
        let e = ServeError::PortInUse("127.0.0.1:1111".parse().unwrap());
        let m = e.to_string();
        assert!(m.contains("port 1111"), "{m}");
        assert!(m.contains("--port 1112"), "{m}");
    }
}
