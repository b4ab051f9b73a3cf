//! `free-of-charge`: events are free to attend.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::Site;
use crate::source::yaml::Seg;

pub struct FreeOfCharge;

/// Does a `price` value say the event is free? Accepts `free` (any case)
/// and zero written as `0`, `0.0` or `0.00`; anything else, including a
/// currency (`$0`, `0 EUR`) or an empty value, is a price.
pub fn is_free(price: &str) -> bool {
    let p = price.trim();
    if p.eq_ignore_ascii_case("free") {
        return true;
    }
    let (int, frac) = p.split_once('.').unwrap_or((p, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b == b'0')
        && frac.bytes().all(|b| b == b'0')
}

impl Rule for FreeOfCharge {
    fn id(&self) -> &'static str {
        "free-of-charge"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "an event's price is set to anything other than 0 or free"
    }
    fn explain(&self) -> &'static str {
        "Chapter events are free to attend, so that anyone who uses the product can come and learn, \
whatever their budget or employer. Costs such as the room, food and drinks are covered by the \
programme's reimbursement or by sponsors, never by charging attendees.\n\n\
To comply, remove `price:` or set it to `free` (or `0`). If the event needs money, talk to the \
programme about reimbursement or find a local sponsor."
    }
    fn check(&self, site: &Site, out: &mut Findings<'_>) {
        for e in &site.events {
            let Some(p) = &e.price else { continue };
            if is_free(p) {
                continue;
            }
            out.at(
                site.span(e.file, &[Seg::key("price")]),
                format!("this event charges `{p}`; the guideline is that chapter events are free to attend"),
            )
            .with_help(
                "write `price: free` or remove the line; cover costs through the programme's reimbursement or a sponsor",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_free;
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn only_zero_and_free_are_free() {
        for p in ["0", "free", "Free", "FREE", " free ", "0.00", "0.0", "00"] {
            assert!(is_free(p), "{p}");
        }
        for p in [
            "$10", "5", "10 EUR", "", "donation", "$0", "0 EUR", "0.", ".0", "-0", "0.01", "1",
        ] {
            assert!(!is_free(p), "{p}");
        }
    }

    #[test]
    fn a_price_is_flagged_at_its_line() {
        let site = SiteBuilder::new()
            .event("rome", "2020-01-10-x", "price: \"$10\"")
            .build();
        let f = findings(&site, "free-of-charge");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 5);
        assert!(f[0].message.contains("`$10`"), "{}", f[0].message);
        assert!(f[0].help.contains("price: free"), "{}", f[0].help);
    }

    #[test]
    fn zero_free_or_no_price_pass() {
        for extra in ["price: 0", "price: free", "price: 0.00", ""] {
            let site = SiteBuilder::new()
                .event("rome", "2020-01-10-x", extra)
                .build();
            assert!(findings(&site, "free-of-charge").is_empty(), "{extra}");
        }
    }
}
