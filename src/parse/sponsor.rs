//! `content/sponsors.yaml`: a list of sponsors.

use crate::model::{Sponsor, SponsorKind};
use crate::parse::{UrlKind, check_url, choice, url_field};
use crate::source::yaml::{Reader, Seg, Value};

const FIELDS: &[&str] = &["id", "name", "url", "kind", "logo"];

pub(crate) fn parse(r: &mut Reader<'_>, value: &Value) -> Vec<Sponsor> {
    let items = match value {
        Value::Sequence(items) => items,
        Value::Mapping(m) if m.is_empty() => return Vec::new(),
        _ => {
            r.error(
                &[],
                "content/wrong-type",
                "`sponsors.yaml` must be a list of sponsors".into(),
                "start each sponsor with `- id: <id>`, then `name:`, `url:` and `kind:` indented below it",
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Some(obj) = r.object(item, vec![Seg::Index(index)], FIELDS) else {
            continue;
        };
        let id = r.text(&obj, "id", true, "an id like `acme-consulting`");
        let id = id.filter(|id| {
            let ok = crate::source::is_valid_id(id);
            if !ok {
                r.error(
                    &obj.child(Seg::key("id")),
                    "content/invalid-id",
                    format!("`{id}` is not a valid sponsor id"),
                    format!(
                        "ids use lowercase letters, digits and `-`, like `{}`",
                        crate::source::suggest_id(id)
                    ),
                );
            }
            ok
        });
        let name = r.text(&obj, "name", true, "the sponsor's name");
        let url = url_field(r, &obj, "url", true, UrlKind::Web);
        let kind = choice(r, &obj, "kind", false, SponsorKind::ALL, SponsorKind::parse);
        let logo = r
            .text(&obj, "logo", false, "an image address")
            .and_then(|l| check_url(r, &obj.child(Seg::key("logo")), &l, UrlKind::WebOrPath));
        if let (Some(id), Some(name), Some(url)) = (id, name, url) {
            out.push(Sponsor {
                id,
                file: r.file,
                index,
                name,
                url,
                kind,
                logo,
            });
        }
    }
    out
}
