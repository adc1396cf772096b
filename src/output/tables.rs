//! The research tables: one row type per CSV file, built from a parsed and scored page.
//!
//! Column order is the field order of each row struct and is part of the public interface
//! (documented in the README); add columns only at the end. Numbers are written with a fixed
//! number of decimals so that the same input always gives byte-identical files, and missing
//! values are empty cells, which pandas and R read as NA.

use std::collections::HashMap;

use serde::Serialize;

use crate::dialect::DialectLabel;
use crate::page::{BlockKind, Page};
use crate::tone::ToneResult;

/// A value rounded for output; serialises as a fixed-decimal string so floating-point noise
/// never changes a file.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Decimal(pub f64);

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = if self.0 == 0.0 { 0.0 } else { self.0 };
        let mut text = String::with_capacity(24);
        crate::output::fixed::push_fixed(&mut text, v, 4, false);
        s.serialize_str(&text)
    }
}

/// Writes booleans as `TRUE`/`FALSE`: R's `read.csv` reads only those (not `true`) as logical,
/// and pandas reads both as bool.
fn r_logical<S: serde::Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *value { "TRUE" } else { "FALSE" })
}

fn dec(v: f64) -> Decimal {
    Decimal(v)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleRow {
    pub article_id: String,
    pub source_file: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub published: Option<String>,
    pub byline: Option<String>,
    pub paragraphs: usize,
    pub words: usize,
    pub body_tone: Decimal,
    pub body_tone_label: &'static str,
    pub declared_comments: Option<usize>,
    pub parsed_comments: usize,
    pub threads: usize,
    pub mean_comment_tone: Option<Decimal>,
    pub warnings: String,
    pub encoding: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ParagraphRow {
    pub article_id: String,
    pub paragraph: usize,
    pub kind: &'static str,
    pub tone: Decimal,
    pub tone_label: &'static str,
    pub matched_terms: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CommentRow {
    pub article_id: String,
    pub comment_id: usize,
    pub parent_id: Option<usize>,
    pub thread_id: usize,
    /// Position in thread order (threads in page order, replies after their parent).
    pub position: usize,
    pub depth: usize,
    pub author: String,
    pub rank: Option<String>,
    pub age_raw: Option<String>,
    pub age_seconds: Option<u64>,
    pub posted_at: Option<String>,
    pub text: String,
    pub text_normalized: String,
    pub dialect_share: Decimal,
    pub dialect_label: &'static str,
    pub tone: Decimal,
    pub tone_label: &'static str,
    pub pos: Decimal,
    pub neg: Decimal,
    pub neu: Decimal,
    pub incivility: Decimal,
    pub mentions: String,
    #[serde(serialize_with = "r_logical")]
    pub truncated: bool,
    pub matched_terms: String,
    pub reply_evidence: &'static str,
    pub incivility_categories: String,
    pub irony: Option<String>,
    pub quoted_tone: Option<Decimal>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ThreadRow {
    pub article_id: String,
    pub thread_id: usize,
    pub root_author: String,
    pub comments: usize,
    pub participants: usize,
    pub mean_tone: Decimal,
    pub min_tone: Decimal,
    pub max_tone: Decimal,
    pub tone_drift: Decimal,
    pub dialect_comments: usize,
    pub incivil_comments: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ErrorRow {
    pub file: String,
    pub reason: String,
}

/// Everything the tables need from one page: the page and its scores.
pub struct ScoredPage {
    pub page: Page,
    pub body_tone: ToneResult,
    /// One score per body block, in block order.
    pub block_tones: Vec<ToneResult>,
    /// One score per comment, in page order.
    pub comment_tones: Vec<ToneResult>,
}

/// All rows of one page.
pub struct PageRows {
    pub article: ArticleRow,
    pub paragraphs: Vec<ParagraphRow>,
    pub comments: Vec<CommentRow>,
    pub threads: Vec<ThreadRow>,
}

fn is_dialect(label: DialectLabel) -> bool {
    label != DialectLabel::Standard
}

/// Maps comment ids to their index in `page.comments`.
fn index_by_id(page: &Page) -> HashMap<usize, usize> {
    page.comments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect()
}

/// Comment indices (into `page.comments`) in thread order: threads by the page position of
/// their root, and within a thread page order, which in wpDiscuz is already reply order.
pub fn thread_order(page: &Page) -> Vec<usize> {
    let index = index_by_id(page);
    let mut order: Vec<usize> = (0..page.comments.len()).collect();
    order.sort_by_key(|&i| {
        let root = index.get(&page.comments[i].thread).copied().unwrap_or(i);
        (root, i)
    });
    order
}

/// Reply depth of each comment (roots 0). Parents come before their replies on the page, so
/// one pass in page order suffices; a parent link that points forward or at an unknown id
/// (never produced by the parser, but possible in a hand-edited page) counts as a root.
fn depths(page: &Page) -> Vec<usize> {
    let index = index_by_id(page);
    let mut depth = vec![0usize; page.comments.len()];
    for (i, c) in page.comments.iter().enumerate() {
        if let Some(p) = c.parent.and_then(|p| index.get(&p).copied()) {
            if p < i {
                depth[i] = depth[p] + 1;
            }
        }
    }
    depth
}

fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// `crawled_at` minus `age_seconds`, as ISO 8601, when both are known.
pub fn posted_at(crawled_at: Option<i64>, age_seconds: Option<u64>) -> Option<String> {
    let crawled = crawled_at?;
    let age = i64::try_from(age_seconds?).ok()?;
    crate::output::time::format_unix(crawled.checked_sub(age)?)
}

pub fn build_rows(scored: &ScoredPage, crawled_at: Option<i64>) -> PageRows {
    let page = &scored.page;
    let id = &page.article_id;
    let depth = depths(page);
    let order = thread_order(page);

    let comments: Vec<CommentRow> = order
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let c = &page.comments[i];
            let t = &scored.comment_tones[i];
            CommentRow {
                article_id: id.clone(),
                comment_id: c.id,
                parent_id: c.parent,
                thread_id: c.thread,
                position: pos + 1,
                depth: depth[i],
                author: c.author.clone(),
                rank: c.rank.clone(),
                age_raw: c.age_raw.clone(),
                age_seconds: c.age_seconds,
                posted_at: posted_at(crawled_at, c.age_seconds),
                text: c.text.clone(),
                text_normalized: t.text_normalized.clone(),
                dialect_share: dec(t.dialect_share),
                dialect_label: t.dialect_label.as_str(),
                tone: dec(t.tone),
                tone_label: t.tone_label.as_str(),
                pos: dec(t.pos),
                neg: dec(t.neg),
                neu: dec(t.neu),
                incivility: dec(t.incivility),
                mentions: c.mentions.join(";"),
                truncated: c.truncated,
                matched_terms: t.matched_terms.clone(),
                reply_evidence: c.reply_evidence.as_str(),
                incivility_categories: t.incivility_categories.join(";"),
                irony: t.irony.clone(),
                quoted_tone: t.quoted_tone.map(dec),
            }
        })
        .collect();

    let mut threads = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let thread = page.comments[order[start]].thread;
        let members: Vec<usize> = order[start..]
            .iter()
            .copied()
            .take_while(|&i| page.comments[i].thread == thread)
            .collect();
        start += members.len();
        let tones: Vec<f64> = members
            .iter()
            .map(|&i| scored.comment_tones[i].tone)
            .collect();
        let mut authors: Vec<&str> = members
            .iter()
            .map(|&i| page.comments[i].author.as_str())
            .collect();
        let root_author = authors.first().map(|a| a.to_string()).unwrap_or_default();
        authors.sort_unstable();
        authors.dedup();
        let n = tones.len() as f64;
        threads.push(ThreadRow {
            article_id: id.clone(),
            thread_id: thread,
            root_author,
            comments: members.len(),
            participants: authors.len(),
            mean_tone: dec(tones.iter().sum::<f64>() / n),
            min_tone: dec(tones.iter().copied().fold(f64::INFINITY, f64::min)),
            max_tone: dec(tones.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
            tone_drift: dec(tones.last().unwrap_or(&0.0) - tones.first().unwrap_or(&0.0)),
            dialect_comments: members
                .iter()
                .filter(|&&i| is_dialect(scored.comment_tones[i].dialect_label))
                .count(),
            incivil_comments: members
                .iter()
                .filter(|&&i| !scored.comment_tones[i].incivility_categories.is_empty())
                .count(),
        });
    }

    let paragraphs: Vec<ParagraphRow> = page
        .body
        .iter()
        .zip(&scored.block_tones)
        .enumerate()
        .map(|(i, (block, t))| ParagraphRow {
            article_id: id.clone(),
            paragraph: i + 1,
            kind: match block.kind {
                BlockKind::Paragraph => "paragraph",
                BlockKind::Heading => "heading",
            },
            tone: dec(t.tone),
            tone_label: t.tone_label.as_str(),
            matched_terms: t.matched_terms.clone(),
            text: block.text.clone(),
        })
        .collect();

    let mean_comment_tone = if scored.comment_tones.is_empty() {
        None
    } else {
        Some(dec(scored
            .comment_tones
            .iter()
            .map(|t| t.tone)
            .sum::<f64>()
            / scored.comment_tones.len() as f64))
    };
    let article = ArticleRow {
        article_id: id.clone(),
        source_file: page.source_file.clone(),
        title: page.title.clone(),
        subtitle: page.subtitle.clone(),
        published: page.published.clone(),
        byline: page.byline.clone(),
        paragraphs: page
            .body
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .count(),
        words: page.body.iter().map(|b| word_count(&b.text)).sum(),
        body_tone: dec(scored.body_tone.tone),
        body_tone_label: scored.body_tone.tone_label.as_str(),
        declared_comments: page.declared_comment_count,
        parsed_comments: page.comments.len(),
        threads: threads.len(),
        mean_comment_tone,
        warnings: page.warnings.join("; "),
        encoding: page.encoding.clone(),
    };
    PageRows {
        article,
        paragraphs,
        comments,
        threads,
    }
}

fn make_safe(cell: &mut String) {
    if let std::borrow::Cow::Owned(safe) = excel_safe(cell) {
        *cell = safe;
    }
}

fn make_safe_opt(cell: &mut Option<String>) {
    if let Some(c) = cell.as_mut() {
        make_safe(c);
    }
}

impl PageRows {
    /// Applies [`excel_safe`] to every free-text cell.
    pub fn make_excel_safe(&mut self) {
        let a = &mut self.article;
        for cell in [&mut a.title, &mut a.warnings] {
            make_safe(cell);
        }
        for cell in [&mut a.subtitle, &mut a.byline] {
            make_safe_opt(cell);
        }
        for p in &mut self.paragraphs {
            make_safe(&mut p.text);
            make_safe(&mut p.matched_terms);
        }
        for c in &mut self.comments {
            for cell in [
                &mut c.author,
                &mut c.text,
                &mut c.text_normalized,
                &mut c.mentions,
                &mut c.matched_terms,
            ] {
                make_safe(cell);
            }
            make_safe_opt(&mut c.rank);
            make_safe_opt(&mut c.irony);
        }
        for t in &mut self.threads {
            make_safe(&mut t.root_author);
        }
    }
}

/// Prefixes a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// with an apostrophe. Only applied with `--excel-safe`: researchers reading the CSV with
/// pandas or R want the text exactly as it was on the page.
pub fn excel_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_fixed_and_never_negative_zero() {
        let mut w = csv::Writer::from_writer(vec![]);
        w.serialize((dec(0.1 + 0.2), dec(-0.0), dec(-0.123456)))
            .unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(out, "0.3000,0.0000,-0.1235\n");
    }

    #[test]
    fn excel_safe_prefixes_formula_starts_only() {
        assert_eq!(excel_safe("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(excel_safe("@N.G. Na"), "'@N.G. Na");
        assert_eq!(excel_safe("-1"), "'-1");
        assert_eq!(excel_safe("gut"), "gut");
    }

    #[test]
    fn posted_at_subtracts_the_age() {
        // 2024-12-03T18:57:00Z minus 9 h 51 min
        let crawled = 1_733_252_220;
        assert_eq!(
            posted_at(Some(crawled), Some(9 * 3600 + 51 * 60)).as_deref(),
            Some("2024-12-03T09:06:00Z")
        );
        assert_eq!(posted_at(None, Some(5)), None);
        assert_eq!(posted_at(Some(crawled), None), None);
    }
}
