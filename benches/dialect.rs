//! Micro-benchmarks for dialect detection and mapping on a standard and a dialect comment.

use std::path::Path;

use divan::{black_box, Bencher};
use stimmung::dialect::DialectLexicon;
use stimmung::text::{nfc, tokenize};

const STANDARD: &str =
    "Die Ukraine wird diesen Krieg verlieren und das weiß der NATO-Generalsekretär auch. \
    Die Einladung zur Nato wird Verhandlungspunkt bei der Beilegung des Kriegs werden. Wird Putin \
    nicht akzeptieren, davon kannst du ausgehen.";
const DIALECT: &str =
    "Herrlich, frei mi schun dor den Screenshot unter die nos zu reiben wenn Trump an \
    feuchten Fichten tian werd um Putins Macht in dor Region zu stärken und de dor USA zu mindern… \
    Mol i glab lei uan wianiger wia Trump und sel bisch du… 😉";

fn main() {
    divan::main();
}

fn sample(name: &str) -> &'static str {
    if name == "dialect" {
        DIALECT
    } else {
        STANDARD
    }
}

fn lexicon() -> DialectLexicon {
    DialectLexicon::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons"))
        .expect("bundled dialect lexicon loads")
}

/// `apply` alone: tokens are made afresh for each run outside the timed part.
#[divan::bench(args = ["standard", "dialect"])]
fn apply(bencher: Bencher, name: &str) {
    let lex = lexicon();
    bencher
        .with_inputs(|| tokenize(sample(name)))
        .bench_local_refs(|tokens| lex.apply(black_box(tokens)).dialect_tokens);
}

/// Tokenising plus `apply`, the way every comment goes through it.
#[divan::bench(args = ["standard", "dialect"])]
fn tokenize_and_apply(bencher: Bencher, name: &str) {
    let lex = lexicon();
    bencher.bench_local(|| {
        let text = nfc(black_box(sample(name)));
        let mut tokens = tokenize(&text);
        lex.apply(&mut tokens).dialect_tokens
    });
}
