//! The bodies of chapterhouse's fuzz targets, shared by `cargo fuzz`
//! (libFuzzer, nightly: `fuzz/fuzz_targets/*.rs`) and the stable smoke
//! loop in `tests/it/robust.rs`, which includes this file by path.
//!
//! Each function takes arbitrary bytes and panics only when chapterhouse
//! breaks a promise: a panic inside chapterhouse, a span outside its file,
//! active content in sanitized HTML, a malformed iCalendar line.
#![allow(unreachable_pub, dead_code)]

use std::path::PathBuf;

use chapterhouse::config::MarkdownConfig;
use chapterhouse::diag::Diagnostics;
use chapterhouse::diag::render::{HumanOptions, github, human, json};
use chapterhouse::markdown::{Markdown, excerpt, is_safe_url, to_plain_text};
use chapterhouse::render::Theme;
use chapterhouse::render::ical::{MAX_LINE_OCTETS, escape_text, fold_line};
use chapterhouse::source::from_memory;
use chapterhouse::source::frontmatter::split;

const SITE: &str = "title: Fuzz\nbase_url: https://groups.example.org/\norganization: Example\nregistration:\n  host: events.example.org\ncontact: groups@example.org\n";
const CHAPTER: &str =
    "name: Rome\ncity: Rome\ncountry: IT\ntimezone: Europe/Rome\nleaders: [ann]\n";
const LEADER: &str = "---\nname: Ann\naffiliation: user\n---\nBio.\n";

/// Where the fuzzed text goes: one file of each kind the content model reads.
const PLACES: &[&str] = &[
    "content/chapters/rome/events/2026-12-03-night.md",
    "content/leaders/bo.md",
    "content/guides/venues.md",
    "content/chapters/rome/chapter.yaml",
    "content/sponsors.yaml",
    "site.yaml",
];

/// Front-matter split, YAML parsing and every later stage up to the
/// guideline checks and a render, with the input as one file of a small
/// site (the first byte picks which). Every diagnostic must point inside
/// its file, and all three diagnostic renderers must cope with it.
pub fn front_matter(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Ok(s) = split(text) {
        assert!(s.yaml.start <= s.yaml.end && s.yaml.end <= s.body.start);
        assert_eq!(s.body.end, text.len());
        assert!(text.get(s.yaml.clone()).is_some() && text.get(s.body.clone()).is_some());
    }
    let place = PLACES[usize::from(pick) % PLACES.len()];
    let mut files: Vec<(String, String)> = vec![
        ("site.yaml".into(), SITE.into()),
        ("content/chapters/rome/chapter.yaml".into(), CHAPTER.into()),
        ("content/leaders/ann.md".into(), LEADER.into()),
    ];
    files.retain(|(p, _)| p != place);
    files.push((place.into(), text.into()));
    let sources = from_memory(PathBuf::from("/nonexistent/fuzz-site"), files);
    let mut diags = Diagnostics::new();
    let parsed = chapterhouse::parse::parse(&sources, &mut diags);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let sources =
        match chapterhouse::model::resolve::resolve_owned(parsed, sources, today, &mut diags) {
            Ok(site) => {
                chapterhouse::check::run_all(&site, &mut diags);
                // Compiling the theme's templates is the slowest step and
                // does not depend on the input: do it once.
                static THEME: std::sync::OnceLock<Option<Theme>> = std::sync::OnceLock::new();
                let theme = THEME
                    .get_or_init(|| Theme::load(&site.sources.root, None, &mut Diagnostics::new()));
                if let Some(plan) = theme
                    .as_ref()
                    .map(|t| chapterhouse::render::render(&site, t, &mut diags))
                {
                    for (path, bytes) in &plan.files {
                        if path.ends_with(".ics") {
                            check_calendar(path, bytes);
                        }
                    }
                }
                site.sources
            }
            Err(sources) => sources,
        };
    for d in diags.iter() {
        if let Some(span) = &d.span {
            let file = sources.get(span.file);
            if let Some(r) = &span.range {
                assert!(
                    r.start <= r.end && r.end <= file.text.len(),
                    "{}: span {r:?} outside {} ({} bytes)",
                    d.code,
                    file.path,
                    file.text.len()
                );
            }
        }
    }
    diags.sort(&sources);
    let opts = HumanOptions {
        color: false,
        width: 80,
    };
    let _ = human(&diags, &sources, opts);
    let _ = json(&diags, &sources, diags.has_errors(), today);
    let _ = github(&diags, &sources);
}

/// Walk the tags of `html` (where text `<` is always escaped, so each `<`
/// opens a tag) and report a script, frame, form, event handler or unsafe
/// URL.
pub fn active_content(html: &str) -> Result<(), String> {
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if matches!(
            name,
            "script" | "iframe" | "frame" | "object" | "embed" | "style" | "form" | "base" | "meta"
        ) {
            return Err(format!("<{name}>"));
        }
        let mut attrs = &rest[name_end..];
        loop {
            attrs = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if attrs.is_empty() || attrs.starts_with('>') {
                break;
            }
            let n_end = attrs
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(attrs.len());
            let attr = &attrs[..n_end];
            attrs = &attrs[n_end..];
            let mut value = "";
            if let Some(v) = attrs.strip_prefix('=') {
                let v = v.strip_prefix('"').ok_or("unquoted attribute")?;
                let end = v.find('"').ok_or("unclosed attribute")?;
                value = &v[..end];
                attrs = &v[end + 1..];
            }
            // pulldown-cmark aligns table cells with `style="text-align: …"`;
            // any other style could restyle the page.
            let alignment = matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            );
            if attr.starts_with("on") || attr == "style" && !alignment || attr == "srcdoc" {
                return Err(format!("attribute {attr}"));
            }
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && !is_safe_url(&value.replace("&amp;", "&"))
            {
                return Err(format!("{attr}={value}"));
            }
        }
    }
    Ok(())
}

/// Markdown to sanitized HTML (with and without allowed iframe hosts), to
/// plain text and to an excerpt. The HTML never holds active content, and
/// the text stays within a linear bound of the input.
pub fn markdown(data: &[u8]) {
    let Ok(md) = std::str::from_utf8(data) else {
        return;
    };
    let html = Markdown::new(&MarkdownConfig::default()).to_html(md);
    if let Err(why) = active_content(&html) {
        panic!("{why}\nfrom {md:?}\nto {html}");
    }
    let with_frames = Markdown::new(&MarkdownConfig {
        trust_raw_html: false,
        iframe_hosts: vec!["www.youtube-nocookie.com".into()],
    })
    .to_html(md);
    // An iframe's content is raw text to a browser (never markup), so
    // check each iframe's own tag and skip what it holds.
    let lower = with_frames.to_lowercase();
    let mut rest = lower.as_str();
    let mut outside = String::new();
    while let Some(i) = rest.find("<iframe") {
        outside.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        if let Some(src) = tag.split("src=\"").nth(1) {
            assert!(
                src.starts_with("https://www.youtube-nocookie.com/"),
                "iframe from {src}"
            );
        }
        rest = match rest[tag_end..].find("</iframe") {
            Some(close) => &rest[tag_end + close + "</iframe".len()..],
            None => "",
        };
    }
    outside.push_str(rest);
    if let Err(why) = active_content(&outside.replace("</iframe>", "")) {
        panic!("{why}\nfrom {md:?}\nto {with_frames}");
    }
    let text = to_plain_text(md);
    // Each input byte may become a few (a list marker, a link's URL shown
    // after its text); a quadratic blow-up is far beyond this.
    assert!(
        text.len() <= 64 * md.len() + 1024,
        "{} bytes of text from {} bytes",
        text.len(),
        md.len()
    );
    assert!(excerpt(md, 160).chars().count() <= 161);
}

/// Undo [`fold_line`] and [`escape_text`], as a calendar client does.
pub fn unfold_unescape(folded: &str) -> String {
    let unfolded = folded
        .strip_suffix("\r\n")
        .expect("a content line ends in CRLF")
        .replace("\r\n ", "");
    let mut out = String::new();
    let mut chars = unfolded.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(e @ ('\\' | ';' | ',')) => out.push(e),
                other => panic!("bad escape \\{other:?} in {unfolded:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Physical lines of iCalendar text: CRLF only, at most 75 octets each.
pub fn check_calendar(path: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
    assert!(text.ends_with("\r\n"), "{path} does not end in CRLF");
    for line in text[..text.len() - 2].split("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "{path}: a bare CR or LF in {line:?}"
        );
        assert!(
            line.len() <= MAX_LINE_OCTETS,
            "{path}: {} octets in {line:?}",
            line.len()
        );
    }
}

/// The iCalendar TEXT writer: any text, escaped and folded as a
/// `DESCRIPTION`, gives lines of at most 75 octets, each ending in CRLF
/// with no bare CR or LF, and reads back as the text with its line breaks
/// made LF and its other control characters (which TEXT cannot hold,
/// except tab) dropped.
pub fn ical(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut out = String::new();
    fold_line(&format!("DESCRIPTION:{}", escape_text(text)), &mut out);
    check_calendar("DESCRIPTION", out.as_bytes());
    let back = unfold_unescape(&out);
    let expected: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_ascii_control() || matches!(c, '\n' | '\t'))
        .collect();
    assert_eq!(back, format!("DESCRIPTION:{expected}"));
}
