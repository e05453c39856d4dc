"""Concurrency benchmark: N reviewer processes record decisions at the same time.

    python bench/concurrency.py                        # both backends, N = 2, 8, 32
    python bench/concurrency.py --backend sqlite --reviewers 2,8 --decisions 20
    python bench/concurrency.py --url postgresql://me@host/db   # an existing, empty database

Each reviewer is a process of its own with its own connection, as on separate machines:
it opens the project, then (all starting together) records ``--decisions`` decisions
through ``ScreeningSession.decide`` (the path the screening screen and ``screener decide``
take: committed before it returns) on the works of the shared queue. Prints per backend
and N: decisions per second (all reviewers together), the median and p95 latency of one
decision, and lost or failed writes: failed = a decision that raised, lost = a decision
acknowledged to its reviewer but not in the database afterwards. Without ``--url`` the
PostgreSQL runs use a throwaway server started like the tests' (tests/pg_server.py), but
durable (fsync and synchronous commit on, as in production).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run against this checkout even when another clone is the installed ``screener``.
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from screener.models import Choice, Method, ParsedRecord, Record, Stage  # noqa: E402
from screener.project import Project, find_project, init_project  # noqa: E402
from screener.screening import ScreeningSession  # noqa: E402

PROTOCOL = ROOT / "protocols" / "interorganizational-health-partnerships.toml"
TA = Stage.TITLE_ABSTRACT


@dataclass
class Result:
    backend: str
    reviewers: int
    decisions: int
    seconds: float
    latencies: list[float]
    failed: int
    lost: int


def build(folder: Path, works: int, database: str | None) -> Project:
    project = init_project(folder, title="Concurrency bench", protocol=PROTOCOL, database=database)
    store = project.open_store()
    try:
        with store.transaction():
            file_id = store.add_source_file(path="bench.ris", sha256=f"bench-{works}",
                                            format="ris", source="Bench", method=Method.DATABASE)
            store.add_records(file_id, Method.DATABASE, (
                ParsedRecord(record=Record(title=f"Partnership study {i}", year=2000 + i % 25,
                                           abstract=f"Collaboration between organizations {i}."),
                             index=i, line=i + 1, raw="")
                for i in range(works)
            ))
    finally:
        store.close()
    return project


def reviewer(root: str, database: str | None, name: str, count: int, barrier: Any,
             out: Any) -> None:
    """One reviewer process: connect, wait for the others, decide ``count`` works."""
    project = find_project(root, database=database)
    store = project.open_store()
    session = ScreeningSession.open(project, store, name, TA)
    latencies: list[float] = []
    acknowledged: list[int] = []
    failed = 0
    choices = [Choice.INCLUDE, Choice.EXCLUDE, Choice.MAYBE]
    barrier.wait()
    for i, work_id in enumerate(session.order[:count]):
        start = time.perf_counter()
        try:
            session.decide(choices[i % 3], work_id=work_id)
        except Exception as exc:  # a failed write is what this bench counts
            failed += 1
            sys.stderr.write(f"{name}: {type(exc).__name__}: {exc}\n")
            continue
        latencies.append(time.perf_counter() - start)
        acknowledged.append(work_id)
    store.close()
    out.put((name, latencies, acknowledged, failed))


def run(project: Project, database: str | None, n: int, count: int) -> Result:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(n + 1)
    out = ctx.Queue()
    names = [f"r{i:02d}" for i in range(n)]
    procs = [ctx.Process(target=reviewer, args=(str(project.root), database, name, count,
                                                barrier, out)) for name in names]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    reports = [out.get(timeout=600) for _ in procs]
    seconds = time.perf_counter() - start
    for p in procs:
        p.join()
    store = find_project(project.root, database=database).open_store()
    try:
        lost = 0
        for name, _, acknowledged, _ in reports:
            stored = store.current_choices(TA, name)
            lost += sum(1 for w in acknowledged if w not in stored)
    finally:
        store.close()
    latencies = [x for r in reports for x in r[1]]
    return Result(project.database.backend, n, len(latencies), seconds, latencies,
                  sum(r[3] for r in reports), lost)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reviewers", default="2,8,32", help="comma-separated N values")
    parser.add_argument("--decisions", type=int, default=25, help="decisions per reviewer")
    parser.add_argument("--url", default=None, help="PostgreSQL database to use (empty)")
    args = parser.parse_args()
    counts = [int(x) for x in args.reviewers.split(",")]
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    server = None
    print(f"{'backend':<11} {'N':>3} {'decisions':>9} {'dec/s':>8} {'median ms':>9} "
          f"{'p95 ms':>8} {'failed':>6} {'lost':>5}")
    try:
        for backend in backends:
            for n in counts:
                database: str | None = None
                if backend == "postgresql":
                    if args.url:
                        database = args.url
                    else:
                        if server is None:
                            from pg_server import start_server

                            server = start_server(durable=True)
                            import os

                            os.environ["PGPASSWORD"] = server.password
                        database = server.fresh_schema_url()
                with tempfile.TemporaryDirectory() as tmp:
                    project = build(Path(tmp) / "review", max(200, args.decisions), database)
                    r = run(project, database, n, args.decisions)
                lat = [x * 1000 for x in r.latencies]
                median = statistics.median(lat) if lat else 0.0
                print(f"{r.backend:<11} {r.reviewers:>3} {r.decisions:>9} "
                      f"{r.decisions / r.seconds:>8.0f} {median:>9.1f} {p95(lat):>8.1f} "
                      f"{r.failed:>6} {r.lost:>5}", flush=True)
                if args.url:
                    break
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
