//! Local wall-clock times -> zoned instants (chrono-tz), and the way times
//! are shown on pages.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;

/// Parse an IANA zone name; the error is a help text with the closest name.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    // Case-insensitive match first (`europe/berlin`), then the closest name.
    if let Some(tz) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|t| t.name().eq_ignore_ascii_case(name))
    {
        return Err(format!(
            "zone names are case-sensitive: write `{}`",
            tz.name()
        ));
    }
    let best = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|t| {
            (
                strsim::jaro_winkler(&name.to_ascii_lowercase(), &t.name().to_ascii_lowercase()),
                t.name(),
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Err(match best {
        Some((score, n)) if score > 0.8 => format!(
            "did you mean `{n}`? Use an IANA zone name such as `America/New_York` or `Europe/Berlin`"
        ),
        _ => {
            "use an IANA zone name such as `America/New_York`, `Europe/Berlin` or `UTC`".to_string()
        }
    })
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Parse a local date-time `YYYY-MM-DDTHH:MM[:SS]` (a space instead of `T`
/// is accepted too).
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Why a local time could not be placed in its zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub message: String,
    pub help: String,
}

/// Place a local wall-clock time in `tz`. A time skipped by a daylight-saving
/// change is an error naming the gap; a repeated time means the first.
pub fn localize(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Tz>, Gap> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(first, _) => Ok(first),
        LocalResult::None => {
            // Find the edges of the gap: the last valid minute before and the
            // first after, scanning at most a day each way.
            let before = (1..=24 * 60)
                .map(|m| local - chrono::Duration::minutes(m))
                .find_map(|t| tz.from_local_datetime(&t).earliest());
            let after = (1..=24 * 60)
                .map(|m| local + chrono::Duration::minutes(m))
                .find_map(|t| tz.from_local_datetime(&t).earliest());
            let (from, to) = match (before, after) {
                (Some(b), Some(a)) => (
                    format!(
                        "{} {}",
                        (b.naive_local() + chrono::Duration::minutes(1)).format("%H:%M"),
                        abbreviation(&b)
                    ),
                    a.format("%H:%M %Z").to_string(),
                ),
                _ => ("?".into(), "?".into()),
            };
            Err(Gap {
                message: format!(
                    "{} does not exist in {}: on that day clocks jump from {from} to {to}",
                    local.format("%Y-%m-%dT%H:%M"),
                    tz.name()
                ),
                help: format!(
                    "pick a time before {} or from {} on",
                    from.split(' ').next().unwrap_or(""),
                    to.split(' ').next().unwrap_or("")
                ),
            })
        }
    }
}

/// The zone's abbreviation at `t` (`EST`, `CEST`, `IST`, or `+03`).
pub fn abbreviation(t: &DateTime<Tz>) -> String {
    use chrono_tz::OffsetName as _;
    match t.offset().abbreviation() {
        Some(a) => a.to_string(),
        None => t.format("%Z").to_string(),
    }
}

// Names for the labels below, written out rather than formatted with
// chrono's `%a`/`%b` patterns: a build makes several labels per event, and
// parsing a pattern each time cost more than the rest of the label.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_LONG: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Thu`.
pub fn weekday_short(d: NaiveDate) -> &'static str {
    WEEKDAYS[d.weekday().num_days_from_monday() as usize]
}

/// `Thursday`.
pub fn weekday_long(d: NaiveDate) -> &'static str {
    WEEKDAYS_LONG[d.weekday().num_days_from_monday() as usize]
}

/// `Dec`.
pub fn month_short(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// `December`.
pub fn month_long(d: NaiveDate) -> &'static str {
    MONTHS_LONG[d.month0() as usize]
}

/// `Thu 3 Dec 2026`.
pub fn date_label(t: &DateTime<Tz>) -> String {
    naive_date_label(t.date_naive())
}

fn naive_date_label(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_short(d),
        d.day(),
        month_short(d),
        d.year()
    )
}

/// `Thursday 3 December 2026`.
pub fn date_label_long(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_long(d),
        d.day(),
        month_long(d),
        d.year()
    )
}

fn hm(t: &NaiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `18:00–20:00 EST`, or `18:00 – Fri 4 Dec 2026, 02:00 GMT` across midnight.
/// When the zone's abbreviation changes in between, both are shown.
pub fn time_range_label(start: &DateTime<Tz>, end: &DateTime<Tz>) -> String {
    let (a, b) = (abbreviation(start), abbreviation(end));
    let (s, e) = (start.naive_local(), end.naive_local());
    if s.date() == e.date() {
        if a == b {
            format!("{}–{} {a}", hm(&s), hm(&e))
        } else {
            format!("{} {a} – {} {b}", hm(&s), hm(&e))
        }
    } else if a == b {
        format!(
            "{} – {}, {} {b}",
            hm(&s),
            naive_date_label(e.date()),
            hm(&e)
        )
    } else {
        format!(
            "{} {a} – {}, {} {b}",
            hm(&s),
            naive_date_label(e.date()),
            hm(&e)
        )
    }
}

/// `Thu 3 Dec 2026, 18:00–20:00 EST`.
pub fn when_label(start: &DateTime<Tz>, end: &DateTime<Tz>) -> String {
    format!("{}, {}", date_label(start), time_range_label(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(tz: Tz, s: &str) -> DateTime<Tz> {
        localize(tz, parse_local(s).unwrap()).unwrap()
    }

    #[test]
    fn labels_use_the_zone_abbreviation_on_each_side_of_dst() {
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            when_label(&at(ny, "2026-12-03T18:00"), &at(ny, "2026-12-03T20:00")),
            "Thu 3 Dec 2026, 18:00–20:00 EST"
        );
        assert_eq!(
            when_label(&at(ny, "2026-03-10T18:00"), &at(ny, "2026-03-10T20:00")),
            "Tue 10 Mar 2026, 18:00–20:00 EDT"
        );
        let kolkata = chrono_tz::Asia::Kolkata;
        assert_eq!(
            at(kolkata, "2026-01-01T10:00").to_rfc3339(),
            "2026-01-01T10:00:00+05:30"
        );
        assert_eq!(abbreviation(&at(kolkata, "2026-01-01T10:00")), "IST");
    }

    #[test]
    fn the_daylight_saving_gap_is_an_error_that_names_it() {
        let ny = chrono_tz::America::New_York;
        let e = localize(ny, parse_local("2026-03-08T02:30").unwrap()).unwrap_err();
        assert!(e.message.contains("02:00 EST"), "{}", e.message);
        assert!(e.message.contains("03:00 EDT"), "{}", e.message);
    }

    #[test]
    fn a_repeated_time_means_the_first() {
        let ny = chrono_tz::America::New_York;
        let t = at(ny, "2026-11-01T01:30");
        assert_eq!(t.to_rfc3339(), "2026-11-01T01:30:00-04:00");
    }

    #[test]
    fn across_midnight_and_across_a_change() {
        let lon = chrono_tz::Europe::London;
        assert_eq!(
            time_range_label(&at(lon, "2026-12-04T22:00"), &at(lon, "2026-12-05T01:00")),
            "22:00 – Sat 5 Dec 2026, 01:00 GMT"
        );
        assert_eq!(
            time_range_label(&at(lon, "2026-03-28T23:00"), &at(lon, "2026-03-29T03:00")),
            "23:00 GMT – Sun 29 Mar 2026, 03:00 BST"
        );
    }

    #[test]
    fn zone_names_are_checked_with_a_suggestion() {
        assert!(parse_zone("Europe/Berlin").is_ok());
        assert!(
            parse_zone("europe/berlin")
                .unwrap_err()
                .contains("`Europe/Berlin`")
        );
        assert!(
            parse_zone("America/New_Yrok")
                .unwrap_err()
                .contains("America/New_York")
        );
        assert!(parse_zone("Mars/Olympus").is_err());
    }
}
