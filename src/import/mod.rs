//! `import`: an exported iCalendar file -> one event Markdown file per
//! `VEVENT` in a chapter.
//!
//! [`plan`] reads the whole file and works out every file to write, and
//! either returns them all or an error listing every problem, so that a
//! malformed feed writes nothing. [`write`] then creates the files, never
//! replacing one. Neither prints; `cli::import` does.
//!
//! Mapping: `SUMMARY` -> `title`; `DTSTART`/`DTEND` (or `DURATION`) ->
//! `start`/`end` in the chapter's zone (UTC, `TZID` with or without an
//! IANA name, floating and all-day values); `LOCATION` -> `venue` or
//! `attendance_mode: online`; `URL` -> `registration` when it is on the
//! registration host, else `promotion`; `DESCRIPTION` -> the body; `STATUS`
//! -> `status`; `LAST-MODIFIED` -> `updated`; `CATEGORIES` -> `format`.
//! What chapterhouse's own feeds add (the `Cancelled:` prefix, the RSVP and
//! event page lines) is taken back out, so a chapter's `calendar.ics`
//! imports into the files it was built from.

pub mod reader;
pub mod zone;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::model::{AttendanceMode, Chapter, Format, Site, Status};
use reader::{Calendar, VEvent};
use zone::When;

/// One event file to write.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Relative to the site root, with `/`.
    pub path: String,
    pub text: String,
    pub title: String,
    pub start: DateTime<Tz>,
    /// Things worth a look in this file.
    pub notes: Vec<String>,
}

/// An event that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub event: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub files: Vec<Planned>,
    pub skipped: Vec<Skipped>,
}

/// Every problem that makes the file unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub problems: Vec<String>,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(p)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// The front matter written, in the order a leader reads it.
#[derive(Debug, Serialize)]
struct Front<'a> {
    title: &'a str,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    format: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attendance_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<VenueFront>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    promotion: Vec<String>,
}

#[derive(Debug, Serialize)]
struct VenueFront {
    name: String,
    address: String,
}

/// A local date-time as the content model writes it.
fn local_text(t: &NaiveDateTime) -> String {
    if t.second() == 0 {
        t.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// Is `url` an `https` address on `host` or a subdomain of it?
pub fn on_host(url: &str, host: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str().is_some_and(|h| {
                let h = h.to_ascii_lowercase();
                h == host || h.ends_with(&format!(".{host}"))
            })
    })
}

/// The URLs in a text, in order.
fn urls_in(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
        .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| w.trim_end_matches(['.', ',', ';', ':', '!', '?']))
}

/// A slug from a title: lowercase ASCII words joined by `-`, at most 60
/// characters, cut at a word.
pub fn slug_of(title: &str) -> String {
    let s = slug::slugify(title);
    let mut out = String::new();
    for w in s.split('-').filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + 1 + w.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(w);
    }
    if out.is_empty() || !crate::source::is_valid_id(&out) {
        "event".into()
    } else {
        out.chars().take(60).collect()
    }
}

/// A UID chapterhouse wrote (`<chapter>/<YYYY-MM-DD>-<slug>@<host>`) gives
/// back the file stem.
fn stem_from_uid(uid: &str) -> Option<&str> {
    let (path, _) = uid.rsplit_once('@')?;
    let (_, stem) = path.rsplit_once('/')?;
    crate::parse::event::split_stem(stem).map(|_| stem)
}

/// What one VEVENT becomes, before file names are settled.
struct Mapped {
    uid: Option<String>,
    title: String,
    start: NaiveDateTime,
    start_at: DateTime<Tz>,
    front: String,
    notes: Vec<String>,
}

fn label(e: &VEvent) -> String {
    match (e.properties.text("SUMMARY"), e.properties.get("UID")) {
        (Some(s), _) if !s.trim().is_empty() => format!("event `{}` (line {})", s.trim(), e.line),
        (_, Some(u)) => format!("event `{}` (line {})", u.value, e.line),
        _ => format!("event on line {}", e.line),
    }
}

/// Work out every file `ics` becomes in `chapter`. Nothing is written.
pub fn plan(site: &Site, chapter: &Chapter, ics: &[u8]) -> Result<ImportPlan, ImportError> {
    let cals = reader::read(ics).map_err(|e| ImportError {
        problems: vec![e.to_string()],
    })?;
    let mut problems = Vec::new();
    let mut out = ImportPlan::default();
    let mut mapped = Vec::new();
    for cal in &cals {
        for e in &cal.events {
            if e.properties.get("RRULE").is_some() || e.properties.get("RDATE").is_some() {
                out.skipped.push(Skipped {
                    event: label(e),
                    reason: "it repeats (RRULE/RDATE); add its meetings one by one".into(),
                });
                continue;
            }
            match map_event(site, chapter, cal, e) {
                Ok(m) => mapped.push(m),
                Err(p) => problems.extend(p.into_iter().map(|p| format!("{}: {p}", label(e)))),
            }
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    if mapped.is_empty() && out.skipped.is_empty() {
        return Err(ImportError {
            problems: vec!["the file has no events (VEVENT)".into()],
        });
    }

    // Settle file names: a chapterhouse UID's stem, else date + slug of
    // the title, with `-2`, `-3` … for repeats within the file.
    // What the chapter has: an event at the same instant is taken to be
    // the same meeting under another file name.
    let existing: Vec<(&str, DateTime<Utc>)> = chapter
        .events
        .iter()
        .map(|&i| &site.events[i])
        .map(|ev| (ev.id.as_str(), ev.start.with_timezone(&Utc)))
        .collect();
    let events_dir = format!("content/chapters/{}/events", chapter.id);
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for m in mapped {
        let date = m.start.date();
        let stem = match m.uid.as_deref().and_then(stem_from_uid) {
            Some(s) if s.starts_with(&date.format("%Y-%m-%d").to_string()) => s.to_string(),
            _ => format!("{}-{}", date.format("%Y-%m-%d"), slug_of(&m.title)),
        };
        let mut unique = stem.clone();
        let mut n = 2;
        while taken.contains(&unique) {
            unique = format!("{stem}-{n}");
            n += 1;
        }
        let event = format!("`{}` on {}", m.title, local_text(&m.start));
        let path = format!("{events_dir}/{unique}.md");
        let at = m.start_at.with_timezone(&Utc);
        let same = existing
            .iter()
            .find(|(id, _)| *id == unique)
            .or_else(|| existing.iter().find(|(_, t)| *t == at));
        if let Some((id, _)) = same {
            out.skipped.push(Skipped {
                event,
                reason: if *id == unique {
                    format!("{path} exists")
                } else {
                    format!("already in the chapter at that time as {events_dir}/{id}.md")
                },
            });
            continue;
        }
        if site.sources.root.join(&path).exists() {
            out.skipped.push(Skipped {
                event,
                reason: format!("{path} exists"),
            });
            continue;
        }
        taken.insert(unique);
        out.files.push(Planned {
            path,
            text: m.front,
            title: m.title,
            start: m.start_at,
            notes: m.notes,
        });
    }
    Ok(out)
}

/// A description without what chapterhouse's own feeds add to it: the
/// note that opens a cancelled or postponed event's, the RSVP line and the
/// event page line.
fn strip_generated(description: &str, registration: Option<&str>, site: &str) -> String {
    let text = description.replace("\r\n", "\n").replace('\r', "\n");
    let generated = |i: usize, p: &str| {
        let p = p.trim();
        let note = p.starts_with("Cancelled: this meeting will not take place.")
            || p.starts_with("Postponed: this meeting will not take place at this time.");
        let rsvp = p.starts_with("RSVP on ")
            && registration.is_some_and(|r| p.ends_with(&format!(": {r}")));
        let page = p
            .strip_prefix("Event page: ")
            .is_some_and(|u| u.starts_with(site) && !u.contains(char::is_whitespace));
        (i == 0 && note) || rsvp || page
    };
    let keep: Vec<&str> = text
        .split("\n\n")
        .enumerate()
        .filter(|(i, p)| !generated(*i, p))
        .map(|(_, p)| p)
        .collect();
    keep.join("\n\n").trim().to_string()
}

fn map_event(
    site: &Site,
    chapter: &Chapter,
    cal: &Calendar,
    e: &VEvent,
) -> Result<Mapped, Vec<String>> {
    let p = &e.properties;
    let tz = chapter.timezone;
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let reg_host = site.config.registration_host.as_str();

    // Times, in the chapter's zone.
    let place = |w: When| -> Result<(NaiveDateTime, bool, Option<DateTime<Utc>>), String> {
        Ok(match w {
            When::Instant(t) => (t.with_timezone(&tz).naive_local(), false, Some(t)),
            When::Floating(t) => (t, false, None),
            When::Date(d) => (d.and_time(chrono::NaiveTime::MIN), true, None),
        })
    };
    let start = match p.get("DTSTART") {
        None => Err("has no DTSTART".to_string()),
        Some(s) => zone::when(s, cal).and_then(place),
    };
    let end = match (p.get("DTEND"), p.get("DURATION"), &start) {
        (Some(d), _, _) => zone::when(d, cal).and_then(place).map(|(t, _, _)| Some(t)),
        (None, Some(d), Ok((s, _, _))) => zone::parse_duration(&d.value)
            .map(|d| Some(*s + d))
            .ok_or_else(|| format!("DURATION `{}` is not a duration like `PT2H`", d.value)),
        _ => Ok(None),
    };
    let (start, all_day, instant, end) = match (start, end) {
        (Ok((s, all_day, instant)), Ok(end)) => {
            let end = match end {
                Some(t) => t,
                None if all_day => s + Duration::days(1),
                None => {
                    notes.push(
                        "it has no DTEND or DURATION; `end` is set one hour after `start`".into(),
                    );
                    s + Duration::hours(1)
                }
            };
            (s, all_day, instant, end)
        }
        (s, e) => {
            problems.extend(s.err());
            problems.extend(e.err());
            return Err(problems);
        }
    };
    if end <= start {
        problems.push(format!(
            "ends ({}) before it starts ({})",
            local_text(&end),
            local_text(&start)
        ));
    }
    if all_day {
        notes.push("it is an all-day event; it runs from 00:00 to 00:00 the next day".into());
    }
    let start_at = match crate::model::time::localize(tz, start) {
        Ok(t) => t,
        Err(gap) => {
            problems.push(gap.message);
            return Err(problems);
        }
    };
    if instant.is_some_and(|i| i != start_at.with_timezone(&Utc)) {
        notes.push(format!(
            "{} occurs twice in {} (clocks go back) and the file means the first, an hour before the calendar's time; check `start`",
            local_text(&start),
            tz.name()
        ));
    }

    // Title and status.
    let summary = p
        .text("SUMMARY")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let raw_status = p.get("STATUS").map(|s| s.value.trim().to_ascii_uppercase());
    let (status, title) = match raw_status.as_deref() {
        Some("CANCELLED") => match summary.strip_prefix("Postponed: ") {
            Some(t) => (Status::Postponed, t.to_string()),
            None => (
                Status::Cancelled,
                summary
                    .strip_prefix("Cancelled: ")
                    .unwrap_or(&summary)
                    .to_string(),
            ),
        },
        _ => (Status::Scheduled, summary),
    };
    if title.is_empty() {
        problems.push("has no SUMMARY (the title)".into());
    }

    // Where.
    let location = p
        .text("LOCATION")
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    let (mode, venue) = if location.is_empty() {
        notes.push(
            "it has no LOCATION; add `venue:` (name and address) or `attendance_mode: online`"
                .into(),
        );
        (AttendanceMode::InPerson, None)
    } else if location.eq_ignore_ascii_case("online")
        || location.starts_with("https://")
        || location.starts_with("http://")
    {
        (AttendanceMode::Online, None)
    } else {
        let (place, mode) = match location.strip_suffix(" (and online)") {
            Some(p) => (p, AttendanceMode::Hybrid),
            None => (location.as_str(), AttendanceMode::InPerson),
        };
        let (name, address) = match place.split_once(", ") {
            Some((n, a)) => (n.trim(), a.trim()),
            None => (place, place),
        };
        (
            mode,
            Some(VenueFront {
                name: name.to_string(),
                address: address.to_string(),
            }),
        )
    };

    // Links: the official registration system, else promotion. The
    // site's own pages are left out (the event gets its page anyway).
    let description = p.text("DESCRIPTION").unwrap_or_default();
    let mut registration = None;
    let mut promotion = Vec::new();
    if let Some(u) = p.get("URL").map(|u| u.value.trim().to_string()) {
        if on_host(&u, reg_host) {
            registration = Some(u);
        } else if !u.starts_with(site.config.base_url.as_str()) {
            if u.starts_with("https://") || u.starts_with("http://") {
                promotion.push(u);
            } else {
                notes.push(format!("URL `{u}` is not a web address; left out"));
            }
        }
    }
    if registration.is_none() {
        // An RSVP line (as chapterhouse writes), else the last link to the
        // registration system (earlier ones tend to be groups or venues).
        let rsvp = description
            .split('\n')
            .filter(|l| l.trim_start().to_ascii_lowercase().starts_with("rsvp"))
            .flat_map(urls_in)
            .find(|u| on_host(u, reg_host));
        registration = rsvp
            .or_else(|| {
                urls_in(&description)
                    .filter(|u| on_host(u, reg_host))
                    .last()
            })
            .map(str::to_string);
    }
    let body = plain_to_markdown(&strip_generated(
        &description,
        registration.as_deref(),
        site.config.base_url.as_str(),
    ));

    let mut formats: Vec<&'static str> = Vec::new();
    for c in p.all("CATEGORIES").flat_map(|c| split_list(&c.value)) {
        let f = Format::ALL
            .iter()
            .filter_map(|f| Format::parse(f))
            .find(|f| f.as_str().eq_ignore_ascii_case(&c) || f.label().eq_ignore_ascii_case(&c));
        if let Some(f) = f.map(Format::as_str).filter(|f| !formats.contains(f)) {
            formats.push(f);
        }
    }

    let updated = match p.get("LAST-MODIFIED") {
        None => None,
        Some(lm) => match zone::when(lm, cal) {
            Ok(When::Instant(t)) => Some(local_text(&t.with_timezone(&tz).naive_local())),
            Ok(When::Floating(t)) => Some(local_text(&t)),
            _ => {
                notes.push(format!(
                    "LAST-MODIFIED `{}` is not a date-time; left out",
                    lm.value
                ));
                None
            }
        },
    };

    if !problems.is_empty() {
        return Err(problems);
    }
    let front = Front {
        title: &title,
        start: local_text(&start),
        end: local_text(&end),
        status: (status != Status::Scheduled).then_some(status.as_str()),
        updated,
        format: formats,
        attendance_mode: (mode != AttendanceMode::InPerson).then_some(mode.as_str()),
        venue,
        registration,
        promotion,
    };
    let yaml = crate::source::yaml::to_string(&front).map_err(|e| vec![e])?;
    let mut text = String::with_capacity(yaml.len() + body.len() + 16);
    text.push_str("---\n");
    text.push_str(&yaml);
    if !yaml.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("---\n");
    if !body.is_empty() {
        text.push_str(&body);
        text.push('\n');
    }
    Ok(Mapped {
        uid: p.get("UID").map(|u| u.value.trim().to_string()),
        title,
        start,
        start_at,
        front: text,
        notes,
    })
}

/// Does a line of plain text start a list item (`- `, `* `, `+ `, `1. `)?
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
}

/// Plain text as a Markdown body that reads the same: a line break inside
/// a paragraph becomes a hard break (a `\` at the end of the line), except
/// before a list item, which starts its own line anyway.
pub fn plain_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        let Some(next) = lines.get(i + 1) else { break };
        if !line.trim().is_empty() && !next.trim().is_empty() && !is_list_item(next) {
            // A backslash already at the end is text: escape it first.
            if line.ends_with('\\') {
                out.push('\\');
            }
            out.push('\\');
        }
        out.push('\n');
    }
    out
}

/// A comma-separated TEXT list, each item unescaped.
fn split_list(v: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' => items.push(reader::unescape_text(std::mem::take(&mut cur).trim())),
            c => cur.push(c),
        }
    }
    items.push(reader::unescape_text(cur.trim()));
    items.retain(|s| !s.is_empty());
    items
}

/// Create the planned files under `root`. A file that appeared since the
/// plan is left alone and reported; on an I/O error the files created so
/// far are removed again.
pub fn write(root: &Path, plan: &ImportPlan) -> Result<(Vec<PathBuf>, Vec<Skipped>), String> {
    use std::io::Write as _;
    let mut written = Vec::new();
    let mut skipped = Vec::new();
    for f in &plan.files {
        let path = root.join(&f.path);
        let result = (|| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            file.write_all(f.text.as_bytes())?;
            file.sync_all()
        })();
        match result {
            Ok(()) => written.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => skipped.push(Skipped {
                event: format!("`{}`", f.title),
                reason: format!("{} exists", f.path),
            }),
            Err(e) => {
                for w in &written {
                    let _ = std::fs::remove_file(w);
                }
                return Err(format!(
                    "cannot write {}: {e}; nothing was imported",
                    f.path
                ));
            }
        }
    }
    Ok((written, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids_cut_at_a_word() {
        assert_eq!(
            slug_of("Jira night: tips & tricks!"),
            "jira-night-tips-tricks"
        );
        assert_eq!(slug_of("東京"), "dong-jing");
        assert_eq!(slug_of("!!!"), "event");
        let long = slug_of(&"word ".repeat(30));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn own_uids_give_back_their_stem() {
        assert_eq!(
            stem_from_uid("berlin/2026-04-28-hack-night@groups.example.org"),
            Some("2026-04-28-hack-night")
        );
        assert_eq!(stem_from_uid("abc123@google.com"), None);
        assert_eq!(stem_from_uid("x/Not A Stem@h"), None);
    }

    #[test]
    fn hosts_match_subdomains_over_https_only() {
        assert!(on_host(
            "https://events.example.org/e/1",
            "events.example.org"
        ));
        assert!(on_host(
            "https://eu.events.example.org/e/1",
            "events.example.org"
        ));
        assert!(!on_host(
            "http://events.example.org/e/1",
            "events.example.org"
        ));
        assert!(!on_host(
            "https://badevents.example.org/",
            "events.example.org"
        ));
    }

    #[test]
    fn generated_paragraphs_are_taken_back_out() {
        let d = "Cancelled: this meeting will not take place.\n\nWe meet.\n\nRSVP on Ex: https://events.example.org/e/1/\n\nEvent page: https://groups.example.org/chapters/a/events/x/";
        assert_eq!(
            strip_generated(
                d,
                Some("https://events.example.org/e/1/"),
                "https://groups.example.org/"
            ),
            "We meet."
        );
        // Someone else's text stays.
        let d =
            "Event page: https://elsewhere.example/x\n\nRSVP on Meetup: https://meetup.example/1";
        assert_eq!(strip_generated(d, None, "https://groups.example.org/"), d);
    }

    #[test]
    fn line_breaks_in_plain_text_stay_line_breaks() {
        let plain = "Where\nHall 3\n\nAgenda\n\n- 18:00 Doors\n- 18:30 Talk\n\ncurl x \\\nBye";
        let md = plain_to_markdown(plain);
        assert_eq!(
            md,
            "Where\\\nHall 3\n\nAgenda\n\n- 18:00 Doors\n- 18:30 Talk\n\ncurl x \\\\\\\nBye"
        );
        assert_eq!(crate::markdown::to_plain_text(&md), plain);
    }

    #[test]
    fn category_lists_split_on_unescaped_commas() {
        assert_eq!(
            split_list("Talk,Lightning talks, Social"),
            ["Talk", "Lightning talks", "Social"]
        );
        assert_eq!(split_list("a\\,b,c"), ["a,b", "c"]);
    }
}
