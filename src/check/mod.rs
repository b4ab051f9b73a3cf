//! Stage 4, CHECK: `&Site` -> diagnostics, one per guideline finding.
//!
//! Each guideline rule is one file under `check/rules/`, named for its id,
//! holding its id, default severity, explanation, the check itself and its
//! tests. The `register!` list below is the only other place a rule is
//! named; a test fails for any file in `rules/` that is not listed.
//! Checks never do I/O and never format text for a terminal.

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Severity, Span};
use crate::model::Site;

/// The level a rule runs at, after `site.yaml` overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim() {
            "off" => Some(Level::Off),
            "note" => Some(Level::On(Severity::Note)),
            "warning" => Some(Level::On(Severity::Warning)),
            "error" => Some(Level::On(Severity::Error)),
            _ => None,
        }
    }
}

/// One guideline rule.
pub trait Rule: Sync {
    /// The stable kebab-case id from the content model.
    fn id(&self) -> &'static str;
    fn default_severity(&self) -> Severity;
    /// One line: what breaks the rule.
    fn summary(&self) -> &'static str;
    /// The guideline behind the rule and how to comply, for `explain`.
    fn explain(&self) -> &'static str;
    fn check(&self, site: &Site, out: &mut Findings<'_>);
}

/// Collects one rule's findings, stamping its id and effective severity.
pub struct Findings<'a> {
    rule: &'static str,
    severity: Severity,
    pub site: &'a Site,
    items: Vec<Diagnostic>,
}

impl<'a> Findings<'a> {
    pub fn new(rule: &'static str, severity: Severity, site: &'a Site) -> Self {
        Findings {
            rule,
            severity,
            site,
            items: Vec::new(),
        }
    }
    /// Report a finding at `span`; chain `.with_help(…)` on the result.
    pub fn at(&mut self, span: Span, message: impl Into<String>) -> FindingMut<'_> {
        let mut d = Diagnostic::error(self.rule, message).with_span(span);
        d.severity = self.severity;
        self.items.push(d);
        FindingMut(self.items.last_mut().expect("just pushed"))
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// A finding just reported, to add help or a label to.
pub struct FindingMut<'f>(&'f mut Diagnostic);

impl FindingMut<'_> {
    /// What to write instead.
    pub fn with_help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }
    pub fn with_label(self, label: impl Into<String>) -> Self {
        self.0.label = Some(label.into());
        self
    }
}

macro_rules! register {
    ($($rule:ident => $ty:ident),+ $(,)?) => {
        /// One module per rule id.
        pub mod rules {
            $(pub mod $rule;)+
        }
        /// Every registered rule, in the order of the content model's table.
        pub fn all() -> Vec<&'static dyn Rule> {
            vec![$(&rules::$rule::$ty as &'static dyn Rule),+]
        }
        #[cfg(test)]
        const REGISTERED_FILES: &[&str] = &[$(stringify!($rule)),+];
    };
}

register! {
    leader_must_be_user => LeaderMustBeUser,
    registration_official => RegistrationOfficial,
    no_sales_pitch => NoSalesPitch,
    partner_affiliation_shown => PartnerAffiliationShown,
    free_of_charge => FreeOfCharge,
    chapter_active => ChapterActive,
    four_meetings_a_year => FourMeetingsAYear,
    co_leader_encouraged => CoLeaderEncouraged,
}

/// Find a rule by id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| r.id() == id)
}

/// The effective level of each rule after `site.yaml` `rules:`; bad
/// overrides are reported as content errors.
pub fn levels(site: &Site, diags: &mut Diagnostics) -> Vec<(&'static dyn Rule, Level)> {
    let rules = all();
    let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
    for (id, (level, span)) in &site.config.rules {
        if !ids.contains(&id.as_str()) {
            let help = match crate::source::yaml::did_you_mean(id, &ids) {
                Some(s) => format!("did you mean `{s}`? The rules are {}", ids.join(", ")),
                None => format!("the rules are {}", ids.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    "content/unknown-rule",
                    format!("unknown rule `{id}` in `rules`"),
                )
                .with_span(span.clone())
                .with_help(help),
            );
        } else if Level::parse(level).is_none() {
            let message = if level.is_empty() {
                format!("`{id}` in `rules` has no severity")
            } else {
                format!("`{level}` is not a severity for `{id}`")
            };
            diags.push(
                Diagnostic::error("content/invalid-value", message)
                    .with_span(span.clone())
                    .with_help(format!(
                        "write one of `error`, `warning`, `note` or `off`, like `{id}: warning`"
                    )),
            );
        }
    }
    rules
        .into_iter()
        .map(|r| {
            let level = site
                .config
                .rules
                .get(r.id())
                .and_then(|(l, _)| Level::parse(l))
                .unwrap_or(Level::On(r.default_severity()));
            (r, level)
        })
        .collect()
}

/// Run every rule that is not off.
pub fn run_all(site: &Site, diags: &mut Diagnostics) {
    let on: Vec<(&'static dyn Rule, Severity)> = levels(site, diags)
        .into_iter()
        .filter_map(|(rule, level)| match level {
            Level::On(severity) => Some((rule, severity)),
            _ => None,
        })
        .collect();
    // The rules read the site and nothing else: they run side by side,
    // and their findings are reported in the rules' order.
    let found: Vec<Vec<Diagnostic>> = on
        .into_par_iter()
        .map(|(rule, severity)| {
            let mut f = Findings::new(rule.id(), severity, site);
            rule.check(site, &mut f);
            f.into_vec()
        })
        .collect();
    for d in found.into_iter().flatten() {
        diags.push(d);
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_is_registered_and_every_id_is_well_formed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/rules");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            assert!(
                REGISTERED_FILES.contains(&stem),
                "register `{stem}` in check/mod.rs"
            );
        }
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id()), "duplicate rule id {}", r.id());
            assert!(
                crate::source::is_valid_id(r.id()),
                "{} is not kebab-case",
                r.id()
            );
            assert!(
                REGISTERED_FILES.contains(&r.id().replace('-', "_").as_str()),
                "file name of {} must be its id",
                r.id()
            );
            assert!(r.explain().len() > 80, "{} needs an explanation", r.id());
            assert!(!r.summary().is_empty());
        }
        assert_eq!(all().len(), 8);
    }

    fn run(site: &Site) -> Vec<Diagnostic> {
        let mut d = Diagnostics::new();
        run_all(site, &mut d);
        d.into_vec()
    }

    /// A site breaking `free-of-charge` (error) and `co-leader-encouraged` (note).
    fn breaking(rules: &str) -> Site {
        testing::SiteBuilder::new()
            .site_yaml(rules)
            .chapter("rome", "leaders:\n  - ann\nfounded: 2026-05-01")
            .event("rome", "2026-05-10-x", "price: 5")
            .build()
    }

    #[test]
    fn default_severities_come_from_the_rule() {
        let d = run(&breaking(""));
        let sev = |code: &str| d.iter().find(|d| d.code == code).map(|d| d.severity);
        assert_eq!(sev("free-of-charge"), Some(Severity::Error));
        assert_eq!(sev("co-leader-encouraged"), Some(Severity::Note));
        assert_eq!(d.len(), 2, "{d:#?}");
    }

    #[test]
    fn site_yaml_overrides_severity_and_off_silences_a_rule() {
        let d = run(&breaking(
            "rules:\n  free-of-charge: warning\n  co-leader-encouraged: off\n",
        ));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, "free-of-charge");
        assert_eq!(d[0].severity, Severity::Warning);
        let d = run(&breaking("rules:\n  co-leader-encouraged: error\n"));
        assert!(
            d.iter()
                .any(|d| d.code == "co-leader-encouraged" && d.severity == Severity::Error)
        );
    }

    #[test]
    fn an_unknown_rule_id_or_severity_is_a_content_error_at_its_line() {
        let site = breaking("rules:\n  free-of-charg: off\n  co-leader-encouraged: loud\n");
        let mut d = Diagnostics::new();
        let lv = levels(&site, &mut d);
        let d = d.into_vec();
        assert_eq!(d.len(), 2, "{d:#?}");
        let unknown = d.iter().find(|d| d.code == "content/unknown-rule").unwrap();
        assert_eq!(unknown.severity, Severity::Error);
        assert!(
            unknown
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `free-of-charge`")
        );
        let file = site.sources.get(unknown.span.as_ref().unwrap().file);
        let at = unknown.span.as_ref().unwrap().range.clone().unwrap().start;
        assert_eq!((file.path.as_str(), file.line_col(at).0), ("site.yaml", 7));
        let bad = d
            .iter()
            .find(|d| d.code == "content/invalid-value")
            .unwrap();
        assert!(bad.message.contains("`loud`"));
        // An empty or list value is reported too, and an unknown id with it.
        let site = breaking("rules:\n  free-of-chrge:\n  chapter-active: [warning]\n");
        let mut d = Diagnostics::new();
        levels(&site, &mut d);
        let d = d.into_vec();
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().any(|d| d.code == "content/unknown-rule"));
        assert!(
            d.iter()
                .any(|d| d.message == "`chapter-active` in `rules` has no severity")
        );
        // Neither bad entry changes a level.
        for (r, l) in lv {
            assert_eq!(l, Level::On(r.default_severity()), "{}", r.id());
        }
    }
}
