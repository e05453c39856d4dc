"""One reviewer's screening session: the work queue, position, decisions and progress.

Plain Python (no Textual): the TUI and the ``decide`` command both go through it. The
queue holds only work ids; one work is loaded at a time, so opening a 100k-work project
stays fast. A reviewer only ever reads their own decisions (blind screening).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screener.errors import ScreenerError
from screener.fulltext import check_in_stage, not_assessable, record_retrieval
from screener.highlight import Highlighter
from screener.models import Choice, Decision, Retrieval, Stage, Work
from screener.normalize import clean_text, normalize_doi, parse_year
from screener.outcome import Outcome, work_outcomes
from screener.project import Project
from screener.protocol import Policy, QueueOrder, ReviewProtocol
from screener.ranking.order import reviewer_order
from screener.ranking.ranker import Ranking, labels_of
from screener.store import Store
from screener.store.connection import now
from screener.write_queue import PENDING_DIR, PendingWrite, WriteQueue, replay_journals

if TYPE_CHECKING:
    from screener.blinding import Visibility

CORRECTABLE = ("title", "year", "journal", "doi")
"""Record fields a reviewer may correct from the screen."""


@dataclass(frozen=True)
class Progress:
    screened: int
    total: int
    counts: dict[Choice, int]

    @property
    def remaining(self) -> int:
        return self.total - self.screened


def queue_ids(store: Store, stage: Stage, protocol: ReviewProtocol) -> list[int]:
    """Works to screen at ``stage``, in the stable order every reviewer sees (import order).

    Title/abstract: every canonical work, less those a stop of screening excluded. Full
    text: works included at title/abstract.
    """
    if stage is Stage.TITLE_ABSTRACT:
        stopped = store.stopped_work_ids()
        return [w for w in store.work_ids() if w not in stopped]
    outcomes = work_outcomes(store, Stage.TITLE_ABSTRACT, protocol.policy(Stage.TITLE_ABSTRACT))
    return [w for w, o in outcomes.items() if o is Outcome.INCLUDED]


def work_number(store: Store, number: int) -> int:
    """The work a reviewer means by ``number``: the work itself, or the work the record
    with that number was merged into (one number a reviewer can type everywhere). A number
    that names no record is returned as it is (the caller says it is unknown)."""
    try:
        return store.work_of(number)
    except ScreenerError:
        return number


class ScreeningSession:
    """A reviewer's position in the queue and their (and only their) decisions."""

    def __init__(
        self,
        store: Store,
        reviewer: str,
        stage: Stage,
        protocol: ReviewProtocol,
        version: str | None,
        order: list[int] | None = None,
        order_mode: QueueOrder | None = None,
    ) -> None:
        reviewer = reviewer.strip()
        if not reviewer:
            raise ScreenerError("give a reviewer name (--reviewer NAME)")
        self.store = store
        self.reviewer = reviewer
        self.stage = stage
        self.protocol = protocol
        self.version = version
        queue = order if order is not None else queue_ids(store, stage, protocol)
        members = set(queue)
        self.choices: dict[int, Choice] = {
            w: c for w, c in store.current_choices(stage, reviewer).items() if w in members
        }
        """This reviewer's standing choice per work (full decisions are read one at a time)."""
        # The full-text queue is short and keeps import order unless asked otherwise.
        default = protocol.screening.order if stage is Stage.TITLE_ABSTRACT else QueueOrder.IMPORT
        self.order_mode: QueueOrder = order_mode or default
        """How the queue is ordered: ranked, random (per reviewer) or import."""
        self.order = queue if order is not None else reviewer_order(
            queue, self.order_mode, reviewer, self.choices)
        self._index = {work_id: i for i, work_id in enumerate(self.order)}
        self.ranking: Ranking | None = None
        """The model's latest ranking of this queue (ranked order only)."""
        self._decisions: dict[int, Decision | None] = {}
        self._counts = Counter(self.choices.values())
        self.highlighter = Highlighter(protocol.keywords)
        self.reason_codes = [code for code, _ in protocol.reasons(stage)]
        self.pending_notes: dict[int, str] = {
            w: n for w, n in store.note_drafts(stage, reviewer).items() if w in self._index
        }
        """Notes on undecided works (drafts, stored at once as a row without a decision);
        they go with the decision when it is made."""
        self._undo: list[tuple[int, Decision | None]] = []
        self._work: Work | None = None
        self._before_memo: tuple[int, int] | None = None
        """(position, undecided works before it): the last answer of ``undecided_around``."""
        self.writes: WriteQueue | None = None
        """The writing thread's queue (``queue_writes``); None: every write commits at once."""
        self._queued_retrievals: dict[int, PendingWrite] = {}
        """Full text: retrieval statuses handed to the queue and not yet committed, by work."""
        self._retrievals_lock = threading.Lock()
        self.journal_dir: Path | None = None
        """Where the queue journals its writes against a kill (``screener.write_queue``)."""
        self.position = self._resume_position()

    visibility: Visibility | None = None
    """What the reviewer may see (``screener.blinding``); None: a session opened without
    a roster check, which sees what its store shows."""

    @classmethod
    def open(cls, project: Project, store: Store, reviewer: str, stage: Stage,
             visibility: Visibility | None = None, order_mode: QueueOrder | None = None,
             ) -> ScreeningSession:
        # Decisions a killed screen had queued are stored before the queue is read.
        journals = project.root / PENDING_DIR
        replay_journals(store, journals, reviewer.strip(), ("decision", "retrieval"))
        session = cls(store, reviewer, stage, project.require_protocol(), project.protocol_version,
                      order_mode=order_mode)
        session.visibility = visibility
        session.journal_dir = journals
        return session

    @property
    def sees_live_figures(self) -> bool:
        """The lead's live agreement figures: a lead by role, or the protocol's ``lead``."""
        if self.visibility is not None:
            return self.visibility.lead
        return self.reviewer == self.protocol.screening.lead

    # --- order -------------------------------------------------------------------------
    def training_labels(self) -> dict[int, bool]:
        """What the ranking learns from: this reviewer's own choices only (blinding);
        include and maybe are relevant."""
        return labels_of(self.choices)

    def can_rank(self) -> bool:
        """One relevant (include or maybe) and one exclude: enough for the model. Read off
        the running counts, since the screen asks after every key."""
        c = self._counts
        return c.get(Choice.EXCLUDE, 0) > 0 and c.get(Choice.INCLUDE, 0) + c.get(Choice.MAYBE, 0) > 0

    def _replace_tail(self, tail: list[int]) -> None:
        """Reorder the works after the current one (what the reviewer has passed stays)."""
        head = self.order[: self.position + 1]
        self.order = head + tail
        self._index = {work_id: i for i, work_id in enumerate(self.order)}
        if self._before_memo is not None and self._before_memo[0] > self.position + 1:
            self._before_memo = None

    def apply_ranking(self, ranking: Ranking) -> None:
        """Put the undecided works after the current one in the model's order."""
        self.ranking = ranking
        if self.order_mode is not QueueOrder.RANKED or not self.order:
            return
        ahead = set(self.order[self.position + 1:])
        undecided = [w for w in ranking.order if w in ahead and w not in self.choices]
        ranked = set(undecided)
        self._replace_tail(undecided + [w for w in self.order[self.position + 1:] if w not in ranked])

    def set_order(self, mode: QueueOrder) -> None:
        """Switch order from here on: the current work stays, the undecided works after it
        follow the new order (the latest ranking when switching back to ranked)."""
        self.order_mode = mode
        if not self.order:
            return
        if mode is QueueOrder.RANKED and self.ranking is not None:
            self.apply_ranking(self.ranking)
            return
        ahead = self.order[self.position + 1:]
        fresh = reviewer_order(ahead, mode, self.reviewer, self.choices)
        if mode is not QueueOrder.IMPORT:
            fresh = [w for w in fresh if w not in self.choices] + [w for w in fresh if w in self.choices]
        else:
            fresh = sorted(ahead)
        self._replace_tail(fresh)

    def relevance(self, work_id: int | None = None) -> float | None:
        """Share of the queue the model ranks below a work (1.0 = most relevant); None
        without a ranking."""
        target = self.current_id if work_id is None else work_id
        if self.ranking is None or target is None:
            return None
        return self.ranking.relevance.get(target)

    # --- position ----------------------------------------------------------------------
    def _resume_position(self) -> int:
        """After the work the reviewer last decided on, at the next undecided one."""
        if not self.order:
            return 0
        last = self.store.last_decided_work(self.stage, self.reviewer)
        start = self._index.get(last, -1) if last is not None else -1
        found = self.next_undecided_position(start)
        if found is not None:
            return found
        return max(start, 0)

    @property
    def total(self) -> int:
        return len(self.order)

    @property
    def current_id(self) -> int | None:
        return self.order[self.position] if self.order else None

    def current_work(self) -> Work | None:
        """The work at the current position, read from the store once per visit."""
        work_id = self.current_id
        if work_id is None:
            return None
        if self._work is None or self._work.work_id != work_id:
            self._work = self.store.get_work(work_id)
        return self._work

    def decision_of(self, work_id: int) -> Decision | None:
        """This reviewer's standing decision on a work, with reasons, note and time."""
        if work_id not in self.choices:
            return None
        if work_id not in self._decisions:
            self._decisions[work_id] = self.store.current_decision(work_id, self.reviewer, self.stage)
        return self._decisions[work_id]

    def current_decision(self) -> Decision | None:
        work_id = self.current_id
        return self.decision_of(work_id) if work_id is not None else None

    def go_to(self, position: int) -> None:
        if self.order:
            self.position = max(0, min(position, len(self.order) - 1))

    def move(self, step: int) -> bool:
        """Move by ``step``; False at either end of the queue."""
        target = self.position + step
        if not self.order or not 0 <= target < len(self.order):
            return False
        self.position = target
        return True

    def next_undecided_position(self, start: int | None = None) -> int | None:
        """First undecided position after ``start`` (default: here), wrapping around."""
        n = len(self.order)
        begin = self.position if start is None else start
        for step in range(1, n + 1):
            pos = (begin + step) % n
            if self.order[pos] not in self.choices:
                return pos
        return None

    def position_of(self, work_id: int) -> int | None:
        return self._index.get(work_id)

    def work_for(self, number: int) -> int | None:
        """The work in this queue that ``number`` names: a work id, or the id of a record
        merged into a work (one number a reviewer can type everywhere)."""
        if number in self._index:
            return number
        try:
            work = self.store.work_of(number)
        except ScreenerError:
            return None
        return work if work in self._index else None

    def undecided_around(self) -> tuple[int, int]:
        """How many undecided works lie before and after the current position."""
        if not self.order:
            return 0, 0
        choices = self.choices
        before = self._undecided_before(self.position)
        here = 0 if self.order[self.position] in choices else 1
        return before, len(self.order) - len(choices) - before - here

    def _undecided_before(self, position: int) -> int:
        """Undecided works before ``position``. The screen asks after every key and a
        full count costs milliseconds at 100k works, so the last answer is moved along the
        stretch between the two positions (the passed head of the queue never reorders;
        ``_record`` and ``_replace_tail`` keep the memo true)."""
        p0, b0 = self._before_memo or (0, 0)
        choices = self.choices
        if position >= p0:
            before = b0 + sum(1 for w in self.order[p0:position] if w not in choices)
        else:
            before = b0 - sum(1 for w in self.order[position:p0] if w not in choices)
        self._before_memo = (position, before)
        return before

    def first_undecided_position(self) -> int | None:
        """The first undecided position of the queue (it may lie before the current one)."""
        return next((i for i, w in enumerate(self.order) if w not in self.choices), None)

    def next_match(self, matches: set[int]) -> int | None:
        """Position of the first work in ``matches`` after the current one, wrapping."""
        n = len(self.order)
        for step in range(1, n + 1):
            pos = (self.position + step) % n
            if self.order[pos] in matches:
                return pos
        return None

    def search(self, query: str) -> int | None:
        """Position of the next work matching ``query`` (``#123`` or ``123`` = work id)."""
        text = query.strip()
        if text.lstrip("#").isdigit():
            work = self.work_for(int(text.lstrip("#")))
            return None if work is None else self.position_of(work)
        return self.next_match(self.store.search_work_ids(text))

    # --- decisions ---------------------------------------------------------------------
    def check_reasons(self, decision: Choice | None, reasons: list[str]) -> None:
        if reasons and decision is not Choice.EXCLUDE:
            raise ScreenerError("reasons are given only with an exclusion")
        unknown = [r for r in reasons if r not in self.reason_codes]
        if unknown:
            raise ScreenerError(
                f"unknown reason {unknown[0]!r} at stage {self.stage.value} "
                f"(protocol reasons: {', '.join(self.reason_codes) or 'none'})"
            )

    def decide(
        self,
        choice: Choice,
        reasons: list[str] | None = None,
        note: str | None = None,
        work_id: int | None = None,
    ) -> Decision:
        """Commit a decision on a work (default: the current one) and return it."""
        target = self.current_id if work_id is None else (self.work_for(work_id) or work_id)
        if target is None or target not in self._index:
            raise ScreenerError(f"work {target} is not in the {self.stage.value} queue")
        reasons = list(dict.fromkeys(reasons or []))
        self.check_reasons(choice, reasons)
        if self.stage is Stage.FULLTEXT and self.retrieval_of(target) is Retrieval.NOT_RETRIEVED:
            raise not_assessable(target)  # a queued x counts, though not stored yet
        if note is None:
            note = self.pending_notes.get(target)
        previous = self.decision_of(target)
        decision = self._record(target, choice, reasons, note)
        assert decision is not None
        self.pending_notes.pop(target, None)
        self._undo.append((target, previous))
        return decision

    def set_note(self, note: str) -> Decision | None:
        """Attach a note to the current work: a new history row when already decided."""
        target = self.current_id
        if target is None:
            return None
        text = note.strip() or None
        current = self.decision_of(target)
        if current is None:
            if text == self.pending_notes.get(target):
                return None
            # Saved at once as a row without a decision: quitting or a crash keeps the
            # draft, and the history shows it.
            self._record(target, None, [], text)
            if text:
                self.pending_notes[target] = text
            else:
                self.pending_notes.pop(target, None)
            return None
        self._undo.append((target, current))
        return self._record(target, current.decision, current.reasons, text)

    def undo(self) -> int | None:
        """Restore the state before the last decision of this session (or clear the current
        work's decision when there is none); returns the work it applied to."""
        if self._undo:
            target, previous = self._undo.pop()
        elif self.current_id is not None and self.current_id in self.choices:
            target, previous = self.current_id, None
        else:
            return None
        if previous is None:
            self._record(target, None, [], None)
        else:
            self._record(target, previous.decision, previous.reasons, previous.note)
        self.position = self._index[target]
        return target

    def queue_writes(self, on_change: Callable[[], None] | None = None) -> WriteQueue:
        """From now on decisions, notes and undos are stored by a thread of their own, in
        order (``screener.write_queue``): the screen moves on at once even while another
        process holds the write lock. Call ``writes.wait()`` before the program ends."""
        if self.writes is None:
            self.writes = WriteQueue(self.store.worker_store, self.journal_dir, on_change)
        return self.writes

    def _record(
        self, work_id: int, choice: Choice | None, reasons: list[str], note: str | None
    ) -> Decision | None:
        """Store a decision row and update memory. Written at once (the screen never shows
        an unsaved decision), or, with ``queue_writes``, handed to the writing thread,
        which stores it whatever happens meanwhile (it retries until it commits)."""
        args = (work_id, self.reviewer, self.stage, choice, reasons, note, self.version)
        decision: Decision | None = None
        if self.writes is None:
            row_id = self.store.record_decision(*args)
            if choice is not None:
                decision = self.store.get_decision(row_id)
        else:
            decided = now()
            if choice is not None:
                # id 0 until the row is stored; nothing on the screen shows the id.
                decision = Decision(id=0, work_id=work_id, reviewer=self.reviewer, stage=self.stage,
                                    decision=choice, reasons=reasons, note=note, time=decided,
                                    protocol_version=self.version)
            self.writes.put(PendingWrite(
                "decision", work_id, self.stage.value, choice.value if choice else None,
                self.reviewer, decided, reasons, note, self.version,
            ), None if decision is None else _set_id(decision))
        old = self.choices.pop(work_id, None)
        if old is not None:
            self._counts[old] -= 1
        memo = self._before_memo
        if memo is not None and self._index.get(work_id, memo[0]) < memo[0]:
            self._before_memo = (memo[0], memo[1] + (choice is None) - (old is None))
        self._decisions[work_id] = decision
        if choice is not None:
            self.choices[work_id] = choice
            self._counts[choice] += 1
        return decision

    # --- full text: was the report obtained --------------------------------------------
    def record_retrieval(self, work_id: int, status: Retrieval) -> None:
        """Record whether the work's report was obtained: at once, or, with
        ``queue_writes``, through the writing thread like a decision (an import holding
        the write lock never freezes the screen); ``retrieval_of`` shows it meanwhile."""
        if self.writes is None:
            record_retrieval(self.store, work_id, status, self.reviewer, self.protocol)
            return
        check_in_stage(self.store, work_id, self.protocol)
        write = PendingWrite("retrieval", work_id, Stage.FULLTEXT.value, status.value,
                             self.reviewer, now())
        with self._retrievals_lock:
            self._queued_retrievals[work_id] = write

        def committed(_row_id: int) -> None:
            # Called from the writing thread; a later key's write for the work stays (the
            # lock: the screen may queue one between the test and the removal).
            with self._retrievals_lock:
                if self._queued_retrievals.get(work_id) is write:
                    del self._queued_retrievals[work_id]

        self.writes.put(write, committed)

    def retrieval_of(self, work_id: int) -> Retrieval | None:
        """The work's standing retrieval status, counting the one still queued."""
        queued = self._queued_retrievals.get(work_id)
        if queued is not None and queued.decision:
            return Retrieval(queued.decision)
        standing = self.store.current_retrieval(work_id)
        return standing.status if standing else None

    def progress(self) -> Progress:
        return Progress(
            screened=len(self.choices),
            total=len(self.order),
            counts={c: self._counts.get(c, 0) for c in Choice},
        )

    # --- corrections -------------------------------------------------------------------
    def correct(self, changes: dict[str, str]) -> list[str]:
        """Store the reviewer's corrections of the current work's record (one transaction);
        returns the fields changed. The imported record is kept unchanged."""
        work = self.current_work()
        if work is None:
            return []
        values: dict[str, Any] = {}
        for name, text in changes.items():
            if name not in CORRECTABLE:
                raise ScreenerError(f"field {name!r} cannot be corrected here")
            value = _corrected_value(name, text)
            if value != getattr(work.record, name):
                values[name] = value
        if values:
            with self.store.transaction():
                for name, value in values.items():
                    self.store.add_correction(work.work_id, name, value, by=self.reviewer)
            self._work = None
        return list(values)


def _set_id(decision: Decision) -> Callable[[int], None]:
    def done(row_id: int) -> None:
        decision.id = row_id

    return done


def _corrected_value(name: str, text: str) -> Any:
    cleaned = clean_text(text)
    if name == "year":
        if cleaned is None:
            return None
        year = parse_year(cleaned)
        if year is None or str(year) != cleaned:
            raise ScreenerError(f"year must be a four-digit year, not {text!r}")
        return year
    if name == "doi" and cleaned is not None:
        doi = normalize_doi(cleaned)
        if doi is None:
            raise ScreenerError(f"not a DOI: {text!r}")
        return doi
    if name == "title" and cleaned is None:
        raise ScreenerError("a title cannot be empty")
    return cleaned


def screening_status(store: Store, policy: Policy) -> dict[str, Any]:
    """Title/abstract progress for ``screener status``: works awaiting a second reviewer
    and each reviewer's counts (counts only: no reviewer's decisions are revealed)."""
    stage = Stage.TITLE_ABSTRACT
    by_work: dict[int, list[Choice]] = {}
    reviewers: dict[str, Counter[str]] = {}
    live = set(store.work_ids())
    stopped = store.stopped_work_ids()
    for d in store.current_decisions(stage):
        if d.work_id not in live:
            continue
        by_work.setdefault(d.work_id, []).append(d.decision)
        reviewers.setdefault(d.reviewer, Counter())[d.decision.value] += 1
    awaiting = 0
    if policy is not Policy.SINGLE:
        for choices in by_work.values():
            needs_second = policy is Policy.TWO_INDEPENDENT or choices[0] is not Choice.INCLUDE
            if len(choices) == 1 and needs_second:
                awaiting += 1
    return {
        "policy": policy.value,
        "works": len(live),
        "unscreened": len(live - set(by_work) - stopped),
        "excluded_automatic": len(stopped & live),
        "awaiting_second_reviewer": awaiting,
        "reviewers": {
            name: {
                "screened": sum(c.values()),
                **{choice.value: c.get(choice.value, 0) for choice in Choice},
            }
            for name, c in sorted(reviewers.items())
        },
    }
