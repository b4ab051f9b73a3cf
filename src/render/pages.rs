//! The HTML pages of the content model's output table, rendered with Tera.

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::Markdown;
use crate::model::{Category, Chapter, Guide, Leader, Site};
use crate::render::theme::{Theme, error_chain};
use crate::render::urls::Urls;
use crate::render::views::*;
use crate::render::{Made, OutputPlan, short_hash};

/// How many past events the archive's front page lists (each year has its page).
pub const ARCHIVE_RECENT: usize = 30;

/// How many upcoming events the home page lists.
pub const HOME_EVENTS: usize = 12;

/// A page ready to render: its template, folder and context.
struct Job {
    template: &'static str,
    rel: String,
    ctx: tera::Context,
}

struct Ctx<'a> {
    theme: &'a Theme,
    urls: Urls,
    md: Markdown,
    base: tera::Context,
    sizes: SizeHints,
    /// A card for each of the site's events, in its order: made once and
    /// shown on the event's page, its chapter's page and the indexes.
    cards: Vec<EventCard>,
}

/// The largest page each template has made so far, so that the next one
/// is rendered into a buffer of the right size instead of one that grows
/// (and is copied) several times per page.
struct SizeHints(std::collections::HashMap<String, std::sync::atomic::AtomicUsize>);

impl SizeHints {
    fn new(theme: &Theme) -> Self {
        SizeHints(
            theme
                .tera
                .get_template_names()
                .map(|n| (n.to_string(), Default::default()))
                .collect(),
        )
    }

    /// A buffer for a page of `template`.
    fn buffer(&self, template: &str) -> Vec<u8> {
        use std::sync::atomic::Ordering::Relaxed;
        let largest = self.0.get(template).map_or(0, |n| n.load(Relaxed));
        Vec::with_capacity(largest.max(8 * 1024))
    }

    /// Remember that `template` made a page of `len` bytes.
    fn made(&self, template: &str, len: usize) {
        if let Some(n) = self.0.get(template) {
            n.fetch_max(len, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Ctx<'_> {
    fn meta(
        &self,
        rel: &str,
        title: String,
        description: String,
        og_type: &'static str,
        section: &'static str,
    ) -> PageMeta {
        PageMeta {
            title,
            description,
            url: self.urls.absolute(rel),
            path: self.urls.link(rel),
            og_type,
            section,
            published: None,
        }
    }

    /// Render `template` for the page at folder `rel` (or file, if it ends in `.html`).
    fn page<T: Serialize>(
        &self,
        template: &str,
        rel: &str,
        meta: PageMeta,
        data: &T,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        self.render(template, rel, &self.context(meta, data))
    }

    /// Prepare a page's context now, to render later (in parallel).
    fn job<T: Serialize>(
        &self,
        template: &'static str,
        rel: &str,
        meta: PageMeta,
        data: &T,
    ) -> Job {
        Job {
            template,
            rel: rel.to_string(),
            ctx: self.context(meta, data),
        }
    }

    fn context<T: Serialize>(&self, meta: PageMeta, data: &T) -> tera::Context {
        // Serialize the page's data once into the context (inserting key
        // by key would copy every value a second time).
        let mut ctx = tera::Context::from_serialize(data).unwrap_or_default();
        ctx.insert("page", &meta);
        ctx.extend(self.base.clone());
        ctx
    }

    fn render(
        &self,
        template: &str,
        rel: &str,
        ctx: &tera::Context,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let out = if rel.ends_with(".html") {
            rel.to_string()
        } else {
            format!("{rel}index.html")
        };
        let mut html = self.sizes.buffer(template);
        self.theme
            .tera
            .render_to(template, ctx, &mut html)
            .map(|()| {
                self.sizes.made(template, html.len());
                (out, html)
            })
            .map_err(|e| {
                Diagnostic::error(
                    "content/template",
                    format!(
                        "rendering `{}` with `{template}`: {}",
                        if rel.is_empty() { "/" } else { rel },
                        error_chain(&e)
                    ),
                )
                .with_help("fix the template, or remove the site's copy to use the default theme's")
            })
    }

    fn render_job(&self, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
        self.render(job.template, &job.rel, &job.ctx)
    }

    /// The page of chapter `c`.
    fn chapter_page(&self, site: &Site, c: &Chapter) -> Result<(String, Vec<u8>), Diagnostic> {
        let rel = Urls::chapter(&c.id);
        let view = ChapterView::new(site, c, &self.cards, &self.urls, &self.md);
        let d = format!(
            "{} user group in {}, {}: upcoming meetups, leaders and calendar.",
            site.config.organization, c.city, c.country
        );
        let meta = self.meta(&rel, c.name.clone(), d, "website", "chapters");
        self.page("chapter.html", &rel, meta, &ChapterPage { chapter: view })
    }

    /// The profile of leader `l`.
    fn leader_page(&self, site: &Site, l: &Leader) -> Result<(String, Vec<u8>), Diagnostic> {
        let rel = Urls::leader(&l.id);
        let (view, bio) = LeaderView::new(site, l, &self.urls, &self.md);
        let d = crate::markdown::excerpt_of_plain(&bio, 200);
        let meta = self.meta(&rel, l.name.clone(), d, "profile", "leaders");
        self.page("leader.html", &rel, meta, &LeaderPage { leader: view })
    }

    /// The page of guide `g`.
    fn guide_page(&self, site: &Site, g: &Guide) -> Result<(String, Vec<u8>), Diagnostic> {
        let rel = Urls::guide(&g.id);
        let view = GuideView::new(site, g, &self.urls, &self.md);
        let d = view.card.summary.clone();
        let meta = self.meta(&rel, g.title.clone(), d, "article", "guides");
        self.page("guide.html", &rel, meta, &GuidePage { guide: view })
    }
}

#[derive(Serialize)]
struct Home<'a> {
    upcoming: Vec<&'a EventCard>,
    chapters: usize,
    regions: Vec<String>,
    countries: usize,
    leaders: usize,
    events_held: usize,
}

#[derive(Serialize)]
struct ChaptersIndex<'a> {
    regions: Vec<RegionGroup<'a>>,
    count: usize,
}

#[derive(Serialize)]
struct ChapterPage<'a> {
    chapter: ChapterView<'a>,
}

#[derive(Serialize)]
struct EventPage<'a> {
    event: EventView<'a>,
}

#[derive(Serialize)]
struct EventsIndex<'a> {
    upcoming: Vec<&'a EventCard>,
    years: &'a [YearLink],
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ArchivePage<'a> {
    year: Option<i32>,
    events: &'a [&'a EventCard],
    years: &'a [YearLink],
}

#[derive(Serialize)]
struct LeadersIndex {
    leaders: Vec<LeaderCard>,
}

#[derive(Serialize)]
struct LeaderPage {
    leader: LeaderView,
}

#[derive(Serialize)]
struct GuidesIndex {
    categories: Vec<GuideCategoryView>,
}

#[derive(Serialize)]
struct GuidePage {
    guide: GuideView,
}

#[derive(Serialize)]
struct Empty {}

/// Which pages to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every page.
    All,
    /// Every template at least once, with each kind of event (status, past
    /// or upcoming, attendance mode): what `check` renders to find template
    /// errors without paying for a whole build.
    Sample,
}

/// Indices of the items a scope renders.
fn sampled<T>(items: &[T], scope: Scope, key: impl Fn(&T) -> String) -> Vec<usize> {
    match scope {
        Scope::All => (0..items.len()).collect(),
        Scope::Sample => {
            let mut seen = std::collections::HashSet::new();
            (0..items.len())
                .filter(|&i| i < 2 || seen.insert(key(&items[i])))
                .collect()
        }
    }
}

pub fn render_pages(site: &Site, theme: &Theme, plan: &mut OutputPlan, diags: &mut Diagnostics) {
    render_pages_in(site, theme, plan, diags, Scope::All)
}

pub fn render_pages_in(
    site: &Site,
    theme: &Theme,
    plan: &mut OutputPlan,
    diags: &mut Diagnostics,
    scope: Scope,
) {
    render_pages_alongside(site, theme, plan, diags, scope, |_, _| (), |_| ());
}

/// Render the pages. The event pages are made chapter by chapter (with
/// [`Scope::All`]): each makes its event's plain text in the same Markdown
/// pass as its HTML, and once a chapter's pages are made, `after_chapter`
/// gets the chapter and the plain text of each of its events (by index),
/// in the same parallel task, so no plain text outlives its chapter. Then
/// `alongside` gets what `after_chapter` returned, in chapter order. The
/// other pages are made side by side with all of that.
pub fn render_pages_alongside<C: Send, R: Send>(
    site: &Site,
    theme: &Theme,
    plan: &mut OutputPlan,
    diags: &mut Diagnostics,
    scope: Scope,
    after_chapter: impl Fn(&crate::model::Chapter, Vec<(usize, String)>) -> C + Sync,
    alongside: impl FnOnce(Vec<C>) -> R + Send,
) -> R {
    let urls = Urls::new(&site.config.base_url);
    // Shared files are linked with their version, so that a browser never
    // keeps an old copy after an update.
    let versioned = |file: &str| {
        let v = plan.get(file).map(short_hash).unwrap_or_default();
        urls.link(&format!("{file}?v={v}"))
    };
    theme.icons.set_links(crate::render::icons::IconLinks {
        sprite: crate::render::feeds::xml_escape(&versioned("icons.svg")),
        logo: crate::render::feeds::xml_escape(&versioned("logo.svg")),
    });
    let site_view = SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        organization: site.config.organization.clone(),
        language: site.config.language.clone(),
        root: urls.root().to_string(),
        base_url: urls.base().to_string(),
        registration_name: site.config.registration_name.clone(),
        registration_host: site.config.registration_host.clone(),
        subscribe: SubscribeView::new(&urls, "calendar.ics", &site.config.title),
        generator: format!("chapterhouse {}", env!("CARGO_PKG_VERSION")),
        stylesheet: versioned("style.css"),
        default_image: urls.absolute("og-image.png"),
    };
    let mut base = tera::Context::new();
    base.insert("site", &site_view);
    let cards = site
        .events
        .par_iter()
        .map(|e| EventCard::new(site, e, &urls))
        .collect();
    let cx = Ctx {
        theme,
        md: Markdown::new(&site.config.markdown).with_base(site.config.base_url.clone()),
        urls,
        base,
        sizes: SizeHints::new(theme),
        cards,
    };
    // Event pages: the bulk of the work, in parallel.
    let today = site.today;
    let event_ix = sampled(&site.events, scope, |e| {
        format!(
            "{:?}{}{:?}{}",
            e.status,
            e.is_past(today),
            e.attendance_mode,
            e.talks.is_empty()
        )
    });
    let mut chapter_keep: std::collections::HashSet<usize> =
        event_ix.iter().map(|&i| site.events[i].chapter).collect();
    if scope == Scope::All || chapter_keep.is_empty() {
        chapter_keep.extend(
            0..site
                .chapters
                .len()
                .min(if scope == Scope::All { usize::MAX } else { 2 }),
        );
    }
    let picked = Picked {
        chapters: (0..site.chapters.len())
            .filter(|i| chapter_keep.contains(i))
            .collect(),
        leaders: sampled(&site.leaders, scope, |l| {
            format!("{}{}", l.chapters.len(), l.photo.is_some())
        }),
        guides: sampled(&site.guides, scope, |g| format!("{}", g.ai_assisted)),
    };
    // Event pages are the bulk of a build: when spilling, each is written
    // to the staging folder as soon as it is made.
    let spill = plan.spill.clone();
    // An event's page, and its body as plain text.
    let event_page = |i: usize| {
        let e = &site.events[i];
        let c = site.chapter_of(e);
        let rel = Urls::event(&c.id, &e.id);
        let (view, plain) = EventView::new(site, e, &cx.cards[i], &cx.urls, &cx.md);
        let mut meta = cx.meta(
            &rel,
            format!("{} · {}", e.title, c.name),
            format!("{} · {}", view.card.when.full, site.excerpt(e, 200)),
            "article",
            "events",
        );
        meta.published = Some(e.start.to_rfc3339());
        let page = cx
            .page("event.html", &rel, meta, &EventPage { event: view })
            .map(|(path, bytes)| OutputPlan::make(spill.as_deref(), path, bytes));
        (page, plain)
    };
    // The event pages (then what needs them: the feeds and the network
    // calendar) and the other pages are made side by side, so that the
    // large index pages do not run last, each alone on a core.
    let events_then_feeds = || {
        let (event_pages, chapters): (Vec<Result<Made, Diagnostic>>, Vec<C>) = match scope {
            Scope::All => {
                let per_chapter: Vec<(Vec<Result<Made, Diagnostic>>, C)> = site
                    .chapters
                    .par_iter()
                    .map(|c| {
                        let (pages, plain): (Vec<_>, Vec<_>) = c
                            .events
                            .par_iter()
                            .map(|&i| {
                                let (page, plain) = event_page(i);
                                (page, (i, plain))
                            })
                            .unzip();
                        (pages, after_chapter(c, plain))
                    })
                    .collect();
                let mut pages = Vec::with_capacity(site.events.len());
                let mut chapters = Vec::with_capacity(per_chapter.len());
                for (p, c) in per_chapter {
                    pages.extend(p);
                    chapters.push(c);
                }
                (pages, chapters)
            }
            Scope::Sample => (
                event_ix.par_iter().map(|&i| event_page(i).0).collect(),
                Vec::new(),
            ),
        };
        (event_pages, alongside(chapters))
    };
    let rest = || other_pages(&cx, site, scope, &picked, spill.as_deref());
    let ((event_pages, alongside), results) = rayon::join(events_then_feeds, rest);
    for r in event_pages.into_iter().chain(results) {
        match r {
            Ok(m) => plan.take(m),
            Err(d) => diags.push(d),
        }
    }
    alongside
}

/// Which chapters, leaders and guides get their pages (all, or a sample).
struct Picked {
    chapters: Vec<usize>,
    leaders: Vec<usize>,
    guides: Vec<usize>,
}

/// Every page but the event pages: chapter, leader and guide pages, the
/// home page and the indexes, each handed to `spill` as it is made.
fn other_pages(
    cx: &Ctx<'_>,
    site: &Site,
    scope: Scope,
    picked: &Picked,
    spill: Option<&crate::render::Spill>,
) -> Vec<Result<Made, Diagnostic>> {
    let today = site.today;
    let desc = site
        .config
        .description
        .clone()
        .unwrap_or_else(|| format!("Local user groups of {}", site.config.organization));
    // Each page goes to the staging folder as soon as it is made.
    let made = |r: Result<(String, Vec<u8>), Diagnostic>| {
        r.map(|(path, bytes)| OutputPlan::make(spill, path, bytes))
    };
    let mut results: Vec<Result<Made, Diagnostic>> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    results.par_extend(
        picked
            .chapters
            .par_iter()
            .map(|&i| made(cx.chapter_page(site, &site.chapters[i]))),
    );
    results.par_extend(
        picked
            .leaders
            .par_iter()
            .map(|&i| made(cx.leader_page(site, &site.leaders[i]))),
    );
    results.par_extend(
        picked
            .guides
            .par_iter()
            .map(|&i| made(cx.guide_page(site, &site.guides[i]))),
    );

    // Home: the next events from the sorted index.
    let first_open = site.events.partition_point(|e| e.end.date_naive() < today);
    let upcoming: Vec<&EventCard> = site.events[first_open..]
        .iter()
        .zip(&cx.cards[first_open..])
        .filter(|(e, _)| !e.is_past(today))
        .take(HOME_EVENTS)
        .map(|(_, card)| card)
        .collect();
    let mut regions: Vec<String> = site
        .chapters
        .iter()
        .filter_map(|c| c.region.clone())
        .collect();
    regions.sort();
    regions.dedup();
    let mut countries: Vec<&str> = site.chapters.iter().map(|c| c.country.as_str()).collect();
    countries.sort();
    countries.dedup();
    let home = Home {
        upcoming,
        chapters: site.chapters.len(),
        regions,
        countries: countries.len(),
        leaders: site
            .leaders
            .iter()
            .filter(|l| !l.chapters.is_empty())
            .count(),
        events_held: site.events.iter().filter(|e| e.is_held(today)).count(),
    };
    jobs.push(cx.job(
        "index.html",
        "",
        cx.meta(
            "",
            site.config.title.clone(),
            desc.clone(),
            "website",
            "home",
        ),
        &home,
    ));

    // Chapters index, grouped by region (chapters without one last).
    let mut groups: std::collections::BTreeMap<(bool, String), Vec<ChapterCard>> =
        Default::default();
    for c in &site.chapters {
        let next = c
            .events
            .iter()
            .find(|&&i| site.events[i].rsvp_open(today))
            .map(|&i| &cx.cards[i]);
        let region = c.region.clone().unwrap_or_default();
        let card = ChapterCard {
            id: c.id.clone(),
            name: c.name.clone(),
            url: cx.urls.link(&Urls::chapter(&c.id)),
            city: c.city.clone(),
            country: c.country.clone(),
            region: region.clone(),
            leaders: c.leaders.len(),
            next,
            search: format!(
                "{} {} {} {} {}",
                c.name,
                c.city,
                c.country,
                country_name(&c.country),
                region
            )
            .to_lowercase(),
        };
        groups
            .entry((region.is_empty(), region))
            .or_default()
            .push(card);
    }
    let regions = groups
        .into_iter()
        .map(|((_, name), mut chapters)| {
            chapters.sort_by(|a, b| a.name.cmp(&b.name));
            RegionGroup {
                name: if name.is_empty() {
                    "Other chapters".into()
                } else {
                    name
                },
                chapters,
            }
        })
        .collect();
    jobs.push(cx.job(
        "chapters.html",
        "chapters/",
        cx.meta(
            "chapters/",
            "Chapters".into(),
            format!(
                "Every {} user group chapter, by region.",
                site.config.organization
            ),
            "website",
            "chapters",
        ),
        &ChaptersIndex {
            regions,
            count: site.chapters.len(),
        },
    ));

    // Events: upcoming on the index; past events by year on archive pages.
    let mut by_year: std::collections::BTreeMap<i32, Vec<&EventCard>> = Default::default();
    for (e, card) in site.events.iter().zip(&cx.cards).rev() {
        if e.is_past(today) {
            by_year
                .entry(chrono::Datelike::year(&e.start))
                .or_default()
                .push(card);
        }
    }
    let years: Vec<YearLink> = by_year
        .iter()
        .rev()
        .map(|(y, v)| YearLink {
            year: *y,
            url: cx.urls.link(&format!("events/archive/{y}/")),
            count: v.len(),
        })
        .collect();
    let upcoming_all: Vec<&EventCard> = site.events[first_open..]
        .iter()
        .zip(&cx.cards[first_open..])
        .filter(|(e, _)| !e.is_past(today))
        .map(|(_, card)| card)
        .collect();
    let events_index = || {
        cx.page(
            "events.html",
            "events/",
            cx.meta(
                "events/",
                "Upcoming events".into(),
                format!(
                    "Upcoming meetups of every {} user group chapter.",
                    site.config.organization
                ),
                "website",
                "events",
            ),
            &EventsIndex {
                upcoming: upcoming_all,
                years: &years,
            },
        )
    };
    jobs.push(
        cx.job(
            "archive.html",
            "events/archive/",
            cx.meta(
                "events/archive/",
                "Past events".into(),
                "Every past meetup, by year.".into(),
                "website",
                "events",
            ),
            &ArchivePage {
                year: None,
                events: &by_year
                    .values()
                    .rev()
                    .flatten()
                    .take(ARCHIVE_RECENT)
                    .cloned()
                    .collect::<Vec<_>>(),
                years: &years,
            },
        ),
    );
    // The events index and the archive's year pages hold a card per
    // event: each is rendered as soon as its context is made (in
    // parallel), so that only a few such contexts live at once.
    let year_pages = || {
        by_year
            .iter()
            .take(if scope == Scope::All { usize::MAX } else { 1 })
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(y, events)| {
                let rel = format!("events/archive/{y}/");
                cx.page(
                    "archive.html",
                    &rel,
                    cx.meta(
                        &rel,
                        format!("Past events of {y}"),
                        format!("Meetups held in {y}."),
                        "website",
                        "events",
                    ),
                    &ArchivePage {
                        year: Some(*y),
                        events,
                        years: &years,
                    },
                )
            })
            .map(made)
            .collect::<Vec<_>>()
    };
    let (index, year_pages) = rayon::join(|| made(events_index()), year_pages);
    results.push(index);
    results.extend(year_pages);

    // Leaders directory: only people who lead a chapter, by name.
    let mut leaders: Vec<LeaderCard> = site
        .leaders
        .iter()
        .map(|l| LeaderCard::new(site, l, &cx.urls))
        .collect();
    leaders.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    jobs.push(cx.job(
        "leaders.html",
        "leaders/",
        cx.meta(
            "leaders/",
            "Leaders".into(),
            "The volunteers who run the chapters.".into(),
            "website",
            "leaders",
        ),
        &LeadersIndex { leaders },
    ));

    // Guides by category.
    let categories = Category::ALL
        .iter()
        .filter_map(|c| Category::parse(c))
        .map(|cat| GuideCategoryView {
            id: cat.as_str(),
            label: cat.label(),
            guides: site
                .guides
                .iter()
                .filter(|g| g.category == cat)
                .map(|g| GuideCard::new(site, g, &cx.urls))
                .collect(),
        })
        .filter(|c| !c.guides.is_empty())
        .collect();
    let d = "How to run a great chapter: venues, equipment, formats, promotion, volunteers and sponsors.";
    jobs.push(cx.job(
        "guides.html",
        "guides/",
        cx.meta(
            "guides/",
            "Guides for leaders".into(),
            d.into(),
            "website",
            "guides",
        ),
        &GuidesIndex { categories },
    ));
    jobs.push(cx.job(
        "404.html",
        "404.html",
        cx.meta("404.html", "Page not found".into(), desc, "website", "none"),
        &Empty {},
    ));

    results.par_extend(jobs.into_par_iter().map(|j| made(cx.render_job(j))));
    results
}

/// English name of common ISO country codes, so the chapter filter finds
/// "germany" as well as "de".
pub fn country_name(code: &str) -> &'static str {
    match code {
        "US" => "United States USA",
        "CA" => "Canada",
        "MX" => "Mexico",
        "BR" => "Brazil",
        "AR" => "Argentina",
        "GB" => "United Kingdom UK England Scotland Wales",
        "IE" => "Ireland",
        "DE" => "Germany Deutschland",
        "FR" => "France",
        "ES" => "Spain",
        "IT" => "Italy",
        "NL" => "Netherlands",
        "BE" => "Belgium",
        "CH" => "Switzerland",
        "AT" => "Austria",
        "PL" => "Poland",
        "SE" => "Sweden",
        "NO" => "Norway",
        "DK" => "Denmark",
        "FI" => "Finland",
        "PT" => "Portugal",
        "IN" => "India",
        "JP" => "Japan",
        "CN" => "China",
        "KR" => "Korea",
        "SG" => "Singapore",
        "AU" => "Australia",
        "NZ" => "New Zealand",
        "ZA" => "South Africa",
        "NG" => "Nigeria",
        "KE" => "Kenya",
        "IL" => "Israel",
        "AE" => "United Arab Emirates",
        "PH" => "Philippines",
        "ID" => "Indonesia",
        "VN" => "Vietnam",
        _ => "",
    }
}
