"""Markdown extended abstracts: authors above ``## **Title**``, APA reference list."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importers.pages import extended_abstract
from screener.models import Method, ParsedRecord

DATA = Path(__file__).parent / "data" / "pages"


@pytest.fixture(scope="module")
def records() -> list[ParsedRecord]:
    path = DATA / "extended_abstract_apa_traps.md"
    return list(extended_abstract.READER.parse(path.read_text(encoding="utf-8"), path))


def test_title_authors_abstract(records: list[ParsedRecord]) -> None:
    page = records[0].record
    assert page.title == (
        "Who owns the pooled budget? Accountability in hospital-municipality partnerships"
    )
    assert [a.family for a in page.authors] == ["Rao", "van der Meer", "Ostrander"]
    assert page.abstract is not None and page.abstract.startswith("We ask how accountability")
    assert "Pooled budgets are a popular tool" not in page.abstract  # extended text is not the abstract
    assert page.keywords == ["pooled budgets", "accountability", "integrated care"]


def test_every_reference_becomes_a_citation_record(records: list[ParsedRecord]) -> None:
    assert len(records) == 1 + 8
    assert all(r.method is Method.CITATION and r.parent_index == 0 for r in records[1:])


def test_year_suffix_tells_same_author_year_works_apart(records: list[ParsedRecord]) -> None:
    a, b = records[4].record, records[5].record
    assert (a.year, a.year_suffix) == (2016, "a")
    assert (b.year, b.year_suffix) == (2016, "b")
    assert a.title != b.title


def test_entry_wrapped_onto_next_paragraph_is_rejoined(records: list[ParsedRecord]) -> None:
    entry = records[6]
    assert entry.record.title == (
        "Boards that do not decide: governance of pooled budgets in three regions"
    )
    assert entry.record.journal == "International Journal of Integrated Care"
    assert (entry.record.volume, entry.record.issue, entry.record.pages) == ("20", "3", "1-12")
    assert entry.line == 31 and "regions." in entry.raw


def test_entries_that_lost_their_bullet_still_start_new_records(
    records: list[ParsedRecord],
) -> None:
    assert records[7].record.authors[0].family == "Vangen"
    assert records[7].line == 35
    emerson = records[8].record
    assert [a.family for a in emerson.authors] == ["Emerson", "Nabatchi", "Balogh"]
    # Volume inside the italics, APA 7 style.
    assert (emerson.journal, emerson.volume, emerson.issue, emerson.pages) == (
        "Journal of Public Administration Research and Theory", "22", "1", "1-29"
    )


def test_chapter_with_editors_and_book(records: list[ParsedRecord]) -> None:
    chapter = records[2].record
    assert chapter.title == "Why partnerships stall"
    assert chapter.journal == "Partnership Work in Health and Social Care"
    assert (chapter.pages, chapter.place, chapter.publisher) == ("11-30", "Bristol", "Policy Press")


def test_book_with_place_and_publisher(records: list[ParsedRecord]) -> None:
    book = records[3].record
    assert book.title == "Managing to collaborate. The theory and practice of collaborative advantage"
    assert (book.place, book.publisher, book.pub_type) == ("London", "Routledge", "book")


def test_bold_heading_is_the_title_even_after_a_conference_heading() -> None:
    text = ("# Nordic Care Research Days 2019\n\nAnn Lee, Bo Chen\n\n## **Liaison nurses count**\n\n"
            "### **Abstract**\n\nShort.\n")
    page = next(iter(extended_abstract.READER.parse(text, DATA / "x.md"))).record
    assert page.title == "Liaison nurses count"
    assert [a.family for a in page.authors] == ["Lee", "Chen"]
