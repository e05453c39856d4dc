"""Pick one or more exclusion reasons with the number keys; Enter confirms."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from screener.tui.widgets.criteria_panel import reason_key


class ReasonModal(ModalScreen[list[str] | None]):
    """Returns the chosen reason codes, or None when cancelled."""

    BINDINGS = [
        *[Binding(str(n), f"pick({(n - 1) % 10})", show=False) for n in range(10)],
        Binding("enter", "confirm", "Confirm", id="reason-confirm"),
        Binding("escape", "cancel", "Cancel", id="reason-cancel"),
    ]

    def __init__(self, reasons: list[tuple[str, str]], chosen: list[str] | None = None) -> None:
        super().__init__()
        self.reasons = reasons
        self.chosen: list[str] = [c for c in chosen or [] if c in dict(reasons)]

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box", classes="modal-box"):
            yield Static("Exclude: why? Press the number of each reason that applies, "
                         "then Enter (Esc cancels).", classes="modal-title")
            yield Static(id="reason-list")

    def on_mount(self) -> None:
        self._render_list()

    def _render_list(self) -> None:
        text = Text()
        for i, (code, label) in enumerate(self.reasons):
            mark = "[x]" if code in self.chosen else "[ ]"
            style = "bold red" if code in self.chosen else ""
            text.append(f" {reason_key(i)} {mark} {label}", style=style)
            text.append(f"  {code}\n", style="dim")
        text.rstrip()
        self.query_one("#reason-list", Static).update(text)

    def action_pick(self, index: int) -> None:
        if index >= len(self.reasons):
            return
        code = self.reasons[index][0]
        if code in self.chosen:
            self.chosen.remove(code)
        else:
            self.chosen.append(code)
        self._render_list()

    def action_confirm(self) -> None:
        if not self.chosen:
            self.notify("Pick at least one reason (number keys), or Esc to cancel.",
                        severity="warning")
            return
        # Protocol order, so the same choice is stored the same way whatever the key order.
        order = [code for code, _ in self.reasons]
        self.dismiss(sorted(self.chosen, key=order.index))

    def action_cancel(self) -> None:
        self.dismiss(None)
