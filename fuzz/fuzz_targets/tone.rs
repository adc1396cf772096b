//! libFuzzer target: any UTF-8 text → `tone::Analyzer::score` with the bundled lexicons must
//! never panic, and tone, shares and incivility stay finite and in range.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stimmung::cmd::LexiconArgs;
use stimmung::tone::Analyzer;

fn analyzer() -> &'static Analyzer {
    static AN: OnceLock<Analyzer> = OnceLock::new();
    AN.get_or_init(|| {
        let args = LexiconArgs {
            lexicons: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../lexicons")),
            overlay: Vec::new(),
        };
        Analyzer::load(&args).expect("bundled lexicons load")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let r = analyzer().score(text);
        assert!((-1.0..=1.0).contains(&r.tone), "tone {}", r.tone);
        for share in [r.pos, r.neg, r.neu, r.incivility, r.dialect_share] {
            assert!((0.0..=1.0).contains(&share), "share {share}");
        }
    }
});
