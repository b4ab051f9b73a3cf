//! `chapterhouse check`.
#![allow(clippy::print_stdout)] // `cli` is the one place that prints

use std::process::ExitCode;

use clap::ValueEnum;

use crate::cli::{EXIT_CONTENT, GlobalArgs, SiteArgs, print_diagnostics};
use crate::diag::{Diagnostics, Severity};
use crate::pipeline::{self, Loaded};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Messages with the offending lines, for people
    Human,
    /// One JSON document on stdout (schema in docs/check.md)
    Json,
    /// GitHub Actions workflow commands on stdout, for pull-request annotations
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Deny {
    /// Fail on warnings as well as errors
    Warnings,
}

/// Report every content error and guideline finding; write nothing
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse check\n  chapterhouse check --today 2026-11-22 --deny warnings\n  chapterhouse check --format github     # in a GitHub Actions job\n  chapterhouse check --format json > findings.json\n\nExit code 1 when any error remains (or any warning with --deny warnings), else 0."
)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors for the exit code
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
}

impl CheckArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let opts = self.site.options(None)?;
        let mut diags = Diagnostics::new();
        let loaded = pipeline::load(&opts, &mut diags)?;
        if let Loaded::Site(site) = &loaded {
            // A dry render of a sample (every template, each kind of
            // event): template errors are errors too. `build` renders all.
            pipeline::render_sample(site, &mut diags);
        }
        diags.sort(loaded.sources());
        let failed = diags.has_errors()
            || (self.deny == Some(Deny::Warnings) && diags.count(Severity::Warning) > 0);
        let sources = loaded.sources();
        match self.format {
            Format::Human => {
                print_diagnostics(&diags, sources, g);
                if !g.quiet {
                    let files = sources.len();
                    eprintln!(
                        "checked {files} files: {}",
                        crate::diag::render::counts(&diags)
                    );
                }
            }
            Format::Json => print!(
                "{}",
                crate::diag::render::json(&diags, sources, !failed, opts.today)
            ),
            Format::Github => {
                print!("{}", crate::diag::render::github(&diags, sources));
                if !g.quiet {
                    eprintln!("{}", crate::diag::render::counts(&diags));
                }
            }
        }
        // The process ends here; the system frees the site at exit (see
        // `build`).
        std::mem::forget(loaded);
        Ok(if failed {
            ExitCode::from(EXIT_CONTENT)
        } else {
            ExitCode::SUCCESS
        })
    }
}
