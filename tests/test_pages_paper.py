"""PDF-to-text papers: front matter plus a numbered Vancouver reference list."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importers.pages import paper
from screener.models import Method, ParsedRecord

DATA = Path(__file__).parent / "data" / "pages"


@pytest.fixture(scope="module")
def records() -> list[ParsedRecord]:
    path = DATA / "paper_vancouver_traps.txt"
    return list(paper.READER.parse(path.read_text(encoding="utf-8"), path))


def test_page_record_then_one_citation_record_per_reference(records: list[ParsedRecord]) -> None:
    assert len(records) == 1 + 12
    assert records[0].method is None and records[0].parent_index is None
    assert all(r.method is Method.CITATION and r.parent_index == 0 for r in records[1:])
    assert [r.index for r in records] == list(range(13))


def test_front_matter(records: list[ParsedRecord]) -> None:
    page = records[0].record
    assert page.title == (
        "Shared budgets, separate worlds: partnership governance between hospitals and municipalities"
    )
    assert [(a.family, a.initials) for a in page.authors] == [
        ("Ostrander", "L"), ("Rao", "PN"), ("van der Meer", "T")
    ]
    assert page.keywords == ["pooled budgets", "integrated care", "governance", "municipalities"]
    assert page.abstract is not None
    # A word hyphenated across a paragraph break is rejoined.
    assert "kept the partnerships going" in page.abstract
    assert "Introduction" not in page.abstract


def test_entries_keep_their_line_and_raw_text(records: list[ParsedRecord]) -> None:
    first = records[1]
    assert first.line == 29
    assert first.raw.startswith("- [1] Vangen S, Huxham C.")


def test_doi_with_escaped_parentheses_from_markdown_link(records: list[ParsedRecord]) -> None:
    assert records[2].record.doi == "10.1016/s0168-8510(03)00044-2"


def test_doi_with_escaped_underscores(records: list[ParsedRecord]) -> None:
    assert records[3].record.doi == "10.5555/ijic_2019_44"


def test_doi_wrapped_onto_next_line(records: list[ParsedRecord]) -> None:
    assert records[4].record.doi == "10.5334/ijic.3068"


def test_doi_wrapped_across_page_break_with_page_number(records: list[ParsedRecord]) -> None:
    entry = records[5]
    assert entry.record.doi == "10.1093/jopart/mur011"
    assert "14" in entry.raw  # the page number stays in the raw text for audit
    assert entry.record.pages == "1-29"


def test_continuation_bullet_without_number_joins_the_entry_above(
    records: list[ParsedRecord],
) -> None:
    entry = records[6].record
    assert entry.title == "Boundary spanners in health and social care collaboration"
    assert entry.journal == "Health Soc Care Community"
    assert entry.year == 2017


def test_two_chapters_of_one_book_keep_their_own_titles_and_pages(
    records: list[ParsedRecord],
) -> None:
    first, second = records[7].record, records[8].record
    assert first.journal == second.journal == "Partnership Work in Health and Social Care"
    assert (first.title, first.pages) == ("Why partnerships stall", "11-30")
    assert (second.title, second.pages) == ("Measuring what partners value", "31-52")
    assert first.pub_type == "chapter" and first.place == "Bristol"
    assert first.publisher == "Policy Press"


def test_book_with_place_and_publisher(records: list[ParsedRecord]) -> None:
    book = records[9].record
    assert book.title == "Managing to Collaborate: The theory and practice of collaborative advantage"
    assert (book.place, book.publisher, book.year) == ("London", "Routledge", 2005)
    assert book.journal is None


def test_corporate_author_with_cited_date_and_url(records: list[ParsedRecord]) -> None:
    act = records[10].record
    assert [a.family for a in act.authors] == ["Norland Ministry of Health"]
    assert act.title == "Care Coordination Act (512/2016)"
    assert act.year == 2016
    assert act.url == "https://example.org/acts/512-2016.pdf"


def test_unparseable_entry_is_kept_raw_with_a_warning(records: list[ParsedRecord]) -> None:
    entry = records[11]
    assert entry.record.title is None and entry.record.incomplete
    assert any("raw text" in w for w in entry.record.warnings)
    assert "supplementary file" in entry.raw


def test_et_al_and_abbreviated_pages(records: list[ParsedRecord]) -> None:
    entry = records[12].record
    assert [a.family for a in entry.authors] == ["Rao", "Keller", "Achebe"]
    assert entry.journal == "Health Policy"
    assert entry.pages == "770-778"


def test_running_header_is_neither_title_nor_part_of_a_reference() -> None:
    path = DATA / "paper_running_footer.txt"
    page, first, second, third = list(paper.READER.parse(path.read_text(encoding="utf-8"), path))
    assert page.record.title == "Liaison nurses at the hospital boundary"
    assert [a.family for a in page.record.authors] == ["Keller", "Okafor"]
    assert second.record.title == (
        "Discharge planning with liaison nurses: a randomised trial of the effect on readmissions"
    )
    assert (second.record.journal, second.record.pages) == ("J Adv Nurs", "801-810")
    assert "Example Journal of Care Research" in second.raw  # kept for audit
    assert (first.line, second.line, third.line) == (33, 34, 41)


def test_structured_abstract_headings_on_their_own_lines_become_labels() -> None:
    text = (
        "Liaison work measured\n\nAnn Lee¹, Bo Chen²\n\nAbstract\n\nBackground\n\nLiaison nurses "
        "link wards.\n\nMethods\n\nWe timed them.\n\nConclusions\n\nIt takes time.\n\n"
        "Background\n\nBody text that is not the abstract.\n\nReferences\n\n"
        "1. Lee A. One. J X 2001;1:1-2.\n2. Lee A. Two. J X 2002;2:3-4.\n3. Lee A. Three. J X 2003;3:5-6.\n"
    )
    page = next(iter(paper.READER.parse(text, DATA / "inline.txt"))).record
    assert page.abstract == (
        "Background: Liaison nurses link wards. Methods: We timed them. Conclusions: It takes time."
    )


def test_unstructured_abstract_ends_at_the_first_body_heading() -> None:
    text = ("A title\n\nAnn Lee¹\n\nABSTRACT\n\nPlain abstract.\n\n1. Background\n\nBody.\n")
    page = next(iter(paper.READER.parse(text, DATA / "inline.txt"))).record
    assert page.abstract == "Plain abstract."


def test_inline_abstract_label() -> None:
    text = ("A title\n\nAnn Lee¹\n\nAbstract: Plain abstract on the label line.\n\n"
            "Abstracts of conference talks are not abstract labels.\n\nKeywords: one, two\n")
    page = next(iter(paper.READER.parse(text, DATA / "inline.txt"))).record
    assert page.abstract == (
        "Plain abstract on the label line. Abstracts of conference talks are not abstract labels."
    )
    assert page.keywords == ["one", "two"]
