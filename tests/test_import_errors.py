"""Bad input: one line naming file and line, exit 1, and a database left byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from screener.project import Project

DATA = Path(__file__).parent / "data" / "import"


def database_digest(project: Project) -> str:
    """SHA-256 of every row of every table (on SQLite: a full SQL dump, schema included)."""
    if project.database.backend == "sqlite":
        conn = sqlite3.connect(project.db_path)
        try:
            dump = "\n".join(conn.iterdump())
        finally:
            conn.close()
        return hashlib.sha256(dump.encode()).hexdigest()
    store = project.open_store()
    try:
        tables = [r[0] for r in store.conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name")]
        dump = "\n".join(
            f"{t}: {store.conn.execute(f'SELECT * FROM {t} ORDER BY 1').fetchall()!r}"
            for t in tables)
    finally:
        store.close()
    return hashlib.sha256(dump.encode()).hexdigest()


def _seeded(project: Project, run_cli: Any) -> str:
    """Import one good file first, so 'unchanged' means more than 'still empty'."""
    code, _, err = run_cli("import", "--project", str(project.root), str(DATA / "ris_scopus.ris"))
    assert code == 0, err
    return database_digest(project)


# (fixture, line named in the error, words the message must contain)
FATAL = [
    ("binary.ris", 3, "binary data"),
    ("empty.ris", 1, "file is empty"),
    ("whitespace_only.ris", 1, "file is empty"),
    ("ris_truncated.ris", 5, "no 'ER  -' end tag"),
    ("ris_tags_before_first_record.ris", 1, "expected 'TY  -' to start a record, found 'AU'"),
    ("encoding_utf8_bom_invalid_bytes.ris", 2, "cannot decode as utf-8"),
    ("encoding_utf16_odd_byte.ris", 4, "cannot decode as utf-16"),
    ("unknown_format.txt", 1, "unknown format"),
    ("csv_no_title.csv", 1, "no title column"),
    ("csv_truncated.csv", 3, "malformed CSV"),
    ("endnote_truncated.xml", 7, "truncated XML"),
    ("bibtex_truncated.bib", 6, "unclosed entry"),
    ("wos_truncated.txt", 3, "no 'ER' end tag"),
]


@pytest.mark.parametrize(("name", "line", "words"), FATAL, ids=[f[0] for f in FATAL])
def test_fatal_problem_is_one_line_and_leaves_database_unchanged(
    project: Project, run_cli: Any, name: str, line: int, words: str
) -> None:
    before = _seeded(project, run_cli)
    path = DATA / name
    code, out, err = run_cli("import", "--project", str(project.root), str(path))
    assert code == 1
    assert err.startswith(f"screener: error: {path}:{line}: ")
    assert words in err
    assert err.count("\n") == 1
    assert database_digest(project) == before


def test_missing_file_is_an_error_not_a_traceback(project: Project, run_cli: Any, tmp_path: Path) -> None:
    code, _, err = run_cli("import", "--project", str(project.root), str(tmp_path / "nope.ris"))
    assert code == 1
    assert err.startswith("screener: error: ") and "cannot read file" in err


def test_same_file_twice_is_refused_unless_forced(project: Project, run_cli: Any, tmp_path: Path) -> None:
    before = _seeded(project, run_cli)
    copy = tmp_path / "renamed.ris"
    copy.write_bytes((DATA / "ris_scopus.ris").read_bytes())
    code, _, err = run_cli("import", "--project", str(project.root), str(copy))
    assert code == 1
    assert "already imported as" in err and "--force" in err
    assert database_digest(project) == before
    code, out, _ = run_cli("import", "--project", str(project.root), str(copy), "--force")
    assert code == 0
    assert "2 records" in out
    code, out, _ = run_cli("status", "--project", str(project.root), "--json")
    assert '"records": 4' in out


def test_failure_in_a_later_file_keeps_earlier_files(project: Project, run_cli: Any) -> None:
    code, out, err = run_cli("import", "--project", str(project.root),
                             str(DATA / "ris_wos.ris"), str(DATA / "ris_truncated.ris"))
    assert code == 1
    assert "ris_wos.ris: 1 records" in out
    code, out, _ = run_cli("status", "--project", str(project.root), "--json")
    assert '"records": 1' in out


def test_per_record_problems_are_kept_flagged_and_summarised(project: Project, run_cli: Any) -> None:
    code, out, err = run_cli("import", "--project", str(project.root), str(DATA / "ris_no_title.ris"))
    assert code == 0
    assert "2 records" in out
    path = DATA / "ris_no_title.ris"
    assert f"warning: {path}:1: record has no title" in err
    assert f"warning: {path}:7: unparseable year 'in press'" in err
    assert "1 record: record has no title" in err and "1 record: unparseable year" in err
    code, out, _ = run_cli("records", "--project", str(project.root))
    lines = out.splitlines()
    assert len(lines) == 2
    assert '"incomplete": true' in lines[0] and "record has no title" in lines[0]
    code, out, _ = run_cli("status", "--project", str(project.root), "--json")
    assert '"records_with_warnings": 2' in out


def test_missing_end_tag_between_records_keeps_both(project: Project, run_cli: Any) -> None:
    code, out, err = run_cli("import", "--project", str(project.root),
                             str(DATA / "ris_missing_er_between_records.ris"))
    assert code == 0
    assert "2 records" in out
    assert "no 'ER  -' end tag" in err
