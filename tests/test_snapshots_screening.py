"""Layout snapshots of the screening app (120x40, the sample project, fixed data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from screening_fixtures import make_project, open_session

from screener.tui.app import ScreeningApp

SIZE = (120, 40)


def _app(tmp_path: Path) -> ScreeningApp:
    _, session = open_session(make_project(tmp_path), "alice")
    return ScreeningApp(session, review_title="Test review")


def test_first_work(snap_compare: Any, tmp_path: Path) -> None:
    """The first work: highlighted title/abstract, criteria panel, empty progress, footer."""
    assert snap_compare(_app(tmp_path), terminal_size=SIZE)


def test_reason_picker(snap_compare: Any, tmp_path: Path) -> None:
    """After e: the numbered exclusion reasons, two of them ticked."""
    assert snap_compare(_app(tmp_path), terminal_size=SIZE, press=["j", "e", "3", "5"])


def test_excluded_work_and_progress(snap_compare: Any, tmp_path: Path) -> None:
    """Back on an excluded work: its decision bar shows the reason; progress counts it."""
    assert snap_compare(_app(tmp_path), terminal_size=SIZE,
                        press=["i", "e", "3", "enter", "k"])


def test_help_screen(snap_compare: Any, tmp_path: Path) -> None:
    """The ? help: every key with its binding id."""
    assert snap_compare(_app(tmp_path), terminal_size=SIZE, press=["question_mark"])


def test_small_terminal(snap_compare: Any, tmp_path: Path) -> None:
    """80x24: the decision bar's two lines, the abstract, and ? Help and q Quit in the footer."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["j", "m"])


def test_large_terminal(snap_compare: Any, tmp_path: Path) -> None:
    """200x60: the abstract keeps a readable measure (about 100 columns), not 155."""
    assert snap_compare(_app(tmp_path), terminal_size=(200, 60))
