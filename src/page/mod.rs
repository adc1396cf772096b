//! A scraped news page split into its article and its reader-comment threads.
//!
//! This file holds the data model every later stage reads and the entry points
//! ([`parse_file`], [`parse_bytes`], [`parse_text`]); each parsing step lives in a submodule.
//! What is site furniture, which rank badges exist and how ages and dates are worded is data
//! ([`SiteConventions`], loaded from `lexicons/site/`), not code.
//!
//! ```
//! use stimmung::page::{parse_text, SiteConventions};
//! let site = SiteConventions::load(&stimmung::lexicon::default_dir()).unwrap();
//! let page = parse_text("demo", "demo.txt", "Titel\n\nLesen Sie auch\n\nText.\n", &site);
//! assert_eq!(page.title, "Titel");
//! assert_eq!(page.body.len(), 1);
//! ```

pub mod age;
mod article;
mod comments;
pub mod date;
mod decode;
pub mod furniture;
pub mod mentions;
mod site;
pub mod threads;
pub mod warnings;

pub use site::SiteConventions;
pub use warnings::Warnings;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One parsed page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Page {
    /// File stem of the source file, used as the key in every output table.
    pub article_id: String,
    pub source_file: String,
    /// Text encoding that was assumed when decoding the file (e.g. "UTF-8", "windows-1252").
    pub encoding: String,
    pub title: String,
    /// Lead or teaser line.
    pub subtitle: Option<String>,
    /// ISO 8601 local date-time (`2024-12-03T18:57`) or date, where the page gives one.
    pub published: Option<String>,
    pub byline: Option<String>,
    pub body: Vec<Block>,
    /// The count a page announces ("13 Kommentare auf …").
    pub declared_comment_count: Option<usize>,
    pub comments: Vec<Comment>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
}

/// A body paragraph or sub-heading of the article.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// How the parent of a reply was inferred from a dump that lost its indentation.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReplyEvidence {
    /// An `@Name` mention of an earlier comment's author.
    Mention,
    /// The comment quotes an earlier comment.
    Quote,
    /// Only the ordering (and ages) suggest the reply.
    Chronology,
    /// No evidence: the comment is treated as a thread root.
    None,
}

impl ReplyEvidence {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyEvidence::Mention => "mention",
            ReplyEvidence::Quote => "quote",
            ReplyEvidence::Chronology => "chronology",
            ReplyEvidence::None => "none",
        }
    }
}

/// One reader comment.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comment {
    /// 1-based position on the page.
    pub id: usize,
    pub author: String,
    /// Rank badge ("Superredner", "Grünschnabel"), if the site prints one.
    pub rank: Option<String>,
    /// Age as printed ("9 h 51 Min").
    pub age_raw: Option<String>,
    pub age_seconds: Option<u64>,
    /// Body text; line breaks kept.
    pub text: String,
    pub mentions: Vec<String>,
    /// The dump cut the comment off ("Weiterlesen »").
    pub truncated: bool,
    pub parent: Option<usize>,
    /// Id of the thread root (the comment's own id for roots).
    pub thread: usize,
    pub reply_evidence: ReplyEvidence,
}

impl Page {
    /// Thread roots in page order.
    pub fn thread_ids(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self.comments.iter().map(|c| c.thread).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Why a file could not be parsed as a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for PageError {}

/// Largest page file that is read. A scraped page is at most a few hundred MB; anything larger
/// is a mistake (a disk image, a log) that would only exhaust memory.
pub const MAX_PAGE_BYTES: u64 = 1 << 30;

/// Reads a page file: only regular files (a FIFO would block for ever, a device such as
/// `/dev/zero` never ends), at most [`MAX_PAGE_BYTES`].
fn read_page(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    // Checked before opening: opening a FIFO for reading already blocks.
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file (a folder, FIFO, socket or device)".into());
    }
    if meta.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "too large: {} bytes (pages are read up to {MAX_PAGE_BYTES} bytes)",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The limit also holds when the file grows while it is read.
    file.take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        return Err(format!(
            "too large: grew past {MAX_PAGE_BYTES} bytes while being read"
        ));
    }
    Ok(bytes)
}

/// Reads and parses one page file; the article id is the file stem.
pub fn parse_file(path: &Path, site: &SiteConventions) -> Result<Page, PageError> {
    let bytes = read_page(path).map_err(|reason| PageError {
        path: path.to_path_buf(),
        reason,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_decoded(&stem, &path.to_string_lossy(), Cow::Owned(bytes), site)
}

/// Decodes and parses page bytes. Rejects empty and binary files and pages without a title.
pub fn parse_bytes(
    article_id: &str,
    source_file: &str,
    bytes: &[u8],
    site: &SiteConventions,
) -> Result<Page, PageError> {
    parse_decoded(article_id, source_file, Cow::Borrowed(bytes), site)
}

/// Takes owned bytes where it can: a valid UTF-8 file then becomes the text without a copy.
fn parse_decoded(
    article_id: &str,
    source_file: &str,
    bytes: Cow<'_, [u8]>,
    site: &SiteConventions,
) -> Result<Page, PageError> {
    let reject = |reason: String| PageError {
        path: PathBuf::from(source_file),
        reason,
    };
    let decoded = decode::decode(bytes).map_err(reject)?;
    let mut page = parse_text(article_id, source_file, &decoded.text, site);
    if page.title.is_empty() {
        return Err(reject(
            "no title: nothing but site furniture on the page".into(),
        ));
    }
    page.encoding = decoded.encoding;
    let mut warnings = decoded.warnings;
    warnings.append(&mut page.warnings);
    page.warnings = warnings;
    Ok(page)
}

/// Where the article ends: `(end of article lines, start of comment-section lines)`. The article
/// ends at an end-of-body marker (which belongs to neither part), at a comment-count line (which
/// the comment section reads), or, on pages without such markers, at the first unambiguous
/// comment header.
fn article_end(lines: &[&str], site: &SiteConventions) -> (usize, usize) {
    use furniture::{classify, Action, Region};
    let header = (0..lines.len()).find(|&i| comments::header_at(lines, i, site, false).is_some());
    let limit = header.unwrap_or(lines.len());
    for (i, line) in lines[..limit].iter().enumerate() {
        match classify(&site.furniture, line, Region::Article).map(|r| r.action) {
            Some(Action::EndOfBody) => return (i, i + 1),
            Some(Action::CommentCount) => return (i, i),
            _ => {}
        }
    }
    (limit, limit)
}

/// Parses decoded page text. Never fails: problems end up in `warnings`.
pub fn parse_text(article_id: &str, source_file: &str, text: &str, site: &SiteConventions) -> Page {
    let text = crate::text::nfc(text);
    let lines: Vec<&str> = text.lines().collect();
    let (end, comments_start) = article_end(&lines, site);
    let article = article::parse(&lines[..end], site);
    let section = comments::split(&lines[comments_start..], comments_start + 1, site);

    let mut warnings = section.warnings;
    let title = article.title.unwrap_or_else(|| {
        warnings.add("pages without a title", || "no title found".into());
        String::new()
    });

    let mut authors = mentions::MentionIndex::new();
    let mut mentions = Vec::with_capacity(section.comments.len());
    for (idx, c) in section.comments.iter().enumerate() {
        mentions.push(authors.find(&c.text));
        authors.add(idx + 1, &c.header.author);
        if let Some(rank) = &c.header.rank {
            if !site.is_rank(rank) {
                warnings.add("unknown rank badges", || {
                    format!(
                        "comment {}: unknown rank badge '{rank}' (list it in lexicons/site/ranks.tsv)",
                        idx + 1
                    )
                });
            }
        }
    }
    let inputs: Vec<threads::ThreadInput<'_>> = section
        .comments
        .iter()
        .zip(&mentions)
        .map(|(c, m)| threads::ThreadInput {
            author: &c.header.author,
            age_seconds: Some(c.header.age_seconds),
            text: &c.text,
            mentions: m,
        })
        .collect();
    let article_text: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
    let placements = threads::place(&inputs, &article_text, &mut warnings);

    let comments: Vec<Comment> = section
        .comments
        .into_iter()
        .zip(mentions)
        .zip(placements)
        .enumerate()
        .map(|(idx, ((c, m), p))| Comment {
            id: idx + 1,
            author: c.header.author,
            rank: c.header.rank,
            age_raw: Some(c.header.age_raw),
            age_seconds: Some(c.header.age_seconds),
            text: c.text,
            mentions: m.into_iter().map(|m| m.raw).collect(),
            truncated: c.truncated,
            parent: p.parent,
            thread: p.thread,
            reply_evidence: p.evidence,
        })
        .collect();
    if let Some(declared) = section.declared {
        if declared != comments.len() {
            warnings.add("comment count mismatches", || {
                format!(
                    "the page announces {declared} comments but {} were parsed",
                    comments.len()
                )
            });
        }
    }

    Page {
        article_id: article_id.to_string(),
        source_file: source_file.to_string(),
        encoding: "UTF-8".to_string(),
        title,
        subtitle: article.subtitle,
        published: article.published,
        byline: article.byline,
        body: article.body,
        declared_comment_count: section.declared,
        comments,
        warnings: warnings.into_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteConventions {
        SiteConventions::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")).unwrap()
    }

    /// Pages stitched together from the pieces the parser reacts to, in pseudo-random order:
    /// whatever comes out, nothing may panic and every id must point backwards.
    #[test]
    fn arbitrary_pages_never_panic() {
        let pieces = [
            "\n",
            "\n\n",
            "N. G.\n",
            "Kinig\n",
            "9 h 51 Min\n",
            "4 Min\n",
            "@N.G. ",
            "@",
            "@@x",
            "Weiterlesen »",
            "wpDiscuz\n",
            "Kommentare\n",
            "13 Kommentare auf x\n",
            "Von:\n",
            "Shutterstock\n",
            "03.12.2024\n",
            "ß",
            "🙂",
            "\u{feff}",
            "\r",
            "\t",
            "Ä.",
            "x@y ",
            "Sortiert nach:\n",
            "vor einer Stunde\n",
            "99999999999999999999 h\n",
            "Titel\n",
        ];
        let site = site();
        let mut state: u64 = 0x5eed;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..(state % 60) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let page = parse_text("x", "x.txt", &text, &site);
            for c in &page.comments {
                assert!(c.parent.is_none_or(|p| p < c.id), "{text:?}");
                assert!(c.thread <= c.id, "{text:?}");
            }
            let _ = parse_bytes("x", "x.txt", text.as_bytes(), &site);
        }
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let e = parse_file(dir.path(), &site()).unwrap_err();
        assert!(e.reason.starts_with("not a regular file"), "{e}");
        let fifo = dir.path().join("fifo.txt");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let e = parse_file(&fifo, &site()).unwrap_err();
            assert!(e.reason.starts_with("not a regular file"), "{e}");
        }
        let e = parse_file(Path::new("/dev/zero"), &site()).unwrap_err();
        assert!(e.reason.starts_with("not a regular file"), "{e}");
        let e = parse_file(&dir.path().join("missing.txt"), &site()).unwrap_err();
        assert!(e.reason.starts_with("cannot read"), "{e}");
    }

    #[test]
    fn page_error_names_the_file() {
        let e = parse_bytes("x", "dir/x.txt", b"", &site()).unwrap_err();
        assert_eq!(e.to_string(), "dir/x.txt: empty file");
    }
}
