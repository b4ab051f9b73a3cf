//! `chapterhouse new`.

use std::process::ExitCode;

use clap::builder::PossibleValuesParser;

use crate::cli::{GlobalArgs, SiteArgs};
use crate::model::{AttendanceMode, Category, Format, LEADER_AFFILIATIONS};
use crate::scaffold::new::{ChapterSpec, EventSpec, GuideSpec, LeaderSpec};
use crate::scaffold::{NewFile, SiteInfo, write_new};

/// Add a chapter, event, leader or guide file
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse new event --chapter palm-beach --title \"Jira automation night\" \\\n      --start 2026-12-03T18:00 --end 20:00 --registration https://community.tessellate.io/events/…\n  chapterhouse new leader --name \"Maria Gonzalez\"\n  chapterhouse new chapter --name \"Palm Beach, FL\" --country US --timezone America/New_York --leader maria-gonzalez\n  chapterhouse new guide --title \"Finding a venue\" --category venue --author maria-gonzalez\n\nThe options are checked first (chapter and leader ids, dates, time zones, the registration host);\nan existing file is never overwritten."
)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewKind,
}

#[derive(Debug, clap::Subcommand)]
pub enum NewKind {
    Chapter(NewChapter),
    Event(NewEvent),
    Leader(NewLeader),
    Guide(NewGuide),
}

/// A chapter: content/chapters/<id>/chapter.yaml
#[derive(Debug, clap::Args)]
pub struct NewChapter {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The chapter's id, also its folder and URL [default: from --name]
    pub id: Option<String>,
    /// Display name, e.g. "Palm Beach, FL"
    #[arg(long)]
    pub name: String,
    /// City [default: the name]
    #[arg(long)]
    pub city: Option<String>,
    /// ISO 3166 two-letter country code, e.g. US
    #[arg(long, value_name = "CC")]
    pub country: String,
    /// Grouping on the chapter index, e.g. "North America"
    #[arg(long)]
    pub region: Option<String>,
    /// IANA time zone of its events [default: site.yaml's]
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// A leader id from content/leaders/ (repeat, or separate with commas)
    #[arg(
        long = "leader",
        value_name = "ID",
        required = true,
        value_delimiter = ','
    )]
    pub leaders: Vec<String>,
    /// Date the chapter started, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE")]
    pub founded: Option<String>,
    /// URL of the chapter's online community group
    #[arg(long, value_name = "URL")]
    pub online_group: Option<String>,
    /// E-mail address that reaches the chapter's leaders
    #[arg(long, value_name = "EMAIL")]
    pub contact: Option<String>,
}

/// An event: content/chapters/<chapter>/events/<date>-<slug>.md
#[derive(Debug, clap::Args)]
pub struct NewEvent {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The chapter's id
    #[arg(long, value_name = "ID")]
    pub chapter: String,
    /// Title
    #[arg(long)]
    pub title: String,
    /// Local start, YYYY-MM-DDTHH:MM
    #[arg(long, value_name = "DATETIME")]
    pub start: String,
    /// Local end, YYYY-MM-DDTHH:MM, or HH:MM on the day of --start
    #[arg(long, value_name = "DATETIME")]
    pub end: String,
    /// IANA time zone [default: the chapter's]
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// RSVP link on the registration system
    #[arg(long, value_name = "URL")]
    pub registration: Option<String>,
    /// File name after the date [default: from the title]
    #[arg(long)]
    pub slug: Option<String>,
    /// Name of the venue [default: "To be announced"]
    #[arg(long, value_name = "NAME")]
    pub venue: Option<String>,
    /// Address of the venue
    #[arg(long)]
    pub address: Option<String>,
    /// How people attend
    #[arg(long, value_parser = PossibleValuesParser::new(AttendanceMode::ALL.iter().copied()))]
    pub mode: Option<String>,
    /// Kinds of event (repeat, or separate with commas)
    #[arg(long = "format", value_name = "FORMAT", value_delimiter = ',', value_parser = PossibleValuesParser::new(Format::ALL.iter().copied()))]
    pub formats: Vec<String>,
}

/// A leader: content/leaders/<id>.md
#[derive(Debug, clap::Args)]
pub struct NewLeader {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The leader's id [default: from --name]
    pub id: Option<String>,
    /// Display name
    #[arg(long)]
    pub name: String,
    /// Relation to the site's organization
    #[arg(long, default_value = "user", value_parser = PossibleValuesParser::new(LEADER_AFFILIATIONS.iter().copied()))]
    pub affiliation: String,
    /// Employer (required for partner)
    #[arg(long)]
    pub company: Option<String>,
}

/// A guide for leaders: content/guides/<id>.md
#[derive(Debug, clap::Args)]
pub struct NewGuide {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The guide's id [default: from --title]
    pub id: Option<String>,
    /// Title
    #[arg(long)]
    pub title: String,
    /// Category
    #[arg(long, value_parser = PossibleValuesParser::new(Category::ALL.iter().copied()))]
    pub category: String,
    /// Author: a leader id
    #[arg(long, value_name = "ID")]
    pub author: Option<String>,
}

impl NewArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let site = match &self.what {
            NewKind::Chapter(a) => &a.site,
            NewKind::Event(a) => &a.site,
            NewKind::Leader(a) => &a.site,
            NewKind::Guide(a) => &a.site,
        };
        let today = crate::pipeline::today(site.today).map_err(anyhow::Error::msg)?;
        let info = SiteInfo::read(&site.root)?;
        let file: NewFile = match &self.what {
            NewKind::Chapter(a) => crate::scaffold::new::chapter(
                &info,
                &ChapterSpec {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    city: a.city.clone(),
                    country: a.country.clone(),
                    region: a.region.clone(),
                    timezone: a.timezone.clone(),
                    leaders: a.leaders.clone(),
                    founded: a.founded.clone(),
                    online_group: a.online_group.clone(),
                    contact: a.contact.clone(),
                    description: None,
                },
                today,
            )?,
            NewKind::Event(a) => crate::scaffold::new::event(
                &info,
                &EventSpec {
                    chapter: a.chapter.clone(),
                    title: a.title.clone(),
                    start: a.start.clone(),
                    end: a.end.clone(),
                    timezone: a.timezone.clone(),
                    registration: a.registration.clone(),
                    slug: a.slug.clone(),
                    venue: a.venue.clone(),
                    address: a.address.clone(),
                    mode: a.mode.clone(),
                    formats: a.formats.clone(),
                    body: None,
                },
                today,
            )?,
            NewKind::Leader(a) => crate::scaffold::new::leader(
                &info,
                &LeaderSpec {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    affiliation: Some(a.affiliation.clone()),
                    company: a.company.clone(),
                    bio: None,
                },
            )?,
            NewKind::Guide(a) => crate::scaffold::new::guide(
                &info,
                &GuideSpec {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    category: a.category.clone(),
                    author: a.author.clone(),
                    body: None,
                },
                today,
            )?,
        };
        write_new(&site.root, &file)?;
        eprintln!("created {}", file.path);
        for n in &file.notes {
            eprintln!("  - {n}");
        }
        if !g.quiet {
            eprintln!(
                "edit it, then see it with `chapterhouse serve` or check it with `chapterhouse check`"
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
