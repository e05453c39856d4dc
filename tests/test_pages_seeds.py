"""Integration: the five seed pages in ../shared/seeds (skipped when absent)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screener.importers import detect_reader
from screener.models import Method, ParsedRecord
from screener.project import Project
from screener.textio import decode_bytes

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")


def _read(prefix: str) -> tuple[str, list[ParsedRecord]]:
    [path] = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    text = decode_bytes(path.read_bytes(), path).text
    reader = detect_reader(text, path)
    return reader.name, list(reader.parse(text, path))


@pytest.fixture(scope="module")
def seeds() -> dict[str, tuple[str, list[ParsedRecord]]]:
    return {p: _read(p) for p in ("000", "001", "002", "003", "004")}


def test_counts_and_formats(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    assert {k: (fmt, len(recs)) for k, (fmt, recs) in seeds.items()} == {
        "000": ("page-semantic-scholar", 1),
        "001": ("page-paper", 49),
        "002": ("page-extended-abstract", 14),
        "003": ("page-pubmed", 1),
        "004": ("page-wos", 11),
    }
    assert sum(len(recs) for _, recs in seeds.values()) == 76
    for _, recs in seeds.values():
        assert recs[0].method is None
        assert all(r.method is Method.CITATION and r.parent_index == 0 for r in recs[1:])


def test_every_list_entry_is_split(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    for _, recs in seeds.values():
        for item in recs[1:]:
            record = item.record
            assert record.title and record.year and record.authors, item.raw
            assert record.journal or record.publisher, item.raw
            assert not record.warnings, item.raw


def test_bilingual_page_keeps_english_primary(
    seeds: dict[str, tuple[str, list[ParsedRecord]]],
) -> None:
    page = seeds["000"][1][0].record
    assert page.title == (
        "Value for all? Dynamics of partnership formation in occupational healthcare collaboration"
    )
    assert page.doi == "10.23996/fjhw.101776" and page.year == 2021
    assert [t.lang for t in page.alt_titles] == ["zh"]
    assert [a.lang for a in page.alt_abstracts] == ["zh"]
    assert page.abstract is not None and page.abstract.startswith("Interorganizational")


def test_same_work_as_paper_page(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    paper = seeds["001"][1][0].record
    assert paper.title == seeds["000"][1][0].record.title
    assert [a.family for a in paper.authors] == ["Kork", "Koskela", "Turpeinen"]


def test_vancouver_samples(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    refs = [r.record for r in seeds["001"][1][1:]]
    ring = refs[0]
    assert [(a.family, a.initials) for a in ring.authors] == [("Ring", "PS"), ("Van de Ven", "AH")]
    assert (ring.journal, ring.year, ring.volume, ring.issue, ring.pages) == (
        "Acad Manage Rev", 1994, "19", "1", "90-118"
    )
    assert refs[7].doi == "10.1016/s0263-2373(01)00062-7"
    assert refs[4].title.endswith("sustainable eHealth technologies")  # type: ignore[union-attr]
    assert (refs[4].place, refs[4].publisher) == ("Enschede", "University of Twente")
    langley, hernes = refs[19], refs[32]
    assert langley.journal == hernes.journal == "Process, Sensemaking, and Organizing"
    assert langley.title != hernes.title and langley.pages != hernes.pages
    assert refs[40].pages == "1249-1254"


def test_apa_samples(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    refs = [r.record for r in seeds["002"][1][1:]]
    vlaar = [r for r in refs if r.authors[0].family == "Vlaar"]
    assert [(r.year, r.year_suffix) for r in vlaar] == [(2006, None), (2007, "a"), (2007, "b")]
    assert vlaar[1].journal == "Group & Organization Management"
    assert refs[0].journal == "Journal of management"
    assert (refs[0].volume, refs[0].issue, refs[0].pages) == ("26", "3", "367-403")


def test_pubmed_page_without_title(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    page = seeds["003"][1][0].record
    assert page.title is None and page.incomplete
    assert page.doi == "10.1186/s12913-024-10930-3"
    assert page.abstract is not None and page.abstract.startswith("BACKGROUND:")
    assert [a.lang for a in page.alt_abstracts] == ["zh"]


def test_wos_page_and_related(seeds: dict[str, tuple[str, list[ParsedRecord]]]) -> None:
    recs = seeds["004"][1]
    page = recs[0].record
    assert page.doi == "10.1186/s12913-024-11944-7"
    assert [a.family for a in page.authors] == ["Zwisler", "Sauer", "Shoultz"]
    assert page.abstract is not None and page.abstract.startswith("Background: Inter-organizational")
    luo = recs[3].record
    assert (luo.journal, luo.year, luo.volume, luo.issue, luo.pages) == (
        "ACADEMIC MEDICINE", 2013, "88", "11", "1658-1664"
    )


def test_importing_the_seeds_stores_76_records_with_methods_and_parents(
    project: Project, run_cli: Callable[..., tuple[int, str, str]]
) -> None:
    files = [str(p) for p in sorted(SEEDS.glob("0*_*.txt"))]
    code, out, err = run_cli("import", "--project", str(project.root), *files)
    assert code == 0, err
    assert "imported 76 records from 5 files" in out
    store = project.open_store()
    try:
        stored = list(store.iter_records())
    finally:
        store.close()
    assert len(stored) == 76
    pages = [s for s in stored if s.parent_id is None]
    assert len(pages) == 5 and {s.method.value for s in pages} == {"database"}
    entries = [s for s in stored if s.parent_id is not None]
    assert len(entries) == 71 and {s.method.value for s in entries} == {"citation"}
    page_ids = {s.id for s in pages}
    assert {s.parent_id for s in entries} <= page_ids
    assert sorted(s.source for s in pages) == [
        "Full text", "Full text", "PubMed", "Semantic Scholar", "Web of Science"
    ]
