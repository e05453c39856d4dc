"""The full-text stage of the screening TUI: retrieval keys, and no decision on a lost report."""

from __future__ import annotations

import asyncio
from pathlib import Path

from test_fulltext import make_project, screen_ta

from screener.models import Choice, Retrieval, Stage
from screener.screening import ScreeningSession
from screener.tui.app import ScreeningApp
from screener.tui.widgets.decision_bar import DecisionBar


def test_retrieval_keys_record_status_and_block_assessing_a_lost_report(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path, n=3)
    store = project.open_store()
    a, b, c = store.work_ids()
    screen_ta(store, include=[a, b], exclude=[c])
    session = ScreeningSession.open(project, store, "ana", Stage.FULLTEXT)
    assert session.order == [a, b]
    app = ScreeningApp(session)
    bars: list[str] = []

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            bars.append(str(app.screen.query_one(DecisionBar).render()))
            await pilot.press("x")  # report of a not obtained: moves on to b
            await pilot.press("r")
            await pilot.pause()
            bars.append(str(app.screen.query_one(DecisionBar).render()))
            await pilot.press("i")
            await pilot.press("k", "k", "i")  # back to a: cannot be assessed
            await pilot.pause()

    try:
        asyncio.run(main())
        retrievals = {w: r.status for w, r in store.current_retrievals().items()}
        assert retrievals == {a: Retrieval.NOT_RETRIEVED, b: Retrieval.RETRIEVED}
        decisions = {d.work_id: d.decision for d in store.current_decisions(Stage.FULLTEXT)}
        assert decisions == {b: Choice.INCLUDE}
    finally:
        store.close()
    assert "report: not recorded" in bars[0]
    assert "report: retrieved" in bars[1]


def test_retrieval_keys_are_not_active_at_title_abstract(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path, n=2)
    store = project.open_store()
    session = ScreeningSession.open(project, store, "ana", Stage.TITLE_ABSTRACT)
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("r", "x")
            await pilot.pause()

    try:
        asyncio.run(main())
        assert store.retrieval_history() == []
    finally:
        store.close()
