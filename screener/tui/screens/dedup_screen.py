"""Dedup: run duplicate detection in a worker (with elapsed time while it runs), then the
review queue of uncertain pairs, a work explained, or the source-overlap matrix."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from screener.commands.dedup import explain_lines, overlap_lines, summary_lines
from screener.dedup.run import run_dedup
from screener.errors import ScreenerError
from screener.keymap import DEDUP_STEP_KEYS
from screener.project import Project
from screener.store import Store
from screener.tui.dedup_review import DedupReviewScreen
from screener.tui.screens.text_modal import TextModal


class DedupScreen(Screen[None]):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in DEDUP_STEP_KEYS]

    class Done(Message):
        """A worker's lines for the view (or an error)."""

        def __init__(self, lines: list[str], error: str | None = None) -> None:
            super().__init__()
            self.lines = lines
            self.error = error

    def __init__(self, project: Project, reviewer: str) -> None:
        super().__init__(id="dedup")
        self.project = project
        self.reviewer = reviewer
        self.running: Timer | None = None
        self.started = 0.0
        self.compared = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dedup-status")
        with VerticalScroll(classes="step-body"):
            yield Static(id="dedup-view")
        yield Footer()

    def on_mount(self) -> None:
        self.show_queue()

    def on_screen_resume(self) -> None:
        self.show_queue()

    def show_queue(self) -> None:
        store = self.project.open_store()
        try:
            queue, works, records = (store.review_queue_count(), store.work_count(),
                                     store.record_count())
        finally:
            store.close()
        self.query_one("#dedup-status", Static).update(
            f"{records} records, {works} works, {queue} uncertain pairs to review. "
            "r runs dedup, v reviews the pairs, e explains a work, o shows the overlap.")

    # --- run ----------------------------------------------------------------------------
    def action_run_dedup(self) -> None:
        if self.running is not None:
            return
        self.started = time.monotonic()
        self.compared = ""
        self.running = self.set_interval(0.5, self._tick)
        self._tick()

        def progress(done: int, total: int, pairs: int) -> None:
            # Called on the worker thread; the timer shows it.
            self.compared = f"{done:,} of {total:,} records compared, {pairs:,} candidate pairs; "

        self._in_worker(lambda store: summary_lines(run_dedup(store, progress)))

    def _tick(self) -> None:
        elapsed = time.monotonic() - self.started
        self.query_one("#dedup-status", Static).update(
            Text(f"Finding duplicates... {self.compared}{elapsed:.0f} s "
                 "(you can leave this screen; it goes on)", style="bold"))

    @work(thread=True, exclusive=True, group="dedup")
    def _in_worker(self, job: Callable[[Store], list[str]]) -> None:
        store = self.project.open_store()  # its own connection, off the UI thread
        try:
            self.post_message(self.Done(job(store)))
        except ScreenerError as exc:
            self.post_message(self.Done([], str(exc)))
        finally:
            store.close()

    def on_dedup_screen_done(self, message: Done) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None
            self.show_queue()
        view = self.query_one("#dedup-view", Static)
        if message.error:
            view.update(Text(message.error, style="red"))
        else:
            view.update(Text("\n".join(message.lines)))

    # --- review, explain, overlap -------------------------------------------------------
    def action_review(self) -> None:
        store = self.project.open_store()
        if store.review_queue_count() == 0:
            store.close()
            self.notify("No uncertain pairs to review.")
            return

        def done(decided: int | None) -> None:
            store.close()
            self.notify(f"{decided or 0} pairs decided.")

        self.app.push_screen(DedupReviewScreen(store, self.reviewer), done)

    def action_explain(self) -> None:
        def done(value: str | None) -> None:
            if value is None:
                return
            number = value.strip().lstrip("#")
            if not number.isdigit():
                self.notify("Give a work or record number.", severity="warning")
                return
            self._in_worker(lambda store: explain_lines(store, int(number)))

        self.app.push_screen(TextModal("Explain which work? (work or record number)", "",
                                       "e.g. 12", id="explain-modal"), done)

    def action_overlap(self) -> None:
        self._in_worker(overlap_lines)
