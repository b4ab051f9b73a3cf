//! `no-sales-pitch`: partner and vendor talks are reviewed by a chapter leader.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Affiliation, Site};
use crate::source::yaml::Seg;

pub struct NoSalesPitch;

impl Rule for NoSalesPitch {
    fn id(&self) -> &'static str {
        "no-sales-pitch"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a talk by a partner or vendor speaker has no reviewed_by, or the reviewer is not a leader of the event's chapter"
    }
    fn explain(&self) -> &'static str {
        "Meetups are for learning and sharing, not for selling. Partners and vendors often give \
excellent talks, but a talk that is really a sales pitch costs the group its trust. So a talk by \
a speaker whose affiliation is `partner` or `vendor` is reviewed beforehand by a leader of the \
chapter hosting it, who checks that it teaches something useful on its own.\n\n\
To comply, ask a leader of the chapter to review the talk, then add `reviewed_by: <leader id>` \
to the talk in the event file. The reviewer must be one of the chapter's `leaders`."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        for e in &site.events {
            let chapter = site.chapter_of(e);
            let leaders = chapter
                .leader_ids
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ");
            for (i, t) in e.talks.iter().enumerate() {
                if !matches!(
                    t.speaker.affiliation,
                    Affiliation::Partner | Affiliation::Vendor
                ) {
                    continue;
                }
                let who = format!(
                    "{} ({}{})",
                    t.speaker.name,
                    t.speaker.affiliation.as_str(),
                    t.speaker
                        .company
                        .as_deref()
                        .map(|c| format!(", {c}"))
                        .unwrap_or_default()
                );
                match &t.reviewed_by {
                    None => {
                        out.at(
                            site.span(e.file, &[Seg::key("talks"), Seg::Index(i), Seg::key("title")]),
                            format!(
                                "the talk “{}” by {who} has no `reviewed_by`; the guideline is that a leader of the chapter reviews partner and vendor talks so that they are not sales pitches",
                                t.title
                            ),
                        )
                        .with_help(format!(
                            "ask a leader of this chapter to review the talk and add `reviewed_by: <leader>` to it (this chapter's leaders: {leaders})"
                        ));
                    }
                    Some(r) if !chapter.leader_ids.contains(r) => {
                        out.at(
                            site.span(e.file, &[Seg::key("talks"), Seg::Index(i), Seg::key("reviewed_by")]),
                            format!(
                                "`{r}` is not a leader of {}, so cannot review the talk “{}” by {who}; the guideline is that a leader of the hosting chapter reviews it",
                                chapter.name, t.title
                            ),
                        )
                        .with_help(format!(
                            "ask one of this chapter's leaders ({leaders}) to review the talk and write their id in `reviewed_by`"
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    const TALK: &str = "talks:\n  - title: Scaling\n    speaker:\n      name: Vic\n      company: Acme\n      affiliation: vendor\n";

    #[test]
    fn an_unreviewed_partner_or_vendor_talk_is_flagged_at_its_title() {
        for aff in ["partner", "vendor"] {
            let body = TALK.replace("vendor", aff);
            let site = SiteBuilder::new()
                .event("rome", "2030-01-10-x", &body)
                .build();
            let f = findings(&site, "no-sales-pitch");
            assert_eq!(f.len(), 1, "{aff}");
            assert_eq!(f[0].line, 6);
            assert!(f[0].message.contains("“Scaling”"), "{}", f[0].message);
            assert!(
                f[0].help.contains("ask a leader of this chapter to review the talk and add `reviewed_by: <leader>`"),
                "{}",
                f[0].help
            );
            assert!(f[0].help.contains("`ann`"), "{}", f[0].help);
        }
    }

    #[test]
    fn the_reviewer_must_lead_the_events_chapter() {
        // `zed` leads another chapter, not rome.
        let body = format!("{TALK}    reviewed_by: zed\n");
        let site = SiteBuilder::new()
            .leader("zed", "name: Zed\naffiliation: user")
            .chapter("oslo", "leaders:\n  - zed\n  - ann")
            .event("rome", "2030-01-10-x", &body)
            .build();
        let f = findings(&site, "no-sales-pitch");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 11, "points at `reviewed_by:`");
        assert!(
            f[0].message.contains("`zed` is not a leader"),
            "{}",
            f[0].message
        );
        let ok = format!("{TALK}    reviewed_by: ann\n");
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", &ok)
            .build();
        assert!(findings(&site, "no-sales-pitch").is_empty());
    }

    #[test]
    fn only_the_unreviewed_talk_of_several_is_flagged() {
        let body = format!(
            "{TALK}    reviewed_by: ann\n  - title: Pitch\n    speaker:\n      name: Pam\n      company: Bcorp\n      affiliation: partner\n"
        );
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", &body)
            .build();
        let f = findings(&site, "no-sales-pitch");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 12);
        assert!(f[0].message.contains("“Pitch”"));
    }

    #[test]
    fn user_and_employee_talks_need_no_review() {
        for aff in ["user", "employee"] {
            let site = SiteBuilder::new()
                .event("rome", "2030-01-10-x", &TALK.replace("vendor", aff))
                .build();
            assert!(findings(&site, "no-sales-pitch").is_empty());
        }
    }
}
