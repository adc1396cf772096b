#!/usr/bin/env python3
"""Runs `stimmung score --jsonl` as the map step of Apache Spark (local mode) and checks it.

    sc.textFile(comments.jsonl).pipe("<stimmung> score --jsonl").collect()

is compared with `<stimmung> score --jsonl < comments.jsonl` run directly: the two outputs must
hold the same lines, and the same order once both are sorted by "id". Prints OK or DIFF (with
the first differing id) and exits 0 or 1.

Run with the venv from setup.sh:
    $STIMMUNG_BENCH_DIR/venv-spark/bin/python bench/spark/run_spark.py \
        --input /tmp/stimmung-bench/c100000/comments.jsonl --cmd "target/release/stimmung score --jsonl"
--cmd is split like a shell word list and must name an executable every Spark worker can reach
(local mode: an absolute path on this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time


def by_id(lines: list[str], origin: str) -> dict[object, str]:
    keyed: dict[object, str] = {}
    for n, line in enumerate(lines, 1):
        try:
            key = json.loads(line)["id"]
        except (ValueError, KeyError, TypeError) as err:
            sys.exit(f"{origin}: line {n} is not a JSON object with an id ({err}): {line[:120]!r}")
        if key in keyed:
            sys.exit(f"{origin}: id {key!r} appears twice")
        keyed[key] = line
    return keyed


def sort_key(key: object) -> tuple[int, object]:
    # Ids may be numbers or strings; numbers sort numerically and before strings.
    return (0, key) if isinstance(key, (int, float)) else (1, str(key))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="comments.jsonl")
    ap.add_argument("--cmd", required=True, help='scorer command, e.g. "/abs/stimmung score --jsonl"')
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=4, help="minimum input partitions")
    args = ap.parse_args()

    argv = shlex.split(args.cmd)
    t0 = time.perf_counter()
    with open(args.input, "rb") as fh:
        direct = subprocess.run(argv, stdin=fh, capture_output=True, check=False)
    direct_s = time.perf_counter() - t0
    if direct.returncode not in (0, 1):
        sys.exit(f"direct run failed with exit {direct.returncode}: {direct.stderr.decode()[:500]}")
    direct_lines = direct.stdout.decode("utf-8").splitlines()

    # Local mode stays on the loopback interface: no traffic to any other address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark import SparkConf, SparkContext

    conf = (SparkConf().setMaster(args.master).setAppName("stimmung-score-pipe")
            .set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        t1 = time.perf_counter()
        rdd = sc.textFile(os.path.abspath(args.input), minPartitions=args.partitions)
        partitions = rdd.getNumPartitions()
        # checkCode: a scorer that exits non-zero fails the Spark job instead of losing lines.
        spark_lines = rdd.pipe(args.cmd, checkCode=True).collect()
        spark_s = time.perf_counter() - t1
    finally:
        sc.stop()

    with open(args.input, encoding="utf-8") as fh:
        n_input = sum(1 for line in fh if line.strip())
    print(f"input lines {n_input}; direct: {len(direct_lines)} lines in {direct_s:.2f}s; "
          f"spark ({args.master}, {partitions} partitions): {len(spark_lines)} lines in {spark_s:.2f}s")

    d, s = by_id(direct_lines, "direct"), by_id(spark_lines, "spark")
    ids = sorted(d, key=sort_key)
    if sorted(s, key=sort_key) != ids:
        missing = set(d) - set(s)
        extra = set(s) - set(d)
        print(f"DIFF: ids differ ({len(missing)} only in direct, {len(extra)} only in spark)")
        return 1
    for key in ids:
        if d[key] != s[key]:
            at = next((i for i, (x, y) in enumerate(zip(d[key], s[key])) if x != y),
                      min(len(d[key]), len(s[key])))
            lo = max(0, at - 40)
            print(f"DIFF at id {key!r}, char {at}:\n  direct: …{d[key][lo:at + 80]}\n"
                  f"  spark:  …{s[key][lo:at + 80]}")
            return 1
    in_order = spark_lines == direct_lines
    print(f"OK: {len(ids)} lines identical after sorting by id "
          f"(spark output {'also' if in_order else 'not'} in input order)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
