//! `chapterhouse import`: third-party feeds (folded lines, VTIMEZONE, UTC,
//! all-day), never overwriting, nothing written for a malformed feed, and a
//! chapter's own `calendar.ics` round-tripping into the same events.

use crate::ical::read_ics;
use crate::support::{SiteTest, TODAY};

fn events_in(t: &SiteTest, chapter: &str) -> Vec<String> {
    let dir = t.path(&format!("content/chapters/{chapter}/events"));
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Collapse whitespace runs: Markdown does not keep leading spaces or the
/// layout of code blocks, which descriptions carry as plain text.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_chapters_own_calendar_imports_into_files_that_rebuild_the_same_events() {
    let original = SiteTest::example();
    original.build();
    let mut compared = 0;
    for chapter in [
        "bay-area",
        "bengaluru",
        "berlin",
        "chicago",
        "london",
        "palm-beach",
        "sydney",
        "toronto",
    ] {
        let feed_path = format!("public/chapters/{chapter}/calendar.ics");
        let feed = original.read(&feed_path);
        let t = SiteTest::example().remove(&format!("content/chapters/{chapter}/events"));
        let ics = t.path("import.ics");
        std::fs::write(&ics, &feed).unwrap();
        t.run(&[
            "import",
            ics.to_str().unwrap(),
            "--chapter",
            chapter,
            "--today",
            TODAY,
        ])
        .ok()
        .stderr_has(&format!("into {chapter}, 0 skipped"));
        // The files pass `check` (the example's one note aside).
        t.run(&["check", "--today", TODAY]).ok();
        t.build();
        let (_, before) = read_ics(feed.as_bytes());
        let (_, after) = read_ics(t.read(&feed_path).as_bytes());
        assert_eq!(before.len(), after.len(), "{chapter}");
        for (a, b) in before.iter().zip(&after) {
            let uid = a.get("UID");
            for name in [
                "UID",
                "DTSTAMP",
                "LAST-MODIFIED",
                "SEQUENCE",
                "DTSTART",
                "DTEND",
                "SUMMARY",
                "LOCATION",
                "URL",
                "ORGANIZER",
                "CATEGORIES",
                "STATUS",
            ] {
                assert_eq!(a.opt(name), b.opt(name), "{chapter} {uid}: {name}");
            }
            assert_eq!(a.start, b.start);
            assert_eq!(a.end, b.end);
            assert_eq!(
                squash(&a.text("DESCRIPTION")),
                squash(&b.text("DESCRIPTION")),
                "{chapter} {uid}"
            );
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared}");
}

/// A feed as other systems export it: Outlook's zone names with RRULE
/// rules, UTC times, an all-day event, a floating time, a DURATION, folds
/// after a space and inside a multi-byte character, a cancellation.
fn third_party_feed() -> Vec<u8> {
    let mut f = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp//Events//EN\r\nMETHOD:PUBLISH\r\n\
BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n\
BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n\
END:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:evt-1@events.example.org\r\nDTSTAMP:20261101T000000Z\r\n\
DTSTART;TZID=W. Europe Standard Time:20261210T183000\r\n\
DTEND;TZID=W. Europe Standard Time:20261210T203000\r\n\
SUMMARY:Automation deep dive\\, with \r\n demos\r\n\
DESCRIPTION:Talks about rules\\; bring questions.\\nSecond line of the same \r\n paragraph.\\n\\nRegister: https://events.example.org/e/77/\r\n\
LOCATION:Sala Grande\\, Via Roma 1\\, Roma\r\n\
URL:https://events.example.org/e/77/\r\n\
CATEGORIES:Talk,Networking\r\n\
LAST-MODIFIED:20261120T101500Z\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT30M\r\nDESCRIPTION:Reminder\r\nEND:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:evt-2@events.example.org\r\nDTSTAMP:20261101T000000Z\r\n\
DTSTART:20270114T170000Z\r\nDURATION:PT2H\r\n\
SUMMARY:Online evening\r\nLOCATION:Online\r\nURL:https://www.meetup.example/rome/2/\r\n\
DESCRIPTION:See https://eu.events.example.org/e/78/ to sign up.\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:evt-3@events.example.org\r\nDTSTAMP:20261101T000000Z\r\n\
DTSTART;VALUE=DATE:20270220\r\nDTEND;VALUE=DATE:20270221\r\n\
SUMMARY:Community day\r\nLOCATION:Hall\\, Via Roma 1\r\nURL:https://events.example.org/e/79/\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:evt-4@events.example.org\r\nDTSTAMP:20261101T000000Z\r\n\
DTSTART:20261215T190000\r\nDTEND:20261215T210000\r\n\
SUMMARY:Holiday drinks\r\nSTATUS:CANCELLED\r\nLOCATION:Bar Centrale\\, Piazza 2\r\n\
END:VEVENT\r\n",
    );
    // A fold inside "è" (C3 A8) in the last event's description.
    let mut bytes = std::mem::take(&mut f).into_bytes();
    bytes.truncate(bytes.len() - "END:VEVENT\r\n".len());
    bytes.extend_from_slice(b"DESCRIPTION:Ci vediamo l\xC3\r\n \xA8 al bar.\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:todo-1\r\nSUMMARY:Book the room\r\nEND:VTODO\r\nEND:VCALENDAR\r\n");
    bytes
}

#[test]
fn a_third_party_feed_becomes_event_files_in_the_chapters_zone() {
    let t = SiteTest::minimal();
    std::fs::write(t.path("export.ics"), third_party_feed()).unwrap();
    let run = t.run(&[
        "import",
        "export.ics",
        "--chapter",
        "rome",
        "--today",
        TODAY,
    ]);
    run.ok();
    let dir = "content/chapters/rome/events";
    assert!(run.stdout.contains(&format!(
        "wrote {dir}/2026-12-10-automation-deep-dive-with-demos.md"
    )));
    assert!(run.stdout.contains("all-day event"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("imported 4 events into rome, 0 skipped"),
        "{}",
        run.stderr
    );

    // Outlook's zone, with its DST rules: 18:30 in Rome stays 18:30.
    let a = t.read(&format!(
        "{dir}/2026-12-10-automation-deep-dive-with-demos.md"
    ));
    assert_eq!(
        a,
        "---\ntitle: Automation deep dive, with demos\nstart: 2026-12-10T18:30\nend: 2026-12-10T20:30\nupdated: 2026-11-20T11:15\nformat:\n- talk\nvenue:\n  name: Sala Grande\n  address: Via Roma 1, Roma\nregistration: https://events.example.org/e/77/\n---\nTalks about rules; bring questions.\\\nSecond line of the same paragraph.\n\nRegister: https://events.example.org/e/77/\n"
    );
    // UTC 17:00 in January is 18:00 in Rome; DURATION gives the end;
    // registration found in the description on a subdomain.
    let b = t.read(&format!("{dir}/2027-01-14-online-evening.md"));
    assert!(
        b.contains("start: 2027-01-14T18:00\nend: 2027-01-14T20:00\n"),
        "{b}"
    );
    assert!(b.contains("attendance_mode: online\n"), "{b}");
    assert!(
        b.contains("registration: https://eu.events.example.org/e/78/\n"),
        "{b}"
    );
    assert!(
        b.contains("promotion:\n- https://www.meetup.example/rome/2/\n"),
        "{b}"
    );
    // All day: midnight to midnight.
    let c = t.read(&format!("{dir}/2027-02-20-community-day.md"));
    assert!(
        c.contains("start: 2027-02-20T00:00\nend: 2027-02-21T00:00\n"),
        "{c}"
    );
    // Floating time read in the chapter's zone; the split character joined.
    let d = t.read(&format!("{dir}/2026-12-15-holiday-drinks.md"));
    assert!(d.contains("status: cancelled\n"), "{d}");
    assert!(d.contains("start: 2026-12-15T19:00\n"), "{d}");
    assert!(d.ends_with("---\nCi vediamo lè al bar.\n"), "{d}");

    // The written files pass `check`, and the site builds with them.
    t.run(&["check", "--today", TODAY]).ok();
    t.build();
    let feed = t.read("public/chapters/rome/calendar.ics");
    let (_, events) = read_ics(feed.as_bytes());
    let start = events
        .iter()
        .find(|e| {
            e.get("UID") == "rome/2026-12-10-automation-deep-dive-with-demos@groups.example.org"
        })
        .unwrap()
        .start;
    assert_eq!(start.to_rfc3339(), "2026-12-10T17:30:00+00:00");
}

#[test]
fn existing_files_are_never_overwritten() {
    let t = SiteTest::minimal();
    std::fs::write(t.path("export.ics"), third_party_feed()).unwrap();
    let args = [
        "import",
        "export.ics",
        "--chapter",
        "rome",
        "--today",
        TODAY,
    ];
    t.run(&args).ok();
    let path = "content/chapters/rome/events/2027-01-14-online-evening.md";
    let t = t.file(path, "---\ntitle: Edited by hand\nstart: 2027-01-14T18:00\nend: 2027-01-14T20:00\nattendance_mode: online\nregistration: https://events.example.org/e/78/\n---\n");
    let before = events_in(&t, "rome");
    let run = t.run(&args);
    run.ok();
    assert!(
        run.stdout.contains(&format!(
            "skipped `Online evening` on 2027-01-14T18:00: {path} exists"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("imported 0 events into rome, 4 skipped"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("wrote"));
    assert_eq!(events_in(&t, "rome"), before);
    assert!(t.read(path).contains("Edited by hand"));
}

#[test]
fn an_event_already_in_the_chapter_under_another_name_is_skipped() {
    // The minimal site's upcoming event, exported by another system.
    let t = SiteTest::minimal().file(
        "other.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261203T170000Z\r\nDTEND:20261203T193000Z\r\nSUMMARY:Automation Night: rules that scale\r\nLOCATION:Hall\\, Via Roma 1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let run = t.run(&["import", "other.ics", "--chapter", "rome", "--today", TODAY]);
    run.ok().stdout_has(
        "already in the chapter at that time as content/chapters/rome/events/2026-12-03-automation-night.md",
    );
    assert_eq!(events_in(&t, "rome").len(), 2);
}

#[test]
fn a_malformed_feed_is_rejected_with_the_line_and_nothing_is_written() {
    let good = String::from_utf8_lossy(&third_party_feed()).into_owned();
    let cases: Vec<(String, &str)> = vec![
        (
            // Cut off in the middle.
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261210T180000Z\r\n".into(),
            "line 3: `BEGIN:VEVENT` is never closed",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261210T180000Z\r\nthis line is prose\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into(),
            "line 4: `this line is prose` is not an iCalendar content line",
        ),
        (
            "Subject,Start date\r\nMeetup,2026-12-10\r\n".into(),
            "line 1:",
        ),
        (
            // One good event and one with a broken date: nothing at all.
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Fine\r\nDTSTART:20261210T180000Z\r\nDTEND:20261210T200000Z\r\nLOCATION:Online\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Broken\r\nDTSTART:2026-12-11 18:00\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into(),
            "event `Broken` (line 8): DTSTART `2026-12-11 18:00` is not a date-time",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Where\r\nDTSTART;TZID=Eastern Standard Time:20261210T180000\r\nDTEND;TZID=Eastern Standard Time:20261210T200000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into(),
            "TZID `Eastern Standard Time`, which is not an IANA zone name, and the file has no VTIMEZONE for it",
        ),
        (
            good.replace("DTEND;TZID=W. Europe Standard Time:20261210T203000", "DTEND;TZID=W. Europe Standard Time:20261210T173000"),
            "ends (2026-12-10T17:30) before it starts (2026-12-10T18:30)",
        ),
    ];
    for (feed, message) in cases {
        let t = SiteTest::minimal().file("bad.ics", &feed);
        let before = events_in(&t, "rome");
        let run = t.run(&["import", "bad.ics", "--chapter", "rome", "--today", TODAY]);
        run.code(1)
            .stderr_has(message)
            .stderr_has("nothing was written");
        assert_eq!(events_in(&t, "rome"), before, "{message}");
    }
}

#[test]
fn dry_run_lists_the_files_and_writes_nothing() {
    let t = SiteTest::minimal();
    std::fs::write(t.path("export.ics"), third_party_feed()).unwrap();
    let before = events_in(&t, "rome");
    let run = t.run(&[
        "import",
        "export.ics",
        "--chapter",
        "rome",
        "--dry-run",
        "--today",
        TODAY,
    ]);
    run.ok()
        .stdout_has("would write content/chapters/rome/events/2027-02-20-community-day.md")
        .stderr_has(
            "dry run: 4 events would be imported into rome, 0 skipped; nothing was written",
        );
    assert_eq!(events_in(&t, "rome"), before);
}

#[test]
fn usage_errors_name_the_fix() {
    let t = SiteTest::minimal();
    std::fs::write(t.path("export.ics"), third_party_feed()).unwrap();
    t.run(&["import", "export.ics", "--chapter", "rom", "--today", TODAY])
        .code(2)
        .stderr_has("there is no chapter `rom`")
        .stderr_has("did you mean `--chapter rome`?");
    t.run(&[
        "import",
        "missing.ics",
        "--chapter",
        "rome",
        "--today",
        TODAY,
    ])
    .code(2)
    .stderr_has("cannot read missing.ics");
}
