//! The disk's floor under a build: how long this machine takes to create a
//! build's output tree, with nothing computed.
//!
//! ```text
//! cargo run --release --example io-floor -- BUILT OUT
//! ```
//!
//! Lists the folders and files of `BUILT` (the output of an earlier
//! `chapterhouse build`), then, on as many threads as the machine has
//! cores (as the build uses), creates the same folders under `OUT` and
//! writes each file with the same number of bytes, in one write, as the
//! build writes them. It reads none of the files: what it times is only
//! what the kernel and the file system charge for the output (new
//! folders, new files, new page-cache pages), which no generator that
//! writes the same URLs can go below. `OUT` must not exist. Prints the
//! entries created and the seconds taken. A benchmark aid
//! (benches/bench.sh runs it beside each build size), not a test.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// One entry of the tree, relative to its root, in walk order (a folder
/// before what it holds).
enum Entry {
    Folder(PathBuf),
    File(PathBuf, usize),
}

/// Entries a thread takes at a time: large enough that threads rarely
/// meet on a counter, small enough that they finish together.
const BATCH: usize = 256;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [built, out] = &args[..] else {
        eprintln!("usage: io-floor BUILT OUT");
        std::process::exit(2);
    };
    if out.exists() {
        eprintln!("io-floor: {} exists; give a new folder", out.display());
        std::process::exit(2);
    }
    let entries = match list(built) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("io-floor: {e}");
            std::process::exit(2);
        }
    };
    let largest = entries
        .iter()
        .filter_map(|e| match e {
            Entry::File(_, len) => Some(*len),
            Entry::Folder(_) => None,
        })
        .max()
        .unwrap_or(0);
    // The bytes every file is cut from, made before the clock starts.
    let filler = vec![b'x'; largest];
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());

    let start = Instant::now();
    if let Err(e) = replay(&entries, out, &filler, threads) {
        eprintln!("io-floor: {e}");
        std::process::exit(1);
    }
    println!(
        "{} entries on {threads} threads in {:.3} s",
        entries.len(),
        start.elapsed().as_secs_f64()
    );
}

fn list(built: &Path) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(built).min_depth(1) {
        let entry = entry.map_err(|e| e.to_string())?;
        let relative = entry
            .path()
            .strip_prefix(built)
            .map_err(|e| e.to_string())?
            .to_path_buf();
        if entry.file_type().is_dir() {
            entries.push(Entry::Folder(relative));
        } else {
            let len = entry.metadata().map_err(|e| e.to_string())?.len();
            entries.push(Entry::File(relative, len as usize));
        }
    }
    Ok(entries)
}

/// Create every entry under `out`, the threads taking batches in walk
/// order. A file whose folder another thread has not made yet makes it
/// (and its parents) itself, so no thread waits on another.
fn replay(entries: &[Entry], out: &Path, filler: &[u8], threads: usize) -> Result<(), String> {
    fs::create_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    loop {
                        let first = next.fetch_add(BATCH, Ordering::Relaxed);
                        let Some(batch) = entries.get(first..(first + BATCH).min(entries.len()))
                        else {
                            return Ok(());
                        };
                        for entry in batch {
                            create(entry, out, filler)?;
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("an io-floor thread panicked"))
    })
}

fn create(entry: &Entry, out: &Path, filler: &[u8]) -> Result<(), String> {
    match entry {
        Entry::Folder(relative) => {
            // One mkdir, as the build makes it; its parents only when they
            // are another thread's and not made yet.
            let path = out.join(relative);
            fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))
        }
        Entry::File(relative, len) => {
            let path = out.join(relative);
            let mut file = match File::create(&path) {
                Ok(file) => file,
                Err(_) => {
                    if let Some(parent) = path.parent() {
                        fs::create_dir_all(parent)
                            .map_err(|e| format!("{}: {e}", parent.display()))?;
                    }
                    File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?
                }
            };
            file.write_all(&filler[..*len])
                .map_err(|e| format!("{}: {e}", path.display()))
        }
    }
}
