"""Every failure below screener (SQLite, the OS) is one line and a non-zero exit."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

import screener.importing as importing
from screener.failure import describe_failure
from screener.project import Project

RIS = "TY  - JOUR\nTI  - {title}\nPY  - 2020\nER  - \n"


def _ris(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(RIS.format(title=title), encoding="utf-8")
    return path


def _one_line_error(err: str) -> None:
    assert err.startswith("screener: error: "), err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["status"], ["records"], ["import", "x.ris"],
                                  ["decide", "1", "include", "--reviewer", "ana"]])
def test_a_damaged_database_is_one_line_with_a_recovery_hint(project, run_cli, argv) -> None:
    (project.root / "screener.db").write_bytes(b"this is not a database at all" * 200)
    for extra in ("-wal", "-shm"):
        (project.root / f"screener.db{extra}").unlink(missing_ok=True)
    code, _, err = run_cli(*argv, "--project", str(project.root))
    assert code == 1
    _one_line_error(err)
    assert "damaged" in err and "screener doctor" in err and "screener restore" in err


@pytest.mark.parametrize(("message", "words"), [
    ("attempt to write a readonly database", "read-only"),
    ("unable to open database file", "read-only"),
    ("database is locked", "busy"),
    ("database or disk is full", "disk is full"),
    ("disk I/O error", "I/O error"),
])
def test_sqlite_failures_are_one_line(project, run_cli, monkeypatch, message, words) -> None:
    def fail(self, *args, **kwargs):
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr("screener.store.records.RecordStore.record_count", fail)
    code, _, err = run_cli("status", "--project", str(project.root))
    assert code == 1
    _one_line_error(err)
    assert words in err


def test_a_full_disk_while_writing_an_export_is_one_line(project, run_cli, monkeypatch, tmp_path) -> None:
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("screener.output_file.os.fsync", full)
    code, _, err = run_cli("export", "-o", str(tmp_path / "x.csv"), "--project", str(project.root))
    assert code == 1
    _one_line_error(err)
    assert not (tmp_path / "x.csv").exists()


def test_os_errors_are_described() -> None:
    assert "disk is full" in (describe_failure(OSError(errno.ENOSPC, "No space")) or "")
    denied = describe_failure(PermissionError(errno.EACCES, "Permission denied", "/p/screener.db"))
    assert denied is not None and denied.startswith("/p/screener.db: Permission denied")


def test_a_failed_rollback_does_not_hide_the_error(project: Project) -> None:
    store = project.open_store()
    try:
        with pytest.raises(sqlite3.OperationalError, match="database or disk is full"), \
                store.transaction() as conn:
            # SQLite rolls back by itself after SQLITE_FULL; the explicit ROLLBACK that
            # follows must not replace the error the user needs to see.
            conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
    finally:
        store.close()


def test_a_multi_file_import_names_the_files_not_imported(project, run_cli, tmp_path) -> None:
    good = _ris(tmp_path, "a.ris", "First work")
    bad = tmp_path / "b.ris"
    bad.write_text("TY  - JOUR\nTI  - cut off\n", encoding="utf-8")
    later = _ris(tmp_path, "c.ris", "Third work")
    code, out, err = run_cli("import", str(good), str(bad), str(later), "--project", str(project.root))
    assert code == 1
    _one_line_error(err)
    assert f"not imported: {bad}, {later}" in err
    assert "a.ris: 1 records" in out


def test_ctrl_c_after_the_commit_says_the_file_was_imported(project, run_cli, monkeypatch, tmp_path) -> None:
    first = _ris(tmp_path, "a.ris", "First work")
    second = _ris(tmp_path, "b.ris", "Second work")
    real = importing.import_file

    def commit_then_interrupt(store, path, **kwargs):
        real(store, path, **kwargs)
        raise KeyboardInterrupt  # Ctrl-C arriving just as COMMIT returns

    monkeypatch.setattr(importing, "import_file", commit_then_interrupt)
    code, _, err = run_cli("import", str(first), str(second), "--project", str(project.root))
    assert code == 130
    assert err == f"screener: interrupted; imported: {first}; not imported: {second}\n"
    monkeypatch.undo()
    code, out, _ = run_cli("records", "--project", str(project.root))
    assert out.count("\n") == 1 and "First work" in out


def test_ctrl_c_before_the_commit_says_nothing_was_imported(project, run_cli, monkeypatch, tmp_path) -> None:
    first = _ris(tmp_path, "a.ris", "First work")

    def interrupt(store, path, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "import_file", interrupt)
    code, _, err = run_cli("import", str(first), "--project", str(project.root))
    assert code == 130 and err == f"screener: interrupted; not imported: {first}\n"


@pytest.mark.parametrize("damage", ["deleted", "emptied"])
@pytest.mark.parametrize("argv", [["status"], ["import", "x.ris"], ["records"]])
def test_a_missing_database_is_refused_not_recreated(tmp_path, run_cli, damage, argv) -> None:
    root = tmp_path / "review"
    assert run_cli("init", str(root))[0] == 0
    db = root / "screener.db"
    if damage == "deleted":
        db.unlink()
    else:
        db.write_bytes(b"")
    for extra in ("-wal", "-shm"):
        (root / f"screener.db{extra}").unlink(missing_ok=True)
    code, _, err = run_cli(*argv, "--project", str(root))
    assert code == 1
    _one_line_error(err)
    assert ("missing" if damage == "deleted" else "empty") in err and "screener restore" in err
    assert (not db.exists()) if damage == "deleted" else db.stat().st_size == 0


def test_a_fifo_is_imported_once_read(project, run_cli, tmp_path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.ris"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as out:
            out.write(RIS.format(title="Read from a pipe"))

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    code, out, err = run_cli("import", str(fifo), "--project", str(project.root))
    writer.join(timeout=5)
    assert code == 0, err
    assert f"{fifo}: 1 records" in out
    code, out, _ = run_cli("records", "--project", str(project.root))
    assert "Read from a pipe" in out and str(fifo) in out


def test_a_folder_is_refused_in_one_line(project, run_cli, tmp_path) -> None:
    code, _, err = run_cli("import", str(tmp_path), "--project", str(project.root))
    assert code == 1
    _one_line_error(err)


def test_a_write_waits_for_another_writer_and_says_so(project, run_cli, tmp_path) -> None:
    import threading
    import time

    src = _ris(tmp_path, "a.ris", "Decided while an import was running")
    locked = threading.Event()

    def hold_the_lock() -> None:
        conn = sqlite3.connect(project.root / "screener.db", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")  # what a long import does
        locked.set()
        time.sleep(2.5)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait()
    started = time.monotonic()
    code, out, err = run_cli("import", str(src), "--project", str(project.root))
    holder.join()
    assert code == 0, err
    assert time.monotonic() - started >= 2.0
    assert err.count("the database is busy") == 1 and "nothing is lost" in err
    assert "1 records" in out
