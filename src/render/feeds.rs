//! `feed.xml` (Atom), `events.json`, `sitemap.xml` and `robots.txt`.

use serde::Serialize;

use crate::model::{Event, Site};
use crate::render::OutputPlan;
use crate::render::escape::{Specials, escape_into, escape_to, needs_escape, specials};
use crate::render::urls::Urls;

/// How many past events the Atom feed keeps besides the upcoming ones.
pub const ATOM_PAST: usize = 50;

/// The bytes [`xml_escape`] replaces: markup characters and the control
/// characters XML 1.0 forbids.
const XML_SPECIALS: Specials = specials(b"&<>\"'", b"\t\n\r");

/// Escape text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    // Most text needs no escaping (this runs for every value a template
    // prints, hundreds of times per page).
    if !needs_escape(s, &XML_SPECIALS) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + s.len() / 8 + 8);
    escape_into(s, &mut out, &XML_SPECIALS, xml_entity);
    out
}

/// [`xml_escape`] written straight into `out` (as a template prints a value).
pub fn xml_escape_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_to(s, out, &XML_SPECIALS, xml_entity)
}

/// What an XML special byte is written as.
fn xml_entity(b: &[u8], i: usize) -> &'static str {
    match b[i] {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&apos;",
        // Characters XML 1.0 forbids.
        _ => "",
    }
}

/// The event's UID in every calendar: `<chapter>/<id>@<host>`.
pub fn uid(site: &Site, e: &Event) -> String {
    format!("{}/{}@{}", site.chapter_of(e).id, e.id, site.config.host())
}

/// When subscribers should consider the event last changed: its `updated`,
/// else its start date's midnight... kept stable so feeds never churn.
fn revised(e: &Event) -> String {
    e.updated
        .unwrap_or(e.start)
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn render_feeds(site: &Site, plan: &mut OutputPlan) {
    let urls = Urls::new(&site.config.base_url);
    // Side by side: at 50,000 events each takes a few tenths of a second,
    // at the end of a build, when the other pages are done.
    let mut json = OutputPlan {
        spill: plan.spill.clone(),
        ..OutputPlan::default()
    };
    let (feed, ()) = rayon::join(
        || atom(site, &urls),
        || json.put_streamed("events.json", |w| write_events_json(site, &urls, w)),
    );
    plan.put("feed.xml", feed);
    plan.merge(json);
    plan.insert(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            urls.absolute("sitemap.xml")
        ),
    );
}

/// `sitemap.xml`: every page of `plan` (call it once the pages are made).
pub fn render_sitemap(site: &Site, plan: &mut OutputPlan) {
    let urls = Urls::new(&site.config.base_url);
    let mut sm = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in plan.paths() {
        let Some(dir) = path.strip_suffix("index.html") else {
            continue;
        };
        sm.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&urls.absolute(dir))
        ));
    }
    sm.push_str("</urlset>\n");
    plan.put("sitemap.xml", sm);
}

fn atom(site: &Site, urls: &Urls) -> String {
    let today = site.today;
    let first_open = site.events.partition_point(|e| e.end.date_naive() < today);
    let past_from = first_open.saturating_sub(ATOM_PAST);
    let mut entries: Vec<&Event> = site.events[past_from..].iter().collect();
    entries.reverse();
    let updated = entries
        .iter()
        .map(|e| revised(e))
        .max()
        .unwrap_or_else(|| format!("{today}T00:00:00Z"));
    let mut s = String::with_capacity(entries.len() * 800 + 512);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    s.push_str(&format!(
        " xml:lang=\"{}\">\n",
        xml_escape(&site.config.language)
    ));
    s.push_str(&format!(
        "  <title>{}</title>\n",
        xml_escape(&format!("{}: events", site.config.title))
    ));
    if let Some(d) = &site.config.description {
        s.push_str(&format!("  <subtitle>{}</subtitle>\n", xml_escape(d)));
    }
    s.push_str(&format!("  <id>{}</id>\n", xml_escape(&urls.absolute(""))));
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&urls.absolute("feed.xml"))
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&urls.absolute(""))
    ));
    s.push_str(&format!("  <updated>{updated}</updated>\n"));
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(&site.config.title)
    ));
    s.push_str(&format!("  <generator uri=\"https://github.com/chapterhouse\" version=\"{}\">chapterhouse</generator>\n", env!("CARGO_PKG_VERSION")));
    for e in entries {
        let c = site.chapter_of(e);
        let link = urls.absolute(&Urls::event(&c.id, &e.id));
        let status = match e.status {
            crate::model::Status::Cancelled => "Cancelled: ",
            crate::model::Status::Postponed => "Postponed: ",
            crate::model::Status::Scheduled => "",
        };
        let when = crate::model::time::when_label(&e.start, &e.end);
        let summary = format!("{when} · {} · {}", c.name, site.excerpt(e, 280));
        s.push_str("  <entry>\n");
        s.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&format!(
                "{status}{} ({}, {})",
                e.title,
                c.name,
                crate::model::time::date_label(&e.start)
            ))
        ));
        s.push_str(&format!("    <id>{}</id>\n", xml_escape(&link)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&link)
        ));
        s.push_str(&format!("    <updated>{}</updated>\n", revised(e)));
        s.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(&c.id),
            xml_escape(&c.name)
        ));
        s.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&summary)
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

#[derive(Serialize)]
struct JsonEvents<'a, L> {
    version: u32,
    site: &'a str,
    today: String,
    events: L,
}

#[derive(Serialize)]
struct JsonEvent<'a> {
    uid: String,
    id: &'a str,
    title: &'a str,
    chapter: JsonChapter<'a>,
    url: String,
    ics: String,
    start: String,
    end: String,
    timezone: &'a str,
    status: &'static str,
    attendance_mode: &'static str,
    formats: Vec<&'static str>,
    venue: Option<JsonVenue<'a>>,
    registration: Option<&'a str>,
    promotion: &'a [String],
    capacity: Option<u32>,
    updated: Option<String>,
    is_past: bool,
}

#[derive(Serialize)]
struct JsonChapter<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct JsonVenue<'a> {
    name: &'a str,
    address: &'a str,
    map_url: Option<&'a str>,
}

fn json_event<'a>(site: &'a Site, urls: &Urls, e: &'a Event) -> JsonEvent<'a> {
    let c = site.chapter_of(e);
    let rel = Urls::event(&c.id, &e.id);
    JsonEvent {
        uid: uid(site, e),
        id: &e.id,
        title: &e.title,
        chapter: JsonChapter {
            id: &c.id,
            name: &c.name,
            url: urls.absolute(&Urls::chapter(&c.id)),
        },
        url: urls.absolute(&rel),
        ics: urls.absolute(&format!("{rel}event.ics")),
        start: e.start.to_rfc3339(),
        end: e.end.to_rfc3339(),
        timezone: e.timezone.name(),
        status: e.status.as_str(),
        attendance_mode: e.attendance_mode.as_str(),
        formats: e.formats.iter().map(|f| f.as_str()).collect(),
        venue: e.venue.as_ref().map(|v| JsonVenue {
            name: &v.name,
            address: &v.address,
            map_url: v.map_url.as_deref(),
        }),
        registration: e.registration.as_deref(),
        promotion: &e.promotion,
        capacity: e.capacity,
        updated: e.updated.map(|u| u.to_rfc3339()),
        is_past: e.is_past(site.today),
    }
}

/// `events.json`, pretty-printed as `serde_json` prints the whole document,
/// with its events serialized in parallel, a batch at a time (at 50,000
/// events, one thread writing them was the last quarter second of a build;
/// holding them all would keep the whole file in memory).
fn write_events_json(site: &Site, urls: &Urls, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    let doc = JsonEvents {
        version: 1,
        site: &site.config.title,
        today: site.today.to_string(),
        events: [(); 0],
    };
    // The document around the list, as printed with an empty one.
    let frame = serde_json::to_vec_pretty(&doc)?;
    let cut = frame.len() - b"[]\n}".len();
    debug_assert!(frame.ends_with(b"\"events\": []\n}"));
    w.write_all(&frame[..=cut])?;
    if site.events.is_empty() {
        w.write_all(&frame[cut + 1..])?;
        return w.write_all(b"\n");
    }
    const BATCH: usize = 4096;
    const PIECE: usize = 64;
    for (b, batch) in site.events.chunks(BATCH).enumerate() {
        let pieces: Vec<Vec<u8>> = batch
            .par_chunks(PIECE)
            .enumerate()
            .map(|(p, events)| {
                let mut out = Vec::with_capacity(events.len() * 1536);
                let mut one = Vec::with_capacity(1536);
                for (i, e) in events.iter().enumerate() {
                    one.clear();
                    serde_json::to_writer_pretty(&mut one, &json_event(site, urls, e))
                        .map_err(std::io::Error::other)?;
                    // An element of the list: on its own line, two levels in
                    // (a JSON string holds no raw line break, so every one
                    // is the printer's).
                    let first = b == 0 && p == 0 && i == 0;
                    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                    for line in one.split_inclusive(|&c| c == b'\n') {
                        out.extend_from_slice(line);
                        if line.ends_with(b"\n") {
                            out.extend_from_slice(b"    ");
                        }
                    }
                }
                Ok(out)
            })
            .collect::<std::io::Result<_>>()?;
        for piece in pieces {
            w.write_all(&piece)?;
        }
    }
    w.write_all(b"\n  ]\n}\n")
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    /// `events.json`, written in parallel pieces, is byte for byte what
    /// `serde_json` prints for the whole document at once: with no events,
    /// and with more events than fit one piece.
    #[test]
    fn events_json_is_the_whole_document_pretty_printed() {
        use super::{JsonEvents, json_event, write_events_json};
        use crate::check::testing::SiteBuilder;
        let mut many = SiteBuilder::new();
        for d in 0..150 {
            let stem = format!("2026-{:02}-{:02}-meetup-{d}", 1 + d / 28, 1 + d % 28);
            many = many.event("rome", &stem, "");
        }
        for site in [SiteBuilder::new().build(), many.build()] {
            let urls = crate::render::urls::Urls::new(&site.config.base_url);
            let mut got = Vec::new();
            write_events_json(&site, &urls, &mut got).unwrap();
            let events: Vec<_> = site
                .events
                .iter()
                .map(|e| json_event(&site, &urls, e))
                .collect();
            let mut want = serde_json::to_vec_pretty(&JsonEvents {
                version: 1,
                site: &site.config.title,
                today: site.today.to_string(),
                events,
            })
            .unwrap();
            want.push(b'\n');
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn xml_escape_replaces_the_five_and_drops_forbidden_controls() {
        assert_eq!(xml_escape("plain text, ünïcode ✓"), "plain text, ünïcode ✓");
        assert_eq!(
            xml_escape(r#"<a href="x?a=1&b='2'">é</a>"#),
            "&lt;a href=&quot;x?a=1&amp;b=&apos;2&apos;&quot;&gt;é&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{1}b\tc\nd\re\u{1f}"), "ab\tc\nd\re");
        assert_eq!(xml_escape("&"), "&amp;");
        assert_eq!(xml_escape(""), "");
    }

    proptest::proptest! {
        /// The escaped text holds no markup character, and unescaping it
        /// gives back the input without its forbidden control characters.
        #[test]
        fn xml_escape_round_trips(s in "\\PC*|[<>&\"'\u{0}-\u{1f}a-zé]*") {
            let e = xml_escape(&s);
            proptest::prop_assert!(!e.contains(['<', '>', '"', '\'']));
            let back = e
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            let want: String = s
                .chars()
                .filter(|&c| c as u32 >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
                .collect();
            proptest::prop_assert_eq!(back, want);
        }
    }
}
