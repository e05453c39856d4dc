"""A one-line text prompt (note, search): Enter returns the text, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "",
                 id: str | None = None, hint: str = "Enter to save · Esc to cancel") -> None:
        super().__init__(id=id)
        self.prompt_title = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(self.prompt_title, classes="modal-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(self.hint, classes="modal-hint", id="prompt-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteModal(TextModal):
    """The reviewer's note on the current work."""

    def __init__(self, value: str = "") -> None:
        super().__init__("Note on this work (empty clears it)", value,
                         "e.g. check the full text for the partners involved", id="note-modal")


class SearchModal(TextModal):
    """A search query; the screen jumps to the next matching work."""

    def __init__(self, value: str = "") -> None:
        super().__init__("Search titles, abstracts, authors, keywords, DOI (#ID = work id)",
                         value, "e.g. public-private", id="search-modal",
                         hint="Enter to search (again for the next match) · Esc to cancel")
