"""Import benchmark: generate large RIS files, import each into a fresh project, report speed.

Usage: ``python bench/import.py [--sizes 100000,1000000] [--keep DIR]``

Each size runs in its own subprocess so that peak memory (``ru_maxrss``) belongs to that
size alone. Records/s is measured over the whole ``import_file`` call (hashing, decoding,
parsing, validation, SQLite inserts, commit).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

# Benchmark the working tree, not whatever copy of screener happens to be installed.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_WORDS = ["partnership", "collaboration", "integrated", "care", "network", "hospital", "primary", "community", "health", "social", "services", "governance", "trust", "alliance", "coordination", "outcomes", "patients", "evaluation", "qualitative", "study", "cross-sector", "interorganizational", "public", "private", "commissioning", "mental", "older", "people", "rural", "quality", "costs", "implementation", "policy", "workforce", "managers"]
_FAMILIES = ["Smith", "Garcia", "Müller", "Nguyen", "O'Brien", "van der Berg", "Kowalski", "Tanaka"]
_GIVEN = ["Anna", "J. P.", "Mei", "Olu", "Sören", "Rachel", "K.", "Luis"]
_JOURNALS = ["BMC Health Services Research", "Health Policy", "Int J Integr Care", "Milbank Q"]


def write_ris(path: Path, n: int, seed: int = 1) -> None:
    """Write ``n`` realistic RIS records (about 1 kB each) to ``path``."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(n):
            title = " ".join(rng.choices(_WORDS, k=rng.randint(6, 14))).capitalize()
            abstract = " ".join(rng.choices(_WORDS, k=rng.randint(60, 110)))
            lines = ["TY  - JOUR"]
            for _ in range(rng.randint(1, 6)):
                lines.append(f"AU  - {rng.choice(_FAMILIES)}, {rng.choice(_GIVEN)}")
            start = rng.randint(1, 2000)
            lines += [
                f"TI  - {title} ({i})",
                f"T2  - {rng.choice(_JOURNALS)}",
                f"PY  - {rng.randint(1990, 2024)}",
                f"VL  - {rng.randint(1, 60)}",
                f"IS  - {rng.randint(1, 12)}",
                f"SP  - {start}",
                f"EP  - {start + rng.randint(3, 20)}",
                f"DO  - 10.5555/bench.{seed}.{i}",
                f"AB  - {abstract}.",
                f"KW  - {rng.choice(_WORDS)}",
                f"KW  - {rng.choice(_WORDS)}",
                "ER  - ",
                "",
            ]
            out.write("\n".join(lines) + "\n")


def run_one(n: int, workdir: Path, processes: int) -> dict[str, float]:
    """Generate, import, measure; runs inside a fresh subprocess."""
    import screener.importing
    from screener.importing import import_file

    screener.importing.PARSER_PROCESSES = processes
    from screener.project import init_project

    ris = workdir / f"bench-{n}.ris"
    if not ris.exists():  # with --keep, later runs reuse the generated file
        write_ris(ris, n)
    shutil.rmtree(workdir / f"project-{n}", ignore_errors=True)
    project = init_project(workdir / f"project-{n}", title=f"bench {n}")
    store = project.open_store()
    trace = "--tracemalloc" in sys.argv
    if trace:
        tracemalloc.start()
    before = _cpu()
    started = time.perf_counter()
    result = import_file(store, ris)
    elapsed = time.perf_counter() - started
    cpu = _cpu() - before
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    store.close()
    assert result.records == n, (result.records, n)
    return {
        "records": n,
        "file_mb": ris.stat().st_size / 1e6,
        "seconds": elapsed,
        "records_per_s": n / elapsed,
        "peak_rss_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024,
        "peak_traced_mb": traced / 1e6,
        "cpu_s": cpu,
    }


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the parser process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated record counts")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    parser.add_argument("--tracemalloc", action="store_true", help="also report traced peak (slower)")
    parser.add_argument("--processes", type=int, default=2,
                        help="parser processes for large files (0: parse in the storing process)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.workdir, args.processes)))
        return 0
    with tempfile.TemporaryDirectory(prefix="screener-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"{'records':>10} {'file MB':>8} {'seconds':>8} {'records/s':>10} "
              f"{'peak RSS MB':>12} {'CPU s':>6}" + (f" {'traced MB':>10}" if args.tracemalloc else ""))
        for size in (int(s) for s in args.sizes.split(",")):
            cmd = [sys.executable, __file__, "--one", str(size), "--workdir", str(workdir),
                   "--processes", str(args.processes)]
            if args.tracemalloc:
                cmd.append("--tracemalloc")
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{r['records']:>10,} {r['file_mb']:>8.1f} {r['seconds']:>8.1f} "
                  f"{r['records_per_s']:>10,.0f} {r['peak_rss_mb']:>12.0f} {r['cpu_s']:>6.1f}"
                  + (f" {r['peak_traced_mb']:>10.1f}" if args.tracemalloc else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
