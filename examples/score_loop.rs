//! Times stimmung's scoring loop the way `bench/peers` times the peers: lexicon load and
//! reading the corpus are reported apart as load time, and only the loop over the texts
//! (`Scorer::score_into`, nothing written) is timed. `bench/run.sh` prints it next to the
//! end-to-end `stimmung score` figure, so that the ratio to the peers compares like with like.
//!
//!     cargo run --release --example score_loop -- comments.txt
//!
//! Prints one line: `RESULT tool=stimmung-loop comments=… load_s=… score_s=… cps=… checksum=…`.

use std::time::Instant;

use stimmung::cmd::LexiconArgs;
use stimmung::tone::{Analyzer, ToneResult};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: score_loop COMMENTS.txt (one text per line)")?;
    let t0 = Instant::now();
    let analyzer = Analyzer::load(&LexiconArgs::default())?;
    let corpus = std::fs::read_to_string(&path)?;
    let lines: Vec<&str> = corpus.lines().collect();
    let load_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let mut scorer = analyzer.scorer();
    let mut result = ToneResult::default();
    // The checksum proves every text was scored, as the peers' harness does.
    let mut checksum = 0.0;
    for line in &lines {
        scorer.score_into(line, &mut result);
        checksum += result.tone;
    }
    let score_s = t1.elapsed().as_secs_f64();
    let n = lines.len();
    println!(
        "RESULT tool=stimmung-loop comments={n} load_s={load_s:.3} score_s={score_s:.3} cps={:.0} checksum={checksum:.4}",
        n as f64 / score_s
    );
    Ok(())
}
