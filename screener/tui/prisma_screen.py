"""The PRISMA screen: the flow diagram counted so far, with unmet checks in red.

``PrismaScreen`` is pushed from the screening app (key ``p``) or hosted alone by
``PrismaApp`` (``screener prisma --tui``). Counting runs in a worker thread and is posted
back, so a large project never freezes the interface.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from screener.keymap import PRISMA_KEYS
from screener.prisma.counting import count_flow
from screener.prisma.flow import Flow
from screener.prisma.labels import RenderOptions
from screener.prisma.text import render_text
from screener.protocol import ReviewProtocol
from screener.store import Store


def styled(text: str) -> Text:
    """The text view with phase names bold and failed checks and INCOMPLETE notes red."""
    out = Text()
    for line in text.splitlines():
        style = ""
        if line.isupper() and line.strip():
            style = "bold"
        elif line.startswith("  x ") or "INCOMPLETE" in line:
            style = "bold red"
        elif line.startswith("Checks: all"):
            style = "green"
        out.append(line + "\n", style=style)
    return out


class PrismaScreen(Screen[None]):
    """Every PRISMA box from the recorded data; ``r`` recounts, ``t`` toggles reasons."""

    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in PRISMA_KEYS]

    def __init__(self, store: Store, protocol: ReviewProtocol | None, title: str = "",
                 notice: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.protocol = protocol
        self.review_title = title
        self.notice = notice
        """Said above the diagram when blinding hides other reviewers' decisions."""
        self.options = RenderOptions(title=title or None)
        self.flow: Flow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="prisma-scroll"):
            if self.notice:
                yield Static(Text(self.notice, style="bold yellow"), id="prisma-notice")
            yield Static("Counting...", id="prisma-view")
        yield Footer()

    def on_mount(self) -> None:
        self.action_recount()

    def action_recount(self) -> None:
        self._count()

    @work(thread=True, exclusive=True)
    def _count(self) -> None:
        flow = count_flow(self.store, self.protocol, title=self.review_title)
        self.app.call_from_thread(self._show, flow)

    def _show(self, flow: Flow) -> None:
        self.flow = flow
        self.query_one("#prisma-view", Static).update(styled(render_text(flow, self.options)))

    def action_toggle_reasons(self) -> None:
        self.options.ta_reasons = not self.options.ta_reasons
        if self.flow is not None:
            self._show(self.flow)

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()


class PrismaApp(App[None]):
    """The PRISMA screen on its own."""

    def __init__(self, store: Store, protocol: ReviewProtocol | None, title: str = "",
                 notice: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.protocol = protocol
        self.title = title or "PRISMA 2020 flow diagram"
        self.notice = notice

    def on_mount(self) -> None:
        self.push_screen(PrismaScreen(self.store, self.protocol, self.title, self.notice))
