//! Calendar feeds: every `.ics` of a build read back by an independent
//! parser (`caldata`, which unfolds exactly) and compared with the model
//! (`events.json`), the shape RFC 5545 asks for, subscribers' view of
//! edits, and property tests of escaping and folding.

use std::collections::BTreeMap;
use std::path::Path;

use caldata::component::{Component, IcalCalendar, IcalTimeZone, IcalTimeZoneTransitionType};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use proptest::prelude::*;

use crate::support::SiteTest;

/// One VEVENT as read back: its properties by name (values raw).
#[derive(Debug, Clone)]
pub(crate) struct ReadEvent {
    pub(crate) props: BTreeMap<String, (caldata::parser::ContentLineParams, String)>,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) tzid: Option<String>,
}

impl ReadEvent {
    pub(crate) fn get(&self, name: &str) -> &str {
        self.props
            .get(name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.props))
    }
    pub(crate) fn opt(&self, name: &str) -> Option<&str> {
        self.props.get(name).map(|(_, v)| v.as_str())
    }
    /// A TEXT value, unescaped.
    pub(crate) fn text(&self, name: &str) -> String {
        chapterhouse::import::reader::unescape_text(self.get(name))
    }
}

fn offset(v: &str) -> i64 {
    let sign = if v.starts_with('-') { -1 } else { 1 };
    let d = &v[1..];
    let n = |a: usize| d[a..a + 2].parse::<i64>().unwrap();
    sign * (n(0) * 3600 + n(2) * 60 + if d.len() == 6 { n(4) } else { 0 })
}

/// The instant of a local time, worked out from the file's own VTIMEZONE
/// observances (not from the zone name), so that a wrong VTIMEZONE fails.
/// As RFC 5545 §3.3.5 says, a local time that occurs twice means the first.
fn through_vtimezone(local: NaiveDateTime, tz: &IcalTimeZone) -> DateTime<Utc> {
    // (onset in UTC, offset before, offset after), in order.
    let mut onsets: Vec<(NaiveDateTime, i64, i64)> = tz
        .transitions
        .iter()
        .map(|t| {
            let p = |n: &str| {
                t.properties
                    .iter()
                    .find(|c| c.name == n)
                    .unwrap_or_else(|| panic!("observance without {n}"))
                    .value
                    .clone()
            };
            assert!(
                t.properties.iter().all(|c| c.name != "RRULE"),
                "we write one block per transition"
            );
            let start = NaiveDateTime::parse_from_str(&p("DTSTART"), "%Y%m%dT%H%M%S").unwrap();
            let from = offset(&p("TZOFFSETFROM"));
            (
                start - Duration::seconds(from),
                from,
                offset(&p("TZOFFSETTO")),
            )
        })
        .collect();
    onsets.sort();
    // Each observance holds from its onset to the next; the earliest
    // reading of `local` that falls inside its own observance is meant.
    let found = onsets.iter().enumerate().find_map(|(i, (at, _, to))| {
        let utc = local - Duration::seconds(*to);
        let next = onsets.get(i + 1).map(|n| n.0);
        (utc >= *at && next.is_none_or(|n| utc < n)).then_some(utc)
    });
    let utc = found.unwrap_or_else(|| panic!("no observance of {} covers {local}", tz.get_tzid()));
    utc.and_utc()
}

fn instant(
    prop: &caldata::parser::ContentLine,
    cal: &IcalCalendar,
) -> (DateTime<Utc>, Option<String>) {
    let v = prop.value.as_str();
    if let Some(u) = v.strip_suffix('Z') {
        let t = NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%S").unwrap();
        return (t.and_utc(), None);
    }
    let tzid = prop
        .params
        .get_tzid()
        .unwrap_or_else(|| panic!("{} `{v}` is floating", prop.name));
    let tz = cal
        .vtimezones
        .get(tzid)
        .unwrap_or_else(|| panic!("TZID {tzid} has no VTIMEZONE in the file"));
    let local = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").unwrap();
    (through_vtimezone(local, tz), Some(tzid.to_string()))
}

/// Parse an `.ics` with caldata and return its calendar and events.
pub(crate) fn read_ics(bytes: &[u8]) -> (IcalCalendar, Vec<ReadEvent>) {
    let cal = caldata::IcalParser::from_slice(bytes)
        .expect_one()
        .unwrap_or_else(|e| {
            panic!(
                "caldata cannot read it: {e}\n{}",
                String::from_utf8_lossy(bytes)
            )
        });
    let events = cal
        .events
        .iter()
        .map(|e| {
            let props: BTreeMap<_, _> = e
                .get_properties()
                .iter()
                .map(|p| (p.name.clone(), (p.params.clone(), p.value.clone())))
                .collect();
            let (start, tzid) = instant(e.get_property("DTSTART").unwrap(), &cal);
            let (end, _) = instant(e.get_property("DTEND").unwrap(), &cal);
            ReadEvent {
                props,
                start,
                end,
                tzid,
            }
        })
        .collect();
    (cal, events)
}

/// Every `.ics` under `dir`, relative path -> bytes.
pub(crate) fn ics_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn rfc3339(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn every_ics_of_the_example_reads_back_like_the_model() {
    let t = SiteTest::example();
    t.build();
    let json: serde_json::Value = serde_json::from_str(&t.read("public/events.json")).unwrap();
    let model = json["events"].as_array().unwrap();
    let by_uid: BTreeMap<&str, &serde_json::Value> = model
        .iter()
        .map(|e| (e["uid"].as_str().unwrap(), e))
        .collect();
    // Feeds keep upcoming events and those that ended in the past 12
    // months (by the end date in the event's zone).
    let cutoff = "2025-11-24";
    let in_feed = |e: &serde_json::Value| &e["end"].as_str().unwrap()[..10] >= cutoff;

    let files = ics_files(&t.path("public"));
    let mut zones_seen = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (path, bytes) in &files {
        let (_, events) = read_ics(bytes);
        let expected: Vec<&serde_json::Value> = if path == "calendar.ics" {
            model.iter().filter(|e| in_feed(e)).collect()
        } else if let Some(rest) = path.strip_suffix("/calendar.ics") {
            let chapter = rest.strip_prefix("chapters/").unwrap();
            model
                .iter()
                .filter(|e| e["chapter"]["id"] == chapter && in_feed(e))
                .collect()
        } else {
            let url_end = path.strip_suffix("event.ics").unwrap();
            model
                .iter()
                .filter(|e| e["url"].as_str().unwrap().ends_with(url_end))
                .collect()
        };
        assert!(!expected.is_empty(), "{path}: no events expected");
        assert_eq!(events.len(), expected.len(), "{path}: event count");
        let uids: Vec<&str> = events.iter().map(|e| e.get("UID")).collect();
        let want: Vec<&str> = expected
            .iter()
            .map(|e| e["uid"].as_str().unwrap())
            .collect();
        assert_eq!(uids, want, "{path}: UIDs in start order");
        for ev in &events {
            let m = by_uid[ev.get("UID")];
            let uid = ev.get("UID");
            assert_eq!(
                ev.start,
                rfc3339(m["start"].as_str().unwrap()),
                "{path} {uid} start"
            );
            assert_eq!(
                ev.end,
                rfc3339(m["end"].as_str().unwrap()),
                "{path} {uid} end"
            );
            assert_eq!(
                ev.tzid.as_deref(),
                m["timezone"].as_str(),
                "{path} {uid} TZID"
            );
            zones_seen.insert(ev.tzid.clone().unwrap());
            assert_eq!(ev.get("URL"), m["url"].as_str().unwrap());
            let title = m["title"].as_str().unwrap();
            let summary = ev.text("SUMMARY");
            assert!(
                summary.contains(title),
                "{path}: {summary:?} lacks {title:?}"
            );
            let status = match m["status"].as_str().unwrap() {
                "scheduled" => "CONFIRMED",
                _ => "CANCELLED",
            };
            assert_eq!(ev.get("STATUS"), status, "{path} {uid}");
            assert!(
                ev.text("DESCRIPTION")
                    .ends_with(&format!("Event page: {}", m["url"].as_str().unwrap()))
            );
            checked += 1;
        }
    }
    // 56 event files, 8 chapter feeds and the network feed.
    assert_eq!(files.len(), 56 + 8 + 1);
    assert!(checked > 150, "{checked}");
    for z in [
        "America/New_York",
        "Australia/Sydney",
        "Europe/London",
        "Asia/Kolkata",
        "Europe/Berlin",
    ] {
        assert!(zones_seen.contains(z), "no event in {z}: {zones_seen:?}");
    }
}

#[test]
fn every_ics_has_the_shape_rfc_5545_asks_for() {
    let t = SiteTest::example();
    t.build();
    for (path, bytes) in ics_files(&t.path("public")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{path}");
        assert!(
            !text.replace("\r\n", "").contains(['\r', '\n']),
            "{path}: a bare CR or LF"
        );
        for (i, line) in text.split("\r\n").enumerate() {
            assert!(line.len() <= 75, "{path}:{}: {} octets", i + 1, line.len());
        }
        let (cal, events) = read_ics(text.as_bytes());
        let head = |name: &str| cal.get_property(name).map(|p| p.value.clone());
        assert_eq!(head("VERSION").as_deref(), Some("2.0"), "{path}");
        assert!(
            head("PRODID").is_some_and(|p| p.contains("chapterhouse")),
            "{path}"
        );
        assert_eq!(head("CALSCALE").as_deref(), Some("GREGORIAN"), "{path}");
        assert_eq!(
            head("METHOD"),
            None,
            "{path}: a feed is not a scheduling message"
        );
        let is_feed = path.ends_with("calendar.ics");
        assert_eq!(head("X-WR-CALNAME").is_some(), is_feed, "{path}");
        assert_eq!(head("X-WR-CALDESC").is_some(), is_feed, "{path}");
        assert_eq!(
            head("X-PUBLISHED-TTL").as_deref(),
            is_feed.then_some("PT12H"),
            "{path}"
        );
        let refresh = cal.get_property("REFRESH-INTERVAL");
        assert_eq!(refresh.is_some(), is_feed, "{path}");
        if let Some(r) = refresh {
            assert_eq!(r.value, "PT12H");
            assert_eq!(r.params.get_param("VALUE"), Some("DURATION"));
        }
        let chapter_feed = is_feed && path != "calendar.ics";
        assert_eq!(head("X-WR-TIMEZONE").is_some(), chapter_feed, "{path}");
        // Exactly the zones used have a VTIMEZONE.
        let used: std::collections::BTreeSet<String> =
            events.iter().filter_map(|e| e.tzid.clone()).collect();
        let defined: std::collections::BTreeSet<String> = cal.vtimezones.keys().cloned().collect();
        assert_eq!(used, defined, "{path}");
        for e in &events {
            for name in [
                "UID",
                "DTSTAMP",
                "SEQUENCE",
                "SUMMARY",
                "DESCRIPTION",
                "LOCATION",
                "URL",
                "STATUS",
            ] {
                assert!(e.props.contains_key(name), "{path}: {name} missing");
            }
            assert!(
                e.get("DTSTAMP").ends_with('Z'),
                "{path}: DTSTAMP must be UTC"
            );
            let (params, org) = &e.props["ORGANIZER"];
            assert!(org.starts_with("mailto:"), "{path}: {org}");
            assert!(params.get_param("CN").is_some(), "{path}");
        }
        // Zone rules with a daylight-saving change, where there is one.
        if let Some(ny) = cal.vtimezones.get("America/New_York") {
            let daylight = |t: &&caldata::component::IcalTimeZoneTransition| {
                matches!(t.transition, IcalTimeZoneTransitionType::DAYLIGHT)
            };
            assert!(ny.transitions.iter().any(|t| daylight(&t)), "{path}");
            assert!(!ny.transitions.iter().all(|t| daylight(&t)), "{path}");
        }
        if let Some(k) = cal.vtimezones.get("Asia/Kolkata") {
            assert_eq!(k.transitions.len(), 1, "{path}: Kolkata has no DST");
        }
    }
}

#[test]
fn clients_see_the_right_instant_on_both_sides_of_a_dst_change() {
    // (chapter, zone, event stem, start, end, start UTC, end UTC); the
    // instants are worked out by hand from the zones' 2026 rules.
    let cases = [
        // Clocks jump 02:00 EST -> 03:00 EDT during the meeting.
        (
            "nyc",
            "America/New_York",
            "2026-03-08-spring",
            "2026-03-08T01:00",
            "2026-03-08T04:00",
            "2026-03-08T06:00:00Z",
            "2026-03-08T08:00:00Z",
        ),
        // 01:30 happens twice; the first (EDT) is meant.
        (
            "nyc",
            "America/New_York",
            "2026-11-01-fall",
            "2026-11-01T01:30",
            "2026-11-01T03:00",
            "2026-11-01T05:30:00Z",
            "2026-11-01T08:00:00Z",
        ),
        (
            "sydney",
            "Australia/Sydney",
            "2026-04-04-overnight",
            "2026-04-04T18:00",
            "2026-04-05T18:00",
            "2026-04-04T07:00:00Z",
            "2026-04-05T08:00:00Z",
        ),
        (
            "london",
            "Europe/London",
            "2026-03-28-late",
            "2026-03-28T23:00",
            "2026-03-29T03:00",
            "2026-03-28T23:00:00Z",
            "2026-03-29T02:00:00Z",
        ),
        (
            "kolkata",
            "Asia/Kolkata",
            "2026-06-01-evening",
            "2026-06-01T18:30",
            "2026-06-01T20:00",
            "2026-06-01T13:00:00Z",
            "2026-06-01T14:30:00Z",
        ),
    ];
    let mut t = SiteTest::minimal();
    for (chapter, zone, stem, start, end, _, _) in cases {
        t = t
            .file(
                &format!("content/chapters/{chapter}/chapter.yaml"),
                &format!(
                    "name: {chapter}\ncity: X\ncountry: US\ntimezone: {zone}\nleaders: [ann, bo]\n"
                ),
            )
            .file(
                &format!("content/chapters/{chapter}/events/{stem}.md"),
                &format!(
                    "---\ntitle: {stem}\nstart: {start}\nend: {end}\nattendance_mode: online\n---\n"
                ),
            );
    }
    t.build();
    let network = t.read("public/calendar.ics");
    for (chapter, zone, stem, _, _, start, end) in cases {
        let uid = format!("{chapter}/{stem}@groups.example.org");
        for file in [
            network.clone(),
            t.read(&format!("public/chapters/{chapter}/calendar.ics")),
            t.read(&format!(
                "public/chapters/{chapter}/events/{stem}/event.ics"
            )),
        ] {
            let e = vevent(&file, &uid);
            // A repeated wall-clock time is written in UTC (not every
            // client reads it as the first occurrence, as RFC 5545 says).
            let want = (stem != "2026-11-01-fall").then_some(zone);
            assert_eq!(e.tzid.as_deref(), want, "{uid}");
            assert_eq!(e.start, rfc3339(start), "{uid} start");
            assert_eq!(e.end, rfc3339(end), "{uid} end");
        }
    }
}

/// The network feed carries each event's first paragraph, cut short; the
/// chapter's feed and the event's own file carry the whole text. Every
/// other property is the same in all three.
#[test]
fn the_network_feed_has_a_short_description_and_the_chapter_feed_the_whole_text() {
    let t = SiteTest::example();
    t.build();
    let public = t.path("public");
    let files: BTreeMap<String, Vec<u8>> = ics_files(&public).into_iter().collect();
    let (_, network) = read_ics(&files["calendar.ics"]);
    let (mut shortened, mut shorter) = (0, 0);
    for n in &network {
        let uid = n.get("UID");
        let url = n.get("URL");
        let rel = url.split_once("/chapters/").unwrap().1;
        let chapter = rel.split('/').next().unwrap();
        let in_chapter = vevent(
            std::str::from_utf8(&files[&format!("chapters/{chapter}/calendar.ics")]).unwrap(),
            uid,
        );
        let own = vevent(
            std::str::from_utf8(&files[&format!("chapters/{rel}event.ics")]).unwrap(),
            uid,
        );
        let full = own.text("DESCRIPTION");
        assert_eq!(in_chapter.text("DESCRIPTION"), full, "{uid}");
        let short = n.text("DESCRIPTION");
        assert!(
            short.ends_with(&format!("Event page: {url}")),
            "{uid}: {short}"
        );
        assert!(short.len() <= full.len(), "{uid}");
        // The body's part: the paragraph after any status note and
        // before the links.
        let body = short
            .split("\n\n")
            .find(|p| {
                !["Cancelled: ", "Postponed: ", "RSVP on ", "Event page: "]
                    .iter()
                    .any(|s| p.starts_with(s))
            })
            .unwrap_or("");
        let first = body.trim_end_matches('…');
        assert!(
            full.contains(first),
            "{uid}: {first:?} not in the full text"
        );
        assert!(
            body.chars().count() <= 301,
            "{uid}: {} characters",
            body.chars().count()
        );
        if body.ends_with('…') {
            shortened += 1;
        }
        if short.len() < full.len() {
            shorter += 1;
        }
        for prop in [
            "DTSTART", "DTEND", "LOCATION", "STATUS", "SEQUENCE", "DTSTAMP",
        ] {
            assert_eq!(n.opt(prop), own.opt(prop), "{uid} {prop}");
        }
    }
    assert!(shortened > 0, "no first paragraph was cut");
    assert!(
        shorter * 2 > network.len(),
        "{shorter} of {} shorter",
        network.len()
    );
    let size = |p: &str| files[p].len();
    let chapters: usize = files
        .keys()
        .filter(|p| p.ends_with("/calendar.ics"))
        .map(|p| size(p))
        .sum();
    assert!(
        size("calendar.ics") * 4 < chapters * 3,
        "{} vs {chapters}",
        size("calendar.ics")
    );
}

/// The shared VEVENT of one event in a chapter feed, by UID.
fn vevent(feed: &str, uid: &str) -> ReadEvent {
    let (_, events) = read_ics(feed.as_bytes());
    events
        .into_iter()
        .find(|e| e.get("UID") == uid)
        .unwrap_or_else(|| panic!("{uid} not in the feed"))
}

#[test]
fn subscribers_see_a_rescheduled_or_cancelled_event_replace_the_old_one() {
    let t = SiteTest::minimal();
    t.build();
    let uid = "rome/2026-12-03-automation-night@groups.example.org";
    let feed = "public/chapters/rome/calendar.ics";
    let before = vevent(&t.read(feed), uid);
    assert_eq!(before.get("SEQUENCE"), "0");
    assert_eq!(before.get("STATUS"), "CONFIRMED");

    // Moved an hour later, with `updated` set as the guide says.
    let path = "content/chapters/rome/events/2026-12-03-automation-night.md";
    let moved = t.read(path).replace(
        "start: 2026-12-03T18:00\nend: 2026-12-03T20:30",
        "start: 2026-12-03T19:00\nend: 2026-12-03T21:30\nupdated: 2026-11-20T10:00",
    );
    let t = t.file(path, &moved);
    t.build();
    let after = vevent(&t.read(feed), uid);
    assert_eq!(after.start - before.start, Duration::hours(1));
    let seq = |e: &ReadEvent| e.get("SEQUENCE").parse::<i64>().unwrap();
    assert!(seq(&after) > seq(&before));
    // 10:00 in Rome (CET) is 09:00 UTC.
    assert_eq!(after.get("DTSTAMP"), "20261120T090000Z");
    assert_eq!(after.get("LAST-MODIFIED"), "20261120T090000Z");
    // The single-event file and the network feed say the same.
    let single = vevent(
        &t.read("public/chapters/rome/events/2026-12-03-automation-night/event.ics"),
        uid,
    );
    assert_eq!(single.start, after.start);
    assert_eq!(
        vevent(&t.read("public/calendar.ics"), uid).get("SEQUENCE"),
        after.get("SEQUENCE")
    );

    // Cancelled a day later: still in the feed, marked, with a newer revision.
    let cancelled = t.read(path).replace(
        "updated: 2026-11-20T10:00",
        "updated: 2026-11-21T08:00\nstatus: cancelled",
    );
    let t = t.file(path, &cancelled);
    t.build();
    let off = vevent(&t.read(feed), uid);
    assert_eq!(off.get("STATUS"), "CANCELLED");
    assert_eq!(off.text("SUMMARY"), "Cancelled: Automation night");
    assert!(
        off.text("DESCRIPTION")
            .starts_with("Cancelled: this meeting will not take place.")
    );
    assert!(seq(&off) > seq(&after));
    assert_eq!(off.start, after.start);
}

#[test]
fn pages_link_to_the_feeds_and_to_calendars_with_the_right_instant() {
    let t = SiteTest::minimal();
    t.build();
    let unescape = |s: String| s.replace("&amp;", "&");
    let chapter = unescape(t.read("public/chapters/rome/index.html"));
    let feed = "groups.example.org/chapters/rome/calendar.ics";
    assert!(
        chapter.contains(&format!("href=\"webcal://{feed}\"")),
        "webcal link"
    );
    assert!(
        chapter.contains(&format!("https://{feed}")),
        "feed URL to copy"
    );
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    assert!(
        chapter.contains(&format!(
            "https://calendar.google.com/calendar/render?cid={}",
            enc(&format!("webcal://{feed}"))
        )),
        "Google subscribe link"
    );
    assert!(
        chapter.contains(&format!(
            "https://outlook.live.com/calendar/0/addfromweb?url={}",
            enc(&format!("https://{feed}"))
        )),
        "Outlook subscribe link"
    );
    let home = unescape(t.read("public/index.html"));
    assert!(home.contains("href=\"webcal://groups.example.org/calendar.ics\""));

    let page =
        unescape(t.read("public/chapters/rome/events/2026-12-03-automation-night/index.html"));
    assert!(page.contains("href=\"/chapters/rome/events/2026-12-03-automation-night/event.ics\""));
    // 18:00–20:30 in Rome (CET, +01:00) is 17:00–19:30 UTC.
    assert!(
        page.contains("dates=20261203T170000Z/20261203T193000Z&ctz=Europe%2FRome"),
        "Google event link"
    );
    assert!(
        page.contains(&format!(
            "startdt={}&enddt={}",
            enc("2026-12-03T18:00:00+01:00"),
            enc("2026-12-03T20:30:00+01:00")
        )),
        "Outlook event link"
    );
}

/// A one-event calendar whose DESCRIPTION is `text`, written the way the
/// feeds write it.
fn calendar_with_description(text: &str) -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:x@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z\r\n",
    );
    let line = format!(
        "DESCRIPTION:{}",
        chapterhouse::render::ical::escape_text(text)
    );
    chapterhouse::render::ical::fold_line(&line, &mut out);
    out.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    out
}

/// What escaping keeps of a text: line breaks as `\n`, no control
/// characters other than tab.
fn normalized(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t') || !c.is_ascii())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_survives_escaping_and_folding(text in prop_oneof![
        proptest::collection::vec(any::<char>(), 0..300).prop_map(String::from_iter),
        // Dense in what escaping and folding care about.
        "[ ,;:\\\\\n\r\ta-zäé東京🎉\u{7f}\u{0}]{0,300}",
    ]) {
        let ics = calendar_with_description(&text);
        for line in ics.split("\r\n") {
            prop_assert!(line.len() <= 75);
        }
        // caldata reads it exactly.
        let (_, events) = read_ics(ics.as_bytes());
        prop_assert_eq!(events[0].text("DESCRIPTION"), normalized(&text));
        // The import reader too, but for whitespace at the very end of the
        // written value, which the `ical` crate trims.
        let cals = chapterhouse::import::reader::read(ics.as_bytes()).unwrap();
        let d = cals[0].events[0].properties.text("DESCRIPTION").unwrap_or_default();
        let escaped = chapterhouse::render::ical::escape_text(&text);
        prop_assert_eq!(d, chapterhouse::import::reader::unescape_text(escaped.trim_end()));
    }

    #[test]
    fn folding_never_splits_a_character_and_unfolds_back(line in "[^\r\n]{0,400}") {
        let mut out = String::new();
        chapterhouse::render::ical::fold_line(&line, &mut out);
        prop_assert!(out.ends_with("\r\n"));
        for (i, l) in out.trim_end_matches("\r\n").split("\r\n").enumerate() {
            prop_assert!(l.len() <= 75);
            prop_assert!(i == 0 || l.starts_with(' '));
        }
        prop_assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}

/// Python's `icalendar` (as used by many tools) reads every feed and finds
/// the same instants. Skipped with a message when it is not installed.
#[test]
fn python_icalendar_reads_every_feed() {
    let probe = std::process::Command::new("python3")
        .args([
            "-c",
            "import icalendar, sys; sys.stdout.write(icalendar.__version__)",
        ])
        .output();
    let Some(probe) = probe.ok().filter(|o| o.status.success()) else {
        eprintln!(
            "skipped: python3 with the `icalendar` package is not available (pip install icalendar)"
        );
        return;
    };
    let version = String::from_utf8_lossy(&probe.stdout).into_owned();
    let t = SiteTest::example();
    t.build();
    let script = r#"
import icalendar, json, sys, pathlib
out = {}
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.ics")):
    cal = icalendar.Calendar.from_ical(p.read_bytes())
    evs = []
    for e in cal.walk("VEVENT"):
        evs.append([str(e["UID"]), e.decoded("DTSTART").timestamp(), e.decoded("DTEND").timestamp(), str(e["DESCRIPTION"])])
    out[str(p.relative_to(sys.argv[1]))] = evs
print(json.dumps(out))
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script, t.path("public").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "python icalendar {version} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let got: BTreeMap<String, Vec<(String, f64, f64, String)>> =
        serde_json::from_slice(&run.stdout).unwrap();
    let files = ics_files(&t.path("public"));
    assert_eq!(got.len(), files.len());
    for (path, bytes) in &files {
        let (_, ours) = read_ics(bytes);
        let theirs = &got[path];
        assert_eq!(theirs.len(), ours.len(), "{path}");
        for (a, b) in ours.iter().zip(theirs) {
            assert_eq!(a.get("UID"), b.0, "{path}");
            assert_eq!(a.start.timestamp() as f64, b.1, "{path} {}", b.0);
            assert_eq!(a.end.timestamp() as f64, b.2, "{path} {}", b.0);
            assert_eq!(a.text("DESCRIPTION"), b.3, "{path} {}", b.0);
        }
    }
}

/// A link to a page of the site in an event's text reaches calendars as an
/// address: a calendar has no page to resolve `/guides/venues/` against.
#[test]
fn links_to_the_sites_pages_reach_calendars_as_addresses() {
    let path = "content/chapters/rome/events/2026-12-03-automation-night.md";
    let t = SiteTest::minimal();
    let body = t.read(path).replace(
        "## Agenda",
        "Read [the venue guide](/guides/venues/), the [notes](//docs.example.org/n) and [a section](#agenda); write to [us](mailto:rome@example.org).\n\n## Agenda",
    );
    let t = t.file(path, &body);
    t.build();
    let uid = "rome/2026-12-03-automation-night@groups.example.org";
    for feed in [
        "public/chapters/rome/calendar.ics",
        "public/chapters/rome/events/2026-12-03-automation-night/event.ics",
    ] {
        let d = vevent(&t.read(feed), uid).text("DESCRIPTION");
        assert!(
            d.contains("Read the venue guide (https://groups.example.org/guides/venues/), the notes (https://docs.example.org/n) and a section; write to us (mailto:rome@example.org)."),
            "{feed}: {d}"
        );
    }
    // The page keeps the link as written.
    let page = t.read("public/chapters/rome/events/2026-12-03-automation-night/index.html");
    assert!(page.contains(r#"<a href="/guides/venues/">the venue guide</a>"#));
}
