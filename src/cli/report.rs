//! `chapterhouse report`.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, SiteArgs};

/// The network's health per chapter, for community managers
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

impl ReportArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("report is not available in this build yet")
    }
}
