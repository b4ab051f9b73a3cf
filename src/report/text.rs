//! The report as a plain-text table, CSV or JSON.

use crate::report::{AT_RISK_DAYS, ChapterHealth, LIMIT_DAYS, Report};

/// The JSON document of `report --format json` (schema version
/// [`crate::report::VERSION`], documented in `docs/report.md`).
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Column names of the CSV, one row per chapter.
pub const CSV_HEADER: &[&str] = &[
    "chapter",
    "name",
    "region",
    "leaders",
    "leader_count",
    "meetings_last_365",
    "below_four_a_year",
    "last_meeting",
    "days_since_last",
    "next_meeting",
    "days_until_next",
    "limit_date",
    "days_left",
    "at_risk",
    "standing",
    "rsvps",
    "attendance",
    "no_shows",
    "no_show_rate",
    "meetings_counted",
    "meetings_missing_counts",
];

fn csv_row(c: &ChapterHealth) -> Vec<String> {
    vec![
        c.id.clone(),
        c.name.clone(),
        c.region.clone().unwrap_or_default(),
        c.leaders
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        c.leaders.len().to_string(),
        c.meetings_last_365.to_string(),
        c.below_four_a_year.to_string(),
        opt(c.last_meeting.as_ref().map(|m| m.date)),
        opt(c.days_since_last),
        opt(c.next_meeting.as_ref().map(|m| m.date)),
        opt(c.days_until_next),
        opt(c.limit_date),
        opt(c.days_left),
        c.at_risk.to_string(),
        c.standing.as_str().to_string(),
        c.turnout.rsvps.to_string(),
        c.turnout.attendance.to_string(),
        c.turnout.no_shows.to_string(),
        opt(c.turnout.no_show_rate),
        c.turnout.meetings_counted.to_string(),
        c.turnout.meetings_missing_counts.to_string(),
    ]
}

/// One header row and one row per chapter; empty cells for figures a
/// chapter does not have (no next meeting, say).
pub fn csv(report: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; the rows have the header's length.
    let _ = w.write_record(CSV_HEADER);
    for c in &report.chapters {
        let _ = w.write_record(csv_row(c));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn dash<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// A table for a terminal. Columns are padded by display width
/// (`textwrap::core::display_width`); hand-written because a table crate
/// would bring terminal handling we do not want in deterministic output.
pub fn table(report: &Report) -> String {
    let header = [
        "Chapter",
        "Leaders",
        "Meetings 365d",
        "Last meeting",
        "Days since",
        "Next meeting",
        "Days left",
        "Status",
        "RSVPs",
        "Attended",
        "No-show",
    ];
    // Numbers are right-aligned.
    let right = [
        false, false, true, false, true, false, true, false, true, true, true,
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for c in &report.chapters {
        rows.push(vec![
            c.name.clone(),
            c.leaders
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            format!(
                "{}{}",
                c.meetings_last_365,
                if c.below_four_a_year { " (<4)" } else { "" }
            ),
            dash(c.last_meeting.as_ref().map(|m| m.date)),
            dash(c.days_since_last),
            dash(c.next_meeting.as_ref().map(|m| m.date)),
            dash(c.days_left),
            c.standing.label().to_string(),
            c.turnout.rsvps.to_string(),
            c.turnout.attendance.to_string(),
            c.turnout.rate_label(),
        ]);
    }
    let t = &report.totals;
    rows.push(vec![
        format!("Network ({} chapters)", t.chapters),
        format!("{} leaders", t.leaders),
        t.meetings_last_365.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        format!("{} at risk, {} inactive", t.at_risk, t.inactive),
        t.turnout.rsvps.to_string(),
        t.turnout.attendance.to_string(),
        t.turnout.rate_label(),
    ]);
    let width = |s: &str| textwrap::core::display_width(s);
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{}: chapter health on {} (meetings held {} to {})\n\n",
        report.title,
        report.today,
        report.window_start,
        report.today.pred_opt().unwrap_or(report.today)
    );
    let last = rows.len() - 1;
    for (n, r) in rows.iter().enumerate() {
        if n == last {
            let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            out.push_str(&"-".repeat(total));
            out.push('\n');
        }
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = " ".repeat(widths[i] - width(cell));
                if right[i] {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "\nDays left: until {LIMIT_DAYS} days after the last held meeting (chapter-active). At risk: {AT_RISK_DAYS} or fewer\n\
         days left and no meeting scheduled by then. RSVPs, attended and no-show count held meetings that\n\
         recorded both numbers; (<4): fewer than four meetings in the 365 days (four-meetings-a-year).\n"
    ));
    out
}
