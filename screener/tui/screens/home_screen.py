"""The review's home: the stages as a dashboard, what to do next, and a menu of the steps.

The figures are counted in a worker thread with its own database connection
(``screener.home.home_summary``) and posted back; the screen counts again each time it
comes back to the top, so it always shows what the last step changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from screener.errors import ScreenerError
from screener.home import HomeSummary, View, home_summary
from screener.keymap import HOME_KEYS, KeyAction
from screener.models import Stage
from screener.tui.screens.text_modal import TextModal

if TYPE_CHECKING:
    from screener.tui.review_app import ReviewApp

VIEW_LABELS: dict[View, str] = {
    View.IMPORT: "Import",
    View.DEDUP: "Duplicates",
    View.SCREEN: "Screen",
    View.CONFLICTS: "Conflicts",
    View.FULLTEXT: "Full text",
    View.AGREEMENT: "Agreement",
    View.PRISMA: "PRISMA",
    View.EXPORT: "Export",
}

_KEY_OF_VIEW = {View(k.action.split("'")[1]): k for k in HOME_KEYS if k.action.startswith("open(")}


def view_key(view: View) -> KeyAction:
    """The home key that opens ``view`` (PRISMA is the app-wide ``prisma`` key)."""
    from screener.keymap import APP_KEYS

    if view is View.PRISMA:
        return next(k for k in APP_KEYS if k.id == "prisma")
    return _KEY_OF_VIEW[view]


def _counts(counts: dict[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{escape(name)} {n}" for name, n in ordered) or "—"


def _n(value: int | None) -> str:
    return "·" if value is None else str(value)


def dashboard(s: HomeSummary, key_of: dict[View, str]) -> RenderableType:
    """The dashboard: records, works, each stage, pilot, agreement, PRISMA, next steps."""
    role = "sees combined counts" if s.combined else "blind: your own decisions only"
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("You", f"{escape(s.reviewer) or '(nobody: press w)'} · {role}")
    files = f"{s.files} file{'' if s.files == 1 else 's'}"
    facts.add_row("Records", f"{s.records} from {files} · {s.works} works "
                  f"({s.duplicates} duplicates merged) · {s.dedup_queue} pairs to review")
    facts.add_row("Sources", _counts(s.by_source))
    facts.add_row("Methods", _counts(s.by_method))
    stages = Table(box=None, padding=(0, 1), header_style="bold", pad_edge=False)
    for name in ("Stage", "works", "yours", "left", "confl", "incl", "excl"):
        stages.add_column(name, justify="left" if name == "Stage" else "right", no_wrap=True)
    for line in s.stages:
        stages.add_row("Title/abstract" if line.stage is Stage.TITLE_ABSTRACT else "Full text",
                       str(line.works), str(line.screened_by_you), str(line.remaining_for_you),
                       _n(line.conflicts), _n(line.included), _n(line.excluded))
    status = Table.grid(padding=(0, 1))
    status.add_column(style="bold", no_wrap=True)
    status.add_column()
    status.add_row("Pilot", escape(s.pilot) if s.pilot else "no pilot round in the protocol")
    if s.combined:
        if s.kappa_reviewers:
            a, b = s.kappa_reviewers
            kappa = "n/a" if s.kappa is None else f"{s.kappa:.2f}"
            status.add_row("Agreement", f"Cohen's kappa {kappa} ({escape(a)} vs {escape(b)})")
        else:
            status.add_row("Agreement", "needs two reviewers' decisions")
        prisma = Text("adds up", style="green") if s.prisma_consistent else Text(
            f"does not add up yet ({len(s.prisma_unmet)} "
            f"check{'' if len(s.prisma_unmet) == 1 else 's'} unmet)", style="yellow")
        status.add_row("PRISMA", prisma)
    steps = Text()
    for view, text in s.next_steps:
        key = key_of.get(view, "") if view is not None else ""
        steps.append(f" {key:>3} ", style="bold reverse" if key else "")
        steps.append(f" {text}\n")
    return Group(facts, Text(), stages, Text(), status, Text(), Text("Next", style="bold"),
                 steps)


class HomeScreen(Screen[None]):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in HOME_KEYS]

    class Counted(Message):
        def __init__(self, summary: HomeSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self) -> None:
        super().__init__(id="home")
        self.summary: HomeSummary | None = None

    @property
    def shell(self) -> ReviewApp:
        from screener.tui.review_app import ReviewApp

        assert isinstance(self.app, ReviewApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with VerticalScroll(id="home-main"):
                yield Static("Counting...", id="home-dashboard")
            yield OptionList(id="home-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.shell.reviewer
        self._fill_menu()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Steps the acting reviewer may not see have no key (and no footer entry).
        if action == "open" and parameters:
            return View(str(parameters[0])) in self.shell.views
        return True

    def _key_of(self) -> dict[View, str]:
        out = {}
        for view in View:
            action = view_key(view)
            keys = self.shell.user_keymap.get(action.id, action.keys).split(",")[0].strip()
            out[view] = self.app.get_key_display(Binding(keys, action.action))
        return out

    def _fill_menu(self) -> None:
        menu = self.query_one("#home-menu", OptionList)
        key_of = self._key_of()
        menu.clear_options()
        menu.add_options([Option(f"{key_of[v]:>3}  {VIEW_LABELS[v]}", id=v.value)
                          for v in self.shell.views])

    def action_refresh(self) -> None:
        self._count(self.shell.reviewer)

    @work(thread=True, exclusive=True, group="home")
    def _count(self, reviewer: str) -> None:
        project, view = self.shell.project, self.shell.visibility
        assert project is not None and view is not None
        store = self.shell.open_store()  # its own connection: the UI thread keeps the app's
        try:
            summary = home_summary(project, store, view)
        finally:
            store.close()
        self.post_message(self.Counted(summary))

    def on_home_screen_counted(self, message: Counted) -> None:
        if message.summary.reviewer != self.shell.reviewer:
            return  # counted for the reviewer before a switch; a recount is on its way
        self.summary = message.summary
        self.query_one("#home-dashboard", Static).update(
            dashboard(message.summary, self._key_of()))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.shell.open_view(View(event.option.id))

    def action_open(self, view: str) -> None:
        self.shell.open_view(View(view))

    def action_switch_reviewer(self) -> None:
        def done(name: str | None) -> None:
            if name and name.strip():
                try:
                    self.shell.set_reviewer(name)
                except ScreenerError as exc:
                    self.notify(str(exc), severity="error", timeout=10)
                    return
                self.sub_title = self.shell.reviewer
                self._fill_menu()
                self.refresh_bindings()
                self.action_refresh()

        self.app.push_screen(TextModal("Act as reviewer (your name as stored with decisions)",
                                       self.shell.reviewer, "e.g. ana", id="reviewer-modal"),
                             done)
