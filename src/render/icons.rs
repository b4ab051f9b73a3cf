//! The default theme's icons, for templates as `{{ icon(name="calendar") }}`.
//!
//! The shapes live here and go out once per site, as the symbols of
//! `icons.svg` (a theme asset made from [`ICONS`]); a page refers to them
//! with `<svg><use href=".../icons.svg?v=…#calendar"/></svg>`, less than
//! half the bytes of an inline drawing (a page shows a dozen icons, a
//! chapter page a hundred). The logo is the image file `logo.svg`, which a site replaces by
//! putting its own `static/logo.svg`.
//!
//! A Tera function rather than template macros: a page shows a dozen
//! icons, and a Tera 1 macro call (a new frame, its arguments copied)
//! cost more than the rest of the page's small values together. The
//! macros in `macros/icons.html` remain for templates that import them,
//! and call this function.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Stroke icons drawn on a 24-unit grid: name -> SVG content.
const ICONS: &[(&str, &str)] = &[
    (
        "clock",
        r#"<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3.5 2"/>"#,
    ),
    (
        "pin",
        r#"<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.5"/>"#,
    ),
    (
        "globe",
        r#"<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z"/>"#,
    ),
    (
        "calendar",
        r#"<rect x="3.5" y="5" width="17" height="15.5" rx="2.5"/><path d="M3.5 10h17M8 3v4M16 3v4"/>"#,
    ),
    (
        "users",
        r#"<circle cx="9" cy="8.5" r="3.5"/><path d="M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5"/><path d="M16 5.2a3.5 3.5 0 0 1 0 6.6M18 14.8c1.9.8 3.1 2.5 3.5 5.2"/>"#,
    ),
    (
        "ticket",
        r#"<path d="M3.5 8.5V6.5a1.5 1.5 0 0 1 1.5-1.5h14a1.5 1.5 0 0 1 1.5 1.5v2a3.5 3.5 0 0 0 0 7v2a1.5 1.5 0 0 1-1.5 1.5H5a1.5 1.5 0 0 1-1.5-1.5v-2a3.5 3.5 0 0 0 0-7z"/><path d="M14 5v14" stroke-dasharray="2 2.5"/>"#,
    ),
    ("arrow", r#"<path d="M5 12h14M13 6l6 6-6 6"/>"#),
    ("download", r#"<path d="M12 4v11M7 10.5l5 5 5-5M5 20h14"/>"#),
    (
        "search",
        r#"<circle cx="11" cy="11" r="6.5"/><path d="M20 20l-4.2-4.2"/>"#,
    ),
    (
        "feed",
        r#"<path d="M5 5a14 14 0 0 1 14 14M5 11a8 8 0 0 1 8 8"/><circle cx="6" cy="18" r="1.5"/>"#,
    ),
    (
        "mail",
        r#"<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="M3.5 7l8.5 6 8.5-6"/>"#,
    ),
    ("chat", r#"<path d="M4 5.5h16v10H10l-4.5 4v-4H4z"/>"#),
    (
        "mic",
        r#"<rect x="9" y="3" width="6" height="11" rx="3"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21"/>"#,
    ),
    (
        "book",
        r#"<path d="M4 5.5C6.5 4 9.5 4 12 5.5v14c-2.5-1.5-5.5-1.5-8 0zM20 5.5C17.5 4 14.5 4 12 5.5v14c2.5-1.5 5.5-1.5 8 0z"/>"#,
    ),
    (
        "heart",
        r#"<path d="M12 20s-7.5-4.6-7.5-10.2A4.3 4.3 0 0 1 12 7a4.3 4.3 0 0 1 7.5 2.8C19.5 15.4 12 20 12 20z"/>"#,
    ),
];

/// The `icons.svg` sprite: one `<symbol>` per icon, with the id its name.
/// The strokes take their colour and width from the page's `.i` rule, as an
/// inline drawing did (a `<use>` inherits them).
pub fn sprite() -> String {
    let mut s = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (name, d) in ICONS {
        s.push_str("<symbol id=\"");
        s.push_str(name);
        s.push_str("\" viewBox=\"0 0 24 24\">");
        s.push_str(d);
        s.push_str("</symbol>\n");
    }
    s.push_str("</svg>\n");
    s
}

/// Where the pages of a build find `icons.svg` and `logo.svg` (site
/// links with a version, as the stylesheet's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IconLinks {
    pub sprite: String,
    pub logo: String,
}

/// An icon, hidden from screen readers (every icon sits beside text that
/// says the same), drawn from the sprite at `sprite`.
pub fn icon_svg(name: &str, sprite: &str) -> Option<String> {
    if !ICONS.iter().any(|(n, _)| *n == name) {
        return None;
    }
    // Pieces pushed, not `format!`ed: several icons go into every page.
    const OPEN: &str =
        r#"<svg class="i" width="18" height="18" aria-hidden="true" focusable="false"><use href=""#;
    const CLOSE: &str = r#""/></svg>"#;
    let mut svg = String::with_capacity(OPEN.len() + sprite.len() + name.len() + 1 + CLOSE.len());
    svg.push_str(OPEN);
    svg.push_str(sprite);
    svg.push('#');
    svg.push_str(name);
    svg.push_str(CLOSE);
    Some(svg)
}

/// The network's logo, decorative (the site's name stands beside it).
pub fn logo_img(src: &str) -> String {
    format!(r#"<img class="logo" src="{src}" width="32" height="32" alt="">"#)
}

/// The names [`icon_svg`] knows, and `logo`.
pub fn names() -> impl Iterator<Item = &'static str> {
    ICONS.iter().map(|(n, _)| *n).chain(["logo"])
}

/// `icon(name="calendar")`, and `icon(name="logo")` (an `id` argument,
/// which the inline logo once needed, is accepted and not needed).
#[derive(Debug, Clone, Default)]
pub struct IconFn {
    /// Set once, when the build that uses this theme starts rendering.
    links: Arc<OnceLock<IconLinks>>,
}

impl IconFn {
    /// Point the icons at the site's files. A theme renders one site, so
    /// the first links stay.
    pub fn set_links(&self, links: IconLinks) {
        let kept = self.links.get_or_init(|| links.clone());
        debug_assert_eq!(kept, &links, "a theme renders one site");
    }

    fn links(&self) -> (&str, &str) {
        match self.links.get() {
            Some(l) => (&l.sprite, &l.logo),
            // A template rendered outside a build (a unit test).
            None => ("/icons.svg", "/logo.svg"),
        }
    }
}

impl tera::Function for IconFn {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let name = args
            .get("name")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| {
                tera::Error::msg("`icon` needs `name`, like `icon(name=\"calendar\")`")
            })?;
        let (sprite, logo) = self.links();
        if name == "logo" {
            return Ok(tera::Value::String(logo_img(logo)));
        }
        icon_svg(name, sprite)
            .map(tera::Value::String)
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "there is no icon `{name}`; the icons are: {}",
                    names().collect::<Vec<_>>().join(", ")
                ))
            })
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Function as _;

    fn call(f: &IconFn, args: &[(&str, &str)]) -> tera::Result<tera::Value> {
        let args = args
            .iter()
            .map(|(k, v)| (k.to_string(), tera::Value::String(v.to_string())))
            .collect();
        f.call(&args)
    }

    #[test]
    fn icons_use_the_sprite_the_build_links_and_unknown_names_are_listed() {
        let f = IconFn::default();
        f.set_links(IconLinks {
            sprite: "/net/icons.svg?v=1".into(),
            logo: "/net/logo.svg?v=2".into(),
        });
        let svg = call(&f, &[("name", "calendar")]).unwrap();
        assert_eq!(
            svg.as_str().unwrap(),
            r#"<svg class="i" width="18" height="18" aria-hidden="true" focusable="false"><use href="/net/icons.svg?v=1#calendar"/></svg>"#
        );
        let logo = call(&f, &[("name", "logo"), ("id", "brand")]).unwrap();
        assert_eq!(
            logo.as_str().unwrap(),
            r#"<img class="logo" src="/net/logo.svg?v=2" width="32" height="32" alt="">"#
        );
        let err = call(&f, &[("name", "calender")]).unwrap_err().to_string();
        assert!(
            err.contains("calender") && err.contains("calendar"),
            "{err}"
        );
        assert!(call(&f, &[]).is_err());
    }

    /// Every icon a page can name is a symbol of the sprite, with the same
    /// drawing.
    #[test]
    fn the_sprite_holds_every_icon() {
        let s = sprite();
        for (name, d) in ICONS {
            let symbol = format!("<symbol id=\"{name}\" viewBox=\"0 0 24 24\">{d}</symbol>");
            assert!(s.contains(&symbol), "{name}");
        }
        assert_eq!(s.matches("<symbol ").count(), ICONS.len());
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<symbol id=\"clock\""));
        assert!(s.ends_with("</symbol>\n</svg>\n"));
    }
}
