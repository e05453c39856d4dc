"""Exports: the works of an outcome with every decision (RIS, CSV, BibTeX), or the
decision log, written into the project folder by the same code as ``screener export``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static

from screener.commands.export import format_for, write_export
from screener.errors import ScreenerError
from screener.export import ExportWhat
from screener.models import Stage
from screener.output_file import output_file
from screener.project import Project
from screener.store import Store

WHATS = [*(w.value for w in ExportWhat), "log"]


def output_path(project: Project, name: str) -> Path:
    """A file name typed in the app is relative to the project folder."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else project.root / path


class ExportScreen(Screen[None]):
    class Written(Message):
        def __init__(self, text: str, ok: bool) -> None:
            super().__init__()
            self.text = text
            self.ok = ok

    def __init__(self, project: Project, open_store: Callable[[], Store]) -> None:
        """``open_store``: a store as the acting reviewer sees it (for the worker)."""
        super().__init__(id="export")
        self.project = project
        self.open_store = open_store

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="export-form"):
            yield Static("Which works, whose outcome, and the file (the format follows its "
                         "suffix: .ris, .csv, .bib; the log is CSV).")
            with Horizontal(classes="export-row"):
                yield Select([(w, w) for w in WHATS], value="included", allow_blank=False,
                             id="export-what")
                yield Select([(s.value, s) for s in Stage], value=Stage.TITLE_ABSTRACT,
                             allow_blank=False, id="export-stage")
            yield Input("included.ris", id="export-file")
            yield Button("Export", variant="primary", id="export-go")
        yield Static(id="export-status")
        yield Footer()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-what":
            name = self.query_one("#export-file", Input)
            suffix = ".csv" if event.value == "log" else Path(name.value).suffix or ".ris"
            name.value = f"{'decision-log' if event.value == 'log' else event.value}{suffix}"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.export()

    def export(self) -> None:
        what = str(self.query_one("#export-what", Select).value)
        stage = self.query_one("#export-stage", Select).value
        name = self.query_one("#export-file", Input).value.strip()
        if not name:
            self.notify("Give the file name.", severity="warning")
            return
        self._write(what, stage if isinstance(stage, Stage) else Stage.TITLE_ABSTRACT,
                    output_path(self.project, name))

    @work(thread=True, exclusive=True)
    def _write(self, what: str, stage: Stage, path: Path) -> None:
        fmt = format_for(str(path))
        try:
            store = self.open_store()
            try:
                with output_file(path, project=self.project) as out:
                    count, described = write_export(store, self.project.protocol, what, stage,
                                                    fmt, out)
            finally:
                store.close()
        except ScreenerError as exc:
            self.post_message(self.Written(str(exc), False))
            return
        self.post_message(self.Written(f"Wrote {count} {described} to {path} ({fmt}).", True))

    def on_export_screen_written(self, message: Written) -> None:
        self.query_one("#export-status", Static).update(
            Text(message.text, style="green" if message.ok else "red"))
        self.notify(message.text, severity="information" if message.ok else "error")
