//! Stage 2, PARSE: [`SourceSet`] -> [`Parsed`].
//!
//! Turns each file's YAML into typed documents, one file at a time (in
//! parallel), reporting every bad field with the line it is on. It never
//! looks across files: references (leaders, sponsors, zones inherited from a
//! chapter) are left for `model` to resolve.

pub mod chapter;
pub mod event;
pub mod guide;
pub mod leader;
pub mod sponsor;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Leader, Sponsor};
use crate::source::yaml::{self, Obj, Reader, Seg};
use crate::source::{FileId, FileKind, SourceFile, SourceSet, split_problem};

pub use chapter::ChapterDoc;
pub use event::EventDoc;
pub use guide::GuideDoc;

/// Every document of the site, typed but not yet cross-checked.
#[derive(Debug, Default)]
pub struct Parsed {
    pub config: Option<SiteConfig>,
    pub chapters: Vec<ChapterDoc>,
    pub events: Vec<EventDoc>,
    pub leaders: Vec<Leader>,
    pub guides: Vec<GuideDoc>,
    pub sponsors: Vec<Sponsor>,
}

enum Doc {
    Chapter(ChapterDoc),
    Event(EventDoc),
    Leader(Leader),
    Guide(GuideDoc),
    Sponsors(Vec<Sponsor>),
}

/// Parse every file of `sources`.
pub fn parse(sources: &SourceSet, diags: &mut Diagnostics) -> Parsed {
    let config = crate::config::load(sources, diags);
    let results: Vec<(Option<Doc>, Vec<Diagnostic>)> = sources
        .iter()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(id, file)| parse_file(id, file))
        .collect();
    let mut parsed = Parsed {
        config,
        ..Parsed::default()
    };
    for (doc, ds) in results {
        for d in ds {
            diags.push(d);
        }
        match doc {
            Some(Doc::Chapter(c)) => parsed.chapters.push(c),
            Some(Doc::Event(e)) => parsed.events.push(e),
            Some(Doc::Leader(l)) => parsed.leaders.push(l),
            Some(Doc::Guide(g)) => parsed.guides.push(g),
            Some(Doc::Sponsors(s)) => parsed.sponsors.extend(s),
            None => {}
        }
    }
    parsed
}

fn parse_file(id: FileId, file: &SourceFile) -> (Option<Doc>, Vec<Diagnostic>) {
    let Some(kind) = &file.kind else {
        return (None, Vec::new());
    };
    if matches!(kind, FileKind::SiteConfig) {
        return (None, Vec::new());
    }
    if let Some(d) = split_problem(file) {
        let d = d.with_span(crate::diag::Span::at(id, file.line_range(1)));
        return (None, vec![d]);
    }
    let value = match yaml::parse(id, file.yaml_text(), file.yaml.start) {
        Ok(v) => v,
        Err(d) => return (None, vec![d]),
    };
    let mut r = Reader::new(id, file.yaml_text(), file.yaml.start);
    let doc = match kind {
        FileKind::Chapter { chapter } => chapter::parse(&mut r, &value, chapter).map(Doc::Chapter),
        FileKind::Event { chapter, stem } => {
            event::parse(&mut r, &value, chapter, stem).map(Doc::Event)
        }
        FileKind::Leader { id } => leader::parse(&mut r, &value, id).map(Doc::Leader),
        FileKind::Guide { id } => guide::parse(&mut r, &value, id).map(Doc::Guide),
        FileKind::Sponsors => Some(Doc::Sponsors(sponsor::parse(&mut r, &value))),
        FileKind::SiteConfig => None,
    };
    (doc, r.errors)
}

/// Report a file or folder name that is not a valid id.
pub(crate) fn check_id(r: &mut Reader<'_>, name: &str, what: &str) -> bool {
    if crate::source::is_valid_id(name) {
        return true;
    }
    r.error(
        &[],
        "content/invalid-id",
        format!("`{name}` is not a valid {what} id: ids use lowercase letters, digits and `-`"),
        format!("rename it to `{}`", crate::source::suggest_id(name)),
    );
    false
}

/// One of a closed set of words.
pub(crate) fn choice<T>(
    r: &mut Reader<'_>,
    obj: &Obj<'_>,
    key: &str,
    required: bool,
    options: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let expect = format!(
        "one of {}",
        options
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let text = r.text(obj, key, required, &expect)?;
    choice_value(r, &obj.child(Seg::key(key)), &text, options, parse)
}

pub(crate) fn choice_value<T>(
    r: &mut Reader<'_>,
    path: &[Seg],
    text: &str,
    options: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    if let Some(v) = parse(text.trim()) {
        return Some(v);
    }
    let list = options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match yaml::did_you_mean(&text.trim().to_ascii_lowercase(), options) {
        Some(s) => format!("did you mean `{s}`? Write one of {list}"),
        None => format!("write one of {list}"),
    };
    r.error(
        path,
        "content/invalid-value",
        format!("`{}` is not a valid `{}`", text, yaml::path_text(path)),
        help,
    );
    None
}

/// Which URL schemes a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// `https` or `http`.
    Web,
    /// `https`, `http` or `mailto:`.
    WebOrMail,
    /// A web URL or a path (for images under `static/`).
    WebOrPath,
}

/// Check a URL value; `javascript:`, `data:` and other schemes are refused.
pub(crate) fn check_url(
    r: &mut Reader<'_>,
    path: &[Seg],
    value: &str,
    kind: UrlKind,
) -> Option<String> {
    let v = value.trim();
    // The URL parser drops tabs and line breaks silently; the text as
    // written is what gets published, so refuse them.
    let ok = !v.chars().any(char::is_control)
        && match url::Url::parse(v) {
            Ok(u) => match u.scheme() {
                "https" | "http" => u.host_str().is_some(),
                "mailto" => kind == UrlKind::WebOrMail && crate::config::is_email(u.path()),
                _ => false,
            },
            Err(url::ParseError::RelativeUrlWithoutBase) if kind == UrlKind::WebOrPath => {
                !v.contains("..") && !v.contains(':') && !v.starts_with("//") && !v.contains('\\')
            }
            Err(_) => false,
        };
    if ok {
        return Some(v.to_string());
    }
    let help = match kind {
        UrlKind::Web => "write a full web address starting with `https://`",
        UrlKind::WebOrMail => {
            "write a full web address starting with `https://`, or `mailto:` and an e-mail address"
        }
        UrlKind::WebOrPath => {
            "write a full web address starting with `https://`, or a path of a file under `static/` like `images/me.jpg`"
        }
    };
    r.error(
        path,
        "content/invalid-url",
        format!(
            "`{}` is not an allowed address: `{v}`",
            yaml::path_text(path)
        ),
        help,
    );
    None
}

/// An optional URL field.
pub(crate) fn url_field(
    r: &mut Reader<'_>,
    obj: &Obj<'_>,
    key: &str,
    required: bool,
    kind: UrlKind,
) -> Option<String> {
    let v = r.text(obj, key, required, "a web address starting with `https://`")?;
    check_url(r, &obj.child(Seg::key(key)), &v, kind)
}

/// A list of ids (`leaders: [a, b]`), each checked for form.
pub(crate) fn id_list(
    r: &mut Reader<'_>,
    obj: &Obj<'_>,
    key: &str,
    what: &str,
) -> Vec<(String, Vec<Seg>)> {
    let mut out = Vec::new();
    for (path, v) in r.list(obj, key, &format!("{what} ids")) {
        match yaml::scalar_text(v) {
            Some(id) if crate::source::is_valid_id(&id) => out.push((id, path)),
            Some(id) => r.error(
                &path,
                "content/invalid-id",
                format!("`{id}` is not a valid {what} id"),
                format!(
                    "ids use lowercase letters, digits and `-`, like `{}`",
                    crate::source::suggest_id(&id)
                ),
            ),
            None => r.error(
                &path,
                "content/wrong-type",
                format!("each item of `{key}` must be a {what} id"),
                format!("write `- <{what} id>` on its own line"),
            ),
        }
    }
    out
}
