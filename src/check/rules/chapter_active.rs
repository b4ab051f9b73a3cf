//! `chapter-active`: never more than 90 days without a meeting.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::Site;
use crate::source::yaml::Seg;

pub struct ChapterActive;

/// The longest gap allowed since the last held meeting, in days.
pub const MAX_DAYS: i64 = 90;

impl Rule for ChapterActive {
    fn id(&self) -> &'static str {
        "chapter-active"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a chapter's last held meeting is more than 90 days before today, or it has none and was founded more than 90 days ago"
    }
    fn explain(&self) -> &'static str {
        "A group stays alive when it meets regularly: members remember it, newcomers find a next \
date, and the programme can count on it. The guideline is that a chapter never goes more than 90 \
days without a meeting. A meeting counts as held when it was not cancelled or postponed and it \
started before today; a chapter founded less than 90 days ago is exempt until it is 90 days old.\n\n\
To comply, hold a meeting and record it: add an event file under \
`content/chapters/<chapter>/events/`. Even a small social or an online session counts."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let today = site.today;
        for c in &site.chapters {
            let last = c.events.iter().map(|&i| &site.events[i]).filter(|e| e.is_held(today)).map(|e| e.start.date_naive()).max();
            let span = site.span(c.file, &[Seg::key("name")]);
            match last {
                Some(d) => {
                    let days = (today - d).num_days();
                    if days > MAX_DAYS {
                        out.at(span, format!("{} last met on {d}, {days} days ago (more than {MAX_DAYS})", c.name))
                            .with_help(format!("hold a meeting soon and add it under `content/chapters/{}/events/`", c.id));
                    }
                }
                None => {
                    let old = c.founded.is_none_or(|f| (today - f).num_days() > MAX_DAYS);
                    if old {
                        let since = c.founded.map(|f| format!(" since it was founded on {f}")).unwrap_or_default();
                        out.at(span, format!("{} has held no meeting{since}", c.name)).with_help(format!(
                            "hold a first meeting and add it under `content/chapters/{}/events/`{}",
                            c.id,
                            if c.founded.is_none() { "; add `founded:` if the chapter is new" } else { "" }
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    fn with_meeting_days_ago(days: i64) -> usize {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let d = today - chrono::Duration::days(days);
        let site = SiteBuilder::new().today(today).event("rome", &format!("{d}-meet"), "").build();
        findings(&site, "chapter-active").len()
    }

    #[test]
    fn ninety_days_is_fine_ninety_one_is_not() {
        assert_eq!(with_meeting_days_ago(90), 0);
        assert_eq!(with_meeting_days_ago(91), 1);
        assert_eq!(with_meeting_days_ago(1), 0);
    }

    #[test]
    fn cancelled_and_future_meetings_do_not_count() {
        let site = SiteBuilder::new()
            .event("rome", "2026-05-20-x", "status: cancelled")
            .event("rome", "2026-07-01-y", "registration: https://events.example.org/e/1")
            .build();
        assert_eq!(findings(&site, "chapter-active").len(), 1);
    }

    #[test]
    fn young_chapters_are_exempt() {
        let site = SiteBuilder::new().chapter("rome", "leaders:\n  - ann\nfounded: 2026-04-01").build();
        assert!(findings(&site, "chapter-active").is_empty());
        let site = SiteBuilder::new().chapter("rome", "leaders:\n  - ann\nfounded: 2026-03-01").build();
        assert_eq!(findings(&site, "chapter-active").len(), 1);
    }
}
