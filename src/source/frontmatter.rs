//! Split a Markdown file into its `---` YAML front matter and its body,
//! keeping byte offsets into the whole file.

use std::ops::Range;

/// Where the parts of a front-matter file lie, as byte ranges of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub yaml: Range<usize>,
    pub body: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpening,
    /// The opening `---` has no closing `---`.
    NotClosed,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Split `text` at its front matter. The opening fence must be the first line.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoOpening)?;
    if !is_fence(first) {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first.len();
    let mut pos = yaml_start;
    for line in lines {
        if is_fence(line) {
            return Ok(Split {
                yaml: yaml_start..pos,
                body: (pos + line.len())..text.len(),
            });
        }
        pos += line.len();
    }
    Err(SplitError::NotClosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offsets() {
        let t = "---\ntitle: x\n---\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml.clone()], "title: x\n");
        assert_eq!(&t[s.body.clone()], "body\n");
    }

    #[test]
    fn handles_crlf_and_trailing_spaces() {
        let t = "--- \r\na: 1\r\n---\r\nb";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml], "a: 1\r\n");
        assert_eq!(&t[s.body], "b");
    }

    #[test]
    fn closing_fence_at_end_of_file() {
        let t = "---\na: 1\n---";
        let s = split(t).unwrap();
        assert_eq!(s.body, t.len()..t.len());
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("title: x\n"), Err(SplitError::NoOpening));
        assert_eq!(split(""), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::NotClosed));
        assert_eq!(split("----\n---\n"), Err(SplitError::NoOpening));
    }
}
