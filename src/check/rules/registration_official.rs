//! `registration-official`: RSVPs go through the official registration system.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::{Site, Status};
use crate::source::yaml::Seg;

pub struct RegistrationOfficial;

/// Is `url` an `https` address on `host` or one of its subdomains?
pub fn is_official(url: &str, host: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    let Some(h) = u.host_str() else { return false };
    let h = h.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
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
        "an event's registration is not an https URL on the official registration system, or an open event has none"
    }
    fn explain(&self) -> &'static str {
        "RSVPs go through the network's official registration system. It is where attendees get \
reminders and joining details, where leaders see the head count that catering, room size and \
reimbursement depend on, and where the programme measures what its chapters do. Third-party \
event sites (meetup pages, social networks, ticketing tools) may promote an event, but they do \
not take the registrations.\n\n\
To comply, give every scheduled event that has not ended a `registration:` with the `https` \
address of its page on the registration system (its host, or a subdomain, as set in \
`site.yaml` `registration.host`). Put any third-party pages under `promotion:`."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        let host = &site.config.registration_host;
        let name = &site.config.registration_name;
        for e in &site.events {
            match &e.registration {
                Some(url) if !is_official(url, host) => {
                    let on_host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
                    let help = if url.starts_with("http://") && is_official(&url.replacen("http://", "https://", 1), host) {
                        format!("use `https://`: `{}`", url.replacen("http://", "https://", 1))
                    } else {
                        format!("link the event's page on {name} (`https://{host}/…`) under `registration:`, and move `{on_host}` under `promotion:` if it should still be listed")
                    };
                    out.at(
                        site.span(e.file, &[Seg::key("registration")]),
                        format!("RSVPs must go through {name}, but `registration` points at `{on_host}`"),
                    )
                    .with_help(help);
                }
                None if e.status == Status::Scheduled && !e.is_past(site.today) => {
                    out.at(
                        site.span(e.file, &[Seg::key("title")]),
                        format!("this event is open but has no `registration`; RSVPs go through {name}"),
                    )
                    .with_help(format!("add `registration: https://{host}/…` with the event's page on {name}"));
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
        assert!(is_official("https://events.example.org/e/1", "events.example.org"));
        assert!(is_official("https://eu.events.example.org/e/1", "events.example.org"));
        assert!(!is_official("http://events.example.org/e/1", "events.example.org"));
        assert!(!is_official("https://events.example.org.evil.com/", "events.example.org"));
        assert!(!is_official("https://notevents.example.org/", "events.example.org"));
        assert!(!is_official("https://www.meetup.com/x", "events.example.org"));
    }

    #[test]
    fn third_party_registration_is_flagged_at_its_line() {
        let site = SiteBuilder::new()
            .event("rome", "2030-01-10-x", "registration: https://www.meetup.com/x/")
            .build();
        let f = findings(&site, "registration-official");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("www.meetup.com"));
        assert_eq!(f[0].line, 5);
    }

    #[test]
    fn missing_registration_only_matters_while_open() {
        let open = SiteBuilder::new().event("rome", "2030-01-10-x", "").build();
        assert_eq!(findings(&open, "registration-official").len(), 1);
        let past = SiteBuilder::new().event("rome", "2020-01-10-x", "").build();
        assert!(findings(&past, "registration-official").is_empty());
        let cancelled = SiteBuilder::new().event("rome", "2030-01-10-x", "status: cancelled").build();
        assert!(findings(&cancelled, "registration-official").is_empty());
        let ok = SiteBuilder::new()
            .event("rome", "2030-01-10-x", "registration: https://events.example.org/e/1")
            .build();
        assert!(findings(&ok, "registration-official").is_empty());
    }
}
