"""A TUI that crashes exits 1 with one line on stderr, not 0 with a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest
from conflict_fixtures import make_review
from screening_fixtures import make_project
from test_dedup_review import RIS
from textual.app import App

from screener.project import Project
from screener.tui.app import ScreeningApp
from screener.tui.conflicts_app import ConflictsApp
from screener.tui.dedup_review import DedupReviewApp
from screener.tui.prisma_screen import PrismaApp

RunCli = Callable[..., tuple[int, str, str]]


def _boom(self: App[object]) -> None:
    raise RuntimeError("disk on fire")


@pytest.fixture(autouse=True)
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    # The commands call app.run(); in tests there is no terminal to draw on.
    monkeypatch.setattr(App, "run", functools.partialmethod(App.run, headless=True))


def _assert_one_line_error(code: int, err: str, screen: str) -> None:
    assert code == 1
    assert err.count("\n") == 1, err
    assert err.startswith(f"screener: error: the {screen} stopped on an internal error "
                          "(RuntimeError: disk on fire)")
    assert "Traceback" not in err


def test_screening_screen_crash(tmp_path: Path, run_cli: RunCli,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    monkeypatch.setattr(ScreeningApp, "on_mount", _boom)
    code, _, err = run_cli("screen", "--project", str(project.root), "--reviewer", "ana")
    _assert_one_line_error(code, err, "screening screen")


def test_conflicts_screen_crash(tmp_path: Path, run_cli: RunCli,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_review(tmp_path)
    monkeypatch.setattr(ConflictsApp, "on_mount", _boom)
    code, _, err = run_cli("conflicts", "--project", str(project.root), "--reviewer", "lead")
    _assert_one_line_error(code, err, "conflicts screen")


def test_prisma_screen_crash(tmp_path: Path, run_cli: RunCli,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_review(tmp_path)
    monkeypatch.setattr(PrismaApp, "on_mount", _boom)
    code, _, err = run_cli("prisma", "--project", str(project.root), "--tui")
    _assert_one_line_error(code, err, "PRISMA screen")


def _queued(project: Project, run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "q.ris").write_text(RIS)
    run_cli("import", "--project", str(project.root), str(tmp_path / "q.ris"))
    run_cli("dedup", "--project", str(project.root))


def test_dedup_review_crash(project: Project, tmp_path: Path, run_cli: RunCli,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    _queued(project, run_cli, tmp_path)
    monkeypatch.setattr(DedupReviewApp, "on_mount", _boom)
    code, _, err = run_cli("dedup", "--project", str(project.root), "--review")
    _assert_one_line_error(code, err, "duplicate review screen")


def test_a_clean_quit_exits_0(project: Project, tmp_path: Path, run_cli: RunCli,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    _queued(project, run_cli, tmp_path)

    async def quit_at_once(pilot: object) -> None:
        await pilot.press("c", "q")  # type: ignore[attr-defined]

    monkeypatch.setattr(App, "run", functools.partialmethod(App.run, headless=True,
                                                            auto_pilot=quit_at_once))
    code, out, err = run_cli("dedup", "--project", str(project.root), "--review")
    assert (code, err) == (0, "")
    assert "duplicate review: 1 of 2 pairs decided" in out


def test_dedup_review_with_nothing_to_review_says_so(project: Project, run_cli: RunCli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DedupReviewApp, "run", _boom)  # the screen must not open
    code, out, _ = run_cli("dedup", "--project", str(project.root), "--review")
    assert code == 0
    assert out.startswith("nothing to review")
