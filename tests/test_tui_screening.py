"""The screening TUI driven by Pilot: keys press, the store is checked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from screening_fixtures import make_project, open_session
from textual.pilot import Pilot
from textual.widgets import Static

from screener.keymap import check_keymap
from screener.models import Choice, Stage
from screener.project import Project, find_project
from screener.tui.app import ScreeningApp
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.screens.reason_modal import ReasonModal
from screener.tui.widgets.decision_bar import DecisionBar

Script = Callable[[Pilot[None], ScreeningApp], Awaitable[None]]


def drive(project: Project, reviewer: str, script: Script, stage: Stage = Stage.TITLE_ABSTRACT) -> None:
    config = find_project(project.root).config
    store, session = open_session(project, reviewer, stage)
    app = ScreeningApp(session, keymap=check_keymap(config.keys))

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await script(pilot, app)

    try:
        asyncio.run(main())
    finally:
        store.close()


def text_of(app: ScreeningApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def bar(app: ScreeningApp) -> str:
    return str(app.screen.query_one(DecisionBar).render())


def current(project: Project, reviewer: str = "alice") -> dict[int, tuple[str, list[str], str | None]]:
    store = project.open_store()
    try:
        return {d.work_id: (d.decision.value, d.reasons, d.note)
                for d in store.current_decisions(Stage.TITLE_ABSTRACT, reviewer)}
    finally:
        store.close()


def test_include_exclude_with_reasons_and_maybe_are_stored(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        assert "Trust and governance" in text_of(app, "#work-text")
        await pilot.press("i")
        assert "· 2 of 6" in bar(app) and "undecided" in bar(app)
        await pilot.press("e")
        assert isinstance(app.screen, ReasonModal)
        await pilot.press("3", "5", "5", "enter")  # 5 twice: toggled off again
        await pilot.press("m")
        assert "· 4 of 6" in bar(app)
        assert "Screened 3 of 6" in text_of(app, "#progress-text")

    drive(project, "alice", script)
    assert current(project) == {1: ("include", [], None), 2: ("exclude", ["clinical"], None),
                                3: ("maybe", [], None)}


def test_exclude_needs_a_reason_and_escape_cancels(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("e", "enter")
        assert isinstance(app.screen, ReasonModal)  # no reason picked: still asking
        await pilot.press("escape")
        assert "· 1 of 6" in bar(app)

    drive(project, "alice", script)
    assert current(project) == {}


def test_note_undo_and_navigation(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("n", *"check partners", "enter")
        assert "check partners" in bar(app)
        await pilot.press("i")  # note saved with the decision
        await pilot.press("k")
        assert "INCLUDE" in bar(app) and "check partners" in bar(app)
        await pilot.press("j", "down", "m")
        assert "· 4 of 6" in bar(app)
        await pilot.press("u")  # undo the maybe on work 3, and go back to it
        assert "· 3 of 6" in bar(app) and "undecided" in bar(app)
        await pilot.press("up", "up", "g")  # next undecided after 1 is 2
        assert "· 2 of 6" in bar(app)

    drive(project, "alice", script)
    assert current(project) == {1: ("include", [], "check partners")}
    store = project.open_store()
    # The note on the undecided work was saved at once as a draft row, then the decisions.
    assert [r["decision"] for r in store.decision_history()] == [None, "include", "maybe", None]


def test_blind_and_resume(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _, alice = open_session(project, "alice")
    for choice in (Choice.INCLUDE, Choice.MAYBE):
        alice.decide(choice)
        alice.move(1)

    async def bob(pilot: Pilot[None], app: ScreeningApp) -> None:
        assert "· 1 of 6" in bar(app) and "undecided" in bar(app)
        assert "Screened 0 of 6" in text_of(app, "#progress-text")

    async def alice_again(pilot: Pilot[None], app: ScreeningApp) -> None:
        assert "· 3 of 6" in bar(app)
        assert "Screened 2 of 6" in text_of(app, "#progress-text")
        await pilot.press("k")
        assert "MAYBE" in bar(app)

    drive(project, "bob", bob)
    drive(project, "alice", alice_again)


def test_search_jumps_to_the_match(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("slash", *"network analysis", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "· 4 of 6" in bar(app)
        assert "\nOriginal title: Samenwerking tussen" in text_of(app, "#work-text")
        await pilot.press("slash", "ctrl+u", *"#2", "enter")
        await pilot.pause()
        assert "· 2 of 6" in bar(app)

    drive(project, "alice", script)


def test_help_lists_remapped_keys_and_remap_works(tmp_path: Path) -> None:
    project = make_project(tmp_path, keys={"include": "y", "next": "l,down"})

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("i")  # no longer bound
        assert "· 1 of 6" in bar(app)
        await pilot.press("y")
        assert "· 2 of 6" in bar(app)
        await pilot.press("l")
        assert "· 3 of 6" in bar(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {a.id: keys for a, keys in app.screen.keys}
        assert rows["include"] == "y" and rows["next"].startswith("l")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")

    drive(project, "alice", script)
    assert current(project) == {1: ("include", [], None)}


def test_correction_from_the_screen_keeps_the_original(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("c")
        await pilot.press("tab", "ctrl+u", *"2018", "enter")  # title -> year field
        await pilot.pause()
        assert "2018" in text_of(app, "#work-text")

    drive(project, "alice", script)
    store = project.open_store()
    assert store.get_work(1).record.year == 2018
    assert store.get_record(1).record.year == 2019
    assert store.corrections_for(1) == {"year": 2018}


def test_fulltext_stage_uses_fulltext_reasons(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for reviewer in ("alice", "bob"):
        _, s = open_session(project, reviewer)
        s.decide(Choice.INCLUDE, work_id=6)

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        assert "· 1 of 1" in bar(app) and "Co-creation" in text_of(app, "#work-text")
        assert "Setting not health" in text_of(app, "#criteria")
        await pilot.press("e", "2", "enter")

    drive(project, "alice", script, Stage.FULLTEXT)
    store = project.open_store()
    [d] = store.current_decisions(Stage.FULLTEXT)
    assert d.work_id == 6 and d.reasons == ["wrong-phenomenon"]


def test_demo_intro_says_what_who_and_which_keys(tmp_path: Path) -> None:
    import argparse
    import functools

    from textual.app import App

    from screener.commands.screen import run as run_screen
    from screener.tui.screens.intro_modal import IntroModal

    project = make_project(tmp_path)
    seen: dict[str, str] = {}

    async def script(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.pause()
        assert isinstance(app.screen, IntroModal)
        seen["text"] = str(app.screen.query_one("#intro-text", Static).render())
        await pilot.press("i")  # keys of the screen wait until the intro is closed
        await pilot.press("enter")
        assert not isinstance(app.screen, IntroModal)
        await pilot.press("i", "q")

    original = App.run
    try:
        App.run = functools.partialmethod(original, headless=True, auto_pilot=script)  # type: ignore[method-assign]
        code = run_screen(argparse.Namespace(project=str(project.root), reviewer="alice",
                                             stage="title_abstract", intro="This is a demo."))
    finally:
        App.run = original  # type: ignore[method-assign]
    assert code == 0
    text = seen["text"]
    assert text.startswith("This is a demo.")
    assert "You are screening as alice (title and abstract, 6 works)" in text
    assert "i include" in text and "e exclude" in text and "? every key" in text
    assert current(project) == {1: ("include", [], None)}


def test_undecided_works_before_the_cursor_are_counted_and_reachable(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _, alice = open_session(project, "alice")
    alice.go_to(2)
    alice.decide(Choice.INCLUDE)  # work 3; works 1 and 2 left undecided before it

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        # Resumes after the last decision (work 4) and says two works wait before it.
        assert "Work #4 · 4 of 6" in bar(app) and "to screen: 2 before, 2 after" in bar(app)
        await pilot.press("G")
        assert "Work #1 · 1 of 6" in bar(app) and "to screen: 0 before, 4 after" in bar(app)
        await pilot.press("i", "i", "G")  # works 1 and 2 decided: first undecided is 4
        assert "Work #4" in bar(app) and "to screen: 0 before, 2 after" in bar(app)

    drive(project, "alice", script)


def test_search_by_a_merged_records_number_finds_its_work(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store = project.open_store()
    merged = store.get_work(2).record
    store.set_groups([[2, 5]], {2: merged})  # record 5 is a duplicate of work 2
    store.close()

    async def script(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("slash", *"#5", "enter")
        await pilot.pause()
        assert "Work #2 · 2 of 5" in bar(app)

    drive(project, "alice", script)


def test_a_note_on_an_undecided_work_survives_quitting(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def write(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("n", *"check the partners", "enter", "q")

    async def back(pilot: Pilot[None], app: ScreeningApp) -> None:
        await pilot.press("G")
        assert "check the partners" in bar(app)
        await pilot.press("i")

    drive(project, "alice", write)
    drive(project, "alice", back)
    assert current(project) == {1: ("include", [], "check the partners")}
