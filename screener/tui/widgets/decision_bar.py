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
    """Two lines, each cut to the width (80 columns up)::

        Work #44 · 12 of 500   EXCLUDE  Not health or social care
        to screen: 3 before, 90 after · note: check the partners

    While decisions wait for the database, the second line starts with what is queued
    (``set_saving``), where it is never cut off.
    """

    _lines = (Text(), Text())
    _saving: Text | None = None

    def set_saving(self, text: str | None, error: bool = False) -> None:
        """Say that decisions are queued (None: everything is stored)."""
        self._saving = None if text is None else Text(
            text, style="bold white on #b3261e" if error else "bold #2b2100 on #f2c94c")
        self._draw()

    def _draw(self) -> None:
        first, second = self._lines
        if self._saving is not None:
            second = Text.assemble(self._saving, " " if second.plain else "", second,
                                   no_wrap=True, overflow="ellipsis")
        # A fixed height (screener.tcss): new text needs no new layout of the screen.
        self.update(Text("\n", no_wrap=True).join([first, second]), layout=False)

    def show(
        self,
        position: int,
        total: int,
        decision: Decision | None,
        labels: dict[str, str],
        pending_note: str | None,
        retrieval: str | None = None,
        work_id: int | None = None,
        undecided: tuple[int, int] | None = None,
    ) -> None:
        """``work_id`` is the one number of the work (search ``#N``, the CLI, exports);
        ``undecided`` counts the undecided works before and after this one."""
        first = Text(no_wrap=True, overflow="ellipsis")  # not style=: it would bold it all
        first.append(f"Work #{work_id}" if work_id is not None else "Work", style="bold")
        first.append(f" · {position + 1} of {total}   ")
        if decision is None:
            first.append(" undecided ", style="reverse")
            note = pending_note
        else:
            first.append(f" {decision.decision.value.upper()} ", style=_STYLES[decision.decision])
            if decision.decision is Choice.EXCLUDE:
                reasons = ", ".join(labels.get(r, r) for r in decision.reasons)
                first.append(f"  {reasons or 'reason unspecified'}")
            note = decision.note
        second = Text(no_wrap=True, overflow="ellipsis")
        if undecided is not None:
            before, after = undecided
            # Works left undecided before the cursor are easy to miss: say so loudly.
            second.append(f"to screen: {before} before, {after} after",
                          style="bold yellow" if before else "dim")
        if retrieval is not None:
            # Full-text stage: whether the report was obtained (a fact, not a judgement).
            second.append(" · report: ", style="dim")
            second.append(retrieval, style="bold red" if retrieval == "not-retrieved" else "")
        if note:
            second.append(" · note: ", style="dim")
            second.append(" ".join(note.split()), style="italic")
        self._lines = (first, second)
        self._draw()
