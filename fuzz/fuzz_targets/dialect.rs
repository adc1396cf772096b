//! libFuzzer target: any UTF-8 text → NFC → tokens → `DialectLexicon::apply` with the bundled
//! lexicon, then `render_normalized`: never a panic, and the share stays a share.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stimmung::dialect::{render_normalized, DialectLexicon};
use stimmung::text::{nfc, tokenize};

fn lexicon() -> &'static DialectLexicon {
    static LEX: OnceLock<DialectLexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        DialectLexicon::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../lexicons"))
            .expect("bundled dialect lexicon loads")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let text = nfc(text);
        let mut tokens = tokenize(&text);
        let report = lexicon().apply(&mut tokens);
        assert!((0.0..=1.0).contains(&report.share));
        assert!(report.dialect_tokens <= report.word_tokens);
        let _ = render_normalized(&text, &tokens);
    }
});
