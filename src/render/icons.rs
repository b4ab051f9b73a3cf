//! The default theme's icons, for templates as `{{ icon(name="calendar") }}`.
//!
//! A Tera function rather than template macros: a page shows a dozen
//! icons, and a Tera 1 macro call (a new frame, its arguments copied)
//! cost more than the rest of the page's small values together. The
//! macros in `macros/icons.html` remain for templates that import them,
//! and call this function.

use std::collections::HashMap;

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

/// An icon's inline SVG, hidden from screen readers (every icon sits
/// beside text that says the same).
pub fn icon_svg(name: &str) -> Option<String> {
    let (_, d) = ICONS.iter().find(|(n, _)| *n == name)?;
    // Pieces pushed, not `format!`ed: several icons go into every page.
    const OPEN: &str = r#"<svg class="i" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">"#;
    let mut svg = String::with_capacity(OPEN.len() + d.len() + 6);
    svg.push_str(OPEN);
    svg.push_str(d);
    svg.push_str("</svg>");
    Some(svg)
}

/// The network's logo; `id` keeps its gradient's id unique on a page.
pub fn logo_svg(id: &str) -> String {
    format!(
        r##"<svg class="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false"><defs><linearGradient id="{id}-g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4338ca"/><stop offset="1" stop-color="#e0603f"/></linearGradient></defs><rect width="32" height="32" rx="9" fill="url(#{id}-g)"/><circle cx="11" cy="12.5" r="4" fill="#fff"/><circle cx="21" cy="12.5" r="4" fill="#fff" opacity=".85"/><path d="M4 27c1-5 4-7.5 7-7.5s6 2.5 7 7.5zm10 0c1-5 4-7.5 7-7.5s6 2.5 7 7.5z" fill="#fff" opacity=".92"/></svg>"##
    )
}

/// The names [`icon_svg`] knows.
pub fn names() -> impl Iterator<Item = &'static str> {
    ICONS.iter().map(|(n, _)| *n).chain(["logo"])
}

/// `icon(name="calendar")`, and `icon(name="logo", id="brand")`.
pub struct IconFn;

impl tera::Function for IconFn {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let name = args
            .get("name")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| {
                tera::Error::msg("`icon` needs `name`, like `icon(name=\"calendar\")`")
            })?;
        if name == "logo" {
            let id = args
                .get("id")
                .and_then(tera::Value::as_str)
                .unwrap_or("logo");
            return Ok(tera::Value::String(logo_svg(
                &crate::render::feeds::xml_escape(id),
            )));
        }
        icon_svg(name).map(tera::Value::String).ok_or_else(|| {
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

    fn call(args: &[(&str, &str)]) -> tera::Result<tera::Value> {
        let args = args
            .iter()
            .map(|(k, v)| (k.to_string(), tera::Value::String(v.to_string())))
            .collect();
        IconFn.call(&args)
    }

    #[test]
    fn icons_are_decorative_svg_and_unknown_names_are_listed() {
        let svg = call(&[("name", "calendar")]).unwrap();
        let svg = svg.as_str().unwrap();
        assert!(
            svg.starts_with("<svg class=\"i\"") && svg.ends_with("</svg>"),
            "{svg}"
        );
        assert!(svg.contains("aria-hidden=\"true\""));
        let logo = call(&[("name", "logo"), ("id", "brand")]).unwrap();
        assert!(logo.as_str().unwrap().contains("id=\"brand-g\""));
        assert!(logo.as_str().unwrap().contains("url(#brand-g)"));
        let err = call(&[("name", "calender")]).unwrap_err().to_string();
        assert!(
            err.contains("calender") && err.contains("calendar"),
            "{err}"
        );
        assert!(call(&[]).is_err());
    }
}
