#!/usr/bin/env bash
# One-command benchmark: stimmung vs. its peers on the same corpus, in the same run.
#
#   bench/run.sh [--build-corpus] [--n N] [--pages-n N] [--repeat K]
#                [--no-peers] [--with-textblob-de] [--no-analyze] [--spark]
#   STIMMUNG=/path/to/stimmung bench/run.sh ...   benchmark that binary, skip the release build
#
# Steps: (1) build the corpora under $STIMMUNG_BENCH_DIR (default /tmp/stimmung-bench) unless
# they exist: N comments (default 100,000) for `score` and the peers, and PAGES_N comments
# (default 1,000,000) packed 100 per page (10,000 pages) for `analyze`; (2) install the peers
# into the scratch dir; (3) `cargo build --release`; (4) `stimmung score` single-threaded and the
# peers on the N-comment corpus, then a table; (5) `stimmung analyze` on the page folder with 1
# and 2 threads: throughput, speed-up, byte-identity of the CSVs, peak RSS; (6) with --spark,
# `score --jsonl` piped through pyspark (local mode) compared with the direct run.
# Any step that fails is reported and the run goes on with the rest.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
S="${STIMMUNG_BENCH_DIR:-/tmp/stimmung-bench}"
export STIMMUNG_BENCH_DIR="$S"
N=100000
PAGES_N=1000000
REPEAT=3
BUILD_CORPUS=0
PEERS=1
TEXTBLOB=0
ANALYZE=1
SPARK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --build-corpus) BUILD_CORPUS=1 ;;
        --n) N="$2"; shift ;;
        --pages-n) PAGES_N="$2"; shift ;;
        --repeat) REPEAT="$2"; shift ;;
        --no-peers) PEERS=0 ;;
        --with-textblob-de) TEXTBLOB=1 ;;
        --no-analyze) ANALYZE=0 ;;
        --spark) SPARK=1 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

CORPUS="$S/c$N"
PAGES_CORPUS="$S/c$PAGES_N"
PAGES="$PAGES_CORPUS/pages"
RES="$S/results"
mkdir -p "$RES"
ROWS="$RES/score_rows.tsv"
: > "$ROWS"
# STIMMUNG=/path/to/binary benchmarks that binary instead of building the repo's release one.
STIMMUNG_BIN="${STIMMUNG:-}"
STIMMUNG="${STIMMUNG_BIN:-$REPO/target/release/stimmung}"
case "$STIMMUNG" in /*) ;; *) STIMMUNG="$PWD/$STIMMUNG" ;; esac  # Spark workers need an absolute path
PYV="$S/venv-peers/bin/python"

say() { printf '\n== %s\n' "$*"; }

# Runs "$@" with stdin from $IN and stdout to $OUT; sets WALL (s) and RSS_MB. Succeeds on exit 0
# and on exit 1 (stimmung's "some inputs skipped", reported), fails otherwise.
timed() {
    local t0 t1 rc
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$RES/time.txt" "$@" < "$IN" > "$OUT" 2> "$RES/stderr.txt"
    rc=$?
    t1=$(date +%s.%N)
    WALL=$(printf '%.3f' "$(echo "$t1 - $t0" | bc -l)")
    if [ $rc = 1 ]; then
        echo "note: exit 1 (some inputs skipped):"; head -3 "$RES/stderr.txt"; rc=0
    fi
    RSS_MB=$(awk -F: '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$RES/time.txt")
    return $rc
}

# tool, n, timed seconds, comments/s, note, whole-process seconds (start-up, load, reading, scoring)
add_row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" >> "$ROWS"; }

# ---------------------------------------------------------------- machine
say "machine"
echo "cores: $(nproc)  cpu: $(lscpu | sed -n 's/^Model name: *//p')  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rustc: $(rustc --version 2>/dev/null)  python: $(python3 --version 2>&1)"

# ---------------------------------------------------------------- corpora
say "corpora in $S"
if [ "$BUILD_CORPUS" = 1 ] || [ ! -s "$CORPUS/comments.txt" ]; then
    python3 "$HERE/make_corpus.py" --n "$N" --out "$CORPUS" > /dev/null || echo "corpus build FAILED"
fi
if [ "$ANALYZE" = 1 ] && { [ "$BUILD_CORPUS" = 1 ] || [ ! -d "$PAGES" ]; }; then
    python3 "$HERE/make_corpus.py" --n "$PAGES_N" --out "$PAGES_CORPUS" --pages "$PAGES" --per-page 100 \
        > /dev/null || echo "page corpus build FAILED"
fi
stats() { tr -d '\n' < "$1/corpus_stats.json" 2>/dev/null; echo; }
stats "$CORPUS"
[ "$ANALYZE" = 1 ] && stats "$PAGES_CORPUS"

# ---------------------------------------------------------------- peers
if [ "$PEERS" = 1 ]; then
    say "peers (install into $S)"
    if [ "$TEXTBLOB" = 1 ]; then "$HERE/peers/install.sh" --with-textblob-de; else "$HERE/peers/install.sh"; fi \
        || echo "peer install FAILED (see above); running what is installed"
fi

# ---------------------------------------------------------------- stimmung build
build_stimmung() {
    if [ -n "$STIMMUNG_BIN" ]; then
        say "using STIMMUNG=$STIMMUNG_BIN (no build)"
    else
        say "cargo build --release"
        (cd "$REPO" && cargo build --release --quiet)
    fi
}
if build_stimmung && [ -x "$STIMMUNG" ]; then
    HAVE_STIMMUNG=1
else
    echo "no usable stimmung binary ($STIMMUNG: build failed or missing); continuing with the peers"
    HAVE_STIMMUNG=0
fi
has_flag() { "$STIMMUNG" "$1" --help 2>/dev/null | grep -q -- "$2"; }

# ---------------------------------------------------------------- score
STIMMUNG_CPS=""
if [ "$HAVE_STIMMUNG" = 1 ]; then
    if "$STIMMUNG" score --help >/dev/null 2>&1; then
        THREADS_FLAG=()
        has_flag score --threads && THREADS_FLAG=(--threads 1)
        for mode in plain jsonl; do
            if [ "$mode" = plain ]; then
                IN="$CORPUS/comments.txt"; OUT="$RES/score.csv"; args=(score "${THREADS_FLAG[@]}")
                label="stimmung score"
            else
                IN="$CORPUS/comments.jsonl"; OUT="$RES/score.jsonl"; args=(score --jsonl "${THREADS_FLAG[@]}")
                label="stimmung score --jsonl"
            fi
            say "$label (RAYON_NUM_THREADS=1 ${THREADS_FLAG[*]}), best of $REPEAT"
            best=""; rss=""
            for _ in $(seq "$REPEAT"); do
                if RAYON_NUM_THREADS=1 timed "$STIMMUNG" "${args[@]}"; then
                    if [ -z "$best" ] || [ "$(echo "$WALL < $best" | bc -l)" = 1 ]; then best=$WALL; fi
                    rss=$RSS_MB
                else
                    echo "$label FAILED (exit $?):"; head -5 "$RES/stderr.txt"; best=""; break
                fi
            done
            if [ -n "$best" ]; then
                cps=$(echo "$N / $best" | bc -l)
                echo "wall ${best}s  $(printf '%.0f' "$cps") comments/s  peak RSS ${rss} MB  output lines $(wc -l < "$OUT")"
                add_row "$label" "$N" "$best" "$cps" "end-to-end process, RSS ${rss} MB" "$best"
                [ "$mode" = plain ] && STIMMUNG_CPS=$cps
            fi
        done
        if [ "$ANALYZE" = 1 ] && [ -s "$PAGES_CORPUS/comments.txt" ]; then
            say "stimmung score on $PAGES_N comments (memory bound check)"
            IN="$PAGES_CORPUS/comments.txt"; OUT="$RES/score_big.csv"
            if RAYON_NUM_THREADS=1 timed "$STIMMUNG" score "${THREADS_FLAG[@]}"; then
                echo "wall ${WALL}s  $(printf '%.0f' "$(echo "$PAGES_N / $WALL" | bc -l)") comments/s  peak RSS ${RSS_MB} MB"
            else
                echo "FAILED"; head -5 "$RES/stderr.txt"
            fi
        fi
    else
        echo "stimmung has no 'score' subcommand yet; skipping it"
    fi
fi

# ---------------------------------------------------------------- peers: run
run_peer() {  # label, command...
    local label="$1"; shift
    say "$label"
    local line t0 t1 wall
    t0=$(date +%s.%N)
    line=$("$@" 2>"$RES/stderr.txt" | grep '^RESULT') || { echo "$label FAILED:"; tail -5 "$RES/stderr.txt"; return; }
    t1=$(date +%s.%N)
    wall=$(echo "$t1 - $t0" | bc -l)
    echo "$line  process_s=$(printf '%.3f' "$wall")"
    local n secs load
    n=$(sed -n 's/.* comments=\([0-9]*\).*/\1/p' <<< "$line")
    secs=$(sed -n 's/.* score_s=\([0-9.]*\).*/\1/p' <<< "$line")
    load=$(sed -n 's/.* load_s=\([0-9.]*\).*/\1/p' <<< "$line")
    add_row "$label" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "scoring loop only, load ${load}s" "$wall"
}
# stimmung timed as the peers are (scoring loop only), so that this ratio compares like with like.
if [ "$HAVE_STIMMUNG" = 1 ] && [ -z "$STIMMUNG_BIN" ]; then
    (cd "$REPO" && cargo build --release --quiet --example score_loop) &&
        run_peer "stimmung scoring loop" "$REPO/target/release/examples/score_loop" "$CORPUS/comments.txt"
fi
if [ "$PEERS" = 1 ]; then
    run_peer "gersent 0.0.6 (PyPI)" "$PYV" "$HERE/peers/score_python.py" --peer gersent "$CORPUS/comments.txt"
    # Built first, so that its process time does not include cargo's freshness check.
    "$HERE/peers/vader_rs.sh" --build-only > /dev/null &&
        run_peer "vader_sentiment 0.1.1 (crates.io)" bash -c 'exec "$1" < "$2"' _ \
            "$S/vader_rs/target/release/vader-rs-bench" "$CORPUS/comments.txt"
    run_peer "vaderSentiment 3.3.2 (PyPI)" "$PYV" "$HERE/peers/score_python.py" --peer vaderSentiment "$CORPUS/comments.txt"
    if [ "$TEXTBLOB" = 1 ]; then
        run_peer "textblob-de 0.4.3 (PyPI, 2,000 comments)" "$PYV" "$HERE/peers/score_python.py" \
            --peer textblob-de --limit 2000 "$CORPUS/comments.txt"
    fi
fi

# ---------------------------------------------------------------- table
say "score: single thread, $N comments ($(nproc) cores, $(date -u +%Y-%m-%d))"
awk -F'\t' -v ref="${STIMMUNG_CPS:-0}" '
    BEGIN { printf "| %-40s | %9s | %8s | %12s | %14s | %s | %s\n", "tool", "comments", "seconds", "comments/s", "stimmung is", "timed", "whole process: s, comments/s"
            printf "|%s|%s|%s|%s|%s|%s|%s\n", "------------------------------------------", "----------:", "---------:", "-------------:", "---------------:", "---", "---" }
    { ratio = ($1 ~ /^stimmung/) ? "—" : (ref > 0) ? sprintf("%.1f×", ref / $4) : "n/a"
      printf "| %-40s | %9d | %8.3f | %12.0f | %14s | %s | %.3f, %.0f\n", $1, $2, $3, $4, ratio, $5, $6, $2 / $6 }' "$ROWS"
if [ -n "$STIMMUNG_CPS" ]; then
    # The issue's bar: >= 10x the faster of gersent and vader_sentiment.
    awk -F'\t' -v ref="$STIMMUNG_CPS" '$1 ~ /^(gersent|vader_sentiment) / && $4 > best { best = $4; who = $1 }
        END { if (best > 0) printf "stimmung score vs the faster of gersent / vader_sentiment (%s): %.1f× (bar: 10×)\n", who, ref / best }' "$ROWS"
    awk -F'\t' '$1 ~ /^(gersent|vader_sentiment) / && $4 > best { best = $4; who = $1 }
        $1 == "stimmung scoring loop" { loop = $4 }
        END { if (best > 0 && loop > 0) printf "stimmung scoring loop vs the same peer, both timed over the loop only: %.1f×\n", loop / best }' "$ROWS"
    awk -F'\t' -v ref="$STIMMUNG_CPS" '$1 ~ /^(gersent|vader_sentiment) / && $2 / $6 > best { best = $2 / $6; who = $1 }
        END { if (best > 0) printf "stimmung score vs the faster of gersent / vader_sentiment, both timed as whole processes (%s): %.1f×\n", who, ref / best }' "$ROWS"
else
    echo "(no stimmung figure: ratios not available)"
fi

# ---------------------------------------------------------------- analyze
if [ "$ANALYZE" = 1 ] && [ "$HAVE_STIMMUNG" = 1 ]; then
    if ! "$STIMMUNG" analyze --help >/dev/null 2>&1; then
        echo; echo "stimmung has no 'analyze' subcommand yet; skipping it"
    elif [ ! -d "$PAGES" ]; then
        echo; echo "no page folder $PAGES; skipping analyze"
    else
        extra=()
        has_flag analyze --no-charts && extra+=(--no-charts)
        has_flag analyze --quiet && extra+=(--quiet)
        pages=$(find "$PAGES" -name '*.txt' | wc -l)
        declare -A A_WALL A_RSS A_OK
        for t in 1 2; do
            tflag=()
            has_flag analyze --threads && tflag=(--threads "$t")
            say "stimmung analyze, $t thread(s): $pages pages, $PAGES_N comments ${extra[*]} ${tflag[*]}"
            rm -rf "$RES/analyze_t$t"
            IN=/dev/null; OUT="$RES/analyze_t$t.stdout"
            if RAYON_NUM_THREADS=$t timed "$STIMMUNG" analyze "$PAGES" --out "$RES/analyze_t$t" "${extra[@]}" "${tflag[@]}"; then
                A_OK[$t]=1
            else
                A_OK[$t]=0; echo "analyze FAILED (exit status above 0):"; head -5 "$RES/stderr.txt"
            fi
            A_WALL[$t]=$WALL; A_RSS[$t]=$RSS_MB
            echo "wall ${WALL}s  $(printf '%.0f' "$(echo "$PAGES_N / $WALL" | bc -l)") comments/s  peak RSS ${RSS_MB} MB"
        done
        if [ "${A_OK[1]}" = 1 ] && [ "${A_OK[2]}" = 1 ]; then
            say "analyze: 1 vs 2 threads"
            same=yes
            for f in "$RES/analyze_t1"/*.csv; do
                if cmp -s "$f" "$RES/analyze_t2/$(basename "$f")"; then
                    echo "cmp $(basename "$f"): identical"
                else
                    echo "cmp $(basename "$f"): DIFFERENT"; same=no
                fi
            done
            ls "$RES/analyze_t1"/*.csv >/dev/null 2>&1 || { echo "no CSV written"; same=no; }
            printf '| threads | seconds | comments/s | peak RSS MB |\n|---:|---:|---:|---:|\n'
            for t in 1 2; do
                printf '| %s | %.2f | %.0f | %s |\n' "$t" "${A_WALL[$t]}" "$(echo "$PAGES_N / ${A_WALL[$t]}" | bc -l)" "${A_RSS[$t]}"
            done
            echo "speed-up 2 vs 1 thread: $(printf '%.2f' "$(echo "${A_WALL[1]} / ${A_WALL[2]}" | bc -l)")×  byte-identical CSVs: $same"
        fi
    fi
fi

# ---------------------------------------------------------------- spark
if [ "$SPARK" = 1 ]; then
    say "spark: sc.textFile(comments.jsonl).pipe(\"stimmung score --jsonl\") vs direct"
    if [ "$HAVE_STIMMUNG" = 1 ] && "$HERE/spark/setup.sh"; then
        "$S/venv-spark/bin/python" "$HERE/spark/run_spark.py" --input "$CORPUS/comments.jsonl" \
            --cmd "$STIMMUNG score --jsonl" 2> "$RES/spark.stderr" || echo "spark check FAILED (see $RES/spark.stderr)"
    else
        echo "spark check skipped (no stimmung binary or pyspark setup failed)"
    fi
fi
echo; echo "results and outputs: $RES"
