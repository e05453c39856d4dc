"""Shared fixtures: temporary projects, the CLI runner, and the two database backends.

The store and command tests run on both backends: each test of a module named in
``BOTH_BACKENDS`` runs once on SQLite and once on PostgreSQL (a throwaway server per test
process, a fresh schema per test, handed to the code under test the way a user would:
``SCREENER_DATABASE_URL``). Tests that need PostgreSQL fail rather than skip in CI
(``CI=true``) when it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer, start_server

from screener.cli import main
from screener.project import Project, find_project, init_project

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared"


BACKENDS = ("sqlite", "postgresql")
BOTH_BACKENDS = {
    "test_agreement", "test_agreement_report", "test_blinding", "test_cli", "test_conflicts",
    "test_conflicts_tui", "test_db", "test_decisions_follow_merges", "test_dedup_cli",
    "test_dedup_review", "test_export", "test_fulltext", "test_fulltext_tui",
    "test_import_errors", "test_import_pipeline", "test_outcome", "test_prisma_counting",
    "test_staged_import",
    "test_prisma_tui", "test_project", "test_roster", "test_screening",
    "test_screening_durability", "test_sources", "test_tui_screening",
}
"""Test modules (store and commands) whose every test runs on both backends."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        metafunc.parametrize("backend", ["postgresql"], indirect=True)
    elif module in BOTH_BACKENDS and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The test process's PostgreSQL server (skipped without one, except in CI)."""
    try:
        server = start_server()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL for the tests: {exc}", pytrace=False)
        pytest.skip(str(exc))
    # The superuser's password, where a user would keep it (never in screener.toml).
    os.environ["PGPASSWORD"] = server.password
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The backend this test runs on; on PostgreSQL every project the test creates lives in
    a fresh schema of the test server."""
    name: str = getattr(request, "param", "sqlite")
    if name == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        monkeypatch.setenv("SCREENER_DATABASE_URL", server.fresh_schema_url())
    else:
        monkeypatch.delenv("SCREENER_DATABASE_URL", raising=False)
    return name


@pytest.fixture
def new_database(backend: str, request: pytest.FixtureRequest) -> Callable[[], str | None]:
    """For a test with a second project: a fresh database for it on this test's backend
    (None on SQLite, where every project folder has its own file)."""

    def make() -> str | None:
        if backend != "postgresql":
            return None
        server: PgServer = request.getfixturevalue("pg_server")
        return server.fresh_schema_url()

    return make


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty review project."""
    return init_project(tmp_path / "review", title="Test review")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Call ``screener`` in-process: returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def reopen(project: Project) -> Project:
    return find_project(project.root)
