//! `four-meetings-a-year`: at least four meetings in the last 365 days.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::Site;
use crate::source::yaml::Seg;

pub struct FourMeetingsAYear;

pub const MIN_MEETINGS: usize = 4;
pub const WINDOW_DAYS: i64 = 365;

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
held (not cancelled or postponed) in the 365 days before today. A chapter founded less than a \
year ago is exempt.\n\n\
To comply, plan the year ahead: four dates, one per quarter, is a good start. Record every \
meeting as an event file, including past ones, so that they count."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let today = site.today;
        let from = today - chrono::Duration::days(WINDOW_DAYS);
        for c in &site.chapters {
            if c.founded.is_some_and(|f| (today - f).num_days() <= WINDOW_DAYS) {
                continue;
            }
            let held = c
                .events
                .iter()
                .map(|&i| &site.events[i])
                .filter(|e| e.is_held(today) && e.start.date_naive() >= from)
                .count();
            if held < MIN_MEETINGS {
                out.at(
                    site.span(c.file, &[Seg::key("name")]),
                    format!("{} held {held} meeting{} in the 365 days before {today}; the guideline is at least {MIN_MEETINGS}", c.name, if held == 1 { "" } else { "s" }),
                )
                .with_help(format!("schedule {} more meeting{} and add them under `content/chapters/{}/events/`", MIN_MEETINGS - held, if MIN_MEETINGS - held == 1 { "" } else { "s" }, c.id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{SiteBuilder, findings};

    fn site_with(dates: &[&str], founded: &str) -> usize {
        let mut b = SiteBuilder::new().chapter("rome", &format!("leaders:\n  - ann\nfounded: {founded}"));
        for (i, d) in dates.iter().enumerate() {
            b = b.event("rome", &format!("{d}-m{i}"), "");
        }
        findings(&b.build(), "four-meetings-a-year").len()
    }

    #[test]
    fn three_meetings_warn_four_pass() {
        assert_eq!(site_with(&["2025-07-01", "2025-10-01", "2026-01-01"], "2020-01-01"), 1);
        assert_eq!(site_with(&["2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01"], "2020-01-01"), 0);
    }

    #[test]
    fn the_window_is_the_365_days_before_today() {
        // today is 2026-06-01: 2025-06-01 is 365 days before (counts), 2025-05-31 is 366 (does not)
        assert_eq!(site_with(&["2025-06-01", "2025-10-01", "2026-01-01", "2026-04-01"], "2020-01-01"), 0);
        assert_eq!(site_with(&["2025-05-31", "2025-10-01", "2026-01-01", "2026-04-01"], "2020-01-01"), 1);
    }

    #[test]
    fn chapters_younger_than_a_year_are_exempt() {
        assert_eq!(site_with(&["2026-01-01"], "2025-06-02"), 0);
        assert_eq!(site_with(&["2026-01-01"], "2025-06-01"), 0);
        assert_eq!(site_with(&["2026-01-01"], "2025-05-31"), 1);
    }
}
