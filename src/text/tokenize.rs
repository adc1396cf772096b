//! Splits NFC text into tokens with byte offsets in one pass over the characters.

use std::borrow::Cow;

use super::{is_all_caps, is_invisible, normalise_word};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Letters and digits, with inner hyphens and apostrophes ("NATO-Chef", "gibt's").
    Word,
    Number,
    /// Sentence and clause punctuation: . , ; : ! ? … – — and the like.
    Punct,
    /// Quotation marks, straight or typographic („ “ ” « » ‚ ‘ " ').
    Quote,
    /// A line break: in comments a new line usually starts a new clause.
    LineBreak,
    /// A pictographic emoji, with its modifiers and ZWJ joins kept together.
    Emoji,
    /// An ASCII emoticon such as `:-)`, `;)`, `:D`, `<3`, `^^`.
    Emoticon,
    /// `@Name` (also `@N.G.`).
    Mention,
    Hashtag,
    Url,
    /// Any other symbol.
    Symbol,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    /// Byte offsets into the NFC text that was tokenised.
    pub start: usize,
    pub end: usize,
    pub surface: &'a str,
    /// Lower-cased form used for every lexicon lookup; dialect mapping may replace it.
    pub norm: Cow<'a, str>,
    /// Written in capitals for emphasis (words only).
    pub all_caps: bool,
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF)
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(
        c as u32,
        0xFE0F | 0xFE0E | 0x200D | 0x1F3FB..=0x1F3FF | 0x20E3
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_invisible(c) || matches!(c as u32, 0x0300..=0x036F)
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201E}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{201A}'
            | '\u{2018}'
            | '\u{2039}'
            | '\u{203A}'
            | '\''
            | '\u{2019}'
    )
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '\u{2026}'
            | '\u{2013}'
            | '\u{2014}'
            | '-'
            | '('
            | ')'
            | '['
            | ']'
    )
}

/// Length in bytes of an ASCII emoticon starting at `rest`, if there is one.
fn emoticon_len(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    if b.starts_with(b"<3") || b.starts_with(b"^^") {
        return Some(2);
    }
    let eyes = |c: u8| matches!(c, b':' | b';' | b'=' | b'8');
    let mouth = |c: u8| {
        matches!(
            c,
            b')' | b'(' | b'D' | b'P' | b'p' | b'/' | b'|' | b'*' | b']'
        )
    };
    if b.len() >= 2 && eyes(b[0]) {
        if mouth(b[1]) {
            // ":/" inside "https://" is not a face; callers check URLs before emoticons.
            return Some(2);
        }
        if b.len() >= 3 && matches!(b[1], b'-' | b'\'' | b'o' | b'^') && mouth(b[2]) {
            return Some(3);
        }
    }
    if b.len() >= 2 && matches!(b[0], b'x' | b'X') && b[1] == b'D' {
        let after = b.get(2).copied();
        if after.is_none_or(|c| !c.is_ascii_alphanumeric()) {
            return Some(2);
        }
    }
    None
}

fn url_len(rest: &str) -> Option<usize> {
    // Compare bytes: lower-casing a `&str` prefix would copy the whole rest of the text
    // whenever byte 8 falls inside a character, which made long lines quadratic.
    let starts = |prefix: &[u8]| {
        rest.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if starts(b"http://") || starts(b"https://") || starts(b"www.") {
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\u{201C}' || c == '>')
            .unwrap_or(rest.len());
        let trimmed = rest[..len].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
        return Some(trimmed.len());
    }
    None
}

/// Length of a word starting at `rest` (which starts with a word character): word characters
/// joined by single inner hyphens or apostrophes.
fn word_len(rest: &str) -> usize {
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) {
            end = i + c.len_utf8();
        } else if matches!(c, '-' | '\'' | '\u{2019}') {
            match chars.peek() {
                Some(&(_, next)) if next.is_alphanumeric() => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

/// Splits `text` (expected in NFC, see [`super::nfc`]) into tokens. Whitespace other than line
/// breaks is dropped; every other character ends up in exactly one token.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut pos = 0;
    while pos < text.len() {
        let rest = &text[pos..];
        let Some(c) = rest.chars().next() else { break };
        let (kind, len) = if c == '\n' {
            (TokenKind::LineBreak, 1)
        } else if c.is_whitespace() || is_invisible(c) {
            pos += c.len_utf8();
            continue;
        } else if let Some(len) = url_len(rest) {
            (TokenKind::Url, len.max(1))
        } else if (c == '@' || c == '#') && rest[1..].starts_with(char::is_alphanumeric) {
            let body = &rest[1..];
            let mut len = body
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '.' || ch == '_' || ch == '-'))
                .unwrap_or(body.len());
            // "@N.G." keeps its abbreviation dot; "@Sosonadann." loses the sentence full stop.
            let name = &body[..len];
            if let Some(without_dot) = name.strip_suffix('.') {
                let before = without_dot.chars().rev().nth(1);
                if !(before == Some('.') || name.len() == 2) {
                    len -= 1;
                }
            }
            let kind = if c == '@' {
                TokenKind::Mention
            } else {
                TokenKind::Hashtag
            };
            (kind, 1 + len)
        } else if let Some(len) = emoticon_len(rest) {
            (TokenKind::Emoticon, len)
        } else if is_word_char(c) {
            let len = word_len(rest);
            let kind = if rest[..len].chars().all(|ch| ch.is_ascii_digit()) {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            (kind, len)
        } else if is_emoji(c) {
            let mut len = c.len_utf8();
            let mut after_zwj = false;
            for ch in rest[len..].chars() {
                if is_emoji_modifier(ch) {
                    after_zwj = ch == '\u{200D}';
                    len += ch.len_utf8();
                } else if after_zwj && is_emoji(ch) {
                    after_zwj = false;
                    len += ch.len_utf8();
                } else {
                    break;
                }
            }
            (TokenKind::Emoji, len)
        } else if is_quote(c) {
            (TokenKind::Quote, c.len_utf8())
        } else if is_punct(c) {
            // Runs such as "!!!" or "..." stay one token so emphasis can count them.
            let len = rest.find(|ch: char| ch != c).unwrap_or(rest.len());
            (TokenKind::Punct, len)
        } else {
            (TokenKind::Symbol, c.len_utf8())
        };
        let surface = &text[pos..pos + len];
        let norm = match kind {
            TokenKind::Word | TokenKind::Mention | TokenKind::Hashtag => normalise_word(surface),
            TokenKind::Emoji => Cow::Owned(surface.replace('\u{FE0F}', "")),
            _ => Cow::Borrowed(surface),
        };
        let all_caps = kind == TokenKind::Word && is_all_caps(surface);
        tokens.push(Token {
            kind,
            start: pos,
            end: pos + len,
            surface,
            norm,
            all_caps,
        });
        pos += len;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_norms(text: &str) -> Vec<(TokenKind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.norm.into_owned()))
            .collect()
    }

    #[test]
    fn words_offsets_and_punctuation() {
        let toks = tokenize("Das ist sehr gut, aber teuer!");
        let norms: Vec<_> = toks.iter().map(|t| t.norm.as_ref()).collect();
        assert_eq!(
            norms,
            ["das", "ist", "sehr", "gut", ",", "aber", "teuer", "!"]
        );
        assert_eq!((toks[3].start, toks[3].end), (13, 16));
        assert_eq!(toks[7].kind, TokenKind::Punct);
    }

    #[test]
    fn offsets_are_bytes_into_the_text() {
        let text = "Übel! schön";
        for t in tokenize(text) {
            assert_eq!(&text[t.start..t.end], t.surface);
        }
    }

    #[test]
    fn hyphenated_compounds_and_apostrophes_stay_whole() {
        let toks = kinds_and_norms("NATO-Chef gibt's -- Ende");
        assert_eq!(toks[0], (TokenKind::Word, "nato-chef".into()));
        assert_eq!(toks[1], (TokenKind::Word, "gibt's".into()));
        assert_eq!(toks[2].0, TokenKind::Punct);
    }

    #[test]
    fn mentions_keep_abbreviation_dots() {
        let toks = kinds_and_norms("@N.G. Na, @Sosonadann. ok");
        assert_eq!(toks[0], (TokenKind::Mention, "@n.g.".into()));
        assert_eq!(toks[3], (TokenKind::Mention, "@sosonadann".into()));
        assert_eq!(toks[4].0, TokenKind::Punct);
    }

    #[test]
    fn emoji_emoticons_and_urls() {
        let toks = kinds_and_norms("super 😉 :-) xD 👍🏽 https://example.org/a:b. ende");
        assert_eq!(toks[1], (TokenKind::Emoji, "😉".into()));
        assert_eq!(toks[2], (TokenKind::Emoticon, ":-)".into()));
        assert_eq!(toks[3], (TokenKind::Emoticon, "xD".into()));
        assert_eq!(toks[4].0, TokenKind::Emoji);
        assert_eq!(toks[4].1.chars().count(), 2);
        assert_eq!(toks[5], (TokenKind::Url, "https://example.org/a:b".into()));
    }

    #[test]
    fn quotes_linebreaks_and_caps() {
        let toks = tokenize("„Gut“\nGRINS");
        assert_eq!(toks[0].kind, TokenKind::Quote);
        assert_eq!(toks[2].kind, TokenKind::Quote);
        assert_eq!(toks[3].kind, TokenKind::LineBreak);
        assert!(toks[4].all_caps);
        assert_eq!(toks[4].norm, "grins");
    }

    /// Regression: a URL check copied the rest of the text at every token whose byte 8 fell
    /// inside a multi-byte character, so 300,000 "€" took minutes; now it is linear.
    #[test]
    fn long_line_of_multibyte_chars_tokenizes_in_linear_time() {
        let text = "a„b€ ".repeat(60_000);
        let started = std::time::Instant::now();
        let toks = tokenize(&text);
        assert_eq!(toks.len(), 240_000);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(kinds_and_norms("HtTpS://X.org a")[0].1, "HtTpS://X.org");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "", "@", "#", ":", "x", "\u{200D}", "a-", "-a", "'", "🏽", "www.", "@.", "@a.",
        ] {
            let _ = tokenize(s);
        }
    }
}
