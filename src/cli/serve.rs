//! `chapterhouse serve`.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, SiteArgs};

/// Preview the site with live reload
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in a browser
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("serve is not available in this build yet")
    }
}
