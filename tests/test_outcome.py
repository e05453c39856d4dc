"""Combining reviewers' decisions into a work's outcome under each screening policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.importing import import_file
from screener.models import Choice, Decision, Stage
from screener.outcome import (
    Outcome,
    outcome_counts,
    outcome_of,
    stage_policy,
    work_outcomes,
)
from screener.project import Project
from screener.protocol import Policy, ReviewProtocol

INC, E, M = Choice.INCLUDE, Choice.EXCLUDE, Choice.MAYBE
TWO, SINGLE, SECOND = Policy.TWO_INDEPENDENT, Policy.SINGLE, Policy.SECOND_FOR_EXCLUDES


def _decisions(*choices: Choice) -> list[Decision]:
    return [
        Decision(id=n, work_id=1, reviewer=f"r{n}", stage=Stage.TITLE_ABSTRACT, decision=c,
                 time="2026-01-01T00:00:00")
        for n, c in enumerate(choices, start=1)
    ]


@pytest.mark.parametrize(
    ("policy", "choices", "outcome"),
    [
        (TWO, (), Outcome.PENDING),
        (TWO, (INC,), Outcome.PENDING),
        (TWO, (E,), Outcome.PENDING),
        (TWO, (M,), Outcome.PENDING),
        (TWO, (INC, INC), Outcome.INCLUDED),
        (TWO, (E, E), Outcome.EXCLUDED),
        (TWO, (INC, E), Outcome.CONFLICT),
        (TWO, (E, INC), Outcome.CONFLICT),
        (TWO, (INC, M), Outcome.CONFLICT),
        (TWO, (M, M), Outcome.CONFLICT),
        (TWO, (E, E, INC), Outcome.CONFLICT),
        (SINGLE, (), Outcome.PENDING),
        (SINGLE, (INC,), Outcome.INCLUDED),
        (SINGLE, (E,), Outcome.EXCLUDED),
        (SINGLE, (M,), Outcome.CONFLICT),
        (SINGLE, (INC, E), Outcome.CONFLICT),
        (SECOND, (INC,), Outcome.INCLUDED),
        (SECOND, (E,), Outcome.PENDING),
        (SECOND, (E, E), Outcome.EXCLUDED),
        (SECOND, (E, INC), Outcome.CONFLICT),
        (SECOND, (INC, E), Outcome.CONFLICT),
        (SECOND, (M,), Outcome.CONFLICT),
    ],
)
def test_reviewers_combine_under_the_policy(
    policy: Policy, choices: tuple[Choice, ...], outcome: Outcome
) -> None:
    assert outcome_of(_decisions(*choices), policy) is outcome


@pytest.mark.parametrize("policy", list(Policy))
@pytest.mark.parametrize("choices", [(INC, E), (M, M), (E,), ()])
def test_the_leads_resolution_decides(policy: Policy, choices: tuple[Choice, ...]) -> None:
    decisions = _decisions(*choices)
    assert outcome_of(decisions, policy, Choice.INCLUDE) is Outcome.INCLUDED
    assert outcome_of(decisions, policy, Choice.EXCLUDE) is Outcome.EXCLUDED


def test_policies_come_from_the_protocol_per_stage(protocol_model: ReviewProtocol) -> None:
    assert stage_policy(None, Stage.TITLE_ABSTRACT) is TWO
    assert stage_policy(protocol_model, Stage.TITLE_ABSTRACT) is TWO
    assert stage_policy(protocol_model, Stage.FULLTEXT) is SECOND


@pytest.fixture
def protocol_model() -> ReviewProtocol:
    return ReviewProtocol.model_validate({
        "review": {"title": "T", "question": "Q"},
        "criteria": {
            "inclusion": [{"id": "I1", "label": "Health", "description": "d"}],
            "exclusion": [{"id": "E1", "label": "Not health", "description": "d",
                           "reason": "not-health"}],
        },
        "screening": {"fulltext_policy": "single-second-for-excludes"},
    })


def test_work_outcomes_cover_every_work_and_keep_reviewers_rows(
    project: Project, tmp_path: Path
) -> None:
    ris = tmp_path / "w.ris"
    ris.write_text("".join(f"TY  - JOUR\nTI  - Work {i}\nER  - \n" for i in range(5)))
    store = project.open_store()
    import_file(store, ris)
    a, b, c, d, e = store.work_ids()
    ta = Stage.TITLE_ABSTRACT
    for reviewer in ("ana", "ben"):
        store.record_decision(a, reviewer, ta, INC)
        store.record_decision(b, reviewer, ta, E)
    store.record_decision(c, "ana", ta, INC)
    store.record_decision(c, "ben", ta, M)
    store.record_decision(d, "ana", ta, E)
    store.record_decision(e, "ana", ta, INC)
    store.record_decision(e, "ben", ta, E)
    store.record_resolution(e, ta, E, "lead")
    outcomes = work_outcomes(store, ta, TWO)
    assert outcomes == {
        a: Outcome.INCLUDED, b: Outcome.EXCLUDED, c: Outcome.CONFLICT, d: Outcome.PENDING,
        e: Outcome.EXCLUDED,
    }
    assert outcome_counts(outcomes) == {"included": 1, "excluded": 2, "conflict": 1, "pending": 1,
                                       "excluded_automatic": 0}
    # The resolution left the reviewers' own decisions as they were.
    assert [x.decision for x in store.current_decisions(ta) if x.work_id == e] == [INC, E]
    # An undo makes the work pending again; a withdrawn resolution restores the conflict.
    store.record_decision(a, "ben", ta, None)
    store.record_resolution(e, ta, None, "lead")
    outcomes = work_outcomes(store, ta, TWO)
    assert outcomes[a] is Outcome.PENDING and outcomes[e] is Outcome.CONFLICT
    store.close()
