//! View structs: what each template sees. One struct per page type, built
//! from the [`Site`] by borrowing where it can. Every link is precomputed
//! here, so templates never build URLs.

use chrono::{DateTime, Datelike as _, Timelike as _};
use chrono_tz::Tz;
use serde::Serialize;

use crate::markdown::{self, Markdown};
use crate::model::time::{
    abbreviation, date_label, date_label_long, month_long, month_short, time_range_label,
    weekday_short,
};
use crate::model::{AttendanceMode, Author, Chapter, Event, Guide, Leader, Site, Sponsor, Status};
use crate::render::urls::{Urls, encode};

/// Shared by every page.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub organization: String,
    pub language: String,
    /// Path prefix of every link, e.g. `/groups/`.
    pub root: String,
    pub base_url: String,
    pub registration_name: String,
    pub registration_host: String,
    pub subscribe: SubscribeView,
    pub generator: String,
    /// Link to the shared stylesheet (with a content hash for caching).
    pub stylesheet: String,
    pub default_image: String,
}

/// Calendar subscription links for one feed.
#[derive(Debug, Clone, Serialize)]
pub struct SubscribeView {
    pub https: String,
    pub webcal: String,
    pub google: String,
    pub outlook: String,
}

impl SubscribeView {
    pub fn new(urls: &Urls, rel: &str, name: &str) -> Self {
        let webcal = urls.webcal(rel);
        SubscribeView {
            https: urls.absolute(rel),
            google: format!(
                "https://calendar.google.com/calendar/render?cid={}",
                encode(&webcal)
            ),
            outlook: format!(
                "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
                encode(&urls.absolute(rel)),
                encode(name)
            ),
            webcal,
        }
    }
}

/// Metadata of one page: title, canonical URL, sharing tags.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// Absolute canonical URL.
    pub url: String,
    /// Root-relative link to this page.
    pub path: String,
    pub og_type: &'static str,
    /// Which top-level section the page belongs to, for the navigation.
    pub section: &'static str,
    /// Extra Open Graph / Twitter details (event date, chapter).
    pub published: Option<String>,
}

/// An event's time, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct WhenView {
    pub start: String,
    pub end: String,
    pub date: String,
    pub time: String,
    pub full: String,
    pub weekday: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub zone: String,
    pub abbr: String,
    /// Unix seconds of the end, so a script can mark the event as over.
    pub end_epoch: i64,
    /// `December`, for grouping lists by month.
    pub month_long: String,
    /// `Thursday 14 January 2027`, for the event page.
    pub date_long: String,
}

impl WhenView {
    pub fn new(start: &DateTime<Tz>, end: &DateTime<Tz>) -> Self {
        let day = start.date_naive();
        let time = time_range_label(start, end);
        let date = date_label(start);
        WhenView {
            start: start.to_rfc3339(),
            end: end.to_rfc3339(),
            full: format!("{date}, {time}"),
            date,
            time,
            weekday: weekday_short(day).to_string(),
            day: day.day().to_string(),
            month: month_short(day).to_string(),
            year: day.year().to_string(),
            zone: start.timezone().name().to_string(),
            abbr: abbreviation(start),
            end_epoch: end.timestamp(),
            month_long: month_long(day).to_string(),
            date_long: date_label_long(day),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

impl ChapterRef {
    pub fn new(c: &Chapter, urls: &Urls) -> Self {
        ChapterRef {
            id: c.id.clone(),
            name: c.name.clone(),
            url: urls.link(&Urls::chapter(&c.id)),
        }
    }
}

fn status_label(e: &Event, today: chrono::NaiveDate) -> Option<&'static str> {
    match e.status {
        Status::Cancelled => Some("Cancelled"),
        Status::Postponed => Some("Postponed"),
        Status::Scheduled if e.is_past(today) => Some("Past event"),
        Status::Scheduled => None,
    }
}

fn mode_label(m: AttendanceMode) -> &'static str {
    match m {
        AttendanceMode::InPerson => "In person",
        AttendanceMode::Online => "Online",
        AttendanceMode::Hybrid => "In person and online",
    }
}

/// An event in a list.
#[derive(Debug, Clone, Serialize)]
pub struct EventCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub chapter: ChapterRef,
    pub when: WhenView,
    pub status: &'static str,
    pub status_label: Option<&'static str>,
    pub is_past: bool,
    pub mode: &'static str,
    pub mode_label: &'static str,
    pub place: String,
    pub formats: Vec<&'static str>,
}

impl EventCard {
    pub fn new(site: &Site, e: &Event, urls: &Urls) -> Self {
        let c = site.chapter_of(e);
        let place = match (&e.venue, e.attendance_mode) {
            (_, AttendanceMode::Online) => "Online".to_string(),
            (Some(v), AttendanceMode::Hybrid) => format!("{}, {} and online", v.name, c.city),
            (Some(v), _) => format!("{}, {}", v.name, c.city),
            (None, _) => c.city.clone(),
        };
        EventCard {
            id: e.id.clone(),
            title: e.title.clone(),
            url: urls.link(&Urls::event(&c.id, &e.id)),
            chapter: ChapterRef::new(c, urls),
            when: WhenView::new(&e.start, &e.end),
            status: e.status.as_str(),
            status_label: status_label(e, site.today),
            is_past: e.is_past(site.today),
            mode: e.attendance_mode.as_str(),
            mode_label: mode_label(e.attendance_mode),
            place,
            formats: e.formats.iter().map(|f| f.label()).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub label: String,
    pub url: String,
    pub host: String,
}

impl LinkView {
    pub fn new(label: &str, url: &str) -> Self {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
            .unwrap_or_default();
        LinkView {
            label: label.to_string(),
            url: url.to_string(),
            host,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SponsorView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub kind: Option<&'static str>,
    pub logo: Option<String>,
}

impl SponsorView {
    pub fn new(s: &Sponsor, urls: &Urls) -> Self {
        SponsorView {
            id: s.id.clone(),
            name: s.name.clone(),
            url: s.url.clone(),
            kind: s.kind.map(|k| k.as_str()),
            logo: s.logo.as_ref().map(|l| asset(l, urls)),
        }
    }
}

/// A path under `static/` becomes a link; absolute URLs stay.
pub fn asset(path: &str, urls: &Urls) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        urls.link(path.trim_start_matches('/'))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LeaderCard {
    pub id: String,
    pub name: String,
    pub url: String,
    pub company: Option<String>,
    pub affiliation: &'static str,
    pub photo: Option<String>,
    pub initials: String,
    pub chapters: Vec<ChapterRef>,
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

impl LeaderCard {
    pub fn new(site: &Site, l: &Leader, urls: &Urls) -> Self {
        LeaderCard {
            id: l.id.clone(),
            name: l.name.clone(),
            url: urls.link(&Urls::leader(&l.id)),
            company: l.company.clone(),
            affiliation: l.affiliation.as_str(),
            photo: l.photo.as_ref().map(|p| asset(p, urls)),
            initials: initials(&l.name),
            chapters: l
                .chapters
                .iter()
                .map(|&c| ChapterRef::new(&site.chapters[c], urls))
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TalkView {
    pub title: String,
    pub speaker: String,
    pub company: Option<String>,
    pub affiliation: &'static str,
    /// Partner and vendor speakers get a visible badge.
    pub badge: Option<&'static str>,
    /// The first letter of the speaker's first and last name, for the
    /// avatar.
    pub initials: String,
}

/// The first grapheme of the first and of the last space-separated word
/// of `name` (`Zoë van Dijk` -> `ZD`), for the avatars of talk speakers
/// and guide authors, as the theme once cut them with `split(pat=" ") |
/// first | truncate(length=1)`: one call here instead of six filter calls.
/// (Leader cards have their own [`initials`]: the first two words.)
fn byline_initials(name: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation as _;
    let first = |w: &str| w.graphemes(true).next().unwrap_or("").to_string();
    let words = || name.split(' ');
    first(words().next().unwrap_or("")) + &first(words().next_back().unwrap_or(""))
}

#[derive(Debug, Serialize)]
pub struct VenueView {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
}

/// Everything the event page shows.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    #[serde(flatten)]
    pub card: &'a EventCard,
    pub body_html: String,
    pub rsvp_open: bool,
    pub registration: Option<String>,
    pub promotion: Vec<LinkView>,
    pub venue: Option<VenueView>,
    pub capacity: Option<u32>,
    pub price: String,
    pub talks: Vec<TalkView>,
    pub sponsors: Vec<SponsorView>,
    pub updated: Option<String>,
    pub add_to_calendar: AddToCalendar,
    pub json_ld: String,
}

#[derive(Debug, Serialize)]
pub struct AddToCalendar {
    pub ics: String,
    pub google: String,
    pub outlook: String,
}

/// `20261208T183000Z` (written out: a strftime pattern is parsed anew at
/// every call).
fn utc_compact(t: &DateTime<Tz>) -> String {
    let u = t.with_timezone(&chrono::Utc);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        u.year(),
        u.month(),
        u.day(),
        u.hour(),
        u.minute(),
        u.second()
    )
}

impl<'a> EventView<'a> {
    /// The view around the event's `card`, and the event's body as plain
    /// text (made in the same Markdown pass as its HTML, for the calendars).
    pub fn new(
        site: &Site,
        e: &Event,
        card: &'a EventCard,
        urls: &Urls,
        md: &Markdown,
    ) -> (Self, String) {
        let c = site.chapter_of(e);
        let page_rel = Urls::event(&c.id, &e.id);
        let body = site.body(e.file);
        // One Markdown parse gives the page's HTML and the plain text that
        // excerpts and calendars use.
        let (body_html, plain) = md.to_html_and_plain(body);
        site.keep_lead(e, &plain);
        let location_text = match (&e.venue, e.attendance_mode) {
            (_, AttendanceMode::Online) => "Online".to_string(),
            (Some(v), _) => format!("{}, {}", v.name, v.address),
            (None, _) => c.city.clone(),
        };
        let details = format!("{}\n\n{}", site.excerpt(e, 600), urls.absolute(&page_rel));
        // Both links carry the same title, details and place: encoded once.
        let (title, details, location) =
            (encode(&e.title), encode(&details), encode(&location_text));
        let google = format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={title}&dates={}/{}&ctz={}&details={details}&location={location}",
            utc_compact(&e.start),
            utc_compact(&e.end),
            encode(e.timezone.name()),
        );
        let outlook = format!(
            "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject={title}&startdt={}&enddt={}&body={details}&location={location}",
            encode(&e.start.to_rfc3339()),
            encode(&e.end.to_rfc3339()),
        );
        let talks = e
            .talks
            .iter()
            .map(|t| TalkView {
                initials: byline_initials(&t.speaker.name),
                title: t.title.clone(),
                speaker: t.speaker.name.clone(),
                company: t.speaker.company.clone(),
                affiliation: t.speaker.affiliation.as_str(),
                badge: match t.speaker.affiliation {
                    crate::model::Affiliation::Partner => Some("Partner"),
                    crate::model::Affiliation::Vendor => Some("Vendor"),
                    crate::model::Affiliation::Employee => {
                        Some(match site.config.organization.len() {
                            0 => "Employee",
                            _ => "Staff",
                        })
                    }
                    _ => None,
                },
            })
            .collect();
        let sponsors = e
            .sponsors
            .iter()
            .map(|&i| SponsorView::new(&site.sponsors[i], urls))
            .collect();
        let json_ld = json_ld(site, e, urls, &page_rel);
        let view = EventView {
            rsvp_open: e.rsvp_open(site.today),
            registration: e.registration.clone(),
            promotion: e.promotion.iter().map(|u| LinkView::new("", u)).collect(),
            venue: e.venue.as_ref().map(|v| VenueView {
                name: v.name.clone(),
                address: v.address.clone(),
                map_url: v.map_url.clone(),
            }),
            capacity: e.capacity,
            price: "Free".to_string(),
            talks,
            sponsors,
            updated: e.updated.map(|u| u.format("%-d %b %Y").to_string()),
            add_to_calendar: AddToCalendar {
                ics: urls.link(&format!("{page_rel}event.ics")),
                google,
                outlook,
            },
            json_ld,
            body_html,
            card,
        };
        (view, plain)
    }
}

/// schema.org `Event` JSON-LD, with `<` escaped so it cannot close the
/// script element it sits in.
fn json_ld(site: &Site, e: &Event, urls: &Urls, page_rel: &str) -> String {
    let c = site.chapter_of(e);
    let status = match e.status {
        Status::Scheduled => "https://schema.org/EventScheduled",
        Status::Cancelled => "https://schema.org/EventCancelled",
        Status::Postponed => "https://schema.org/EventPostponed",
    };
    let mode = match e.attendance_mode {
        AttendanceMode::InPerson => "https://schema.org/OfflineEventAttendanceMode",
        AttendanceMode::Online => "https://schema.org/OnlineEventAttendanceMode",
        AttendanceMode::Hybrid => "https://schema.org/MixedEventAttendanceMode",
    };
    let page = urls.absolute(page_rel);
    let register = e.registration.as_deref().unwrap_or(&page);
    let place = e.venue.as_ref().map(|v| ld::Location::Place {
        kind: "Place",
        address: ld::Address {
            kind: "PostalAddress",
            country: &c.country,
            locality: &c.city,
            street: &v.address,
        },
        name: &v.name,
    });
    let online = ld::Location::Virtual {
        kind: "VirtualLocation",
        url: register,
    };
    let location = match (e.attendance_mode, place) {
        (AttendanceMode::Online, _) | (_, None) => ld::Where::One(online),
        (AttendanceMode::Hybrid, Some(p)) => ld::Where::Both([p, online]),
        (AttendanceMode::InPerson, Some(p)) => ld::Where::One(p),
    };
    let event = ld::Event {
        context: "https://schema.org",
        kind: "Event",
        description: site.excerpt(e, 300),
        end: e.end.to_rfc3339(),
        mode,
        status,
        free: true,
        location,
        capacity: e.capacity,
        name: &e.title,
        offers: ld::Offer {
            kind: "Offer",
            availability: if e.rsvp_open(site.today) {
                "https://schema.org/InStock"
            } else {
                "https://schema.org/SoldOut"
            },
            price: 0,
            currency: "USD",
            url: register,
            valid_from: e.updated.unwrap_or(e.start).to_rfc3339(),
        },
        organizer: ld::Organizer {
            kind: "Organization",
            name: &c.name,
            url: urls.absolute(&Urls::chapter(&c.id)),
        },
        performer: e
            .talks
            .iter()
            .map(|t| ld::Person {
                kind: "Person",
                name: &t.speaker.name,
            })
            .collect(),
        start: e.start.to_rfc3339(),
        url: &page,
    };
    let json = serde_json::to_string(&event).unwrap_or_default();
    // `<` only occurs inside JSON strings, so `\u003c` is the same JSON; it
    // keeps `</script>` and `<!--` (which would make the browser read the
    // rest of the page as script) out of the element.
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// The shapes of the JSON-LD, borrowing from the model. Fields are in
/// name order within each object, as the output has always had them.
mod ld {
    use serde::Serialize;

    #[derive(Serialize)]
    pub(super) struct Event<'a> {
        #[serde(rename = "@context")]
        pub(super) context: &'static str,
        #[serde(rename = "@type")]
        pub(super) kind: &'static str,
        pub(super) description: String,
        #[serde(rename = "endDate")]
        pub(super) end: String,
        #[serde(rename = "eventAttendanceMode")]
        pub(super) mode: &'static str,
        #[serde(rename = "eventStatus")]
        pub(super) status: &'static str,
        #[serde(rename = "isAccessibleForFree")]
        pub(super) free: bool,
        pub(super) location: Where<'a>,
        #[serde(
            rename = "maximumAttendeeCapacity",
            skip_serializing_if = "Option::is_none"
        )]
        pub(super) capacity: Option<u32>,
        pub(super) name: &'a str,
        pub(super) offers: Offer<'a>,
        pub(super) organizer: Organizer<'a>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub(super) performer: Vec<Person<'a>>,
        #[serde(rename = "startDate")]
        pub(super) start: String,
        pub(super) url: &'a str,
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    pub(super) enum Where<'a> {
        One(Location<'a>),
        Both([Location<'a>; 2]),
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    pub(super) enum Location<'a> {
        Place {
            #[serde(rename = "@type")]
            kind: &'static str,
            address: Address<'a>,
            name: &'a str,
        },
        Virtual {
            #[serde(rename = "@type")]
            kind: &'static str,
            url: &'a str,
        },
    }

    #[derive(Serialize)]
    pub(super) struct Address<'a> {
        #[serde(rename = "@type")]
        pub(super) kind: &'static str,
        #[serde(rename = "addressCountry")]
        pub(super) country: &'a str,
        #[serde(rename = "addressLocality")]
        pub(super) locality: &'a str,
        #[serde(rename = "streetAddress")]
        pub(super) street: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct Offer<'a> {
        #[serde(rename = "@type")]
        pub(super) kind: &'static str,
        pub(super) availability: &'static str,
        pub(super) price: u32,
        #[serde(rename = "priceCurrency")]
        pub(super) currency: &'static str,
        pub(super) url: &'a str,
        #[serde(rename = "validFrom")]
        pub(super) valid_from: String,
    }

    #[derive(Serialize)]
    pub(super) struct Organizer<'a> {
        #[serde(rename = "@type")]
        pub(super) kind: &'static str,
        pub(super) name: &'a str,
        pub(super) url: String,
    }

    #[derive(Serialize)]
    pub(super) struct Person<'a> {
        #[serde(rename = "@type")]
        pub(super) kind: &'static str,
        pub(super) name: &'a str,
    }
}

/// A chapter in the chapter index.
#[derive(Debug, Serialize)]
pub struct ChapterCard<'a> {
    pub id: String,
    pub name: String,
    pub url: String,
    pub city: String,
    pub country: String,
    pub region: String,
    pub leaders: usize,
    pub next: Option<&'a EventCard>,
    /// Lowercase text the filter script matches against.
    pub search: String,
}

#[derive(Debug, Serialize)]
pub struct RegionGroup<'a> {
    pub name: String,
    pub chapters: Vec<ChapterCard<'a>>,
}

/// Everything the chapter page shows.
#[derive(Debug, Serialize)]
pub struct ChapterView<'a> {
    pub id: String,
    pub name: String,
    pub url: String,
    pub city: String,
    pub country: String,
    pub region: Option<String>,
    pub timezone: String,
    pub founded: Option<String>,
    pub description_html: Option<String>,
    pub online_group: Option<String>,
    pub contact: Option<String>,
    pub leaders: Vec<LeaderCard>,
    pub sponsors: Vec<SponsorView>,
    pub upcoming: Vec<&'a EventCard>,
    pub past: Vec<&'a EventCard>,
    pub subscribe: SubscribeView,
}

impl<'a> ChapterView<'a> {
    /// The chapter's page; `cards` holds a card for each of the site's
    /// events, in the site's order.
    pub fn new(
        site: &Site,
        c: &Chapter,
        cards: &'a [EventCard],
        urls: &Urls,
        md: &Markdown,
    ) -> Self {
        let mut upcoming = Vec::new();
        let mut past = Vec::new();
        for &i in &c.events {
            let e = &site.events[i];
            let card = &cards[i];
            if e.is_past(site.today) {
                past.push(card)
            } else {
                upcoming.push(card)
            }
        }
        past.reverse();
        let rel = Urls::chapter(&c.id);
        ChapterView {
            id: c.id.clone(),
            name: c.name.clone(),
            url: urls.link(&rel),
            city: c.city.clone(),
            country: c.country.clone(),
            region: c.region.clone(),
            timezone: c.timezone.name().to_string(),
            founded: c.founded.map(|f| f.format("%B %Y").to_string()),
            description_html: c.description.as_deref().map(|d| md.to_html(d)),
            online_group: c.online_group.clone(),
            contact: c.contact.clone(),
            leaders: c
                .leaders
                .iter()
                .map(|&l| LeaderCard::new(site, &site.leaders[l], urls))
                .collect(),
            sponsors: c
                .sponsors
                .iter()
                .map(|&s| SponsorView::new(&site.sponsors[s], urls))
                .collect(),
            upcoming,
            past,
            subscribe: SubscribeView::new(urls, &format!("{rel}calendar.ics"), &c.name),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LeaderView {
    #[serde(flatten)]
    pub card: LeaderCard,
    pub bio_html: String,
    pub links: Vec<LinkView>,
    pub guides: Vec<GuideCard>,
}

impl LeaderView {
    /// The view, and the leader's bio as plain text (made in the same
    /// Markdown pass as its HTML, for the page's description).
    pub fn new(site: &Site, l: &Leader, urls: &Urls, md: &Markdown) -> (Self, String) {
        let by_them =
            |g: &&Guide| matches!(g.author, Some(Author::Leader(i)) if site.leaders[i].id == l.id);
        let (bio_html, bio) = md.to_html_and_plain(site.body(l.file));
        let view = LeaderView {
            card: LeaderCard::new(site, l, urls),
            bio_html,
            links: l.links.iter().map(|(k, v)| LinkView::new(k, v)).collect(),
            guides: site
                .guides
                .iter()
                .filter(by_them)
                .map(|g| GuideCard::new(site, g, urls))
                .collect(),
        };
        (view, bio)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub category: &'static str,
    pub category_label: &'static str,
    pub summary: String,
    pub updated: Option<String>,
    pub ai_assisted: bool,
}

impl GuideCard {
    pub fn new(site: &Site, g: &Guide, urls: &Urls) -> Self {
        GuideCard {
            id: g.id.clone(),
            title: g.title.clone(),
            url: urls.link(&Urls::guide(&g.id)),
            category: g.category.as_str(),
            category_label: g.category.label(),
            summary: markdown::excerpt(site.body(g.file), 180),
            updated: g.updated.map(|d| d.format("%-d %B %Y").to_string()),
            ai_assisted: g.ai_assisted,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct GuideCategoryView {
    pub id: &'static str,
    pub label: &'static str,
    pub guides: Vec<GuideCard>,
}

#[derive(Debug, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub url: Option<String>,
    pub company: Option<String>,
    pub affiliation: &'static str,
    pub badge: Option<&'static str>,
    /// For the avatar, as a talk's speaker has them.
    pub initials: String,
}

#[derive(Debug, Serialize)]
pub struct GuideView {
    #[serde(flatten)]
    pub card: GuideCard,
    pub author: Option<AuthorView>,
    pub body_html: String,
}

impl GuideView {
    pub fn new(site: &Site, g: &Guide, urls: &Urls, md: &Markdown) -> Self {
        let author = g.author.as_ref().map(|a| match a {
            Author::Leader(i) => {
                let l = &site.leaders[*i];
                AuthorView {
                    initials: byline_initials(&l.name),
                    name: l.name.clone(),
                    url: Some(urls.link(&Urls::leader(&l.id))),
                    company: l.company.clone(),
                    affiliation: l.affiliation.as_str(),
                    badge: None,
                }
            }
            Author::Person(p) => AuthorView {
                initials: byline_initials(&p.name),
                name: p.name.clone(),
                url: None,
                company: p.company.clone(),
                affiliation: p.affiliation.as_str(),
                badge: match p.affiliation {
                    crate::model::Affiliation::Partner => Some("Partner"),
                    crate::model::Affiliation::Vendor => Some("Vendor"),
                    _ => None,
                },
            },
        });
        GuideView {
            card: GuideCard::new(site, g, urls),
            author,
            body_html: md.to_html(site.body(g.file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_initials_are_what_the_theme_once_cut_with_filters() {
        let old = r#"{{ n | split(pat=" ") | first | truncate(length=1, end="") }}{{ n | split(pat=" ") | last | truncate(length=1, end="") }}"#;
        for name in [
            "Ada Lovelace",
            "Zoë van Dijk",
            "Prince",
            "Émile Zola",
            "E\u{301}mile Zola",
            "Nguyễn Thị Minh Khai",
            "李 小龙",
            "  Lead Space",
            "",
        ] {
            let mut ctx = tera::Context::new();
            ctx.insert("n", name);
            let want = tera::Tera::one_off(old, &ctx, false).unwrap();
            assert_eq!(byline_initials(name), want, "{name:?}");
        }
    }
}
