#!/usr/bin/env python3
"""Imports the German polarity lexicon shipped in the PyPI package textblob-de
(textblob_de/data/de-sentiment.xml; polarity values from Klenner et al. 2010, XML by Markus
Killer; Apache-2.0 per the XML header, the package itself is MIT) into lexicons/polarity.tsv.

Everything in polarity.tsv above the marker line is hand-written and kept as is; everything
below it is regenerated. A form that already has a hand-written entry is skipped, so our own
entries always win. Forms with polarity 0 are dropped (they carry no tone and would only block
compound-head inheritance). Weights are scaled by SCALE onto stimmung's -1 … +1 scale, where
±1 is reserved for the most extreme words. Forms that differ only in case (noun "Arm" and
adjective "arm") are merged; when their weights differ the adjective's (lower-case) wins,
because comment writers seldom capitalise.

Usage: scripts/import_textblob_de.py path/to/de-sentiment.xml [lexicons/polarity.tsv]
"""
import sys
import unicodedata
import xml.etree.ElementTree as ET

MARKER = "# ---- imported from textblob-de by scripts/import_textblob_de.py; edit above this line ----"
SCALE = 0.35


def key(term):
    return unicodedata.normalize("NFC", term).strip().lower()


def main():
    xml_path = sys.argv[1]
    out_path = sys.argv[2] if len(sys.argv) > 2 else "lexicons/polarity.tsv"
    with open(out_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if MARKER in lines:
        lines = lines[: lines.index(MARKER)]
    while lines and lines[-1] == "":
        lines.pop()
    header = None
    own = set()
    for line in lines:
        if not line.strip() or line.lstrip().startswith("# ") or line.strip() == "#":
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        own.add(key(fields[0]))

    imported = {}
    for w in ET.parse(xml_path).getroot().iter("word"):
        form = w.get("form", "")
        pol = float(w.get("polarity", "0"))
        k = key(form)
        if pol == 0 or not k or " " in k or "*" in k or k.startswith("-") or k in own:
            continue
        pos = {"NN": "NN", "JJ": "ADJ", "VB": "V", "RB": "ADV"}.get(w.get("pos"), "")
        weight = round(pol * SCALE, 2)
        prev = imported.get(k)
        if prev is not None and prev[0] != weight and form[:1].isupper():
            continue
        imported[k] = (weight, pos, form)

    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n" + MARKER + "\n")
        for k in sorted(imported):
            weight, pos, form = imported[k]
            f.write(f"{k}\t{weight:.2f}\t{pos}\t\ttextblob-de\n")
    print(f"{len(imported)} entries imported, {len(own)} hand-written kept", file=sys.stderr)


if __name__ == "__main__":
    main()
