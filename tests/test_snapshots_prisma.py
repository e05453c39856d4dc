"""Layout snapshot of the PRISMA screen (100x60, the finished hand-built project)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prisma_project import finished
from textual.pilot import Pilot

from screener.protocol import load_protocol
from screener.tui.prisma_screen import PrismaApp


def test_prisma_screen_of_a_finished_review(snap_compare: Any, tmp_path: Path, run_cli) -> None:
    """Both columns, phases, notes and the checks line, with title/abstract reasons shown."""
    project = finished(tmp_path, run_cli)
    app = PrismaApp(project.open_store(), load_protocol(project.protocol_path), "PRISMA test")

    async def counted(pilot: Pilot[None]) -> None:
        await pilot.pause(0.3)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 60), run_before=counted)
