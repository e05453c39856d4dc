"""Reference strings in Vancouver, APA and WoS related-entry styles."""

from __future__ import annotations

import pytest

from screener.importers.pages.references import parse_reference, parse_related_entry
from screener.importers.pages.reflist import join_wrapped, split_entries


def test_vancouver_article() -> None:
    r = parse_reference(
        "- [3] Emerson K, Nabatchi T, Balogh S. An integrative framework for collaborative "
        "governance. *J Public Adm Res Theory* 2012;22(1):1-29. <https://doi.org/10.1093/jopart/mur011>"
    )
    assert [(a.family, a.initials) for a in r.authors] == [
        ("Emerson", "K"), ("Nabatchi", "T"), ("Balogh", "S")
    ]
    assert r.title == "An integrative framework for collaborative governance"
    assert (r.journal, r.year, r.volume, r.issue, r.pages) == (
        "J Public Adm Res Theory", 2012, "22", "1", "1-29"
    )
    assert r.doi == "10.1093/jopart/mur011"
    assert not r.warnings


@pytest.mark.parametrize(
    ("text", "journal", "volume", "issue", "pages"),
    [
        ("Hale R. Title here. Health Policy 2016;120(7):770-8.", "Health Policy", "120", "7", "770-778"),
        ("Hale R. Title here. *Strateg Manag J.* 2018;39:830–858.", "Strateg Manag J", "39", None, "830-858"),
        ("Hale R. Title here. *Mark Theory*. 2017;17(4):517-535.", "Mark Theory", "17", "4", "517-535"),
        ("Hale R. Title here. *BMC Public Health* 2017;17(1).", "BMC Public Health", "17", "1", None),
        ("Hale R. Title here. *Organ Stud* 2020; 41(2):241-265.", "Organ Stud", "41", "2", "241-265"),
        ("Hale R. Title here. Team Perform 2020 Mar;26(1/2):17-28.", "Team Perform", "26", "1/2", "17-28"),
    ],
)
def test_vancouver_source_shapes(
    text: str, journal: str, volume: str, issue: str | None, pages: str | None
) -> None:
    r = parse_reference(text)
    assert r.title == "Title here"
    assert (r.journal, r.volume, r.issue, r.pages) == (journal, volume, issue, pages)


def test_vancouver_title_ending_in_question_mark() -> None:
    r = parse_reference("Hale R. Why partner? J Health Organ Manag 2019;33(2):1-9.")
    assert (r.title, r.journal) == ("Why partner?", "J Health Organ Manag")


def test_vancouver_chapter_with_edition() -> None:
    r = parse_reference(
        "Kemmis S, McTaggart R. Participatory action research. In: Denzin NK, Lincoln YS (Eds). "
        "*Strategies of Qualitative Inquiry*. 2nd ed. Thousand Oaks/CA: Sage; 2003. p. 336-396."
    )
    assert r.title == "Participatory action research"
    assert r.journal == "Strategies of Qualitative Inquiry"
    assert (r.place, r.publisher, r.year, r.pages, r.pub_type) == (
        "Thousand Oaks/CA", "Sage", 2003, "336-396", "chapter"
    )


def test_vancouver_book_whose_publisher_has_a_dot() -> None:
    r = parse_reference(
        "Hart E, Bond M. Action Research for Health and Social Care. A Guide to Practice. "
        "Buckingham: Open Univ. Press; 1995."
    )
    assert r.title == "Action Research for Health and Social Care. A Guide to Practice"
    assert (r.place, r.publisher, r.year) == ("Buckingham", "Open Univ. Press", 1995)


def test_translated_title_in_brackets_becomes_an_english_alternative() -> None:
    r = parse_reference(
        "Laine M. Työterveyshuollon yhteistyö [Collaboration in occupational health care]. "
        "Helsinki: Työterveyslaitos; 2016."
    )
    assert r.title == "Työterveyshuollon yhteistyö"
    assert [(t.lang, t.text) for t in r.alt_titles] == [("en", "Collaboration in occupational health care")]


def test_apa_article_and_suffix() -> None:
    r = parse_reference(
        "Barringer, B. R., & Harrison, J. S. (2000b). Walking a tightrope: Creating value through "
        "interorganizational relationships. *Journal of Management*, 26(3), 367-403."
    )
    assert [(a.family, a.initials) for a in r.authors] == [("Barringer", "BR"), ("Harrison", "JS")]
    assert (r.year, r.year_suffix) == (2000, "b")
    assert r.title == "Walking a tightrope: Creating value through interorganizational relationships"
    assert (r.journal, r.volume, r.issue, r.pages) == ("Journal of Management", "26", "3", "367-403")


def test_apa_without_italics() -> None:
    r = parse_reference("Gulati, R. (1998). Alliances and networks. Strategic Management Journal, 19(4), 293-317.")
    assert (r.title, r.journal, r.volume, r.pages) == (
        "Alliances and networks", "Strategic Management Journal", "19", "293-317"
    )


def test_apa_chapter_standard_form() -> None:
    r = parse_reference(
        "Hale, R. (2015). Measuring what partners value. In R. Hale & B. Okafor (Eds.), "
        "*Partnership Work* (pp. 31-52). Policy Press."
    )
    assert r.title == "Measuring what partners value"
    assert (r.journal, r.pages, r.publisher, r.pub_type) == ("Partnership Work", "31-52", "Policy Press", "chapter")


def test_wos_related_entry() -> None:
    r = parse_related_entry(
        "Partnerships in Public Health", ["Sibbald, Shannon", "Kothari, Anita [2 ]"],
        "CANADIAN JOURNAL OF NURSING RESEARCH, 2012, 44 (01) : 94 - 119",
    )
    assert [a.family for a in r.authors] == ["Sibbald", "Kothari"]
    assert (r.journal, r.year, r.volume, r.issue, r.pages) == (
        "CANADIAN JOURNAL OF NURSING RESEARCH", 2012, "44", "1", "94-119"
    )


@pytest.mark.parametrize("text", ["See the appendix", "", "12", "Interview guide, version 3"])
def test_unparseable_text_keeps_no_title_and_warns(text: str) -> None:
    r = parse_reference(text)
    assert r.title is None and r.incomplete
    assert any("raw text" in w for w in r.warnings)


def test_join_wrapped_lines() -> None:
    assert join_wrapped("for sustainable eHealth technolo-", "gies. Enschede") == (
        "for sustainable eHealth technologies. Enschede"
    )
    assert join_wrapped("<https://doi.org/10.1108/IJOA-05-", "2018-1415>") == (
        "<https://doi.org/10.1108/IJOA-05-2018-1415>"
    )
    assert join_wrapped("*Process, and Organ-*", "izing. Oxford") == "*Process, and Organizing*. Oxford"
    assert join_wrapped("trust, distrust, and", "formal coordination") == "trust, distrust, and formal coordination"


def test_numbered_list_keeps_unnumbered_bullets_with_the_entry_above() -> None:
    lines = ["- [1] Hale R. A long title about collabora-", "", "- tion. J X 2001;1:1-2.",
             "- [2] Okafor B. Short. J Y 2002;2:3-4."]
    entries = split_entries(lines, 10)
    assert [(e.line, e.text) for e in entries] == [
        (10, "- [1] Hale R. A long title about collaboration. J X 2001;1:1-2."),
        (13, "- [2] Okafor B. Short. J Y 2002;2:3-4."),
    ]


def test_dot_numbered_list_ignores_a_wrapped_line_that_opens_with_a_year() -> None:
    lines = ["1. Nijland N. Grounding eHealth. Enschede: University of Twente;", "2011.",
             "2. Weick KE. Sensemaking in organizations. Thousand Oaks/CA: Sage; 1995.",
             "4. Hale R. Skipped three. J X 2001;1:1-2."]
    entries = split_entries(lines, 1)
    assert [e.line for e in entries] == [1, 3, 4]
    assert entries[0].text.endswith("Twente; 2011.")


def test_apa_list_wrapped_line_with_capitalised_comma_is_a_continuation() -> None:
    lines = ["Langley, A., & Tsoukas, H. (2010). Perspectives. In Maitlis, S. (eds.). *Process,",
             "Sensemaking, and Organizing*. (pp. 1-27) Oxford: OUP.",
             "Ring, P. S., & Van de Ven, A. H. (1994). Processes. *AMR*, 19(1), 90-118."]
    entries = split_entries(lines, 1)
    assert [e.line for e in entries] == [1, 3]
    assert entries[0].text.endswith("Oxford: OUP.")


def test_apa_list_bullet_continuation_loses_its_bullet() -> None:
    lines = ["- Nijland, N. (2011). Grounding eHealth: towards sustainable eHealth technolo-",
             "- gies. Enschede: University of Twente."]
    [entry] = split_entries(lines, 1)
    assert entry.text.endswith("sustainable eHealth technologies. Enschede: University of Twente.")


def test_vancouver_chapter_with_nlm_editors_word() -> None:
    r = parse_reference(
        "Meltzer PS, Trent JM. Chromosome alterations in human tumors. In: Vogelstein B, "
        "Kinzler KW, editors. The genetic basis of human cancer. New York: McGraw-Hill; 2002. p. 93-113."
    )
    assert r.journal == "The genetic basis of human cancer"
    assert (r.place, r.publisher, r.pages) == ("New York", "McGraw-Hill", "93-113")


def test_vancouver_unknown_source_keeps_the_title_with_a_warning() -> None:
    r = parse_reference("Hale R, Okafor B. Liaison work. Health Policy. 2024 Epub ahead of print.")
    assert (r.title, r.year) == ("Liaison work", 2024)
    assert r.warnings and not r.incomplete


def test_in_press_is_not_a_chapter() -> None:
    r = parse_reference("Hale R. Liaison work. In press. Health Policy 2025;1(1):1-2.")
    assert r.pub_type == "article"


def test_apa_corporate_author() -> None:
    r = parse_reference("World Health Organization. (2016). Framework on integrated, people-centred "
                        "health services. Geneva: WHO.")
    assert [a.family for a in r.authors] == ["World Health Organization"]
    assert (r.title, r.place, r.publisher) == (
        "Framework on integrated, people-centred health services", "Geneva", "WHO"
    )
    assert not r.warnings


def test_apa_edited_book_and_loose_article_punctuation() -> None:
    book = parse_reference("Huxham, C. (Ed.). (1996). Creating collaborative advantage. Sage.")
    assert ([a.display() for a in book.authors], book.title, book.publisher) == (
        ["Huxham C"], "Creating collaborative advantage", "Sage"
    )
    loose = parse_reference("Ansell, C., Gash, A. (2008). Collaborative governance. "
                            "Journal of Public Administration 18(4):543-571.")
    assert (loose.journal, loose.volume, loose.issue, loose.pages) == (
        "Journal of Public Administration", "18", "4", "543-571"
    )


def test_numbered_list_with_long_wraps_and_bare_numbers() -> None:
    lines = ["1 Hale R, Okafor B. A title that the converter", "wrapped over", "three lines. J X 2001;1:1-2.",
             "2 Okafor B. Second: what happened", "12 months later. J Y 2002;2:3-4.",
             "3) Lee A. Third. J Z 2003;3:5-6."]
    entries = split_entries(lines, 1)
    assert [e.line for e in entries] == [1, 4, 6]  # "12 months" is out of sequence
    assert parse_reference(entries[1].text).title == "Second: what happened 12 months later"
    assert entries[0].text == "1 Hale R, Okafor B. A title that the converter wrapped over three lines. J X 2001;1:1-2."
    assert parse_reference(entries[2].text).journal == "J Z"
