"""The PRISMA screen in the TUI: counts shown, reasons toggled, recount after a decision."""

from __future__ import annotations

import asyncio
from pathlib import Path

from prisma_project import finished
from textual.widgets import Static

from screener.models import Choice, Stage
from screener.protocol import load_protocol
from screener.tui.prisma_screen import PrismaApp


def _view(app: PrismaApp) -> str:
    return str(app.screen.query_one("#prisma-view", Static).render())


def test_prisma_screen_shows_counts_toggles_reasons_and_recounts(
    tmp_path: Path, run_cli
) -> None:
    project = finished(tmp_path, run_cli)
    store = project.open_store()
    app = PrismaApp(store, load_protocol(project.protocol_path), "PRISMA test")

    async def scenario() -> None:
        async with app.run_test(size=(110, 60)) as pilot:
            await pilot.pause(0.3)
            assert "Records screened (n = 8)" in _view(app)
            assert "Off topic (n = 1)" not in _view(app)
            await pilot.press("t")
            assert "Off topic (n = 1)" in _view(app)
            # Work A changes from include to exclude (off-topic): a recount shows it.
            work_id = store.work_ids()[0]
            store.record_decision(work_id, "bob", Stage.TITLE_ABSTRACT, Choice.EXCLUDE, ["off-topic"])
            store.record_decision(work_id, "ann", Stage.TITLE_ABSTRACT, None)
            await pilot.press("r")
            await pilot.pause(0.3)
            assert "Off topic (n = 2)" in _view(app)
            assert "Reports sought for retrieval (n = 5)" in _view(app)
            assert "Checks: all" in _view(app)
            await pilot.press("escape")

    try:
        asyncio.run(scenario())
    finally:
        store.close()
    assert app.return_code in (0, None)


def test_p_in_the_screening_app_opens_the_prisma_screen_and_escape_returns(
    tmp_path: Path,
) -> None:
    from screening_fixtures import make_project, open_session

    from screener.tui.app import ScreeningApp
    from screener.tui.prisma_screen import PrismaScreen

    project = make_project(tmp_path)
    store, session = open_session(project, "alice")
    app = ScreeningApp(session)

    async def scenario() -> None:
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.press("p")
            await pilot.pause(0.3)
            assert isinstance(app.screen, PrismaScreen)
            view = _view(app)
            assert "Records screened (n = 6)" in view
            assert "6 works pending title/abstract" in view  # two reviewers needed
            await pilot.press("escape")
            assert not isinstance(app.screen, PrismaScreen)

    try:
        asyncio.run(scenario())
    finally:
        store.close()
