"""``screener dedup --review``: the uncertain pairs side by side, one key per decision.

``DedupReviewScreen`` is pushed by the app shell's dedup step or hosted alone by
``DedupReviewApp``; it returns how many pairs were decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from screener.dedup.run import regroup, screened_merge_message, screened_merges
from screener.keymap import DEDUP_KEYS
from screener.models import Record, StoredRecord
from screener.project import Project
from screener.store import Store
from screener.store.dedup import DedupPair
from screener.tui.launch import run_app
from screener.tui.screens.help_screen import HelpScreen

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
          "alt_titles", "abstract")


def field_text(record: Record, name: str) -> str:
    """One field as shown in the comparison (authors and alternative titles joined)."""
    value: Any = getattr(record, name)
    if name == "authors":
        return "; ".join(a.display() for a in record.authors)
    if name == "alt_titles":
        return " | ".join(t.text for t in record.alt_titles)
    if value is None:
        return ""
    text = str(value)
    return text if name != "abstract" or len(text) <= 400 else text[:399] + "…"


def differing_fields(a: Record, b: Record) -> set[str]:
    """Fields filled on both sides with different values (compared without case/space)."""
    out = set()
    for name in FIELDS:
        x, y = field_text(a, name), field_text(b, name)
        if x and y and " ".join(x.lower().split()) != " ".join(y.lower().split()):
            out.add(name)
    return out


def _panel(s: StoredRecord, differ: set[str]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("record", f"#{s.id}  {escape(s.source)} ({s.method.value})")
    table.add_row("file", escape(f"{Path(s.source_file).name}:{s.line}"))
    for name in FIELDS:
        text = escape(field_text(s.record, name)) or "[dim]—[/dim]"
        table.add_row(name, f"[reverse yellow]{text}[/]" if name in differ else text)
    return table


class DedupReviewScreen(Screen[int]):
    """Walks the review queue; every confirm or reject is committed at once."""

    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in DEDUP_KEYS]

    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.queue: list[DedupPair] = store.review_queue()
        self.position = 0
        self.decided = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pair-info")
        with Horizontal(id="pair"):
            yield VerticalScroll(Static(id="left-record"), id="left")
            yield VerticalScroll(Static(id="right-record"), id="right")
        yield Footer()

    def on_mount(self) -> None:
        self.show_pair()

    @property
    def current(self) -> DedupPair | None:
        return self.queue[self.position] if self.position < len(self.queue) else None

    def show_pair(self) -> None:
        info = self.query_one("#pair-info", Static)
        pair = self.current
        if pair is None:
            info.update(f"Review queue done: {self.decided} decided. Press q to quit.")
            self.query_one("#left-record", Static).update("")
            self.query_one("#right-record", Static).update("")
            return
        a, b = self.store.get_record(pair.a), self.store.get_record(pair.b)
        differ = differing_fields(a.record, b.record)
        info.update(f"pair {self.position + 1} of {len(self.queue)} · score {pair.score:.3f} · "
                    f"rule {escape(pair.rule)} · differing fields highlighted")
        self.query_one("#left-record", Static).update(_panel(a, differ))
        self.query_one("#right-record", Static).update(_panel(b, differ))

    def _decide(self, status: str) -> None:
        pair = self.current
        if pair is None:
            return
        with self.store.transaction():
            screened = self.store.screened_works()
            self.store.decide_pair(pair.a, pair.b, status, self.reviewer)
            regroup(self.store)
        merged = screened_merges(self.store.work_links(), screened) if screened else 0
        if merged:
            self.notify(screened_merge_message(merged), severity="warning")
        self.decided += 1
        self.action_skip()

    def action_confirm(self) -> None:
        self._decide("confirmed")

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_skip(self) -> None:
        if self.current is not None:
            self.position += 1
        self.show_pair()

    def action_help(self) -> None:
        keys = getattr(self.app, "user_keymap", {})
        self.app.push_screen(HelpScreen(
            [(k, keys.get(k.id, k.keys).replace("question_mark", "?")) for k in DEDUP_KEYS],
            title="Duplicate review keys"))

    def action_quit(self) -> None:
        self.dismiss(self.decided)


class DedupReviewApp(App[int]):
    """The duplicate review on its own (``screener dedup --review``)."""

    CSS_PATH = "dedup_review.tcss"
    TITLE = "screener: duplicate review"

    def __init__(self, store: Store, reviewer: str, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.user_keymap = dict(keymap or {})

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        self.push_screen(DedupReviewScreen(self.store, self.reviewer), self.exit)


def run_review(project: Project, reviewer: str, *, debug: bool = False) -> int:
    """Open the review screen, or say there is nothing to review; returns the exit code."""
    from screener.commands import emit
    from screener.keymap import check_keymap
    from screener.project import CONFIG_NAME

    keymap = check_keymap(project.config.keys, project.root / CONFIG_NAME)
    store = project.open_store()
    try:
        pending = len(store.review_queue())
        if not pending:
            emit("nothing to review: no uncertain duplicate pairs are waiting "
                 "(run 'screener dedup' after importing to find new ones)")
            return 0
        decided = run_app(DedupReviewApp(store, reviewer, keymap), "duplicate review screen",
                          debug=debug)
    finally:
        store.close()
    emit(f"duplicate review: {decided or 0} of {pending} pairs decided")
    return 0
