"""A first-run introduction shown over the screening screen (``screener demo``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class IntroModal(ModalScreen[None]):
    """What this is, who you screen as and what to press; any of Enter, Esc or Space closes it."""

    BINDINGS = [Binding("enter,escape,space", "close", "Start", id="intro-close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(id="intro-modal")
        self.intro_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-box", id="intro-box"):
            yield Static(self.intro_title, classes="modal-title")
            yield Static(self.text, id="intro-text")
            yield Static("Press Enter to start · ? lists every key at any time",
                         classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)
