//! libFuzzer target: lexicon file bytes → `lexicon::TsvFile::parse` and its accessors must
//! never panic; every problem must come back as a `file:line: reason` error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use stimmung::lexicon::TsvFile;

fuzz_target!(|data: &[u8]| {
    for required in [&[][..], &["term"][..], &["dialect", "standard", "kind"][..]] {
        match TsvFile::parse(Path::new("x.tsv"), data, required) {
            Ok(file) => {
                for rec in &file.records {
                    for col in &file.header {
                        let _ = file.get(rec, col);
                        let _ = file.number(rec, col, -1.0..=1.0);
                    }
                }
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
});
