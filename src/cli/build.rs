//! `chapterhouse build`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};

use crate::cli::{EXIT_CONTENT, GlobalArgs, SiteArgs, print_diagnostics};
use crate::diag::Diagnostics;
use crate::pipeline::{self, Loaded};
use crate::write::{self, WriteOptions};

/// Build the site into a folder (all or nothing)
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse build\n  chapterhouse build --root site --output /tmp/out --base-url https://preview.example.org/ --today 2026-11-22\n\nNothing is written when an error remains; the previous output stays as it was."
)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: <root>/public]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Serve the site from this address instead of site.yaml's base_url
    #[arg(long)]
    pub base_url: Option<String>,
    /// Replace an existing output folder that chapterhouse did not create
    #[arg(long)]
    pub force: bool,
}

impl BuildArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let started = Instant::now();
        let opts = self.site.options(self.base_url.as_deref())?;
        let _ = ctrlc::set_handler(write::interrupt);
        let mut diags = Diagnostics::new();
        let progress = spinner(g, "reading and checking the content".into());
        let loaded = pipeline::load(&opts, &mut diags)?;
        progress.set_message("rendering pages and feeds");
        let out = self.output_dir();
        let opts_w = WriteOptions { force: self.force };
        let (plan, staging) = match &loaded {
            // Clean content: render straight into a staging folder beside
            // the output (refused output folders are reported first).
            Loaded::Site(site) if !diags.has_errors() => {
                let staging =
                    write::prepare(&opts.root, &out, opts_w).map_err(anyhow::Error::msg)?;
                let spill = std::sync::Arc::new(staging.spill());
                (
                    pipeline::render_spilling(site, &mut diags, spill),
                    Some(staging),
                )
            }
            // Content errors: render in memory only, to report template errors too.
            Loaded::Site(site) => (pipeline::render(site, &mut diags), None),
            Loaded::Broken(_) => (None, None),
        };
        progress.finish_and_clear();
        diags.sort(loaded.sources());
        print_diagnostics(&diags, loaded.sources(), g);
        let (plan, staging) = match (plan, staging) {
            (Some(p), Some(s)) if !diags.has_errors() => (p, s),
            _ => {
                eprintln!(
                    "build failed: {}; nothing was written{}",
                    crate::diag::render::counts(&diags),
                    if self.output_dir().exists() {
                        " (the previous output is unchanged)"
                    } else {
                        ""
                    }
                );
                return Ok(ExitCode::from(EXIT_CONTENT));
            }
        };
        let progress = spinner(g, format!("writing {}", out.display()));
        let stats = write::commit(staging, &plan).map_err(anyhow::Error::msg);
        progress.finish_and_clear();
        let stats = stats?;
        if !g.quiet {
            let warn = diags.count(crate::diag::Severity::Warning)
                + diags.count(crate::diag::Severity::Note);
            eprintln!(
                "built {} pages and {} feeds ({} files, {:.1} MB) into {} in {:.2}s{}",
                plan.pages(),
                plan.feeds(),
                stats.files,
                stats.bytes as f64 / 1_000_000.0,
                out.display(),
                started.elapsed().as_secs_f64(),
                if warn > 0 {
                    format!(" with {}", crate::diag::render::counts(&diags))
                } else {
                    String::new()
                }
            );
        }
        // The process ends here: freeing every event, page and source
        // one by one would only keep it busy on one core (tens of ms at
        // 50,000 events). The system takes the memory back at exit.
        std::mem::forget((loaded, plan));
        Ok(ExitCode::SUCCESS)
    }

    fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| pipeline::default_output(&self.site.root))
    }
}

/// A spinner naming the stage, on a terminal only: hidden in CI, when
/// stderr is piped and with `--quiet`.
fn spinner(g: &GlobalArgs, message: String) -> ProgressBar {
    let show = !g.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !show {
        return ProgressBar::hidden();
    }
    // Cleared on drop too, so an early `?` leaves no spinner line behind.
    let bar = ProgressBar::new_spinner()
        .with_message(message)
        .with_finish(ProgressFinish::AndClear);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
