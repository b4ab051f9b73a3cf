//! `chapterhouse serve`.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;

use crate::cli::{EXIT_USAGE, GlobalArgs, SiteArgs};
use crate::serve::rebuild::BuildKind;
use crate::serve::{ServeError, ServeEvent, ServeOptions, WatcherKind};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum WatcherArg {
    /// The operating system's file events
    Native,
    /// Scan for changes every --poll-interval (network shares, Docker, WSL)
    Poll,
}

/// Preview the site with live reload
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse serve\n  chapterhouse serve --port 8080 --open\n  chapterhouse serve --watcher poll      # on a network share, in Docker or WSL\n\nThe site is built in memory with the local address as its base URL; public/ is never touched.\nSave a file and open pages reload; when the content has errors the browser shows them over the\nlast good build. Ctrl-C stops the server."
)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on (0: any free port)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to bind; keep the default to stay on this machine
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in a browser
    #[arg(long)]
    pub open: bool,
    /// How to notice changed files
    #[arg(long, value_enum, default_value_t = WatcherArg::Native)]
    pub watcher: WatcherArg,
    /// Milliseconds between scans with --watcher poll
    #[arg(long, default_value_t = 500, value_name = "MS")]
    pub poll_interval: u64,
}

impl ServeArgs {
    pub fn run(&self, g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let bind: IpAddr = self.bind.parse().map_err(|_| {
            anyhow::anyhow!(
                "--bind `{}` is not an IP address; use `127.0.0.1` (this machine) or `0.0.0.0` (every interface)",
                self.bind
            )
        })?;
        let opts = ServeOptions {
            root: self.site.root.clone(),
            today: self.site.today,
            bind,
            port: self.port,
            watcher: match self.watcher {
                WatcherArg::Native => WatcherKind::Native,
                WatcherArg::Poll => WatcherKind::Poll,
            },
            poll_interval: Duration::from_millis(self.poll_interval.max(50)),
            human: g.human(),
        };
        let mut printer = Printer {
            quiet: g.quiet,
            open: self.open,
            shown: String::new(),
        };
        match crate::serve::serve(opts, move |e| printer.print(e)) {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e @ (ServeError::PortInUse(_) | ServeError::Bind(..))) => {
                eprintln!("error: {e}");
                Ok(ExitCode::from(EXIT_USAGE))
            }
            Err(e) => Err(e.into()),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// Prints what `serve` reports. The same diagnostics after every rebuild
/// would bury the one that changed, so they are printed when they differ
/// from the last ones shown.
struct Printer {
    quiet: bool,
    open: bool,
    shown: String,
}

impl Printer {
    fn print(&mut self, e: ServeEvent) {
        let quiet = self.quiet;
        match e {
            ServeEvent::Built(r) => {
                let preview = r.kind == BuildKind::Preview;
                // A good preview's notes and warnings are a part of the whole
                // build's, which follows at once.
                if r.diagnostics != self.shown && !(preview && r.ok) {
                    eprint!("{}", r.diagnostics);
                    self.shown = r.diagnostics.clone();
                }
                let what = if r.changed.is_empty() {
                    "built".to_string()
                } else {
                    let mut names = r
                        .changed
                        .iter()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ");
                    if r.changed.len() > 3 {
                        names.push_str(&format!(" and {} more", r.changed.len() - 3));
                    }
                    format!(
                        "{names} changed: {}",
                        if preview { "updated" } else { "rebuilt" }
                    )
                };
                if r.ok {
                    if !quiet {
                        if preview {
                            eprintln!(
                                "{what} {} pages of the chapter in {}; rebuilding the rest",
                                r.pages,
                                ms(r.took)
                            );
                        } else {
                            eprintln!(
                                "{what} {} pages and {} feeds in {}",
                                r.pages,
                                r.feeds,
                                ms(r.took)
                            );
                        }
                    }
                } else {
                    let serving = if r.changed.is_empty() {
                        "there is no good build to show yet"
                    } else {
                        "still serving the last good build"
                    };
                    eprintln!(
                        "{what} with {} in {}: {serving}; the browser shows the problems until they are fixed",
                        r.counts,
                        ms(r.took)
                    );
                }
            }
            ServeEvent::Listening { url, watcher } => {
                let how = match watcher {
                    WatcherKind::Native => "",
                    WatcherKind::Poll => " (polling for changes)",
                };
                // Always printed, even with --quiet: it is the one thing to know.
                eprintln!("serving at {url}{how}; press Ctrl-C to stop");
                if self.open {
                    open_browser(&url);
                }
            }
            ServeEvent::PollFallback { reason } => {
                eprintln!(
                    "warning: file events are not available ({reason}); polling for changes instead"
                );
            }
            ServeEvent::WatchProblem(m) => eprintln!("warning: watching for changes: {m}"),
            ServeEvent::Stopping => {
                if !quiet {
                    eprintln!("stopping");
                }
            }
        }
    }
}

/// Open `url` with the desktop's opener. Three platform commands are
/// simpler than a crate for this one call; a failure only prints a note.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if cmd.spawn().is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}
