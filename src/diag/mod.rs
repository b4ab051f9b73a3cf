//! Diagnostics as data.
//!
//! Every stage reports content problems into a [`Diagnostics`] sink and
//! carries on; nothing here formats text for a terminal (see [`render`]).
//! A diagnostic points at a whole-file byte range; line and column are
//! computed only when rendering.

pub mod render;

use serde::Serialize;
use std::ops::Range;

use crate::source::{FileId, SourceSet};

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a diagnostic points: a file and, when known, a byte range in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub range: Option<Range<usize>>,
}

impl Span {
    pub fn file(file: FileId) -> Self {
        Span { file, range: None }
    }
    pub fn at(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            range: Some(range),
        }
    }
}

/// One problem found in the site.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A rule id (`free-of-charge`) or a content error id (`content/unknown-field`).
    pub code: String,
    pub message: String,
    pub span: Option<Span>,
    /// A short text shown under the pointed-at spot.
    pub label: Option<String>,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    pub fn in_file(self, file: FileId) -> Self {
        self.with_span(Span::file(file))
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The sink every stage writes into.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
    /// Sort into a stable order: by file path, position, then code and message,
    /// so output never depends on the order work finished in.
    pub fn sort(&mut self, sources: &SourceSet) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                let (path, pos) = match &d.span {
                    Some(s) => (
                        sources.path(s.file).to_string(),
                        s.range.as_ref().map_or(0, |r| r.start),
                    ),
                    None => (String::new(), 0),
                };
                (path, pos)
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.message.cmp(&b.message))
        });
        self.items
            .dedup_by(|a, b| a.code == b.code && a.message == b.message && a.span == b.span);
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}
