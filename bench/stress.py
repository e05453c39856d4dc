"""Stress the store: kill -9 at random moments, and reviewers deciding during a big import.

Usage: ``python bench/stress.py [--kills 100] [--import-records 100000] [--decisions 5000]``

1. ``--kills`` times, a child process is killed with SIGKILL at a random moment while it
   records decisions (printing each one once committed) or imports a file. After each
   kill: every acknowledged decision is stored, the file is imported whole or not at all,
   and SQLite's integrity check passes.
2. Two reviewer processes record ``--decisions`` decisions each while a third process
   imports ``--import-records`` records (they start once the import has written its first
   batch). Every decision must be stored; the script prints how long decisions waited
   (the goal: none longer than 1 s) and how many were made while the file was staged.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screener.project import init_project  # noqa: E402

PY = sys.executable
REVIEWER = """
import sys, time, json
sys.path.insert(0, {root!r})
from screener.project import find_project
from screener.models import Choice, Stage
store = find_project({project!r}).open_store()
waits = []
for work_id in range({first}, {last}):
    at = time.time()
    started = time.monotonic()
    store.record_decision(work_id, {reviewer!r}, Stage.TITLE_ABSTRACT,
                          Choice.INCLUDE if work_id % 2 else Choice.EXCLUDE)
    waits.append((at, time.monotonic() - started))
    print("ack", work_id, flush=True)
print("waits", json.dumps(waits), flush=True)
store.close()
"""


def write_ris(path: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    words = ["partnership", "care", "network", "trust", "alliance", "hospital", "community"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            title = " ".join(rng.choices(words, k=10))
            out.write(f"TY  - JOUR\nTI  - {title} {seed}.{i}\nAU  - Smith, J\nPY  - 2020\n"
                      f"DO  - 10.5555/stress.{seed}.{i}\nAB  - {' '.join(rng.choices(words, k=80))}\n"
                      "ER  - \n\n")


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def stored_decisions(db: Path, reviewer: str) -> set[int]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute(
            "SELECT work_id FROM decisions WHERE reviewer = ?", (reviewer,))}
    finally:
        conn.close()


def kill_rounds(tmp: Path, rounds: int, rng: random.Random) -> dict[str, int]:
    root = tmp / "kills"
    project = init_project(root)
    seed_file = tmp / "seed.ris"
    write_ris(seed_file, 3000, 0)
    subprocess.run([PY, "-m", "screener", "import", str(seed_file), "--source", "Stress", "--project", str(root)],
                   check=True, capture_output=True, cwd=ROOT)
    db = project.db_path
    counts = {"screening kills": 0, "import kills": 0, "acknowledged decisions": 0,
              "lost decisions": 0, "partial imports": 0, "whole imports": 0,
              "imports rolled back": 0, "staged rows left (max)": 0, "integrity failures": 0,
              "staged rows after doctor": 0, "doctor exit": 0}
    next_work = 1
    for round_no in range(rounds):
        if round_no % 2 == 0:
            reviewer = f"r{round_no}"
            script = REVIEWER.format(root=str(ROOT), project=str(root), first=next_work,
                                     last=next_work + 400, reviewer=reviewer)
            child = subprocess.Popen([PY, "-c", script], stdout=subprocess.PIPE, text=True)
            deadline = time.monotonic() + rng.uniform(0.3, 1.5)
            acked: set[int] = set()
            assert child.stdout is not None
            while time.monotonic() < deadline:
                line = child.stdout.readline()
                if not line:
                    break
                if line.startswith("ack"):
                    acked.add(int(line.split()[1]))
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            counts["screening kills"] += 1
            counts["acknowledged decisions"] += len(acked)
            counts["lost decisions"] += len(acked - stored_decisions(db, reviewer))
            next_work = (next_work + 400) % 2500 + 1
        else:
            src = tmp / f"import{round_no}.ris"
            n = rng.choice([2000, 5000, 10000])
            write_ris(src, n, round_no)
            child = subprocess.Popen(
                [PY, "-m", "screener", "import", str(src), "--source", "Stress", "--project", str(root)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.1, 4.0))
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            counts["import kills"] += 1
            conn = sqlite3.connect(db)
            # What readers see: the view ``records`` holds published files' records only;
            # a killed import's staged rows must stay out of it.
            row = conn.execute(
                "SELECT f.id, f.record_count, (SELECT COUNT(*) FROM records r WHERE r.file_id = f.id) "
                "FROM source_files f WHERE f.path = ? AND f.state = 'published'",
                (str(src),)).fetchone()
            visible = conn.execute("SELECT COUNT(*) FROM records r WHERE r.file_id IN "
                                   "(SELECT id FROM source_files WHERE path = ?)",
                                   (str(src),)).fetchone()[0]
            orphans = conn.execute("SELECT COUNT(*) FROM records r WHERE NOT EXISTS "
                                   "(SELECT 1 FROM source_files f WHERE f.id = r.file_id)").fetchone()[0]
            staged = conn.execute("SELECT COUNT(*) FROM record_rows r JOIN source_files f "
                                  "ON f.id = r.file_id WHERE f.state <> 'published'").fetchone()[0]
            conn.close()
            if row is None:
                counts["imports rolled back"] += 1
                counts["partial imports"] += int(visible > 0)
                counts["staged rows left (max)"] = max(counts["staged rows left (max)"], staged)
            elif row[1] == row[2] == n:
                counts["whole imports"] += 1
            else:
                counts["partial imports"] += 1
            counts["partial imports"] += int(orphans > 0)
            src.unlink()
        if integrity(db) != "ok":
            counts["integrity failures"] += 1
    # What the last killed import staged is removed by the next import or by doctor.
    doctor = subprocess.run([PY, "-m", "screener", "doctor", "--project", str(root)],
                            cwd=ROOT, capture_output=True, text=True)
    conn = sqlite3.connect(db)
    counts["staged rows after doctor"] = conn.execute(
        "SELECT COUNT(*) FROM record_rows r JOIN source_files f ON f.id = r.file_id "
        "WHERE f.state <> 'published'").fetchone()[0]
    conn.close()
    counts["doctor exit"] = doctor.returncode
    return counts


def concurrent_round(tmp: Path, records: int, decisions: int) -> dict[str, object]:
    root = tmp / "concurrent"
    init_project(root)
    seed_file = tmp / "works.ris"
    write_ris(seed_file, decisions, 1)
    subprocess.run([PY, "-m", "screener", "import", str(seed_file), "--source", "Stress", "--project", str(root)],
                   check=True, capture_output=True, cwd=ROOT)
    big = tmp / "big.ris"
    write_ris(big, records, 2)
    started = time.monotonic()
    importer = subprocess.Popen([PY, "-m", "screener", "import", str(big), "--source", "Stress", "--project", str(root)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    db = root / "screener.db"
    window = _watch_staging(db, str(big))  # the reviewers start once records are written
    reviewers = [subprocess.Popen(
        [PY, "-c", REVIEWER.format(root=str(ROOT), project=str(root), first=1,
                                   last=decisions + 1, reviewer=name)],
        stdout=subprocess.PIPE, text=True) for name in ("ana", "ben")]
    timed: list[tuple[float, float]] = []
    for child in reviewers:
        out, _ = child.communicate()
        for line in out.splitlines():
            if line.startswith("waits "):
                timed += [(at, wait) for at, wait in json.loads(line[6:])]
    _, import_err = importer.communicate()
    elapsed = time.monotonic() - started
    window.join()
    staged_from, published_at = window.first_staged, window.published
    stored = len(stored_decisions(db, "ana")) + len(stored_decisions(db, "ben"))
    waits = sorted(wait for _, wait in timed)
    during = sum(1 for at, _ in timed if staged_from <= at <= published_at)
    return {
        "import exit": importer.returncode, "import error": import_err.strip()[-200:],
        "decisions": 2 * decisions, "stored": stored, "seconds": round(elapsed, 1),
        "staging seconds": round(published_at - staged_from, 1),
        "decided while staging": during,
        "wait median ms": round(1000 * waits[len(waits) // 2], 1) if waits else None,
        "wait p99 ms": round(1000 * waits[int(len(waits) * 0.99)], 1) if waits else None,
        "wait max s": round(waits[-1], 2) if waits else None,
        "waits over 1 s": sum(1 for w in waits if w > 1.0),
        "integrity": integrity(db),
    }


class _Staging(threading.Thread):
    """Watches the import's file row: when its first batch is staged, when it is published."""

    def __init__(self, db: Path, path: str) -> None:
        super().__init__(daemon=True)
        self.db, self.path = db, path
        self.staged = threading.Event()
        self.first_staged = self.published = float("inf")

    def run(self) -> None:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                conn = sqlite3.connect(self.db)
                row = conn.execute("SELECT state, record_count FROM source_files WHERE path = ? "
                                   "ORDER BY id DESC LIMIT 1", (self.path,)).fetchone()
                conn.close()
            except sqlite3.Error:
                row = None
            if row is not None and row[1] and self.first_staged == float("inf"):
                self.first_staged = time.time()
                self.staged.set()
            if row is not None and row[0] == "published":
                self.published = time.time()
                self.staged.set()
                return
            time.sleep(0.005)
        self.staged.set()


def _watch_staging(db: Path, path: str) -> _Staging:
    watcher = _Staging(db, path)
    watcher.start()
    watcher.staged.wait(600)
    return watcher


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--import-records", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-kills", action="store_true")
    parser.add_argument("--skip-concurrent", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failed = False
    with tempfile.TemporaryDirectory(prefix="screener-stress-") as tmp:
        if not args.skip_kills:
            counts = kill_rounds(Path(tmp), args.kills, rng)
            print("kill -9 rounds")
            for key, value in counts.items():
                print(f"  {key:<24} {value}")
            failed |= bool(counts["lost decisions"] or counts["partial imports"]
                           or counts["integrity failures"] or counts["staged rows after doctor"]
                           or counts["doctor exit"])
        if not args.skip_concurrent:
            result = concurrent_round(Path(tmp), args.import_records, args.decisions)
            print(f"2 reviewers x {args.decisions} decisions during a "
                  f"{args.import_records:,}-record import")
            for key, value in result.items():
                print(f"  {key:<24} {value}")
            failed |= result["stored"] != result["decisions"] or result["integrity"] != "ok"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
