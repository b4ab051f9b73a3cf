//! The byte scanner behind the output escapes (XML/HTML text and iCalendar
//! TEXT values). Both run over every value a page or calendar prints, the
//! calendars over each event's whole text, so the scan is a table lookup
//! per byte and ordinary text is copied in runs.

/// Which bytes an escape treats specially: `true` for each. Only ASCII
/// bytes may be special, so every cut falls on a character boundary.
pub type Specials = [bool; 256];

/// The table with `true` for each byte in `bytes` and for the C0 control
/// characters other than those in `keep`.
pub const fn specials(bytes: &[u8], keep: &[u8]) -> Specials {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    let mut i = 0;
    while i < keep.len() {
        t[keep[i] as usize] = false;
        i += 1;
    }
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i] < 0x80, "only ASCII bytes may be special");
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// Append `s` to `out`, with each special byte replaced by what `replace`
/// gives for it (it gets the whole text and the byte's index, for escapes
/// that look ahead).
pub fn escape_into(
    s: &str,
    out: &mut String,
    special: &Specials,
    replace: impl Fn(&[u8], usize) -> &'static str,
) {
    let _ = escape_each(s, special, replace, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// [`escape_into`] for a writer (a page being rendered).
pub fn escape_to(
    s: &str,
    out: &mut dyn std::io::Write,
    special: &Specials,
    replace: impl Fn(&[u8], usize) -> &'static str,
) -> std::io::Result<()> {
    escape_each(s, special, replace, |piece| out.write_all(piece.as_bytes()))
}

/// Hand `s` to `push` in pieces: runs of ordinary text as they are, and
/// for each special byte what `replace` gives for it.
fn escape_each<E>(
    s: &str,
    special: &Specials,
    replace: impl Fn(&[u8], usize) -> &'static str,
    mut push: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if special[bytes[i] as usize] {
            push(&s[run..i])?;
            push(replace(bytes, i))?;
            run = i + 1;
        }
        i += 1;
    }
    push(&s[run..])
}

/// Whether `s` holds a special byte at all.
pub fn needs_escape(s: &str, special: &Specials) -> bool {
    s.bytes().any(|b| special[b as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Specials = specials(b"<&", b"\t\n");

    #[test]
    fn the_table_marks_the_bytes_and_the_controls_not_kept() {
        assert!(T[b'<' as usize] && T[b'&' as usize] && T[0] && T[0x1f]);
        assert!(!T[b'\t' as usize] && !T[b'\n' as usize] && !T[b'a' as usize]);
        assert!(!T[0x7f] && !T[0xc3] && !T[b' ' as usize]);
    }

    #[test]
    fn runs_are_copied_and_specials_replaced() {
        let mut out = String::from(">");
        let rep = |b: &[u8], i: usize| match b[i] {
            b'<' => "[lt]",
            b'&' if b.get(i + 1) == Some(&b'&') => "",
            b'&' => "[amp]",
            _ => "",
        };
        escape_into("ä<b&&c\u{1}\té", &mut out, &T, rep);
        assert_eq!(out, ">ä[lt]b[amp]c\té");
        assert!(needs_escape("a<", &T) && !needs_escape("äé\t", &T));
    }
}
