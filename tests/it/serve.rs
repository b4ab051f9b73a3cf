//! `serve` end to end: the real binary on a free loopback port, a page
//! fetched, files edited, broken and fixed, and the server stopped with
//! Ctrl-C. Every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{SiteTest, TODAY};

/// How long any one wait may take (a debug build on a busy machine).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `chapterhouse serve`; killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(t: &SiteTest, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chapterhouse"))
            .args(["serve", "--port", "0", "--today", TODAY])
            .args(extra)
            .current_dir(&t.root)
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = tx.send(line);
            }
        });
        let url = wait_for_url(&rx, &log);
        Server { child, url, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        get(&self.url, path)
    }

    /// Fetch `path` until `pred` holds (bounded).
    fn until(&self, path: &str, what: &str, pred: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if pred(&r) {
                return r;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{path}: {what} did not happen within {PATIENCE:?}\nlast response {}:\n{}\nserver log:\n{}",
                r.status,
                r.body,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_url(rx: &Receiver<String>, log: &Arc<Mutex<String>>) -> String {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && let Some(rest) = line.strip_prefix("serving at ")
        {
            return rest.split(';').next().unwrap().to_string();
        }
    }
    panic!("serve did not start:\n{}", log.lock().unwrap());
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// A minimal HTTP/1.1 GET for the test client (the server under test is
/// axum; the dev-dependencies have no blocking HTTP client).
fn get(base: &str, path: &str) -> Response {
    let url = url::Url::parse(base).unwrap().join(path).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        url.path()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

const EVENT: &str = "content/chapters/rome/events/2026-12-03-automation-night.md";
const EVENT_PAGE: &str = "/chapters/rome/events/2026-12-03-automation-night/";

#[test]
fn edits_show_up_errors_overlay_the_last_good_build_and_a_fix_clears_them() {
    let t = SiteTest::minimal();
    let server = Server::start(&t, &[]);
    let port = url::Url::parse(&server.url).unwrap().port().unwrap();

    let r = server.get(EVENT_PAGE);
    assert_eq!(r.status, 200, "{}", server.log());
    assert!(r.body.contains(">Automation night</h1>"), "{}", r.body);
    assert!(r.body.contains("data-chapterhouse-livereload"));
    assert!(r.headers.contains("content-type: text/html"));
    // Links point at the local server, not at site.yaml's base_url.
    assert!(
        r.body
            .contains(&format!("href=\"http://127.0.0.1:{port}{EVENT_PAGE}\"")),
        "{}",
        r.body
    );
    assert!(!r.body.contains("groups.example.org/chapters"));

    // An edit (written in place) shows up.
    let original = t.read(EVENT);
    std::fs::write(
        t.path(EVENT),
        original.replace("title: Automation night", "title: Automation night, edited"),
    )
    .unwrap();
    server.until(EVENT_PAGE, "the edit", |r| {
        r.body.contains(">Automation night, edited</h1>")
    });

    // A broken save keeps the last good page under an overlay naming the file.
    std::fs::write(
        t.path(EVENT),
        original.replace("end: 2026-12-03T20:30", "end: 2026-12-03T17:00"),
    )
    .unwrap();
    let r = server.until(EVENT_PAGE, "the overlay", |r| {
        r.body.contains("id=\"chapterhouse-overlay\"")
    });
    assert!(
        r.body.contains(">Automation night, edited</h1>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(EVENT),
        "the overlay names the file: {}",
        r.body
    );
    // The overlay is on every page, and the terminal shows the problem too.
    assert!(server.get("/").body.contains("id=\"chapterhouse-overlay\""));
    assert!(server.log().contains(EVENT), "{}", server.log());

    // The fix clears it.
    std::fs::write(t.path(EVENT), &original).unwrap();
    let r = server.until(EVENT_PAGE, "the fix", |r| {
        !r.body.contains("id=\"chapterhouse-overlay\"")
    });
    assert!(r.body.contains(">Automation night</h1>"), "{}", r.body);

    // Serving never writes the output folder.
    assert!(!t.exists("public"));
}

#[test]
fn new_renamed_and_deleted_files_are_picked_up() {
    let t = SiteTest::minimal();
    let server = Server::start(&t, &[]);
    let new = "content/chapters/rome/events/2026-12-10-hack-night.md";
    let page = "/chapters/rome/events/2026-12-10-hack-night/";
    assert_eq!(server.get(page).status, 404);

    // Saved the way most editors save: a temporary file renamed over the target.
    let text = "---\ntitle: Hack night\nstart: 2026-12-10T18:00\nend: 2026-12-10T21:00\nattendance_mode: online\nregistration: https://events.example.org/e/3/\n---\nBring a laptop.\n";
    let tmp = t.path("content/chapters/rome/events/.hack-night.md.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, t.path(new)).unwrap();
    let r = server.until(page, "the new event", |r| r.status == 200);
    assert!(r.body.contains(">Hack night</h1>"), "{}", r.body);
    // Pages that list events follow.
    server.until("/chapters/rome/", "the chapter page listing it", |r| {
        r.body.contains("Hack night")
    });

    let renamed = "content/chapters/rome/events/2026-12-10-build-night.md";
    std::fs::rename(t.path(new), t.path(renamed)).unwrap();
    server.until(
        "/chapters/rome/events/2026-12-10-build-night/",
        "the rename",
        |r| r.status == 200,
    );
    assert_eq!(server.get(page).status, 404);

    std::fs::remove_file(t.path(renamed)).unwrap();
    let r = server.until(
        "/chapters/rome/events/2026-12-10-build-night/",
        "the deletion",
        |r| r.status == 404,
    );
    assert!(
        r.headers.contains("content-type: text/html"),
        "the site's 404 page"
    );
}

#[test]
fn paths_without_a_slash_redirect_and_the_event_stream_names_the_build() {
    let t = SiteTest::minimal();
    let server = Server::start(&t, &[]);
    let r = server.get("/chapters/rome");
    assert_eq!(r.status, 307);
    assert!(
        r.headers.contains("location: /chapters/rome/"),
        "{}",
        r.headers
    );
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(css.headers.contains("content-type: text/css"));
    assert!(!css.body.contains("chapterhouse-livereload"));

    // The stream opens with the current build's token, the one the page carries.
    let page = server.get("/");
    let token = page
        .body
        .split("var token = \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let url = url::Url::parse(&server.url).unwrap();
    let addr = format!("127.0.0.1:{}", url.port().unwrap());
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET /__chapterhouse/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 1024];
    let start = Instant::now();
    while !seen.contains(&format!("data: {token}\n")) && start.elapsed() < PATIENCE {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "the stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"), "{seen}");
    assert!(seen.contains("event: build"), "{seen}");
    assert!(seen.contains(&format!("data: {token}\n")), "{seen}");
}

#[test]
fn a_port_in_use_is_refused_with_a_hint() {
    let t = SiteTest::minimal();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = t.run(&["serve", "--port", &port, "--today", TODAY]);
    run.code(2)
        .stderr_has(&format!("port {port} on 127.0.0.1 is already in use"))
        .stderr_has("--port");
}

#[test]
fn a_folder_without_a_site_is_refused() {
    let t = SiteTest::minimal().remove("site.yaml");
    t.run(&["serve", "--port", "0"])
        .code(2)
        .stderr_has("no `site.yaml`");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_a_page_listening() {
    let t = SiteTest::minimal();
    let mut server = Server::start(&t, &[]);
    let url = url::Url::parse(&server.url).unwrap();
    let addr = format!("127.0.0.1:{}", url.port().unwrap());
    // An open event stream, like a browser tab.
    let mut tab = TcpStream::connect(&addr).unwrap();
    write!(
        tab,
        "GET /__chapterhouse/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "serve did not stop:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", server.log());
    // Give the reader thread a moment to take the last lines.
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.log().contains("stopping"), "{}", server.log());
}

#[test]
fn a_site_broken_from_the_start_shows_its_problems_until_fixed() {
    let t = SiteTest::minimal();
    let good = t.read("content/leaders/bo.md");
    let t = t.file(
        "content/leaders/bo.md",
        "---\nname: Bo Berg\n---\nNo affiliation.\n",
    );
    let server = Server::start(&t, &[]);
    assert!(
        server.log().contains("there is no good build to show yet"),
        "{}",
        server.log()
    );
    let r = server.get("/chapters/rome/");
    assert_eq!(r.status, 503);
    assert!(r.body.contains("id=\"chapterhouse-overlay\""), "{}", r.body);
    assert!(r.body.contains("content/leaders/bo.md"), "{}", r.body);
    std::fs::write(t.path("content/leaders/bo.md"), good).unwrap();
    let r = server.until("/chapters/rome/", "the fixed site", |r| r.status == 200);
    assert!(
        !r.body.contains("id=\"chapterhouse-overlay\""),
        "{}",
        r.body
    );
}
