//! `content/leaders/<leader>.md` front matter.

use crate::model::{Affiliation, LEADER_AFFILIATIONS, Leader};
use crate::parse::{UrlKind, check_id, check_url, choice, url_field};
use crate::source::yaml::{Reader, Seg, Value, scalar_text};

const FIELDS: &[&str] = &["name", "affiliation", "company", "photo", "links"];

pub(crate) fn parse(r: &mut Reader<'_>, value: &Value, id: &str) -> Option<Leader> {
    let id_ok = check_id(r, id, "leader");
    let obj = r.object(value, vec![], FIELDS)?;
    let name = r.text(&obj, "name", true, "the leader's name");
    let affiliation = choice(r, &obj, "affiliation", true, LEADER_AFFILIATIONS, |s| {
        Affiliation::parse(s).filter(|a| *a != Affiliation::Vendor)
    });
    let company = r.text(&obj, "company", false, "the employer's name");
    if affiliation == Some(Affiliation::Partner) && company.is_none() {
        r.error(
            &[Seg::key("affiliation")],
            "content/missing-field",
            "a leader with `affiliation: partner` must name the `company`".into(),
            "add `company: <the partner company>`",
        );
    }
    let photo = url_field(r, &obj, "photo", false, UrlKind::WebOrPath);
    let mut links = Vec::new();
    if let Some(v) = obj.get("links") {
        if let Some(lobj) = r.mapping(v, vec![Seg::key("links")], &["<label>: <https URL>"]) {
            for (k, v) in lobj.map {
                let (Some(label), Some(url)) = (scalar_text(k), scalar_text(v)) else {
                    continue;
                };
                let path = lobj.child(Seg::Key(label.clone()));
                if let Some(u) = check_url(r, &path, &url, UrlKind::WebOrMail) {
                    links.push((label, u));
                }
            }
        }
    }
    if !id_ok {
        return None;
    }
    Some(Leader {
        id: id.to_string(),
        file: r.file,
        name: name?,
        affiliation: affiliation?,
        company,
        photo,
        links,
        chapters: Vec::new(),
    })
}
