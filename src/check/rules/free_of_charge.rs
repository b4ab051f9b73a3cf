//! `free-of-charge`: events are free to attend.

use crate::check::{Findings, Rule};
use crate::diag::Severity;
use crate::model::Site;
use crate::source::yaml::Seg;

pub struct FreeOfCharge;

/// Does a `price` value say the event is free (`0`, `0.00`, `free`)?
pub fn is_free(price: &str) -> bool {
    let p = price.trim();
    p.eq_ignore_ascii_case("free") || (!p.is_empty() && p.parse::<f64>().is_ok_and(|v| v == 0.0))
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
            if let Some(p) = &e.price {
                if !is_free(p) {
                    out.at(site.span(e.file, &[Seg::key("price")]), format!("this event charges `{p}`; chapter events are free"))
                        .with_help("set `price: free` or remove the line; cover costs through reimbursement or a sponsor");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_free;
    use crate::check::testing::{SiteBuilder, findings};

    #[test]
    fn only_zero_and_free_are_free() {
        for p in ["0", "free", "Free", "0.00"] {
            assert!(is_free(p), "{p}");
        }
        for p in ["$10", "5", "10 EUR", "", "donation"] {
            assert!(!is_free(p), "{p}");
        }
    }

    #[test]
    fn a_price_is_flagged_at_its_line() {
        let site = SiteBuilder::new().event("rome", "2020-01-10-x", "price: \"$10\"").build();
        let f = findings(&site, "free-of-charge");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].line, 5);
        let site = SiteBuilder::new().event("rome", "2020-01-10-x", "price: 0").build();
        assert!(findings(&site, "free-of-charge").is_empty());
    }
}
