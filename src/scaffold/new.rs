//! `new`: one chapter, event, leader or guide file from checked options.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

use crate::check::rules::registration_official::is_official;
use crate::model::time::{localize, parse_date, parse_local, parse_zone};
use crate::model::{AttendanceMode, Category, Format, LEADER_AFFILIATIONS};
use crate::scaffold::{NewFile, ScaffoldError, SiteInfo, err, id_from, markdown_file};

/// A venue that is not known yet; `check` accepts it and the page says so.
pub const VENUE_TBA: &str = "To be announced";

/// Options of `new event`.
#[derive(Debug, Clone, Default)]
pub struct EventSpec {
    pub chapter: String,
    pub title: String,
    /// `YYYY-MM-DDTHH:MM`
    pub start: String,
    /// `YYYY-MM-DDTHH:MM`, or `HH:MM` on the day of `start`
    pub end: String,
    pub timezone: Option<String>,
    pub registration: Option<String>,
    /// The file name's part after the date; default: from the title.
    pub slug: Option<String>,
    pub venue: Option<String>,
    pub address: Option<String>,
    /// `in-person` (default), `online` or `hybrid`
    pub mode: Option<String>,
    pub formats: Vec<String>,
    /// The Markdown body; default: a short outline to fill in.
    pub body: Option<String>,
}

#[derive(Serialize)]
struct VenueFront<'a> {
    name: &'a str,
    address: &'a str,
}

#[derive(Serialize)]
struct EventFront<'a> {
    title: &'a str,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    format: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attendance_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<VenueFront<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration: Option<&'a str>,
}

fn local_text(t: NaiveDateTime) -> String {
    if t.second() == 0 {
        t.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

const DATETIME_HELP: &str = "write it as YYYY-MM-DDTHH:MM, like 2026-12-03T18:00";

/// The event file for `spec`, checked against `site`. `today` decides
/// whether the event still needs a registration link.
pub fn event(
    site: &SiteInfo,
    spec: &EventSpec,
    today: NaiveDate,
) -> Result<NewFile, ScaffoldError> {
    site.known_chapter(&spec.chapter)?;
    let title = spec.title.trim();
    if title.is_empty() {
        return err("the title is empty; give one with --title \"Automation night\"");
    }
    let start = parse_local(&spec.start).ok_or_else(|| {
        ScaffoldError(format!(
            "--start `{}` is not a local date-time; {DATETIME_HELP}",
            spec.start
        ))
    })?;
    let end = match parse_local(&spec.end) {
        Some(t) => t,
        None => match NaiveTime::parse_from_str(spec.end.trim(), "%H:%M") {
            Ok(t) => start.date().and_time(t),
            Err(_) => {
                return err(format!(
                    "--end `{}` is not a local date-time; {DATETIME_HELP}, or give only the time (20:00) for the day of --start",
                    spec.end
                ));
            }
        },
    };
    let zone_name = match &spec.timezone {
        Some(z) => z.clone(),
        None => site.chapters[&spec.chapter]
            .clone()
            .unwrap_or_else(|| site.timezone.clone()),
    };
    let zone = parse_zone(&zone_name).map_err(|help| {
        let whose = if spec.timezone.is_some() {
            "--timezone"
        } else {
            "the chapter's timezone"
        };
        ScaffoldError(format!("{whose} `{zone_name}` is not a time zone: {help}"))
    })?;
    let at = |t: NaiveDateTime, option: &str| {
        localize(zone, t).map_err(|g| {
            ScaffoldError(format!(
                "{option} {}: {}; {}",
                local_text(t),
                g.message,
                g.help
            ))
        })
    };
    let (start_at, end_at) = (at(start, "--start")?, at(end, "--end")?);
    if end_at <= start_at {
        return err(format!(
            "--end {} is not after --start {}; give the time the event ends",
            local_text(end),
            local_text(start)
        ));
    }
    let slug = id_from(spec.slug.as_deref(), title, "event", "--slug")?;
    let mode = match spec.mode.as_deref() {
        None => AttendanceMode::InPerson,
        Some(m) => AttendanceMode::parse(m).ok_or_else(|| {
            ScaffoldError(format!(
                "--mode `{m}` is not one of {}",
                AttendanceMode::ALL.join(", ")
            ))
        })?,
    };
    let mut formats = Vec::new();
    for f in &spec.formats {
        let f = Format::parse(f).ok_or_else(|| {
            ScaffoldError(format!(
                "--format `{f}` is not one of {}",
                Format::ALL.join(", ")
            ))
        })?;
        formats.push(f.as_str());
    }
    let mut notes = Vec::new();
    let venue = match (mode, spec.venue.as_deref(), spec.address.as_deref()) {
        (AttendanceMode::Online, None, None) => None,
        (AttendanceMode::Online, _, _) => {
            return err(
                "an online event has no venue; leave out --venue and --address, or use --mode hybrid",
            );
        }
        (_, Some(name), Some(address)) => Some(VenueFront { name, address }),
        (_, Some(_), None) => {
            return err("--venue needs --address too (street, city), so people can find it");
        }
        (_, None, Some(_)) => return err("--address needs --venue too (the name of the place)"),
        (_, None, None) => {
            notes.push(format!(
                "the venue is \"{VENUE_TBA}\"; fill in `venue:` `name:` and `address:` when you know them"
            ));
            Some(VenueFront {
                name: VENUE_TBA,
                address: VENUE_TBA,
            })
        }
    };
    let host = &site.registration_host;
    let registration = match spec.registration.as_deref() {
        Some(url) if is_official(url, host) => Some(url),
        Some(url) => {
            return err(format!(
                "--registration `{url}` is not on the registration system: RSVPs go through an https link on `{host}` (or a subdomain), like https://{host}/events/…"
            ));
        }
        None => None,
    };
    let mut extra = String::new();
    if registration.is_none() && end_at.date_naive() >= today {
        extra = format!(
            "# registration: https://{host}/…   (the RSVP link; required before publishing)\n"
        );
        notes.push(format!(
            "add `registration:` with the event's RSVP link on {host}; `chapterhouse check` reports it until then"
        ));
    }
    let front = EventFront {
        title,
        start: local_text(start),
        end: local_text(end),
        timezone: spec.timezone.as_deref().map(|_| zone.name()),
        format: formats,
        attendance_mode: (mode != AttendanceMode::InPerson).then(|| mode.as_str()),
        venue,
        registration,
    };
    let body = spec.body.clone().unwrap_or_else(|| {
        format!(
            "What is this meetup about, and who is it for? Replace this paragraph with a few\n\
             sentences that make a newcomer want to come.\n\n\
             ## Agenda\n\n\
             - **{}** Doors open\n\
             - **{}** Close\n",
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    });
    Ok(NewFile {
        path: format!(
            "content/chapters/{}/events/{}-{slug}.md",
            spec.chapter,
            start.format("%Y-%m-%d")
        ),
        text: markdown_file(&front, &extra, &body)?,
        notes,
    })
}

/// Options of `new chapter`.
#[derive(Debug, Clone, Default)]
pub struct ChapterSpec {
    /// Default: from the name.
    pub id: Option<String>,
    pub name: String,
    /// Default: the name.
    pub city: Option<String>,
    pub country: String,
    pub region: Option<String>,
    pub timezone: Option<String>,
    pub leaders: Vec<String>,
    /// Default: today.
    pub founded: Option<String>,
    pub online_group: Option<String>,
    pub contact: Option<String>,
    pub description: Option<String>,
}

#[derive(Serialize)]
struct ChapterFront<'a> {
    name: &'a str,
    city: &'a str,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<&'a str>,
    leaders: &'a [String],
    founded: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    online_group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a str>,
    description: String,
}

pub fn chapter(
    site: &SiteInfo,
    spec: &ChapterSpec,
    today: NaiveDate,
) -> Result<NewFile, ScaffoldError> {
    let name = spec.name.trim();
    if name.is_empty() {
        return err("the name is empty; give one with --name \"Palm Beach, FL\"");
    }
    let id = id_from(spec.id.as_deref(), name, "chapter", "an ID argument")?;
    if site.chapters.contains_key(&id) {
        return err(format!(
            "the chapter `{id}` already exists (`content/chapters/{id}/chapter.yaml`); nothing was written"
        ));
    }
    let country = spec.country.trim();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return err(format!(
            "--country `{country}` is not a two-letter ISO 3166 code; write it like `US`, `DE` or `IN`"
        ));
    }
    let timezone = match &spec.timezone {
        Some(z) => Some(
            parse_zone(z)
                .map_err(|help| {
                    ScaffoldError(format!("--timezone `{z}` is not a time zone: {help}"))
                })?
                .name(),
        ),
        None => None,
    };
    if spec.leaders.is_empty() {
        return err("a chapter needs at least one leader: add --leader <id> (once per leader)");
    }
    for l in &spec.leaders {
        site.known_leader(l)?;
    }
    let founded = match &spec.founded {
        Some(d) => parse_date(d).ok_or_else(|| {
            ScaffoldError(format!(
                "--founded `{d}` is not a date; write it as YYYY-MM-DD"
            ))
        })?,
        None => today,
    };
    if let Some(u) = &spec.online_group
        && !matches!(url::Url::parse(u), Ok(p) if p.scheme() == "https" || p.scheme() == "http")
    {
        return err(format!(
            "--online-group `{u}` is not a web address; write it like https://…"
        ));
    }
    if let Some(c) = &spec.contact
        && !crate::config::is_email(c)
    {
        return err(format!("--contact `{c}` is not an e-mail address"));
    }
    let description = spec.description.clone().unwrap_or_else(|| {
        format!(
            "Who we are, where we meet and who is welcome: replace this with a few lines\n\
             about the {name} chapter. Markdown works here.\n"
        )
    });
    let front = ChapterFront {
        name,
        city: spec.city.as_deref().map_or(name, str::trim),
        country: country.to_ascii_uppercase(),
        region: spec.region.as_deref(),
        timezone,
        leaders: &spec.leaders,
        founded: founded.format("%Y-%m-%d").to_string(),
        online_group: spec.online_group.as_deref(),
        contact: spec.contact.as_deref(),
        description,
    };
    let text = crate::source::yaml::to_string(&front).map_err(ScaffoldError)?;
    Ok(NewFile {
        path: format!("content/chapters/{id}/chapter.yaml"),
        text,
        notes: Vec::new(),
    })
}

/// Options of `new leader`.
#[derive(Debug, Clone, Default)]
pub struct LeaderSpec {
    /// Default: from the name.
    pub id: Option<String>,
    pub name: String,
    /// Default: `user`.
    pub affiliation: Option<String>,
    pub company: Option<String>,
    /// Default: a line asking for a bio.
    pub bio: Option<String>,
}

#[derive(Serialize)]
struct LeaderFront<'a> {
    name: &'a str,
    affiliation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<&'a str>,
}

pub fn leader(site: &SiteInfo, spec: &LeaderSpec) -> Result<NewFile, ScaffoldError> {
    let name = spec.name.trim();
    if name.is_empty() {
        return err("the name is empty; give one with --name \"Maria Gonzalez\"");
    }
    let id = id_from(spec.id.as_deref(), name, "leader", "an ID argument")?;
    if site.leaders.contains(&id) {
        return err(format!(
            "the leader `{id}` already exists (`content/leaders/{id}.md`); pass another id as the first argument"
        ));
    }
    let affiliation = spec.affiliation.as_deref().unwrap_or("user");
    if !LEADER_AFFILIATIONS.contains(&affiliation) {
        return err(format!(
            "--affiliation `{affiliation}` is not one of {}",
            LEADER_AFFILIATIONS.join(", ")
        ));
    }
    let company = spec
        .company
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if affiliation == "partner" && company.is_none() {
        return err(
            "a partner needs --company (the partner company's name), so readers can see the affiliation",
        );
    }
    let mut notes = Vec::new();
    if affiliation != "user" {
        notes.push(format!(
            "the guidelines ask chapter leaders to be users; a leader with affiliation `{affiliation}` listed by a chapter breaks `leader-must-be-user`"
        ));
    }
    let first = name.split_whitespace().next().unwrap_or(name);
    let bio = spec.bio.clone().unwrap_or_else(|| {
        format!(
            "{first} helps run the chapter. Replace this with a few lines about {first}: what\n\
             they work on, and why they lead the group.\n"
        )
    });
    let front = LeaderFront {
        name,
        affiliation,
        company,
    };
    Ok(NewFile {
        path: format!("content/leaders/{id}.md"),
        text: markdown_file(&front, "", &bio)?,
        notes,
    })
}

/// Options of `new guide`.
#[derive(Debug, Clone, Default)]
pub struct GuideSpec {
    /// Default: from the title.
    pub id: Option<String>,
    pub title: String,
    pub category: String,
    /// A leader id.
    pub author: Option<String>,
    pub body: Option<String>,
}

#[derive(Serialize)]
struct GuideFront<'a> {
    title: &'a str,
    category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    updated: String,
}

pub fn guide(
    site: &SiteInfo,
    spec: &GuideSpec,
    today: NaiveDate,
) -> Result<NewFile, ScaffoldError> {
    let title = spec.title.trim();
    if title.is_empty() {
        return err("the title is empty; give one with --title \"Finding a venue\"");
    }
    let id = id_from(spec.id.as_deref(), title, "guide", "an ID argument")?;
    let category = Category::parse(&spec.category).ok_or_else(|| {
        ScaffoldError(format!(
            "--category `{}` is not one of {}",
            spec.category,
            Category::ALL.join(", ")
        ))
    })?;
    if let Some(a) = &spec.author {
        site.known_leader(a)?;
    }
    let body = spec.body.clone().unwrap_or_else(|| {
        "Write the guide here in Markdown: what to do, in what order, and what to watch\n\
         out for. Headings (`##`), lists and links all work.\n"
            .to_string()
    });
    let front = GuideFront {
        title,
        category: category.as_str(),
        author: spec.author.as_deref(),
        updated: today.format("%Y-%m-%d").to_string(),
    };
    Ok(NewFile {
        path: format!("content/guides/{id}.md"),
        text: markdown_file(&front, "", &body)?,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteInfo {
        SiteInfo {
            registration_host: "events.example.org".into(),
            timezone: "UTC".into(),
            chapters: [
                (
                    "palm-beach".to_string(),
                    Some("America/New_York".to_string()),
                ),
                ("rome".to_string(), None),
            ]
            .into(),
            leaders: ["ann".to_string(), "bo".to_string()].into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn spec() -> EventSpec {
        EventSpec {
            chapter: "palm-beach".into(),
            title: "Jira automation night".into(),
            start: "2026-12-03T18:00".into(),
            end: "2026-12-03T20:00".into(),
            ..EventSpec::default()
        }
    }

    #[test]
    fn an_event_file_is_named_by_date_and_title() {
        let f = event(&site(), &spec(), today()).unwrap();
        assert_eq!(
            f.path,
            "content/chapters/palm-beach/events/2026-12-03-jira-automation-night.md"
        );
        assert!(
            f.text.starts_with("---\ntitle: Jira automation night\n"),
            "{}",
            f.text
        );
        assert!(f.text.contains("start: 2026-12-03T18:00\n"), "{}", f.text);
        assert!(f.text.contains("end: 2026-12-03T20:00\n"), "{}", f.text);
        assert!(f.text.contains("name: To be announced"), "{}", f.text);
        assert!(
            f.text
                .contains("# registration: https://events.example.org/"),
            "{}",
            f.text
        );
        assert!(f.text.contains("- **18:00** Doors open"), "{}", f.text);
        assert_eq!(f.notes.len(), 2, "{:?}", f.notes);
    }

    #[test]
    fn event_options_are_written_as_given() {
        let s = EventSpec {
            registration: Some("https://events.example.org/e/9/".into()),
            venue: Some("Hall: east wing".into()),
            address: Some("1 Main St".into()),
            end: "21:30".into(),
            timezone: Some("Europe/Rome".into()),
            formats: vec!["talk".into(), "social".into()],
            slug: Some("automation".into()),
            ..spec()
        };
        let f = event(&site(), &s, today()).unwrap();
        assert_eq!(
            f.path,
            "content/chapters/palm-beach/events/2026-12-03-automation.md"
        );
        assert!(f.text.contains("end: 2026-12-03T21:30\n"), "{}", f.text);
        assert!(f.text.contains("timezone: Europe/Rome\n"), "{}", f.text);
        assert!(
            f.text
                .contains("registration: https://events.example.org/e/9/\n"),
            "{}",
            f.text
        );
        assert!(
            f.text.contains("'Hall: east wing'") || f.text.contains("\"Hall: east wing\""),
            "{}",
            f.text
        );
        assert!(f.text.contains("- talk\n- social\n"), "{}", f.text);
        assert!(!f.text.contains("# registration"), "{}", f.text);
        assert!(f.notes.is_empty(), "{:?}", f.notes);
    }

    #[test]
    fn bad_event_options_are_refused_with_the_fix() {
        let cases: Vec<(EventSpec, &str)> = vec![
            (
                EventSpec {
                    chapter: "palm-bech".into(),
                    ..spec()
                },
                "did you mean `palm-beach`?",
            ),
            (
                EventSpec {
                    start: "2026-13-03T18:00".into(),
                    ..spec()
                },
                "YYYY-MM-DDTHH:MM",
            ),
            (
                EventSpec {
                    end: "2026-12-03T17:00".into(),
                    ..spec()
                },
                "is not after --start",
            ),
            (
                EventSpec {
                    timezone: Some("Europe/Rom".into()),
                    ..spec()
                },
                "did you mean `Europe/Rome`?",
            ),
            (
                EventSpec {
                    timezone: Some("europe/rome".into()),
                    ..spec()
                },
                "case-sensitive",
            ),
            (
                EventSpec {
                    registration: Some("https://tickets.example.com/x".into()),
                    ..spec()
                },
                "events.example.org",
            ),
            (
                EventSpec {
                    venue: Some("Hall".into()),
                    ..spec()
                },
                "--address",
            ),
            (
                EventSpec {
                    mode: Some("online".into()),
                    venue: Some("Hall".into()),
                    ..spec()
                },
                "no venue",
            ),
            (
                EventSpec {
                    mode: Some("remote".into()),
                    ..spec()
                },
                "in-person, online, hybrid",
            ),
            (
                EventSpec {
                    formats: vec!["party".into()],
                    ..spec()
                },
                "lightning-talks",
            ),
            (
                EventSpec {
                    slug: Some("Bad Slug".into()),
                    ..spec()
                },
                "`bad-slug`",
            ),
            (
                EventSpec {
                    title: " ".into(),
                    ..spec()
                },
                "--title",
            ),
            // 2027-03-14 02:30 does not exist in New York (clocks go forward).
            (
                EventSpec {
                    start: "2027-03-14T02:30".into(),
                    end: "2027-03-14T04:00".into(),
                    ..spec()
                },
                "--start 2027-03-14T02:30",
            ),
        ];
        for (s, needle) in cases {
            let e = event(&site(), &s, today()).unwrap_err();
            assert!(e.0.contains(needle), "{needle:?} not in {e}");
        }
    }

    #[test]
    fn a_past_event_needs_no_registration_and_an_online_one_no_venue() {
        let s = EventSpec {
            start: "2026-01-03T18:00".into(),
            end: "2026-01-03T19:00".into(),
            mode: Some("online".into()),
            ..spec()
        };
        let f = event(&site(), &s, today()).unwrap();
        assert!(!f.text.contains("registration"), "{}", f.text);
        assert!(!f.text.contains("venue"), "{}", f.text);
        assert!(f.text.contains("attendance_mode: online\n"), "{}", f.text);
    }

    #[test]
    fn a_chapter_lists_existing_leaders() {
        let s = ChapterSpec {
            name: "Oslo".into(),
            country: "no".into(),
            timezone: Some("Europe/Oslo".into()),
            leaders: vec!["ann".into(), "bo".into()],
            ..ChapterSpec::default()
        };
        let f = chapter(&site(), &s, today()).unwrap();
        assert_eq!(f.path, "content/chapters/oslo/chapter.yaml");
        // `NO` must stay a string (YAML 1.1 reads a bare `no` as false).
        assert!(
            f.text.contains("country: NO") || f.text.contains("country: 'NO'"),
            "{}",
            f.text
        );
        assert!(f.text.contains("leaders:\n- ann\n- bo\n"), "{}", f.text);
        assert!(
            f.text.contains("founded: 2026-11-24") || f.text.contains("founded: '2026-11-24'"),
            "{}",
            f.text
        );
        for (s, needle) in [
            (
                ChapterSpec {
                    leaders: vec!["cy".into()],
                    ..s.clone()
                },
                "no leader `cy`",
            ),
            (
                ChapterSpec {
                    leaders: vec![],
                    ..s.clone()
                },
                "--leader",
            ),
            (
                ChapterSpec {
                    country: "Norway".into(),
                    ..s.clone()
                },
                "two-letter",
            ),
            (
                ChapterSpec {
                    id: Some("rome".into()),
                    ..s.clone()
                },
                "already exists",
            ),
            (
                ChapterSpec {
                    founded: Some("2026-02-30".into()),
                    ..s.clone()
                },
                "YYYY-MM-DD",
            ),
            (
                ChapterSpec {
                    timezone: Some("Mars/Base".into()),
                    ..s.clone()
                },
                "--timezone `Mars/Base`",
            ),
        ] {
            let e = chapter(&site(), &s, today()).unwrap_err();
            assert!(e.0.contains(needle), "{needle:?} not in {e}");
        }
    }

    #[test]
    fn a_leader_is_a_user_unless_told_and_a_partner_names_the_company() {
        let s = LeaderSpec {
            name: "Cy Young".into(),
            ..LeaderSpec::default()
        };
        let f = leader(&site(), &s).unwrap();
        assert_eq!(f.path, "content/leaders/cy-young.md");
        assert!(
            f.text
                .starts_with("---\nname: Cy Young\naffiliation: user\n---\nCy helps"),
            "{}",
            f.text
        );
        let p = LeaderSpec {
            affiliation: Some("partner".into()),
            ..s.clone()
        };
        assert!(leader(&site(), &p).unwrap_err().0.contains("--company"));
        let p = LeaderSpec {
            company: Some("Acme".into()),
            ..p
        };
        let f = leader(&site(), &p).unwrap();
        assert!(f.text.contains("company: Acme\n"));
        assert!(f.notes[0].contains("leader-must-be-user"));
        let e = leader(
            &site(),
            &LeaderSpec {
                id: Some("ann".into()),
                ..s
            },
        )
        .unwrap_err();
        assert!(e.0.contains("already exists"), "{e}");
    }

    #[test]
    fn a_guide_has_a_known_category_and_author() {
        let s = GuideSpec {
            title: "Finding a venue".into(),
            category: "venue".into(),
            author: Some("ann".into()),
            ..GuideSpec::default()
        };
        let f = guide(&site(), &s, today()).unwrap();
        assert_eq!(f.path, "content/guides/finding-a-venue.md");
        assert!(
            f.text.contains("category: venue\nauthor: ann\n"),
            "{}",
            f.text
        );
        let e = guide(
            &site(),
            &GuideSpec {
                category: "venues".into(),
                ..s.clone()
            },
            today(),
        )
        .unwrap_err();
        assert!(e.0.contains("sponsorship"), "{e}");
        let e = guide(
            &site(),
            &GuideSpec {
                author: Some("zed".into()),
                ..s
            },
            today(),
        )
        .unwrap_err();
        assert!(e.0.contains("no leader `zed`"), "{e}");
    }
}
