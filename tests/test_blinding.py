"""Blinding holds everywhere: a reviewer who is not a lead sees only their own decisions.

The strongest check is invariance: whatever bob decides (and however the lead resolves),
nothing alice can run or open changes. Each test also shows that the lead's view does
change, so the invariance is not an empty output.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from screening_fixtures import make_project
from textual.widgets import Static

from screener.blinding import open_as
from screener.models import Choice, Stage
from screener.project import Project
from screener.screening import ScreeningSession
from screener.tui.app import ScreeningApp

Cli = Callable[..., tuple[int, str, str]]
TA = Stage.TITLE_ABSTRACT

# Every read command and its flags; each is run as alice (via $SCREENER_REVIEWER).
READS: dict[str, list[str]] = {
    "status": ["status", "--json"],
    "status-text": ["status"],
    "decisions": ["decisions"],
    "decisions-history": ["decisions", "--history", "--format", "csv"],
    "conflicts-list": ["conflicts", "--list", "--all"],
    "conflicts-json": ["conflicts", "--json", "--all"],
    "export-included": ["export", "--what", "included", "--format", "csv", "-o", "-"],
    "export-excluded": ["export", "--what", "excluded", "--format", "csv", "-o", "-"],
    "export-log": ["export", "--log", "-o", "-"],
    "prisma": ["prisma"],
    "prisma-ta-reasons": ["prisma", "--ta-reasons"],
}


@pytest.fixture
def team(tmp_path: Path, run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Six works; lena leads, alice and bob screen. Alice has decided 1-4."""
    project = make_project(tmp_path)
    monkeypatch.setenv("SCREENER_PROJECT", str(project.root))
    assert run_cli("reviewer", "add", "lena", "--role", "lead")[0] == 0
    assert run_cli("reviewer", "add", "alice")[0] == 0
    assert run_cli("reviewer", "add", "bob")[0] == 0
    for work, choice, *reason in [(1, "include"), (2, "exclude", "not-health"), (3, "include"),
                                  (4, "maybe")]:
        extra = ["--reason", reason[0]] if reason else []
        assert run_cli("decide", str(work), choice, "--reviewer", "alice", *extra)[0] == 0
    return project


def _bob_decides(run_cli: Cli, round_: int) -> None:
    """Bob's decisions, different in each round, and a resolution by the lead."""
    if round_ == 1:
        plan = [(1, "exclude"), (2, "exclude"), (3, "include"), (5, "include")]
    else:
        plan = [(1, "include"), (2, "include"), (3, "exclude"), (4, "maybe"), (5, "exclude"),
                (6, "exclude")]
    for work, choice in plan:
        assert run_cli("decide", str(work), choice, "--reviewer", "bob")[0] == 0
    code, _, err = run_cli("resolve", "3", "exclude", "--by", "lena")
    assert code == 0 or "not a conflict" in err


def _outputs(run_cli: Cli) -> dict[str, tuple[int, str]]:
    return {name: run_cli(*argv)[:2] for name, argv in READS.items()}


def test_nothing_alice_runs_depends_on_bobs_decisions(
    team: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    _bob_decides(run_cli, 1)
    first = _outputs(run_cli)
    monkeypatch.setenv("SCREENER_REVIEWER", "lena")
    lead_first = _outputs(run_cli)
    _bob_decides(run_cli, 2)
    lead_second = _outputs(run_cli)
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    second = _outputs(run_cli)
    for name in READS:
        assert second[name] == first[name], name
        assert "bob" not in first[name][1], name
    # The lead's figures do move with bob's decisions: the invariance above is not vacuous.
    changed = [n for n in READS if lead_first[n] != lead_second[n]]
    assert {"status", "decisions", "conflicts-json", "export-log", "prisma"} <= set(changed)
    assert "bob" in lead_second["decisions"][1]


def test_alice_sees_her_own_decisions_and_is_told_about_blinding(
    team: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bob_decides(run_cli, 1)
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    code, out, err = run_cli("decisions")
    assert code == 0
    assert [(d["work_id"], d["reviewer"]) for d in json.loads(out)] == [
        (1, "alice"), (2, "alice"), (3, "alice"), (4, "alice")]
    assert "blinded: title_abstract shows only alice's decisions" in err
    code, out, err = run_cli("status", "--json")
    status = json.loads(out)
    assert list(status["screening"]["reviewers"]) == ["alice"]
    assert status["blinded"] == {"reviewer": "alice", "own_decisions_only": ["title_abstract"]}
    # The full-text stage is single-second-for-excludes: not blinded by default.
    assert "fulltext" not in err


def test_agreement_is_the_leads_while_blinded(
    team: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bob_decides(run_cli, 1)
    code, _, err = run_cli("agreement", "--reviewer", "alice")
    assert code == 1 and "agreement at title_abstract is the lead's while the stage is blinded" in err
    code, out, _ = run_cli("agreement", "--reviewer", "lena", "--json")
    assert code == 0 and json.loads(out)["reviewers"] == ["alice", "bob"]


def test_lead_unblinds_for_everyone_and_only_a_lead_may(
    team: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _bob_decides(run_cli, 1)
    code, _, err = run_cli("unblind", "--stage", "title_abstract", "--reviewer", "alice")
    assert code == 1 and "alice is not a lead" in err
    code, out, _ = run_cli("unblind", "--stage", "title_abstract", "--reviewer", "lena")
    assert code == 0 and out == "title_abstract: unblinded by lena; every reviewer now sees all decisions\n"
    assert run_cli("unblind", "--stage", "title_abstract", "--reviewer", "lena")[1] == (
        "title_abstract: already unblinded\n")
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    code, out, err = run_cli("decisions")
    assert {d["reviewer"] for d in json.loads(out)} == {"alice", "bob"} and "blinded" not in err
    assert run_cli("agreement")[0] == 0
    code, out, _ = run_cli("conflicts", "--list")
    assert "bob" in out


def test_blind_false_in_the_protocol_shows_everything(
    team: Project, run_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    protocol = team.root / team.config.protocol  # type: ignore[operator]
    protocol.write_text(protocol.read_text().replace(
        'policy = "two-independent"', 'policy = "two-independent"\nblind = false'))
    _bob_decides(run_cli, 1)
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    code, out, err = run_cli("decisions")
    assert {d["reviewer"] for d in json.loads(out)} == {"alice", "bob"} and err == ""


def test_without_a_roster_nothing_is_hidden(tmp_path: Path, run_cli: Cli,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    monkeypatch.setenv("SCREENER_PROJECT", str(project.root))
    run_cli("decide", "1", "include", "--reviewer", "alice")
    run_cli("decide", "1", "exclude", "--reviewer", "bob")
    code, out, err = run_cli("decisions", "--reviewer", "alice")
    assert [d["reviewer"] for d in json.loads(out)] == ["alice"]  # the filter, as before
    monkeypatch.setenv("SCREENER_REVIEWER", "alice")
    code, out, err = run_cli("conflicts", "--list")
    assert "bob" in out and err == ""


def test_alice_still_records_and_resumes_through_the_restricted_store(
    team: Project, run_cli: Cli
) -> None:
    _bob_decides(run_cli, 1)
    store, view = open_as(team, "alice")
    try:
        assert view.own_only(TA) and not view.lead
        session = ScreeningSession.open(team, store, view.reviewer, TA, view)
        assert session.current_id == 5  # after her last decision (work 4)
        d = session.decide(Choice.EXCLUDE, ["not-health"])
        assert (d.work_id, d.reviewer) == (5, "alice")
        assert {x.reviewer for x in store.current_decisions(TA)} == {"alice"}
    finally:
        store.close()
    lead_store, _ = open_as(team, "lena")
    try:
        assert {(x.work_id, x.reviewer) for x in lead_store.current_decisions(TA)} >= {
            (5, "alice"), (5, "bob")}
    finally:
        lead_store.close()


def _screening_tui(project: Project, reviewer: str) -> tuple[str, str, bool, str]:
    """Open the screening app as ``reviewer`` (as ``screener screen`` does), press ``p``:
    the header subtitle, the PRISMA notice, whether the agreement panel shows, and the
    PRISMA text."""
    from screener.tui.app import ScreeningApp
    from screener.tui.prisma_screen import PrismaScreen

    store, view = open_as(project, reviewer)
    session = ScreeningSession.open(project, store, view.reviewer, TA, view)
    app = ScreeningApp(session)
    result: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=(120, 50)) as pilot:
            await pilot.pause(0.3)
            result["panel"] = bool(app.screen.query_one("#agreement").display)
            await pilot.press("p")
            await pilot.pause(0.5)
            assert isinstance(app.screen, PrismaScreen)
            notices = app.screen.query("#prisma-notice")
            result["notice"] = str(notices.first(Static).render()) if notices else ""
            result["prisma"] = str(app.screen.query_one("#prisma-view", Static).render())
            await pilot.press("escape")

    try:
        asyncio.run(scenario())
    finally:
        store.close()
    return app.sub_title, str(result["notice"]), bool(result["panel"]), str(result["prisma"])


def test_screening_tui_and_its_prisma_screen_are_blind(team: Project, run_cli: Cli) -> None:
    _bob_decides(run_cli, 1)
    sub, notice, panel, prisma = _screening_tui(team, "alice")
    assert sub.endswith("· blinded")
    assert "Blinded: counts use only alice's decisions at title_abstract" in notice
    assert not panel
    _bob_decides(run_cli, 2)
    assert _screening_tui(team, "alice")[3] == prisma
    # The lead's PRISMA screen counts everyone and moves with bob's decisions.
    lead_sub, lead_notice, _, lead_prisma = _screening_tui(team, "lena")
    assert "blinded" not in lead_sub and lead_notice == ""
    assert lead_prisma != prisma


def test_prisma_tui_command_is_blind(team: Project, run_cli: Cli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``screener prisma --tui`` as alice: PrismaApp gets the restricted store and notice."""
    from screener.tui import prisma_screen

    seen: dict[str, object] = {}

    class Recorder(prisma_screen.PrismaApp):
        def run(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            from screener.prisma.counting import count_flow
            seen["flow"] = count_flow(self.store, self.protocol).model_dump()
            seen["notice"] = self.notice

    monkeypatch.setattr(prisma_screen, "PrismaApp", Recorder)
    _bob_decides(run_cli, 1)
    assert run_cli("prisma", "--tui", "--reviewer", "alice")[0] == 0
    assert "alice's decisions" in str(seen["notice"])
    alice_flow = seen["flow"]
    assert run_cli("prisma", "--tui", "--reviewer", "lena")[0] == 0
    assert seen["notice"] is None and seen["flow"] != alice_flow


def test_conflicts_screen_is_refused_to_a_reviewer(team: Project, run_cli: Cli) -> None:
    _bob_decides(run_cli, 1)
    code, _, err = run_cli("conflicts", "--reviewer", "alice")
    assert code == 1 and "alice is not a lead: only the lead (lena) may resolve conflicts" in err


def test_a_lead_by_role_sees_the_live_agreement_panel(team: Project, run_cli: Cli) -> None:
    """The panel's figures follow the roster role (the protocol names no lead here)."""
    from screener.tui.widgets.agreement_panel import AgreementPanel

    _bob_decides(run_cli, 1)
    store, view = open_as(team, "lena")
    session = ScreeningSession.open(team, store, view.reviewer, TA, view)
    app = ScreeningApp(session)

    async def scenario() -> tuple[str, bool]:
        async with app.run_test(size=(140, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            panel = app.screen.query_one(AgreementPanel)
            return str(panel.render()), bool(panel.display)

    try:
        text, shown = asyncio.run(scenario())
    finally:
        store.close()
    assert shown and "alice" in text and "bob" in text


def test_simulated_demo_puts_its_team_on_the_roster(run_cli: Cli, tmp_path: Path) -> None:
    """``screener demo --simulate``: ana and ben screen, carla leads; ana is blinded."""
    from conftest import ROOT

    if not (ROOT / "imports").is_dir():
        pytest.skip("the bundled example imports/ folder is absent")
    code, out, err = run_cli("demo", str(tmp_path / "demo"), "--no-tui", "--simulate")
    assert code == 0, err
    assert f"screener prisma --project {tmp_path / 'demo'} --reviewer carla" in out
    root = str(tmp_path / "demo")
    code, out, _ = run_cli("reviewer", "list", "--json", "--project", root)
    assert {r["name"]: r["role"] for r in json.loads(out)} == {
        "ana": "reviewer", "ben": "reviewer", "carla": "lead"}
    code, out, err = run_cli("decisions", "--project", root, "--reviewer", "ana")
    assert {d["reviewer"] for d in json.loads(out)} == {"ana"}
    code, out, err = run_cli("status", "--json", "--project", root, "--reviewer", "ana")
    assert list(json.loads(out)["screening"]["reviewers"]) == ["ana"]
    code, out, err = run_cli("status", "--json", "--project", root, "--reviewer", "carla")
    assert list(json.loads(out)["screening"]["reviewers"]) == ["ana", "ben"]


def test_full_text_queue_waits_for_title_abstract_unblinding(
    team: Project, run_cli: Cli
) -> None:
    _bob_decides(run_cli, 1)  # both include work 3: in the full-text queue, for the lead
    code, _, err = run_cli("screen", "--stage", "fulltext", "--reviewer", "alice")
    assert code == 1 and "title/abstract is blinded for you" in err
