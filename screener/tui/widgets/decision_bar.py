"""This reviewer's own decision on the current work (never anyone else's: blind)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from screener.models import Choice, Decision

_STYLES = {
    Choice.INCLUDE: "bold #0b2e0b on #8fd694",
    Choice.EXCLUDE: "bold #ffffff on #b3261e",
    Choice.MAYBE: "bold #2b2100 on #f2c94c",
}


class DecisionBar(Static):
    """``Work 12 of 500 · your decision: EXCLUDE (reason) · note: ...``."""

    def show(
        self,
        position: int,
        total: int,
        decision: Decision | None,
        labels: dict[str, str],
        pending_note: str | None,
        retrieval: str | None = None,
    ) -> None:
        text = Text(f"Work {position + 1} of {total}  ", style="bold")
        if decision is None:
            text.append(" undecided ", style="reverse")
            note = pending_note
        else:
            text.append(f" {decision.decision.value.upper()} ", style=_STYLES[decision.decision])
            if decision.decision is Choice.EXCLUDE:
                reasons = ", ".join(labels.get(r, r) for r in decision.reasons)
                text.append(f"  {reasons or 'reason unspecified'}")
            note = decision.note
        if retrieval is not None:
            # Full-text stage: whether the report was obtained (a fact, not a judgement).
            text.append("  report: ", style="dim")
            text.append(retrieval, style="bold red" if retrieval == "not-retrieved" else "")
        if note:
            text.append("  note: ", style="dim")
            text.append(note if len(note) <= 80 else note[:79] + "…", style="italic")
        self.update(text)
