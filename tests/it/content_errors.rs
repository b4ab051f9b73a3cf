//! One test per kind of content error: the file, the line and the fix.

use crate::support::{SiteTest, TODAY};

/// Run `check` and return stderr, asserting exit code 1.
fn check_fails(t: &SiteTest) -> String {
    let r = t.run(&["check", "--today", TODAY]);
    r.code(1);
    r.stderr
}

const EVENT: &str = "content/chapters/rome/events/2026-12-03-automation-night.md";

#[test]
fn unknown_field_names_the_line_and_the_likely_field() {
    let t = SiteTest::minimal().file(EVENT, "---\ntitle: X\nstrat: 2026-12-03T18:00\nend: 2026-12-03T20:00\nattendance_mode: online\nregistration: https://events.example.org/e/2/\n---\n");
    let err = check_fails(&t);
    assert!(err.contains(&format!("{EVENT}:3:1")), "{err}");
    assert!(err.contains("unknown field `strat`"), "{err}");
    assert!(err.contains("did you mean `start`?"), "{err}");
    assert!(
        err.contains("missing required field `start`"),
        "all problems in one run: {err}"
    );
}

#[test]
fn yaml_syntax_error_points_at_the_file_line() {
    let t = SiteTest::minimal().file(
        EVENT,
        "---\ntitle: X\nstart: 2026-12-03T18:00\nend: [oops\nattendance_mode: online\n---\n",
    );
    let err = check_fails(&t);
    assert!(err.contains("invalid YAML"), "{err}");
    // The error lies on line 4 or 5 of the file (not of the front matter).
    assert!(
        err.contains(&format!("{EVENT}:5:")) || err.contains(&format!("{EVENT}:4:")),
        "{err}"
    );
}

#[test]
fn wrong_type_says_what_to_write() {
    let t = SiteTest::minimal().file(EVENT, "---\ntitle: X\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:00\nattendance_mode: online\ncapacity: lots\nregistration: https://events.example.org/e/2/\n---\n");
    let err = check_fails(&t);
    assert!(err.contains(&format!("{EVENT}:6:1")), "{err}");
    assert!(err.contains("`capacity` must be a whole number"), "{err}");
}

#[test]
fn bad_ids_name_the_file_and_a_valid_id() {
    let t = SiteTest::minimal().file(
        "content/leaders/Ann_Smith.md",
        "---\nname: Ann\naffiliation: user\n---\n",
    );
    let err = check_fails(&t);
    assert!(err.contains("content/leaders/Ann_Smith.md"), "{err}");
    assert!(err.contains("not a valid leader id"), "{err}");
    assert!(err.contains("ann-smith"), "{err}");
}

#[test]
fn unknown_leader_and_sponsor_and_zone() {
    let t = SiteTest::minimal().file(
        "content/chapters/rome/chapter.yaml",
        "name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rme\nleaders:\n  - ann\n  - bob\nsponsors:\n  - acm\n",
    );
    let err = check_fails(&t);
    assert!(
        err.contains("content/chapters/rome/chapter.yaml:7:"),
        "{err}"
    );
    assert!(err.contains("unknown leader `bob`"), "{err}");
    assert!(err.contains("did you mean `bo`?"), "{err}");
    assert!(err.contains("unknown sponsor `acm`"), "{err}");
    assert!(err.contains("unknown time zone `Europe/Rme`"), "{err}");
    assert!(err.contains("Europe/Rome"), "{err}");
}

#[test]
fn end_before_start() {
    let t = SiteTest::minimal().file(EVENT, "---\ntitle: X\nstart: 2026-12-03T18:00\nend: 2026-12-03T17:00\nattendance_mode: online\n---\n");
    let err = check_fails(&t);
    assert!(err.contains(&format!("{EVENT}:4:1")), "{err}");
    assert!(
        err.contains("`end` (2026-12-03T17:00) is not after `start`"),
        "{err}"
    );
}

#[test]
fn file_date_must_match_start() {
    let t = SiteTest::minimal().file(EVENT, "---\ntitle: X\nstart: 2026-12-04T18:00\nend: 2026-12-04T20:00\nattendance_mode: online\nregistration: https://events.example.org/e/2/\n---\n");
    let err = check_fails(&t);
    assert!(err.contains(&format!("{EVENT}:3:1")), "{err}");
    assert!(
        err.contains("the file name says 2026-12-03 but `start` is on 2026-12-04"),
        "{err}"
    );
    assert!(err.contains("2026-12-04-automation-night.md"), "{err}");
}

#[test]
fn a_time_in_the_daylight_saving_gap_names_the_gap() {
    let t = SiteTest::minimal().file(
        "content/chapters/rome/events/2026-03-29-gap.md",
        "---\ntitle: X\nstart: 2026-03-29T02:30\nend: 2026-03-29T04:00\nattendance_mode: online\n---\n",
    );
    let err = check_fails(&t);
    assert!(
        err.contains("2026-03-29T02:30 does not exist in Europe/Rome"),
        "{err}"
    );
    assert!(
        err.contains("02:00 CET") && err.contains("03:00 CEST"),
        "{err}"
    );
}

#[test]
fn two_sponsors_with_one_id() {
    let t = SiteTest::minimal().file(
        "content/sponsors.yaml",
        "- id: acme\n  name: Acme\n  url: https://acme.example/\n- id: acme\n  name: Acme 2\n  url: https://acme2.example/\n",
    );
    let err = check_fails(&t);
    assert!(err.contains("two sponsors have the id `acme`"), "{err}");
    assert!(err.contains("content/sponsors.yaml:4:"), "{err}");
}

#[test]
fn missing_front_matter_and_unclosed_front_matter() {
    let t = SiteTest::minimal()
        .file("content/guides/a.md", "title: x\n")
        .file("content/guides/b.md", "---\ntitle: x\ncategory: venue\n");
    let err = check_fails(&t);
    assert!(err.contains("content/guides/a.md:1:1"), "{err}");
    assert!(err.contains("has no front matter"), "{err}");
    assert!(err.contains("content/guides/b.md:1:1"), "{err}");
    assert!(err.contains("never ends"), "{err}");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let t = SiteTest::minimal()
        .file("content/guides/a.md", "---\ntitle: x\ncategory: venu\n---\n")
        .file("content/leaders/zed.md", "---\nname: Zed\naffiliation: usr\n---\n")
        .file(EVENT, "---\ntitle: X\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:00\nattendance_mode: onlin\n---\n");
    let err = check_fails(&t);
    assert!(err.contains("did you mean `venue`?"), "{err}");
    assert!(err.contains("did you mean `user`?"), "{err}");
    assert!(err.contains("did you mean `online`?"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn a_failed_build_writes_nothing_and_exits_1() {
    let t = SiteTest::minimal();
    t.build();
    let before = t.read("public/index.html");
    let t = t.file(EVENT, "---\ntitle: X\n---\n");
    let r = t.run(&["build", "--today", TODAY]);
    r.code(1).stderr_has("nothing was written");
    assert_eq!(
        t.read("public/index.html"),
        before,
        "previous output untouched"
    );
}

#[test]
fn usage_errors_exit_2() {
    let t = SiteTest::minimal();
    t.run(&["build", "--today", "tomorrow"]).code(2);
    t.run(&["build", "--root", "/nonexistent/site"])
        .code(2)
        .stderr_has("cannot read the site folder");
    let empty = tempfile::tempdir().unwrap();
    let r = t.run(&["check", "--root", empty.path().to_str().unwrap()]);
    r.code(2).stderr_has("no `site.yaml`");
}
