//! The live-reload script that only `serve` adds to pages.
//!
//! Each build has a token. Every served HTML page carries the token it was
//! served with; the script listens on [`EVENTS_PATH`] (server-sent events),
//! which sends the current token on connect and after every build, and
//! reloads the page when the token differs. Sending the token on connect
//! closes the gap between serving a page and the script connecting: a build
//! that finished in between still reloads the page. After `serve` restarts,
//! the browser reconnects by itself and gets a token of the new process.

/// Where the script listens for builds. The `__chapterhouse` prefix cannot
/// clash with a site path: ids start with a letter or digit.
pub const EVENTS_PATH: &str = "/__chapterhouse/events";

/// The `<script>` element for a page served with build `token`.
pub fn script(token: &str) -> String {
    format!(
        "<script data-chapterhouse-livereload>\n\
         (function () {{\n  \
           var token = \"{token}\";\n  \
           var source = new EventSource(\"{EVENTS_PATH}\");\n  \
           source.addEventListener(\"build\", function (e) {{\n    \
             if (e.data !== token) {{ source.close(); location.reload(); }}\n  \
           }});\n\
         }})();\n\
         </script>\n"
    )
}

/// Put `extra` just before the page's last `</body>` (or at the end when it
/// has none). The theme's HTML is ours, so a plain search is enough.
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body>";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_closing_body() {
        let html = b"<html><body><p>a</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<x>")).unwrap();
        assert_eq!(out, "<html><body><p>a</p><x></BODY></html>");
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>a</p>", "<x>")).unwrap();
        assert_eq!(out, "<p>a</p><x>");
    }

    #[test]
    fn the_script_carries_its_token_and_listens_for_builds() {
        let s = script("17-3");
        assert!(s.contains("var token = \"17-3\";"), "{s}");
        assert!(s.contains(EVENTS_PATH));
        assert!(s.contains("addEventListener(\"build\""));
    }
}
