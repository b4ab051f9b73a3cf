use std::process::ExitCode;

use chapterhouse::cli::{Cli, Command};
use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the position in `mi_option_e` of
/// `mimalloc.h`, the same in its v2 and v3; the Rust bindings name only
/// some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        keep_freed_memory();
    }
    match cli.run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(chapterhouse::cli::EXIT_USAGE)
        }
    }
}

/// A one-shot command (a build, a check) frees and reallocates pages all
/// through its run and exits soon after. By default mimalloc hands freed
/// memory back to the system after 10 ms, and the next allocation faults
/// it in again: 5 % of a 10,000-event build (docs/benchmark.md). Keep it
/// instead; `serve` runs for hours and keeps the default, so its memory
/// shrinks after a rebuild.
///
/// And on Linux, no transparent huge pages: mimalloc asks for them, and
/// each first touch of a 2 MB page then zeroes all of it, in one go and
/// whether or not the rest is used; with 4 KB pages a 50,000-event build
/// (on tmpfs) peaks 80 MB lower and takes 4 % less time.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: sets one integer option; mimalloc reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1)` takes integers and only sets
    // a flag of this process; a failure (an old kernel) changes nothing.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
