//! Finds quoted passages so that quoted material is not credited to the commenter.
//!
//! A quoted passage of at least `quote_min_words` words is a *quotation* (from the article or
//! another comment): it is scored apart. A shorter one is a *scare quote* ("die „Experten“"):
//! it stays in the tone but may flag irony. Quotation marks are paired by family: „…“ and ‚…‘
//! (German), “…” and ‘…’ (English), «…» / »…« and straight quotes, which toggle. An opening mark
//! seen while a passage of the same family is still open starts a new passage (comments often
//! forget to close one); a passage left open runs to the end of the text.

use crate::text::{Token, TokenKind};

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

/// All quoted passages, in text order, non-overlapping.
pub fn find(tokens: &[Token], min_words: usize) -> Vec<QuoteSpan> {
    let mut spans = Vec::new();
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
            if is_weak(t.surface) && words >= min_words {
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
            None if is_weak(t.surface) => i += 1,
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
    spans
}

fn kind_for(words: usize, min_words: usize) -> QuoteKind {
    if words >= min_words {
        QuoteKind::Quotation
    } else {
        QuoteKind::Scare
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn spans(text: &str) -> Vec<(String, QuoteKind)> {
        let toks = tokenize(text);
        find(&toks, 4)
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
