"""The lead's live agreement panel in the screening screen, and the pilot warning."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conflict_fixtures import EXC, INC, decide, make_review

from screener.agreement_report import live_agreement
from screener.models import Stage
from screener.protocol import load_protocol
from screener.screening import ScreeningSession
from screener.tui.app import ScreeningApp
from screener.tui.widgets.agreement_panel import AgreementPanel, agreement_text

TA = Stage.TITLE_ABSTRACT


def _project(tmp_path: Path, extra: str) -> tuple[Path, list[int]]:
    project = make_review(tmp_path, n=8)
    path = project.protocol_path
    assert path is not None
    path.write_text(path.read_text() + extra)
    store = project.open_store()
    ids = store.work_ids()
    for w in ids[:4]:
        decide(store, w, INC, INC)
    for w in ids[4:6]:
        decide(store, w, EXC, INC if w == ids[5] else EXC)
    store.close()
    return project.root, ids


async def _panel(app: ScreeningApp, press: str | None = None) -> tuple[str, bool]:
    """What the agreement panel shows (text, displayed) once its figures are computed."""
    async with app.run_test(size=(140, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if press:
            await pilot.press(press)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        panel = app.screen.query_one(AgreementPanel)
        return str(panel.render()), panel.display


def test_lead_sees_live_figures_that_follow_decisions(tmp_path: Path) -> None:
    root, ids = _project(tmp_path, 'lead = "ana"\n')
    from screener.project import find_project

    project = find_project(root)
    store = project.open_store()
    session = ScreeningSession.open(project, store, "ana", TA)
    text, shown = asyncio.run(_panel(ScreeningApp(session)))
    assert shown
    assert "ana vs ben · 6 works" in text
    assert "kappa 0.57" in text
    # ana includes work 7 (ben has not screened it): still 6 compared; ben then screens it.
    store.record_decision(ids[6], "ben", TA, INC)
    session.go_to(session.position_of(ids[6]) or 0)  # the queue is in ranked order
    text, shown = asyncio.run(_panel(ScreeningApp(session), press="i"))
    assert "ana vs ben · 7 works" in text
    store.close()


def test_blind_reviewer_sees_only_a_failed_pilot(tmp_path: Path) -> None:
    root, _ = _project(tmp_path, "pilot_size = 6\nkappa_threshold = 0.8\n")
    from screener.project import find_project

    project = find_project(root)
    store = project.open_store()
    session = ScreeningSession.open(project, store, "ben", TA)
    text, shown = asyncio.run(_panel(ScreeningApp(session)))
    assert shown
    assert text.startswith(
        "pilot NOT reached: kappa 0.57 < 0.8 on 6 works")
    assert "PABAK" not in text
    store.close()


def test_without_a_pilot_a_blind_reviewer_sees_no_panel(tmp_path: Path) -> None:
    root, _ = _project(tmp_path, "")
    from screener.project import find_project

    project = find_project(root)
    store = project.open_store()
    session = ScreeningSession.open(project, store, "ben", TA)
    text, shown = asyncio.run(_panel(ScreeningApp(session)))
    assert not shown
    store.close()


def test_panel_text_before_a_second_reviewer(tmp_path: Path) -> None:
    project = make_review(tmp_path, n=2)
    store = project.open_store()
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    text = agreement_text(live_agreement(store, TA, protocol), figures=True).plain
    assert text == ("Agreement\nagreement needs two reviewers' title_abstract decisions; "
                    "reviewers so far: none")
    store.close()
