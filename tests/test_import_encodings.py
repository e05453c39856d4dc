"""Encodings and markup: BOMs, UTF-16, Windows-1252 fallback, CRLF, HTML in fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importing import import_file
from screener.project import Project
from screener.textio import iter_lines, scan_file

DATA = Path(__file__).parent / "data" / "import"
TITLE = "Café society and “partnerships” in Zürich – a test"


@pytest.mark.parametrize(("name", "encoding"), [
    ("encoding_utf8_bom.ris", "utf-8-sig"),
    ("encoding_crlf.ris", "utf-8"),
    ("encoding_utf16le_bom.ris", "utf-16"),
    ("encoding_utf16be_bom.ris", "utf-16"),
    ("encoding_cp1252.ris", "cp1252"),
])
def test_every_encoding_reads_the_same_records(project: Project, name: str, encoding: str) -> None:
    store = project.open_store()
    result = import_file(store, DATA / name)
    records = [r.record for r in store.iter_records()]
    store.close()
    assert result.encoding == encoding
    assert [r.title for r in records] == [TITLE, "Second record"]
    assert records[0].authors[0].family == "Müller"
    assert all("\r" not in r.title for r in records if r.title)


def test_cp1252_fallback_warns_with_the_line(project: Project, run_cli) -> None:
    code, out, err = run_cli("import", "--project", str(project.root), str(DATA / "encoding_cp1252.ris"))
    assert code == 0
    assert "not valid UTF-8 (first bad byte on line 2); read as Windows-1252" in err


def test_bom_is_stripped_before_the_first_tag() -> None:
    scan = scan_file(DATA / "encoding_utf8_bom.ris")
    assert next(iter_lines(scan)) == "TY  - JOUR"
    assert scan.head.startswith("TY  - JOUR")


def test_crlf_split_across_read_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import screener.textio as textio

    monkeypatch.setattr(textio, "CHUNK", 7)  # force CR and LF into different chunks
    path = tmp_path / "x.ris"
    path.write_bytes(b"TY  - JOUR\r\nTI  - A\r\nER  - \r\n")
    assert list(iter_lines(scan_file(path))) == ["TY  - JOUR", "TI  - A", "ER  - "]


def test_multibyte_character_split_across_read_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import screener.textio as textio

    monkeypatch.setattr(textio, "CHUNK", 5)
    path = tmp_path / "x.ris"
    path.write_text("TI  - Zürich “x”\n", encoding="utf-8")
    scan = scan_file(path)
    assert scan.encoding == "utf-8" and not scan.warnings
    assert list(iter_lines(scan)) == ["TI  - Zürich “x”"]


def test_html_tags_and_entities_are_stripped(project: Project) -> None:
    store = project.open_store()
    import_file(store, DATA / "ris_html_in_fields.ris")
    record = next(store.iter_records()).record
    store.close()
    assert record.title == "Partnerships & alliances: effects at p < 0.05 and p < 0.01"
    assert record.journal == "Health & Social Care in the Community"
    assert record.authors[0].family == "Müller"
    assert record.abstract == "Fictional abstract with markup. End."
