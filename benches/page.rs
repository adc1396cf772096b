//! Micro-benchmarks for page parsing: seed 003 (13 comments) and a page of 100 comments built
//! from it, so that behaviour that grows faster than the page shows up.

use std::fmt::Write as _;
use std::path::Path;

use divan::{black_box, Bencher};
use stimmung::page::{parse_text, SiteConventions};

const SEED_003: &str = include_str!("../seeds/003_37f2beed3ee40e28.txt");

fn main() {
    divan::main();
}

fn site() -> SiteConventions {
    SiteConventions::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons"))
        .expect("bundled site conventions load")
}

/// Seed 003's article followed by `n` comments whose bodies cycle through the seed's comments,
/// with distinct authors, every third one mentioning the previous author.
fn page_with(n: usize, site: &SiteConventions) -> String {
    let seed = parse_text("003", "003.txt", SEED_003, site);
    let cut = SEED_003
        .find("Kommentare auf")
        .and_then(|i| SEED_003[..i].rfind('\n'))
        .expect("seed 003 has a comment count line");
    let mut page = SEED_003[..cut + 1].to_string();
    let _ = writeln!(
        page,
        "{n} Kommentare auf \"Generiert\"\n\nSortiert nach:   neuste | älteste | Relevanz"
    );
    for i in 0..n {
        let body = &seed.comments[i % seed.comments.len()].text;
        let mention = if i % 3 == 2 {
            format!("@Leser {} ", i - 1)
        } else {
            String::new()
        };
        let _ = write!(
            page,
            "Leser {i}\nLeser {i}\nSuperredner\n{} h {} Min\n\n{mention}{body}\n\n",
            (n - i) / 6,
            (n - i) % 60
        );
    }
    page.push_str("wpDiscuz\n");
    page
}

#[divan::bench]
fn parse_seed_003(bencher: Bencher) {
    let site = site();
    bencher.bench_local(|| {
        parse_text("003", "003.txt", black_box(SEED_003), &site)
            .comments
            .len()
    });
}

#[divan::bench]
fn parse_100_comments(bencher: Bencher) {
    let site = site();
    let page = page_with(100, &site);
    assert_eq!(
        parse_text("gen", "gen.txt", &page, &site).comments.len(),
        100
    );
    bencher.bench_local(|| {
        parse_text("gen", "gen.txt", black_box(&page), &site)
            .comments
            .len()
    });
}
