"""The protocol's eligibility criteria and reasons, beside the work."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from screener.highlight import Hint
from screener.models import Stage
from screener.protocol import ReviewProtocol
from screener.tui.widgets.styled_text import HINT_STYLES


def reason_key(index: int) -> str:
    """Number key of the reason at ``index`` (1-9, then 0 for the tenth)."""
    return str((index + 1) % 10)


class CriteriaPanel(Static):
    def show(self, protocol: ReviewProtocol, stage: Stage) -> None:
        # The style of each part is given to append(): a style given to Text() itself
        # would cover everything appended after it.
        text = Text()
        text.append("Include if\n", style="bold")
        for c in protocol.criteria.inclusion:
            text.append(f" {c.id} ", style="bold green")
            text.append(f"{c.label}\n")
        title = "Exclusion reasons" if stage is Stage.FULLTEXT else "Exclude if"
        text.append(f"\n{title}\n", style="bold")
        for i, (_code, label) in enumerate(protocol.reasons(stage)):
            text.append(f" {reason_key(i)} ", style="bold red")
            text.append(f"{label}\n")
        text.append("\nHighlights: ", style="dim")
        text.append(" include ", style=HINT_STYLES[Hint.INCLUDE])
        text.append(" ")
        text.append(" exclude ", style=HINT_STYLES[Hint.EXCLUDE])
        self.update(text)
