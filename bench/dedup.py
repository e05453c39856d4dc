"""Dedup benchmark: our dedup core vs bib-dedupe on the labelled sets, plus scale runs.

    python bench/dedup.py                    # every labelled set, ours and bib-dedupe
    python bench/dedup.py --no-bib-dedupe    # ours only
    python bench/dedup.py --sets sra-stroke --scale 10000,100000,1000000
    python bench/dedup.py --sets "" --skewed 100000   # worst-case key distribution

Each tool runs on each set in a fresh child process, so "peak MB" is that process's peak
RSS (loading the set included); "seconds" times only the dedup call, not the loading.
Scoring is pairwise: every pair of records inside one predicted group is a predicted
duplicate pair. The EndNote libraries (beller-*) flag set membership only, so they are
scored per record (flagged records found in a group). Thresholds were tuned on
``TUNING`` (sra-stroke, colrev-digital-work); the other sets are held out. "barred"
counts gold pairs that the must-never rules forbid merging automatically (an erratum,
comment or reply with its article, two different DOIs): no rule-abiding tool finds them.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import time
from itertools import combinations
from pathlib import Path
from typing import Any

# Run against this checkout even when another clone is the installed ``screener``.
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from dedup_data import SETS, TUNING, LabelledSet, synthetic_set  # noqa: E402

from screener.dedup import find_duplicates, match_keys  # noqa: E402
from screener.dedup.scoring import Verdict, compare  # noqa: E402


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for g in groups:
        out.update(combinations(sorted(g), 2))
    return out


def score(labelled: LabelledSet, groups: list[list[int]]) -> dict[str, Any]:
    if labelled.gold_groups is not None:
        gold, found = pairs_of(labelled.gold_groups), pairs_of(groups)
        hit = len(gold & found)
        return {"gold": len(gold), "found": len(found),
                "precision": hit / len(found) if found else 1.0,
                "recall": hit / len(gold) if gold else 1.0}
    grouped = {i for g in groups for i in g}
    hit = len(grouped & labelled.flagged)
    return {"gold": len(labelled.flagged), "found": len(grouped), "unit": "records",
            "precision": hit / len(grouped) if grouped else 1.0,
            "recall": hit / len(labelled.flagged) if labelled.flagged else 1.0}


def barred_gold_pairs(labelled: LabelledSet) -> int | None:
    """Gold pairs our must-never rules forbid merging automatically (erratum vs article,
    comment vs article, different DOIs, a reference-list entry and its paper)."""
    if labelled.gold_groups is None:
        return None
    keys = {item.id: match_keys(item) for item in labelled.items}
    barred = 0
    for a, b in pairs_of(labelled.gold_groups):
        pair = compare(keys[a], keys[b])
        if pair.verdict is Verdict.NEVER or pair.rule == "different-doi":
            barred += 1
    return barred


def run_ours(labelled: LabelledSet) -> tuple[list[list[int]], float, int | None]:
    start, cpu = time.perf_counter(), time.process_time()
    result = find_duplicates(labelled.items)
    CPU_SECONDS.append(time.process_time() - cpu)
    return result.groups, time.perf_counter() - start, result.candidates


CPU_SECONDS: list[float] = []
"""CPU time of the dedup call: on a shared machine wall time also counts the others' work."""


def run_bib_dedupe(labelled: LabelledSet) -> tuple[list[list[int]], float, int | None]:
    import logging

    import pandas as pd
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    logging.disable(logging.WARNING)
    df = pd.DataFrame(labelled.rows)
    for col in ("ID", "ENTRYTYPE", "title", "author", "year", "journal", "booktitle", "volume",
                "number", "pages", "doi", "abstract"):
        if col not in df.columns:
            df[col] = ""
    df = df.fillna("")
    index = {row["ID"]: item.id for row, item in zip(labelled.rows, labelled.items, strict=True)}
    start = time.perf_counter()
    records = prep(df, verbosity_level=0, cpu=2)
    pairs = block(records, verbosity_level=0, cpu=2)
    matched = match(pairs, verbosity_level=0, cpu=2)
    sets = cluster(matched, verbosity_level=0)
    elapsed = time.perf_counter() - start
    return [[index[i] for i in s] for s in sets], elapsed, None


def _child(tool: str, name: str, n: int, queue: Any) -> None:
    labelled = (synthetic_set(n) if name == "synthetic" else synthetic_set(n, skewed=True)
                if name == "skewed" else SETS[name]())
    if tool != "ours":  # bib-dedupe prints its progress; the child's output is not needed
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    groups, seconds, candidates = (run_ours if tool == "ours" else run_bib_dedupe)(labelled)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = score(labelled, groups)
    result.update(records=len(labelled.items), seconds=seconds, peak_mb=peak)
    result["candidates"] = candidates
    result["cpu"] = CPU_SECONDS[-1] if CPU_SECONDS else None
    if tool == "ours" and name not in ("synthetic", "skewed"):
        result["barred"] = barred_gold_pairs(labelled)
    queue.put(result)


def measure(tool: str, name: str, n: int = 0) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(tool, name, n, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


def row(name: str, tool: str, r: dict[str, Any]) -> str:
    p, rc = r["precision"], r["recall"]
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    unit = " (records)" if r.get("unit") else ""
    barred = "" if r.get("barred") is None else str(r["barred"])
    pairs = "" if r.get("candidates") is None else f"{r['candidates']:,}"
    cpu = "" if r.get("cpu") is None else f"{r['cpu']:.2f}"
    return (f"{name:<24} {tool:<10} {r['records']:>8} {r['gold']:>8} {p:>7.3f} {rc:>7.3f} "
            f"{f1:>7.3f} {r['seconds']:>8.2f} {cpu:>7} {r['peak_mb']:>8.0f} {barred:>7} "
            f"{pairs:>11}{unit}")


HEADER = (f"{'set':<24} {'tool':<10} {'records':>8} {'gold':>8} {'prec':>7} {'recall':>7} "
          f"{'F1':>7} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'barred':>7} {'pairs':>11}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--no-bib-dedupe", action="store_true")
    parser.add_argument("--only-bib-dedupe", action="store_true", help="skip our runs")
    parser.add_argument("--scale", default="", help="synthetic sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--skewed", default="", help="sizes of the skewed synthetic set (8 "
                        "surnames, a 60-word title vocabulary, 10 years), e.g. 100000")
    args = parser.parse_args()
    names = [s for s in args.sets.split(",") if s]
    print(f"tuned on: {', '.join(TUNING)}; held out: every other set")
    print(HEADER)
    ours = {} if args.only_bib_dedupe else {name: measure("ours", name) for name in names}
    for name, result in ours.items():
        print(row(name + (" *" if name in TUNING else ""), "screener", result), flush=True)
    if not args.no_bib_dedupe:
        for name in names:
            r = measure("bib-dedupe", name)
            print(row(name, "bib-dedupe", r), flush=True)
            if name in ours:
                speed = r["seconds"] / max(ours[name]["seconds"], 1e-9)
                print(f"{'':<24} {'':<10} screener is {speed:.0f}x faster", flush=True)
    for size in [int(s) for s in args.scale.split(",") if s]:
        print(row(f"synthetic-{size}", "screener", measure("ours", "synthetic", size)), flush=True)
    for size in [int(s) for s in args.skewed.split(",") if s]:
        print(row(f"skewed-{size}", "screener", measure("ours", "skewed", size)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
