"""The 234 real export files of ``../shared/import-corpus``, imported as a user would.

``expected.tsv`` gives each file's record count (established without screener) and what
a good importer does with it. Through the CLI, in a fresh project per file:

- ``import``: exit 0, exactly the expected number of records, no markup (HTML/JATS tags,
  entities, and for BibTeX LaTeX commands and braces) left in any title or abstract;
- ``damaged``: either every record kept (the broken one flagged, with a warning naming the
  file and line) or the file refused in one line;
- ``refuse``: refused in one line naming the file;
- ``junk``: imported or refused in one line;
- no file gives a traceback.

The corpus marks as ``refuse`` some files in formats screener now reads (PubMed XML,
EndNote/Refer); ``NOW_READ`` gives their expected counts, counted by their record tags.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "import-corpus"

# Tag shapes (``<jats:p>``, ``</i>``, ``<span class="x">``) but not ``p <0.05 and >``.
_TAG = r"""</?[A-Za-z][\w.-]*(?::[\w.-]+)?(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*/?>"""
_ENTITY = r"&(?:[A-Za-z]+\d*|#\d+|#x[0-9A-Fa-f]+);|(?<![&\w])(?:amp|apos|quot|lt|gt);"
MARKUP = re.compile(f"{_TAG}|{_ENTITY}")
LATEX = re.compile(r"\\[A-Za-z]+|[{}]")

NOW_READ: dict[str, tuple[str, int | None]] = {
    # file: (expectation, records) for ``refuse`` files whose format is now supported.
    "unsupported/jabref__MedlineImporterTestNbib.xml": ("import", 2),  # <PubmedArticle> 1, <PubmedBookArticle> 1
    "unsupported/colrev__enl_data.enl": ("import", 3),  # %T 3
    "unsupported/colrev__ais_enl.txt": ("import", 6),  # %T 6
    # JabRef's tag-mapping test: %0 lines without records around them.
    "unsupported/jabref__Endnote.entries.enw": ("junk", None),
}

KNOWN_FAILURES: dict[str, str] = {
    # Shrinks as the readers improve; each entry must still fail (strict xfail).
}


def _cases() -> list[tuple[str, str, int | None]]:
    if not (CORPUS / "expected.tsv").is_file():
        return []
    with (CORPUS / "expected.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    cases = []
    for row in rows:
        expect, count = row["expect"], int(row["records"]) if row["records"] else None
        expect, count = NOW_READ.get(row["file"], (expect, count))
        cases.append((row["file"], expect, count))
    return cases


def _params() -> list[object]:
    cases = _cases()
    if not cases:
        return [pytest.param(None, None, None, marks=pytest.mark.skip(
            reason=f"import corpus not found at {CORPUS} (clone shared/ beside the repo)"))]
    return [
        pytest.param(*case, id=case[0], marks=[pytest.mark.xfail(
            strict=True, reason=KNOWN_FAILURES[case[0]])] if case[0] in KNOWN_FAILURES else [])
        for case in cases
    ]


Cli = Callable[..., tuple[int, str, str]]


def _one_line_refusal(code: int, out: str, err: str, path: Path) -> None:
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"screener: error: {path}"), err


@pytest.mark.parametrize(("name", "expect", "count"), _params())
def test_corpus_file(name: str, expect: str, count: int | None, tmp_path: Path, run_cli: Cli) -> None:
    path = CORPUS / name
    project = tmp_path / "review"
    code, out, err = run_cli("init", str(project))
    assert code == 0, err
    code, out, err = run_cli("import", "--project", str(project), str(path))
    assert "Traceback" not in out + err
    if expect == "refuse" or (expect in ("damaged", "junk") and code != 0):
        _one_line_refusal(code, out, err, path)
        return
    assert code == 0, err
    code, listing, _ = run_cli("records", "--project", str(project))
    assert code == 0
    # Not splitlines(): a title may hold U+2028, which JSON leaves unescaped.
    records = [json.loads(line) for line in listing.split("\n") if line]
    if expect == "junk":
        assert records
        return
    assert len(records) == count, out + err
    if expect == "damaged":
        # The broken record is kept, flagged, and named with its file and line.
        assert any(r["warnings"] for r in records)
        assert re.search(rf"warning: {re.escape(str(path))}:\d+: ", err), err
        return
    latex = path.suffix.lower() in (".bib", ".bibtex")
    for record in records:
        for field in ("title", "abstract"):
            text = record[field] or ""
            found = MARKUP.search(text) or (latex and LATEX.search(text))
            assert not found, f"{field} of record at line {record['line']}: {text[:200]!r}"
