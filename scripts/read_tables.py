"""Reads stimmung's tables into pandas with explicit column types, so that a column that happens
to be empty in one run (posted_at without --crawled-at, warnings) still gets its proper type.

Usage: python3 scripts/read_tables.py [output-folder]
"""
import sys

import pandas as pd

out = sys.argv[1] if len(sys.argv) > 1 else "output"
text = "string"
articles = pd.read_csv(f"{out}/articles.csv", dtype={
    "subtitle": text, "published": text, "byline": text, "warnings": text,
    "declared_comments": "Int64"})
comments = pd.read_csv(f"{out}/comments.csv", dtype={
    "parent_id": "Int64", "rank": text, "posted_at": text, "mentions": text,
    "incivility_categories": text, "irony": text})
threads = pd.read_csv(f"{out}/threads.csv")
for name, df in [("articles", articles), ("comments", comments), ("threads", threads)]:
    print(name, df.shape)
    print(df.dtypes.to_string(), end="\n\n")
