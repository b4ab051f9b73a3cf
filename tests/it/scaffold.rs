//! `init` and `new` end to end: a new site passes `check` and builds at
//! once; every kind of `new` writes a file that keeps it passing; every
//! refusal leaves the files as they were.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Run, TODAY};

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chapterhouse"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("CHAPTERHOUSE_ROOT")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// `init` a site named `palm-beach` chapter into a temp dir.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    run_in(
        dir.path(),
        &[
            "init",
            "mygroup",
            "--today",
            TODAY,
            "--organization",
            "Tessellate",
            "--registration-host",
            "community.tessellate.io",
            "--chapter",
            "Palm Beach",
            "--timezone",
            "America/New_York",
            "--install-from",
            "https://git.example.org/chapterhouse.git",
        ],
    )
    .ok()
    .stderr_has("created mygroup with 10 files");
    let root = dir.path().join("mygroup");
    (dir, root)
}

fn check_clean(root: &Path) {
    run_in(root, &["check", "--today", TODAY])
        .ok()
        .stderr_has("0 errors, 0 warnings, 0 notes");
}

#[test]
fn init_writes_a_site_that_checks_and_builds_at_once() {
    let (_dir, root) = new_site();
    for f in [
        "site.yaml",
        ".gitignore",
        "README.md",
        ".github/workflows/publish.yml",
        ".gitlab-ci.yml",
        "content/chapters/palm-beach/chapter.yaml",
        "content/chapters/palm-beach/events/2026-12-08-first-meetup.md",
        "content/leaders/alex-rivera.md",
        "content/leaders/sam-okafor.md",
        "content/guides/planning-your-first-meetup.md",
    ] {
        assert!(root.join(f).is_file(), "{f} missing");
    }
    check_clean(&root);
    run_in(&root, &["check", "--today", TODAY, "--format", "github"]).ok();
    run_in(&root, &["build", "--today", TODAY]).ok();
    let event = std::fs::read_to_string(
        root.join("public/chapters/palm-beach/events/2026-12-08-first-meetup/index.html"),
    )
    .unwrap();
    assert!(event.contains("First meetup"));
    // The event is upcoming, so its page can mark itself over on the client.
    assert!(event.contains("data-event-end="), "{event}");
    assert!(event.contains("event-status.js"), "{event}");
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "public/"));
    let gh = std::fs::read_to_string(root.join(".github/workflows/publish.yml")).unwrap();
    assert!(gh.contains("CHAPTERHOUSE_GIT: \"https://git.example.org/chapterhouse.git\""));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("taken");
    std::fs::create_dir_all(target.join("content")).unwrap();
    std::fs::write(target.join("notes.md"), "my notes").unwrap();
    let before = snapshot(dir.path());
    run_in(dir.path(), &["init", "taken", "--today", TODAY])
        .code(2)
        .stderr_has("is not empty; nothing was changed");
    assert_eq!(snapshot(dir.path()), before);
    assert!(!target.join("site.yaml").exists());

    // An empty folder is fine.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    run_in(dir.path(), &["init", "empty", "--today", TODAY]).ok();
    check_clean(&dir.path().join("empty"));
}

#[test]
fn every_kind_of_new_writes_one_file_and_the_site_still_checks() {
    let (_dir, root) = new_site();
    run_in(
        &root,
        &[
            "new",
            "event",
            "--chapter",
            "palm-beach",
            "--title",
            "Jira automation night",
            "--start",
            "2026-12-03T18:00",
            "--end",
            "2026-12-03T20:00",
            "--registration",
            "https://community.tessellate.io/events/jira-automation-night/",
            "--today",
            TODAY,
        ],
    )
    .ok()
    .stderr_has("created content/chapters/palm-beach/events/2026-12-03-jira-automation-night.md");
    let event = std::fs::read_to_string(
        root.join("content/chapters/palm-beach/events/2026-12-03-jira-automation-night.md"),
    )
    .unwrap();
    assert!(
        event.starts_with(
            "---\ntitle: Jira automation night\nstart: 2026-12-03T18:00\nend: 2026-12-03T20:00\n"
        ),
        "{event}"
    );
    assert!(
        event.contains(
            "registration: https://community.tessellate.io/events/jira-automation-night/\n"
        )
    );

    run_in(
        &root,
        &[
            "new",
            "leader",
            "--name",
            "Maria González",
            "--company",
            "Harbor Peak",
        ],
    )
    .ok()
    .stderr_has("created content/leaders/maria-gonzalez.md");
    run_in(
        &root,
        &[
            "new",
            "chapter",
            "--name",
            "Berlin",
            "--country",
            "DE",
            "--timezone",
            "Europe/Berlin",
            "--region",
            "Europe",
            "--leader",
            "maria-gonzalez,sam-okafor",
            "--today",
            TODAY,
        ],
    )
    .ok()
    .stderr_has("created content/chapters/berlin/chapter.yaml");
    run_in(
        &root,
        &[
            "new",
            "event",
            "--chapter",
            "berlin",
            "--title",
            "Online: roadmaps",
            "--start",
            "2026-12-10T18:00",
            "--end",
            "19:30",
            "--mode",
            "online",
            "--registration",
            "https://community.tessellate.io/e/7/",
            "--format",
            "talk",
            "--today",
            TODAY,
        ],
    )
    .ok()
    .stderr_has("created content/chapters/berlin/events/2026-12-10-online-roadmaps.md");
    run_in(
        &root,
        &[
            "new",
            "guide",
            "--title",
            "Finding a venue",
            "--category",
            "venue",
            "--author",
            "maria-gonzalez",
            "--today",
            TODAY,
        ],
    )
    .ok()
    .stderr_has("created content/guides/finding-a-venue.md");
    check_clean(&root);
    run_in(&root, &["build", "--today", TODAY]).ok();
    assert!(
        root.join("public/chapters/berlin/events/2026-12-10-online-roadmaps/index.html")
            .is_file()
    );
}

#[test]
fn bad_options_and_existing_files_are_refused_and_nothing_changes() {
    let (_dir, root) = new_site();
    let before = snapshot(&root);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // The file exists: never overwritten.
        (
            vec![
                "new",
                "event",
                "--chapter",
                "palm-beach",
                "--title",
                "First meetup",
                "--start",
                "2026-12-08T18:00",
                "--end",
                "2026-12-08T20:00",
                "--today",
                TODAY,
            ],
            "already exists",
        ),
        (
            vec![
                "new",
                "event",
                "--chapter",
                "palm-bech",
                "--title",
                "X",
                "--start",
                "2026-12-08T18:00",
                "--end",
                "20:00",
            ],
            "did you mean `palm-beach`?",
        ),
        (
            vec![
                "new",
                "event",
                "--chapter",
                "palm-beach",
                "--title",
                "X",
                "--start",
                "2026-12-32T18:00",
                "--end",
                "20:00",
            ],
            "YYYY-MM-DDTHH:MM",
        ),
        (
            vec![
                "new",
                "event",
                "--chapter",
                "palm-beach",
                "--title",
                "X",
                "--start",
                "2026-12-08T18:00",
                "--end",
                "20:00",
                "--timezone",
                "America/New_Yrok",
            ],
            "did you mean `America/New_York`?",
        ),
        (
            vec![
                "new",
                "event",
                "--chapter",
                "palm-beach",
                "--title",
                "X",
                "--start",
                "2026-12-08T18:00",
                "--end",
                "20:00",
                "--registration",
                "https://www.meetup.com/x/",
            ],
            "community.tessellate.io",
        ),
        (
            vec!["new", "leader", "alex-rivera", "--name", "Alex Again"],
            "already exists",
        ),
        (
            vec![
                "new",
                "leader",
                "--name",
                "Pat Partner",
                "--affiliation",
                "partner",
            ],
            "--company",
        ),
        (
            vec![
                "new",
                "chapter",
                "--name",
                "Oslo",
                "--country",
                "NO",
                "--leader",
                "nobody",
            ],
            "no leader `nobody`",
        ),
        (
            vec![
                "new",
                "chapter",
                "palm-beach",
                "--name",
                "Palm Beach",
                "--country",
                "US",
                "--leader",
                "alex-rivera",
            ],
            "already exists",
        ),
        (
            vec![
                "new",
                "guide",
                "--title",
                "X",
                "--category",
                "venue",
                "--author",
                "nobody",
            ],
            "no leader `nobody`",
        ),
        (
            vec!["new", "guide", "--title", "X", "--category", "parties"],
            "possible values",
        ),
    ];
    for (args, needle) in cases {
        run_in(&root, &args).code(2).stderr_has(needle);
    }
    assert_eq!(snapshot(&root), before, "a refusal changed files");

    // Outside a site, `new` says where to run it.
    let elsewhere = tempfile::tempdir().unwrap();
    run_in(elsewhere.path(), &["new", "leader", "--name", "Ann"])
        .code(2)
        .stderr_has("no `site.yaml`");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}
