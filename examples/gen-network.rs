//! Generate a synthetic chapter network for benchmarks.
//!
//! ```text
//! cargo run --release --example gen-network -- --chapters 200 --events-per-chapter 50 OUT
//! ```
//!
//! writes a complete site into `OUT` (`site.yaml`, `content/chapters/…`,
//! `content/leaders/…`, `content/guides/…`, `content/sponsors.yaml`) that
//! follows the content model and passes `chapterhouse check --today <TODAY>`
//! with no errors. The output is a pure function of the arguments: the same
//! `--seed`, sizes and `--today` give the same bytes on every machine.
//!
//! Events are spread evenly (with jitter) from a year before `--today` to
//! six months after it, in local evening, lunch-time or Saturday slots; each
//! chapter has two or three leaders, and every event has realistic front
//! matter (venue or online, a registration link on the registration host,
//! talks whose partner and vendor speakers are reviewed by a chapter leader,
//! some cancelled or postponed, some with `updated`) and a Markdown body of
//! about 500 words with headings, lists, a table, links and a code block.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::Parser;

/// The marker file that lets a later run replace a folder this tool wrote.
const MARKER: &str = ".gen-network";
const ORG: &str = "Tessellate";
const REG_HOST: &str = "community.tessellate.io";
/// Days before `--today` that the first events fall on.
const PAST_DAYS: i64 = 365;
/// Days after `--today` that the last events fall on.
const FUTURE_DAYS: i64 = 180;

/// Write a synthetic, valid chapter network (for benchmarks)
#[derive(Debug, Parser)]
struct Args {
    /// Number of chapters
    #[arg(long, default_value_t = 20)]
    chapters: usize,
    /// Events per chapter
    #[arg(long, default_value_t = 50)]
    events_per_chapter: usize,
    /// Seed of the pseudo-random choices
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// The day the network is generated around (pass the same to `--today`
    /// of `chapterhouse build` and `check`)
    #[arg(long, default_value = "2026-11-24")]
    today: NaiveDate,
    /// Output folder; it must be empty, missing, or written by this tool
    out: PathBuf,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(stats) => {
            eprintln!(
                "wrote {} chapters, {} events, {} leaders, {} guides ({} files, {:.1} MB, {} body words on average) into {}",
                args.chapters,
                stats.events,
                stats.leaders,
                GUIDES.len(),
                stats.files,
                stats.bytes as f64 / 1e6,
                stats.event_words / stats.events.max(1),
                args.out.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-network: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// SplitMix64. Hand-written on purpose: `rand`'s `StdRng` does not promise
/// the same stream across releases, and a benchmark input must not change
/// when a dependency is updated.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `percent`/100.
    fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    fn pick_ref<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// `k` distinct items of `xs`, in the order of `xs`.
    fn sample<'a, T>(&mut self, xs: &'a [T], k: usize) -> Vec<&'a T> {
        let mut idx: Vec<usize> = (0..xs.len()).collect();
        for i in 0..k.min(xs.len()) {
            let j = i + self.below(xs.len() - i);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &xs[i]).collect()
    }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/// City, display name, ISO country, region, IANA zone.
#[rustfmt::skip]
const CITIES: &[(&str, &str, &str, &str, &str)] = &[
    ("New York", "New York, NY", "US", "North America", "America/New_York"),
    ("Boston", "Boston, MA", "US", "North America", "America/New_York"),
    ("Philadelphia", "Philadelphia, PA", "US", "North America", "America/New_York"),
    ("Washington", "Washington, DC", "US", "North America", "America/New_York"),
    ("Atlanta", "Atlanta, GA", "US", "North America", "America/New_York"),
    ("Miami", "Miami, FL", "US", "North America", "America/New_York"),
    ("Chicago", "Chicago, IL", "US", "North America", "America/Chicago"),
    ("Minneapolis", "Minneapolis, MN", "US", "North America", "America/Chicago"),
    ("Dallas", "Dallas, TX", "US", "North America", "America/Chicago"),
    ("Austin", "Austin, TX", "US", "North America", "America/Chicago"),
    ("Denver", "Denver, CO", "US", "North America", "America/Denver"),
    ("Phoenix", "Phoenix, AZ", "US", "North America", "America/Phoenix"),
    ("Seattle", "Seattle, WA", "US", "North America", "America/Los_Angeles"),
    ("San Francisco", "San Francisco Bay Area, CA", "US", "North America", "America/Los_Angeles"),
    ("Los Angeles", "Los Angeles, CA", "US", "North America", "America/Los_Angeles"),
    ("Toronto", "Toronto, ON", "CA", "North America", "America/Toronto"),
    ("Montréal", "Montréal, QC", "CA", "North America", "America/Toronto"),
    ("Vancouver", "Vancouver, BC", "CA", "North America", "America/Vancouver"),
    ("Mexico City", "Mexico City", "MX", "Latin America", "America/Mexico_City"),
    ("São Paulo", "São Paulo", "BR", "Latin America", "America/Sao_Paulo"),
    ("Buenos Aires", "Buenos Aires", "AR", "Latin America", "America/Argentina/Buenos_Aires"),
    ("Bogotá", "Bogotá", "CO", "Latin America", "America/Bogota"),
    ("Santiago", "Santiago de Chile", "CL", "Latin America", "America/Santiago"),
    ("Lima", "Lima", "PE", "Latin America", "America/Lima"),
    ("London", "London, UK", "GB", "Europe", "Europe/London"),
    ("Manchester", "Manchester, UK", "GB", "Europe", "Europe/London"),
    ("Dublin", "Dublin", "IE", "Europe", "Europe/Dublin"),
    ("Amsterdam", "Amsterdam", "NL", "Europe", "Europe/Amsterdam"),
    ("Berlin", "Berlin", "DE", "Europe", "Europe/Berlin"),
    ("Munich", "München", "DE", "Europe", "Europe/Berlin"),
    ("Hamburg", "Hamburg", "DE", "Europe", "Europe/Berlin"),
    ("Paris", "Paris", "FR", "Europe", "Europe/Paris"),
    ("Lyon", "Lyon", "FR", "Europe", "Europe/Paris"),
    ("Madrid", "Madrid", "ES", "Europe", "Europe/Madrid"),
    ("Barcelona", "Barcelona", "ES", "Europe", "Europe/Madrid"),
    ("Lisbon", "Lisboa", "PT", "Europe", "Europe/Lisbon"),
    ("Milan", "Milano", "IT", "Europe", "Europe/Rome"),
    ("Zurich", "Zürich", "CH", "Europe", "Europe/Zurich"),
    ("Vienna", "Wien", "AT", "Europe", "Europe/Vienna"),
    ("Stockholm", "Stockholm", "SE", "Europe", "Europe/Stockholm"),
    ("Copenhagen", "København", "DK", "Europe", "Europe/Copenhagen"),
    ("Oslo", "Oslo", "NO", "Europe", "Europe/Oslo"),
    ("Helsinki", "Helsinki", "FI", "Europe", "Europe/Helsinki"),
    ("Warsaw", "Warszawa", "PL", "Europe", "Europe/Warsaw"),
    ("Prague", "Praha", "CZ", "Europe", "Europe/Prague"),
    ("Dubai", "Dubai", "AE", "Middle East and Africa", "Asia/Dubai"),
    ("Tel Aviv", "Tel Aviv", "IL", "Middle East and Africa", "Asia/Jerusalem"),
    ("Lagos", "Lagos", "NG", "Middle East and Africa", "Africa/Lagos"),
    ("Nairobi", "Nairobi", "KE", "Middle East and Africa", "Africa/Nairobi"),
    ("Cape Town", "Cape Town", "ZA", "Middle East and Africa", "Africa/Johannesburg"),
    ("Johannesburg", "Johannesburg", "ZA", "Middle East and Africa", "Africa/Johannesburg"),
    ("Bengaluru", "Bengaluru", "IN", "Asia Pacific", "Asia/Kolkata"),
    ("Mumbai", "Mumbai", "IN", "Asia Pacific", "Asia/Kolkata"),
    ("Pune", "Pune", "IN", "Asia Pacific", "Asia/Kolkata"),
    ("Hyderabad", "Hyderabad", "IN", "Asia Pacific", "Asia/Kolkata"),
    ("Singapore", "Singapore", "SG", "Asia Pacific", "Asia/Singapore"),
    ("Manila", "Manila", "PH", "Asia Pacific", "Asia/Manila"),
    ("Tokyo", "東京 Tokyo", "JP", "Asia Pacific", "Asia/Tokyo"),
    ("Seoul", "Seoul", "KR", "Asia Pacific", "Asia/Seoul"),
    ("Sydney", "Sydney", "AU", "Asia Pacific", "Australia/Sydney"),
    ("Melbourne", "Melbourne", "AU", "Asia Pacific", "Australia/Melbourne"),
    ("Brisbane", "Brisbane", "AU", "Asia Pacific", "Australia/Brisbane"),
    ("Auckland", "Auckland", "NZ", "Asia Pacific", "Pacific/Auckland"),
];

/// Second and later chapters in one city are named after a part of it.
#[rustfmt::skip]
const DISTRICTS: &[&str] = &[
    "North", "South", "East", "West", "Central", "Downtown", "Harbour", "University",
];

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Aisha", "Ananya", "Chloe", "Diego", "Grace", "Kevin", "Lena", "Liam", "Marcus", "Maria",
    "Oliver", "Rohan", "Sophie", "Tobias", "Fatima", "Kenji", "Ingrid", "Mateo", "Priya", "Samuel",
    "Yuki", "Olu", "Hannah", "Carlos", "Mei", "Noah", "Zara", "Emeka", "Sofia", "Arjun", "Elena",
    "Tomás", "Nadia", "Jonas", "Amara", "Lucas", "Freya", "Ravi", "Camila", "Daniel",
];
#[rustfmt::skip]
const LAST: &[&str] = &[
    "Rahman", "Iyer", "Nguyen", "Ferreira", "Adeyemi", "Tran", "Vogel", "O'Connor", "Bell",
    "González", "Hughes", "Deshpande", "Tremblay", "Krause", "Haddad", "Sato", "Larsen", "Silva",
    "Nair", "Okafor", "Kim", "Müller", "Costa", "Walsh", "Novak", "Schmidt", "Patel", "Moreau",
    "Lindqvist", "Mensah", "Rossi", "Kowalski", "Chen", "Dubois", "Eriksen", "Alvarez", "Banerjee",
    "Mwangi", "Fischer", "Yamamoto",
];
#[rustfmt::skip]
const COMPANIES: &[&str] = &[
    "Northgate Housing Trust", "Quayside Digital", "Harbourline Logistics", "Brightwater Health",
    "Cobalt Insurance", "Meridian Retail Group", "Thameside Publishing", "Kestrel Engineering",
    "Evergreen Energy", "Lumen Bank", "Atlas Freight", "Bluebird Studios", "Cedar University",
    "Summit Pharmaceuticals", "Granite City Council", "Oakleaf Foods", "Polaris Telecom",
    "Riverbend Hospital", "Silverline Airlines", "Tidewater Ports", "Verdant Agritech",
    "Wavelength Media", "Zenith Manufacturing", "Horizon Charities",
];

/// Sponsor id, name, kind. Partners and vendors also speak at events.
#[rustfmt::skip]
const SPONSORS: &[(&str, &str, &str)] = &[
    ("harbor-peak", "Harbor Peak Consulting", "solution-partner"),
    ("northstar-solutions", "Northstar Solutions", "solution-partner"),
    ("bluefin-partners", "Bluefin Partners", "solution-partner"),
    ("clearpath-advisory", "Clearpath Advisory", "solution-partner"),
    ("ironbark-consulting", "Ironbark Consulting", "solution-partner"),
    ("lighthouse-delivery", "Lighthouse Delivery", "solution-partner"),
    ("gridline-apps", "Gridline Apps", "vendor"),
    ("timekeep", "Timekeep", "vendor"),
    ("chartwise", "Chartwise", "vendor"),
    ("formfield-labs", "Formfield Labs", "vendor"),
    ("riverside-coworking", "Riverside Coworking", "local-company"),
    ("old-mill-studios", "Old Mill Studios", "local-company"),
    ("canal-street-cafe", "Canal Street Café", "local-company"),
    ("brick-lane-hub", "Brick Lane Hub", "local-company"),
    ("station-works", "Station Works", "local-company"),
    ("delivery-circle", "The Delivery Circle", "community"),
    ("pm-commons", "PM Commons", "community"),
    ("agile-alliance-local", "Local Agile Alliance", "community"),
];

const TOPICS: &[&str] = &[
    "automation rules",
    "portfolio planning",
    "dependency mapping",
    "resource planning",
    "intake forms",
    "cross-team reporting",
    "dashboards that people read",
    "roadmaps",
    "sprint reviews",
    "risk registers",
    "OKRs",
    "capacity planning",
    "custom fields",
    "API integrations",
    "moving off spreadsheets",
    "permissions and governance",
    "project templates",
    "time tracking",
    "service requests",
    "release planning",
    "status reporting",
    "onboarding new teams",
    "budget tracking",
    "agency workflows",
];

/// Event kinds: format list, title pattern (`{topic}`, `{Topic}`, `{season}`),
/// number of talks (min, max).
const KINDS: &[(&[&str], &str, usize, usize)] = &[
    (&["talk"], "{Topic} in practice", 1, 2),
    (&["talk"], "{Topic}: lessons from the field", 1, 2),
    (&["talk", "social"], "An evening on {topic}", 2, 2),
    (
        &["lightning-talks"],
        "Lightning talks: {season} edition",
        3,
        5,
    ),
    (&["workshop"], "Hands-on workshop: {topic}", 1, 1),
    (&["panel"], "Panel: {topic} at scale", 3, 4),
    (&["lunch-and-learn"], "Lunch and learn: {topic}", 1, 1),
    (&["social"], "{Season} social", 0, 0),
    (&["hack-night"], "{Topic} hack night", 0, 1),
    (
        &["watch-party"],
        "Watch party: {season} product keynote",
        0,
        0,
    ),
    (&["talk", "workshop"], "From zero to {topic}", 1, 2),
    (&["other"], "Ask the experts: {topic}", 0, 2),
];

const TALK_TITLES: &[&str] = &[
    "How we rebuilt our {topic} in six weeks",
    "{Topic} without the spreadsheet",
    "What {topic} taught a team of forty",
    "Three mistakes we made with {topic}",
    "{Topic} for teams that hate process",
    "Scaling {topic} across twelve departments",
    "A year of {topic}: the numbers",
    "Small changes, big wins in {topic}",
    "Why our {topic} finally stuck",
    "{Topic}, step by step",
];

#[rustfmt::skip]
const STREETS: &[&str] = &[
    "Market Street", "Station Road", "Harbour Lane", "King Street", "Mill Road", "Canal Walk",
    "Park Avenue", "Church Street", "Bridge Street", "High Street", "River Road", "Queen's Way",
];
#[rustfmt::skip]
const VENUE_KINDS: &[&str] = &[
    "Coworking", "Innovation Hub", "Library, event room", "Community Centre", "Tech Campus",
    "Offices, 4th floor",
];

/// Guide id, title, category.
#[rustfmt::skip]
const GUIDES: &[(&str, &str, &str)] = &[
    ("choosing-a-venue", "Choosing a venue, date and time", "venue"),
    ("equipment-checklist", "Equipment checklist for a meeting", "equipment"),
    ("event-formats-that-work", "Event formats that work", "formats"),
    ("promoting-your-event", "Promoting your event and getting accurate RSVPs", "promotion"),
    ("sharing-the-load", "Sharing the load with co-leaders and volunteers", "volunteers"),
    ("working-with-sponsors", "Working with sponsors and partners", "sponsorship"),
    ("running-hybrid-events", "Running hybrid and online events", "formats"),
    ("keeping-your-group-active", "Keeping your group active through the year", "other"),
    ("reviewing-partner-talks", "Reviewing partner and vendor talks", "sponsorship"),
    ("accessibility-at-meetings", "Accessibility at meetings", "venue"),
    ("finding-speakers", "Finding and coaching first-time speakers", "volunteers"),
    ("recording-talks", "Recording and sharing talks", "equipment"),
];

const INTRO: &[&str] = &[
    "This month the {chapter} chapter turns to {topic}, a subject that came up again and again in our last survey of members.",
    "Most teams in {city} that use {org} end up wrestling with {topic} sooner or later, and this meeting is about doing it with less pain.",
    "We asked the room at our last meeting what they wanted to hear about next, and {topic} won by a wide margin.",
    "Whether you are just starting out with {org} or have run it for years, there is something here for you on {topic}.",
    "Bring your questions, your half-finished setups and your war stories: the evening is built around the conversation as much as the talks.",
    "As always the meeting is free, run by volunteers, and open to anyone curious about better ways of planning and delivering work.",
    "Newcomers are very welcome; a leader will be at the door to say hello and introduce you to a few people before we start.",
    "We keep the talks short and the questions long, so expect plenty of time to compare notes with people who have solved the same problem.",
    "Several members have offered to show their real configurations, warts and all, which is always the most useful part of the night.",
    "If you cannot make it in person, the slides and a short write-up will be shared on the chapter page afterwards.",
];
const TAKEAWAYS: &[&str] = &[
    "A checklist you can apply to your own {topic} setup on Monday morning",
    "Patterns that other teams in {city} use, and the ones they abandoned",
    "How to explain the value of {topic} to a sceptical manager",
    "Which built-in {org} features cover most needs before you reach for an add-on",
    "Ways to keep reports honest when the data is entered by busy people",
    "A short list of questions to ask before you change a shared configuration",
    "Names of people in the chapter who have solved the same problem",
    "Ideas for measuring whether a change actually helped",
];
const TALK_PARAS: &[&str] = &[
    "{speaker} walks through the setup their team uses today, how it grew out of something much simpler, and what they would change if they started again tomorrow.",
    "Expect real screenshots rather than slides full of bullet points: {speaker} will show the configuration, the reports it feeds and the habits that keep it clean.",
    "{speaker} has helped several organisations through the same change and will share what tends to go wrong in the first three months, and how to spot it early.",
    "The talk finishes with a live demo and a few minutes of questions, so write down anything you would like {speaker} to show in more detail.",
];
const CLOSING: &[&str] = &[
    "Food and drinks are provided, with vegetarian and vegan options; tell us about any allergies in the registration form.",
    "The room is step-free and has an accessible toilet on the same floor; please contact the leaders if you need anything else to take part.",
    "Photos may be taken during the talks for the chapter page; let a leader know if you would rather not appear in them.",
    "We follow the network's code of conduct at every meeting, online and in person.",
];

const AUDIENCE: &[&str] = &[
    "Project and programme managers who own a {org} setup and want to hear how others in {city} run theirs.",
    "Team leads who were handed {topic} last quarter and would like a second opinion before they change anything.",
    "Administrators who look after permissions, fields and templates for more than one team.",
    "Anyone who is evaluating {org} and wants to meet people who use it every day, without a sales pitch.",
    "Students and career changers who want to see how planning works in real organisations.",
];

const GUIDE_SENTENCES: &[&str] = &[
    "Start earlier than feels necessary: a venue, a speaker and a date fixed four weeks out leave room for everything that goes wrong later.",
    "Write down who does what, even when there are only two of you; a shared list stops the same job being done twice or not at all.",
    "Ask the host for a named contact on the day, with a phone number, and check the room yourself the week before if you can.",
    "Keep the registration page up to date, because it is the one place attendees, leaders and the programme all look.",
    "Thank the people who helped in public, at the meeting and on the chapter page; volunteers stay when they feel noticed.",
    "Record attendance the day after, while you still remember the numbers, and note anything you would change next time.",
    "When something goes wrong, say so early and plainly, on the registration page and by email, and offer a new date if you can.",
    "Small chapters can borrow ideas from large ones: most of what works at two hundred people also works at twenty, only with fewer chairs.",
    "If you are unsure whether a talk or sponsor fits the guidelines, ask another leader or the programme team before you announce it.",
    "Leave ten minutes at the end for people to talk to each other; for many members that is the main reason they come.",
];

const CODE_SNIPPETS: &[(&str, &str)] = &[
    (
        "text",
        "project in (OPS, DELIVERY) AND status changed to Done\n  AFTER startOfMonth(-1) AND labels = {label}\nORDER BY resolved DESC",
    ),
    (
        "yaml",
        "rule: notify-owner-on-block\ntrigger:\n  field: status\n  becomes: Blocked\nactions:\n  - comment: \"Blocked: please add a reason\"\n  - notify: owner\n  - label: {label}",
    ),
    (
        "json",
        "{\n  \"filter\": \"team = {label}\",\n  \"group_by\": \"assignee\",\n  \"columns\": [\"key\", \"summary\", \"due\", \"status\"],\n  \"limit\": 50\n}",
    ),
    (
        "sh",
        "# export last quarter's work items as CSV\ncurl -s -H \"Authorization: Bearer $TOKEN\" \\\n  \"https://api.example.com/v2/items?team={label}&since=-90d\" \\\n  | jq -r '.items[] | [.key, .status, .due] | @csv'",
    ),
];

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// An id from display text: lowercase ASCII letters, digits and `-`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'á' | 'à' | 'ã' | 'â' | 'ä' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'õ' | 'ô' | 'ö' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '\'' {
            // "O'Connor" → "oconnor"
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A YAML scalar for `s`: plain where that is safe (as people write it),
/// else double-quoted with JSON escapes (a JSON string is a valid YAML
/// double-quoted scalar).
fn yaml(s: &str) -> String {
    if needs_quotes(s) {
        serde_json::to_string(s).expect("a string serializes")
    } else {
        s.to_string()
    }
}

fn needs_quotes(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    let number_like = first.is_ascii_digit() && !s.contains(char::is_alphabetic);
    let keyword = matches!(
        s.to_ascii_lowercase().as_str(),
        "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n" | "~"
    );
    first.is_whitespace()
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || number_like
        || keyword
        || s.ends_with(|c: char| c.is_whitespace() || c == ':')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['\n', '"', '{', '}', '[', ']'])
}

/// Sentences joined into one paragraph, wrapped at 78 columns as people
/// write Markdown in an editor.
fn paragraph(sentences: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    let mut col = 0;
    for sentence in sentences {
        for word in sentence.split_whitespace() {
            if col > 0 && col + 1 + word.chars().count() > 78 {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += word.chars().count();
        }
    }
    out.push('\n');
    out
}

fn fill(pattern: &str, vars: &[(&str, &str)]) -> String {
    let mut s = pattern.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

fn season(d: NaiveDate) -> &'static str {
    match d.month() {
        12 | 1 | 2 => "winter",
        3..=5 => "spring",
        6..=8 => "summer",
        _ => "autumn",
    }
}

// ---------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------

struct Person {
    id: String,
    name: String,
    company: &'static str,
}

struct Chapter {
    id: String,
    name: String,
    city: &'static str,
    country: &'static str,
    region: &'static str,
    zone: &'static str,
    leaders: Vec<Person>,
    sponsors: Vec<&'static str>,
}

#[derive(Default)]
struct Stats {
    files: usize,
    bytes: usize,
    events: usize,
    leaders: usize,
    event_words: usize,
}

struct Writer {
    root: PathBuf,
    stats: Stats,
}

impl Writer {
    fn write(&mut self, rel: &str, text: &str) -> Result<(), String> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        self.stats.files += 1;
        self.stats.bytes += text.len();
        Ok(())
    }
}

/// Make `out` ready: missing, empty, or written by this tool before.
fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty {
            if !out.join(MARKER).is_file() {
                return Err(format!(
                    "{} is not empty and was not written by gen-network; choose another folder",
                    out.display()
                ));
            }
            std::fs::remove_dir_all(out)
                .map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
}

fn run(args: &Args) -> Result<Stats, String> {
    if args.chapters == 0 {
        return Err("--chapters must be at least 1".into());
    }
    prepare(&args.out)?;
    let mut w = Writer {
        root: args.out.clone(),
        stats: Stats::default(),
    };
    w.write(
        MARKER,
        &format!(
            "gen-network --chapters {} --events-per-chapter {} --seed {} --today {}\n",
            args.chapters, args.events_per_chapter, args.seed, args.today
        ),
    )?;
    w.write("site.yaml", &site_yaml(args))?;
    w.write("content/sponsors.yaml", &sponsors_yaml())?;

    let mut taken: HashSet<String> = HashSet::new();
    let chapters: Vec<Chapter> = (0..args.chapters)
        .map(|i| make_chapter(args.seed, i, &mut taken))
        .collect();
    for (i, c) in chapters.iter().enumerate() {
        let mut rng = Rng::new(args.seed, 1_000_000 + i as u64);
        w.write(
            &format!("content/chapters/{}/chapter.yaml", c.id),
            &chapter_yaml(c, args.today, &mut rng),
        )?;
        for l in &c.leaders {
            w.write(
                &format!("content/leaders/{}.md", l.id),
                &leader_md(l, c, &mut rng),
            )?;
            w.stats.leaders += 1;
        }
        write_events(&mut w, c, args, i)?;
    }
    for (gi, g) in GUIDES.iter().enumerate() {
        let mut rng = Rng::new(args.seed, 2_000_000 + gi as u64);
        let text = guide_md(g, gi, &chapters, args.today, &mut rng);
        w.write(&format!("content/guides/{}.md", g.0), &text)?;
    }
    Ok(w.stats)
}

fn site_yaml(args: &Args) -> String {
    format!(
        "title: {ORG} User Groups (synthetic network)\n\
base_url: https://groups.example.org/\n\
description: >-\n  A generated network of {} chapters with {} events each, used to measure\n  how chapterhouse scales. Every meeting is free, led by users, and open to\n  anyone curious about better project management.\n\
language: en\n\
organization: {ORG}\n\
registration:\n  host: {REG_HOST}\n  name: {ORG} Community Events\n\
timezone: UTC\n\
contact: usergroups@example.org\n",
        args.chapters, args.events_per_chapter
    )
}

fn sponsors_yaml() -> String {
    let mut s = String::from("# Sponsors that support one or more chapters.\n");
    for (id, name, kind) in SPONSORS {
        let _ = write!(
            s,
            "- id: {id}\n  name: {}\n  url: https://{id}.example/\n  kind: {kind}\n",
            yaml(name)
        );
    }
    s
}

/// Indexes of `CITIES`, taking one city of each region in turn, so that even
/// a small network has chapters in several regions and time zones.
fn city_order() -> Vec<usize> {
    let mut regions: Vec<&str> = Vec::new();
    for c in CITIES {
        if !regions.contains(&c.3) {
            regions.push(c.3);
        }
    }
    let by_region: Vec<Vec<usize>> = regions
        .iter()
        .map(|r| (0..CITIES.len()).filter(|&i| CITIES[i].3 == *r).collect())
        .collect();
    let mut order = Vec::new();
    for round in 0.. {
        let before = order.len();
        for cities in &by_region {
            if let Some(&i) = cities.get(round) {
                order.push(i);
            }
        }
        if order.len() == before {
            break;
        }
    }
    order
}

fn make_chapter(seed: u64, i: usize, taken: &mut HashSet<String>) -> Chapter {
    let mut rng = Rng::new(seed, i as u64);
    let (city, display, country, region, zone) = CITIES[city_order()[i % CITIES.len()]];
    let round = i / CITIES.len();
    let (id, name) = match round {
        0 => (slugify(city), display.to_string()),
        r if r <= DISTRICTS.len() => {
            let d = DISTRICTS[r - 1];
            (
                format!("{}-{}", slugify(city), slugify(d)),
                format!("{display} {d}"),
            )
        }
        r => (format!("{}-{r}", slugify(city)), format!("{display} ({r})")),
    };
    let n_leaders = if rng.percent(60) { 2 } else { 3 };
    let leaders = (0..n_leaders)
        .map(|_| {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let name = format!("{first} {last}");
            let base = slugify(&name);
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            Person {
                id,
                name,
                company: rng.pick(COMPANIES),
            }
        })
        .collect();
    let n_sponsors = rng.range(0, 3);
    let sponsors = rng
        .sample(SPONSORS, n_sponsors)
        .into_iter()
        .map(|s| s.0)
        .collect();
    Chapter {
        id,
        name,
        city,
        country,
        region,
        zone,
        leaders,
        sponsors,
    }
}

fn chapter_yaml(c: &Chapter, today: NaiveDate, rng: &mut Rng) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "name: {}", yaml(&c.name));
    let _ = writeln!(s, "city: {}", yaml(c.city));
    let _ = writeln!(s, "country: {}", c.country);
    let _ = writeln!(s, "region: {}", c.region);
    let _ = writeln!(s, "timezone: {}", c.zone);
    s.push_str("leaders:\n");
    for l in &c.leaders {
        let _ = writeln!(s, "  - {}", l.id);
    }
    let founded = today - Duration::days(rng.range(400, 3000) as i64);
    let _ = writeln!(s, "founded: {founded}");
    let _ = writeln!(s, "online_group: https://{REG_HOST}/groups/{}/", c.id);
    let _ = writeln!(s, "contact: {}@groups.example.org", c.id);
    if !c.sponsors.is_empty() {
        s.push_str("sponsors:\n");
        for sp in &c.sponsors {
            let _ = writeln!(s, "  - {sp}");
        }
    }
    let t1 = rng.pick(TOPICS);
    let t2 = rng.pick(TOPICS);
    let _ = write!(
        s,
        "description: |\n  The {name} chapter meets about three times a month, in the evening or\n  over lunch, and draws members from teams of every size that plan their work\n  with {ORG}.\n\n  Recent favourites were sessions on {t1} and {t2}.\n  If you have solved a problem that others keep running into, we would love\n  to hear about it on stage: [propose a talk](mailto:{id}@groups.example.org).\n",
        name = c.name,
        id = c.id
    );
    s
}

fn leader_md(l: &Person, c: &Chapter, rng: &mut Rng) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "name: {}", yaml(&l.name));
    s.push_str("affiliation: user\n");
    let _ = writeln!(s, "company: {}", yaml(l.company));
    s.push_str("links:\n");
    let _ = writeln!(s, "  LinkedIn: https://www.linkedin.com/in/{}/", l.id);
    let _ = writeln!(
        s,
        "  Community profile: https://{REG_HOST}/people/{}/",
        l.id
    );
    s.push_str("---\n");
    let first = l.name.split(' ').next().unwrap_or(&l.name);
    let topic = rng.pick(TOPICS);
    let years = rng.range(2, 9);
    let _ = write!(
        s,
        "{first} works at {company}, where a team of {n} people plans and tracks its\nwork in {ORG}. {first} has used {ORG} for {years} years and joined the\n{chapter} chapter as a volunteer before becoming one of its leaders.\n\n{first} looks after speakers, reviews partner sessions and keeps the\nvolunteer rota, and is happy to talk about {topic} with anyone who asks.\n",
        company = l.company,
        n = rng.range(5, 120),
        chapter = c.name,
    );
    s
}

/// One event slot: a date, a local start time and a duration in minutes.
fn slot(rng: &mut Rng, date: NaiveDate, kind_formats: &[&str]) -> (NaiveDate, (u32, u32), i64) {
    if kind_formats.contains(&"lunch-and-learn") {
        // A weekday lunch.
        let mut d = date;
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d += Duration::days(1);
        }
        return (d, (12, 0), 60);
    }
    if kind_formats.contains(&"workshop") && rng.percent(50) {
        // A Saturday morning.
        let mut d = date;
        while d.weekday() != Weekday::Sat {
            d += Duration::days(1);
        }
        return (d, (10, 0), 240);
    }
    let start = rng.pick(&[(17, 30), (18, 0), (18, 30), (19, 0)]);
    (date, start, rng.pick(&[90, 120, 150]))
}

fn write_events(w: &mut Writer, c: &Chapter, args: &Args, ci: usize) -> Result<(), String> {
    let n = args.events_per_chapter;
    if n == 0 {
        return Ok(());
    }
    let span = PAST_DAYS + FUTURE_DAYS;
    let first = args.today - Duration::days(PAST_DAYS);
    let mut used: HashSet<String> = HashSet::new();
    for k in 0..n {
        let mut rng = Rng::new(args.seed, ((ci as u64) << 20) | k as u64 | (1 << 40));
        let lo = span * k as i64 / n as i64;
        let hi = (span * (k as i64 + 1) / n as i64).max(lo + 1);
        let day = first + Duration::days(lo + rng.below((hi - lo) as usize) as i64);
        let kind = rng.pick(KINDS);
        let (date, (h, m), minutes) = slot(&mut rng, day, kind.0);
        let topic = rng.pick(TOPICS);
        let title = fill(
            kind.1,
            &[
                ("topic", topic),
                ("Topic", &capitalize(topic)),
                ("season", season(date)),
                ("Season", &capitalize(season(date))),
            ],
        );
        let base: String = slugify(&title)
            .split('-')
            .take(6)
            .collect::<Vec<_>>()
            .join("-");
        let mut stem = format!("{date}-{base}");
        let mut dup = 2;
        while !used.insert(stem.clone()) {
            stem = format!("{date}-{base}-{dup}");
            dup += 1;
        }
        let ev = EventSpec {
            chapter: c,
            stem: &stem,
            title: &title,
            topic,
            formats: kind.0,
            talks: rng.range(kind.2, kind.3),
            date,
            start: (h, m),
            minutes,
            today: args.today,
        };
        let (text, words) = event_md(&ev, &mut rng);
        w.write(
            &format!("content/chapters/{}/events/{stem}.md", c.id),
            &text,
        )?;
        w.stats.events += 1;
        w.stats.event_words += words;
    }
    Ok(())
}

struct EventSpec<'a> {
    chapter: &'a Chapter,
    stem: &'a str,
    title: &'a str,
    topic: &'a str,
    formats: &'a [&'a str],
    talks: usize,
    date: NaiveDate,
    start: (u32, u32),
    minutes: i64,
    today: NaiveDate,
}

struct TalkSpec {
    title: String,
    speaker: String,
    company: &'static str,
    affiliation: &'static str,
    reviewed_by: Option<String>,
}

fn event_md(e: &EventSpec<'_>, rng: &mut Rng) -> (String, usize) {
    let c = e.chapter;
    let start = e
        .date
        .and_hms_opt(e.start.0, e.start.1, 0)
        .expect("a valid time");
    let end = start + Duration::minutes(e.minutes);
    let past = e.date < e.today;
    let status = match rng.below(100) {
        0..=3 => "cancelled",
        4..=5 => "postponed",
        _ => "scheduled",
    };
    let mode = match rng.below(100) {
        0..=69 => "in-person",
        70..=87 => "hybrid",
        _ => "online",
    };
    let venue = (mode != "online").then(|| {
        let street_no = rng.range(1, 240);
        let street = rng.pick(STREETS);
        let host = rng.pick(COMPANIES);
        let name = if rng.percent(50) {
            format!("{host} {}", rng.pick(VENUE_KINDS))
        } else {
            format!("{} {}", c.city, rng.pick(VENUE_KINDS))
        };
        (
            name,
            format!("{street_no} {street}, {}", c.city),
            street_no,
            street,
        )
    });

    // Talks: partners and vendors are reviewed by a leader of this chapter.
    let talks: Vec<TalkSpec> = (0..e.talks)
        .map(|_| {
            let affiliation = match rng.below(100) {
                0..=59 => "user",
                60..=74 => "employee",
                75..=89 => "partner",
                _ => "vendor",
            };
            let company: &'static str = match affiliation {
                "partner" => {
                    let p: Vec<_> = SPONSORS
                        .iter()
                        .filter(|s| s.2 == "solution-partner")
                        .collect();
                    rng.pick(&p).1
                }
                "vendor" => {
                    let v: Vec<_> = SPONSORS.iter().filter(|s| s.2 == "vendor").collect();
                    rng.pick(&v).1
                }
                "employee" => ORG,
                _ => rng.pick(COMPANIES),
            };
            let reviewed = matches!(affiliation, "partner" | "vendor") || rng.percent(15);
            TalkSpec {
                title: fill(
                    rng.pick(TALK_TITLES),
                    &[("topic", e.topic), ("Topic", &capitalize(e.topic))],
                ),
                speaker: format!("{} {}", rng.pick(FIRST), rng.pick(LAST)),
                company,
                affiliation,
                reviewed_by: reviewed.then(|| rng.pick_ref(&c.leaders).id.clone()),
            }
        })
        .collect();

    let reg_url = format!(
        "https://{}{REG_HOST}/events/details/{}-{}/",
        if rng.percent(10) { "events." } else { "" },
        c.id,
        e.stem
    );

    // Front matter.
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml(e.title));
    let _ = writeln!(s, "start: {}", start.format("%Y-%m-%dT%H:%M"));
    let _ = writeln!(s, "end: {}", end.format("%Y-%m-%dT%H:%M"));
    if status != "scheduled" {
        let _ = writeln!(s, "status: {status}");
    }
    if status != "scheduled" || rng.percent(15) {
        let before = Duration::days(rng.range(1, 20) as i64);
        let upd = (e.date - before)
            .and_hms_opt(rng.range(8, 17) as u32, 0, 0)
            .expect("a valid time");
        let _ = writeln!(s, "updated: {}", upd.format("%Y-%m-%dT%H:%M"));
    }
    let _ = writeln!(s, "format: [{}]", e.formats.join(", "));
    if mode != "in-person" || rng.percent(30) {
        let _ = writeln!(s, "attendance_mode: {mode}");
    }
    if let Some((name, address, no, street)) = &venue {
        s.push_str("venue:\n");
        let _ = writeln!(s, "  name: {}", yaml(name));
        let _ = writeln!(s, "  address: {}", yaml(address));
        if rng.percent(70) {
            let q = format!("{no} {street} {}", c.city).replace(' ', "+");
            let _ = writeln!(
                s,
                "  map_url: https://www.openstreetmap.org/search?query={q}"
            );
        }
    }
    if status == "scheduled" || rng.percent(50) {
        let _ = writeln!(s, "registration: {reg_url}");
    }
    if rng.percent(25) {
        s.push_str("promotion:\n");
        let _ = writeln!(
            s,
            "  - https://www.linkedin.com/events/{}-{}/",
            c.id, e.stem
        );
        if rng.percent(40) {
            let _ = writeln!(
                s,
                "  - https://www.meetup.example/{}/events/{}/",
                c.id, e.stem
            );
        }
    }
    match rng.below(100) {
        0..=9 => s.push_str("price: free\n"),
        10..=14 => s.push_str("price: 0\n"),
        _ => {}
    }
    let capacity = rng.range(3, 20) * 10;
    if rng.percent(70) {
        let _ = writeln!(s, "capacity: {capacity}");
    }
    if !talks.is_empty() {
        s.push_str("talks:\n");
        for t in &talks {
            let _ = writeln!(s, "  - title: {}", yaml(&t.title));
            s.push_str("    speaker:\n");
            let _ = writeln!(s, "      name: {}", yaml(&t.speaker));
            let _ = writeln!(s, "      company: {}", yaml(t.company));
            let _ = writeln!(s, "      affiliation: {}", t.affiliation);
            if let Some(r) = &t.reviewed_by {
                let _ = writeln!(s, "    reviewed_by: {r}");
            }
        }
    }
    if !c.sponsors.is_empty() && rng.percent(40) {
        let k = rng.range(1, c.sponsors.len());
        let chosen = rng.sample(&c.sponsors, k);
        let list: Vec<&str> = chosen.into_iter().copied().collect();
        let _ = writeln!(s, "sponsors: [{}]", list.join(", "));
    }
    if status == "scheduled" && (past || rng.percent(60)) {
        let rsvps = rng.range(capacity / 3, capacity + 20);
        let _ = writeln!(s, "rsvps: {rsvps}");
        if past {
            let _ = writeln!(s, "attendance: {}", rsvps * rng.range(55, 90) / 100);
        }
    }
    s.push_str("---\n");

    // Body.
    let body_start = s.len();
    let vars: [(&str, &str); 4] = [
        ("chapter", &c.name),
        ("city", c.city),
        ("org", ORG),
        ("topic", e.topic),
    ];
    match status {
        "cancelled" => s.push_str(
            "**This meeting is cancelled.** We are sorry for the short notice; everyone who\nregistered has been told by email, and we hope to see you at the next one.\n\n",
        ),
        "postponed" => s.push_str(
            "**This meeting is postponed.** The speakers are still keen, and we will\nannounce the new date here and on the registration page as soon as we have it.\n\n",
        ),
        _ => {}
    }
    let intro = rng.sample(INTRO, 5);
    s.push_str(&paragraph(intro.into_iter().map(|p| fill(p, &vars))));
    s.push_str("\n## Agenda\n\n| Time | Session |\n|------|---------|\n");
    let mut t = start;
    let row = |t: chrono::NaiveDateTime, what: &str, s: &mut String| {
        let _ = writeln!(s, "| {} | {what} |", t.format("%H:%M"));
    };
    let doors = if mode == "online" {
        "The call opens; say hello in the chat"
    } else {
        "Doors open, food and drinks"
    };
    row(t, doors, &mut s);
    t += Duration::minutes(30);
    row(t, "Welcome and chapter news", &mut s);
    t += Duration::minutes(10);
    for talk in &talks {
        row(t, &format!("*{}* ({})", talk.title, talk.speaker), &mut s);
        t += Duration::minutes(((e.minutes - 50) / (talks.len() as i64 + 1)).max(10));
    }
    row(t, "Open discussion", &mut s);
    row(end, "Close", &mut s);

    s.push_str("\n## Who should come\n\n");
    let who = rng.sample(AUDIENCE, 2);
    s.push_str(&paragraph(who.into_iter().map(|p| fill(p, &vars))));
    s.push_str("\n## What you will take away\n\n");
    for item in rng.sample(TAKEAWAYS, 4) {
        let _ = writeln!(s, "- {}", fill(item, &vars));
    }
    if !talks.is_empty() {
        s.push_str("\n## The talks\n");
        for talk in &talks {
            let _ = write!(s, "\n### {}\n\n", talk.title);
            let who = format!("{} ({})", talk.speaker, talk.company);
            let mut para = vec![fill(rng.pick(TALK_PARAS), &[("speaker", &who)])];
            if let Some(r) = &talk.reviewed_by {
                let reviewer = c
                    .leaders
                    .iter()
                    .find(|l| &l.id == r)
                    .map_or(r.as_str(), |l| l.name.as_str());
                para.push(format!(
                    "The talk was reviewed by {reviewer} before the meeting, in line with the [guidelines for partner talks](/guides/reviewing-partner-talks/)."
                ));
            }
            s.push_str(&paragraph(para));
        }
    }
    let (lang, code) = rng.pick(CODE_SNIPPETS);
    let label = slugify(e.topic);
    let _ = write!(
        s,
        "\n## Try it before you come\n\nIf you want to follow along, here is the starting point the speakers will\nuse. Paste it into a sandbox project rather than your team's real one:\n\n```{lang}\n{}\n```\n",
        code.replace("{label}", &label)
    );
    s.push_str(if mode == "online" {
        "\n## Joining online\n\n"
    } else {
        "\n## Getting there\n\n"
    });
    let mut there = Vec::new();
    match &venue {
        Some((name, address, _, _)) => {
            there.push(format!(
                "We meet at **{name}**, {address}. Public transport is the easiest way in; there is bicycle parking by the entrance."
            ));
            if mode == "hybrid" {
                there.push("Online attendees receive the stream link by email on the afternoon of the meeting.".into());
            }
        }
        None => there.push(
            "The meeting runs on a video call. The link is sent by email to everyone who registered, an hour before the start.".into(),
        ),
    }
    there.push(format!(
        "Please [register on {ORG} Community Events]({reg_url}) so that we know how many people to expect, and see the [{}](/chapters/{}/) page for our other meetings.",
        c.name, c.id
    ));
    s.push_str(&paragraph(there));
    s.push('\n');
    let closing = rng.sample(CLOSING, 3);
    s.push_str(&paragraph(closing.into_iter().map(|p| p.to_string())));
    let words = s[body_start..].split_whitespace().count();
    (s, words)
}

fn guide_md(
    g: &(&str, &str, &str),
    gi: usize,
    chapters: &[Chapter],
    today: NaiveDate,
    rng: &mut Rng,
) -> String {
    let (_, title, category) = *g;
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml(title));
    let _ = writeln!(s, "category: {category}");
    if gi == 8 {
        // A guide written by a partner, who must name the company.
        s.push_str("author:\n  name: Rajesh Menon\n  company: Northstar Solutions\n  affiliation: partner\n");
    } else {
        let c = &chapters[rng.below(chapters.len())];
        let _ = writeln!(s, "author: {}", rng.pick_ref(&c.leaders).id);
    }
    let updated = today - Duration::days(rng.range(10, 400) as i64);
    let _ = writeln!(s, "updated: {updated}");
    if gi == 11 {
        s.push_str("ai_assisted: true\n");
    }
    s.push_str("---\n");
    let vars: [(&str, &str); 4] = [
        ("chapter", "your"),
        ("city", "your city"),
        ("org", ORG),
        ("topic", rng.pick(TOPICS)),
    ];
    let _ = write!(
        s,
        "This guide collects what leaders across the network have learned about\n{}. Copy what is useful, trim the rest, and tell us what you would add.\n",
        title.to_lowercase()
    );
    for section in ["Before the meeting", "On the day", "Afterwards"] {
        let _ = write!(s, "\n## {section}\n\n");
        let paras = rng.sample(GUIDE_SENTENCES, 4);
        s.push_str(&paragraph(paras.into_iter().map(|p| fill(p, &vars))));
        s.push('\n');
        for item in rng.sample(TAKEAWAYS, 4) {
            let _ = writeln!(s, "- [ ] {}", fill(item, &vars));
        }
    }
    s.push_str("\n## At a glance\n\n| When | Who | What |\n|------|-----|------|\n| Four weeks before | Leaders | Book the venue and open registration |\n| One week before | Speakers | Send slides for review |\n| On the day | Volunteers | Door, food and camera |\n| Day after | Leaders | Record attendance |\n");
    let _ = write!(
        s,
        "\nSee also [the registration system](https://{REG_HOST}/) and the\n[network's guides](/guides/).\n"
    );
    s
}
