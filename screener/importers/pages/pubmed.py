"""PubMed-derived page from a Chinese aggregator: keywords, MeSH, DOI line, two abstracts.

Such pages often carry no title. The record is then identified by its DOI and flagged
incomplete; deduplication fills the title from a twin with the same DOI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.pages import cjk_share, fold, is_foreign
from screener.models import LangText, Method, ParsedRecord, Record
from screener.normalize import clean_text, normalize_doi, normalize_pages

_LABEL = re.compile(
    r"^\s*(?P<label>关键词|关键字|Keywords?|Mesh|MeSH|来\s*源|Source|Abstract|摘要|标题|Title"
    r"|PMID|作者|Authors?)\s*[:：]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_STRONG = (
    re.compile(r"^\s*Mesh\s*[:：]", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^\s*来\s*源\s*[:：].*DOI\s*[:：]", re.MULTILINE),
    re.compile(r"^\s*关键词\s*[:：]", re.MULTILINE),
    re.compile(r"^\s*摘要\s*[:：]\s*$", re.MULTILINE),
)
# Buttons and footers the page scrape keeps (WeChat account, share, print).
_JUNK = re.compile(r"^\s*(?:公众号|分享|打印|收藏|下载|PDF|引用)\s*$")
# ``BMC Health Serv Res. 2024 Apr 18;24(1):512.`` before the DOI on the source line.
_CITATION = re.compile(
    r"^(?P<journal>[^.;:]+?)\.\s*(?P<year>(?:19|20)\d{2})[^;:]*;\s*(?P<vol>[\w-]+)?"
    r"(?:\((?P<issue>[^)]+)\))?(?::\s*(?P<pages>[\w-]+))?"
)


class PubMedPageReader:
    name = "page-pubmed"
    extensions: tuple[str, ...] = (".txt", ".html", ".md")
    default_source = "PubMed"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if is_foreign(text):
            return 0.0
        head = text[:20000]
        hits = sum(1 for pattern in _STRONG if pattern.search(head))
        if hits >= 3 and re.search(r"^\s*Abstract\s*[:：]\s*$", head, re.MULTILINE):
            return 0.9
        return 0.6 if hits >= 3 else 0.0

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        fields: dict[str, list[str]] = {}
        current: str | None = None
        first: int | None = None
        heading: list[str] = []
        for number, line in enumerate(text.split("\n"), 1):
            match = _LABEL.match(line)
            if first is None and not match and line.strip():
                # Some pages print the title as a plain line above the labels.
                heading.append(line.strip())
                continue
            if match:
                current = _canonical(match["label"])
                fields.setdefault(current, [])
                if match["value"].strip():
                    fields[current].append(match["value"].strip())
                first = first or number
            elif current and line.strip() and not _JUNK.match(line):
                # The scrape keeps the backslash of JSON-escaped quotes (``partners\' work``).
                fields[current].append(line.strip().replace("\\'", "'"))
        if first is None:
            raise RecordImportError("no labelled fields found on the page", path=path, line=1)
        if heading and not fields.get("title"):
            fields["title"] = [ln for ln in heading if cjk_share(ln) < 0.3]
            fields["title_zh"] = [ln for ln in heading if cjk_share(ln) >= 0.3]
        start = 1 + next(i for i, ln in enumerate(text.split("\n")) if ln.strip())
        yield ParsedRecord(record=_record(fields), index=0, line=start, raw=text.strip())


def _canonical(label: str) -> str:
    label = re.sub(r"\s+", "", label).lower()
    return {
        "关键词": "keywords", "关键字": "keywords", "keyword": "keywords", "keywords": "keywords",
        "mesh": "mesh", "来源": "source", "source": "source", "abstract": "abstract",
        "摘要": "abstract_zh", "标题": "title", "title": "title", "pmid": "pmid",
        "作者": "authors", "author": "authors", "authors": "authors",
    }.get(label, label)


def split_sentence_case(value: str) -> list[str]:
    """``Health care sector Partnership Trust`` -> three keywords (a capital starts each)."""
    if ";" in value or "," in value:
        return [k.strip() for k in re.split(r"[;,]", value) if k.strip()]
    terms: list[list[str]] = []
    for word in value.split():
        if not terms or word[:1].isupper() or word[:1].isdigit():
            terms.append([word])
        else:
            terms[-1].append(word)
    return [" ".join(t) for t in terms]


def _record(fields: dict[str, list[str]]) -> Record:
    warnings: list[str] = []
    source = " ".join(fields.get("source", []))
    doi = normalize_doi(source)
    title = clean_text(" ".join(fields.get("title", [])))
    cited = _CITATION.match(source.strip())
    english = [ln for ln in fields.get("abstract", []) if cjk_share(ln) < 0.3]
    chinese = [ln for ln in fields.get("abstract", []) if cjk_share(ln) >= 0.3]
    chinese += fields.get("abstract_zh", [])
    if not title:
        warnings.append(
            f"page has no title; identified by DOI {doi}" if doi else "page has no title and no DOI"
        )
    keywords = split_sentence_case(" ".join(fields.get("keywords", [])))
    mesh_line = clean_text(" ".join(fields.get("mesh", [])))
    pmid = re.search(r"\d{5,9}", " ".join(fields.get("pmid", [])))
    return Record(
        title=title,
        alt_titles=[LangText(text=t, lang="zh") for t in [fold(fields.get("title_zh", []))] if t],
        abstract=fold(english),
        alt_abstracts=[LangText(text=t, lang="zh") for t in [fold(chinese)] if t],
        keywords=keywords,
        # The scrape drops the separators between MeSH headings; splitting Title Case
        # words would guess wrong ("Public Health"), so the line is kept whole.
        mesh=[mesh_line] if mesh_line else [],
        doi=doi,
        journal=cited["journal"].strip() if cited else None,
        year=int(cited["year"]) if cited else None,
        volume=cited["vol"] if cited else None,
        issue=cited["issue"] if cited else None,
        pages=normalize_pages(cited["pages"]) if cited else None,
        pmid=pmid.group(0) if pmid else None,
        incomplete=not title,
        warnings=warnings,
    )


READER = PubMedPageReader()
