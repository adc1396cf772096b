//! Micro-benchmarks for the first stage of every analysis: NFC normalisation and tokenisation.

use divan::black_box;
use stimmung::text::{nfc, tokenize};

const STANDARD: &str =
    "Die Ukraine wird diesen Krieg verlieren und das weiß der NATO-Generalsekretär auch. \
    Rutte, Scholz und Biden haben der Einladung deutlich ne Absage erteilt. Kann jemand erklären, \
    warum sie das nicht wollen? Ergo, Verhandlungen! 😉 :-) https://example.org/a";
const ASCII_LOWER: &str =
    "das ist doch alles nur ein schlechter witz, wer glaubt denn so etwas noch? \
    die regierung hat wieder einmal versagt und niemand will die verantwortung dafuer uebernehmen.";
const DECOMPOSED: &str = "Scho\u{0308}n, dass die U\u{0308}bersicht so gro\u{00DF} ist. Ma\u{0308}nner und Fra\u{0308}uen.";

fn main() {
    divan::main();
}

fn sample(name: &str) -> &'static str {
    match name {
        "ascii_lower" => ASCII_LOWER,
        "decomposed" => DECOMPOSED,
        _ => STANDARD,
    }
}

#[divan::bench(args = ["standard", "ascii_lower", "decomposed"])]
fn nfc_only(name: &str) -> usize {
    nfc(black_box(sample(name))).len()
}

#[divan::bench(args = ["standard", "ascii_lower", "decomposed"])]
fn nfc_and_tokenize(name: &str) -> usize {
    let text = nfc(black_box(sample(name)));
    tokenize(&text).len()
}
