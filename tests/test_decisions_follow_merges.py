"""Decisions follow their records when dedup merges works or an undo splits them again.

Records 1 and 2 are the same study imported twice; record 3 is another study. The
reviewers screen 1 and 2 as separate works before anyone confirms them as duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from screener.agreement_report import agreement_report
from screener.models import Choice, Retrieval, Stage
from screener.outcome import Outcome, work_outcomes
from screener.prisma import count_flow
from screener.project import Project, init_project
from screener.protocol import Policy, load_protocol
from screener.screening import screening_status
from screener.store import Store

PROTOCOL = Path(__file__).parent / "data" / "prisma" / "protocol-two-reviewers.toml"
TA = Stage.TITLE_ABSTRACT
RIS = """\
TY  - JOUR
TI  - Trust between hospitals and municipalities in care partnerships
AU  - Berg, Anna
PY  - 2019
ER  -

TY  - JOUR
TI  - Trust between hospitals and municipalities in care partnerships: a survey
AU  - Berg, A.
PY  - 2020
ER  -

TY  - JOUR
TI  - Governance of regional health alliances
AU  - Olsen, Per
PY  - 2021
ER  -
"""
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def review(tmp_path: Path, run_cli: Cli) -> Project:
    project = init_project(tmp_path / "review", title="Merges", protocol=PROTOCOL)
    (tmp_path / "a.ris").write_text(RIS, encoding="utf-8")
    code, _, err = run_cli("import", str(tmp_path / "a.ris"), "--source", "Scopus",
                           "--project", str(project.root))
    assert code == 0, err
    return project


def _store(project: Project) -> Store:
    return project.open_store()


def _dedup(run_cli: Cli, project: Project, *args: str) -> str:
    code, out, err = run_cli("dedup", "--project", str(project.root), *args, "--reviewer", "lead")
    assert code == 0, err
    return out


def _outcomes(store: Store) -> dict[int, Outcome]:
    return work_outcomes(store, TA, Policy.TWO_INDEPENDENT)


def test_merged_work_has_both_reviewers_decisions(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_decision(1, "ann", TA, Choice.EXCLUDE, ["off-topic"])
        store.record_decision(2, "bob", TA, Choice.EXCLUDE, ["off-topic"])
        assert _outcomes(store) == {1: Outcome.PENDING, 2: Outcome.PENDING, 3: Outcome.PENDING}
        assert agreement_report(store, TA, ("ann", "bob")).two.n == 0
    finally:
        store.close()

    out = _dedup(run_cli, review, "--confirm", "1", "2")
    assert "2 works with screening decisions were merged" in out

    store = _store(review)
    try:
        assert _outcomes(store) == {1: Outcome.EXCLUDED, 3: Outcome.PENDING}
        report = agreement_report(store, TA, ("ann", "bob"))
        assert (report.two.n, report.both_excluded, report.same_reasons) == (1, 1, 1)
        status = screening_status(store, Policy.TWO_INDEPENDENT)
        assert (status["works"], status["unscreened"], status["awaiting_second_reviewer"]) == (2, 1, 0)
        flow = count_flow(store, load_protocol(PROTOCOL))
        assert (flow.records_screened, flow.records_excluded) == (2, 1)
        assert [(r.code, r.n) for r in flow.records_excluded_reasons] == [("off-topic", 1)]
        assert [d.work_id for d in store.work_decisions(TA, 1)] == [1, 1]
    finally:
        store.close()


def test_same_reviewer_on_both_works_newest_decision_stands(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_decision(2, "ann", TA, Choice.EXCLUDE, ["not-study"])
        newest = store.record_decision(1, "ann", TA, Choice.INCLUDE)
        store.record_decision(3, "ann", TA, Choice.EXCLUDE)
        store.record_decision(2, "bob", TA, Choice.MAYBE)
        store.record_decision(1, "bob", TA, Choice.EXCLUDE, ["off-topic"])
    finally:
        store.close()
    _dedup(run_cli, review, "--confirm", "2", "1")

    store = _store(review)
    try:
        ann = [d for d in store.current_decisions(TA) if d.reviewer == "ann"]
        assert [(d.work_id, d.decision) for d in ann] == [(1, Choice.INCLUDE), (3, Choice.EXCLUDE)]
        assert ann[0].id == newest
        assert store.current_choices(TA, "bob") == {1: Choice.EXCLUDE}
        decision = store.current_decision(1, "bob", TA)
        assert decision is not None and decision.reasons == ["off-topic"]
        assert _outcomes(store)[1] is Outcome.CONFLICT
        assert store.decision_count(TA, "ann") == 2
        assert store.last_decided_work(TA, "bob") == 1
    finally:
        store.close()


def test_undoing_the_merge_gives_each_work_its_own_decisions(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_decision(1, "ann", TA, Choice.INCLUDE)
        store.record_decision(2, "ann", TA, Choice.EXCLUDE, ["off-topic"])
        store.record_decision(2, "bob", TA, Choice.EXCLUDE, ["off-topic"])
        history = store.decision_history()
    finally:
        store.close()
    _dedup(run_cli, review, "--confirm", "1", "2")
    _dedup(run_cli, review, "--undo", "1")

    store = _store(review)
    try:
        assert store.decision_history() == history
        assert store.current_choices(TA, "ann") == {1: Choice.INCLUDE, 2: Choice.EXCLUDE}
        assert [d.reviewer for d in store.work_decisions(TA, 2)] == ["ann", "bob"]
        assert _outcomes(store) == {1: Outcome.PENDING, 2: Outcome.EXCLUDED, 3: Outcome.PENDING}
        assert agreement_report(store, TA, ("ann", "bob")).two.n == 1
    finally:
        store.close()


def test_resolution_and_retrieval_follow_the_record(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_resolution(2, TA, Choice.INCLUDE, "lead")
        store.record_retrieval(2, Retrieval.RETRIEVED, "lead")
    finally:
        store.close()
    _dedup(run_cli, review, "--confirm", "1", "2")

    store = _store(review)
    try:
        assert list(store.current_resolutions(TA)) == [1]
        assert list(store.current_retrievals()) == [1]
        retrieval = store.current_retrieval(1)
        assert retrieval is not None and retrieval.status is Retrieval.RETRIEVED
        assert _outcomes(store)[1] is Outcome.INCLUDED
    finally:
        store.close()


def test_merging_unscreened_works_says_nothing_about_decisions(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_decision(3, "ann", TA, Choice.INCLUDE)
    finally:
        store.close()
    assert "screening decisions" not in _dedup(run_cli, review, "--confirm", "1", "2")
    summary = json.loads(_dedup(run_cli, review, "--json"))
    assert summary["screened_works_merged"] == 0


def test_decisions_moved_onto_an_unscreened_work_are_reported(review: Project, run_cli: Cli) -> None:
    store = _store(review)
    try:
        store.record_decision(2, "ann", TA, Choice.INCLUDE)
    finally:
        store.close()
    out = _dedup(run_cli, review, "--confirm", "1", "2")
    assert "1 work with screening decisions was merged" in out
    store = _store(review)
    try:
        assert store.current_choices(TA, "ann") == {1: Choice.INCLUDE}
    finally:
        store.close()


def test_review_screen_warns_when_a_confirm_merges_screened_works(
    project: Project, run_cli: Cli, tmp_path: Path
) -> None:
    import asyncio

    from test_dedup_review import RIS as QUEUED

    from screener.tui.dedup_review import DedupReviewApp

    (tmp_path / "q.ris").write_text(QUEUED, encoding="utf-8")
    run_cli("import", "--project", str(project.root), str(tmp_path / "q.ris"))
    assert '"review_queue": 2' in _dedup(run_cli, project, "--json")
    store = _store(project)
    shown: list[str] = []
    try:
        store.record_decision(1, "ann", TA, Choice.INCLUDE)
        store.record_decision(2, "bob", TA, Choice.EXCLUDE)
        app = DedupReviewApp(store, "lead")
        app.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]

        async def confirm_both() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("c", "c")
                await pilot.pause()

        asyncio.run(confirm_both())
        assert shown == ["2 works with screening decisions were merged; their decisions now "
                         "count for the merged work (see `screener conflicts`)"]
        assert store.current_choices(TA, "bob") == {1: Choice.EXCLUDE}
    finally:
        store.close()
