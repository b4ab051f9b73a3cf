//! Byte offset <-> line and column for one file's text.

/// Line starts of a text, for turning byte offsets into 1-based line/column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (column counted in characters) of `offset`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte range of the 1-based line `line` (without its line break).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let end = self
            .starts
            .get(line)
            .map(|e| e.saturating_sub(1))
            .unwrap_or(text.len());
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_character_columns() {
        let text = "a: 1\nnäme: x\n\nz";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 5), (2, 1));
        // 'x' comes after "näme: " which is 7 bytes but 6 characters
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 7));
        assert_eq!(idx.line_col(text, text.len()), (4, 2));
        assert_eq!(&text[idx.line_range(text, 2)], "näme: x");
    }
}
