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

/// Ask a running write to stop before it swaps (called from a Ctrl-C handler).
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
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
fn is_safe_rel(rel: &str) -> bool {
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

/// Write `plan` to `out` atomically (see the module docs).
pub fn write(
    plan: &OutputPlan,
    root: &Path,
    out: &Path,
    opts: WriteOptions,
) -> Result<WriteStats, String> {
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
    for rel in plan.files.keys() {
        if !is_safe_rel(rel) {
            return Err(format!(
                "refusing to write `{rel}`: it would land outside the output folder"
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

    // Create folders first (sequentially, sorted), then write files in parallel.
    let mut dirs: Vec<PathBuf> = plan
        .files
        .keys()
        .filter_map(|k| Path::new(k).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(dir.join(d))
            .map_err(|e| format!("cannot create {}: {e}", dir.join(d).display()))?;
    }
    plan.files.par_iter().try_for_each(|(rel, bytes)| {
        if interrupted() {
            return Err("interrupted".to_string());
        }
        let path = dir.join(rel);
        let mut f = std::fs::File::create(&path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        f.write_all(bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    })?;
    std::fs::write(
        dir.join(MARKER),
        "This folder is written by chapterhouse; a build replaces it whole.\n",
    )
    .map_err(|e| format!("cannot write the marker file: {e}"))?;
    if interrupted() {
        return Err("interrupted".into());
    }

    // Swap: old output aside, staging in, old output removed.
    let staged = staging.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)
            .map_err(|e| format!("cannot prepare the swap in {}: {e}", parent.display()))?
            .keep();
        // `old` exists as an empty dir; rename needs it gone (or empty on Unix).
        let _ = std::fs::remove_dir(&old);
        if let Err(e) = std::fs::rename(&out, &old) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(format!("cannot move the previous output aside: {e}"));
        }
        if let Err(e) = std::fs::rename(&staged, &out) {
            // Put the previous output back.
            let _ = std::fs::rename(&old, &out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(format!("cannot move the new output into place: {e}"));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(e) = std::fs::rename(&staged, &out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(format!("cannot move the new output into place: {e}"));
    }
    Ok(WriteStats {
        files: plan.files.len(),
        bytes: plan.total_bytes(),
    })
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
