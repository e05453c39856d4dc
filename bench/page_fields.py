"""How well the page readers split the seed pages' reference and related-paper lists.

Usage: ``python bench/page_fields.py [DIR]`` (default ``../shared/seeds``).

Per page file: records found, and list entries parsed fully (title + year + journal +
authors), books (title + year + authors + publisher, no journal by nature), partial
(a title but something missing), and raw (kept as text only, with a warning).
"""

from __future__ import annotations

import sys
from pathlib import Path

from screener.importers import detect_reader
from screener.models import Record
from screener.textio import decode_bytes


def classify(record: Record) -> str:
    if not record.title:
        return "raw"
    if record.year and record.authors and record.journal:
        return "full"
    if record.year and record.authors and record.publisher:
        return "book"
    return "partial"


def main(folder: Path) -> int:
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md") and p.name[0] != "R")
    if not files:
        print(f"no page files in {folder}", file=sys.stderr)
        return 1
    print(f"{'file':32} {'format':24} {'records':>7} {'entries':>7} {'full':>5} {'book':>5} "
          f"{'partial':>7} {'raw':>4}")
    total = 0
    for path in files:
        text = decode_bytes(path.read_bytes(), path).text
        reader = detect_reader(text, path)
        parsed = list(reader.parse(text, path))
        total += len(parsed)
        counts = {"full": 0, "book": 0, "partial": 0, "raw": 0}
        for item in parsed:
            if item.parent_index is not None:
                counts[classify(item.record)] += 1
        entries = sum(counts.values())
        print(f"{path.name:32} {reader.name:24} {len(parsed):7} {entries:7} {counts['full']:5} "
              f"{counts['book']:5} {counts['partial']:7} {counts['raw']:4}")
    print(f"total records: {total}")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
