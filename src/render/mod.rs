//! Stage 5, RENDER: `&Site` + [`Theme`] -> [`OutputPlan`].
//!
//! Pure and in memory: every page, feed and calendar as bytes under its
//! output path, in a sorted map. It never touches the disk except to read
//! the site's `static/` files; writing is the `write` stage's job.

pub mod feeds;
pub mod ical;
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
}

impl OutputPlan {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
    /// Number of feeds (iCalendar, Atom, JSON).
    pub fn feeds(&self) -> usize {
        self.files
            .keys()
            .filter(|k| {
                k.ends_with(".ics")
                    || k.ends_with(".xml") && !k.ends_with("sitemap.xml")
                    || k.ends_with("events.json")
            })
            .count()
    }
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
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
    let mut plan = OutputPlan::default();
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
            let rel = entry
                .path()
                .strip_prefix(&static_dir)
                .unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
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
    pages::render_pages_in(site, theme, &mut plan, diags, scope);
    if scope == pages::Scope::All {
        feeds::render_feeds(site, &mut plan);
        ical::render_calendars(site, &mut plan);
    }
    plan
}
