//! Where every page lives, as paths in the output and as links.

use url::Url;

/// Builds output paths (`chapters/rome/index.html`) and links
/// (`/groups/chapters/rome/`) from one base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
    root: String,
}

impl Urls {
    pub fn new(base: &Url) -> Self {
        let p = base.path();
        let root = if p.ends_with('/') {
            p.to_string()
        } else {
            format!("{p}/")
        };
        Urls {
            base: base.clone(),
            root,
        }
    }
    /// The path prefix every link starts with, e.g. `/groups/`.
    pub fn root(&self) -> &str {
        &self.root
    }
    pub fn base(&self) -> &Url {
        &self.base
    }
    /// A root-relative link for an output-relative directory or file path.
    pub fn link(&self, rel: &str) -> String {
        format!("{}{rel}", self.root)
    }
    /// The absolute URL of an output-relative path.
    pub fn absolute(&self, rel: &str) -> String {
        let mut s = self.base.as_str().to_string();
        if !s.ends_with('/') {
            s.push('/');
        }
        s.push_str(rel);
        s
    }
    /// Output-relative folder of a chapter, ending in `/`.
    pub fn chapter(id: &str) -> String {
        format!("chapters/{id}/")
    }
    pub fn event(chapter: &str, id: &str) -> String {
        format!("chapters/{chapter}/events/{id}/")
    }
    pub fn leader(id: &str) -> String {
        format!("leaders/{id}/")
    }
    pub fn guide(id: &str) -> String {
        format!("guides/{id}/")
    }
    /// `webcal://` form of an absolute feed URL.
    pub fn webcal(&self, rel: &str) -> String {
        let abs = self.absolute(rel);
        match abs.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => abs,
        }
    }
}

/// Percent-encode a query value (for calendar subscribe and add-to-calendar
/// links) as `application/x-www-form-urlencoded`, byte for byte what
/// `url::form_urlencoded::byte_serialize` gives. Written out because that
/// yields a piece per byte, and collecting them was 3 % of a build (two
/// 600-character texts per event page).
pub fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Bytes, not chars: every byte written is ASCII.
    let mut out = Vec::with_capacity(s.len() + s.len() / 2);
    for &b in s.as_bytes() {
        match b {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => out.push(b),
            b' ' => out.push(b'+'),
            _ => out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]),
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn encode_is_form_urlencoding(s in "\\PC*") {
            let want: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            proptest::prop_assert_eq!(encode(&s), want);
        }
    }

    #[test]
    fn links_honour_a_base_path() {
        let u = Urls::new(&Url::parse("https://example.org/groups/").unwrap());
        assert_eq!(u.link(&Urls::chapter("rome")), "/groups/chapters/rome/");
        assert_eq!(
            u.absolute("calendar.ics"),
            "https://example.org/groups/calendar.ics"
        );
        assert_eq!(
            u.webcal("calendar.ics"),
            "webcal://example.org/groups/calendar.ics"
        );
    }
}
