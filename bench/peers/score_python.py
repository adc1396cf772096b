#!/usr/bin/env python3
"""Scores comments.txt with one Python peer, single-threaded, and prints one RESULT line.

Only the scoring loop is timed; importing the package, building its analyser (lexicon load,
forced by one warm-up call) and reading the file are reported separately as load time.
The checksum (sum of the peer's overall score) proves every line was really scored.

Run it with the peers venv's python (see install.sh):
    $VENV/bin/python score_python.py --peer gersent comments.txt
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings


def make_gersent():
    # gersent 0.0.6 compares strings with `is`, which newer Pythons warn about at import.
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    from gersent import GerSent

    analyser = GerSent()
    return lambda text: analyser.sentiment(text)["composite"]


def make_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()
    return lambda text: analyser.polarity_scores(text)["compound"]


def make_textblob_de():
    # TextBlobDE(text).sentiment delegates to PatternAnalyzer, but TextBlobDE hands it an NLTK
    # punkt tokenizer whose data only comes from the NLTK hub, which the project machines cannot
    # reach; so the analyser runs here with its own default PatternTokenizer.
    from textblob_de.sentiments import PatternAnalyzer

    analyser = PatternAnalyzer()
    return lambda text: analyser.analyze(text).polarity


PEERS = {
    "gersent": make_gersent,
    "vaderSentiment": make_vader,
    "textblob-de": make_textblob_de,
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peer", required=True, choices=sorted(PEERS))
    ap.add_argument("--limit", type=int, help="score only the first N lines")
    ap.add_argument("corpus", help="comments.txt, one comment per line")
    args = ap.parse_args()

    t0 = time.perf_counter()
    score = PEERS[args.peer]()
    score("Das ist gut.")
    with open(args.corpus, encoding="utf-8", newline="\n") as fh:
        lines = [line.rstrip("\n") for line in fh]
    if args.limit:
        lines = lines[: args.limit]
    load_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    checksum = 0.0
    for line in lines:
        checksum += score(line)
    score_s = time.perf_counter() - t1

    n = len(lines)
    print(f"RESULT tool={args.peer} comments={n} load_s={load_s:.3f} score_s={score_s:.3f} "
          f"cps={n / score_s:.0f} checksum={checksum:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
