//! `report --html FILE`: one self-contained page (inline CSS, inline SVG
//! charts, no scripts, no external resources) with the report's table and
//! two charts: held meetings per chapter per quarter, and RSVPs against
//! attendance. Geometry is computed here in whole pixels; the template
//! (`report.html`, Tera with HTML escaping) only places it.

use serde::Serialize;
use tera::{Context, Tera};

use crate::render::theme::{error_chain, escape_html};
use crate::report::{AT_RISK_DAYS, ChapterHealth, LIMIT_DAYS, Report};

const TEMPLATE: &str = include_str!("report.html");

/// A rectangle of a chart, with what it stands for.
#[derive(Debug, Serialize)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// CSS class: `q` (meetings), `rsvps` or `attendance`.
    pub class: &'static str,
    pub chapter: String,
    /// The quarter (`2026 Q3`) or the series (`rsvps`, `attendance`).
    pub series: String,
    pub value: u64,
    /// Tooltip.
    pub title: String,
}

/// A text of a chart.
#[derive(Debug, Serialize)]
pub struct Label {
    pub x: u32,
    pub y: u32,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    pub class: &'static str,
    pub text: String,
}

/// A thin line (grid or axis).
#[derive(Debug, Serialize)]
pub struct Rule {
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    pub rules: Vec<Rule>,
}

/// A table row: the chapter's figures plus their labels for people.
#[derive(Debug, Serialize)]
struct Row<'a> {
    c: &'a ChapterHealth,
    leaders: String,
    standing: &'static str,
    no_show: String,
}

#[derive(Debug, Serialize)]
struct Page<'a> {
    report: &'a Report,
    rows: Vec<Row<'a>>,
    total_no_show: String,
    window_end: String,
    limit_days: i64,
    at_risk_days: i64,
    charts: Vec<Chart>,
}

const LABEL_W: u32 = 230;
const ROW_H: u32 = 28;
const TOP: u32 = 34;

/// A bar length for `value` out of `max` on `span` pixels (at least 1
/// pixel for a value above 0).
fn scale(value: u64, max: u64, span: u32) -> u32 {
    if value == 0 || max == 0 {
        return 0;
    }
    let w = (value as f64 / max as f64 * f64::from(span)).round() as u32;
    w.max(1)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One row per chapter, one column per quarter; in each cell a bar as long
/// as the number of meetings held, and the number.
pub fn meetings_chart(report: &Report) -> Chart {
    const COL_W: u32 = 96;
    const BAR_MAX: u32 = 64;
    let max = report
        .chapters
        .iter()
        .flat_map(|c| c.meetings_per_quarter.iter().copied())
        .max()
        .unwrap_or(0) as u64;
    let n = report.chapters.len() as u32;
    let width = LABEL_W + COL_W * report.quarters.len() as u32 + 8;
    let height = TOP + ROW_H * n + 8;
    let mut chart = Chart {
        id: "meetings-per-quarter",
        title: format!(
            "Meetings held per chapter per quarter, {} to {}",
            report.window_start,
            report.today.pred_opt().unwrap_or(report.today)
        ),
        width,
        height,
        bars: Vec::new(),
        labels: Vec::new(),
        rules: Vec::new(),
    };
    for (j, q) in report.quarters.iter().enumerate() {
        let x = LABEL_W + COL_W * j as u32;
        chart.labels.push(Label {
            x: x + 4,
            y: TOP - 12,
            anchor: "start",
            class: "head",
            text: q.label(),
        });
        chart.rules.push(Rule {
            x1: x,
            y1: TOP - 6,
            x2: x,
            y2: height - 4,
        });
    }
    for (i, c) in report.chapters.iter().enumerate() {
        let y = TOP + ROW_H * i as u32;
        chart.labels.push(Label {
            x: LABEL_W - 10,
            y: y + 18,
            anchor: "end",
            class: "name",
            text: c.name.clone(),
        });
        for (j, (&count, q)) in c
            .meetings_per_quarter
            .iter()
            .zip(&report.quarters)
            .enumerate()
        {
            let x = LABEL_W + COL_W * j as u32 + 4;
            let w = scale(count as u64, max, BAR_MAX);
            chart.bars.push(Bar {
                x,
                y: y + 7,
                w,
                h: 14,
                class: "q",
                chapter: c.id.clone(),
                series: q.label(),
                value: count as u64,
                title: format!(
                    "{}, {}: {}",
                    c.name,
                    q.label(),
                    plural(count as u64, "meeting", "meetings")
                ),
            });
            chart.labels.push(Label {
                x: x + w + 4,
                y: y + 19,
                anchor: "start",
                class: "value",
                text: count.to_string(),
            });
        }
    }
    chart
}

/// One row per chapter: a bar for RSVPs and one for attendance, on the
/// same scale, with the numbers.
pub fn turnout_chart(report: &Report) -> Chart {
    const BAR_MAX: u32 = 400;
    const ROW: u32 = 38;
    let max = report
        .chapters
        .iter()
        .map(|c| c.turnout.rsvps.max(c.turnout.attendance))
        .max()
        .unwrap_or(0);
    let n = report.chapters.len() as u32;
    let width = LABEL_W + BAR_MAX + 60;
    let height = TOP + ROW * n + 8;
    let mut chart = Chart {
        id: "rsvps-vs-attendance",
        title: "RSVPs and attendance per chapter (held meetings that recorded both)".into(),
        width,
        height,
        bars: Vec::new(),
        labels: Vec::new(),
        rules: vec![Rule {
            x1: LABEL_W,
            y1: TOP - 6,
            x2: LABEL_W,
            y2: height - 4,
        }],
    };
    // Legend.
    for (k, (class, text)) in [("rsvps", "RSVPs"), ("attendance", "Attended")]
        .into_iter()
        .enumerate()
    {
        let x = LABEL_W + 110 * k as u32;
        chart.bars.push(Bar {
            x,
            y: 8,
            w: 12,
            h: 12,
            class,
            chapter: String::new(),
            series: "legend".into(),
            value: 0,
            title: text.into(),
        });
        chart.labels.push(Label {
            x: x + 18,
            y: 18,
            anchor: "start",
            class: "head",
            text: text.into(),
        });
    }
    for (i, c) in report.chapters.iter().enumerate() {
        let y = TOP + ROW * i as u32;
        chart.labels.push(Label {
            x: LABEL_W - 10,
            y: y + 20,
            anchor: "end",
            class: "name",
            text: c.name.clone(),
        });
        for (k, (class, value, what)) in [
            ("rsvps", c.turnout.rsvps, "RSVPs"),
            ("attendance", c.turnout.attendance, "attended"),
        ]
        .into_iter()
        .enumerate()
        {
            let by = y + 4 + 15 * k as u32;
            let w = scale(value, max, BAR_MAX);
            chart.bars.push(Bar {
                x: LABEL_W + 1,
                y: by,
                w,
                h: 13,
                class,
                chapter: c.id.clone(),
                series: class.into(),
                value,
                title: format!("{}: {value} {what}", c.name),
            });
            chart.labels.push(Label {
                x: LABEL_W + w + 6,
                y: by + 11,
                anchor: "start",
                class: "value",
                text: value.to_string(),
            });
        }
    }
    chart
}

/// The whole page.
pub fn page(report: &Report) -> Result<String, String> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_template("report.html", TEMPLATE)
        .map_err(|e| error_chain(&e))?;
    let view = Page {
        report,
        rows: report
            .chapters
            .iter()
            .map(|c| Row {
                c,
                leaders: c
                    .leaders
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                standing: c.standing.label(),
                no_show: c.turnout.rate_label(),
            })
            .collect(),
        total_no_show: report.totals.turnout.rate_label(),
        window_end: report.today.pred_opt().unwrap_or(report.today).to_string(),
        limit_days: LIMIT_DAYS,
        at_risk_days: AT_RISK_DAYS,
        charts: vec![meetings_chart(report), turnout_chart(report)],
    };
    let ctx = Context::from_serialize(&view).map_err(|e| error_chain(&e))?;
    tera.render("report.html", &ctx)
        .map_err(|e| error_chain(&e))
}
