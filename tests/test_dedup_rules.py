"""Dedup matching rules on small hand-made records: what merges, what waits, what never."""

from __future__ import annotations

from typing import Any

import pytest

from screener.dedup import DedupItem, find_duplicates
from screener.dedup.keys import match_keys, normalize_title
from screener.dedup.scoring import Verdict, compare
from screener.models import Author, LangText, Record

SMITH = [Author(family="Smith", given="John A.", initials="JA"), Author(family="Doe", given="Jane", initials="J")]
TITLE = "Value for all? Dynamics of partnership formation in occupational healthcare collaboration"


def rec(**fields: Any) -> Record:
    base: dict[str, Any] = {"title": TITLE, "authors": SMITH, "year": 2020, "journal": "Journal of Management"}
    base.update(fields)
    return Record(**base)


def verdict(a: Record, b: Record, parent_a: int | None = None, parent_b: int | None = None) -> Verdict:
    return compare(match_keys(DedupItem(1, a, parent_a)), match_keys(DedupItem(2, b, parent_b))).verdict


def groups(*records: Record) -> list[list[int]]:
    return find_duplicates([DedupItem(i + 1, r) for i, r in enumerate(records)]).groups


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[Efficacy of aspirin in stroke].", "efficacy of aspirin in stroke"),
        ("Efficacy of batroxobin. [Chinese]", "efficacy of batroxobin"),
        ("Müller&#39;s <i>Theory</i> of  Things.", "muller s theory of things"),
    ],
)
def test_titles_are_normalised(raw: str, expected: str) -> None:
    assert normalize_title(raw) == expected


def test_same_doi_merges_even_without_title() -> None:
    assert verdict(rec(doi="10.1000/x"), Record(doi="10.1000/x", year=2020)) is Verdict.AUTO


def test_vancouver_and_full_author_forms_with_abbreviated_venue_and_short_pages_merge() -> None:
    a = rec(title=TITLE + ".", volume="12", pages="1658-1664")
    b = rec(title=TITLE.upper(), authors=[Author(family="Smith", initials="JA"), Author(family="Doe", initials="J")],
            journal="J Manage", volume="12", pages="1658-64")
    assert verdict(a, b) is Verdict.AUTO


def test_online_first_year_differs_by_one_with_same_journal() -> None:
    assert verdict(rec(year=2019, volume="3"), rec(year=2020, volume="3")) is Verdict.AUTO


def test_different_dois_never_merge_automatically() -> None:
    assert verdict(rec(doi="10.1000/a"), rec(doi="10.1000/b")) is not Verdict.AUTO


def test_shared_supplement_doi_with_different_titles_does_not_merge() -> None:
    a = rec(doi="10.1000/suppl", title="Insulin pump therapy in adolescents with type 1 diabetes")
    b = rec(doi="10.1000/suppl", title="Retinal screening intervals in a rural primary care population")
    assert verdict(a, b) is Verdict.DISTINCT
    assert groups(a, b) == []


def test_year_suffix_a_and_b_stay_apart() -> None:
    a = rec(year_suffix="a", title="Towards a dialectic perspective on formalization in relationships")
    b = rec(year_suffix="b", title="Towards a dialectic perspective on formalisation in relationships")
    assert verdict(a, b) is Verdict.NEVER


def test_same_authors_and_year_with_different_titles_stay_apart() -> None:
    a = rec(title="Coping with problems of understanding in interorganizational relationships")
    b = rec(title="On the evolution of trust, distrust, and formal coordination and control")
    assert groups(a, b) == []


@pytest.mark.parametrize(
    "other",
    [
        "Erratum: " + TITLE,
        "Correction to: " + TITLE,
        TITLE + " (vol 12, pg 1658, 2020)",
        "Comment on: " + TITLE,
        "Reply to: " + TITLE,
        "Re: " + TITLE,
    ],
)
def test_errata_comments_and_replies_never_merge_with_the_article(other: str) -> None:
    assert verdict(rec(), rec(title=other)) is Verdict.NEVER


def test_part_one_and_part_two_never_merge() -> None:
    a = rec(title="Partnerships in occupational health, part 1: formation and governance")
    b = rec(title="Partnerships in occupational health, part 2: formation and governance")
    assert verdict(a, b) is Verdict.NEVER
    assert verdict(rec(title="Sensemaking in partnerships: Part I"), rec(title="Sensemaking in partnerships: Part II")) is Verdict.NEVER


@pytest.mark.parametrize("title", ["Editorial", "Correction", "Reply", "Diabetes", "Stroke"])
def test_generic_titles_never_merge_on_title_alone(title: str) -> None:
    a = Record(title=title, year=2020, journal="Diabetes Care", authors=[Author(family="Lee")])
    b = Record(title=title, year=2020, journal="Diabetes Care", authors=[Author(family="Lee")])
    assert verdict(a, b) is not Verdict.AUTO


def test_generic_title_with_same_volume_and_pages_merges() -> None:
    a = Record(title="Editorial", year=2020, journal="Diabetes Care", volume="4", pages="10-11")
    b = Record(title="Editorial.", year=2020, journal="Diabetes Care", volume="4", pages="10-1")
    assert verdict(a, b) is Verdict.AUTO


def test_a_record_never_merges_with_its_own_reference_entries() -> None:
    paper = rec(doi="10.1000/x")
    entry = rec()
    assert verdict(paper, entry, parent_b=1) is Verdict.NEVER


def test_two_entries_of_one_reference_list_never_merge() -> None:
    a, b = rec(), rec()
    assert verdict(a, b, parent_a=9, parent_b=9) is Verdict.NEVER


def test_reference_entries_of_different_papers_merge() -> None:
    assert verdict(rec(), rec(journal="J Manage"), parent_a=8, parent_b=9) is Verdict.AUTO


def test_chinese_title_matches_english_twin_through_alternative_title() -> None:
    zh = rec(title="所有人的价值？职业医疗合作中伙伴关系形成的动态", alt_titles=[LangText(text=TITLE, lang="en")])
    assert verdict(zh, rec()) is Verdict.AUTO


def test_close_titles_with_missing_authors_go_to_review() -> None:
    a = rec(title="Effects of walking on blood pressure in older adults with hypertension")
    b = Record(title="Effect of walking on blood pressure in older adult with hypertension", year=2021)
    assert verdict(a, b) is Verdict.REVIEW


def test_groups_do_not_chain_through_a_title_less_record() -> None:
    # B (no title) shares A's DOI and C's PMID; A and C have clearly different titles.
    a = rec(doi="10.1000/a", title="Trust and formal control in alliances between hospitals")
    b = Record(doi="10.1000/a", pmid="123", year=2020)
    c = rec(pmid="123", title="Retinal screening intervals in a rural primary care population")
    found = groups(a, b, c)
    assert len(found) == 1 and found[0] in ([1, 2], [2, 3])


def test_rejected_pair_stays_apart_and_confirmed_pair_joins() -> None:
    items = [DedupItem(1, rec()), DedupItem(2, rec()), DedupItem(3, rec(title="Something else entirely here"))]
    assert find_duplicates(items, {(1, 2): "rejected"}).groups == []
    # 2 is 1's twin but contradicts 3, which the user joined to 1: it is not pulled in.
    result = find_duplicates(items, {(1, 3): "confirmed"})
    assert result.groups == [[1, 3]]
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [(1, 2, Verdict.REVIEW)]


def test_translated_title_with_the_same_citation_merges() -> None:
    authors = [Author(family="Greef", initials="S"), Author(family="Schroeder", initials="W")]
    cite = {"authors": authors, "year": 2020, "journal": "Industrielle Beziehungen", "volume": "27",
            "issue": "2", "pages": "205-226"}
    en = Record(title="Platform economy and crowdworking as challenges for industrial relations", **cite)
    de = Record(title="Plattformökonomie und Crowdworking als Herausforderungen für die Arbeitsbeziehungen", **cite)
    assert verdict(en, de) is Verdict.AUTO


def test_one_word_for_another_is_not_merged_automatically() -> None:
    sponsor = [Author(family="Alexion Pharmaceuticals", initials="I")]
    adult = Record(title="Open label trial of eculizumab in adult patients with atypical HUS", authors=sponsor, year=2011)
    child = Record(title="Open label trial of eculizumab in pediatric patients with atypical HUS", authors=sponsor, year=2011)
    assert verdict(adult, child) is not Verdict.AUTO


def test_erratum_note_after_a_title_is_the_article_itself() -> None:
    noted = rec(title=TITLE + ".[Erratum appears in J Manage. 2021;13(2):5]", volume="12", pages="1658-64")
    assert verdict(noted, rec(volume="12", pages="1658-1664")) is Verdict.AUTO


def test_same_title_in_another_issue_is_not_merged_automatically() -> None:
    authors = SMITH + [Author(family="Roe", initials="R")]
    article = rec(authors=authors, volume="9", issue="5", pages="1223-1229")
    reprint = rec(authors=authors, volume="9", issue="11", pages="2647")
    assert verdict(article, reprint) is Verdict.REVIEW


def test_a_title_with_an_added_subtitle_merges_when_authors_and_year_agree() -> None:
    short = rec(title="Diminished control in crowdsourcing", pages="1-29")
    long = rec(title="Diminished control in crowdsourcing: an investigation of crowdworker multitasking", pages="1-29")
    assert verdict(short, long) is Verdict.AUTO


def test_given_and_family_names_swapped_still_agree() -> None:
    a = rec(authors=[Author(family="Carignani", initials="A"), Author(family="Negri", initials="L")])
    b = rec(authors=[Author(family="Andrea", initials="C"), Author(family="Lorenzo", initials="N")],
            journal="ICIS - International Conference on Information Systems")
    assert verdict(a, b) is Verdict.AUTO


@pytest.mark.parametrize(
    "title",
    ["Correction of adolescent scoliosis by night-time bracing", "Response of tumour cells to hypoxia",
     "Re-evaluation of partnership outcomes in occupational care"],
)
def test_titles_that_only_start_like_notices_are_articles(title: str) -> None:
    assert verdict(rec(title=title), rec(title=title + ".", journal="J Manage")) is Verdict.AUTO


def test_a_reply_labelled_at_the_end_never_merges_with_the_letter() -> None:
    assert verdict(rec(), rec(title=TITLE + " - Reply")) is Verdict.NEVER


def test_merged_keywords_repeat_no_term_in_another_case() -> None:
    from screener.dedup.merge import Member, merge_records

    a = rec(keywords=["Partnerships", "Trust"], mesh=["Cooperative Behavior"])
    b = rec(keywords=["partnerships", "TRUST.", "Governance"], mesh=["cooperative behavior"])
    merged = merge_records([Member(1, a), Member(2, b)])
    assert merged.keywords == ["Partnerships", "Trust", "Governance"]
    assert merged.mesh == ["Cooperative Behavior"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("JOUR", "Journal article"), ("Journal Article", "Journal article"),
     ("article", "Journal article"), ("CHAP", "Book chapter"), ("Editorial", "Editorial"),
     ("Randomized Controlled Trial", "Randomized Controlled Trial"), ("  ", None)],
)
def test_publication_types_have_one_name(raw: str, shown: str | None) -> None:
    from screener.normalize import publication_type

    assert publication_type(raw) == shown
