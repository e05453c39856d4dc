"""Layout snapshots of the app's home (the sample project, two reviewers, one conflict)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_fixtures import settle
from screening_fixtures import make_project
from textual.pilot import Pilot

from screener.cli import main
from screener.tui.review_app import ReviewApp


def _app(tmp_path: Path) -> ReviewApp:
    project = make_project(tmp_path)
    for work_id, alice, bob in [(1, "include", "include"), (2, "exclude", "exclude"),
                                (3, "include", "exclude")]:
        main(["decide", "--project", str(project.root), str(work_id), alice, "--reviewer", "alice"])
        main(["decide", "--project", str(project.root), str(work_id), bob, "--reviewer", "bob"])
    return ReviewApp(project, "alice")


async def _counted(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_home_80x24(snap_compare: Any, tmp_path: Path) -> None:
    """The home at the smallest terminal: dashboard, next steps, the menu of steps."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_counted)


def test_home_120x40(snap_compare: Any, tmp_path: Path) -> None:
    """The home at 120x40: the same, with room to spare."""
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_counted)
