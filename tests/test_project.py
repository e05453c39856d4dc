"""Project folders: creation, discovery, and the one-line 'not a project' error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from screener.project import CONFIG_NAME
from screener.store.schema import SCHEMA_VERSION


@pytest.mark.sqlite_only
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


def test_protocol_is_loaded_once_per_project(tmp_path: Path, monkeypatch) -> None:
    import screener.protocol as protocol_module
    from screener.project import init_project

    project = init_project(tmp_path / "r", protocol=Path(__file__).parent / "data" / "prisma" / "protocol.toml")
    calls: list[Path] = []
    real = protocol_module.load_protocol
    monkeypatch.setattr(protocol_module, "load_protocol", lambda p: calls.append(p) or real(p))
    from screener.status import project_status

    store = project.open_store()
    try:
        project_status(project, store)
    finally:
        store.close()
    assert project.protocol is not None and project.protocol_version
    assert len(calls) == 1


@pytest.mark.sqlite_only
def test_database_flag_beats_environment_beats_config(tmp_path: Path, monkeypatch) -> None:
    from screener.project import find_project, init_project

    init_project(tmp_path / "r")
    assert find_project(tmp_path / "r").database.path == tmp_path / "r" / "screener.db"
    monkeypatch.setenv("SCREENER_DATABASE_URL", str(tmp_path / "env.db"))
    assert find_project(tmp_path / "r").database.path == tmp_path / "env.db"
    flagged = find_project(tmp_path / "r", database=str(tmp_path / "flag.db"))
    assert flagged.database.path == tmp_path / "flag.db"


def test_database_flag_is_used_by_commands(tmp_path: Path, run_cli) -> None:
    run_cli("init", str(tmp_path / "r"))
    run_cli("import", "--project", str(tmp_path / "r"), "--database", str(tmp_path / "other.db"),
            str(Path(__file__).parent / "data" / "screening" / "sample.ris"))
    _, out, _ = run_cli("status", "--json", "--project", str(tmp_path / "r"))
    assert '"records": 0' in out
    _, out, _ = run_cli("status", "--json", "--project", str(tmp_path / "r"),
                        "--database", str(tmp_path / "other.db"))
    assert '"records": 0' not in out


def test_password_is_never_written_to_config(tmp_path: Path, run_cli) -> None:
    from screener.store.url import without_password

    url = "postgresql://bob:s3cret@db.example.org:5433/review"
    assert without_password(url) == "postgresql://bob@db.example.org:5433/review"
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / CONFIG_NAME).write_text(f'title = "x"\ndatabase = "{url}"\n')
    code, _, err = run_cli("status", "--project", str(tmp_path / "r"))
    assert code == 1
    assert "holds a password" in err and "s3cret" not in err


def test_unreachable_server_is_one_line_and_leaves_no_project(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("init", str(tmp_path / "r"), "--database",
                           "postgresql://nobody:pw@127.0.0.1:1/none")
    assert code == 1
    assert err.startswith("screener: error: cannot connect to database server "
                          "postgresql://nobody:***@127.0.0.1:1/none")
    assert err.count("\n") == 1 and "pw@" not in err
    assert not (tmp_path / "r" / CONFIG_NAME).exists()

