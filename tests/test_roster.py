"""The review team: roster commands, name normalisation, migration and removal."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from screening_fixtures import make_project

from screener.errors import RosterError
from screener.models import Choice, Role, Stage
from screener.project import Project
from screener.roster import acting_reviewer, normalize_name
from screener.store.schema import MIGRATIONS, SCHEMA_VERSION

Cli = Callable[..., tuple[int, str, str]]
TA = Stage.TITLE_ABSTRACT


@pytest.mark.parametrize("raw", [" ALICE ", "alice", "Alice", "\talice\u00a0"])
def test_names_are_normalised(raw: str) -> None:
    assert normalize_name(raw) == "alice"


def test_inner_whitespace_is_collapsed_and_accents_kept() -> None:
    assert normalize_name("  José   María ") == "josé maría"


@pytest.mark.parametrize(("raw", "why"), [
    ("a,b", "comma"),
    ("ali\nce", "line break"),
    ("ali\x1bce", "control character"),
    ("resolution", "export column"),
    ("outcome", "export column"),
    ("=cmd", "letters, digits"),
    ("", "give a reviewer name"),
    ("x" * 65, "longer than 64"),
])
def test_bad_names_are_refused_in_one_line(raw: str, why: str) -> None:
    with pytest.raises(RosterError) as err:
        normalize_name(raw)
    assert why in str(err.value) and "\n" not in str(err.value)


def test_add_list_remove(project: Project, run_cli: Cli) -> None:
    root = str(project.root)
    assert run_cli("reviewer", "add", " LENA ", "--role", "lead", "--project", root)[1] == "lena: lead\n"
    assert run_cli("reviewer", "add", "bob", "--project", root)[0] == 0
    code, out, _ = run_cli("reviewer", "list", "--project", root)
    assert code == 0 and out.split()[:2] == ["lena", "lead"] and "bob" in out
    code, out, _ = run_cli("reviewer", "remove", "BOB", "--project", root)
    assert code == 0 and "bob: removed" in out
    assert "bob" not in run_cli("reviewer", "list", "--project", root)[1]
    code, out, _ = run_cli("reviewer", "list", "--all", "--json", "--project", root)
    rows = json.loads(out)
    assert [(r["name"], r["role"], r["removed_at"] is not None) for r in rows] == [
        ("lena", "lead", False), ("bob", "reviewer", True)]


def test_bad_name_leaves_the_roster_unchanged(project: Project, run_cli: Cli) -> None:
    code, _, err = run_cli("reviewer", "add", "a,b", "--project", str(project.root))
    assert code == 1 and err.startswith("screener: error: ") and err.count("\n") == 1
    store = project.open_store()
    try:
        assert store.roster() == []
    finally:
        store.close()


def test_unknown_reviewer_is_refused_with_roster_and_suggestion(tmp_path: Path, run_cli: Cli) -> None:
    project = make_project(tmp_path)
    root = str(project.root)
    run_cli("reviewer", "add", "alice", "--project", root)
    run_cli("reviewer", "add", "bob", "--project", root)
    code, _, err = run_cli("decide", "1", "include", "--reviewer", "Alice Smith", "--project", root)
    assert code == 1
    assert "'alice smith' is not on the roster (alice, bob); did you mean alice?" in err
    code, out, _ = run_cli("decide", "1", "include", "--reviewer", " ALICE ", "--project", root)
    assert code == 0 and "by alice" in out
    store = project.open_store()
    try:
        assert [d.reviewer for d in store.current_decisions(TA)] == ["alice"]
    finally:
        store.close()


def test_acting_reviewer_falls_back_to_env_then_login(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = project.open_store()
    try:
        monkeypatch.setenv("SCREENER_REVIEWER", " Carol ")
        assert acting_reviewer(store, None) == "carol"
        assert acting_reviewer(store, "dave") == "dave"  # no roster yet: anyone may act
        monkeypatch.delenv("SCREENER_REVIEWER")
        monkeypatch.setattr("getpass.getuser", lambda: "Erin")
        assert acting_reviewer(store, None) == "erin"
        store.put_member("frank", Role.REVIEWER.value)
        with pytest.raises(RosterError, match="'erin' is not on the roster"):
            acting_reviewer(store, None)
    finally:
        store.close()


def test_first_reviewer_added_enrols_everyone_who_decided(project: Project, run_cli: Cli) -> None:
    store = project.open_store()
    try:
        store.record_decision(1, "ana", TA, Choice.INCLUDE)
        store.record_decision(1, "ben", TA, Choice.EXCLUDE)
        store.record_resolution(1, TA, Choice.INCLUDE, "carla")
    finally:
        store.close()
    code, out, _ = run_cli("reviewer", "add", "dora", "--project", str(project.root))
    assert code == 0 and "also enrolled, from their decisions: ana, ben, carla" in out
    code, out, _ = run_cli("reviewer", "list", "--json", "--project", str(project.root))
    assert {r["name"]: r["role"] for r in json.loads(out)} == {
        "carla": "lead", "ana": "reviewer", "ben": "reviewer", "dora": "reviewer"}


@pytest.mark.sqlite_only
def test_migration_puts_existing_names_on_the_roster(project: Project) -> None:
    """A database from before the roster: resolvers become leads, deciders reviewers."""
    project.db_path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(project.db_path) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(project.db_path)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    rows = [(1, "ana", "include", "2024-01-01"), (1, "ben", "exclude", "2024-01-02"),
            (2, "ana", "include", "2024-01-03")]
    conn.executemany("INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, "
                     "created_at) VALUES (?, ?, 'title_abstract', ?, '[]', ?)", rows)
    conn.execute("INSERT INTO resolutions (work_id, stage, decision, reasons, resolved_by, "
                 "created_at) VALUES (1, 'title_abstract', 'include', '[]', 'lena', '2024-02-01')")
    conn.commit()
    conn.close()
    store = project.open_store()
    try:
        assert [(m.name, m.role) for m in store.roster()] == [
            ("ana", Role.REVIEWER), ("ben", Role.REVIEWER), ("lena", Role.LEAD)]
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert len(store.current_decisions(TA)) == 3  # nothing rewritten
    finally:
        store.close()


def test_removed_reviewer_keeps_decisions_but_cannot_act(tmp_path: Path, run_cli: Cli) -> None:
    project = make_project(tmp_path)
    root = str(project.root)
    run_cli("reviewer", "add", "lena", "--role", "lead", "--project", root)
    run_cli("reviewer", "add", "alice", "--project", root)
    run_cli("reviewer", "add", "bob", "--project", root)
    run_cli("decide", "1", "include", "--reviewer", "alice", "--project", root)
    run_cli("decide", "1", "exclude", "--reviewer", "bob", "--project", root)
    assert run_cli("reviewer", "remove", "bob", "--project", root)[0] == 0
    code, _, err = run_cli("decide", "2", "include", "--reviewer", "bob", "--project", root)
    assert code == 1 and "bob was removed from the roster" in err
    # Bob's decision still makes the conflict, and the lead can still resolve it.
    code, out, _ = run_cli("conflicts", "--list", "--json", "--reviewer", "lena", "--project", root)
    conflicts = json.loads(out)
    assert [c["work_id"] for c in conflicts] == [1]
    assert {d["reviewer"] for d in conflicts[0]["decisions"]} == {"alice", "bob"}
    code, out, _ = run_cli("resolve", "1", "include", "--by", "lena", "--project", root)
    assert code == 0 and "resolved include by lena" in out


def test_only_lead_cannot_be_removed_while_others_remain(project: Project, run_cli: Cli) -> None:
    root = str(project.root)
    run_cli("reviewer", "add", "lena", "--role", "lead", "--project", root)
    run_cli("reviewer", "add", "alice", "--project", root)
    code, _, err = run_cli("reviewer", "remove", "lena", "--project", root)
    assert code == 1 and "only lead" in err
    run_cli("reviewer", "add", "alice", "--role", "lead", "--project", root)  # promote
    assert run_cli("reviewer", "remove", "lena", "--project", root)[0] == 0


def test_only_a_lead_resolves_once_there_is_a_team(tmp_path: Path, run_cli: Cli) -> None:
    project = make_project(tmp_path)
    root = str(project.root)
    run_cli("reviewer", "add", "lena", "--role", "lead", "--project", root)
    run_cli("reviewer", "add", "alice", "--project", root)
    run_cli("reviewer", "add", "bob", "--project", root)
    run_cli("decide", "1", "include", "--reviewer", "alice", "--project", root)
    run_cli("decide", "1", "exclude", "--reviewer", "bob", "--project", root)
    code, _, err = run_cli("resolve", "1", "include", "--by", "alice", "--project", root)
    assert code == 1 and "alice is not a lead: only the lead (lena) may resolve conflicts" in err


@pytest.mark.sqlite_only
def test_password_stdin_on_sqlite_stores_nothing_and_says_so(
    project: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    code, out, err = run_cli("reviewer", "add", "bob", "--password-stdin", "--project", str(project.root))
    assert code == 0 and out == "bob: reviewer\n"
    assert "SQLite, which has no logins; the password was not stored" in err
    assert b"s3cret" not in project.db_path.read_bytes()
