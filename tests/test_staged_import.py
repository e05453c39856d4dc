"""Imports are staged in batches and published at once: decisions never wait for a whole
file, and nothing of a file that failed, was interrupted or killed is ever visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from schema_history import undo_staging_migration

from screener.errors import RecordImportError
from screener.importing import import_file
from screener.models import Choice, Stage
from screener.project import Project
from screener.store import Store
from screener.store.staging import STAGE_BATCH

ROOT = Path(__file__).parent.parent


def _ris(path: Path, n: int, *, first: int = 0, truncate: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(first, first + n):
            out.write(f"TY  - JOUR\nTI  - Staged work number {i}\nPY  - 2020\n"
                      f"DO  - 10.5555/staged.{i}\nER  - \n\n")
        if truncate:
            out.write("TY  - JOUR\nTI  - cut off in the middle\n")
    return path


def _counts(store: Store) -> tuple[int, int, int]:
    """(visible records, published files, staged files)."""
    return store.record_count(), len(store.source_files()), len(store.staged_imports())


@pytest.fixture
def screened(project: Project, tmp_path: Path) -> Project:
    """A project with 10 works a reviewer can decide on."""
    store = project.open_store()
    try:
        import_file(store, _ris(tmp_path / "first.ris", 10))
    finally:
        store.close()
    return project


class PausedImport:
    """An import in a thread of its own, held after its first committed batch."""

    def __init__(self, project: Project, path: Path) -> None:
        self.project = project
        self.path = path
        self.paused = threading.Event()
        self.go_on = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run)

    def _hold(self, count: int) -> None:
        if not self.paused.is_set():
            self.paused.set()
            assert self.go_on.wait(30)

    def _run(self) -> None:
        store = self.project.open_store()
        try:
            import_file(store, self.path, after_batch=self._hold)
        except BaseException as exc:  # handed to the test
            self.error = exc
        finally:
            store.close()

    def __enter__(self) -> PausedImport:
        self.thread.start()
        assert self.paused.wait(30), "the import never committed a batch"
        return self

    def __exit__(self, *exc: object) -> None:
        self.go_on.set()
        self.thread.join(60)


def test_a_decision_during_an_import_does_not_wait_for_it(screened: Project, tmp_path: Path) -> None:
    big = _ris(tmp_path / "big.ris", 4500, first=100)
    store = screened.open_store()
    try:
        with PausedImport(screened, big) as running:
            # The import has committed a batch and is about to write the next ones.
            assert store.staged_imports()[0].records == STAGE_BATCH
            started = time.monotonic()
            store.record_decision(3, "ana", Stage.TITLE_ABSTRACT, Choice.INCLUDE)
            assert time.monotonic() - started < 1.0
            # Nothing of the file is visible before it is published.
            assert _counts(store) == (10, 1, 1)
            assert len(store.work_ids()) == 10
        assert running.error is None
        assert _counts(store) == (4510, 2, 0)
        assert store.current_decisions(Stage.TITLE_ABSTRACT)[0].work_id == 3
    finally:
        store.close()


def test_a_file_being_imported_is_refused_a_second_time(screened: Project, tmp_path: Path) -> None:
    big = _ris(tmp_path / "big.ris", 2500)
    store = screened.open_store()
    try:
        with PausedImport(screened, big) as running, \
                pytest.raises(RecordImportError, match="is being imported right now"):
            import_file(store, big)
        assert running.error is None
        with pytest.raises(RecordImportError, match="already imported"):
            import_file(store, big)
        assert _counts(store) == (2510, 2, 0)
    finally:
        store.close()


def test_an_error_late_in_a_file_leaves_nothing_of_it(screened: Project, tmp_path: Path) -> None:
    bad = _ris(tmp_path / "bad.ris", 4500, truncate=True)
    store = screened.open_store()
    try:
        with pytest.raises(RecordImportError, match="truncated"):
            import_file(store, bad)
        assert _counts(store) == (10, 1, 0)
        assert store.conn.execute("SELECT COUNT(*) FROM record_rows").fetchone()[0] == 10
    finally:
        store.close()


def test_ctrl_c_between_batches_leaves_nothing_of_the_file(screened: Project, tmp_path: Path) -> None:
    def interrupt(count: int) -> None:
        raise KeyboardInterrupt

    store = screened.open_store()
    try:
        with pytest.raises(KeyboardInterrupt):
            import_file(store, _ris(tmp_path / "big.ris", 4500), after_batch=interrupt)
        assert _counts(store) == (10, 1, 0)
        assert store.conn.execute("SELECT COUNT(*) FROM record_rows").fetchone()[0] == 10
    finally:
        store.close()


def _import_until_staged(project: Project, path: Path) -> subprocess.Popen[str]:
    """Start ``screener import`` in a process and return it once it has staged a batch
    (its stderr piped)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "screener", "import", str(path), "--project", str(project.root)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=os.environ.copy())
    store = project.open_store()
    try:
        deadline = time.monotonic() + 60
        while not any(s.records for s in store.staged_imports()):
            assert child.poll() is None, "the import ended before it was stopped"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        store.close()
    return child


def _kill_an_import(project: Project, path: Path) -> None:
    """Start ``screener import`` in a process and kill -9 it once it has staged a batch."""
    child = _import_until_staged(project, path)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate()


def test_a_killed_import_is_invisible_and_the_next_import_removes_it(
    screened: Project, tmp_path: Path
) -> None:
    big = _ris(tmp_path / "big.ris", 60000, first=100)
    _kill_an_import(screened, big)
    store = screened.open_store()
    try:
        assert _counts(store)[:2] == (10, 1)
        (dead,) = store.dead_imports()
        assert dead.records >= STAGE_BATCH
        # Duplicate detection counts published files only: the file imports again.
        result = import_file(store, _ris(tmp_path / "small.ris", 5, first=90000))
        assert result.records == 5
        assert _counts(store) == (15, 2, 0)
        assert store.conn.execute("SELECT COUNT(*) FROM record_rows").fetchone()[0] == 15
    finally:
        store.close()


def test_sigterm_during_an_import_removes_what_it_staged_and_says_so(
    screened: Project, tmp_path: Path
) -> None:
    """``kill``, ``timeout`` or a shutdown: handled as Ctrl-C, not a silent exit that
    leaves staged records for the next import to remove."""
    path = _ris(tmp_path / "big.ris", 60000, first=100)
    child = _import_until_staged(screened, path)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143, err
    assert f"screener: interrupted; not imported: {path}" in err
    store = screened.open_store()
    try:
        assert _counts(store) == (10, 1, 0)
    finally:
        store.close()


def test_doctor_removes_what_a_killed_import_left_once(screened: Project, tmp_path: Path, run_cli) -> None:
    _kill_an_import(screened, _ris(tmp_path / "big.ris", 60000, first=100))
    code, out, _ = run_cli("doctor", "--project", str(screened.root))
    assert code == 0, out
    assert "staged records of an import of" in out and "never visible" in out
    assert "no orphaned rows" in out
    code, out, _ = run_cli("doctor", "--project", str(screened.root))
    assert code == 0 and "staged records" not in out
    code, out, _ = run_cli("status", "--project", str(screened.root))
    assert "records: 10 from 1 files" in out


@pytest.mark.sqlite_only
def test_doctor_on_a_full_disk_says_to_free_space_not_to_repair(
    screened: Project, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing a dead import's records writes; on a full disk that fails, and the project
    is not damaged: doctor says what to do, and the next run removes them."""
    import sqlite3

    from screener.store.staging import StagingStore

    _kill_an_import(screened, _ris(tmp_path / "big.ris", 60000, first=100))

    def disk_full(self: StagingStore, file_id: int, batch: int = 0) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(StagingStore, "discard_file", disk_full)
        code, out, _ = run_cli("doctor", "--project", str(screened.root))
    assert code == 1
    assert "PROBLEM  the disk is full: the " in out and "could not be removed" in out
    assert "1 problem: free some space on the project's disk" in out
    assert "needs repair" not in out and "no orphaned rows" in out
    code, out, _ = run_cli("doctor", "--project", str(screened.root))
    assert code == 0 and "removed" in out and "never visible" in out


@pytest.mark.sqlite_only
def test_a_project_from_before_staging_keeps_its_records_and_decisions(
    screened: Project, tmp_path: Path
) -> None:
    store = screened.open_store()
    store.record_decision(4, "ana", Stage.TITLE_ABSTRACT, Choice.EXCLUDE)
    store.close()
    undo_staging_migration(screened.db_path)
    store = screened.open_store()  # migrates
    try:
        assert _counts(store) == (10, 1, 0)
        assert [d.work_id for d in store.current_decisions(Stage.TITLE_ABSTRACT)] == [4]
        import_file(store, _ris(tmp_path / "more.ris", 3, first=50))
        assert _counts(store) == (13, 2, 0)
    finally:
        store.close()


def test_every_foreign_key_has_an_index(project: Project) -> None:
    """Discarding what an import staged deletes its records, and the database then looks
    for rows that name each one: a foreign key without an index made that a read of the
    whole table per record (8,000 staged records took 13 s to remove, 100,000 half an
    hour: Ctrl-C or a late error in a large file seemed to hang)."""
    import sqlite3

    conn = sqlite3.connect(project.root / "screener.db")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        missing = []
        for table in tables:
            first_columns = {
                conn.execute(f"PRAGMA index_info('{index[1]}')").fetchone()[2]
                for index in conn.execute(f"PRAGMA index_list('{table}')")
            }
            first_columns |= {c[1] for c in conn.execute(f"PRAGMA table_info('{table}')")
                              if c[5] == 1}  # the first column of the primary key
            missing += [f"{table}.{fk[3]}" for fk in conn.execute(
                f"PRAGMA foreign_key_list('{table}')") if fk[3] not in first_columns]
    finally:
        conn.close()
    assert missing == []


def test_discarding_a_file_removes_its_rows_only_list_entries_first(project: Project) -> None:
    """Two files staged at once, their batches interleaved (so their ids are too), one
    holding a page whose list entries name it as their parent: discarding that file in
    windows smaller than a batch removes all of its rows, none of the other's."""
    from screener.importers.rows import RecordRow
    from screener.models import Method

    def rows(first: int, parent: int | None) -> list[RecordRow]:
        return [RecordRow(i, i + 1, parent if i != parent else None, None, f"Work {i}", None,
                          None, 2020, f'{{"title": "Work {i}"}}', f"TI  - Work {i}")
                for i in range(first, first + 3)]

    store = project.open_store()
    try:
        page = store.stage_file(path="page.html", sha256="page", format="html", source="Web",
                                method=Method.OTHER)
        other = store.stage_file(path="other.ris", sha256="other", format="ris", source="RIS",
                                 method=Method.DATABASE)
        for first in (0, 3, 6):
            with store.transaction():
                store.insert_record_batch(page, Method.OTHER, rows(first, 0 if first else None))
            with store.transaction():
                store.insert_record_batch(other, Method.DATABASE, rows(first, None))
        assert store.discard_file(page, batch=2) == 9
        left = store.conn.execute("SELECT file_id, COUNT(*) FROM record_rows GROUP BY file_id")
        assert [tuple(r) for r in left.fetchall()] == [(other, 9)]
        assert [s.file_id for s in store.staged_imports()] == [other]
    finally:
        store.close()
