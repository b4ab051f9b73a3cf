//! Stage 5, RENDER: `&Site` + [`Theme`] -> [`OutputPlan`].
//!
//! Every page, feed and calendar as bytes under its output path, in a
//! sorted map. It never touches the disk except to read the site's
//! `static/` files, and, for a build of a large network, to hand the bulk
//! (event pages and `event.ics` files) straight to the write stage's
//! staging folder as they are made ([`Spill`]), so that a build's memory
//! does not grow with the size of its output.

pub mod escape;
pub mod feeds;
pub mod ical;
pub mod icons;
pub mod pages;
pub mod theme;
pub mod urls;
pub mod views;
pub mod vtimezone;

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
pub use theme::Theme;

/// Everything a build writes: output-relative path -> bytes.
#[derive(Debug, Default, Clone)]
pub struct OutputPlan {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files already written to the staging folder: path -> size.
    pub spilled: BTreeMap<String, usize>,
    /// Where per-event files go at once, when set (builds only).
    pub spill: Option<std::sync::Arc<Spill>>,
}

/// The staging folder that per-event files are written to as they are
/// rendered. Thread-safe; the first error is kept and reported by `write`.
#[derive(Debug)]
pub struct Spill {
    filler: crate::write::Filler,
    error: std::sync::Mutex<Option<String>>,
}

impl Spill {
    /// Spill into the staging folder `dir` (`recycled`: an earlier output,
    /// see [`crate::write`]).
    pub fn new(dir: std::path::PathBuf, recycled: bool) -> Self {
        Spill {
            filler: crate::write::Filler::new(dir, recycled),
            error: std::sync::Mutex::new(None),
        }
    }
    /// Write one file under the staging folder.
    fn put(&self, rel: &str, bytes: &[u8]) {
        if let Err(e) = self.filler.put(rel, bytes) {
            self.keep_error(e);
        }
    }
    /// Keep `e` for [`Spill::error`] unless an earlier error is kept.
    fn keep_error(&self, e: String) {
        self.error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get_or_insert(e);
    }
    /// Whether [`Spill::put_streamed`] writes straight to the file.
    fn streams(&self) -> bool {
        self.filler.streams()
    }
    /// Write one file piece by piece; its size, or `None` after an error
    /// (kept for [`Spill::error`]).
    fn put_streamed(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Option<usize> {
        self.filler
            .put_streamed(rel, write)
            .map_err(|e| self.keep_error(e))
            .ok()
    }
    /// The first write error, if any.
    pub fn error(&self) -> Option<String> {
        self.error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// A rendered file on its way into the plan: kept in memory, or already
/// written to the staging folder (then only its size is kept).
#[derive(Debug)]
pub enum Made {
    Kept(String, Vec<u8>),
    Spilled(String, usize),
}

impl OutputPlan {
    /// Hand a per-event file to the plan from a worker thread: written at
    /// once when spilling, else kept for [`OutputPlan::take`].
    pub fn make(spill: Option<&Spill>, rel: String, bytes: Vec<u8>) -> Made {
        match spill {
            Some(s) if crate::write::is_safe_rel(&rel) => {
                s.put(&rel, &bytes);
                Made::Spilled(rel, bytes.len())
            }
            _ => {
                // Kept until written: give back a buffer's spare room.
                let mut bytes = bytes;
                if bytes.capacity() - bytes.len() > bytes.len() / 8 {
                    bytes.shrink_to_fit();
                }
                Made::Kept(rel, bytes)
            }
        }
    }
    /// Add a rendered file: written at once when spilling, else kept.
    pub fn put(&mut self, rel: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let made = Self::make(self.spill.as_deref(), rel.into(), bytes.into());
        self.take(made);
    }
    /// Add a file that `write` writes piece by piece: straight into a new
    /// staging folder, else into memory first (a large network's
    /// `events.json` is tens of megabytes).
    pub fn put_streamed(
        &mut self,
        rel: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        match self.spill.as_deref() {
            Some(s) if crate::write::is_safe_rel(rel) && s.streams() => {
                if let Some(size) = s.put_streamed(rel, write) {
                    self.spilled.insert(rel.to_string(), size);
                }
            }
            _ => {
                let mut bytes = Vec::new();
                // Writing to memory does not fail.
                let _ = write(&mut bytes);
                self.put(rel, bytes);
            }
        }
    }
    /// Add a file made by [`OutputPlan::make`].
    pub fn take(&mut self, made: Made) {
        match made {
            Made::Kept(rel, bytes) => {
                self.files.insert(rel, bytes);
            }
            Made::Spilled(rel, size) => {
                self.spilled.insert(rel, size);
            }
        }
    }
    /// Add the files of another plan (rendered in parallel with this one).
    pub fn merge(&mut self, other: OutputPlan) {
        self.files.extend(other.files);
        self.spilled.extend(other.spilled);
    }
    /// Every output path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        let mut all: Vec<&String> = self.files.keys().chain(self.spilled.keys()).collect();
        all.sort();
        all.into_iter()
    }
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.paths().filter(|k| k.ends_with(".html")).count()
    }
    /// Number of feeds (iCalendar, Atom, JSON).
    pub fn feeds(&self) -> usize {
        self.paths()
            .filter(|k| {
                k.ends_with(".ics")
                    || k.ends_with(".xml") && !k.ends_with("sitemap.xml")
                    || k.ends_with("events.json")
            })
            .count()
    }
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum::<usize>() + self.spilled.values().sum::<usize>()
    }
    /// Number of files in all.
    pub fn len(&self) -> usize {
        self.files.len() + self.spilled.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A short, stable hash of bytes (FNV-1a), for cache-busting asset links.
pub fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}

/// Render the whole site. Template errors become diagnostics naming the
/// template and the page.
pub fn render(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> OutputPlan {
    render_in(site, theme, diags, pages::Scope::All)
}

/// Render the pages of `scope`; with [`pages::Scope::Sample`] only pages
/// (no feeds or calendars, which use no templates).
pub fn render_in(
    site: &Site,
    theme: &Theme,
    diags: &mut Diagnostics,
    scope: pages::Scope,
) -> OutputPlan {
    render_into(site, theme, diags, scope, None)
}

/// Render into a plan that writes per-event files to `spill` as they are
/// made (see [`Spill`]).
pub fn render_into(
    site: &Site,
    theme: &Theme,
    diags: &mut Diagnostics,
    scope: pages::Scope,
    spill: Option<std::sync::Arc<Spill>>,
) -> OutputPlan {
    let mut plan = OutputPlan {
        spill,
        ..OutputPlan::default()
    };
    // Theme assets first, then the site's own `static/`, which wins.
    for (p, b) in &theme.assets {
        plan.insert(p.clone(), b.clone());
    }
    let static_dir = site.sources.root.join("static");
    // A `static` link out of the site is not followed (load warns about it).
    if static_dir.is_dir() && !crate::source::leaves_site(&site.sources.root, &static_dir) {
        for entry in walkdir::WalkDir::new(&static_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::source::slashed(
                entry
                    .path()
                    .strip_prefix(&static_dir)
                    .unwrap_or(entry.path()),
            );
            if rel.split('/').any(|p| p.starts_with('.')) {
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(b) => plan.insert(rel, b),
                Err(e) => diags.push(Diagnostic::error(
                    "content/unreadable",
                    format!("cannot read `static/{rel}`: {e}"),
                )),
            }
        }
    }
    // Each chapter's calendars are made as soon as its event pages are,
    // from the plain texts they made; the feeds and the network calendar
    // alongside the pages that come after the event pages.
    let spill = plan.spill.clone();
    let calendars = (scope == pages::Scope::All).then(|| ical::Calendars::new(site));
    let chapter_calendars = |c: &crate::model::Chapter, plain: Vec<(usize, String)>| {
        calendars
            .as_ref()
            .map(|k| k.chapter(c, plain, spill.as_deref()))
    };
    let others = pages::render_pages_alongside(
        site,
        theme,
        &mut plan,
        diags,
        scope,
        chapter_calendars,
        |chapters| {
            let calendars = calendars.as_ref()?;
            let part = || OutputPlan {
                spill: spill.clone(),
                ..OutputPlan::default()
            };
            Some(rayon::join(
                || {
                    let mut p = part();
                    feeds::render_feeds(site, &mut p);
                    p
                },
                || {
                    let mut p = part();
                    calendars.finish(chapters.into_iter().flatten().collect(), &mut p);
                    p
                },
            ))
        },
    );
    if let Some((feeds, calendars)) = others {
        plan.merge(feeds);
        plan.merge(calendars);
        feeds::render_sitemap(site, &mut plan);
    }
    plan
}
