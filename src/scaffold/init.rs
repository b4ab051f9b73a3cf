//! `init`: a small working site in an empty folder — `site.yaml`, one
//! chapter with two leaders, one upcoming event, one guide, a `.gitignore`,
//! a README, and the workflows that publish it on GitHub Pages and GitLab
//! Pages. It passes `check` and builds as it is.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::time::parse_zone;
use crate::scaffold::new::{ChapterSpec, EventSpec, GuideSpec, LeaderSpec};
use crate::scaffold::{NewFile, ScaffoldError, SiteInfo, err, write_new};

const PUBLISH_YML: &str = include_str!("templates/publish.yml");
const GITLAB_CI_YML: &str = include_str!("templates/gitlab-ci.yml");
const GITIGNORE: &str = include_str!("templates/gitignore");
const README: &str = include_str!("templates/README.md");
const EVENT_BODY: &str = include_str!("templates/event.md");
const GUIDE_BODY: &str = include_str!("templates/guide.md");

/// Where the workflows install chapterhouse from by default: the
/// `repository` of this package (Cargo.toml); empty when it has none.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Days from today to the sample event.
const EVENT_IN_DAYS: u64 = 14;

/// Options of `init`.
#[derive(Debug, Clone)]
pub struct InitSpec {
    pub dir: PathBuf,
    /// Default `Example`.
    pub organization: Option<String>,
    /// Default `events.example.org`.
    pub registration_host: Option<String>,
    /// Default `<organization> User Groups`.
    pub title: Option<String>,
    /// The first chapter's name; default `Hometown`.
    pub chapter: Option<String>,
    /// Default `US`.
    pub country: Option<String>,
    /// Default `UTC`.
    pub timezone: Option<String>,
    pub today: NaiveDate,
    /// The git URL the workflows install chapterhouse from; default [`REPOSITORY`].
    pub install_git: Option<String>,
    /// The tag they install; default `v<this version>`.
    pub install_ref: Option<String>,
}

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Initialized {
    /// Relative paths, in the order written.
    pub files: Vec<String>,
    /// What to change before publishing.
    pub notes: Vec<String>,
}

#[derive(Serialize)]
struct RegistrationFront<'a> {
    host: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

#[derive(Serialize)]
struct SiteFront<'a> {
    title: &'a str,
    base_url: &'a str,
    description: String,
    language: &'a str,
    organization: &'a str,
    registration: RegistrationFront<'a>,
    timezone: &'a str,
}

const SITE_HEADER: &str = "\
# The settings of this chapter network (field by field: the chapterhouse
# content model). `base_url` is used by local builds; the publishing
# workflows pass the address of GitHub Pages or GitLab Pages instead.
";

/// Is `host` a bare host name (no scheme, path or port)?
fn check_host(host: &str) -> Result<(), ScaffoldError> {
    let parsed = url::Url::parse(&format!("https://{host}/"));
    match parsed {
        Ok(u) if u.host_str() == Some(host) && u.port().is_none() && host.contains('.') => Ok(()),
        _ => {
            let bare = host
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap_or("");
            err(format!(
                "--registration-host `{host}` is not a host name; give only the host of the registration system, like `{}`",
                if bare.contains('.') {
                    bare
                } else {
                    "events.example.org"
                }
            ))
        }
    }
}

/// Every file of the new site, made in memory and checked.
pub fn files(spec: &InitSpec) -> Result<(Vec<NewFile>, Vec<String>), ScaffoldError> {
    let mut notes = Vec::new();
    let organization = spec
        .organization
        .as_deref()
        .map(str::trim)
        .unwrap_or("Example");
    if organization.is_empty() {
        return err("--organization is empty; give the product or company the groups are about");
    }
    let host = spec
        .registration_host
        .as_deref()
        .map(str::trim)
        .unwrap_or("events.example.org")
        .to_ascii_lowercase();
    check_host(&host)?;
    if spec.organization.is_none() || spec.registration_host.is_none() {
        notes.push(
            "set `organization` and `registration.host` in site.yaml (or run init with --organization and --registration-host)".to_string(),
        );
    }
    let timezone = match &spec.timezone {
        Some(z) => parse_zone(z)
            .map_err(|help| ScaffoldError(format!("--timezone `{z}` is not a time zone: {help}")))?
            .name(),
        None => "UTC",
    };
    let title = spec
        .title
        .clone()
        .unwrap_or_else(|| format!("{organization} User Groups"));
    let site_front = SiteFront {
        title: &title,
        base_url: "https://example.org/",
        description: format!(
            "Local, volunteer-run groups where people who use {organization} meet, share what they have learned and help each other. Every meeting is free."
        ),
        language: "en",
        organization,
        registration: RegistrationFront {
            host: &host,
            name: None,
        },
        timezone,
    };
    let site_yaml = format!(
        "{SITE_HEADER}{}",
        crate::source::yaml::to_string(&site_front).map_err(ScaffoldError)?
    );

    // The content, made by the same code as `new`, against the site as it grows.
    let mut site = SiteInfo {
        registration_host: host.clone(),
        timezone: timezone.to_string(),
        ..SiteInfo::default()
    };
    let mut content = Vec::new();
    let leaders = [
        (
            "Alex Rivera",
            "Alex started the group and looks after the room, the food and the calendar.",
        ),
        (
            "Sam Okafor",
            "Sam finds speakers and keeps the online group lively between meetings.",
        ),
    ];
    let mut leader_ids = Vec::new();
    for (name, line) in leaders {
        let first = name.split(' ').next().unwrap_or(name);
        let f = crate::scaffold::new::leader(
            &site,
            &LeaderSpec {
                name: name.to_string(),
                bio: Some(format!(
                    "{line} Replace this profile with your own: who {first} is, what they\nwork on, and why they lead the group.\n"
                )),
                ..LeaderSpec::default()
            },
        )?;
        let id = f
            .path
            .trim_start_matches("content/leaders/")
            .trim_end_matches(".md")
            .to_string();
        site.leaders.insert(id.clone());
        leader_ids.push(id);
        content.push(f);
    }
    let chapter_name = spec.chapter.as_deref().map(str::trim).unwrap_or("Hometown");
    let chapter = crate::scaffold::new::chapter(
        &site,
        &ChapterSpec {
            name: chapter_name.to_string(),
            country: spec.country.clone().unwrap_or_else(|| "US".into()),
            leaders: leader_ids.clone(),
            ..ChapterSpec::default()
        },
        spec.today,
    )?;
    let chapter_id = chapter
        .path
        .trim_start_matches("content/chapters/")
        .trim_end_matches("/chapter.yaml")
        .to_string();
    site.chapters.insert(chapter_id.clone(), None);
    content.push(chapter);
    let day = spec
        .today
        .checked_add_days(Days::new(EVENT_IN_DAYS))
        .ok_or_else(|| ScaffoldError("--today is too far in the future".into()))?;
    let date = day.format("%Y-%m-%d");
    let event = crate::scaffold::new::event(
        &site,
        &EventSpec {
            chapter: chapter_id.clone(),
            title: "First meetup".into(),
            start: format!("{date}T18:00"),
            end: format!("{date}T20:00"),
            registration: Some(format!("https://{host}/")),
            formats: vec!["social".into()],
            body: Some(EVENT_BODY.replace("@ORGANIZATION@", organization)),
            ..EventSpec::default()
        },
        spec.today,
    )?;
    notes.push(format!(
        "replace the sample RSVP link in `{}` with the event's page on {host}, and fill in the venue",
        event.path
    ));
    content.push(event);
    content.push(crate::scaffold::new::guide(
        &site,
        &GuideSpec {
            title: "Planning your first meetup".into(),
            category: "formats".into(),
            author: leader_ids.first().cloned(),
            body: Some(GUIDE_BODY.to_string()),
            ..GuideSpec::default()
        },
        spec.today,
    )?);

    let git = spec
        .install_git
        .clone()
        .or_else(|| (!REPOSITORY.is_empty()).then(|| REPOSITORY.to_string()))
        .unwrap_or_default();
    if git.is_empty() {
        notes.push(
            "set CHAPTERHOUSE_GIT in .github/workflows/publish.yml and .gitlab-ci.yml to the git URL chapterhouse is installed from (or run init with --install-from)".to_string(),
        );
    }
    let tag = spec
        .install_ref
        .clone()
        .unwrap_or_else(|| format!("v{}", env!("CARGO_PKG_VERSION")));
    let workflow = |t: &str| {
        t.replace("@CHAPTERHOUSE_GIT@", &git)
            .replace("@CHAPTERHOUSE_REF@", &tag)
    };
    let home = if git.is_empty() {
        "chapterhouse".to_string()
    } else {
        format!("[chapterhouse]({})", git.trim_end_matches(".git"))
    };
    let readme = README
        .replace("@TITLE@", &title)
        .replace("@CHAPTERHOUSE@", &home)
        .replace("@CHAPTER@", &chapter_id)
        .replace("@HOST@", &host);

    let plain = |path: &str, text: String| NewFile {
        path: path.to_string(),
        text,
        notes: Vec::new(),
    };
    let mut all = vec![
        plain("site.yaml", site_yaml),
        plain(".gitignore", GITIGNORE.to_string()),
        plain("README.md", readme),
        plain(".github/workflows/publish.yml", workflow(PUBLISH_YML)),
        plain(".gitlab-ci.yml", workflow(GITLAB_CI_YML)),
    ];
    all.extend(content);
    Ok((all, notes))
}

/// Is `dir` missing or an empty folder?
fn is_empty_or_missing(dir: &Path) -> Result<bool, ScaffoldError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(_) if dir.exists() => err(format!(
            "{} is a file, not a folder; nothing was changed. Give a new folder name",
            dir.display()
        )),
        Err(e) => err(format!("cannot read {}: {e}", dir.display())),
    }
}

/// Write the new site into `spec.dir`, which must be missing or empty. On
/// a refusal nothing is changed; when writing fails midway, what was
/// written is removed again.
pub fn init(spec: &InitSpec) -> Result<Initialized, ScaffoldError> {
    if !is_empty_or_missing(&spec.dir)? {
        return err(format!(
            "{} is not empty; nothing was changed. Give a new folder name (init creates it), or empty this one first",
            spec.dir.display()
        ));
    }
    let (files, notes) = files(spec)?;
    let created_dir = !spec.dir.exists();
    let mut written: Vec<PathBuf> = Vec::new();
    for f in &files {
        match write_new(&spec.dir, f) {
            Ok(p) => written.push(p),
            Err(e) => {
                undo(&spec.dir, &written, created_dir);
                return Err(e);
            }
        }
    }
    Ok(Initialized {
        files: files.into_iter().map(|f| f.path).collect(),
        notes,
    })
}

/// Remove the files `init` wrote and the folders it made for them.
fn undo(dir: &Path, written: &[PathBuf], created_dir: bool) {
    for p in written.iter().rev() {
        let _ = std::fs::remove_file(p);
        let mut parent = p.parent();
        while let Some(d) = parent {
            if d == dir || std::fs::remove_dir(d).is_err() {
                break;
            }
            parent = d.parent();
        }
    }
    if created_dir {
        let _ = std::fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &Path) -> InitSpec {
        InitSpec {
            dir: dir.to_path_buf(),
            organization: Some("Tessellate".into()),
            registration_host: Some("community.tessellate.io".into()),
            title: None,
            chapter: Some("Palm Beach, FL".into()),
            country: None,
            timezone: Some("America/New_York".into()),
            today: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            install_git: Some("https://git.example.org/chapterhouse.git".into()),
            install_ref: None,
        }
    }

    #[test]
    fn the_site_has_every_part_and_the_workflows_name_the_install_source() {
        let dir = tempfile::tempdir().unwrap();
        let (files, _) = files(&spec(&dir.path().join("new"))).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "site.yaml",
                ".gitignore",
                "README.md",
                ".github/workflows/publish.yml",
                ".gitlab-ci.yml",
                "content/leaders/alex-rivera.md",
                "content/leaders/sam-okafor.md",
                "content/chapters/palm-beach-fl/chapter.yaml",
                "content/chapters/palm-beach-fl/events/2026-12-08-first-meetup.md",
                "content/guides/planning-your-first-meetup.md",
            ]
        );
        let text = |p: &str| files.iter().find(|f| f.path == p).unwrap().text.clone();
        let gh = text(".github/workflows/publish.yml");
        assert!(
            gh.contains("CHAPTERHOUSE_GIT: \"https://git.example.org/chapterhouse.git\""),
            "{gh}"
        );
        assert!(gh.contains(&format!(
            "CHAPTERHOUSE_REF: \"v{}\"",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(gh.contains("chapterhouse check --format github"));
        assert!(gh.contains("cron:"));
        assert!(
            !gh.contains("@CHAPTERHOUSE"),
            "a placeholder is left:\n{gh}"
        );
        let gl = text(".gitlab-ci.yml");
        assert!(gl.contains("$CI_PAGES_URL/"));
        assert!(!gl.contains("@CHAPTERHOUSE"), "{gl}");
        assert!(text(".gitignore").contains("public/"));
        assert!(text("site.yaml").contains("organization: Tessellate"));
        assert!(text("site.yaml").contains("host: community.tessellate.io"));
        assert!(
            text("content/chapters/palm-beach-fl/events/2026-12-08-first-meetup.md")
                .contains("registration: https://community.tessellate.io/")
        );
        assert!(text("README.md").contains("--chapter palm-beach-fl"));
    }

    #[test]
    fn the_workflows_are_valid_yaml_with_the_jobs_they_promise() {
        let (files, _) = files(&spec(Path::new("unused"))).unwrap();
        let yaml = |p: &str| -> serde_json::Value {
            let f = files.iter().find(|f| f.path == p).unwrap();
            crate::source::yaml::from_str(&f.text).unwrap_or_else(|e| panic!("{p}: {e}"))
        };
        let gh = yaml(".github/workflows/publish.yml");
        assert!(gh["on"]["pull_request"].is_null() && gh["on"].get("pull_request").is_some());
        assert_eq!(gh["on"]["push"]["branches"][0], "main");
        assert!(gh["on"]["schedule"][0]["cron"].is_string());
        let steps = gh["jobs"]["site"]["steps"].as_array().unwrap();
        let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
        assert!(
            runs.iter()
                .any(|r| r.contains("cargo +stable install --locked --git"))
        );
        assert!(runs.contains(&"chapterhouse check --format github"));
        assert_eq!(gh["jobs"]["deploy"]["needs"], "site");
        assert_eq!(gh["jobs"]["deploy"]["permissions"]["pages"], "write");
        let gl = yaml(".gitlab-ci.yml");
        assert_eq!(gl["pages"]["artifacts"]["paths"][0], "public");
        assert_eq!(
            gl["variables"]["CHAPTERHOUSE_GIT"],
            "https://git.example.org/chapterhouse.git"
        );
        assert!(
            gl["check"]["rules"][0]["if"]
                .as_str()
                .unwrap()
                .contains("merge_request_event")
        );
    }

    #[test]
    fn a_folder_that_is_not_empty_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let e = init(&spec(dir.path())).unwrap_err();
        assert!(e.0.contains("is not empty; nothing was changed"), "{e}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["notes.txt"]);
    }

    #[test]
    fn bad_options_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new");
        for (s, needle) in [
            (
                InitSpec {
                    registration_host: Some("https://events.example.org/x".into()),
                    ..spec(&target)
                },
                "like `events.example.org`",
            ),
            (
                InitSpec {
                    timezone: Some("Europe/Berln".into()),
                    ..spec(&target)
                },
                "Europe/Berlin",
            ),
            (
                InitSpec {
                    country: Some("USA".into()),
                    ..spec(&target)
                },
                "two-letter",
            ),
        ] {
            let e = init(&s).unwrap_err();
            assert!(e.0.contains(needle), "{needle:?} not in {e}");
            assert!(!target.exists());
        }
    }

    #[test]
    fn without_an_install_source_the_workflows_say_what_to_set() {
        let dir = tempfile::tempdir().unwrap();
        let s = InitSpec {
            install_git: None,
            ..spec(dir.path())
        };
        let (files, notes) = files(&s).unwrap();
        if REPOSITORY.is_empty() {
            assert!(
                notes.iter().any(|n| n.contains("CHAPTERHOUSE_GIT")),
                "{notes:?}"
            );
            let gh = &files
                .iter()
                .find(|f| f.path.ends_with("publish.yml"))
                .unwrap()
                .text;
            assert!(gh.contains("CHAPTERHOUSE_GIT: \"\""), "{gh}");
            assert!(
                gh.contains("::error file=.github/workflows/publish.yml::set CHAPTERHOUSE_GIT")
            );
        } else {
            assert!(
                !notes.iter().any(|n| n.contains("CHAPTERHOUSE_GIT")),
                "{notes:?}"
            );
        }
    }
}
