"""Finding a page's reference list and cutting it into entries, wrapped lines rejoined.

Numbered lists (``- [12] ...``, ``12. ...``) start an entry only at a number, so a wrapped
line that the PDF converter turned into a bullet (``- gies. Enschede: ...``) stays with the
entry above. Unnumbered (APA) lists start an entry at a line that opens with an author
name, with or without its bullet; other lines continue the entry above.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from screener.importers.pages.references import parse_reference
from screener.models import Method, ParsedRecord

_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:\d+\.?\s*)?"
    r"(References|Reference list|Bibliography|Literature cited|Works cited|参考文献)"
    r"\s*:?\s*(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)
_END = re.compile(
    r"^\s*(?:#{1,6}\s+\S|(?:\*\*)?(?:Appendix|Appendices|Supplementary|Tables?\s*$|Figures?\s*$"
    r"|Author contributions|Acknowledge?ments)\b)",
    re.IGNORECASE,
)
# ``[12]``, ``12.``, ``12)`` or ``12 Ring PS`` (the last two only in sequence, see below).
_NUMBERED = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:\[(?P<bracket>\d{1,4})\]|(?P<dot>\d{1,4})(?:[.)]\s|\s+(?=[^\W\d_])))"
)
_BULLET = re.compile(r"^\s*[-*•]\s+")
# ``Family, I.`` / ``Van den Bosch, F.`` / ``Ring PS,`` / anything with ``(2007a)`` early on.
_AUTHOR_START = re.compile(
    r"^[^\W\d_][\w'’\-]*(?:\s+[\w'’\-]+){0,3},\s+[A-Z]\."  # APA: Van den Bosch, F.
    r"|^[^\W\d_][\w'’\-]*(?:\s+[\w'’\-]+){0,3}\s[A-Z]{1,3}[,.]\s"  # Vancouver: Ring PS,
    r"|^[^\W\d_][^()\n]{0,250}\((?:1[5-9]|20)\d{2}[a-z]?(?:,[^)]*)?\)"  # anything (2007a)
)
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


@dataclass
class ListEntry:
    """One entry of a reference list: where it starts, its lines as written, its text."""

    line: int
    raw: str
    text: str


def find_reference_heading(lines: list[str]) -> int | None:
    """0-based index of the last 'References' heading line, if any."""
    found = None
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            found = i
    return found


def looks_like_entry_start(line: str) -> bool:
    return bool(_NUMBERED.match(line) or _AUTHOR_START.match(_BULLET.sub("", line)))


def page_furniture(lines: list[str]) -> set[str]:
    """Running headers and footers: short lines a PDF conversion repeats on every page."""
    counts: dict[str, int] = {}
    for line in lines:
        text = line.strip()
        if 0 < len(text) <= 100 and not looks_like_entry_start(text):
            counts[text] = counts.get(text, 0) + 1
    return {text for text, n in counts.items() if n >= 3 and not _HEADING.match(text)}


def split_entries(
    lines: list[str], first_line: int, furniture: set[str] | None = None
) -> list[ListEntry]:
    """Cut the lines after a references heading into entries (``first_line`` is 1-based).

    Lines in ``furniture`` (page headers and footers) stay in the raw text of the entry
    they interrupt but not in the text that is parsed.
    """
    skip = furniture or set()
    body: list[tuple[int, str]] = []
    for offset, line in enumerate(lines):
        if _END.match(line) and not looks_like_entry_start(line):
            break
        body.append((first_line + offset, line))
    texts = [t for _, t in body if t.strip()]
    numbers = [m for m in (_NUMBERED.match(t) for t in texts) if m]
    authored = sum(1 for t in texts if not _NUMBERED.match(t) and looks_like_entry_start(t))
    numbered = len(numbers) >= 2 and len(numbers) > authored
    bracketed = sum(1 for m in numbers if m["bracket"]) * 2 >= len(numbers)
    groups: list[list[tuple[int, str]]] = []
    last = 0
    for number, line in body:
        if not line.strip() or line.strip() in skip:
            if groups:
                groups[-1].append((number, line))
            continue
        if numbered:
            # Only the next number (a gap of two tolerated) starts an entry, so a wrapped
            # line that opens with "2011. " or a stray "[3]" stays with its entry.
            match = _NUMBERED.match(line)
            value = (match["bracket"] if bracketed else match["dot"]) if match else None
            starts = value is not None and last < int(value) <= last + 3
            if value is not None and starts:
                last = int(value)
        else:
            starts = looks_like_entry_start(line)
        if starts or not groups:
            groups.append([(number, line)])
        else:
            groups[-1].append((number, line))
    entries = []
    for group in groups:
        while group and not group[-1][1].strip():
            group.pop()
        raw = "\n".join(t for _, t in group)
        parts = [t for _, t in group
                 if t.strip() and not _PAGE_NUMBER.match(t) and t.strip() not in skip]
        text = parts[0].strip() if parts else ""
        for part in parts[1:]:
            text = join_wrapped(text, _BULLET.sub("", part))
        entries.append(ListEntry(line=group[0][0], raw=raw, text=text))
    return entries


def join_wrapped(before: str, after: str) -> str:
    """Join a wrapped line: URLs and DOIs run on, a soft hyphen before a lowercase word goes."""
    before, after = before.rstrip(), after.strip()
    last = before.rsplit(None, 1)[-1] if before.strip() else ""
    in_link = before.count("<") > before.count(">") or (
        ("http" in last or last.startswith("10.")) and not last.endswith((">", ")", "."))
    )
    if in_link:
        return before + after
    if before.endswith("-") and after[:1].islower() and not before.endswith(" -"):
        return before[:-1] + after
    # ``*Process, and Organ-*`` + ``izing. Oxford``: the italics close after the word.
    split_italic = re.search(r"(?<=\w)-(\*{1,2}|_{1,2})$", before)
    word = re.match(r"[^\W\d_][\w'’]*", after)
    if split_italic and word and after[:1].islower():
        marker = split_italic.group(1)
        return before[: split_italic.start()] + word.group(0) + marker + after[word.end():]
    return f"{before} {after}"


def reference_records(entries: list[ListEntry], first_index: int) -> Iterator[ParsedRecord]:
    """One citation record per entry, linked to the page record at index 0."""
    for n, entry in enumerate(entries):
        yield ParsedRecord(
            record=parse_reference(entry.text),
            index=first_index + n,
            line=entry.line,
            raw=entry.raw,
            parent_index=0,
            method=Method.CITATION,
        )
