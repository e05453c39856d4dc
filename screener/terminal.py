"""Untrusted text on its way to a terminal: escape sequences and control characters.

A title from an imported file can carry ``ESC ] 52`` (a clipboard write), a window-title
change or a screen clear. ``strip_controls`` removes them for good (at import; the raw text
stays in the record's provenance); ``terminal_safe`` is applied again at every terminal
output, so a database written by an older screener cannot reach the terminal either.
User-given strings that end up in files or names (``init --title``, reviewer names) are
refused with ``refuse_controls`` instead of silently changed.
"""

from __future__ import annotations

import re
from typing import Any

from screener.errors import ScreenerError

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (clipboard, window title)
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS / PM / APC / SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, clears, colours
    r"|\x1b[ -/]*[0-~]"  # two-character escapes (ESC c = reset)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"  # 8-bit OSC
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls except tab and newline, DEL, and the C1 controls (8-bit escapes)."""
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_controls(text: str) -> bool:
    """True when ``text`` holds a character ``strip_controls`` would remove."""
    return _CONTROL.search(text) is not None


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; tabs and newlines stay (``\\r`` becomes
    a newline so CRLF text keeps its line breaks)."""
    if _CONTROL.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


_JSON_ESCAPED_CONTROL = re.compile(r"\\(?:u00[01][0-9a-fA-F]|[rbf])")
_C1_CONTROL = re.compile(r"[\x80-\x9f]")


def json_has_controls(data: str) -> bool:
    """Whether JSON text (as pydantic writes it) may hold a control character: one cheap
    search per record instead of one per field. Substring tests first: a regex scan of
    every record's JSON cost the RIS import about a tenth of its time."""
    if "\\" in data and _JSON_ESCAPED_CONTROL.search(data) is not None:
        return True
    if "\x7f" in data:
        return True
    return not data.isascii() and _C1_CONTROL.search(data) is not None


_JSON_ESCAPED_CONTROL_BYTES = re.compile(rb"\\(?:u00[01][0-9a-fA-F]|[rbf])")
# In UTF-8, C1 controls (U+0080-U+009F) are the byte C2 then 80-9F, and C2 is never the
# second byte of anything.
_C1_CONTROL_BYTES = re.compile(rb"\xc2[\x80-\x9f]")


def json_bytes_have_controls(data: bytes) -> bool:
    """``json_has_controls`` of the JSON's UTF-8 bytes, before they are decoded: byte
    searches, so a record without a backslash, DEL or C2 byte costs three memchr calls
    instead of a regex scan of its non-ASCII text."""
    if b"\\" in data and _JSON_ESCAPED_CONTROL_BYTES.search(data) is not None:
        return True
    if b"\x7f" in data:
        return True
    return b"\xc2" in data and _C1_CONTROL_BYTES.search(data) is not None


def strip_controls_deep(value: Any) -> Any:
    """``strip_controls`` applied to every string inside dicts and lists."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [strip_controls_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_controls_deep(v) for k, v in value.items()}
    return value


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as a visible escape (``\\u001b``) instead
    of acted on by the terminal; tabs and newlines are kept. The escape is JSON's, so JSON
    output stays valid JSON."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def one_line(text: str) -> str:
    """Like ``terminal_safe`` but newlines and tabs are escaped too (for one-line outputs)."""
    if _CONTROL_OR_NEWLINE.search(text) is None:
        return text
    return _CONTROL_OR_NEWLINE.sub(_escape, text)


def control_problem(value: str, *, line_breaks_ok: bool = False) -> str | None:
    """What is wrong with ``value`` as user-given text (``found \\x1b at position 3``), or
    None when it holds no control character (nor a line break, unless allowed)."""
    found = (_CONTROL if line_breaks_ok else _CONTROL_OR_NEWLINE).search(value)
    if found is None:
        return None
    kind = "control characters" if line_breaks_ok else "control characters or line breaks"
    return (f"must not contain {kind} (found \\x{ord(found.group()):02x} at position "
            f"{found.start() + 1})")


def refuse_controls(value: str, what: str) -> str:
    """``value`` unchanged, or a ``ScreenerError`` naming the first control character."""
    problem = control_problem(value)
    if problem is not None:
        raise ScreenerError(f"{what} {problem}")
    return value
