"""Shown when the reviewer quits while decisions are still queued for the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from screener.write_queue import WriteQueue, pending_writes, queue_statuses


def saving_text(queued: int, busy: bool, error: str | None) -> str:
    """One line about queued writes, as the screens and this modal say it."""
    what = f"{queued} queued"
    if error:
        return f"not saved yet: {error}; retrying ({what})"
    if busy:
        return f"saving… (database busy, {what})"
    return f"saving… ({what})"


class SavingLine:
    """What a screen says about its queued writes: a line once a write waits (a write that
    commits at once shows nothing), and each new failure once as a toast (the write is
    retried, never dropped)."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.error: str | None = None

    def update(self, writes: WriteQueue | None, notify: Callable[..., Any]) -> bool:
        """Read the queue's state; True when the line to show has changed."""
        state = writes.status() if writes is not None else None
        text = None
        if state is not None and state.queued and (state.busy or state.error or state.waited > 0.3):
            text = saving_text(state.queued, state.busy, state.error)
        error = state.error if state is not None else None
        if error and error != self.error:
            notify(f"Not saved yet (retrying, nothing is lost): {error}", severity="error",
                   timeout=10)
        self.error = error
        changed, self.text = text != self.text, text
        return changed


def quit_when_saved(app: App[Any]) -> None:
    """Quit now, or (decisions still queued) once the database has taken them all."""
    if pending_writes() == 0:
        app.exit()
    elif not isinstance(app.screen, SavingModal):
        app.push_screen(SavingModal())


class SavingModal(ModalScreen[None]):
    """Waits for every queued decision to be stored, then quits; Esc goes back to work.
    A recorded decision is never dropped, so there is no "quit anyway" here."""

    BINDINGS = [Binding("escape", "back", "Back", id="saving-back")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="saving-box"):
            yield Static("Saving your decisions before quitting", classes="modal-title")
            yield Static(id="saving-text")
            yield Static("The screen closes by itself once they are stored · Esc: back to work",
                         classes="modal-hint")

    def on_mount(self) -> None:
        self._check()
        self.set_interval(0.2, self._check)

    def _check(self) -> None:
        queued = pending_writes()
        if queued == 0:
            self.app.exit()
            return
        statuses = [s for s in queue_statuses() if s.queued]
        busy = any(s.busy for s in statuses)
        error = next((s.error for s in statuses if s.error), None)
        self.query_one("#saving-text", Static).update(
            saving_text(queued, busy, error).capitalize()
            + ("\nAnother screener process (an import or dedup?) is writing: yours are "
               "stored as soon as it lets go." if busy else ""))

    def action_back(self) -> None:
        self.dismiss(None)
