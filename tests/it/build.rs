//! Building sites end to end: pages, metadata, URLs under a base path.

use crate::support::{SiteTest, TODAY};

#[test]
fn the_example_network_builds_with_every_page_of_the_contract() {
    let t = SiteTest::example();
    let run = t.run(&["build", "--today", TODAY]);
    run.ok().stderr_has("built ");
    for p in [
        "public/index.html",
        "public/chapters/index.html",
        "public/events/index.html",
        "public/events/archive/index.html",
        "public/leaders/index.html",
        "public/guides/index.html",
        "public/feed.xml",
        "public/events.json",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/404.html",
        "public/style.css",
    ] {
        assert!(t.exists(p), "{p} missing");
    }
    // Every chapter, event, leader and guide has its page.
    for entry in std::fs::read_dir(t.path("content/chapters")).unwrap() {
        let c = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            t.exists(&format!("public/chapters/{c}/index.html")),
            "chapter {c}"
        );
        for ev in std::fs::read_dir(t.path(&format!("content/chapters/{c}/events"))).unwrap() {
            let stem = ev
                .unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_string();
            assert!(
                t.exists(&format!("public/chapters/{c}/events/{stem}/index.html")),
                "event {c}/{stem}"
            );
        }
    }
    for kind in ["leaders", "guides"] {
        for entry in std::fs::read_dir(t.path(&format!("content/{kind}"))).unwrap() {
            let id = entry
                .unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_string();
            assert!(
                t.exists(&format!("public/{kind}/{id}/index.html")),
                "{kind}/{id}"
            );
        }
    }
}

#[test]
fn event_page_shows_time_in_its_zone_venue_rsvp_and_json_ld() {
    let t = SiteTest::minimal();
    t.build();
    let html = t.read("public/chapters/rome/events/2026-12-03-automation-night/index.html");
    assert!(html.contains("Thu 3 Dec 2026, 18:00–20:30 CET"), "{html}");
    assert!(html.contains("datetime=\"2026-12-03T18:00:00+01:00\""));
    assert!(
        html.contains("href=\"https://events.example.org/e/2/\""),
        "RSVP link"
    );
    assert!(html.contains("RSVP on Example Events"));
    assert!(html.contains("https://maps.example/hall"));
    assert!(html.contains("<h2>Agenda</h2>"));
    assert!(html.contains("\"@type\":\"Event\""));
    assert!(html.contains("\"startDate\":\"2026-12-03T18:00:00+01:00\""));
    assert!(html.contains("\"isAccessibleForFree\":true"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://groups.example.org/chapters/rome/events/2026-12-03-automation-night/\">"));
    assert!(html.contains("property=\"og:title\""));
    // A past event has no RSVP button and says it is over.
    let past = t.read("public/chapters/rome/events/2026-10-01-kickoff/index.html");
    assert!(!past.contains("RSVP on Example Events"));
    assert!(past.contains("This meetup is over"));
}

#[test]
fn cancelled_events_show_a_banner_and_no_rsvp() {
    let t = SiteTest::minimal().file(
        "content/chapters/rome/events/2026-12-10-cancelled-one.md",
        "---\ntitle: Cancelled one\nstart: 2026-12-10T18:00\nend: 2026-12-10T20:00\nstatus: cancelled\nattendance_mode: online\nregistration: https://events.example.org/e/3/\n---\nSorry.\n",
    );
    t.build();
    let html = t.read("public/chapters/rome/events/2026-12-10-cancelled-one/index.html");
    assert!(html.contains("banner-cancelled"));
    assert!(!html.contains("RSVP on Example Events"));
    assert!(html.contains("EventCancelled"));
}

#[test]
fn upcoming_and_past_follow_the_build_date() {
    let t = SiteTest::minimal();
    t.run(&["build", "--today", "2026-09-01"]).ok();
    let chapter = t.read("public/chapters/rome/index.html");
    let upcoming = chapter.split("id=\"past\"").next().unwrap();
    assert!(
        upcoming.contains("Kickoff"),
        "kickoff is upcoming on 2026-09-01"
    );
    t.run(&["build", "--today", "2026-10-02"]).ok();
    let chapter = t.read("public/chapters/rome/index.html");
    let (upcoming, past) = chapter.split_once("id=\"past\"").unwrap();
    assert!(!upcoming.contains("Kickoff") && past.contains("Kickoff"));
    // SOURCE_DATE_EPOCH is used when --today is absent (2026-09-01T00:00:00Z).
    t.run_env(&["build"], &[("SOURCE_DATE_EPOCH", "1788220800")])
        .ok();
    let json = t.read("public/events.json");
    assert!(json.contains("\"today\": \"2026-09-01\""), "{json}");
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let t = SiteTest::minimal();
    t.run(&[
        "build",
        "--today",
        TODAY,
        "--base-url",
        "https://example.org/groups/",
        "--output",
        "out",
    ])
    .ok();
    let html = t.read("out/index.html");
    assert!(html.contains("href=\"/groups/chapters/\""));
    assert!(html.contains("href=\"/groups/style.css?v="));
    assert!(
        !html.contains("href=\"/chapters/"),
        "no link escapes the base path"
    );
    let sitemap = t.read("out/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/groups/chapters/rome/</loc>"));
}

#[test]
fn a_site_theme_overrides_one_template_and_can_extend_the_default() {
    let t = SiteTest::minimal()
        .file("site.yaml", &format!("{}theme: mine\n", crate::support::MINIMAL_SITE))
        .file(
            "themes/mine/templates/chapter.html",
            "{% extends \"default/chapter.html\" %}{% block footer %}<p>Custom chapter footer</p>{% endblock footer %}",
        )
        .file("themes/mine/static/extra.css", "body{}");
    t.build();
    assert!(
        t.read("public/chapters/rome/index.html")
            .contains("Custom chapter footer")
    );
    assert!(
        !t.read("public/index.html")
            .contains("Custom chapter footer")
    );
    assert!(t.exists("public/extra.css"));
}

#[test]
fn static_files_are_copied() {
    let t = SiteTest::minimal().file("static/images/logo.svg", "<svg/>");
    t.build();
    assert_eq!(t.read("public/images/logo.svg"), "<svg/>");
}

/// Pages draw their icons from the one `icons.svg` of the output and show
/// the logo file, each linked with its version; a site's own
/// `static/logo.svg` replaces the logo and its link changes with it.
#[test]
fn icons_and_logo_are_shared_files_that_the_pages_link() {
    let t = SiteTest::minimal();
    t.build();
    let sprite = t.read("public/icons.svg");
    let home = t.read("public/index.html");
    let uses: Vec<&str> = home
        .split("<use href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(uses.len() >= 3, "{home}");
    for href in &uses {
        let (file, id) = href.split_once('#').unwrap();
        assert!(file.starts_with("/icons.svg?v="), "{href}");
        assert!(
            sprite.contains(&format!("<symbol id=\"{id}\" ")),
            "{id} is not in icons.svg"
        );
    }
    assert!(!home.contains("<path"), "no inline drawings left");
    let logo = |html: &str| {
        let needle = "<img class=\"logo\" src=\"";
        let at = html.find(needle).unwrap() + needle.len();
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    let before = logo(&home);
    assert!(before.starts_with("/logo.svg?v="), "{before}");
    assert!(t.read("public/logo.svg").starts_with("<svg"));

    let mine = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><circle cx=\"16\" cy=\"16\" r=\"16\"/></svg>";
    let t = t.file("static/logo.svg", mine);
    t.build();
    assert_eq!(t.read("public/logo.svg"), mine);
    let after = logo(&t.read("public/index.html"));
    assert!(
        after.starts_with("/logo.svg?v=") && after != before,
        "{after}"
    );
}

#[test]
fn feeds_and_metadata_files_are_valid() {
    let t = SiteTest::minimal();
    t.build();
    let json: serde_json::Value = serde_json::from_str(&t.read("public/events.json")).unwrap();
    let ev = &json["events"][1];
    assert_eq!(
        ev["uid"],
        "rome/2026-12-03-automation-night@groups.example.org"
    );
    assert_eq!(ev["start"], "2026-12-03T18:00:00+01:00");
    assert_eq!(ev["status"], "scheduled");
    assert_eq!(ev["registration"], "https://events.example.org/e/2/");
    let atom = t.read("public/feed.xml");
    assert!(atom.starts_with("<?xml"));
    assert_eq!(atom.matches("<entry>").count(), 2);
    assert!(
        t.read("public/robots.txt")
            .contains("Sitemap: https://groups.example.org/sitemap.xml")
    );
}

/// Crawl every HTML page and check that each internal link resolves to a
/// file in the output.
#[test]
fn no_broken_internal_links() {
    for base in ["https://groups.example.org/", "https://example.org/groups/"] {
        let t = SiteTest::example();
        t.run(&["build", "--today", TODAY, "--base-url", base]).ok();
        let root_path = url::Url::parse(base).unwrap().path().to_string();
        let out = t.path("public");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for attr in ["href=\"", "src=\""] {
                for part in html.split(attr).skip(1) {
                    let link = &part[..part.find('"').unwrap()];
                    let link = link.replace("&amp;", "&");
                    let target = if let Some(rest) = link.strip_prefix(base) {
                        rest.to_string()
                    } else if link.starts_with('/') {
                        assert!(
                            link.starts_with(&root_path),
                            "{link} escapes {root_path} in {}",
                            entry.path().display()
                        );
                        link[root_path.len()..].to_string()
                    } else {
                        continue;
                    };
                    let target = target.split(['#', '?']).next().unwrap();
                    let file = if target.is_empty() || target.ends_with('/') {
                        out.join(target).join("index.html")
                    } else {
                        out.join(target)
                    };
                    assert!(
                        file.exists(),
                        "broken link {link} in {}",
                        entry.path().display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 500, "only {checked} links checked");
    }
}

#[test]
fn same_input_and_date_give_identical_bytes() {
    let t = SiteTest::example();
    t.run(&["build", "--today", TODAY, "--output", "a"]).ok();
    t.run(&["build", "--today", TODAY, "--output", "b"]).ok();
    let files = |d: &str| crate::support::tree(&t.path(d));
    let (a, b) = (files("a"), files("b"));
    assert!(a.len() > 100);
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(b.iter()) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
    let root = t.root.to_string_lossy().into_owned();
    for (p, bytes) in &a {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&root),
            "{p} contains the build machine's path"
        );
    }
}

#[test]
fn check_reports_template_errors_naming_template_and_page() {
    let t = SiteTest::minimal()
        .file("site.yaml", &format!("{}theme: broken\n", crate::support::MINIMAL_SITE))
        .file("themes/broken/templates/event.html", "{% extends \"default/event.html\" %}{% block main %}{{ event.no_such_field }}{% endblock main %}");
    let r = t.run(&["check", "--today", TODAY]);
    r.code(1)
        .stderr_has("with `event.html`")
        .stderr_has("chapters/rome/events/");
    let t = t.file("themes/broken/templates/event.html", "{% if %}");
    t.run(&["check", "--today", TODAY])
        .code(1)
        .stderr_has("does not compile");
    assert!(!t.exists("public"), "check writes nothing");
}
