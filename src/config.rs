//! `site.yaml`: the raw fields are read through `source::yaml` and resolved
//! here into a [`SiteConfig`] with defaults applied and values checked.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use url::Url;

use crate::diag::{Diagnostics, Span};
use crate::model::time::parse_zone;
use crate::source::yaml::{self, Reader, Seg};
use crate::source::{FileId, SourceSet};

/// How many months of past events the calendar feeds keep by default.
pub const DEFAULT_PAST_MONTHS: u32 = 12;

/// The resolved site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub file: FileId,
    pub title: String,
    pub base_url: Url,
    pub description: Option<String>,
    pub language: String,
    pub organization: String,
    pub registration_host: String,
    pub registration_name: String,
    pub timezone: Tz,
    pub contact: Option<String>,
    pub theme: Option<String>,
    /// Severity overrides as written: rule id -> (level text, where).
    pub rules: BTreeMap<String, (String, Span)>,
    /// How many months of past events stay in the calendar feeds.
    pub calendar_past_months: u32,
    /// Markdown options.
    pub markdown: MarkdownConfig,
}

/// What raw HTML in Markdown may do.
#[derive(Debug, Clone, Default)]
pub struct MarkdownConfig {
    /// Pass raw HTML through unsanitized. Only for sites whose every author
    /// is trusted; the name says so on purpose.
    pub trust_raw_html: bool,
    /// Hosts whose `<iframe>` embeds are kept (e.g. `www.youtube-nocookie.com`).
    pub iframe_hosts: Vec<String>,
}

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn root_path(&self) -> String {
        let p = self.base_url.path();
        if p.ends_with('/') {
            p.to_string()
        } else {
            format!("{p}/")
        }
    }
    /// Host of `base_url`, used in event UIDs.
    pub fn host(&self) -> String {
        self.base_url.host_str().unwrap_or("localhost").to_string()
    }
    /// A copy that serves from another address (for `serve` and `--base-url`).
    pub fn with_base_url(&self, base: Url) -> SiteConfig {
        SiteConfig {
            base_url: base,
            ..self.clone()
        }
    }
}

const FIELDS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "organization",
    "registration",
    "timezone",
    "contact",
    "theme",
    "rules",
    "calendar",
    "markdown",
];

/// Parse a `base_url` value: absolute http(s), ending in `/`.
pub fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url =
        Url::parse(text.trim()).map_err(|e| format!("`{text}` is not an absolute URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" => {}
        other => return Err(format!("`{text}` uses `{other}:`; use `https://`")),
    }
    if url.host_str().is_none() {
        return Err(format!("`{text}` has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{text}` has a query or fragment; give only the address of the site"
        ));
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

/// Is `s` a plausible e-mail address?
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
}

/// Read and resolve `site.yaml`. Returns `None` when it cannot be used at all.
pub fn load(sources: &SourceSet, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let file = sources.find("site.yaml")?;
    let src = sources.get(file);
    let value = match yaml::parse(file, src.yaml_text(), src.yaml.start) {
        Ok(v) => v,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut r = Reader::new(file, src.yaml_text(), src.yaml.start);
    let cfg = read(&mut r, &value);
    for d in r.errors {
        diags.push(d);
    }
    cfg
}

fn read(r: &mut Reader<'_>, value: &yaml::Value) -> Option<SiteConfig> {
    let obj = r.object(value, vec![], FIELDS)?;
    let title = r.text(&obj, "title", true, "the site's title");
    let base_url = r.text(
        &obj,
        "base_url",
        true,
        "the address the site is served from, like `https://groups.example.org/`",
    );
    let base_url = base_url.and_then(|b| match parse_base_url(&b) {
        Ok(u) => Some(u),
        Err(e) => {
            r.error(
                &[Seg::key("base_url")],
                "content/invalid-url",
                format!("`base_url`: {e}"),
                "write the full address, like `base_url: https://groups.example.org/`",
            );
            None
        }
    });
    let description = r.text(&obj, "description", false, "a paragraph of text");
    let language = r
        .text(&obj, "language", false, "a language tag like `en`")
        .unwrap_or_else(|| "en".into());
    let organization = r.text(
        &obj,
        "organization",
        true,
        "the company or project whose users the groups serve",
    );
    let (registration_host, registration_name) = match obj.get("registration") {
        None => {
            r.missing(&obj, "registration", "`host:` (and optionally `name:`) of the official registration system, on the lines below, indented");
            (None, None)
        }
        Some(v) => match r.object(v, vec![Seg::key("registration")], &["host", "name"]) {
            Some(reg) => {
                let host = r.text(&reg, "host", true, "a host name like `events.example.org`");
                let host = host.and_then(|h| {
                    let h = h.trim().to_ascii_lowercase();
                    if h.contains("://") || h.contains('/') || h.is_empty() || h.contains(' ') {
                        r.error(
                            &[Seg::key("registration"), Seg::key("host")],
                            "content/invalid-host",
                            format!("`registration.host` must be a host name, found `{h}`"),
                            "write only the host, like `host: events.example.org` (no `https://`, no path)",
                        );
                        None
                    } else {
                        Some(h)
                    }
                });
                let name = r.text(
                    &reg,
                    "name",
                    false,
                    "the registration system's display name",
                );
                (host, name)
            }
            None => (None, None),
        },
    };
    let timezone = match r.text(&obj, "timezone", false, "an IANA zone like `Europe/Berlin`") {
        None => Some(Tz::UTC),
        Some(z) => match parse_zone(&z) {
            Ok(tz) => Some(tz),
            Err(help) => {
                r.error(
                    &[Seg::key("timezone")],
                    "content/unknown-timezone",
                    format!("unknown time zone `{z}`"),
                    help,
                );
                None
            }
        },
    };
    let contact = r
        .text(&obj, "contact", false, "an e-mail address")
        .and_then(|c| {
            if is_email(&c) {
                Some(c)
            } else {
                r.error(
                    &[Seg::key("contact")],
                    "content/invalid-email",
                    format!("`contact` must be an e-mail address, found `{c}`"),
                    "write an address like `contact: groups@example.org`",
                );
                None
            }
        });
    let theme = r.text(&obj, "theme", false, "a folder name under `themes/`");
    let mut rules = BTreeMap::new();
    if let Some(v) = obj.get("rules") {
        // Keys are checked against the rule registry by `check`.
        if let Some(robj) = r.mapping(
            v,
            vec![Seg::key("rules")],
            &["a rule id: error, warning, note or off"],
        ) {
            for (k, v) in robj.map {
                let Some(k) = k.as_str() else { continue };
                // An empty or non-text level is kept as "" so that `check`
                // reports it (and an unknown id with it) instead of dropping it.
                let level = yaml::scalar_text(v).unwrap_or_default();
                let span = r.span(&[Seg::key("rules"), Seg::key(k)]);
                rules.insert(k.to_string(), (level, span));
            }
        }
    }
    let mut calendar_past_months = DEFAULT_PAST_MONTHS;
    if let Some(v) = obj.get("calendar") {
        if let Some(cobj) = r.object(v, vec![Seg::key("calendar")], &["past_months"]) {
            if let Some(m) =
                r.opt::<u32>(&cobj, "past_months", "a whole number of months, like `12`")
            {
                calendar_past_months = m;
            }
        }
    }
    let mut markdown = MarkdownConfig::default();
    if let Some(v) = obj.get("markdown") {
        if let Some(mobj) = r.object(
            v,
            vec![Seg::key("markdown")],
            &["trust_raw_html", "iframe_hosts"],
        ) {
            markdown.trust_raw_html = r
                .opt::<bool>(&mobj, "trust_raw_html", "`true` or `false`")
                .unwrap_or(false);
            markdown.iframe_hosts = r
                .opt::<Vec<String>>(
                    &mobj,
                    "iframe_hosts",
                    "a list of host names like `www.youtube-nocookie.com`",
                )
                .unwrap_or_default();
        }
    }
    let registration_name = registration_name.or_else(|| registration_host.clone());
    Some(SiteConfig {
        file: r.file,
        title: title?,
        base_url: base_url?,
        description,
        language,
        organization: organization?,
        registration_host: registration_host?,
        registration_name: registration_name?,
        timezone: timezone?,
        contact,
        theme,
        rules,
        calendar_past_months,
        markdown,
    })
}
