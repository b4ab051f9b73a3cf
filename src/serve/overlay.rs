//! The error overlay: when a rebuild has errors, `serve` keeps serving the
//! last good build and lays the diagnostics over every page, the way the
//! terminal shows them (without colour). The next good build removes it,
//! because pages are served with the state of the latest build.

use crate::render::theme::escape_html;

/// The `id` of the overlay element (tests and the close button use it).
pub const ID: &str = "chapterhouse-overlay";

/// What a failed build leaves for the browser.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `2 errors, 1 warning`
    pub counts: String,
    /// The diagnostics as the terminal shows them, without colour.
    pub text: String,
}

/// The overlay element for a failed build. `has_page` says whether a last
/// good build is underneath.
pub fn element(f: &Failure, has_page: bool) -> String {
    let under = if has_page {
        "You are looking at the last good build; this page updates when the errors are fixed."
    } else {
        "There is no good build to show yet; this page updates when the errors are fixed."
    };
    let hide = if has_page {
        format!(
            "<button type=\"button\" onclick=\"document.getElementById('{ID}').remove()\" \
             style=\"float:right;font:inherit;padding:.3rem .8rem;border-radius:6px;border:1px solid #888;background:#fff;color:#222;cursor:pointer\">Hide</button>"
        )
    } else {
        String::new()
    };
    format!(
        "<div id=\"{ID}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,24,.94);color:#f2f2f2;padding:2rem;\
         font:15px/1.5 system-ui,sans-serif\">\n\
         <div style=\"max-width:62rem;margin:0 auto\">{hide}\n\
         <h1 style=\"font-size:1.4rem;margin:0 0 .4rem;color:#ff8a80\">The site has problems: {counts}</h1>\n\
         <p style=\"margin:0 0 1rem\">{under} Fix them in your editor and save.</p>\n\
         <pre style=\"white-space:pre-wrap;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
         background:#111;color:#eee;padding:1rem;border-radius:8px;margin:0\">{text}</pre>\n\
         </div></div>\n",
        counts = escape_html(&f.counts),
        text = escape_html(&f.text),
    )
}

/// A whole page for when there is no good build to lay the overlay over.
pub fn page(f: &Failure) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Build failed · chapterhouse serve</title></head>\n<body>\n{}</body></html>\n",
        element(f, false)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Failure {
        Failure {
            counts: "1 error".into(),
            text: "error: `end` must be after <start>\n  at content/x.md:3:6\n".into(),
        }
    }

    #[test]
    fn the_overlay_shows_the_diagnostics_escaped() {
        let html = element(&failure(), true);
        assert!(html.contains(&format!("id=\"{ID}\"")));
        assert!(html.contains("The site has problems: 1 error"));
        assert!(html.contains("after &lt;start&gt;"), "{html}");
        assert!(html.contains("content/x.md:3:6"));
        assert!(html.contains("last good build"));
        assert!(html.contains(">Hide</button>"));
    }

    #[test]
    fn without_a_good_build_the_overlay_is_a_page_of_its_own() {
        let html = page(&failure());
        assert!(html.starts_with("<!doctype html>"));
        assert!(html.contains("no good build"));
        assert!(!html.contains("<button"));
        assert!(html.ends_with("</body></html>\n"));
    }
}
