"""A busy database never freezes the screens: another connection holds SQLite's write lock
(as an import does) while Pilot presses keys; the screen moves on at once, says what is
queued, and every decision is stored in order once the lock is released."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conflict_fixtures import EXC, INC, decide, make_review
from screening_fixtures import make_project, open_session
from textual.pilot import Pilot

import screener.store.adapter as adapter
from screener.conflicts import ConflictSession
from screener.models import Choice, Stage
from screener.project import Project
from screener.protocol import load_protocol
from screener.tui.app import ScreeningApp
from screener.tui.conflicts_app import ConflictsApp
from screener.tui.screens.saving_modal import SavingModal
from screener.tui.widgets.decision_bar import DecisionBar

TA = Stage.TITLE_ABSTRACT


@contextmanager
def write_lock(project: Project) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock from another connection, as a long import does."""
    assert project.database.path is not None
    conn = sqlite3.connect(project.database.path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def history(project: Project) -> list[tuple[int, str | None]]:
    """alice's decision rows, oldest first: (work, decision or None for an undo)."""
    store = project.open_store()
    try:
        return [(r["work_id"], r["decision"]) for r in store.decision_history(TA)
                if r["reviewer"] == "alice"]
    finally:
        store.close()


def bar(app: ScreeningApp) -> str:
    return str(app.screen.query_one(DecisionBar).render())


async def until(pilot: Pilot[None], test: object, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not test():  # type: ignore[operator]
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)


@pytest.mark.sqlite_only
def test_keys_move_on_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, session = open_session(project, "alice")
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            with write_lock(project):
                started = time.monotonic()
                await pilot.press("i", "m")
                await pilot.press("e", "3", "enter")
                await pilot.press("i", "u")  # undo the last include: back on work 4
                # The screen moved on at once (the writes wait far longer than this).
                assert time.monotonic() - started < 5
                assert "· 4 of 6" in bar(app) and "undecided" in bar(app)
                assert "Screened 3 of 6" in str(app.screen.query_one("#progress-text").render())
                await until(pilot, lambda: "saving… (database busy, 5 queued)" in bar(app))
                # Nothing is stored while the other process holds the lock.
                assert history(project) == []
                # A decision made meanwhile joins the queue.
                await pilot.press("j", "i")
                await until(pilot, lambda: "6 queued" in bar(app))
            # The lock is released: everything is stored, in the order given.
            await until(pilot, lambda: "saving" not in bar(app))
            assert history(project) == [(1, "include"), (2, "maybe"), (3, "exclude"),
                                        (4, "include"), (4, None), (5, "include")]
            await pilot.press("q")

    try:
        asyncio.run(main())
    finally:
        store.close()
    store = project.open_store()
    try:
        standing = {d.work_id: (d.decision, d.reasons) for d in store.current_decisions(TA, "alice")}
    finally:
        store.close()
    assert standing == {1: (Choice.INCLUDE, []), 2: (Choice.MAYBE, []),
                        3: (Choice.EXCLUDE, ["clinical"]), 5: (Choice.INCLUDE, [])}


@pytest.mark.sqlite_only
def test_quitting_waits_for_queued_decisions(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, session = open_session(project, "alice")
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            with write_lock(project):
                await pilot.press("i", "i", "q")
                await pilot.pause(0.5)
                # Not gone: a modal says the decisions are being saved.
                assert isinstance(app.screen, SavingModal)
                text = str(app.screen.query_one("#saving-text").render())
                assert "2 queued" in text and "database busy" in text
                await pilot.press("escape")  # back to work, still queued
                assert not isinstance(app.screen, SavingModal)
                await pilot.press("q")
                await pilot.pause(0.3)
                assert history(project) == [] and isinstance(app.screen, SavingModal)
            # Released: stored, then the app quits by itself.
            await until(pilot, lambda: not app.is_running)

    try:
        asyncio.run(main())
    finally:
        store.close()
    assert history(project) == [(1, "include"), (2, "include")]


@pytest.mark.sqlite_only
def test_a_failing_write_is_shown_and_retried_never_dropped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The write gives up on the lock after half a second (600 s in real use): the error is
    # shown, and the write is tried again until the lock is free.
    monkeypatch.setattr(adapter, "MAX_WAIT", 0.5)
    project = make_project(tmp_path)
    store, session = open_session(project, "alice")
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            with write_lock(project):
                await pilot.press("e", "3", "enter")
                await until(pilot, lambda: "not saved yet" in bar(app))
                assert "exclude on work #1: the project database is busy" in bar(app)
                assert any("Not saved yet (retrying, nothing is lost)" in str(n.message)
                           for n in app._notifications)
            await until(pilot, lambda: "saving" not in bar(app) and "not saved" not in bar(app))
            await pilot.press("q")

    try:
        asyncio.run(main())
    finally:
        store.close()
    assert history(project) == [(1, "exclude")]


@pytest.mark.sqlite_only
def test_leaving_the_app_stores_what_is_queued(tmp_path: Path) -> None:
    """However the app ends (here the test harness closes it), the queue is stored."""
    project = make_project(tmp_path)
    store, session = open_session(project, "alice")
    app = ScreeningApp(session)
    holder: list[sqlite3.Connection] = []

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            lock = write_lock(project)
            holder.append(lock.__enter__())
            await pilot.press("m", "m")
            # Let go a moment after the app starts closing (the close waits for it).
            threading.Timer(0.5, lock.__exit__, (None, None, None)).start()

    try:
        asyncio.run(main())
    finally:
        store.close()
    assert history(project) == [(1, "maybe"), (2, "maybe")]


@pytest.mark.sqlite_only
def test_conflict_resolution_moves_on_while_the_lock_is_held(tmp_path: Path) -> None:
    project = make_review(tmp_path, n=4)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    store = project.open_store()
    ids = store.work_ids()
    decide(store, ids[0], INC, EXC, ([], ["clinical"]))
    decide(store, ids[1], EXC, INC, (["not-health"], []))
    session = ConflictSession(store, "lena", TA, protocol)

    def resolution() -> str:
        return str(app.screen.query_one("#resolution").render())

    async def main() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            with write_lock(project):
                await pilot.press("i")
                assert f"work #{ids[1]}" in resolution()  # moved on to the next conflict
                await pilot.press("e", "1", "enter")
                await until(pilot, lambda: "database busy, 2 queued" in resolution())
                assert store.current_resolutions(TA) == {}
            await until(pilot, lambda: "queued" not in resolution())
            await pilot.press("q")

    app = ConflictsApp(session)
    try:
        asyncio.run(main())
        done = store.current_resolutions(TA)
        assert (done[ids[0]].decision, done[ids[1]].decision) == (Choice.INCLUDE, Choice.EXCLUDE)
        assert done[ids[1]].reasons == ["not-health"]
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_retrieval_keys_move_on_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    """Full text: r and x go through the same queue as decisions. The screen shows the
    status at once (and moves past a lost report), a decision on that lost report is
    refused although it is not stored yet, and both statuses are stored afterwards."""
    from test_fulltext import make_project as make_fulltext_project
    from test_fulltext import screen_ta

    from screener.models import Retrieval
    from screener.screening import ScreeningSession

    project, _ = make_fulltext_project(tmp_path, n=3)
    store = project.open_store()
    a, b, c = store.work_ids()
    screen_ta(store, include=[a, b], exclude=[c])
    session = ScreeningSession.open(project, store, "ana", Stage.FULLTEXT)
    app = ScreeningApp(session)

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            with write_lock(project):
                started = time.monotonic()
                await pilot.press("x")  # a's report was not obtained: on to b
                assert session.current_id == b
                await pilot.press("r")
                await pilot.pause()
                assert time.monotonic() - started < 5  # not frozen behind the lock
                assert "report: retrieved" in bar(app)
                await pilot.press("k", "i")  # back on a: a lost report is not assessed
                await pilot.pause()
                assert session.current_id == a and session.decision_of(a) is None
                assert "report: not-retrieved" in bar(app)
                await until(pilot, lambda: "2 queued" in bar(app))
                assert store.current_retrievals() == {}
            await until(pilot, lambda: "saving" not in bar(app))
            await pilot.press("q")

    try:
        asyncio.run(main())
        assert {w: r.status for w, r in store.current_retrievals().items()} == {
            a: Retrieval.NOT_RETRIEVED, b: Retrieval.RETRIEVED}
        assert store.current_decisions(Stage.FULLTEXT) == []
    finally:
        store.close()
