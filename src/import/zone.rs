//! Turning an iCalendar date or date-time value into an instant.
//!
//! A `TZID` names an IANA zone in most feeds (directly, through
//! `X-LIC-LOCATION`, or at the end of a prefixed id such as
//! `/mozilla.org/20050126_1/America/New_York`); those are placed with
//! chrono-tz. Other ids (Outlook's `W. Europe Standard Time`, custom
//! names) are placed with the observances of the file's own `VTIMEZONE`:
//! each `STANDARD`/`DAYLIGHT` block's `DTSTART`, `RDATE`s and a yearly
//! `RRULE` (`BYMONTH` with `BYDAY` like `2SU` or `-1SU`, optionally
//! `BYMONTHDAY`, `UNTIL`), which is the only shape such rules take.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::import::reader::{Calendar, Property, VTimezone};

/// A date-time value as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `…Z`, or a `TZID` resolved to an instant.
    Instant(DateTime<Utc>),
    /// No zone: read in the chapter's zone.
    Floating(NaiveDateTime),
    /// `VALUE=DATE`: an all-day event.
    Date(NaiveDate),
}

/// How a `TZID` is placed.
#[derive(Debug, Clone)]
pub enum Zone {
    Iana(Tz),
    Rules(Vec<Onset>),
}

/// One start of an observance: the UTC instant, the offset before it and
/// the offset it sets (seconds east of UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Onset {
    pub at: DateTime<Utc>,
    pub from: i32,
    pub to: i32,
}

fn parse_date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y%m%d").ok()
}

fn parse_local(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()
}

/// `+0530`, `-0500`, `+001632` as seconds east of UTC.
pub fn parse_offset(v: &str) -> Option<i32> {
    let v = v.trim();
    let (sign, digits) = match v.as_bytes().first()? {
        b'+' => (1, &v[1..]),
        b'-' => (-1, &v[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits[r].parse::<i32>().ok();
    let secs = n(0..2)? * 3600 + n(2..4)? * 60 + if digits.len() == 6 { n(4..6)? } else { 0 };
    Some(sign * secs)
}

/// An RFC 5545 DURATION (`PT2H`, `P1D`, `P1W`, `-PT15M`).
pub fn parse_duration(v: &str) -> Option<Duration> {
    let v = v.trim();
    let (neg, v) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    let v = v.strip_prefix('P')?;
    let mut total = Duration::zero();
    let mut num = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in v.chars() {
        match c {
            '0'..='9' => num.push(c),
            'T' if num.is_empty() && !in_time => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                any = true;
                total += match (c, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return None,
                };
            }
            _ => return None,
        }
    }
    (any && num.is_empty()).then_some(if neg { -total } else { total })
}

impl Zone {
    /// Resolve `tzid` for `cal`; the error says what is missing.
    pub fn resolve(tzid: &str, cal: &Calendar) -> Result<Zone, String> {
        let vtz = cal.timezone(tzid);
        if let Some(tz) = iana(tzid) {
            return Ok(Zone::Iana(tz));
        }
        if let Some(tz) = vtz
            .and_then(|z| z.properties.get("X-LIC-LOCATION"))
            .and_then(|p| iana(&p.value))
        {
            return Ok(Zone::Iana(tz));
        }
        match vtz {
            Some(z) => rules(z).map(Zone::Rules),
            None => Err(format!(
                "uses TZID `{tzid}`, which is not an IANA zone name, and the file has no VTIMEZONE for it"
            )),
        }
    }

    /// The instant of a wall-clock time in this zone, as RFC 5545 §3.3.5
    /// reads it: a time that occurs twice means the first, a time skipped
    /// by a change is read with the offset before the gap.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let at =
            |offset: i32| Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset))));
        match self {
            Zone::Iana(tz) => match tz.from_local_datetime(&local) {
                chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                    t.with_timezone(&Utc)
                }
                chrono::LocalResult::None => {
                    // Gaps last an hour or two: three hours earlier is before it.
                    let before = tz
                        .from_local_datetime(&(local - Duration::hours(3)))
                        .earliest()
                        .map(|t| t.offset().fix_seconds())
                        .unwrap_or(0);
                    at(before)
                }
            },
            Zone::Rules(onsets) => {
                // Each observance holds from its onset to the next one; the
                // first candidate instant that lands in its own observance wins.
                let Some(first) = onsets.first() else {
                    return at(0);
                };
                let spans = std::iter::once((None, first.from, Some(first.at))).chain(
                    onsets
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (Some(o.at), o.to, onsets.get(i + 1).map(|n| n.at))),
                );
                for (lo, offset, hi) in spans {
                    let t = at(offset);
                    if lo.is_none_or(|lo| t >= lo) && hi.is_none_or(|hi| t < hi) {
                        return t;
                    }
                }
                // In a gap: the offset before the onset that made it.
                let gap = onsets
                    .iter()
                    .find(|o| at(o.from) >= o.at && at(o.to) < o.at)
                    .map_or(first.from, |o| o.from);
                at(gap)
            }
        }
    }
}

trait FixSeconds {
    fn fix_seconds(&self) -> i32;
}

impl FixSeconds for chrono_tz::TzOffset {
    fn fix_seconds(&self) -> i32 {
        use chrono::Offset;
        self.fix().local_minus_utc()
    }
}

/// An IANA zone from a TZID: the name itself, or the end of a prefixed id.
fn iana(tzid: &str) -> Option<Tz> {
    let t = tzid.trim().trim_matches('"');
    if let Ok(tz) = t.parse::<Tz>() {
        return Some(tz);
    }
    t.match_indices('/')
        .find_map(|(i, _)| t[i + 1..].parse::<Tz>().ok())
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

/// The onsets a VTIMEZONE defines, from its first to the year 2100.
fn rules(z: &VTimezone) -> Result<Vec<Onset>, String> {
    let tzid = z.tzid().unwrap_or("?");
    let bad = |what: &str| format!("cannot read VTIMEZONE `{tzid}`: {what}");
    let mut onsets = Vec::new();
    for o in &z.observances {
        let p = &o.properties;
        let get = |n: &str| p.get(n).map(|v| v.value.trim());
        let start = get("DTSTART")
            .and_then(parse_local)
            .ok_or_else(|| bad("an observance has no DTSTART date-time"))?;
        let from = get("TZOFFSETFROM")
            .and_then(parse_offset)
            .ok_or_else(|| bad("an observance has no valid TZOFFSETFROM"))?;
        let to = get("TZOFFSETTO")
            .and_then(parse_offset)
            .ok_or_else(|| bad("an observance has no valid TZOFFSETTO"))?;
        // Onsets are local times in the offset before them.
        let mut push = |local: NaiveDateTime| {
            onsets.push(Onset {
                at: Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(from)))),
                from,
                to,
            })
        };
        push(start);
        for rd in p.all("RDATE") {
            for v in rd.value.split(',') {
                let v = v.trim();
                match parse_local(v.trim_end_matches('Z'))
                    .or_else(|| parse_date(v).map(|d| d.and_time(start.time())))
                {
                    Some(t) => push(t),
                    None => return Err(bad(&format!("RDATE `{v}` is not a date-time"))),
                }
            }
        }
        if let Some(rr) = p.get("RRULE") {
            for t in yearly(&rr.value, start).ok_or_else(|| {
                bad(&format!(
                    "RRULE `{}` is not a yearly rule by month and weekday",
                    rr.value
                ))
            })? {
                push(t);
            }
        }
    }
    if onsets.is_empty() {
        return Err(bad("it has no STANDARD or DAYLIGHT block"));
    }
    onsets.sort_by_key(|o| o.at);
    onsets.dedup();
    Ok(onsets)
}

/// The occurrences after `start` of a yearly VTIMEZONE rule, up to 2100.
fn yearly(rule: &str, start: NaiveDateTime) -> Option<Vec<NaiveDateTime>> {
    let mut freq = None;
    let (mut month, mut byday, mut monthdays, mut until, mut count) =
        (None, None, Vec::new(), None, None);
    for part in rule.split(';') {
        let (k, v) = part.split_once('=')?;
        match k.to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(v.to_ascii_uppercase()),
            "BYMONTH" => month = Some(v.parse::<u32>().ok()?),
            "BYDAY" => {
                let v = v.to_ascii_uppercase();
                let (n, wd) = v.split_at(v.len().checked_sub(2)?);
                let wd = WEEKDAYS.iter().find(|(s, _)| *s == wd)?.1;
                let n: i32 = match n {
                    "" => 0,
                    n => n.trim_start_matches('+').parse().ok()?,
                };
                byday = Some((n, wd));
            }
            "BYMONTHDAY" => {
                for d in v.split(',') {
                    monthdays.push(d.parse::<u32>().ok()?);
                }
            }
            "UNTIL" => {
                let v = v.trim_end_matches('Z');
                until =
                    parse_local(v).or_else(|| parse_date(v).map(|d| d.and_time(NaiveTime::MIN)));
            }
            "COUNT" => count = Some(v.parse::<usize>().ok()?),
            "INTERVAL" if v == "1" => {}
            "WKST" => {}
            _ => return None,
        }
    }
    if freq.as_deref() != Some("YEARLY") {
        return None;
    }
    let month = month.unwrap_or(start.month());
    let mut out = Vec::new();
    for year in start.year()..=2100 {
        let day = match byday {
            Some((n, wd)) => nth_weekday(year, month, n, wd, &monthdays)?,
            None => {
                NaiveDate::from_ymd_opt(year, month, *monthdays.first().unwrap_or(&start.day()))?
            }
        };
        let t = day.and_time(start.time());
        if t < start {
            continue;
        }
        if until.is_some_and(|u| t > u) || count.is_some_and(|c| out.len() >= c) {
            break;
        }
        out.push(t);
    }
    Some(out)
}

/// The `n`th `wd` of a month (`-1`: the last; `0`: the first that falls on
/// one of `monthdays`, or the first when there are none).
fn nth_weekday(year: i32, month: u32, n: i32, wd: Weekday, monthdays: &[u32]) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| d.month() == month)
        .filter(|d| d.weekday() == wd)
        .filter(|d| monthdays.is_empty() || monthdays.contains(&d.day()))
        .collect();
    match n {
        0 => days.first().copied(),
        n if n > 0 => days.get(n as usize - 1).copied(),
        n => days
            .len()
            .checked_sub(n.unsigned_abs() as usize)
            .map(|i| days[i]),
    }
}

/// Read a `DTSTART`/`DTEND`/`LAST-MODIFIED`-style property.
pub fn when(p: &Property, cal: &Calendar) -> Result<When, String> {
    let v = p.value.trim();
    let is_date = p
        .param("VALUE")
        .is_some_and(|t| t.eq_ignore_ascii_case("DATE"))
        || (v.len() == 8 && !v.contains('T'));
    if is_date {
        return parse_date(v)
            .map(When::Date)
            .ok_or_else(|| format!("{} `{v}` is not a date (YYYYMMDD)", p.name));
    }
    if let Some(utc) = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        return parse_local(utc)
            .map(|t| When::Instant(Utc.from_utc_datetime(&t)))
            .ok_or_else(|| format!("{} `{v}` is not a date-time (YYYYMMDDTHHMMSSZ)", p.name));
    }
    let local = parse_local(v)
        .ok_or_else(|| format!("{} `{v}` is not a date-time (YYYYMMDDTHHMMSS)", p.name))?;
    match p.param("TZID") {
        None => Ok(When::Floating(local)),
        Some(tzid) => {
            let zone = Zone::resolve(tzid, cal).map_err(|e| format!("{} {e}", p.name))?;
            Ok(When::Instant(zone.instant(local)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::reader::read;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    const OUTLOOK: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    #[test]
    fn outlook_zones_are_placed_by_their_rules() {
        let cal = read(OUTLOOK.as_bytes()).unwrap().remove(0);
        let z = Zone::resolve("W. Europe Standard Time", &cal).unwrap();
        let at = |s: &str| z.instant(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap());
        // Same answers as chrono-tz's Europe/Berlin on both sides of DST.
        assert_eq!(at("2026-03-28T18:00"), utc("2026-03-28T17:00:00Z"));
        assert_eq!(at("2026-03-29T18:00"), utc("2026-03-29T16:00:00Z"));
        assert_eq!(at("2026-10-24T18:00"), utc("2026-10-24T16:00:00Z"));
        assert_eq!(at("2026-10-25T18:00"), utc("2026-10-25T17:00:00Z"));
        assert_eq!(at("2027-07-01T09:30"), utc("2027-07-01T07:30:00Z"));
        // 02:30 on 25 October 2026 happens twice: the first (CEST) is meant.
        assert_eq!(at("2026-10-25T02:30"), utc("2026-10-25T00:30:00Z"));
        // 02:30 on 29 March 2026 does not exist: read with the offset before.
        assert_eq!(at("2026-03-29T02:30"), utc("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn iana_names_are_found_behind_prefixes_and_x_lic_location() {
        let cal = Calendar::default();
        for id in [
            "America/New_York",
            "/mozilla.org/20050126_1/America/New_York",
            "/citadel.org/20190914_1/America/New_York",
        ] {
            assert!(matches!(
                Zone::resolve(id, &cal),
                Ok(Zone::Iana(chrono_tz::America::New_York))
            ));
        }
        let e = Zone::resolve("Eastern Standard Time", &cal).unwrap_err();
        assert!(e.contains("no VTIMEZONE"), "{e}");
        let cal = read(b"BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Custom\nX-LIC-LOCATION:Asia/Kolkata\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\nEND:VCALENDAR\n").unwrap().remove(0);
        assert!(matches!(
            Zone::resolve("Custom", &cal),
            Ok(Zone::Iana(chrono_tz::Asia::Kolkata))
        ));
    }

    #[test]
    fn durations_and_offsets() {
        assert_eq!(parse_duration("PT2H30M"), Some(Duration::minutes(150)));
        assert_eq!(parse_duration("P1D"), Some(Duration::days(1)));
        assert_eq!(parse_duration("P1W"), Some(Duration::weeks(1)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(parse_duration("P1DT1H"), Some(Duration::hours(25)));
        assert_eq!(parse_duration("PT"), None);
        assert_eq!(parse_duration("2H"), None);
        assert_eq!(parse_offset("+0530"), Some(19800));
        assert_eq!(parse_offset("-0500"), Some(-18000));
        assert_eq!(parse_offset("-001632"), Some(-992));
        assert_eq!(parse_offset("0500"), None);
    }

    #[test]
    fn gaps_and_repeats_in_iana_zones_follow_rfc_5545() {
        let at = |z: Tz, s: &str| {
            Zone::Iana(z).instant(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap())
        };
        let ny = chrono_tz::America::New_York;
        assert_eq!(at(ny, "2026-03-08T02:30"), utc("2026-03-08T07:30:00Z"));
        assert_eq!(at(ny, "2026-11-01T01:30"), utc("2026-11-01T05:30:00Z"));
        let syd = chrono_tz::Australia::Sydney;
        assert_eq!(at(syd, "2026-10-04T02:30"), utc("2026-10-03T16:30:00Z"));
    }
}
