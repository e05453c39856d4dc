"""Web-of-Science-like page (Chinese interface): labelled blocks and a related-papers list.

Labels stand alone on their line (``作者``, ``机构``, ``关键词``, ``D O I``, ``摘要``,
``相关论文``); the title is the first line. Related papers are ``• [n] Title``, one author
per line, then ``JOURNAL, year, vol (issue): pages``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.pages import fold, is_foreign
from screener.importers.pages.references import parse_related_entry
from screener.models import Method, ParsedRecord, Record
from screener.normalize import clean_text, normalize_doi, parse_author

_LABELS = {
    "作者": "authors", "机构": "institutions", "关键词": "keywords", "DOI": "doi",
    "摘要": "abstract", "中图分类号": "clc", "学科分类号": "subject", "引用": "cite",
    "收藏": "save", "相关论文": "related", "来源": "source", "出版年": "year",
    "期刊": "journal", "卷": "volume", "期": "issue", "页码": "pages",
}
_LABEL = re.compile(r"^\s*(?P<label>作者|机构|关键词|D\s*O\s*I|摘要|中图分类号|学科分类号|引用|收藏"
                    r"|相关论文|来源|出版年|期刊|卷|期|页码)\s*[:：]?\s*(?P<value>.*)$")
_INLINE = re.compile(r"^\s*(?P<label>被引|页数)\s*[:：]\s*(?P<value>\S*)\s*$")
_RELATED = re.compile(r"^\s*[•·*-]\s*\[(\d+)\]\s*(?P<title>.*)$")
_SOURCE = re.compile(r"^\s*[^,]+,\s*(?:1[5-9]|20)\d{2}\b")
_HEADINGS = (
    # Emerald-style headings first: alternation takes the first that matches.
    "Design/methodology/approach|Originality/value|Research limitations/implications"
    "|Practical implications|Social implications"
    "|Background|Objectives?|Aims?|Purpose|Introduction|Context|Design|Setting|Participants"
    "|Methods|Method|Materials and methods|Interventions?|Measurements|Results|Findings"
    "|Discussion|Conclusions?|Implications|Limitations"
)
_RUN_IN = re.compile(rf"(?:^|(?<=[.!?)\]]))\s*({_HEADINGS})(?=[A-Z])")


class WosPageReader:
    name = "page-wos"
    extensions: tuple[str, ...] = (".txt", ".html", ".md")
    default_source = "Web of Science"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if is_foreign(text):
            return 0.0
        head = text[:30000]
        doi = re.search(r"^\s*D O I\s*$", head, re.MULTILINE)
        others = sum(
            1 for label in ("作者", "机构", "相关论文", "摘要")
            if re.search(rf"^\s*{label}\s*$", head, re.MULTILINE)
        )
        if doi and others >= 2:
            return 0.9
        return 0.5 if others >= 3 and re.search(r"^\s*被引\s*[:：]", head, re.MULTILINE) else 0.0

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        lines = text.split("\n")
        blocks: dict[str, list[tuple[int, str]]] = {}
        title_lines: list[str] = []
        first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
        if first is None:
            raise RecordImportError("empty page", path=path, line=1)
        current: str | None = "title"
        page_end = len(lines)
        for number, line in enumerate(lines, 1):
            label = _LABEL.match(line)
            inline = _INLINE.match(line)
            if label and (label["value"] == "" or label["label"].replace(" ", "") == "DOI"):
                current = _LABELS[re.sub(r"\s+", "", label["label"])]
                if current == "related":
                    page_end = min(page_end, number - 1)
                blocks.setdefault(current, [])
                if label["value"]:
                    blocks[current].append((number, label["value"]))
            elif inline or line.strip() == "|":
                current = None
            elif current == "title" and line.strip():
                title_lines.append(line.strip())
            elif current and current != "title":
                blocks[current].append((number, line))
        related = blocks.pop("related", [])
        record = _record(title_lines, blocks)
        yield ParsedRecord(record=record, index=0, line=first + 1,
                           raw="\n".join(lines[first:page_end]).strip())
        yield from _related(related)


def _values(blocks: dict[str, list[tuple[int, str]]], key: str) -> list[str]:
    return [t.strip() for _, t in blocks.get(key, []) if t.strip()]


def separate_headings(abstract: str) -> str:
    """``...partnerships.MethodsInterviews were`` -> ``...partnerships. Methods: Interviews were``."""
    return _RUN_IN.sub(lambda m: f" {m.group(1)}: ", abstract).strip()


def _record(title_lines: list[str], blocks: dict[str, list[tuple[int, str]]]) -> Record:
    warnings: list[str] = []
    title = clean_text(" ".join(title_lines))
    authors = [a for a in (parse_author(re.sub(r"\[[\d ,]*\]", "", n)) for n in _values(blocks, "authors")) if a]
    keywords = [k.strip() for k in re.split(r";", " ".join(_values(blocks, "keywords"))) if k.strip()]
    doi = normalize_doi(" ".join(_values(blocks, "doi")))
    abstract = fold(_values(blocks, "abstract"))
    if not title:
        warnings.append(f"page has no title; identified by DOI {doi}" if doi else "page has no title")
    year = re.search(r"\d{4}", " ".join(_values(blocks, "year")))
    return Record(
        title=title,
        abstract=separate_headings(abstract) if abstract else None,
        authors=authors,
        keywords=keywords,
        doi=doi,
        year=int(year.group(0)) if year else None,
        journal=clean_text(" ".join(_values(blocks, "journal"))),
        incomplete=not title,
        warnings=warnings,
    )


def _related(lines: list[tuple[int, str]]) -> Iterator[ParsedRecord]:
    groups: list[list[tuple[int, str]]] = []
    for number, line in lines:
        if _RELATED.match(line):
            groups.append([(number, line)])
        elif groups and line.strip():
            groups[-1].append((number, line))
    for n, group in enumerate(groups, 1):
        head = _RELATED.match(group[0][1])
        assert head is not None
        title_parts = [head["title"].strip()]
        rest = [t.strip() for _, t in group[1:]]
        source = rest.pop() if rest and _SOURCE.match(rest[-1]) else ""
        # Title lines that wrapped come before the first ``Family, Given`` author line.
        while rest and not re.match(r"^[^,]+,\s*[^,]+$", rest[0]):
            title_parts.append(rest.pop(0))
        record = parse_related_entry(" ".join(title_parts), rest, source)
        if not source:
            record.warnings.append("related entry has no journal line")
        yield ParsedRecord(
            record=record, index=n, line=group[0][0], raw="\n".join(t for _, t in group),
            parent_index=0, method=Method.CITATION,
        )


READER = WosPageReader()
