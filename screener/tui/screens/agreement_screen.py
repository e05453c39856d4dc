"""The agreement report: the tables of ``screener agreement`` for each stage that two
reviewers have screened (kappa and the other figures, per exclusion reason)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from screener.agreement_report import agreement_report, choose_reviewers
from screener.commands.agreement import render_report
from screener.errors import ScreenerError
from screener.models import Stage
from screener.project import Project
from screener.store import Store


def report_lines(project: Project, store: Store) -> list[str]:
    """Each stage's report, or why there is none yet."""
    protocol = project.protocol
    lines: list[str] = []
    try:
        for stage in Stage:
            try:
                pair = choose_reviewers(store, stage, None)
            except ScreenerError as exc:
                lines += [f"{stage.value.replace('_', '/')}: {exc.message}", ""]
                continue
            lines += render_report(agreement_report(store, stage, pair, protocol=protocol))
            lines.append("")
    finally:
        store.close()
    return lines


class AgreementScreen(Screen[None]):
    class Counted(Message):
        def __init__(self, lines: list[str]) -> None:
            super().__init__()
            self.lines = lines

    def __init__(self, project: Project, open_store: Callable[[], Store]) -> None:
        """``open_store``: a store as the acting reviewer sees it (for the worker)."""
        super().__init__(id="agreement-report")
        self.project = project
        self.open_store = open_store

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="step-body"):
            yield Static("Computing agreement...", id="agreement-view")
        yield Footer()

    def on_mount(self) -> None:
        self._count()

    @work(thread=True, exclusive=True)
    def _count(self) -> None:
        self.post_message(self.Counted(report_lines(self.project, self.open_store())))

    def on_agreement_screen_counted(self, message: Counted) -> None:
        self.query_one("#agreement-view", Static).update(Text("\n".join(message.lines)))
