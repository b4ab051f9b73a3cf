//! `co-leader-encouraged`: a chapter with exactly one leader.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::Site;
use crate::source::yaml::Seg;

pub struct CoLeaderEncouraged;

impl Rule for CoLeaderEncouraged {
    fn id(&self) -> &'static str {
        "co-leader-encouraged"
    }
    fn default_severity(&self) -> Severity {
        Severity::Note
    }
    fn summary(&self) -> &'static str {
        "a chapter has exactly one leader"
    }
    fn explain(&self) -> &'static str {
        "Chapters run better with two or more leaders. Co-leaders share the work of finding venues, \
speakers and sponsors, keep the group going when one of them is busy or moves away, and bring \
different contacts and ideas. A chapter with a single leader is one job change away from going \
quiet.\n\n\
To comply, invite an engaged member who uses the product to co-lead: add a profile for them \
under `content/leaders/` (with `affiliation: user`) and their id under `leaders:` in \
`chapter.yaml`."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        for c in site.chapters.iter().filter(|c| c.leader_ids.len() == 1) {
            out.at(
                site.span(c.file, &[Seg::key("leaders")]),
                format!(
                    "{} has one leader (`{}`); the guideline encourages co-leaders who share the work and keep the chapter going",
                    c.name, c.leader_ids[0]
                ),
            )
            .with_help(
                "invite a member to co-lead: add their profile under `content/leaders/` and their id under `leaders:`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn one_leader_gets_a_note_at_leaders() {
        let site = SiteBuilder::new()
            .chapter("rome", "leaders:\n  - ann")
            .build();
        let f = findings(&site, "co-leader-encouraged");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 4);
        assert!(f[0].message.contains("`ann`"), "{}", f[0].message);
        assert!(f[0].help.contains("content/leaders/"), "{}", f[0].help);
    }

    #[test]
    fn two_or_three_leaders_pass() {
        let site = SiteBuilder::new()
            .leader("bo", "name: Bo\naffiliation: user")
            .chapter("rome", "leaders:\n  - ann\n  - bo")
            .build();
        assert!(findings(&site, "co-leader-encouraged").is_empty());
        let site = SiteBuilder::new()
            .leader("bo", "name: Bo\naffiliation: user")
            .leader("cy", "name: Cy\naffiliation: user")
            .chapter("rome", "leaders:\n  - ann\n  - bo\n  - cy")
            .build();
        assert!(findings(&site, "co-leader-encouraged").is_empty());
    }
}
