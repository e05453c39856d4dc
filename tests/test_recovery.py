"""``screener doctor``, ``backup``, ``restore`` and the automatic backups."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from schema_history import undo_staging_migration

from screener.store.backup import KEEP_AUTOMATIC, automatic_backup, automatic_backups

RIS = "TY  - JOUR\nTI  - {title}\nAU  - Smith, J\nPY  - 2020\nER  - \n\n"


@pytest.fixture
def review(tmp_path: Path, run_cli) -> Path:
    root = tmp_path / "review"
    assert run_cli("init", str(root))[0] == 0
    src = tmp_path / "works.ris"
    src.write_text("".join(RIS.format(title=f"Work number {i}") for i in range(30)), encoding="utf-8")
    assert run_cli("import", str(src), "--project", str(root))[0] == 0
    return root


def _titles(run_cli, root: Path) -> int:
    code, out, _ = run_cli("records", "--project", str(root))
    assert code == 0
    return out.count("\n")


def test_doctor_says_healthy_and_exits_0(review, run_cli) -> None:
    code, out, _ = run_cli("doctor", "--project", str(review))
    assert code == 0, out
    assert "integrity check" in out and "no orphaned rows" in out and out.endswith("healthy\n")


def test_doctor_finds_orphaned_rows(review, run_cli) -> None:
    conn = sqlite3.connect(review / "screener.db")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, created_at) "
                 "VALUES (9999, 'ana', 'title_abstract', 'include', '[]', '2026-01-01')")
    conn.execute("UPDATE source_files SET record_count = 3")
    conn.commit()
    conn.close()
    code, out, _ = run_cli("doctor", "--project", str(review))
    assert code == 1
    assert "PROBLEM  1 decisions on records that do not exist" in out
    assert "PROBLEM  1 imported files whose record count is wrong" in out


def test_doctor_on_a_damaged_database_points_at_the_latest_backup(review, run_cli) -> None:
    saved = automatic_backup(review / "screener.db", "test")
    assert saved is not None
    (review / "screener.db").write_bytes(b"garbage" * 5000)
    for extra in ("-wal", "-shm"):
        (review / f"screener.db{extra}").unlink(missing_ok=True)
    code, out, _ = run_cli("doctor", "--project", str(review))
    assert code == 1
    assert "damaged" in out and f"screener restore {saved}" in out


def test_backup_and_restore_round_trip(review, run_cli, tmp_path) -> None:
    backup = tmp_path / "copy.db"
    code, out, _ = run_cli("backup", str(backup), "--project", str(review))
    assert code == 0 and "backed up" in out
    extra = tmp_path / "more.ris"
    extra.write_text(RIS.format(title="Imported after the backup"), encoding="utf-8")
    run_cli("import", str(extra), "--project", str(review))
    assert _titles(run_cli, review) == 31
    code, out, _ = run_cli("restore", str(backup), "--project", str(review))
    assert code == 0, out
    assert _titles(run_cli, review) == 30
    # What was replaced is kept: 31 records.
    (kept,) = automatic_backups(review / "screener.db")
    assert sqlite3.connect(kept).execute("SELECT COUNT(*) FROM records").fetchone()[0] == 31


def test_restore_brings_back_a_deleted_database(review, run_cli, tmp_path) -> None:
    backup = tmp_path / "copy.db"
    run_cli("backup", str(backup), "--project", str(review))
    for name in ("screener.db", "screener.db-wal", "screener.db-shm"):
        (review / name).unlink(missing_ok=True)
    assert run_cli("status", "--project", str(review))[0] == 1
    assert run_cli("restore", str(backup), "--project", str(review))[0] == 0
    assert _titles(run_cli, review) == 30


def test_restore_refuses_what_is_not_a_backup(review, run_cli, tmp_path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello", encoding="utf-8")
    code, _, err = run_cli("restore", str(junk), "--project", str(review))
    assert code == 1 and "not a screener database backup" in err
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    code, _, err = run_cli("restore", str(other), "--project", str(review))
    assert code == 1 and "not a screener project" in err
    assert _titles(run_cli, review) == 30


def test_backup_never_replaces_project_files_or_existing_files(review, run_cli, tmp_path) -> None:
    code, _, err = run_cli("backup", str(review / "screener.db"), "--force", "--project", str(review))
    assert code == 1 and "project's own files" in err
    target = tmp_path / "b.db"
    target.write_text("keep", encoding="utf-8")
    code, _, err = run_cli("backup", str(target), "--project", str(review))
    assert code == 1 and "--force" in err and target.read_text(encoding="utf-8") == "keep"


def test_backup_is_consistent_while_a_reviewer_writes(review, run_cli, tmp_path) -> None:
    stop = threading.Event()

    def write() -> None:
        conn = sqlite3.connect(review / "screener.db", timeout=30)
        n = 0
        while not stop.is_set():
            conn.execute("INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, "
                         "created_at) VALUES (1, 'ana', 'title_abstract', 'include', '[]', ?)",
                         (str(n),))
            conn.commit()
            n += 1
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for i in range(5):
            assert run_cli("backup", str(tmp_path / f"b{i}.db"), "--project", str(review))[0] == 0
    finally:
        stop.set()
        writer.join()
    for i in range(5):
        conn = sqlite3.connect(tmp_path / f"b{i}.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 30


def test_automatic_backups_are_pruned(review) -> None:
    db = review / "screener.db"
    for i in range(KEEP_AUTOMATIC + 3):
        automatic_backup(db, f"n{i}")
    kept = automatic_backups(db)
    assert len(kept) == KEEP_AUTOMATIC
    assert kept[-1].name.endswith(f"-n{KEEP_AUTOMATIC + 2}.db")


def test_a_schema_migration_backs_up_first(review, run_cli) -> None:
    db = review / "screener.db"
    version = undo_staging_migration(db)
    assert run_cli("status", "--project", str(review))[0] == 0
    (saved,) = automatic_backups(db)
    assert f"before-schema-{version}" in saved.name


def test_undoing_a_large_merge_backs_up_first(tmp_path, run_cli) -> None:
    root = tmp_path / "review"
    run_cli("init", str(root))
    for i in range(6):
        src = tmp_path / f"s{i}.ris"
        src.write_text(RIS.format(title="The very same work, exported six times") .replace(
            "PY  - 2020", "PY  - 2020\nDO  - 10.5555/same"), encoding="utf-8")
        run_cli("import", str(src), "--project", str(root), "--force")
    assert run_cli("dedup", "--project", str(root))[0] == 0
    code, out, err = run_cli("dedup", "--undo", "1", "--project", str(root), "--reviewer", "ann")
    assert code == 0, err
    (saved,) = automatic_backups(root / "screener.db")
    assert "before-undo-1" in saved.name and str(saved) in out
