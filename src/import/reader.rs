//! Reading iCalendar files: RFC 5545 unfolding, a structural check with
//! line numbers, the `ical` crate's parser, and TEXT unescaping.
//!
//! Why `ical` with our own unfolding in front: the `ical` crate (0.11) joins
//! folded lines after `trim_end()`ing each physical line, so a fold after a
//! space loses the space (`Hello \r\n World` reads `HelloWorld`), and it
//! reads with `BufRead::lines()`, so a fold inside a multi-byte character
//! (which RFC 5545 tells readers to accept) ends the parse. Its maintained
//! fork `caldata` unfolds exactly, but it depends on `vtimezones-rs`, which
//! is GPL-3.0-or-later and would end up in our MIT/Apache binary. So we
//! unfold here, byte by byte, before `ical` sees the text: it then never
//! meets a fold. Two more of its quirks are handled or accepted: it strips
//! every `:` at the start of a value (we put a backslash in front first,
//! see [`protect_leading_colons`]), and it trims whitespace at the very end
//! of a value, which import trims anyway. Every other value reads back
//! exactly (a property test in `tests/it/ical.rs` checks it). The
//! tests read our feeds back with `caldata` (a dev-dependency only), which
//! is exact, and with this reader.
//!
//! Neither crate unescapes TEXT values; [`unescape_text`] does.

use std::fmt;

/// One content line: name (upper case), parameters and raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub params: Vec<(String, Vec<String>)>,
    pub value: String,
}

impl Property {
    /// The first value of parameter `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
    /// The value as TEXT, unescaped.
    pub fn text(&self) -> String {
        unescape_text(&self.value)
    }
}

/// A component's properties, looked up by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties(pub Vec<Property>);

impl Properties {
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.0.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.0
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
    }
    /// The unescaped TEXT value of `name`.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(Property::text)
    }
}

/// A `STANDARD` or `DAYLIGHT` block of a `VTIMEZONE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    pub daylight: bool,
    pub properties: Properties,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VTimezone {
    pub properties: Properties,
    pub observances: Vec<Observance>,
}

impl VTimezone {
    pub fn tzid(&self) -> Option<&str> {
        self.properties.get("TZID").map(|p| p.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VEvent {
    pub properties: Properties,
    /// The line the `BEGIN:VEVENT` is on, in the original file.
    pub line: usize,
}

/// One `VCALENDAR`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub properties: Properties,
    pub events: Vec<VEvent>,
    pub timezones: Vec<VTimezone>,
    /// How many to-dos, journal entries and free/busy blocks were left out.
    pub other_components: usize,
}

impl Calendar {
    pub fn timezone(&self, tzid: &str) -> Option<&VTimezone> {
        self.timezones.iter().find(|z| z.tzid() == Some(tzid))
    }
}

/// Why a file is not a readable iCalendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line in the original file, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

fn err(line: Option<usize>, message: impl Into<String>) -> ReadError {
    ReadError {
        line,
        message: message.into(),
    }
}

/// RFC 5545 §3.1 unfolding on bytes: a line break (CRLF, or a bare LF)
/// followed by one space or tab is removed. Works below the character
/// level, so a fold inside a multi-byte character joins back up. Returns
/// the unfolded text and, for each of its lines, the 1-based line of the
/// original where it starts.
pub fn unfold(bytes: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut starts = vec![1];
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let brk = match (b, bytes.get(i + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\n', _) => 1,
            _ => 0,
        };
        if brk == 0 {
            out.push(b);
            i += 1;
            continue;
        }
        line += 1;
        if matches!(bytes.get(i + brk), Some(b' ' | b'\t')) {
            i += brk + 1;
        } else {
            out.extend_from_slice(&bytes[i..i + brk]);
            starts.push(line);
            i += brk;
        }
    }
    (out, starts)
}

/// Unescape a TEXT value: `\\` `\;` `\,` `\n` `\N`. A backslash before any
/// other character is dropped (some writers escape `:`), a final lone one
/// kept.
pub fn unescape_text(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Check the structure line by line so that problems are reported with the
/// line they are on: every line is `NAME[;params]:value`, and every
/// `BEGIN` has its `END`.
fn check_structure(text: &str, starts: &[usize]) -> Result<(), ReadError> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut seen_calendar = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r');
        let line_no = starts.get(i).copied().unwrap_or(i + 1);
        let at = Some(line_no);
        if line.trim().is_empty() {
            continue;
        }
        let name_end = line.find([':', ';']).unwrap_or(line.len());
        let name = &line[..name_end];
        if name.is_empty()
            || name_end == line.len()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            let shown: String = line.chars().take(40).collect();
            return Err(err(
                at,
                format!(
                    "`{shown}` is not an iCalendar content line (`NAME:value`); is the file cut off or edited by hand?"
                ),
            ));
        }
        let value = || line[name_end + 1..].trim().to_ascii_uppercase();
        if name.eq_ignore_ascii_case("BEGIN") {
            let v = value();
            if stack.is_empty() {
                if v != "VCALENDAR" {
                    return Err(err(
                        at,
                        format!(
                            "found `BEGIN:{v}` where `BEGIN:VCALENDAR` should start the calendar"
                        ),
                    ));
                }
                seen_calendar = true;
            }
            stack.push((v, line_no));
        } else if name.eq_ignore_ascii_case("END") {
            let v = value();
            match stack.pop() {
                Some((open, _)) if open == v => {}
                Some((open, l)) => {
                    return Err(err(
                        at,
                        format!("`END:{v}` does not close `BEGIN:{open}` from line {l}"),
                    ));
                }
                None => return Err(err(at, format!("`END:{v}` without a `BEGIN:{v}`"))),
            }
        } else if stack.is_empty() {
            return Err(err(
                at,
                format!("`{name}` is outside `BEGIN:VCALENDAR` … `END:VCALENDAR`"),
            ));
        }
    }
    if let Some((open, l)) = stack.pop() {
        return Err(err(
            Some(l),
            format!("`BEGIN:{open}` is never closed with `END:{open}`; the file may be cut off"),
        ));
    }
    if !seen_calendar {
        return Err(err(
            None,
            "no `BEGIN:VCALENDAR`: this is not an iCalendar (.ics) file",
        ));
    }
    Ok(())
}

/// `ical` strips every `:` at the start of a value (it trims the value
/// delimiter with `trim_start_matches`), so `SUMMARY::-)` would read `-)`.
/// A backslash in front keeps them: the `ical` parser leaves it alone and
/// [`unescape_text`] drops a backslash before `:`.
fn protect_leading_colons(text: &str) -> std::borrow::Cow<'_, str> {
    let value_start = |line: &str| {
        let mut quoted = false;
        for (i, b) in line.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b':' if !quoted => return Some(i + 1),
                _ => {}
            }
        }
        None
    };
    let hits = text
        .split_inclusive('\n')
        .any(|l| value_start(l).is_some_and(|v| l[v..].starts_with(':')));
    if !hits {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        match value_start(line) {
            Some(v) if line[v..].starts_with(':') => {
                out.push_str(&line[..v]);
                out.push('\\');
                out.push_str(&line[v..]);
            }
            _ => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn props(list: Vec<ical::property::Property>) -> Properties {
    Properties(
        list.into_iter()
            .map(|p| Property {
                name: p.name.to_ascii_uppercase(),
                params: p
                    .params
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_uppercase(), v))
                    .collect(),
                value: p.value.unwrap_or_default(),
            })
            .collect(),
    )
}

/// Read every `VCALENDAR` in `bytes`.
pub fn read(bytes: &[u8]) -> Result<Vec<Calendar>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (unfolded, starts) = unfold(bytes);
    let text = match std::str::from_utf8(&unfolded) {
        Ok(t) => t,
        Err(e) => {
            let good = &unfolded[..e.valid_up_to()];
            let i = good.iter().filter(|&&b| b == b'\n').count();
            return Err(err(
                starts.get(i).copied(),
                "the file is not UTF-8 text; export it again as UTF-8",
            ));
        }
    };
    check_structure(text, &starts)?;
    // Where each VEVENT begins, to point at it later.
    let mut event_lines = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| {
            l.trim_end_matches('\r')
                .trim()
                .eq_ignore_ascii_case("BEGIN:VEVENT")
        })
        .map(|(i, _)| starts.get(i).copied().unwrap_or(i + 1))
        .collect::<Vec<_>>()
        .into_iter();
    let prepared = protect_leading_colons(text);
    let mut out = Vec::new();
    for cal in ical::IcalParser::new(std::io::BufReader::new(prepared.as_bytes())) {
        let cal = cal.map_err(|e| err(None, format!("cannot read the calendar: {e}")))?;
        out.push(Calendar {
            properties: props(cal.properties),
            events: cal
                .events
                .into_iter()
                .map(|e| VEvent {
                    properties: props(e.properties),
                    line: event_lines.next().unwrap_or(0),
                })
                .collect(),
            timezones: cal
                .timezones
                .into_iter()
                .map(|z| VTimezone {
                    properties: props(z.properties),
                    observances: z
                        .transitions
                        .into_iter()
                        .map(|t| Observance {
                            daylight: matches!(
                                t.transition,
                                ical::parser::ical::component::IcalTimeZoneTransitionType::DAYLIGHT
                            ),
                            properties: props(t.properties),
                        })
                        .collect(),
                })
                .collect(),
            other_components: cal.todos.len() + cal.journals.len() + cal.free_busys.len(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &[u8]) -> Calendar {
        let mut cals = read(text).unwrap();
        assert_eq!(cals.len(), 1);
        cals.remove(0)
    }

    #[test]
    fn unfolding_keeps_spaces_at_folds_and_joins_split_characters() {
        let mut feed = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Hello \r\n World\\, here\r\nDESCRIPTION:\xC3".to_vec();
        feed.extend_from_slice(b"\r\n \xA4 and\n\tmore\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        let cal = one(&feed);
        let e = &cal.events[0].properties;
        assert_eq!(e.text("SUMMARY").unwrap(), "Hello World, here");
        assert_eq!(e.text("DESCRIPTION").unwrap(), "ä andmore");
        assert_eq!(cal.events[0].line, 2);
    }

    #[test]
    fn unfold_maps_lines_back_to_the_original() {
        let (text, starts) = unfold(b"A:1\r\n 2\r\nB:3\nC:4\r\n\t5\r\n 6\r\nD:7");
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "A:12\r\nB:3\nC:456\r\nD:7"
        );
        assert_eq!(starts, [1, 3, 4, 7]);
    }

    #[test]
    fn values_starting_with_a_colon_keep_it() {
        let cal = one(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY::-) smile\r\nORGANIZER;CN=\"A: b\":::x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        let e = &cal.events[0].properties;
        assert_eq!(e.text("SUMMARY").unwrap(), ":-) smile");
        assert_eq!(e.text("ORGANIZER").unwrap(), "::x");
        assert_eq!(e.get("ORGANIZER").unwrap().param("CN"), Some("A: b"));
    }

    #[test]
    fn text_values_are_unescaped() {
        assert_eq!(
            unescape_text("a\\\\b\\;c\\,d\\ne\\Nf\\:g\\"),
            "a\\b;c,d\ne\nf:g\\"
        );
    }

    #[test]
    fn parameters_and_timezones_are_read() {
        let cal = one(b"BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Custom\nBEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nDTSTART;TZID=Custom:20260401T180000\nORGANIZER;CN=\"Rome: city\":mailto:a@b.org\nEND:VEVENT\nBEGIN:VTODO\nEND:VTODO\nEND:VCALENDAR\n");
        let p = cal.events[0].properties.get("ORGANIZER").unwrap();
        assert_eq!(p.param("cn"), Some("Rome: city"));
        assert_eq!(p.value, "mailto:a@b.org");
        let z = cal.timezone("Custom").unwrap();
        assert!(z.observances[0].daylight);
        assert_eq!(cal.other_components, 1);
    }

    #[test]
    fn broken_files_are_errors_with_the_line() {
        let e =
            read(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VCALENDAR\r\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.message
                .contains("does not close `BEGIN:VEVENT` from line 2"),
            "{e}"
        );
        let e = read(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{e}");
        let e = read(b"BEGIN:VCALENDAR\r\nthis is prose\r\nEND:VCALENDAR\r\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = read(b"Subject,Start Date\r\nMeetup,2026-12-03\r\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = read(b"").unwrap_err();
        assert!(e.message.contains("not an iCalendar"), "{e}");
        let e = read(b"BEGIN:VCALENDAR\r\nSUMMARY:\xFF\r\nEND:VCALENDAR\r\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("UTF-8"));
    }
}
