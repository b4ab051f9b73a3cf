//! Writing new files for authors: `init` (a whole small site with its
//! publishing workflows) and `new` (one chapter, event, leader or guide).
//!
//! Every file is first made in memory as a [`NewFile`] from options that
//! have been checked (ids, dates, zones, references to chapters and
//! leaders, the registration host), so a refusal changes nothing. Front
//! matter is written with `source::yaml::to_string`, which quotes what
//! needs quoting. Files are created with `create_new`, so an existing file
//! is never overwritten. The texts that are not data (bodies, workflows,
//! `.gitignore`) are embedded from `src/scaffold/templates/`.

pub mod init;
pub mod new;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A problem with the options or the folder; the message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldError(pub String);

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScaffoldError {}

fn err<T>(message: impl Into<String>) -> Result<T, ScaffoldError> {
    Err(ScaffoldError(message.into()))
}

/// One file to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Relative to the site root, with `/`.
    pub path: String,
    pub text: String,
    /// What the author should fill in next.
    pub notes: Vec<String>,
}

/// What `new` needs to know about the site it adds to.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    pub registration_host: String,
    /// `site.yaml` `timezone`, default `UTC`.
    pub timezone: String,
    /// Chapter id → its `timezone`, when it gives one.
    pub chapters: BTreeMap<String, Option<String>>,
    pub leaders: BTreeSet<String>,
}

impl SiteInfo {
    /// Read `site.yaml` and list the chapters and leaders of the site at `root`.
    pub fn read(root: &Path) -> Result<SiteInfo, ScaffoldError> {
        #[derive(serde::Deserialize)]
        struct Registration {
            host: Option<String>,
        }
        #[derive(serde::Deserialize)]
        struct Head {
            registration: Option<Registration>,
            timezone: Option<String>,
        }
        #[derive(serde::Deserialize)]
        struct ChapterHead {
            timezone: Option<String>,
        }
        let config = root.join("site.yaml");
        let text = std::fs::read_to_string(&config).map_err(|_| {
            ScaffoldError(format!(
                "no `site.yaml` in {}: run this in the site's folder, pass `--root <folder>`, or start a site with `chapterhouse init <folder>`",
                root.display()
            ))
        })?;
        let head: Head = crate::source::yaml::from_str(&text).map_err(|e| {
            ScaffoldError(format!(
                "`site.yaml` cannot be read ({e}); run `chapterhouse check` to see where"
            ))
        })?;
        let mut info = SiteInfo {
            registration_host: head.registration.and_then(|r| r.host).unwrap_or_default(),
            timezone: head.timezone.unwrap_or_else(|| "UTC".into()),
            ..SiteInfo::default()
        };
        for id in dir_names(&root.join("content/chapters")) {
            let path = root.join("content/chapters").join(&id).join("chapter.yaml");
            if let Ok(text) = std::fs::read_to_string(path) {
                let zone = crate::source::yaml::from_str::<ChapterHead>(&text)
                    .ok()
                    .and_then(|c| c.timezone);
                info.chapters.insert(id, zone);
            }
        }
        for name in dir_names(&root.join("content/leaders")) {
            if let Some(id) = name.strip_suffix(".md") {
                info.leaders.insert(id.to_string());
            }
        }
        Ok(info)
    }

    fn known_chapter(&self, id: &str) -> Result<(), ScaffoldError> {
        if self.chapters.contains_key(id) {
            return Ok(());
        }
        err(unknown(
            "chapter",
            id,
            self.chapters.keys(),
            "chapterhouse new chapter",
        ))
    }

    fn known_leader(&self, id: &str) -> Result<(), ScaffoldError> {
        if self.leaders.contains(id) {
            return Ok(());
        }
        err(unknown(
            "leader",
            id,
            self.leaders.iter(),
            "chapterhouse new leader",
        ))
    }
}

/// "no chapter `x`; did you mean `y`? …"
fn unknown<'a>(what: &str, id: &str, known: impl Iterator<Item = &'a String>, add: &str) -> String {
    let known: Vec<&str> = known.map(String::as_str).collect();
    let folder = if what == "chapter" {
        format!("content/chapters/{id}/chapter.yaml")
    } else {
        format!("content/leaders/{id}.md")
    };
    let mut m = format!("there is no {what} `{id}` (no `{folder}`)");
    if let Some(close) = crate::source::yaml::did_you_mean(id, &known) {
        m.push_str(&format!("; did you mean `{close}`?"));
    } else if known.is_empty() {
        m.push_str(&format!("; add one first with `{add}`"));
    } else {
        m.push_str(&format!("; the site has: {}", known.join(", ")));
    }
    m
}

/// Names in a folder, sorted (none when it does not exist).
fn dir_names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// An id from the option, or made from a name; checked either way.
fn id_from(
    given: Option<&str>,
    name: &str,
    what: &str,
    option: &str,
) -> Result<String, ScaffoldError> {
    match given {
        Some(id) if crate::source::is_valid_id(id) => Ok(id.to_string()),
        Some(id) => err(format!(
            "`{id}` is not a valid {what} id: use lowercase letters, digits and `-`, like `{}`",
            crate::source::suggest_id(id)
        )),
        None => {
            let id = slug::slugify(name);
            if id.is_empty() || !crate::source::is_valid_id(&id) {
                err(format!(
                    "cannot make a {what} id from `{name}`; give one with {option}, like `my-{what}`"
                ))
            } else {
                Ok(id)
            }
        }
    }
}

/// `---`, the YAML of `front`, `---`, then the body.
fn markdown_file<T: Serialize>(
    front: &T,
    extra_yaml: &str,
    body: &str,
) -> Result<String, ScaffoldError> {
    let yaml = crate::source::yaml::to_string(front).map_err(ScaffoldError)?;
    let mut body = body.trim_end().to_string();
    body.push('\n');
    Ok(format!("---\n{yaml}{extra_yaml}---\n{body}"))
}

/// Create `file` under `root`; refuses when it exists. Returns the full path.
pub fn write_new(root: &Path, file: &NewFile) -> Result<PathBuf, ScaffoldError> {
    let path = root.join(&file.path);
    if path.exists() {
        return err(format!(
            "`{}` already exists; nothing was written. Edit that file, or choose another name",
            file.path
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| ScaffoldError(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError(format!(
                "`{}` already exists; nothing was written",
                file.path
            )),
            _ => ScaffoldError(format!("cannot create {}: {e}", path.display())),
        })?;
    f.write_all(file.text.as_bytes())
        .map_err(|e| ScaffoldError(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_names_or_are_checked() {
        assert_eq!(
            id_from(None, "Palm Beach, FL", "chapter", "--id").unwrap(),
            "palm-beach-fl"
        );
        assert_eq!(
            id_from(Some("rome"), "x", "chapter", "--id").unwrap(),
            "rome"
        );
        let e = id_from(Some("Palm Beach"), "x", "chapter", "--id").unwrap_err();
        assert!(e.0.contains("`palm-beach`"), "{e}");
        let e = id_from(None, "!!!", "guide", "an ID argument").unwrap_err();
        assert!(e.0.contains("an ID argument"), "{e}");
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let known = ["palm-beach".to_string(), "rome".to_string()];
        let m = unknown("chapter", "palm-bech", known.iter(), "x");
        assert!(m.contains("did you mean `palm-beach`?"), "{m}");
        let m = unknown("chapter", "oslo", known.iter(), "x");
        assert!(m.contains("the site has: palm-beach, rome"), "{m}");
        let m = unknown("leader", "ann", [].iter(), "chapterhouse new leader");
        assert!(m.contains("`chapterhouse new leader`"), "{m}");
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = NewFile {
            path: "content/leaders/ann.md".into(),
            text: "new".into(),
            notes: Vec::new(),
        };
        write_new(dir.path(), &file).unwrap();
        std::fs::write(dir.path().join("content/leaders/ann.md"), "mine").unwrap();
        let e = write_new(dir.path(), &file).unwrap_err();
        assert!(e.0.contains("already exists"), "{e}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/leaders/ann.md")).unwrap(),
            "mine"
        );
    }
}
