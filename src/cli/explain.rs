//! `chapterhouse explain <rule-id>`.
#![allow(clippy::print_stdout)] // `cli` is the one place that prints

use std::process::ExitCode;

use crate::check::Rule;
use crate::cli::GlobalArgs;

/// Explain a guideline rule: what it checks, why, and how to comply
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  chapterhouse explain no-sales-pitch\n  chapterhouse explain            # list every rule\n\nExit code 2 for a rule id that does not exist."
)]
pub struct ExplainArgs {
    /// The rule id, e.g. `free-of-charge`; without it, every rule is listed
    pub rule: Option<String>,
}

/// Text width of the explanation (independent of the terminal, so the
/// output is the same everywhere).
const WIDTH: usize = 80;

fn wrap(text: &str) -> String {
    text.split("\n\n")
        .map(|p| textwrap::fill(p, WIDTH))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The whole text of `explain <rule>`.
pub fn explanation(r: &dyn Rule) -> String {
    format!(
        "{id} (default severity: {sev})\n\n{breaks}\n\n{why}\n\nTo change its severity, add to site.yaml:\n\n  rules:\n    {id}: warning   # error, warning, note or off\n",
        id = r.id(),
        sev = r.default_severity().as_str(),
        breaks = wrap(&format!("Breaks when {}.", r.summary())),
        why = wrap(r.explain()),
    )
}

/// The list printed by `explain` without a rule id.
pub fn listing() -> String {
    let mut s = String::from("Guideline rules (default severity in brackets):\n\n");
    for r in crate::check::all() {
        s.push_str(&format!(
            "  {:<27} [{}]\n",
            r.id(),
            r.default_severity().as_str()
        ));
        let summary = textwrap::fill(
            r.summary(),
            textwrap::Options::new(WIDTH)
                .initial_indent("      ")
                .subsequent_indent("      "),
        );
        s.push_str(&summary);
        s.push('\n');
    }
    s.push_str(
        "\nRun `chapterhouse explain <rule>` for the guideline behind a rule and how to comply;\nchange a severity in site.yaml under `rules:`.\n",
    );
    s
}

impl ExplainArgs {
    pub fn run(&self, _g: &GlobalArgs) -> anyhow::Result<ExitCode> {
        let Some(id) = &self.rule else {
            print!("{}", listing());
            return Ok(ExitCode::SUCCESS);
        };
        match crate::check::find(id) {
            Some(r) => {
                print!("{}", explanation(r));
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let ids: Vec<&str> = crate::check::all().iter().map(|r| r.id()).collect();
                let hint = crate::source::yaml::did_you_mean(id, &ids)
                    .map(|s| format!(" Did you mean `{s}`?"))
                    .unwrap_or_default();
                anyhow::bail!("no rule `{id}`.{hint} The rules are: {}", ids.join(", "))
            }
        }
    }
}
