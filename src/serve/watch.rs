//! Watching the site for changes: which folders to watch, which paths to
//! ignore, and how a batch of changed paths decides the rebuild.
//!
//! Events come from `notify` through `notify-debouncer-full`, which merges
//! the bursts editors produce: a save by rename (write `x.tmp`, rename it
//! over `x`; vim's `4913` probe and `x~` backup; JetBrains' `___jb_tmp___`)
//! and a save in two writes (truncate, then write) arrive as one batch.
//! The rename tracking of the debouncer is why it is the full one and not
//! `notify-debouncer-mini`, which only coalesces by path.
//!
//! Only the parts of the site that feed a build are watched (`site.yaml`,
//! `content/`, `static/`, `themes/`), never the whole root: the root can
//! hold `public/`, `.git/` or, in this repository, a `target/` folder with
//! tens of thousands of directories, and Linux caps the number of inotify
//! watches (`fs.inotify.max_user_watches`). The root itself is watched
//! without recursion so that creating `static/` or `themes/` later is seen
//! and the new folder gets a watch of its own.
//!
//! Native events are unreliable on network shares, Docker bind mounts from
//! macOS or Windows, and WSL's `/mnt/c` (see the notify documentation,
//! <https://docs.rs/notify/8.2.0/notify/#known-problems>); `--watcher poll`
//! scans the folders instead.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

/// How to learn about changed files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WatcherKind {
    /// The operating system's file events (inotify, FSEvents, ReadDirectoryChangesW).
    #[default]
    Native,
    /// Scan the watched folders at an interval; for network and container mounts.
    Poll,
}

/// The folders directly under the site root whose files feed a build.
pub const WATCHED_DIRS: [&str; 3] = ["content", "static", "themes"];

/// How long a path must stay quiet before its change is reported. Long
/// enough to merge an editor's rename-and-write burst (its steps follow
/// each other within a few milliseconds), short enough that the page
/// changes while the author is still looking at it: this wait is most of
/// the time from a save to the new page.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// How often the debouncer looks for paths that have been quiet long
/// enough; a change is reported up to this much after its quiet time ends
/// (the debouncer's default is a quarter of `DEBOUNCE`).
const TICK: Duration = Duration::from_millis(10);

/// What a batch of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Only templates or static files changed: the loaded site is still
    /// current, so rendering it again is enough.
    Render,
    /// Content or `site.yaml` changed (or a file was added, renamed or
    /// deleted there): run the whole pipeline.
    Full,
}

/// What one path means for the build, or `None` when it does not feed it.
pub fn classify(rel: &Path) -> Option<ChangeKind> {
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str().unwrap_or("\u{fffd}"),
            // `..` or an absolute path: not inside the site.
            _ => "..",
        })
        .collect();
    if parts.is_empty() || parts.iter().any(|p| *p == ".." || is_ignored_name(p)) {
        return None;
    }
    match parts.as_slice() {
        ["site.yaml"] => Some(ChangeKind::Full),
        ["content", ..] => Some(ChangeKind::Full),
        ["static", ..] | ["themes", ..] => Some(ChangeKind::Render),
        _ => None,
    }
}

/// Hidden files and the temporary files editors write next to the file
/// being saved. Hidden names cover `.git/`, `.DS_Store`, vim's `.x.swp`
/// and emacs' `.#x` lock links.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#') // emacs auto-save `#x#`
        || name == "4913" // vim checks that it may write in the folder
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || [".swp", ".swo", ".swx", ".tmp", ".crswap", ".kate-swp", ".part"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Does the event change a file? Reads are events too (inotify reports
/// opening and closing a file), and every build reads the whole site, so
/// counting them would rebuild forever.
pub fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

/// The batch's paths relative to `root` that feed the build (sorted,
/// without duplicates), and the rebuild they need.
pub fn batch(root: &Path, paths: &[PathBuf]) -> Option<(Vec<String>, ChangeKind)> {
    let mut rels: Vec<String> = Vec::new();
    let mut kind: Option<ChangeKind> = None;
    for p in paths {
        let Ok(rel) = p.strip_prefix(root) else {
            continue;
        };
        if let Some(k) = classify(rel) {
            kind = Some(kind.map_or(k, |old| old.max(k)));
            rels.push(crate::source::slashed(rel));
        }
    }
    rels.sort();
    rels.dedup();
    kind.map(|k| (rels, k))
}

/// A debounced watcher of either kind.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Watcher {
    /// Start watching `root` (see the module docs for what is watched);
    /// batches of events go to `tx`.
    pub fn start(
        root: &Path,
        kind: WatcherKind,
        poll_interval: Duration,
        tx: Sender<DebounceEventResult>,
    ) -> notify::Result<Watcher> {
        let mut w = match kind {
            WatcherKind::Native => Watcher::Native(new_debouncer_opt(
                DEBOUNCE,
                Some(TICK),
                tx,
                RecommendedCache::new(),
                notify::Config::default(),
            )?),
            WatcherKind::Poll => Watcher::Poll(new_debouncer_opt(
                DEBOUNCE,
                Some(TICK),
                tx,
                NoCache,
                notify::Config::default().with_poll_interval(poll_interval),
            )?),
        };
        w.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            let d = root.join(dir);
            if d.is_dir() {
                w.watch(&d, RecursiveMode::Recursive)?;
            }
        }
        Ok(w)
    }

    pub fn kind(&self) -> WatcherKind {
        match self {
            Watcher::Native(_) => WatcherKind::Native,
            Watcher::Poll(_) => WatcherKind::Poll,
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watch a folder of [`WATCHED_DIRS`] that was created after the start.
    /// Watching a folder twice is harmless (the debouncer skips known roots,
    /// inotify reuses the watch).
    pub fn watch_new_dirs(&mut self, root: &Path, changed: &[String]) -> notify::Result<()> {
        for dir in WATCHED_DIRS {
            if changed.iter().any(|c| c == dir) && root.join(dir).is_dir() {
                self.watch(&root.join(dir), RecursiveMode::Recursive)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(p: &str) -> Option<ChangeKind> {
        classify(Path::new(p))
    }

    #[test]
    fn content_and_config_need_a_full_build() {
        assert_eq!(k("site.yaml"), Some(ChangeKind::Full));
        assert_eq!(
            k("content/chapters/rome/events/2026-01-01-a.md"),
            Some(ChangeKind::Full)
        );
        assert_eq!(k("content"), Some(ChangeKind::Full));
    }

    #[test]
    fn templates_and_static_files_need_a_render() {
        assert_eq!(
            k("themes/mine/templates/event.html"),
            Some(ChangeKind::Render)
        );
        assert_eq!(k("themes/mine/static/a.css"), Some(ChangeKind::Render));
        assert_eq!(k("static/logo.svg"), Some(ChangeKind::Render));
    }

    #[test]
    fn output_repository_and_editor_files_are_ignored() {
        for p in [
            "public/index.html",
            "target/debug/x",
            ".git/index",
            "README.md",
            "content/leaders/.ann.md.swp",
            "content/leaders/ann.md~",
            "content/leaders/#ann.md#",
            "content/leaders/.#ann.md",
            "content/leaders/4913",
            "content/leaders/ann.md___jb_tmp___",
            "static/a.css.tmp",
            "../elsewhere/site.yaml",
        ] {
            assert_eq!(k(p), None, "{p}");
        }
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, RemoveKind, RenameMode,
        };
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
    }

    #[test]
    fn a_batch_takes_the_largest_need_and_lists_each_path_once() {
        let root = Path::new("/site");
        let (paths, kind) = batch(
            root,
            &[
                root.join("static/a.css"),
                root.join("content/leaders/ann.md"),
                root.join("content/leaders/ann.md"),
                root.join("content/leaders/ann.md~"),
                PathBuf::from("/elsewhere/site.yaml"),
            ],
        )
        .unwrap();
        assert_eq!(paths, ["content/leaders/ann.md", "static/a.css"]);
        assert_eq!(kind, ChangeKind::Full);
        assert_eq!(batch(root, &[root.join("public/index.html")]), None);
        assert_eq!(
            batch(root, &[root.join("static/a.css")]).map(|b| b.1),
            Some(ChangeKind::Render)
        );
    }
}
