//! Stage 6, WRITE: [`OutputPlan`] -> files, all or nothing.
//!
//! The plan is written into a staging folder beside the output folder and
//! swapped in only when every file is written. A failed or interrupted
//! build leaves the previous output as it was. Nothing outside the output
//! folder (and its hidden staging siblings) is written or deleted, and an
//! existing folder that chapterhouse did not create is never cleared
//! without `--force`.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::render::OutputPlan;

/// The file chapterhouse leaves in every output folder it creates.
pub const MARKER: &str = ".chapterhouse-output";

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ask a running write to stop before it swaps (called from the Ctrl-C and
/// SIGTERM handler). A second call ends the process at once: the previous
/// output is still intact, and the next build removes the staging folder.
pub fn interrupt() {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        std::process::exit(130);
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Replace an existing output folder even without chapterhouse's marker.
    pub force: bool,
}

/// A path made absolute and cleaned of `.` and `..` without touching the disk.
pub fn absolute(p: &Path) -> PathBuf {
    let base = if p.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut out = PathBuf::new();
    for c in base.join(p).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Resolve symlinks in the longest existing prefix of `p`.
fn resolved(p: &Path) -> PathBuf {
    let abs = absolute(p);
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent().map(Path::to_path_buf),
        ) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        out.push(n);
    }
    out
}

/// Refuse output folders that would overwrite the site itself.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let root = resolved(root);
    let out_r = resolved(out);
    if out_r == root {
        return Err(format!(
            "the output folder {} is the site folder itself; use a folder inside it, like `public`",
            out.display()
        ));
    }
    if root.starts_with(&out_r) {
        return Err(format!(
            "the output folder {} contains the site folder; use a folder inside the site, like `public`, or one elsewhere",
            out.display()
        ));
    }
    for protected in ["content", "static", "themes"] {
        if out_r.starts_with(root.join(protected)) {
            return Err(format!(
                "the output folder {} is inside the site's `{protected}/` folder; use `public` or a folder outside the site",
                out.display()
            ));
        }
    }
    if out_r.parent().is_none() {
        return Err("the output folder cannot be the file system root".into());
    }
    Ok(())
}

/// Is `rel` a safe relative path inside the output folder?
pub fn is_safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

/// What a write did.
#[derive(Debug, Clone, Copy)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: usize,
}

/// Write `plan` to `out` atomically (see the module docs). Stops without
/// touching `out` when [`interrupt`] is called before the swap.
pub fn write(
    plan: &OutputPlan,
    root: &Path,
    out: &Path,
    opts: WriteOptions,
) -> Result<WriteStats, String> {
    write_until(plan, root, out, opts, &|| {
        INTERRUPTED.load(Ordering::SeqCst)
    })
}

const INTERRUPTED_MSG: &str = "interrupted before the new output was complete";

/// [`write`], stopping when `interrupted` says so; it is asked before each
/// file and before the swap (a parameter so tests can stop or fail a write
/// midway without the process-wide flag).
fn write_until(
    plan: &OutputPlan,
    root: &Path,
    out: &Path,
    opts: WriteOptions,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Result<WriteStats, String> {
    for rel in plan.files.keys() {
        if !is_safe_rel(rel) {
            return Err(format!(
                "refusing to write `{rel}`: it would land outside the output folder"
            ));
        }
    }
    let staging = prepare(root, out, opts)?;
    commit_until(staging, plan, interrupted)
}

/// A staging folder beside the output folder, locked by its marker file,
/// ready to be filled and swapped in. Dropped without [`commit`], it is
/// removed and the output folder is left as it was.
pub struct Staging {
    staging: tempfile::TempDir,
    marker: std::fs::File,
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl Staging {
    /// The folder files are written into.
    pub fn dir(&self) -> &Path {
        self.staging.path()
    }
}

/// Check the output folder and make a staging folder beside it (see the
/// module docs for what is refused).
pub fn prepare(root: &Path, out: &Path, opts: WriteOptions) -> Result<Staging, String> {
    check_output_dir(root, out)?;
    let out = absolute(out);
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a folder", out.display()));
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).is_file() && !opts.force {
            return Err(format!(
                "{} already exists and was not created by chapterhouse, so it is left alone; choose another `--output`, or pass `--force` to replace it",
                out.display()
            ));
        }
    }
    let parent = out
        .parent()
        .ok_or("the output folder has no parent folder")?
        .to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    remove_stale(&parent, &name);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "cannot create a staging folder in {}: {e}",
                parent.display()
            )
        })?;
    let dir = staging.path().to_path_buf();
    // The marker goes in first and stays locked until this write returns,
    // so a later build can tell a staging folder whose build was killed
    // (unlocked: removed) from one still being written (locked: left alone).
    let marker = std::fs::File::create(dir.join(MARKER))
        .and_then(|mut f| {
            f.write_all(MARKER_TEXT.as_bytes())?;
            lock(&f);
            Ok(f)
        })
        .map_err(|e| format!("cannot write the marker file: {e}"))?;
    Ok(Staging {
        staging,
        marker,
        out,
        parent,
        name,
    })
}

/// Fill the staging folder with the files of `plan` kept in memory (those
/// it spilled are there already) and swap it in. Stops without touching the
/// output folder when [`interrupt`] was called.
pub fn commit(staging: Staging, plan: &OutputPlan) -> Result<WriteStats, String> {
    commit_until(staging, plan, &|| INTERRUPTED.load(Ordering::SeqCst))
}

fn commit_until(
    staging: Staging,
    plan: &OutputPlan,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Result<WriteStats, String> {
    let Staging {
        staging,
        marker,
        out,
        parent,
        name,
    } = staging;
    let dir = staging.path().to_path_buf();

    let kept = if out.exists() {
        "; the previous output is unchanged"
    } else {
        "; nothing was written"
    };
    if let Some(e) = plan.spill.as_ref().and_then(|s| s.error()) {
        return Err(format!("{e}{kept}"));
    }
    fill(plan, &dir, interrupted).map_err(|e| format!("{e}{kept}"))?;

    // Swap: old output aside, staging in, old output removed.
    // Reserve a name for the previous output while the staging folder is
    // still removed on any early return.
    let old = if out.exists() {
        let reserved = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot prepare the swap in {}: {e}{kept}", parent.display()))?;
        Some(reserved.keep())
    } else {
        None
    };
    let staged = staging.keep();
    // Hold the previous output's marker lock while it lies aside, so a
    // concurrent build does not take it for a killed build's leftovers.
    let _previous = std::fs::File::open(out.join(MARKER)).inspect(lock);
    if let Some(old) = old {
        // `old` exists as an empty dir; rename needs it gone (or empty on Unix).
        let _ = std::fs::remove_dir(&old);
        if let Err(e) = std::fs::rename(&out, &old) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(format!("cannot move the previous output aside: {e}{kept}"));
        }
        if let Err(e) = std::fs::rename(&staged, &out) {
            let _ = std::fs::remove_dir_all(&staged);
            // Put the previous output back; say where it is if that fails.
            return Err(match std::fs::rename(&old, &out) {
                Ok(()) => format!(
                    "cannot move the new output into place: {e}; the previous output is unchanged"
                ),
                Err(e2) => format!(
                    "cannot move the new output into place: {e}; the previous output could not be moved back ({e2}) and is in {}",
                    old.display()
                ),
            });
        }
        remove_tree(&old);
    } else if let Err(e) = std::fs::rename(&staged, &out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(format!("cannot move the new output into place: {e}"));
    }
    drop(marker);
    Ok(WriteStats {
        files: plan.len(),
        bytes: plan.total_bytes(),
    })
}

/// Write every file of `plan` under the staging folder `dir`.
fn fill(
    plan: &OutputPlan,
    dir: &Path,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Result<(), String> {
    // Folders are made on demand by the writing threads (creating ten
    // thousand event folders one by one first took as long as writing).
    plan.files.par_iter().try_for_each(|(rel, bytes)| {
        if interrupted() {
            return Err(INTERRUPTED_MSG.to_string());
        }
        let path = dir.join(rel);
        let mut f = match std::fs::File::create(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                std::fs::File::create(&path)
            }
            other => other,
        }
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        f.write_all(bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    })?;
    if interrupted() {
        return Err(INTERRUPTED_MSG.into());
    }
    Ok(())
}

/// Remove a folder tree, deleting its files in parallel (a previous output
/// of a large network holds tens of thousands of files).
fn remove_tree(dir: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let _ = std::fs::remove_dir_all(dir);
}

const MARKER_TEXT: &str = "This folder is written by chapterhouse; a build replaces it whole.\n";

/// Take an exclusive advisory lock on `f` (released when `f` is closed or
/// the process ends, however it ends). Unix only: on Windows a lock is
/// mandatory and an open file would block renaming its folder.
fn lock(f: &std::fs::File) {
    #[cfg(unix)]
    let _ = f.lock();
    #[cfg(not(unix))]
    let _ = f;
}

/// Remove what a killed build (SIGKILL, power loss) left beside the output:
/// hidden folders `.<name>.staging-*` and `.<name>.old-*` that hold
/// chapterhouse's marker file and whose marker no running build has locked.
/// Folders without the marker are never touched.
fn remove_stale(parent: &Path, name: &str) {
    if cfg!(not(unix)) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if !prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            || !entry.file_type().is_ok_and(|t| t.is_dir())
        {
            continue;
        }
        let Ok(marker) = std::fs::File::open(entry.path().join(MARKER)) else {
            continue;
        };
        if marker.try_lock().is_ok() {
            drop(marker);
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_relative_paths_are_refused() {
        assert!(is_safe_rel("chapters/x/index.html"));
        for bad in ["../x", "/etc/passwd", "a/../../b", "a//b", "a\\b", ""] {
            assert!(!is_safe_rel(bad), "{bad}");
        }
    }

    fn plan(files: &[(&str, &str)]) -> OutputPlan {
        let mut p = OutputPlan::default();
        for (k, v) in files {
            p.insert(*k, *v);
        }
        p
    }

    /// Every file under `dir` with its bytes, sorted.
    fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    }

    /// Names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        (t, root, out)
    }

    /// A site whose output holds one earlier file, `a.html` = `old`.
    fn site_with_output() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let (t, root, out) = site();
        write(
            &plan(&[("a.html", "old")]),
            &root,
            &out,
            WriteOptions::default(),
        )
        .unwrap();
        (t, root, out)
    }

    #[test]
    fn a_write_replaces_the_output_whole() {
        let (_t, root, out) = site();
        write(
            &plan(&[("a.html", "1"), ("x/b.html", "2")]),
            &root,
            &out,
            WriteOptions::default(),
        )
        .unwrap();
        write(
            &plan(&[("c.html", "3")]),
            &root,
            &out,
            WriteOptions::default(),
        )
        .unwrap();
        assert_eq!(names(&out), [MARKER, "c.html"]);
        assert_eq!(names(&root), ["public"], "no staging or old folder is left");
    }

    #[test]
    fn an_interrupted_write_leaves_the_previous_output_and_no_staging() {
        let (_t, root, out) = site_with_output();
        let before = tree(&out);
        // Stop after two files are written.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, Ordering::SeqCst) >= 2;
        let new = plan(&[
            ("a.html", "new"),
            ("b.html", "new"),
            ("c.html", "new"),
            ("d.html", "new"),
        ]);
        let err = write_until(&new, &root, &out, WriteOptions::default(), &stop).unwrap_err();
        assert!(err.contains("previous output is unchanged"), "{err}");
        assert_eq!(tree(&out), before);
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_previous_output_and_no_staging() {
        let (_t, root, out) = site_with_output();
        let before = tree(&out);
        // `x` must be both a file and a folder: creating the file fails after
        // the folders and possibly other files were written.
        let bad = plan(&[
            ("a.html", "new"),
            ("x", "file"),
            ("x/y.html", "new"),
            ("z.html", "new"),
        ]);
        assert!(write(&bad, &root, &out, WriteOptions::default()).is_err());
        assert_eq!(tree(&out), before);
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn a_panic_while_writing_leaves_the_previous_output_and_no_staging() {
        let (_t, root, out) = site_with_output();
        let before = tree(&out);
        // A check that panics after two files stands in for a bug anywhere
        // in the write.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let bomb = || {
            assert!(asked.fetch_add(1, Ordering::SeqCst) < 2, "boom");
            false
        };
        let new = plan(&[
            ("a.html", "new"),
            ("b.html", "new"),
            ("c.html", "new"),
            ("d.html", "new"),
        ]);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            write_until(&new, &root, &out, WriteOptions::default(), &bomb)
        }));
        assert!(result.is_err());
        assert_eq!(tree(&out), before);
        assert_eq!(names(&root), ["public"]);
    }

    #[test]
    fn a_folder_chapterhouse_did_not_create_is_only_replaced_with_force() {
        let (_t, root, out) = site();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.tex"), "years of work").unwrap();
        let err = write(
            &plan(&[("a.html", "1")]),
            &root,
            &out,
            WriteOptions::default(),
        )
        .unwrap_err();
        assert!(err.contains("--force"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.tex")).unwrap(),
            "years of work"
        );
        write(
            &plan(&[("a.html", "1")]),
            &root,
            &out,
            WriteOptions { force: true },
        )
        .unwrap();
        assert_eq!(names(&out), [MARKER, "a.html"]);
        // An empty folder needs no `--force`.
        let empty = root.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        write(
            &plan(&[("a.html", "1")]),
            &root,
            &empty,
            WriteOptions::default(),
        )
        .unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_a_killed_build_are_removed_but_nothing_else() {
        let (_t, root, out) = site();
        let leftover = |n: &str, marker: bool| {
            let d = root.join(n);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("index.html"), "x").unwrap();
            if marker {
                std::fs::write(d.join(MARKER), MARKER_TEXT).unwrap();
            }
            d
        };
        let killed = leftover(".public.staging-abc123", true);
        let killed_old = leftover(".public.old-abc123", true);
        let not_ours = leftover(".public.staging-mine", false);
        let other_output = leftover(".out.staging-abc123", true);
        let running = leftover(".public.staging-running", true);
        let held = std::fs::File::open(running.join(MARKER)).unwrap();
        held.lock().unwrap();
        write(
            &plan(&[("a.html", "1")]),
            &root,
            &out,
            WriteOptions::default(),
        )
        .unwrap();
        assert!(!killed.exists() && !killed_old.exists());
        assert!(
            not_ours.exists(),
            "a folder without the marker is never removed"
        );
        assert!(
            other_output.exists(),
            "another output's folders are left alone"
        );
        assert!(running.exists(), "a build still writing keeps its folder");
        drop(held);
    }

    #[test]
    fn output_folders_that_would_hit_the_site_are_refused() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, t.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root, &root.join("static")).is_err());
        assert!(check_output_dir(&root, &root.join("themes/x")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, &t.path().join("elsewhere")).is_ok());
    }
}
