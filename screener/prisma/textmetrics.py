"""Measuring and wrapping text for the SVG renderer, without a font library.

Widths are Helvetica's advance widths (1/1000 em, from its AFM metrics), which Arial and
Liberation Sans share, so a line measured here fits wherever the SVG is opened. Bold
text and unknown characters are measured generously: a box may end a little wide, but
text never overflows it.
"""

from __future__ import annotations

import re

_WIDTHS: dict[str, int] = {" ": 278, "\u00a0": 278, "!": 278, '"': 355, "#": 556, "$": 556,
                           "%": 889, "&": 667, "'": 191, "(": 333, ")": 333, "*": 389,
                           "+": 584, ",": 278, "-": 333, ".": 278, "/": 278, ":": 278,
                           ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015,
                           "[": 278, "\\": 278, "]": 278, "_": 556, "\u2020": 556,
                           "\u2021": 556, "\u00a7": 556, "\u00b6": 537, "\u2013": 556,
                           "\u2014": 1000, "\u2019": 222, "\u201c": 333, "\u201d": 333}
_WIDTHS.update(dict.fromkeys("0123456789", 556))
_WIDTHS.update(zip("abcdefghijklmnopqrstuvwxyz",
                   [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
                    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500], strict=True))
_WIDTHS.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
                    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611], strict=True))
_UNKNOWN = 1000
"""Wide characters (CJK) and anything unlisted: a full em, so nothing overflows."""
_BOLD = 1.1
_SAFETY = 1.03

_N_COUNT = re.compile(r"\(n = ([^)]*)\)")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of ``text`` at font ``size`` px."""
    units = 0
    for ch in text:
        w = _WIDTHS.get(ch)
        if w is None:
            w = 556 if ch.isalpha() and ord(ch) < 0x2E80 else _UNKNOWN
        units += w
    return units / 1000 * size * _SAFETY * (_BOLD if bold else 1.0)


def keep_counts_together(text: str) -> str:
    """Join ``(n = 12)`` with no-break spaces so a count never splits across lines."""
    return _N_COUNT.sub(lambda m: f"(n\u00a0=\u00a0{m.group(1)})", text)


def _break_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, size, bold) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to ``width`` px; over-long words are broken by character."""
    words = keep_counts_together(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word, size, bold) <= width:
            current = word
        else:
            *full, current = _break_word(word, width, size, bold)
            lines.extend(full)
    if current or not lines:
        lines.append(current)
    return lines
