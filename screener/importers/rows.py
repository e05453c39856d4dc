"""Records flattened for storage: what readers yield on the fast path and parser processes
send to the storing process. Without pydantic models, so that a parser process starts in
a few hundredths of a second (``parser_process``)."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic_core import to_json

from screener.terminal import json_bytes_have_controls

CONTROLS_REMOVED = "control characters removed (the raw record keeps them)"


class RecordRow(NamedTuple):
    """A parsed record flattened for storage: plain values, cheap to pass between processes."""

    idx: int
    line: int
    parent_index: int | None
    method: str | None
    title: str | None
    doi: str | None
    pmid: str | None
    year: int | None
    data: str
    """The Record as JSON (defaults left out)."""
    raw: str


def row_from_fields(
    fields: dict[str, Any], index: int, line: int, raw: str
) -> tuple[RecordRow, list[str]]:
    """``record_row`` of a record given as ``RecordBuilder.build_fields`` returns it, with
    its warnings: the same row without building the model (its JSON written by the
    serializer pydantic uses, several times cheaper). A record holding control characters
    takes the model's way."""
    blob = to_json(fields)
    warnings: list[str] = fields.get("warnings", [])
    if json_bytes_have_controls(blob):
        from screener.models import ParsedRecord, Record
        from screener.store.records import record_row

        item = ParsedRecord(record=Record(**fields), index=index, line=line, raw=raw)
        return record_row(item), item.record.warnings
    return RecordRow(
        index, line, None, None, fields.get("title"), fields.get("doi"), fields.get("pmid"),
        fields.get("year"), blob.decode(), raw,
    ), warnings
