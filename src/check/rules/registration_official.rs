//! `registration-official`: RSVPs go through the official registration system.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Site, Status};
use crate::source::yaml::Seg;

pub struct RegistrationOfficial;

/// Is `url` an `https` address on `host` or one of its subdomains?
pub fn is_official(url: &str, host: &str) -> bool {
    let Ok(u) = url::Url::parse(url.trim()) else {
        return false;
    };
    let Some(h) = u.host_str() else { return false };
    let h = h.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    u.scheme() == "https" && (h == host || h.ends_with(&format!(".{host}")))
}

impl Rule for RegistrationOfficial {
    fn id(&self) -> &'static str {
        "registration-official"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an event's registration is not an https URL on the official registration system, or a scheduled event that has not ended has none"
    }
    fn explain(&self) -> &'static str {
        "RSVPs go through the network's official registration system. It is where attendees get \
reminders and joining details, where leaders see the head count that catering, room size and \
reimbursement depend on, and where the programme measures what its chapters do. Third-party \
event sites (meetup pages, social networks, ticketing tools) may promote an event, but they do \
not take the registrations.\n\n\
To comply, give every scheduled event that has not ended a `registration:` with the `https` \
address of its page on the registration system (its host, or a subdomain, as set in \
`site.yaml` `registration.host`). Put any third-party pages under `promotion:`. An event that \
will not take place needs no registration once it says `status: cancelled` or `postponed`."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let host = &site.config.registration_host;
        let name = &site.config.registration_name;
        let system = if name == host {
            format!("`{host}`")
        } else {
            format!("{name} (`{host}`)")
        };
        for e in &site.events {
            match &e.registration {
                Some(url) if !is_official(url, host) => {
                    let parsed = url::Url::parse(url.trim()).ok();
                    let as_https = parsed.as_ref().filter(|u| u.scheme() == "http").map(|u| {
                        let mut u = u.clone();
                        let _ = u.set_scheme("https");
                        u.to_string()
                    });
                    let span = site.span(e.file, &[Seg::key("registration")]);
                    match (&parsed, as_https) {
                        (Some(_), Some(https)) if is_official(&https, host) => {
                            out.at(span, format!("`registration` uses `http`; the guideline is that RSVPs go through {system} over `https`"))
                                .with_help(format!("write `registration: {https}`"));
                        }
                        (Some(u), _) => {
                            let on = u.host_str().unwrap_or(u.scheme());
                            out.at(
                                span,
                                format!("`registration` points at `{on}`; the guideline is that RSVPs go through {system}"),
                            )
                            .with_help(format!(
                                "link the event's page on {name} under `registration:` (`https://{host}/…`) and move `{url}` under `promotion:` if it should still be listed"
                            ));
                        }
                        (None, _) => {
                            out.at(
                                span,
                                format!("`registration` is not a URL (`{url}`); the guideline is that RSVPs go through {system}"),
                            )
                            .with_help(format!("write the event's page on {name}: `registration: https://{host}/…`"));
                        }
                    }
                }
                None if e.status == Status::Scheduled && !e.is_past(site.today) => {
                    out.at(
                        site.span(e.file, &[Seg::key("title")]),
                        format!("this scheduled event has no `registration`; the guideline is that RSVPs go through {system}"),
                    )
                    .with_help(format!(
                        "add `registration: https://{host}/…` with the event's page on {name} (or `status: cancelled` or `postponed` if it will not take place)"
                    ));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_official;
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn official_means_https_on_the_host_or_a_subdomain() {
        assert!(is_official(
            "https://events.example.org/e/1",
            "events.example.org"
        ));
        assert!(is_official(
            "https://EVENTS.example.org/e/1",
            "events.example.org"
        ));
        assert!(is_official(
            "https://eu.events.example.org/e/1",
            "events.example.org"
        ));
        assert!(is_official(
            "https://events.example.org:8443/e/1",
            "events.example.org"
        ));
        assert!(!is_official(
            "http://events.example.org/e/1",
            "events.example.org"
        ));
        assert!(!is_official(
            "https://events.example.org.evil.com/",
            "events.example.org"
        ));
        assert!(!is_official(
            "https://events.example.org@evil.com/",
            "events.example.org"
        ));
        assert!(!is_official(
            "https://notevents.example.org/",
            "events.example.org"
        ));
        assert!(!is_official("https://example.org/", "events.example.org"));
        assert!(!is_official(
            "https://www.meetup.com/x",
            "events.example.org"
        ));
        assert!(!is_official("events.example.org/e/1", "events.example.org"));
    }

    #[test]
    fn third_party_registration_is_flagged_at_its_line() {
        let site = SiteBuilder::new()
            .event(
                "rome",
                "2030-01-10-x",
                "registration: https://www.meetup.com/x/",
            )
            .build();
        let f = findings(&site, "registration-official");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("`www.meetup.com`"),
            "{}",
            f[0].message
        );
        assert!(f[0].help.contains("promotion:"), "{}", f[0].help);
        assert_eq!(f[0].line, 5);
    }

    #[test]
    fn a_past_or_cancelled_event_with_a_third_party_link_is_flagged_too() {
        for extra in ["", "status: cancelled\n"] {
            let site = SiteBuilder::new()
                .event(
                    "rome",
                    "2020-01-10-x",
                    &format!("{extra}registration: https://www.meetup.com/x/"),
                )
                .build();
            assert_eq!(findings(&site, "registration-official").len(), 1);
        }
    }

    #[test]
    fn http_on_the_right_host_asks_for_https() {
        let site = SiteBuilder::new()
            .event(
                "rome",
                "2030-01-10-x",
                "registration: http://events.example.org/e/1",
            )
            .build();
        let f = findings(&site, "registration-official");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].help
                .contains("registration: https://events.example.org/e/1"),
            "{}",
            f[0].help
        );
    }

    #[test]
    fn missing_registration_only_matters_until_the_event_ends() {
        let open = SiteBuilder::new().event("rome", "2030-01-10-x", "").build();
        let f = findings(&open, "registration-official");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 2, "points at the title");
        // today is 2026-06-01: an event today has not ended, one yesterday has.
        let today = SiteBuilder::new().event("rome", "2026-06-01-x", "").build();
        assert_eq!(findings(&today, "registration-official").len(), 1);
        let yesterday = SiteBuilder::new().event("rome", "2026-05-31-x", "").build();
        assert!(findings(&yesterday, "registration-official").is_empty());
        for status in ["cancelled", "postponed"] {
            let s = SiteBuilder::new()
                .event("rome", "2030-01-10-x", &format!("status: {status}"))
                .build();
            assert!(findings(&s, "registration-official").is_empty(), "{status}");
        }
        let ok = SiteBuilder::new()
            .event(
                "rome",
                "2030-01-10-x",
                "registration: https://events.example.org/e/1",
            )
            .build();
        assert!(findings(&ok, "registration-official").is_empty());
    }
}
