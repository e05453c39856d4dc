"""Page sniffing: confident only on strong markers; never claims standard exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importers import all_readers, detect_reader
from screener.importers.pages import extended_abstract, paper, pubmed, semantic_scholar, wos

PAGE_READERS = [semantic_scholar.READER, paper.READER, extended_abstract.READER, pubmed.READER,
                wos.READER]

REFS = "\n".join(f"- [{n}] Hale R. Title {n}. J X 2001;1:1-2." for n in range(1, 6))
STANDARD = {
    "ris": "TY  - JOUR\nTI  - A study\nAB  - Abstract\nReferences\n" + REFS + "\nER  - \n",
    "medline": "PMID- 123456\nTI  - A study\nAB  - Abstract\n\nReferences\n" + REFS,
    "bibtex": "@article{hale2001,\n  title = {Abstract},\n}\nReferences\n" + REFS,
    "csv": "Title,Authors,Year,DOI\nA study,Hale R,2001,10.1/x\nReferences\n" + REFS,
    "wos-tagged": "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAB Abstract\nReferences\n" + REFS,
    "json-array": '[{"title": "A", "resultStr": "{}", "citationCount": "1"}]',
}


@pytest.mark.parametrize("name", sorted(STANDARD))
def test_page_readers_never_claim_standard_exports(name: str) -> None:
    text = STANDARD[name]
    assert [r.name for r in PAGE_READERS if r.sniff(text) > 0] == []


def test_ris_with_a_references_line_stays_ris() -> None:
    text = STANDARD["ris"]
    assert detect_reader(text, Path("x.txt")).name == "ris"


def test_plain_prose_is_not_a_page() -> None:
    text = "Notes from the team meeting.\n\nWe discussed the protocol.\nAbstract thoughts only.\n"
    assert all(r.sniff(text) == 0 for r in PAGE_READERS)


def test_json_line_without_aggregator_keys_is_not_claimed() -> None:
    assert semantic_scholar.READER.sniff('{"title": "A", "doi": "10.1/x"}\n') == 0


def test_extended_abstract_beats_paper_on_markdown() -> None:
    text = ("Ann Lee\n\n## **A Title**\n\n### **Abstract**\n\nText.\n\n## References\n\n"
            "- Lee, A. (2001). One. *J*, 1(1), 1-2.\n- Lee, A. (2002). Two. *J*, 2(1), 3-4.\n")
    assert detect_reader(text, Path("x.md")).name == "page-extended-abstract"


def test_every_registered_reader_has_a_unique_name() -> None:
    names = [r.name for r in all_readers()]
    assert len(names) == len(set(names))


def test_paper_title_with_commas_is_not_mistaken_for_a_csv_header() -> None:
    text = ("Trust, power, money, and time in partnerships\n\nAnn Lee¹, Bo Chen²\n\nAbstract\n\n"
            "Text.\n\nReferences\n\n" + REFS)
    assert detect_reader(text, Path("x.txt")).name == "page-paper"
