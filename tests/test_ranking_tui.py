"""The ranked queue in the screening TUI: retraining in the background, order switching."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ranking_fixtures import add_labelled_works
from screening_fixtures import make_project, open_session
from textual.widgets import Static

from screener.models import Stage
from screener.protocol import QueueOrder
from screener.tui.app import ScreeningApp


def test_ranking_arrives_in_the_background_and_o_switches_order(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    truth = add_labelled_works(project, size=80, relevant=10)
    store, session = open_session(project, "alice", Stage.TITLE_ABSTRACT)
    app = ScreeningApp(session)

    def panel() -> str:
        return str(app.screen.query_one("#progress-text", Static).render())

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "ranked (random until you include one and exclude one)" in panel()
            decided = 0
            while decided < 8 or len(set(session.training_labels().values())) < 2:
                decided += 1
                work_id = session.current_id
                assert work_id is not None
                if truth.get(work_id):
                    await pilot.press("i")
                else:
                    await pilot.press("e", "1", "enter")
            # Wait for the child process to answer (first fit takes a moment).
            for _ in range(200):
                if session.ranking is not None:
                    break
                await asyncio.sleep(0.05)
                await pilot.pause()
            assert session.ranking is not None
            assert "ranked (model trained on" in panel() and "relevance" in panel()
            await pilot.press("o")
            assert session.order_mode is QueueOrder.RANDOM
            assert "order: random" in panel()
            await pilot.press("o")
            assert session.order_mode is QueueOrder.RANKED

    try:
        asyncio.run(main())
    finally:
        store.close()
    stored = store_choices(project)
    assert len(stored) >= 8


def store_choices(project: object) -> dict[int, object]:
    from screener.project import Project

    assert isinstance(project, Project)
    store = project.open_store()
    try:
        return dict(store.current_choices(Stage.TITLE_ABSTRACT, "alice"))
    finally:
        store.close()
