//! `chapterhouse new`.

use std::process::ExitCode;

use crate::cli::GlobalArgs;

/// Add a chapter, event, leader or guide file
#[derive(Debug, clap::Args)]
pub struct NewArgs {}

impl NewArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("new is not available in this build yet")
    }
}
