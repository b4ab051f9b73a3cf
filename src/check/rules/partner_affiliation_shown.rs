//! `partner-affiliation-shown`: partner and vendor speakers and authors name their company.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Affiliation, Author, Site, Speaker};
use crate::source::yaml::Seg;

pub struct PartnerAffiliationShown;

/// A partner or vendor with no company (or a blank one) breaks the rule.
fn hides_company(p: &Speaker) -> bool {
    matches!(p.affiliation, Affiliation::Partner | Affiliation::Vendor)
        && p.company.as_deref().is_none_or(|c| c.trim().is_empty())
}

impl Rule for PartnerAffiliationShown {
    fn id(&self) -> &'static str {
        "partner-affiliation-shown"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a talk speaker or guide author with affiliation partner or vendor has no company"
    }
    fn explain(&self) -> &'static str {
        "Attendees deserve to know when a speaker or author has a commercial interest in what they \
present. Partner and vendor contributions are welcome, and showing the company they work for is \
what keeps them honest and the group's trust intact: the page then shows a visible partner \
badge next to their name.\n\n\
To comply, add `company: <company name>` to the speaker of the talk (in the event file) or to \
the `author` of the guide."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        for e in &site.events {
            for (i, t) in e.talks.iter().enumerate() {
                if !hides_company(&t.speaker) {
                    continue;
                }
                out.at(
                    site.span(
                        e.file,
                        &[Seg::key("talks"), Seg::Index(i), Seg::key("speaker"), Seg::key("affiliation")],
                    ),
                    format!(
                        "{} speaks on “{}” as a {} but no `company` is given; the guideline is that partner and vendor speakers show who they work for",
                        t.speaker.name,
                        t.title,
                        t.speaker.affiliation.as_str()
                    ),
                )
                .with_help("add `company: <company name>` under `speaker:`, next to `affiliation:`");
            }
        }
        for g in &site.guides {
            let Some(Author::Person(p)) = &g.author else {
                continue;
            };
            if !hides_company(p) {
                continue;
            }
            out.at(
                site.span(g.file, &[Seg::key("author"), Seg::key("affiliation")]),
                format!(
                    "the author {} is a {} but no `company` is given; the guideline is that partner and vendor authors show who they work for",
                    p.name,
                    p.affiliation.as_str()
                ),
            )
            .with_help("add `company: <company name>` under `author:`, next to `affiliation:`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn speakers_and_authors_without_company_are_flagged() {
        let talk = "talks:\n  - title: T\n    reviewed_by: ann\n    speaker:\n      name: Vic\n      affiliation: partner\n";
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", talk)
            .guide("g", "author:\n  name: Pat\n  affiliation: vendor")
            .build();
        let f = findings(&site, "partner-affiliation-shown");
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|f| f.path.ends_with("x.md") && f.line == 10));
        assert!(f.iter().any(|f| f.path.ends_with("g.md") && f.line == 6));
        assert!(f.iter().all(|f| f.help.contains("company: <company name>")));
    }

    #[test]
    fn a_blank_company_counts_as_none() {
        let talk = "talks:\n  - title: T\n    reviewed_by: ann\n    speaker:\n      name: Vic\n      company: \" \"\n      affiliation: vendor\n";
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", talk)
            .build();
        assert_eq!(findings(&site, "partner-affiliation-shown").len(), 1);
    }

    #[test]
    fn a_company_or_a_user_or_employee_affiliation_passes() {
        let talk = "talks:\n  - title: T\n    reviewed_by: ann\n    speaker:\n      name: Vic\n      company: Acme\n      affiliation: partner\n  - title: U\n    speaker:\n      name: Una\n      affiliation: employee\n";
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", talk)
            .guide("g", "author:\n  name: Pat\n  affiliation: user")
            .guide("h", "author: ann")
            .build();
        assert!(findings(&site, "partner-affiliation-shown").is_empty());
    }
}
