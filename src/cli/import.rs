//! `chapterhouse import`.
#![allow(clippy::print_stdout)] // `cli` is the one place that prints

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{EXIT_CONTENT, EXIT_USAGE, GlobalArgs, SiteArgs, print_diagnostics};
use crate::diag::{Diagnostics, Severity};
use crate::pipeline::{self, Loaded};

/// Import events from an iCalendar file into a chapter
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse import calendar.ics --chapter berlin --dry-run\n  chapterhouse import ~/Downloads/chapter-events.ics --chapter palm-beach\n\nOne file per event is written to content/chapters/<chapter>/events/, with times in the chapter's\ntime zone. Existing files are never replaced. A file that cannot be read writes nothing."
)]
pub struct ImportArgs {
    /// The .ics file to read, e.g. the registration system's export of the chapter's calendar
    pub file: PathBuf,
    /// Id of the chapter the events belong to (its folder under content/chapters/)
    #[arg(long)]
    pub chapter: String,
    /// Show what would be written, write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub site: SiteArgs,
}

impl ImportArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let ics = match std::fs::read(&self.file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", self.file.display());
                return Ok(ExitCode::from(EXIT_USAGE));
            }
        };
        let opts = self.site.options(None)?;
        let mut diags = Diagnostics::new();
        let loaded = pipeline::load(&opts, &mut diags)?;
        let site = match &loaded {
            Loaded::Site(s) => s,
            Loaded::Broken(sources) => {
                diags.sort(sources);
                print_diagnostics(&diags, sources, g);
                eprintln!("import failed: fix site.yaml first; nothing was written");
                return Ok(ExitCode::from(EXIT_CONTENT));
            }
        };
        let Some(chapter) = site.chapters.iter().find(|c| c.id == self.chapter) else {
            let ids: Vec<&str> = site.chapters.iter().map(|c| c.id.as_str()).collect();
            let hint = match crate::source::yaml::did_you_mean(&self.chapter, &ids) {
                Some(m) => format!("did you mean `--chapter {m}`?"),
                None if ids.is_empty() => {
                    "add the chapter first: content/chapters/<chapter>/chapter.yaml".into()
                }
                None => format!("the chapters are: {}", ids.join(", ")),
            };
            eprintln!(
                "error: there is no chapter `{}` (no content/chapters/{}/chapter.yaml); {hint}",
                self.chapter, self.chapter
            );
            return Ok(ExitCode::from(EXIT_USAGE));
        };
        let name = self.file.display();
        let plan = match crate::import::plan(site, chapter, &ics) {
            Ok(p) => p,
            Err(e) => {
                for p in &e.problems {
                    eprintln!("error: {name}: {p}");
                }
                eprintln!("import failed: {name} cannot be imported as it is; nothing was written");
                return Ok(ExitCode::from(EXIT_CONTENT));
            }
        };
        let verb = if self.dry_run { "would write" } else { "wrote" };
        let (done, mut skipped) = if self.dry_run {
            (plan.files.iter().collect::<Vec<_>>(), Vec::new())
        } else {
            let (w, s) =
                crate::import::write(&self.site.root, &plan).map_err(anyhow::Error::msg)?;
            let done = plan
                .files
                .iter()
                .filter(|f| w.contains(&self.site.root.join(&f.path)))
                .collect();
            (done, s)
        };
        for f in &done {
            println!(
                "{verb} {} ({}, {})",
                f.path,
                f.title,
                crate::model::time::date_label(&f.start)
            );
            for n in &f.notes {
                println!("  note: {n}");
            }
        }
        skipped.extend(plan.skipped.iter().cloned());
        for s in &skipped {
            println!("skipped {}: {}", s.event, s.reason);
        }
        let written = done.len();
        if self.dry_run {
            if !g.quiet {
                eprintln!(
                    "dry run: {written} events would be imported into {}, {} skipped; nothing was written",
                    chapter.id,
                    skipped.len()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        if !g.quiet {
            eprintln!(
                "imported {written} events into {}, {} skipped",
                chapter.id,
                skipped.len()
            );
        }
        // Check what was written, and show the problems in those files.
        let mut after = Diagnostics::new();
        let reloaded = pipeline::load(&opts, &mut after)?;
        let sources = reloaded.sources();
        let mut mine = Diagnostics::new();
        for d in after.into_vec() {
            let in_new = d.span.as_ref().is_some_and(|s| {
                let p = sources.path(s.file);
                plan.files.iter().any(|f| f.path == p)
            });
            if in_new {
                mine.push(d);
            }
        }
        mine.sort(sources);
        print_diagnostics(&mine, sources, g);
        if mine.count(Severity::Error) > 0 {
            eprintln!(
                "the imported files have {}; fix them, then run `chapterhouse check`",
                crate::diag::render::counts(&mine)
            );
            return Ok(ExitCode::from(EXIT_CONTENT));
        }
        Ok(ExitCode::SUCCESS)
    }
}
