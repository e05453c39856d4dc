"""Quirks of real exports (found in the import corpus), one small fixture per case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screener.importing import import_file
from screener.models import StoredRecord
from screener.project import Project

DATA = Path(__file__).parent / "data" / "import"


def _import(project: Project, name: str) -> tuple[Any, list[StoredRecord]]:
    store = project.open_store()
    try:
        result = import_file(store, DATA / name)
        return result, list(store.iter_records(with_raw=True))
    finally:
        store.close()


# (fixture, format, source, record count, expected fields of the first record)
CASES: list[tuple[str, str, str, int, dict[str, Any]]] = [
    ("ris_ovid_lines_after_er.ris", "ris", "RIS export", 2, {
        "title": "Partnership boards in community mental health", "year": 2020}),
    ("ris_jats_abstract.ris", "ris", "Lens", 1, {
        "title": "Joint commissioning “at scale”",
        "abstract": "Background Fictional abstract: councils & clinics pooled budgets (p < 0.05)."}),
    ("ris_ebsco_psycinfo.ris", "ris", "PsycINFO", 1, {"year": 2018}),
    ("ris_dimensions.ris", "ris", "Dimensions", 1, {"year": 2021}),
    ("medline_eric.nbib", "medline", "ERIC", 1, {
        "title": "Partnerships between schools and fictional clinics", "year": 2019,
        "doi": "10.5555/fixture.eric.1", "pages": "45-60", "volume": "12", "warnings": [],
        "url": "http://eric.ed.gov/?id=EJ0000001"}),
    ("wos_biosis_unindented.txt", "wos", "Web of Science", 1, {
        "title": "Carbon sources of fictional benthic consumers in arctic lakes",
        "authors": [{"family": "Nakamura", "given": "Hiro", "initials": "H"},
                    {"family": "Osei", "given": "Kwame", "initials": "K"}]}),
    ("csv_springer.csv", "csv", "Springer Link", 1, {
        "journal": "Journal of Fictional Computing", "volume": "7", "issue": "2", "year": 2022,
        "doi": "10.5555/fixture.springer.1"}),
    ("csv_openalex.csv", "csv", "OpenAlex", 1, {
        "title": "Alliances in fictional care networks", "year": 2017, "pmid": "30000001",
        "doi": "10.5555/fixture.openalex.1", "journal": "Journal of Fictional Informetrics",
        "authors": [{"family": "Rossi", "given": "Massimo", "initials": "M"},
                    {"family": "Bianchi", "given": "Corrado", "initials": "C"}]}),
    ("csv_embase.csv", "csv", "Embase", 1, {
        "journal": "Fictional Endoscopy", "year": 2014, "volume": "3", "issue": "3",
        "pages": "152-160", "doi": "10.5555/fixture.embase.1",
        "authors": [{"family": "Liu", "given": None, "initials": "R"},
                    {"family": "Adler", "given": None, "initials": "DG"}]}),
    ("csv_scopus_extra_funding_cell.csv", "csv", "Scopus", 1, {
        "pmid": "12345678", "language": "English", "pub_type": "Article", "warnings": []}),
]


@pytest.mark.parametrize(("name", "fmt", "source", "count", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_quirk_is_read(
    project: Project, name: str, fmt: str, source: str, count: int, expected: dict[str, Any]
) -> None:
    result, records = _import(project, name)
    assert (result.format, result.source, result.records) == (fmt, source, count)
    first = records[0].record.model_dump(exclude_defaults=False)
    for key, value in expected.items():
        assert first[key] == value, key


def test_ovid_lines_after_er_stay_with_their_record(project: Project) -> None:
    _, records = _import(project, "ris_ovid_lines_after_er.ris")
    assert [r.raw.splitlines()[-1] for r in records] == ["NL  - J Fict Psychol"] * 2


def test_ris_authors_keep_their_order_across_a1_and_au(project: Project) -> None:
    _, records = _import(project, "ris_a1_before_au.ris")
    assert [a.family for a in records[0].record.authors] == ["Achterberg", "Brennan", "Castillo"]


def test_springer_authors_written_without_separator_are_split(project: Project) -> None:
    _, records = _import(project, "csv_springer.csv")
    names = [(a.family, a.given) for a in records[0].record.authors]
    assert names == [("Aliev", "Araz R."), ("Ismayilova", "Nigar T."), ("McDonald", "John")]


def test_wos_damaged_tag_line_keeps_every_record_and_flags_it(
    project: Project, run_cli: Any
) -> None:
    path = DATA / "wos_damaged_tag_line.txt"
    code, out, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 0, err
    assert "3 records" in out
    assert f"warning: {path}:10: line 11: damaged tag line 'AUGilles, H' kept unread" in err
    store = project.open_store()
    records = list(store.iter_records(with_raw=True))
    store.close()
    assert records[1].record.title == "A record with a damaged author tag"
    assert "AUGilles, H\n   Girard, S" in records[1].raw
    assert not records[0].record.warnings and not records[2].record.warnings


def test_wos_early_access_record_has_its_year(project: Project) -> None:
    _, records = _import(project, "wos_damaged_tag_line.txt")
    assert records[2].record.year == 2021


def test_bibtex_macros_concatenation_crossref_and_corporate_authors(project: Project) -> None:
    _, records = _import(project, "bibtex_macros_and_crossref.bib")
    child = records[0].record
    assert child.title == "Cool Partnerships"  # @string macros joined with #
    assert child.journal == "My International Conference on TeX and Σ⁰ Care"  # from crossref
    assert child.year == 2021 and child.pages == "10-20"
    assert [(a.family, a.given) for a in child.authors] == [
        ("World Health Organization and Partners", None), ("Smith", "Anna")]
    assert records[2].record.title == "A dummy title 's α-level view"
    assert records[2].record.doi == "10.5555/fixture_bib.2"
    # Scopus writes one comma-separated list without "and".
    assert [a.family for a in records[3].record.authors] == ["D'Ambrosio", "Aria", "Cuccurullo"]


def test_bibtex_damaged_entries_are_kept_flagged_with_their_line(
    project: Project, run_cli: Any
) -> None:
    path = DATA / "bibtex_damaged_entry.bib"
    code, out, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 0, err
    assert "4 records" in out
    assert f"warning: {path}:6: line 6: entry not closed (unbalanced braces?)" in err
    assert f"warning: {path}:12: line 14: missing comma before field 'author'" in err
    store = project.open_store()
    records = [r for r in store.iter_records(with_raw=True)]
    store.close()
    assert [r.record.year for r in records] == [2019, 2020, 2021, 2022]
    assert records[1].raw.startswith("@article{broken,") and records[1].record.warnings
    assert records[2].record.authors[0].family == "Roe"
    assert not records[0].record.warnings and not records[3].record.warnings


def test_latex_to_text() -> None:
    from screener.importers.latex import latex_to_text

    cases = {
        r"M{\"u}ller and Garc{\'\i}a": "Müller and García",
        r"Fran\c cois Stra\ss e \v{C}ech": "François Straße Čech",
        r"\TeX{} and \LaTeX\ rules": "TeX and LaTeX rules",
        r"Production of $\Sigma^0$ Hyperon": "Production of Σ⁰ Hyperon",
        r"Mitochondrial DNA$_\textrm2$ and H\textsubscript{2}O": "Mitochondrial DNA₂ and H₂O",
        r"\emph{Homo sapiens} 10\% -- ``quoted''": "Homo sapiens 10% – “quoted”",
        r"an \unknown{argument} and \unknowncommand": "an argument and unknowncommand",
        "plain text": "plain text",
    }
    for latex, text in cases.items():
        assert latex_to_text(latex) == text, latex


def test_medline_damaged_tag_line_keeps_every_record_and_flags_it(
    project: Project, run_cli: Any
) -> None:
    path = DATA / "medline_damaged_tag_line.nbib"
    code, out, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 0, err
    assert "3 records" in out
    assert f"warning: {path}:5: line 6: damaged tag line 'SO  invalid line' kept unread" in err
    store = project.open_store()
    records = list(store.iter_records(with_raw=True))
    store.close()
    assert [r.record.year for r in records] == [2020, 2021, 2022]
    assert "SO  invalid line" in records[1].raw
    assert not records[0].record.warnings and not records[2].record.warnings
