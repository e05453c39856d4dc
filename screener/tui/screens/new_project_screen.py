"""Outside a project the app offers to create one: folder, title, and the protocol (the
starter template, a file of your own, or none yet)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, RadioButton, RadioSet, Static

from screener.errors import ScreenerError
from screener.home import starter_protocol
from screener.project import init_project


class NewProjectScreen(Screen[Path | None]):
    """Returns the folder of the project it created, or None when the user leaves."""

    BINDINGS = [Binding("escape", "leave", "Quit", id="new-project-leave")]

    def __init__(self, folder: Path) -> None:
        super().__init__(id="new-project")
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="step-body"):
            yield Static(f"[bold]{self.folder}[/] is not a screener project yet. "
                         "Create one here?", classes="step-text", markup=True)
            yield Static("Folder (created if missing)", classes="step-text")
            yield Input(str(self.folder), id="new-folder")
            yield Static("Review title", classes="step-text")
            yield Input(placeholder="e.g. Walking interventions for blood pressure",
                        id="new-title")
            yield Static("Protocol (criteria, exclusion reasons, keywords, screening policy)",
                         classes="step-text")
            with RadioSet(id="new-protocol-choice"):
                yield RadioButton("Starter protocol (edit it later)", value=True,
                                  id="protocol-starter")
                yield RadioButton("From a file", id="protocol-file")
            yield Input(placeholder="path of a protocol TOML file", id="new-protocol-file")
            with Horizontal(id="new-buttons"):
                yield Button("Create project", variant="primary", id="new-create")
                yield Button("Quit", id="new-quit")
            yield Static("", id="new-error", classes="step-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-title", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "new-create":
            self.create()
        else:
            self.action_leave()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.create()

    def create(self) -> None:
        folder = Path(self.query_one("#new-folder", Input).value.strip() or ".")
        title = self.query_one("#new-title", Input).value.strip() or None
        choice = self.query_one("#new-protocol-choice", RadioSet).pressed_button
        protocol: Path | None = None
        try:
            if choice is not None and choice.id == "protocol-file":
                given = self.query_one("#new-protocol-file", Input).value.strip()
                if not given:
                    raise ScreenerError("give the protocol file's path")
                protocol = Path(given).expanduser()
            elif choice is not None and choice.id == "protocol-starter":
                protocol = starter_protocol()
            project = init_project(folder, title=title, protocol=protocol)
        except ScreenerError as exc:
            self.query_one("#new-error", Static).update(Text(str(exc), style="red"))
            return
        self.dismiss(project.root)

    def action_leave(self) -> None:
        self.dismiss(None)
