"""PubMed XML (``efetch -format xml``, PubMed's "Create file: XML"): ``<PubmedArticleSet>``.

Parsed incrementally with defusedxml's parser, like EndNote XML: the NLM DOCTYPE line is
allowed, entity definitions and external references are not. Title and abstract may
hold inline markup (``<i>``, ``<sup>``), whose text is kept; labelled abstract sections
(``BACKGROUND``, ``METHODS``...) are joined with their labels.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from screener.importers.fields import RecordBuilder
from screener.importers.xml_records import xml_records
from screener.models import Method, ParsedRecord, Record

_SNIFF = re.compile(r"<PubmedArticleSet[\s>]|<!DOCTYPE PubmedArticleSet|<PubmedArticle[\s>]")
_ARTICLES = frozenset({"PubmedArticle", "PubmedBookArticle"})


class PubmedXmlReader:
    name = "pubmed-xml"
    extensions: tuple[str, ...] = (".xml",)
    default_source = "PubMed"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        head = text.lstrip()[:20000]
        return 0.95 if head.startswith("<") and _SNIFF.search(head) else 0.0

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        return xml_records(lines, path, record_tags=_ARTICLES, allow_doctype=True,
                           build=record_from_article)


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return " ".join("".join(element.itertext()).split()) or None


def _abstract(article: ET.Element) -> str | None:
    parts = []
    for section in article.findall(".//Abstract/AbstractText"):
        body = _text(section)
        if not body:
            continue
        label = section.get("Label")
        parts.append(f"{label}: {body}" if label and label.upper() != "UNLABELLED" else body)
    return " ".join(parts) or None


def _author(b: RecordBuilder, author: ET.Element) -> None:
    collective = _text(author.find("CollectiveName"))
    if collective:
        b.corporate_author(collective)
        return
    family = _text(author.find("LastName"))
    given = _text(author.find("ForeName")) or _text(author.find("Initials"))
    if family:
        b.author(family, given)


def record_from_article(article: ET.Element) -> Record:
    b = RecordBuilder()
    b.title(_text(article.find(".//ArticleTitle")) or _text(article.find(".//BookTitle")))
    b.alt_title(_text(article.find(".//VernacularTitle")))
    for author in article.findall(".//AuthorList[@Type='authors']/Author") or \
            article.findall(".//AuthorList/Author"):
        _author(b, author)
    issue = article.find(".//Journal/JournalIssue")
    date = issue.find("PubDate") if issue is not None else article.find(".//PubDate")
    if date is not None:
        b.year(_text(date.find("Year")) or _text(date.find("MedlineDate")))
    b.journal(_text(article.find(".//Journal/Title"))
              or _text(article.find(".//Journal/ISOAbbreviation")))
    if issue is not None:
        b.set("volume", _text(issue.find("Volume")))
        b.set("issue", _text(issue.find("Issue")))
    b.pages(_text(article.find(".//Pagination/MedlinePgn"))
            or _text(article.find(".//Pagination/StartPage")))
    dois = [_text(e) for e in article.findall(".//ELocationID[@EIdType='doi']")]
    dois += [_text(e) for e in article.findall(".//ArticleIdList/ArticleId[@IdType='doi']")]
    b.doi(*dois)
    b.abstract(_abstract(article))
    b.set("pmid", _text(article.find(".//PMID")))
    for isbn in article.findall(".//Isbn"):
        b.isbn_or_issn(_text(isbn))
    b.keywords(t for t in (_text(k) for k in article.findall(".//KeywordList/Keyword")) if t)
    b.mesh(t for t in (_text(d) for d in article.findall(".//MeshHeading/DescriptorName")) if t)
    b.set("language", _text(article.find(".//Language")))
    b.set("pub_type", _text(article.find(".//PublicationTypeList/PublicationType")))
    return b.build()


READER = PubmedXmlReader()
