//! The article part of a page: title, lead, date, byline and body paragraphs with sub-headings,
//! after the site furniture has been removed.
//!
//! Layout rules (the dumps carry no markup, so these are about shape and position):
//! * Blocks are runs of non-blank lines. Furniture rules remove lines or whole blocks.
//! * The first remaining block is the title.
//! * The next block is the lead (`subtitle`) when the page sets it apart from the body: it is
//!   directly followed by page metadata or furniture (a date, a byline, a read counter, a
//!   "Gerade lesen andere" box), or the page repeats it later as a teaser. Otherwise there is no
//!   lead and the block is the first body paragraph.
//! * The first line that is entirely a date is the publication date.
//! * Blocks that repeat an earlier block (or the title or lead) verbatim are teasers and are
//!   kept once.
//! * A body block is a sub-heading when it is one short line that does not end like a sentence
//!   and is not the last block.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::date::parse_published;
use super::furniture::{classify, Action, Region};
use super::{Block, BlockKind, SiteConventions};

/// What the article part of a page yielded.
#[derive(Debug, Default)]
pub struct Article {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub published: Option<String>,
    pub byline: Option<String>,
    pub body: Vec<Block>,
}

enum Item {
    Kept(String),
    /// A line or block removed as metadata or furniture.
    Meta,
}

const MAX_HEADING_CHARS: usize = 120;
const MAX_HEADING_WORDS: usize = 14;

fn is_heading(text: &str) -> bool {
    if text.contains('\n')
        || text.chars().count() > MAX_HEADING_CHARS
        || text.split_whitespace().count() > MAX_HEADING_WORDS
    {
        return false;
    }
    let core = text.trim_end_matches(['"', '“', '”', '«', '»', '\'', '’', ')', ']']);
    core.chars()
        .last()
        .is_some_and(|c| !matches!(c, '.' | '!' | '?' | '…' | ':' | ';' | ','))
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// A hash that agrees whenever [`same_text`] does.
fn words_hash(t: &str) -> u64 {
    let mut h = DefaultHasher::new();
    t.split_whitespace().for_each(|w| w.hash(&mut h));
    h.finish()
}

/// Parses the article lines (the page up to the end-of-body marker).
pub fn parse(lines: &[&str], site: &SiteConventions) -> Article {
    let mut article = Article::default();
    let mut items: Vec<Item> = Vec::new();
    let mut kept_count = 0;
    for block in lines
        .split(|l| l.trim().is_empty())
        .filter(|b| !b.is_empty())
    {
        let drop_block = block.iter().any(|l| {
            classify(&site.furniture, l, Region::Article)
                .is_some_and(|r| r.action == Action::DropBlock)
        });
        if drop_block {
            items.push(Item::Meta);
            continue;
        }
        let mut kept: Vec<&str> = Vec::new();
        for line in block {
            let is_meta = match classify(&site.furniture, line, Region::Article) {
                Some(rule) => {
                    if rule.action == Action::Byline && article.byline.is_none() {
                        article.byline = rule.value(line).map(str::to_string);
                    }
                    true
                }
                // The date belongs to the page head: title, lead, then date at the latest.
                None if article.published.is_none() && kept_count <= 2 => {
                    article.published = parse_published(line, &site.months);
                    article.published.is_some()
                }
                None => false,
            };
            if is_meta {
                if !kept.is_empty() {
                    items.push(Item::Kept(kept.join("\n")));
                    kept_count += 1;
                    kept.clear();
                }
                items.push(Item::Meta);
            } else {
                kept.push(line.trim());
            }
        }
        if !kept.is_empty() {
            items.push(Item::Kept(kept.join("\n")));
            kept_count += 1;
        }
    }

    let kept_at: Vec<usize> = (0..items.len())
        .filter(|&i| matches!(items[i], Item::Kept(_)))
        .collect();
    let text_of = |i: usize| match &items[i] {
        Item::Kept(t) => t.as_str(),
        Item::Meta => "",
    };
    let Some(&title_at) = kept_at.first() else {
        return article;
    };
    article.title = Some(text_of(title_at).replace('\n', " "));
    let mut rest = &kept_at[1..];
    if let Some(&lead_at) = rest.first() {
        let lead = text_of(lead_at);
        // A lone paragraph after the title is the article, not its lead.
        let set_apart = rest.len() > 1 && matches!(items.get(lead_at + 1), Some(Item::Meta));
        let repeated = rest[1..].iter().any(|&i| same_text(text_of(i), lead));
        if set_apart || repeated {
            article.subtitle = Some(lead.to_string());
            rest = &rest[1..];
        }
    }
    // Blocks seen so far, by a hash of their words: comparing each block with every earlier
    // one was quadratic and stalled on pages with tens of thousands of paragraphs.
    let mut seen: HashMap<u64, Vec<&str>> = HashMap::new();
    let heads = article.title.iter().chain(article.subtitle.iter());
    for t in heads.map(String::as_str) {
        seen.entry(words_hash(t)).or_default().push(t);
    }
    let mut body_at: Vec<usize> = Vec::new();
    for &i in rest {
        let t = text_of(i);
        let same = seen.entry(words_hash(t)).or_default();
        if !same.iter().any(|s| same_text(s, t)) {
            same.push(t);
            body_at.push(i);
        }
    }
    drop(seen);
    let last = body_at.len().saturating_sub(1);
    // The block texts are moved out of `items`, not copied: on a page of hundreds of MB a copy
    // would double the memory the body needs.
    article.body = body_at
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let text = match std::mem::replace(&mut items[i], Item::Meta) {
                Item::Kept(t) => t,
                Item::Meta => String::new(),
            };
            Block {
                kind: if n < last && is_heading(&text) {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                text,
            }
        })
        .collect();
    article
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse_text(text: &str) -> Article {
        let site =
            SiteConventions::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        parse(&lines, &site)
    }

    #[test]
    fn lead_needs_a_separator_and_a_body_after_it() {
        let a = parse_text("Titel\n\nLead.\n\nVon: dpa\n\nText eins.\n\nText zwei.\n");
        assert_eq!(a.subtitle.as_deref(), Some("Lead."));
        assert_eq!(a.byline.as_deref(), Some("dpa"));
        assert_eq!(a.body.len(), 2);
        let a = parse_text("Titel\n\nText eins.\n\nText zwei.\n");
        assert_eq!(a.subtitle, None);
        let a = parse_text("Titel\n\nNur ein Absatz.\n\nLesen Sie auch\n");
        assert_eq!(a.subtitle, None);
        assert_eq!(a.body.len(), 1);
    }

    #[test]
    fn repeated_blocks_are_kept_once_and_dates_only_in_the_head() {
        let a = parse_text(
            "Titel\n\nTeaser.\n\nText.\n\nTeaser.\n\nMehr Text.\n\nText.\n\n03.12.2024\n",
        );
        assert_eq!(a.subtitle.as_deref(), Some("Teaser."));
        let texts: Vec<&str> = a.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Text.", "Mehr Text.", "03.12.2024"]);
        assert_eq!(a.published, None);
    }

    /// Regression: every block was compared with every earlier one, so 40,000 paragraphs took
    /// 33 s in a release build and a 200 MB page would never finish.
    #[test]
    fn many_distinct_paragraphs_are_deduplicated_in_linear_time() {
        let mut text = String::from("Titel\n\n");
        for i in 0..30_000 {
            text.push_str(&format!("Absatz {i} mit etwas Text.\n\n"));
        }
        text.push_str("Absatz  7 mit etwas\nText.\n");
        let started = std::time::Instant::now();
        let a = parse_text(&text);
        assert_eq!(a.body.len(), 30_000);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn headings_are_short_unpunctuated_lines() {
        assert!(is_heading("Rutte: Putin hat kein Interesse an Frieden"));
        assert!(is_heading(
            "Kreml erachtet NATO-Mitgliedschaft als „Bedrohung“"
        ));
        assert!(!is_heading(
            "Frankreich und das Vereinigte Königreich führen die Gespräche an."
        ));
        assert!(!is_heading("„Warum sollten wir uns darum kümmern?“"));
        assert!(!is_heading("klein geschrieben ohne Punkt"));
        assert!(!is_heading("Zeile eins\nZeile zwei"));
    }
}
