"""Decisions a screen has shown as made, stored in order by a thread of their own.

A reviewer's key must never wait for the database: while another process holds the write
lock (an import, a dedup), a decision would block whoever writes it. The screens hand
their writes (decisions, notes, undos, resolutions) to a ``WriteQueue`` instead: one
thread with its own connection (``Store.worker_store``) commits them in the order they
were given, waiting as long as the lock is held and retrying after any failure, so a
write the screen has shown is never dropped. ``status()`` says what to show meanwhile,
and ``drain_writes`` lets whoever ends the program wait for every queue.

A kill (``kill -9``, a closed terminal) must not lose what was queued either: each write
is first appended to a journal file in the project's ``.pending-writes/`` folder (one per
process, emptied whenever the queue is), and the next session replays the journals of
processes that are gone, skipping rows already stored (a row is known by its reviewer,
work, stage and the time of the key).

Plain Python (no Textual): the session owns its queue, the screen only shows its status.
"""

from __future__ import annotations

import json
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from screener.failure import describe_failure
from screener.models import Choice, Retrieval, Stage

if TYPE_CHECKING:
    from screener.store import Store

RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0)
"""Waits before the next attempt after a failed write (then the last one, for ever)."""
WAIT_STEP = 0.25
"""Seconds between two wait notices of the writing thread, so that waiting shows soon."""
IDLE_CLOSE = 30.0
"""Seconds without writes after which the thread closes its connection and ends."""
PENDING_DIR = ".pending-writes"
"""The journals' folder, beside screener.toml."""

_QUEUES: weakref.WeakSet[WriteQueue] = weakref.WeakSet()


@dataclass(frozen=True)
class PendingWrite:
    """One history row to append: a reviewer's decision (None: an undo or a note draft),
    a lead's resolution (None: a withdrawal) or whether a work's full-text report was
    obtained (``decision`` holds the ``Retrieval`` status; ``stage`` is full text)."""

    kind: Literal["decision", "resolution", "retrieval"]
    work_id: int
    stage: str
    decision: str | None
    by: str
    """The reviewer (a decision) or the lead (a resolution)."""
    created_at: str
    """When the key was pressed: stored as the row's time, and what identifies the row."""
    reasons: list[str] = field(default_factory=list)
    note: str | None = None
    protocol_version: str | None = None

    def describe(self) -> str:
        if self.kind == "retrieval":
            return f"report {self.decision or 'status withdrawn'} on work #{self.work_id}"
        what = self.decision or ("withdrawal" if self.kind == "resolution" else
                                 "note" if self.note else "undo")
        return f"{what} on work #{self.work_id}"

    def apply(self, store: Store) -> int:
        """Append the row (committed before returning its id)."""
        if self.kind == "retrieval":
            return store.record_retrieval(
                self.work_id, Retrieval(self.decision) if self.decision else None, self.by,
                note=self.note, created_at=self.created_at)
        choice = Choice(self.decision) if self.decision else None
        if self.kind == "resolution":
            return store.record_resolution(self.work_id, Stage(self.stage), choice, self.by,
                                           reasons=self.reasons, note=self.note,
                                           created_at=self.created_at)
        return store.record_decision(self.work_id, self.by, Stage(self.stage), choice,
                                     self.reasons, self.note, self.protocol_version,
                                     created_at=self.created_at)

    def stored(self, store: Store) -> bool:
        return store.has_history_row(self.kind, self.work_id, self.by, Stage(self.stage),
                                     self.created_at)


@dataclass(frozen=True)
class WriteStatus:
    """What a screen shows about its queued writes."""

    queued: int
    """Writes not yet committed (the one being attempted included)."""
    busy: bool
    """The oldest write is waiting for another process's write lock."""
    error: str | None
    """Why the oldest write's last attempt failed (it is being retried), in one line."""
    waited: float
    """Seconds the oldest write has been waiting (0 when none is queued)."""


@dataclass
class _Item:
    write: PendingWrite
    done: Callable[[int], None] | None


class WriteQueue:
    """Runs writes on a store of their own, one at a time, in the order given."""

    def __init__(self, open_store: Callable[[], Store], journal_dir: Path | None = None,
                 on_change: Callable[[], None] | None = None) -> None:
        """``open_store``: a new store for the writing thread (it closes it);
        ``journal_dir``: where the kill-safe journal goes (None: none);
        ``on_change``: called from the writing thread when the status changes."""
        self._open_store = open_store
        self.on_change = on_change
        self._cond = threading.Condition()
        self._items: deque[_Item] = deque()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._error: str | None = None
        self._since: float | None = None
        self._journal = None if journal_dir is None else \
            journal_dir / f"{os.getpid()}-{id(self):x}.jsonl"
        self.committed = 0
        """Writes committed so far."""
        _QUEUES.add(self)

    def put(self, write: PendingWrite, done: Callable[[int], None] | None = None) -> None:
        """Queue ``write``; ``done(row id)`` is called from the writing thread after the
        commit. Returns once the write is in the journal (a kill cannot lose it)."""
        with self._cond:
            if self._journal is not None:
                self._journal.parent.mkdir(exist_ok=True)
                with self._journal.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(write)) + "\n")
            if not self._items:
                self._since = time.monotonic()
            self._items.append(_Item(write, done))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="screener-writes",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def status(self) -> WriteStatus:
        with self._cond:
            waited = time.monotonic() - self._since if self._items and self._since else 0.0
            return WriteStatus(len(self._items), self._busy and bool(self._items),
                               self._error if self._items else None, waited)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued write is committed; False if ``timeout`` ran out."""
        end = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._items:
                left = None if end is None else end - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # --- the writing thread --------------------------------------------------------------
    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # noqa: BLE001 - a closed screen must not stop the writes
                self.on_change = None

    def _work(self) -> None:
        store: Store | None = None
        failures = 0
        try:
            while True:
                with self._cond:
                    if not self._items:
                        self._cond.wait(IDLE_CLOSE)
                    if not self._items:
                        self._thread = None
                        return
                    item = self._items[0]
                try:
                    if store is None:
                        store = self._open_store()
                        store.conn.wait_step = WAIT_STEP
                        store.conn.wait_notice = self._waiting
                    row_id = item.write.apply(store)
                except Exception as exc:  # noqa: BLE001 - kept and retried, never dropped
                    failures += 1
                    with self._cond:
                        self._busy = False
                        self._error = f"{item.write.describe()}: {describe_failure(exc) or exc}"
                    if store is not None:
                        # A connection that failed may be unusable: start afresh.
                        with suppress(Exception):
                            store.close()
                        store = None
                    self._changed()
                    time.sleep(RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1])
                    continue
                failures = 0
                with self._cond:
                    self._items.popleft()
                    self._busy, self._error = False, None
                    self._since = time.monotonic() if self._items else None
                    self.committed += 1
                    if not self._items and self._journal is not None:
                        # Everything journaled is stored: start the journal afresh.
                        with suppress(FileNotFoundError):
                            self._journal.unlink()
                    self._cond.notify_all()
                if item.done is not None:
                    item.done(row_id)
                self._changed()
        finally:
            if store is not None:
                store.close()

    def _waiting(self, waited: float) -> None:
        with self._cond:
            was, self._busy = self._busy, True
        if not was:
            self._changed()


def queue_statuses() -> list[WriteStatus]:
    """The status of every queue of this process."""
    return [q.status() for q in list(_QUEUES)]


def pending_writes() -> int:
    """Writes queued by every queue of this process and not yet committed."""
    return sum(q.status().queued for q in list(_QUEUES))


def drain_writes(notice: Callable[[int, WriteStatus], None] | None = None,
                 every: float = 1.0) -> None:
    """Wait until every queue of this process has committed its writes (before the
    program ends); ``notice(queued, status)`` is called every ``every`` seconds meanwhile."""
    for queue in list(_QUEUES):
        while not queue.wait(every):
            if notice is not None:
                notice(pending_writes(), queue.status())


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def replay_journals(store: Store, journal_dir: Path, by: str,
                    kinds: tuple[str, ...] = ("decision", "resolution", "retrieval")) -> int:
    """Store what killed processes had queued for ``by`` (their decisions and retrievals,
    or as a lead their resolutions: ``kinds``) and not yet written, in their order, skipping rows
    already stored; the rest of each journal waits for its own person. Call it on a store
    that sees ``by``'s rows unrestricted. Returns the rows stored."""
    if not journal_dir.is_dir():
        return 0
    stored = 0
    for journal in sorted(journal_dir.glob("*.jsonl"), key=lambda p: p.stat().st_mtime):
        pid = journal.name.split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        writes: list[str] = []
        other: list[str] = []
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                write = PendingWrite(**json.loads(line))
            except (ValueError, TypeError):
                continue  # the line a kill cut short: its key never returned
            (writes if write.kind in kinds and write.by == by else other).append(line)
        with store.transaction():
            for line in writes:
                write = PendingWrite(**json.loads(line))
                if not write.stored(store):
                    write.apply(store)
                    stored += 1
        if other:
            journal.write_text("".join(f"{line}\n" for line in other), encoding="utf-8")
        else:
            journal.unlink()
    return stored
