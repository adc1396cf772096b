//! Property tests: no byte sequence or string makes the page parser, the tokenizer, the TSV
//! lexicon reader, the dialect mapper or the tone scorer panic, and what they return keeps its
//! invariants.
//!
//! Inputs are arbitrary bytes, arbitrary strings, strings stitched from the pieces the code
//! reacts to, and the real seed pages / bundled lexicons mutated the way scrapers damage files
//! (byte flips, truncation, duplicated lines, inserted NULs, CRs, BOMs and huge lines).
//! The default case count keeps `cargo test` quick; `PROPTEST_CASES=20000 cargo test --release
//! --test no_panic` runs long. The `fuzz/` crate drives the same functions with libFuzzer.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use stimmung::dialect::{render_normalized, DialectLexicon};
use stimmung::lexicon::TsvFile;
use stimmung::page::{parse_bytes, Page, SiteConventions};
use stimmung::text::{nfc, tokenize};
use stimmung::tone::Analyzer;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn site() -> &'static SiteConventions {
    static SITE: OnceLock<SiteConventions> = OnceLock::new();
    SITE.get_or_init(|| SiteConventions::load(&root().join("lexicons")).unwrap())
}

fn dialect() -> &'static DialectLexicon {
    static LEX: OnceLock<DialectLexicon> = OnceLock::new();
    LEX.get_or_init(|| DialectLexicon::load(&root().join("lexicons")).unwrap())
}

fn analyzer() -> &'static Analyzer {
    static AN: OnceLock<Analyzer> = OnceLock::new();
    AN.get_or_init(|| {
        let args = stimmung::cmd::LexiconArgs {
            lexicons: Some(root().join("lexicons")),
            overlay: Vec::new(),
        };
        Analyzer::load(&args).unwrap()
    })
}

fn files_in(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| files_in(&root().join("seeds"), "txt"))
}

fn lexicon_files() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut all = files_in(&root().join("lexicons/dialect"), "tsv");
        all.extend(files_in(&root().join("lexicons/site"), "tsv"));
        all
    })
}

/// `PROPTEST_CASES` when set (to run long), else `default` (to keep `cargo test` fast).
fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        ..Config::default()
    }
}

/// One way a scraper or a disk damages a file.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte { at: usize, mask: u8 },
    Truncate { at: usize },
    DuplicateLine { line: usize, times: usize },
    DeleteRange { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn insertion() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0u8]),
        Just(vec![0u8; 64]),
        Just(b"\r".to_vec()),
        Just(b"\r\r\n\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xC3".to_vec()),
        Just(b"\xE2\x80".to_vec()),
        Just(b"\xFC\xDF\x80".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"Kommentare\n".to_vec()),
        Just(b"\n9 h 51 Min\n".to_vec()),
        Just(b"\nSuperredner\n".to_vec()),
        Just(b"Weiterlesen \xC2\xBB".to_vec()),
        Just(b"@".to_vec()),
        Just("\u{200D}\u{0308}\u{FE0F}\u{1F3FD}".as_bytes().to_vec()),
        Just(vec![b'x'; 200_000]),
        Just("€".repeat(20_000).into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..32),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Mutation::FlipByte { at, mask }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        2 => (any::<usize>(), 1usize..50)
            .prop_map(|(line, times)| Mutation::DuplicateLine { line, times }),
        2 => (any::<usize>(), 0usize..400).prop_map(|(at, len)| Mutation::DeleteRange { at, len }),
        4 => (any::<usize>(), insertion()).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        match m {
            Mutation::FlipByte { at, mask } => {
                if len > 0 {
                    bytes[at % len] ^= mask;
                }
            }
            Mutation::Truncate { at } => bytes.truncate(at % (len + 1)),
            Mutation::DuplicateLine { line, times } => {
                let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
                if lines.is_empty() {
                    continue;
                }
                let pick = line % lines.len();
                let mut out = Vec::with_capacity(len + lines[pick].len() * times);
                for (i, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    if i == pick {
                        for _ in 0..*times {
                            out.extend_from_slice(l);
                        }
                    }
                }
                bytes = out;
            }
            Mutation::DeleteRange { at, len: n } => {
                let start = at % (len + 1);
                let end = (start + n).min(len);
                bytes.drain(start..end);
            }
            Mutation::Insert { at, bytes: ins } => {
                let at = at % (len + 1);
                bytes.splice(at..at, ins.iter().copied());
            }
        }
    }
    bytes
}

/// What every successfully parsed page must satisfy, whatever the input was.
fn check_page(page: &Page) {
    assert!(!page.title.is_empty());
    assert!(
        ["UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252"].contains(&page.encoding.as_str()),
        "{}",
        page.encoding
    );
    for (i, c) in page.comments.iter().enumerate() {
        assert_eq!(c.id, i + 1);
        assert!(c.parent.is_none_or(|p| p < c.id));
        assert!(c.thread <= c.id && c.thread >= 1);
    }
}

fn check_parse(bytes: &[u8]) {
    match parse_bytes("x", "x.txt", bytes, site()) {
        Ok(page) => check_page(&page),
        Err(e) => assert!(!e.reason.is_empty()),
    }
}

/// Tokens lie on char boundaries, in order, without overlap, and only whitespace falls between.
fn check_tokens(text: &str) {
    let tokens = tokenize(text);
    let mut pos = 0;
    for t in &tokens {
        assert!(t.start >= pos && t.end > t.start, "{t:?} in {text:?}");
        assert_eq!(text.get(t.start..t.end), Some(t.surface), "{text:?}");
        let gap = &text[pos..t.start];
        assert!(
            gap.chars()
                .all(|c| c != '\n' && (c.is_whitespace() || stimmung::text::is_invisible(c))),
            "dropped {gap:?} in {text:?}"
        );
        pos = t.end;
    }
}

fn check_dialect(text: &str) {
    let text = nfc(text);
    let mut tokens = tokenize(&text);
    let words = tokens
        .iter()
        .filter(|t| t.kind == stimmung::text::TokenKind::Word)
        .count();
    let report = dialect().apply(&mut tokens);
    assert!((0.0..=1.0).contains(&report.share));
    assert_eq!(report.word_tokens, words);
    assert!(report.dialect_tokens <= words);
    let _ = render_normalized(&text, &tokens);
}

fn check_tone(text: &str) {
    let r = analyzer().score(text);
    assert!(
        (-1.0..=1.0).contains(&r.tone),
        "tone {} for {text:?}",
        r.tone
    );
    for share in [r.pos, r.neg, r.neu, r.incivility, r.dialect_share] {
        assert!((0.0..=1.0).contains(&share), "share {share} for {text:?}");
    }
    assert!((r.pos + r.neg + r.neu - 1.0).abs() < 1e-9, "{text:?}");
}

fn check_tsv(bytes: &[u8]) {
    for required in [&[][..], &["term"][..], &["dialect", "standard", "kind"][..]] {
        if let Ok(file) = TsvFile::parse(Path::new("x.tsv"), bytes, required) {
            for rec in &file.records {
                for col in &file.header {
                    let _ = file.get(rec, col);
                    let _ = file.number(rec, col, -1.0..=1.0);
                }
            }
        }
    }
}

/// Pieces the tokenizer, the dialect mapper and the parser branch on.
fn piece_text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "@",
        "#",
        "@N.G.",
        "#fail",
        "http://",
        "HTTPS://x.y/",
        "www.",
        ":-)",
        ";",
        "xD",
        "<3",
        "-",
        "'",
        "\u{2019}",
        "„",
        "…",
        "€",
        "😉",
        "\u{200D}",
        "\u{FE0F}",
        "\u{1F3FD}",
        "\u{0308}",
        "\u{00AD}",
        "\u{FEFF}",
        "o",
        "I",
        "i",
        "is",
        "des",
        "net",
        "ischs",
        "do",
        "the",
        "ÜBEL",
        "ß",
        "ǅ",
        "İ",
        ".",
        " ",
        "\n",
        "\t",
        "42",
        "nicht",
        "gut",
        "schlecht",
        "sehr",
        "kein",
        "aber",
        "!!!",
        "?!",
        "Idiot",
        "😡",
        "„gut“",
    ];
    let pieces = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn parse_bytes_never_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..2000)
    ) {
        check_parse(&bytes);
    }

    #[test]
    fn parse_bytes_never_panics_on_mutated_seeds(
        seed in 0usize..16,
        mutations in proptest::collection::vec(mutation(), 1..8),
    ) {
        let seeds = seeds();
        let bytes = apply(seeds[seed % seeds.len()].clone(), &mutations);
        check_parse(&bytes);
    }

    #[test]
    fn tokens_cover_arbitrary_strings(text in "\\PC{0,300}") {
        check_tokens(&text);
    }

    #[test]
    fn tokens_cover_stitched_strings(text in piece_text()) {
        check_tokens(&text);
        check_tokens(&nfc(&text));
    }

    #[test]
    fn dialect_apply_never_panics(text in prop_oneof![piece_text(), "\\PC{0,300}"]) {
        check_dialect(&text);
    }

    #[test]
    fn tone_stays_in_range(text in prop_oneof![piece_text(), "\\PC{0,300}"]) {
        check_tone(&text);
    }

    #[test]
    fn tsv_parse_never_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..1000)
    ) {
        check_tsv(&bytes);
    }

    #[test]
    fn tsv_parse_never_panics_on_mutated_lexicons(
        file in 0usize..64,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let files = lexicon_files();
        check_tsv(&apply(files[file % files.len()].clone(), &mutations));
    }
}

/// Contrast markers used to compound (1.5 per "aber" for every later term), so 1,800 of them
/// overflowed to an infinite raw score and a NaN tone, and at 1,000 the square in `normalise`
/// overflowed and a clearly positive text scored 0. Now each term takes the weight of its
/// nearest governing marker only.
#[test]
fn tone_stays_finite_with_many_contrast_markers() {
    for k in [100, 1_000, 1_800] {
        let text = format!("{}gut", "aber ".repeat(k));
        check_tone(&text);
        assert!(analyzer().score(&text).tone > 0.0, "aber x{k} gut");
    }
    // Intensifiers chain on purpose ("sehr sehr gut"); thousands must not overflow either.
    for text in [
        format!("{}gut", "sehr ".repeat(3_000)),
        format!("{}kein Krieg", "sehr ".repeat(3_000)),
    ] {
        check_tone(&text);
    }
}
