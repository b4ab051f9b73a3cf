//! `chapter-active`: never more than 90 days without a meeting.
//!
//! The rule and `report` share one definition: [`last_held`] and
//! [`limit_date`]. A chapter breaks the rule when it has no limit date (no
//! held meeting and no `founded`) or today is after its limit date.

use chrono::{Duration, NaiveDate};

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Chapter, Event, Site};
use crate::source::yaml::Seg;

pub struct ChapterActive;

/// The longest gap allowed since the last held meeting, in days.
pub const MAX_DAYS: i64 = 90;

/// The chapter's last held meeting (not cancelled or postponed, started
/// before today), by local start date.
pub fn last_held<'s>(site: &'s Site, c: &Chapter) -> Option<&'s Event> {
    c.events
        .iter()
        .map(|&i| &site.events[i])
        .filter(|e| e.is_held(site.today))
        .max_by_key(|e| (e.start.date_naive(), e.start))
}

/// The last day on which the chapter still keeps the guideline without
/// holding another meeting: 90 days after its last held meeting, or after
/// its founding when it has held none. `None` when it has neither (then
/// nothing shows it is new, and it breaks the rule already).
pub fn limit_date(site: &Site, c: &Chapter) -> Option<NaiveDate> {
    let from = match last_held(site, c) {
        Some(e) => e.start.date_naive(),
        None => c.founded?,
    };
    Some(from + Duration::days(MAX_DAYS))
}

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
started before today; 90 days after the last one is still fine, 91 is not. A chapter that has not \
met yet is exempt until 90 days after its `founded` date (a chapter without `founded` is not \
exempt).\n\n\
To comply, hold a meeting and record it: add an event file under \
`content/chapters/<chapter>/events/`. Even a small social or an online session counts. \
`chapterhouse report` shows how many days each chapter has left."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let today = site.today;
        for c in &site.chapters {
            if limit_date(site, c).is_some_and(|limit| today <= limit) {
                continue;
            }
            let events_dir = format!("content/chapters/{}/events/", c.id);
            match (last_held(site, c), c.founded) {
                (Some(e), _) => {
                    let d = e.start.date_naive();
                    let days = (today - d).num_days();
                    out.at(
                        site.span(c.file, &[Seg::key("name")]),
                        format!(
                            "{} last met {days} days ago (“{}” on {d}); the guideline is a meeting at least every {MAX_DAYS} days",
                            c.name, e.title
                        ),
                    )
                    .with_help(format!(
                        "hold a meeting soon and add its event file under `{events_dir}`; a small social or an online session counts"
                    ));
                }
                (None, Some(f)) => {
                    let days = (today - f).num_days();
                    out.at(
                        site.span(c.file, &[Seg::key("founded")]),
                        format!(
                            "{} was founded {days} days ago ({f}) and has held no meeting; the guideline is a meeting at least every {MAX_DAYS} days",
                            c.name
                        ),
                    )
                    .with_help(format!(
                        "hold a first meeting and add its event file under `{events_dir}`"
                    ));
                }
                (None, None) => {
                    out.at(
                        site.span(c.file, &[Seg::key("name")]),
                        format!(
                            "{} has held no meeting; the guideline is a meeting at least every {MAX_DAYS} days",
                            c.name
                        ),
                    )
                    .with_help(format!(
                        "hold a meeting and add its event file under `{events_dir}`; if the chapter is new, add `founded: YYYY-MM-DD` to chapter.yaml (new chapters have {MAX_DAYS} days for their first meeting)"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use crate::check::testing::{SiteBuilder, findings};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    fn with_meeting_days_ago(days: i64) -> usize {
        let d = today() - Duration::days(days);
        let site = SiteBuilder::new()
            .today(today())
            .event("rome", &format!("{d}-meet"), "")
            .build();
        findings(&site, "chapter-active").len()
    }

    fn founded_days_ago(days: i64) -> usize {
        let f = today() - Duration::days(days);
        let site = SiteBuilder::new()
            .chapter("rome", &format!("leaders:\n  - ann\nfounded: {f}"))
            .build();
        findings(&site, "chapter-active").len()
    }

    #[test]
    fn ninety_days_is_fine_ninety_one_is_not() {
        assert_eq!(with_meeting_days_ago(1), 0);
        assert_eq!(with_meeting_days_ago(89), 0);
        assert_eq!(with_meeting_days_ago(90), 0);
        assert_eq!(with_meeting_days_ago(91), 1);
        assert_eq!(with_meeting_days_ago(400), 1);
    }

    #[test]
    fn the_finding_names_the_chapter_the_gap_and_the_fix() {
        let site = SiteBuilder::new()
            .event("rome", "2026-03-01-winter", "")
            .build();
        let f = findings(&site, "chapter-active");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path, "content/chapters/rome/chapter.yaml");
        assert_eq!(f[0].line, 1, "points at `name:`");
        assert!(f[0].message.contains("92 days ago"), "{}", f[0].message);
        assert!(f[0].message.contains("2026-03-01"), "{}", f[0].message);
        assert!(f[0].message.contains("every 90 days"), "{}", f[0].message);
        assert!(
            f[0].help.contains("content/chapters/rome/events/"),
            "{}",
            f[0].help
        );
    }

    #[test]
    fn cancelled_postponed_today_and_future_meetings_do_not_count() {
        let site = SiteBuilder::new()
            .event("rome", "2026-05-20-x", "status: cancelled")
            .event("rome", "2026-05-21-y", "status: postponed")
            .event(
                "rome",
                "2026-06-01-today",
                "registration: https://events.example.org/e/0",
            )
            .event(
                "rome",
                "2026-07-01-z",
                "registration: https://events.example.org/e/1",
            )
            .build();
        assert_eq!(findings(&site, "chapter-active").len(), 1);
    }

    #[test]
    fn a_chapter_without_meetings_is_exempt_until_ninety_days_after_founding() {
        assert_eq!(founded_days_ago(0), 0);
        assert_eq!(founded_days_ago(61), 0);
        assert_eq!(founded_days_ago(90), 0);
        assert_eq!(founded_days_ago(91), 1);
        let site = SiteBuilder::new()
            .chapter("rome", "leaders:\n  - ann\nfounded: 2026-03-01")
            .build();
        let f = findings(&site, "chapter-active");
        assert_eq!(f[0].line, 6, "points at `founded:`");
        assert!(f[0].message.contains("held no meeting"));
    }

    #[test]
    fn a_chapter_without_founded_or_meetings_breaks_the_rule() {
        let site = SiteBuilder::new()
            .chapter("rome", "leaders:\n  - ann")
            .build();
        let f = findings(&site, "chapter-active");
        assert_eq!(f.len(), 1);
        assert!(f[0].help.contains("founded:"), "{}", f[0].help);
    }

    #[test]
    fn the_limit_date_is_ninety_days_after_the_last_held_meeting() {
        let site = SiteBuilder::new()
            .event("rome", "2026-04-10-a", "")
            .event("rome", "2026-05-02-b", "")
            .event("rome", "2026-05-20-c", "status: cancelled")
            .build();
        let c = &site.chapters[0];
        assert_eq!(super::last_held(&site, c).unwrap().id, "2026-05-02-b");
        assert_eq!(
            super::limit_date(&site, c),
            NaiveDate::from_ymd_opt(2026, 7, 31)
        );
    }
}
