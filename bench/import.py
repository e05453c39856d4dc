"""Import benchmark: screener's import against the peer parsers, measured in the same run.

Usage: ``python bench/import.py [--sizes 100000,1000000] [--bibtex-size 20000] [--repeat 3]
[--keep DIR]``

For each size a RIS file of realistic records is generated; ``rispy.load`` parses it,
then ``screener import`` imports it through the CLI into a fresh project (a subprocess:
start-up, hashing, decoding, parsing, storing, commit). The same records are written as
BibTeX and compared with ``bibtexparser.parse_string`` (v2, its default middlewares).
The ratio is screener's wall time over the peer's: on a busy machine both slow down, the
ratio much less (but screener's import runs in three processes, so it loses more when the
cores are taken). ``load`` is the 1-minute load average when the row's runs start: quote
figures with it. Each row is the median of ``--repeat`` runs of the peer and of screener,
taken in turn (on a shared virtual machine one parse of the same file varies by a third
from one minute to the next); ``best`` is the ratio of the fastest run of each, the
figure least moved by other work on the machine (as ``timeit`` advises). Peak RSS is that of the importing process (not of its parser processes),
read from ``/proc`` while it runs (Linux).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
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


def write_bibtex(ris: Path, path: Path) -> None:
    """The records of ``ris`` as BibTeX entries (same fields, same sizes)."""
    import rispy

    with ris.open(encoding="utf-8") as handle:
        entries = rispy.load(handle)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i, e in enumerate(entries):
            authors = " and ".join(e.get("authors", []))
            out.write(
                f"@article{{bench{i},\n  title = {{{e['title']}}},\n"
                f"  author = {{{authors}}},\n  journal = {{{e['secondary_title']}}},\n"
                f"  year = {{{e['year']}}},\n  volume = {{{e['volume']}}},\n"
                f"  number = {{{e['number']}}},\n"
                f"  pages = {{{e['start_page']}--{e['end_page']}}},\n  doi = {{{e['doi']}}},\n"
                f"  abstract = {{{e['abstract']}}},\n"
                f"  keywords = {{{', '.join(e.get('keywords', []))}}}\n}}\n\n"
            )


_PEER = """
import sys, time
kind, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if kind == "ris":
    import rispy
    with open(path, encoding="utf-8") as handle:
        n = len(rispy.load(handle))
else:
    import bibtexparser
    with open(path, encoding="utf-8") as handle:
        n = len(bibtexparser.parse_string(handle.read()).entries)
assert n > 0
print(time.perf_counter() - started)
"""


def _peer_seconds(kind: str, path: Path) -> float:
    """Time of the peer parser on ``path`` (reading the file included, its import not). In
    a process of its own: a million parsed records left in this one would be counted in
    the peak RSS of every process it starts next."""
    done = subprocess.run([sys.executable, "-c", _PEER, kind, str(path)], check=True,
                          capture_output=True, text=True)
    return float(done.stdout)


def _peak_rss_mb(pid: int, running: threading.Event, peak: list[float]) -> None:
    """Follow ``VmHWM`` (the process's own peak resident memory) until it exits."""
    while running.is_set():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        time.sleep(0.05)


def _screener_import(path: Path, workdir: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and record count of ``screener import`` on ``path``."""
    project = workdir / f"project-{path.stem}"
    shutil.rmtree(project, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "screener", "init", str(project)], check=True,
                   capture_output=True, cwd=ROOT)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "screener", "import", "--project", str(project), str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True,
    )
    running, peak = threading.Event(), [0.0]
    running.set()
    watcher = threading.Thread(target=_peak_rss_mb, args=(child.pid, running, peak), daemon=True)
    watcher.start()
    out, err = child.communicate()
    elapsed = time.perf_counter() - started
    running.clear()
    watcher.join()
    if child.returncode != 0:
        raise SystemExit(f"screener import failed: {err.strip()}")
    records = int(out.split(": ", 1)[1].split()[0])
    return elapsed, peak[0], records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100000,1000000", help="RIS record counts")
    parser.add_argument("--bibtex-size", type=int, default=20000,
                        help="BibTeX record count (bibtexparser reads a few thousand/s); 0: skip")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each, taken in turn; the row shows the medians")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep its files")
    args = parser.parse_args()
    # As installed (``pip install .`` compiles the package): an editable install under
    # PYTHONDONTWRITEBYTECODE (some sandboxes set it) would compile screener's modules
    # again in every run, about 0.15 s, and the peers are compiled.
    compileall.compile_dir(ROOT / "screener", quiet=1)
    with tempfile.TemporaryDirectory(prefix="screener-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"{'format':<7} {'records':>10} {'file MB':>8} {'peer':<12} {'peer s':>7} "
              f"{'screener s':>10} {'ratio':>6} {'best':>5} {'records/s':>10} {'peak RSS MB':>11} {'load':>5}")
        runs: list[tuple[str, Path, str]] = []
        for size in (int(s) for s in args.sizes.split(",") if s):
            ris = workdir / f"bench-{size}.ris"
            if not ris.exists():
                write_ris(ris, size)
            runs.append(("ris", ris, "rispy"))
        if args.bibtex_size:
            source = workdir / f"bench-{args.bibtex_size}.ris"
            if not source.exists():
                write_ris(source, args.bibtex_size)
            bib = workdir / f"bench-{args.bibtex_size}.bib"
            if not bib.exists():
                write_bibtex(source, bib)
            runs.append(("ris", source, "rispy"))
            runs.append(("bibtex", bib, "bibtexparser"))
        seen: set[Path] = set()
        for kind, path, peer in runs:
            if path in seen:
                continue
            seen.add(path)
            load = os.getloadavg()[0]
            peers, runs_ours = [], []
            for _ in range(max(1, args.repeat)):
                peers.append(_peer_seconds(kind, path))
                runs_ours.append(_screener_import(path, workdir))
            peer_s = statistics.median(peers)
            ours = statistics.median(run[0] for run in runs_ours)
            best = min(run[0] for run in runs_ours) / min(peers)
            peak = max(run[1] for run in runs_ours)
            records = runs_ours[0][2]
            print(f"{kind:<7} {records:>10,} {path.stat().st_size / 1e6:>8.1f} {peer:<12} "
                  f"{peer_s:>7.1f} {ours:>10.1f} {ours / peer_s:>6.2f} {best:>5.2f} "
                  f"{records / ours:>10,.0f} "
                  f"{peak:>11.0f} {load:>5.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
