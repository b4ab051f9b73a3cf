//! `chapterhouse report`.
#![allow(clippy::print_stdout)] // `cli` is the one place that prints

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::ValueEnum;

use crate::cli::{EXIT_CONTENT, GlobalArgs, SiteArgs, print_diagnostics};
use crate::diag::{Diagnostics, Severity};
use crate::pipeline::{self, Loaded};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// An aligned table for a terminal
    Table,
    /// One JSON document (schema in docs/report.md)
    Json,
    /// One row per chapter, for spreadsheets
    Csv,
}

/// The network's health per chapter, for community managers
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse report\n  chapterhouse report --today 2026-11-24 --format csv > health.csv\n  chapterhouse report --html health.html\n\nPer chapter: leaders, meetings held in the last 365 days, the last and next meeting, days left\nbefore the 90-day limit (at risk with 30 or fewer and nothing scheduled by then), RSVPs against\nattendance and the no-show rate. Exit code 1 when the site has content errors (run `chapterhouse\ncheck`); guideline findings do not stop the report."
)]
pub struct ReportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write a self-contained HTML page with the table and charts to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

impl ReportArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let opts = self.site.options(None)?;
        let mut diags = Diagnostics::new();
        let loaded = pipeline::load(&opts, &mut diags)?;
        // Guideline findings are what the report is about; content errors
        // mean the figures would be built on missing files, so stop.
        let mut content = Diagnostics::new();
        for d in diags.iter() {
            if crate::check::find(&d.code).is_none() && d.severity == Severity::Error {
                content.push(d.clone());
            }
        }
        content.sort(loaded.sources());
        let site = match &loaded {
            Loaded::Site(site) if content.is_empty() => site,
            _ => {
                print_diagnostics(&content, loaded.sources(), g);
                eprintln!(
                    "report needs a site without content errors: {}",
                    crate::diag::render::counts(&content)
                );
                return Ok(ExitCode::from(EXIT_CONTENT));
            }
        };
        let report = crate::report::build(site);
        if let Some(path) = &self.html {
            let page = crate::report::html::page(&report)
                .map_err(|e| anyhow::anyhow!("the report page does not render: {e}"))?;
            write_file(path, page.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !g.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
        let text = match self.format {
            Format::Table => crate::report::text::table(&report),
            Format::Json => crate::report::text::json(&report),
            Format::Csv => crate::report::text::csv(&report),
        };
        print!("{text}");
        Ok(ExitCode::SUCCESS)
    }
}

/// Write through a temporary file in the same folder, so a reader never
/// sees half a page.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".chapterhouse-report").suffix(".tmp");
    // A temporary file is private (0600) by default; the page is for
    // sharing, so create it like `fs::write` would (0666 less the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
