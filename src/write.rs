//! Stage 6, WRITE: [`OutputPlan`] -> files, all or nothing.
//!
//! The plan is written into a staging folder beside the output folder and
//! swapped in only when every file is written. A failed or interrupted
//! build leaves the previous output as it was. Nothing outside the output
//! folder and its hidden siblings (`.<name>.staging-*`, `.<name>.old-*`,
//! `.<name>.spare`) is written or deleted, and an existing folder that
//! chapterhouse did not create is never cleared without `--force`.
//!
//! The output a swap displaces is kept as the spare, `.<name>.spare`
//! (with a `.gitignore` of `*` so git ignores it), and the next build
//! takes the spare as its staging folder instead of making a new one: a
//! file whose bytes are unchanged is left as it is, a changed one is
//! overwritten in place, and what the new plan does not hold is removed
//! before the swap. Creating tens of thousands of files right after
//! deleting as many is slow on ext4 (its inode allocator skips recently
//! freed inodes one by one), and a repeated build of a large network
//! changes few files. The result is byte for byte what a fresh staging
//! folder would hold. Only one spare is kept; without locks (not Unix) the
//! previous output is removed as before.

use std::io::{Read as _, Seek as _, Write as _};
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
    /// The files a recycled spare held, to remove those the plan does not
    /// hold; `None` for a new, empty staging folder.
    recycled: Option<Vec<String>>,
}

impl Staging {
    /// The folder files are written into.
    pub fn dir(&self) -> &Path {
        self.staging.path()
    }
    /// Where the render stage writes per-event files as it makes them.
    pub fn spill(&self) -> crate::render::Spill {
        crate::render::Spill::new(self.dir().to_path_buf(), self.recycled.is_some())
    }
}

/// Check the output folder and make a staging folder beside it (see the
/// module docs for what is refused): the spare, when there is one that no
/// other build holds, else a new folder.
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
    let new_staging = || {
        tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(|e| {
                format!(
                    "cannot create a staging folder in {}: {e}",
                    parent.display()
                )
            })
    };
    let (staging, recycled) = match take_spare(&parent, &name, new_staging()?) {
        Ok(taken) => taken,
        Err(fresh) => (fresh, None),
    };
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
        recycled,
    })
}

/// The spare's path: `.<name>.spare` beside the output folder.
fn spare_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.spare"))
}

/// Move the spare into the (new, empty) staging folder `fresh` when it is
/// a real folder holding the marker and no other build holds its lock.
/// Returns the staging folder and the files the spare held, or `fresh`
/// untouched. Links and special files in the spare are removed first, so
/// no write into it can follow one out of the folder.
fn take_spare(
    parent: &Path,
    name: &str,
    fresh: tempfile::TempDir,
) -> Result<(tempfile::TempDir, Option<Vec<String>>), tempfile::TempDir> {
    if cfg!(not(unix)) {
        return Err(fresh);
    }
    let spare = spare_path(parent, name);
    let ours = std::fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(spare.join(MARKER)).is_ok_and(|m| m.is_file());
    if !ours {
        return Err(fresh);
    }
    let Ok(marker) = std::fs::File::open(spare.join(MARKER)) else {
        return Err(fresh);
    };
    if marker.try_lock().is_err() {
        return Err(fresh);
    }
    // Renaming a folder onto an empty one replaces it (POSIX), so the
    // staging folder keeps its unique name and is still removed on drop.
    if std::fs::rename(&spare, fresh.path()).is_err() {
        return Err(fresh);
    }
    drop(marker);
    let files = survey(fresh.path());
    Ok((fresh, Some(files)))
}

/// The files under `dir` (relative, `/`-separated), without the marker;
/// links, special files and names that are not UTF-8 are removed.
fn survey(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let t = entry.file_type();
        if t.is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"));
        match rel {
            Some(rel) if t.is_file() => {
                if rel != MARKER {
                    files.push(rel);
                }
            }
            _ => {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    files
}

/// Writes files under a staging folder, from any number of threads,
/// making folders on demand.
#[derive(Debug)]
pub struct Filler {
    dir: PathBuf,
    /// The folder is a recycled earlier output, not a new, empty one.
    recycled: bool,
    /// Folders made so far in a new staging folder (relative paths), so
    /// that each is made once and no file is first tried without its
    /// folder (ten thousand event folders: as many failed opens saved).
    made: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Filler {
    pub fn new(dir: PathBuf, recycled: bool) -> Self {
        Filler {
            dir,
            recycled,
            made: Default::default(),
        }
    }

    /// Write `bytes` to `rel`. In a recycled staging folder a file that
    /// already holds these bytes is left as it is (its modification time
    /// too), another one is overwritten in place, and a folder or file in
    /// the way of the path is removed first.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        let path = self.dir.join(rel);
        let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        if self.recycled {
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
            {
                Ok(mut f) => return keep_or_overwrite(&mut f, bytes).map_err(failed),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                // A folder where the file goes, or a file where a folder does.
                Err(_) => clear_way(&self.dir, rel),
            }
        } else {
            self.make_folder_of(rel)?;
        }
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
        .map_err(failed)?;
        f.write_all(bytes).map_err(failed)
    }

    /// Whether [`Filler::put_streamed`] can write straight to the file:
    /// in a new staging folder (a recycled one compares whole files).
    pub fn streams(&self) -> bool {
        !self.recycled
    }

    /// Write `rel` in a new staging folder piece by piece, as `write`
    /// makes it; returns its size.
    pub fn put_streamed(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<usize, String> {
        debug_assert!(self.streams());
        self.make_folder_of(rel)?;
        let path = self.dir.join(rel);
        let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let file = std::fs::File::create(&path).map_err(failed)?;
        let mut out = Counted {
            inner: std::io::BufWriter::with_capacity(1 << 18, file),
            count: 0,
        };
        write(&mut out).map_err(failed)?;
        out.inner.flush().map_err(failed)?;
        Ok(out.count)
    }

    /// Make the folder the file `rel` of a new staging folder goes in,
    /// unless it was made.
    fn make_folder_of(&self, rel: &str) -> Result<(), String> {
        let Some((rel, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        let made = || {
            self.made
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if made().contains(rel) {
            return Ok(());
        }
        let path = self.dir.join(rel);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        made().insert(rel.to_string());
        Ok(())
    }
}

/// A writer that counts what goes through it.
struct Counted<W> {
    inner: W,
    count: usize,
}

impl<W: std::io::Write> std::io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Leave `f` alone if it holds `bytes`, else overwrite it with them.
fn keep_or_overwrite(f: &mut std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    if f.metadata()?.len() == bytes.len() as u64 {
        let mut buf = vec![0; bytes.len().min(1 << 16)];
        let mut same = true;
        for chunk in bytes.chunks(buf.len().max(1)) {
            let b = &mut buf[..chunk.len()];
            f.read_exact(b)?;
            if b != chunk {
                same = false;
                break;
            }
        }
        if same {
            return Ok(());
        }
        f.seek(std::io::SeekFrom::Start(0))?;
    }
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)
}

/// Remove what stands in the way of writing the file `rel` under `dir`: a
/// file where one of its folders goes, or a folder where it goes.
fn clear_way(dir: &Path, rel: &str) {
    let mut p = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        p.push(seg);
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            return;
        };
        let last = i + 1 == segments.len();
        if last && meta.is_dir() {
            let _ = std::fs::remove_dir_all(&p);
        } else if !last && !meta.is_dir() {
            let _ = std::fs::remove_file(&p);
            return;
        }
    }
}

/// Remove from a recycled staging folder the files it held that the plan
/// does not, then the folders that left empty.
fn prune(dir: &Path, held: &[String], plan: &OutputPlan) {
    let gone: Vec<&String> = held
        .iter()
        .filter(|f| !plan.files.contains_key(*f) && !plan.spilled.contains_key(*f))
        .collect();
    gone.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(dir.join(f));
    });
    let mut folders: Vec<&str> = gone
        .iter()
        .flat_map(|f| {
            f.char_indices()
                .filter(|&(_, c)| c == '/')
                .map(|(i, _)| &f[..i])
        })
        .collect();
    folders.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    folders.dedup();
    for folder in folders {
        // Fails, as it should, for a folder that still holds something.
        let _ = std::fs::remove_dir(dir.join(folder));
    }
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
        recycled,
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
    if let Some((file, under)) = file_and_folder(plan) {
        return Err(format!(
            "`{file}` would be both a file and the folder of `{under}`; rename one of them (a file in `static/` can clash with a page){kept}"
        ));
    }
    fill(plan, &dir, recycled.is_some(), interrupted).map_err(|e| format!("{e}{kept}"))?;
    if let Some(held) = &recycled {
        prune(&dir, held, plan);
    }

    // Swap: old output aside, staging in. The old output becomes the
    // spare when it is chapterhouse's and there is no spare yet; else it
    // is removed. Hold its marker lock while it lies aside, so a
    // concurrent build does not take it for a killed build's leftovers.
    let previous = std::fs::File::open(out.join(MARKER)).inspect(lock);
    let spare = spare_path(&parent, &name);
    let aside = if !out.exists() {
        None
    } else if cfg!(unix) && previous.is_ok() && std::fs::symlink_metadata(&spare).is_err() {
        Some(spare.clone())
    } else {
        // Reserve a name for the previous output while the staging folder
        // is still removed on any early return.
        let reserved = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot prepare the swap in {}: {e}{kept}", parent.display()))?;
        let old = reserved.keep();
        // `old` exists as an empty dir; rename needs it gone (or empty on Unix).
        let _ = std::fs::remove_dir(&old);
        Some(old)
    };
    let staged = staging.keep();
    if let Some(old) = aside {
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
        if old == spare {
            // git ignores the spare, wherever the output folder is.
            let _ = std::fs::write(spare.join(".gitignore"), "*\n");
        } else {
            remove_tree(&old);
        }
    } else if let Err(e) = std::fs::rename(&staged, &out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(format!("cannot move the new output into place: {e}"));
    }
    drop(previous);
    drop(marker);
    Ok(WriteStats {
        files: plan.len(),
        bytes: plan.total_bytes(),
    })
}

/// A path of `plan` that is also the folder of another one: the two
/// cannot both be written. Each path's folders are looked up in the plan's
/// sorted maps, the paths in parallel (at 50,000 events a set of every
/// path, built and probed on one thread, held the end of a build for
/// 30 ms).
fn file_and_folder(plan: &OutputPlan) -> Option<(String, String)> {
    let is_path = |p: &str| plan.files.contains_key(p) || plan.spilled.contains_key(p);
    plan.files
        .par_iter()
        .map(|(p, _)| p)
        .chain(plan.spilled.par_iter().map(|(p, _)| p))
        .filter_map(|p| {
            p.char_indices()
                .filter(|&(_, c)| c == '/')
                .map(|(i, _)| &p[..i])
                .find(|folder| is_path(folder))
                .map(|folder| (folder.to_string(), p.to_string()))
        })
        .min()
}

/// Write every file of `plan` kept in memory under the staging folder `dir`.
fn fill(
    plan: &OutputPlan,
    dir: &Path,
    recycled: bool,
    interrupted: &(dyn Fn() -> bool + Sync),
) -> Result<(), String> {
    // Folders are made on demand by the writing threads (creating ten
    // thousand event folders one by one first took as long as writing).
    let filler = Filler::new(dir.to_path_buf(), recycled);
    plan.files.par_iter().try_for_each(|(rel, bytes)| {
        if interrupted() {
            return Err(INTERRUPTED_MSG.to_string());
        }
        filler.put(rel, bytes)
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

    /// Write `files` to `out` (for the site at `root`), which must work.
    fn write_ok(root: &Path, out: &Path, files: &[(&str, &str)]) {
        write(&plan(files), root, out, WriteOptions::default()).unwrap();
    }

    #[test]
    fn a_filler_streams_files_into_new_folders_and_names_the_file_on_error() {
        let tmp = tempfile::tempdir().unwrap();
        let filler = Filler::new(tmp.path().to_path_buf(), false);
        assert!(filler.streams());
        let size = filler
            .put_streamed("a/b/data.json", |w| {
                w.write_all(b"[1,")?;
                w.write_all(b"2]\n")
            })
            .unwrap();
        assert_eq!(size, 6);
        assert_eq!(
            std::fs::read(tmp.path().join("a/b/data.json")).unwrap(),
            b"[1,2]\n"
        );
        filler.put("a/b/page.html", b"<p>").unwrap();
        assert_eq!(
            std::fs::read(tmp.path().join("a/b/page.html")).unwrap(),
            b"<p>"
        );
        let err = filler
            .put_streamed("a/c/broken.json", |_| {
                Err(std::io::Error::other("disk full"))
            })
            .unwrap_err();
        assert!(
            err.contains("broken.json") && err.contains("disk full"),
            "{err}"
        );
        assert!(!Filler::new(tmp.path().to_path_buf(), true).streams());
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
        write_ok(&root, &out, &[("a.html", "old")]);
        (t, root, out)
    }

    #[test]
    fn a_write_replaces_the_output_whole() {
        let (_t, root, out) = site();
        write_ok(&root, &out, &[("a.html", "1"), ("x/b.html", "2")]);
        write_ok(&root, &out, &[("c.html", "3")]);
        assert_eq!(names(&out), [MARKER, "c.html"]);
        assert_eq!(
            names(&root),
            [".public.spare", "public"],
            "no staging or old folder is left, only the spare"
        );
        assert_eq!(
            names(&spare_path(&root, "public")),
            [MARKER, ".gitignore", "a.html", "x"]
        );
    }

    /// Write `files` to a new folder and return its tree, relative.
    fn fresh_tree(files: &[(&str, &str)]) -> Vec<(PathBuf, Vec<u8>)> {
        let (_t, root, out) = site();
        write_ok(&root, &out, files);
        relative_tree(&out)
    }

    fn relative_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        tree(dir)
            .into_iter()
            .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_path_buf(), b))
            .collect()
    }

    /// Folders under `dir` with nothing in them.
    fn empty_folders(dir: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter(|e| std::fs::read_dir(e.path()).unwrap().next().is_none())
            .map(walkdir::DirEntry::into_path)
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn a_recycled_spare_ends_up_byte_identical_to_a_fresh_write() {
        let (_t, root, out) = site();
        let first: &[(&str, &str)] = &[
            ("a.html", "same"),
            ("grows.html", "short"),
            ("shrinks.html", "a much longer text"),
            ("changes.html", "abc"),
            ("gone.html", "x"),
            ("deep/er/gone.html", "x"),
            ("was-file", "x"),
            ("was-folder/index.html", "x"),
        ];
        let second: &[(&str, &str)] = &[("a.html", "same"), ("other.html", "y")];
        let third: &[(&str, &str)] = &[
            ("a.html", "same"),
            ("grows.html", "a longer text than before"),
            ("shrinks.html", "short"),
            ("changes.html", "xyz"),
            ("was-file/index.html", "now a folder"),
            ("was-folder", "now a file"),
            ("new/page.html", "new"),
        ];
        for files in [first, second, third] {
            write_ok(&root, &out, files);
        }
        assert_eq!(relative_tree(&out), fresh_tree(third));
        assert_eq!(empty_folders(&out), Vec::<PathBuf>::new());
        assert_eq!(names(&root), [".public.spare", "public"]);
        // The spare is now the second output, whole.
        let spare = spare_path(&root, "public");
        assert_eq!(
            names(&spare),
            [MARKER, ".gitignore", "a.html", "other.html"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_left_as_it_is_when_the_spare_is_recycled() {
        use std::os::unix::fs::MetadataExt as _;
        let (_t, root, out) = site();
        let files: &[(&str, &str)] = &[("a.html", "same"), ("b.html", "one")];
        write_ok(&root, &out, files);
        write_ok(&root, &out, files);
        // The spare now holds the first output; the third write takes it.
        let spare = spare_path(&root, "public");
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let (same, changed) = (inode(&spare.join("a.html")), inode(&spare.join("b.html")));
        let changed_bytes = plan(&[("a.html", "same"), ("b.html", "two")]);
        write(&changed_bytes, &root, &out, WriteOptions::default()).unwrap();
        assert_eq!(inode(&out.join("a.html")), same, "unchanged file kept");
        assert_eq!(
            inode(&out.join("b.html")),
            changed,
            "changed file overwritten in place"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "two");
    }

    #[cfg(unix)]
    #[test]
    fn links_in_a_recycled_spare_are_removed_not_followed() {
        let (t, root, out) = site();
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "keep me").unwrap();
        let files: &[(&str, &str)] = &[("a.html", "1")];
        write_ok(&root, &out, files);
        write_ok(&root, &out, files);
        let spare = spare_path(&root, "public");
        std::os::unix::fs::symlink(&outside, spare.join("x")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), spare.join("a.html.tmp")).unwrap();
        std::fs::remove_file(spare.join("a.html")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), spare.join("a.html")).unwrap();
        let new = plan(&[("a.html", "2"), ("x/index.html", "3")]);
        write(&new, &root, &out, WriteOptions::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(outside.join("index.html")).unwrap(),
            "keep me"
        );
        assert_eq!(names(&outside), ["index.html"]);
        assert_eq!(
            relative_tree(&out),
            fresh_tree(&[("a.html", "2"), ("x/index.html", "3")])
        );
        assert!(
            !std::fs::symlink_metadata(out.join("x"))
                .unwrap()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_without_the_marker_is_left_alone() {
        let (_t, root, out) = site();
        let spare = spare_path(&root, "public");
        std::fs::create_dir_all(&spare).unwrap();
        std::fs::write(spare.join("notes.txt"), "mine").unwrap();
        for n in ["1", "2", "3"] {
            write_ok(&root, &out, &[("a.html", n)]);
        }
        assert_eq!(names(&spare), ["notes.txt"]);
        assert_eq!(names(&root), [".public.spare", "public"]);
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "3");
    }

    #[cfg(unix)]
    #[test]
    fn a_failed_write_into_a_recycled_spare_leaves_the_previous_output() {
        let (_t, root, out) = site_with_output();
        write_ok(&root, &out, &[("a.html", "second")]);
        assert!(spare_path(&root, "public").is_dir());
        let before = tree(&out);
        let bad = plan(&[("a.html", "new"), ("x", "file"), ("x/y.html", "new")]);
        assert!(write(&bad, &root, &out, WriteOptions::default()).is_err());
        assert_eq!(tree(&out), before);
        assert_eq!(
            names(&root),
            ["public"],
            "the spare went with the failed staging folder"
        );
        // The next build starts from a new folder and works.
        write_ok(&root, &out, &[("b.html", "ok")]);
        assert_eq!(names(&out), [MARKER, "b.html"]);
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
        write_ok(&root, &out, &[("a.html", "1")]);
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
