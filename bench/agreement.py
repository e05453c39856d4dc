"""Agreement and conflicts benchmark: two reviewers' decisions on many works.

    python bench/agreement.py                 # 100k works, both reviewers decide all
    python bench/agreement.py --works 20000

Prints the time of ``agreement_report`` (both tables, statistics, per-reason breakdown),
of ``live_agreement`` (what the lead's panel computes off-thread), of ``list_conflicts``
and of the title/abstract outcome counts behind ``screener status``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

# Run against this checkout even when another clone is the installed ``screener``.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from screener.agreement_report import agreement_report, live_agreement  # noqa: E402
from screener.conflicts import list_conflicts  # noqa: E402
from screener.models import Choice, Method, ParsedRecord, Record, Stage  # noqa: E402
from screener.outcome import outcome_counts, work_outcomes  # noqa: E402
from screener.project import init_project  # noqa: E402
from screener.protocol import Policy, load_protocol  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "protocols" / "interorganizational-health-partnerships.toml"
TA = Stage.TITLE_ABSTRACT


def build(folder: Path, works: int) -> Path:
    project = init_project(folder / "review", protocol=PROTOCOL)
    store = project.open_store()
    rng = random.Random(7)
    codes = ["not-health", "not-interorganizational", "clinical", "no-data"]
    with store.transaction():
        file_id = store.add_source_file(path="synthetic.ris", sha256="bench", format="ris",
                                        source="Synthetic", method=Method.DATABASE)
        store.add_records(file_id, Method.DATABASE, (
            ParsedRecord(record=Record(title=f"Partnership study {i}"), index=i, line=i + 1,
                         raw="")
            for i in range(works)
        ))
    ids = store.work_ids()
    rows = []
    for n, work_id in enumerate(ids):
        truth = rng.random() < 0.2
        for reviewer in ("ana", "ben"):
            choice = Choice.INCLUDE if truth else Choice.EXCLUDE
            if rng.random() < 0.08:
                choice = rng.choice(list(Choice))
            why = [rng.choice(codes)] if choice is Choice.EXCLUDE else []
            rows.append((work_id, reviewer, TA.value, choice.value, why, n))
    # Straight SQL through the store's connection: a benchmark fixture, not app code.
    import json

    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, note, "
            "protocol_version, created_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
            [(w, r, s, d, json.dumps(x), f"2026-01-01T00:00:{n:09d}") for w, r, s, d, x, n in rows],
        )
    store.close()
    return project.root


def timed(label: str, fn: object) -> object:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{label:<34} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        root = build(Path(tmp), args.works)
        print(f"built {args.works} works x 2 reviewers in {time.perf_counter() - start:.1f} s")
        from screener.project import find_project

        project = find_project(root)
        protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
        store = project.open_store()
        report = timed("agreement_report", lambda: agreement_report(
            store, TA, ("ana", "ben"), protocol=protocol))
        timed("agreement_report --first 50", lambda: agreement_report(
            store, TA, ("ana", "ben"), first=50, protocol=protocol))
        timed("live_agreement (lead's panel)", lambda: live_agreement(store, TA, protocol))
        conflicts = timed("list_conflicts", lambda: list_conflicts(store, TA, protocol))
        counts = timed("outcome counts (status)", lambda: outcome_counts(
            work_outcomes(store, TA, Policy.TWO_INDEPENDENT)))
        store.close()
        kappa = report.two.cohen_kappa  # type: ignore[attr-defined]
        print(f"n = {report.two.n}, kappa = {kappa:.3f}, "  # type: ignore[attr-defined]
              f"conflicts = {len(conflicts)}, outcomes = {counts}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
