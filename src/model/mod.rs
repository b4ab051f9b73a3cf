//! Stage 3, MODEL: [`crate::parse::Parsed`] -> [`Site`].
//!
//! The site as one resolved value: ids checked, references between files
//! turned into indices, local times placed in their zones, everything in a
//! stable order. It holds no guideline policy (that is `check`) and writes
//! nothing.

pub mod resolve;
pub mod time;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use crate::config::SiteConfig;
use crate::diag::Span;
use crate::source::yaml::{self, Seg};
use crate::source::{FileId, SourceSet};

/// A closed set of words a field accepts, with its spelling in YAML.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),+];
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// An event's status.
    Status { Scheduled = "scheduled", Cancelled = "cancelled", Postponed = "postponed" }
);
word_enum!(
    /// How people attend an event.
    AttendanceMode { InPerson = "in-person", Online = "online", Hybrid = "hybrid" }
);
word_enum!(
    /// Kinds of event.
    Format {
        Talk = "talk", LightningTalks = "lightning-talks", Workshop = "workshop", Panel = "panel",
        LunchAndLearn = "lunch-and-learn", Social = "social", WatchParty = "watch-party",
        HackNight = "hack-night", Other = "other",
    }
);
word_enum!(
    /// A leader's or guide author's relation to the organization.
    Affiliation { User = "user", Employee = "employee", Partner = "partner", Contractor = "contractor", Vendor = "vendor" }
);
word_enum!(
    /// Guide categories.
    Category {
        Venue = "venue", Equipment = "equipment", Formats = "formats", Promotion = "promotion",
        Volunteers = "volunteers", Sponsorship = "sponsorship", Other = "other",
    }
);
word_enum!(
    /// Sponsor kinds.
    SponsorKind { SolutionPartner = "solution-partner", LocalCompany = "local-company", Vendor = "vendor", Community = "community" }
);

/// Affiliations a leader may give (`vendor` is for speakers and authors).
pub const LEADER_AFFILIATIONS: &[&str] = &["user", "employee", "partner", "contractor"];
/// Affiliations a speaker may give.
pub const SPEAKER_AFFILIATIONS: &[&str] = &["user", "employee", "partner", "vendor"];

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Talk => "Talk",
            Format::LightningTalks => "Lightning talks",
            Format::Workshop => "Workshop",
            Format::Panel => "Panel",
            Format::LunchAndLearn => "Lunch and learn",
            Format::Social => "Social",
            Format::WatchParty => "Watch party",
            Format::HackNight => "Hack night",
            Format::Other => "Other",
        }
    }
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::Venue => "Venue, date and time",
            Category::Equipment => "Equipment",
            Category::Formats => "Event formats",
            Category::Promotion => "Promotion and RSVPs",
            Category::Volunteers => "Co-leaders and volunteers",
            Category::Sponsorship => "Sponsors and partners",
            Category::Other => "More guides",
        }
    }
}

/// Where an event takes place.
#[derive(Debug, Clone)]
pub struct Venue {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
}

/// A talk's speaker.
#[derive(Debug, Clone)]
pub struct Speaker {
    pub name: String,
    pub company: Option<String>,
    pub affiliation: Affiliation,
}

/// One talk at an event.
#[derive(Debug, Clone)]
pub struct Talk {
    pub title: String,
    pub speaker: Speaker,
    pub reviewed_by: Option<String>,
}

/// A guide's author: a leader of the network, or someone else.
#[derive(Debug, Clone)]
pub enum Author {
    Leader(usize),
    Person(Speaker),
}

#[derive(Debug, Clone)]
pub struct Leader {
    pub id: String,
    pub file: FileId,
    pub name: String,
    pub affiliation: Affiliation,
    pub company: Option<String>,
    pub photo: Option<String>,
    pub links: Vec<(String, String)>,
    /// Chapters this person leads (indices into `Site::chapters`).
    pub chapters: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Sponsor {
    pub id: String,
    pub file: FileId,
    /// Position in `sponsors.yaml`, for pointing at it.
    pub index: usize,
    pub name: String,
    pub url: String,
    pub kind: Option<SponsorKind>,
    pub logo: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: String,
    pub file: FileId,
    pub name: String,
    pub city: String,
    pub country: String,
    pub region: Option<String>,
    pub timezone: Tz,
    /// Leader ids as written, in order.
    pub leader_ids: Vec<String>,
    /// Indices into `Site::leaders` of the ids that resolved.
    pub leaders: Vec<usize>,
    pub founded: Option<NaiveDate>,
    pub online_group: Option<String>,
    pub contact: Option<String>,
    pub sponsors: Vec<usize>,
    pub description: Option<String>,
    /// Indices into `Site::events`, in start order.
    pub events: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Event {
    /// The file stem, `<YYYY-MM-DD>-<slug>`.
    pub id: String,
    pub file: FileId,
    pub chapter: usize,
    pub title: String,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    pub timezone: Tz,
    pub status: Status,
    pub updated: Option<DateTime<Tz>>,
    pub formats: Vec<Format>,
    pub attendance_mode: AttendanceMode,
    pub venue: Option<Venue>,
    pub registration: Option<String>,
    pub promotion: Vec<String>,
    /// The price as written (`0`, `free`, `$10`).
    pub price: Option<String>,
    pub capacity: Option<u32>,
    pub talks: Vec<Talk>,
    pub sponsors: Vec<usize>,
    pub rsvps: Option<u32>,
    pub attendance: Option<u32>,
    /// The first paragraph of the body as plain text, at most
    /// [`LEAD_CHARS`] + 1 characters: what excerpts are cut from. Set by
    /// the event page, which makes the plain text in the same Markdown
    /// pass as the HTML, else made on first use.
    pub lead: std::sync::OnceLock<String>,
}

/// The longest excerpt of an event's body anything shows, in characters.
pub const LEAD_CHARS: usize = 600;

/// What [`Event::lead`] keeps of a body made plain: its first paragraph,
/// one character longer than any excerpt (so a cut knows there is more).
fn lead_of(plain: &str) -> String {
    crate::markdown::head(crate::markdown::lead(plain), LEAD_CHARS + 1).to_string()
}

impl Event {
    /// Over: its end date (in its zone) is before today.
    pub fn is_past(&self, today: NaiveDate) -> bool {
        self.end.date_naive() < today
    }
    /// Held: not cancelled or postponed, and it started before today.
    pub fn is_held(&self, today: NaiveDate) -> bool {
        self.status == Status::Scheduled && self.start.date_naive() < today
    }
    /// RSVPs are open while it is scheduled and not over.
    pub fn rsvp_open(&self, today: NaiveDate) -> bool {
        self.status == Status::Scheduled && !self.is_past(today)
    }
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub id: String,
    pub file: FileId,
    pub title: String,
    pub category: Category,
    pub author: Option<Author>,
    pub updated: Option<NaiveDate>,
    pub ai_assisted: bool,
}

/// The whole resolved site.
#[derive(Debug)]
pub struct Site {
    pub sources: SourceSet,
    pub config: SiteConfig,
    pub today: NaiveDate,
    /// Sorted by id.
    pub chapters: Vec<Chapter>,
    /// Sorted by start instant, then chapter id, then id.
    pub events: Vec<Event>,
    /// Sorted by id.
    pub leaders: Vec<Leader>,
    /// Sorted by category, then title.
    pub guides: Vec<Guide>,
    /// In file order.
    pub sponsors: Vec<Sponsor>,
}

impl Site {
    /// Whole-file span of the YAML key at `path` in `file` (falls back to
    /// the nearest parent key, then to the start of the front matter).
    pub fn span(&self, file: FileId, path: &[Seg]) -> Span {
        let src = self.sources.get(file);
        let r = yaml::locate(src.yaml_text(), path).unwrap_or(0..0);
        Span::at(file, src.yaml.start + r.start..src.yaml.start + r.end)
    }
    pub fn chapter_of(&self, e: &Event) -> &Chapter {
        &self.chapters[e.chapter]
    }
    pub fn leader(&self, id: &str) -> Option<&Leader> {
        self.leaders
            .binary_search_by(|l| l.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.leaders[i])
    }
    /// An event's body as plain text, its links to the site's pages
    /// written as addresses (made anew at each call: the event page makes
    /// it along with its HTML and hands it on).
    pub fn plain_text(&self, e: &Event) -> String {
        crate::markdown::to_plain_text_at(self.body(e.file), &self.config.base_url)
    }
    /// Keep the first paragraph of `plain`, the event's body as plain
    /// text, for excerpts (unless it is kept already).
    pub fn keep_lead(&self, e: &Event, plain: &str) {
        e.lead.get_or_init(|| lead_of(plain));
    }
    /// The first paragraph of an event's body (see [`Event::lead`]).
    pub fn lead<'a>(&'a self, e: &'a Event) -> &'a str {
        e.lead.get_or_init(|| lead_of(&self.plain_text(e)))
    }
    /// The first paragraph of an event's body, cut to `max` characters.
    pub fn excerpt(&self, e: &Event, max: usize) -> String {
        debug_assert!(max <= LEAD_CHARS, "excerpts are cut from the lead");
        crate::markdown::cut(self.lead(e), max)
    }
    /// The Markdown body of a file.
    pub fn body(&self, file: FileId) -> &str {
        self.sources.get(file).body_text()
    }
}
