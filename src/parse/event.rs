//! `content/chapters/<chapter>/events/<YYYY-MM-DD>-<slug>.md` front matter.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::model::time::{parse_local, parse_zone};
use crate::model::{
    Affiliation, AttendanceMode, Format, SPEAKER_AFFILIATIONS, Speaker, Status, Talk, Venue,
};
use crate::parse::{UrlKind, check_url, choice, choice_value, id_list, url_field};
use crate::source::FileId;
use crate::source::yaml::{Reader, Seg, Value, scalar_text};

const FIELDS: &[&str] = &[
    "title",
    "start",
    "end",
    "timezone",
    "status",
    "updated",
    "format",
    "attendance_mode",
    "venue",
    "registration",
    "promotion",
    "price",
    "capacity",
    "talks",
    "sponsors",
    "rsvps",
    "attendance",
];
const DATETIME: &str = "a local date-time like `2026-12-03T18:00`";

/// An event as written; its times are placed in a zone by `model`.
#[derive(Debug, Clone)]
pub struct EventDoc {
    pub id: String,
    pub file: FileId,
    pub chapter: String,
    pub title: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub timezone: Option<Tz>,
    pub status: Status,
    pub updated: Option<NaiveDateTime>,
    pub formats: Vec<Format>,
    pub attendance_mode: AttendanceMode,
    pub venue: Option<Venue>,
    pub registration: Option<String>,
    pub promotion: Vec<String>,
    pub price: Option<String>,
    pub capacity: Option<u32>,
    pub talks: Vec<Talk>,
    /// Sponsor ids with their place in the file.
    pub sponsors: Vec<(String, Vec<Seg>)>,
    pub rsvps: Option<u32>,
    pub attendance: Option<u32>,
}

/// Split an event file stem into its date and slug.
pub fn split_stem(stem: &str) -> Option<(NaiveDate, &str)> {
    let date = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let slug = stem.get(10..)?.strip_prefix('-')?;
    crate::source::is_valid_id(slug).then_some((date, slug))
}

fn datetime(
    r: &mut Reader<'_>,
    obj: &crate::source::yaml::Obj<'_>,
    key: &str,
    required: bool,
) -> Option<NaiveDateTime> {
    let text = r.text(obj, key, required, DATETIME)?;
    parse_local(&text).or_else(|| {
        let help = if text.contains('+') || text.ends_with('Z') {
            format!("write the local time without an offset, like `{key}: 2026-12-03T18:00`; the zone comes from `timezone`")
        } else {
            format!("write `{key}: YYYY-MM-DDTHH:MM`, like `{key}: 2026-12-03T18:00`")
        };
        r.error(&[Seg::key(key)], "content/invalid-date", format!("`{key}` must be {DATETIME}, found `{text}`"), help);
        None
    })
}

fn whole_number(r: &mut Reader<'_>, obj: &crate::source::yaml::Obj<'_>, key: &str) -> Option<u32> {
    r.opt::<u32>(obj, key, "a whole number")
}

pub(crate) fn parse(
    r: &mut Reader<'_>,
    value: &Value,
    chapter: &str,
    stem: &str,
) -> Option<EventDoc> {
    let split = split_stem(stem);
    if split.is_none() {
        let suggestion = format!(
            "YYYY-MM-DD-{}",
            crate::source::suggest_id(
                stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            )
        );
        r.error(
            &[],
            "content/invalid-id",
            format!("`{stem}.md` is not a valid event file name"),
            format!("name event files `<YYYY-MM-DD>-<slug>.md` with the start date and a slug of lowercase letters, digits and `-`, like `{suggestion}.md`"),
        );
    }
    let obj = r.object(value, vec![], FIELDS)?;
    let title = r.text(&obj, "title", true, "the event's title");
    let start = datetime(r, &obj, "start", true);
    let end = datetime(r, &obj, "end", true);
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            r.error(
                &[Seg::key("end")],
                "content/end-before-start",
                format!(
                    "`end` ({}) is not after `start` ({})",
                    e.format("%Y-%m-%dT%H:%M"),
                    s.format("%Y-%m-%dT%H:%M")
                ),
                "set `end` to a later date-time than `start`",
            );
        }
    }
    if let (Some(s), Some((date, slug))) = (start, split) {
        if s.date() != date {
            r.error(
                &[Seg::key("start")],
                "content/date-mismatch",
                format!("the file name says {date} but `start` is on {}", s.date()),
                format!(
                    "rename the file to `{}-{slug}.md`, or correct `start`",
                    s.date()
                ),
            );
        }
    }
    let timezone = r
        .text(
            &obj,
            "timezone",
            false,
            "an IANA zone like `America/New_York`",
        )
        .and_then(|z| match parse_zone(&z) {
            Ok(tz) => Some(tz),
            Err(help) => {
                r.error(
                    &[Seg::key("timezone")],
                    "content/unknown-timezone",
                    format!("unknown time zone `{z}`"),
                    help,
                );
                None
            }
        });
    let status = if obj.has("status") {
        choice(r, &obj, "status", false, Status::ALL, Status::parse)?
    } else {
        Status::Scheduled
    };
    let updated = datetime(r, &obj, "updated", false);
    let mut formats = Vec::new();
    for (path, v) in r.list(&obj, "format", "event formats") {
        if let Some(t) = scalar_text(v) {
            if let Some(f) = choice_value(r, &path, &t, Format::ALL, Format::parse) {
                formats.push(f);
            }
        }
    }
    let attendance_mode = if obj.has("attendance_mode") {
        choice(
            r,
            &obj,
            "attendance_mode",
            false,
            AttendanceMode::ALL,
            AttendanceMode::parse,
        )?
    } else {
        AttendanceMode::InPerson
    };
    let venue = match obj.get("venue") {
        None => None,
        Some(v) => {
            let vobj = r.object(v, vec![Seg::key("venue")], &["name", "address", "map_url"])?;
            let name = r.text(&vobj, "name", true, "the venue's name");
            let address = r.text(&vobj, "address", true, "the street address");
            let map_url = url_field(r, &vobj, "map_url", false, UrlKind::Web);
            Some(Venue {
                name: name?,
                address: address?,
                map_url,
            })
        }
    };
    if venue.is_none() && attendance_mode != AttendanceMode::Online && !obj.has("venue") {
        r.error(
            &[Seg::key("attendance_mode")],
            "content/missing-field",
            format!("an {} event needs a `venue`", attendance_mode.as_str()),
            "add `venue:` with `name:` and `address:` indented below it, or set `attendance_mode: online`",
        );
    }
    let registration = url_field(r, &obj, "registration", false, UrlKind::Web);
    let mut promotion = Vec::new();
    for (path, v) in r.list(&obj, "promotion", "web addresses") {
        match scalar_text(v) {
            Some(u) => {
                if let Some(u) = check_url(r, &path, &u, UrlKind::Web) {
                    promotion.push(u);
                }
            }
            None => r.error(
                &path,
                "content/wrong-type",
                "each `promotion` item must be a web address".into(),
                "write `- https://…` on its own line",
            ),
        }
    }
    let price = obj.get("price").and_then(scalar_text);
    let capacity = whole_number(r, &obj, "capacity");
    let rsvps = whole_number(r, &obj, "rsvps");
    let attendance = whole_number(r, &obj, "attendance");
    let mut talks = Vec::new();
    for (path, v) in r.list(&obj, "talks", "talks with `title:` and `speaker:`") {
        let Some(tobj) = r.object(v, path.clone(), &["title", "speaker", "reviewed_by"]) else {
            continue;
        };
        let ttitle = r.text(&tobj, "title", true, "the talk's title");
        let speaker = match tobj.get("speaker") {
            None => {
                r.missing(
                    &tobj,
                    "speaker",
                    "`name:`, `company:` and `affiliation:` indented below it",
                );
                None
            }
            Some(sv) => r
                .object(
                    sv,
                    tobj.child(Seg::key("speaker")),
                    &["name", "company", "affiliation"],
                )
                .and_then(|sobj| {
                    let name = r.text(&sobj, "name", true, "the speaker's name");
                    let company = r.text(&sobj, "company", false, "the speaker's employer");
                    let affiliation = choice(
                        r,
                        &sobj,
                        "affiliation",
                        true,
                        SPEAKER_AFFILIATIONS,
                        Affiliation::parse,
                    );
                    Some(Speaker {
                        name: name?,
                        company,
                        affiliation: affiliation?,
                    })
                }),
        };
        let reviewed_by = r.text(
            &tobj,
            "reviewed_by",
            false,
            "the id of a leader of this chapter",
        );
        if let (Some(title), Some(speaker)) = (ttitle, speaker) {
            talks.push(Talk {
                title,
                speaker,
                reviewed_by,
            });
        }
    }
    let sponsors = id_list(r, &obj, "sponsors", "sponsor");
    let (date_ok, id) = (split.is_some(), stem.to_string());
    if !date_ok {
        return None;
    }
    Some(EventDoc {
        id,
        file: r.file,
        chapter: chapter.to_string(),
        title: title?,
        start: start?,
        end: end.filter(|e| *e > start.unwrap_or(*e))?,
        timezone,
        status,
        updated,
        formats,
        attendance_mode,
        venue,
        registration,
        promotion,
        price,
        capacity,
        talks,
        sponsors,
        rsvps,
        attendance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_split_into_date_and_slug() {
        let (d, s) = split_stem("2026-12-03-jira-night").unwrap();
        assert_eq!(d.to_string(), "2026-12-03");
        assert_eq!(s, "jira-night");
        assert!(split_stem("2026-13-03-x").is_none());
        assert!(split_stem("2026-12-03").is_none());
        assert!(split_stem("2026-12-03-Bad_Slug").is_none());
        assert!(split_stem("night").is_none());
    }
}
