//! `check`: every guideline rule broken and kept on small sites, the
//! boundaries, severity overrides, the three output formats, `--deny
//! warnings`, `explain`, and each guideline broken in the example network.

use serde_json::Value;

use crate::support::{Run, SiteTest, TODAY};

const CHAPTER: &str = "content/chapters/rome/chapter.yaml";
const PAST: &str = "content/chapters/rome/events/2026-10-01-kickoff.md";
const UPCOMING: &str = "content/chapters/rome/events/2026-12-03-automation-night.md";

fn check(t: &SiteTest, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--today", TODAY];
    args.extend_from_slice(extra);
    t.run(&args)
}

/// The `check --format github` lines.
fn github(t: &SiteTest, extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["--format", "github"];
    args.extend_from_slice(extra);
    let r = check(t, &args);
    (r.code, r.stdout.lines().map(str::to_string).collect())
}

/// The `check --format json` document.
fn json(t: &SiteTest, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let r = check(t, &args);
    let v =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout));
    (r.code, v)
}

/// The diagnostics of one rule (or content error code) in a JSON document.
fn of<'v>(v: &'v Value, code: &str) -> Vec<&'v Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{text}"))
        + 1
}

/// An upcoming event of the minimal site with `front` as its front matter
/// after the times (online, so no venue is needed).
fn upcoming(front: &str) -> String {
    format!(
        "---\ntitle: Automation night\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:30\nattendance_mode: online\n{front}---\nAgenda.\n"
    )
}

const REG: &str = "registration: https://events.example.org/e/2/\n";

/// A past event of the rome chapter on `date`.
fn past_event(t: SiteTest, date: &str, extra: &str) -> SiteTest {
    t.file(
        &format!("content/chapters/rome/events/{date}-meetup.md"),
        &format!(
            "---\ntitle: Meetup\nstart: {date}T18:00\nend: {date}T20:00\nattendance_mode: online\n{extra}---\nText.\n"
        ),
    )
}

fn rome(leaders: &str, founded: &str) -> String {
    format!(
        "name: Rome\ncity: Rome\ncountry: IT\nregion: Europe\ntimezone: Europe/Rome\nleaders:\n{leaders}founded: {founded}\n"
    )
}

#[test]
fn the_minimal_site_keeps_every_guideline() {
    let (code, v) = json(&SiteTest::minimal(), &["--deny", "warnings"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["ok"], true);
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0, "{v:#}");
}

// ---- one rule at a time: broken, and kept ----

#[test]
fn leader_must_be_user() {
    for aff in ["employee", "partner", "contractor"] {
        let t = SiteTest::minimal().file(
            "content/leaders/bo.md",
            &format!("---\nname: Bo Berg\naffiliation: {aff}\ncompany: Acme\n---\nBo.\n"),
        );
        let (code, lines) = github(&t, &[]);
        assert_eq!(code, 1);
        assert_eq!(
            lines,
            [format!(
                "::error file={CHAPTER},line=8,col=3,title=leader-must-be-user::leader `bo` (Bo Berg, Acme) has `affiliation: {aff}` in `content/leaders/bo.md`; the guideline is that chapters are led by users of Example, not its employees, partners or contractors%0Ahelp: remove `bo` from `leaders:` and ask a member who uses Example to lead (Bo Berg can still speak or host); if Bo Berg is now a user, set `affiliation: user` in their profile"
            )]
        );
    }
    // Kept: a user with a company is fine.
    let (code, lines) = github(&SiteTest::minimal(), &[]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
}

#[test]
fn registration_official_third_party_link() {
    let t = SiteTest::minimal().file(
        UPCOMING,
        &upcoming("registration: https://www.meetup.com/rome/\n"),
    );
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [format!(
            "::error file={UPCOMING},line=6,col=1,title=registration-official::`registration` points at `www.meetup.com`; the guideline is that RSVPs go through Example Events (`events.example.org`)%0Ahelp: link the event's page on Example Events under `registration:` (`https://events.example.org/…`) and move `https://www.meetup.com/rome/` under `promotion:` if it should still be listed"
        )]
    );
    // Kept: https on the host or a subdomain.
    for url in [
        "https://events.example.org/e/2/",
        "https://eu.events.example.org/e/2/",
    ] {
        let t = SiteTest::minimal().file(UPCOMING, &upcoming(&format!("registration: {url}\n")));
        assert_eq!(github(&t, &[]), (0, vec![]), "{url}");
    }
    // http on the right host is not enough.
    let t = SiteTest::minimal().file(
        UPCOMING,
        &upcoming("registration: http://events.example.org/e/2/\n"),
    );
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert!(
        lines[0].ends_with("help: write `registration: https://events.example.org/e/2/`"),
        "{lines:?}"
    );
}

#[test]
fn registration_official_missing_until_the_event_has_ended() {
    // Upcoming without registration: error at the title.
    let t = SiteTest::minimal().file(UPCOMING, &upcoming(""));
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [format!(
            "::error file={UPCOMING},line=2,col=1,title=registration-official::this scheduled event has no `registration`; the guideline is that RSVPs go through Example Events (`events.example.org`)%0Ahelp: add `registration: https://events.example.org/…` with the event's page on Example Events (or `status: cancelled` or `postponed` if it will not take place)"
        )]
    );
    // An event today has not ended: still needs it.
    let today = "content/chapters/rome/events/2026-11-24-today.md";
    let t = SiteTest::minimal().file(
        today,
        "---\ntitle: Today\nstart: 2026-11-24T18:00\nend: 2026-11-24T20:00\nattendance_mode: online\n---\n",
    );
    assert_eq!(github(&t, &[]).0, 1);
    // One that ended yesterday, or a cancelled or postponed one, does not.
    let t = past_event(SiteTest::minimal(), "2026-11-23", "");
    assert_eq!(github(&t, &[]), (0, vec![]));
    for status in ["cancelled", "postponed"] {
        let t = SiteTest::minimal().file(UPCOMING, &upcoming(&format!("status: {status}\n")));
        assert_eq!(github(&t, &[]), (0, vec![]), "{status}");
    }
}

const VENDOR_TALK: &str = "talks:\n  - title: Buy our plugin\n    speaker:\n      name: Vic Sales\n      company: Acme\n      affiliation: vendor\n";

#[test]
fn no_sales_pitch() {
    let t = SiteTest::minimal().file(UPCOMING, &upcoming(&format!("{REG}{VENDOR_TALK}")));
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [format!(
            "::error file={UPCOMING},line=8,col=5,title=no-sales-pitch::the talk “Buy our plugin” by Vic Sales (vendor, Acme) has no `reviewed_by`; the guideline is that a leader of the chapter reviews partner and vendor talks so that they are not sales pitches%0Ahelp: ask a leader of this chapter to review the talk and add `reviewed_by: <leader>` to it (this chapter's leaders: `ann`, `bo`)"
        )]
    );
    // A reviewer who does not lead this chapter.
    let t = SiteTest::minimal()
        .file(
            "content/leaders/zed.md",
            "---\nname: Zed\naffiliation: user\n---\n",
        )
        .file(
            UPCOMING,
            &upcoming(&format!("{REG}{VENDOR_TALK}    reviewed_by: zed\n")),
        );
    let (code, v) = json(&t, &[]);
    assert_eq!(code, 1);
    let d = of(&v, "no-sales-pitch");
    assert_eq!(d.len(), 1, "{v:#}");
    assert_eq!(d[0]["line"], 13, "points at `reviewed_by:`");
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("`zed` is not a leader of Rome")
    );
    // Kept: reviewed by a leader of the chapter.
    let t = SiteTest::minimal().file(
        UPCOMING,
        &upcoming(&format!("{REG}{VENDOR_TALK}    reviewed_by: bo\n")),
    );
    assert_eq!(github(&t, &[]), (0, vec![]));
    // A user's talk needs no review.
    let t = SiteTest::minimal().file(
        UPCOMING,
        &upcoming(&format!("{REG}{}", VENDOR_TALK.replace("vendor", "user"))),
    );
    assert_eq!(github(&t, &[]), (0, vec![]));
}

#[test]
fn partner_affiliation_shown() {
    let talk = "talks:\n  - title: Our roadmap\n    reviewed_by: ann\n    speaker:\n      name: Pat Partner\n      affiliation: partner\n";
    let t = SiteTest::minimal()
        .file(UPCOMING, &upcoming(&format!("{REG}{talk}")))
        .file(
            "content/guides/venues.md",
            "---\ntitle: Picking a venue\ncategory: venue\nauthor:\n  name: Val\n  affiliation: vendor\n---\nText.\n",
        );
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            format!(
                "::error file={UPCOMING},line=12,col=7,title=partner-affiliation-shown::Pat Partner speaks on “Our roadmap” as a partner but no `company` is given; the guideline is that partner and vendor speakers show who they work for%0Ahelp: add `company: <company name>` under `speaker:`, next to `affiliation:`"
            ),
            "::error file=content/guides/venues.md,line=6,col=3,title=partner-affiliation-shown::the author Val is a vendor but no `company` is given; the guideline is that partner and vendor authors show who they work for%0Ahelp: add `company: <company name>` under `author:`, next to `affiliation:`".to_string(),
        ]
    );
    let t = SiteTest::minimal().file(
        UPCOMING,
        &upcoming(&format!(
            "{REG}{}",
            talk.replace(
                "affiliation: partner",
                "company: Acme\n      affiliation: partner"
            )
        )),
    );
    assert_eq!(github(&t, &[]), (0, vec![]));
}

#[test]
fn free_of_charge() {
    let t = SiteTest::minimal().file(UPCOMING, &upcoming(&format!("{REG}price: 10 EUR\n")));
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [format!(
            "::error file={UPCOMING},line=7,col=1,title=free-of-charge::this event charges `10 EUR`; the guideline is that chapter events are free to attend%0Ahelp: write `price: free` or remove the line; cover costs through the programme's reimbursement or a sponsor"
        )]
    );
    for price in ["0", "free", "Free", "0.00"] {
        let t = SiteTest::minimal().file(UPCOMING, &upcoming(&format!("{REG}price: {price}\n")));
        assert_eq!(github(&t, &[]), (0, vec![]), "{price}");
    }
}

/// The minimal site with its only past meeting on `date` instead of 2026-10-01.
fn last_met(date: &str) -> SiteTest {
    past_event(SiteTest::minimal().remove(PAST), date, "")
}

#[test]
fn chapter_active_ninety_days_is_fine_ninety_one_is_not() {
    // 2026-08-26 is 90 days before 2026-11-24; 2026-08-25 is 91.
    let (code, lines) = github(&last_met("2026-08-26"), &["--deny", "warnings"]);
    assert_eq!((code, lines), (0, vec![]));
    let (code, lines) = github(&last_met("2026-08-25"), &[]);
    assert_eq!(code, 0, "a warning alone does not fail");
    assert_eq!(
        lines,
        [format!(
            "::warning file={CHAPTER},line=1,col=1,title=chapter-active::Rome last met 91 days ago (“Meetup” on 2026-08-25); the guideline is a meeting at least every 90 days%0Ahelp: hold a meeting soon and add its event file under `content/chapters/rome/events/`; a small social or an online session counts"
        )]
    );
    assert_eq!(
        github(&last_met("2026-08-25"), &["--deny", "warnings"]).0,
        1
    );
}

#[test]
fn chapter_active_counts_only_held_meetings() {
    // A cancelled meeting in between does not count, nor does one today.
    let t = past_event(last_met("2026-08-25"), "2026-10-10", "status: cancelled\n").file(
        "content/chapters/rome/events/2026-11-24-today.md",
        &format!("---\ntitle: Today\nstart: 2026-11-24T18:00\nend: 2026-11-24T20:00\nattendance_mode: online\n{REG}---\n"),
    );
    let (_, v) = json(&t, &[]);
    assert_eq!(of(&v, "chapter-active").len(), 1, "{v:#}");
}

#[test]
fn chapter_active_exempts_chapters_younger_than_ninety_days() {
    let no_meetings = |founded: &str| {
        SiteTest::minimal()
            .remove(PAST)
            .file(CHAPTER, &rome("  - ann\n  - bo\n", founded))
    };
    // 2026-08-26: 90 days ago, exempt; 2026-08-25: 91 days, not.
    assert_eq!(
        github(&no_meetings("2026-08-26"), &["--deny", "warnings"]),
        (0, vec![])
    );
    let (code, v) = json(&no_meetings("2026-08-25"), &["--deny", "warnings"]);
    assert_eq!(code, 1);
    let d = of(&v, "chapter-active");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["line"], 9, "points at `founded:`");
    assert_eq!(d[0]["severity"], "warning");
}

#[test]
fn four_meetings_a_year_and_its_365_day_window() {
    // Founded long ago; meetings on the given dates (the last 2026-10-01 is kept).
    let with = |dates: &[&str]| {
        let mut t = SiteTest::minimal().file(CHAPTER, &rome("  - ann\n  - bo\n", "2020-01-01"));
        for d in dates {
            t = past_event(t, d, "");
        }
        t
    };
    // 2025-11-24 is 365 days before 2026-11-24: it counts.
    let (code, lines) = github(
        &with(&["2025-11-24", "2026-03-01", "2026-06-01"]),
        &["--deny", "warnings"],
    );
    assert_eq!((code, lines), (0, vec![]));
    // 2025-11-23 is 366 days before: it does not.
    let (code, lines) = github(
        &with(&["2025-11-23", "2026-03-01", "2026-06-01"]),
        &["--deny", "warnings"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [format!(
            "::warning file={CHAPTER},line=1,col=1,title=four-meetings-a-year::Rome held 3 meetings in the 365 days before 2026-11-24 (since 2025-11-24); the guideline is at least 4 a year%0Ahelp: hold 1 more meeting (about one a quarter) and add each under `content/chapters/rome/events/`; if meetings took place but are not recorded, add their event files"
        )]
    );
    // Postponed meetings do not count either.
    let t = past_event(
        with(&["2026-03-01", "2026-06-01"]),
        "2026-07-01",
        "status: postponed\n",
    );
    let (_, v) = json(&t, &[]);
    assert_eq!(of(&v, "four-meetings-a-year").len(), 1);
}

#[test]
fn four_meetings_a_year_exempts_chapters_younger_than_a_year() {
    let founded = |f: &str| SiteTest::minimal().file(CHAPTER, &rome("  - ann\n  - bo\n", f));
    // One meeting only; 2025-11-24 is 365 days ago (exempt), 2025-11-23 is 366.
    let (_, v) = json(&founded("2025-11-24"), &[]);
    assert!(of(&v, "four-meetings-a-year").is_empty(), "{v:#}");
    let (_, v) = json(&founded("2025-11-23"), &[]);
    assert_eq!(of(&v, "four-meetings-a-year").len(), 1, "{v:#}");
    // No `founded` at all: not exempt.
    let t = SiteTest::minimal().file(
        CHAPTER,
        "name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rome\nleaders:\n  - ann\n  - bo\n",
    );
    let (_, v) = json(&t, &[]);
    assert_eq!(of(&v, "four-meetings-a-year").len(), 1, "{v:#}");
}

#[test]
fn co_leader_encouraged_is_a_note() {
    let t = SiteTest::minimal().file(CHAPTER, &rome("  - ann\n", "2026-01-10"));
    let (code, lines) = github(&t, &["--deny", "warnings"]);
    assert_eq!(code, 0, "notes never fail, even with --deny warnings");
    assert_eq!(
        lines,
        [format!(
            "::notice file={CHAPTER},line=6,col=1,title=co-leader-encouraged::Rome has one leader (`ann`); the guideline encourages co-leaders who share the work and keep the chapter going%0Ahelp: invite a member to co-lead: add their profile under `content/leaders/` and their id under `leaders:`"
        )]
    );
}

// ---- severities ----

fn with_rules(t: SiteTest, rules: &str) -> SiteTest {
    t.file(
        "site.yaml",
        &format!("{}rules:\n{rules}", crate::support::MINIMAL_SITE),
    )
}

fn priced() -> SiteTest {
    SiteTest::minimal().file(UPCOMING, &upcoming(&format!("{REG}price: 5\n")))
}

#[test]
fn an_error_rule_lowered_to_warning_passes_unless_warnings_are_denied() {
    let t = with_rules(priced(), "  free-of-charge: warning\n");
    let (code, v) = json(&t, &[]);
    assert_eq!(code, 0);
    let d = of(&v, "free-of-charge");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["severity"], "warning");
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["errors"], 0);
    let (code, v) = json(&t, &["--deny", "warnings"]);
    assert_eq!(code, 1);
    assert_eq!(v["ok"], false);
}

#[test]
fn off_silences_a_rule_and_note_lowers_it() {
    let (code, lines) = github(&with_rules(priced(), "  free-of-charge: off\n"), &[]);
    assert_eq!((code, lines), (0, vec![]));
    let (code, lines) = github(&with_rules(priced(), "  free-of-charge: note\n"), &[]);
    assert_eq!(code, 0);
    assert!(lines[0].starts_with("::notice "), "{lines:?}");
}

#[test]
fn a_note_raised_to_error_fails() {
    let t = with_rules(
        SiteTest::minimal().file(CHAPTER, &rome("  - ann\n", "2026-01-10")),
        "  co-leader-encouraged: error\n",
    );
    let (code, lines) = github(&t, &[]);
    assert_eq!(code, 1);
    assert!(
        lines[0].starts_with(&format!(
            "::error file={CHAPTER},line=6,col=1,title=co-leader-encouraged::"
        )),
        "{lines:?}"
    );
}

#[test]
fn an_unknown_rule_id_is_a_content_error_in_site_yaml() {
    let t = with_rules(SiteTest::minimal(), "  free-of-charg: off\n");
    let r = check(&t, &[]);
    r.code(1)
        .stderr_has("unknown rule `free-of-charg` in `rules`")
        .stderr_has("site.yaml:9:3")
        .stderr_has("did you mean `free-of-charge`?");
    let (code, v) = json(&t, &[]);
    assert_eq!(code, 1);
    let d = of(&v, "content/unknown-rule");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["file"], "site.yaml");
    assert_eq!(d[0]["line"], 9);
    // So is one with no severity, which must not be dropped silently.
    let t = with_rules(SiteTest::minimal(), "  free-of-charg:\n  chapter-active:\n");
    check(&t, &[])
        .code(1)
        .stderr_has("unknown rule `free-of-charg` in `rules`")
        .stderr_has("`chapter-active` in `rules` has no severity")
        .stderr_has("site.yaml:10:3");
    // A severity that does not exist is one too.
    let t = with_rules(SiteTest::minimal(), "  free-of-charge: fatal\n");
    check(&t, &[])
        .code(1)
        .stderr_has("`fatal` is not a severity for `free-of-charge`")
        .stderr_has("write one of `error`, `warning`, `note` or `off`");
}

// ---- formats and exit codes ----

/// Broken three ways: an error, a warning and a note.
fn mixed() -> SiteTest {
    past_event(SiteTest::minimal().remove(PAST), "2026-08-01", "")
        .file(CHAPTER, &rome("  - ann\n", "2026-01-10"))
        .file(UPCOMING, &upcoming(&format!("{REG}price: 5\n")))
}

#[test]
fn json_is_one_document_with_every_finding_located() {
    let (code, v) = json(&mixed(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], TODAY);
    assert_eq!(v["ok"], false);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["notes"], 1);
    let d = v["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = d.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // Sorted by file, then position.
    assert_eq!(
        codes,
        ["chapter-active", "co-leader-encouraged", "free-of-charge"]
    );
    let price = &d[2];
    assert_eq!(price["severity"], "error");
    assert_eq!(price["file"], UPCOMING);
    assert_eq!(price["line"], 7);
    assert_eq!(price["column"], 1);
    assert_eq!(price["end_line"], 7);
    assert_eq!(price["end_column"], 6);
    assert_eq!(
        price["message"],
        "this event charges `5`; the guideline is that chapter events are free to attend"
    );
    assert!(price["help"].as_str().unwrap().contains("price: free"));
    for k in [
        "severity",
        "code",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "label",
        "help",
    ] {
        assert!(price.get(k).is_some(), "field {k} is always present");
    }
    // Nothing on stderr: the document is the whole output.
    let r = check(&mixed(), &["--format", "json"]);
    assert_eq!(r.stderr, "");
}

#[test]
fn github_prints_one_workflow_command_per_finding() {
    let (code, lines) = github(&mixed(), &[]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with(&format!(
        "::warning file={CHAPTER},line=1,col=1,title=chapter-active::Rome last met 115 days ago"
    )));
    assert!(lines[1].starts_with(&format!(
        "::notice file={CHAPTER},line=6,col=1,title=co-leader-encouraged::"
    )));
    assert!(lines[2].starts_with(&format!(
        "::error file={UPCOMING},line=7,col=1,title=free-of-charge::"
    )));
    for l in &lines {
        assert!(!l.contains('\r'));
        assert!(l.contains("%0Ahelp: "), "{l}");
    }
}

#[test]
fn human_output_names_file_line_rule_message_and_fix() {
    let r = check(&mixed(), &[]);
    r.code(1)
        .stderr_has(&format!("{UPCOMING}:7:1"))
        .stderr_has("free-of-charge")
        .stderr_has("this event charges `5`")
        .stderr_has("help: write `price: free`")
        .stderr_has(&format!("{CHAPTER}:1:1"))
        .stderr_has("chapter-active")
        .stderr_has("checked ")
        .stderr_has("1 error, 1 warning, 1 note");
    assert_eq!(r.stdout, "");
}

#[test]
fn deny_warnings_sets_the_exit_code_only_for_warnings() {
    // A warning and a note, no error.
    let t = past_event(SiteTest::minimal().remove(PAST), "2026-08-01", "")
        .file(CHAPTER, &rome("  - ann\n", "2026-01-10"));
    assert_eq!(check(&t, &[]).code, 0);
    assert_eq!(check(&t, &["--deny", "warnings"]).code, 1);
    let (_, v) = json(&t, &[]);
    assert_eq!(v["ok"], true);
    let (_, v) = json(&t, &["--deny", "warnings"]);
    assert_eq!(v["ok"], false);
    // A note alone never fails.
    let t = SiteTest::minimal().file(CHAPTER, &rome("  - ann\n", "2026-01-10"));
    assert_eq!(check(&t, &["--deny", "warnings"]).code, 0);
    // A bad --deny value is a usage error.
    assert_eq!(check(&t, &["--deny", "notes"]).code, 2);
}

#[test]
fn build_writes_nothing_while_a_rule_error_remains() {
    let t = priced();
    let r = t.run(&["build", "--today", TODAY]);
    r.code(1).stderr_has("free-of-charge");
    assert!(!t.exists("public"));
    // A warning does not stop the build.
    let t = with_rules(priced(), "  free-of-charge: warning\n");
    t.build();
    assert!(t.exists("public/index.html"));
}

// ---- explain ----

#[test]
fn explain_prints_the_guideline_and_how_to_comply() {
    let t = SiteTest::minimal();
    let r = t.run(&["explain", "no-sales-pitch"]);
    r.ok()
        .stdout_has("no-sales-pitch (default severity: error)")
        .stdout_has("Breaks when a talk by a partner or vendor speaker has no reviewed_by")
        .stdout_has("Meetups are for learning and sharing, not for selling.")
        .stdout_has("`reviewed_by: <leader id>`")
        .stdout_has("rules:\n    no-sales-pitch: warning");
    assert!(
        r.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        r.stdout
    );
    for id in [
        "leader-must-be-user",
        "registration-official",
        "partner-affiliation-shown",
        "free-of-charge",
        "chapter-active",
        "four-meetings-a-year",
        "co-leader-encouraged",
    ] {
        let r = t.run(&["explain", id]);
        r.ok().stdout_has(&format!("{id} (default severity: "));
        assert!(r.stdout.contains("To comply"), "{id}: {}", r.stdout);
    }
}

#[test]
fn explain_without_a_rule_lists_them_all() {
    let r = SiteTest::minimal().run(&["explain"]);
    r.ok()
        .stdout_has("leader-must-be-user         [error]")
        .stdout_has("chapter-active              [warning]")
        .stdout_has("co-leader-encouraged        [note]");
}

#[test]
fn explain_an_unknown_rule_suggests_the_closest() {
    let r = SiteTest::minimal().run(&["explain", "free-of-charg"]);
    r.code(2)
        .stderr_has("no rule `free-of-charg`. Did you mean `free-of-charge`?")
        .stderr_has("The rules are: leader-must-be-user, registration-official");
    assert_eq!(r.stdout, "");
}

// ---- each guideline broken in the example network ----

/// A copy of the example network with `rel` edited by `edit`.
fn example_with(rel: &str, edit: impl Fn(&str) -> String) -> (SiteTest, String) {
    let t = SiteTest::example();
    let text = edit(&t.read(rel));
    (t.file(rel, &text), text)
}

/// Run `check` with `args` and assert it fails naming the file, line, rule and fix.
fn fails_at(t: &SiteTest, args: &[&str], file: &str, line: usize, rule: &str, fix: &str) {
    let r = check(t, args);
    r.code(1)
        .stderr_has(&format!("{file}:{line}:"))
        .stderr_has(rule);
    // The human renderer wraps long help text: compare with spaces collapsed.
    let flat = r.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(fix), "no {fix:?} in:\n{}", r.stderr);
    let (_, lines) = github(t, args);
    let prefix = format!("file={file},line={line},");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&prefix) && l.contains(&format!(",title={rule}::"))),
        "{lines:#?}"
    );
}

#[test]
fn the_example_network_passes() {
    let t = SiteTest::example();
    let (code, v) = json(&t, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 0);
}

#[test]
fn example_leader_must_be_user() {
    let (t, _) = example_with("content/leaders/kevin-tran.md", |s| {
        s.replace("affiliation: user", "affiliation: employee")
    });
    let chapter = "content/chapters/bay-area/chapter.yaml";
    let line = line_of(&t.read(chapter), "- kevin-tran");
    fails_at(
        &t,
        &[],
        chapter,
        line,
        "leader-must-be-user",
        "remove `kevin-tran` from `leaders:`",
    );
}

#[test]
fn example_registration_official() {
    let rel = "content/chapters/berlin/events/2026-12-01-online-lunch-templates.md";
    let (t, text) = example_with(rel, |s| {
        let old = s
            .lines()
            .find(|l| l.starts_with("registration:"))
            .unwrap()
            .to_string();
        s.replace(
            &old,
            "registration: https://www.meetup.com/berlin-tessellate/",
        )
    });
    fails_at(
        &t,
        &[],
        rel,
        line_of(&text, "registration:"),
        "registration-official",
        "under `promotion:`",
    );
}

#[test]
fn example_no_sales_pitch() {
    let rel = "content/chapters/sydney/events/2026-10-21-risk-registers-partner-talk.md";
    let (t, text) = example_with(rel, |s| s.replace("    reviewed_by: liam-oconnor\n", ""));
    fails_at(
        &t,
        &[],
        rel,
        line_of(&text, "- title: Risk registers"),
        "no-sales-pitch",
        "add `reviewed_by: <leader>`",
    );
}

#[test]
fn example_partner_affiliation_shown() {
    let rel = "content/chapters/sydney/events/2026-10-21-risk-registers-partner-talk.md";
    let (t, text) = example_with(rel, |s| {
        s.replace("      company: Bluegum Consulting\n", "")
    });
    fails_at(
        &t,
        &[],
        rel,
        line_of(&text, "affiliation: partner"),
        "partner-affiliation-shown",
        "add `company: <company name>`",
    );
}

#[test]
fn example_free_of_charge() {
    let rel = "content/chapters/berlin/events/2026-12-01-online-lunch-templates.md";
    let (t, text) = example_with(rel, |s| {
        s.replacen("\nstart:", "\nprice: 15 EUR\nstart:", 1)
    });
    fails_at(
        &t,
        &[],
        rel,
        line_of(&text, "price: 15 EUR"),
        "free-of-charge",
        "write `price: free`",
    );
}

fn cancel(s: &str) -> String {
    s.replacen("\nstart:", "\nstatus: cancelled\nstart:", 1)
}

#[test]
fn example_chapter_active() {
    // London's last meeting before today is 2026-11-17; cancel it and the
    // one before is 2026-07-14, 133 days ago.
    let (t, _) = example_with(
        "content/chapters/london/events/2026-11-17-onboarding-panel.md",
        cancel,
    );
    assert_eq!(check(&t, &[]).code, 0, "a warning by default");
    fails_at(
        &t,
        &["--deny", "warnings"],
        "content/chapters/london/chapter.yaml",
        1,
        "chapter-active",
        "hold a meeting soon",
    );
    check(&t, &["--deny", "warnings"]).stderr_has("London, UK last met 133 days ago");
}

#[test]
fn example_four_meetings_a_year() {
    let t = SiteTest::example();
    let t = [
        "2026-01-27-public-sector-portfolios",
        "2026-03-31-spring-lightning-talks",
    ]
    .iter()
    .fold(t, |t, stem| {
        let rel = format!("content/chapters/london/events/{stem}.md");
        let text = cancel(&t.read(&rel));
        t.file(&rel, &text)
    });
    fails_at(
        &t,
        &["--deny", "warnings"],
        "content/chapters/london/chapter.yaml",
        1,
        "four-meetings-a-year",
        "hold 1 more meeting",
    );
}

#[test]
fn example_co_leader_encouraged() {
    // Toronto has one leader: a note by default, an error when site.yaml says so.
    let t = SiteTest::example();
    let (code, v) = json(&t, &["--deny", "warnings"]);
    assert_eq!(code, 0);
    assert_eq!(of(&v, "co-leader-encouraged").len(), 1);
    let site = format!(
        "{}rules:\n  co-leader-encouraged: error\n",
        t.read("site.yaml")
    );
    let t = t.file("site.yaml", &site);
    let chapter = "content/chapters/toronto/chapter.yaml";
    fails_at(
        &t,
        &[],
        chapter,
        line_of(&t.read(chapter), "leaders:"),
        "co-leader-encouraged",
        "invite a member to co-lead",
    );
}
