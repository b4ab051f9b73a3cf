//! `four-meetings-a-year`: at least four meetings in the last 365 days.
//!
//! The rule and `report` share one definition of the window
//! ([`window_start`]) and of the meetings that count ([`held_in_window`]).

use chrono::{Duration, NaiveDate};

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Chapter, Event, Site};
use crate::source::yaml::Seg;

pub struct FourMeetingsAYear;

pub const MIN_MEETINGS: usize = 4;
pub const WINDOW_DAYS: i64 = 365;

/// The first day of the window: the 365 days before today are
/// `window_start(today) ..= today - 1`.
pub fn window_start(today: NaiveDate) -> NaiveDate {
    today - Duration::days(WINDOW_DAYS)
}

/// The chapter's meetings held in the 365 days before today, in start order.
pub fn held_in_window<'s>(site: &'s Site, c: &Chapter) -> Vec<&'s Event> {
    let from = window_start(site.today);
    c.events
        .iter()
        .map(|&i| &site.events[i])
        .filter(|e| e.is_held(site.today) && e.start.date_naive() >= from)
        .collect()
}

/// A chapter founded 365 days ago or less is exempt; one without
/// `founded` is not.
pub fn is_exempt(c: &Chapter, today: NaiveDate) -> bool {
    c.founded
        .is_some_and(|f| (today - f).num_days() <= WINDOW_DAYS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl Rule for FourMeetingsAYear {
    fn id(&self) -> &'static str {
        "four-meetings-a-year"
    }
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    fn summary(&self) -> &'static str {
        "a chapter founded more than 365 days ago (or with no founded) held fewer than 4 meetings in the 365 days before today"
    }
    fn explain(&self) -> &'static str {
        "Chapters meet at least four times a year: about once a quarter is what keeps members \
coming back and gives the programme a reason to support the group. Meetings count when they were \
held (not cancelled or postponed, started before today) in the 365 days before today. A chapter \
founded 365 days ago or less is exempt; a chapter without `founded` is not.\n\n\
To comply, plan the year ahead: four dates, one per quarter, is a good start. Record every \
meeting as an event file, including past ones, so that they count. `chapterhouse report` shows \
the count for every chapter."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let today = site.today;
        for c in &site.chapters {
            if is_exempt(c, today) {
                continue;
            }
            let held = held_in_window(site, c).len();
            if held >= MIN_MEETINGS {
                continue;
            }
            let missing = MIN_MEETINGS - held;
            out.at(
                site.span(c.file, &[Seg::key("name")]),
                format!(
                    "{} held {held} meeting{} in the 365 days before {today} (since {}); the guideline is at least {MIN_MEETINGS} a year",
                    c.name,
                    plural(held),
                    window_start(today)
                ),
            )
            .with_help(format!(
                "hold {missing} more meeting{} (about one a quarter) and add each under `content/chapters/{}/events/`; if meetings took place but are not recorded, add their event files",
                plural(missing),
                c.id
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    fn site_with(dates: &[&str], chapter: &str) -> Vec<crate::check::testing::Finding> {
        let mut b = SiteBuilder::new().chapter("rome", chapter);
        for (i, d) in dates.iter().enumerate() {
            b = b.event("rome", &format!("{d}-m{i}"), "");
        }
        findings(&b.build(), "four-meetings-a-year")
    }

    fn count(dates: &[&str], founded: &str) -> usize {
        site_with(dates, &format!("leaders:\n  - ann\nfounded: {founded}")).len()
    }

    #[test]
    fn three_meetings_warn_four_pass() {
        assert_eq!(
            count(&["2025-07-01", "2025-10-01", "2026-01-01"], "2020-01-01"),
            1
        );
        assert_eq!(
            count(
                &["2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01"],
                "2020-01-01"
            ),
            0
        );
    }

    #[test]
    fn the_finding_names_the_count_the_guideline_and_the_fix() {
        let f = site_with(
            &["2025-07-01", "2026-01-01"],
            "leaders:\n  - ann\nfounded: 2020-01-01",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 1);
        assert!(f[0].message.contains("held 2 meetings"), "{}", f[0].message);
        assert!(f[0].message.contains("at least 4"), "{}", f[0].message);
        assert!(f[0].help.contains("hold 2 more meetings"), "{}", f[0].help);
    }

    #[test]
    fn the_window_is_the_365_days_before_today() {
        // today is 2026-06-01: 2025-06-01 is 365 days before (counts), 2025-05-31 is 366 (does not)
        assert_eq!(
            count(
                &["2025-06-01", "2025-10-01", "2026-01-01", "2026-04-01"],
                "2020-01-01"
            ),
            0
        );
        assert_eq!(
            count(
                &["2025-05-31", "2025-10-01", "2026-01-01", "2026-04-01"],
                "2020-01-01"
            ),
            1
        );
    }

    #[test]
    fn meetings_today_in_the_future_cancelled_or_postponed_do_not_count() {
        let mut b = SiteBuilder::new();
        for d in ["2025-10-01", "2026-01-01", "2026-04-01"] {
            b = b.event("rome", &format!("{d}-held"), "");
        }
        let site = b
            .event("rome", "2026-02-01-c", "status: cancelled")
            .event("rome", "2026-03-01-p", "status: postponed")
            .event(
                "rome",
                "2026-06-01-today",
                "registration: https://events.example.org/e/1",
            )
            .event(
                "rome",
                "2026-09-01-later",
                "registration: https://events.example.org/e/2",
            )
            .build();
        assert_eq!(findings(&site, "four-meetings-a-year").len(), 1);
    }

    #[test]
    fn chapters_younger_than_a_year_are_exempt() {
        assert_eq!(count(&["2026-01-01"], "2025-06-02"), 0);
        assert_eq!(count(&["2026-01-01"], "2025-06-01"), 0, "365 days: exempt");
        assert_eq!(count(&["2026-01-01"], "2025-05-31"), 1, "366 days: not");
    }

    #[test]
    fn a_chapter_without_founded_is_not_exempt() {
        assert_eq!(site_with(&["2026-01-01"], "leaders:\n  - ann").len(), 1);
    }
}
