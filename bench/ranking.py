"""Replay benchmark: screener simulate against ASReview LAB's simulate, same sets and seeds.

    python bench/ranking.py                          # every set, seeds 1..2
    python bench/ranking.py --seeds 5 --sets 'cohen2006_A*'
    python bench/ranking.py --asreview /work/asreview-venv/bin/asreview

Every labelled set in ../shared/screening-benchmarks/ is replayed by both tools in the same
run: ``screener simulate FILE --seeds N --json --stop-recall 0.95`` and, per seed,
``asreview simulate FILE --n-prior-included 1 --n-prior-excluded 1 --prior-seed S --seed S``
(ASReview LAB 3.x, default model ELAS u4, installed in its own venv, never a project
dependency). Both reading orders are scored by the same functions
(``screener.ranking.replay.measures``), so the figures are comparable: loss, WSS@95,
records read to reach 95 % recall, wall seconds per run, and for screener's stopping
rule (recall target 0.95, confidence 0.95) the recall reached and records read when it
fired. Per-run results are written as JSON lines to --out as they come, so a long run
can be watched. The stopping rule ran on every set; the model settings were checked
on cohen2006_Antihistamines, cohen2006_Estrogens and cohen2006_UrinaryIncontinence only.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from screener.ranking.replay import measures, read_labelled, recall_at  # noqa: E402

SETS = ROOT.parent / "shared" / "screening-benchmarks"
ASREVIEW = Path("/work/asreview-venv/bin/asreview")
STOP_RECALL = 0.95


def asreview_order(exe: Path, csv: Path, seed: int, work: Path) -> tuple[list[int], float]:
    """ASReview's reading order (0-based data rows, priors first) and its wall time."""
    out = work / f"{csv.stem}-{seed}.asreview"
    start = time.perf_counter()
    subprocess.run(
        [str(exe), "simulate", str(csv), "--n-prior-included", "1", "--n-prior-excluded", "1",
         "--prior-seed", str(seed), "--seed", str(seed), "-o", str(out)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work,
    )
    seconds = time.perf_counter() - start
    with zipfile.ZipFile(out) as z:
        z.extract("results.db", work / f"{csv.stem}-{seed}")
    db = sqlite3.connect(work / f"{csv.stem}-{seed}" / "results.db")
    try:
        rows = db.execute(
            "SELECT rec.dataset_row FROM results res JOIN record rec "
            "ON rec.record_id = res.record_id ORDER BY res.rowid"
        ).fetchall()
    finally:
        db.close()
    out.unlink()
    return [int(r[0]) for r in rows], seconds


def screener_runs(csv: Path, seeds: int) -> tuple[list[dict[str, Any]], float]:
    """screener simulate's runs (through the real command) and wall seconds per run."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "screener", "simulate", str(csv), "--seeds", str(seeds),
         "--stop-recall", str(STOP_RECALL), "--json"],
        check=True, capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = (time.perf_counter() - start) / seeds
    runs: list[dict[str, Any]] = json.loads(done.stdout)["runs"]
    return runs, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--only-seed", type=int, default=None,
                        help="run just this one of the seeds (to split a run over processes)")
    parser.add_argument("--sets", default="*", help="glob on the set file names")
    parser.add_argument("--asreview", type=Path, default=ASREVIEW)
    parser.add_argument("--data", type=Path, default=SETS, help="folder of labelled CSVs")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ranking-bench.jsonl")
    parser.add_argument("--skip-asreview", action="store_true")
    parser.add_argument("--table-from", type=Path, nargs="+", default=None, metavar="JSONL",
                        help="only print the table from --out files of earlier runs")
    args = parser.parse_args()
    if args.table_from:
        table_from(args.table_from)
        return 0
    files = sorted(p for p in args.data.glob("*.csv") if fnmatch.fnmatch(p.name, args.sets))
    if not files:
        print(f"no labelled sets in {args.data}", file=sys.stderr)
        return 1
    rows: list[dict[str, Any]] = []
    args.out.write_text("")
    with tempfile.TemporaryDirectory() as tmp:
        for csv in files:
            labels = read_labelled(csv).labels
            ours, our_seconds = screener_runs(csv, args.seeds)
            wanted = [args.only_seed] if args.only_seed else list(range(1, args.seeds + 1))
            for run in (r for r in ours if r["seed"] in wanted):
                m = measures(run["order"], labels)
                stop = run["stopped_at"]
                row = {"set": csv.stem, "tool": "screener", "seed": run["seed"], **m,
                       "seconds": our_seconds, "stopped_at": stop, "records": len(labels),
                       "stop_recall": recall_at(run["order"], labels, stop) if stop else None}
                rows.append(row)
                with args.out.open("a") as f:
                    f.write(json.dumps(row) + "\n")
            if args.skip_asreview:
                continue
            for seed in wanted:
                order, seconds = asreview_order(args.asreview, csv, seed, Path(tmp))
                row = {"set": csv.stem, "tool": "asreview", "seed": seed,
                       **measures(order, labels), "seconds": seconds, "records": len(labels)}
                rows.append(row)
                with args.out.open("a") as f:
                    f.write(json.dumps(row) + "\n")
            print(f"... {csv.stem} done", file=sys.stderr, flush=True)
    print_table(rows, len({r["seed"] for r in rows}))
    return 0


def table_from(paths: list[Path]) -> None:
    """Print the table from --out files of runs split over processes."""
    rows = [json.loads(line) for p in paths for line in p.read_text().splitlines() if line]
    print_table(rows, len({r["seed"] for r in rows}))


def _mean(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.mean(r[key] for r in rows)


def print_table(rows: list[dict[str, Any]], seeds: int) -> None:
    """Per set: loss / WSS@95 / records to 95 % / seconds for both tools, then the rule."""
    print(f"seeds per set: {seeds}; stopping rule: recall {STOP_RECALL}, confidence 0.95")
    print("| set | records | screener loss | ASReview loss | screener WSS@95 | ASReview WSS@95 "
          "| screener to 95% | ASReview to 95% | screener s | ASReview s "
          "| stop: recall | stop: read |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    sets = sorted({r["set"] for r in rows})
    for name in sets + ["mean"]:
        ours = [r for r in rows if r["tool"] == "screener" and (name == "mean" or r["set"] == name)]
        theirs = [r for r in rows if r["tool"] == "asreview" and (name == "mean" or r["set"] == name)]
        fired = [r for r in ours if r["stopped_at"] is not None]
        def fmt(group: list[dict[str, Any]], key: str, spec: str) -> str:
            return format(_mean(group, key), spec) if group else "–"
        stop_recall = fmt(fired, "stop_recall", ".3f") if fired else "never"
        stop_read = (f"{_mean(fired, 'stopped_at'):.0f} ({_mean([{'x': r['stopped_at'] / r['records']} for r in fired], 'x'):.0%})"
                     if fired else "–")
        records = "" if name == "mean" else str(ours[0]["records"] if ours else theirs[0]["records"])
        print(f"| {name} | {records} | {fmt(ours, 'loss', '.3f')} | {fmt(theirs, 'loss', '.3f')} "
              f"| {fmt(ours, 'wss95', '.3f')} | {fmt(theirs, 'wss95', '.3f')} "
              f"| {fmt(ours, 'records_to_95', '.0f')} | {fmt(theirs, 'records_to_95', '.0f')} "
              f"| {fmt(ours, 'seconds', '.1f')} | {fmt(theirs, 'seconds', '.1f')} "
              f"| {stop_recall} | {stop_read} |")
    ours = [r for r in rows if r["tool"] == "screener"]
    reached = sum(1 for r in ours if r["stopped_at"] is not None and r["stop_recall"] >= STOP_RECALL)
    saved = [1 - r["stopped_at"] / r["records"] if r["stopped_at"] is not None else 0.0 for r in ours]
    if ours:
        print(f"stopping rule reached recall {STOP_RECALL} in {reached}/{len(ours)} runs "
              f"({reached / len(ours):.0%}); mean work saved {statistics.mean(saved):.1%} "
              "(a run where it never fired saves 0)")


if __name__ == "__main__":
    sys.exit(main())
