"""BibTeX syntax: entries, fields, ``@string`` macros with ``#`` concatenation, crossref.

The file is cut at every line that starts an entry (``@article{``), and each piece is
parsed on its own: an unbalanced brace or a missing comma damages one entry, never the
entries after it. A damaged entry is still returned (its fields read line by line, its
text kept raw) with a note naming the line; only a last entry left open at the end of
the file, with no closing line, is fatal (a truncated file).

Hand-written because it is the hot path: bibtexparser's splitter alone reads about
2,000 entries/s, this about ten times that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import RecordImportError

# An entry's start: ``@type{`` with only blanks before it on its line. Found from the
# ``@``: a pattern that begins with ``^`` (MULTILINE) is tried at every position, and was
# most of the time spent cutting a file into entries.
_AT = re.compile(r"@[ \t]*([A-Za-z]+)[ \t]*([{(])")
_KEY = re.compile(r"[ \t\r\n]*([^,\s{}()\"=#]*)[ \t\r\n]*(?:,|(?=[})]))")
# Web of Science names fields ``Usage-Count-(Last-180-days)``.
_FIELD = re.compile(r"[ \t\r\n]*([A-Za-z_][^\s=,{}#\"]*)[ \t\r\n]*=[ \t\r\n]*")
# The common field: a braced or quoted value without inner braces, then a comma.
_SIMPLE_FIELD = re.compile(
    r"[ \t\r\n]*([A-Za-z_][^\s=,{}#\"]*)[ \t\r\n]*=[ \t\r\n]*"
    r"(?:\{([^{}]*)\}|\"([^{}\"]*)\"|(\d+))[ \t\r\n]*,")
# For ``_simple_fields``: the start of the first field (name, ``=``, the value's first
# character), of a field after a value and its comma, and the end of an entry.
_FIELD_START = re.compile(r"[ \t\r\n]*([A-Za-z_][^\s=,{}#\"]*)[ \t\r\n]*=[ \t\r\n]*([{\"0-9])")
_NEXT_FIELD = re.compile(
    r"[ \t\r\n]*,[ \t\r\n]*([A-Za-z_][^\s=,{}#\"]*)[ \t\r\n]*=[ \t\r\n]*([{\"0-9])")
_END = re.compile(r"[ \t\r\n]*(?:,[ \t\r\n]*)?([})])")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[\w\-:.+/]+")
_SPACE = re.compile(r"[ \t\r\n]*")
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_LOOSE_FIELD = re.compile(r"^[ \t]*([A-Za-z_][\w\-]*)[ \t]*=[ \t]*[{\"]?(.*?)[}\"]?[ \t]*,?[ \t]*$")
_MONTHS = {m: str(i) for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NOT_ENTRIES = frozenset({"comment", "preamble", "string"})


@dataclass
class Entry:
    """One ``@type{key, field = value, ...}`` with raw (LaTeX) field values."""

    entry_type: str
    key: str
    fields: dict[str, str]
    line: int
    raw: str
    notes: list[str] = field(default_factory=list)


class _Damaged(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


def parse_entries(
    text: str, path: Path, *, first_line: int = 1, final: bool = True
) -> list[Entry]:
    """Every entry of a BibTeX file in file order, ``crossref`` parents inherited.

    ``text`` may be a part of the file cut at an entry's first line (parallel parsing of
    a file without macros, crossrefs or repeated keys): ``first_line`` is its line in the
    file, ``final`` whether it runs to the file's end (an entry left open there is a
    truncated file; anywhere else it is one damaged entry)."""
    entries = list(iter_entries(text, path, first_line=first_line, final=final))
    _inherit_crossrefs(entries)
    return entries


def iter_entries(
    text: str, path: Path, *, first_line: int = 1, final: bool = True
) -> Iterator[Entry]:
    """``parse_entries`` one entry at a time, without ``crossref`` inheritance (which
    needs them all): for a text that has none, the first rows go out at once."""
    strings = dict(_MONTHS)
    starts = _entry_starts(text)
    line = first_line + text.count("\n", 0, starts[0][0]) if starts else first_line
    seen: set[str] = set()
    for n, (begin, after, kind, opener) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        if n:
            line += text.count("\n", starts[n - 1][0], begin)
        kind = kind.lower()
        closer = "}" if opener == "{" else ")"
        chunk = text[begin:end]
        body = after - begin
        if kind in ("comment", "preamble"):
            continue
        try:
            if kind == "string":
                _parse_string(chunk, body, closer, strings)
                continue
            entry = _parse_entry(chunk, body, closer, kind, line, strings)
        except _Damaged as damage:
            at = line + chunk.count("\n", 0, damage.offset)
            if final and n + 1 == len(starts) and not re.search(r"^[ \t]*[})][ \t]*$", chunk, re.M):
                raise RecordImportError(
                    "BibTeX: unclosed entry (file truncated?)", path=path, line=line
                ) from None
            if kind == "string":
                raise RecordImportError(f"BibTeX: {damage.message} in @string",
                                        path=path, line=at) from None
            entry = _salvage(chunk, kind, line)
            entry.notes.append(f"line {at}: {damage.message}; entry read line by line, kept raw")
        if entry.key and entry.key in seen:
            entry.notes.append(f"duplicate BibTeX key {entry.key!r}")
        seen.add(entry.key)
        yield entry


def _entry_starts(text: str) -> list[tuple[int, int, str, str]]:
    """(line start, end of ``@type{``, type, opener) of every entry."""
    starts = []
    for m in _AT.finditer(text):
        begin = text.rfind("\n", 0, m.start()) + 1
        if begin == m.start() or not text[begin:m.start()].strip(" \t"):
            starts.append((begin, m.end(), m.group(1), m.group(2)))
    return starts


def _parse_string(chunk: str, pos: int, closer: str, strings: dict[str, str]) -> None:
    m = _FIELD.match(chunk, pos)
    if m is None:
        raise _Damaged("malformed @string", pos)
    value, pos = _value(chunk, m.end(), strings)
    strings[m.group(1).lower()] = value


def _parse_entry(
    chunk: str, pos: int, closer: str, kind: str, line: int, strings: dict[str, str]
) -> Entry:
    key_match = _KEY.match(chunk, pos)
    key = ""
    if key_match is not None:
        key, pos = key_match.group(1), key_match.end()
    fields: dict[str, str] = {}
    notes: list[str] = []
    end = _simple_fields(chunk, pos, closer, fields, notes)
    if end is None:
        fields.clear()
        notes.clear()
        end = _read_fields(chunk, pos, closer, line, strings, fields, notes)
    pos = end
    rest = chunk[pos:]
    if "=" in rest or "}" in rest:
        at = line + chunk.count("\n", 0, pos)
        notes.append(f"line {at}: text after the entry's end (unbalanced braces?); kept raw")
        raw = chunk.rstrip()
    else:
        raw = chunk[:pos]
    return Entry(kind, key, fields, line, raw, notes)


def _simple_fields(
    chunk: str, pos: int, closer: str, fields: dict[str, str], notes: list[str]
) -> int | None:
    """The fields of an entry whose values are all ``{text}`` without inner braces,
    ``"text"`` or a number, each after the last separated by a comma: the common entry,
    read with ``str.find`` instead of a regex scan of each value (the values are most of
    the file), one short regex match a field. Returns the position after the closer, or
    None for any other entry, whose fields the caller reads again one by one."""
    find = chunk.find
    m = _FIELD_START.match(chunk, pos)
    while m is not None:
        first = m.start(2)
        kind = chunk[first]
        if kind == "{":
            end = find("}", first + 1)
            if end < 0 or find("{", first + 1, end) >= 0:
                return None
            value = chunk[first + 1:end]
            pos = end + 1
        elif kind == '"':
            end = find('"', first + 1)
            if end < 0 or find("{", first + 1, end) >= 0 or find("}", first + 1, end) >= 0:
                return None
            value = chunk[first + 1:end]
            pos = end + 1
        else:
            digits = _DIGITS.match(chunk, first)
            assert digits is not None  # the value starts with a digit
            value, pos = digits.group(0), digits.end()
        name = m.group(1).lower()
        if name in fields:  # ``_add_field``, written out: this loop runs once a field
            notes.append(f"field {name!r} is given twice; the first value is kept")
        else:
            fields[name] = value
        m = _NEXT_FIELD.match(chunk, pos)
    # No (further) field: the entry's end, after an optional comma. Anything else (a macro
    # after ``#``, a missing comma) is for the slow path, which notes it.
    done = _END.match(chunk, pos)
    return done.end() if done is not None and done.group(1) == closer else None


def _read_fields(
    chunk: str, pos: int, closer: str, line: int, strings: dict[str, str],
    fields: dict[str, str], notes: list[str],
) -> int:
    """Read fields one by one (any value, damage noted or raised); returns the position
    after the entry's closer."""
    while True:
        simple = _SIMPLE_FIELD.match(chunk, pos)
        if simple is not None:
            _add_field(fields, notes, simple.group(1).lower(),
                       simple.group(2) or simple.group(3) or simple.group(4) or "")
            pos = simple.end()
            continue
        pos = _SPACE.match(chunk, pos).end()  # type: ignore[union-attr]
        if pos >= len(chunk):
            raise _Damaged("entry not closed (unbalanced braces?)", 0)
        if chunk[pos] == closer:
            pos += 1
            break
        m = _FIELD.match(chunk, pos)
        if m is None:
            raise _Damaged(f"unreadable text {chunk[pos:pos + 20]!r}", pos)
        value, pos = _value(chunk, m.end(), strings)
        _add_field(fields, notes, m.group(1).lower(), value)
        pos = _SPACE.match(chunk, pos).end()  # type: ignore[union-attr]
        if pos < len(chunk) and chunk[pos] == ",":
            pos += 1
        elif pos < len(chunk) and chunk[pos] != closer:
            following = _FIELD.match(chunk, pos)
            if following is None:
                raise _Damaged(f"unreadable text {chunk[pos:pos + 20]!r}", pos)
            at = line + chunk.count("\n", 0, pos)
            notes.append(f"line {at}: missing comma before field {following.group(1)!r}")
    return pos


def _add_field(fields: dict[str, str], notes: list[str], name: str, value: str) -> None:
    if name in fields:
        notes.append(f"field {name!r} is given twice; the first value is kept")
    else:
        fields[name] = value


def _value(chunk: str, pos: int, strings: dict[str, str]) -> tuple[str, int]:
    """A field value: braced, quoted, number or macro pieces joined by ``#``."""
    parts: list[str] = []
    while True:
        if pos >= len(chunk):
            raise _Damaged("value not closed (unbalanced braces?)", pos)
        ch = chunk[pos]
        if ch == "{":
            end = _close_brace(chunk, pos + 1, pos)
            parts.append(chunk[pos + 1:end])
            pos = end + 1
        elif ch == '"':
            end = _close_quote(chunk, pos + 1)
            parts.append(chunk[pos + 1:end])
            pos = end + 1
        else:
            m = _WORD.match(chunk, pos)
            if m is None:
                raise _Damaged(f"unreadable value {chunk[pos:pos + 20]!r}", pos)
            word = m.group(0)
            parts.append(word if word.isdigit() else strings.get(word.lower(), word))
            pos = m.end()
        after = _SPACE.match(chunk, pos).end()  # type: ignore[union-attr]
        if after < len(chunk) and chunk[after] == "#":
            pos = _SPACE.match(chunk, after + 1).end()  # type: ignore[union-attr]
            continue
        return "".join(parts), pos


def _close_brace(chunk: str, pos: int, start: int) -> int:
    depth = 1
    while True:
        m = _BRACE.search(chunk, pos)
        if m is None:
            raise _Damaged("value not closed (unbalanced braces?)", start)
        depth += 1 if m.group(0) == "{" else -1
        pos = m.end()
        if depth == 0:
            return m.start()


def _close_quote(chunk: str, pos: int) -> int:
    depth = 0
    while True:
        m = _QUOTE_OR_BRACE.search(chunk, pos)
        if m is None:
            raise _Damaged("value not closed (missing quote?)", pos)
        ch, pos = m.group(0), m.end()
        if ch == '"' and depth == 0:
            return m.start()
        depth += 1 if ch == "{" else -1 if ch == "}" else 0


def _salvage(chunk: str, kind: str, line: int) -> Entry:
    """Fields of a damaged entry, one ``name = value`` per line, as far as they go."""
    key_match = _KEY.match(chunk, chunk.index("{") + 1 if "{" in chunk else 0)
    fields: dict[str, str] = {}
    for text_line in chunk.split("\n")[1:]:
        m = _LOOSE_FIELD.match(text_line)
        if m is not None:
            fields.setdefault(m.group(1).lower(), m.group(2))
    return Entry(kind, key_match.group(1) if key_match else "", fields, line, chunk.rstrip())


def _inherit_crossrefs(entries: list[Entry]) -> None:
    """A child names its parent with ``crossref``; missing fields come from the parent
    (its title becomes the child's ``booktitle``)."""
    if not any("crossref" in e.fields for e in entries):
        return
    by_key = {e.key.lower(): e for e in entries if e.key}
    for entry in entries:
        parent_key = entry.fields.get("crossref", "").strip().lower()
        if not parent_key:
            continue
        parent = by_key.get(parent_key)
        if parent is None or parent is entry:
            entry.notes.append(f"crossref {parent_key!r} not found in the file")
            continue
        # A copy: a parent that is itself a child of this entry must not change under us.
        for name, value in list(parent.fields.items()):
            if name == "title":
                entry.fields.setdefault("booktitle", value)
            elif name not in ("crossref",):
                entry.fields.setdefault(name, value)


def is_bibtex_entry(kind: str) -> bool:
    return kind.lower() not in _NOT_ENTRIES
