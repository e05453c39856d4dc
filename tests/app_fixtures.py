"""Helpers for driving the whole app (``ReviewApp``) with Pilot."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path

from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import DirectoryTree, Static

from screener.project import Project, find_project
from screener.tui.review_app import ReviewApp

HAND_SEARCH = Path(__file__).parent / "data" / "app" / "hand_search.ris"
"""Two records of one study that dedup cannot decide alone (one pair in the review queue)."""

Script = Callable[[Pilot[None], ReviewApp], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Let the app's workers finish (not the folder tree's loader, which lives on)."""
    app = pilot.app
    for _ in range(4):
        busy = [w for w in app.workers if not isinstance(w.node, DirectoryTree)]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()


async def settle_until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 10) -> None:
    """``settle`` until ``done()`` holds: a step that crosses the network (a PostgreSQL
    login) may need more turns of the app than ``settle`` gives on a loaded machine."""
    for _ in range(int(seconds / 0.05)):
        await settle(pilot)
        if done():
            return
        await pilot.pause(0.05)


async def press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def plain(renderable: RenderableType, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def text_of(app: ReviewApp, selector: str) -> str:
    content = app.screen.query_one(selector, Static).content
    return plain(content) if not isinstance(content, str) else content


def add_team(project: Project, lead: str = "lead", reviewers: tuple[str, ...] = ("alice", "bob")
             ) -> Project:
    """A roster: one lead and reviewers who screen blind."""
    from screener.cli import main

    assert main(["reviewer", "add", lead, "--role", "lead", "--project", str(project.root)]) == 0
    for name in reviewers:
        assert main(["reviewer", "add", name, "--project", str(project.root)]) == 0
    return find_project(project.root)
