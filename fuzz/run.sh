#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, two at a time, on the stable toolchain
# (RUSTC_BOOTSTRAP lets cargo-fuzz use the nightly-only sanitizer flags). Seed corpora are
# built from seeds/ and lexicons/ on the first run; crashes land in fuzz/artifacts/<target>/.
# Usage: fuzz/run.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse_page tone tokenize dialect tsv)
export RUSTC_BOOTSTRAP=1

mkdir -p corpus/parse_page corpus/text corpus/tsv
if [ -z "$(ls -A corpus/parse_page)" ]; then
    cp ../seeds/*.txt corpus/parse_page/
    python3 - <<'PY'
import glob, hashlib
for f in glob.glob('../seeds/*.txt'):
    for para in open(f, encoding='utf-8').read().split('\n\n'):
        if para.strip():
            b = para.encode()[:4000]
            open('corpus/text/' + hashlib.sha1(b).hexdigest()[:16], 'wb').write(b)
for f in glob.glob('../lexicons/**/*.tsv', recursive=True):
    b = open(f, 'rb').read()[:8000]
    open('corpus/tsv/' + hashlib.sha1(b).hexdigest()[:16], 'wb').write(b)
PY
fi

corpus_of() {
    case "$1" in
        parse_page) echo parse_page ;;
        tsv) echo tsv ;;
        *) echo text ;;
    esac
}
max_len_of() {
    case "$1" in
        parse_page) echo 65536 ;;
        *) echo 8192 ;;
    esac
}

cargo fuzz build -O
pids=()
for t in "${targets[@]}"; do
    # Each target gets its own working copy of the shared seed corpus.
    mkdir -p "corpus/run-$t"
    cp -n "corpus/$(corpus_of "$t")"/* "corpus/run-$t/" 2>/dev/null || true
    cargo fuzz run -O "$t" "corpus/run-$t" -- -max_total_time="$secs" \
        -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        > "fuzz-$t.log" 2>&1 &
    pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then
        wait "${pids[0]}" || echo "a target stopped early: see fuzz/fuzz-*.log"
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || echo "a target failed: see fuzz/fuzz-*.log"; done
grep -H -E "stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|Done" fuzz-*.log || true
