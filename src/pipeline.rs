//! The stages run in order: load → parse → model → check → render → write.
//! `build` runs all six, `check` the first four plus a dry render, `serve`
//! the first five.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use url::Url;

use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::{OutputPlan, Theme};
use crate::source::{LoadError, SourceSet};

/// What to load and for which day.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub root: PathBuf,
    pub today: NaiveDate,
    /// Serve the site from another address than `site.yaml` says.
    pub base_url: Option<Url>,
}

/// The result of loading: a site, or only its sources when `site.yaml`
/// could not be used (the diagnostics say why).
pub enum Loaded {
    Site(Box<Site>),
    Broken(SourceSet),
}

impl Loaded {
    pub fn sources(&self) -> &SourceSet {
        match self {
            Loaded::Site(s) => &s.sources,
            Loaded::Broken(s) => s,
        }
    }
    pub fn site(&self) -> Option<&Site> {
        match self {
            Loaded::Site(s) => Some(s),
            Loaded::Broken(_) => None,
        }
    }
}

/// Today for a build: `--today`, else `SOURCE_DATE_EPOCH` (as a UTC date),
/// else the system's date.
pub fn today(explicit: Option<NaiveDate>) -> Result<NaiveDate, String> {
    if let Some(d) = explicit {
        return Ok(d);
    }
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = v
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH must be a number of seconds, found `{v}`"))?;
        let t = chrono::DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH `{v}` is out of range"))?;
        return Ok(t.date_naive());
    }
    Ok(chrono::Utc::now().date_naive())
}

/// Load, parse, resolve and check the site.
pub fn load(opts: &SiteOptions, diags: &mut Diagnostics) -> Result<Loaded, LoadError> {
    let sources = crate::source::load(&opts.root, diags)?;
    Ok(from_sources(sources, opts, diags))
}

/// Parse, resolve and check sources already in memory (`serve` rebuilds a
/// part of a large site from the texts it keeps).
pub fn from_sources(sources: SourceSet, opts: &SiteOptions, diags: &mut Diagnostics) -> Loaded {
    let parsed = crate::parse::parse(&sources, diags);
    match crate::model::resolve::resolve_owned(parsed, sources, opts.today, diags) {
        Ok(mut site) => {
            if let Some(base) = &opts.base_url {
                site.config = site.config.with_base_url(base.clone());
            }
            crate::check::run_all(&site, diags);
            Loaded::Site(Box::new(site))
        }
        Err(sources) => Loaded::Broken(sources),
    }
}

/// Render a loaded site into a plan (theme errors and template errors are
/// diagnostics).
pub fn render(site: &Site, diags: &mut Diagnostics) -> Option<OutputPlan> {
    let theme = Theme::load(&site.sources.root, site.config.theme.as_deref(), diags)?;
    Some(crate::render::render(site, &theme, diags))
}

/// Render for a build: per-event files go straight to `spill` (the staging
/// folder) as they are made, so memory does not grow with the output.
pub fn render_spilling(
    site: &Site,
    diags: &mut Diagnostics,
    spill: std::sync::Arc<crate::render::Spill>,
) -> Option<OutputPlan> {
    let theme = Theme::load(&site.sources.root, site.config.theme.as_deref(), diags)?;
    Some(crate::render::render_into(
        site,
        &theme,
        diags,
        crate::render::pages::Scope::All,
        Some(spill),
    ))
}

/// Render a sample of the pages, each template with every kind of event:
/// `check`'s dry render, which finds template errors in a fraction of a build.
pub fn render_sample(site: &Site, diags: &mut Diagnostics) {
    if let Some(theme) = Theme::load(&site.sources.root, site.config.theme.as_deref(), diags) {
        let _ = crate::render::render_in(site, &theme, diags, crate::render::pages::Scope::Sample);
    }
}

/// Default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
