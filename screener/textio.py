"""Turning file bytes into text: BOMs, UTF-16, Windows-1252 fallback, binary detection."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import RecordImportError


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    """Decode a whole file; refuse binary junk with the line where it starts."""
    if data.startswith(codecs.BOM_UTF8):
        return _finish(_strict(data[3:], "utf-8", path), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _finish(_strict(data, "utf-16", path), "utf-16")
    # UTF-16 without BOM: every other byte is NUL in mostly-ASCII text.
    if len(data) >= 4 and data[1:200:2].count(0) > 0.8 * len(data[1:200:2]):
        return _finish(_strict(data, "utf-16-le", path), "utf-16-le")
    if len(data) >= 4 and data[0:200:2].count(0) > 0.8 * len(data[0:200:2]):
        return _finish(_strict(data, "utf-16-be", path), "utf-16-be")
    nul = data.find(b"\x00")
    if nul != -1:
        raise RecordImportError(
            "binary data, not a text export", path=path, line=data.count(b"\n", 0, nul) + 1
        )
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    decoded = _finish(text, "cp1252")
    decoded.warnings.append(
        f"not valid UTF-8 (first bad byte on line {bad_line}); read as Windows-1252"
    )
    return decoded


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RecordImportError(f"cannot decode as {encoding}", path=path, line=line) from exc


def _finish(text: str, encoding: str) -> DecodedText:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_control_junk(text)
    return DecodedText(text=text, encoding=encoding)


def _check_control_junk(text: str) -> None:
    """Decoded text full of control characters is binary junk that happened to decode."""
    sample = text[:4096]
    if not sample:
        return
    junk = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    if junk > 0.05 * len(sample):
        raise RecordImportError("binary data, not a text export", line=1)
