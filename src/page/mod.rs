//! A scraped news page split into its article and its reader-comment threads.
//!
//! This file holds the data model every later stage reads; the parsing lives in the
//! submodules.

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
