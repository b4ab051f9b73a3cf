//! iCalendar feeds: `calendar.ics` (every chapter), `chapters/<chapter>/calendar.ics`
//! and one `chapters/<chapter>/events/<id>/event.ics` per event.
//!
//! The writer is hand-written on purpose. RFC 5545 needs only a few kinds
//! of content line here, and the one maintained writer crate (`icalendar`)
//! cannot emit `VTIMEZONE` (we compute those in [`super::vtimezone`]),
//! stamps `DTSTAMP` with the wall clock unless told otherwise, and builds a
//! tree of owned strings per property, which is slow for the 10,000
//! `event.ics` files plus feeds of a large network. The two rules that are
//! easy to get wrong are small public functions, [`escape_text`] and
//! [`fold_line`], unit- and property-tested and read back in the tests by
//! an independent parser (`caldata`).
//!
//! What goes in (see `docs/calendars.md` for the reasons):
//! - no `METHOD`: a subscribed feed is not a scheduling message;
//! - `UID` from [`super::feeds::uid`], stable across builds and edits;
//! - `DTSTAMP`, `LAST-MODIFIED` and `SEQUENCE` from the event's `updated`
//!   only, never the clock: `DTSTAMP` and `LAST-MODIFIED` are `updated` in
//!   UTC and `SEQUENCE` is `updated` in whole minutes since 1970, so a
//!   newer `updated` always raises it. Without `updated`, `SEQUENCE` is 0,
//!   `DTSTAMP` is the event's start and `LAST-MODIFIED` is left out;
//! - `DTSTART`/`DTEND` with `TZID` and a `VTIMEZONE` per zone, or in UTC
//!   (`…Z`) for events in UTC and for a time that occurs twice;
//! - cancelled events stay, with `STATUS:CANCELLED`; postponed ones too
//!   (they will not happen at that time), with `Postponed:` in the title;
//! - feeds keep every upcoming event and the past
//!   `calendar.past_months` months (12 by default).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, LocalResult, Months, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;

use crate::model::{AttendanceMode, Chapter, Event, Site, Status};
use crate::render::escape::{Specials, escape_into, specials};
use crate::render::feeds::uid;
use crate::render::urls::Urls;
use crate::render::vtimezone::{self, Zones};
use crate::render::{OutputPlan, Spill};

/// Longest content line, in octets, before the line break (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// How often clients should reload a feed (RFC 7986 `REFRESH-INTERVAL`
/// and the older `X-PUBLISHED-TTL`).
pub const REFRESH: &str = "PT12H";

/// Escape a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` and line breaks.
/// CRLF and lone CR count as one line break; other control characters,
/// which TEXT cannot hold, are dropped (a tab stays).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_text_into(s, &mut out);
    out
}

/// The bytes [`escape_text_into`] replaces or drops.
const TEXT_SPECIALS: Specials = specials(b"\\;,\n\r\x7f", b"\t");

/// [`escape_text`], appending to `out`.
pub fn escape_text_into(s: &str, out: &mut String) {
    escape_into(s, out, &TEXT_SPECIALS, |b, i| match b[i] {
        b'\\' => "\\\\",
        b';' => "\\;",
        b',' => "\\,",
        b'\n' => "\\n",
        // CRLF: the LF that follows writes the break.
        b'\r' if b.get(i + 1) == Some(&b'\n') => "",
        b'\r' => "\\n",
        // Other control characters: TEXT may not hold them.
        _ => "",
    });
}

/// Append `line` to `out` as one content line: folded so that no physical
/// line exceeds [`MAX_LINE_OCTETS`] octets (a continuation line's leading
/// space counts), never inside a UTF-8 character, each ending in CRLF.
/// `line` must not contain line breaks; [`escape_text`] removes them.
pub fn fold_line(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// A parameter value (RFC 5545 §3.2): quoted when it holds `:` `;` `,`;
/// a `"`, which cannot be quoted, becomes `'`; control characters go.
fn param_value(s: &str, out: &mut String) {
    let quote = s.contains([':', ';', ',']);
    if quote {
        out.push('"');
    }
    for c in s.chars() {
        match c {
            '"' => out.push('\''),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if quote {
        out.push('"');
    }
}

/// Builds content lines into a buffer, reusing one scratch line.
struct Lines {
    out: String,
    line: String,
}

impl Lines {
    fn with_capacity(n: usize) -> Self {
        Lines {
            out: String::with_capacity(n),
            line: String::with_capacity(256),
        }
    }
    /// `NAME:value` with the value written as is (URIs, dates, numbers).
    fn raw(&mut self, name: &str, value: &str) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        self.line.push_str(value);
        fold_line(&self.line, &mut self.out);
    }
    /// `NAME:value` with a TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        escape_text_into(value, &mut self.line);
        fold_line(&self.line, &mut self.out);
    }
    /// A date-time in its zone: `NAME;TZID=<zone>:<local>`. In UTC
    /// (`NAME:<utc>Z`) for UTC zones, and for a wall-clock time that occurs
    /// twice (clocks set back): RFC 5545 §3.3.5 says such a time means the
    /// first, but not every client follows it (ical.js, in Thunderbird,
    /// takes the second), while a UTC time means one instant to all.
    /// Returns whether it wrote a `TZID`.
    fn time(&mut self, name: &str, t: &DateTime<Tz>) -> bool {
        self.line.clear();
        self.line.push_str(name);
        let tz = t.timezone();
        let repeated = matches!(
            tz.from_local_datetime(&t.naive_local()),
            LocalResult::Ambiguous(..)
        );
        let zoned = !(vtimezone::is_utc(tz) || repeated);
        if zoned {
            self.line.push_str(";TZID=");
            param_value(tz.name(), &mut self.line);
            self.line.push(':');
            compact(t, &mut self.line);
        } else {
            self.line.push(':');
            compact(&t.with_timezone(&Utc), &mut self.line);
            self.line.push('Z');
        }
        fold_line(&self.line, &mut self.out);
        zoned
    }
    fn utc(&mut self, name: &str, t: &DateTime<Utc>) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        compact(t, &mut self.line);
        self.line.push('Z');
        fold_line(&self.line, &mut self.out);
    }
}

/// `YYYYMMDDTHHMMSS` of a date-time's wall clock.
fn compact<T: Datelike + Timelike>(t: &T, out: &mut String) {
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
}

/// An event's VEVENT, rendered once and shared by its `event.ics`, its
/// chapter's feed and the network feed, which differ only in `SUMMARY`.
struct EventIcs {
    /// `BEGIN:VEVENT` up to the `SUMMARY`.
    head: String,
    /// `SUMMARY` line for the chapter feed and `event.ics`.
    summary: String,
    /// `SUMMARY` line for the network feed (with the chapter's name).
    network_summary: String,
    /// `DESCRIPTION` for the chapter feed and `event.ics`.
    description: String,
    /// `DESCRIPTION` for the network feed (the body's first paragraph).
    network_description: String,
    /// After the `DESCRIPTION` to `END:VEVENT`.
    tail: String,
    /// The zone its times are written in, if any (not for UTC times).
    zone: Option<Tz>,
    years: (i32, i32),
}

/// `Cancelled: ` / `Postponed: ` before a title, so that every client shows
/// it, including those that ignore `STATUS`.
fn status_prefix(s: Status) -> &'static str {
    match s {
        Status::Scheduled => "",
        Status::Cancelled => "Cancelled: ",
        Status::Postponed => "Postponed: ",
    }
}

/// `LOCATION`: the venue's name and address, `… (and online)` for hybrid
/// events, `Online` for online ones.
pub fn location(site: &Site, e: &Event) -> String {
    match (&e.venue, e.attendance_mode) {
        (_, AttendanceMode::Online) => "Online".to_string(),
        (Some(v), AttendanceMode::Hybrid) => format!("{}, {} (and online)", v.name, v.address),
        (Some(v), AttendanceMode::InPerson) => format!("{}, {}", v.name, v.address),
        (None, _) => site.chapter_of(e).city.clone(),
    }
}

/// How long, in characters, the body's excerpt in the network feed's
/// `DESCRIPTION` is at most.
pub const NETWORK_EXCERPT: usize = 300;

/// The network feed's `DESCRIPTION`: as [`description`], with only the
/// body's first paragraph, cut to [`NETWORK_EXCERPT`] characters. The
/// network feed holds every chapter's events, and the full text of each
/// would make it tens of megabytes for a large network, more than
/// calendar clients take in; the full text is on the event page, in the
/// chapter's feed and in the event's `event.ics`.
pub fn network_description(site: &Site, e: &Event, page: &str, chapter_page: &str) -> String {
    let excerpt = site.excerpt(e, NETWORK_EXCERPT);
    description(site, e, &excerpt, page, chapter_page)
}

/// `DESCRIPTION`: a status note, the body as plain text (`plain`), the
/// RSVP link while RSVPs are open and the event page, as paragraphs.
pub fn description(site: &Site, e: &Event, plain: &str, page: &str, chapter_page: &str) -> String {
    let mut d = String::with_capacity(plain.len() + 256);
    match e.status {
        Status::Scheduled => {}
        Status::Cancelled => d.push_str("Cancelled: this meeting will not take place.\n\n"),
        Status::Postponed => {
            d.push_str("Postponed: this meeting will not take place at this time. The new date will be announced on ");
            d.push_str(chapter_page);
            d.push_str("\n\n");
        }
    }
    if !plain.is_empty() {
        d.push_str(plain);
        d.push_str("\n\n");
    }
    if let (true, Some(r)) = (e.rsvp_open(site.today), &e.registration) {
        let _ = write!(d, "RSVP on {}: {r}\n\n", site.config.registration_name);
    }
    d.push_str("Event page: ");
    d.push_str(page);
    d
}

/// `SEQUENCE`: `updated` in whole minutes since 1970 (fits RFC 5545's
/// 32-bit INTEGER until the year 6053), so a newer `updated` is a higher
/// revision; 0 without `updated`.
pub fn sequence(e: &Event) -> i64 {
    e.updated
        .map(|u| u.timestamp().div_euclid(60).max(0))
        .unwrap_or(0)
}

impl EventIcs {
    /// The VEVENT of `e`, whose body as plain text is `plain`.
    fn new(site: &Site, e: &Event, urls: &Urls, plain: &str) -> Self {
        let c = site.chapter_of(e);
        let page = urls.absolute(&Urls::event(&c.id, &e.id));
        let chapter_page = urls.absolute(&Urls::chapter(&c.id));
        let start = e.start.with_timezone(&e.timezone);
        let end = e.end.with_timezone(&e.timezone);

        let mut l = Lines::with_capacity(1024);
        l.out.push_str("BEGIN:VEVENT\r\n");
        l.raw("UID", &uid(site, e));
        let stamp = e.updated.unwrap_or(e.start).with_timezone(&Utc);
        l.utc("DTSTAMP", &stamp);
        if let Some(u) = e.updated {
            l.utc("LAST-MODIFIED", &u.with_timezone(&Utc));
        }
        l.raw("SEQUENCE", &sequence(e).to_string());
        let zoned = l.time("DTSTART", &start) | l.time("DTEND", &end);
        let head = std::mem::take(&mut l.out);

        let prefix = status_prefix(e.status);
        l.text("SUMMARY", &format!("{prefix}{}", e.title));
        let summary = std::mem::take(&mut l.out);
        l.text("SUMMARY", &format!("{prefix}{} ({})", e.title, c.name));
        let network_summary = std::mem::take(&mut l.out);

        l.text(
            "DESCRIPTION",
            &description(site, e, plain, &page, &chapter_page),
        );
        let description = std::mem::take(&mut l.out);
        l.text(
            "DESCRIPTION",
            &network_description(site, e, &page, &chapter_page),
        );
        let network_description = std::mem::take(&mut l.out);
        l.text("LOCATION", &location(site, e));
        l.raw("URL", &page);
        if let Some(contact) = c.contact.as_ref().or(site.config.contact.as_ref()) {
            l.line.clear();
            l.line.push_str("ORGANIZER;CN=");
            param_value(&c.name, &mut l.line);
            l.line.push_str(":mailto:");
            l.line.push_str(contact);
            fold_line(&l.line, &mut l.out);
        }
        if !e.formats.is_empty() {
            l.line.clear();
            l.line.push_str("CATEGORIES:");
            for (i, f) in e.formats.iter().enumerate() {
                if i > 0 {
                    l.line.push(',');
                }
                escape_text_into(f.label(), &mut l.line);
            }
            fold_line(&l.line, &mut l.out);
        }
        l.raw(
            "STATUS",
            match e.status {
                Status::Scheduled => "CONFIRMED",
                Status::Cancelled | Status::Postponed => "CANCELLED",
            },
        );
        l.out.push_str("END:VEVENT\r\n");
        let (a, b) = (vtimezone::years(&start), vtimezone::years(&end));
        EventIcs {
            head,
            summary,
            network_summary,
            description,
            network_description,
            tail: l.out,
            zone: zoned.then_some(e.timezone),
            years: (a.0.min(b.0), a.1.max(b.1)),
        }
    }

    /// What the network feed needs: the chapter feed's `DESCRIPTION` goes.
    /// Kept until the network feed is written, so its texts give back
    /// the room they were built in (the head is built in 1 KB).
    fn for_network(mut self) -> Self {
        self.description = String::new();
        self.summary = String::new();
        for s in [
            &mut self.head,
            &mut self.network_summary,
            &mut self.network_description,
            &mut self.tail,
        ] {
            s.shrink_to_fit();
        }
        self
    }

    /// Its length in a chapter's feed (`network`: in the network feed).
    fn len(&self, network: bool) -> usize {
        let (summary, description) = self.parts(network);
        self.head.len() + summary.len() + description.len() + self.tail.len()
    }

    /// The `SUMMARY` and `DESCRIPTION` lines for a feed.
    fn parts(&self, network: bool) -> (&str, &str) {
        if network {
            (&self.network_summary, &self.network_description)
        } else {
            (&self.summary, &self.description)
        }
    }
}

/// What a calendar says about itself.
struct Header<'a> {
    name: Option<&'a str>,
    description: Option<&'a str>,
    /// `X-WR-TIMEZONE`, for a chapter's feed.
    zone: Option<Tz>,
    /// The page the feed belongs to and the feed's own address.
    page: Option<&'a str>,
    source: Option<&'a str>,
    /// A subscribed feed (refresh hints) rather than a one-off download.
    feed: bool,
}

fn begin(h: &Header<'_>, l: &mut Lines) {
    l.out.push_str("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    l.raw(
        "PRODID",
        concat!(
            "-//chapterhouse//chapterhouse ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
    );
    l.out.push_str("CALSCALE:GREGORIAN\r\n");
    if let Some(n) = h.name {
        l.text("NAME", n);
        l.text("X-WR-CALNAME", n);
    }
    if let Some(d) = h.description {
        l.text("DESCRIPTION", d);
        l.text("X-WR-CALDESC", d);
    }
    if let Some(z) = h.zone {
        l.text("X-WR-TIMEZONE", z.name());
    }
    if let Some(p) = h.page {
        l.raw("URL", p);
    }
    if let Some(s) = h.source {
        l.raw("SOURCE;VALUE=URI", s);
    }
    if h.feed {
        l.raw("REFRESH-INTERVAL;VALUE=DURATION", REFRESH);
        l.raw("X-PUBLISHED-TTL", REFRESH);
    }
}

/// A whole calendar: header, one VTIMEZONE per zone used (in name order,
/// covering the years its events fall in), the events in order.
fn calendar<'e>(
    h: &Header<'_>,
    events: impl Iterator<Item = &'e EventIcs> + Clone,
    network: bool,
    zones: &Zones,
) -> Vec<u8> {
    let size: usize = events.clone().map(|e| e.len(network)).sum();
    let mut out = Vec::with_capacity(size + 4096);
    // Writing to memory does not fail.
    let _ = write_calendar(h, events, network, zones, &mut out);
    out
}

/// Write a calendar to `w` piece by piece: the network feed goes
/// straight into its file instead of being put together in memory first.
fn write_calendar<'e, W: std::io::Write + ?Sized>(
    h: &Header<'_>,
    events: impl Iterator<Item = &'e EventIcs> + Clone,
    network: bool,
    zones: &Zones,
    w: &mut W,
) -> std::io::Result<()> {
    let mut l = Lines::with_capacity(4096);
    begin(h, &mut l);
    let mut used: std::collections::BTreeMap<&'static str, (Tz, i32, i32)> = Default::default();
    for ev in events.clone() {
        let Some(zone) = ev.zone else { continue };
        let u = used
            .entry(zone.name())
            .or_insert((zone, ev.years.0, ev.years.1));
        u.1 = u.1.min(ev.years.0);
        u.2 = u.2.max(ev.years.1);
    }
    for (tz, first, last) in used.into_values() {
        zones.write(tz, first, last, &mut l.out);
    }
    w.write_all(l.out.as_bytes())?;
    for ev in events {
        let (summary, description) = ev.parts(network);
        w.write_all(ev.head.as_bytes())?;
        w.write_all(summary.as_bytes())?;
        w.write_all(description.as_bytes())?;
        w.write_all(ev.tail.as_bytes())?;
    }
    w.write_all(b"END:VCALENDAR\r\n")
}

/// Is the event in the feeds: upcoming, or ended within the past
/// `calendar_past_months` months?
pub fn in_feeds(site: &Site, e: &Event) -> bool {
    let cutoff = site
        .today
        .checked_sub_months(Months::new(site.config.calendar_past_months))
        .unwrap_or(chrono::NaiveDate::MIN);
    e.end.with_timezone(&e.timezone).date_naive() >= cutoff
}

/// Every calendar of a site: [`Calendars::new`] once, then
/// [`Calendars::chapter`] for each chapter (in parallel, each as soon as
/// its event pages have made the plain texts), then [`Calendars::finish`]
/// for the network feed.
pub struct Calendars<'s> {
    site: &'s Site,
    urls: Urls,
    zones: Zones,
    /// Which events the feeds hold (see [`in_feeds`]).
    keep: Vec<bool>,
}

/// A chapter's `event.ics` files and feed, made; and what the network
/// feed needs of its events.
pub struct ChapterCalendars {
    made: Vec<crate::render::Made>,
    network: Vec<(usize, EventIcs)>,
}

/// `event.ics` on its own: no name, no refresh hints.
const SINGLE: Header<'static> = Header {
    name: None,
    description: None,
    zone: None,
    page: None,
    source: None,
    feed: false,
};

impl<'s> Calendars<'s> {
    pub fn new(site: &'s Site) -> Self {
        Calendars {
            site,
            urls: Urls::new(&site.config.base_url),
            // Each zone's history is computed by the first chapter that
            // needs it.
            zones: Zones::new(
                site.events
                    .iter()
                    .flat_map(|e| [(e.timezone, e.start), (e.timezone, e.end)]),
            ),
            keep: site.events.par_iter().map(|e| in_feeds(site, e)).collect(),
        }
    }

    /// The `event.ics` of each event of `c` and the chapter's feed, handed
    /// to `spill` (or kept) at once. `plain` holds each event's index and
    /// body as plain text; only what the network feed needs of each event
    /// is kept.
    pub fn chapter(
        &self,
        c: &Chapter,
        plain: Vec<(usize, String)>,
        spill: Option<&Spill>,
    ) -> ChapterCalendars {
        let (site, urls) = (self.site, &self.urls);
        let parts: Vec<(usize, EventIcs)> = plain
            .into_par_iter()
            .map(|(i, text)| (i, EventIcs::new(site, &site.events[i], urls, &text)))
            .collect();
        let mut made: Vec<crate::render::Made> = parts
            .par_iter()
            .map(|(i, p)| {
                let e = &site.events[*i];
                OutputPlan::make(
                    spill,
                    format!("{}event.ics", Urls::event(&c.id, &e.id)),
                    calendar(&SINGLE, std::iter::once(p), false, &self.zones),
                )
            })
            .collect();
        let rel = Urls::chapter(&c.id);
        let page = urls.absolute(&rel);
        let source = urls.absolute(&format!("{rel}calendar.ics"));
        let name = format!("{} ({})", c.name, site.config.title);
        let description = format!(
            "Meetups of {}, a chapter of {}: {page}",
            c.name, site.config.title
        );
        let h = Header {
            name: Some(&name),
            description: Some(&description),
            zone: Some(c.timezone),
            page: Some(&page),
            source: Some(&source),
            feed: true,
        };
        let events = parts.iter().filter(|(i, _)| self.keep[*i]).map(|(_, p)| p);
        made.push(OutputPlan::make(
            spill,
            format!("{rel}calendar.ics"),
            calendar(&h, events, false, &self.zones),
        ));
        let network = parts
            .into_iter()
            .filter(|(i, _)| self.keep[*i])
            .map(|(i, p)| (i, p.for_network()))
            .collect();
        ChapterCalendars { made, network }
    }

    /// Hand the chapters' files to `plan` and make the network feed.
    pub fn finish(&self, chapters: Vec<ChapterCalendars>, plan: &mut OutputPlan) {
        let (site, urls) = (self.site, &self.urls);
        let mut network: Vec<Option<EventIcs>> = site.events.iter().map(|_| None).collect();
        for ChapterCalendars {
            made,
            network: parts,
        } in chapters
        {
            for m in made {
                plan.take(m);
            }
            for (i, p) in parts {
                network[i] = Some(p);
            }
        }
        let page = urls.absolute("");
        let source = urls.absolute("calendar.ics");
        let description = site.config.description.clone().unwrap_or_else(|| {
            format!("Meetups of every chapter of {}: {page}", site.config.title)
        });
        let h = Header {
            name: Some(&site.config.title),
            description: Some(&description),
            zone: None,
            page: Some(&page),
            source: Some(&source),
            feed: true,
        };
        // In the order of the site's events (by start).
        let events = network.iter().flatten();
        plan.put_streamed("calendar.ics", |w| {
            write_calendar(&h, events, true, &self.zones, w)
        });
    }
}

/// Every calendar of the site at once, each event's plain text made here
/// (a build makes them with the event pages instead: see
/// [`Calendars::chapter`]).
pub fn render_calendars(site: &Site, plan: &mut OutputPlan) {
    let calendars = Calendars::new(site);
    let spill = plan.spill.clone();
    let chapters = site
        .chapters
        .par_iter()
        .map(|c| {
            let plain = c
                .events
                .iter()
                .map(|&i| (i, site.plain_text(&site.events[i])))
                .collect();
            calendars.chapter(c, plain, spill.as_deref())
        })
        .collect();
    calendars.finish(chapters, plan);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn a_300_byte_line_of_multibyte_characters_folds_at_75_octets_on_char_boundaries() {
        // 2-, 3- and 4-byte characters, 300+ bytes in all.
        let value: String = "äö東京🎉".repeat(22);
        let line = format!("DESCRIPTION:{value}");
        assert!(value.len() >= 300);
        let mut out = String::new();
        fold_line(&line, &mut out);
        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.strip_suffix("\r\n").unwrap().split("\r\n").collect();
        assert!(physical.len() >= 5, "{physical:?}");
        for (i, p) in physical.iter().enumerate() {
            assert!(p.len() <= 75, "line {i} has {} octets", p.len());
            assert_eq!(i > 0, p.starts_with(' '), "line {i}: {p:?}");
            // Each physical line is whole UTF-8 (a &str), and nearly full:
            // a cut only backs off to the start of the character.
            if i + 1 < physical.len() {
                assert!(p.len() > 75 - 4, "line {i} is short: {}", p.len());
            }
        }
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn short_lines_are_not_folded_and_75_octets_fit_exactly() {
        let mut out = String::new();
        fold_line("VERSION:2.0", &mut out);
        assert_eq!(out, "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        out.clear();
        fold_line(&exact, &mut out);
        assert_eq!(out, format!("{exact}\r\n"));
        out.clear();
        fold_line(&"X".repeat(76), &mut out);
        assert_eq!(out, format!("{exact}\r\n X\r\n"));
        // Continuation lines carry 74 octets after their space.
        out.clear();
        fold_line(&"X".repeat(75 + 74 + 1), &mut out);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines[1].len(), 75);
        assert_eq!(lines[2], " X");
    }

    #[test]
    fn text_escaping_follows_rfc_5545() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\th"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng\th"
        );
        assert_eq!(escape_text("no escapes: here"), "no escapes: here");
        assert_eq!(escape_text("bell\u{7}nul\u{0}del\u{7f}"), "bellnuldel");
        assert_eq!(escape_text("東京, ä"), "東京\\, ä");
        assert_eq!(escape_text(""), "");
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        let mut s = String::new();
        param_value("Palm Beach, FL", &mut s);
        assert_eq!(s, "\"Palm Beach, FL\"");
        s.clear();
        param_value("Berlin", &mut s);
        assert_eq!(s, "Berlin");
        s.clear();
        param_value("The \"Best\": Group", &mut s);
        assert_eq!(s, "\"The 'Best': Group\"");
    }

    fn site(today: &str, files: &[(&str, &str)]) -> Site {
        let mut all = vec![
            (
                "site.yaml".to_string(),
                "title: Test Network\nbase_url: https://groups.example.org/\norganization: Example\nregistration:\n  host: events.example.org\n  name: Example Events\ncontact: groups@example.org\n".to_string(),
            ),
            (
                "content/leaders/ann.md".to_string(),
                "---\nname: Ann\naffiliation: user\n---\nBio.\n".to_string(),
            ),
        ];
        all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let sources = crate::source::from_memory("/site".into(), all);
        let mut diags = crate::diag::Diagnostics::new();
        let parsed = crate::parse::parse(&sources, &mut diags);
        let today = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let site = crate::model::resolve::resolve(parsed, sources, today, &mut diags);
        assert!(!diags.has_errors(), "{:#?}", diags.into_vec());
        site.unwrap()
    }

    const NY: &str = "name: New York, NY\ncity: New York\ncountry: US\ntimezone: America/New_York\nleaders: [ann]\ncontact: nyc@example.org\n";

    fn render(site: &Site) -> OutputPlan {
        let mut plan = OutputPlan::default();
        render_calendars(site, &mut plan);
        plan
    }

    fn text(plan: &OutputPlan, path: &str) -> String {
        String::from_utf8(plan.get(path).unwrap_or_else(|| panic!("{path}")).to_vec()).unwrap()
    }

    #[test]
    fn an_event_file_has_every_property_in_its_zone() {
        let s = site(
            "2026-11-24",
            &[
                ("content/chapters/nyc/chapter.yaml", NY),
                (
                    "content/chapters/nyc/events/2026-12-03-jira-night.md",
                    "---\ntitle: Jira night; tips, tricks\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:30\nupdated: 2026-11-20T09:15\nformat: [talk, social]\nvenue:\n  name: Hall\n  address: 1 Main St, New York\nregistration: https://events.example.org/e/1/\n---\nCome **along**.\n",
                ),
            ],
        );
        let plan = render(&s);
        let ics = text(&plan, "chapters/nyc/events/2026-12-03-jira-night/event.ics");
        let u = unfold(&ics);
        for want in [
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//chapterhouse//",
            "CALSCALE:GREGORIAN\r\n",
            "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n",
            "UID:nyc/2026-12-03-jira-night@groups.example.org\r\n",
            // 09:15 EST = 14:15 UTC.
            "DTSTAMP:20261120T141500Z\r\nLAST-MODIFIED:20261120T141500Z\r\n",
            "DTSTART;TZID=America/New_York:20261203T180000\r\n",
            "DTEND;TZID=America/New_York:20261203T203000\r\n",
            "SUMMARY:Jira night\\; tips\\, tricks\r\n",
            "DESCRIPTION:Come along.\\n\\nRSVP on Example Events: https://events.example.org/e/1/\\n\\nEvent page: https://groups.example.org/chapters/nyc/events/2026-12-03-jira-night/\r\n",
            "LOCATION:Hall\\, 1 Main St\\, New York\r\n",
            "URL:https://groups.example.org/chapters/nyc/events/2026-12-03-jira-night/\r\n",
            "ORGANIZER;CN=\"New York, NY\":mailto:nyc@example.org\r\n",
            "CATEGORIES:Talk,Social\r\n",
            "STATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ] {
            assert!(u.contains(want), "missing {want:?} in\n{u}");
        }
        let seq = chrono::DateTime::parse_from_rfc3339("2026-11-20T14:15:00Z")
            .unwrap()
            .timestamp()
            / 60;
        assert!(u.contains(&format!("SEQUENCE:{seq}\r\n")), "{u}");
        for absent in ["METHOD", "X-WR-CALNAME", "REFRESH-INTERVAL"] {
            assert!(!u.contains(absent), "{absent} in a single event file");
        }
        // Every line ends in CRLF and none is longer than 75 octets.
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    }

    #[test]
    fn feeds_keep_upcoming_and_recent_events_with_cancellations() {
        let ev = |title: &str, date: &str, extra: &str| {
            format!(
                "---\ntitle: {title}\nstart: {date}T18:00\nend: {date}T20:00\nattendance_mode: online\n{extra}---\nText.\n"
            )
        };
        let s = site(
            "2026-11-24",
            &[
                ("content/chapters/nyc/chapter.yaml", NY),
                (
                    "content/chapters/nyc/events/2025-10-01-old.md",
                    &ev("Old", "2025-10-01", ""),
                ),
                (
                    "content/chapters/nyc/events/2026-01-10-recent.md",
                    &ev("Recent", "2026-01-10", ""),
                ),
                (
                    "content/chapters/nyc/events/2026-12-10-off.md",
                    &ev("Off", "2026-12-10", "status: cancelled\n"),
                ),
                (
                    "content/chapters/nyc/events/2027-01-10-later.md",
                    &ev("Later", "2027-01-10", "status: postponed\n"),
                ),
            ],
        );
        let plan = render(&s);
        let feed = unfold(&text(&plan, "chapters/nyc/calendar.ics"));
        assert!(!feed.contains("UID:nyc/2025-10-01-old@"), "{feed}");
        for id in ["2026-01-10-recent", "2026-12-10-off", "2027-01-10-later"] {
            assert!(feed.contains(&format!("UID:nyc/{id}@groups.example.org")));
        }
        assert!(feed.contains("SUMMARY:Cancelled: Off\r\n"));
        assert!(feed.contains("SUMMARY:Postponed: Later\r\n"));
        assert_eq!(feed.matches("STATUS:CANCELLED").count(), 2);
        assert!(feed.contains("X-WR-CALNAME:New York\\, NY (Test Network)\r\n"));
        assert!(feed.contains("X-WR-TIMEZONE:America/New_York\r\n"));
        assert!(
            feed.contains("REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\nX-PUBLISHED-TTL:PT12H\r\n")
        );
        // One VTIMEZONE covering 2026 and 2027.
        assert_eq!(feed.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(feed.contains("DTSTART:20271107T020000"), "{feed}");
        // Without `updated`: DTSTAMP is the start, no LAST-MODIFIED.
        assert!(feed.contains("DTSTAMP:20261210T230000Z\r\nSEQUENCE:0\r\n"));
        assert!(!feed.contains("LAST-MODIFIED"));
        let network = unfold(&text(&plan, "calendar.ics"));
        assert!(network.contains("SUMMARY:Recent (New York\\, NY)\r\n"));
        assert!(!network.contains("X-WR-TIMEZONE"));
        // The old event still has its own file.
        assert!(
            plan.get("chapters/nyc/events/2025-10-01-old/event.ics")
                .is_some()
        );
    }

    #[test]
    fn the_past_window_is_configurable() {
        let s = site(
            "2026-11-24",
            &[
                ("content/chapters/nyc/chapter.yaml", NY),
                (
                    "content/chapters/nyc/events/2026-09-01-sept.md",
                    "---\ntitle: Sept\nstart: 2026-09-01T18:00\nend: 2026-09-01T20:00\nattendance_mode: online\n---\n",
                ),
            ],
        );
        let mut s = s;
        s.config.calendar_past_months = 2;
        let feed = text(&render(&s), "calendar.ics");
        assert!(!feed.contains("UID:nyc/2026-09-01-sept@"));
        s.config.calendar_past_months = 3;
        let feed = text(&render(&s), "calendar.ics");
        assert!(feed.contains("UID:nyc/2026-09-01-sept@"));
    }

    #[test]
    fn a_time_that_occurs_twice_is_written_in_utc() {
        let ev = |stem: &str, start: &str, end: &str| {
            (
                format!("content/chapters/nyc/events/{stem}.md"),
                format!(
                    "---\ntitle: T\nstart: {start}\nend: {end}\nattendance_mode: online\n---\n"
                ),
            )
        };
        let (a, b) = (
            ev("2026-11-01-night", "2026-11-01T01:30", "2026-11-01T03:00"),
            ev("2026-11-01-short", "2026-11-01T01:10", "2026-11-01T01:50"),
        );
        let s = site(
            "2026-10-01",
            &[
                ("content/chapters/nyc/chapter.yaml", NY),
                (&a.0, &a.1),
                (&b.0, &b.1),
            ],
        );
        let plan = render(&s);
        let night = text(&plan, "chapters/nyc/events/2026-11-01-night/event.ics");
        // 01:30 EDT (the first) is 05:30 UTC; 03:00 is unambiguous (EST).
        assert!(night.contains(
            "DTSTART:20261101T053000Z\r\nDTEND;TZID=America/New_York:20261101T030000\r\n"
        ));
        assert!(night.contains("BEGIN:VTIMEZONE"));
        // Both times repeated: all UTC, so no VTIMEZONE is needed.
        let short = text(&plan, "chapters/nyc/events/2026-11-01-short/event.ics");
        assert!(short.contains("DTSTART:20261101T051000Z\r\nDTEND:20261101T055000Z\r\n"));
        assert!(!short.contains("VTIMEZONE"));
    }

    #[test]
    fn utc_events_are_written_in_utc_without_vtimezone() {
        let s = site(
            "2026-11-24",
            &[
                (
                    "content/chapters/web/chapter.yaml",
                    "name: Web\ncity: Anywhere\ncountry: US\ntimezone: UTC\nleaders: [ann]\n",
                ),
                (
                    "content/chapters/web/events/2026-12-01-call.md",
                    "---\ntitle: Call\nstart: 2026-12-01T18:00\nend: 2026-12-01T19:00\nattendance_mode: online\n---\n",
                ),
            ],
        );
        let ics = text(&render(&s), "chapters/web/events/2026-12-01-call/event.ics");
        assert!(ics.contains("DTSTART:20261201T180000Z\r\nDTEND:20261201T190000Z\r\n"));
        assert!(!ics.contains("VTIMEZONE"));
        assert!(ics.contains("LOCATION:Online\r\n"));
        // The network contact is the organizer when the chapter has none.
        assert!(ics.contains("ORGANIZER;CN=Web:mailto:groups@example.org\r\n"));
    }
}
