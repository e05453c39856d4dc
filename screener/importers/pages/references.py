"""Reference strings as papers print them: Vancouver, APA, and WoS related-paper entries.

``parse_reference`` picks the style from the string itself and returns a ``Record``; what
cannot be split is kept (the caller stores the raw text) and named in ``warnings``.
"""

from __future__ import annotations

import re

from screener.importers.pages.apa import APA_HEAD, parse_apa
from screener.importers.pages.reference_parts import YEAR, ReferenceParts, pages_of, to_record
from screener.importers.pages.vancouver import parse_vancouver
from screener.models import Record
from screener.normalize import clean_text, normalize_doi, parse_author

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_DOI_URL = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(10\.\d{4,9}/[^\s<>\[\]\"]+)", re.IGNORECASE
)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^\s]+?)\)(?=\s|$|[.,;])")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"https?://\S+")
_CITED = re.compile(r"\[(?:cited|accessed|updated)[^\]]*\]", re.IGNORECASE)
_AVAILABLE = re.compile(r"\s*Available (?:from|at)\b[^:]*:?\s*$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·]\s*)?(?:\[\d+\]|\d+[.)](?=\s)|\d+(?=\s+[^\W\d_]))?\s*")


def strip_list_marker(text: str) -> str:
    """``- [12] Ring PS...`` -> ``Ring PS...``."""
    return _LIST_MARK.sub("", text, count=1)


def parse_reference(text: str) -> Record:
    """Parse one reference string in whichever supported style it is written."""
    body = clean_text(strip_list_marker(text)) or ""
    body, doi, url = _take_links(body)
    parts = ReferenceParts(doi=doi, url=url)
    if APA_HEAD.match(body):
        parse_apa(body, parts)
    else:
        parse_vancouver(body, parts)
    return to_record(parts)


def parse_related_entry(title: str, author_lines: list[str], source: str) -> Record:
    """A WoS related-papers entry: title line, one ``Family, Given`` per line, source line."""
    parts = ReferenceParts(title=clean_text(title), pub_type="article")
    parts.authors = [a for a in (parse_author(_drop_affiliation(n)) for n in author_lines) if a]
    match = re.match(
        rf"^(?P<journal>.+?),\s*(?P<year>{YEAR})\s*(?:,\s*(?P<vol>[^:(]*?))?\s*"
        r"(?:\((?P<issue>[^)]*)\))?\s*(?::\s*(?P<pages>.+?))?\s*$",
        clean_text(source) or "",
    )
    if match:
        parts.journal = match["journal"]
        parts.year = int(match["year"])
        parts.volume = match["vol"] or None
        parts.issue = match["issue"].lstrip("0") or None if match["issue"] else None
        parts.pages = pages_of(match["pages"])
    elif source.strip():
        parts.warnings.append(f"could not split source line {source.strip()!r}")
    return to_record(parts)


def _drop_affiliation(name: str) -> str:
    return re.sub(r"\s*\[[\d ,]+\]\s*$", "", name)


def _take_links(body: str) -> tuple[str, str | None, str | None]:
    """Remove DOI and URL links (markdown, angle brackets, bare); return what they held."""
    text = _ESCAPED.sub(r"\1", body)
    doi: str | None = None
    url: str | None = None
    for match in _DOI_URL.finditer(text):
        doi = normalize_doi(_balance(match.group(1)))
        if doi:
            break

    def keep_url(found: str) -> str:
        nonlocal url
        if url is None and not _DOI_URL.search(found):
            url = found.rstrip(".,;")
        return ""

    text = _MD_LINK.sub(lambda m: keep_url(m.group(2)), text)
    text = _ANGLE_URL.sub(lambda m: keep_url(m.group(1)), text)
    text = _DOI_URL.sub("", text)
    text = _BARE_URL.sub(lambda m: keep_url(m.group(0)), text)
    text = _CITED.sub("", text)
    text = _AVAILABLE.sub("", text)
    text = re.sub(r"\bdoi:?\s*$", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip(" ,;"), doi, url


def _balance(doi: str) -> str:
    """Drop closing brackets the DOI does not open (``...00062-7)`` from a markdown link)."""
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]
    return doi.rstrip(".,;")

