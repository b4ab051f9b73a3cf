//! Markdown -> HTML (sanitized) and -> plain text.
//!
//! CommonMark with tables, footnotes, strikethrough and task lists. Links
//! with unsafe schemes are neutralised; raw HTML is cleaned by ammonia
//! unless the site trusts its authors (`markdown.trust_raw_html`). Only
//! bodies that contain raw HTML pay for the HTML parser.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::MarkdownConfig;

fn options() -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o
}

/// Is `url` safe to put in an `href` or `src`?
pub fn is_safe_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any `/`, `?` or `#` means a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => {
            matches!(&lower[..i], "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Renders Markdown bodies for one site.
pub struct Markdown {
    trust_raw_html: bool,
    sanitizer: ammonia::Builder<'static>,
    /// The site's address: plain text writes links against it.
    base: Option<url::Url>,
}

impl Markdown {
    pub fn new(cfg: &MarkdownConfig) -> Self {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title"]);
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"]);
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        b.link_rel(Some("noopener noreferrer"));
        if !cfg.iframe_hosts.is_empty() {
            b.add_tags(["iframe"]);
            b.add_tag_attributes(
                "iframe",
                [
                    "src",
                    "width",
                    "height",
                    "allowfullscreen",
                    "loading",
                    "allow",
                    "title",
                ],
            );
            let hosts = cfg.iframe_hosts.clone();
            b.attribute_filter(move |element, attribute, value| {
                if element == "iframe" && attribute == "src" {
                    let ok = url::Url::parse(value).ok().is_some_and(|u| {
                        u.scheme() == "https"
                            && u.host_str().is_some_and(|h| hosts.iter().any(|a| a == h))
                    });
                    return ok.then(|| value.into());
                }
                Some(value.into())
            });
        }
        Markdown {
            trust_raw_html: cfg.trust_raw_html,
            sanitizer: b,
            base: None,
        }
    }

    /// Write the links of plain text as absolute addresses on the site at
    /// `base` (see [`to_plain_text_at`]).
    pub fn with_base(mut self, base: url::Url) -> Self {
        self.base = Some(base);
        self
    }

    /// Markdown to HTML safe to embed in a page. `#` headings become `h2`,
    /// since the page's title is its only `h1`.
    pub fn to_html(&self, md: &str) -> String {
        self.render(md, None)
    }

    /// [`Self::to_html`] and [`to_plain_text`] from one parse.
    pub fn to_html_and_plain(&self, md: &str) -> (String, String) {
        let mut plain = PlainText {
            base: self.base.as_ref(),
            ..PlainText::default()
        };
        let html = self.render(md, Some(&mut plain));
        (html, plain.finish())
    }

    fn render(&self, md: &str, mut plain: Option<&mut PlainText>) -> String {
        let mut has_html = false;
        let events = Parser::new_ext(md, options())
            .inspect(|ev| {
                if let Some(p) = plain.as_deref_mut() {
                    p.push(ev);
                }
            })
            .map(|ev| match ev {
                Event::Html(_) | Event::InlineHtml(_) => {
                    has_html = true;
                    ev
                }
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    id,
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    id,
                    classes,
                    attrs,
                }),
                Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                    Event::End(TagEnd::Heading(HeadingLevel::H2))
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::Borrowed("#"),
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id,
                }),
                // A task-list checkbox needs a name for screen readers
                // (axe-core rule `label`, critical).
                Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(if done {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>\n"
                } else {
                    "<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>\n"
                })),
                other => other,
            });
        // Streamed: raw HTML is found while the HTML is written, and then
        // the whole of it is cleaned.
        let mut html = String::with_capacity(md.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events);
        if has_html && !self.trust_raw_html {
            self.sanitizer.clean(&html).to_string()
        } else {
            html
        }
    }
}

/// Deepest list level that plain text indents further.
const MAX_PLAIN_INDENT: usize = 8;

/// Markdown to readable plain text (for calendar descriptions and
/// previews): paragraphs separated by blank lines, list items with `- `,
/// links as `text (url)`.
pub fn to_plain_text(md: &str) -> String {
    plain_text(md, None)
}

/// [`to_plain_text`] for a page of the site at `base`: a link to a path
/// (`/guides/venues/`) is written as the address a browser would open
/// from the page (`https://example.org/guides/venues/`), since a calendar
/// or a feed reader has no page to resolve it against.
pub fn to_plain_text_at(md: &str, base: &url::Url) -> String {
    plain_text(md, Some(base))
}

fn plain_text(md: &str, base: Option<&url::Url>) -> String {
    let mut plain = PlainText {
        base,
        ..PlainText::default()
    };
    for ev in Parser::new_ext(md, options()) {
        plain.push(&ev);
    }
    plain.finish()
}

/// Plain text built from parser events one at a time, so one parse can
/// give both a page's HTML and its plain text.
#[derive(Default)]
struct PlainText<'a> {
    out: String,
    link_stack: Vec<String>,
    list_depth: usize,
    base: Option<&'a url::Url>,
}

impl PlainText<'_> {
    fn block_break(&mut self) {
        let trimmed = self.out.trim_end_matches([' ', '\n']).len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
    }

    fn push(&mut self, ev: &Event<'_>) {
        let out = &mut self.out;
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {
                let trimmed = out.trim_end_matches(' ').len();
                out.truncate(trimmed);
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                // Indent nested items, but only so deep: a line of `- - - …`
                // nests thousands of lists, and indenting each item by its
                // full depth would make the text grow with the square of it.
                out.push_str(&"  ".repeat(self.list_depth.saturating_sub(1).min(MAX_PLAIN_INDENT)));
                out.push_str("- ");
            }
            Event::Start(Tag::List(_)) => {
                self.list_depth += 1;
                if self.list_depth == 1 {
                    self.block_break();
                }
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                if self.list_depth == 0 {
                    self.block_break();
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => self.link_stack.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(u) = self.link_stack.pop()
                    && is_safe_url(&u)
                    && !u.starts_with('#')
                {
                    // A path on the site (`/guides/venues/`, or `//host/…`)
                    // becomes an address; other links are written as they
                    // are. A link whose text is its target is not repeated.
                    let joined = match self.base {
                        Some(base) if u.starts_with('/') => base.join(&u).ok().map(String::from),
                        _ => None,
                    };
                    if !out.ends_with(&u) && joined.as_deref().is_none_or(|j| !out.ends_with(j)) {
                        out.push_str(" (");
                        out.push_str(joined.as_deref().unwrap_or(&u));
                        out.push(')');
                    }
                }
            }
            Event::TaskListMarker(done) => out.push_str(if *done { "[x] " } else { "[ ] " }),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::Table,
            ) => {
                if self.list_depth == 0 {
                    self.block_break();
                }
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push_str(" | "),
            _ => {}
        }
    }

    fn finish(self) -> String {
        let mut out = self.out;
        let end = out.trim_end().len();
        out.truncate(end);
        out
    }
}

/// The first paragraph as plain text, cut at a word boundary to at most
/// `max` characters.
pub fn excerpt(md: &str, max: usize) -> String {
    excerpt_of_plain(&to_plain_text(md), max)
}

/// [`excerpt`] of text already made plain by [`to_plain_text`] (parsing
/// Markdown once per page instead of once per use).
pub fn excerpt_of_plain(text: &str, max: usize) -> String {
    cut(lead(text), max)
}

/// The first paragraph of text made plain by [`to_plain_text`] (a slice
/// of it, line breaks and all).
pub fn lead(text: &str) -> &str {
    text.split("\n\n")
        .find(|p| !p.trim().is_empty() && !p.starts_with("- "))
        .unwrap_or("")
}

/// A paragraph on one line, cut at a word to `max` characters and `…`.
pub fn cut(paragraph: &str, max: usize) -> String {
    let Some(end) = char_start(paragraph, max) else {
        return paragraph.replace('\n', " ");
    };
    let mut cut = paragraph[..end].replace('\n', " ");
    if let Some(i) = cut.rfind(' ') {
        cut.truncate(i);
    }
    cut.push('…');
    cut
}

/// The first `n` characters of `s`.
pub fn head(s: &str, n: usize) -> &str {
    char_start(s, n).map_or(s, |end| &s[..end])
}

/// The byte index of character `n` of `s`, if it has more than `n`.
fn char_start(s: &str, n: usize) -> Option<usize> {
    if s.len() <= n {
        // At most `n` bytes: at most `n` characters.
        None
    } else if s.as_bytes()[..n].is_ascii() {
        Some(n)
    } else {
        s.char_indices().nth(n).map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md() -> Markdown {
        Markdown::new(&MarkdownConfig::default())
    }

    #[test]
    fn plain_text_for_a_site_writes_its_paths_as_addresses() {
        let base = url::Url::parse("https://example.org/groups/").unwrap();
        let md = "See [venues](/guides/venues/), [x](//cdn.example.org/x), [here](notes.html), <https://a.example/> and [mail](mailto:a@b.example).";
        assert_eq!(
            to_plain_text_at(md, &base),
            "See venues (https://example.org/guides/venues/), x (https://cdn.example.org/x), here (notes.html), https://a.example/ and mail (mailto:a@b.example)."
        );
        // Without a site, as written.
        assert!(
            to_plain_text(md).starts_with("See venues (/guides/venues/), x (//cdn.example.org/x)")
        );
    }

    #[test]
    fn renders_the_extensions() {
        let h = md().to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: foot\n",
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(h.contains("type=\"checkbox\""), "{h}");
        assert!(h.contains("footnote"), "{h}");
    }

    #[test]
    fn task_list_checkboxes_have_an_accessible_name_even_when_sanitized() {
        for body in ["- [x] a\n- [ ] b\n", "<b>raw</b>\n\n- [x] a\n- [ ] b\n"] {
            let h = md().to_html(body);
            assert!(h.contains("checked=\"\" aria-label=\"Done\""), "{h}");
            assert!(h.contains("aria-label=\"To do\""), "{h}");
            assert_eq!(h.matches("<input").count(), 2, "{h}");
        }
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let h = md().to_html("<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n[x](javascript:alert(1)) ![i](data:text/html,x)\n\n<a href=\"javascript:alert(1)\">a</a>\n\n<iframe src=\"https://evil.example/\"></iframe>");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("onclick"), "{h}");
        assert!(!h.to_lowercase().contains("javascript:"), "{h}");
        assert!(!h.contains("data:text"), "{h}");
        assert!(!h.contains("<iframe"), "{h}");
    }

    #[test]
    fn javascript_links_are_neutralised_even_without_raw_html() {
        let h = md().to_html("[x](JaVaScRiPt:alert(1)) and [ok](https://example.org)");
        assert!(!h.to_lowercase().contains("javascript"), "{h}");
        assert!(h.contains("https://example.org"));
    }

    #[test]
    fn iframes_only_from_listed_hosts() {
        let m = Markdown::new(&MarkdownConfig {
            trust_raw_html: false,
            iframe_hosts: vec!["www.youtube-nocookie.com".into()],
        });
        let h = m.to_html("<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n\n<iframe src=\"https://evil.example/\"></iframe>");
        assert!(h.contains("youtube-nocookie"), "{h}");
        assert!(!h.contains("evil.example"), "{h}");
    }

    #[test]
    fn h1_becomes_h2() {
        assert_eq!(md().to_html("# Agenda"), "<h2>Agenda</h2>\n");
    }

    #[test]
    fn plain_text_keeps_structure_and_links() {
        let t = to_plain_text(
            "Hello **world**, see [the page](https://e.org).\n\n## Agenda\n\n- 18:00 Doors\n- 18:30 Talk\n\nBye",
        );
        assert_eq!(
            t,
            "Hello world, see the page (https://e.org).\n\nAgenda\n\n- 18:00 Doors\n- 18:30 Talk\n\nBye"
        );
    }

    #[test]
    fn deeply_nested_lists_give_plain_text_of_linear_size() {
        // `- - - … x` nests one list per `- `; indenting every level in
        // full made 40 kB of Markdown into 400 MB of text.
        let depth = 5_000;
        let nested = format!("{}x\n", "- ".repeat(depth));
        let text = to_plain_text(&nested);
        assert!(text.ends_with("- x"), "{}", &text[text.len() - 40..]);
        assert!(text.len() < 40 * depth, "{} bytes", text.len());
        assert!(md().to_html(&nested).len() < 40 * depth);
    }

    #[test]
    fn urls_hidden_by_entities_case_or_whitespace_are_neutralised() {
        for bad in [
            "[a](&#106;avascript:alert(1))",
            "[a](java&#x09;script:alert(1))",
            "[a](<java\tscript:alert(1)>)",
            "<javascript:alert(1)>",
            "[a](VBScript:msgbox(1))",
            "[a]: data:text/html;base64,PHNjcmlwdD4=\n\n[x][a]",
            "![i](data:image/svg+xml,<svg onload=alert(1)>)",
        ] {
            let h = md().to_html(bad).to_lowercase();
            for attr in ["href=\"", "src=\""] {
                for value in h.split(attr).skip(1) {
                    let value: String = value.chars().take_while(|c| *c != '"').collect();
                    assert!(is_safe_url(&value), "{bad} -> {h}");
                    assert!(
                        !value.contains("script:") && !value.starts_with("data:"),
                        "{bad} -> {h}"
                    );
                }
            }
            assert!(
                !h.contains("<svg") && !h.contains(" onload"),
                "{bad} -> {h}"
            );
        }
    }

    #[test]
    fn trusted_raw_html_is_kept_only_when_the_site_opts_in() {
        let html = "<script>track()</script>\n\n<p onclick=\"x()\">hi</p>";
        assert!(!md().to_html(html).contains("<script"));
        let trusted = Markdown::new(&MarkdownConfig {
            trust_raw_html: true,
            iframe_hosts: vec![],
        });
        let h = trusted.to_html(html);
        assert!(
            h.contains("<script>track()</script>") && h.contains("onclick"),
            "{h}"
        );
    }

    #[test]
    fn iframes_from_look_alike_hosts_are_removed() {
        let m = Markdown::new(&MarkdownConfig {
            trust_raw_html: false,
            iframe_hosts: vec!["www.youtube-nocookie.com".into()],
        });
        for src in [
            "https://www.youtube-nocookie.com.evil.example/embed/x",
            "https://www.youtube-nocookie.com@evil.example/embed/x",
            "http://www.youtube-nocookie.com/embed/x",
            "javascript:alert(1)//www.youtube-nocookie.com",
        ] {
            let h = m.to_html(&format!("<iframe src=\"{src}\"></iframe>"));
            assert!(!h.contains("src="), "{src} -> {h}");
        }
        let h = m.to_html("<iframe src=\"https://www.youtube-nocookie.com/embed/x\" onload=\"alert(1)\" srcdoc=\"<script>\"></iframe>");
        assert!(
            h.contains("src=\"https://www.youtube-nocookie.com/embed/x\""),
            "{h}"
        );
        assert!(!h.contains("onload") && !h.contains("srcdoc"), "{h}");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("One two three four", 9), "One two…");
        assert_eq!(excerpt("## Head\n\nShort.", 50), "Head");
        assert_eq!(cut("Grüße aus Köln am Rhein", 9), "Grüße…");
        assert_eq!(cut("ab\ncd", 5), "ab cd");
        assert_eq!(cut("ab cd", 4), "ab…");
    }

    proptest::proptest! {
        /// `cut` counts characters, not bytes: the same as taking `max`
        /// characters one by one.
        #[test]
        fn cutting_counts_characters(p in "[a-c é東\n]{0,40}", max in 0usize..30) {
            let one_line = p.replace('\n', " ");
            let want = if one_line.chars().count() <= max {
                one_line
            } else {
                let mut c: String = one_line.chars().take(max).collect();
                if let Some(i) = c.rfind(' ') {
                    c.truncate(i);
                }
                c.push('…');
                c
            };
            proptest::prop_assert_eq!(cut(&p, max), want);
        }
    }
}
