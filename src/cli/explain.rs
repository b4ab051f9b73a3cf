//! `chapterhouse explain <rule-id>`.

use std::process::ExitCode;

use crate::cli::GlobalArgs;

/// Explain a guideline rule: what it checks, why, and how to comply
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse explain no-sales-pitch\n  chapterhouse explain            # list every rule"
)]
pub struct ExplainArgs {
    /// The rule id, e.g. `free-of-charge`; without it, every rule is listed
    pub rule: Option<String>,
}

impl ExplainArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let rules = crate::check::all();
        match &self.rule {
            None => {
                println!("Guideline rules (default severity in brackets):\n");
                for r in rules {
                    println!(
                        "  {:<28} [{}] {}",
                        r.id(),
                        r.default_severity().as_str(),
                        r.summary()
                    );
                }
                println!(
                    "\nRun `chapterhouse explain <rule>` for details; change a severity in site.yaml under `rules:`."
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(id) => match crate::check::find(id) {
                Some(r) => {
                    println!("{} (default: {})\n", r.id(), r.default_severity().as_str());
                    println!("Breaks when {}.\n", r.summary());
                    println!("{}\n", r.explain());
                    println!(
                        "To change its severity, add to site.yaml:\n\n  rules:\n    {}: warning   # error, warning, note or off",
                        r.id()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
                    let hint = crate::source::yaml::did_you_mean(id, &ids)
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default();
                    anyhow::bail!("no rule `{id}`.{hint} The rules are: {}", ids.join(", "))
                }
            },
        }
    }
}
