"""Semantic-Scholar-like aggregator page: one JSON object line, then abstracts as text.

The JSON ``title`` may be a translation (Chinese); the original record sits as a JSON
string in ``resultStr``. After the JSON line come a citation count, a Chinese abstract
under ``摘要`` and the English title and abstract as plain lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from screener.errors import RecordImportError
from screener.importers.pages import cjk_share, first_line, fold, has_cjk
from screener.models import Author, LangText, Method, ParsedRecord, Record
from screener.normalize import clean_text, normalize_doi, normalize_pages, parse_author, parse_year

_MARKERS = ("resultStr", "PeriodicalName", "citationCount", "publicationDate", "paperid")
_COUNT = re.compile(r"^\s*(?:引用次数|被引次数|Citations?)\s*[:：]\s*\d+\s*$", re.IGNORECASE)
_ABSTRACT_LABEL = re.compile(r"^\s*(?:摘要|Abstract)\s*[:：]?\s*$", re.IGNORECASE)


class SemanticScholarReader:
    name = "page-semantic-scholar"
    extensions: tuple[str, ...] = (".txt", ".json")
    default_source = "Semantic Scholar"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        head = first_line(text).strip()
        if not head.startswith("{") or not head.endswith("}"):
            return 0.0
        hits = sum(1 for m in _MARKERS if f'"{m}"' in head)
        if '"title"' not in head or hits < 2:
            return 0.0
        return 0.95 if "resultStr" in head else 0.8

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        """One record per JSON object line; the plain lines after it belong to it."""
        lines = text.split("\n")
        starts = [i for i, ln in enumerate(lines) if ln.lstrip().startswith("{")]
        first = next(i for i, ln in enumerate(lines) if ln.strip())
        if not starts or starts[0] != first:
            raise RecordImportError("expected a JSON object on the first line", path=path,
                                    line=first + 1)
        for index, (start, end) in enumerate(zip(starts, [*starts[1:], len(lines)], strict=True)):
            try:
                data = json.loads(lines[start])
            except json.JSONDecodeError as exc:
                raise RecordImportError(f"bad JSON object: {exc.msg}", path=path,
                                        line=start + 1) from exc
            if not isinstance(data, dict):
                raise RecordImportError("expected a JSON object", path=path, line=start + 1)
            record = _record(data, _inner(data), lines[start + 1:end])
            raw = "\n".join(lines[start:end]).strip()
            yield ParsedRecord(record=record, index=index, line=start + 1, raw=raw)


def _inner(data: dict[str, Any]) -> dict[str, Any]:
    """The nested original record in ``resultStr`` (empty when missing or unreadable)."""
    value = data.get("resultStr")
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            inner = json.loads(value)
        except json.JSONDecodeError:
            return {}
        return inner if isinstance(inner, dict) else {}
    return {}


def _text(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and clean_text(value):
            return clean_text(value)
    return None


def _record(data: dict[str, Any], inner: dict[str, Any], rest: list[str]) -> Record:
    warnings: list[str] = []
    zh_abstract, en_title_line, en_abstract_lines = _plain_parts(rest)
    titles = [t for t in (_text(inner.get("title")), _text(data.get("title")), en_title_line) if t]
    title = next((t for t in titles if not has_cjk(t)), None)
    alt_titles = [LangText(text=t, lang="zh") for t in dict.fromkeys(titles) if has_cjk(t)]
    abstract = _text(inner.get("abstract"), data.get("abstract"))
    if abstract is None or has_cjk(abstract):
        abstract = fold(en_abstract_lines) or abstract
    alt_abstracts = []
    cn_abstract = _text(data.get("AbstractTextCN"), inner.get("AbstractTextCN")) or zh_abstract
    if cn_abstract:
        alt_abstracts.append(LangText(text=cn_abstract, lang="zh"))
    cn_title = _text(data.get("TitleCN"), inner.get("TitleCN"))
    if cn_title and all(a.text != cn_title for a in alt_titles):
        alt_titles.append(LangText(text=cn_title, lang="zh"))
    journal = data.get("journal") if isinstance(data.get("journal"), dict) else {}
    inner_journal = inner.get("journal") if isinstance(inner.get("journal"), dict) else {}
    journal = {**(inner_journal or {}), **(journal or {})}
    pages = _text(journal.get("pages"))
    date = _text(data.get("publicationDate"), inner.get("publicationDate"), str(data.get("year") or ""))
    ids: dict[str, Any] = data["externalIds"] if isinstance(data.get("externalIds"), dict) else {}
    if title is None:
        warnings.append("page has no English title")
    doi = normalize_doi(_text(data.get("doi"), inner.get("doi"), ids.get("DOI"), data.get("ListUrlMain")))
    url = _text(data.get("url"), inner.get("url"), data.get("ListUrlMain"))
    return Record(
        title=title or (alt_titles[0].text if alt_titles else None),
        alt_titles=alt_titles if title else alt_titles[1:],
        abstract=abstract,
        alt_abstracts=alt_abstracts,
        authors=_authors(inner.get("authors") or data.get("authors")),
        year=parse_year(date),
        journal=_text(journal.get("name"), data.get("PeriodicalName"), data.get("venue")),
        volume=_text(journal.get("volume")),
        pages=None if pages in (None, "0") else normalize_pages(pages),
        doi=doi,
        pmid=_text(data.get("PMID"), data.get("pmid"), ids.get("PubMed")),
        url=url,
        pub_type=_text(_joined(data.get("publicationTypes")), _joined(inner.get("publicationTypes"))),
        incomplete=title is None and not alt_titles,
        warnings=warnings,
    )


def _authors(value: Any) -> list[Author]:
    """``"A. Kork, Inka Koskela"`` or the API's ``[{"name": "A. Kork"}, ...]``."""
    if isinstance(value, str):
        names = value.split(",")
    elif isinstance(value, list):
        names = [v.get("name", "") if isinstance(v, dict) else str(v) for v in value]
    else:
        names = []
    return [a for a in (parse_author(n) for n in names) if a]


def _joined(value: Any) -> str | None:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v) or None
    return value if isinstance(value, str) else None


def _plain_parts(rest: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Chinese abstract, English title line and English abstract lines after the JSON."""
    zh: list[str] = []
    en: list[str] = []
    en_title: str | None = None
    in_abstract = False
    for line in rest:
        stripped = line.strip()
        if not stripped or _COUNT.match(stripped):
            continue
        if _ABSTRACT_LABEL.match(stripped):
            in_abstract = True
            continue
        if cjk_share(stripped) > 0.3:
            if in_abstract:
                zh.append(stripped)
        elif en_title is None:
            en_title = stripped
        else:
            en.append(stripped)
    return fold(zh), en_title, en


READER = SemanticScholarReader()
