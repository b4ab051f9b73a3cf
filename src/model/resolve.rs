//! Resolve parsed documents into a [`Site`]: cross-file references, zones,
//! duplicate ids and the stable order of everything.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::time::localize;
use crate::model::{Author, Chapter, Event, Guide, Site};
use crate::parse::guide::AuthorDoc;
use crate::parse::{ChapterDoc, Parsed};
use crate::source::SourceSet;
use crate::source::yaml::{self, Seg};

fn span(sources: &SourceSet, file: crate::source::FileId, path: &[Seg]) -> crate::diag::Span {
    let src = sources.get(file);
    let r = yaml::locate(src.yaml_text(), path).unwrap_or(0..0);
    crate::diag::Span::at(file, src.yaml.start + r.start..src.yaml.start + r.end)
}

fn unknown(what: &str, id: &str, known: &[&str], how: &str) -> (String, String) {
    let help = match yaml::did_you_mean(id, known) {
        Some(s) => format!("did you mean `{s}`? {how}"),
        None => how.to_string(),
    };
    (format!("unknown {what} `{id}`"), help)
}

/// Build the [`Site`]; `None` when `site.yaml` could not be read.
pub fn resolve(
    parsed: Parsed,
    sources: SourceSet,
    today: NaiveDate,
    diags: &mut Diagnostics,
) -> Option<Site> {
    resolve_owned(parsed, sources, today, diags).ok()
}

/// Like [`resolve`], but gives the sources back when there is no site, so
/// that diagnostics can still be shown with their files.
pub fn resolve_owned(
    parsed: Parsed,
    sources: SourceSet,
    today: NaiveDate,
    diags: &mut Diagnostics,
) -> Result<Site, SourceSet> {
    let Parsed {
        config,
        chapters,
        events,
        mut leaders,
        guides,
        sponsors,
    } = parsed;
    let Some(config) = config else {
        return Err(sources);
    };

    leaders.sort_by(|a, b| a.id.cmp(&b.id));
    let leader_index: HashMap<String, usize> = leaders
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.clone(), i))
        .collect();
    let leader_id_list: Vec<String> = leaders.iter().map(|l| l.id.clone()).collect();
    let leader_ids: Vec<&str> = leader_id_list.iter().map(String::as_str).collect();

    // Sponsors: ids must be unique within sponsors.yaml.
    let mut sponsor_index: HashMap<String, usize> = HashMap::new();
    for (i, s) in sponsors.iter().enumerate() {
        if sponsor_index.insert(s.id.clone(), i).is_some() {
            diags.push(
                Diagnostic::error(
                    "content/duplicate-id",
                    format!("two sponsors have the id `{}`", s.id),
                )
                .with_span(span(
                    &sources,
                    s.file,
                    &[Seg::Index(s.index), Seg::key("id")],
                ))
                .with_help("give each sponsor its own `id`"),
            );
        }
    }
    let sponsor_ids: Vec<&str> = sponsors.iter().map(|s| s.id.as_str()).collect();
    let resolve_sponsors =
        |file, list: &[(String, Vec<Seg>)], diags: &mut Diagnostics| -> Vec<usize> {
            list.iter()
                .filter_map(|(id, path)| {
                    let found = sponsor_index.get(id).copied();
                    if found.is_none() {
                        let (m, h) = unknown(
                            "sponsor",
                            id,
                            &sponsor_ids,
                            "sponsors are listed by `id` in `content/sponsors.yaml`",
                        );
                        diags.push(
                            Diagnostic::error("content/unknown-sponsor", m)
                                .with_span(span(&sources, file, path))
                                .with_help(h),
                        );
                    }
                    found
                })
                .collect()
        };

    // Chapters, sorted by id.
    let mut chapter_docs: Vec<ChapterDoc> = chapters;
    chapter_docs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut chapters: Vec<Chapter> = Vec::with_capacity(chapter_docs.len());
    for c in chapter_docs {
        let mut idx = Vec::new();
        for (lid, path) in &c.leaders {
            match leader_index.get(lid) {
                Some(&i) => {
                    if idx.contains(&i) {
                        diags.push(
                            Diagnostic::error(
                                "content/duplicate-id",
                                format!("leader `{lid}` is listed twice"),
                            )
                            .with_span(span(&sources, c.file, path))
                            .with_help("remove the second line"),
                        );
                    } else {
                        idx.push(i);
                    }
                }
                None => {
                    let (m, h) = unknown(
                        "leader",
                        lid,
                        &leader_ids,
                        &format!(
                            "add `content/leaders/{lid}.md`, or use the id of an existing leader"
                        ),
                    );
                    diags.push(
                        Diagnostic::error("content/unknown-leader", m)
                            .with_span(span(&sources, c.file, path))
                            .with_help(h),
                    );
                }
            }
        }
        let sponsors = resolve_sponsors(c.file, &c.sponsors, diags);
        chapters.push(Chapter {
            id: c.id,
            file: c.file,
            name: c.name,
            city: c.city,
            country: c.country,
            region: c.region,
            timezone: c.timezone.unwrap_or(config.timezone),
            leader_ids: c.leaders.into_iter().map(|(id, _)| id).collect(),
            leaders: idx,
            founded: c.founded,
            online_group: c.online_group,
            contact: c.contact,
            sponsors,
            description: c.description,
            events: Vec::new(),
        });
    }
    let chapter_index: HashMap<&str, usize> = chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();

    // Events: place local times in their zone.
    let mut missing_chapters: BTreeMap<String, crate::source::FileId> = BTreeMap::new();
    let mut out_events: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let Some(&ci) = chapter_index.get(e.chapter.as_str()) else {
            missing_chapters.entry(e.chapter.clone()).or_insert(e.file);
            continue;
        };
        let tz = e.timezone.unwrap_or(chapters[ci].timezone);
        let mut place = |key: &str, t| match localize(tz, t) {
            Ok(v) => Some(v),
            Err(gap) => {
                diags.push(
                    Diagnostic::error("content/nonexistent-time", gap.message)
                        .with_span(span(&sources, e.file, &[Seg::key(key)]))
                        .with_help(gap.help),
                );
                None
            }
        };
        let start = place("start", e.start);
        let end = place("end", e.end);
        let updated = e.updated.and_then(|u| place("updated", u));
        let sponsors = resolve_sponsors(e.file, &e.sponsors, diags);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        out_events.push(Event {
            id: e.id,
            file: e.file,
            chapter: ci,
            title: e.title,
            start,
            end,
            timezone: tz,
            status: e.status,
            updated,
            formats: e.formats,
            attendance_mode: e.attendance_mode,
            venue: e.venue,
            registration: e.registration,
            promotion: e.promotion,
            price: e.price,
            capacity: e.capacity,
            talks: e.talks,
            sponsors,
            rsvps: e.rsvps,
            attendance: e.attendance,
            lead: std::sync::OnceLock::new(),
        });
    }
    for (chapter, file) in missing_chapters {
        diags.push(
            Diagnostic::error("content/unknown-chapter", format!("events for chapter `{chapter}`, which has no `chapter.yaml`"))
                .in_file(file)
                .with_help(format!("add `content/chapters/{chapter}/chapter.yaml`, or move the events into an existing chapter's `events/` folder")),
        );
    }
    out_events.par_sort_by(|a, b| {
        a.start
            .naive_utc()
            .cmp(&b.start.naive_utc())
            .then_with(|| chapters[a.chapter].id.cmp(&chapters[b.chapter].id))
            .then_with(|| a.id.cmp(&b.id))
    });
    for (i, e) in out_events.iter().enumerate() {
        chapters[e.chapter].events.push(i);
    }
    for (ci, c) in chapters.iter().enumerate() {
        for &li in &c.leaders {
            leaders[li].chapters.push(ci);
        }
    }

    // Guides.
    let mut out_guides: Vec<Guide> = guides
        .into_iter()
        .map(|g| {
            let author = match g.author {
                Some(AuthorDoc::Leader(id)) => match leader_index.get(&id) {
                    Some(&i) => Some(Author::Leader(i)),
                    None => {
                        let (m, h) = unknown("leader", &id, &leader_ids, "write the id of a leader, or give `name`, `company` and `affiliation` below `author:`");
                        diags.push(Diagnostic::error("content/unknown-leader", m).with_span(span(&sources, g.file, &[Seg::key("author")])).with_help(h));
                        None
                    }
                },
                Some(AuthorDoc::Person(p)) => Some(Author::Person(p)),
                None => None,
            };
            Guide {
                id: g.id,
                file: g.file,
                title: g.title,
                category: g.category,
                author,
                updated: g.updated,
                ai_assisted: g.ai_assisted,
            }
        })
        .collect();
    out_guides.sort_by(|a, b| {
        a.category
            .cmp(&b.category)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });

    Ok(Site {
        sources,
        config,
        today,
        chapters,
        events: out_events,
        leaders,
        guides: out_guides,
        sponsors,
    })
}
