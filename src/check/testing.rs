//! Test builders: a small in-memory site run through the real parse and
//! model stages, and the findings of one rule as plain values.

use chrono::NaiveDate;

use crate::check::{Findings, find};
use crate::diag::Diagnostics;
use crate::model::Site;

pub(crate) struct SiteBuilder {
    files: Vec<(String, String)>,
    chapters: Vec<String>,
    today: NaiveDate,
}

/// One finding, located.
#[derive(Debug)]
pub(crate) struct Finding {
    pub(crate) path: String,
    pub(crate) line: usize,
    pub(crate) message: String,
    pub(crate) help: String,
}

impl SiteBuilder {
    /// A site with one user leader `ann`; today is 2026-06-01.
    pub(crate) fn new() -> Self {
        SiteBuilder {
            files: vec![
                (
                    "site.yaml".into(),
                    "title: Test Network\nbase_url: https://groups.example.org/\norganization: Example\nregistration:\n  host: events.example.org\n".into(),
                ),
                ("content/leaders/ann.md".into(), "---\nname: Ann\naffiliation: user\n---\nBio.\n".into()),
            ],
            chapters: Vec::new(),
            today: NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid date"),
        }
    }
    /// Lines appended to `site.yaml` (line 6 on), e.g. a `rules:` map.
    pub(crate) fn site_yaml(mut self, extra: &str) -> Self {
        self.files[0].1.push_str(extra);
        self
    }
    pub(crate) fn today(mut self, d: NaiveDate) -> Self {
        self.today = d;
        self
    }
    /// A chapter; `extra` lines go after `name`, `city` and `country` (line 4 on).
    pub(crate) fn chapter(mut self, id: &str, extra: &str) -> Self {
        self.chapters.push(id.to_string());
        self.files.push((
            format!("content/chapters/{id}/chapter.yaml"),
            format!(
                "name: Chapter {id}\ncity: Rome\ncountry: IT\n{extra}\ntimezone: Europe/Rome\n"
            ),
        ));
        self
    }
    pub(crate) fn leader(mut self, id: &str, front: &str) -> Self {
        self.files.push((
            format!("content/leaders/{id}.md"),
            format!("---\n{front}\n---\nBio.\n"),
        ));
        self
    }
    /// An event `stem` (`YYYY-MM-DD-slug`), online, 18:00–20:00; `extra`
    /// lines start at line 5.
    pub(crate) fn event(mut self, chapter: &str, stem: &str, extra: &str) -> Self {
        let date = &stem[..10];
        self.files.push((
            format!("content/chapters/{chapter}/events/{stem}.md"),
            format!("---\ntitle: Event {stem}\nstart: {date}T18:00\nend: {date}T20:00\n{extra}\nattendance_mode: online\n---\nAgenda.\n"),
        ));
        self
    }
    /// A guide; `extra` lines start at line 4.
    pub(crate) fn guide(mut self, id: &str, extra: &str) -> Self {
        self.files.push((
            format!("content/guides/{id}.md"),
            format!("---\ntitle: Guide {id}\ncategory: venue\n{extra}\n---\nText.\n"),
        ));
        self
    }
    /// Parse and resolve; panics with the diagnostics if the content itself is bad.
    pub(crate) fn build(mut self) -> Site {
        let uses_rome = self
            .files
            .iter()
            .any(|(p, _)| p.starts_with("content/chapters/rome/"));
        if uses_rome && !self.chapters.iter().any(|c| c == "rome") {
            self = self.chapter("rome", "leaders:\n  - ann\nfounded: 2020-01-01");
        }
        let sources = crate::source::from_memory("/site".into(), self.files);
        let mut diags = Diagnostics::new();
        let parsed = crate::parse::parse(&sources, &mut diags);
        let site = crate::model::resolve::resolve(parsed, sources, self.today, &mut diags);
        if diags.has_errors() {
            panic!("test site has content errors: {:#?}", diags.into_vec());
        }
        site.expect("site.yaml is valid")
    }
}

/// The findings of rule `id` at its default severity.
pub(crate) fn findings(site: &Site, id: &str) -> Vec<Finding> {
    let rule = find(id).expect("registered rule");
    let mut f = Findings::new(rule.id(), rule.default_severity(), site);
    rule.check(site, &mut f);
    f.into_vec()
        .into_iter()
        .map(|d| {
            let span = d.span.expect("rules point at a file");
            let file = site.sources.get(span.file);
            let (line, _) = file.line_col(span.range.map_or(0, |r| r.start));
            Finding {
                path: file.path.clone(),
                line,
                message: d.message,
                help: d.help.unwrap_or_default(),
            }
        })
        .collect()
}
