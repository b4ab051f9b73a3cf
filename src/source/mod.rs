//! Stage 1, LOAD: disk -> [`SourceSet`].
//!
//! Walks `content/`, reads every file the content model names, classifies it
//! by where it lies and splits front matter. It never interprets a field.
//! Unreadable files and files in the wrong place become diagnostics; only an
//! unreadable site root is fatal.

pub mod frontmatter;
pub mod lines;
pub mod yaml;

use std::io::Read as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Span};
use lines::LineIndex;

/// Index of a file in a [`SourceSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// What a file is, decided by its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    SiteConfig,
    Chapter { chapter: String },
    Event { chapter: String, stem: String },
    Leader { id: String },
    Guide { id: String },
    Sponsors,
}

/// One file read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub text: String,
    pub kind: Option<FileKind>,
    /// Where the YAML lies in `text` (the whole file for `.yaml` files).
    pub yaml: Range<usize>,
    /// Where the Markdown body lies in `text` (empty for `.yaml` files).
    pub body: Range<usize>,
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(path: String, text: String, kind: Option<FileKind>) -> Self {
        let len = text.len();
        SourceFile {
            path,
            text,
            kind,
            yaml: 0..len,
            body: len..len,
            lines: std::sync::OnceLock::new(),
        }
    }
    pub fn yaml_text(&self) -> &str {
        &self.text[self.yaml.clone()]
    }
    pub fn body_text(&self) -> &str {
        &self.text[self.body.clone()]
    }
    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }
    pub fn line_range(&self, line: usize) -> Range<usize> {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_range(&self.text, line)
    }
}

/// Every file of a site, in a stable order.
#[derive(Debug, Default)]
pub struct SourceSet {
    pub root: PathBuf,
    files: Vec<SourceFile>,
}

impl SourceSet {
    pub fn new(root: PathBuf) -> Self {
        SourceSet {
            root,
            files: Vec::new(),
        }
    }
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }
}

/// A fatal load problem: the site cannot be read at all.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for LoadError {}

/// Files above this size are refused, so a stray video or dump in
/// `content/` cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Is `name` a valid id: lowercase ASCII letters, digits and `-`, starting
/// with a letter or digit?
pub fn is_valid_id(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Suggest a valid id for an invalid name (`Palm Beach` -> `palm-beach`).
pub fn suggest_id(name: &str) -> String {
    let s = slug::slugify(name);
    if s.is_empty() { "my-id".into() } else { s }
}

fn is_skipped(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('_')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

/// Decide what the file at `rel` (relative to `content/`) is. `Err` carries a
/// diagnostic for a file the content model does not allow there.
fn classify(rel: &[&str]) -> Result<Option<FileKind>, (String, String)> {
    let stem_of = |name: &str, ext: &str| name.strip_suffix(ext).map(str::to_string);
    match rel {
        ["sponsors.yaml"] => Ok(Some(FileKind::Sponsors)),
        ["sponsors.yml"] => Err((
            "`sponsors.yml` is not read".into(),
            "rename it to `content/sponsors.yaml`".into(),
        )),
        ["chapters", chapter, "chapter.yaml"] => Ok(Some(FileKind::Chapter {
            chapter: chapter.to_string(),
        })),
        ["chapters", _, "chapter.yml"] => Err((
            "`chapter.yml` is not read".into(),
            "rename it to `chapter.yaml`".into(),
        )),
        ["chapters", chapter, "events", name] => match stem_of(name, ".md") {
            Some(stem) => Ok(Some(FileKind::Event {
                chapter: chapter.to_string(),
                stem,
            })),
            None => Ok(None),
        },
        ["leaders", name] => Ok(stem_of(name, ".md").map(|id| FileKind::Leader { id })),
        ["guides", name] => Ok(stem_of(name, ".md").map(|id| FileKind::Guide { id })),
        _ => {
            let last = rel.last().copied().unwrap_or("");
            if last.ends_with(".md") || last.ends_with(".yaml") || last.ends_with(".yml") {
                Err((
                    format!("`{}` is not a place the content model reads", rel.join("/")),
                    "events go in `content/chapters/<chapter>/events/<YYYY-MM-DD>-<slug>.md`, leaders in `content/leaders/<leader>.md`, guides in `content/guides/<guide>.md`".into(),
                ))
            } else {
                Ok(None)
            }
        }
    }
}

/// Read the site at `root`: `site.yaml` and every content file.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Result<SourceSet, LoadError> {
    let meta = std::fs::metadata(root).map_err(|e| {
        LoadError(format!(
            "cannot read the site folder {}: {e}",
            root.display()
        ))
    })?;
    if !meta.is_dir() {
        return Err(LoadError(format!("{} is not a folder", root.display())));
    }
    let canon_root = root
        .canonicalize()
        .map_err(|e| LoadError(format!("cannot resolve {}: {e}", root.display())))?;
    let mut set = SourceSet::new(root.to_path_buf());

    let config_path = root.join("site.yaml");
    if !config_path.is_file() {
        let hint = if root.join("site.yml").is_file() {
            "rename `site.yml` to `site.yaml`"
        } else {
            "run chapterhouse in the site's folder, pass `--root <folder>`, or create one with `chapterhouse init <folder>`"
        };
        return Err(LoadError(format!(
            "no `site.yaml` in {}: {hint}",
            root.display()
        )));
    }

    // Collect the paths first (cheap, sequential, sorted), then read in parallel.
    let mut wanted: Vec<(String, PathBuf, Option<FileKind>)> =
        vec![("site.yaml".into(), config_path, Some(FileKind::SiteConfig))];
    let mut problems: Vec<Diagnostic> = Vec::new();
    let content = root.join("content");
    for dir in ["static", "themes"] {
        outside_links(root, dir, &mut problems);
    }
    if leaves_site(root, &content) {
        problems.push(outside_link_warning("content"));
    } else if content.is_dir() {
        let walker = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Diagnostic::warning(
                        "content/unreadable",
                        format!("cannot read part of `content/`: {e}"),
                    ));
                    continue;
                }
            };
            let rel_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel = rel_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let mut is_file = entry.file_type().is_file();
            if entry.file_type().is_symlink() {
                // Never follow a link out of the site: its target could be any
                // file on the build machine.
                match entry.path().canonicalize() {
                    Ok(target) if target.starts_with(&canon_root) => {
                        is_file = target.is_file();
                    }
                    _ => {
                        problems.push(outside_link_warning(&rel));
                        continue;
                    }
                }
            }
            if !is_file {
                continue;
            }
            let parts: Vec<&str> = rel.split('/').skip(1).collect();
            match classify(&parts) {
                Ok(Some(kind)) => wanted.push((rel, entry.path().to_path_buf(), Some(kind))),
                Ok(None) => {}
                Err((msg, help)) => problems
                    .push(Diagnostic::warning("content/unexpected-file", msg).with_help(help)),
            }
        }
    }

    let read: Vec<Result<SourceFile, Diagnostic>> = wanted
        .into_par_iter()
        .map(|(rel, path, kind)| read_one(rel, &path, kind))
        .collect();
    for r in read {
        match r {
            Ok(f) => {
                set.add(f);
            }
            Err(d) => problems.push(d),
        }
    }
    // Problems found while walking name a path that may not be a loaded file;
    // attach them to a placeholder entry so they still show a file name.
    for d in problems {
        diags.push(d);
    }
    Ok(set)
}

fn outside_link_warning(rel: &str) -> Diagnostic {
    Diagnostic::warning(
        "content/symlink-outside",
        format!("`{rel}` is a symbolic link that points outside the site; it is skipped"),
    )
    .with_help("copy the file into the site instead of linking to it")
}

/// Does `path` (a folder or file in the site) resolve to a place outside
/// the site folder `root`? Paths that do not exist do not leave the site.
/// Render calls this before it copies `static/` or a theme, so a link out
/// of the site is never followed.
pub fn leaves_site(root: &Path, path: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    match path.canonicalize() {
        Ok(target) => !target.starts_with(root),
        Err(_) => false,
    }
}

/// Warn about every symbolic link under `root/dir` (and `dir` itself)
/// that points outside the site. Render copies only regular files from
/// `static/` and themes, so these links are skipped there; the warning
/// says so instead of leaving a file silently missing.
fn outside_links(root: &Path, dir: &str, problems: &mut Vec<Diagnostic>) {
    let base = root.join(dir);
    let walker = walkdir::WalkDir::new(&base)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path_is_symlink());
    for entry in walker {
        if leaves_site(root, entry.path()) {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            problems.push(outside_link_warning(&rel));
        }
    }
}

/// Build a source set from in-memory files (`path`, `text`), classified the
/// same way as files on disk. Used by tests and by `serve` for unsaved edits.
pub fn from_memory(root: PathBuf, files: Vec<(String, String)>) -> SourceSet {
    let mut set = SourceSet::new(root);
    let mut files = files;
    files.sort();
    for (path, text) in files {
        let kind = if path == "site.yaml" {
            Some(FileKind::SiteConfig)
        } else {
            let parts: Vec<&str> = path.split('/').skip(1).collect();
            classify(&parts).ok().flatten()
        };
        set.add(with_front_matter(SourceFile::new(path, text, kind)));
    }
    set
}

fn with_front_matter(mut file: SourceFile) -> SourceFile {
    if file.path.ends_with(".md") {
        match frontmatter::split(&file.text) {
            Ok(s) => {
                file.yaml = s.yaml;
                file.body = s.body;
            }
            Err(_) => {
                // The parse stage reports why (see `split_problem`).
                file.yaml = 0..0;
                file.body = 0..file.text.len();
            }
        }
    }
    file
}

fn read_one(rel: String, path: &Path, kind: Option<FileKind>) -> Result<SourceFile, Diagnostic> {
    let too_big = |size: String| {
        Diagnostic::error(
            "content/too-large",
            format!(
                "`{rel}` is {size}; content files may be at most {} MB",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split the text, or put large files under `static/`")
    };
    let unreadable = |e: std::io::Error| {
        Diagnostic::error("content/unreadable", format!("cannot read `{rel}`: {e}"))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // Refuse by size before reading, so a 50 MB dump costs nothing...
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(too_big(format!(
            "{:.1} MB",
            size as f64 / (1024.0 * 1024.0)
        )));
    }
    // ...and never read more than the limit, even from a file that grows
    // while it is read or that reports no size.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big("larger than that".into()));
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let help = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                "the file is saved as UTF-16: save it as UTF-8 in your editor"
            } else {
                "save the file as UTF-8 in your editor"
            };
            return Err(Diagnostic::error(
                "content/not-utf8",
                format!("`{rel}` is not valid UTF-8 (line {line}, byte {at})"),
            )
            .with_help(help));
        }
    };
    // A byte-order mark (Windows editors add one) is not content.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(with_front_matter(SourceFile::new(rel, text, kind)))
}

/// Why the front matter of `file` could not be split, if it could not.
pub fn split_problem(file: &SourceFile) -> Option<Diagnostic> {
    if !file.path.ends_with(".md") {
        return None;
    }
    match frontmatter::split(&file.text) {
        Ok(_) => None,
        Err(frontmatter::SplitError::NoOpening) if file.text.trim().is_empty() => Some(
            Diagnostic::error("content/no-front-matter", "this file is empty")
                .with_help("start the file with a line `---`, then the fields (`title: …`), then another line `---`, then the text; or delete the file"),
        ),
        Err(frontmatter::SplitError::NoOpening) => Some(
            Diagnostic::error(
                "content/no-front-matter",
                "this file has no front matter",
            )
            .with_help("start the file with a line `---`, then the fields (`title: …`), then another line `---`, then the text"),
        ),
        Err(frontmatter::SplitError::NotClosed) => Some(
            Diagnostic::error(
                "content/front-matter-not-closed",
                "the front matter starts here but never ends",
            )
            .with_label("opened here")
            .with_help("add a line `---` after the last field, before the text"),
        ),
    }
}

/// A span for a whole-file-relative range inside `file`.
pub fn span(id: FileId, range: Range<usize>) -> Span {
    Span::at(id, range)
}
