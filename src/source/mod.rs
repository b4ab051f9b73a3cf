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

/// A relative path with `/` between its parts on every system: the form
/// paths take in diagnostics, in the output plan and in `serve`.
pub fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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

    // Walk `content/` but for the chapter folders, which are walked and read
    // side by side; everything comes back in walk order.
    let mut steps = vec![Step::File(
        "site.yaml".into(),
        config_path,
        FileKind::SiteConfig,
    )];
    let content = root.join("content");
    let mut problems: Vec<Diagnostic> = Vec::new();
    for dir in ["static", "themes"] {
        outside_links(root, dir, &mut problems);
    }
    if leaves_site(root, &content) {
        problems.push(outside_link_warning("content"));
    } else if content.is_dir() {
        walk(root, &canon_root, &content, true, &mut steps);
    }
    let walked = in_reader_pool(steps.len(), || {
        steps
            .into_par_iter()
            .with_max_len(1)
            .map(|step| step.read(root, &canon_root))
            .collect::<Vec<_>>()
    });
    // The walk's problems first, then the files that could not be read.
    let mut unreadable = Vec::new();
    for w in walked {
        problems.extend(w.problems);
        for r in w.files {
            match r {
                Ok(f) => {
                    set.add(f);
                }
                Err(d) => unreadable.push(d),
            }
        }
    }
    for d in problems.into_iter().chain(unreadable) {
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
            let rel = slashed(entry.path().strip_prefix(root).unwrap_or(entry.path()));
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

/// How many files are read at once, at most. Reading waits on the disk far
/// more than it computes: when the content is not in the page cache (checked
/// out before a CI job compiled the tool, or on a VM that evicts files left
/// idle for a minute), each read waits for the disk, and only many reads in
/// flight keep it busy.
/// Measured on a 2-core VM, 53,000 files read cold: 2.8 s with 2 readers,
/// 1.2 s with 8, 0.58 s with 32, no better with 64; read warm, 32 readers
/// are no slower than 2 (0.14 s against 0.21 s).
const READERS: usize = 32;

/// One thing the walk of `content/` found, in walk order.
enum Step {
    /// A file the content model reads.
    File(String, PathBuf, FileKind),
    /// A chapter's folder, walked later (side by side with the others).
    Folder(PathBuf),
    /// A part of `content/` that cannot be read or does not belong there.
    Problem(Diagnostic),
}

/// What one [`Step`] gives: the files read and the problems found, in order.
struct Walked {
    files: Vec<Result<SourceFile, Diagnostic>>,
    problems: Vec<Diagnostic>,
}

impl Step {
    fn read(self, root: &Path, canon_root: &Path) -> Walked {
        match self {
            Step::File(rel, path, kind) => Walked {
                files: vec![read_one(rel, &path, kind)],
                problems: Vec::new(),
            },
            Step::Problem(d) => Walked {
                files: Vec::new(),
                problems: vec![d],
            },
            Step::Folder(dir) => {
                let mut steps = Vec::new();
                walk(root, canon_root, &dir, false, &mut steps);
                let mut problems = Vec::new();
                let mut wanted = Vec::new();
                for step in steps {
                    match step {
                        Step::File(rel, path, kind) => wanted.push((rel, path, kind)),
                        Step::Problem(d) => problems.push(d),
                        Step::Folder(_) => unreachable!("only the top walk stops at folders"),
                    }
                }
                let files = wanted
                    .into_par_iter()
                    .with_max_len(8)
                    .map(|(rel, path, kind)| read_one(rel, &path, kind))
                    .collect();
                Walked { files, problems }
            }
        }
    }
}

/// Walk `dir` (in `content/`) in file-name order, pushing what it finds onto
/// `steps`. With `stop_at_chapters`, a chapter's folder is not entered but
/// pushed as a [`Step::Folder`], to be walked on its own.
fn walk(root: &Path, canon_root: &Path, dir: &Path, stop_at_chapters: bool, steps: &mut Vec<Step>) {
    let mut walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_skipped(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                steps.push(Step::Problem(Diagnostic::warning(
                    "content/unreadable",
                    format!("cannot read part of `content/`: {e}"),
                )));
                continue;
            }
        };
        let rel = slashed(entry.path().strip_prefix(root).unwrap_or(entry.path()));
        let parts: Vec<&str> = rel.split('/').skip(1).collect();
        if stop_at_chapters && entry.file_type().is_dir() && matches!(parts[..], ["chapters", _]) {
            walker.skip_current_dir();
            steps.push(Step::Folder(entry.into_path()));
            continue;
        }
        let mut is_file = entry.file_type().is_file();
        if entry.file_type().is_symlink() {
            // Never follow a link out of the site: its target could be any
            // file on the build machine.
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(canon_root) => {
                    is_file = target.is_file();
                }
                _ => {
                    steps.push(Step::Problem(outside_link_warning(&rel)));
                    continue;
                }
            }
        }
        if !is_file {
            continue;
        }
        match classify(&parts) {
            Ok(Some(kind)) => steps.push(Step::File(rel, entry.path().to_path_buf(), kind)),
            Ok(None) => {}
            Err((msg, help)) => steps.push(Step::Problem(
                Diagnostic::warning("content/unexpected-file", msg).with_help(help),
            )),
        }
    }
}

/// Run `work` on a pool of readers sized for waiting on the disk rather than
/// for the cores (see [`READERS`]), or on the shared pool when `tasks` (how
/// many things `work` reads side by side) would not keep more threads busy.
fn in_reader_pool<T: Send>(tasks: usize, work: impl FnOnce() -> T + Send) -> T {
    let readers = READERS.min(tasks);
    if readers <= rayon::current_num_threads() {
        return work();
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(readers)
        .thread_name(|i| format!("reader-{i}"))
        .build()
    {
        Ok(pool) => pool.install(work),
        // No threads to spare: read on the shared pool.
        Err(_) => work(),
    }
}

fn read_one(rel: String, path: &Path, kind: FileKind) -> Result<SourceFile, Diagnostic> {
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
    Ok(with_front_matter(SourceFile::new(rel, text, Some(kind))))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn put(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The chapter folders are walked and read side by side; what comes back
    /// must be what one walk in file-name order finds, in that order.
    #[test]
    fn files_and_problems_come_back_in_walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        put(root, "site.yaml", "title: T\n");
        put(root, "content/sponsors.yaml", "[]\n");
        put(root, "content/stray.md", "x\n");
        put(root, "content/leaders/zoe.md", "---\nname: Z\n---\n");
        put(root, "content/leaders/adam.md", "---\nname: A\n---\n");
        put(root, "content/guides/venues.md", "---\ntitle: V\n---\n");
        // Enough chapters that they are read on the readers' pool.
        for c in (0..40).rev() {
            let chapter = format!("content/chapters/c{c:02}");
            put(root, &format!("{chapter}/chapter.yaml"), "name: C\n");
            for day in [3, 1, 2] {
                put(
                    root,
                    &format!("{chapter}/events/2026-01-0{day}-meetup.md"),
                    "---\n---\n",
                );
            }
            put(root, &format!("{chapter}/events/_draft.md"), "skipped\n");
            put(root, &format!("{chapter}/events/notes.txt"), "ignored\n");
            if c % 10 == 3 {
                put(root, &format!("{chapter}/misplaced.md"), "x\n");
            }
        }

        let mut diags = Diagnostics::new();
        let set = load(root, &mut diags).unwrap();
        let paths: Vec<&str> = set.iter().map(|(_, f)| f.path.as_str()).collect();

        let mut expected = vec!["site.yaml".to_string()];
        for c in 0..40 {
            let chapter = format!("content/chapters/c{c:02}");
            expected.push(format!("{chapter}/chapter.yaml"));
            for day in 1..=3 {
                expected.push(format!("{chapter}/events/2026-01-0{day}-meetup.md"));
            }
        }
        expected.extend(
            [
                "content/guides/venues.md",
                "content/leaders/adam.md",
                "content/leaders/zoe.md",
                "content/sponsors.yaml",
            ]
            .map(String::from),
        );
        assert_eq!(paths, expected);
        assert!(matches!(
            set.get(FileId(2)).kind,
            Some(FileKind::Event { ref chapter, ref stem }) if chapter == "c00" && stem == "2026-01-01-meetup"
        ));

        let problems: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            problems,
            [
                "`chapters/c03/misplaced.md` is not a place the content model reads",
                "`chapters/c13/misplaced.md` is not a place the content model reads",
                "`chapters/c23/misplaced.md` is not a place the content model reads",
                "`chapters/c33/misplaced.md` is not a place the content model reads",
                "`stray.md` is not a place the content model reads",
            ]
        );
    }
}
