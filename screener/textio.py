"""Turning file bytes into text: BOMs, UTF-16, Windows-1252 fallback, binary detection.

Files are read in chunks so that importing a file of any size uses the same memory:
``scan_file`` makes one pass that hashes the bytes, picks the encoding and refuses binary
junk; ``iter_lines`` then streams the decoded lines (CRLF and CR folded to LF).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import RecordImportError

CHUNK = 1 << 20
MIXED_ENCODING = "utf-8+cp1252"
"""UTF-8 with some invalid bytes: those (only) are read as Windows-1252."""
FALLBACK_ERRORS = "screener-cp1252"
"""Codec error handler that reads each invalid byte as Windows-1252 (Latin-1 for the five
bytes Windows-1252 leaves undefined)."""
MAX_BAD_LINES = 100_000
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _decode_legacy(exc.object[exc.start:exc.end]), exc.end


codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)
HEAD_CHARS = 65536
"""How much decoded text format detection looks at."""


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileScan:
    """What one pass over a file's bytes found out."""

    path: Path
    sha256: str
    size: int
    encoding: str
    """A Python codec name; ``utf-8-sig`` and ``utf-16`` skip their BOM."""
    head: str
    """The first ``HEAD_CHARS`` characters of decoded text (line ends folded), for sniffing."""
    warnings: list[str] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)
    """Lines with bytes that are not UTF-8 (``MIXED_ENCODING`` files): their records are
    flagged."""


def _bom_encoding(first: bytes) -> str | None:
    if first.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without BOM: every other byte is NUL in mostly-ASCII text.
    odd, even = first[1:400:2], first[0:400:2]
    if len(first) >= 4 and odd.count(0) > 0.8 * len(odd):
        return "utf-16-le"
    if len(first) >= 4 and even.count(0) > 0.8 * len(even):
        return "utf-16-be"
    return None


@contextlib.contextmanager
def regular_file(path: Path) -> Iterator[Path]:
    """``path`` itself when it is a regular file; else (a FIFO, ``<(process substitution)``,
    a character device) its content copied once to a temporary file, because an import
    reads a file more than once (hash and sniff, then parse) and a pipe can be read once."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise RecordImportError(f"cannot read file: {exc.strerror}", path=path) from exc
    if stat.S_ISREG(mode):
        yield path
        return
    if stat.S_ISDIR(mode):
        raise RecordImportError("is a folder, not a file", path=path)
    fd, name = tempfile.mkstemp(prefix="screener-import-", suffix=path.suffix)
    spool = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as source:
            shutil.copyfileobj(source, out, CHUNK)
        yield spool
    except OSError as exc:
        raise RecordImportError(f"cannot read file: {exc.strerror}", path=path) from exc
    finally:
        spool.unlink(missing_ok=True)


def peek_head(path: Path) -> tuple[str, str]:
    """The encoding ``scan_file`` will choose unless bytes past the head say otherwise
    (a BOM's, or UTF-8), and the head decoded so: enough to choose a reader before the
    whole file is read."""
    with path.open("rb") as handle:
        first = handle.read(4 * HEAD_CHARS)
    encoding = _bom_encoding(first) or "utf-8"
    # A character cut at the end of what was read, or a bad byte: escaped, not fatal.
    head = first.decode(encoding, "surrogateescape" if encoding == "utf-8" else "ignore")
    return encoding, fold_line_ends(head[:HEAD_CHARS].removeprefix("\ufeff"))


def scan_file(path: Path) -> FileScan:
    """Hash, choose the encoding and check for binary data in one streaming pass."""
    digest = hashlib.sha256()
    size = 0
    offset = 0  # of the chunk in the file
    lines = _LineNumbers(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise RecordImportError(f"cannot read file: {exc.strerror}", path=path) from exc
    with handle:
        first = handle.read(CHUNK)
        declared = _bom_encoding(first)
        encoding = declared or "utf-8"
        # A declared encoding decodes strictly. Else each chunk is first decoded as strict
        # UTF-8 (fast, the common case); a chunk that is not is decoded again with
        # surrogateescape: an invalid byte becomes a lone surrogate, so decoding goes on
        # and the lines holding one can be found.
        decoder = codecs.getincrementaldecoder(encoding)("strict") if declared else None
        pending = b""
        head_parts: list[str] = []
        head_len = 0
        chunk = first
        bad_lines: list[int] = []
        bad_count = 0
        multibyte = False
        while True:
            digest.update(chunk)
            size += len(chunk)
            final = not chunk
            if decoder is not None:
                try:
                    text = decoder.decode(chunk, final)
                except UnicodeDecodeError as exc:
                    line = lines.before(offset) + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                    raise RecordImportError(
                        f"cannot decode as {declared}", path=path, line=line) from exc
            else:
                nul = chunk.find(b"\x00")
                if nul != -1:
                    line = lines.before(offset) + chunk.count(b"\n", 0, nul) + 1
                    raise RecordImportError("binary data, not a text export", path=path, line=line)
                data = pending + chunk if pending else chunk
                try:
                    text, used = codecs.utf_8_decode(data, "strict", final)
                    clean = True
                except UnicodeDecodeError:
                    text, used = codecs.utf_8_decode(data, "surrogateescape", final)
                    clean = False
                pending = data[used:]
                if text and not text.isascii():
                    if not multibyte and _VALID_NON_ASCII.search(text):
                        multibyte = True
                    # Lines are counted in bytes: an invalid byte never swallows a newline,
                    # and the bytes held back (a character cut by the chunk) hold none.
                    for found in () if clean else _BAD_BYTE.finditer(text):
                        bad_count += 1
                        line = lines.before(offset) + text.count("\n", 0, found.start()) + 1
                        if (not bad_lines or bad_lines[-1] != line) \
                                and len(bad_lines) < MAX_BAD_LINES:
                            bad_lines.append(line)
            if head_len < HEAD_CHARS and text:
                head_parts.append(text[: HEAD_CHARS - head_len])
                head_len += len(head_parts[-1])
            if final:
                break
            offset += len(chunk)
            chunk = handle.read(CHUNK)
    warnings: list[str] = []
    head = "".join(head_parts)
    if bad_lines and not multibyte:
        # Not one valid UTF-8 character beyond ASCII: a legacy file, read as a whole.
        encoding = "cp1252"
        warnings.append(
            f"not valid UTF-8 (first bad byte on line {bad_lines[0]}); read as Windows-1252"
        )
        head = _decode_head(path, encoding)
        bad_lines = []
    elif bad_lines:
        # UTF-8 with a few damaged lines: only their bad bytes are read as Windows-1252,
        # every other character stays exactly as written, and the records are flagged.
        encoding = MIXED_ENCODING
        many = len(bad_lines) != 1
        warnings.append(
            f"{bad_count} invalid UTF-8 byte{'s' if bad_count != 1 else ''} on "
            f"{len(bad_lines)}{'+' if len(bad_lines) >= MAX_BAD_LINES else ''} "
            f"line{'s' if many else ''} (first on line {bad_lines[0]}) read as Windows-1252; "
            "the rest is UTF-8 and the records concerned are flagged"
        )
        head = head.encode("utf-8", "surrogateescape").decode("utf-8", FALLBACK_ERRORS)
    head = fold_line_ends(head.removeprefix("\ufeff"))
    _check_control_junk(head, path)
    return FileScan(path, digest.hexdigest(), size, encoding, head, warnings, bad_lines)


class _LineNumbers:
    """Newlines before a byte offset, counted only when a line number is needed (an
    error, a bad byte): counting each chunk's was a third of a clean file's scan."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.lines = path, 0, 0

    def before(self, offset: int) -> int:
        """Newlines before ``offset``; the offsets asked for never go back."""
        if offset > self.offset:
            self.lines += count_newlines(self.path, self.offset, offset)
            self.offset = offset
        return self.lines


def count_newlines(path: Path, start: int, end: int) -> int:
    """Newlines in the bytes ``start:end`` of the file."""
    count = 0
    with path.open("rb") as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            data = handle.read(min(left, 1 << 22))
            if not data:
                break
            count += data.count(b"\n")
            left -= len(data)
    return count


def _decode_head(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        return _decode_legacy(handle.read(HEAD_CHARS))


def _decode_legacy(data: bytes) -> str:
    """Windows-1252, with Latin-1 for the five bytes cp1252 leaves undefined."""
    return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")


def _cp1252_ok(data: bytes) -> bool:
    return not any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def fold_line_ends(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def iter_chunks(scan: FileScan, start: int = 0, end: int | None = None) -> Iterator[str]:
    """Decoded text in chunks, BOM removed and line ends folded to LF; ``start`` and
    ``end`` select a byte range (which must begin and end on a line boundary)."""
    legacy = scan.encoding == "cp1252"
    codec, errors = ("utf-8", FALLBACK_ERRORS) if scan.encoding == MIXED_ENCODING \
        else (scan.encoding, "strict")
    decoder = None if legacy else codecs.getincrementaldecoder(codec)(errors)
    carry = ""
    first = True
    left = -1 if end is None else end - start
    with scan.path.open("rb") as handle:
        handle.seek(start)
        while True:
            data = handle.read(CHUNK if left < 0 else min(CHUNK, left))
            if left >= 0:
                left -= len(data)
            final = not data
            if legacy:
                text = _decode_legacy(data)
            else:
                assert decoder is not None
                text = decoder.decode(data, final)
            if first and text:
                text = text.removeprefix("\ufeff")
                first = False
            text = carry + text
            carry = ""
            # A CR at the end of a chunk may be the first half of a CRLF.
            if not final and text.endswith("\r"):
                carry, text = "\r", text[:-1]
            if text:
                yield fold_line_ends(text)
            if final:
                return


def iter_lines(scan: FileScan, start: int = 0, end: int | None = None) -> Iterator[str]:
    """Every line of the decoded file (or of a byte range of it), without its line end."""
    pending = ""
    for chunk in iter_chunks(scan, start, end):
        lines = chunk.split("\n")
        lines[0] = pending + lines[0]
        pending = lines.pop()
        yield from lines
    if pending:
        yield pending


def read_text(scan: FileScan) -> str:
    """The whole decoded file (for formats whose parsers need it at once)."""
    return "".join(iter_chunks(scan))


def decode_bytes(data: bytes, path: Path) -> DecodedText:
    """Decode bytes held in memory (e.g. a page fetched earlier) with the same rules."""
    declared = _bom_encoding(data[:CHUNK])
    if declared is None and b"\x00" in data:
        nul = data.find(b"\x00")
        raise RecordImportError(
            "binary data, not a text export", path=path, line=data.count(b"\n", 0, nul) + 1
        )
    warnings: list[str] = []
    try:
        text = data.decode(declared or "utf-8")
        encoding = declared or "utf-8"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if declared is not None:
            raise RecordImportError(f"cannot decode as {declared}", path=path, line=line) from exc
        text, encoding = _decode_legacy(data), "cp1252"
        warnings.append(f"not valid UTF-8 (first bad byte on line {line}); read as Windows-1252")
    text = fold_line_ends(text.removeprefix("\ufeff"))
    _check_control_junk(text[:HEAD_CHARS], path)
    return DecodedText(text=text, encoding=encoding, warnings=warnings)


def _check_control_junk(head: str, path: Path) -> None:
    """Decoded text full of control characters is binary junk that happened to decode."""
    sample = head[:4096]
    if not sample:
        return
    junk = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    if junk > 0.05 * len(sample):
        raise RecordImportError("binary data, not a text export", path=path, line=1)
