//! The live-reload script that only `serve` adds to pages.
//!
//! Each build has a token. Every served HTML page carries the token it was
//! served with. The script listens on [`EVENTS_PATH`] (server-sent events)
//! for [`message`]s: the new token, the token before it, and the pages the
//! build changed (or `*` for all). A page reloads when it was changed, or
//! when it missed a build (its token is not the one before); otherwise it
//! takes the new token and stays as it is, so editing one event does not
//! reload a tab showing another page. The stream opens with the current
//! build, which closes the gap between serving a page and the script
//! connecting. After `serve` restarts, the browser reconnects by itself and
//! meets tokens of the new process.

/// Where the script listens for builds. The `__chapterhouse` prefix cannot
/// clash with a site path: ids start with a letter or digit.
pub const EVENTS_PATH: &str = "/__chapterhouse/events";

/// The `<script>` element for a page served with build `token`.
pub fn script(token: &str) -> String {
    format!(
        r#"<script data-chapterhouse-livereload>
(function () {{
  var token = "{token}";
  var source = new EventSource("{EVENTS_PATH}");
  source.addEventListener("build", function (e) {{
    var lines = e.data.split("\n");
    if (lines[0] === token) return;
    var pages = lines.slice(2);
    if (lines[1] !== token || pages[0] === "*" || pages.indexOf(location.pathname) >= 0) {{
      source.close();
      location.reload();
    }} else {{
      token = lines[0];
    }}
  }});
}})();
</script>
"#
    )
}

/// The data of one build event: the new token, the previous one, then one
/// URL path per changed page, or `*` when every page should reload.
pub fn message(token: &str, previous: &str, pages: Option<&[String]>) -> String {
    let mut out = format!("{token}\n{previous}");
    match pages {
        Some(pages) => {
            for p in pages {
                out.push('\n');
                out.push_str(p);
            }
        }
        None => out.push_str("\n*"),
    }
    out
}

/// The URL path of an output file: `a/index.html` → `/a/`.
pub fn url_path(key: &str) -> String {
    match key.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{key}"),
    }
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

    #[test]
    fn a_message_lists_the_changed_pages_or_all() {
        assert_eq!(
            message("a-2", "a-1", Some(&["/".into(), "/events/".into()])),
            "a-2\na-1\n/\n/events/"
        );
        assert_eq!(message("a-2", "a-1", None), "a-2\na-1\n*");
    }

    #[test]
    fn output_files_map_to_the_paths_a_browser_shows() {
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("chapters/rome/index.html"), "/chapters/rome/");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("style.css"), "/style.css");
    }
}
