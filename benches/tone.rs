//! Micro-benchmarks for tone scoring: one lexicon look-up (hit, compound head, inflected form,
//! miss), and scoring a standard and a dialect comment: `Analyzer::score` (one text, cold word
//! cache) and `Scorer::score` (warm word cache, as `stimmung score` and `analyze` run it).

use std::path::{Path, PathBuf};

use divan::{black_box, Bencher};
use stimmung::cmd::LexiconArgs;
use stimmung::lexicon::{ToneLexicons, WordLookup};
use stimmung::tone::Analyzer;

const STANDARD: &str =
    "Die Ukraine wird diesen Krieg verlieren und das weiß der NATO-Generalsekretär auch. \
    Rutte, Scholz und Biden haben der Einladung deutlich ne Absage erteilt. Kann jemand erklären, \
    warum sie das nicht wollen? Das ist nicht gut, aber auch keine Katastrophe!";
const DIALECT: &str =
    "Herrlich, frei mi schun dor den Screenshot unter die nos zu reiben wenn Trump an \
    feuchten Fichten tian werd um Putins Macht in dor Region zu stärken und de dor USA zu mindern… \
    Mol i glab lei uan wianiger wia Trump und sel bisch du… 😉";

fn main() {
    divan::main();
}

fn lexicon_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons")
}

/// A look-up the way the scorer makes it for every word, with the bundled rules' settings.
#[divan::bench(args = ["gut", "kriegstreiber", "schlechten", "verhandlungstisch", "und"])]
fn polarity_lookup(bencher: Bencher, word: &str) {
    let lex = ToneLexicons::load(&lexicon_dir(), &[] as &[PathBuf]).expect("lexicons load");
    let r = &lex.rules;
    let opts = WordLookup {
        min_head_chars: stimmung::lexicon::Rules::window(r.compound_min_head_chars),
        min_modifier_chars: stimmung::lexicon::Rules::window(r.compound_min_modifier_chars),
        umlaut_fallback: r.umlaut_fallback >= 0.5,
        min_stem_chars: stimmung::lexicon::Rules::window(r.inflection_min_stem_chars),
    };
    bencher.bench_local(|| {
        lex.polarity
            .lookup_word(black_box(word), &opts, &lex.inflections, |p| p.noun)
            .is_some()
    });
}

#[divan::bench(args = ["standard", "dialect"])]
fn analyzer_score(bencher: Bencher, name: &str) {
    let analyzer = Analyzer::load(&LexiconArgs {
        lexicons: Some(lexicon_dir()),
        overlay: Vec::new(),
    })
    .expect("lexicons load");
    let text = if name == "dialect" { DIALECT } else { STANDARD };
    bencher.bench_local(|| analyzer.score(black_box(text)).tone);
}

#[divan::bench(args = ["standard", "dialect"])]
fn scorer_score(bencher: Bencher, name: &str) {
    let analyzer = Analyzer::load(&LexiconArgs {
        lexicons: Some(lexicon_dir()),
        overlay: Vec::new(),
    })
    .expect("lexicons load");
    let text = if name == "dialect" { DIALECT } else { STANDARD };
    let mut scorer = analyzer.scorer();
    bencher.bench_local(|| scorer.score(black_box(text)).tone);
}
