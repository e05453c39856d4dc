"""PostgreSQL teams: each reviewer's login is their identity, and the database itself keeps
a blinded stage's decisions from other reviewers (row-level security), even in raw SQL."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from screening_fixtures import make_project

from screener.project import Project

pytestmark = pytest.mark.postgresql_only

TEAM = {"lena": ("lead", "lena-pw"), "alice": ("reviewer", "alice-pw"), "bob": ("reviewer", "bob-pw")}


def login_url(owner_url: str, name: str, password: str) -> str:
    return owner_url.replace("postgres@", f"{quote(name)}:{quote(password)}@", 1)


@pytest.fixture
def team(tmp_path: Path, run_cli, monkeypatch) -> tuple[Project, str]:
    """The owner's project with lena (lead), alice and bob, each with a login."""
    project = make_project(tmp_path)
    owner_url = project.database.url
    for name, (role, password) in TEAM.items():
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        code, out, err = run_cli("reviewer", "add", name, "--role", role, "--password-stdin",
                                 "--project", str(project.root))
        assert code == 0, err
        assert "password was not stored" not in err
    return project, owner_url


def as_login(monkeypatch, owner_url: str, name: str) -> str:
    url = login_url(owner_url, name, TEAM[name][1])
    monkeypatch.setenv("SCREENER_DATABASE_URL", url)
    monkeypatch.delenv("SCREENER_REVIEWER", raising=False)
    return url


def test_a_login_acts_as_itself_and_no_one_else(team, run_cli, monkeypatch) -> None:
    project, owner_url = team
    root = str(project.root)
    as_login(monkeypatch, owner_url, "bob")
    code, out, err = run_cli("decide", "1", "include", "--project", root)
    assert code == 0, err
    assert "by bob" in out
    code, _, err = run_cli("decide", "2", "include", "--reviewer", "alice", "--project", root)
    assert code == 1 and err.count("\n") == 1
    assert "connected to the database as bob: you act as bob, not 'alice'" in err
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    code, _, err = run_cli("decide", "2", "include", "--project", root)
    assert code == 1 and "you act as bob" in err
    code, _, _ = run_cli("decide", "2", "include", "--reviewer", " BOB ", "--project", root)
    assert code == 0


def test_raw_sql_cannot_read_another_reviewers_blinded_decisions(team, run_cli, monkeypatch) -> None:
    project, owner_url = team
    root = str(project.root)
    as_login(monkeypatch, owner_url, "alice")
    assert run_cli("decide", "1", "include", "--project", root)[0] == 0
    assert run_cli("decide", "2", "exclude", "--project", root)[0] == 0
    bob_url = as_login(monkeypatch, owner_url, "bob")
    assert run_cli("decide", "1", "exclude", "--project", root)[0] == 0

    with psycopg.connect(bob_url, autocommit=True) as bob:
        assert bob.execute("SELECT reviewer, work_id FROM decisions ORDER BY id").fetchall() == [
            ("bob", 1)]
        assert bob.execute("SELECT COUNT(*) FROM decisions WHERE reviewer = 'alice'"
                           ).fetchone() == (0,)
        # Nor may bob write under alice's name, or drop the database's blinding.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, "
                        "created_at) VALUES (3, 'alice', 'title_abstract', 'include', '[]', 'now')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("DELETE FROM blind_stages")
        with pytest.raises(psycopg.Error):
            bob.execute("ALTER TABLE decisions DISABLE ROW LEVEL SECURITY")
    with psycopg.connect(login_url(owner_url, "lena", "lena-pw"), autocommit=True) as lena:
        assert lena.execute("SELECT COUNT(*) FROM decisions").fetchone() == (3,)

    # Once the lead unblinds the stage, the database shows bob everything too.
    as_login(monkeypatch, owner_url, "lena")
    code, _, err = run_cli("unblind", "--stage", "title_abstract", "--project", root)
    assert code == 0, err
    with psycopg.connect(bob_url, autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM decisions").fetchone() == (3,)


def test_blinding_follows_the_protocol_as_the_owner_sees_it(team, run_cli, monkeypatch) -> None:
    """A stage the protocol does not blind is open to every login; the owner's commands keep
    the database's list of blinded stages in step with the protocol."""
    project, owner_url = team
    root = str(project.root)
    as_login(monkeypatch, owner_url, "alice")
    assert run_cli("decide", "1", "include", "--project", root)[0] == 0
    config = project.root / project.config.protocol  # type: ignore[operator]
    config.write_text(config.read_text().replace(
        'policy = "two-independent"', 'policy = "two-independent"\nblind = false', 1))
    bob_url = as_login(monkeypatch, owner_url, "bob")
    # bob's own copy of the protocol says "not blind": the database does not care.
    code, _, err = run_cli("status", "--project", root)
    assert code == 0, err
    with psycopg.connect(bob_url, autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM decisions").fetchone() == (0,)
    monkeypatch.setenv("SCREENER_DATABASE_URL", owner_url)
    code, _, err = run_cli("status", "--reviewer", "lena", "--project", root)
    assert code == 0, err
    with psycopg.connect(bob_url, autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM decisions").fetchone() == (1,)


def test_only_a_leads_login_resolves(team, run_cli, monkeypatch) -> None:
    project, owner_url = team
    root = str(project.root)
    for name, choice in (("alice", "include"), ("bob", "exclude")):
        as_login(monkeypatch, owner_url, name)
        assert run_cli("decide", "1", choice, "--project", root)[0] == 0
    bob_url = as_login(monkeypatch, owner_url, "bob")
    with psycopg.connect(bob_url, autocommit=True) as bob, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        bob.execute("INSERT INTO resolutions (work_id, stage, decision, reasons, resolved_by, "
                    "created_at) VALUES (1, 'title_abstract', 'include', '[]', 'bob', 'now')")
    as_login(monkeypatch, owner_url, "lena")
    code, out, err = run_cli("resolve", "1", "include", "--project", root)
    assert code == 0, err


def test_wrong_password_is_one_line_without_the_password(team, run_cli, monkeypatch) -> None:
    project, owner_url = team
    monkeypatch.setenv("SCREENER_DATABASE_URL", login_url(owner_url, "bob", "guess"))
    code, _, err = run_cli("status", "--project", str(project.root))
    assert code == 1 and err.count("\n") == 1
    assert "cannot connect to database server postgresql://bob:***@" in err
    assert "password authentication failed" in err and "guess" not in err


def test_reviewer_login_cannot_manage_the_roster(team, run_cli, monkeypatch) -> None:
    project, owner_url = team
    as_login(monkeypatch, owner_url, "bob")
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    code, _, err = run_cli("reviewer", "add", "eve", "--project", str(project.root))
    assert code == 1 and err.count("\n") == 1
    assert "permission denied" in err
