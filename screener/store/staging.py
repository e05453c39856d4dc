"""Staged imports: a file's records are written in small batches, then published at once.

Each batch is a short transaction of its own, so a reviewer's decision waits at most for
one batch, never for a whole file. The records stay invisible (the view ``records`` shows
published files only) until ``publish_file`` flips the file's state in one tiny
transaction: a file is still imported whole or not at all. A failed import discards its
rows; the rows of an import that died (kill -9, a power cut) are found by
``dead_imports`` and removed by the next import or by ``screener doctor``.
"""

from __future__ import annotations

import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice

from screener.errors import StoreError
from screener.importers.rows import RecordRow
from screener.models import Method
from screener.store.connection import now
from screener.store.records import RecordStore

STAGE_BATCH = 1000
"""Records per batch transaction (tens of milliseconds of holding the write lock)."""
BATCH_PAUSE = 0.002
"""Seconds an import leaves the write lock free after each batch at least, so a waiting
writer (a reviewer's decision) takes it before the next batch does."""
IMPORT_CHECKPOINT_PAGES = 250
"""An import copies the write-ahead log into the database every 250 pages (4 MiB), well
before the default 1000 pages: the commit that crosses the limit does the copying, and
it should be the import's, not a reviewer's decision (a 16 MiB copy takes 0.1-0.2 s)."""
DEFAULT_CHECKPOINT_PAGES = 1000
STALE_AFTER = 600.0
"""An import whose last batch is older than this (seconds) is dead even if a process of
its number still runs (numbers are reused; the host may be another machine)."""


def _read_ahead(rows: Iterator[RecordRow], size: int) -> Generator[list[RecordRow], None, None]:
    """Batches of ``rows``, read by a thread while the caller writes the previous batch.

    Reading (receiving rows from the parser processes, unpickling, counting) and writing
    overlap: SQLite and psycopg do most of their work without the GIL. The reader's error
    is raised here, in file order; closing this generator stops the reader."""
    ready: queue.Queue[tuple[list[RecordRow] | None, BaseException | None]] = \
        queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: tuple[list[RecordRow] | None, BaseException | None]) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            while not stop.is_set():
                chunk = list(islice(rows, size))
                put((chunk or None, None))
                if not chunk:
                    return
        except BaseException as exc:  # handed to the writing thread, which raises it
            put((None, exc))

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while True:
            chunk, error = ready.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()


@dataclass(frozen=True)
class StagedImport:
    """A file whose records are being written, or were left by an import that died."""

    file_id: int
    path: str
    sha256: str
    records: int
    staged_by: str | None
    staged_at: str | None
    state: str


def this_importer() -> str:
    """``host:pid`` of this process, stored on the file it stages."""
    return f"{socket.gethostname()}:{os.getpid()}"


def is_alive(staged: StagedImport, clock: float | None = None) -> bool:
    """Whether the process that staged the file may still be writing it."""
    if staged.state != "staged" or not staged.staged_by or not staged.staged_at:
        return False
    try:
        last = datetime.fromisoformat(staged.staged_at).timestamp()
    except ValueError:
        return False
    if (clock if clock is not None else datetime.now(UTC).timestamp()) - last > STALE_AFTER:
        return False
    host, _, pid = staged.staged_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's import: only its heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process of that number
    return True


class StagingStore(RecordStore):
    """Stage, publish and discard the records of one file."""

    def stage_file(self, *, path: str, sha256: str, format: str, source: str,
                   method: Method) -> int:
        """The file's row, staged by this process (its own transaction)."""
        with self.transaction():
            return self.add_source_file(path=path, sha256=sha256, format=format, source=source,
                                        method=method, staged_by=this_importer())

    def stage_record_rows(
        self, file_id: int, method: Method, rows: Iterable[RecordRow],
        batch: int = STAGE_BATCH, after_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Write a staged file's records, each batch committed on its own; returns the
        count. The rows are read (parsed, received) by a thread of their own, ahead of the
        writing and outside its transactions, so the write lock is held only while a batch
        is written. ``after_batch(count so far)`` runs after each commit."""
        self.conn.checkpoint_every(IMPORT_CHECKPOINT_PAGES)
        batches = _read_ahead(iter(rows), batch)
        try:
            return self._stage_batches(file_id, method, batches, after_batch)
        finally:
            batches.close()
            self.conn.checkpoint_every(DEFAULT_CHECKPOINT_PAGES)

    def _stage_batches(self, file_id: int, method: Method, batches: Iterator[list[RecordRow]],
                       after_batch: Callable[[int], None] | None) -> int:
        count = 0
        committed_at: float | None = None
        for chunk in batches:
            if committed_at is not None:
                # The lock was free while this batch was read (parsed, received); only
                # if that took less than the pause, wait out the rest.
                rest = BATCH_PAUSE - (time.monotonic() - committed_at)
                if rest > 0:
                    time.sleep(rest)
            with self.transaction(background=True) as conn:
                self.insert_record_batch(file_id, method, chunk)
                count += len(chunk)
                # The count doubles as a heartbeat: a file whose batches stopped coming
                # long ago belongs to an import that died.
                alive = conn.execute(
                    "UPDATE source_files SET record_count = ?, staged_at = ? "
                    "WHERE id = ? AND state = 'staged'", (count, now(), file_id)).rowcount
                if alive != 1:
                    raise StoreError(
                        "the records staged so far were removed meanwhile (the import seemed "
                        f"dead: no batch for {STALE_AFTER / 60:.0f} minutes); import the file "
                        "again")
            committed_at = time.monotonic()
            if after_batch is not None:
                after_batch(count)
        return count

    def publish_file(self, file_id: int) -> None:
        """Make a staged file and its records visible to every reader (one tiny write;
        joins the caller's transaction, which may check for duplicates first)."""
        with self.transaction() as conn:
            published = conn.execute(
                "UPDATE source_files SET state = 'published', staged_by = NULL, "
                "staged_at = NULL, imported_at = ? WHERE id = ? AND state = 'staged'",
                (now(), file_id)).rowcount
            if published != 1:
                raise StoreError("the staged records of this import were removed meanwhile; "
                                 "import the file again")

    def discard_file(self, file_id: int, batch: int = STAGE_BATCH) -> int:
        """Remove an unpublished file and its records; returns how many records. Marked
        discarded first (so an interrupted removal is finished by the next cleaner), then
        deleted in windows of ``batch`` ids, newest first (list entries before the
        parents they name). Each batch's pages pass through the write-ahead log, copied back as often as an
        import's: removing what an import left on a full disk needs a few MiB free, not
        room for all of it."""
        with self.transaction() as conn:
            if conn.execute("UPDATE source_files SET state = 'discarded' "
                            "WHERE id = ? AND state <> 'published'", (file_id,)).rowcount != 1:
                return 0
        removed = 0
        # Windows of ids, not "the file's newest ``batch`` rows": PostgreSQL found those by
        # reading and sorting all the file's rows left, for every batch (14 s for 100k).
        low, high = self.conn.execute(
            "SELECT MIN(id), MAX(id) FROM record_rows WHERE file_id = ?", (file_id,)).fetchone()
        self.conn.checkpoint_every(IMPORT_CHECKPOINT_PAGES)
        try:
            while low is not None and high >= low:
                with self.transaction(background=True) as conn:
                    removed += conn.execute(
                        "DELETE FROM record_rows WHERE file_id = ? AND id > ? AND id <= ?",
                        (file_id, high - batch, high)).rowcount
                high -= batch
            with self.transaction() as conn:
                conn.execute("DELETE FROM source_files WHERE id = ? AND state = 'discarded'",
                             (file_id,))
            return removed
        finally:
            self.conn.checkpoint_every(DEFAULT_CHECKPOINT_PAGES)

    def staged_imports(self) -> list[StagedImport]:
        """Every file not published: imports under way and leftovers of dead ones."""
        rows = self.conn.execute(
            "SELECT id, path, sha256, record_count, staged_by, staged_at, state "
            "FROM source_files WHERE state <> 'published' ORDER BY id").fetchall()
        return [StagedImport(int(r[0]), str(r[1]), str(r[2]), int(r[3]), r[4], r[5], str(r[6]))
                for r in rows]

    def dead_imports(self) -> list[StagedImport]:
        return [s for s in self.staged_imports() if not is_alive(s)]

    def remove_dead_imports(self) -> list[StagedImport]:
        """Discard what imports that died left behind (never visible); returns them."""
        dead = self.dead_imports()
        for staged in dead:
            self.discard_file(staged.file_id)
        return dead
