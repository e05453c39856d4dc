"""PubMed XML, EndNote/Refer tagged text and CSL-JSON: detected by content, fields mapped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screener.importing import import_file
from screener.models import StoredRecord
from screener.project import Project

DATA = Path(__file__).parent / "data" / "import"


def _import(project: Project, name: str, path: Path | None = None) -> tuple[Any, list[StoredRecord]]:
    store = project.open_store()
    try:
        result = import_file(store, path or DATA / name)
        return result, list(store.iter_records(with_raw=True))
    finally:
        store.close()


def test_pubmed_xml(project: Project) -> None:
    result, records = _import(project, "pubmed_xml_efetch.xml")
    assert (result.format, result.source, result.records) == ("pubmed-xml", "PubMed", 2)
    first = records[0].record
    assert first.title == "Partnership working between hospitals and fictional social care providers."
    assert first.abstract == "BACKGROUND: Fictional background. METHODS: Fictional methods with H2O."
    assert [(a.family, a.given) for a in first.authors] == [
        ("Ring", "Peter Smith"), ("Fictional Partnerships Study Group", None)]
    assert (first.year, first.journal, first.volume, first.issue, first.pages) == (
        2021, "BMC health services research", "21", "1", "1658-1664")
    assert (first.doi, first.pmid, first.language) == ("10.5555/fixture.pubmedxml.1", "34567890", "eng")
    assert first.mesh == ["Humans", "Interinstitutional Relations"]
    assert first.keywords == ["partnership"]
    assert records[1].record.year == 1998  # MedlineDate "1998 Dec-1999 Jan"
    assert records[1].line == 42 and records[1].raw.startswith("<PubmedArticle>")


def test_pubmed_xml_cut_short_is_refused_in_one_line(
    project: Project, run_cli: Any, tmp_path: Path
) -> None:
    text = (DATA / "pubmed_xml_efetch.xml").read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<PubmedArticle>", 200)])
    code, _, err = run_cli("import", "--project", str(project.root), str(cut))
    assert code == 1
    assert err.startswith(f"screener: error: {cut}:") and "truncated XML" in err
    assert err.count("\n") == 1


def test_endnote_refer(project: Project) -> None:
    result, records = _import(project, "refer_endnote.enw")
    assert (result.format, result.records) == ("refer", 2)
    first = records[0].record
    assert first.title == "Partnership boards in fictional community mental health"
    assert [a.family for a in first.authors] == ["Okafor", "Lindqvist"]
    assert (first.year, first.journal, first.volume, first.issue, first.pages, first.doi) == (
        2020, "Journal of Fictional Psychology", "12", "3", "45-60", "10.5555/fixture.enw.1")
    assert first.keywords == ["partnership", "mental health"]
    second = records[1].record
    # AIS eLibrary writes %T before %0: the type line does not split the record.
    assert (second.title, second.pub_type, second.journal) == (
        "A record whose type comes second", "Book Section", "Fictional Handbook of Care")
    assert second.isbn == "978-3-16-148410-0"
    assert records[1].line == 18


def test_csl_json(project: Project) -> None:
    result, records = _import(project, "csl_json_zotero.json")
    assert (result.format, result.source, result.records) == ("csl-json", "CSL-JSON export", 2)
    first = records[0].record
    assert first.title == "Partnership boards in fictional community mental health"
    assert [(a.family, a.given) for a in first.authors] == [
        ("Okafor", "Ngozi"), ("van den Berg", "Anna"), ("Fictional Care Collaboration", None)]
    assert (first.year, first.doi, first.pmid, first.pages) == (
        2020, "10.5555/fixture.csl.1", "30000002", "45-60")
    assert records[1].record.year == 2018 and records[1].line == 20


@pytest.mark.parametrize("broken", ['[{"title": "A"}, {"title": }]', '[{"title": "A"} {"title": "B"}]'])
def test_csl_json_syntax_error_is_refused_with_its_line(
    project: Project, run_cli: Any, tmp_path: Path, broken: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(broken.replace(", ", ",\n"))
    code, _, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 1 and err.startswith(f"screener: error: {path}:") and err.count("\n") == 1
