"""Rich text with the protocol's keywords highlighted (include and exclude colours)."""

from __future__ import annotations

from rich.text import Text

from screener.highlight import Highlighter, Hint

HINT_STYLES = {
    Hint.INCLUDE: "bold #0b2e0b on #8fd694",
    Hint.EXCLUDE: "bold #ffffff on #b3261e",
}
"""Chosen to read on dark and light themes alike, and to differ for colour-blind users
in brightness as well as hue."""


def highlighted(text: str, highlighter: Highlighter, style: str = "") -> Text:
    """``text`` with each keyword span styled by its hint."""
    out = Text(text, style=style)
    for span in highlighter.spans(text):
        out.stylize(HINT_STYLES[span.hint], span.start, span.end)
    return out
