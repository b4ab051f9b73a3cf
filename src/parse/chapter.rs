//! `content/chapters/<chapter>/chapter.yaml`.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::is_email;
use crate::model::time::{parse_date, parse_zone};
use crate::parse::{UrlKind, check_id, id_list, url_field};
use crate::source::FileId;
use crate::source::yaml::{Reader, Seg, Value};

const FIELDS: &[&str] = &[
    "name",
    "city",
    "country",
    "region",
    "timezone",
    "leaders",
    "founded",
    "online_group",
    "contact",
    "sponsors",
    "description",
];

/// A chapter as written; references are resolved by `model`.
#[derive(Debug, Clone)]
pub struct ChapterDoc {
    pub id: String,
    pub file: FileId,
    pub name: String,
    pub city: String,
    pub country: String,
    pub region: Option<String>,
    pub timezone: Option<Tz>,
    /// Leader ids with their place in the file.
    pub leaders: Vec<(String, Vec<Seg>)>,
    pub founded: Option<NaiveDate>,
    pub online_group: Option<String>,
    pub contact: Option<String>,
    pub sponsors: Vec<(String, Vec<Seg>)>,
    pub description: Option<String>,
}

pub(crate) fn parse(r: &mut Reader<'_>, value: &Value, id: &str) -> Option<ChapterDoc> {
    let id_ok = check_id(r, id, "chapter");
    let obj = r.object(value, vec![], FIELDS)?;
    let name = r.text(
        &obj,
        "name",
        true,
        "the chapter's display name, like `Palm Beach, FL`",
    );
    let city = r.text(&obj, "city", true, "the city the chapter meets in");
    let country = r.text(&obj, "country", true, "a two-letter country code like `US`");
    let country = country.and_then(|c| {
        let up = c.trim().to_ascii_uppercase();
        if up.len() == 2 && up.chars().all(|ch| ch.is_ascii_uppercase()) {
            Some(up)
        } else {
            r.error(
                &[Seg::key("country")],
                "content/invalid-value",
                format!("`country` must be a two-letter ISO 3166-1 code, found `{c}`"),
                "write a code like `US`, `DE` or `IN`",
            );
            None
        }
    });
    let region = r.text(&obj, "region", false, "a region name like `Europe`");
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
    let leaders = id_list(r, &obj, "leaders", "leader");
    if leaders.is_empty() && obj.get("leaders").is_none() {
        r.missing(
            &obj,
            "leaders",
            "a list of leader ids (files in `content/leaders/`), one per line starting with `- `",
        );
    } else if leaders.is_empty() {
        r.error(
            &[Seg::key("leaders")],
            "content/missing-field",
            "`leaders` must list at least one leader".into(),
            "add `- <leader id>` lines under `leaders:`",
        );
    }
    let founded = r
        .text(&obj, "founded", false, "a date like `2021-05-01`")
        .and_then(|d| {
            parse_date(&d).or_else(|| {
                r.error(
                    &[Seg::key("founded")],
                    "content/invalid-date",
                    format!("`founded` must be a date, found `{d}`"),
                    "write it as `YYYY-MM-DD`, like `founded: 2021-05-01`",
                );
                None
            })
        });
    let online_group = url_field(r, &obj, "online_group", false, UrlKind::Web);
    let contact = r
        .text(&obj, "contact", false, "an e-mail address")
        .and_then(|c| {
            if is_email(&c) {
                Some(c)
            } else {
                r.error(
                    &[Seg::key("contact")],
                    "content/invalid-email",
                    format!("`contact` must be an e-mail address, found `{c}`"),
                    "write an address like `contact: leaders@example.org`",
                );
                None
            }
        });
    let sponsors = id_list(r, &obj, "sponsors", "sponsor");
    let description = r.text(
        &obj,
        "description",
        false,
        "Markdown text about the chapter",
    );
    if !id_ok {
        return None;
    }
    Some(ChapterDoc {
        id: id.to_string(),
        file: r.file,
        name: name?,
        city: city?,
        country: country?,
        region,
        timezone,
        leaders,
        founded,
        online_group,
        contact,
        sponsors,
        description,
    })
}
