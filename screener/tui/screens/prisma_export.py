"""The PRISMA screen of the app: the diagram counted so far, plus ``x`` to write it to a
file (SVG, Markdown, Mermaid, CSV, JSON or text, from the file name's suffix)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import work
from textual.binding import Binding

from screener.commands.prisma import _BY_SUFFIX
from screener.errors import ScreenerError
from screener.keymap import PRISMA_EXPORT_KEYS
from screener.output_file import write_output
from screener.prisma.counting import count_flow
from screener.prisma.render import render
from screener.project import Project
from screener.store import Store
from screener.tui.prisma_screen import PrismaScreen
from screener.tui.screens.text_modal import TextModal


class PrismaExportScreen(PrismaScreen):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in PRISMA_EXPORT_KEYS]

    def __init__(self, store: Store, project: Project, notice: str | None = None) -> None:
        super().__init__(store, project.protocol, project.config.title, notice)
        self.project = project

    def action_export(self) -> None:
        def done(name: str | None) -> None:
            if not name or not name.strip():
                return
            path = Path(name.strip()).expanduser()
            fmt = _BY_SUFFIX.get(path.suffix.lower())
            if fmt is None:
                self.notify(f"Give the file a suffix: {', '.join(_BY_SUFFIX)}",
                            severity="warning")
                return
            if not path.is_absolute():
                path = self.project.root / path
            self._export(path, fmt)

        self.app.push_screen(TextModal("Write the diagram to (the suffix picks the format: "
                                       + " ".join(_BY_SUFFIX) + ")", "prisma.svg",
                                       id="prisma-export-modal"), done)

    @work(thread=True, exclusive=True, group="prisma-export")
    def _export(self, path: Path, fmt: str) -> None:
        flow = count_flow(self.store, self.protocol, title=self.review_title)
        # As `screener prisma -o` draws it: no title above the diagram unless asked for.
        text = render(flow, fmt, replace(self.options, title=None))
        try:
            write_output(path, text, project=self.project)
        except ScreenerError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        note = "" if flow.consistent else " (it does not add up yet: see the red checks)"
        self.app.call_from_thread(self.notify, f"Wrote {path.name} ({fmt}){note}.")
