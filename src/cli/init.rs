//! `chapterhouse init`.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::{GlobalArgs, parse_today};
use crate::scaffold::init::{InitSpec, init};

/// Start a new chapter network site in a new folder
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse init mygroup\n  chapterhouse init mygroup --organization Tessellate --registration-host community.tessellate.io \\\n      --chapter \"Palm Beach, FL\" --timezone America/New_York\n\nThe site has one chapter with two leaders, one upcoming event, one guide, a README, a .gitignore,\nand workflows that publish it on GitHub Pages (.github/workflows/publish.yml) and GitLab Pages\n(.gitlab-ci.yml). It passes `chapterhouse check` and builds as it is. A folder that is not empty is\nrefused and left as it was."
)]
pub struct InitArgs {
    /// The folder to create (it must be missing or empty)
    pub dir: PathBuf,
    /// The product or company the groups are about [default: Example]
    #[arg(long)]
    pub organization: Option<String>,
    /// Host name of the official registration system, where RSVPs go [default: events.example.org]
    #[arg(long, value_name = "HOST")]
    pub registration_host: Option<String>,
    /// Site title [default: "<organization> User Groups"]
    #[arg(long)]
    pub title: Option<String>,
    /// Name of the first chapter [default: Hometown]
    #[arg(long, value_name = "NAME")]
    pub chapter: Option<String>,
    /// Country of the first chapter, ISO 3166 two-letter code [default: US]
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// IANA time zone of the network's events [default: UTC]
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// The day the sample event is counted from, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = parse_today)]
    pub today: Option<NaiveDate>,
    /// Git URL the publishing workflows install chapterhouse from
    /// [default: this chapterhouse's repository]
    #[arg(long, value_name = "GIT_URL")]
    pub install_from: Option<String>,
    /// Release tag the workflows install [default: v<this version>]
    #[arg(long, value_name = "TAG")]
    pub install_tag: Option<String>,
}

impl InitArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let today = crate::pipeline::today(self.today).map_err(anyhow::Error::msg)?;
        let spec = InitSpec {
            dir: self.dir.clone(),
            organization: self.organization.clone(),
            registration_host: self.registration_host.clone(),
            title: self.title.clone(),
            chapter: self.chapter.clone(),
            country: self.country.clone(),
            timezone: self.timezone.clone(),
            today,
            install_git: self.install_from.clone(),
            install_ref: self.install_tag.clone(),
        };
        let done = init(&spec)?;
        let dir = self.dir.display();
        if !g.quiet {
            eprintln!("created {dir} with {} files:", done.files.len());
            for f in &done.files {
                eprintln!("  {f}");
            }
        }
        if !done.notes.is_empty() {
            eprintln!("before you publish:");
            for n in &done.notes {
                eprintln!("  - {n}");
            }
        }
        if !g.quiet {
            eprintln!(
                "next: cd {dir} && chapterhouse serve   (a preview at http://127.0.0.1:1111/ that reloads as you edit)"
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
