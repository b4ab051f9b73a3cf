//! Renderers for diagnostics: human (miette's graphical report), JSON and
//! GitHub Actions workflow commands. Line and column are computed here,
//! from whole-file byte offsets, and nowhere earlier.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::source::SourceSet;

/// A diagnostic with its location resolved to path, line and column.
#[derive(Debug, Clone, Serialize)]
pub struct Located<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub label: Option<&'a str>,
    pub help: Option<&'a str>,
}

pub fn locate<'a>(d: &'a Diagnostic, sources: &'a SourceSet) -> Located<'a> {
    let mut l = Located {
        severity: d.severity,
        code: &d.code,
        message: &d.message,
        file: None,
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        label: d.label.as_deref(),
        help: d.help.as_deref(),
    };
    if let Some(span) = &d.span {
        let f = sources.get(span.file);
        l.file = Some(&f.path);
        if let Some(r) = &span.range {
            let (line, col) = f.line_col(r.start);
            let (eline, ecol) = f.line_col(r.end.max(r.start));
            l.line = Some(line);
            l.column = Some(col);
            l.end_line = Some(eline);
            l.end_column = Some(ecol);
        }
    }
    l
}

/// Options for the human renderer.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

#[derive(Debug)]
struct MietteView {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    label: Option<miette::LabeledSpan>,
    source: Option<miette::NamedSource<String>>,
}

impl std::fmt::Display for MietteView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = _>>)
    }
}

/// One diagnostic as a human reads it: the message, the file with line and
/// column, the offending lines with a marker, and the help.
pub fn human_one(d: &Diagnostic, sources: &SourceSet, opts: HumanOptions) -> String {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let mut view = MietteView {
        message: d.message.clone(),
        code: d.code.clone(),
        severity,
        help: d.help.clone(),
        label: None,
        source: None,
    };
    let mut header_path = None;
    if let Some(span) = &d.span {
        let f = sources.get(span.file);
        match &span.range {
            Some(r) => {
                let len = r
                    .end
                    .saturating_sub(r.start)
                    .max(usize::from(r.start < f.text.len()));
                view.label = Some(miette::LabeledSpan::new(d.label.clone(), r.start, len));
                view.source = Some(miette::NamedSource::new(f.path.clone(), f.text.clone()));
            }
            None => header_path = Some(f.path.clone()),
        }
    }
    let theme = if opts.color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(1);
    let mut out = String::new();
    if let Some(p) = header_path {
        let _ = writeln!(out, "{p}:");
    }
    if handler.render_report(&mut out, &view).is_err() {
        let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
    }
    out
}

/// Every diagnostic for a person, followed by a count.
pub fn human(diags: &Diagnostics, sources: &SourceSet, opts: HumanOptions) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        out.push_str(&human_one(d, sources, opts));
    }
    out
}

/// `2 errors, 1 warning, 3 notes`.
pub fn counts(diags: &Diagnostics) -> String {
    let n = |s, one: &str, many: &str| {
        let c = diags.count(s);
        format!("{c} {}", if c == 1 { one } else { many })
    };
    format!(
        "{}, {}, {}",
        n(Severity::Error, "error", "errors"),
        n(Severity::Warning, "warning", "warnings"),
        n(Severity::Note, "note", "notes")
    )
}

/// The JSON document of `check --format json`, schema version 1
/// (documented in `docs/check.md`). Fields are only ever added, and a
/// removal or a change of meaning raises `version`.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    /// The build date the time-based rules were checked for.
    pub today: String,
    /// False when the exit code is 1 (an error, or a warning under `--deny warnings`).
    pub ok: bool,
    pub summary: JsonSummary,
    pub diagnostics: Vec<Located<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn json(diags: &Diagnostics, sources: &SourceSet, ok: bool, today: NaiveDate) -> String {
    let report = JsonReport {
        version: 1,
        today: today.to_string(),
        ok,
        summary: JsonSummary {
            errors: diags.count(Severity::Error),
            warnings: diags.count(Severity::Warning),
            notes: diags.count(Severity::Note),
        },
        diagnostics: diags.iter().map(|d| locate(d, sources)).collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one line per diagnostic, so that the
/// findings show on the pull request's lines:
/// `::error file=<path>,line=<n>,col=<n>,title=<code>::<message>%0Ahelp: <help>`
/// (`warning` and `notice` for the other severities). Escaping follows
/// `@actions/core`: `%`, CR and LF in the message; also `:` and `,` in
/// properties.
pub fn github(diags: &Diagnostics, sources: &SourceSet) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let l = locate(d, sources);
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = l.file {
            props.push(format!("file={}", escape_property(f)));
        }
        if let (Some(line), Some(col)) = (l.line, l.column) {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", escape_property(&d.code)));
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        let _ = writeln!(out, "::{cmd} {}::{}", props.join(","), escape_data(&msg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::source::{FileId, SourceFile};

    fn one() -> (Diagnostics, SourceSet) {
        let mut set = SourceSet::new("/x".into());
        set.add(SourceFile::new(
            "content/a.md".into(),
            "---\ntitle: x\nprice: 10\n---\n".into(),
            None,
        ));
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error("free-of-charge", "charges, 10%")
                .with_span(Span::at(FileId(0), 13..18))
                .with_help("set `price: free`"),
        );
        (d, set)
    }

    #[test]
    fn human_output_names_file_line_column_and_help_without_colour() {
        let (d, set) = one();
        let s = human(
            &d,
            &set,
            HumanOptions {
                color: false,
                width: 80,
            },
        );
        assert!(s.contains("content/a.md:3:1"), "{s}");
        assert!(s.contains("free-of-charge"), "{s}");
        assert!(s.contains("set `price: free`"), "{s}");
        assert!(!s.contains('\u{1b}'), "no escape codes: {s}");
    }

    #[test]
    fn json_has_located_entries() {
        let (d, set) = one();
        let v: serde_json::Value = serde_json::from_str(&json(
            &d,
            &set,
            false,
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        ))
        .unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["today"], "2026-11-24");
        assert_eq!(v["ok"], false);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 0);
        assert_eq!(v["diagnostics"][0]["severity"], "error");
        assert_eq!(v["diagnostics"][0]["code"], "free-of-charge");
        assert_eq!(v["diagnostics"][0]["end_column"], 6);
        assert_eq!(v["diagnostics"][0]["line"], 3);
        assert_eq!(v["diagnostics"][0]["column"], 1);
        assert_eq!(v["diagnostics"][0]["file"], "content/a.md");
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        let (d, set) = one();
        let s = github(&d, &set);
        assert_eq!(
            s,
            "::error file=content/a.md,line=3,col=1,title=free-of-charge::charges, 10%25%0Ahelp: set `price: free`\n"
        );
    }

    #[test]
    fn github_uses_warning_and_notice_and_escapes_properties() {
        let mut set = SourceSet::new("/x".into());
        set.add(SourceFile::new(
            "content/a,b:c.md".into(),
            "---\ntitle: x\n---\n".into(),
            None,
        ));
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::warning("chapter-active", "two\r\nlines")
                .with_span(Span::at(FileId(0), 4..9)),
        );
        let mut note = Diagnostic::warning("co-leader-encouraged", "one leader").in_file(FileId(0));
        note.severity = Severity::Note;
        d.push(note);
        d.push(Diagnostic::error("content/io", "no file"));
        assert_eq!(
            github(&d, &set),
            "::warning file=content/a%2Cb%3Ac.md,line=2,col=1,title=chapter-active::two%0D%0Alines\n\
             ::notice file=content/a%2Cb%3Ac.md,title=co-leader-encouraged::one leader\n\
             ::error title=content/io::no file\n"
        );
    }
}
