"""The conflicts screen: Pilot presses the lead's keys and the stored resolutions are checked."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conflict_fixtures import EXC, INC, MAY, decide, make_review

from screener.conflicts import ConflictSession
from screener.models import Choice, Stage
from screener.protocol import load_protocol
from screener.tui.conflicts_app import ConflictsApp
from screener.tui.screens.conflicts_screen import ConflictsScreen
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.widgets.decision_card import DecisionCard

TA = Stage.TITLE_ABSTRACT


def _session(tmp_path: Path) -> tuple[ConflictSession, list[int]]:
    project = make_review(tmp_path, n=5)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    store = project.open_store()
    ids = store.work_ids()
    decide(store, ids[0], INC, INC)
    decide(store, ids[1], INC, EXC, ([], ["clinical"]))
    decide(store, ids[2], MAY, EXC, ([], ["not-health"]))
    decide(store, ids[3], EXC, INC, (["not-health"], []))
    return ConflictSession(store, "lena", TA, protocol), ids


def _text(app: ConflictsApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def test_lead_sees_both_sides_and_resolves_with_keys(tmp_path: Path) -> None:
    session, ids = _session(tmp_path)
    store = session.store

    def stored() -> bool:
        """The screen's writing thread has committed everything it was given."""
        return session.writes is not None and session.writes.wait(10)

    async def scenario() -> None:
        app = ConflictsApp(session)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConflictsScreen)
            cards = [str(c.render()) for c in app.screen.query(DecisionCard)]
            assert len(cards) == 2
            assert "ana" in cards[0] and "INCLUDE" in cards[0] and "ana's note" in cards[0]
            assert "ben" in cards[1] and "EXCLUDE" in cards[1] and "Clinical" in cards[1]
            assert "Conflict 1 of 3 · 3 open" in _text(app, "#resolution")
            # Include the first conflict: the screen moves on, the write follows at once.
            await pilot.press("i")
            await pilot.pause()
            assert stored()
            assert store.current_resolutions(TA)[ids[1]].decision is Choice.INCLUDE
            assert f"work #{ids[2]}" in _text(app, "#resolution")
            # A note first, then exclude with reason 2 (clinical) and Enter.
            await pilot.press("n")
            await pilot.pause()
            await pilot.press(*"both unsure", "enter")
            await pilot.press("e", "2", "enter")
            await pilot.pause()
            assert stored()
            res = store.current_resolutions(TA)[ids[2]]
            assert (res.decision, res.reasons, res.note, res.resolved_by) == (
                Choice.EXCLUDE, ["clinical"], "both unsure", "lena")
            # Esc in the reason picker stores nothing.
            await pilot.press("e", "1", "escape")
            await pilot.pause()
            assert ids[3] not in store.current_resolutions(TA)
            # Back to the first conflict and withdraw its resolution.
            await pilot.press("k", "k", "u")
            await pilot.pause()
            assert stored()
            assert ids[1] not in store.current_resolutions(TA)
            assert "Unresolved" in _text(app, "#resolution")
            await pilot.press("q")

    asyncio.run(scenario())
    # The reviewers' own decisions were never touched.
    ana = {d.work_id: d.decision for d in store.current_decisions(TA, "ana")}
    assert ana == {ids[0]: INC, ids[1]: INC, ids[2]: MAY, ids[3]: EXC}
    store.close()


def test_no_conflicts_says_so(tmp_path: Path) -> None:
    project = make_review(tmp_path, n=2)
    store = project.open_store()
    a, _ = store.work_ids()
    decide(store, a, INC, INC)
    session = ConflictSession(store, "lena", TA, None)

    async def scenario() -> None:
        app = ConflictsApp(session)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            assert "No conflicts" in _text(app, "#resolution")
            await pilot.press("i", "e", "u", "j")
            await pilot.pause()
            assert store.current_resolutions(TA) == {}

    asyncio.run(scenario())
    store.close()


def test_help_lists_the_conflict_keys(tmp_path: Path) -> None:
    session, _ = _session(tmp_path)

    async def scenario() -> None:
        app = ConflictsApp(session)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.help_title == "Conflict resolution keys"
            rows = {action.id: keys for action, keys in app.screen.keys}
            assert rows["resolve-include"] == "i" and rows["resolve-exclude"] == "e"
            assert "resolve-withdraw" in rows and "quit" in rows

    asyncio.run(scenario())
    session.store.close()
