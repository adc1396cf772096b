//! Text normalisation and tokenisation: the first step of every analysis.
//!
//! The text is brought to Unicode NFC once; tokens then point into that NFC text with byte
//! offsets, so that every later step (dialect mapping, tone, explanations) can say exactly which
//! characters it looked at. Tokens carry a normalised form: lower-cased with umlauts kept
//! ("schön" never becomes "schon"), soft hyphens and zero-width characters removed, typographic
//! apostrophes unified.

mod tokenize;

pub use tokenize::{recycle, tokenize, tokenize_into, Norms, Token, TokenKind};

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Brings `text` to Unicode NFC. Already-NFC text (nearly all real input, and all ASCII) is
/// borrowed without copying.
pub fn nfc(text: &str) -> Cow<'_, str> {
    // Characters below U+0300 (lead bytes below 0xCC) are starters that every normal form keeps
    // as they are, so the quick check only needs to start at the first character above them.
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.bytes().position(|b| b >= 0xCC) else {
        return Cow::Borrowed(text);
    };
    if is_nfc_quick(text[first..].chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Characters that carry no meaning but break word matching when scraped pages contain them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn needs_normalising(word: &str) -> bool {
    if word.is_ascii() {
        return word.bytes().any(|b| b.is_ascii_uppercase());
    }
    word.chars()
        .any(|c| c.is_uppercase() || is_invisible(c) || c == '\u{2019}')
}

/// The characters of the normal form of a word that [`needs_normalising`].
fn normalised_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().flat_map(|c| {
        let (one, lower) = if c.is_ascii() {
            (Some(c.to_ascii_lowercase()), None)
        } else if is_invisible(c) {
            (None, None)
        } else if c == '\u{2019}' {
            (Some('\''), None)
        } else {
            (None, Some(c.to_lowercase()))
        };
        one.into_iter().chain(lower.into_iter().flatten())
    })
}

/// Lower-cases a word, removing invisible characters and unifying apostrophes. Borrowed when the
/// word is already in normal form, which avoids an allocation per token on the hot path.
pub fn normalise_word(word: &str) -> Cow<'_, str> {
    if !needs_normalising(word) {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(word.len());
    out.extend(normalised_chars(word));
    Cow::Owned(out)
}

/// Whether `norm` is `normalise_word(word)`, compared without building the normal form.
pub fn is_normal_form_of(norm: &str, word: &str) -> bool {
    if !needs_normalising(word) {
        return std::ptr::eq(norm, word) || norm == word;
    }
    if word.is_ascii() {
        return norm.eq_ignore_ascii_case(word) && !norm.bytes().any(|b| b.is_ascii_uppercase());
    }
    normalised_chars(word).eq(norm.chars())
}

/// True when a word is written in capitals for emphasis: at least two letters, all upper-case.
/// Unicode-aware, so "ÜBEL" and "GRINS" both count.
pub fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_umlauts() {
        let decomposed = "scho\u{0308}n";
        assert_eq!(nfc(decomposed), "schön");
        assert!(matches!(nfc("schön"), Cow::Borrowed(_)));
        assert!(matches!(nfc("Größe „x“ 😉"), Cow::Borrowed(_)));
        // The quick check starts late, so a decomposed mark after Latin-1 text must still count.
        assert_eq!(nfc("Größe: e\u{0301}!"), "Größe: é!");
        assert_eq!(nfc("A\u{030A}\u{0323}"), "\u{1EA0}\u{030A}");
    }

    #[test]
    fn lower_casing_keeps_umlauts_and_drops_soft_hyphens() {
        assert_eq!(normalise_word("Schön"), "schön");
        assert_ne!(normalise_word("Schön"), normalise_word("schon"));
        assert_eq!(normalise_word("Über\u{00AD}heblichkeit"), "überheblichkeit");
        assert_eq!(normalise_word("ÜBEL"), "übel");
        assert_eq!(normalise_word("gibt\u{2019}s"), "gibt's");
        assert!(matches!(normalise_word("gut"), Cow::Borrowed(_)));
    }

    #[test]
    fn normal_form_check_agrees_with_normalising() {
        let words = [
            "gut",
            "Gut",
            "GUT",
            "Schön",
            "schön",
            "ÜBEL",
            "Über\u{00AD}heblichkeit",
            "gibt\u{2019}s",
            "gibt's",
            "ǅemal",
            "İstanbul",
            "x",
            "",
        ];
        for w in words {
            for norm in
                words
                    .iter()
                    .copied()
                    .chain([normalise_word(w).as_ref(), "schon", "gu", "guten"])
            {
                assert_eq!(
                    is_normal_form_of(norm, w),
                    normalise_word(w) == norm,
                    "{norm:?} of {w:?}"
                );
            }
        }
    }

    #[test]
    fn all_caps_is_unicode_aware() {
        assert!(is_all_caps("ÜBEL"));
        assert!(is_all_caps("GRINS"));
        assert!(!is_all_caps("Übel"));
        assert!(!is_all_caps("A"));
        assert!(!is_all_caps("42"));
    }
}
