//! `content/guides/<guide>.md` front matter.

use chrono::NaiveDate;

use crate::model::time::parse_date;
use crate::model::{Affiliation, Category, SPEAKER_AFFILIATIONS, Speaker};
use crate::parse::{check_id, choice};
use crate::source::FileId;
use crate::source::yaml::{Reader, Seg, Value, scalar_text};

const FIELDS: &[&str] = &["title", "category", "author", "updated", "ai_assisted"];

/// Who wrote a guide, as written.
#[derive(Debug, Clone)]
pub enum AuthorDoc {
    Leader(String),
    Person(Speaker),
}

#[derive(Debug, Clone)]
pub struct GuideDoc {
    pub id: String,
    pub file: FileId,
    pub title: String,
    pub category: Category,
    pub author: Option<AuthorDoc>,
    pub updated: Option<NaiveDate>,
    pub ai_assisted: bool,
}

pub(crate) fn parse(r: &mut Reader<'_>, value: &Value, id: &str) -> Option<GuideDoc> {
    let id_ok = check_id(r, id, "guide");
    let obj = r.object(value, vec![], FIELDS)?;
    let title = r.text(&obj, "title", true, "the guide's title");
    let category = choice(r, &obj, "category", true, Category::ALL, Category::parse);
    let author = match obj.get("author") {
        None => None,
        Some(v @ Value::Mapping(_)) => {
            let aobj = r.object(
                v,
                vec![Seg::key("author")],
                &["name", "company", "affiliation"],
            )?;
            let name = r.text(&aobj, "name", true, "the author's name");
            let company = r.text(&aobj, "company", false, "the author's employer");
            let affiliation = choice(
                r,
                &aobj,
                "affiliation",
                true,
                SPEAKER_AFFILIATIONS,
                Affiliation::parse,
            );
            match (name, affiliation) {
                (Some(name), Some(affiliation)) => Some(AuthorDoc::Person(Speaker {
                    name,
                    company,
                    affiliation,
                })),
                _ => None,
            }
        }
        Some(v) => match scalar_text(v) {
            Some(lid) if crate::source::is_valid_id(&lid) => Some(AuthorDoc::Leader(lid)),
            _ => {
                r.error(
                    &[Seg::key("author")],
                    "content/invalid-value",
                    "`author` must be a leader id, or `name`, `company` and `affiliation`".into(),
                    "write `author: <leader id>`, or the fields `name:`, `company:` and `affiliation:` indented below `author:`",
                );
                None
            }
        },
    };
    let updated = r
        .text(&obj, "updated", false, "a date like `2026-05-01`")
        .and_then(|d| {
            parse_date(&d).or_else(|| {
                r.error(
                    &[Seg::key("updated")],
                    "content/invalid-date",
                    format!("`updated` must be a date, found `{d}`"),
                    "write it as `YYYY-MM-DD`",
                );
                None
            })
        });
    let ai_assisted = r
        .opt::<bool>(&obj, "ai_assisted", "`true` or `false`")
        .unwrap_or(false);
    if !id_ok {
        return None;
    }
    Some(GuideDoc {
        id: id.to_string(),
        file: r.file,
        title: title?,
        category: category?,
        author,
        updated,
        ai_assisted,
    })
}
