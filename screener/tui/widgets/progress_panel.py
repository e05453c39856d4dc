"""The reviewer's progress: screened / total, counts per decision, a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from screener.models import Choice
from screener.screening import Progress


class ProgressPanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="progress-text")
        yield ProgressBar(show_eta=False, id="progress-bar")

    def show(self, progress: Progress, order: str | None = None, relevance: float | None = None,
             stopping: str | None = None) -> None:
        """``order``: how the queue is ordered ("ranked", ...); ``relevance``: the model's
        rank of the current work (1.0 = top); ``stopping``: the stopping rule's advice."""
        c = progress.counts
        text = Text(f"Screened {progress.screened} of {progress.total}\n", style="bold")
        text.append(f"include {c[Choice.INCLUDE]}", style="green")
        text.append(f"  exclude {c[Choice.EXCLUDE]}", style="red")
        text.append(f"  maybe {c[Choice.MAYBE]}", style="yellow")
        text.append(f"\n{progress.remaining} to go")
        if order is not None:
            text.append(f"\norder: {order}", style="bold")
        if relevance is not None:
            dots = max(1, min(5, round(relevance * 5)))
            text.append("  relevance ")
            text.append("●" * dots + "○" * (5 - dots), style="cyan")
        if stopping is not None:
            text.append(f"\n{stopping}")
        self.query_one("#progress-text", Static).update(text)
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.screened)
