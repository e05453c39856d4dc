"""The conflicts screen: the list of conflicts, both reviewers' decisions side by side, the
record with its keywords highlighted, and keys for the lead's final include/exclude."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from screener.conflicts import Conflict, ConflictSession
from screener.errors import ScreenerError
from screener.highlight import Highlighter
from screener.keymap import CONFLICT_KEYS
from screener.models import Choice, Resolution
from screener.protocol import Keywords
from screener.tui.screens.reason_modal import ReasonModal
from screener.tui.screens.saving_modal import SavingLine
from screener.tui.screens.text_modal import NoteModal
from screener.tui.widgets.decision_card import CHOICE_STYLES, DecisionCard
from screener.tui.widgets.work_view import WorkView

LIST_WIDTH = 40
"""Width of the conflict list, in cells (``#conflict-list`` in conflicts.tcss)."""


class ConflictList(OptionList, can_focus=False):
    """The conflicts, resolved ones ticked; the screen's keys move through it."""


class ConflictsScreen(Screen[None]):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in CONFLICT_KEYS]

    class Resolved(Message):
        """A resolution (or a withdrawal: ``resolution`` None) was committed."""

        def __init__(self, work_id: int, resolution: Resolution | None) -> None:
            super().__init__()
            self.work_id = work_id
            self.resolution = resolution

    def __init__(self, session: ConflictSession) -> None:
        super().__init__()
        self.session = session
        self._saving_line = SavingLine()
        self.labels = dict(session.reasons)
        keywords = session.protocol.keywords if session.protocol else Keywords()
        self.highlighter = Highlighter(keywords)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="conflicts-body"):
            yield ConflictList(id="conflict-list")
            with Vertical(id="conflict-main"):
                yield Static(id="resolution")
                yield Horizontal(id="cards")
                yield WorkView(id="work")
        yield Footer()

    def on_mount(self) -> None:
        # Resolutions are stored by a thread of their own: a key never waits for the lock
        # another process holds; the header says what is still queued.
        self.session.queue_writes()
        self.set_interval(0.25, self._show_saving)
        self._fill_list()
        self.show_current()

    def _show_saving(self) -> None:
        """Show queued resolutions once they wait, and every new failure (retried)."""
        if self._saving_line.update(self.session.writes, self.notify):
            self.show_resolution()

    # --- drawing -----------------------------------------------------------------------
    def _label(self, c: Conflict) -> Text:
        title = self.session.store.get_work(c.work_id).record.title or "(no title)"
        text = Text()  # the mark alone coloured (Text(style=) would colour the title too)
        text.append("✓ " if c.resolved else "• ", style="green" if c.resolved else "yellow")
        text.append(f"#{c.work_id} ", style="bold")
        # One line per conflict: the list is LIST_WIDTH wide (see conflicts.tcss).
        room = LIST_WIDTH - 4 - len(text.plain)
        text.append(title if len(title) <= room else title[: room - 1].rstrip() + "…")
        return text

    def _fill_list(self) -> None:
        options = self.query_one(ConflictList)
        options.clear_options()
        options.add_options([Option(self._label(c), id=str(c.work_id))
                             for c in self.session.conflicts])

    def show_current(self) -> None:
        s = self.session
        c = s.current
        cards = self.query_one("#cards", Horizontal)
        cards.remove_children()
        if c is None:
            self.query_one("#resolution", Static).update(
                Text("No conflicts: the reviewers agree on every work screened by both.",
                     style="bold"))
            self.query_one(WorkView).show(None, self.highlighter)
            return
        self.query_one(ConflictList).highlighted = s.position
        new_cards = [DecisionCard(classes="card") for _ in c.decisions]
        cards.mount_all(new_cards)
        for card, d in zip(new_cards, c.decisions, strict=True):
            card.show(d, self.labels)
        self.show_resolution()
        self.query_one(WorkView).show(s.current_work(), self.highlighter)

    def show_resolution(self) -> None:
        s = self.session
        c = s.current
        if c is None:
            return
        head = Text(f"Conflict {s.position + 1} of {len(s.conflicts)} · "
                    f"{s.open_count} open · work #{c.work_id}", style="bold")
        saving = self._saving_line
        if saving.text:
            head.append(f"  {saving.text}", style="bold white on #b3261e" if saving.error
                        else "bold #2b2100 on #f2c94c")
        head.append("\n")
        r = c.resolution
        if r is None:
            head.append("Unresolved", style="bold yellow")
            head.append(": i include · e exclude · n note", style="dim")
            note = s.pending_notes.get(c.work_id)
            if note:
                head.append(f"\nNote (saved with the resolution): {note}")
        else:
            head.append("Resolved ", style="bold")
            head.append(f" {r.decision.value.upper()} ", style=CHOICE_STYLES[r.decision])
            reasons = ", ".join(self.labels.get(x, x) for x in r.reasons)
            head.append(f" {reasons}" if reasons else "")
            head.append(f" by {r.resolved_by} at {r.time[:16].replace('T', ' ')} UTC",
                        style="dim")
            if r.note:
                head.append(f"\nNote: {r.note}")
        self.query_one("#resolution", Static).update(head)

    def _refresh_row(self) -> None:
        c = self.session.current
        if c is not None:
            self.query_one(ConflictList).replace_option_prompt_at_index(
                self.session.position, self._label(c))

    # --- actions -----------------------------------------------------------------------
    def action_resolve(self, choice: str, reasons: list[str] | None = None) -> None:
        c = self.session.current
        if c is None:
            return
        try:
            res = self.session.resolve(Choice(choice), reasons)
        except ScreenerError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.post_message(self.Resolved(c.work_id, res))
        self._refresh_row()
        self.notify(f"Work #{c.work_id} resolved: {res.decision.value}.")
        following = self.session.next_open()
        if following is not None:
            self.session.go_to(following)
        self.show_current()

    def action_resolve_exclude(self) -> None:
        c = self.session.current
        if c is None:
            return
        reasons = self.session.reasons
        if not reasons:
            self.action_resolve(Choice.EXCLUDE.value)
            return
        chosen = c.resolution.reasons if c.resolution else []

        def done(picked: list[str] | None) -> None:
            if picked:
                self.action_resolve(Choice.EXCLUDE.value, picked)

        self.app.push_screen(ReasonModal(reasons, chosen), done)

    def action_note(self) -> None:
        s = self.session
        c = s.current
        if c is None:
            return
        current = s.pending_notes.get(c.work_id) or (c.resolution.note if c.resolution else "")

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                res = s.set_note(text)
            except ScreenerError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                return
            if res is not None:
                self.post_message(self.Resolved(c.work_id, res))
            self.show_resolution()

        self.app.push_screen(NoteModal(current or ""), done)

    def action_withdraw(self) -> None:
        c = self.session.current
        if c is None or not self.session.withdraw():
            self.notify("Nothing to withdraw: this conflict is not resolved.")
            return
        self.post_message(self.Resolved(c.work_id, None))
        self._refresh_row()
        self.notify(f"Resolution of work #{c.work_id} withdrawn.")
        self.show_current()

    def action_move(self, step: int) -> None:
        if self.session.move(step):
            self.show_current()

    def action_next_open(self) -> None:
        position = self.session.next_open()
        if position is None:
            self.notify("Every conflict is resolved.")
            return
        self.session.go_to(position)
        self.show_current()

    def action_scroll_record(self, direction: int) -> None:
        view = self.query_one(WorkView)
        if direction > 0:
            view.scroll_page_down(animate=False)
        else:
            view.scroll_page_up(animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.session.go_to(event.option_index)
        self.show_current()
