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
To comply, invite an engaged member to co-lead: add a profile under `content/leaders/` and their \
id under `leaders:` in `chapter.yaml`."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        for c in site.chapters.iter().filter(|c| c.leader_ids.len() == 1) {
            out.at(site.span(c.file, &[Seg::key("leaders")]), format!("{} has one leader", c.name))
                .with_help("invite a member to co-lead: add their profile under `content/leaders/` and their id under `leaders:`");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn one_leader_gets_a_note_two_do_not() {
        let site = SiteBuilder::new().chapter("rome", "leaders:\n  - ann").build();
        let f = findings(&site, "co-leader-encouraged");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 4);
        let site = SiteBuilder::new()
            .leader("bo", "name: Bo\naffiliation: user")
            .chapter("rome", "leaders:\n  - ann\n  - bo")
            .build();
        assert!(findings(&site, "co-leader-encouraged").is_empty());
    }
}
