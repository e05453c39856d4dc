"""The RIS reader's two ways through a file agree: a record in the common shape is matched
whole by a regex, anything else goes line by line, and the rows stored come straight from
the tag values without the models. Whichever way a record goes, and however the text is
cut into pieces, the records, rows, warnings, line numbers and errors are the same."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from screener.errors import ScreenerError
from screener.importers.ris import READER
from screener.store.records import record_row
from screener.terminal import json_bytes_have_controls, json_has_controls
from screener.textio import read_text, scan_file

DATA = Path(__file__).parent / "data" / "import"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "import-corpus" / "ris"
PATH = Path("case.ris")

# Lines that real and broken exports hold: tag lines in their variants, continuation and
# blank lines, end tags without their space, Ovid's lines after ``ER``, a control character.
LINES = [
    "TY  - JOUR", "TY  - BOOK", "TY - JOUR", "TY  -", "AU  - Smith, J.", "A1  - Jones, K",
    "AU  - Müller, Sören", "TI  - A title", "TI  - <i>Markup</i> &amp; more", "TI  -",
    "AB  - abstract text", "  continued", "continued line", "", "   ", "\t", "ER  - ",
    "ER  -", "ER -", "ER  -x", "NL  - Abbrev", "KW  - kw; other", "PY  - 2019///",
    "PY  - 19xx", "Database: Ovid MEDLINE", "1A  - weird", "A   - odd", "ab  -",
    "DO  - https://doi.org/10.1000/X", "XX - one space", "TI -no space", "ÄB  - umlaut tag",
    "ER  - junk", "AU  - \x1b[31mred", "TT  - Titre", "SN  - 978-3-16-148410-0", "AN  - 12345678",
]
WELL_FORMED = ["AU  - Smith, J.", "A1  - Jones, K", "TI  - A title", "AB  - abstract text",
               "PY  - 2019", "KW  - kw", "DO  - 10.1000/x", "TI  -", "AU  - \x1b[31mred"]


def _outcome(parse: Any) -> tuple[list[Any] | None, tuple[str, int | None] | None]:
    try:
        return [r.model_dump() for r in parse()], None
    except ScreenerError as exc:
        return None, (exc.message, exc.line)


def _rows(parse: Any) -> tuple[list[Any] | None, tuple[str, int | None] | None]:
    try:
        return list(parse()), None
    except ScreenerError as exc:
        return None, (exc.message, exc.line)


def _pieces(text: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    out, at = [], 0
    while at < len(text):
        size = rng.choice([1, 2, 7, 64, 1000, 1 << 20])
        out.append(text[at:at + size])
        at += size
    return out


def _assert_same_ways(text: str, seed: int = 0) -> None:
    whole = _outcome(lambda: READER.parse_chunks([text], PATH))
    # One line per piece: no piece holds a whole record, so every line goes the slow way.
    by_line = _outcome(lambda: READER.parse_chunks([f"{x}\n" for x in text.split("\n")], PATH))
    cut = _outcome(lambda: READER.parse_chunks(_pieces(text, seed), PATH))
    assert whole == by_line == cut
    rows = _rows(lambda: READER.parse_rows(_pieces(text, seed + 1), PATH))
    from_models = _rows(lambda: ((record_row(p), p.record.warnings)
                                 for p in READER.parse_chunks([text], PATH)))
    assert rows == from_models


@st.composite
def ris_texts(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            body = draw(st.lists(st.sampled_from(WELL_FORMED), max_size=6))
            lines += ["TY  - JOUR", *body, draw(st.sampled_from(["ER  - ", "ER  -"]))]
            lines += [""] * draw(st.integers(0, 2))
        else:
            lines += draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=8))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(ris_texts())
def test_whole_record_match_agrees_with_line_by_line(text: str) -> None:
    _assert_same_ways(text)


def _ris_files() -> list[Path]:
    files = sorted(DATA.glob("ris_*.ris")) + sorted(DATA.glob("encoding_*.ris"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*"))
    return files


@pytest.mark.parametrize("path", _ris_files(), ids=lambda p: p.name)
def test_real_exports_read_the_same_either_way(path: Path) -> None:
    try:
        text = read_text(scan_file(path))
    except ScreenerError:
        pytest.skip("refused before parsing")
    _assert_same_ways(text, seed=len(text))


def test_a_well_formed_file_keeps_its_line_numbers_and_raw_text() -> None:
    text = "Database: Ovid\n\nTY  - JOUR\nTI  - One\nER  - \n\n\nTY  - JOUR\nA1  - Lee, A\n" \
           "AU  - Kim, B\nTI  - Two\nER  - \nNL  - Abbrev\n"
    records = list(READER.parse_chunks([text], PATH))
    assert [(r.index, r.line) for r in records] == [(0, 3), (1, 8)]
    assert records[1].raw == "TY  - JOUR\nA1  - Lee, A\nAU  - Kim, B\nTI  - Two\nER  - \nNL  - Abbrev"
    assert [a.family for a in records[1].record.authors] == ["Lee", "Kim"]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(
    ["a", "é", "ü", "中", "😀", "\\", "r", "u", "0", "1", "b", "\x7f", "\x80", "\x9b", "\x9f",
     "\xa0", "\xc2", "Â", "\x1b", "\n", "\t", '"'])))
def test_control_check_on_json_bytes_agrees_with_the_check_on_text(value: str) -> None:
    """Rows are checked for control characters on the JSON's bytes, before decoding."""
    for data in (value, to_json({"title": value}).decode()):
        assert json_bytes_have_controls(data.encode()) == json_has_controls(data)
