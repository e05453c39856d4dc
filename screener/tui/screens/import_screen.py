"""Import: a folder tree, a preview of the chosen file (format, records, inferred source
and method, its first records and warnings), editable source and method, and the import
itself in a worker with progress. A page's reference/related list shows as its records."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DirectoryTree, Footer, Header, Input, Select, Static

from screener.errors import ScreenerError
from screener.import_preview import FilePreview, preview_file
from screener.importing import FileImport, import_file, summarise
from screener.keymap import IMPORT_KEYS
from screener.models import Method
from screener.project import Project


def preview_text(p: FilePreview) -> Group:
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("File", escape(p.path.name))
    facts.add_row("Format", f"{escape(p.format)} ({escape(p.encoding)})")
    methods = ", ".join(f"{m} {n}" for m, n in p.by_method.most_common())
    facts.add_row("Records", f"{p.records} ({methods})" if p.records else "none found")
    facts.add_row("Source", escape(p.source))
    facts.add_row("Method", p.method.value)
    if p.already_imported:
        facts.add_row("Note", Text(f"already imported ({p.already_imported})", style="yellow"))
    records = Table(box=None, padding=(0, 1), header_style="bold", pad_edge=False)
    records.add_column("line", justify="right", no_wrap=True)
    records.add_column("method", no_wrap=True)
    records.add_column("title", overflow="ellipsis", no_wrap=True)
    for line, method, title in p.samples:
        records.add_row(str(line), method, Text(title))
    parts: list[Table | Text] = [facts, Text(), records]
    if p.records > len(p.samples):
        parts.append(Text(f"... and {p.records - len(p.samples)} more", style="dim"))
    if p.warnings:
        parts += [Text(), Text(_n(len(p.warnings), "warning"), style="bold yellow"),
                  warning_lines(p.path, p.warnings)]
    return Group(*parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def warning_lines(path: Path, warnings: list[tuple[int, str]]) -> Text:
    out = Text()
    for line, message in warnings:
        out.append(f"{path.name}:{line}: " if line else f"{path.name}: ", style="yellow")
        out.append(message + "\n")
    return out


class ImportScreen(Screen[None]):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in IMPORT_KEYS]

    class Previewed(Message):
        def __init__(self, preview: FilePreview | None, error: str | None = None) -> None:
            super().__init__()
            self.preview = preview
            self.error = error

    class Imported(Message):
        def __init__(self, result: FileImport | None, error: str | None = None) -> None:
            super().__init__()
            self.result = result
            self.error = error

    def __init__(self, project: Project, start: Path | None = None) -> None:
        super().__init__(id="import")
        self.project = project
        self.start = start or Path.cwd()
        self.preview: FilePreview | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="step-body"):
            with Vertical(id="import-browse"):
                yield Input(str(self.start), id="import-folder",
                            placeholder="folder to browse (Enter)")
                yield DirectoryTree(self.start, id="import-tree")
            with Vertical(id="import-side"):
                with Horizontal(id="import-options"):
                    yield Input(placeholder="source", id="import-source")
                    yield Select([(m.value, m) for m in Method], allow_blank=False,
                                 value=Method.DATABASE, id="import-method")
                    yield Button("Import", variant="primary", id="import-go", disabled=True)
                yield Static("Pick a file on the left (arrows and Enter, or click) to see "
                             "what it holds before importing it.", id="import-status")
                with VerticalScroll(id="import-preview-box"):
                    yield Static(id="import-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "import-folder":
            folder = Path(event.value).expanduser()
            if folder.is_dir():
                self.query_one(DirectoryTree).path = folder
            else:
                self.notify(f"{folder}: not a folder", severity="warning")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.show_status(f"Reading {event.path.name}...")
        self._preview(event.path)

    @work(thread=True, exclusive=True, group="preview")
    def _preview(self, path: Path) -> None:
        store = self.project.open_store()
        try:
            imported = {f.sha256: f"as {f.path} on {f.imported_at[:10]}"
                        for f in store.source_files()}
        finally:
            store.close()
        try:
            self.post_message(self.Previewed(preview_file(path, imported)))
        except ScreenerError as exc:
            self.post_message(self.Previewed(None, str(exc)))

    def on_import_screen_previewed(self, message: Previewed) -> None:
        self.preview = message.preview
        go = self.query_one("#import-go", Button)
        if message.preview is None:
            go.disabled = True
            self.show_status(Text(message.error or "", style="red"))
            self.query_one("#import-preview", Static).update("")
            return
        p = message.preview
        self.query_one("#import-source", Input).value = p.source
        self.query_one("#import-method", Select).value = p.method
        go.disabled = self.busy or p.records == 0
        self.show_status(f"{p.path.name}: {p.records} records. Check source and method, "
                         "then Import.")
        self.query_one("#import-preview", Static).update(preview_text(p))

    def show_status(self, text: str | Text) -> None:
        self.query_one("#import-status", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-go":
            self.action_import_file()

    def action_import_file(self) -> None:
        p = self.preview
        if p is None or self.busy:
            return
        source = self.query_one("#import-source", Input).value.strip() or p.source
        method = self.query_one("#import-method", Select).value
        self.busy = True
        self.query_one("#import-go", Button).disabled = True
        self.show_status(f"Importing {p.path.name}...")
        self._import(p.path, source, method if isinstance(method, Method) else p.method)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path, source: str, method: Method) -> None:
        def progress(n: int) -> None:
            self.app.call_from_thread(self.show_status, f"Importing {path.name}: {n:,} records "
                                      "read...")

        store = self.project.open_store()
        try:
            result = import_file(store, path, source=source, method=method, progress=progress)
            self.post_message(self.Imported(result))
        except ScreenerError as exc:
            self.post_message(self.Imported(None, str(exc)))
        finally:
            store.close()

    def on_import_screen_imported(self, message: Imported) -> None:
        self.busy = False
        r = message.result
        if r is None:
            self.show_status(Text(f"Not imported (the project is unchanged): {message.error}",
                                  style="red"))
            self.query_one("#import-go", Button).disabled = self.preview is None
            return
        methods = ", ".join(f"{m} {n}" for m, n in sorted(r.by_method.items()))
        text = Text(f"Imported {_n(r.records, 'record')} from {r.path.name} (source "
                    f"{r.source}; {methods}).", style="green")
        if r.warning_count:
            text.append(f" {_n(r.warning_count, 'warning')}: " + "; ".join(summarise(r)),
                        style="yellow")
        self.show_status(text)
        self.notify(f"{r.path.name}: {r.records} records imported.")
        if r.warnings:
            self.query_one("#import-preview", Static).update(warning_lines(r.path, r.warnings))
        self.preview = None
