"""Correct a record's metadata (title typo, missing year); the original is kept."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from screener.models import Record
from screener.screening import CORRECTABLE

_LABELS = {"title": "Title", "year": "Year", "journal": "Journal", "doi": "DOI"}


class CorrectionModal(ModalScreen[dict[str, str] | None]):
    """Returns the edited fields (all of them, as text), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="correction-save"),
        Binding("escape", "cancel", "Cancel", id="correction-cancel"),
    ]

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="correction-box"):
            yield Static("Correct this record (stored beside the imported original)",
                         classes="modal-title")
            for name in CORRECTABLE:
                value = getattr(self.record, name)
                yield Label(_LABELS[name])
                yield Input("" if value is None else str(value), id=f"field-{name}")
            yield Static("Tab to move · Enter or Ctrl+S to save · Esc to cancel",
                         classes="modal-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self.dismiss({name: self.query_one(f"#field-{name}", Input).value for name in CORRECTABLE})

    def action_cancel(self) -> None:
        self.dismiss(None)
