"""PubMed-derived aggregator pages: no title, identified by DOI."""

from __future__ import annotations

from pathlib import Path

from screener.importers.pages import pubmed

DATA = Path(__file__).parent / "data" / "pages"


def test_page_without_title_imports_by_doi_and_is_flagged_incomplete() -> None:
    path = DATA / "pubmed_no_title.txt"
    [parsed] = list(pubmed.READER.parse(path.read_text(encoding="utf-8"), path))
    record = parsed.record
    assert record.title is None and record.incomplete
    assert record.doi == "10.5555/bmchsr.2023.118"
    assert any("no title" in w and "10.5555/bmchsr.2023.118" in w for w in record.warnings)


def test_abstracts_keywords_and_mesh() -> None:
    path = DATA / "pubmed_no_title.txt"
    [parsed] = list(pubmed.READER.parse(path.read_text(encoding="utf-8"), path))
    record = parsed.record
    assert record.abstract is not None
    assert record.abstract.startswith("BACKGROUND: Hospitals")
    assert "CONCLUSIONS: Naming people" in record.abstract
    assert "partners' trust" in record.abstract  # scraped JSON escape removed
    [zh] = record.alt_abstracts
    assert zh.lang == "zh" and zh.text.startswith("背景")
    assert "公众号" not in zh.text  # page button, not abstract text
    assert record.keywords == ["Pooled budgets", "Discharge planning", "Municipalities", "Trust"]
    assert record.mesh and record.mesh[0].startswith("Humans Patient Discharge")


def test_sentence_case_keywords_split_at_capitals() -> None:
    assert pubmed.split_sentence_case("Health care sector Partnership COVID-19 Trust") == [
        "Health care sector", "Partnership", "COVID-19", "Trust"
    ]
    assert pubmed.split_sentence_case("a; b c") == ["a", "b c"]


def test_plain_title_lines_above_the_labels_become_the_title() -> None:
    path = DATA / "pubmed_no_title.txt"
    text = "Naming people, pooling money\n合作中的信任\n\n" + path.read_text(encoding="utf-8")
    [parsed] = list(pubmed.READER.parse(text, path))
    assert parsed.record.title == "Naming people, pooling money"
    assert [(t.lang, t.text) for t in parsed.record.alt_titles] == [("zh", "合作中的信任")]
    assert not parsed.record.incomplete and parsed.line == 1


def test_source_line_with_a_citation_gives_journal_and_year() -> None:
    path = DATA / "pubmed_no_title.txt"
    text = path.read_text(encoding="utf-8").replace(
        "DOI:10.5555", "BMC Health Serv Res. 2023 Mar 2;23(1):118-25. DOI:10.5555"
    )
    [parsed] = list(pubmed.READER.parse(text, path))
    record = parsed.record
    assert (record.journal, record.year, record.volume, record.issue, record.pages) == (
        "BMC Health Serv Res", 2023, "23", "1", "118-125"
    )
    assert record.doi == "10.5555/bmchsr.2023.118"
