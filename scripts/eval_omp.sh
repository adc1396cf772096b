#!/usr/bin/env bash
# Evaluates tone labels on the One Million Posts development split (Der Standard comments,
# CC BY-NC-SA 4.0, kept outside the repository in ../shared). Each post's text is its headline (if
# any) and body, joined by a line break. The split keeps line breaks as the two characters \n,
# which `stimmung eval` reads back as line breaks.
#
# usage: scripts/eval_omp.sh [all|even|odd] [extra `stimmung eval` options, e.g. --show-errors]
#   even / odd: only rows whose id_post is even / odd (tune on one half, check on the other).
# env: OMP (path to omp_sentiment_dev.tsv), STIMMUNG (binary; default: cargo run --release).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
omp="${OMP:-$here/../shared/data/omp_sentiment/omp_sentiment_dev.tsv}"
split="${1:-all}"
shift || true
case "$split" in all|even|odd) ;; *) echo "usage: $0 [all|even|odd] [eval options]" >&2; exit 2 ;; esac
[ -f "$omp" ] || { echo "$0: $omp not found (set OMP=...)" >&2; exit 2; }
gold="$(mktemp "${TMPDIR:-/tmp}/omp_gold.XXXXXX.tsv")"
trap 'rm -f "$gold"' EXIT
awk -F'\t' -v part="$split" '
  NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print "label\ttext"; next }
  {
    id = $col["id_post"]
    if (part == "even" && id % 2 != 0) next
    if (part == "odd" && id % 2 == 0) next
    # The annotators saw headline and body together; a post may have only a headline.
    body = $col["body"]
    head = $col["headline"]
    if (head !~ /^[[:space:]]*$/) body = (body ~ /^[[:space:]]*$/) ? head : head "\\n" body
    # A body that starts with "#" plus a blank would read as a TSV comment line.
    if (body ~ /^[[:space:]]*#([[:space:]]|#|$)/) body = " " body
    if (body ~ /^[[:space:]]*$/) next
    print $col["label"] "\t" body
  }' "$omp" > "$gold"
if [ -n "${STIMMUNG:-}" ]; then
  "$STIMMUNG" eval "$gold" "$@"
else
  cargo run --quiet --release --manifest-path "$here/Cargo.toml" -- eval "$gold" "$@"
fi
