//! Splits NFC text into tokens with byte offsets in one pass over the characters.

use std::borrow::Cow;

use super::{is_invisible, needs_normalising, normalised_chars};

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

/// The longest word a [`WordKey`] packs.
pub const SHORT_KEY_BYTES: usize = 15;

/// What the lexicon look-up is to ask about a token, one per token, as the tokenizer hands them
/// over: the normal form of a word (or of a hashtag, without its '#') of up to
/// [`SHORT_KEY_BYTES`] bytes packed with its length in one integer ([`short_key`]), else
/// [`LONG_WORD`] or [`NOT_A_WORD`]. The tokenizer has the lower case of most words in a register
/// as it ends them, so their key costs it a mask, where packing it from the form later takes a
/// branch per length class, and the class of the next word is a toss-up.
pub type WordKey = u128;

/// The [`WordKey`] of a word or hashtag longer than [`SHORT_KEY_BYTES`]: it is looked up by its
/// form. Its length byte is more than any packed word has.
pub const LONG_WORD: WordKey = 0xFD << 120;

/// The [`WordKey`] of a token that is no word: the look-up knows nothing of it.
pub const NOT_A_WORD: WordKey = 0xFE << 120;

/// `word`'s bytes and its length packed in one integer, for words of up to
/// [`SHORT_KEY_BYTES`] bytes: the length byte keeps "a" and "a\0" apart. Built from two
/// overlapping loads rather than through a byte buffer, which the processor would have to
/// reassemble from many small stores.
pub fn short_key(word: &str) -> Option<WordKey> {
    let b = word.as_bytes();
    let n = b.len();
    if n > SHORT_KEY_BYTES {
        return None;
    }
    let u64_at = |at: usize| {
        b.get(at..at + 8)
            .map_or(0, |s| u64::from_le_bytes(s.try_into().unwrap_or_default()))
    };
    let u32_at = |at: usize| {
        b.get(at..at + 4).map_or(0, |s| {
            u64::from(u32::from_le_bytes(s.try_into().unwrap_or_default()))
        })
    };
    // The second load ends at the word's end. Above eight bytes, shifting drops the bytes it
    // shares with the first; below, the shared bytes are the same in both, so an or of the two
    // in place keeps them. Below four, the first, middle and last byte are all the bytes.
    let (lo, hi) = if n >= 8 {
        (
            u64_at(0),
            u64_at(n - 8).checked_shr(8 * (16 - n) as u32).unwrap_or(0),
        )
    } else if n >= 4 {
        (u32_at(0) | u32_at(n - 4) << (8 * (n - 4)), 0)
    } else if n > 0 {
        let byte_at = |at: usize| u64::from(b.get(at).copied().unwrap_or(0)) << (8 * at);
        (byte_at(0) | byte_at(n / 2) | byte_at(n - 1), 0)
    } else {
        (0, 0)
    };
    Some(u128::from(lo) | u128::from(hi) << 64 | (n as u128) << 120)
}

/// The [`WordKey`] of `t`.
fn key_of(t: &Token) -> WordKey {
    let word = match t.kind {
        TokenKind::Word => t.norm.as_ref(),
        TokenKind::Hashtag => t.norm.strip_prefix('#').unwrap_or(&t.norm),
        _ => return NOT_A_WORD,
    };
    short_key(word).unwrap_or(LONG_WORD)
}

/// The key of a word of `len` bytes (fewer than [`CHUNK`]) whose lower case is the start of
/// `lower`: [`short_key`] of it, without a branch.
#[inline(always)]
fn chunk_key(lower: [u8; CHUNK], len: usize) -> WordKey {
    debug_assert!(len < CHUNK);
    let bytes = u128::from_le_bytes(lower) & ((1u128 << (8 * len)) - 1);
    bytes | (len as u128) << 120
}

/// Where the tokenizer puts what it finds: the tokens, and beside each its [`WordKey`].
struct Sink<'a, 'v> {
    tokens: &'v mut Vec<Token<'a>>,
    keys: &'v mut Vec<WordKey>,
}

impl<'a> Sink<'a, '_> {
    #[inline(always)]
    fn push(&mut self, token: Token<'a>) {
        let key = key_of(&token);
        self.push_keyed(token, key);
    }

    #[inline(always)]
    fn push_keyed(&mut self, token: Token<'a>, key: WordKey) {
        self.tokens.push(token);
        self.keys.push(key);
    }
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
    // Compared byte-wise without lower-casing a copy: this runs for every token.
    let b = rest.as_bytes();
    let has_prefix = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    if has_prefix(b"http://") || has_prefix(b"https://") || has_prefix(b"www.") {
        let ends = |c: char| c.is_whitespace() || c == '"' || c == '\u{201C}' || c == '>';
        // A URL is ASCII but for the odd character: its bytes are tested one by one.
        let mut len = 0;
        while let Some(&byte) = b.get(len) {
            if byte.is_ascii() {
                if ends(char::from(byte)) {
                    break;
                }
                len += 1;
            } else {
                match rest.get(len..).and_then(|r| r.chars().next()) {
                    Some(c) if !ends(c) => len += c.len_utf8(),
                    _ => break,
                }
            }
        }
        let trimmed = rest[..len].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
        return Some(trimmed.len());
    }
    None
}

/// What the first byte of a token says about it: the frequent tokens skip the checks that only
/// rarer first characters need. Every class leads to the same token as [`other`], which runs
/// all the checks in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// ASCII white space other than the line break, the most frequent byte in any text.
    Space,
    LineBreak,
    /// An ASCII letter that can start neither a URL ("http", "www.") nor an emoticon ("xD"),
    /// or a digit but 8 (the eyes of "8)").
    Word,
    /// h or w: a URL or a word.
    UrlOrWord,
    /// x: the emoticon "xD" or a word.
    EmoticonOrWord,
    /// Punctuation that is no part of an emoticon: always a run of itself.
    Punct,
    Quote,
    /// An ASCII symbol that starts no other token (no emoticon, URL, tag, word): a symbol of
    /// itself.
    Symbol,
    /// The first byte of U+00C0 to U+00FF: a letter ("ä", "Ü") but for × and ÷.
    Latin1,
    Other,
}

const LEADS: [Lead; 256] = leads();

const fn leads() -> [Lead; 256] {
    let mut leads = [Lead::Other; 256];
    let mut b = 0;
    while b < 256 {
        leads[b] = match b as u8 {
            b' ' | b'\t' | b'\r' | 0x0B | 0x0C => Lead::Space,
            b'\n' => Lead::LineBreak,
            b'h' | b'H' | b'w' | b'W' => Lead::UrlOrWord,
            b'x' | b'X' => Lead::EmoticonOrWord,
            b'8' => Lead::Other,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Lead::Word,
            b'.' | b',' | b'!' | b'?' | b'-' | b'(' | b')' | b'[' | b']' => Lead::Punct,
            b'"' | b'\'' => Lead::Quote,
            b'/' | b'_' | b'%' | b'*' | b'&' | b'+' | b'>' | b'~' | b'|' | b'\\' | b'{' | b'}'
            | b'$' | b'`' => Lead::Symbol,
            0xC3 => Lead::Latin1,
            _ => Lead::Other,
        };
        b += 1;
    }
    leads
}

/// The leads of the words [`short_word`] may end: ASCII letters, digits but 8, and the first byte
/// of Latin-1 letters.
const STARTS_WORD: [bool; 256] = starts_word();

const fn starts_word() -> [bool; 256] {
    let mut starts = [false; 256];
    let mut b = 0;
    while b < 256 {
        starts[b] = matches!(
            LEADS[b],
            Lead::Word | Lead::UrlOrWord | Lead::EmoticonOrWord | Lead::Latin1
        );
        b += 1;
    }
    starts
}

/// Whether the two bytes at `b` encode a Latin-1 letter (U+00C0 to U+00FF but × and ÷).
fn is_latin1_letter(b: &[u8]) -> bool {
    matches!(b, [0xC3, n, ..] if (0x80..=0xBF).contains(n) && *n != 0x97 && *n != 0xB7)
}

/// A word found by [`scan_word_on`], with what the later steps need to know about its characters,
/// gathered in the same pass.
struct WordScan {
    len: usize,
    /// Letters, counted only as far as [`WordScan::all_caps`] and [`WordScan::is_number`] need.
    letters: usize,
    /// Contains an upper-case letter, an invisible character or a typographic apostrophe, so its
    /// normal form differs from the surface.
    needs_normalising: bool,
    /// Contains a character other than ASCII and lower-case Latin-1 letters, so its normal form
    /// is more than the ASCII lower case.
    beyond_ascii_case: bool,
    has_lower: bool,
    /// Contains a character other than an ASCII digit.
    not_digit: bool,
}

impl WordScan {
    fn is_number(&self) -> bool {
        !self.not_digit && self.letters == 0
    }

    fn all_caps(&self) -> bool {
        !self.has_lower && self.letters >= 2
    }
}

/// How many bytes [`letter_chunk`] tests at once.
const CHUNK: usize = 16;

/// The ASCII letters at the start of [`CHUNK`] bytes: how many, and the bits (bit `i` for byte
/// `i`) of the upper- and lower-case ones among them.
struct LetterChunk {
    run: usize,
    capitals: u32,
    smalls: u32,
    /// The byte after the letters (0 past the end of the text), when they end inside the chunk.
    stop: u8,
}

/// The [`CHUNK`] bytes from `at`, zeros past the end (which are no letters and end a word).
#[inline(always)]
fn load_chunk(bytes: &[u8], at: usize) -> [u8; CHUNK] {
    if let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk) {
        return *chunk;
    }
    // The last words of every text end here: the last chunk of the text, shifted, spares them
    // a call to `memcpy`.
    let from = bytes.len().saturating_sub(CHUNK);
    if let Some(&last) = bytes.get(from..).and_then(<[u8]>::first_chunk) {
        let shift = 8 * at.saturating_sub(from) as u32;
        return u128::from_le_bytes(last)
            .checked_shr(shift)
            .unwrap_or_default()
            .to_le_bytes();
    }
    let rest = bytes.get(at..).unwrap_or_default();
    let mut chunk = [0; CHUNK];
    chunk[..rest.len()].copy_from_slice(rest);
    chunk
}

/// Tests the [`CHUNK`] bytes from `at` (zeros past the end, which are no letters) at once.
#[inline(always)]
fn letter_chunk(bytes: &[u8], at: usize) -> LetterChunk {
    let chunk = load_chunk(bytes, at);
    let (letters, case_bits) = letter_masks(&chunk);
    // The letters below the first byte that is none.
    let run = (!letters).trailing_zeros() as usize;
    let in_run = (1u32 << run) - 1;
    LetterChunk {
        run,
        capitals: in_run & !case_bits,
        smalls: in_run & case_bits,
        stop: chunk.get(run).copied().unwrap_or_default(),
    }
}

/// The bits of the bytes of `chunk` that are ASCII letters, and of those with bit 0x20 set (which,
/// in a letter, makes it lower-case).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn letter_masks(chunk: &[u8; CHUNK]) -> (u32, u32) {
    debug_assert!(is_x86_feature_detected!("sse2"));
    // SAFETY: SSE2 is part of every x86_64 target, so the function's target feature is there.
    // Sixteen bytes compared at once take a third of the instructions of the eight-byte
    // arithmetic, and words are most of what [`scan`] reads.
    unsafe { sse2_letter_masks(chunk) }
}

/// As [`letter_masks`], with SSE2: with bit 0x20 set (folding A-Z onto a-z), a byte is a letter
/// when it lies between 0x60 and 0x7B, compared as signed bytes, so that none from 0x80 on is.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn sse2_letter_masks(chunk: &[u8; CHUNK]) -> (u32, u32) {
    use std::arch::x86_64::*;
    let lanes = sse2_ascii_lanes(chunk);
    (
        _mm_movemask_epi8(lanes.letters) as u32,
        _mm_movemask_epi8(lanes.small) as u32,
    )
}

/// The 16 bytes of a chunk in an SSE2 register, with the lanes that [`sse2_letter_masks`] and
/// [`sse2_word_masks`] both start from.
#[cfg(target_arch = "x86_64")]
struct AsciiLanes {
    bytes: std::arch::x86_64::__m128i,
    /// Each byte with bit 0x20 set (A-Z folded onto a-z).
    folded: std::arch::x86_64::__m128i,
    /// The ASCII letters.
    letters: std::arch::x86_64::__m128i,
    /// The bytes with bit 0x20 set.
    small: std::arch::x86_64::__m128i,
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_ascii_lanes(chunk: &[u8; CHUNK]) -> AsciiLanes {
    use std::arch::x86_64::*;
    let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = *chunk;
    let low = i64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]);
    let high = i64::from_le_bytes([a8, a9, a10, a11, a12, a13, a14, a15]);
    let bytes = _mm_set_epi64x(high, low);
    let case = _mm_set1_epi8(0x20);
    let folded = _mm_or_si128(bytes, case);
    AsciiLanes {
        bytes,
        folded,
        letters: _mm_and_si128(
            _mm_cmpgt_epi8(folded, _mm_set1_epi8(0x60)),
            _mm_cmplt_epi8(folded, _mm_set1_epi8(0x7B)),
        ),
        small: _mm_cmpeq_epi8(_mm_and_si128(bytes, case), case),
    }
}

/// As [`letter_masks`], a byte at a time, where SSE2 is not at hand (and in the tests, as the
/// reference).
#[cfg(any(not(target_arch = "x86_64"), test))]
fn plain_letter_masks(chunk: &[u8; CHUNK]) -> (u32, u32) {
    let (mut letters, mut case_bits) = (0, 0);
    for (i, &b) in chunk.iter().enumerate() {
        letters |= u32::from(b.is_ascii_alphabetic()) << i;
        case_bits |= u32::from(b & 0x20 != 0) << i;
    }
    (letters, case_bits)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn letter_masks(chunk: &[u8; CHUNK]) -> (u32, u32) {
    plain_letter_masks(chunk)
}

/// What [`word_masks`] finds in [`CHUNK`] bytes, bit `i` for byte `i`. A Latin-1 letter is
/// 0xC3, then 0x80 to 0xBF but 0x97 and 0xB7 (× and ÷), the upper-case ones below 0x9F; only
/// those with both bytes in the chunk count.
struct WordMasks {
    /// The bytes of ASCII and Latin-1 letters.
    letters: u32,
    /// The upper-case letters (their second byte, if Latin-1).
    capitals: u32,
    /// The lower-case letters (their second byte, if Latin-1).
    smalls: u32,
    /// The bytes with the letters lower-cased (setting bit 0x20 of the ASCII letter or of the
    /// second byte of a Latin-1 one), the others as they were.
    lower: [u8; CHUNK],
}

/// Marks the letters, ASCII and Latin-1, of `chunk` and lower-cases them in one go, so that a
/// word such as "Größe" ends in [`short_word`] without a branch per character.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_masks(chunk: &[u8; CHUNK]) -> WordMasks {
    debug_assert!(is_x86_feature_detected!("sse2"));
    // SAFETY: SSE2 is part of every x86_64 target, so the function's target feature is there.
    // `word_masks_agree_with_the_plain_ones` compares it with the plain version.
    unsafe { sse2_word_masks(chunk) }
}

/// As [`word_masks`], with SSE2: see [`sse2_letter_masks`] for the ASCII letters; a second byte
/// 0x80 to 0xBF is below -64 as a signed byte, and 0x97 and 0xB7 are the bytes that are 0xB7
/// with bit 0x20 set.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn sse2_word_masks(chunk: &[u8; CHUNK]) -> WordMasks {
    use std::arch::x86_64::*;
    let AsciiLanes {
        bytes,
        folded,
        letters: ascii,
        small,
    } = sse2_ascii_lanes(chunk);
    let case = _mm_set1_epi8(0x20);
    let second = _mm_andnot_si128(
        _mm_cmpeq_epi8(folded, _mm_set1_epi8(0xB7_u8 as i8)),
        _mm_cmplt_epi8(bytes, _mm_set1_epi8(-64)),
    );
    let first = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0xC3_u8 as i8));
    let pair = _mm_and_si128(second, _mm_slli_si128::<1>(first));
    let capital_pair = _mm_and_si128(pair, _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x9F_u8 as i8)));
    let capitals = _mm_or_si128(_mm_andnot_si128(small, ascii), capital_pair);
    let smalls = _mm_or_si128(
        _mm_and_si128(ascii, small),
        _mm_andnot_si128(capital_pair, pair),
    );
    let letters = _mm_or_si128(_mm_or_si128(ascii, pair), _mm_srli_si128::<1>(pair));
    let lower = _mm_or_si128(bytes, _mm_and_si128(capitals, case));
    let (lower_low, lower_high) = (
        _mm_cvtsi128_si64(lower),
        _mm_cvtsi128_si64(_mm_unpackhi_epi64(lower, lower)),
    );
    WordMasks {
        letters: _mm_movemask_epi8(letters) as u32,
        capitals: _mm_movemask_epi8(capitals) as u32,
        smalls: _mm_movemask_epi8(smalls) as u32,
        lower: (u128::from(lower_low as u64) | u128::from(lower_high as u64) << 64).to_le_bytes(),
    }
}

/// As [`word_masks`], a byte at a time, where SSE2 is not at hand (and in the tests, as the
/// reference).
#[cfg(any(not(target_arch = "x86_64"), test))]
fn plain_word_masks(chunk: &[u8; CHUNK]) -> WordMasks {
    let mut masks = WordMasks {
        letters: 0,
        capitals: 0,
        smalls: 0,
        lower: *chunk,
    };
    for (i, &b) in chunk.iter().enumerate() {
        let first = chunk.get(i..).is_some_and(is_latin1_letter);
        let second = i > 0 && is_latin1_letter(&chunk[i - 1..]);
        let capital = b.is_ascii_uppercase() || (second && b < 0x9F);
        let small = b.is_ascii_lowercase() || (second && b >= 0x9F);
        masks.letters |= u32::from(capital || small || first) << i;
        masks.capitals |= u32::from(capital) << i;
        masks.smalls |= u32::from(small) << i;
        if capital {
            masks.lower[i] |= 0x20;
        }
    }
    masks
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn word_masks(chunk: &[u8; CHUNK]) -> WordMasks {
    plain_word_masks(chunk)
}

/// Counts the ASCII letters `bytes` has from `at` on, and marks, in `capitals` and `smalls`, the
/// bits of the upper- and lower-case ones (of each chunk).
fn letter_run(bytes: &[u8], at: usize, capitals: &mut u32, smalls: &mut u32) -> usize {
    let mut run = 0;
    loop {
        let chunk = letter_chunk(bytes, at + run);
        *capitals |= chunk.capitals;
        *smalls |= chunk.smalls;
        run += chunk.run;
        if chunk.run < CHUNK {
            return run;
        }
    }
}

/// Scans the word starting at `rest` (which starts with a word character): word characters
/// joined by single inner hyphens or apostrophes. Its first `i` bytes, ASCII and Latin-1
/// letters, have been read: the ASCII ones marked in `capitals` and `smalls` as by
/// [`letter_run`], what they say otherwise in `scan`.
fn scan_word_on(
    rest: &str,
    mut i: usize,
    mut scan: WordScan,
    mut capitals: u32,
    mut smalls: u32,
) -> WordScan {
    let bytes = rest.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_alphabetic() {
            let run = letter_run(bytes, i, &mut capitals, &mut smalls);
            scan.letters += run;
            i += run;
            continue;
        }
        if b.is_ascii_digit() {
            i += 1;
            continue;
        }
        if b < 0x80 {
            if matches!(b, b'-' | b'\'') && next_is_alphanumeric(rest.get(i + 1..)) {
                scan.not_digit = true;
                i += 1;
                continue;
            }
            break;
        }
        // Latin-1 letters are most of the non-ASCII letters in German text ("ä", "Ü", "ß");
        // their case is plain from the second byte.
        if let Some(pair @ [_, n]) = bytes.get(i..i + 2) {
            if is_latin1_letter(pair) {
                scan.letters += 1;
                if *n < 0x9F {
                    scan.needs_normalising = true;
                    scan.beyond_ascii_case = true;
                } else {
                    scan.has_lower = true;
                }
                i += 2;
                continue;
            }
        }
        let Some(c) = rest.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let width = c.len_utf8();
        if is_word_char(c) {
            if c.is_alphabetic() {
                scan.letters += 1;
            }
            if c.is_lowercase() {
                scan.has_lower = true;
            }
            if c.is_uppercase() || is_invisible(c) {
                scan.needs_normalising = true;
            }
        } else if c == '\u{2019}' && next_is_alphanumeric(rest.get(i + width..)) {
            scan.needs_normalising = true;
        } else {
            break;
        }
        scan.not_digit = true;
        scan.beyond_ascii_case = true;
        i += width;
    }
    scan.len = i;
    scan.needs_normalising |= capitals != 0;
    scan.has_lower |= smalls != 0;
    scan.not_digit |= scan.letters > 0;
    scan
}

fn next_is_alphanumeric(rest: Option<&str>) -> bool {
    let rest = rest.unwrap_or_default();
    match rest.as_bytes().first() {
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => rest.chars().next().is_some_and(char::is_alphanumeric),
        None => false,
    }
}

/// Splits `text` (expected in NFC, see [`super::nfc`]) into tokens. Whitespace other than line
/// breaks is dropped; every other character ends up in exactly one token.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut norms = Norms::default();
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut norms, &mut tokens, &mut Vec::new());
    // The tokens outlive the local buffer, so each normal form in it gets its own string.
    tokens
        .into_iter()
        .map(|t| {
            let surface = text.get(t.start..t.end).unwrap_or_default();
            let norm = if std::ptr::eq(t.norm.as_ref(), t.surface) {
                Cow::Borrowed(surface)
            } else {
                Cow::Owned(t.norm.into_owned())
            };
            Token {
                kind: t.kind,
                start: t.start,
                end: t.end,
                surface,
                norm,
                all_caps: t.all_caps,
            }
        })
        .collect()
}

/// The buffer for the normal forms that differ from their surface: reused from text to text, it
/// saves the string per capitalised word that [`tokenize`] allocates.
#[derive(Debug, Default)]
pub struct Norms {
    buf: Vec<u8>,
}

impl Norms {
    /// Room for the normal forms of `text`: none is longer than twice its surface (see
    /// `normal_forms_fit_in_twice_their_surface`), and [`Forms::lower_or_surface`] writes
    /// [`CHUNK`] bytes at a time.
    fn forms_for(&mut self, text: &str) -> Forms<'_> {
        let room = 2 * text.len() + CHUNK;
        if self.buf.len() < room {
            self.buf.resize(room, 0);
        }
        Forms {
            rest: &mut self.buf[..],
        }
    }
}

/// What is left of the [`Norms`] buffer while one text is tokenised: each normal form is written
/// at its start and split off, so a token borrows its form at once, and later forms go to the
/// rest without moving it.
struct Forms<'a> {
    rest: &'a mut [u8],
}

impl<'a> Forms<'a> {
    /// Splits off the first `len` bytes of the rest, where a normal form has been written.
    #[inline(always)]
    fn take(&mut self, len: usize) -> &'a str {
        let (form, rest) = std::mem::take(&mut self.rest).split_at_mut(len);
        self.rest = rest;
        debug_assert!(std::str::from_utf8(form).is_ok());
        // SAFETY: every writer below leaves whole UTF-8 characters in the bytes it hands to
        // `take`: copies of a word with ASCII bytes lower-cased, ASCII letters, encoded chars.
        // Checking them again would cost more than the tokenizer spends on a short word; the
        // tests compare every form with its reference, and the assertion checks the claim.
        unsafe { std::str::from_utf8_unchecked(form) }
    }

    /// The normal form of a word that [`needs_normalising`]; `case` says how much of it the scan
    /// found to be ASCII case alone.
    #[inline(always)]
    fn word(&mut self, word: &str, case: Case) -> &'a str {
        let len = word.len();
        let form = &mut self.rest[..len];
        match case {
            Case::First => {
                form.copy_from_slice(word.as_bytes());
                if let Some(first) = form.first_mut() {
                    first.make_ascii_lowercase();
                }
            }
            Case::Ascii => {
                form.copy_from_slice(word.as_bytes());
                form.make_ascii_lowercase();
            }
            Case::Unicode => return self.unicode(word),
        }
        self.take(len)
    }

    /// The normal form of a word of `len` bytes, fewer than [`CHUNK`], of ASCII and Latin-1
    /// letters, lower-cased in `lower`: that lower case with `capitals`, else the `surface`
    /// itself. Whether a German word has a capital (whether it is a noun) is a toss-up for the
    /// branch predictor, so the lower case is written and its room taken either way, and the
    /// choice is a conditional move.
    #[inline(always)]
    fn lower_or_surface(
        &mut self,
        lower: [u8; CHUNK],
        len: usize,
        surface: &'a str,
        capitals: bool,
    ) -> &'a str {
        debug_assert!(len < CHUNK && surface.len() == len);
        match self.rest.first_chunk_mut::<CHUNK>() {
            Some(chunk) => *chunk = lower,
            None => self.rest[..len].copy_from_slice(&lower[..len]),
        }
        std::hint::select_unpredictable(capitals, self.take(len), surface)
    }

    /// The normal form of a word beyond ASCII case.
    #[inline(never)]
    fn unicode(&mut self, word: &str) -> &'a str {
        let len = match latin1_lowercase(word, self.rest) {
            Some(len) => len,
            None => {
                let mut len = 0;
                for c in normalised_chars(word) {
                    len += c.encode_utf8(&mut self.rest[len..]).len();
                }
                len
            }
        };
        self.take(len)
    }

    /// An emoji without its variation selectors.
    fn emoji(&mut self, emoji: &str) -> &'a str {
        let mut len = 0;
        for c in emoji.chars().filter(|&c| c != '\u{FE0F}') {
            len += c.encode_utf8(&mut self.rest[len..]).len();
        }
        self.take(len)
    }
}

/// What it takes to bring a word to its normal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Lower-casing its first character, an ASCII capital ("Regierung").
    First,
    /// Lower-casing its ASCII letters ("NATO-Chef", "Größe").
    Ascii,
    /// More: non-ASCII capitals, invisible characters, typographic apostrophes.
    Unicode,
}

/// Writes the lower case of `word` to the start of `out` and returns its length, when every
/// character of it is ASCII or a Latin-1 letter (U+00C0 to U+00FF, encoded as 0xC3 0x80..=0xBF):
/// the upper-case ones (below U+00DF, but ×) are their lower case minus 0x20. Returns `None`,
/// having written part of it, for any other character.
fn latin1_lowercase(word: &str, out: &mut [u8]) -> Option<usize> {
    let b = word.as_bytes();
    let out = out.get_mut(..b.len())?;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            out[i] = c.to_ascii_lowercase();
            i += 1;
        } else if c == 0xC3 && b.get(i + 1).is_some_and(|n| (0x80..=0xBF).contains(n)) {
            // The second byte of an upper-case letter, plus 0x20, stays a continuation byte.
            let n = b[i + 1];
            out[i] = c;
            out[i + 1] = if n < 0x9F && n != 0x97 { n + 0x20 } else { n };
            i += 2;
        } else {
            return None;
        }
    }
    Some(b.len())
}

/// As [`tokenize`], into `tokens` (cleared first), with the normal forms that differ from the
/// surface kept in `norms`: no allocation once the buffers have grown.
/// `keys` (cleared first too) gets the [`WordKey`] of each token.
pub fn tokenize_into<'a>(
    text: &'a str,
    norms: &'a mut Norms,
    tokens: &mut Vec<Token<'a>>,
    keys: &mut Vec<WordKey>,
) {
    tokens.clear();
    keys.clear();
    scan(text, &mut norms.forms_for(text), &mut Sink { tokens, keys });
}

/// An empty vector with the allocation of `tokens`, for the tokens of another text.
pub fn recycle<'b>(mut tokens: Vec<Token<'_>>) -> Vec<Token<'b>> {
    tokens.clear();
    // Collecting in place keeps the allocation: the element types differ only in lifetime.
    tokens.into_iter().map_while(|_| None).collect()
}

/// Pushes a token whose normal form is its surface, which starts at `start`, and returns its end.
fn push_plain<'a>(
    tokens: &mut Sink<'a, '_>,
    kind: TokenKind,
    start: usize,
    surface: &'a str,
) -> usize {
    let end = start + surface.len();
    tokens.push(Token {
        kind,
        start,
        end,
        surface,
        norm: Cow::Borrowed(surface),
        all_caps: false,
    });
    end
}

/// As [`push_plain`], for the `len` bytes of `text` from `start`.
fn push_any<'a>(
    tokens: &mut Sink<'a, '_>,
    text: &'a str,
    kind: TokenKind,
    start: usize,
    len: usize,
) -> usize {
    push_plain(
        tokens,
        kind,
        start,
        text.get(start..start + len).unwrap_or_default(),
    )
}

/// Pushes the word starting at `start` and returns its end, or the end of the space after it,
/// when it is ASCII and Latin-1 letters ending inside the [`CHUNK`] bytes from `start` as in
/// [`word`]: most words are. Otherwise returns `None`, having pushed nothing, and the word (or
/// URL, or emoticon) takes the way of the other tokens.
#[inline(always)]
fn short_word<'a>(
    text: &'a str,
    start: usize,
    forms: &mut Forms<'a>,
    tokens: &mut Sink<'a, '_>,
) -> Option<usize> {
    let chunk = load_chunk(text.as_bytes(), start);
    let masks = word_masks(&chunk);
    let run = (!masks.letters).trailing_zeros() as usize;
    let next = chunk[run % CHUNK];
    // URLs start "http" or "www.", the emoticon "xD"; any case. A word that merely starts so
    // ("xdx", too) goes the long way, where the rest of it is checked.
    let [b0, b1, b2, b3, ..] = chunk;
    let head = u32::from_le_bytes([b0, b1, b2, b3]) | 0x0020_2020;
    let special = (head & 0x00FF_FFFF == u32::from_le_bytes(*b"htt\0"))
        | (head & 0x00FF_FFFF == u32::from_le_bytes(*b"www\0"))
        | (head & 0xFFFF == u32::from_le_bytes(*b"xd\0\0"));
    // Bitwise, so that the rare reasons share one branch with the frequent one.
    if GOES_ON[usize::from(next)] | (run == CHUNK) | special {
        return None;
    }
    // The word starts with a letter, a digit or 0xC3; before a digit or 0xC3 nothing is read and
    // the word goes on.
    debug_assert!(run > 0);
    let in_run = (1u32 << run) - 1;
    let capitals = masks.capitals & in_run;
    let smalls = masks.smalls & in_run;
    // The run starts with an ASCII letter or 0xC3: two letters or more take three bytes, or two
    // ASCII ones.
    let two_letters = run + usize::from(b0 < 0x80) >= 3;
    let end = start + run;
    let surface = letters_piece(text, start, end);
    let token = Token {
        kind: TokenKind::Word,
        start,
        end,
        surface,
        norm: Cow::Borrowed(forms.lower_or_surface(masks.lower, run, surface, capitals != 0)),
        all_caps: (smalls == 0) & two_letters,
    };
    // The normal form is the lower case whether or not the word has capitals.
    let key = chunk_key(masks.lower, run);
    debug_assert_eq!(key, key_of(&token));
    tokens.push_keyed(token, key);
    Some(end + usize::from(next == b' '))
}

/// Pushes the word or number starting at `start` (a word character) and returns its end, or
/// the end of the space after it: the words [`short_word`] leaves, long ones of ASCII letters
/// ending here, the others going on in [`latin1_word`] and [`word_on`].
#[inline(always)]
fn word<'a>(
    text: &'a str,
    start: usize,
    forms: &mut Forms<'a>,
    tokens: &mut Sink<'a, '_>,
) -> usize {
    let bytes = text.as_bytes();
    let first = letter_chunk(bytes, start);
    let (mut len, mut next) = (first.run, first.stop);
    let (mut later_capitals, mut smalls) = (0, first.smalls);
    if len == CHUNK {
        len += letter_run(bytes, start + CHUNK, &mut later_capitals, &mut smalls);
        next = bytes.get(start + len).copied().unwrap_or_default();
    }
    // Only letters have been read, so `len` is 0 before a digit or a non-ASCII character. The
    // end of the text reads as 0, which ends a word as the end does.
    if GOES_ON[usize::from(next)] {
        let capitals = first.capitals | later_capitals;
        // A Latin-1 letter, as in "für", is ended here, saving the call.
        if next == 0xC3 {
            if let Ok(end) = latin1_word(text, start, len, capitals, smalls, forms, tokens) {
                return end;
            }
        }
        return word_on(text, start, len, capitals, smalls, forms, tokens);
    }
    let end = start + len;
    let surface = ascii_piece(text, start, end);
    let norm = if first.capitals | later_capitals != 0 {
        let case = if first.capitals == 1 && later_capitals == 0 {
            Case::First
        } else {
            Case::Ascii
        };
        Cow::Borrowed(forms.word(surface, case))
    } else {
        Cow::Borrowed(surface)
    };
    tokens.push(Token {
        kind: TokenKind::Word,
        start,
        end,
        surface,
        norm,
        all_caps: smalls == 0 && len >= 2,
    });
    // Saves a round of the dispatch in [`scan`] for the most frequent byte.
    end + usize::from(next == b' ')
}

/// The piece of `text` from `start` to `end`, which holds only ASCII characters (letters a word
/// consists of, punctuation, quotes, line breaks the first byte of which told [`scan`] so).
#[inline(always)]
fn ascii_piece(text: &str, start: usize, end: usize) -> &str {
    debug_assert!(text.as_bytes()[start..end].is_ascii());
    // SAFETY: `start..end` lies in `text` and holds ASCII bytes only, so both of its ends are
    // character boundaries. Slicing with checks costs a sixth of the instructions [`scan`]
    // spends on a short word. `fast_paths_agree_on_any_mix` covers every way to such a piece in debug
    // builds, where the assertion checks the claim.
    unsafe { text.get_unchecked(start..end) }
}

/// The piece of `text` from `start`, where a token starts, to `end`, after ASCII and whole Latin-1
/// letters only, as [`short_word`] found them.
#[inline(always)]
fn letters_piece(text: &str, start: usize, end: usize) -> &str {
    debug_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    // SAFETY: tokens start at character boundaries, and the letters from `start` to `end` are
    // whole characters, so `end` is one too. The checks of slicing cost a tenth of what
    // [`short_word`] spends on a word; `short_words_agree_with_the_plain_definition` and
    // `fast_paths_agree_on_any_mix` end words in every way there is in debug builds, where the
    // assertion checks the claim.
    unsafe { text.get_unchecked(start..end) }
}

/// The bytes after ASCII letters that may carry a word on, so [`word_on`] decides: digits,
/// hyphens and apostrophes (inner ones, if a letter follows), and every non-ASCII byte.
const GOES_ON: [bool; 256] = goes_on();

const fn goes_on() -> [bool; 256] {
    let mut goes_on = [false; 256];
    let mut b = 0;
    while b < 256 {
        goes_on[b] = matches!(b as u8, b'0'..=b'9' | b'-' | b'\'' | 0x80..=0xFF);
        b += 1;
    }
    goes_on
}

/// How far [`latin1_word`] read a word it could not end.
struct Latin1Part {
    at: usize,
    capitals: u32,
    smalls: u32,
    scan: WordScan,
}

/// As [`word`], for the word starting at `start` whose first `i` bytes, ASCII letters marked in
/// `capitals` and `smalls` as by [`letter_run`], have been read, when the rest of it is Latin-1
/// and ASCII letters; else how far it got, nothing pushed.
#[inline(always)]
fn latin1_word<'a>(
    text: &'a str,
    start: usize,
    i: usize,
    mut capitals: u32,
    mut smalls: u32,
    forms: &mut Forms<'a>,
    tokens: &mut Sink<'a, '_>,
) -> Result<usize, Latin1Part> {
    let bytes = text.as_bytes();
    let mut at = start + i;
    // Whether a capital (bit 1) or a small letter (bit 2) is among the Latin-1 letters.
    let mut latin1 = 0u8;
    let mut latin1_letters = 0;
    // Latin-1 letters between runs of ASCII letters make up most German words beyond ASCII
    // ("für", "Größe"): these end here, without the character-wise scan the others need.
    while let Some(&[lead, n]) = bytes.get(at..at + 2) {
        if !is_latin1_letter(&[lead, n]) {
            break;
        }
        latin1 |= if n < 0x9F { 1 } else { 2 };
        latin1_letters += 1;
        at += 2;
        at += letter_run(bytes, at, &mut capitals, &mut smalls);
    }
    // Each Latin-1 letter is two bytes, each ASCII one a byte.
    let letters = at - start - latin1_letters;
    let next = bytes.get(at).copied().unwrap_or_default();
    if GOES_ON[usize::from(next)] {
        return Err(Latin1Part {
            at,
            capitals,
            smalls,
            scan: WordScan {
                len: 0,
                letters,
                needs_normalising: latin1 & 1 != 0,
                beyond_ascii_case: latin1 & 1 != 0,
                has_lower: latin1 & 2 != 0,
                not_digit: false,
            },
        });
    }
    // Only ASCII and Latin-1 letters, at least one of them Latin-1, were read.
    let surface = text.get(start..at).unwrap_or_default();
    let norm = if latin1 & 1 != 0 {
        forms.word(surface, Case::Unicode)
    } else if capitals != 0 {
        forms.word(surface, Case::Ascii)
    } else {
        surface
    };
    tokens.push(Token {
        kind: TokenKind::Word,
        start,
        end: at,
        surface,
        norm: Cow::Borrowed(norm),
        all_caps: latin1 & 2 == 0 && smalls == 0 && letters >= 2,
    });
    Ok(at + usize::from(next == b' '))
}

/// As [`word`], for the word starting at `start` whose first `i` bytes, ASCII letters marked in
/// `capitals` and `smalls` as by [`letter_run`], have been read.
#[inline(never)]
fn word_on<'a>(
    text: &'a str,
    start: usize,
    i: usize,
    capitals: u32,
    smalls: u32,
    forms: &mut Forms<'a>,
    tokens: &mut Sink<'a, '_>,
) -> usize {
    let part = match latin1_word(text, start, i, capitals, smalls, forms, tokens) {
        Ok(end) => return end,
        Err(part) => part,
    };
    let rest = text.get(start..).unwrap_or_default();
    let scan = scan_word_on(rest, part.at - start, part.scan, part.capitals, part.smalls);
    let bytes = text.as_bytes();
    let surface = rest.get(..scan.len).unwrap_or_default();
    let end = start + scan.len;
    let token = if scan.is_number() {
        Token {
            kind: TokenKind::Number,
            start,
            end,
            surface,
            norm: Cow::Borrowed(surface),
            all_caps: false,
        }
    } else {
        let norm = if scan.needs_normalising {
            let case = if scan.beyond_ascii_case {
                Case::Unicode
            } else {
                Case::Ascii
            };
            Cow::Borrowed(forms.word(surface, case))
        } else {
            Cow::Borrowed(surface)
        };
        Token {
            kind: TokenKind::Word,
            start,
            end,
            surface,
            norm,
            all_caps: scan.all_caps(),
        }
    };
    tokens.push(token);
    end + usize::from(bytes.get(end) == Some(&b' '))
}

/// The tokenizer proper. Normal forms that differ from the surface are written to `forms`, and
/// the tokens borrow them from there.
fn scan<'a>(text: &'a str, forms: &mut Forms<'a>, tokens: &mut Sink<'a, '_>) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        // Words are most tokens: one branch leads to them, without the jump of the `match`.
        if STARTS_WORD[usize::from(b)] {
            if let Some(end) = short_word(text, pos, forms, tokens) {
                pos = end;
                continue;
            }
        }
        let end = match LEADS[usize::from(b)] {
            Lead::Space => Some(pos + 1),
            Lead::LineBreak => {
                let surface = ascii_piece(text, pos, pos + 1);
                Some(push_plain(tokens, TokenKind::LineBreak, pos, surface))
            }
            Lead::Punct => {
                let run = bytes[pos..].iter().take_while(|&&c| c == b).count();
                let surface = ascii_piece(text, pos, pos + run);
                let end = push_plain(tokens, TokenKind::Punct, pos, surface);
                // As after a word, a space is frequent enough to skip here.
                Some(end + usize::from(bytes.get(end) == Some(&b' ')))
            }
            Lead::Quote => {
                let surface = ascii_piece(text, pos, pos + 1);
                Some(push_plain(tokens, TokenKind::Quote, pos, surface))
            }
            Lead::Symbol => {
                let surface = ascii_piece(text, pos, pos + 1);
                Some(push_plain(tokens, TokenKind::Symbol, pos, surface))
            }
            // Every URL [`url_len`] knows starts "htt" or "www"; "hat", "wie" do not.
            Lead::UrlOrWord => bytes
                .get(pos + 1..pos + 3)
                .filter(|two| matches!([two[0] | 0x20, two[1] | 0x20], [b't', b't'] | [b'w', b'w']))
                .and_then(|_| url_len(text.get(pos..).unwrap_or_default()))
                .map(|len| push_any(tokens, text, TokenKind::Url, pos, len.max(1))),
            Lead::EmoticonOrWord => emoticon_len(text.get(pos..).unwrap_or_default())
                .map(|len| push_any(tokens, text, TokenKind::Emoticon, pos, len)),
            Lead::Word => None,
            Lead::Latin1 if is_latin1_letter(&bytes[pos..]) => None,
            Lead::Latin1 | Lead::Other => Some(other(text, pos, forms, tokens)),
        };
        pos = match end {
            Some(end) => end,
            None => word(text, pos, forms, tokens),
        };
    }
}

/// Pushes the token starting at `pos`, after all the checks in order, and returns its end (or
/// the end of the white space or invisible character there).
fn other<'a>(text: &'a str, pos: usize, forms: &mut Forms<'a>, tokens: &mut Sink<'a, '_>) -> usize {
    let rest = text.get(pos..).unwrap_or_default();
    let Some(c) = rest.chars().next() else {
        return text.len();
    };
    let plain = |tokens: &mut Sink<'a, '_>, kind, len| push_any(tokens, text, kind, pos, len);
    if c == '\n' {
        plain(tokens, TokenKind::LineBreak, 1)
    } else if c.is_whitespace() || is_invisible(c) {
        pos + c.len_utf8()
    } else if let Some(len) = url_len(rest) {
        plain(tokens, TokenKind::Url, len.max(1))
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
        let surface = &rest[..1 + len];
        if !needs_normalising(surface) {
            return plain(tokens, kind, 1 + len);
        }
        tokens.push(Token {
            kind,
            start: pos,
            end: pos + 1 + len,
            surface,
            norm: Cow::Borrowed(forms.word(surface, Case::Unicode)),
            all_caps: false,
        });
        pos + 1 + len
    } else if let Some(len) = emoticon_len(rest) {
        plain(tokens, TokenKind::Emoticon, len)
    } else if is_word_char(c) {
        word_on(text, pos, 0, 0, 0, forms, tokens)
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
        let surface = &rest[..len];
        if !surface.contains('\u{FE0F}') {
            return plain(tokens, TokenKind::Emoji, len);
        }
        tokens.push(Token {
            kind: TokenKind::Emoji,
            start: pos,
            end: pos + len,
            surface,
            norm: Cow::Borrowed(forms.emoji(surface)),
            all_caps: false,
        });
        pos + len
    } else if is_quote(c) {
        plain(tokens, TokenKind::Quote, c.len_utf8())
    } else if is_punct(c) {
        // Runs such as "!!!" or "..." stay one token so emphasis can count them.
        let len = rest.find(|ch: char| ch != c).unwrap_or(rest.len());
        plain(tokens, TokenKind::Punct, len)
    } else {
        plain(tokens, TokenKind::Symbol, c.len_utf8())
    }
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

    /// The one-pass scan must agree with the reference definitions of the normal form and of
    /// capitals for emphasis, on every kind of word.
    #[test]
    fn one_pass_scan_agrees_with_the_word_functions() {
        let text = "Schön ÜBEL übel GRINS A 42 4a NATO-Chef gibt\u{2019}s gibt's \
                    Über\u{00AD}heblichkeit ǅemal Σίσυφος ΣΊΣΥΦΟΣ x-Y O'NEIL straße STRASSE \
                    3D a\u{0308}b Ⅻ ⅻ ÄÖÜ-Ä 1-2";
        let mut words = 0;
        for t in tokenize(text) {
            if t.kind == TokenKind::Word {
                words += 1;
                assert_eq!(
                    t.norm,
                    super::super::normalise_word(t.surface),
                    "{}",
                    t.surface
                );
                assert_eq!(
                    t.all_caps,
                    super::super::is_all_caps(t.surface),
                    "{}",
                    t.surface
                );
            } else {
                assert_eq!(t.kind, TokenKind::Number, "{}", t.surface);
                assert!(t.surface.bytes().all(|b| b.is_ascii_digit()));
            }
        }
        assert_eq!(words, 23);
    }

    /// Regression: a URL check copied the rest of the text at every token whose byte 8 fell
    /// inside a multi-byte character, so 300,000 "€" took minutes (the benches in
    /// `benches/text.rs` watch the speed; this pins the behaviour on such a line).
    #[test]
    fn reused_buffers_give_the_same_tokens() {
        let texts = [
            "Das ist SEHR gut, Über\u{00AD}heblichkeit! #Wahl2024 @N.G. ❤\u{FE0F} 👍🏽",
            "",
            "gibt\u{2019}s ÜBEL :-) ǅemal İstanbul\nNeue Zeile",
            "nur kleine wörter",
        ];
        let mut norms = Norms::default();
        let mut tokens = Vec::new();
        for text in texts.iter().chain(&texts) {
            let mut reused = recycle(tokens);
            tokenize_into(text, &mut norms, &mut reused, &mut Vec::new());
            assert_eq!(reused, tokenize(text), "{text}");
            tokens = recycle(reused);
        }
        // Recycling keeps the allocation for the next text.
        assert!(tokens.capacity() > 0);
    }

    #[test]
    fn long_line_of_multibyte_chars_tokenizes_whole() {
        let text = "a„b€ ".repeat(60_000);
        let toks = tokenize(&text);
        assert_eq!(toks.len(), 240_000);
        assert_eq!(kinds_and_norms("HtTpS://X.org a")[0].1, "HtTpS://X.org");
    }

    #[test]
    fn letter_runs_are_counted_a_chunk_at_a_time() {
        let reference = |bytes: &[u8]| {
            let n = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let run = &bytes[..n];
            (
                n,
                run.iter().any(u8::is_ascii_uppercase),
                run.iter().any(u8::is_ascii_lowercase),
            )
        };
        let check = |bytes: &[u8]| {
            let (mut capitals, mut smalls) = (0, 0);
            let n = letter_run(bytes, 0, &mut capitals, &mut smalls);
            assert_eq!(
                (n, capitals != 0, smalls != 0),
                reference(bytes),
                "{bytes:?}"
            );
        };
        for text in [
            "",
            "a",
            "Z",
            "abcdefgh",
            "ABCDEFGHi",
            "abcdefgh!",
            "abc Def",
            "az{`@[AZ",
            "zzzzzzzzzzzzzzzzZ",
            "schön",
            "Regierungskrise,",
            "aaaaaaa\u{e4}",
            "\u{7f}a",
            "a\u{ff}",
            "abcdefg1H",
            "abcdefghijklmnop",
            "abcdefghijklmnoP",
            "Abcdefghijklmnop!",
            "abcdefghijklmnopqrstuvwxyzabcdefG",
            "abcdefghijklmno\u{e4}",
        ] {
            check(text.as_bytes());
        }
        for b in 0..=255u8 {
            check(&[b'a', b'b', b'c', b, b'D', b'e', b'f', b'g', b'h']);
            check(&[b'A', b'B', b'C', b'D', b'E', b'F', b'G', b'H', b]);
            check(&[b, b'a']);
            let mut long = *b"abcdefghijklmnopqrstuvwxyz";
            for at in [7, 8, 15, 16, 17] {
                long[at] = b;
                check(&long);
                long[at] = b'x';
            }
        }
    }

    #[test]
    fn letter_masks_agree_with_the_plain_ones() {
        for b in 0..=255u8 {
            for at in 0..CHUNK {
                for fill in [b'a', b'Z', b' ', 0xC3] {
                    let mut chunk = [fill; CHUNK];
                    chunk[at] = b;
                    assert_eq!(
                        letter_masks(&chunk),
                        plain_letter_masks(&chunk),
                        "{chunk:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn word_masks_agree_with_the_plain_ones() {
        let same = |chunk: &[u8; CHUNK]| {
            let (fast, plain) = (word_masks(chunk), plain_word_masks(chunk));
            assert_eq!(
                (fast.letters, fast.capitals, fast.smalls, fast.lower),
                (plain.letters, plain.capitals, plain.smalls, plain.lower),
                "{chunk:?}"
            );
        };
        for b in 0..=255u8 {
            for at in 0..CHUNK {
                for fill in [b'a', b'Z', b' ', 0xC3, 0x84, 0xB7] {
                    let mut chunk = [fill; CHUNK];
                    chunk[at] = b;
                    same(&chunk);
                    if at + 1 < CHUNK {
                        chunk[at] = 0xC3;
                        chunk[at + 1] = b;
                        same(&chunk);
                    }
                }
            }
        }
    }

    /// Words of ASCII and Latin-1 letters that end inside a chunk end in [`short_word`], by the
    /// masks; the others, and URLs and emoticons, must find their way to the plain checks.
    #[test]
    fn short_words_agree_with_the_plain_definition() {
        for word in [
            "a",
            "Ä",
            "ä",
            "ß",
            "Öl",
            "ÖL",
            "für",
            "FÜR",
            "Größe",
            "GRÖSSE",
            "Übermäßig",
            "Übermäßigkeiten",
            "Übermäßigkeitenx",
            "abcdefghijklmnö",
            "abcdefghijklmnoö",
            "ÄÖÜäöüÄÖ",
            "ÿÿ",
            "Xÿ",
            "hat",
            "htt",
            "HTTP",
            "www",
            "Wwwx",
            "xD",
            "XD",
            "xd",
            "xDa",
            "ä×",
            "Ä÷b",
            "ab×",
            "Abcdefghijklmno",
        ] {
            for after in [
                "",
                " ",
                ".",
                ",",
                "\n",
                "-x",
                "'s",
                "1",
                "×",
                "ä",
                "\u{2019}s",
                "é",
            ] {
                agrees_with_reference(&format!("{word}{after}"));
                agrees_with_reference(&format!("x, {word}{after} y"));
            }
        }
    }

    /// Short words take their lower case from a whole chunk of bytes; the bytes after them, or
    /// the end of the text, must not leak into it.
    #[test]
    fn short_capitalised_words_agree_with_the_plain_lower_case() {
        for word in [
            "A", "Ab", "aB", "NATO", "Schön", "Zeitung", "ZEITUNG", "Zeitungs",
        ] {
            for after in ["", " ", ".", "\n", "-x", "1", "ä", "\u{2019}s", "\u{ff}"] {
                agrees_with_reference(&format!("{word}{after}"));
                agrees_with_reference(&format!("x {word}{after} y"));
            }
        }
    }

    /// The tokens as plainly defined, a character at a time, with the word functions of
    /// [`super::super`]: what the fast paths of [`scan`] must agree with.
    fn reference(text: &str) -> Vec<(TokenKind, usize, usize, String, bool)> {
        use super::super::{is_all_caps, normalise_word};
        let mut tokens = Vec::new();
        let mut pos = 0;
        while let Some(c) = text[pos..].chars().next() {
            let rest = &text[pos..];
            let (kind, len) = if c == '\n' {
                (TokenKind::LineBreak, 1)
            } else if c.is_whitespace() || is_invisible(c) {
                pos += c.len_utf8();
                continue;
            } else if let Some(len) = url_len(rest) {
                (TokenKind::Url, len.max(1))
            } else if matches!(c, '@' | '#') && rest[1..].starts_with(char::is_alphanumeric) {
                // Tags take the path of the tokenizer itself, which they share.
                let mut norms = Norms::default();
                let (mut tags, mut keys) = (Vec::new(), Vec::new());
                let mut sink = Sink {
                    tokens: &mut tags,
                    keys: &mut keys,
                };
                other(text, pos, &mut norms.forms_for(text), &mut sink);
                let t = &tags[0];
                (t.kind, t.end - t.start)
            } else if let Some(len) = emoticon_len(rest) {
                (TokenKind::Emoticon, len)
            } else if is_word_char(c) {
                let mut len = 0;
                let mut chars = rest.char_indices().peekable();
                while let Some((i, ch)) = chars.next() {
                    let next_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
                    if is_word_char(ch) {
                        len = i + ch.len_utf8();
                    } else if !(matches!(ch, '-' | '\'' | '\u{2019}') && next_alnum) {
                        break;
                    }
                }
                let surface = &rest[..len];
                if surface.bytes().all(|b| b.is_ascii_digit()) {
                    (TokenKind::Number, len)
                } else {
                    let norm = normalise_word(surface).into_owned();
                    tokens.push((TokenKind::Word, pos, pos + len, norm, is_all_caps(surface)));
                    pos += len;
                    continue;
                }
            } else if is_emoji(c) {
                let t = &tokenize(rest)[0];
                tokens.push((
                    TokenKind::Emoji,
                    pos,
                    pos + t.surface.len(),
                    t.norm.to_string(),
                    false,
                ));
                pos += t.surface.len();
                continue;
            } else if is_quote(c) {
                (TokenKind::Quote, c.len_utf8())
            } else if is_punct(c) {
                (
                    TokenKind::Punct,
                    rest.find(|ch| ch != c).unwrap_or(rest.len()),
                )
            } else {
                (TokenKind::Symbol, c.len_utf8())
            };
            let norm = if matches!(kind, TokenKind::Mention | TokenKind::Hashtag) {
                normalise_word(&rest[..len]).into_owned()
            } else {
                rest[..len].to_owned()
            };
            tokens.push((kind, pos, pos + len, norm, false));
            pos += len;
        }
        tokens
    }

    fn agrees_with_reference(text: &str) {
        let got: Vec<_> = tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.start, t.end, t.norm.into_owned(), t.all_caps))
            .collect();
        assert_eq!(got, reference(text), "{text:?}");
    }

    #[test]
    fn fast_paths_agree_with_the_plain_definition() {
        for text in [
            "Das ist SEHR gut, NATO-Chef gibt's nicht! Regierungskrisenbewältigung",
            "Wer hat's? www.x.at xD xDx 8) 80 80er ÄRGER Über Größe × ÷ a×b",
            "abcdefghIJKLMNOPq Abcdefgh Abcdefgh-ijk Abcdefg1 ABCDEFGHI abcdefgH",
            "ǅemal Xǅ Xİ İstanbul O\u{2019}Neil Ab\u{00AD}c a\u{0308}b 2024 6:00 1-2 x-Y",
            "„gut“ \"so\" '' ... !!! ?! -- () [] 😉 ❤\u{FE0F} @Name #Tag\nZeile\r\n",
            "für Größe GRÖSSE ÜBEL Über über-all Ärger1 schön's ßa ÄÖÜ äöü ÄÖü a×b ä÷ Ä Öl ÿ",
            "Schönheitsoperationen ABCDEFGHÄ abcdefghä Äabcdefghijklmnop öabc\u{2019}s äǅ ä\u{00AD}",
            "Abcdefghijklmnop Abcdefghijklmnopq Regierungskrisenbewältigungen ABCDEFGHIJKLMNOPqrs",
            "abcdefghijklmnoP abcdefghijklmnopQ Abcdefghijklmnopqrstuvwxyz1 Abcdefghijklmno-Pqrs",
        ] {
            agrees_with_reference(text);
        }
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]

        #[test]
        fn fast_paths_agree_on_any_mix(
            pieces in proptest::collection::vec(
                prop_oneof![
                    3 => proptest::sample::select(&[
                        "a", "Z", "h", "W", "x", "X", "D", "8", "0", "-", "'", "\u{2019}", " ",
                        "\n", "\t", ".", ",", "!", ":", ")", "\"", "ä", "Ä", "ß", "ÿ", "×", "÷",
                        "ǅ", "İ", "Σ", "\u{00AD}", "\u{200D}", "\u{0308}", "😉", "\u{FE0F}",
                        "@", "#", "http://", "www.", "Regierung", "NATO", "abcdefgh", "ABCDEFGH",
                        "/", "_", "%", "*", "&", "+", ">", "~", "|", "\\", "{", "}", "$", "`",
                    ][..]).prop_map(str::to_string),
                    1 => "\\PC{0,4}",
                ],
                0..40,
            )
        ) {
            agrees_with_reference(&pieces.concat());
        }

        #[test]
        fn urls_end_where_the_plain_search_ends_them(
            prefix in proptest::sample::select(&["http://", "HTTPS://", "www.", "wwx."][..]),
            rest in "([a-z./:?=&%-]|\\PC|\\s|\u{201C}|\u{85}|\u{a0}|\u{3000}|[\"<>)!.,]){0,30}",
        ) {
            let text = format!("{prefix}{rest}");
            let plain = (prefix != "wwx.").then(|| {
                let len = text
                    .find(|c: char| c.is_whitespace() || c == '"' || c == '\u{201C}' || c == '>')
                    .unwrap_or(text.len());
                text[..len].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']).len()
            });
            prop_assert_eq!(url_len(&text), plain);
        }

        #[test]
        fn reused_buffers_agree_on_any_mix(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            let mut norms = Norms::default();
            let (mut tokens, mut keys) = (Vec::new(), Vec::new());
            for text in [&a, &b, &a] {
                let mut reused = recycle(tokens);
                tokenize_into(text, &mut norms, &mut reused, &mut keys);
                prop_assert_eq!(&reused, &tokenize(text));
                tokens = recycle(reused);
            }
        }

        /// Each token gets the key of its normal form, packed by [`short_key`], whichever way
        /// the tokenizer ended it: hashtags without their '#', long words [`LONG_WORD`], other
        /// tokens [`NOT_A_WORD`].
        #[test]
        fn keys_are_the_short_keys_of_the_normal_forms(
            text in "([a-zA-ZäöüÄÖÜß]{0,18}|\\PC{0,3}|[ #@.,!?-]){0,30}"
        ) {
            let mut norms = Norms::default();
            let (mut tokens, mut keys) = (Vec::new(), Vec::new());
            tokenize_into(&text, &mut norms, &mut tokens, &mut keys);
            prop_assert_eq!(tokens.len(), keys.len());
            for (t, &key) in tokens.iter().zip(&keys) {
                let expected = match t.kind {
                    TokenKind::Word => short_key(&t.norm).unwrap_or(LONG_WORD),
                    TokenKind::Hashtag => short_key(&t.norm[1..]).unwrap_or(LONG_WORD),
                    _ => NOT_A_WORD,
                };
                prop_assert_eq!(key, expected, "{:?}", t);
            }
        }
    }

    /// [`Norms::forms_for`] leaves room for twice the text: every character's part of a normal
    /// form is at most twice as long as the character.
    #[test]
    fn normal_forms_fit_in_twice_their_surface() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let word = c.encode_utf8(&mut buf);
            let form: String = super::super::normalised_chars(word).collect();
            assert!(form.len() <= 2 * word.len(), "{c:?}");
        }
        let text = "İİİİ ȺȾ İ\u{2019}İ ❤\u{FE0F}";
        assert_eq!(tokenize(text)[0].norm, "i\u{307}".repeat(4));
        agrees_with_reference(text);
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
