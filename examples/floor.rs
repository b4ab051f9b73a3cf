//! The floor a site generator is measured against: the least work that
//! turns a network's events into pages, timed on the same machine as the
//! real build so that the figures can be read across machines.
//!
//! ```text
//! cargo run --release --example floor -- SITE OUT
//! ```
//!
//! On one thread, for every `content/chapters/<chapter>/events/*.md` of the
//! site at `SITE`: read it, split the front matter, parse its YAML, render
//! the Markdown body with pulldown-cmark into a fixed page shell, and write
//! it to `OUT/<chapter>/<stem>/index.html`. No checks, no templates, no
//! chapter, leader or guide pages, no feeds or calendars. `OUT` must not
//! exist. Prints the events written and the seconds taken. A benchmark aid
//! (benches/bench.sh runs it beside each build size), not a test.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chapterhouse::render::feeds::xml_escape;
use chapterhouse::source::{frontmatter, yaml};

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, out] = &args[..] else {
        eprintln!("usage: floor SITE OUT");
        std::process::exit(2);
    };
    if out.exists() {
        eprintln!("floor: {} exists; give a new folder", out.display());
        std::process::exit(2);
    }
    let start = Instant::now();
    let events = match build(site, out) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(1);
        }
    };
    println!("{events} events in {:.3} s", start.elapsed().as_secs_f64());
}

fn build(site: &Path, out: &Path) -> Result<usize, String> {
    let chapters = site.join("content/chapters");
    let mut events = 0;
    let walker = walkdir::WalkDir::new(&chapters)
        .min_depth(3)
        .max_depth(3)
        .sort_by_file_name();
    let mut page = String::new();
    for entry in walker {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let split = frontmatter::split(&text).map_err(|e| format!("{}: {e:?}", path.display()))?;
        let fields: serde_json::Value = yaml::from_str(&text[split.yaml.clone()])
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let title = fields["title"].as_str().unwrap_or("");

        page.clear();
        page.push_str(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
        );
        page.push_str(&xml_escape(title));
        page.push_str("</title>\n</head>\n<body>\n<main>\n<h1>");
        page.push_str(&xml_escape(title));
        page.push_str("</h1>\n");
        let parser =
            pulldown_cmark::Parser::new_ext(&text[split.body], pulldown_cmark::Options::all());
        pulldown_cmark::html::push_html(&mut page, parser);
        page.push_str("</main>\n</body>\n</html>\n");

        let chapter = path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .ok_or("an event outside a chapter")?;
        let stem = path.file_stem().ok_or("an event without a name")?;
        let dir = out.join(chapter).join(stem);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(dir.join("index.html"), &page)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        events += 1;
    }
    Ok(events)
}
