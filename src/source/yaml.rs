//! The only module that calls `serde_yaml` (the maintained `serde_yaml_ng`
//! fork, aliased in Cargo.toml), so that a later swap touches one file.
//!
//! It parses a YAML text into a value, reads typed fields out of mappings
//! while collecting one diagnostic per bad field (not just the first), and
//! finds the byte range of a key path in the text so that later stages can
//! point at the right line without keeping spans in every struct.

use std::ops::Range;

use serde::de::DeserializeOwned;
pub use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostic, Span};
use crate::source::FileId;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    pub fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }
}

/// Render a path for messages: `talks[1].speaker.company`.
pub fn path_text(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parse YAML `text` lying at byte `base` of file `file`. Errors point at
/// the whole-file offset of the problem.
pub fn parse(file: FileId, text: &str, base: usize) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Value::Mapping(Mapping::new()));
    }
    serde_yaml::from_str::<Value>(text).map_err(|e| syntax_error(file, text, base, &e))
}

fn syntax_error(file: FileId, text: &str, base: usize, e: &serde_yaml::Error) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; the renderer shows the
    // location itself, relative to the whole file.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let offset = e.location().map(|l| l.index()).unwrap_or(0);
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let help = if line.contains('\t') || text[..offset.min(text.len())].ends_with('\t') {
        "YAML does not allow tabs for indentation: indent with spaces".to_string()
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        "remove the anchors (`&name`) and aliases (`*name`): write the values out".to_string()
    } else if message.contains("duplicate") {
        "each field may appear once: remove one of them".to_string()
    } else {
        "check the indentation, and put values that contain `: `, ` #` or start with `*`, `&`, `!`, `{`, `[`, `@` or a quote in double quotes".to_string()
    };
    let start = base + offset.min(text.len());
    let end = (start + 1).min(base + text.len()).max(start);
    Diagnostic::error("content/yaml-syntax", format!("invalid YAML: {message}"))
        .with_span(Span::at(file, start..end))
        .with_help(help)
}

/// Reads fields from one YAML document, collecting a diagnostic per problem.
pub struct Reader<'a> {
    pub file: FileId,
    text: &'a str,
    base: usize,
    pub errors: Vec<Diagnostic>,
}

/// A mapping inside the document, with its path.
#[derive(Clone)]
pub struct Obj<'m> {
    pub map: &'m Mapping,
    pub path: Vec<Seg>,
}

impl<'m> Obj<'m> {
    pub fn get(&self, key: &str) -> Option<&'m Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    pub fn child(&self, seg: Seg) -> Vec<Seg> {
        let mut p = self.path.clone();
        p.push(seg);
        p
    }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of fields",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(word, c),
                strsim::jaro_winkler(word, c),
                *c,
            )
        })
        .filter(|(d, jw, _)| *d <= 2 || *jw >= 0.85)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, c)| c)
}

impl<'a> Reader<'a> {
    pub fn new(file: FileId, text: &'a str, base: usize) -> Self {
        Reader {
            file,
            text,
            base,
            errors: Vec::new(),
        }
    }

    /// Span of the key at `path` in the whole file; falls back to the
    /// nearest parent that can be found, or the start of the document.
    pub fn span(&self, path: &[Seg]) -> Span {
        let r = locate(self.text, path).unwrap_or(0..0);
        Span::at(self.file, self.base + r.start..self.base + r.end)
    }

    pub fn error(&mut self, path: &[Seg], code: &str, message: String, help: impl Into<String>) {
        let d = Diagnostic::error(code, message)
            .with_span(self.span(path))
            .with_help(help.into());
        self.errors.push(d);
    }

    /// View `value` at `path` as a mapping with the `allowed` keys; unknown
    /// keys are reported with the closest allowed one.
    pub fn object<'m>(
        &mut self,
        value: &'m Value,
        path: Vec<Seg>,
        allowed: &[&str],
    ) -> Option<Obj<'m>> {
        let obj = self.mapping(value, path, allowed)?;
        self.unknown_keys(&obj, allowed);
        Some(obj)
    }

    /// View `value` at `path` as a mapping whose keys are free-form.
    pub fn mapping<'m>(
        &mut self,
        value: &'m Value,
        path: Vec<Seg>,
        allowed: &[&str],
    ) -> Option<Obj<'m>> {
        let Value::Mapping(map) = value else {
            let what = if path.is_empty() {
                "the front matter".to_string()
            } else {
                format!("`{}`", path_text(&path))
            };
            self.error(
                &path,
                "content/wrong-type",
                format!(
                    "{what} must be a set of `field: value` lines, found {}",
                    describe(value)
                ),
                format!(
                    "write one `field: value` per line; the fields are {}",
                    list(allowed)
                ),
            );
            return None;
        };
        Some(Obj { map, path })
    }

    fn unknown_keys(&mut self, obj: &Obj<'_>, allowed: &[&str]) {
        let (map, path) = (obj.map, &obj.path);
        for key in map.keys() {
            let Some(k) = key.as_str() else {
                self.error(
                    path,
                    "content/unknown-field",
                    format!("field names must be text, found {}", describe(key)),
                    format!("the fields are {}", list(allowed)),
                );
                continue;
            };
            if !allowed.contains(&k) {
                let mut p = path.to_vec();
                p.push(Seg::key(k));
                let help = match did_you_mean(k, allowed) {
                    Some(s) => format!("did you mean `{s}`? The fields here are {}", list(allowed)),
                    None => format!("remove it; the fields here are {}", list(allowed)),
                };
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!(" in `{}`", path_text(path))
                };
                self.error(
                    &p,
                    "content/unknown-field",
                    format!("unknown field `{k}`{at}"),
                    help,
                );
            }
        }
    }

    /// A required field; reports it missing.
    pub fn req<T: DeserializeOwned>(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        expect: &str,
    ) -> Option<T> {
        if obj.get(key).is_none() {
            self.missing(obj, key, expect);
            return None;
        }
        self.opt(obj, key, expect)
    }

    pub fn missing(&mut self, obj: &Obj<'_>, key: &str, expect: &str) {
        let at = if obj.path.is_empty() {
            String::new()
        } else {
            format!(" in `{}`", path_text(&obj.path))
        };
        self.error(
            &obj.path,
            "content/missing-field",
            format!("missing required field `{key}`{at}"),
            format!("add `{key}: ` followed by {expect}"),
        );
    }

    /// An optional field; `None` when absent, null, or of the wrong type
    /// (which is reported).
    pub fn opt<T: DeserializeOwned>(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        expect: &str,
    ) -> Option<T> {
        let v = obj.get(key)?;
        let path = obj.child(Seg::key(key));
        self.value(v, &path, expect)
    }

    /// Convert any value at `path` to `T`, reporting a type error.
    pub fn value<T: DeserializeOwned>(
        &mut self,
        v: &Value,
        path: &[Seg],
        expect: &str,
    ) -> Option<T> {
        match serde_yaml::from_value::<T>(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.error(
                    path,
                    "content/wrong-type",
                    format!(
                        "`{}` must be {expect}, found {}",
                        path_text(path),
                        describe(v)
                    ),
                    format!("write `{}: ` followed by {expect}", last_key(path)),
                );
                None
            }
        }
    }

    /// A text field. Numbers and booleans are taken as their text, so
    /// `name: 1984` works as a volunteer expects.
    pub fn text(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        required: bool,
        expect: &str,
    ) -> Option<String> {
        let Some(v) = obj.get(key) else {
            if required {
                self.missing(obj, key, expect);
            }
            return None;
        };
        let path = obj.child(Seg::key(key));
        scalar_text(v).or_else(|| {
            self.error(
                &path,
                "content/wrong-type",
                format!(
                    "`{}` must be {expect}, found {}",
                    path_text(&path),
                    describe(v)
                ),
                format!("write `{key}: ` followed by {expect}"),
            );
            None
        })
    }

    /// A list of values at `key` (a single value counts as a list of one).
    pub fn list<'m>(
        &mut self,
        obj: &Obj<'m>,
        key: &str,
        expect: &str,
    ) -> Vec<(Vec<Seg>, &'m Value)> {
        let Some(v) = obj.get(key) else {
            return Vec::new();
        };
        match v {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    (
                        obj.child(Seg::key(key))
                            .into_iter()
                            .chain([Seg::Index(i)])
                            .collect(),
                        item,
                    )
                })
                .collect(),
            Value::Mapping(_) | Value::Tagged(_) => {
                let path = obj.child(Seg::key(key));
                self.error(
                    &path,
                    "content/wrong-type",
                    format!(
                        "`{}` must be a list, found {}",
                        path_text(&path),
                        describe(v)
                    ),
                    format!("write each item on its own line starting with `- `: {expect}"),
                );
                Vec::new()
            }
            other => vec![(obj.child(Seg::key(key)), other)],
        }
    }
}

/// Text of a scalar value (strings, numbers, booleans).
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn last_key(path: &[Seg]) -> String {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(k.clone()),
            Seg::Index(_) => None,
        })
        .unwrap_or_default()
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Deserialize a whole YAML text into `T` (for small typed documents).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// Serialize a value as YAML (used by `new`, `init` and `import` to write
/// front matter that is quoted correctly).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// Locating a key path in block-style YAML text.
// ---------------------------------------------------------------------------

struct Line<'t> {
    start: usize,
    indent: usize,
    content: &'t str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push(Line {
                start,
                indent: body.len() - trimmed.len(),
                content: trimmed,
            });
        }
        start += raw.len();
    }
    out
}

fn key_of(content: &str) -> Option<&str> {
    let content = content.trim_start();
    let (k, rest) = if let Some(stripped) = content.strip_prefix('"') {
        let end = stripped.find('"')?;
        (&stripped[..end], &stripped[end + 1..])
    } else if let Some(stripped) = content.strip_prefix('\'') {
        let end = stripped.find('\'')?;
        (&stripped[..end], &stripped[end + 1..])
    } else {
        let end = content.find(':')?;
        (content[..end].trim_end(), &content[end..])
    };
    (rest.starts_with(':') && (rest.len() == 1 || rest[1..].starts_with([' ', '\t']))).then_some(k)
}

/// Byte range (in `text`) of the deepest part of `path` that can be found:
/// the key for a `Key` step, the item for an `Index` step.
pub fn locate(text: &str, path: &[Seg]) -> Option<Range<usize>> {
    let ls = lines(text);
    // A block is a range of line indices plus the column its entries start at.
    // `first_col` lets a list item's first line ("- title: x") count as
    // starting at the column after "- ".
    let mut block = 0..ls.len();
    let mut first_col: Option<usize> = None;
    let mut best: Option<Range<usize>> = None;
    for seg in path {
        if block.is_empty() {
            // Maybe a flow mapping on the parent's line: `venue: {name: x}`.
            if let (Seg::Key(k), Some(b)) = (seg, &best) {
                let line_end = text[b.start..]
                    .find('\n')
                    .map_or(text.len(), |e| b.start + e);
                if let Some(p) = text[b.start..line_end].find(&format!("{k}:")) {
                    return Some(b.start + p..b.start + p + k.len());
                }
            }
            break;
        }
        let col_of = |i: usize, first: Option<usize>| -> (usize, &str) {
            if i == block.start {
                if let Some(c) = first {
                    let l = &ls[i];
                    let skip = c - l.indent;
                    return (c, &l.content[skip.min(l.content.len())..]);
                }
            }
            (ls[i].indent, ls[i].content)
        };
        let (base_col, _) = col_of(block.start, first_col);
        match seg {
            Seg::Key(k) => {
                let found = block.clone().find(|&i| {
                    let (c, content) = col_of(i, first_col);
                    c == base_col && key_of(content) == Some(k.as_str())
                });
                let Some(i) = found else { break };
                let (c, content) = col_of(i, first_col);
                let key_start = ls[i].start + c + (content.len() - content.trim_start().len());
                best = Some(key_start..key_start + k.len().max(1));
                // Children: following lines indented deeper than the key.
                let end = ((i + 1)..block.end)
                    .find(|&j| ls[j].indent <= c)
                    .unwrap_or(block.end);
                block = (i + 1)..end;
                first_col = None;
            }
            Seg::Index(n) => {
                let items: Vec<usize> = block
                    .clone()
                    .filter(|&i| {
                        let (c, content) = col_of(i, first_col);
                        c == base_col && (content.starts_with("- ") || content == "-")
                    })
                    .collect();
                let Some(&i) = items.get(*n) else { break };
                let (c, content) = col_of(i, first_col);
                let item_start = ls[i].start + c;
                let line_len = content.len();
                best = Some(item_start..item_start + line_len);
                let end = ((i + 1)..block.end)
                    .find(|&j| ls[j].indent <= c)
                    .unwrap_or(block.end);
                // The item's own fields start after "- " on its first line.
                let after = content[1..].len() - content[1..].trim_start().len();
                if content.len() > 1 + after {
                    block = i..end;
                    first_col = Some(c + 1 + after);
                } else {
                    block = (i + 1)..end;
                    first_col = None;
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: Night\nstart: 2026-12-03T18:00\nvenue:\n  name: Hall\n  address: 1 Main St\ntalks:\n  - title: A\n    speaker:\n      name: Ann\n      affiliation: partner\n  -\n    title: B\n    speaker: {name: Bo, company: X}\n";

    fn at(path: &[Seg]) -> &'static str {
        let r = locate(DOC, path).unwrap();
        &DOC[r]
    }

    #[test]
    fn finds_top_level_and_nested_keys() {
        assert_eq!(at(&[Seg::key("start")]), "start");
        assert_eq!(at(&[Seg::key("venue"), Seg::key("address")]), "address");
        let r = locate(DOC, &[Seg::key("venue"), Seg::key("address")]).unwrap();
        assert_eq!(DOC[..r.start].matches('\n').count() + 1, 5);
    }

    #[test]
    fn finds_list_items_and_keys_inside_them() {
        let p = [
            Seg::key("talks"),
            Seg::Index(0),
            Seg::key("speaker"),
            Seg::key("affiliation"),
        ];
        assert_eq!(at(&p), "affiliation");
        assert_eq!(
            at(&[Seg::key("talks"), Seg::Index(0), Seg::key("title")]),
            "title"
        );
        let r = locate(DOC, &[Seg::key("talks"), Seg::Index(1), Seg::key("title")]).unwrap();
        assert_eq!(DOC[..r.start].matches('\n').count() + 1, 12);
        // flow mapping on the parent line
        let r = locate(
            DOC,
            &[
                Seg::key("talks"),
                Seg::Index(1),
                Seg::key("speaker"),
                Seg::key("company"),
            ],
        )
        .unwrap();
        assert_eq!(&DOC[r.clone()], "company");
        assert_eq!(DOC[..r.start].matches('\n').count() + 1, 13);
    }

    #[test]
    fn falls_back_to_the_deepest_parent_found() {
        assert_eq!(at(&[Seg::key("venue"), Seg::key("map_url")]), "venue");
        assert!(locate(DOC, &[Seg::key("nothing")]).is_none());
    }

    #[test]
    fn syntax_errors_point_into_the_whole_file() {
        let text = "title: ok\nstart: [unclosed\n";
        let e = parse(FileId(0), text, 4).unwrap_err();
        let r = e.span.unwrap().range.unwrap();
        assert!(r.start >= 4 + 10, "{r:?}");
        assert!(!e.message.contains(" at line "));
    }

    #[test]
    fn tabs_get_a_specific_hint() {
        let e = parse(FileId(0), "venue:\n\tname: x\n", 0).unwrap_err();
        assert!(e.help.unwrap().contains("tabs"));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut doc =
            String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            doc.push_str(&format!("l{i}: &l{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        assert!(parse(FileId(0), &doc, 0).is_err());
    }

    #[test]
    fn unknown_fields_suggest_the_closest() {
        assert_eq!(
            did_you_mean("strat", &["title", "start", "end"]),
            Some("start")
        );
        assert_eq!(did_you_mean("zzzzzz", &["title", "start"]), None);
        let v = parse(FileId(0), "strat: 1\ntitle: x\n", 0).unwrap();
        let mut r = Reader::new(FileId(0), "strat: 1\ntitle: x\n", 0);
        r.object(&v, vec![], &["title", "start"]);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].help.as_ref().unwrap().contains("`start`"));
    }
}
