//! `chapterhouse init`.

use std::process::ExitCode;

use crate::cli::GlobalArgs;

/// Create a new chapter network site
#[derive(Debug, clap::Args)]
pub struct InitArgs {}

impl InitArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("init is not available in this build yet")
    }
}
