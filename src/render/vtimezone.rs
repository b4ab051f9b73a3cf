//! `VTIMEZONE` components computed from the tz database that chrono-tz
//! carries.
//!
//! Hand-written by design. RFC 5545 §3.6.5 wants a `VTIMEZONE` for every
//! `TZID` a file uses, with the zone's real observances, and none of the
//! crates at hand can produce one: chrono-tz does not expose its transition
//! table, the `icalendar` crate leaves VTIMEZONE as a TODO, and
//! `vtimezones-rs` (prebuilt vzic output) is GPL-3.0. So we recover the
//! transitions the way `../shared/notes/crates.md` §1d describes (tested
//! there on Europe/Berlin): step through the zone one day at a time, and
//! where the offset, the daylight flag or the abbreviation changes, bisect
//! to the second. Each transition becomes one `STANDARD` or `DAYLIGHT`
//! block (`DTSTART` + `TZOFFSETFROM`/`TZOFFSETTO`/`TZNAME`, no `RRULE`),
//! which is valid RFC 5545, exact for the years covered and deterministic.
//!
//! A file covers whole years: the observance in effect on 1 January of the
//! first year an event falls in (with its real onset, or 1970 when the zone
//! has not changed since), then every transition until the end of the last
//! year.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz, TzOffset};

use crate::render::ical::fold_line;

/// The first year scanned: observances older than this are written as
/// starting on 1970-01-01, the customary base of generated VTIMEZONEs.
pub const BASE_YEAR: i32 = 1970;
const DAY: i64 = 86_400;

/// One change of a zone's offset, daylight flag or abbreviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The first second (UTC) of the new observance.
    pub at: i64,
    pub before: TzOffset,
    pub after: TzOffset,
}

/// Zones that are UTC by name: their times are written as `…Z` and need no
/// `VTIMEZONE`.
pub fn is_utc(tz: Tz) -> bool {
    matches!(
        tz.name(),
        "UTC" | "Etc/UTC" | "Etc/Universal" | "Universal" | "Etc/Zulu" | "Zulu"
    )
}

fn offset_at(tz: Tz, secs: i64) -> TzOffset {
    let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
    tz.offset_from_utc_datetime(&t.naive_utc())
}

fn year_start(year: i32) -> i64 {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0)
}

/// How far the scans step before comparing offsets. A change is found
/// (and bisected to the second) whenever the offset at the end of a step
/// differs from the one at its start, so only an observance shorter than a
/// step that returns to the offset it interrupted could be missed. The
/// shortest observances in chrono-tz's database since 1970 last 6.9 days
/// (daylight time in Gaza, Recife and Boa Vista, a week each); a unit
/// test checks every zone against a one-day scan. Three-day steps take a
/// third of the lookups of one-day steps: the zones' histories were the
/// largest fixed cost of a small network's build.
const STEP: i64 = 3 * DAY;

/// Every transition of `tz` in `[from, to)` (UTC seconds), in order.
pub fn transitions(tz: Tz, from: i64, to: i64) -> Vec<Transition> {
    scan(tz, from, to, STEP)
}

fn scan(tz: Tz, from: i64, to: i64, step: i64) -> Vec<Transition> {
    let mut out = Vec::new();
    let mut t = from;
    let mut cur = offset_at(tz, t);
    while t < to {
        let next = (t + step).min(to);
        let o = offset_at(tz, next);
        if o != cur {
            // Bisect: `lo` has the old observance, `hi` the new one.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == cur {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            let after = offset_at(tz, hi);
            out.push(Transition {
                at: hi,
                before: cur,
                after,
            });
            // Another change within the same step is found from `hi` on.
            cur = after;
            t = hi;
            continue;
        }
        t = next;
    }
    out
}

/// A moment less than a step before the observance in effect at `at`
/// began (stepping back from `at`), or `floor` when it began before. A
/// zone with daylight time changes within the year before, so this is a
/// few dozen lookups where scanning from 1970 took thousands.
fn last_change_before(tz: Tz, at: i64, floor: i64) -> i64 {
    let now = offset_at(tz, at);
    let mut t = at;
    while t > floor {
        let step_before = (t - STEP).max(floor);
        if offset_at(tz, step_before) != now {
            return step_before;
        }
        t = step_before;
    }
    floor
}

/// The transitions of one zone, from the onset of the observance in effect
/// when its first year begins to the end of its last year, computed once
/// and sliced for each file.
#[derive(Debug, Clone)]
pub struct ZoneHistory {
    tz: Tz,
    transitions: Vec<Transition>,
}

impl ZoneHistory {
    /// Scan `tz` from the onset of the observance in effect when
    /// `first_year` begins (1970 at the latest, or `first_year` if earlier)
    /// to the end of `last_year`.
    pub fn compute(tz: Tz, first_year: i32, last_year: i32) -> Self {
        let last = last_year.max(first_year);
        let start = year_start(first_year);
        let from = if first_year <= BASE_YEAR {
            start
        } else {
            last_change_before(tz, start, year_start(BASE_YEAR))
        };
        ZoneHistory {
            tz,
            transitions: transitions(tz, from, year_start(last + 1)),
        }
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// Append the `VTIMEZONE` for events in the years `first..=last`.
    pub fn write(&self, first: i32, last: i32, out: &mut String) {
        let (from, to) = (year_start(first), year_start(last + 1));
        let mut line = String::with_capacity(80);
        let mut prop = |name: &str, value: &str, out: &mut String| {
            line.clear();
            line.push_str(name);
            line.push(':');
            line.push_str(value);
            fold_line(&line, out);
        };
        out.push_str("BEGIN:VTIMEZONE\r\n");
        prop("TZID", self.tz.name(), out);
        // libical and its descendants map the zone by this name.
        prop("X-LIC-LOCATION", self.tz.name(), out);
        let before = self.transitions.partition_point(|t| t.at <= from);
        // The observance in effect when the covered years begin.
        match before.checked_sub(1).map(|i| &self.transitions[i]) {
            Some(t) => observance(t.at, t.before, t.after, &mut prop, out),
            None => {
                // Unchanged since 1970: a base observance with equal offsets.
                let base = NaiveDate::from_ymd_opt(BASE_YEAR, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t.and_utc().timestamp())
                    .unwrap_or(0);
                let o = offset_at(self.tz, from);
                let secs = o.fix().local_minus_utc() as i64;
                observance(base - secs, o, o, &mut prop, out);
            }
        }
        for t in self.transitions[before..].iter().take_while(|t| t.at < to) {
            observance(t.at, t.before, t.after, &mut prop, out);
        }
        out.push_str("END:VTIMEZONE\r\n");
    }
}

fn observance(
    at: i64,
    before: TzOffset,
    after: TzOffset,
    prop: &mut impl FnMut(&str, &str, &mut String),
    out: &mut String,
) {
    let kind = if after.dst_offset().num_seconds() != 0 {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    let from = before.fix().local_minus_utc();
    let to = after.fix().local_minus_utc();
    // The onset is written as local time in the offset before it (RFC 5545
    // §3.6.5: "DTSTART ... MUST be specified as a date with local time").
    let onset = DateTime::from_timestamp(at + i64::from(from), 0).unwrap_or_default();
    out.push_str("BEGIN:");
    out.push_str(kind);
    out.push_str("\r\n");
    prop(
        "DTSTART",
        &onset.naive_utc().format("%Y%m%dT%H%M%S").to_string(),
        out,
    );
    prop("TZOFFSETFROM", &utc_offset(from), out);
    prop("TZOFFSETTO", &utc_offset(to), out);
    if let Some(name) = after.abbreviation() {
        prop("TZNAME", name, out);
    }
    out.push_str("END:");
    out.push_str(kind);
    out.push_str("\r\n");
}

/// `+0530`, `-0500`, `+0000`; seconds only when there are any (`-001632`).
pub fn utc_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The histories of every zone a build uses, keyed by zone name.
#[derive(Debug, Default)]
pub struct Zones {
    /// Each zone's span of years, and its history once the first file
    /// that uses the zone has computed it.
    zones: BTreeMap<&'static str, (Tz, i32, i32, std::sync::OnceLock<ZoneHistory>)>,
    /// The `VTIMEZONE` text of each zone and span of years written so far:
    /// the events of a zone and year (thousands of `event.ics` files) all
    /// carry the same one.
    written: std::sync::Mutex<BTreeMap<(&'static str, i32, i32), std::sync::Arc<str>>>,
}

impl Zones {
    /// Prepare the histories for `(zone, instant)` pairs: each zone is
    /// scanned (on first use) to the end of the last year it is used in.
    /// Files of different zones, written in parallel, compute their
    /// zones in parallel.
    pub fn new(uses: impl IntoIterator<Item = (Tz, DateTime<Tz>)>) -> Self {
        let mut zones = BTreeMap::new();
        for (tz, t) in uses {
            if is_utc(tz) {
                continue;
            }
            let (lo, hi) = years(&t);
            let e = zones
                .entry(tz.name())
                .or_insert((tz, lo, hi, Default::default()));
            e.1 = e.1.min(lo);
            e.2 = e.2.max(hi);
        }
        Zones {
            zones,
            written: Default::default(),
        }
    }

    /// Append the `VTIMEZONE` of `tz` for the years `first..=last`.
    /// Computes the history on the spot when it was not prepared.
    pub fn write(&self, tz: Tz, first: i32, last: i32, out: &mut String) {
        if is_utc(tz) {
            return;
        }
        match self.zones.get(tz.name()) {
            Some((tz, lo, hi, h)) if first >= *lo && last <= *hi => {
                let key = (tz.name(), first, last);
                let lock = || {
                    self.written
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                };
                let known = lock().get(&key).cloned();
                let text = known.unwrap_or_else(|| {
                    let mut text = String::new();
                    h.get_or_init(|| ZoneHistory::compute(*tz, *lo, *hi))
                        .write(first, last, &mut text);
                    let text: std::sync::Arc<str> = text.into();
                    lock().insert(key, text.clone());
                    text
                });
                out.push_str(&text);
            }
            _ => ZoneHistory::compute(tz, first, last).write(first, last, out),
        }
    }
}

/// The years (UTC and local) an instant touches, so that a file's
/// VTIMEZONE covers it however a client looks at it.
pub fn years(t: &DateTime<Tz>) -> (i32, i32) {
    let (a, b) = (t.year(), t.with_timezone(&Utc).year());
    (a.min(b), a.max(b))
}

/// The `VTIMEZONE` of `tz` for the years `first..=last`, on its own.
pub fn vtimezone(tz: Tz, first: i32, last: i32) -> String {
    let mut out = String::new();
    if !is_utc(tz) {
        ZoneHistory::compute(tz, first, last).write(first, last, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    fn blocks(v: &str) -> Vec<String> {
        v.split("BEGIN:")
            .skip(2)
            .map(|b| b.replace("\r\n", "|"))
            .collect()
    }

    #[test]
    fn new_york_2026_changes_on_8_march_and_1_november() {
        let t = transitions(
            chrono_tz::America::New_York,
            ts("2026-01-01T00:00:00Z"),
            ts("2027-01-01T00:00:00Z"),
        );
        assert_eq!(t.len(), 2);
        // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
        assert_eq!(t[0].at, ts("2026-03-08T07:00:00Z"));
        assert_eq!(t[1].at, ts("2026-11-01T06:00:00Z"));
        let v = vtimezone(chrono_tz::America::New_York, 2026, 2026);
        assert_eq!(
            blocks(&v),
            [
                "STANDARD|DTSTART:20251102T020000|TZOFFSETFROM:-0400|TZOFFSETTO:-0500|TZNAME:EST|END:STANDARD|",
                "DAYLIGHT|DTSTART:20260308T020000|TZOFFSETFROM:-0500|TZOFFSETTO:-0400|TZNAME:EDT|END:DAYLIGHT|",
                "STANDARD|DTSTART:20261101T020000|TZOFFSETFROM:-0400|TZOFFSETTO:-0500|TZNAME:EST|END:STANDARD|END:VTIMEZONE|",
            ]
        );
        assert!(v.starts_with(
            "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nX-LIC-LOCATION:America/New_York\r\n"
        ));
    }

    #[test]
    fn sydney_is_on_daylight_time_in_january() {
        let v = vtimezone(chrono_tz::Australia::Sydney, 2026, 2026);
        assert_eq!(
            blocks(&v),
            [
                "DAYLIGHT|DTSTART:20251005T020000|TZOFFSETFROM:+1000|TZOFFSETTO:+1100|TZNAME:AEDT|END:DAYLIGHT|",
                "STANDARD|DTSTART:20260405T030000|TZOFFSETFROM:+1100|TZOFFSETTO:+1000|TZNAME:AEST|END:STANDARD|",
                "DAYLIGHT|DTSTART:20261004T020000|TZOFFSETFROM:+1000|TZOFFSETTO:+1100|TZNAME:AEDT|END:DAYLIGHT|END:VTIMEZONE|",
            ]
        );
    }

    #[test]
    fn london_changes_at_one_utc() {
        let v = vtimezone(chrono_tz::Europe::London, 2026, 2027);
        let b = blocks(&v);
        assert_eq!(b.len(), 5, "{v}");
        assert_eq!(
            b[1],
            "DAYLIGHT|DTSTART:20260329T010000|TZOFFSETFROM:+0000|TZOFFSETTO:+0100|TZNAME:BST|END:DAYLIGHT|"
        );
        assert_eq!(
            b[2],
            "STANDARD|DTSTART:20261025T020000|TZOFFSETFROM:+0100|TZOFFSETTO:+0000|TZNAME:GMT|END:STANDARD|"
        );
        assert!(b[4].starts_with("STANDARD|DTSTART:20271031T020000|"));
    }

    #[test]
    fn kolkata_has_one_observance_since_1970() {
        let v = vtimezone(chrono_tz::Asia::Kolkata, 2026, 2026);
        assert_eq!(
            blocks(&v),
            [
                "STANDARD|DTSTART:19700101T000000|TZOFFSETFROM:+0530|TZOFFSETTO:+0530|TZNAME:IST|END:STANDARD|END:VTIMEZONE|"
            ]
        );
    }

    #[test]
    fn utc_needs_no_vtimezone() {
        assert_eq!(vtimezone(chrono_tz::UTC, 2026, 2026), "");
        assert!(is_utc(chrono_tz::Etc::UTC));
        assert!(!is_utc(chrono_tz::Europe::London));
    }

    #[test]
    fn offsets_are_signed_and_keep_seconds() {
        assert_eq!(utc_offset(19800), "+0530");
        assert_eq!(utc_offset(-18000), "-0500");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(-(16 * 60 + 8)), "-001608");
    }

    #[test]
    fn a_prepared_history_gives_the_same_text_as_a_fresh_one() {
        let ny = chrono_tz::America::New_York;
        let at = ny.with_ymd_and_hms(2027, 6, 1, 12, 0, 0).unwrap();
        let zones = Zones::new([
            (ny, at),
            (ny, ny.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
        ]);
        let mut out = String::new();
        zones.write(ny, 2026, 2026, &mut out);
        assert_eq!(out, vtimezone(ny, 2026, 2026));
        // Again (the text written before), and for another span.
        let mut again = String::new();
        zones.write(ny, 2026, 2026, &mut again);
        assert_eq!(again, out);
        let mut other = String::new();
        zones.write(ny, 2025, 2027, &mut other);
        assert_eq!(other, vtimezone(ny, 2025, 2027));
        assert_ne!(other, out);
    }

    /// Every zone chrono-tz knows, from 1970 to 2040: the three-day steps
    /// find exactly the transitions that one-day steps find (so no
    /// observance that a step could skip exists in the database we ship).
    #[test]
    fn three_day_steps_find_every_transition_that_day_steps_find() {
        let (from, to) = (year_start(BASE_YEAR), year_start(2041));
        let mut shortest = (i64::MAX, "");
        for tz in chrono_tz::TZ_VARIANTS {
            let by_day = scan(tz, from, to, DAY);
            assert_eq!(transitions(tz, from, to), by_day, "{}", tz.name());
            for w in by_day.windows(2) {
                if w[1].at - w[0].at < shortest.0 {
                    shortest = (w[1].at - w[0].at, tz.name());
                }
            }
        }
        // The margin the step relies on (see `STEP`).
        assert!(shortest.0 > 2 * STEP, "{shortest:?}");
    }

    #[test]
    fn a_history_from_the_first_onset_writes_what_a_scan_from_1970_writes() {
        use chrono_tz::{America, Asia, Australia, Europe, Pacific};
        // Daylight time every year, none ever, abolished (2019, 2011,
        // 2014), a half-hour shift, and a skipped calendar day (2011).
        let zones = [
            Europe::Berlin,
            America::New_York,
            Asia::Kolkata,
            America::Sao_Paulo,
            Europe::Moscow,
            Australia::Lord_Howe,
            Pacific::Apia,
        ];
        for tz in zones {
            for (first, last) in [(1971, 1972), (2011, 2012), (2015, 2016), (2026, 2027)] {
                let full = ZoneHistory {
                    tz,
                    transitions: transitions(tz, year_start(BASE_YEAR), year_start(last + 1)),
                };
                let (mut want, mut got) = (String::new(), String::new());
                full.write(first, last, &mut want);
                ZoneHistory::compute(tz, first, last).write(first, last, &mut got);
                assert_eq!(got, want, "{} {first}-{last}", tz.name());
            }
        }
    }
}
