"""The work being screened: titles, bibliographic line, keywords, abstract, sources."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screener.highlight import Highlighter
from screener.models import Work
from screener.normalize import publication_type, unique_terms
from screener.tui.widgets.styled_text import highlighted


def _authors(work: Work, limit: int = 12) -> str:
    names = [a.display() for a in work.record.authors]
    if len(names) > limit:
        names = [*names[:limit], f"... (+{len(names) - limit})"]
    return ", ".join(names) or "(no authors)"


def work_text(work: Work, highlighter: Highlighter) -> Text:
    """The whole work as one text: one widget to lay out and draw per work, which keeps
    moving to the next work fast."""
    r = work.record
    # The title alone is bold: a style given to Text() itself would cover everything
    # appended after it (the whole abstract was bold), and costs a span over every line.
    text = highlighted(r.title or "(no title)", highlighter)
    text.stylize("bold", 0, len(text))
    for t in r.alt_titles:
        text.append("\n" + (f"Original title ({t.lang}): " if t.lang else "Original title: "),
                    style="dim")
        text.append_text(highlighted(t.text, highlighter, "italic"))
    text.append("\n\n" + _authors(work) + "\n", style="")
    parts = [str(r.year) if r.year else "n.d."]
    venue = ", ".join(p for p in (r.journal, r.volume and f"vol. {r.volume}",
                                  r.issue and f"no. {r.issue}", r.pages) if p)
    if venue:
        parts.append(venue)
    pub_type = publication_type(r.pub_type)
    if pub_type:
        parts.append(pub_type)
    text.append(" · ".join(parts))
    text.append("\nDOI: ", style="dim")
    text.append(r.doi or "none")
    if r.language:
        text.append(f"   language: {r.language}", style="dim")
    terms = unique_terms(r.keywords + r.mesh)
    if terms:
        text.append("\n\nKeywords: ", style="dim")
        text.append_text(highlighted("; ".join(terms), highlighter))
    text.append("\n\n")
    text.append_text(highlighted(r.abstract or "(no abstract)", highlighter))
    for a in r.alt_abstracts:
        text.append(f"\n\n[{a.lang or 'original'}] ", style="dim")
        text.append_text(highlighted(a.text, highlighter))
    methods = ", ".join(m.value for m in work.methods)
    text.append(f"\n\nFound in: {', '.join(work.sources)} ({methods}) · "
                f"{len(work.record_ids)} record(s) · work #{work.work_id}", style="dim")
    return text


SEARCH_STYLE = "bold #001b33 on #7cc7ff"
"""The search term: a third colour, unlike the include (green) and exclude (red) keywords."""


class WorkView(VerticalScroll, can_focus=False):
    """Shows one work; the screen scrolls it (it never takes focus, so screening keys
    always reach the screen)."""

    def compose(self) -> ComposeResult:
        yield Static(id="work-text")

    def show(self, work: Work | None, highlighter: Highlighter, search: str = "") -> None:
        """``search``: the reviewer's last search; its words are marked in the text."""
        body = self.query_one("#work-text", Static)
        if work is None:
            body.update("Nothing to screen.")
        else:
            text = work_text(work, highlighter)
            words = [w for w in search.split() if len(w.strip("#")) > 1]
            if words:
                pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                text.highlight_regex(re.compile(pattern, re.IGNORECASE), SEARCH_STYLE)
            body.update(text)
        if self.scroll_y:
            self.scroll_home(animate=False)
