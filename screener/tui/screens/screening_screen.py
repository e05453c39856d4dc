"""The screening screen: one work, the reviewer's decision keys, criteria and progress.

Keys come from ``screener.keymap.SCREEN_KEYS`` (remappable by binding id). A stage adds
its own keys by listing a ``KeyAction`` with ``stages={...}`` and an ``action_*`` method
here; ``check_action`` hides keys of other stages. The screen posts ``DecisionRecorded``
up to the app after each commit, for panels that follow the review (agreement, PRISMA).
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Header

from screener.errors import ScreenerError
from screener.keymap import SCREEN_KEYS
from screener.models import Choice, Decision, Retrieval, Stage
from screener.screening import ScreeningSession
from screener.tui.screens.correction_modal import CorrectionModal
from screener.tui.screens.reason_modal import ReasonModal
from screener.tui.screens.saving_modal import SavingLine
from screener.tui.screens.screening_queue import QueueScreen
from screener.tui.screens.text_modal import NoteModal
from screener.tui.widgets.agreement_panel import AgreementPanel
from screener.tui.widgets.criteria_panel import CriteriaPanel
from screener.tui.widgets.decision_bar import DecisionBar
from screener.tui.widgets.progress_panel import ProgressPanel
from screener.tui.widgets.work_view import WorkView


class ScreeningScreen(QueueScreen):
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id) for k in SCREEN_KEYS]

    class DecisionRecorded(Message):
        """A decision (or undo: ``decision`` None) was committed for ``work_id``."""

        def __init__(self, work_id: int, decision: Decision | None) -> None:
            super().__init__()
            self.work_id = work_id
            self.decision = decision

    class WritesChanged(Message):
        """The writing thread committed a decision, started waiting or failed."""

    def __init__(self, session: ScreeningSession) -> None:
        super().__init__(session)
        self._saving_line = SavingLine()
        self._labels = dict(session.protocol.reasons(session.stage))
        self._stage_actions = {
            k.action.split("(")[0] for k in SCREEN_KEYS if session.stage not in k.stages
        }

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield DecisionBar(id="decision")
                yield WorkView(id="work")
            with Vertical(id="side"):
                yield ProgressPanel(id="progress")
                s = self.session
                yield AgreementPanel(s.store, s.stage, s.protocol, id="agreement",
                                     figures=s.sees_live_figures)
                yield CriteriaPanel(id="criteria")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(CriteriaPanel).show(self.session.protocol, self.session.stage)
        # Decisions are stored by a thread of their own: a key never waits for the lock
        # another process (an import) holds; the bar says what is still queued.
        self.session.queue_writes().on_change = self._writes_changed
        self.set_interval(0.25, self._tick)
        self.show_current()
        self.retrain()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in self._stage_actions

    # --- drawing -----------------------------------------------------------------------
    def show_current(self) -> None:
        s = self.session
        self.query_one(WorkView).show(s.current_work(), s.highlighter, self.highlight_query)
        self.show_decision()

    def show_decision(self) -> None:
        s = self.session
        work_id = s.current_id
        self.query_one(DecisionBar).show(
            s.position, s.total, s.current_decision(), self._labels,
            s.pending_notes.get(work_id) if work_id is not None else None,
            retrieval=self._retrieval_text(work_id), work_id=work_id,
            undecided=s.undecided_around(),
        )
        if self._saving_line.text is not None:
            self._show_saving()  # the queued count follows every key while it shows
        if s.stage is Stage.TITLE_ABSTRACT:
            self.query_one(ProgressPanel).show(
                s.progress(), self._order_text(), s.relevance(), self._stopping)
        else:
            self.query_one(ProgressPanel).show(s.progress())

    def _retrieval_text(self, work_id: int | None) -> str | None:
        if self.session.stage is not Stage.FULLTEXT or work_id is None:
            return None
        status = self.session.retrieval_of(work_id)
        return status.value if status else "not recorded (r / x)"

    def action_retrieval(self, status: str) -> None:
        """Full text: record whether the current work's report was obtained."""
        work_id = self.session.current_id
        if work_id is None:
            return
        try:
            self.session.record_retrieval(work_id, Retrieval(status))
        except ScreenerError as exc:
            self._fail(exc)
            return
        self.notify(f"Work #{work_id}: report {status}.")
        # A report that cannot be obtained is not assessed: go on to the next work.
        if status == Retrieval.NOT_RETRIEVED.value:
            self.session.move(1)
        self.show_current()

    def _fail(self, error: ScreenerError) -> None:
        self.notify(str(error), severity="error", timeout=8)

    def _tick(self) -> None:
        self._show_saving()
        self._refresh_agreement()

    def _show_saving(self) -> None:
        if self._saving_line.update(self.session.writes, self.notify):
            line = self._saving_line
            self.query_one(DecisionBar).set_saving(line.text, error=bool(line.error))

    # --- decisions ---------------------------------------------------------------------
    def action_decide(self, choice: str, reasons: list[str] | None = None) -> None:
        work_id = self.session.current_id
        if work_id is None:
            return
        try:
            decision = self.session.decide(Choice(choice), reasons)
        except ScreenerError as exc:
            self._fail(exc)
            return
        self.post_message(self.DecisionRecorded(work_id, decision))
        if not self.session.move(1):
            left = self.session.progress().remaining
            self.notify("End of the list." + (f" {left} undecided: press g." if left else
                                              " Every work is screened."))
        self.show_current()

    def action_exclude(self) -> None:
        if self.session.current_id is None:
            return
        current = self.session.current_decision()
        chosen = current.reasons if current and current.decision is Choice.EXCLUDE else []

        def done(reasons: list[str] | None) -> None:
            if reasons:
                self.action_decide(Choice.EXCLUDE.value, reasons)

        self.app.push_screen(ReasonModal(self.session.protocol.reasons(self.session.stage), chosen),
                             done)

    def action_note(self) -> None:
        s = self.session
        if s.current_id is None:
            return
        current = s.current_decision()
        note = current.note if current else s.pending_notes.get(s.current_id)

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                decision = s.set_note(text)
            except ScreenerError as exc:
                self._fail(exc)
                return
            if decision is not None:
                self.post_message(self.DecisionRecorded(decision.work_id, decision))
            elif text.strip():
                self.notify("Note saved as a draft: it goes with your decision on this work.")
            self.show_decision()

        self.app.push_screen(NoteModal(note or ""), done)

    def action_undo(self) -> None:
        try:
            work_id = self.session.undo()
        except ScreenerError as exc:
            self._fail(exc)
            return
        if work_id is None:
            self.notify("Nothing to undo.")
            return
        self.post_message(self.DecisionRecorded(work_id, self.session.decision_of(work_id)))
        self.notify(f"Undone: work #{work_id}.")
        self.show_current()

    # --- moving ------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.session.move(step):
            self.show_current()

    def action_next_undecided(self) -> None:
        pos = self.session.next_undecided_position()
        if pos is None:
            self.notify("Every work is screened.")
            return
        self.session.go_to(pos)
        self.show_current()

    def action_first_undecided(self) -> None:
        pos = self.session.first_undecided_position()
        if pos is None:
            self.notify("Every work is screened.")
            return
        self.session.go_to(pos)
        self.show_current()

    def action_scroll_abstract(self, direction: int) -> None:
        view = self.query_one(WorkView)
        if direction > 0:
            view.scroll_page_down(animate=False)
        else:
            view.scroll_page_up(animate=False)

    def on_screening_screen_decision_recorded(self, message: DecisionRecorded) -> None:
        self._since_training += 1
        first_pair = self.session.ranking is None and self.session.can_rank()
        if self._since_training >= self.retrain_every() or first_pair:
            self.retrain()
        # The lead's live agreement figures follow every decision (computed off-thread).
        # A blind reviewer's panel only shows the pilot's state, which their decisions
        # past the pilot cannot change: skip the recomputation (it costs a second of CPU
        # on a 100k-work review); the panel's periodic refresh still follows the others.
        panel = self.query_one(AgreementPanel)
        pilot = self.session.protocol.screening.pilot_size
        if panel.figures or (pilot is not None and self.session.progress().screened <= pilot):
            # Counted once the writing thread has stored the decision, not before.
            self._agreement_due = True
            self._refresh_agreement()

    _agreement_due = False

    def _writes_changed(self) -> None:
        # Called from the writing thread: post_message is safe there.
        self.post_message(self.WritesChanged())

    _agreement_at = 0.0
    AGREEMENT_EVERY = 2.0
    """Seconds between two recounts of the agreement figures while decisions keep coming:
    one recount at 100k works costs a second of CPU in this process, which slowed every
    key of a fast reviewer's pilot; the figures still follow within two seconds."""

    def _refresh_agreement(self) -> None:
        writes = self.session.writes
        if (self._agreement_due and (writes is None or writes.status().queued == 0)
                and time.monotonic() - self._agreement_at >= self.AGREEMENT_EVERY):
            self._agreement_due = False
            self._agreement_at = time.monotonic()
            self.query_one(AgreementPanel).refresh_figures()

    def on_screening_screen_writes_changed(self, message: WritesChanged) -> None:
        self._refresh_agreement()
        if self._saving_line.text is not None or self._saving_line.error is not None:
            self._show_saving()

    # --- corrections -------------------------------------------------------------------
    def action_correct(self) -> None:
        work_ = self.session.current_work()
        if work_ is None:
            return

        def done(changes: dict[str, str] | None) -> None:
            if changes is None:
                return
            try:
                changed = self.session.correct(changes)
            except ScreenerError as exc:
                self._fail(exc)
                return
            if changed:
                self.notify(f"Corrected {', '.join(changed)} (the original is kept).")
                self.show_current()

        self.app.push_screen(CorrectionModal(work_.record), done)
