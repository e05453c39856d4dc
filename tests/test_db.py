"""``screener db check|copy``, the database a command uses, and lost connections."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import psycopg
import pytest
from screening_fixtures import make_project, open_session

from screener.models import Choice, Stage
from screener.project import CONFIG_NAME, Project, find_project
from screener.store.schema import SCHEMA_VERSION


def _screen_some(project: Project, run_cli) -> None:
    root = str(project.root)
    for work, choice, who in [(1, "include", "ana"), (2, "exclude", "ana"), (1, "exclude", "ben")]:
        code, _, err = run_cli("decide", str(work), choice, "--reviewer", who, "--project", root)
        assert code == 0, err


def test_check_names_backend_schema_and_server(tmp_path: Path, run_cli, backend: str) -> None:
    project = make_project(tmp_path)
    code, out, err = run_cli("db", "check", "--json", "--project", str(project.root))
    assert code == 0, err
    info = json.loads(out)
    assert info["backend"] == backend
    assert info["schema_version"] == info["screener_schema_version"] == SCHEMA_VERSION
    assert info["server"].startswith("PostgreSQL" if backend == "postgresql" else "SQLite")
    assert info["records"] == 6
    code, out, _ = run_cli("db", "check", "--project", str(project.root))
    assert f"backend: {backend}\n" in out and f"schema version: {SCHEMA_VERSION}" in out


def test_copy_moves_the_project_to_the_other_backend(
    tmp_path: Path, run_cli, backend: str, pg_server, monkeypatch
) -> None:
    """Everything arrives (records, history, roster), screener.toml points at the copy and
    never holds its password, and new rows get new ids after the copied ones."""
    project = make_project(tmp_path)
    _screen_some(project, run_cli)
    root = str(project.root)
    _, before, _ = run_cli("status", "--json", "--project", root)
    _, log_before, _ = run_cli("decisions", "--project", root, "--format", "json", "--history")
    if backend == "sqlite":
        target = pg_server.fresh_schema_url().replace("postgres@", f"postgres:{pg_server.password}@")
    else:
        target = str(tmp_path / "copied.db")
    code, out, err = run_cli("db", "copy", "--to", target, "--project", root)
    assert code == 0, err
    assert "copied 6 records, 3 decisions" in out
    config = (project.root / CONFIG_NAME).read_text()
    assert pg_server.password not in config
    # The copy is what the project uses now: the environment no longer says otherwise.
    monkeypatch.delenv("SCREENER_DATABASE_URL", raising=False)
    moved = find_project(project.root)
    assert moved.database.backend == ("postgresql" if backend == "sqlite" else "sqlite")
    _, after, _ = run_cli("status", "--json", "--project", root)
    _, log_after, _ = run_cli("decisions", "--project", root, "--format", "json", "--history")
    assert json.loads(after) | {"project": None} == json.loads(before) | {"project": None}
    assert log_after == log_before
    code, out, err = run_cli("decide", "3", "include", "--reviewer", "ana", "--project", root,
                             "--json")
    assert code == 0, err
    store = moved.open_store()
    try:
        assert [r["id"] for r in store.decision_history()] == [1, 2, 3, 4]
    finally:
        store.close()


def test_copy_refuses_a_target_that_holds_a_project(tmp_path: Path, run_cli, new_database) -> None:
    first = make_project(tmp_path / "a")
    other = make_project(tmp_path / "b") if new_database() is None else None
    target = str(other.db_path) if other is not None else str(first.database.url)
    if other is None:
        # On PostgreSQL: copy a SQLite project into the server database that holds ``first``.
        code, _, err = run_cli("init", str(tmp_path / "c"), "--database", str(tmp_path / "c.db"))
        source_root = str(tmp_path / "c")
        run_cli("import", "--project", source_root, "--database", str(tmp_path / "c.db"),
                str(Path(__file__).parent / "data" / "screening" / "sample.ris"))
        code, _, err = run_cli("db", "copy", "--to", target, "--project", source_root,
                               "--database", str(tmp_path / "c.db"))
    else:
        code, _, err = run_cli("db", "copy", "--to", target, "--project", str(first.root))
    assert code == 1
    assert "is not empty; copy into a new one" in err and err.count("\n") == 1


def test_init_keeps_the_url_without_its_password(tmp_path: Path, run_cli, pg_server) -> None:
    secret = pg_server.password
    url = pg_server.fresh_schema_url().replace("postgres@", f"postgres:{secret}@")
    code, out, err = run_cli("init", str(tmp_path / "r"), "--database", url)
    assert code == 0, err
    config = (tmp_path / "r" / CONFIG_NAME).read_text()
    assert secret not in config and "postgresql://postgres@127.0.0.1" in config
    assert secret not in out


@pytest.mark.postgresql_only
def test_dropped_connection_is_replaced_and_the_decision_kept(tmp_path: Path, pg_server) -> None:
    """The server ends the session's connection (a restart, an idle timeout): the next
    decision reconnects and is stored."""
    project = make_project(tmp_path)
    store, session = open_session(project, "ana")
    try:
        first, second = session.order[:2]
        session.decide(Choice.INCLUDE, work_id=first)
        _terminate_other_connections(pg_server)
        session.decide(Choice.INCLUDE, work_id=second)
        assert session.progress().screened == 2
    finally:
        store.close()
    check = project.open_store()
    try:
        assert len(check.current_decisions(Stage.TITLE_ABSTRACT, "ana")) == 2
    finally:
        check.close()


@pytest.mark.postgresql_only
def test_tui_decision_survives_a_dropped_connection(tmp_path: Path, pg_server) -> None:
    from screener.tui.app import ScreeningApp

    project = make_project(tmp_path)
    store, session = open_session(project, "ana")
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            _terminate_other_connections(pg_server)
            await pilot.press("i")
            await pilot.pause()

    try:
        asyncio.run(main())
    finally:
        store.close()
    check = project.open_store()
    try:
        stored = check.current_decisions(Stage.TITLE_ABSTRACT, "ana")
        assert [d.decision for d in stored] == [Choice.INCLUDE, Choice.INCLUDE]
    finally:
        check.close()


@pytest.mark.postgresql_only
def test_unreachable_server_is_one_clear_line(tmp_path: Path, run_cli, pg_server) -> None:
    project = make_project(tmp_path)
    down = f"postgresql://postgres:secret@127.0.0.1:{_closed_port()}/postgres"
    code, _, err = run_cli("status", "--project", str(project.root), "--database", down)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("screener: error: cannot connect to database server "
                          "postgresql://postgres:***@127.0.0.1")
    assert "secret" not in err


def _terminate_other_connections(pg_server) -> None:
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
