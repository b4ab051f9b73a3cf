//! `chapterhouse import`.

use std::process::ExitCode;

use crate::cli::GlobalArgs;

/// Import events from an iCalendar file into a chapter
#[derive(Debug, clap::Args)]
pub struct ImportArgs {}

impl ImportArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("import is not available in this build yet")
    }
}
