"""Project folders: creation, discovery, and the one-line 'not a project' error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from screener.project import CONFIG_NAME
from screener.store.schema import SCHEMA_VERSION


def test_init_creates_config_and_migrated_database(tmp_path: Path, run_cli) -> None:
    code, out, _ = run_cli("init", str(tmp_path / "r"), "--title", "My review")
    assert code == 0
    assert (tmp_path / "r" / CONFIG_NAME).read_text().startswith('title = "My review"')
    conn = sqlite3.connect(tmp_path / "r" / "screener.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_command_outside_a_project_says_so_in_one_line(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("status", "--project", str(tmp_path))
    assert code == 1
    assert err.count("\n") == 1
    assert "not a screener project" in err


def test_project_found_from_environment(tmp_path: Path, run_cli, monkeypatch) -> None:
    run_cli("init", str(tmp_path / "r"))
    monkeypatch.setenv("SCREENER_PROJECT", str(tmp_path / "r"))
    code, out, _ = run_cli("status", "--json")
    assert code == 0
    assert '"records": 0' in out


def test_init_refuses_existing_project(tmp_path: Path, run_cli) -> None:
    run_cli("init", str(tmp_path / "r"))
    code, _, err = run_cli("init", str(tmp_path / "r"))
    assert code == 1
    assert "already a screener project" in err
