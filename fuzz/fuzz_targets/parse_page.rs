//! libFuzzer target: page bytes → `page::parse_bytes` must never panic, and a parsed page
//! keeps its invariants (a title, comment ids in order, parents and threads pointing back).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stimmung::page::{parse_bytes, SiteConventions};

fn site() -> &'static SiteConventions {
    static SITE: OnceLock<SiteConventions> = OnceLock::new();
    SITE.get_or_init(|| {
        SiteConventions::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../lexicons"))
            .expect("bundled site conventions load")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = parse_bytes("x", "x.txt", data, site()) {
        assert!(!page.title.is_empty());
        for (i, c) in page.comments.iter().enumerate() {
            assert_eq!(c.id, i + 1);
            assert!(c.parent.is_none_or(|p| p < c.id));
            assert!(c.thread >= 1 && c.thread <= c.id);
        }
    }
});
