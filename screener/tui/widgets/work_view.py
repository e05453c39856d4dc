"""The work being screened: titles, bibliographic line, keywords, abstract, sources."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screener.highlight import Highlighter
from screener.models import Work
from screener.tui.widgets.styled_text import highlighted


def _authors(work: Work, limit: int = 12) -> str:
    names = [a.display() for a in work.record.authors]
    if len(names) > limit:
        names = [*names[:limit], f"... (+{len(names) - limit})"]
    return ", ".join(names) or "(no authors)"


class WorkView(VerticalScroll, can_focus=False):
    """Shows one work; the screen scrolls it (it never takes focus, so screening keys
    always reach the screen)."""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="alt-titles")
        yield Static(id="authors")
        yield Static(id="citation")
        yield Static(id="keywords")
        yield Static(id="abstract")
        yield Static(id="sources")

    def show(self, work: Work | None, highlighter: Highlighter) -> None:
        if work is None:
            self.query_one("#title", Static).update("Nothing to screen.")
            return
        r = work.record
        self.query_one("#title", Static).update(
            highlighted(r.title or "(no title)", highlighter, "bold")
        )
        alt = Text()
        for t in r.alt_titles:
            alt.append(f"Original title ({t.lang}): " if t.lang else "Original title: ", style="dim")
            alt.append_text(highlighted(t.text, highlighter, "italic"))
            alt.append("\n")
        alt.rstrip()
        self._set("#alt-titles", alt)
        self.query_one("#authors", Static).update(_authors(work))
        parts = [str(r.year) if r.year else "n.d."]
        venue = ", ".join(p for p in (r.journal, r.volume and f"vol. {r.volume}",
                                      r.issue and f"no. {r.issue}", r.pages) if p)
        if venue:
            parts.append(venue)
        if r.pub_type:
            parts.append(r.pub_type)
        citation = Text(" · ".join(parts))
        citation.append("\nDOI: ", style="dim")
        citation.append(r.doi or "none")
        if r.language:
            citation.append(f"   language: {r.language}", style="dim")
        self.query_one("#citation", Static).update(citation)
        terms = r.keywords + [m for m in r.mesh if m not in r.keywords]
        keywords = Text("Keywords: ", style="dim") if terms else Text()
        if terms:
            keywords.append_text(highlighted("; ".join(terms), highlighter))
        self._set("#keywords", keywords)
        abstract = r.abstract or "(no abstract)"
        body = highlighted(abstract, highlighter)
        for a in r.alt_abstracts:
            body.append(f"\n\n[{a.lang or '?'}] ", style="dim")
            body.append_text(highlighted(a.text, highlighter))
        self.query_one("#abstract", Static).update(body)
        methods = ", ".join(m.value for m in work.methods)
        self.query_one("#sources", Static).update(
            Text(f"Found in: {', '.join(work.sources)} ({methods}) · "
                 f"{len(work.record_ids)} record(s) · work #{work.work_id}", style="dim")
        )
        self.scroll_home(animate=False)

    def _set(self, selector: str, text: Text) -> None:
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.display = bool(text.plain)
