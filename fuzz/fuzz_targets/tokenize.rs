//! libFuzzer target: any UTF-8 string → `text::tokenize` (raw and after NFC) must never panic,
//! and tokens must lie on char boundaries, in order, with only whitespace dropped between them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stimmung::text::{is_invisible, nfc, tokenize};

fn check(text: &str) {
    let mut pos = 0;
    for t in tokenize(text) {
        assert!(t.start >= pos && t.end > t.start);
        assert_eq!(text.get(t.start..t.end), Some(t.surface));
        assert!(text[pos..t.start]
            .chars()
            .all(|c| c != '\n' && (c.is_whitespace() || is_invisible(c))));
        pos = t.end;
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
        check(&nfc(text));
    }
});
