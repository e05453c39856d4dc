"""The app shell driven by Pilot: the home, its steps, blinding, keys, a new project."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from app_fixtures import Script, add_team, plain, press, settle, settle_until, text_of
from screening_fixtures import PROTOCOL, make_project
from textual.widgets import Input

from screener.cli import main
from screener.home import View
from screener.keymap import KEY_GROUPS
from screener.models import Stage
from screener.project import Project, find_project
from screener.tui.review_app import ReviewApp
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.screens.home_screen import HomeScreen


def drive(app: ReviewApp, script: Script, size: tuple[int, int] = (120, 40)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await script(pilot, app)

    asyncio.run(main())


def decisions(project: Project, reviewer: str, stage: Stage = Stage.TITLE_ABSTRACT
              ) -> dict[int, str]:
    store = project.open_store()
    try:
        return {d.work_id: d.decision.value for d in store.current_decisions(stage, reviewer)}
    finally:
        store.close()


def test_home_shows_the_stages_and_what_to_do_next(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    main(["decide", "--project", str(project.root), "1", "include", "--reviewer", "alice"])

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(app.screen, HomeScreen)
        text = text_of(app, "#home-dashboard")
        assert "Records 6 from 1 file · 6 works" in text and "Scopus 6" in text
        assert "database 6" in text
        ta = next(line for line in text.splitlines() if line.startswith("Title/abstract"))
        assert ta.split()[1:4] == ["6", "1", "5"]  # works, yours, left
        assert "Screen titles and abstracts: 5 works left for you." in text

    drive(ReviewApp(project, "alice"), script)


def test_each_step_opens_from_the_home_and_escape_comes_back(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    main(["decide", "--project", str(project.root), "1", "include", "--reviewer", "bob"])
    main(["decide", "--project", str(project.root), "1", "exclude", "--reviewer", "alice"])
    opened: dict[str, str] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        for key in ("i", "d", "s", "c", "a", "p", "x"):
            await press(pilot, key)
            opened[key] = type(app.screen).__name__
            await press(pilot, "escape")
            assert isinstance(app.screen, HomeScreen), key

    drive(ReviewApp(project, "alice"), script)
    assert opened == {"i": "ImportScreen", "d": "DedupScreen", "s": "ScreeningScreen",
                      "c": "ConflictsScreen", "a": "AgreementScreen",
                      "p": "PrismaExportScreen", "x": "ExportScreen"}


def test_a_decision_made_from_the_home_is_stored_and_counted(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "s", "i", "escape")
        text = text_of(app, "#home-dashboard")
        ta = next(line for line in text.splitlines() if line.startswith("Title/abstract"))
        assert ta.split()[1:4] == ["6", "1", "5"]

    drive(ReviewApp(project, "alice"), script)
    assert list(decisions(project, "alice").values()) == ["include"]


def test_switching_reviewer_screens_as_the_other(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "w", *(["backspace"] * 5), "b", "o", "b", "enter")
        assert app.reviewer == "bob"
        await press(pilot, "s", "e", "1", "enter")

    drive(ReviewApp(project, "alice"), script)
    assert decisions(project, "alice") == {}
    assert list(decisions(project, "bob").values()) == ["exclude"]


def test_a_blinded_reviewer_is_not_offered_conflicts_or_combined_counts(tmp_path: Path) -> None:
    project = add_team(make_project(tmp_path))
    main(["decide", "--project", str(project.root), "1", "include", "--reviewer", "bob"])
    main(["decide", "--project", str(project.root), "1", "exclude", "--reviewer", "alice"])
    seen: dict[str, object] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        seen["views"] = list(app.views)
        menu = plain(app.screen.query_one("#home-menu").render())  # type: ignore[arg-type]
        seen["menu"] = menu
        text = text_of(app, "#home-dashboard")
        seen["text"] = text
        for key in ("c", "a"):
            await press(pilot, key)
            assert isinstance(app.screen, HomeScreen), key
        await press(pilot, "p")  # PRISMA counts only alice's own decisions, and says so
        seen["prisma"] = text_of(app, "#prisma-notice")

    drive(ReviewApp(project, "alice"), script)
    assert View.CONFLICTS not in seen["views"] and View.SCREEN in seen["views"]  # type: ignore[operator]
    assert "blind" in str(seen["text"]) and "Agreement" not in str(seen["text"])
    assert "only alice's decisions" in str(seen["prisma"])
    ta = next(line for line in str(seen["text"]).splitlines() if line.startswith("Title/abs"))
    assert ta.split()[4:] == ["·", "·", "·"]  # conflicts, included, excluded hidden


def test_the_lead_sees_the_conflict_and_resolves_it(tmp_path: Path) -> None:
    project = add_team(make_project(tmp_path))
    main(["decide", "--project", str(project.root), "1", "include", "--reviewer", "bob"])
    main(["decide", "--project", str(project.root), "1", "exclude", "--reviewer", "alice"])

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        assert "Resolve 1 title/abstract conflict." in text_of(app, "#home-dashboard")
        await press(pilot, "c", "i", "escape")

    drive(ReviewApp(project, "lead"), script)
    store = project.open_store()
    try:
        resolutions = store.current_resolutions(Stage.TITLE_ABSTRACT)
    finally:
        store.close()
    assert list(resolutions) == [1]
    resolution = resolutions[1]
    assert resolution.decision.value == "include"
    assert resolution.resolved_by == "lead"


def test_help_lists_every_key_of_the_app(tmp_path: Path) -> None:
    project = make_project(tmp_path)

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {action.id for _, rows in app.screen.sections for action, _ in rows}
        assert ids == {k.id for _, group in KEY_GROUPS for k in group}
        for binding_id in ("open-screen", "dedup-confirm", "resolve-include", "prisma-export",
                           "import-file", "include", "home"):
            assert binding_id in ids

    drive(ReviewApp(project, "alice"), script)


def test_keys_are_remapped_through_the_keys_table(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path, keys={"open-screen": "o", "include": "y"}).root)

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "s")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "o", "y")

    drive(ReviewApp(project, "alice"), script)
    assert list(decisions(project, "alice").values()) == ["include"]


def test_outside_a_project_the_app_creates_one(tmp_path: Path) -> None:
    folder = tmp_path / "new-review"

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await pilot.click("#new-title")
        await press(pilot, *"Walking")
        await pilot.click("#protocol-file")
        app.screen.query_one("#new-protocol-file", Input).value = str(PROTOCOL)
        await pilot.click("#new-create")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Import your search results" in text_of(app, "#home-dashboard")

    drive(ReviewApp(None, "alice", folder=folder), script)
    project = find_project(folder)
    assert project.config.title == "Walking" and project.config.protocol == PROTOCOL.name


def test_new_project_with_the_starter_protocol(tmp_path: Path) -> None:
    folder = tmp_path / "starter"

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await pilot.click("#new-create")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

    drive(ReviewApp(None, "alice", folder=folder), script)
    protocol = find_project(folder).protocol_path
    assert protocol is not None and protocol.is_file()


@pytest.mark.parametrize("argv", [["open", "--help"], ["--help"]])
def test_open_is_a_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "open" in capsys.readouterr().out


def test_no_command_when_piped_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: screener" in capsys.readouterr().out


def test_on_postgresql_the_served_app_asks_for_the_database_login_first(
        tmp_path: Path, pg_server: Any) -> None:
    """A tab of ``screener serve`` logs in with the reviewer's database login; an unknown
    login is refused and the app stays on the login screen."""
    from urllib.parse import urlsplit

    from screener.project import init_project
    from screener.tui.screens.login_screen import LoginScreen

    url = pg_server.fresh_schema_url()
    project = init_project(tmp_path / "pg-review", title="On PostgreSQL", protocol=PROTOCOL,
                           database=url)
    user = urlsplit(url).username or ""
    seen: dict[str, str] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(app.screen, LoginScreen)
        app.screen.query_one("#login-name", Input).value = "nobody-here"
        await pilot.click("#login-go")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        seen["error"] = text_of(app, "#login-error")
        app.screen.query_one("#login-name", Input).value = user
        password = app.screen.query_one("#login-password", Input)
        password.value = urlsplit(url).password or ""
        # Enter in the password field, not a second click: a button ignores clicks for
        # 0.2 s after the last (its "active" effect), which made this test flaky.
        password.focus()
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert isinstance(app.screen, HomeScreen), text_of(app, "#login-error")
        seen["reviewer"] = app.reviewer

    drive(ReviewApp(find_project(project.root), "someone-else", login=True), script)
    assert "Not logged in" in seen["error"]
    assert seen["reviewer"] == user


def test_dedup_step_explains_a_work_and_shows_the_source_overlap(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    seen: dict[str, str] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "d", "o")
        seen["overlap"] = text_of(app, "#dedup-view")
        await press(pilot, "e")
        app.screen.query_one(Input).value = "#3"
        await press(pilot, "enter")
        seen["explain"] = text_of(app, "#dedup-view")

    drive(ReviewApp(project, "alice"), script)
    assert seen["overlap"].splitlines()[1].split() == ["Scopus", "6"]
    assert seen["explain"].startswith("work 3: 1 record")


def test_export_step_writes_what_screener_export_writes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    for work_id in ("1", "6"):
        for reviewer in ("alice", "bob"):
            main(["decide", "--project", str(project.root), work_id, "include",
                  "--reviewer", reviewer])
    seen: dict[str, str] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "x")
        app.screen.query_one("#export-file", Input).value = "from-app.ris"
        await pilot.click("#export-go")
        await settle(pilot)
        seen["status"] = text_of(app, "#export-status")

    drive(ReviewApp(project, "alice"), script)
    assert "Wrote 2 works (included at title_abstract)" in seen["status"]
    assert main(["export", "--project", str(project.root), "-o",
                 str(project.root / "from-cli.ris"), "--reviewer", "alice"]) == 0
    assert (project.root / "from-app.ris").read_text() == \
        (project.root / "from-cli.ris").read_text()


def test_import_previews_a_file_and_lists_its_warnings_with_file_and_line(
        tmp_path: Path) -> None:
    from conftest import ROOT
    from textual.widgets import DirectoryTree

    project = make_project(tmp_path)
    page = ROOT / "imports" / "page_pubmed.txt"
    seen: dict[str, str] = {}

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "i")
        folder = app.screen.query_one("#import-folder", Input)
        folder.value = str(page.parent)
        folder.focus()
        await press(pilot, "enter")
        tree = app.screen.query_one(DirectoryTree)
        for _ in range(100):
            nodes = [n for n in tree.root.children if n.data and n.data.path == page]
            if nodes:
                break
            await pilot.pause(0.05)
        tree.focus()
        tree.select_node(nodes[0])
        await settle(pilot)
        seen["preview"] = text_of(app, "#import-preview")
        await press(pilot, "ctrl+s")
        seen["status"] = text_of(app, "#import-status")

    drive(ReviewApp(project, "alice"), script)
    assert "page-pubmed" in seen["preview"] and "Source  PubMed" in seen["preview"]
    assert "page_pubmed.txt:1: page has no title" in seen["preview"]
    assert "Imported 1 record from page_pubmed.txt (source PubMed" in seen["status"]
    assert "1 warning: " in seen["status"]
    store = project.open_store()
    try:
        assert store.record_count() == 7
    finally:
        store.close()


def test_keys_table_remaps_the_duplicate_review_and_the_conflicts_too(tmp_path: Path) -> None:
    from app_fixtures import HAND_SEARCH

    project = find_project(make_project(
        tmp_path, keys={"dedup-confirm": "y", "resolve-include": "a"}).root)
    main(["import", "--project", str(project.root), str(HAND_SEARCH)])
    main(["dedup", "--project", str(project.root)])
    main(["decide", "--project", str(project.root), "1", "include", "--reviewer", "bob"])
    main(["decide", "--project", str(project.root), "1", "exclude", "--reviewer", "alice"])

    async def script(pilot, app: ReviewApp) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, "d", "v", "c")  # c no longer confirms
        await press(pilot, "y", "q", "escape", "c", "a")

    drive(ReviewApp(project, "alice"), script)
    store = project.open_store()
    try:
        assert [p.status for p in store.dedup_pairs() if p.decided_by] == ["confirmed"]
        assert store.current_resolutions(Stage.TITLE_ABSTRACT)[1].decision.value == "include"
    finally:
        store.close()
