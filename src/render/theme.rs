//! Templates and static assets: the embedded default theme, overridden file
//! by file by the site's theme.
//!
//! Lookup order for a template `event.html`: `themes/<theme>/templates/event.html`,
//! then the embedded default. The embedded one is also registered as
//! `default/event.html`, so a site template can `{% extends "default/event.html" %}`
//! and change one block.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A compiled theme: templates plus static files.
pub struct Theme {
    pub tera: Tera,
    /// Output-relative path -> bytes, theme static files (site `static/` is added later).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The `icon()` function of `tera`, told where the build puts the icons.
    pub icons: crate::render::icons::IconFn,
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, &'static [u8])>) {
    for f in dir.files() {
        if let Some(p) = f.path().to_str() {
            out.push((p, f.contents()));
        }
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// The embedded default theme's files (`templates/…`, `static/…`), for `init --theme`-style use.
pub fn default_files() -> Vec<(&'static str, &'static [u8])> {
    let mut v = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut v);
    v.sort();
    v
}

fn read_dir_files(dir: &Path, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_root_links(false) // a linked `templates`/`static` may lead out of the site
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::source::slashed(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if rel.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(b) => out.push((rel, b)),
            Err(e) => diags.push(Diagnostic::error(
                "content/unreadable",
                format!("cannot read `{}`: {e}", entry.path().display()),
            )),
        }
    }
    out
}

impl Theme {
    /// Load the embedded theme and, when `theme` is set, the site's theme
    /// from `root/themes/<theme>/`.
    pub fn load(root: &Path, theme: Option<&str>, diags: &mut Diagnostics) -> Option<Theme> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        // The icons' sprite is made from the shapes chapterhouse carries; a
        // theme or the site may replace it (keeping the symbols' ids).
        let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::from([(
            "icons.svg".to_string(),
            crate::render::icons::sprite().into_bytes(),
        )]);
        let defaults = default_files();
        for &(path, bytes) in &defaults {
            if let Some(name) = path.strip_prefix("templates/") {
                templates.insert(
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                assets.insert(name.to_string(), bytes.to_vec());
            }
        }
        if let Some(name) = theme {
            let dir = root.join("themes").join(name);
            // A theme folder linked from outside the site is not followed.
            if !dir.is_dir() || crate::source::leaves_site(root, &dir) {
                diags.push(
                    Diagnostic::error("content/unknown-theme", format!("`theme: {name}` but there is no folder `themes/{name}/`"))
                        .with_help("create `themes/<name>/templates/` with the templates to override, or remove `theme:` to use the default theme"),
                );
                return None;
            }
            for (rel, bytes) in read_dir_files(&dir.join("templates"), diags) {
                match String::from_utf8(bytes) {
                    Ok(t) => {
                        templates.insert(rel, t);
                    }
                    Err(_) => diags.push(Diagnostic::error(
                        "content/not-utf8",
                        format!("`themes/{name}/templates/{rel}` is not valid UTF-8"),
                    )),
                }
            }
            for (rel, bytes) in read_dir_files(&dir.join("static"), diags) {
                assets.insert(rel, bytes);
            }
            // The `default/` copies are compiled only for a theme that uses
            // them: parsing a template is a fixed cost of every build.
            if templates.values().any(|t| t.contains("default/")) {
                for &(path, bytes) in &defaults {
                    if let Some(name) = path.strip_prefix("templates/") {
                        templates.insert(
                            format!("default/{name}"),
                            String::from_utf8_lossy(bytes).into_owned(),
                        );
                    }
                }
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        // The same escape, written straight into the page (patched Tera).
        tera.set_escape_into_fn(crate::render::feeds::xml_escape_to);
        let icons = crate::render::icons::IconFn::default();
        tera.register_function("icon", icons.clone());
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        {
            diags.push(
                Diagnostic::error(
                    "content/template",
                    format!("a template does not compile: {}", error_chain(&e)),
                )
                .with_help(
                    theme.map_or("this is a bug in the default theme".to_string(), |t| {
                        format!("fix the template in `themes/{t}/templates/`")
                    }),
                ),
            );
            return None;
        }
        Some(Theme {
            tera,
            assets,
            icons,
        })
    }
}

/// Escape for HTML text and quoted attributes: the same five characters
/// as XML (Tera 1's default also escapes `/`, which makes every link in the
/// output unreadable).
pub fn escape_html(s: &str) -> String {
    crate::render::feeds::xml_escape(s)
}

/// Tera nests the cause of an error; show all of it.
pub fn error_chain(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    /// The variable lookups of the patched Tera (vendor/tera/PATCHES.md)
    /// resolve as Tera 1's: context paths, `set` values in blocks and
    /// loops, loop variables, macro arguments, keys needing JSON-pointer
    /// escapes, and names that are missing.
    #[test]
    fn template_variables_resolve_as_in_tera_1() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates([
            (
                "m.html",
                "{% macro card(e, n=2) %}[{{ e.t }}/{{ n }}/{{ e.w.d }}]{% endmacro card %}",
            ),
            (
                "base.html",
                "{% set top = site.name %}{% block main %}{% endblock main %}|{{ top }}",
            ),
            (
                "page.html",
                r#"{% extends "base.html" %}{% import "m.html" as m %}{% block main %}{% set w = ev.w %}{{ ev.w.d }} {{ w.d }} {{ ev.list.1 }} {{ ev["a~b"] }} {{ ev["c/d"] }} {{ ev.missing | default(value="-") }} {% for x in ev.items %}{% set y = x.t %}{{ loop.index }}{{ x.t }}{{ y }}{% if loop.last %}!{% endif %}{{ m::card(e=x) }}{% endfor %}{% endblock main %}"#,
            ),
        ])
        .unwrap();
        let ctx = tera::Context::from_value(serde_json::json!({
            "site": {"name": "Net"},
            "ev": {
                "w": {"d": "Mon"},
                "list": ["a", "b"],
                "a~b": "tilde",
                "c/d": "slash",
                "items": [{"t": "p", "w": {"d": "Tue"}}, {"t": "q", "w": {"d": "Wed"}}]
            }
        }))
        .unwrap();
        assert_eq!(
            tera.render("page.html", &ctx).unwrap(),
            "Mon Mon b tilde slash - 1pp[p/2/Tue]2qq![q/2/Wed]|Net"
        );
        let err = tera
            .render_str("{{ ev.w.nope }}", &ctx)
            .expect_err("a missing field is an error");
        assert!(format!("{err:?}").contains("ev.w.nope"), "{err:?}");
    }

    /// A value a template prints is escaped as `xml_escape` escapes it,
    /// whether it goes straight into the page (the patched Tera's escape
    /// into the output) or through a filter first; `safe` leaves it alone.
    #[test]
    fn printed_values_are_escaped_the_same_way_on_every_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut diags = crate::diag::Diagnostics::new();
        let mut theme =
            super::Theme::load(dir.path(), None, &mut diags).expect("the default theme");
        theme
            .tera
            .add_raw_template(
                "t.html",
                "{{ v }}|{{ v | upper }}|{{ v | safe }}|{{ plain }}",
            )
            .unwrap();
        let v = "<b a=\"1\">Tom & 'Jerry'</b>\u{1}";
        let ctx = tera::Context::from_value(serde_json::json!({"v": v, "plain": "as is"})).unwrap();
        let page = theme.tera.render("t.html", &ctx).unwrap();
        let escaped = "&lt;b a=&quot;1&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/b&gt;";
        assert_eq!(escaped, crate::render::feeds::xml_escape(v));
        let upper = crate::render::feeds::xml_escape(&v.to_uppercase());
        assert_eq!(page, format!("{escaped}|{upper}|{v}|as is"));
    }
}
