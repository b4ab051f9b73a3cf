//! `report`: a fixture network with numbers counted by hand, every figure
//! asserted in JSON, the table and CSV; the HTML page is self-contained and
//! shows the same numbers; the example network matches a count made
//! straight from its files; output is the same bytes for the same `--today`.

use serde_json::Value;

use crate::support::{SiteTest, TODAY};

fn event(date: &str, slug: &str, front: &str) -> (String, String) {
    (
        format!("{date}-{slug}"),
        format!(
            "---\ntitle: {slug}\nstart: {date}T18:00\nend: {date}T20:00\nattendance_mode: online\n{front}---\nText.\n"
        ),
    )
}

/// Four chapters; today is 2026-11-24, so the window is 2025-11-24 to
/// 2026-11-23 and the quarters 2025 Q4 to 2026 Q4.
///
/// | chapter | held in window | last (days) | next | limit (days left) | standing | RSVPs/came (paired) |
/// |---|---|---|---|---|---|---|
/// | lima  | 1 (08-01) | 08-01 (115) | 12-15 | 10-30 (-25) | inactive | 5/5 |
/// | oslo  | 2 (2025-11-24, 09-01) | 09-01 (84) | none | 11-30 (6) | at risk | 12/6 + 15/20 = 27/26 |
/// | paris | 0, founded 11-01 | none | none | 2027-01-30 (67) | ok | none |
/// | rome  | 3 (02-10, 05-05, 10-01) | 10-01 (54) | 12-03 (9) | 12-30 (36) | ok | 30/24 + 20/18 = 50/42 (05-05 has no attendance) |
///
/// Not counted: oslo 2025-11-23 (366 days ago), oslo 09-20 (postponed),
/// rome 07-07 (cancelled).
fn fixture() -> SiteTest {
    let mut t = SiteTest::minimal()
        .file(
            "content/leaders/cy.md",
            "---\nname: Cy Chen\naffiliation: user\n---\n",
        )
        .file(
            "content/leaders/dee.md",
            "---\nname: Dee Diaz\naffiliation: user\n---\n",
        )
        .file(
            "content/chapters/oslo/chapter.yaml",
            "name: Oslo\ncity: Oslo\ncountry: NO\nregion: Europe\ntimezone: Europe/Oslo\nleaders:\n  - cy\nfounded: 2020-01-01\n",
        )
        .file(
            "content/chapters/paris/chapter.yaml",
            "name: Paris\ncity: Paris\ncountry: FR\ntimezone: Europe/Paris\nleaders:\n  - ann\n  - dee\nfounded: 2026-11-01\n",
        )
        .file(
            "content/chapters/lima/chapter.yaml",
            "name: Lima\ncity: Lima\ncountry: PE\nregion: South America\ntimezone: America/Lima\nleaders:\n  - bo\n  - cy\nfounded: 2019-01-01\n",
        );
    let events = [
        (
            "rome",
            event("2026-02-10", "winter", "rsvps: 20\nattendance: 18\n"),
        ),
        ("rome", event("2026-05-05", "spring", "rsvps: 40\n")),
        (
            "rome",
            event(
                "2026-07-07",
                "summer",
                "status: cancelled\nrsvps: 50\nattendance: 0\n",
            ),
        ),
        (
            "oslo",
            event("2025-11-23", "too-early", "rsvps: 10\nattendance: 10\n"),
        ),
        (
            "oslo",
            event("2025-11-24", "first-day", "rsvps: 12\nattendance: 6\n"),
        ),
        (
            "oslo",
            event("2026-09-01", "walk-ins", "rsvps: 15\nattendance: 20\n"),
        ),
        (
            "oslo",
            event("2026-09-20", "later", "status: postponed\nrsvps: 9\n"),
        ),
        (
            "lima",
            event("2026-08-01", "august", "rsvps: 5\nattendance: 5\n"),
        ),
        // No registration: a guideline error, which must not stop the report.
        ("lima", event("2026-12-15", "december", "")),
    ];
    for (chapter, (stem, text)) in events {
        t = t.file(
            &format!("content/chapters/{chapter}/events/{stem}.md"),
            &text,
        );
    }
    t
}

fn report(t: &SiteTest, args: &[&str]) -> crate::support::Run {
    let mut a = vec!["report", "--today", TODAY];
    a.extend_from_slice(args);
    t.run(&a)
}

fn json(t: &SiteTest) -> Value {
    let r = report(t, &["--format", "json"]);
    r.ok();
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout))
}

fn chapter<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no chapter {id}"))
}

#[test]
fn json_has_every_figure_of_the_hand_count() {
    let v = json(&fixture());
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], "2026-11-24");
    assert_eq!(v["window_start"], "2025-11-24");
    let quarters: Vec<String> = v["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| format!("{} Q{}", q["year"], q["quarter"]))
        .collect();
    assert_eq!(
        quarters,
        ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    );
    let ids: Vec<&str> = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["lima", "oslo", "paris", "rome"]);

    let rome = chapter(&v, "rome");
    let leaders: Vec<&str> = rome["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(leaders, ["Ann Rossi", "Bo Berg"]);
    assert_eq!(rome["meetings_last_365"], 3);
    assert_eq!(
        rome["below_four_a_year"], false,
        "founded less than a year ago"
    );
    assert_eq!(rome["last_meeting"]["date"], "2026-10-01");
    assert_eq!(rome["last_meeting"]["title"], "Kickoff");
    assert_eq!(rome["days_since_last"], 54);
    assert_eq!(rome["next_meeting"]["date"], "2026-12-03");
    assert_eq!(rome["next_meeting"]["id"], "2026-12-03-automation-night");
    assert_eq!(rome["days_until_next"], 9);
    assert_eq!(rome["limit_date"], "2026-12-30");
    assert_eq!(rome["days_left"], 36);
    assert_eq!(rome["at_risk"], false);
    assert_eq!(rome["standing"], "ok");
    assert_eq!(rome["turnout"]["rsvps"], 50);
    assert_eq!(rome["turnout"]["attendance"], 42);
    assert_eq!(rome["turnout"]["no_shows"], 8);
    assert_eq!(rome["turnout"]["no_show_rate"], 0.16);
    assert_eq!(rome["turnout"]["meetings_counted"], 2);
    assert_eq!(rome["turnout"]["meetings_missing_counts"], 1);
    assert_eq!(
        rome["meetings_per_quarter"],
        serde_json::json!([0, 1, 1, 0, 1])
    );

    let oslo = chapter(&v, "oslo");
    assert_eq!(oslo["leaders"].as_array().unwrap().len(), 1);
    assert_eq!(oslo["meetings_last_365"], 2);
    assert_eq!(oslo["below_four_a_year"], true);
    assert_eq!(oslo["last_meeting"]["date"], "2026-09-01");
    assert_eq!(oslo["days_since_last"], 84);
    assert_eq!(oslo["next_meeting"], Value::Null);
    assert_eq!(oslo["days_until_next"], Value::Null);
    assert_eq!(oslo["limit_date"], "2026-11-30");
    assert_eq!(oslo["days_left"], 6);
    assert_eq!(oslo["at_risk"], true);
    assert_eq!(oslo["standing"], "at-risk");
    assert_eq!(oslo["turnout"]["rsvps"], 27);
    assert_eq!(oslo["turnout"]["attendance"], 26);
    assert_eq!(oslo["turnout"]["no_shows"], 1);
    assert_eq!(oslo["turnout"]["no_show_rate"], 0.037);
    assert_eq!(
        oslo["meetings_per_quarter"],
        serde_json::json!([1, 0, 0, 1, 0])
    );

    let paris = chapter(&v, "paris");
    assert_eq!(paris["meetings_last_365"], 0);
    assert_eq!(paris["last_meeting"], Value::Null);
    assert_eq!(paris["days_since_last"], Value::Null);
    assert_eq!(paris["limit_date"], "2027-01-30", "90 days after founding");
    assert_eq!(paris["days_left"], 67);
    assert_eq!(paris["standing"], "ok");
    assert_eq!(paris["turnout"]["rsvps"], 0);
    assert_eq!(paris["turnout"]["no_show_rate"], Value::Null);

    let lima = chapter(&v, "lima");
    assert_eq!(lima["meetings_last_365"], 1);
    assert_eq!(lima["days_since_last"], 115);
    assert_eq!(lima["next_meeting"]["date"], "2026-12-15");
    assert_eq!(lima["days_until_next"], 21);
    assert_eq!(lima["limit_date"], "2026-10-30");
    assert_eq!(lima["days_left"], -25);
    assert_eq!(lima["at_risk"], true);
    assert_eq!(lima["standing"], "inactive");
    assert_eq!(lima["turnout"]["no_show_rate"], 0.0);

    let t = &v["totals"];
    assert_eq!(t["chapters"], 4);
    assert_eq!(t["leaders"], 4);
    assert_eq!(t["meetings_last_365"], 6);
    assert_eq!(t["at_risk"], 1);
    assert_eq!(t["inactive"], 1);
    assert_eq!(t["below_four_a_year"], 2);
    assert_eq!(t["turnout"]["rsvps"], 82);
    assert_eq!(t["turnout"]["attendance"], 73);
    assert_eq!(t["turnout"]["no_shows"], 9);
    assert_eq!(t["turnout"]["no_show_rate"], 0.11);
    assert_eq!(t["turnout"]["meetings_counted"], 5);
    assert_eq!(t["turnout"]["meetings_missing_counts"], 1);
}

#[test]
fn at_risk_starts_at_thirty_days_left_with_nothing_scheduled_in_time() {
    // Oslo's limit is 2026-11-30. On 2026-10-31, 30 days are left: at risk;
    // on 2026-10-30, 31 are: not yet.
    let t = fixture();
    let on = |day: &str| {
        let r = t.run(&["report", "--today", day, "--format", "json"]);
        r.ok();
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let c = chapter(&v, "oslo").clone();
        (
            c["days_left"].as_i64().unwrap(),
            c["standing"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(on("2026-10-31"), (30, "at-risk".to_string()));
    assert_eq!(on("2026-10-30"), (31, "ok".to_string()));
    assert_eq!(on("2026-11-30"), (0, "at-risk".to_string()));
    assert_eq!(on("2026-12-01"), (-1, "inactive".to_string()));
    // A meeting scheduled on the limit date keeps it ok.
    let t = fixture().file(
        "content/chapters/oslo/events/2026-11-30-just-in-time.md",
        "---\ntitle: Just in time\nstart: 2026-11-30T18:00\nend: 2026-11-30T20:00\nattendance_mode: online\nregistration: https://events.example.org/e/9/\n---\n",
    );
    let v = json(&t);
    assert_eq!(chapter(&v, "oslo")["standing"], "ok");
    assert_eq!(chapter(&v, "oslo")["at_risk"], false);
}

#[test]
fn the_table_shows_the_same_figures() {
    let r = report(&fixture(), &[]);
    r.ok();
    let out = &r.stdout;
    assert!(
        out.starts_with(
            "Test Network: chapter health on 2026-11-24 (meetings held 2025-11-24 to 2026-11-23)\n"
        ),
        "{out}"
    );
    let row = |name: &str| -> Vec<String> {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{out}"));
        // Cells are separated by two or more spaces.
        line.split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        row("Rome"),
        [
            "Rome",
            "Ann Rossi, Bo Berg",
            "3",
            "2026-10-01",
            "54",
            "2026-12-03",
            "36",
            "ok",
            "50",
            "42",
            "16.0%"
        ]
    );
    assert_eq!(
        row("Oslo"),
        [
            "Oslo",
            "Cy Chen",
            "2 (<4)",
            "2026-09-01",
            "84",
            "-",
            "6",
            "at risk",
            "27",
            "26",
            "3.7%"
        ]
    );
    assert_eq!(
        row("Paris"),
        [
            "Paris",
            "Ann Rossi, Dee Diaz",
            "0",
            "-",
            "-",
            "-",
            "67",
            "ok",
            "0",
            "0",
            "-"
        ]
    );
    assert_eq!(
        row("Lima"),
        [
            "Lima",
            "Bo Berg, Cy Chen",
            "1 (<4)",
            "2026-08-01",
            "115",
            "2026-12-15",
            "-25",
            "inactive",
            "5",
            "5",
            "0.0%"
        ]
    );
    assert_eq!(
        row("Network"),
        [
            "Network (4 chapters)",
            "4 leaders",
            "6",
            "1 at risk, 1 inactive",
            "82",
            "73",
            "11.0%"
        ]
    );
}

#[test]
fn csv_has_a_header_and_one_row_per_chapter() {
    let r = report(&fixture(), &["--format", "csv"]);
    r.ok();
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 4);
    let get = |id: &str, col: &str| -> String {
        let i = header
            .iter()
            .position(|h| h == col)
            .unwrap_or_else(|| panic!("no column {col}"));
        rows.iter().find(|r| r[0] == id).unwrap()[i].clone()
    };
    assert_eq!(get("rome", "leaders"), "Ann Rossi; Bo Berg");
    assert_eq!(get("rome", "meetings_last_365"), "3");
    assert_eq!(get("rome", "last_meeting"), "2026-10-01");
    assert_eq!(get("rome", "days_since_last"), "54");
    assert_eq!(get("rome", "next_meeting"), "2026-12-03");
    assert_eq!(get("rome", "days_left"), "36");
    assert_eq!(get("rome", "rsvps"), "50");
    assert_eq!(get("rome", "attendance"), "42");
    assert_eq!(get("rome", "no_show_rate"), "0.16");
    assert_eq!(get("oslo", "standing"), "at-risk");
    assert_eq!(get("oslo", "at_risk"), "true");
    assert_eq!(get("oslo", "next_meeting"), "");
    assert_eq!(get("lima", "days_left"), "-25");
    assert_eq!(get("paris", "no_show_rate"), "");
}

/// The text of the table cell `field` in the row of `chapter`.
fn cell(html: &str, chapter: &str, field: &str) -> String {
    let start = html
        .find(&format!("<tr data-chapter=\"{chapter}\">"))
        .unwrap_or_else(|| panic!("no row for {chapter}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    let at = row
        .find(&format!("data-field=\"{field}\">"))
        .unwrap_or_else(|| panic!("no {field} in {row}"));
    let text = &row[at + field.len() + 14..];
    text[..text.find('<').unwrap()].to_string()
}

/// The `data-value` of the chart bar for `chapter` and `series`.
fn bar(html: &str, chapter: &str, series: &str) -> u64 {
    let key = format!("data-chapter=\"{chapter}\" data-series=\"{series}\" data-value=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no bar {chapter} {series}"))
        + key.len();
    html[at..at + html[at..].find('"').unwrap()]
        .parse()
        .unwrap()
}

fn html_of(t: &SiteTest) -> String {
    let r = report(t, &["--html", "health.html"]);
    r.ok().stderr_has("wrote health.html");
    t.read("health.html")
}

#[test]
fn the_html_page_is_self_contained() {
    let html = html_of(&fixture());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    assert_eq!(html.matches("<svg ").count(), 2, "two inline charts");
    for banned in [
        "<script", "<link", " src=", "<img", "<iframe", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "{banned} in the page");
    }
    // Readable by others, like any file the user writes (umask permitting).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let t = fixture();
        html_of(&t);
        let mode = std::fs::metadata(t.path("health.html"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
    }
    // The only absolute URL is the SVG namespace.
    let urls = html.matches("http").count();
    assert_eq!(urls, html.matches("http://www.w3.org/2000/svg").count());
}

#[test]
fn the_html_numbers_match_the_report() {
    let t = fixture();
    let html = html_of(&t);
    assert_eq!(cell(&html, "rome", "meetings_last_365"), "3");
    assert_eq!(cell(&html, "rome", "days_since_last"), "54");
    assert_eq!(cell(&html, "rome", "days_left"), "36");
    assert_eq!(cell(&html, "rome", "rsvps"), "50");
    assert_eq!(cell(&html, "rome", "attendance"), "42");
    assert_eq!(cell(&html, "rome", "no_show_rate"), "16.0%");
    assert_eq!(cell(&html, "oslo", "days_left"), "6");
    assert!(html.contains("standing-at-risk\">at risk</span>"));
    assert_eq!(cell(&html, "lima", "days_left"), "-25");
    // Charts: meetings per quarter and RSVPs against attendance.
    assert_eq!(bar(&html, "rome", "2026 Q1"), 1);
    assert_eq!(bar(&html, "rome", "2026 Q3"), 0);
    assert_eq!(bar(&html, "oslo", "2025 Q4"), 1);
    assert_eq!(bar(&html, "oslo", "2026 Q3"), 1);
    assert_eq!(bar(&html, "rome", "rsvps"), 50);
    assert_eq!(bar(&html, "rome", "attendance"), 42);
    assert_eq!(bar(&html, "oslo", "attendance"), 26);
    // Every figure of every chapter agrees with the JSON report.
    let v = json(&t);
    for c in v["chapters"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(
            cell(&html, id, "meetings_last_365"),
            c["meetings_last_365"].to_string()
        );
        assert_eq!(
            bar(&html, id, "rsvps"),
            c["turnout"]["rsvps"].as_u64().unwrap()
        );
        assert_eq!(
            bar(&html, id, "attendance"),
            c["turnout"]["attendance"].as_u64().unwrap()
        );
        for (q, n) in v["quarters"]
            .as_array()
            .unwrap()
            .iter()
            .zip(c["meetings_per_quarter"].as_array().unwrap())
        {
            let label = format!("{} Q{}", q["year"], q["quarter"]);
            assert_eq!(bar(&html, id, &label), n.as_u64().unwrap(), "{id} {label}");
        }
    }
    // Names are escaped.
    let t = fixture().file(
        "content/chapters/oslo/chapter.yaml",
        "name: Oslo <b>&</b>\ncity: Oslo\ncountry: NO\ntimezone: Europe/Oslo\nleaders:\n  - cy\nfounded: 2020-01-01\n",
    );
    let html = html_of(&t);
    assert!(html.contains("Oslo &lt;b&gt;&amp;&lt;/b&gt;"));
    assert!(!html.contains("<b>&</b>"));
}

#[test]
fn output_is_the_same_bytes_for_the_same_today() {
    let t = fixture();
    for format in ["table", "json", "csv"] {
        let a = report(&t, &["--format", format]).stdout;
        let b = report(&t, &["--format", format]).stdout;
        assert_eq!(a, b, "{format}");
    }
    let a = html_of(&t);
    let b = html_of(&t);
    assert_eq!(a, b);
    // A different day gives different figures.
    let other = t
        .run(&["report", "--today", "2026-11-25", "--format", "json"])
        .stdout;
    assert_ne!(other, report(&t, &["--format", "json"]).stdout);
}

#[test]
fn content_errors_stop_the_report_but_guideline_findings_do_not() {
    // The fixture breaks registration-official (lima's December meeting).
    let t = fixture();
    t.run(&["check", "--today", TODAY]).code(1);
    report(&t, &[]).ok();
    let t = fixture().file(
        "content/chapters/oslo/chapter.yaml",
        "name: Oslo\ncity: Oslo\ncountry: NO\nleaders:\n  - nobody\n",
    );
    let r = report(&t, &[]);
    r.code(1)
        .stderr_has("content/chapters/oslo/chapter.yaml")
        .stderr_has("report needs a site without content errors");
    assert_eq!(r.stdout, "");
}

/// An independent count straight from the example's event files (start
/// date, status, rsvps, attendance), compared with `report`.
#[test]
fn the_example_network_matches_a_count_from_its_files() {
    use chrono::NaiveDate;
    let t = SiteTest::example();
    let v = json(&t);
    let today: NaiveDate = TODAY.parse().unwrap();
    let from = today - chrono::Duration::days(365);
    let field = |text: &str, key: &str| -> Option<String> {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|s| s.trim().to_string())
    };
    let root = t.path("content/chapters");
    let mut chapters: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    chapters.sort();
    assert_eq!(v["chapters"].as_array().unwrap().len(), chapters.len());
    let (mut all_meetings, mut all_rsvps, mut all_came) = (0, 0, 0);
    for id in &chapters {
        let mut held = Vec::new();
        let mut next: Option<NaiveDate> = None;
        let (mut rsvps, mut came) = (0u64, 0u64);
        for e in std::fs::read_dir(root.join(id).join("events")).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let front = text.split("---").nth(1).unwrap();
            let start: NaiveDate = field(front, "start").unwrap()[..10].parse().unwrap();
            let scheduled = field(front, "status").is_none_or(|s| s == "scheduled");
            if scheduled && start < today {
                held.push(start);
                let counts = (field(front, "rsvps"), field(front, "attendance"));
                if let (true, (Some(r), Some(a))) = (start >= from, counts) {
                    rsvps += r.parse::<u64>().unwrap();
                    came += a.parse::<u64>().unwrap();
                }
            } else if scheduled && next.is_none_or(|n| start < n) {
                next = Some(start);
            }
        }
        let in_window = held.iter().filter(|d| **d >= from).count();
        let last = held.iter().max().copied();
        let c = chapter(&v, id);
        assert_eq!(c["meetings_last_365"], in_window, "{id}");
        assert_eq!(c["last_meeting"]["date"], last.unwrap().to_string(), "{id}");
        assert_eq!(
            c["days_since_last"],
            (today - last.unwrap()).num_days(),
            "{id}"
        );
        assert_eq!(c["next_meeting"]["date"], next.unwrap().to_string(), "{id}");
        assert_eq!(
            c["days_left"],
            (last.unwrap() + chrono::Duration::days(90) - today).num_days(),
            "{id}"
        );
        assert_eq!(c["turnout"]["rsvps"], rsvps, "{id}");
        assert_eq!(c["turnout"]["attendance"], came, "{id}");
        all_meetings += in_window;
        all_rsvps += rsvps;
        all_came += came;
    }
    assert_eq!(v["totals"]["meetings_last_365"], all_meetings);
    assert_eq!(v["totals"]["turnout"]["rsvps"], all_rsvps);
    assert_eq!(v["totals"]["turnout"]["attendance"], all_came);
}
