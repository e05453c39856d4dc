"""The record a line-tagged reader (MEDLINE, EndNote/Refer) is in the middle of.

Both formats write one ``TAG value`` line per field, continue a field on the next line and
end a record with a blank line; they differ only in what a tag and a continuation look
like, which each reader decides. This holds the part they share: the fields by tag, the
raw lines (kept as the record's provenance) and the line the record starts on.
"""

from __future__ import annotations

from collections.abc import Callable

from screener.models import ParsedRecord, Record


class TaggedRecord:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.lines: list[str] = []
        self.start = 0
        self.last: list[str] | None = None
        """The values of the field the previous line belonged to (None: none to continue)."""

    def __bool__(self) -> bool:
        return bool(self.fields)

    def add(self, number: int, line: str, tag: str, value: str) -> None:
        """A tag line: a new value of ``tag``."""
        if not self.fields:
            self.start = number
        self.lines.append(line)
        self.last = self.fields.setdefault(tag, [])
        self.last.append(value)

    def continue_field(self, line: str) -> None:
        """A continuation line: appended to the previous field's value."""
        assert self.last is not None
        self.lines.append(line)
        self.last[-1] = f"{self.last[-1]} {line.strip()}"

    def damaged(self, number: int, line: str) -> None:
        """A line that should be a tag line and is not: kept in the raw text, unread, and
        the record flagged (the ``""`` field holds such notes)."""
        self.lines.append(line)
        self.fields.setdefault("", []).append(
            f"line {number}: damaged tag line {line[:30]!r} kept unread")
        self.last = None

    def parsed(self, index: int, build: Callable[[dict[str, list[str]]], Record]) -> ParsedRecord:
        return ParsedRecord(record=build(self.fields), index=index, line=self.start,
                            raw="\n".join(self.lines))
