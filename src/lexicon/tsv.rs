//! The one reader for every editable data file under `lexicons/`: UTF-8 TSV with a header row,
//! `#` comment lines and one entry per line.
//!
//! The `csv` crate is not used here on purpose: it miscounts line numbers after comment lines and
//! drops every line that starts with the comment character, which would silently swallow
//! hashtag entries such as `#fail`. Linguists need `file:line: reason` for every problem, so this
//! reader keeps its own line numbers.
//!
//! Comment rule: a line whose first non-blank characters are `#` followed by a blank, another `#`
//! or the end of the line is a comment. `#fail` (a hashtag) is data.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a data file, always pointing at the file and (where there is one) the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub path: PathBuf,
    /// 1-based line number; 0 when the problem concerns the whole file (e.g. it cannot be read).
    pub line: usize,
    pub message: String,
}

impl LexiconError {
    pub fn new(path: &Path, line: usize, message: impl Into<String>) -> Self {
        LexiconError {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
        }
    }
}

impl std::error::Error for LexiconError {}

/// One data line of a TSV file, with its fields already trimmed.
#[derive(Debug, Clone)]
pub struct TsvRecord {
    pub line: usize,
    /// The trimmed fields joined by tabs (no field holds one): one allocation per line rather
    /// than one per field, which made up much of every lexicon load.
    fields: Box<str>,
}

impl TsvRecord {
    /// Field `idx`, found with a plain byte loop: lines are short, and a `split` sets up a
    /// searcher per call that costs more than the scan.
    fn field(&self, idx: usize) -> Option<&str> {
        let mut start = 0;
        let mut k = 0;
        for (i, &b) in self.fields.as_bytes().iter().enumerate() {
            if b == b'\t' {
                if k == idx {
                    return self.fields.get(start..i);
                }
                k += 1;
                start = i + 1;
            }
        }
        (k == idx).then(|| self.fields.get(start..)).flatten()
    }
}

/// A parsed TSV file: header names and the data records.
#[derive(Debug, Clone)]
pub struct TsvFile {
    pub path: PathBuf,
    pub header: Vec<String>,
    pub records: Vec<TsvRecord>,
}

fn is_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    match trimmed.strip_prefix('#') {
        Some(rest) => rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '#'),
        None => false,
    }
}

impl TsvFile {
    /// Reads and validates a TSV file. `required` columns must be present in the header and
    /// non-empty on every data line; any other header column is optional per line.
    pub fn read(path: &Path, required: &[&str]) -> Result<TsvFile, LexiconError> {
        let bytes = std::fs::read(path)
            .map_err(|e| LexiconError::new(path, 0, format!("cannot read file: {e}")))?;
        Self::parse(path, &bytes, required)
    }

    /// Parses TSV bytes that came from `path` (used for error messages only).
    pub fn parse(path: &Path, bytes: &[u8], required: &[&str]) -> Result<TsvFile, LexiconError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut header: Option<Vec<String>> = None;
        let mut required_idx = Vec::new();
        let mut records = Vec::new();
        // A file is checked for UTF-8 at once, which costs less than a check per line; only a
        // file that fails is checked line by line, so that problems are still reported in line
        // order.
        let whole = std::str::from_utf8(bytes).ok();
        let mut start = 0;
        for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            let line_no = i + 1;
            let line_start = start;
            start += raw.len() + 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let line = match whole {
                // A line ends before a newline or a carriage return, both ASCII, so it is whole
                // characters of the text.
                Some(text) => text
                    .get(line_start..line_start + raw.len())
                    .unwrap_or_default(),
                None => std::str::from_utf8(raw).map_err(|e| {
                    LexiconError::new(
                        path,
                        line_no,
                        format!("not valid UTF-8 (byte {})", e.valid_up_to()),
                    )
                })?,
            };
            if line.trim().is_empty() || is_comment(line) {
                continue;
            }
            match &header {
                None => {
                    let names: Vec<String> =
                        line.split('\t').map(|f| f.trim().to_lowercase()).collect();
                    for (pos, name) in names.iter().enumerate() {
                        if name.is_empty() {
                            return Err(LexiconError::new(
                                path,
                                line_no,
                                format!("header column {} has no name", pos + 1),
                            ));
                        }
                        if names[..pos].contains(name) {
                            return Err(LexiconError::new(
                                path,
                                line_no,
                                format!("header names column '{name}' twice"),
                            ));
                        }
                    }
                    for req in required {
                        match names.iter().position(|n| n == req) {
                            Some(p) => required_idx.push((p, *req)),
                            None => {
                                return Err(LexiconError::new(
                                    path,
                                    line_no,
                                    format!(
                                        "header lacks required column '{req}' (found: {})",
                                        names.join(", ")
                                    ),
                                ))
                            }
                        }
                    }
                    header = Some(names);
                }
                Some(names) => {
                    let mut joined = String::with_capacity(line.len());
                    let mut count = 0;
                    // Tabs found by a byte loop, as in `TsvRecord::field`; a tab is ASCII, so
                    // every slice between tabs is text.
                    let tabs = line
                        .as_bytes()
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == b'\t');
                    let mut start = 0;
                    for end in tabs.map(|(i, _)| i).chain([line.len()]) {
                        if count > 0 {
                            joined.push('\t');
                        }
                        joined.push_str(line.get(start..end).unwrap_or_default().trim());
                        count += 1;
                        start = end + 1;
                    }
                    let record = TsvRecord {
                        line: line_no,
                        fields: joined.into_boxed_str(),
                    };
                    if count > names.len() {
                        return Err(LexiconError::new(
                            path,
                            line_no,
                            format!(
                                "{} fields but the header has {} columns (a stray tab?)",
                                count,
                                names.len()
                            ),
                        ));
                    }
                    for &(p, name) in &required_idx {
                        if record.field(p).is_none_or(str::is_empty) {
                            return Err(LexiconError::new(
                                path,
                                line_no,
                                format!("missing value in column '{name}'"),
                            ));
                        }
                    }
                    records.push(record);
                }
            }
        }
        let header =
            header.ok_or_else(|| LexiconError::new(path, 0, "no header row (file is empty)"))?;
        Ok(TsvFile {
            path: path.to_path_buf(),
            header,
            records,
        })
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The value of column `name` on `record`; `None` when the column is absent or the cell empty.
    pub fn get<'r>(&self, record: &'r TsvRecord, name: &str) -> Option<&'r str> {
        let idx = self.column(name)?;
        record.field(idx).filter(|s| !s.is_empty())
    }

    /// A required text column (validated non-empty by `read` when listed in `required`).
    pub fn text<'r>(&self, record: &'r TsvRecord, name: &str) -> Result<&'r str, LexiconError> {
        self.get(record, name).ok_or_else(|| {
            LexiconError::new(
                &self.path,
                record.line,
                format!("missing value in column '{name}'"),
            )
        })
    }

    /// A numeric column that must lie within `range` (inclusive).
    pub fn number(
        &self,
        record: &TsvRecord,
        name: &str,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<f64, LexiconError> {
        let raw = self.text(record, name)?;
        // Spreadsheets in German locales write decimal commas; accept them rather than
        // make every linguist change their locale.
        let parsed = if raw.contains(',') {
            raw.replace(',', ".").parse()
        } else {
            raw.parse()
        };
        let value: f64 = parsed.map_err(|_| {
            LexiconError::new(
                &self.path,
                record.line,
                format!("column '{name}': '{raw}' is not a number"),
            )
        })?;
        if !value.is_finite() || !range.contains(&value) {
            return Err(LexiconError::new(
                &self.path,
                record.line,
                format!(
                    "column '{name}': {value} is outside the allowed range {} … {}",
                    range.start(),
                    range.end()
                ),
            ));
        }
        Ok(value)
    }

    /// An error located at `record`'s line of this file.
    pub fn error(&self, record: &TsvRecord, message: impl Into<String>) -> LexiconError {
        LexiconError::new(&self.path, record.line, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, required: &[&str]) -> Result<TsvFile, LexiconError> {
        TsvFile::parse(Path::new("x.tsv"), text.as_bytes(), required)
    }

    #[test]
    fn comments_blank_lines_and_hashtags() {
        let f = parse(
            "# a comment\n\nterm\tweight\n#\n## also comment\n#fail\t-0.5\ngut\t0.5\n",
            &["term", "weight"],
        )
        .unwrap();
        assert_eq!(f.records.len(), 2);
        assert_eq!(f.get(&f.records[0], "term"), Some("#fail"));
        assert_eq!(f.records[0].line, 6);
        assert_eq!(f.records[1].line, 7);
    }

    #[test]
    fn bom_crlf_and_decimal_comma() {
        let f = parse("\u{feff}term\tweight\r\ngut\t0,5\r\n", &["term", "weight"]).unwrap();
        let w = f.number(&f.records[0], "weight", -1.0..=1.0).unwrap();
        assert_eq!(w, 0.5);
    }

    #[test]
    fn missing_column_names_line() {
        let e = parse("term\tweight\ngut\n", &["term", "weight"]).unwrap_err();
        assert_eq!(e.to_string(), "x.tsv:2: missing value in column 'weight'");
    }

    #[test]
    fn non_numeric_and_out_of_range() {
        let f = parse("term\tweight\ngut\tviel\nsehr\t7\n", &["term", "weight"]).unwrap();
        let e = f.number(&f.records[0], "weight", -1.0..=1.0).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("x.tsv:2: column 'weight': 'viel' is not a number"));
        let e = f.number(&f.records[1], "weight", -1.0..=1.0).unwrap_err();
        assert!(e.to_string().starts_with("x.tsv:3:"), "{e}");
    }

    #[test]
    fn too_many_fields_and_missing_header_column() {
        let e = parse("term\tweight\ngut\t0.5\textra\n", &["term"]).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("term\n", &["term", "weight"]).unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("", &["term"]).unwrap_err();
        assert!(e.to_string().contains("no header"));
    }

    proptest::proptest! {
        /// Every cell reads back as the trimmed field, as splitting the line would give it.
        #[test]
        fn cells_equal_the_split_line(
            cells in proptest::collection::vec("[ a-zäß#,.-]{0,5}", 1..5),
        ) {
            // The first cell is data, so that the line is never blank or a comment.
            let line = std::iter::once("x")
                .chain(cells[1..].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("\t");
            let header = (0..cells.len()).map(|i| format!("c{i}")).collect::<Vec<_>>();
            let f = parse(&format!("{}\n{line}\n", header.join("\t")), &[]).unwrap();
            let rec = &f.records[0];
            for (i, cell) in line.split('\t').enumerate() {
                let want = Some(cell.trim()).filter(|c| !c.is_empty());
                proptest::prop_assert_eq!(f.get(rec, &format!("c{i}")), want);
            }
            proptest::prop_assert_eq!(rec.field(cells.len()), None);
        }
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let e = TsvFile::parse(Path::new("x.tsv"), b"term\nsch\xf6n\n", &["term"]).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "not valid UTF-8 (byte 3)");
    }

    #[test]
    fn a_problem_before_invalid_utf8_is_reported_first() {
        let bytes = b"term\tweight\ngut\t\nsch\xf6n\t1\n";
        let e = TsvFile::parse(Path::new("x.tsv"), bytes, &["term", "weight"]).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "missing value in column 'weight'")
        );
    }

    #[test]
    fn crlf_and_non_ascii_lines_are_read_from_the_whole_text() {
        let f = parse(
            "term\tweight\r\nschön\t1\r\n\r\nübel\t-1",
            &["term", "weight"],
        )
        .unwrap();
        assert_eq!(f.get(&f.records[0], "term"), Some("schön"));
        assert_eq!(f.get(&f.records[1], "term"), Some("übel"));
        assert_eq!(f.records[1].line, 4);
    }
}
