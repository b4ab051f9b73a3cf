//! Robust against bad input and hostile content (issue 5): nothing lost,
//! nothing injected, same bytes every time. Each test drives the real
//! binary and would fail without the protection it names.

use std::path::{Path, PathBuf};

use crate::support::{MINIMAL_SITE, Run, SiteTest, TODAY, tree};

/// Assert two trees are byte-identical, naming the first difference.
fn assert_same_tree(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    for ((p, x), (_, y)) in a.iter().zip(b) {
        assert!(x == y, "{what}: {p} differs");
    }
}

/// Hidden staging or swap folders chapterhouse left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.contains(".old-"))
        .collect()
}

fn build(t: &SiteTest) -> Run {
    t.run(&["build", "--today", TODAY])
}

fn check(t: &SiteTest) -> Run {
    t.run(&["check", "--today", TODAY])
}

const EVENT: &str = "content/chapters/rome/events/2026-12-03-automation-night.md";

/// The minimal site's upcoming event with `extra` front-matter lines.
fn event_with(extra: &str) -> String {
    format!(
        "---\ntitle: Automation night\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:30\nvenue:\n  name: Hall\n  address: Via Roma 1\nregistration: https://events.example.org/e/2/\n{extra}---\nText.\n"
    )
}

// ---------------------------------------------------------------------------
// Nothing lost
// ---------------------------------------------------------------------------

#[test]
fn a_content_error_leaves_the_previous_output_byte_identical() {
    let t = SiteTest::minimal();
    t.build();
    let before = tree(&t.path("public"));
    let t = t.file(EVENT, &event_with("price: 10 EUR\n"));
    build(&t)
        .code(1)
        .stderr_has("the previous output is unchanged");
    assert_same_tree(&before, &tree(&t.path("public")), "after a content error");
    assert!(leftovers(&t.root).is_empty());
}

#[test]
fn a_write_that_fails_midway_leaves_the_previous_output_byte_identical() {
    let t = SiteTest::minimal();
    t.build();
    let before = tree(&t.path("public"));
    // `static/feed.xml/x` makes `feed.xml` both a folder and the Atom feed:
    // the write stops before the swap (the event pages are in the staging
    // folder already) and names the clash.
    let t = t.file("static/feed.xml/x", "x").file(
        "content/chapters/rome/events/2026-12-10-second.md",
        &event_with("").replace("2026-12-03", "2026-12-10"),
    );
    let run = build(&t);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`feed.xml` would be both a file and the folder of `feed.xml/x`"),
        "{}",
        run.stderr
    );
    assert_same_tree(&before, &tree(&t.path("public")), "after a failed write");
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
}

/// A site whose write takes long enough to interrupt: the example network
/// plus `n` static files.
#[cfg(unix)]
fn big_site(n: usize) -> SiteTest {
    let t = SiteTest::example();
    let dir = t.path("static/bulk");
    std::fs::create_dir_all(&dir).unwrap();
    let body = "x".repeat(2048);
    for i in 0..n {
        std::fs::write(dir.join(format!("{i:05}.txt")), &body).unwrap();
    }
    t
}

/// Start a build, wait until its staging folder appears, then `signal` it.
/// Returns the exit status, or `None` when the build finished first.
#[cfg(unix)]
fn signal_during_write(t: &SiteTest, signal: &str) -> Option<std::process::ExitStatus> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chapterhouse"))
        .args(["build", "--today", TODAY, "--quiet"])
        .current_dir(&t.root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the build failed on its own: {status}");
            return None;
        }
        let staging = std::fs::read_dir(&t.root)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".public.staging-")
            });
        if staging {
            let ok = std::process::Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status()
                .unwrap();
            assert!(ok.success());
            return Some(child.wait().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Interrupt (Ctrl-C, or a cancelled CI job's SIGTERM) while the staging
/// folder is being written: the previous output stays byte-identical and
/// the staging folder is removed. The site changes between builds, so a
/// build that got through would show.
#[cfg(unix)]
#[test]
fn ctrl_c_or_sigterm_during_the_write_leaves_the_previous_output_and_no_staging() {
    for signal in ["-INT", "-TERM"] {
        let mut interrupted = false;
        for n in [3_000, 12_000, 40_000] {
            let t = big_site(n);
            t.build();
            let before = tree(&t.path("public"));
            let t = t.file(
                "static/changed.txt",
                "a change the next build would publish",
            );
            let Some(status) = signal_during_write(&t, signal) else {
                continue; // the write finished before the signal: try a bigger site
            };
            assert_eq!(status.code(), Some(2), "{signal}: {status}");
            assert_same_tree(&before, &tree(&t.path("public")), signal);
            assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
            interrupted = true;
            break;
        }
        assert!(
            interrupted,
            "{signal}: no build could be interrupted while writing"
        );
    }
}

/// SIGKILL cannot be handled: the previous output must still be intact,
/// and the next build removes the killed build's staging folder.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_the_previous_output_and_the_next_build_cleans_up() {
    for n in [3_000, 12_000, 40_000] {
        let t = big_site(n);
        t.build();
        let before = tree(&t.path("public"));
        let t = t.file(
            "static/changed.txt",
            "a change the next build would publish",
        );
        if signal_during_write(&t, "-KILL").is_none() {
            continue;
        }
        assert_same_tree(&before, &tree(&t.path("public")), "after SIGKILL");
        assert!(
            !leftovers(&t.root).is_empty(),
            "a killed build cannot clean up"
        );
        t.build();
        assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
        assert!(t.exists("public/changed.txt"));
        return;
    }
    panic!("no build could be killed while writing");
}

#[test]
fn output_folders_that_would_overwrite_the_site_are_refused() {
    let t = SiteTest::minimal()
        .file("static/logo.svg", "<svg/>")
        .file("themes/mine/templates/x.html", "x");
    let site_before = tree(&t.root);
    for (out, says) in [
        (".", "is the site folder itself"),
        ("..", "contains the site folder"),
        ("content", "inside the site's `content/` folder"),
        ("content/out", "inside the site's `content/` folder"),
        ("static", "inside the site's `static/` folder"),
        ("themes/mine", "inside the site's `themes/` folder"),
    ] {
        t.run(&["build", "--today", TODAY, "--output", out, "--force"])
            .code(2)
            .stderr_has(says);
    }
    // An output folder reached through a link is judged by where it leads.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(t.path("content"), t.path("out-link")).unwrap();
        t.run(&["build", "--today", TODAY, "--output", "out-link", "--force"])
            .code(2)
            .stderr_has("inside the site's `content/` folder");
        std::fs::remove_file(t.path("out-link")).unwrap();
    }
    assert_same_tree(
        &site_before,
        &tree(&t.root),
        "the site after refused builds",
    );
}

#[test]
fn a_folder_chapterhouse_did_not_create_is_replaced_only_with_force() {
    let t = SiteTest::minimal().file("public/thesis.tex", "years of work");
    build(&t)
        .code(2)
        .stderr_has("was not created by chapterhouse")
        .stderr_has("--force");
    assert_eq!(t.read("public/thesis.tex"), "years of work");
    assert!(!t.exists("public/index.html"));
    // The same folder elsewhere (outside the site) is protected the same way.
    let elsewhere = t.root.parent().unwrap().join("mine");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("notes.txt"), "keep").unwrap();
    let out = elsewhere.to_string_lossy().into_owned();
    t.run(&["build", "--today", TODAY, "--output", &out])
        .code(2)
        .stderr_has("--force");
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("notes.txt")).unwrap(),
        "keep"
    );

    t.run(&["build", "--today", TODAY, "--force"]).ok();
    assert!(!t.exists("public/thesis.tex"));
    assert!(t.exists("public/.chapterhouse-output"));
    // From now on the folder is chapterhouse's: no `--force` needed.
    t.build();
}

/// Links that lead out of the site are not followed anywhere (content,
/// static files, themes) and each is named in a warning.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed_and_are_named() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::minimal().file("site.yaml", &format!("{MINIMAL_SITE}theme: mine\n"));
    let outside = t.root.parent().unwrap().join("outside");
    std::fs::create_dir_all(outside.join("chapter/events")).unwrap();
    std::fs::create_dir_all(outside.join("assets")).unwrap();
    let secret = "TOP-SECRET-build-machine-file";
    std::fs::write(
        outside.join("leader.md"),
        format!("---\nname: {secret}\naffiliation: user\n---\n{secret}\n"),
    )
    .unwrap();
    std::fs::write(
        outside.join("chapter/chapter.yaml"),
        format!("name: {secret}\ncity: X\ncountry: IT\nleaders: [ann]\n"),
    )
    .unwrap();
    std::fs::write(outside.join("assets/key.txt"), secret).unwrap();
    std::fs::write(outside.join("id_rsa"), secret).unwrap();
    std::fs::create_dir_all(t.path("static")).unwrap();
    std::fs::create_dir_all(t.path("themes/mine/templates")).unwrap();
    let links = [
        ("content/leaders/eve.md", outside.join("leader.md")),
        ("content/chapters/evil", outside.join("chapter")),
        ("static/id_rsa", outside.join("id_rsa")),
        ("static/assets", outside.join("assets")),
        ("themes/mine/static", outside.join("assets")),
    ];
    for (at, target) in &links {
        symlink(target, t.path(at)).unwrap();
    }
    // A link that stays inside the site is fine.
    symlink(
        t.path("content/leaders/bo.md"),
        t.path("content/leaders/bob.md"),
    )
    .unwrap();
    let run = build(&t);
    run.ok();
    for (at, _) in &links {
        run.stderr_has(&format!(
            "`{at}` is a symbolic link that points outside the site"
        ));
    }
    assert!(
        !run.stderr.contains("bob.md` is a symbolic link"),
        "{}",
        run.stderr
    );
    assert!(t.exists("public/leaders/bob/index.html"));
    for (path, bytes) in tree(&t.path("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{path} holds a file from outside the site"
        );
    }

    // A `static` folder that is itself a link out of the site.
    let t2 = SiteTest::minimal();
    symlink(&outside, t2.path("static")).unwrap();
    let run = build(&t2);
    run.ok()
        .stderr_has("`static` is a symbolic link that points outside the site");
    assert!(!t2.exists("public/id_rsa") && !t2.exists("public/assets/key.txt"));

    // A theme name that climbs out of `themes/` is not followed either.
    let t3 = SiteTest::minimal()
        .file("themes/mine/templates/x.html", "x")
        .file(
            "site.yaml",
            &format!("{MINIMAL_SITE}theme: ../../outside\n"),
        );
    let outside3 = t3.root.parent().unwrap().join("outside");
    std::fs::create_dir_all(outside3.join("templates")).unwrap();
    std::fs::create_dir_all(outside3.join("static")).unwrap();
    std::fs::write(outside3.join("templates/index.html"), secret).unwrap();
    std::fs::write(outside3.join("static/key.txt"), secret).unwrap();
    build(&t3).code(1).stderr_has("content/unknown-theme");
    assert!(!t3.exists("public"));
}

// ---------------------------------------------------------------------------
// Nothing injected
// ---------------------------------------------------------------------------

/// Raw HTML an attacker might put in any Markdown field.
const ATTACK_MD: &str = "Hello.\n\n<script>alert('xss')</script>\n\n<img src=\"x\" onerror=\"alert('xss')\">\n\n<a href=\"javascript:alert('xss')\">a</a> [b](javascript:alert('xss')) ![c](data:text/html,alert-xss)\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<p style=\"position:fixed\" onmouseover=\"alert('xss')\">p</p>\n\n<form action=\"https://evil.example/\"><input name=\"pw\"></form>\n";

fn assert_no_active_content(html: &str, page: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "alert('xss')</script>",
        "onerror",
        "onmouseover",
        "javascript:",
        "data:text",
        "<iframe",
        "evil.example",
        "<form",
    ] {
        assert!(!lower.contains(bad), "{page} contains {bad}");
    }
}

#[test]
fn raw_html_in_every_markdown_field_is_sanitized() {
    let desc = ATTACK_MD.replace('\n', "\n  ");
    let t = SiteTest::minimal()
        .file(EVENT, &format!("{}{ATTACK_MD}", event_with("")))
        .file(
            "content/leaders/ann.md",
            &format!("---\nname: Ann Rossi\naffiliation: user\n---\n{ATTACK_MD}"),
        )
        .file(
            "content/guides/venues.md",
            &format!("---\ntitle: Picking a venue\ncategory: venue\n---\n{ATTACK_MD}"),
        )
        .file(
            "content/chapters/rome/chapter.yaml",
            &format!("name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rome\nleaders: [ann, bo]\ndescription: |\n  {desc}\n"),
        );
    t.build();
    for page in [
        "public/chapters/rome/events/2026-12-03-automation-night/index.html",
        "public/leaders/ann/index.html",
        "public/guides/venues/index.html",
        "public/chapters/rome/index.html",
    ] {
        let html = t.read(page);
        assert!(html.contains("Hello."), "{page} lost the text");
        assert_no_active_content(&html, page);
    }
}

#[test]
fn iframes_need_a_listed_host_and_raw_html_is_trusted_only_by_the_named_setting() {
    let body = "<iframe src=\"https://www.youtube-nocookie.com/embed/abc\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n<script>window.tracker=1</script>\n";
    let page = "public/chapters/rome/events/2026-12-03-automation-night/index.html";
    let t = SiteTest::minimal()
        .file(EVENT, &format!("{}{body}", event_with("")))
        .file(
            "site.yaml",
            &format!("{MINIMAL_SITE}markdown:\n  iframe_hosts: [www.youtube-nocookie.com]\n"),
        );
    t.build();
    let html = t.read(page);
    assert!(html.contains("src=\"https://www.youtube-nocookie.com/embed/abc\""));
    assert!(!html.contains("evil.example") && !html.contains("window.tracker"));

    let t = t.file(
        "site.yaml",
        &format!("{MINIMAL_SITE}markdown:\n  trust_raw_html: true\n"),
    );
    t.build();
    let html = t.read(page);
    assert!(
        html.contains("<script>window.tracker=1</script>"),
        "opt-in keeps raw HTML"
    );
}

/// Every URL field of the content model accepts only `https`/`http` (and
/// `mailto:` for leader links, a path under `static/` for images); anything
/// else is a content error naming the file and the field.
#[test]
fn every_url_field_refuses_other_schemes_and_names_the_field() {
    let chapter = "name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rome\nleaders: [ann, bo]\nsponsors: [acme]\n";
    let leader = "---\nname: Ann Rossi\naffiliation: user\n";
    let sponsor = "- id: acme\n  name: Acme\n  kind: local-company\n";
    #[rustfmt::skip]
    let cases: Vec<(&str, String, &str)> = vec![
        (EVENT, event_with("").replace("https://events.example.org/e/2/", "javascript:alert(1)"), "registration"),
        (EVENT, event_with("").replace("https://events.example.org/e/2/", "\"https://events.example.org/e/2/\\nDTSTART:19700101T000000Z\""), "registration"),
        (EVENT, event_with("promotion:\n  - https://ok.example/\n  - \"javascript:alert(1)\"\n"), "promotion[1]"),
        (EVENT, event_with("").replace("  address: Via Roma 1\n", "  address: Via Roma 1\n  map_url: data:text/html,x\n"), "venue.map_url"),
        ("content/chapters/rome/chapter.yaml", format!("{chapter}online_group: \"javascript:alert(1)\"\n"), "online_group"),
        ("content/chapters/rome/chapter.yaml", format!("{chapter}online_group: mailto:a@example.org\n"), "online_group"),
        ("content/leaders/ann.md", format!("{leader}links:\n  site: \"javascript:alert(1)\"\n---\n"), "links.site"),
        ("content/leaders/ann.md", format!("{leader}links:\n  site: vbscript:x\n---\n"), "links.site"),
        ("content/leaders/ann.md", format!("{leader}photo: data:image/svg+xml,x\n---\n"), "photo"),
        ("content/leaders/ann.md", format!("{leader}photo: ../../../etc/passwd\n---\n"), "photo"),
        ("content/leaders/ann.md", format!("{leader}photo: //evil.example/me.jpg\n---\n"), "photo"),
        ("content/sponsors.yaml", format!("{sponsor}  url: \"javascript:alert(1)\"\n"), "url"),
        ("content/sponsors.yaml", format!("{sponsor}  url: ftp://acme.example/\n"), "url"),
        ("content/sponsors.yaml", format!("{sponsor}  url: https://acme.example/\n  logo: \"javascript:alert(1)\"\n"), "logo"),
    ];
    for (file, text, field) in &cases {
        let t = SiteTest::minimal().file(file, text);
        let run = check(&t);
        run.code(1);
        assert!(
            run.stderr
                .contains(&format!("`{field}` is not an allowed address"))
                || run
                    .stderr
                    .contains(&format!("`[0].{field}` is not an allowed address")),
            "{file} {field}:\n{}",
            run.stderr
        );
        run.stderr_has(&format!("{file}:"))
            .stderr_has("content/invalid-url");
    }
    // What is allowed: http(s) everywhere, mailto for leader links, a path
    // under `static/` for photos and logos.
    let t = SiteTest::minimal()
        .file("content/leaders/ann.md", &format!("{leader}photo: images/ann.jpg\nlinks:\n  mail: mailto:ann@example.org\n  site: http://ann.example/\n---\n"))
        .file("content/sponsors.yaml", &format!("{sponsor}  url: https://acme.example/\n  logo: images/acme.svg\n"));
    check(&t).ok();
}

/// Text that would break out of HTML, attributes, JSON-LD, XML and JSON.
const HOSTILE: &str = "\"'><script>alert(1)</script><img src=x onerror=alert(1)><!--<script>&amp;\r\nDTSTART:19700101T000000Z;\\";

/// `HOSTILE` as a YAML double-quoted string.
fn yq(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    )
}

#[test]
fn hostile_values_are_escaped_in_every_page_and_feed() {
    let h = yq(HOSTILE);
    let t = SiteTest::minimal()
        .file(
            "site.yaml",
            &MINIMAL_SITE.replace("title: Test Network", &format!("title: {h}\ndescription: {h}")),
        )
        .file(
            EVENT,
            &format!("---\ntitle: {h}\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:30\nvenue:\n  name: {h}\n  address: {h}\nregistration: https://events.example.org/e/2/?q=\"'<>\ntalks:\n  - title: {h}\n    speaker:\n      name: {h}\n      company: {h}\n      affiliation: user\n---\nText.\n"),
        )
        .file(
            "content/chapters/rome/chapter.yaml",
            &format!("name: {h}\ncity: {h}\ncountry: IT\nregion: {h}\ntimezone: Europe/Rome\nleaders: [ann, bo]\n"),
        )
        .file("content/leaders/ann.md", &format!("---\nname: {h}\naffiliation: user\ncompany: {h}\nlinks:\n  {h}: https://ann.example/\n---\nBio.\n"))
        .file("content/guides/venues.md", &format!("---\ntitle: {h}\ncategory: venue\n---\nFind a room.\n"))
        .file("content/sponsors.yaml", &format!("- id: acme\n  name: {h}\n  url: https://acme.example/?a=1&b=\"2\"\n"));
    t.build();
    let out = tree(&t.path("public"));
    let mut html_pages = 0;
    for (path, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        // JSON is checked by parsing it below.
        if path.ends_with(".json") {
            continue;
        }
        // iCalendar is plain text: no line break may start a property.
        if path.ends_with(".ics") {
            fuzz_targets::check_calendar(path, bytes);
            assert!(
                !text.contains("\r\nDTSTART:1970"),
                "{path}: a value made a property"
            );
            continue;
        }
        for raw in ["<script>alert(1)", "<img src=x", "'><script", "<!--<script"] {
            assert!(!text.contains(raw), "{path} contains raw `{raw}`");
        }
        if path.ends_with(".html") {
            html_pages += 1;
            // Structured data must stay parseable and keep the exact text.
            if let Some(rest) = text.split("<script type=\"application/ld+json\">").nth(1) {
                let json = &rest[..rest.find("</script>").unwrap()];
                let v: serde_json::Value = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{json}"));
                if path.contains("automation-night") {
                    assert_eq!(v["name"], HOSTILE, "{path}");
                }
            }
        }
    }
    assert!(html_pages > 8);
    let page = t.read("public/chapters/rome/events/2026-12-03-automation-night/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is shown, escaped"
    );
    assert!(
        page.contains("&amp;amp;"),
        "an entity in the title is shown as written"
    );
    let feed = t.read("public/feed.xml");
    assert!(feed.contains("&lt;script&gt;alert(1)"), "{feed}");
    // events.json is valid JSON and round-trips the text exactly.
    let json: serde_json::Value = serde_json::from_str(&t.read("public/events.json")).unwrap();
    let ev = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == HOSTILE)
        .expect("the event keeps its exact title in events.json");
    assert_eq!(
        ev["registration"],
        "https://events.example.org/e/2/?q=\"'<>"
    );
}

#[test]
fn names_that_are_not_ids_are_refused_before_they_become_paths() {
    let rome = "content/chapters/rome/chapter.yaml";
    let t = SiteTest::minimal();
    let chapter = t.read(rome);
    let t = t
        .file("content/chapters/Rome City/chapter.yaml", &chapter)
        .file(
            "content/leaders/Ann.Rossi.md",
            "---\nname: A\naffiliation: user\n---\n",
        )
        .file(
            "content/guides/-dash.md",
            "---\ntitle: x\ncategory: venue\n---\n",
        )
        .file(
            "content/chapters/rome/events/2026-12-04-Bad_Slug.md",
            &event_with("").replace("2026-12-03", "2026-12-04"),
        );
    let run = build(&t);
    run.code(1)
        .stderr_has("`Rome City` is not a valid chapter id")
        .stderr_has("rome-city")
        .stderr_has("`Ann.Rossi` is not a valid leader id")
        .stderr_has("`-dash` is not a valid guide id")
        .stderr_has("`2026-12-04-Bad_Slug.md` is not a valid event file name");
    assert!(!t.exists("public"), "nothing is written");
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn bad_bytes_are_clear_errors_that_name_the_file() {
    let t = SiteTest::minimal();
    std::fs::write(
        t.path("content/leaders/ann.md"),
        b"---\nname: Ann\xff\xfeRossi\naffiliation: user\n---\n",
    )
    .unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    for c in "---\ntitle: x\ncategory: venue\n---\n".encode_utf16() {
        utf16.extend(c.to_le_bytes());
    }
    std::fs::write(t.path("content/guides/venues.md"), utf16).unwrap();
    let run = check(&t);
    run.code(1)
        .stderr_has("`content/leaders/ann.md` is not valid UTF-8 (line 2, byte 13)")
        .stderr_has("`content/guides/venues.md` is not valid UTF-8")
        .stderr_has("saved as UTF-16");
    assert!(!run.stderr.contains("panicked"));
}

/// Files saved on Windows (byte-order mark, CRLF line ends) build into the
/// same pages as the same files saved on Unix.
#[test]
fn a_bom_and_crlf_line_ends_build_the_same_site() {
    let unix = SiteTest::minimal();
    let windows = SiteTest::minimal();
    for entry in walkdir::WalkDir::new(&windows.root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            std::fs::write(entry.path(), crlf).unwrap();
        }
    }
    unix.build();
    windows.build();
    assert_same_tree(
        &tree(&unix.path("public")),
        &tree(&windows.path("public")),
        "CRLF + BOM vs LF",
    );
    // Errors in such a file point at the right line.
    let windows = windows.file(
        "content/leaders/bo.md",
        "\u{feff}---\r\nname: Bo Berg\r\naffiliation: usr\r\n---\r\nBo.\r\n",
    );
    check(&windows)
        .code(1)
        .stderr_has("content/leaders/bo.md:3:");
}

#[test]
fn tabs_in_yaml_say_to_indent_with_spaces() {
    let t = SiteTest::minimal().file(
        "content/chapters/rome/chapter.yaml",
        "name: Rome\ncity: Rome\ncountry: IT\nleaders:\n\t- ann\n",
    );
    check(&t)
        .code(1)
        .stderr_has("content/chapters/rome/chapter.yaml:5:")
        .stderr_has("indent with spaces");
}

#[test]
fn empty_files_are_clear_errors_not_panics() {
    for (file, says) in [
        (EVENT, "this file is empty"),
        ("content/leaders/bo.md", "this file is empty"),
        (
            "content/chapters/rome/chapter.yaml",
            "missing required field `name`",
        ),
        ("site.yaml", "missing required field `title`"),
    ] {
        let t = SiteTest::minimal().file(file, "");
        let run = check(&t);
        run.code(1).stderr_has(says);
        assert!(run.stderr.contains(file), "{file}:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"));
    }
    // An empty sponsors list is no sponsors at all.
    let t = SiteTest::minimal().file("content/sponsors.yaml", "").file(
        "content/chapters/rome/chapter.yaml",
        "name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rome\nleaders: [ann, bo]\n",
    );
    check(&t).ok();
}

#[test]
fn a_50_mb_file_is_refused_by_its_size_and_named() {
    let t = SiteTest::minimal();
    let huge = "content/chapters/rome/events/2026-12-20-huge.md";
    // Sparse: 50 MB long without using the disk. Reading it would take
    // 50 MB of memory; the size check comes first.
    let f = std::fs::File::create(t.path(huge)).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    drop(f);
    let run = build(&t);
    run.code(1)
        .stderr_has(&format!("`{huge}` is 50.0 MB;"))
        .stderr_has("content/too-large");
    assert!(!run.stderr.contains("not valid UTF-8"), "it was not read");
}

#[test]
fn front_matter_that_never_closes_is_named() {
    let t = SiteTest::minimal().file(
        EVENT,
        "---\ntitle: Automation night\nstart: 2026-12-03T18:00\n\nWe meet at six.\n",
    );
    check(&t)
        .code(1)
        .stderr_has("never ends")
        .stderr_has(&format!("{EVENT}:1:1"))
        .stderr_has("add a line `---`");
}

/// A "billion laughs" alias bomb and very deep nesting are refused quickly
/// with a hint, instead of eating memory or the stack.
#[test]
fn yaml_alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from("---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            std::iter::repeat_n(p.as_str(), 9)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    bomb.push_str("title: boom\n---\n");
    let t = SiteTest::minimal().file(EVENT, &bomb);
    check(&t)
        .code(1)
        .stderr_has("content/yaml-syntax")
        .stderr_has("remove the anchors");

    let deep = format!(
        "---\ntitle: {}x{}\n---\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let t = SiteTest::minimal().file(EVENT, &deep);
    let run = check(&t);
    run.code(1)
        .stderr_has("content/yaml-syntax")
        .stderr_has(EVENT);
    let deep_md = format!("{}{}\n", event_with(""), ">".repeat(100_000));
    let t = SiteTest::minimal().file(EVENT, &deep_md);
    build(&t).ok();
}

// ---------------------------------------------------------------------------
// Same bytes every time
// ---------------------------------------------------------------------------

/// The same site built in two different folders, by two processes (so two
/// hash seeds), in two time zones, on the same `SOURCE_DATE_EPOCH`, gives
/// byte-identical output that holds no path of the build machine.
#[test]
fn same_site_and_source_date_epoch_give_identical_bytes_anywhere() {
    let a = SiteTest::example();
    let b = SiteTest::example();
    let epoch = [("SOURCE_DATE_EPOCH", "1795478400")]; // 2026-11-24T00:00:00Z
    a.run_env(
        &["build"],
        &[epoch[0], ("TZ", "Pacific/Kiritimati"), ("LC_ALL", "C")],
    )
    .ok();
    b.run_env(
        &["build"],
        &[epoch[0], ("TZ", "America/Adak"), ("LC_ALL", "de_DE.UTF-8")],
    )
    .ok();
    let (ta, tb) = (tree(&a.path("public")), tree(&b.path("public")));
    assert!(ta.len() > 100);
    assert_same_tree(&ta, &tb, "two folders");
    // The epoch sets the build date.
    assert!(
        a.read("public/events.json")
            .contains("\"today\": \"2026-11-24\"")
    );
    // No path of the build machine.
    let paths: Vec<PathBuf> = vec![
        a.root.parent().unwrap().to_path_buf(),
        b.root.parent().unwrap().to_path_buf(),
        crate::support::repo(),
        std::env::temp_dir().join("chapterhouse-test"),
    ];
    for (p, bytes) in &ta {
        let text = String::from_utf8_lossy(bytes);
        for machine in &paths {
            let m = machine.to_string_lossy();
            assert!(!text.contains(m.as_ref()), "{p} contains {m}");
        }
    }
}

// ---------------------------------------------------------------------------
// Properties: no panic on any input
// ---------------------------------------------------------------------------

#[path = "../../fuzz/targets.rs"]
mod fuzz_targets;

mod props {
    use super::fuzz_targets;
    use chapterhouse::source::FileId;
    use chapterhouse::source::frontmatter::split;
    use chapterhouse::source::yaml::{self, Seg, locate};
    use proptest::prelude::*;

    /// Text made of the pieces that matter to each parser, so random cases
    /// reach the interesting states rather than plain letters.
    fn yamlish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("---".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("  ".to_string()),
                Just("\t".to_string()),
                Just("- ".to_string()),
                Just(": ".to_string()),
                Just("title".to_string()),
                Just("talks".to_string()),
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("{".to_string()),
                Just("[".to_string()),
                Just("&a ".to_string()),
                Just("*a".to_string()),
                Just("#".to_string()),
                Just("\u{feff}".to_string()),
                "[a-zä東😀 ]{0,6}",
                any::<String>(),
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    fn path() -> impl Strategy<Value = Vec<Seg>> {
        proptest::collection::vec(
            prop_oneof![
                prop_oneof![
                    Just("title"),
                    Just("talks"),
                    Just("speaker"),
                    Just("a"),
                    Just("")
                ]
                .prop_map(Seg::key),
                (0usize..4).prop_map(Seg::Index),
                any::<String>().prop_map(|s| Seg::key(&s)),
            ],
            0..5,
        )
    }

    fn htmlish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("<script>alert(1)</script>".to_string()),
                Just("<img src=x onerror=alert(1)>".to_string()),
                Just("<a href=\"javascript:x\">".to_string()),
                Just("[l](javascript:x)".to_string()),
                Just("<iframe src=\"https://e.example/\">".to_string()),
                Just("<svg><script>x</script>".to_string()),
                Just("<!--".to_string()),
                Just("- ".to_string()),
                Just("> ".to_string()),
                Just("\n".to_string()),
                Just("`".to_string()),
                Just("|".to_string()),
                Just("[^1]".to_string()),
                "[a-z<>\"'=/ ]{0,8}",
                any::<String>(),
            ],
            0..30,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn front_matter_split_never_panics_and_keeps_every_byte(text in yamlish()) {
            if let Ok(s) = split(&text) {
                prop_assert!(s.yaml.start <= s.yaml.end && s.yaml.end <= s.body.start);
                prop_assert_eq!(s.body.end, text.len());
                // Slicing panics off a char boundary.
                let (y, b) = (&text[s.yaml.clone()], &text[s.body.clone()]);
                prop_assert!(text.starts_with("---"));
                prop_assert!(text.ends_with(b) && text.contains(y));
            }
        }

        #[test]
        fn yaml_locate_never_panics_and_stays_in_bounds(text in yamlish(), path in path()) {
            if let Some(r) = locate(&text, &path) {
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.get(r.clone()).is_some(), "{:?} is not on char boundaries", r);
            }
        }

        #[test]
        fn yaml_parse_never_panics_and_errors_point_into_the_file(text in yamlish(), base in 0usize..100) {
            if let Err(d) = yaml::parse(FileId(0), &text, base) {
                let r = d.span.and_then(|s| s.range).expect("a YAML error has a place");
                prop_assert!(r.start >= base && r.end <= base + text.len().max(1));
            }
        }

    }

    // The fuzz targets' bodies on stable: a smoke run that CI can afford.
    // `cargo +nightly fuzz run <target>` runs the same code under libFuzzer.
    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn fuzz_front_matter_smoke(pick in any::<u8>(), text in yamlish()) {
            let mut data = vec![pick];
            data.extend(text.as_bytes());
            fuzz_targets::front_matter(&data);
        }

        #[test]
        fn fuzz_front_matter_smoke_bytes(data in any::<Vec<u8>>()) {
            fuzz_targets::front_matter(&data);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn fuzz_markdown_smoke(md in htmlish()) {
            fuzz_targets::markdown(md.as_bytes());
        }

        #[test]
        fn fuzz_ical_smoke(text in prop_oneof![any::<String>(), htmlish(), yamlish(), "[\\\\;,\r\n\t\u{0}-\u{1f}\u{7f}aé東😀]{0,300}"]) {
            fuzz_targets::ical(text.as_bytes());
        }
    }

    /// Inputs that once broke a target (from `cargo fuzz`, or found by
    /// hand) stay fixed: `fuzz/regressions/<target>/*`.
    #[test]
    fn fuzz_regressions_stay_fixed() {
        let dir = crate::support::repo().join("fuzz/regressions");
        type Target = fn(&[u8]);
        let targets: [(&str, Target); 3] = [
            ("front_matter", fuzz_targets::front_matter),
            ("markdown", fuzz_targets::markdown),
            ("ical", fuzz_targets::ical),
        ];
        let mut n = 0;
        for (name, run) in targets {
            let Ok(entries) = std::fs::read_dir(dir.join(name)) else {
                continue;
            };
            for e in entries {
                let path = e.unwrap().path();
                let data = std::fs::read(&path).unwrap();
                let ok = std::panic::catch_unwind(|| run(&data));
                assert!(ok.is_ok(), "{} fails again", path.display());
                n += 1;
            }
        }
        assert!(n > 0, "no regression inputs found in {}", dir.display());
    }
}
