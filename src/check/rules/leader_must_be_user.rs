//! `leader-must-be-user`: chapter leaders are users, not the vendor's staff.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Affiliation, Site};
use crate::source::yaml::Seg;

pub struct LeaderMustBeUser;

impl Rule for LeaderMustBeUser {
    fn id(&self) -> &'static str {
        "leader-must-be-user"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a chapter lists a leader whose affiliation is employee, partner or contractor"
    }
    fn explain(&self) -> &'static str {
        "User groups are run by the people who use the product, for each other. A leader who works \
for the vendor, or for one of its partners or contractors, turns a peer community into a \
company channel, however good the intentions. Employees, partners and contractors are welcome \
as speakers, hosts and guests, but they do not lead a chapter.\n\n\
To comply, list only leaders whose profile in `content/leaders/` says `affiliation: user`. If a \
leader changed jobs, update the profile; if a chapter needs a new leader, ask an active member \
to step up and add a profile for them."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let org = &site.config.organization;
        for c in &site.chapters {
            for (i, id) in c.leader_ids.iter().enumerate() {
                let Some(l) = site.leader(id) else { continue };
                if !matches!(
                    l.affiliation,
                    Affiliation::Employee | Affiliation::Partner | Affiliation::Contractor
                ) {
                    continue;
                }
                let company = l
                    .company
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default();
                out.at(
                    site.span(c.file, &[Seg::key("leaders"), Seg::Index(i)]),
                    format!(
                        "leader `{id}` ({}{company}) has `affiliation: {}` in `content/leaders/{id}.md`; the guideline is that chapters are led by users of {org}, not its employees, partners or contractors",
                        l.name,
                        l.affiliation.as_str(),
                    ),
                )
                .with_help(format!(
                    "remove `{id}` from `leaders:` and ask a member who uses {org} to lead ({} can still speak or host); if {} is now a user, set `affiliation: user` in their profile",
                    l.name, l.name
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn flags_employee_partner_and_contractor_leaders_at_their_line() {
        for aff in ["employee", "partner", "contractor"] {
            let site = SiteBuilder::new()
                .leader("bo", &format!("name: Bo\naffiliation: {aff}\ncompany: X"))
                .chapter("rome", "leaders:\n  - ann\n  - bo")
                .build();
            let f = findings(&site, "leader-must-be-user");
            assert_eq!(f.len(), 1, "{aff}");
            assert_eq!(f[0].path, "content/chapters/rome/chapter.yaml");
            assert_eq!(f[0].line, 6, "points at `- bo`");
            assert!(f[0].message.contains("`bo`"));
            assert!(
                f[0].message.contains(&format!("`affiliation: {aff}`")),
                "{}",
                f[0].message
            );
            assert!(
                f[0].help.contains("remove `bo` from `leaders:`"),
                "{}",
                f[0].help
            );
        }
    }

    #[test]
    fn every_chapter_listing_the_leader_is_flagged() {
        let site = SiteBuilder::new()
            .leader("bo", "name: Bo\naffiliation: employee")
            .chapter("rome", "leaders:\n  - bo\n  - ann")
            .chapter("oslo", "leaders:\n  - ann\n  - bo")
            .build();
        let f = findings(&site, "leader-must-be-user");
        assert_eq!(f.len(), 2);
        assert!(f.iter().any(|f| f.path.contains("rome") && f.line == 5));
        assert!(f.iter().any(|f| f.path.contains("oslo") && f.line == 6));
    }

    #[test]
    fn users_pass() {
        let site = SiteBuilder::new()
            .leader("bo", "name: Bo\naffiliation: user\ncompany: Acme")
            .chapter("rome", "leaders:\n  - ann\n  - bo")
            .build();
        assert!(findings(&site, "leader-must-be-user").is_empty());
    }
}
