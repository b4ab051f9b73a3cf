//! Builds for `serve`: load → parse → model → check → render, in memory,
//! with the base URL of the local server.
//!
//! Every change ends in a whole build (no dependency tracking; see
//! STYLE.md, "watch coarsely, rebuild fully"). Two shortcuts, both taken
//! only where they are obviously safe:
//!
//! - **Render only.** When only templates or static files changed and the
//!   last load was clean, the loaded site is rendered again without reading
//!   the content.
//! - **Chapter preview.** On a large site (the last whole build took longer
//!   than [`PREVIEW_ABOVE`]), a change confined to the folders of some
//!   chapters is first built from a small site: `site.yaml`, the sponsors,
//!   those chapters and their leaders, from texts kept in memory. Its pages
//!   under `chapters/<chapter>/` replace those of the served plan at once;
//!   the whole build follows and replaces everything, so pages that list
//!   events across chapters (home, events, feeds) catch up a moment later.
//!   A test checks that the preview's pages equal the whole build's.

use std::collections::{BTreeMap, BTreeSet};
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
use crate::serve::watch::{self, ChangeKind};
use crate::source::SourceSet;

/// Whole builds slower than this get a chapter preview first.
pub const PREVIEW_ABOVE: Duration = Duration::from_millis(150);

/// How a build changes what is served.
pub enum Update {
    /// A whole new plan.
    Plan(OutputPlan),
    /// Replace every file under each prefix (`chapters/rome/`) with `files`.
    Patch {
        prefixes: Vec<String>,
        files: BTreeMap<String, Vec<u8>>,
    },
    /// Keep what is served (the build failed).
    Keep,
}

/// What a build produced, for the server and for the terminal.
pub struct Built {
    pub update: Update,
    /// The diagnostics for the overlay when the build has errors.
    pub failure: Option<Failure>,
    /// The site could not be read at all (no `site.yaml`, unreadable root).
    pub fatal: Option<String>,
    pub report: BuildReport,
}

/// Which kind of build ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    Full,
    /// Templates or static files only: the loaded site rendered again.
    Render,
    /// The pages of a few chapters, ahead of the whole build.
    Preview,
}

/// A build as the terminal shows it.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Paths (relative to the root) whose change started the build; empty
    /// for the first build.
    pub changed: Vec<String>,
    pub kind: BuildKind,
    pub took: Duration,
    pub ok: bool,
    /// Pages and feeds of the whole plan (of the preview's chapters for a preview).
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
    /// `site.yaml` and the content files as last read, for previews.
    texts: BTreeMap<String, String>,
    last_full: Duration,
    pub(crate) preview_above: Duration,
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
            texts: BTreeMap::new(),
            last_full: Duration::ZERO,
            preview_above: PREVIEW_ABOVE,
        }
    }

    fn options(&self) -> Result<SiteOptions, String> {
        // The date is read at each build, so a preview left running past
        // midnight moves events from upcoming to past.
        Ok(SiteOptions {
            root: self.root.clone(),
            today: pipeline::today(self.today)?,
            base_url: Some(self.base_url.clone()),
        })
    }

    /// A whole build (or a render-only one when `kind` allows it).
    pub fn build(&mut self, kind: ChangeKind, changed: Vec<String>) -> Built {
        let started = Instant::now();
        if kind == ChangeKind::Render
            && let Some(site) = &self.site
        {
            let mut diags = Diagnostics::new();
            let plan = pipeline::render(site, &mut diags);
            diags.sort(&site.sources);
            let (update, ok) = whole(plan, &diags);
            return self.finish(
                update,
                ok,
                diags,
                &site.sources,
                started,
                BuildKind::Render,
                changed,
            );
        }
        let opts = match self.options() {
            Ok(o) => o,
            Err(e) => return fatal(e, started, changed),
        };
        let mut diags = Diagnostics::new();
        let loaded = match pipeline::load(&opts, &mut diags) {
            Ok(l) => l,
            Err(e) => {
                self.site = None;
                self.texts.clear();
                return fatal(e.to_string(), started, changed);
            }
        };
        self.texts = loaded
            .sources()
            .iter()
            .map(|(_, f)| (f.path.clone(), f.text.clone()))
            .collect();
        let plan = loaded.site().and_then(|s| pipeline::render(s, &mut diags));
        diags.sort(loaded.sources());
        let (update, ok) = whole(plan, &diags);
        let built = self.finish(
            update,
            ok,
            diags,
            loaded.sources(),
            started,
            BuildKind::Full,
            changed,
        );
        self.last_full = built.report.took;
        self.site = match loaded {
            Loaded::Site(site) if ok => Some(site),
            _ => None,
        };
        built
    }

    /// The chapter preview of a change, when the site is large enough to
    /// want one and the change lies inside chapter folders.
    pub fn preview(&mut self, changed: &[String]) -> Option<Built> {
        if self.texts.is_empty() || self.last_full < self.preview_above {
            return None;
        }
        let chapters = chapters_of(changed)?;
        let started = Instant::now();
        for rel in changed {
            self.refresh(rel);
        }
        let opts = self.options().ok()?;
        let sources = crate::source::from_memory(self.root.clone(), self.subset(&chapters));
        let mut diags = Diagnostics::new();
        let loaded = pipeline::from_sources(sources, &opts, &mut diags);
        let plan = loaded.site().and_then(|s| pipeline::render(s, &mut diags));
        diags.sort(loaded.sources());
        let prefixes: Vec<String> = chapters.iter().map(|c| format!("chapters/{c}/")).collect();
        let ok = plan.is_some() && !diags.has_errors();
        let update = match plan {
            Some(plan) if ok => Update::Patch {
                files: plan
                    .files
                    .into_iter()
                    .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p.as_str())))
                    .collect(),
                prefixes,
            },
            _ => Update::Keep,
        };
        Some(self.finish(
            update,
            ok,
            diags,
            loaded.sources(),
            started,
            BuildKind::Preview,
            changed.to_vec(),
        ))
    }

    /// Read `rel` (a file or a folder) again into the kept texts.
    fn refresh(&mut self, rel: &str) {
        let under = format!("{rel}/");
        self.texts.retain(|k, _| k != rel && !k.starts_with(&under));
        let abs = self.root.join(rel);
        if abs.is_file() {
            self.read_text(rel.to_string());
        } else if abs.is_dir() {
            let found: Vec<String> = walkdir::WalkDir::new(&abs)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !watch::is_ignored_name(&e.file_name().to_string_lossy())
                })
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let r = e.path().strip_prefix(&self.root).ok()?;
                    Some(crate::source::slashed(r))
                })
                .collect();
            for r in found {
                self.read_text(r);
            }
        }
    }

    fn read_text(&mut self, rel: String) {
        let wanted = rel == "site.yaml"
            || rel.starts_with("content/") && (rel.ends_with(".md") || rel.ends_with(".yaml"));
        let abs = self.root.join(&rel);
        let small = std::fs::metadata(&abs).is_ok_and(|m| m.len() <= crate::source::MAX_FILE_BYTES);
        if wanted
            && small
            && let Ok(text) = std::fs::read_to_string(&abs)
        {
            self.texts.insert(rel, text);
        }
    }

    /// The files of a site holding only `chapters` and what their pages need.
    fn subset(&self, chapters: &BTreeSet<String>) -> Vec<(String, String)> {
        #[derive(serde::Deserialize)]
        struct Leaders {
            #[serde(default)]
            leaders: Vec<String>,
        }
        let mut leaders = BTreeSet::new();
        let mut all_leaders = false;
        for c in chapters {
            if let Some(text) = self
                .texts
                .get(&format!("content/chapters/{c}/chapter.yaml"))
            {
                match crate::source::yaml::from_str::<Leaders>(text) {
                    Ok(l) => leaders.extend(l.leaders),
                    // Let the parse stage say what is wrong, with every leader at hand.
                    Err(_) => all_leaders = true,
                }
            }
        }
        self.texts
            .iter()
            .filter(|(k, _)| {
                let parts: Vec<&str> = k.split('/').collect();
                match parts.as_slice() {
                    ["site.yaml"] | ["content", "sponsors.yaml"] => true,
                    ["content", "chapters", c, ..] => chapters.contains(*c),
                    ["content", "leaders", file] => {
                        all_leaders
                            || file
                                .strip_suffix(".md")
                                .is_some_and(|id| leaders.contains(id))
                    }
                    _ => false,
                }
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        update: Update,
        ok: bool,
        diags: Diagnostics,
        sources: &SourceSet,
        started: Instant,
        kind: BuildKind,
        changed: Vec<String>,
    ) -> Built {
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
        let (pages, feeds) = match &update {
            Update::Plan(p) => (p.pages(), p.feeds()),
            Update::Patch { files, .. } => {
                let p = OutputPlan {
                    files: files.keys().map(|k| (k.clone(), Vec::new())).collect(),
                    ..OutputPlan::default()
                };
                (p.pages(), p.feeds())
            }
            Update::Keep => (0, 0),
        };
        Built {
            update,
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

/// A whole plan when the build is good.
fn whole(plan: Option<OutputPlan>, diags: &Diagnostics) -> (Update, bool) {
    match plan {
        Some(p) if !diags.has_errors() => (Update::Plan(p), true),
        _ => (Update::Keep, false),
    }
}

/// The chapters whose folders hold every changed path, or `None` when a
/// path lies elsewhere (`site.yaml`, leaders, guides, sponsors).
fn chapters_of(changed: &[String]) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for p in changed {
        match p.split('/').collect::<Vec<_>>().as_slice() {
            ["content", "chapters", c, ..] if crate::source::is_valid_id(c) => {
                out.insert(c.to_string());
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

fn fatal(message: String, started: Instant, changed: Vec<String>) -> Built {
    Built {
        update: Update::Keep,
        failure: Some(Failure {
            counts: "the site cannot be read".into(),
            text: message.clone(),
        }),
        fatal: Some(message.clone()),
        report: BuildReport {
            changed,
            kind: BuildKind::Full,
            took: started.elapsed(),
            ok: false,
            pages: 0,
            feeds: 0,
            counts: "the site cannot be read".into(),
            diagnostics: format!("error: {message}\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_copy() -> (tempfile::TempDir, PathBuf) {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
        for e in walkdir::WalkDir::new(repo.join("content"))
            .into_iter()
            .filter_map(Result::ok)
        {
            let rel = e.path().strip_prefix(&repo).unwrap();
            if e.file_type().is_dir() {
                std::fs::create_dir_all(root.join(rel)).unwrap();
            } else {
                std::fs::copy(e.path(), root.join(rel)).unwrap();
            }
        }
        (dir, root)
    }

    fn rebuilder(root: &std::path::Path) -> Rebuilder {
        let mut r = Rebuilder::new(
            root.to_path_buf(),
            NaiveDate::from_ymd_opt(2026, 11, 24),
            Url::parse("http://127.0.0.1:1111/").unwrap(),
            HumanOptions {
                color: false,
                width: 100,
            },
        );
        r.preview_above = Duration::ZERO;
        r
    }

    fn plan(b: Built) -> OutputPlan {
        assert!(b.report.ok, "{}", b.report.diagnostics);
        match b.update {
            Update::Plan(p) => p,
            _ => panic!("expected a whole plan"),
        }
    }

    #[test]
    fn a_chapter_preview_has_the_pages_of_the_whole_build() {
        let (_dir, root) = example_copy();
        let mut r = rebuilder(&root);
        plan(r.build(ChangeKind::Full, Vec::new()));
        let events = root.join("content/chapters/palm-beach/events");
        let first = std::fs::read_dir(&events)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .min()
            .unwrap();
        // Edit the body and rename the file (same date): the old page must
        // go and the new one appear.
        let mut text = std::fs::read_to_string(events.join(&first)).unwrap();
        text.push_str("\nEdited in a preview.\n");
        let renamed = format!("{}-renamed-in-preview.md", &first[..10]);
        std::fs::write(events.join(&renamed), text).unwrap();
        std::fs::remove_file(events.join(&first)).unwrap();
        let rel_old = format!("content/chapters/palm-beach/events/{first}");
        let rel_new = format!("content/chapters/palm-beach/events/{renamed}");

        let preview = r.preview(&[rel_old, rel_new]).expect("a preview");
        assert_eq!(preview.report.kind, BuildKind::Preview);
        assert!(preview.report.ok, "{}", preview.report.diagnostics);
        let Update::Patch { prefixes, files } = preview.update else {
            panic!("expected a patch")
        };
        assert_eq!(prefixes, ["chapters/palm-beach/"]);
        let whole = plan(r.build(ChangeKind::Full, Vec::new()));
        let expected: BTreeMap<&String, &Vec<u8>> = whole
            .files
            .iter()
            .filter(|(k, _)| k.starts_with("chapters/palm-beach/"))
            .collect();
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            expected.keys().copied().collect::<Vec<_>>()
        );
        for (k, v) in &files {
            assert!(
                expected[k] == v,
                "{k} differs between the preview and the whole build"
            );
        }
        let page = format!(
            "chapters/palm-beach/events/{}/index.html",
            renamed.trim_end_matches(".md")
        );
        assert!(String::from_utf8_lossy(&files[&page]).contains("Edited in a preview"));
        let old_page = format!(
            "chapters/palm-beach/events/{}/index.html",
            first.trim_end_matches(".md")
        );
        assert!(!files.contains_key(&old_page));
    }

    #[test]
    fn a_change_outside_chapter_folders_gets_no_preview() {
        assert_eq!(chapters_of(&["content/leaders/ann.md".into()]), None);
        assert_eq!(
            chapters_of(&[
                "site.yaml".into(),
                "content/chapters/rome/chapter.yaml".into()
            ]),
            None
        );
        assert_eq!(
            chapters_of(&[
                "content/chapters/rome/events/a.md".into(),
                "content/chapters/oslo".into()
            ]),
            Some(["oslo".to_string(), "rome".to_string()].into())
        );
    }

    #[test]
    fn a_small_site_gets_no_preview() {
        let (_dir, root) = example_copy();
        let mut r = rebuilder(&root);
        r.preview_above = Duration::from_secs(3600);
        plan(r.build(ChangeKind::Full, Vec::new()));
        assert!(
            r.preview(&["content/chapters/palm-beach/chapter.yaml".into()])
                .is_none()
        );
    }
}
