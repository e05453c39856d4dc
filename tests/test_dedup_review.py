"""The duplicate review screen: keys store decisions at once; differing fields are marked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from screener.dedup import DedupItem, find_duplicates
from screener.dedup.run import canonical_records
from screener.models import Author, Method, Record
from screener.project import Project
from screener.tui.dedup_review import DedupReviewApp, DedupReviewScreen, differing_fields

RIS = """TY  - JOUR
TI  - Effects of walking on blood pressure in older adults with hypertension
AU  - Lee, K.
PY  - 2019
ER  -
TY  - JOUR
TI  - Effect of walking on blood pressure in older adults with hypertension
PY  - 2019
ER  -
TY  - JOUR
TI  - Home visits by nurses after hospital discharge of frail older patients
AU  - Park, S.
PY  - 2018
ER  -
TY  - JOUR
TI  - Home visit by nurses after hospital discharge of frail older patients
PY  - 2018
ER  -
"""


@pytest.fixture
def queued(project: Project, run_cli, tmp_path: Path) -> Project:
    (tmp_path / "q.ris").write_text(RIS)
    run_cli("import", "--project", str(project.root), str(tmp_path / "q.ris"))
    code, out, _ = run_cli("dedup", "--project", str(project.root), "--json")
    assert '"review_queue": 2' in out
    return project


async def _press(app: DedupReviewApp, *keys: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        for key in keys:
            await pilot.press(key)
        await pilot.pause()


def test_confirm_then_reject_store_decisions_and_regroup(queued: Project) -> None:
    store = queued.open_store()
    try:
        asyncio.run(_press(DedupReviewApp(store, "ann"), "c", "r"))
        pairs = {(p.a, p.b): p for p in store.dedup_pairs()}
        assert pairs[(1, 2)].status == "confirmed" and pairs[(1, 2)].decided_by == "ann"
        assert pairs[(3, 4)].status == "rejected"
        assert store.work_of(2) == 1 and store.work_of(4) == 4
        assert store.dedup_pairs("review") == []
    finally:
        store.close()


def test_skip_leaves_the_pair_in_the_queue(queued: Project) -> None:
    store = queued.open_store()
    try:
        asyncio.run(_press(DedupReviewApp(store, "ann"), "s", "q"))
        assert len(store.dedup_pairs("review")) == 2
    finally:
        store.close()


def test_bindings_have_remappable_ids() -> None:
    ids = {b.id for b in DedupReviewScreen.BINDINGS if hasattr(b, "id")}
    assert {"dedup-confirm", "dedup-reject", "dedup-skip"} <= ids


def test_differing_fields_ignore_case_and_empty_sides() -> None:
    a = Record(title="Walking and blood pressure", year=2019, authors=[Author(family="Lee")])
    b = Record(title="WALKING AND BLOOD PRESSURE", year=2020)
    assert differing_fields(a, b) == {"year"}


def test_canonical_record_takes_title_from_a_doi_twin() -> None:
    items = [
        DedupItem(1, Record(doi="10.1186/s12913-024-10930-3", abstract="Background ...", incomplete=True)),
        DedupItem(2, Record(title="Partnerships in health care", doi="10.1186/s12913-024-10930-3", year=2024),
                  method=Method.CITATION),
    ]
    groups = find_duplicates(items).groups
    assert groups == [[1, 2]]
    work = canonical_records(groups, {i.id: i for i in items})[1]
    assert work.title == "Partnerships in health care"
    assert work.abstract == "Background ..." and work.year == 2024 and not work.incomplete


def test_question_mark_shows_the_keys(queued: Project) -> None:
    from screener.tui.screens.help_screen import HelpScreen

    async def go() -> None:
        store = queued.open_store()
        try:
            app = DedupReviewApp(store, "ann")
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.press("question_mark")
                await pilot.pause()
                assert isinstance(app.screen, HelpScreen)
                shown = {action.id: keys for action, keys in app.screen.keys}
                assert shown["dedup-confirm"] == "c" and shown["dedup-reject"] == "r"
                assert shown["dedup-help"] == "?"
                await pilot.press("escape")
                await pilot.pause()
                assert not isinstance(app.screen, HelpScreen)
        finally:
            store.close()

    asyncio.run(go())
