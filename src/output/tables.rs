//! The research tables: one row type per CSV file, built from a parsed and scored page.
//!
//! Column order is the field order of each row struct and is part of the public interface
//! (documented in the README); add columns only at the end. Numbers are written with a fixed
//! number of decimals so that the same input always gives byte-identical files, and missing
//! values are empty cells, which pandas and R read as NA.

use rustc_hash::FxHashMap;
use std::borrow::Cow;

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
pub struct ParagraphRow<'a> {
    pub article_id: Cow<'a, str>,
    pub paragraph: usize,
    pub kind: &'static str,
    pub tone: Decimal,
    pub tone_label: &'static str,
    pub matched_terms: Cow<'a, str>,
    pub text: Cow<'a, str>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CommentRow<'a> {
    pub article_id: Cow<'a, str>,
    pub comment_id: usize,
    pub parent_id: Option<usize>,
    pub thread_id: usize,
    /// Position in thread order (threads in page order, replies after their parent).
    pub position: usize,
    pub depth: usize,
    pub author: Cow<'a, str>,
    pub rank: Option<Cow<'a, str>>,
    pub age_raw: Option<Cow<'a, str>>,
    pub age_seconds: Option<u64>,
    pub posted_at: Option<String>,
    pub text: Cow<'a, str>,
    pub text_normalized: Cow<'a, str>,
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
    pub matched_terms: Cow<'a, str>,
    pub reply_evidence: &'static str,
    pub incivility_categories: String,
    pub irony: Option<Cow<'a, str>>,
    pub quoted_tone: Option<Decimal>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ThreadRow<'a> {
    pub article_id: Cow<'a, str>,
    pub thread_id: usize,
    pub root_author: Cow<'a, str>,
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

/// All rows of one page. The rows borrow the page's and the scores' text rather than copy it.
pub struct PageRows<'a> {
    pub article: ArticleRow,
    pub paragraphs: Vec<ParagraphRow<'a>>,
    pub comments: Vec<CommentRow<'a>>,
    pub threads: Vec<ThreadRow<'a>>,
}

fn is_dialect(label: DialectLabel) -> bool {
    label != DialectLabel::Standard
}

/// Maps comment ids to their index in `page.comments`.
fn index_by_id(page: &Page) -> FxHashMap<usize, usize> {
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

pub fn build_rows(scored: &ScoredPage, crawled_at: Option<i64>) -> PageRows<'_> {
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
                article_id: Cow::Borrowed(id),
                comment_id: c.id,
                parent_id: c.parent,
                thread_id: c.thread,
                position: pos + 1,
                depth: depth[i],
                author: Cow::Borrowed(&c.author),
                rank: c.rank.as_deref().map(Cow::Borrowed),
                age_raw: c.age_raw.as_deref().map(Cow::Borrowed),
                age_seconds: c.age_seconds,
                posted_at: posted_at(crawled_at, c.age_seconds),
                text: Cow::Borrowed(&c.text),
                text_normalized: Cow::Borrowed(&t.text_normalized),
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
                matched_terms: Cow::Borrowed(&t.matched_terms),
                reply_evidence: c.reply_evidence.as_str(),
                incivility_categories: t.incivility_categories.join(";"),
                irony: t.irony.as_deref().map(Cow::Borrowed),
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
        let root_author = Cow::Borrowed(authors.first().copied().unwrap_or_default());
        authors.sort_unstable();
        authors.dedup();
        let n = tones.len() as f64;
        threads.push(ThreadRow {
            article_id: Cow::Borrowed(id),
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
            article_id: Cow::Borrowed(id),
            paragraph: i + 1,
            kind: match block.kind {
                BlockKind::Paragraph => "paragraph",
                BlockKind::Heading => "heading",
            },
            tone: dec(t.tone),
            tone_label: t.tone_label.as_str(),
            matched_terms: Cow::Borrowed(&t.matched_terms),
            text: Cow::Borrowed(&block.text),
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

fn make_safe<C: AsRef<str> + From<String>>(cell: &mut C) {
    if let Cow::Owned(safe) = excel_safe(cell.as_ref()) {
        *cell = C::from(safe);
    }
}

fn make_safe_opt<C: AsRef<str> + From<String>>(cell: &mut Option<C>) {
    if let Some(c) = cell.as_mut() {
        make_safe(c);
    }
}

impl PageRows<'_> {
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
                &mut c.matched_terms,
            ] {
                make_safe(cell);
            }
            make_safe(&mut c.mentions);
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
    fn excel_safe_rows_prefix_borrowed_and_owned_cells_alike() {
        let (text, author, rank) = ("=1+1 gut".to_string(), "@max".to_string(), "-x-");
        let mut rows = PageRows {
            article: ArticleRow {
                title: "+Titel".into(),
                ..ArticleRow::default()
            },
            paragraphs: Vec::new(),
            comments: vec![CommentRow {
                author: Cow::Borrowed(&author),
                rank: Some(Cow::Borrowed(rank)),
                text: Cow::Borrowed(&text),
                text_normalized: Cow::Borrowed("gut"),
                mentions: "-max".into(),
                ..CommentRow::default()
            }],
            threads: vec![ThreadRow {
                root_author: Cow::Borrowed(&author),
                ..ThreadRow::default()
            }],
        };
        rows.make_excel_safe();
        let c = &rows.comments[0];
        assert_eq!(rows.article.title, "'+Titel");
        assert_eq!(
            [&*c.author, &*c.text, &*c.text_normalized, &*c.mentions],
            ["'@max", "'=1+1 gut", "gut", "'-max"]
        );
        assert_eq!(c.rank.as_deref(), Some("'-x-"));
        assert_eq!(rows.threads[0].root_author, "'@max");
        assert!(matches!(c.text_normalized, Cow::Borrowed(_)));
        assert_eq!(text, "=1+1 gut");
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
