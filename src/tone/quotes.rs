//! Finds quoted passages so that quoted material is not credited to the commenter.
//!
//! A quoted passage of at least `quote_min_words` words is a *quotation* (from the article or
//! another comment): it is scored apart. A shorter one is a *scare quote* ("die „Experten“"):
//! it stays in the tone but may flag irony. Quotation marks are paired by family: „…“ and ‚…‘
//! (German), “…” and ‘…’ (English), «…» / »…« and straight quotes, which toggle. An opening mark
//! seen while a passage of the same family is still open starts a new passage (comments often
//! forget to close one); a passage left open runs to the end of the text.
//!
//! Comments also quote without any marks, pasting sentences of the article or of an earlier
//! comment. [`QuoteSources`] remembers every run of `quote_shingle_words` words (a shingle) of
//! such sources; [`sourced`] finds the stretches of a text covered by remembered shingles, which
//! become quotations as well.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};

use crate::text::{nfc, tokenize, Token, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    Quotation,
    Scare,
}

/// One quoted passage: token indices of its marks (exclusive content `open+1..close`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteSpan {
    pub open: usize,
    /// The closing mark, or the token count when the passage was never closed.
    pub close: usize,
    pub kind: QuoteKind,
}

/// Which closing mark ends a passage opened by `c`; `None` when `c` cannot open one.
fn closer_for(c: &str) -> Option<&'static [&'static str]> {
    Some(match c {
        "\u{201E}" => &["\u{201C}", "\u{201D}"],
        "\u{201C}" => &["\u{201D}"],
        "\u{201A}" => &["\u{2018}", "\u{2019}"],
        "\u{2018}" => &["\u{2019}"],
        "\u{00AB}" => &["\u{00BB}"],
        "\u{00BB}" => &["\u{00AB}"],
        "\"" => &["\""],
        "'" => &["'"],
        _ => return None,
    })
}

/// Straight and single marks are also apostrophes ("Leut'"): they only open a passage when a
/// matching mark follows within a few words.
fn is_weak(c: &str) -> bool {
    matches!(c, "'" | "\u{2018}" | "\u{201A}")
}

/// All quoted passages, in text order, non-overlapping, into `spans` (cleared first).
pub fn find(tokens: &[Token], min_words: usize, spans: &mut Vec<QuoteSpan>) {
    spans.clear();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let Some(closers) = (t.kind == TokenKind::Quote)
            .then(|| closer_for(t.surface))
            .flatten()
        else {
            i += 1;
            continue;
        };
        let weak = is_weak(t.surface);
        let mut words = 0;
        let mut close = None;
        for (j, u) in tokens.iter().enumerate().skip(i + 1) {
            if u.kind == TokenKind::Quote {
                if closers.contains(&u.surface) {
                    close = Some((j, false));
                    break;
                }
                if t.surface == u.surface {
                    // The same mark again: glued to the word before it (and not to the one
                    // after) it closes ("“Bedrohung“"); otherwise it opens the next passage.
                    let glued_left = j > 0 && tokens[j - 1].end == u.start;
                    let glued_right = tokens.get(j + 1).is_some_and(|n| n.start == u.end);
                    close = Some((j, !glued_left || glued_right));
                    break;
                }
            } else if u.kind == TokenKind::Word || u.kind == TokenKind::Number {
                words += 1;
            }
            if weak && words >= min_words {
                break;
            }
        }
        match close {
            Some((j, reopen)) => {
                spans.push(QuoteSpan {
                    open: i,
                    close: j,
                    kind: kind_for(words, min_words),
                });
                i = if reopen { j } else { j + 1 };
            }
            None if weak => i += 1,
            None => {
                spans.push(QuoteSpan {
                    open: i,
                    close: tokens.len(),
                    kind: kind_for(words, min_words),
                });
                break;
            }
        }
    }
}

fn kind_for(words: usize, min_words: usize) -> QuoteKind {
    if words >= min_words {
        QuoteKind::Quotation
    } else {
        QuoteKind::Scare
    }
}

/// The shingles of the texts a comment may quote from: hashes of every run of `n` consecutive
/// words (normalised forms, punctuation ignored), so that re-punctuated or re-wrapped copies
/// still match. Made by [`super::Analyzer::quote_sources`].
#[derive(Debug, Clone)]
pub struct QuoteSources {
    n: usize,
    /// When set, only these shingles are worth remembering: those of the texts that may quote.
    /// Keeps memory bounded by the comments, not by a huge article.
    wanted: Option<FxHashSet<u64>>,
    seen: FxHashSet<u64>,
    /// The word hashes of the last text [`QuoteSources::sourced_then_add`] took, kept for their
    /// memory.
    hashes: Vec<(usize, u64)>,
}

impl QuoteSources {
    pub(super) fn new<'t>(n: usize, quoting: Option<impl IntoIterator<Item = &'t str>>) -> Self {
        let n = n.max(1);
        let wanted = quoting.map(|texts| {
            let mut set = FxHashSet::default();
            for text in texts {
                let text = nfc(text);
                set.extend(shingles(&word_hashes(&tokenize(&text)), n));
            }
            set
        });
        QuoteSources {
            n,
            wanted,
            seen: FxHashSet::default(),
            hashes: Vec::new(),
        }
    }

    /// Remembers the shingles of `text` (the article body, then each comment once scored).
    pub fn add(&mut self, text: &str) {
        let text = nfc(text);
        let hashes = word_hashes(&tokenize(&text));
        self.remember(&hashes);
    }

    /// [`sourced`] of `tokens`, and then [`QuoteSources::add`] of their text: for a comment that
    /// later comments may quote, from the one tokenisation that scoring makes of it. Its own
    /// shingles are added after the search, so a comment never quotes itself.
    pub fn sourced_then_add(&mut self, tokens: &[Token]) -> Vec<(usize, usize)> {
        let mut hashes = std::mem::take(&mut self.hashes);
        word_hashes_into(tokens, &mut hashes);
        let ranges = sourced_by_hashes(&hashes, self);
        self.remember(&hashes);
        self.hashes = hashes;
        ranges
    }

    fn remember(&mut self, hashes: &[(usize, u64)]) {
        for h in shingles(hashes, self.n) {
            if self.wanted.as_ref().is_none_or(|w| w.contains(&h)) {
                self.seen.insert(h);
            }
        }
    }

    /// Shingles remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// Per word token (in order): its token index and the hash of its normalised form.
fn word_hashes(tokens: &[Token]) -> Vec<(usize, u64)> {
    let mut hashes = Vec::new();
    word_hashes_into(tokens, &mut hashes);
    hashes
}

/// [`word_hashes`] into `hashes`, which is cleared first.
fn word_hashes_into(tokens: &[Token], hashes: &mut Vec<(usize, u64)>) {
    hashes.clear();
    hashes.extend(
        tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .map(|(i, t)| {
                let mut h = FxHasher::default();
                t.norm.as_ref().hash(&mut h);
                (i, h.finish())
            }),
    );
}

/// The hash of every run of `n` consecutive words, in order.
fn shingles(words: &[(usize, u64)], n: usize) -> impl Iterator<Item = u64> + '_ {
    words.windows(n).map(|w| {
        let mut h = FxHasher::default();
        for (_, word) in w {
            h.write_u64(*word);
        }
        h.finish()
    })
}

/// Token ranges (`start..end`, from a first to a last word) of `tokens` covered by shingles of
/// `sources`; overlapping or touching matches merge into one range. `tokens` must carry their
/// own normalised forms (before any dialect mapping), as the sources do.
pub fn sourced(tokens: &[Token], sources: &QuoteSources) -> Vec<(usize, usize)> {
    if sources.seen.is_empty() {
        return Vec::new();
    }
    sourced_by_hashes(&word_hashes(tokens), sources)
}

/// [`sourced`] of the tokens whose [`word_hashes`] are `words`.
fn sourced_by_hashes(words: &[(usize, u64)], sources: &QuoteSources) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    if sources.seen.is_empty() {
        return ranges;
    }
    // The last word (index into `words`) of the range being built.
    let mut last_word = None;
    for (k, h) in shingles(words, sources.n).enumerate() {
        if !sources.seen.contains(&h) {
            continue;
        }
        let (first, last) = (words[k].0, words[k + sources.n - 1].0);
        match (ranges.last_mut(), last_word) {
            (Some(r), Some(lw)) if k <= lw + 1 => r.1 = last + 1,
            _ => ranges.push((first, last + 1)),
        }
        last_word = Some(k + sources.n - 1);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn spans(text: &str) -> Vec<(String, QuoteKind)> {
        let toks = tokenize(text);
        let mut found = Vec::new();
        find(&toks, 4, &mut found);
        found
            .into_iter()
            .map(|s| {
                let end = toks.get(s.close).map_or(text.len(), |t| t.start);
                (text[toks[s.open].end..end].trim().to_string(), s.kind)
            })
            .collect()
    }

    #[test]
    fn german_english_and_straight_quotes() {
        let s = spans("Er sagte „das ist ja wohl gut“ und die “Experten” lachten über \"Sieger\".");
        assert_eq!(s[0], ("das ist ja wohl gut".into(), QuoteKind::Quotation));
        assert_eq!(s[1], ("Experten".into(), QuoteKind::Scare));
        assert_eq!(s[2], ("Sieger".into(), QuoteKind::Scare));
    }

    #[test]
    fn unclosed_quotation_runs_to_the_end() {
        let s = spans("Zitat: “Putin will keinen Frieden und keine Verhandlungen");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].1, QuoteKind::Quotation);
    }

    #[test]
    fn same_mark_twice_reopens() {
        let s = spans("“Das Wichtigste ist jetzt “Wir werden alle mehr tun” sagte er");
        assert_eq!(s[0].0, "Das Wichtigste ist jetzt");
        assert_eq!(s[1].0, "Wir werden alle mehr tun");
    }

    #[test]
    fn apostrophes_do_not_open_quotes() {
        assert!(spans("Die Leut' san halt so, gell, und des passt schon lang so").is_empty());
        assert_eq!(spans("die 'Sieger' von heute")[0].0, "Sieger");
    }
}
