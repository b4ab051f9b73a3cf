//! `SiteTest`: a site in a temp dir, the real binary run on it, and the
//! output read back. Diagnostics are rendered without colour at a fixed
//! width so assertions are stable.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub const TODAY: &str = "2026-11-24";

/// The repository root (where the example site lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct SiteTest {
    _dir: TempDir,
    pub root: PathBuf,
}

/// The outcome of one command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    pub fn code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
    /// Assert stderr contains `needle`.
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub const MINIMAL_SITE: &str = "title: Test Network\nbase_url: https://groups.example.org/\norganization: Example\nregistration:\n  host: events.example.org\n  name: Example Events\ncontact: groups@example.org\n";

impl SiteTest {
    fn empty() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("chapterhouse-test")
            .tempdir()
            .unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        SiteTest { _dir: dir, root }
    }

    /// A copy of the repository's example network.
    pub fn example() -> Self {
        let t = Self::empty();
        std::fs::copy(repo().join("site.yaml"), t.root.join("site.yaml")).unwrap();
        copy_tree(&repo().join("content"), &t.root.join("content"));
        if repo().join("static").is_dir() {
            copy_tree(&repo().join("static"), &t.root.join("static"));
        }
        t
    }

    /// A small valid site: one chapter (`rome`, two leaders), a past and an
    /// upcoming event, one guide, one sponsor.
    pub fn minimal() -> Self {
        Self::empty()
            .file("site.yaml", MINIMAL_SITE)
            .file("content/leaders/ann.md", "---\nname: Ann Rossi\naffiliation: user\ncompany: Pasta Ltd\n---\nAnn runs the Rome chapter.\n")
            .file("content/leaders/bo.md", "---\nname: Bo Berg\naffiliation: user\n---\nBo co-leads.\n")
            .file("content/sponsors.yaml", "- id: acme\n  name: Acme\n  url: https://acme.example/\n  kind: local-company\n")
            .file(
                "content/chapters/rome/chapter.yaml",
                "name: Rome\ncity: Rome\ncountry: IT\nregion: Europe\ntimezone: Europe/Rome\nleaders:\n  - ann\n  - bo\nfounded: 2026-01-10\nsponsors:\n  - acme\n",
            )
            .file(
                "content/chapters/rome/events/2026-10-01-kickoff.md",
                "---\ntitle: Kickoff\nstart: 2026-10-01T18:00\nend: 2026-10-01T20:00\nvenue:\n  name: Hall\n  address: Via Roma 1\nregistration: https://events.example.org/e/1/\nrsvps: 30\nattendance: 24\n---\nWe start.\n",
            )
            .file(
                "content/chapters/rome/events/2026-12-03-automation-night.md",
                "---\ntitle: Automation night\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:30\nvenue:\n  name: Hall\n  address: Via Roma 1\n  map_url: https://maps.example/hall\nregistration: https://events.example.org/e/2/\nformat: [talk]\n---\n## Agenda\n\n- 18:00 Doors\n- 18:30 Talk\n",
            )
            .file("content/guides/venues.md", "---\ntitle: Picking a venue\ncategory: venue\nauthor: ann\n---\nFind a room.\n")
    }

    /// Write (or overwrite) a file relative to the site root.
    pub fn file(self, rel: &str, text: &str) -> Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(self, rel: &str) -> Self {
        let p = self.root.join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Read an output or site file as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }

    /// Run `chapterhouse` with `args` in the site root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chapterhouse"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `build --today TODAY` and assert success.
    pub fn build(&self) -> &Self {
        self.run(&["build", "--today", TODAY]).ok();
        self
    }
}

/// Every file under `dir` (relative path, bytes), sorted; hidden staging
/// folders beside it are not part of it.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}
