#!/usr/bin/env bash
# Scores comments.txt with the crates.io Rust port vader_sentiment 0.1.1, single-threaded.
# The crate that drives it is generated into the scratch dir at run time, so nothing of the
# peer is vendored in the repo. Usage:
#   vader_rs.sh comments.txt     build (if needed) and print one RESULT line
#   vader_rs.sh --build-only     only build
set -euo pipefail
SCRATCH="${STIMMUNG_BENCH_DIR:-/tmp/stimmung-bench}"
CRATE="$SCRATCH/vader_rs"
mkdir -p "$CRATE/src"

cat > "$CRATE/Cargo.toml" <<'TOML'
[package]
name = "vader-rs-bench"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
vader_sentiment = "=0.1.1"

[profile.release]
codegen-units = 1
lto = "thin"

[workspace]
TOML

cat > "$CRATE/src/main.rs" <<'RUST'
//! Times vader_sentiment 0.1.1 on stdin lines: load (lexicons, forced by one warm-up call,
//! plus reading stdin) and scoring are timed separately; prints one RESULT line.
use std::io::Read;
use std::time::Instant;

fn main() {
    let t0 = Instant::now();
    let analyzer = vader_sentiment::SentimentIntensityAnalyzer::new();
    analyzer.polarity_scores("This is good.");
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("stdin must be UTF-8");
    let lines: Vec<&str> = input.lines().collect();
    let load_s = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let mut checksum = 0.0f64;
    for line in &lines {
        let scores = analyzer.polarity_scores(line);
        checksum += scores.get("compound").copied().unwrap_or(0.0);
    }
    let score_s = t1.elapsed().as_secs_f64();
    let n = lines.len();
    println!(
        "RESULT tool=vader_sentiment-rs comments={n} load_s={load_s:.3} score_s={score_s:.3} cps={:.0} checksum={checksum:.4}",
        n as f64 / score_s
    );
}
RUST

# Own target dir: must not share (or lock) the project's target/.
export CARGO_TARGET_DIR="$CRATE/target"
cargo build --release --quiet --manifest-path "$CRATE/Cargo.toml"
BIN="$CARGO_TARGET_DIR/release/vader-rs-bench"
if [ "${1:-}" = "--build-only" ]; then
    echo "built $BIN"
    exit 0
fi
exec "$BIN" < "${1:?usage: vader_rs.sh comments.txt}"
