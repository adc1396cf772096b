//! Text normalisation and tokenisation: the first step of every analysis.
//!
//! The text is brought to Unicode NFC once; tokens then point into that NFC text with byte
//! offsets, so that every later step (dialect mapping, tone, explanations) can say exactly which
//! characters it looked at. Tokens carry a normalised form: lower-cased with umlauts kept
//! ("schön" never becomes "schon"), soft hyphens and zero-width characters removed, typographic
//! apostrophes unified.

mod tokenize;

pub use tokenize::{tokenize, Token, TokenKind};

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

/// Lower-cases a word, removing invisible characters and unifying apostrophes. Borrowed when the
/// word is already in normal form, which avoids an allocation per token on the hot path.
pub fn normalise_word(word: &str) -> Cow<'_, str> {
    let needs_work = word
        .chars()
        .any(|c| c.is_uppercase() || is_invisible(c) || c == '\u{2019}');
    if !needs_work {
        return Cow::Borrowed(word);
    }
    if word.is_ascii() {
        return Cow::Owned(word.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if c == '\u{2019}' {
            out.push('\'');
            continue;
        }
        out.extend(c.to_lowercase());
    }
    Cow::Owned(out)
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
    fn all_caps_is_unicode_aware() {
        assert!(is_all_caps("ÜBEL"));
        assert!(is_all_caps("GRINS"));
        assert!(!is_all_caps("Übel"));
        assert!(!is_all_caps("A"));
        assert!(!is_all_caps("42"));
    }
}
