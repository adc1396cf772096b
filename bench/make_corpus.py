#!/usr/bin/env python3
"""Builds the benchmark corpus: N reader comments as text lines, JSON lines and wpDiscuz pages.

The comments are drawn from the real labelled Der Standard comments (omp_sentiment, body column)
and the South Tyrolean / Bavarian sentences of xSID, lightly perturbed so that no two lines are
identical. Generation is sequential and driven by one seeded RNG, so the same --seed gives the
same bytes, and the first K comments of a larger corpus equal a K-comment corpus.

The source data is CC BY-NC-SA (omp) and CC BY-SA (xSID): the corpus is a local benchmark
artefact, written to a scratch directory, never committed or shipped.

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent / "shared"
OMP_TSV = Path("data/omp_sentiment/omp_sentiment_dev.tsv")
XSID_TSV = Path("data/xsid_dialects/xsid_de_dialects_valid.tsv")

EMOJIS = ["😉", "🤗", "😁", "👉", "😂", "🙄", "👍", "😡", "🤔", "❤️", "😅", "🙈", ":)", ":-(", ";-)"]
RANKS = ["Superredner", "Universalgelehrter", "Kinig", "Grünschnabel"]
AGENCIES = ["APA", "APA/dpa", "APA/Reuters/dpa", "ansa", "mk", "ste", "sn", "APA/AFP", "dpa"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
NICK_HEADS = ["Speedy", "Blitz", "hundeseele", "schlaumaier", "Look_at", "Sosonadann", "Bergfex",
              "Vinschger", "Pusterer", "Wipptaler", "Etschtaler", "Kasnocke", "Speckbrot",
              "Almrausch", "Goenne", "Querdenker", "Realist", "Bauer", "Luis", "Seppl", "N. G."]
NICK_TAILS = ["", "", "", "_1", "77", "2024", " G.", "_BZ", "123", "X", "_meran", " von Brixen"]

SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
BLANK_LINES = re.compile(r"\n\s*\n")


def load_sources(shared: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """Returns (omp bodies, omp headlines, dialect sentences, standard German sentences)."""
    bodies: list[str] = []
    headlines: list[str] = []
    with open(shared / OMP_TSV, encoding="utf-8", newline="") as fh:
        # QUOTE_NONE: bodies and headlines contain bare double quotes that are text, not CSV quoting.
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            body = clean(row["body"])
            if body:
                bodies.append(body)
            head = clean(row["headline"]).replace("\n", " ").strip(' "')
            if len(head) >= 12:
                headlines.append(head)
    dialect: list[str] = []
    standard: list[str] = []
    with open(shared / XSID_TSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            for col in ("de_st", "de_ba"):
                s = clean(row[col])
                if s:
                    dialect.append(s)
            s = clean(row["de"])
            if s:
                standard.append(s)
    if not bodies or not dialect:
        sys.exit(f"make_corpus: no usable rows in {shared}")
    return bodies, headlines, dialect, standard


def clean(field: str) -> str:
    """Decodes the TSV's literal \\n escapes and strips carriage returns and tabs."""
    text = field.replace("\\n", "\n").replace("\r", "").replace("\t", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def perturb(text: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        sentences = SENTENCE_SPLIT.split(text)
        if len(sentences) > 1:
            rng.shuffle(sentences)
            text = " ".join(sentences)
    words = text.split(" ")
    if len(words) > 3:
        roll = rng.random()
        i = rng.randrange(len(words))
        if roll < 0.25:
            del words[i]
        elif roll < 0.5:
            words.insert(i, words[i])
        elif roll < 0.75:
            w = words[i]
            words[i] = w.upper() if not w.isupper() else w.lower()
    text = " ".join(words)
    if rng.random() < 0.35:
        text = f"{text} {rng.choice(EMOJIS)}"
    return text


class Generator:
    """Sequential comment source whose running mean length tracks the target."""

    def __init__(self, seed: int, target_mean: float, shared: Path):
        self.rng = random.Random(seed)
        self.bodies, self.headlines, self.dialect, self.standard = load_sources(shared)
        self.target = target_mean
        self.total_chars = 0
        self.count = 0
        self.seen: set[bytes] = set()

    def dialect_sentence(self) -> str:
        return self.rng.choice(self.dialect)

    def next(self) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            # Comments written wholly in dialect, as on South Tyrolean news sites.
            text = " ".join(self.dialect_sentence() for _ in range(rng.randint(1, 5)))
        else:
            text = rng.choice(self.bodies)
        text = perturb(text, rng)
        # Steer the running mean towards the target by adding dialect sentences to short draws.
        deficit = self.target * (self.count + 1) - (self.total_chars + len(text))
        added = 0
        while deficit > 30 and added < 4 and rng.random() < 0.8:
            extra = self.dialect_sentence()
            text = f"{extra} {text}" if rng.random() < 0.5 else f"{text} {extra}"
            deficit -= len(extra) + 1
            added += 1
        while True:
            # Keyed on the one-line form, so that comments.txt has no repeated line either.
            key = hashlib.blake2b(text.replace("\n", " ").encode("utf-8"), digest_size=12).digest()
            if key not in self.seen:
                break
            text = f"{text} {rng.choice(EMOJIS)}" if rng.random() < 0.5 else \
                f"{text} {self.dialect_sentence()}"
        self.seen.add(key)
        self.count += 1
        self.total_chars += len(text)
        return text


def page_text(page_no: int, comments: list[str], gen: Generator, rng: random.Random) -> str:
    """One page in the plain-text wpDiscuz layout of seeds/003_*.txt."""
    title = rng.choice(gen.headlines)
    headline = rng.choice(gen.headlines)
    when = dt.datetime(2024, 1, 1, 6, 0) + dt.timedelta(minutes=53 * page_no)
    date_line = (f"{WEEKDAYS[when.weekday()]}, {when.day:02d}. {MONTHS[when.month - 1]} {when.year}"
                 f" | {when.hour:02d}:{when.minute:02d} Uhr")
    out = [title, "", headline, "", date_line, "", f"Von: {rng.choice(AGENCIES)}", ""]
    for _ in range(rng.randint(3, 6)):
        out.append(" ".join(rng.choice(gen.standard) for _ in range(rng.randint(4, 9))))
        out.append("")
    out += ["Kommentare", "", "Hinterlasse einen Kommentar", "",
            f"{len(comments)} Kommentare auf \"{headline}\"", "", "",
            "Sortiert nach: \u00a0 neuste | älteste | Relevanz"]
    for text in comments:
        author = rng.choice(NICK_HEADS) + rng.choice(NICK_TAILS)
        if rng.random() < 0.85:
            age = f"{rng.randint(1, 23)} h {rng.randint(1, 59)} Min"
        else:
            age = f"{rng.randint(1, 59)} Min {rng.randint(1, 59)} Sek"
        # A blank line ends a comment in this layout, so paragraphs inside one are joined.
        body = BLANK_LINES.sub("\n", text)
        out += [author, author, rng.choice(RANKS), age, "", body, ""]
    return "\n".join(out) + "\nwpDiscuz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="number of comments (default 100000)")
    ap.add_argument("--seed", type=int, default=20241203)
    ap.add_argument("--mean-chars", type=float, default=249.0, help="target mean comment length")
    ap.add_argument("--out", type=Path, default=Path("/tmp/stimmung-bench"),
                    help="directory for comments.txt and comments.jsonl")
    ap.add_argument("--pages", type=Path, help="also write wpDiscuz page files into this directory")
    ap.add_argument("--per-page", type=int, default=100, help="comments per page (default 100)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="path of ../shared")
    args = ap.parse_args()
    if args.n < 1 or args.per_page < 1:
        ap.error("--n and --per-page must be positive")

    gen = Generator(args.seed, args.mean_chars, args.shared)
    page_rng = random.Random(args.seed ^ 0x5A5A)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.pages:
        args.pages.mkdir(parents=True, exist_ok=True)
        for old in args.pages.glob("*.txt"):
            old.unlink()

    total_bytes = 0
    pages_written = 0
    batch: list[str] = []
    with open(args.out / "comments.txt", "w", encoding="utf-8", newline="\n") as txt, \
            open(args.out / "comments.jsonl", "w", encoding="utf-8", newline="\n") as jl:
        for i in range(args.n):
            text = gen.next()
            line = text.replace("\n", " ")
            txt.write(line + "\n")
            total_bytes += len(line.encode("utf-8"))
            page = i // args.per_page
            jl.write(json.dumps({"id": i + 1, "page": page, "text": text}, ensure_ascii=False) + "\n")
            if args.pages:
                batch.append(text)
                if len(batch) == args.per_page or i == args.n - 1:
                    body = page_text(page, batch, gen, page_rng)
                    digest = hashlib.blake2b(body.encode("utf-8"), digest_size=8).hexdigest()
                    (args.pages / f"{page:05d}_{digest}.txt").write_text(body, encoding="utf-8")
                    pages_written += 1
                    batch = []

    stats = {
        "comments": gen.count,
        "mean_chars": round(gen.total_chars / gen.count, 1),
        "mean_bytes_txt": round(total_bytes / gen.count, 1),
        "seed": args.seed,
        "out": str(args.out),
        "pages": pages_written,
    }
    (args.out / "corpus_stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
