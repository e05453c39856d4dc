"""Fuzz every importer: damaged, truncated, mis-encoded and oversized versions of real files.

Usage: ``python bench/fuzz.py [--cases 10000] [--formats ris,medline,...] [--seed 1]``

Each case writes one mutated file and imports it into the same project. The only
acceptable outcomes are a correct import (the database grew by exactly the records
reported) or a refusal in one line (``ScreenerError``) that left the database as it was.
Anything else (a traceback, a partial import, a multi-line message) is a failure: the
script prints the outcome counts per importer and the first failures, and exits 1 if any.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screener.errors import ScreenerError  # noqa: E402
from screener.importing import import_file  # noqa: E402
from screener.project import init_project  # noqa: E402
from screener.store import Store  # noqa: E402

DATA = ROOT / "tests" / "data" / "import"
SEEDS = {
    "ris": ["ris_pubmed.ris", "ris_scopus.ris", "ris_zotero.ris", "ris_endnote.ris"],
    "medline": ["medline_pubmed.nbib", "medline_eric.nbib"],
    "wos": ["wos_savedrecs.txt", "wos_concatenated_exports.txt"],
    "bibtex": ["bibtex_latex.bib", "bibtex_macros_and_crossref.bib"],
    "csv": ["csv_scopus.csv", "csv_lens.csv", "csv_dimensions.csv", "tsv_wos.txt"],
    "endnote-xml": ["endnote.xml"],
}
RECORD_END = {"ris": b"ER  -", "medline": b"\n\n", "wos": b"\nER", "bibtex": b"\n@",
              "csv": b"\n", "endnote-xml": b"</record>"}
_NASTY = ["\x00", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "=HYPERLINK(\"x\")", "\ufeff", "\u202e",
          "\r", "\r\n", "\t", "\"", "'", "{", "}", "\\", "<", "&amp;", "]]>", "%", "@",
          "\udcff", "é", "中", "😀", "\x85", "\u2028", " " * 50]


def _seed_bytes(fmt: str) -> list[bytes]:
    return [(DATA / name).read_bytes() for name in SEEDS[fmt] if (DATA / name).exists()]


def random_bytes(rng: random.Random, base: bytes, fmt: str) -> bytes:
    junk = rng.randbytes(rng.randint(0, 3000))
    return base[: rng.randint(0, 200)] + junk if rng.random() < 0.5 else junk


def truncate_at_boundary(rng: random.Random, base: bytes, fmt: str) -> bytes:
    mark = RECORD_END[fmt]
    cuts = [i for i in range(len(base)) if base.startswith(mark, i)]
    if not cuts:
        return base[: rng.randint(0, len(base))]
    cut = rng.choice(cuts) + rng.choice([0, 1, len(mark), len(mark) + 1, -1])
    return base[: max(cut, 0)]


def truncate_anywhere(rng: random.Random, base: bytes, fmt: str) -> bytes:
    return base[: rng.randint(0, len(base))]


def mutate_fields(rng: random.Random, base: bytes, fmt: str) -> bytes:
    text = base.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        action = rng.random()
        if action < 0.3:
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + rng.choice(_NASTY) * rng.randint(1, 3) + lines[i][pos:]
        elif action < 0.5:
            del lines[i]
        elif action < 0.7:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif action < 0.85:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        else:
            lines[i] = "".join(rng.choice(_NASTY) for _ in range(rng.randint(1, 20)))
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def wrong_encoding(rng: random.Random, base: bytes, fmt: str) -> bytes:
    text = base.decode("utf-8", "replace")
    choice = rng.randrange(6)
    if choice == 0:
        return text.encode("utf-16-le")  # no BOM
    if choice == 1:
        return b"\xff\xfe" + text.encode("utf-16-be")  # BOM says LE, bytes are BE
    if choice == 2:
        return text.encode("cp1252", "replace")
    if choice == 3:
        return b"\xef\xbb\xbf" + text.encode("latin-1", "replace")  # UTF-8 BOM, Latin-1 body
    if choice == 4:
        data = bytearray(base)
        for _ in range(rng.randint(1, 20)):
            data.insert(rng.randint(0, len(data)), rng.randrange(0x80, 0x100))
        return bytes(data)
    return text.encode("utf-32")


def big_field(rng: random.Random, base: bytes, fmt: str) -> bytes:
    size = rng.choice([10_000, 200_000, 2_000_000])
    blob = (" ".join(rng.choice(["care", "trust", "partnership", "é", "x" * 40])
                     for _ in range(64)) + " ").encode("utf-8")
    filler = (blob * (size // len(blob) + 1))[:size]
    lines = base.split(b"\n")
    i = rng.randrange(len(lines)) if lines else 0
    lines[i:i] = [lines[i][:6] + filler if i < len(lines) else filler]
    return b"\n".join(lines)


MUTATIONS: dict[str, Callable[[random.Random, bytes, str], bytes]] = {
    "random bytes": random_bytes,
    "truncated at a record boundary": truncate_at_boundary,
    "truncated anywhere": truncate_anywhere,
    "mutated fields": mutate_fields,
    "wrong encoding": wrong_encoding,
    "big field": big_field,
}
WEIGHTS = [15, 20, 10, 35, 15, 5]


def check_case(store: Store, path: Path) -> tuple[str, str]:
    """(outcome, detail): ``imported`` / ``refused`` or ``FAILED ...`` with the reason."""
    before = store.record_count()
    try:
        result = import_file(store, path, force=True)
    except ScreenerError as exc:
        after = store.record_count()
        message = str(exc)
        if after != before:
            return "FAILED partial import", f"{after - before} records left after: {message}"
        if "\n" in message:
            return "FAILED multi-line message", message
        return "refused", message
    except Exception:  # noqa: BLE001 - the point is to catch anything that escapes
        return "FAILED traceback", traceback.format_exc(limit=6)
    after = store.record_count()
    if after - before != result.records:
        return "FAILED count", f"reported {result.records}, stored {after - before}"
    return "imported", str(result.records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases per importer")
    parser.add_argument("--formats", default=",".join(SEEDS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="screener-fuzz-") as tmp:
        project = init_project(Path(tmp) / "review")
        store = project.open_store()
        print(f"{'importer':<12} {'cases':>6} {'imported':>9} {'refused':>8} {'failed':>7} "
              f"{'seconds':>8}")
        try:
            for fmt in args.formats.split(","):
                seeds = _seed_bytes(fmt)
                outcomes: Counter[str] = Counter()
                started = time.monotonic()
                for case in range(args.cases):
                    name = rng.choices(list(MUTATIONS), WEIGHTS)[0]
                    data = MUTATIONS[name](rng, rng.choice(seeds), fmt)
                    path = Path(tmp) / f"case{case}{Path(SEEDS[fmt][0]).suffix}"
                    path.write_bytes(data)
                    outcome, detail = check_case(store, path)
                    outcomes[outcome.split()[0]] += 1
                    if outcome.startswith("FAILED"):
                        keep = Path(tmp).parent / f"screener-fuzz-{fmt}-{case}{path.suffix}"
                        keep.write_bytes(data)
                        failures.append((fmt, name, outcome, f"{keep}: {detail}"))
                    path.unlink()
                elapsed = time.monotonic() - started
                print(f"{fmt:<12} {args.cases:>6} {outcomes['imported']:>9} "
                      f"{outcomes['refused']:>8} {outcomes['FAILED']:>7} {elapsed:>8.1f}",
                      flush=True)
        finally:
            store.close()
    for fmt, name, outcome, detail in failures[:10]:
        print(f"\n{outcome} ({fmt}, {name}): {detail}")
    if len(failures) > 10:
        print(f"\n... and {len(failures) - 10} more failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
