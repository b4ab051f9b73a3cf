//! The network's health per chapter, for community managers: takes a
//! resolved [`Site`] and returns a [`Report`] of figures; [`text`] turns it
//! into a table, CSV or JSON and [`html`] into a self-contained page.
//!
//! The figures use the guideline rules' own definitions (held meetings, the
//! 365-day window, the 90-day limit), so `report` and `check` never
//! disagree. Nothing here reads the clock: "today" is `Site::today`, so the
//! same site and `--today` give the same bytes.

pub mod html;
pub mod text;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::check::rules::chapter_active::{self, MAX_DAYS};
use crate::check::rules::four_meetings_a_year::{self, MIN_MEETINGS};
use crate::model::{Chapter, Event, Site, Status};

/// Schema version of the JSON document (`report --format json`).
pub const VERSION: u32 = 1;

/// A chapter is "at risk" when this many days or fewer are left before the
/// 90-day limit and no meeting is scheduled on or before the limit.
pub const AT_RISK_DAYS: i64 = 30;

/// The 90-day limit of `chapter-active`, for texts.
pub const LIMIT_DAYS: i64 = MAX_DAYS;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub title: String,
    pub today: NaiveDate,
    /// First day of the 365 days before today (the last is the day before today).
    pub window_start: NaiveDate,
    /// Calendar quarters that overlap the window, oldest first.
    pub quarters: Vec<Quarter>,
    pub chapters: Vec<ChapterHealth>,
    pub totals: Totals,
}

/// One calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter {
            year: d.year(),
            quarter: d.month0() / 3 + 1,
        }
    }
    fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Quarter {
                quarter: self.quarter + 1,
                ..self
            }
        }
    }
    /// `2026 Q3`.
    pub fn label(self) -> String {
        format!("{} Q{}", self.year, self.quarter)
    }
}

/// A leader as listed in `chapter.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// One meeting, for "last" and "next".
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub id: String,
    pub title: String,
    /// Local start date.
    pub date: NaiveDate,
}

impl Meeting {
    fn of(e: &Event) -> Meeting {
        Meeting {
            id: e.id.clone(),
            title: e.title.clone(),
            date: e.start.date_naive(),
        }
    }
}

/// Where a chapter stands against the 90-day guideline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Within the limit, and not at risk.
    Ok,
    /// 30 days or fewer left and nothing scheduled on or before the limit.
    AtRisk,
    /// Past the limit: `chapter-active` reports it.
    Inactive,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ok => "ok",
            Standing::AtRisk => "at-risk",
            Standing::Inactive => "inactive",
        }
    }
    /// For people: `at risk`.
    pub fn label(self) -> &'static str {
        match self {
            Standing::Ok => "ok",
            Standing::AtRisk => "at risk",
            Standing::Inactive => "inactive",
        }
    }
}

/// RSVPs against attendance, over the held meetings in the window that
/// recorded both numbers (so that the two are comparable).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Turnout {
    /// Meetings that recorded both `rsvps` and `attendance`.
    pub meetings_counted: usize,
    /// Held meetings in the window that lack one or both numbers.
    pub meetings_missing_counts: usize,
    pub rsvps: u64,
    pub attendance: u64,
    /// `rsvps - attendance`, not below 0 (walk-ins offset no-shows).
    pub no_shows: u64,
    /// `no_shows / rsvps`, rounded to 3 decimals; `None` without RSVPs.
    pub no_show_rate: Option<f64>,
}

impl Turnout {
    fn add(&mut self, rsvps: u64, attendance: u64) {
        self.meetings_counted += 1;
        self.rsvps += rsvps;
        self.attendance += attendance;
    }
    fn finish(mut self) -> Self {
        self.no_shows = self.rsvps.saturating_sub(self.attendance);
        self.no_show_rate = (self.rsvps > 0)
            .then(|| (self.no_shows as f64 / self.rsvps as f64 * 1000.0).round() / 1000.0);
        self
    }
    /// `26.1%`, or `-` without RSVPs.
    pub fn rate_label(&self) -> String {
        match self.no_show_rate {
            Some(r) => format!("{:.1}%", r * 100.0),
            None => "-".into(),
        }
    }
}

/// The figures of one chapter.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterHealth {
    pub id: String,
    pub name: String,
    pub region: Option<String>,
    pub founded: Option<NaiveDate>,
    /// In the order of `chapter.yaml`.
    pub leaders: Vec<Person>,
    /// Held in the 365 days before today.
    pub meetings_last_365: usize,
    /// Below four meetings and not exempt (`four-meetings-a-year`).
    pub below_four_a_year: bool,
    pub last_meeting: Option<Meeting>,
    pub days_since_last: Option<i64>,
    /// The first scheduled (not cancelled or postponed) meeting on or after today.
    pub next_meeting: Option<Meeting>,
    pub days_until_next: Option<i64>,
    /// The last day that keeps the 90-day guideline without another meeting.
    pub limit_date: Option<NaiveDate>,
    /// Days from today to `limit_date`; negative once past it.
    pub days_left: Option<i64>,
    /// 30 or fewer days left (or past the limit) and no meeting scheduled
    /// on or before the limit.
    pub at_risk: bool,
    pub standing: Standing,
    pub turnout: Turnout,
    /// Held meetings per quarter, aligned with `Report::quarters`.
    pub meetings_per_quarter: Vec<usize>,
}

/// Figures for the whole network.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub chapters: usize,
    pub leaders: usize,
    pub meetings_last_365: usize,
    pub at_risk: usize,
    pub inactive: usize,
    pub below_four_a_year: usize,
    pub turnout: Turnout,
}

/// Compute the report for `site` as of `site.today`.
pub fn build(site: &Site) -> Report {
    let today = site.today;
    let window_start = four_meetings_a_year::window_start(today);
    let quarters = quarters_between(window_start, today.pred_opt().unwrap_or(today));
    let chapters: Vec<ChapterHealth> = site
        .chapters
        .iter()
        .map(|c| chapter(site, c, &quarters))
        .collect();
    let mut turnout = Turnout::default();
    for c in &chapters {
        turnout.meetings_counted += c.turnout.meetings_counted;
        turnout.meetings_missing_counts += c.turnout.meetings_missing_counts;
        turnout.rsvps += c.turnout.rsvps;
        turnout.attendance += c.turnout.attendance;
    }
    let mut leaders: Vec<&str> = site
        .chapters
        .iter()
        .flat_map(|c| c.leader_ids.iter().map(String::as_str))
        .collect();
    leaders.sort_unstable();
    leaders.dedup();
    let totals = Totals {
        chapters: chapters.len(),
        leaders: leaders.len(),
        meetings_last_365: chapters.iter().map(|c| c.meetings_last_365).sum(),
        at_risk: chapters
            .iter()
            .filter(|c| c.standing == Standing::AtRisk)
            .count(),
        inactive: chapters
            .iter()
            .filter(|c| c.standing == Standing::Inactive)
            .count(),
        below_four_a_year: chapters.iter().filter(|c| c.below_four_a_year).count(),
        turnout: turnout.finish(),
    };
    Report {
        version: VERSION,
        title: site.config.title.clone(),
        today,
        window_start,
        quarters,
        chapters,
        totals,
    }
}

fn quarters_between(from: NaiveDate, to: NaiveDate) -> Vec<Quarter> {
    let (mut q, last) = (Quarter::of(from), Quarter::of(to));
    let mut out = vec![q];
    while q < last {
        q = q.next();
        out.push(q);
    }
    out
}

fn chapter(site: &Site, c: &Chapter, quarters: &[Quarter]) -> ChapterHealth {
    let today = site.today;
    let held = four_meetings_a_year::held_in_window(site, c);
    let last = chapter_active::last_held(site, c);
    let next = c
        .events
        .iter()
        .map(|&i| &site.events[i])
        .filter(|e| e.status == Status::Scheduled && e.start.date_naive() >= today)
        .min_by_key(|e| (e.start.date_naive(), e.start));
    let limit_date = chapter_active::limit_date(site, c);
    let days_left = limit_date.map(|l| (l - today).num_days());
    let scheduled_in_time = match (next, limit_date) {
        (Some(n), Some(l)) => n.start.date_naive() <= l,
        _ => false,
    };
    let standing = match days_left {
        Some(d) if d >= 0 && (d > AT_RISK_DAYS || scheduled_in_time) => Standing::Ok,
        Some(d) if d >= 0 => Standing::AtRisk,
        _ => Standing::Inactive,
    };
    let mut turnout = Turnout::default();
    let mut per_quarter = vec![0; quarters.len()];
    for e in &held {
        match (e.rsvps, e.attendance) {
            (Some(r), Some(a)) => turnout.add(u64::from(r), u64::from(a)),
            _ => turnout.meetings_missing_counts += 1,
        }
        let q = Quarter::of(e.start.date_naive());
        if let Some(i) = quarters.iter().position(|&x| x == q) {
            per_quarter[i] += 1;
        }
    }
    ChapterHealth {
        id: c.id.clone(),
        name: c.name.clone(),
        region: c.region.clone(),
        founded: c.founded,
        leaders: c
            .leader_ids
            .iter()
            .map(|id| Person {
                id: id.clone(),
                name: site
                    .leader(id)
                    .map_or_else(|| id.clone(), |l| l.name.clone()),
            })
            .collect(),
        meetings_last_365: held.len(),
        below_four_a_year: !four_meetings_a_year::is_exempt(c, today) && held.len() < MIN_MEETINGS,
        last_meeting: last.map(Meeting::of),
        days_since_last: last.map(|e| (today - e.start.date_naive()).num_days()),
        next_meeting: next.map(Meeting::of),
        days_until_next: next.map(|e| (e.start.date_naive() - today).num_days()),
        limit_date,
        days_left,
        at_risk: standing != Standing::Ok,
        standing,
        turnout: turnout.finish(),
        meetings_per_quarter: per_quarter,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::SiteBuilder;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn quarters_cover_the_window() {
        let q = quarters_between(d("2025-11-24"), d("2026-11-23"));
        let labels: Vec<String> = q.iter().map(|q| q.label()).collect();
        assert_eq!(
            labels,
            ["2025 Q4", "2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
        );
        assert_eq!(quarters_between(d("2026-01-01"), d("2026-03-31")).len(), 1);
    }

    /// today is 2026-06-01 in SiteBuilder.
    fn one_chapter(events: &[(&str, &str)]) -> ChapterHealth {
        let mut b = SiteBuilder::new();
        for (stem, extra) in events {
            b = b.event("rome", stem, extra);
        }
        build(&b.build()).chapters.remove(0)
    }

    const REG: &str = "registration: https://events.example.org/e/1";

    #[test]
    fn last_next_and_days_left() {
        let c = one_chapter(&[("2026-04-02-a", ""), ("2026-06-20-b", REG)]);
        assert_eq!(c.last_meeting.as_ref().unwrap().date, d("2026-04-02"));
        assert_eq!(c.days_since_last, Some(60));
        assert_eq!(c.next_meeting.as_ref().unwrap().id, "2026-06-20-b");
        assert_eq!(c.days_until_next, Some(19));
        assert_eq!(c.limit_date, Some(d("2026-07-01")));
        assert_eq!(c.days_left, Some(30));
        assert_eq!(c.standing, Standing::Ok, "a meeting is scheduled in time");
    }

    #[test]
    fn at_risk_at_thirty_days_left_with_nothing_scheduled_in_time() {
        // 30 days left, next meeting after the limit: at risk.
        let c = one_chapter(&[("2026-04-02-a", ""), ("2026-07-02-b", REG)]);
        assert_eq!(c.days_left, Some(30));
        assert_eq!(c.standing, Standing::AtRisk);
        assert!(c.at_risk);
        // A meeting on the limit date itself keeps the chapter within it.
        let c = one_chapter(&[("2026-04-02-a", ""), ("2026-07-01-b", REG)]);
        assert_eq!(c.standing, Standing::Ok);
        // 31 days left and nothing scheduled: not yet at risk.
        let c = one_chapter(&[("2026-04-03-a", "")]);
        assert_eq!(c.days_left, Some(31));
        assert_eq!(c.standing, Standing::Ok);
        assert!(!c.at_risk);
        // 0 days left is the last day within the limit.
        let c = one_chapter(&[("2026-03-03-a", "")]);
        assert_eq!(c.days_left, Some(0));
        assert_eq!(c.standing, Standing::AtRisk);
        // Past the limit: inactive, as chapter-active says.
        let c = one_chapter(&[("2026-03-02-a", ""), ("2026-06-05-b", REG)]);
        assert_eq!(c.days_left, Some(-1));
        assert_eq!(c.standing, Standing::Inactive);
        assert!(c.at_risk);
    }

    #[test]
    fn turnout_counts_held_meetings_with_both_numbers() {
        let c = one_chapter(&[
            ("2026-01-10-a", "rsvps: 40\nattendance: 30"),
            ("2026-02-10-b", "rsvps: 20\nattendance: 25"),
            ("2026-03-10-c", "rsvps: 10"),
            (
                "2026-04-10-d",
                "rsvps: 50\nattendance: 1\nstatus: cancelled",
            ),
            ("2025-05-01-old", "rsvps: 50\nattendance: 1"),
        ]);
        assert_eq!(c.meetings_last_365, 3);
        assert_eq!(c.turnout.meetings_counted, 2);
        assert_eq!(c.turnout.meetings_missing_counts, 1);
        assert_eq!(c.turnout.rsvps, 60);
        assert_eq!(c.turnout.attendance, 55);
        assert_eq!(c.turnout.no_shows, 5);
        assert_eq!(c.turnout.no_show_rate, Some(0.083));
        assert_eq!(c.turnout.rate_label(), "8.3%");
        assert_eq!(c.meetings_per_quarter, vec![0, 0, 0, 3, 0]);
    }
}
