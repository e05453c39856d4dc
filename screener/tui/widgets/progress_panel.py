"""The reviewer's progress: screened / total, counts per decision, a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from screener.models import Choice
from screener.screening import Progress


class ProgressPanel(Vertical):
    _bar_step: tuple[int, int] | None = None
    """(total, screened in thousandths) last shown by the bar."""

    def compose(self) -> ComposeResult:
        yield Static(id="progress-text")
        yield ProgressBar(show_eta=False, id="progress-bar")

    def show(self, progress: Progress, order: str | None = None, relevance: float | None = None,
             stopping: str | None = None) -> None:
        """``order``: how the queue is ordered ("ranked", ...); ``relevance``: the model's
        rank of the current work (1.0 = top); ``stopping``: the stopping rule's advice."""
        c = progress.counts
        text = Text()  # each part styled by append(): Text(style=) would bold it all
        text.append(f"Screened {progress.screened} of {progress.total}\n", style="bold")
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
        # Fixed heights (screener.tcss): the new text needs no new layout of the screen.
        self.query_one("#progress-text", Static).update(text, layout=False)
        # The bar and its percentage redraw only when what they show moves (about every
        # 0.1 %): at 100k works most decisions change neither, and redrawing them costs
        # milliseconds of every key.
        total = max(progress.total, 1)
        step = (total, progress.screened * 1000 // total)
        if step != self._bar_step:
            self._bar_step = step
            self.query_one(ProgressBar).update(total=total, progress=progress.screened)
