//! The command line: one `Args` struct and one `run()` per command. This is
//! the only module that prints to the terminal.

pub mod build;
pub mod check;
pub mod explain;
pub mod import;
pub mod init;
pub mod new;
pub mod report;
pub mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::Diagnostics;
use crate::diag::render::HumanOptions;
use crate::pipeline::SiteOptions;
use crate::source::SourceSet;

/// Exit code for content errors.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "chapterhouse",
    version,
    about = "Build the website of a network of user-group chapters from Markdown and YAML",
    long_about = "chapterhouse builds a static website for a network of user-group chapters: chapter \
pages, event pages with calendar feeds, leader profiles and guides, from one YAML file per chapter \
and one Markdown file per event. It checks the network's leader guidelines at every build.",
    after_help = "Examples:\n  chapterhouse build                 build the site in this folder into public/\n  chapterhouse check                 report every problem, write nothing\n  chapterhouse serve                 preview with live reload at http://127.0.0.1:1111/\n  chapterhouse explain free-of-charge\n\nExit codes: 0 ok, 1 content errors, 2 usage or I/O errors."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// When to colour the output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print only problems, no summary
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl GlobalArgs {
    /// Colour on stderr: `always`, or `auto` on a terminal without `NO_COLOR`.
    pub fn color_stderr(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
            }
        }
    }
    pub fn human(&self) -> HumanOptions {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100usize)
            .clamp(60, 200);
        HumanOptions {
            color: self.color_stderr(),
            width,
        }
    }
}

/// Where the site is and which day it is; shared by the commands that load a site.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteArgs {
    /// The site's folder (the one with site.yaml)
    #[arg(long, short = 'r', default_value = ".", env = "CHAPTERHOUSE_ROOT")]
    pub root: PathBuf,
    /// The build date, YYYY-MM-DD, that decides upcoming and past
    /// [default: SOURCE_DATE_EPOCH, else the system date]
    #[arg(long, value_parser = parse_today)]
    pub today: Option<NaiveDate>,
}

fn parse_today(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write it as YYYY-MM-DD, like 2026-11-22"))
}

impl SiteArgs {
    pub fn options(&self, base_url: Option<&str>) -> anyhow::Result<SiteOptions> {
        let today = crate::pipeline::today(self.today).map_err(anyhow::Error::msg)?;
        let base_url = match base_url {
            Some(b) => Some(
                crate::config::parse_base_url(b).map_err(|e| anyhow::anyhow!("--base-url: {e}"))?,
            ),
            None => None,
        };
        Ok(SiteOptions {
            root: self.root.clone(),
            today,
            base_url,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    Serve(serve::ServeArgs),
    Explain(explain::ExplainArgs),
    Report(report::ReportArgs),
    Import(import::ImportArgs),
    Init(init::InitArgs),
    New(new::NewArgs),
}

impl Cli {
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let g = &self.global;
        match &self.command {
            Command::Build(a) => a.run(g),
            Command::Check(a) => a.run(g),
            Command::Serve(a) => a.run(g),
            Command::Explain(a) => a.run(g),
            Command::Report(a) => a.run(g),
            Command::Import(a) => a.run(g),
            Command::Init(a) => a.run(g),
            Command::New(a) => a.run(g),
        }
    }
}

/// Print diagnostics for a person on stderr.
pub fn print_diagnostics(diags: &Diagnostics, sources: &SourceSet, g: &GlobalArgs) {
    let text = crate::diag::render::human(diags, sources, g.human());
    if !text.is_empty() {
        eprint!("{text}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
