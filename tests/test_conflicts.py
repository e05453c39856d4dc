"""Conflicts and resolutions: the core rules and the ``conflicts`` / ``resolve`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conflict_fixtures import EXC, INC, MAY, TA, Cli, decide, make_review

from screener.conflicts import ConflictSession, list_conflicts, resolve_conflict
from screener.errors import ScreenerError
from screener.models import Choice
from screener.outcome import Outcome, work_outcomes
from screener.project import Project
from screener.protocol import Policy, ReviewProtocol, load_protocol
from screener.store import Store


@pytest.fixture
def review(tmp_path: Path) -> tuple[Project, ReviewProtocol, Store, list[int]]:
    project = make_review(tmp_path)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    store = project.open_store()
    ids = store.work_ids()
    decide(store, ids[0], INC, INC)
    decide(store, ids[1], EXC, EXC, (["clinical"], ["clinical"]))
    decide(store, ids[2], INC, EXC, ([], ["not-health"]))
    decide(store, ids[3], MAY, INC)
    decide(store, ids[4], EXC)  # pending: ben has not screened it
    yield project, protocol, store, ids
    store.close()


def test_conflicts_are_disagreements_and_maybes_with_both_decisions(review) -> None:
    _, protocol, store, ids = review
    conflicts = list_conflicts(store, TA, protocol)
    assert [c.work_id for c in conflicts] == [ids[2], ids[3]]
    first = conflicts[0]
    assert [(d.reviewer, d.decision, d.reasons, d.note) for d in first.decisions] == [
        ("ana", INC, [], "ana's note"), ("ben", EXC, ["not-health"], "ben's note")]


def test_resolution_settles_the_conflict_and_leaves_reviewers_rows(review) -> None:
    _, protocol, store, ids = review
    before = store.decision_history(TA)
    res = resolve_conflict(store, protocol, ids[2], EXC, "lena", reasons=["not-health"],
                           note="setting is a school")
    assert (res.decision, res.resolved_by, res.reasons, res.note) == (
        EXC, "lena", ["not-health"], "setting is a school")
    assert res.time
    assert store.decision_history(TA) == before
    assert [c.work_id for c in list_conflicts(store, TA, protocol)] == [ids[3]]
    resolved = list_conflicts(store, TA, protocol, include_resolved=True)
    assert [c.resolved for c in resolved] == [True, False]
    assert work_outcomes(store, TA, Policy.TWO_INDEPENDENT)[ids[2]] is Outcome.EXCLUDED


def test_a_new_resolution_supersedes_the_last(review) -> None:
    _, protocol, store, ids = review
    resolve_conflict(store, protocol, ids[3], EXC, "lena", reasons=["clinical"])
    resolve_conflict(store, protocol, ids[3], INC, "lena")
    assert store.current_resolutions(TA)[ids[3]].decision is INC
    assert work_outcomes(store, TA, Policy.TWO_INDEPENDENT)[ids[3]] is Outcome.INCLUDED


@pytest.mark.parametrize(
    ("index", "decision", "reasons", "message"),
    [
        (0, INC, [], "not a conflict: the reviewers agree to include it"),
        (1, EXC, [], "not a conflict: the reviewers agree to exclude it"),
        (4, EXC, [], "is still pending"),
        (2, EXC, ["no-such"], "unknown title_abstract exclusion reason 'no-such'"),
        (2, INC, ["clinical"], "--reason goes with exclude only"),
        (2, MAY, [], "include or exclude, not maybe"),
    ],
)
def test_bad_resolutions_are_refused_and_nothing_is_stored(
    review, index: int, decision: Choice, reasons: list[str], message: str
) -> None:
    _, protocol, store, ids = review
    with pytest.raises(ScreenerError, match=message):
        resolve_conflict(store, protocol, ids[index], decision, "lena", reasons=reasons)
    assert store.current_resolutions(TA) == {}


def test_unknown_work_is_refused(review) -> None:
    _, protocol, store, _ = review
    with pytest.raises(ScreenerError, match="no work with id 999"):
        resolve_conflict(store, protocol, 999, INC, "lena")


def test_single_second_for_excludes_makes_a_conflict_of_a_rejected_exclusion(
    tmp_path: Path,
) -> None:
    project = make_review(tmp_path, n=3, policy="single-second-for-excludes")
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    store = project.open_store()
    a, b, c = store.work_ids()
    decide(store, a, INC)
    decide(store, b, EXC, INC, (["clinical"], []))
    decide(store, c, EXC)
    assert [x.work_id for x in list_conflicts(store, TA, protocol)] == [b]
    store.close()


def test_session_notes_are_saved_with_the_resolution_and_withdrawal_reopens(review) -> None:
    _, protocol, store, ids = review
    session = ConflictSession(store, "lena", TA, protocol)
    assert session.current is not None and session.current.work_id == ids[2]
    session.set_note("discussed on Monday")
    res = session.resolve(INC)
    assert res.note == "discussed on Monday"
    assert session.next_open() == 1
    session.set_note("agreed with both")  # a resolved conflict: re-recorded with the note
    assert store.current_resolutions(TA)[ids[2]].note == "agreed with both"
    assert session.withdraw()
    assert ids[2] not in store.current_resolutions(TA)


# --- CLI -------------------------------------------------------------------------------


def test_resolve_command_stores_the_resolution(review, run_cli: Cli) -> None:
    project, _, store, ids = review
    code, out, err = run_cli("resolve", str(ids[2]), "exclude", "--by", "lena",
                             "--reason", "clinical", "--note", "a trial", "--project",
                             str(project.root))
    assert (code, err) == (0, "")
    assert f"work {ids[2]}: resolved exclude (clinical) by lena" in out
    res = store.current_resolutions(TA)[ids[2]]
    assert (res.decision, res.reasons, res.note) == (EXC, ["clinical"], "a trial")


def test_resolve_command_errors_in_one_line(review, run_cli: Cli) -> None:
    project, _, store, ids = review
    code, out, err = run_cli("resolve", str(ids[0]), "include", "--by", "lena",
                             "--project", str(project.root))
    assert code == 1 and out == ""
    assert err == (f"screener: error: work {ids[0]} is not a conflict: the reviewers agree "
                   "to include it at title_abstract\n")
    assert store.current_resolutions(TA) == {}


def test_conflicts_list_and_json(review, run_cli: Cli) -> None:
    project, _, _, ids = review
    code, out, _ = run_cli("conflicts", "--list", "--project", str(project.root))
    assert code == 0
    assert out.startswith("2 open conflicts at title_abstract")
    assert f"work {ids[2]}: Hospital partnership study 2" in out
    assert "ben          exclude  [not-health]  note: ben's note" in out
    code, out, _ = run_cli("conflicts", "--json", "--project", str(project.root))
    data = json.loads(out)
    assert [c["work_id"] for c in data] == [ids[2], ids[3]]
    assert data[1]["decisions"][0] == {
        "reviewer": "ana", "decision": "maybe", "reasons": [], "note": "ana's note",
        "time": data[1]["decisions"][0]["time"]}


def test_conflicts_tui_needs_a_lead(review, run_cli: Cli) -> None:
    project, *_ = review
    code, _, err = run_cli("conflicts", "--project", str(project.root))
    assert code == 2 and "--reviewer LEAD" in err


@pytest.mark.parametrize("command", ["conflicts", "resolve", "agreement"])
def test_help(command: str, run_cli: Cli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli(command, "--help")
    assert exc.value.code == 0


def test_resolve_by_a_merged_records_number_resolves_its_work(tmp_path: Path, run_cli: Cli
                                                              ) -> None:
    project = make_review(tmp_path, n=3)
    store = project.open_store()
    a, b, _ = store.work_ids()
    store.set_groups([[a, b]], {a: store.get_work(a).record})  # record b merged into work a
    decide(store, a, INC, EXC, ([], ["clinical"]))
    code, out, err = run_cli("resolve", str(b), "include", "--by", "lena", "--project",
                             str(project.root))
    assert (code, err) == (0, "")
    assert out.startswith(f"work {a}: resolved include by lena")
    assert store.current_resolutions(TA)[a].decision is INC
