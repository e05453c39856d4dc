"""Web-of-Science-like pages with a related-papers list."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importers.pages import wos
from screener.models import Method, ParsedRecord

DATA = Path(__file__).parent / "data" / "pages"


@pytest.fixture(scope="module")
def records() -> list[ParsedRecord]:
    path = DATA / "wos_related_papers.txt"
    return list(wos.READER.parse(path.read_text(encoding="utf-8"), path))


def test_page_fields(records: list[ParsedRecord]) -> None:
    page = records[0].record
    assert page.title.startswith("Liaison nurses as boundary spanners")  # type: ignore[union-attr]
    assert [(a.family, a.given) for a in page.authors] == [
        ("Keller", "Martina"), ("Achebe", "Samuel Obi"), ("van der Meer", "Tomas")
    ]
    assert page.doi == "10.5555/jan.2021.3301"
    assert page.keywords == ["Liaison nurse", "Boundary spanning", "Discharge planning", "HOME CARE"]
    assert "相关论文" not in records[0].raw and "Lindqvist" not in records[0].raw


def test_run_together_abstract_headings_are_separated(records: list[ParsedRecord]) -> None:
    abstract = records[0].record.abstract
    assert abstract is not None
    assert abstract.startswith("Background: Liaison nurses")
    assert "teams. Objectives: To describe" in abstract
    assert "interviews. Results: Liaison" in abstract
    assert "(e.g., Fig. 2). Conclusions: The role" in abstract


def test_related_papers_are_citation_records(records: list[ParsedRecord]) -> None:
    related = records[1:]
    assert len(related) == 4
    assert all(r.method is Method.CITATION and r.parent_index == 0 for r in related)
    assert [r.line for r in related] == [27, 32, 35, 39]


def test_related_entry_fields(records: list[ParsedRecord]) -> None:
    wrapped = records[1].record
    assert wrapped.title == (
        "Boundary spanning in integrated care: a scoping review of roles, tasks and outcomes"
    )
    assert [a.family for a in wrapped.authors] == ["Lindqvist", "Hale"]
    assert (wrapped.journal, wrapped.year, wrapped.volume, wrapped.issue, wrapped.pages) == (
        "INTERNATIONAL JOURNAL OF INTEGRATED CARE", 2018, "18", "2", "1-14"
    )
    supplement = records[2].record
    assert (supplement.volume, supplement.issue, supplement.pages) == ("71", None, "S12")


def test_entry_without_source_line_is_kept_with_a_warning(records: list[ParsedRecord]) -> None:
    entry = records[4].record
    assert entry.title == "Nurses at the boundary: an essay"
    assert entry.year is None
    assert entry.warnings


def test_separate_headings_leaves_ordinary_words_alone() -> None:
    assert wos.separate_headings("Results matter. ResultsWere good.") == (
        "Results matter. Results: Were good."
    )


def test_emerald_structured_headings() -> None:
    text = ("PurposeTo study boards.Design/methodology/approachCase study.FindingsBoards help."
            "Originality/valueFirst such study.")
    assert wos.separate_headings(text) == (
        "Purpose: To study boards. Design/methodology/approach: Case study. Findings: Boards help. "
        "Originality/value: First such study."
    )
