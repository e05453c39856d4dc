"""The ranked queue in the screening TUI: retraining in the background, order switching."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ranking_fixtures import add_labelled_works
from screening_fixtures import PROTOCOL, make_project, open_session, set_order
from textual.widgets import Static

from screener.models import Method, ParsedRecord, Record, Stage
from screener.protocol import QueueOrder
from screener.ranking.ranker import Ranker
from screener.tui.app import ScreeningApp


def panel(app: ScreeningApp) -> str:
    """The progress panel's text: order, relevance, counts."""
    return str(app.screen.query_one("#progress-text", Static).render())


def test_ranking_arrives_in_the_background_and_o_switches_order(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    truth = add_labelled_works(project, size=80, relevant=10)
    store, session = open_session(project, "alice", Stage.TITLE_ABSTRACT)
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "ranked (random until you include one and exclude one)" in panel(app)
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
            assert "ranked (model trained on" in panel(app) and "relevance" in panel(app)
            await pilot.press("o")
            assert session.order_mode is QueueOrder.RANDOM
            assert "order: random" in panel(app)
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


def test_texts_with_nothing_to_learn_from_are_not_retrained_again_and_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ranked queue whose titles hold no word (one-letter titles, no abstracts): the
    model gives no ranking even with an include and an exclude. The screen says so and
    waits for more decisions; it used to retrain at once, forever, keeping a core busy."""
    from screener.project import init_project

    project = init_project(tmp_path / "review", title="Wordless", protocol=PROTOCOL)
    set_order(project, "ranked")
    store = project.open_store()
    try:
        with store.transaction():
            file_id = store.add_source_file(path="x.ris", sha256="wordless", format="ris",
                                            source="Synthetic", method=Method.DATABASE)
            store.add_records(file_id, Method.DATABASE, (
                ParsedRecord(record=Record(title=chr(ord("A") + i)), index=i, line=i + 1, raw="")
                for i in range(20)))
    finally:
        store.close()
    calls: list[int] = []
    real_rank = Ranker.rank

    def counted(self: Ranker, labels: dict[int, bool]) -> object:
        calls.append(len(labels))
        return real_rank(self, labels)

    monkeypatch.setattr(Ranker, "rank", counted)
    store, session = open_session(project, "alice", Stage.TITLE_ABSTRACT)
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("i")
            await pilot.press("e", "1", "enter")
            for _ in range(200):
                if "no words" in panel(app):
                    break
                await asyncio.sleep(0.05)
                await pilot.pause()
            assert "no words in the titles and abstracts to learn from" in panel(app)
            settled = len(calls)
            for _ in range(10):  # half a second more: no retrain starts by itself
                await asyncio.sleep(0.05)
                await pilot.pause()
            assert len(calls) == settled <= 2
            await pilot.press("i")  # a decision still counts towards the next retrain
            assert session.ranking is None

    try:
        asyncio.run(main())
    finally:
        store.close()
    assert len(store_choices(project)) == 3
