//! Browser tests: the example network, built for a loopback address, served
//! from memory by a small axum app inside the test, and checked in headless
//! Chromium driven through chromedriver (WebDriver, with `fantoccini`; the
//! few things WebDriver lacks, such as emulating a dark scheme or a phone
//! screen, go through chromedriver's Chrome DevTools pass-through).
//!
//! What they prove, for every page type (home, chapters, chapter, event
//! upcoming / past / cancelled, events, archive, leaders, leader, guides,
//! guide, 404): no horizontal scrolling at 360 px; axe-core finds no serious
//! or critical issue in the light or the dark scheme; one `h1`, headings in
//! order, labelled navigation, a skip link, dates in `<time datetime>`,
//! images with width and height, nothing loaded from another host. And: the
//! RSVP link goes to the official registration host; RSVP, subscribe and
//! add-to-calendar are at least 44 px to tap; the chapter filter narrows the
//! list as you type; an event page works without script and prints on one
//! page; a shared link previews with title, date, chapter and image.
//!
//! Every test saves what it looked at under `target/screenshots/`
//! (`<page>-<width>-<scheme>.png`) so a person can look.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and axe-core from the
//! npm registry in `target/axe/` (`.ci/run` installs all three). Without
//! them the tests print `SKIPPED` and how to install them, and pass; with
//! `CI=true` they fail instead.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine as _;
use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{SiteTest, TODAY, repo};

// ---------------------------------------------------------------------------
// Tools: find Chromium, chromedriver and axe-core, or say why not.

const INSTALL: &str = "install Chromium and its driver with `sudo apt-get install chromium chromium-driver` \
     and axe-core with `npm install --prefix target/axe axe-core@4` (see docs/theme.md)";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Say clearly that a browser test did not run. In CI that is a failure:
/// CI must always run these tests.
fn skip(test: &str, why: &str) {
    if in_ci() {
        panic!("{test}: {why}. CI must run the browser tests: {INSTALL}");
    }
    // Straight to stderr: the harness swallows `eprintln!` of a passing test.
    let _ = writeln!(
        std::io::stderr(),
        "\nSKIPPED browser test `{test}`: {why}.\n  To run it, {INSTALL}.\n"
    );
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
}

struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    axe: Option<Arc<String>>,
}

/// Where `.ci/run` installs axe-core (`AXE_CORE_JS` overrides).
fn axe_path() -> PathBuf {
    from_env("AXE_CORE_JS")
        .unwrap_or_else(|| repo().join("target/axe/node_modules/axe-core/axe.min.js"))
}

/// The tools for one test, or `None` after printing why it is skipped.
fn tools(test: &str, need_axe: bool) -> Option<Tools> {
    let Some(chromium) =
        from_env("CHROME").or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]))
    else {
        skip(
            test,
            "no Chromium found (looked for `chromium` on PATH and $CHROME)",
        );
        return None;
    };
    let Some(chromedriver) = from_env("CHROMEDRIVER")
        .or_else(|| on_path(&["chromedriver"]))
        .or_else(|| Some(PathBuf::from("/usr/lib/chromium/chromedriver")).filter(|p| p.is_file()))
    else {
        skip(
            test,
            "no chromedriver found (looked for `chromedriver` on PATH and $CHROMEDRIVER)",
        );
        return None;
    };
    let axe = match std::fs::read_to_string(axe_path()) {
        Ok(s) => Some(Arc::new(s)),
        Err(_) if need_axe => {
            skip(
                test,
                &format!("axe-core is not installed at {}", axe_path().display()),
            );
            return None;
        }
        Err(_) => None,
    };
    Some(Tools {
        chromium,
        chromedriver,
        axe,
    })
}

// ---------------------------------------------------------------------------
// The site: built once per test run, held in memory, served on loopback.

struct Site {
    /// `http://127.0.0.1:<port>/`
    base: String,
    files: Arc<BTreeMap<String, Vec<u8>>>,
    /// `events.json`'s `events`.
    events: Vec<Value>,
    /// `site.yaml`'s `registration.host`.
    registration_host: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let t = SiteTest::example();
        let out = t.root.parent().unwrap().join("out");
        t.run(&[
            "build",
            "--today",
            TODAY,
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            &base,
        ])
        .ok();
        // Keep the output in memory so the temp dir goes away with `t`.
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&out).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
        let json: Value = serde_json::from_slice(&files["events.json"]).unwrap();
        let config: Value = serde_yaml::from_str(&t.read("site.yaml")).unwrap();
        let files = Arc::new(files);
        serve(listener, files.clone());
        Site {
            base,
            files,
            events: json["events"].as_array().unwrap().clone(),
            registration_host: config["registration"]["host"].as_str().unwrap().to_string(),
        }
    })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ics" => "text/calendar; charset=utf-8",
        "xml" => "application/xml",
        "json" => "application/json",
        _ => "text/plain; charset=utf-8",
    }
}

/// Serve `files` like a static host: `dir/` is `dir/index.html`, anything
/// else missing is the site's 404 page. Runs on its own thread until the
/// test binary exits.
fn serve(listener: std::net::TcpListener, files: Arc<BTreeMap<String, Vec<u8>>>) {
    use axum::http::{StatusCode, Uri, header};
    use axum::response::IntoResponse;
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().fallback(move |uri: Uri| {
                let files = files.clone();
                async move {
                    let mut rel = uri.path().trim_start_matches('/').to_string();
                    if rel.is_empty() || rel.ends_with('/') {
                        rel.push_str("index.html");
                    }
                    match files.get(&rel) {
                        Some(body) => (
                            StatusCode::OK,
                            [(header::CONTENT_TYPE, content_type(&rel))],
                            body.clone(),
                        ),
                        None => (
                            StatusCode::NOT_FOUND,
                            [(header::CONTENT_TYPE, content_type("404.html"))],
                            files.get("404.html").cloned().unwrap_or_default(),
                        ),
                    }
                    .into_response()
                }
            });
            axum::serve(listener, app).await.unwrap();
        });
    });
}

/// Root-relative path of a page, from its absolute URL.
fn rel(url: &str) -> String {
    url.strip_prefix(&site().base).unwrap_or(url).to_string()
}

/// The candidate with the biggest built page: the one with most to show
/// (talks, sponsors, a long agenda), so the checks see the worst case.
fn richest(paths: impl IntoIterator<Item = String>) -> String {
    let files = &site().files;
    paths
        .into_iter()
        .max_by_key(|p| files.get(&format!("{p}index.html")).map_or(0, Vec::len))
        .expect("no page of this kind in the example site")
}

fn events_where(pred: impl Fn(&Value) -> bool) -> Vec<String> {
    site()
        .events
        .iter()
        .filter(|e| pred(e))
        .map(|e| rel(e["url"].as_str().unwrap()))
        .collect()
}

fn upcoming_event() -> String {
    richest(events_where(|e| {
        e["status"] == "scheduled" && e["is_past"] == false
    }))
}

fn past_event() -> String {
    richest(events_where(|e| {
        e["status"] == "scheduled" && e["is_past"] == true
    }))
}

fn cancelled_event() -> String {
    richest(events_where(|e| e["status"] == "cancelled"))
}

/// Pages under `dir` (e.g. `leaders/`), one level down.
fn pages_under(dir: &str) -> Vec<String> {
    site()
        .files
        .keys()
        .filter_map(|k| k.strip_prefix(dir)?.strip_suffix("/index.html"))
        .filter(|id| !id.contains('/'))
        .map(|id| format!("{dir}{id}/"))
        .collect()
}

/// One page of every type, by name (the name is used in screenshot files).
fn page_types() -> Vec<(&'static str, String)> {
    let event = upcoming_event();
    let chapter = event.split("events/").next().unwrap().to_string();
    vec![
        ("home", String::new()),
        ("chapters", "chapters/".into()),
        ("chapter", chapter),
        ("event", event),
        ("event-past", past_event()),
        ("event-cancelled", cancelled_event()),
        ("events", "events/".into()),
        ("archive", "events/archive/".into()),
        ("leaders", "leaders/".into()),
        ("leader", richest(pages_under("leaders/"))),
        ("guides", "guides/".into()),
        ("guide", richest(pages_under("guides/"))),
        ("404", "404.html".into()),
    ]
}

// ---------------------------------------------------------------------------
// The browser: one chromedriver and one Chromium per test.

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Chromium's flags: headless, and quiet on a closed network (without the
/// background-networking flags it stalls trying to reach Google).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--window-size=1280,900",
];

/// A chromedriver process that is killed when dropped, so a failing test
/// leaves nothing running.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn launch(tools: &Tools, profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let driver = Driver(
        Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.chromedriver.display())),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": tools.chromium, "args": args },
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "chromedriver could not start {}: {e}",
                tools.chromium.display()
            )
        });
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            Some(Duration::from_secs(60)),
            Some(Duration::ZERO),
        ))
        .await
        .unwrap();
    (driver, client)
}

/// Run one browser test: start Chromium, run `body`, always close the
/// browser, then report the body's panic (if any).
fn browser_test<F, Fut>(test: &str, need_axe: bool, body: F)
where
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(tools) = tools(test, need_axe) else {
        return;
    };
    let site = site();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let profile = tempfile::Builder::new()
            .prefix("chapterhouse-chromium")
            .tempdir()
            .unwrap();
        let (driver, client) = launch(&tools, profile.path()).await;
        let page = Page {
            client: client.clone(),
            site,
            axe: tools.axe.clone(),
        };
        let outcome = tokio::spawn(body(page)).await;
        let _ = client.close().await;
        drop(driver);
        if let Err(e) = outcome {
            match e.try_into_panic() {
                Ok(p) => std::panic::resume_unwind(p),
                Err(e) => panic!("{test}: {e}"),
            }
        }
    });
}

/// A Chrome DevTools command sent through chromedriver's pass-through.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Scheme {
    Light,
    Dark,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// The browser tab a test drives.
#[derive(Clone)]
struct Page {
    client: Client,
    site: &'static Site,
    axe: Option<Arc<String>>,
}

impl Page {
    async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Emulate a screen `width` CSS px wide (a phone below 600 px).
    async fn screen(&self, width: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": if width < 600 { 780 } else { 900 },
                   "deviceScaleFactor": 1, "mobile": width < 600}),
        )
        .await;
    }

    async fn scheme(&self, scheme: Scheme) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme.name()}]}),
        )
        .await;
    }

    async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.site.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Save the whole page as `target/screenshots/<name>.png`.
    async fn shot(&self, name: &str) {
        let m = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &m["cssContentSize"];
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true,
                       "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .unwrap();
        save(&format!("{name}.png"), &png);
    }

    /// axe-core's serious and critical findings on the current page.
    async fn axe(&self) -> Vec<String> {
        let src = self.axe.as_ref().expect("axe-core is loaded");
        if self.js("return typeof window.axe", vec![]).await != "object" {
            self.js(&format!("{src}\n;return typeof window.axe"), vec![])
                .await;
        }
        let found = self
            .client
            .execute_async(
                r##"const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ["violations"]}).then(r => done(
                  r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
                   .map(v => `${v.impact} ${v.id}: ${v.help}\n` + v.nodes.slice(0, 4).map(n =>
                      `    ${n.target.join(" ")}: ${(n.failureSummary || "").replace(/\s+/g, " ")}`).join("\n"))
                )).catch(e => done(["axe-core failed: " + e]));"##,
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("axe-core: {e}"));
        serde_json::from_value(found).unwrap()
    }
}

fn screenshots() -> PathBuf {
    repo().join("target/screenshots")
}

fn save(name: &str, bytes: &[u8]) {
    let dir = screenshots();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// Collects every problem, so one run reports all pages and schemes.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn assert_none(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{what}: {} problem(s)\n{}\n(screenshots in {})",
            self.0.len(),
            self.0.join("\n"),
            screenshots().display()
        );
    }
}

// ---------------------------------------------------------------------------
// Page checks (JavaScript run in the page).

/// Elements that stick out to the right of the screen, outside any
/// horizontally scrolling box (wide tables and code scroll on their own).
const OVERFLOW_JS: &str = r##"
const vw = document.documentElement.clientWidth;
const out = [];
for (const e of document.querySelectorAll("body *")) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || (r.right <= vw + 0.5 && r.left >= -0.5)) continue;
  let p = e.parentElement, scrolls = false;
  while (p && p !== document.body) {
    const o = getComputedStyle(p).overflowX;
    if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") { scrolls = true; break; }
    p = p.parentElement;
  }
  if (!scrolls) out.push(`<${e.tagName.toLowerCase()} class="${e.className}"> spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
}
return {scroll: document.documentElement.scrollWidth, vw, out: out.slice(0, 8)};
"##;

/// Structure every page must have.
const STRUCTURE_JS: &str = r##"
const problems = [];
const h1 = document.querySelectorAll("h1").length;
if (h1 !== 1) problems.push(`${h1} h1 elements, want exactly 1`);
let last = 0;
for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
  const level = Number(h.tagName[1]);
  if (level > last + 1) problems.push(`heading <${h.tagName.toLowerCase()}> "${h.textContent.trim()}" follows h${last}`);
  last = level;
}
for (const n of document.querySelectorAll("nav"))
  if (!n.getAttribute("aria-label") && !n.getAttribute("aria-labelledby")) problems.push("a <nav> without aria-label");
const first = document.querySelector("body a[href], body button, body input");
if (!first || first.getAttribute("href") !== "#main" || !document.getElementById("main"))
  problems.push("the first link is not a skip link to #main");
for (const t of document.querySelectorAll("time"))
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$/.test(t.getAttribute("datetime") || ""))
    problems.push(`<time> without a valid datetime: ${t.outerHTML}`);
for (const c of document.querySelectorAll(".event-card"))
  if (!c.querySelector("time[datetime]")) problems.push(`event card without <time datetime>: ${c.textContent.trim().slice(0, 60)}`);
for (const i of document.images)
  if (!i.getAttribute("width") || !i.getAttribute("height")) problems.push(`image without width/height: ${i.outerHTML}`);
for (const u of performance.getEntriesByType("resource").map(e => e.name))
  if (new URL(u).origin !== location.origin) problems.push(`loads ${u} from another host`);
for (const s of document.querySelectorAll("script[src]"))
  if (!s.defer && !s.async) problems.push(`render-blocking script ${s.src}`);
for (const l of document.querySelectorAll("link[rel=stylesheet]"))
  if (new URL(l.href).origin !== location.origin) problems.push(`stylesheet from another host: ${l.href}`);
for (const p of document.querySelectorAll("main p, .prose li")) {
  const r = p.getBoundingClientRect(), em = parseFloat(getComputedStyle(p).fontSize);
  if (r.width / em > 48 && p.textContent.trim().length > 120) problems.push(`line too long to read (${Math.round(r.width / em)} em): ${p.textContent.trim().slice(0, 50)}…`);
}
return problems;
"##;

/// `[region name, shown count]` of each region still on screen.
const REGION_COUNTS_JS: &str = r##"
return Array.from(document.querySelectorAll("[data-region]")).filter(r => !r.hidden).map(r => {
  const h = r.querySelector("h2");
  const c = h.querySelector(".count");
  return [h.firstChild.textContent.trim(), c ? c.textContent.trim() : ""];
});
"##;

/// Size and target of the elements matching a selector.
const BOXES_JS: &str = r##"
return Array.from(document.querySelectorAll(arguments[0])).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent.trim().replace(/\s+/g, " "), href: e.href || "", w: r.width, h: r.height,
          visible: r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden"};
});
"##;

fn boxes(v: Value) -> Vec<(String, String, f64, f64, bool)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["text"].as_str().unwrap().to_string(),
                b["href"].as_str().unwrap().to_string(),
                b["w"].as_f64().unwrap(),
                b["h"].as_f64().unwrap(),
                b["visible"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Number of pages in a PDF that Chromium printed (each page object has
/// `/Type /Page`; the page tree has `/Type /Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_page_type_fits_a_phone_and_has_one_h1_dated_times_and_no_third_party_loads() {
    browser_test(
        "every_page_type_fits_a_phone_and_has_one_h1_dated_times_and_no_third_party_loads",
        false,
        |page| async move {
            let mut problems = Problems::default();
            for (width, scheme) in [
                (360, Scheme::Light),
                (360, Scheme::Dark),
                (1280, Scheme::Light),
                (1280, Scheme::Dark),
            ] {
                page.screen(width).await;
                page.scheme(scheme).await;
                for (name, path) in page_types() {
                    page.goto(&path).await;
                    let where_ = format!("{name} (/{path}) at {width} px, {}", scheme.name());
                    if width == 360 {
                        let o = page.js(OVERFLOW_JS, vec![]).await;
                        let (scroll, vw) =
                            (o["scroll"].as_f64().unwrap(), o["vw"].as_f64().unwrap());
                        problems.check(scroll <= vw && o["out"].as_array().unwrap().is_empty(), || {
                            format!("{where_}: scrolls sideways ({scroll} px content in {vw} px): {}", o["out"])
                        });
                    }
                    if scheme == Scheme::Light {
                        let found: Vec<String> =
                            serde_json::from_value(page.js(STRUCTURE_JS, vec![]).await).unwrap();
                        for f in found {
                            problems.0.push(format!("{where_}: {f}"));
                        }
                    }
                    page.shot(&format!("{name}-{width}-{}", scheme.name()))
                        .await;
                }
            }
            problems.assert_none("page layout and structure");
        },
    );
}

#[test]
fn axe_core_finds_no_serious_or_critical_issue_in_light_or_dark() {
    browser_test(
        "axe_core_finds_no_serious_or_critical_issue_in_light_or_dark",
        true,
        |page| async move {
            let mut problems = Problems::default();
            for (width, scheme) in [
                (360, Scheme::Light),
                (360, Scheme::Dark),
                (1280, Scheme::Dark),
            ] {
                page.screen(width).await;
                page.scheme(scheme).await;
                for (name, path) in page_types() {
                    page.goto(&path).await;
                    for v in page.axe().await {
                        problems.0.push(format!(
                            "{name} (/{path}) at {width} px, {}: {v}",
                            scheme.name()
                        ));
                    }
                }
            }
            // A check that cannot fail proves nothing: axe must flag a page
            // with grey-on-grey text and an unlabelled field.
            page.js(
                r##"document.body.insertAdjacentHTML("beforeend",
                   '<p style="color:#777;background:#888">faint</p><input type="text">')"##,
                vec![],
            )
            .await;
            let planted = page.axe().await.join("\n");
            problems.check(
                planted.contains("color-contrast") && planted.contains("label"),
                || format!("axe-core missed planted problems; it said: {planted}"),
            );
            problems.assert_none("axe-core");
        },
    );
}

#[test]
fn upcoming_event_rsvp_goes_to_the_registration_host_and_actions_are_easy_to_tap() {
    browser_test(
        "upcoming_event_rsvp_goes_to_the_registration_host_and_actions_are_easy_to_tap",
        false,
        |page| async move {
            let mut problems = Problems::default();
            let host = page.site.registration_host.clone();
            page.screen(360).await;
            page.scheme(Scheme::Light).await;
            let event = upcoming_event();
            page.goto(&event).await;
            page.shot("rsvp-event-360").await;
            let rsvp = boxes(page.js(BOXES_JS, vec![json!("[data-rsvp] a")]).await);
            problems.check(rsvp.len() == 1, || {
                format!("/{event}: want one RSVP link, found {}", rsvp.len())
            });
            for (text, href, w, h, visible) in &rsvp {
                let url = url::Url::parse(href).unwrap();
                let h_ok = url
                    .host_str()
                    .is_some_and(|h| h == host || h.ends_with(&format!(".{host}")));
                problems.check(url.scheme() == "https" && h_ok, || {
                    format!("/{event}: RSVP link {href} is not https on {host}")
                });
                problems.check(text.starts_with("RSVP"), || {
                    format!("/{event}: RSVP button says {text:?}")
                });
                problems.check(*visible && *w >= 44.0 && *h >= 44.0, || {
                    format!("/{event}: RSVP button is {w}x{h} px, want at least 44x44")
                });
            }
            let mut taps = Vec::new();
            let cal = boxes(page.js(BOXES_JS, vec![json!(".add-to-calendar a")]).await);
            problems.check(cal.len() >= 3, || {
                format!("/{event}: {} add-to-calendar links, want 3", cal.len())
            });
            taps.extend(cal.into_iter().map(|b| (event.clone(), b)));
            let chapter = event.split("events/").next().unwrap().to_string();
            for path in [chapter, String::new()] {
                page.goto(&path).await;
                let sub = boxes(
                    page.js(BOXES_JS, vec![json!(".subscribe .actions a")])
                        .await,
                );
                problems.check(sub.len() >= 3, || {
                    format!("/{path}: {} subscribe links, want 3", sub.len())
                });
                taps.extend(sub.into_iter().map(|b| (path.clone(), b)));
            }
            page.shot("rsvp-chapter-360").await;
            for (path, (text, _, w, h, visible)) in taps {
                problems.check(visible && w >= 44.0 && h >= 44.0, || {
                    format!("/{path}: {text:?} is {w}x{h} px, want at least 44x44")
                });
            }
            // Over or called off: no RSVP button.
            for path in [past_event(), cancelled_event()] {
                page.goto(&path).await;
                let n = boxes(page.js(BOXES_JS, vec![json!("[data-rsvp] a")]).await).len();
                problems.check(n == 0, || {
                    format!("/{path}: an RSVP link on an event that is over or cancelled")
                });
            }
            problems.assert_none("RSVP and tap targets");
        },
    );
}

#[test]
fn chapter_filter_narrows_the_list_as_you_type() {
    browser_test(
        "chapter_filter_narrows_the_list_as_you_type",
        false,
        |page| async move {
            let mut problems = Problems::default();
            page.screen(360).await;
            page.scheme(Scheme::Light).await;
            page.goto("chapters/").await;
            const SHOWN: &str = r##"return Array.from(document.querySelectorAll(".chapter-card"))
            .filter(c => c.getClientRects().length > 0).map(c => c.querySelector("h3").textContent.trim())"##;
            let all: Vec<String> = serde_json::from_value(page.js(SHOWN, vec![]).await).unwrap();
            let total = site()
                .files
                .keys()
                .filter(|k| {
                    k.starts_with("chapters/")
                        && k.matches('/').count() == 2
                        && k.ends_with("/index.html")
                })
                .count();
            problems.check(all.len() == total && total > 2, || {
                format!("{} of {total} chapters listed before filtering", all.len())
            });
            let input = page
                .client
                .find(Locator::Css("#chapter-filter"))
                .await
                .expect("a filter box");
            let mut steps = Vec::new();
            for (typed, want) in [
                ("b", None),
                ("ber", Some("Berlin")),
                ("india", Some("Bengaluru")),
                ("zzz", None),
            ] {
                input.clear().await.unwrap();
                input.send_keys(typed).await.unwrap();
                let shown: Vec<String> =
                    serde_json::from_value(page.js(SHOWN, vec![]).await).unwrap();
                if typed == "ber" {
                    page.shot("chapter-filter-360").await;
                    let counts = page.js(REGION_COUNTS_JS, vec![]).await;
                    problems.check(counts == json!([["Europe", "1"]]), || {
                        format!("typing \"ber\" leaves regions and counts {counts}, want Europe 1")
                    });
                }
                problems.check(shown.len() < all.len(), || {
                    format!("typing {typed:?} still shows all {} chapters", shown.len())
                });
                if let Some(w) = want {
                    problems.check(
                        !shown.is_empty()
                            && shown
                                .iter()
                                .all(|s| s.to_lowercase().contains(&w.to_lowercase())),
                        || format!("typing {typed:?} shows {shown:?}, want only {w}"),
                    );
                }
                steps.push((typed, shown));
            }
            let empty_msg = boxes(page.js(BOXES_JS, vec![json!("[data-filter-empty]")]).await);
            problems.check(
                steps.last().unwrap().1.is_empty() && empty_msg.iter().any(|b| b.4),
                || "typing nonsense does not show the no-match message".to_string(),
            );
            let status = page
                .js(
                    "return document.querySelector('.filter [role=status]').textContent",
                    vec![],
                )
                .await;
            problems.check(status.as_str().is_some_and(|s| s.contains('0')), || {
                format!("status says {status} after no match")
            });
            input.clear().await.unwrap();
            input.send_keys(" ").await.unwrap();
            let back: Vec<String> = serde_json::from_value(page.js(SHOWN, vec![]).await).unwrap();
            problems.check(back.len() == all.len(), || {
                format!("clearing the box shows {} of {}", back.len(), all.len())
            });

            // A region link from a chapter page arrives as `?q=`.
            page.goto("chapters/?q=North+America").await;
            let counts = page.js(REGION_COUNTS_JS, vec![]).await;
            problems.check(
                counts.as_array().is_some_and(|a| a.len() == 1) && counts[0][0] == "North America",
                || format!("?q=North+America leaves regions {counts}"),
            );

            // Without script: no filter box, the whole grouped list.
            page.cdp(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
            )
            .await;
            page.goto("chapters/").await;
            page.shot("chapter-filter-no-script-360").await;
            let boxes_ = boxes(page.js(BOXES_JS, vec![json!(".filter input")]).await);
            problems.check(boxes_.iter().all(|b| !b.4), || {
                "the filter box shows without script".into()
            });
            let cards = boxes(page.js(BOXES_JS, vec![json!(".chapter-card")]).await);
            problems.check(cards.iter().filter(|b| b.4).count() == total, || {
                "without script not every chapter shows".into()
            });
            problems.assert_none("chapter filter");
        },
    );
}

#[test]
fn event_page_works_without_script_and_prints_on_one_page() {
    browser_test(
        "event_page_works_without_script_and_prints_on_one_page",
        false,
        |page| async move {
            let mut problems = Problems::default();
            use fantoccini::wd::{PrintConfiguration, PrintSize};
            let config = |size: PrintSize| {
                PrintConfiguration::builder()
                    .size(size)
                    .shrink_to_fit(false)
                    .build()
                    .unwrap()
            };
            // The counter itself: the long archive page takes more than one sheet.
            page.goto("events/archive/").await;
            let long = page.client.print(config(PrintSize::A4)).await.unwrap();
            problems.check(pdf_pages(&long) > 1, || {
                format!(
                    "the PDF page counter says the archive prints on {} page(s)",
                    pdf_pages(&long)
                )
            });
            for (name, path) in [
                ("event", upcoming_event()),
                ("event-past", past_event()),
                ("event-cancelled", cancelled_event()),
            ] {
                page.goto(&path).await;
                for (paper, size) in [("a4", PrintSize::A4), ("letter", PrintSize::US_LETTER)] {
                    let pdf = page.client.print(config(size)).await.unwrap();
                    save(&format!("{name}-print-{paper}.pdf"), &pdf);
                    problems.check(pdf_pages(&pdf) == 1, || {
                        format!(
                            "/{path} prints on {} {paper} pages, want 1",
                            pdf_pages(&pdf)
                        )
                    });
                }
            }

            page.cdp(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
            )
            .await;
            page.screen(360).await;
            let event = upcoming_event();
            page.goto(&event).await;
            page.shot("event-no-script-360").await;
            let ran = page
                .js(
                    "return document.querySelector('.event').classList.length",
                    vec![],
                )
                .await;
            let rsvp = boxes(page.js(BOXES_JS, vec![json!("[data-rsvp] a")]).await);
            problems.check(rsvp.len() == 1 && rsvp[0].4, || {
                format!("/{event}: no visible RSVP button without script ({ran})")
            });
            let cal = boxes(page.js(BOXES_JS, vec![json!(".add-to-calendar a")]).await);
            problems.check(cal.len() >= 3 && cal.iter().all(|b| b.4), || {
                format!("/{event}: add-to-calendar links missing without script")
            });
            let when = boxes(page.js(BOXES_JS, vec![json!(".facts time")]).await);
            problems.check(when.len() == 1 && when[0].4, || {
                format!("/{event}: the date is not shown without script")
            });
            problems.assert_none("event page without script and in print");
        },
    );
}

#[test]
fn a_shared_event_link_previews_with_title_date_chapter_and_image() {
    browser_test(
        "a_shared_event_link_previews_with_title_date_chapter_and_image",
        false,
        |page| async move {
            let mut problems = Problems::default();
            let path = upcoming_event();
            let event = page
                .site
                .events
                .iter()
                .find(|e| rel(e["url"].as_str().unwrap()) == path)
                .unwrap()
                .clone();
            page.goto(&path).await;
            let meta: BTreeMap<String, String> = serde_json::from_value(page.js(
            r##"const m = {}; for (const e of document.querySelectorAll("meta[property], meta[name]"))
                 m[e.getAttribute("property") || e.getAttribute("name")] = e.getAttribute("content"); return m;"##,
            vec![],
        ).await).unwrap();
            let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
            let title = event["title"].as_str().unwrap();
            let chapter = event["chapter"]["name"].as_str().unwrap();
            for k in ["og:title", "twitter:title"] {
                problems.check(get(k).contains(title) && get(k).contains(chapter), || {
                    format!("{k} = {:?}, want the title and the chapter", get(k))
                });
            }
            problems.check(get("twitter:card") == "summary_large_image", || {
                format!("twitter:card = {:?}", get("twitter:card"))
            });
            problems.check(
                get("og:type") == "event" || get("og:type") == "article",
                || format!("og:type = {:?}", get("og:type")),
            );
            problems.check(get("og:url") == event["url"].as_str().unwrap(), || {
                format!("og:url = {:?}", get("og:url"))
            });
            let start = event["start"].as_str().unwrap();
            problems.check(get("event:start_time") == start, || {
                format!(
                    "event:start_time = {:?}, want {start}",
                    get("event:start_time")
                )
            });
            // The date, readable (`Tue 8 Dec 2026`), in the description and the Twitter label.
            let day = chrono::DateTime::parse_from_rfc3339(start)
                .unwrap()
                .format("%a %-d %b %Y")
                .to_string();
            for k in ["og:description", "twitter:data1"] {
                problems.check(get(k).contains(&day), || {
                    format!("{k} = {:?}, want the date {day:?}", get(k))
                });
            }
            problems.check(get("twitter:data2") == chapter, || {
                format!("twitter:data2 = {:?}", get("twitter:data2"))
            });
            for k in ["og:image", "twitter:image"] {
                let img = get(k);
                problems.check(img.starts_with(&page.site.base), || {
                    format!("{k} = {img:?}, want an absolute URL on this site")
                });
                let size = page.client.execute_async(
                "const done = arguments[1]; const i = new Image(); i.onload = () => done([i.naturalWidth, i.naturalHeight]); i.onerror = () => done([0, 0]); i.src = arguments[0];",
                vec![json!(img)],
            ).await.unwrap();
                problems.check(size == json!([1200, 630]), || {
                    format!("{k} {img} loads as {size}, want 1200x630")
                });
            }
            problems.check(!get("og:image:alt").is_empty(), || {
                "og:image:alt is empty".into()
            });
            problems.assert_none("sharing tags");
        },
    );
}

#[test]
fn the_pdf_page_counter_counts_pages_not_the_page_tree() {
    let one = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R] >>\n2 0 obj << /Type /Page /Parent 1 0 R >>";
    let two = b"<< /Type /Pages >> << /Type /Page >> << /Type /Page\n>>";
    assert_eq!(pdf_pages(one), 1);
    assert_eq!(pdf_pages(two), 2);
}
