"""Every standard export format, one fixture per flavour and quirk (tests/data/import/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rispy

from screener.importing import import_file
from screener.models import StoredRecord
from screener.project import Project

DATA = Path(__file__).parent / "data" / "import"


def _import(project: Project, name: str, **options: Any) -> tuple[Any, list[StoredRecord]]:
    store = project.open_store()
    try:
        result = import_file(store, DATA / name, **options)
        return result, list(store.iter_records(with_raw=True))
    finally:
        store.close()


# (fixture, format, source, record count, expected fields of the first record)
CASES: list[tuple[str, str, str, int, dict[str, Any]]] = [
    ("ris_pubmed.ris", "ris", "PubMed", 1, {
        "journal": "Journal of integrated care", "pages": "1658-1664", "pmid": "33456789",
        "mesh": ["Cooperative Behavior", "Patient Discharge/organization & administration"],
        "keywords": ["Humans", "partnership"]}),
    ("ris_scopus.ris", "ris", "Scopus", 2, {
        "journal": "Health Policy and Planning", "pages": "412-421", "isbn": None,
        "doi": "10.5555/fixture.scopus.1", "keywords": ["alliances", "governance", "health systems"]}),
    ("ris_ovid_embase.ris", "ris", "Embase", 1, {
        "journal": "Scandinavian Journal of Public Health", "year": 2019, "pmid": None,
        "doi": "10.5555/fixture.ovid.1",
        "keywords": ["interorganizational cooperation", "primary health care", "social services"],
        "abstract": "Fictional abstract: municipalities and primary care centres formed joint boards."}),
    ("ris_wos.ris", "ris", "Web of Science", 1, {
        "journal": "JOURNAL OF HEALTH ORGANIZATION AND MANAGEMENT", "year": 2022, "pages": "55-72"}),
    ("ris_zotero.ris", "ris", "RIS export", 1, {
        "journal": "BMC Health Services Research", "year": 2023, "isbn": None,
        "url": "https://doi.org/10.5555/fixture.zotero.1"}),
    ("ris_endnote.ris", "ris", "RIS export", 2, {
        "journal": "International Journal of Integrated Care", "year": 2017, "pages": "1658-1664"}),
    ("ris_mendeley.ris", "ris", "RIS export", 1, {
        "journal": "Public Management Review", "keywords": ["trust", "contracts", "public-private partnership"]}),
    ("medline_pubmed.nbib", "medline", "PubMed", 2, {
        "title": "Partnership working between hospitals and social care providers: a qualitative "
                 "study of hospital discharge in three regions.",
        "journal": "BMC health services research", "year": 2021, "pages": "1658-1664",
        "doi": "10.5555/fixture.medline.1", "pmid": "34567890", "volume": "21", "issue": "1",
        "mesh": ["Humans", "Interinstitutional Relations", "Patient Discharge"],
        "keywords": ["partnership", "social care"]}),
    ("wos_savedrecs.txt", "wos", "Web of Science", 2, {
        "title": "Developmental processes of cooperative interorganizational relationships",
        "journal": "ACADEMY OF MANAGEMENT REVIEW", "year": 1994, "pages": "90-118",
        "doi": "10.5465/amr.1994.9410122009", "keywords": ["cooperation", "interorganizational relationships", "TRUST"]}),
    ("bibtex_latex.bib", "bibtex", "BibTeX export", 3, {
        "title": "Inter-organisational partnerships in Münster's care networks",
        "journal": "Health Services Research", "pages": "1658-1664", "doi": "10.5555/fixture.bib.1",
        "abstract": "Fictional abstract with an ampersand & a tilde space."}),
    ("csv_scopus.csv", "csv", "Scopus", 2, {
        "journal": "Health Policy and Planning", "pages": "412-421", "doi": "10.5555/fixture.scopus.1",
        "abstract": 'Fictional abstract, with a comma, and a "quoted" word.'}),
    ("tsv_wos.txt", "csv", "Web of Science", 1, {
        "doi": "10.5465/amr.1994.9410122009", "pages": "90-118", "year": 1994}),
    ("tsv_wos_utf16le.txt", "csv", "Web of Science", 1, {
        "title": "Developmental processes of cooperative interorganizational relationships",
        "pages": "90-118"}),
    ("csv_scopus_old_author_commas.csv", "csv", "Scopus", 1, {
        "authors": [{"family": "Ring", "given": "P.S.", "initials": "PS"},
                    {"family": "Van de Ven", "given": "A.H.", "initials": "AH"}],
        "abstract": None, "pages": "90-118"}),
    ("csv_dimensions.csv", "csv", "Dimensions", 1, {
        "pages": "145-159", "pmid": "35000001", "mesh": ["Humans", "Contracts"], "year": 2022}),
    ("csv_lens.csv", "csv", "Lens", 1, {
        "pages": "1658-1664", "pmid": "34567890", "keywords": ["partnership", "social care"]}),
    ("endnote.xml", "endnote-xml", "EndNote export", 2, {
        "journal": "Journal of Health Organization and Management", "pages": "145-159",
        "doi": "10.5555/fixture.dimensions.1", "keywords": ["alliance", "contracts"],
        "abstract": "Fictional abstract & more."}),
]


@pytest.mark.parametrize(("name", "fmt", "source", "count", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_format_is_detected_and_fields_mapped(
    project: Project, name: str, fmt: str, source: str, count: int, expected: dict[str, Any]
) -> None:
    result, records = _import(project, name)
    assert (result.format, result.source, result.records) == (fmt, source, count)
    assert len(records) == count
    first = records[0].record.model_dump()
    for key, value in expected.items():
        assert first[key] == value, key
    assert all(r.raw and r.line >= 1 and r.sha256 for r in records)


def test_detection_ignores_a_misleading_extension(project: Project, tmp_path: Path) -> None:
    disguised = tmp_path / "export.csv"
    disguised.write_bytes((DATA / "medline_pubmed.nbib").read_bytes())
    store = project.open_store()
    result = import_file(store, disguised)
    store.close()
    assert result.format == "medline"


def test_authors_are_structured_in_every_format(project: Project) -> None:
    _, records = _import(project, "wos_savedrecs.txt")
    ring = records[0].record.authors[0]
    assert (ring.family, ring.given, ring.initials) == ("Ring", "Peter Smith", "PS")
    _, records = _import(project, "csv_scopus.csv")
    assert records[-2].record.authors[0].family == "Mbeki"  # Scopus IDs "(5700...)" removed
    assert records[-2].record.authors[0].given == "Thandiwe A."


def test_bibtex_latex_and_duplicate_keys(project: Project) -> None:
    result, records = _import(project, "bibtex_latex.bib")
    names = [(a.family, a.given) for a in records[0].record.authors]
    assert names == [("Müller", "Jörg"), ("García", "María"), ("Van de Ven", "Andrew H.")]
    # The entry with a reused key is kept and flagged, not dropped.
    assert records[2].record.title == "A second entry reusing a key"
    assert "duplicate BibTeX key 'li2020'" in records[2].record.warnings


def test_ris_matches_rispy_on_titles_and_authors() -> None:
    """Our streaming RIS reader agrees with rispy on the standard tags."""
    from screener.importers.ris import READER

    for name in ("ris_scopus.ris", "ris_zotero.ris", "ris_endnote.ris", "ris_wos.ris"):
        text = (DATA / name).read_text()
        ours = list(READER.parse(text, DATA / name))
        theirs = rispy.loads(text)
        assert [p.record.title for p in ours] == [e.get("title") or e.get("primary_title") for e in theirs]
        assert [len(p.record.authors) for p in ours] == [len(e.get("authors", [])) for e in theirs]


def test_user_column_mapping(project: Project, run_cli: Any) -> None:
    path = DATA / "csv_custom_columns.csv"
    code, out, err = run_cli("import", "--project", str(project.root), str(path),
                             "--columns", "title=Paper name,authors=First author,year=When,doi=Identifier")
    assert code == 0, err
    store = project.open_store()
    records = [r.record for r in store.iter_records()]
    store.close()
    assert [r.title for r in records] == ["Partnerships in rural care", "Networks of hospitals"]
    assert records[0].doi == "10.5555/fixture.custom.1"
    assert records[0].authors[0].family == "Diallo" and records[1].year == 2019


def test_column_mapping_names_a_missing_column(project: Project, run_cli: Any) -> None:
    code, _, err = run_cli("import", "--project", str(project.root),
                           str(DATA / "csv_custom_columns.csv"), "--columns", "title=Nope")
    assert code == 1
    assert "no title column" in err and err.count("\n") == 1


def test_column_mapping_rejected_for_other_formats(project: Project, run_cli: Any) -> None:
    code, _, err = run_cli("import", "--project", str(project.root),
                           str(DATA / "ris_wos.ris"), "--columns", "title=TI")
    assert code == 1
    assert "--columns applies to CSV/TSV files" in err


def test_concatenated_wos_exports_keep_every_record(project: Project) -> None:
    result, records = _import(project, "wos_concatenated_exports.txt")
    assert result.records == 4
    assert records[2].line == 44 and records[2].record.year == 1994


@pytest.mark.parametrize(("head", "source"), [
    ("Database: Ovid MEDLINE(R) ALL <1946 to March 01, 2024>\n\nTY  - JOUR\n", "MEDLINE"),
    ("Database: Embase <1974 to 2024 March 01>\nTY  - JOUR\n", "Embase"),
    ("TY  - JOUR\nDB  - Ovid MEDLINE(R)\nER  - \n", "MEDLINE"),
    ("TY  - JOUR\nUR  - https://www.scopus.com/inward/record.uri?eid=2\nER  - \n", "Scopus"),
    ("TY  - JOUR\nAN  - WOS:000123\nER  - \n", "Web of Science"),
    ("TY  - JOUR\nDP  - PubMed\nER  - \n", None),  # Zotero's library catalogue, not a search
])
def test_ris_source_from_content(head: str, source: str | None) -> None:
    from screener.importers.ris import READER

    assert READER.detect_source(head) == source
