"""``?``: every key of the screening screen, as currently mapped."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from screener.keymap import KeyAction


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help-close"),
    ]

    def __init__(self, keys: list[tuple[KeyAction, str]], title: str = "Screening keys",
                 sections: list[tuple[str, list[tuple[KeyAction, str]]]] | None = None) -> None:
        """``keys``: each action with the keys it is bound to now (after remapping);
        ``sections``: more of them under a heading each (the app's screens)."""
        super().__init__()
        self.keys = keys
        self.sections = sections or []
        self.help_title = title

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id (remap in \\[keys])", style="dim")
        for action, shown in self.keys:
            table.add_row(shown, action.help, action.id)
        for heading, rows in self.sections:
            table.add_row("", "", "")
            table.add_row("", f"[bold]{heading}[/]", "")
            for action, shown in rows:
                table.add_row(shown, action.help, action.id)
        with VerticalScroll(classes="modal-box", id="help-box"):
            yield Static(self.help_title, classes="modal-title")
            yield Static(table)
            yield Static("Every decision is saved the moment you make it. "
                         "Esc, ? or q closes this help.", classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)
