//! One build for `serve`: load → parse → model → check → render, in
//! memory, with the base URL of the local server.
//!
//! Every content change runs the whole pipeline (no dependency tracking;
//! see STYLE.md, "watch coarsely, rebuild fully"). The one shortcut: when
//! only templates or static files changed and the last load was clean, the
//! loaded site is rendered again without reading the content.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use url::Url;

use crate::diag::Diagnostics;
use crate::diag::render::HumanOptions;
use crate::model::Site;
use crate::pipeline::{self, Loaded, SiteOptions};
use crate::render::OutputPlan;
use crate::serve::overlay::Failure;
use crate::serve::watch::ChangeKind;
use crate::source::SourceSet;

/// What a build produced, for the server and for the terminal.
pub struct Built {
    /// The new plan when the build has no errors.
    pub plan: Option<OutputPlan>,
    /// The diagnostics for the overlay when it has errors.
    pub failure: Option<Failure>,
    /// The site could not be read at all (no `site.yaml`, unreadable root).
    pub fatal: Option<String>,
    pub report: BuildReport,
}

/// A build as the terminal shows it.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Paths (relative to the root) whose change started the build; empty
    /// for the first build.
    pub changed: Vec<String>,
    pub kind: ChangeKind,
    pub took: Duration,
    pub ok: bool,
    pub pages: usize,
    pub feeds: usize,
    /// `0 errors, 1 warning, 0 notes`
    pub counts: String,
    /// Every diagnostic, rendered for the terminal.
    pub diagnostics: String,
}

pub struct Rebuilder {
    root: PathBuf,
    today: Option<NaiveDate>,
    base_url: Url,
    human: HumanOptions,
    /// The site of the last load without errors, for the render-only shortcut.
    site: Option<Box<Site>>,
}

impl Rebuilder {
    pub fn new(
        root: PathBuf,
        today: Option<NaiveDate>,
        base_url: Url,
        human: HumanOptions,
    ) -> Self {
        Rebuilder {
            root,
            today,
            base_url,
            human,
            site: None,
        }
    }

    pub fn build(&mut self, kind: ChangeKind, changed: Vec<String>) -> Built {
        let started = Instant::now();
        if kind == ChangeKind::Render
            && let Some(site) = &self.site
        {
            let mut diags = Diagnostics::new();
            let plan = pipeline::render(site, &mut diags);
            diags.sort(&site.sources);
            return self.finish(plan, diags, &site.sources, started, kind, changed);
        }
        // The date is read again each time, so a preview left running past
        // midnight moves events from upcoming to past.
        let today = match pipeline::today(self.today) {
            Ok(t) => t,
            Err(e) => return fatal(e, started, changed),
        };
        let opts = SiteOptions {
            root: self.root.clone(),
            today,
            base_url: Some(self.base_url.clone()),
        };
        let mut diags = Diagnostics::new();
        let loaded = match pipeline::load(&opts, &mut diags) {
            Ok(l) => l,
            Err(e) => {
                self.site = None;
                return fatal(e.to_string(), started, changed);
            }
        };
        let plan = loaded.site().and_then(|s| pipeline::render(s, &mut diags));
        diags.sort(loaded.sources());
        let built = self.finish(
            plan,
            diags,
            loaded.sources(),
            started,
            ChangeKind::Full,
            changed,
        );
        self.site = match loaded {
            Loaded::Site(site) if built.report.ok => Some(site),
            _ => None,
        };
        built
    }

    fn finish(
        &self,
        plan: Option<OutputPlan>,
        diags: Diagnostics,
        sources: &SourceSet,
        started: Instant,
        kind: ChangeKind,
        changed: Vec<String>,
    ) -> Built {
        let ok = plan.is_some() && !diags.has_errors();
        let counts = crate::diag::render::counts(&diags);
        let diagnostics = crate::diag::render::human(&diags, sources, self.human);
        let failure = (!ok).then(|| Failure {
            counts: counts.clone(),
            text: if self.human.color {
                let plain = HumanOptions {
                    color: false,
                    ..self.human
                };
                crate::diag::render::human(&diags, sources, plain)
            } else {
                diagnostics.clone()
            },
        });
        let plan = plan.filter(|_| ok);
        let (pages, feeds) = plan.as_ref().map_or((0, 0), |p| (p.pages(), p.feeds()));
        Built {
            plan,
            failure,
            fatal: None,
            report: BuildReport {
                changed,
                kind,
                took: started.elapsed(),
                ok,
                pages,
                feeds,
                counts,
                diagnostics,
            },
        }
    }
}

fn fatal(message: String, started: Instant, changed: Vec<String>) -> Built {
    Built {
        plan: None,
        failure: Some(Failure {
            counts: "the site cannot be read".into(),
            text: message.clone(),
        }),
        fatal: Some(message.clone()),
        report: BuildReport {
            changed,
            kind: ChangeKind::Full,
            took: started.elapsed(),
            ok: false,
            pages: 0,
            feeds: 0,
            counts: "the site cannot be read".into(),
            diagnostics: format!("error: {message}\n"),
        },
    }
}
