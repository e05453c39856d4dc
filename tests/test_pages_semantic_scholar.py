"""Semantic-Scholar-like pages: a JSON line with a translated title, then abstracts."""

from __future__ import annotations

from pathlib import Path

from screener.importers.pages import semantic_scholar

DATA = Path(__file__).parent / "data" / "pages"


def _parse(name: str) -> list[object]:
    path = DATA / name
    return list(semantic_scholar.READER.parse(path.read_text(encoding="utf-8"), path))


def test_english_title_from_result_string_is_primary() -> None:
    [parsed] = _parse("semantic_scholar_translated_title.txt")
    record = parsed.record  # type: ignore[attr-defined]
    assert record.title.startswith("Shared budgets and shared blame")
    assert [(t.lang, t.text[:4]) for t in record.alt_titles] == [("zh", "共享预算")]
    assert record.abstract.startswith("Hospitals and municipalities increasingly pool")
    assert [a.lang for a in record.alt_abstracts] == ["zh"]
    assert record.doi == "10.5555/hpm.2022.0417"
    assert (record.journal, record.volume, record.pages, record.year) == (
        "Journal of Integrated Care Studies", "12", "201-215", 2022
    )
    assert [a.family for a in record.authors] == ["Ostrander", "Rao", "van der Meer"]


def test_english_title_taken_from_the_text_when_json_has_only_the_translation() -> None:
    [parsed] = _parse("semantic_scholar_title_in_text.txt")
    record = parsed.record  # type: ignore[attr-defined]
    assert record.title == "Collaboration between community pharmacies and general practices"
    assert record.alt_titles[0].lang == "zh"
    assert record.abstract.startswith("We describe how community pharmacies")
    assert record.pages is None  # "0" means unknown
    assert record.volume == "3"
    assert not record.incomplete


def test_several_json_lines_make_several_records() -> None:
    one = (DATA / "semantic_scholar_translated_title.txt").read_text(encoding="utf-8")
    two = (DATA / "semantic_scholar_title_in_text.txt").read_text(encoding="utf-8")
    parsed = list(semantic_scholar.READER.parse(one + "\n" + two, DATA / "both.txt"))
    assert [p.index for p in parsed] == [0, 1]
    assert parsed[1].line == one.count("\n") + 2
    assert parsed[1].record.title == (
        "Collaboration between community pharmacies and general practices"
    )
    assert parsed[0].record.abstract.startswith("Hospitals and municipalities")


def test_api_shaped_json_lines_are_read_too() -> None:
    line = (
        '{"paperId": "abc", "title": "Liaison nurses at the boundary", "year": 2020, '
        '"venue": "Health Policy", "authors": [{"authorId": "1", "name": "Priya N. Rao"}], '
        '"externalIds": {"DOI": "10.5555/HP.2020.1", "PubMed": "31234567"}, '
        '"citationCount": 4, "publicationDate": "2020-02-01", "publicationTypes": ["JournalArticle"]}'
    )
    text = line + "\n" + line.replace("Liaison nurses", "Boundary work") + "\n"
    assert semantic_scholar.READER.sniff(text) >= 0.8
    first, second = list(semantic_scholar.READER.parse(text, DATA / "api.jsonl"))
    record = first.record
    assert (record.title, record.year, record.journal, record.doi, record.pmid) == (
        "Liaison nurses at the boundary", 2020, "Health Policy", "10.5555/hp.2020.1", "31234567"
    )
    assert [(a.family, a.initials) for a in record.authors] == [("Rao", "PN")]
    assert second.record.title == "Boundary work at the boundary"
