"""One reviewer's decision on a conflict: choice, reasons (labelled), note and time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from screener.models import Choice, Decision

CHOICE_STYLES = {
    Choice.INCLUDE: "bold #0b2e0b on #8fd694",
    Choice.EXCLUDE: "bold #ffffff on #b3261e",
    Choice.MAYBE: "bold #2b2100 on #f2c744",
}


def decision_text(decision: Decision, labels: dict[str, str]) -> Text:
    text = Text()
    text.append(decision.reviewer, style="bold")  # not Text(style=): it would bold it all
    text.append("\n")
    text.append(f" {decision.decision.value.upper()} ", style=CHOICE_STYLES[decision.decision])
    if decision.decision is Choice.EXCLUDE:
        if decision.reasons:
            for code in decision.reasons:
                text.append(f"\n• {labels.get(code, code)}")
                text.append(f" ({code})", style="dim")
        else:
            text.append("\n• reason unspecified", style="italic")
    text.append("\nNote: ", style="dim")
    text.append(decision.note or "none", style="" if decision.note else "dim")
    text.append(f"\n{decision.time[:16].replace('T', ' ')} UTC", style="dim")
    return text


class DecisionCard(Static):
    """A reviewer's side of the conflict (unblinded: the lead sees every reviewer)."""

    def show(self, decision: Decision, labels: dict[str, str]) -> None:
        self.update(decision_text(decision, labels))
