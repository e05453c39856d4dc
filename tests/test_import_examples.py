"""The bundled example review (imports/*_partnerships.*): every format, hazards, no real abstracts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screener.importing import import_file
from screener.project import Project

IMPORTS = Path(__file__).parent.parent / "imports"
EXPECTED = {
    "scopus_partnerships.ris": ("ris", "Scopus", 28),
    "embase_ovid_partnerships.ris": ("ris", "Embase", 23),
    "pubmed_partnerships.nbib": ("medline", "PubMed", 27),
    "wos_partnerships.txt": ("wos", "Web of Science", 22),
    "zotero_partnerships.bib": ("bibtex", "BibTeX export", 17),
    "scopus_partnerships.csv": ("csv", "Scopus", 14),
    "lens_partnerships.csv": ("csv", "Lens", 29),
    "endnote_partnerships.xml": ("endnote-xml", "EndNote export", 13),
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from screener.project import init_project

    project: Project = init_project(tmp_path_factory.mktemp("examples") / "review")
    store = project.open_store()
    results = {name: import_file(store, IMPORTS / name) for name in EXPECTED}
    records = list(store.iter_records(with_raw=True))
    store.close()
    return {"results": results, "records": records}


def test_every_file_imports_as_its_format(imported: dict[str, object]) -> None:
    results = imported["results"]
    assert isinstance(results, dict)
    got = {name: (r.format, r.source, r.records) for name, r in results.items()}
    assert got == EXPECTED
    assert sum(n for _, _, n in EXPECTED.values()) >= 150


def test_format_hazards_are_present_and_handled(imported: dict[str, object]) -> None:
    results = imported["results"]
    assert isinstance(results, dict)
    assert (IMPORTS / "scopus_partnerships.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert results["scopus_partnerships.csv"].encoding == "utf-8-sig"
    assert b"\r\n" in (IMPORTS / "embase_ovid_partnerships.ris").read_bytes()
    assert results["lens_partnerships.csv"].encoding == "cp1252"
    assert re.search(r"^TI  - .*<(i|b)>", (IMPORTS / "scopus_partnerships.ris").read_text(), re.M)
    records = imported["records"]
    assert isinstance(records, list)
    assert not any(re.search(r"</?(i|b)>", r.record.title or "") for r in records)


def test_records_with_abstracts_are_fictional_works(imported: dict[str, object]) -> None:
    """Real works may appear with their bibliographic facts, never with an abstract."""
    records = imported["records"]
    assert isinstance(records, list)
    with_abstract = [r.record for r in records if r.record.abstract]
    assert len(with_abstract) > 100
    for record in with_abstract:
        assert record.doi is None or record.doi.startswith("10.5555/"), record.title


def test_the_same_work_appears_in_several_files(imported: dict[str, object]) -> None:
    records = imported["records"]
    assert isinstance(records, list)
    by_doi: dict[str, set[str]] = {}
    for r in records:
        if r.record.doi:
            by_doi.setdefault(r.record.doi, set()).add(r.source_file)
    assert max(len(files) for files in by_doi.values()) >= 3
    assert sum(1 for files in by_doi.values() if len(files) >= 2) >= 30
    titles = [re.sub(r"\W", "", (r.record.title or "").lower()) for r in records]
    assert len(set(titles)) < len(titles) * 0.7
