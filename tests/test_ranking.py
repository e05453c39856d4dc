"""Ranked screening core: the model beats random order, blinding, order switching."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from ranking_fixtures import add_labelled_works, write_labelled_csv
from screening_fixtures import make_project

from screener.models import Choice, Stage
from screener.protocol import QueueOrder
from screener.ranking.order import reviewer_order, shuffled
from screener.ranking.ranker import Ranker
from screener.ranking.replay import measures, read_labelled, simulate
from screener.screening import ScreeningSession


def test_ranking_beats_random_order_on_a_separable_set(tmp_path: Path) -> None:
    data = read_labelled(write_labelled_csv(tmp_path / "set.csv", size=300, relevant=15))
    ranked = simulate(data, [1, 2, 3])["mean"]
    rng = random.Random(0)
    shuffles = []
    for _ in range(20):
        order = list(range(len(data.labels)))
        rng.shuffle(order)
        shuffles.append(measures(order, data.labels))
    random_wss = sum(m["wss95"] for m in shuffles) / len(shuffles)
    random_loss = sum(m["loss"] for m in shuffles) / len(shuffles)
    assert ranked["wss95"] > 0.6 > random_wss + 0.3
    assert ranked["loss"] < 0.1 < random_loss


def test_measures_of_the_ideal_and_the_worst_order() -> None:
    labels = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    best = measures([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], labels)
    worst = measures([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], labels)
    assert best["loss"] == 0.0 and worst["loss"] == 1.0
    assert best["records_to_95"] == 2 and worst["records_to_95"] == 10
    assert best["wss95"] == round(8 / 10 - 0.05, 4)
    assert best["recall_at_10"] == 0.5 and worst["recall_at_10"] == 0.0
    assert best["atd"] == 0.05


def test_random_order_is_per_reviewer_and_stable() -> None:
    ids = list(range(1, 201))
    alice, bob = shuffled(ids, "alice"), shuffled(ids, "bob")
    assert alice == shuffled(ids, "alice") and sorted(alice) == ids
    assert alice != bob and alice != ids
    # A work added later does not move the others.
    assert [w for w in shuffled([*ids, 500], "alice") if w != 500] == alice


def test_ranked_queue_starts_with_the_works_already_decided() -> None:
    order = reviewer_order(list(range(1, 51)), QueueOrder.RANKED, "alice", {7, 30})
    assert set(order[:2]) == {7, 30} and sorted(order) == list(range(1, 51))
    assert reviewer_order([3, 1, 2], QueueOrder.IMPORT, "alice", set()) == [3, 1, 2]


def _decide_truth(session: ScreeningSession, truth: dict[int, int], count: int) -> None:
    for work_id in session.order[:count]:
        session.decide(Choice.INCLUDE if truth.get(work_id) else Choice.EXCLUDE, work_id=work_id)


def test_a_reviewers_ranking_never_depends_on_another_reviewers_decisions(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    truth = add_labelled_works(project)
    store = project.open_store()
    try:
        alice = ScreeningSession.open(project, store, "alice", Stage.TITLE_ABSTRACT)
        _decide_truth(alice, truth, 30)
        ranker = Ranker(store.location, alice.order, in_process=True)
        before = ranker.rank(alice.training_labels())
        order_before = ScreeningSession.open(project, store, "alice", Stage.TITLE_ABSTRACT).order
        # Bob decides every work, the opposite way of the truth.
        bob = ScreeningSession.open(project, store, "bob", Stage.TITLE_ABSTRACT)
        for work_id in bob.order:
            bob.decide(Choice.EXCLUDE if truth.get(work_id) else Choice.INCLUDE, work_id=work_id)
        again = ScreeningSession.open(project, store, "alice", Stage.TITLE_ABSTRACT)
        assert again.training_labels() == alice.training_labels()
        assert again.order == order_before
        after = Ranker(store.location, again.order, in_process=True).rank(again.training_labels())
        assert before is not None and after is not None
        assert after.order == before.order
    finally:
        store.close()


def test_ranking_reorders_only_the_undecided_works_ahead(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    truth = add_labelled_works(project)
    store = project.open_store()
    try:
        s = ScreeningSession.open(project, store, "alice", Stage.TITLE_ABSTRACT)
        assert s.order_mode is QueueOrder.RANKED
        _decide_truth(s, truth, 20)
        s.go_to(20)
        passed = s.order[:21]
        ranking = Ranker(store.location, s.order, in_process=True).rank(s.training_labels())
        assert ranking is not None
        s.apply_ranking(ranking)
        assert s.order[:21] == passed and sorted(s.order) == sorted(passed + s.order[21:])
        ahead = s.order[21:41]
        # The next twenty works are mostly includes: the model learnt from 20 decisions.
        unseen_includes = sum(truth.get(w, 0) for w in s.order[21:])
        assert sum(truth.get(w, 0) for w in ahead) >= min(8, unseen_includes)
        assert s.relevance(ahead[0]) == max(
            v for w, v in ranking.relevance.items() if w in set(s.order[21:]))
        # Switching to random keeps what was passed, and back to ranked restores the model.
        s.set_order(QueueOrder.RANDOM)
        assert s.order[:21] == passed and s.order[21:41] != ahead
        s.set_order(QueueOrder.RANKED)
        assert s.order[21:41] == ahead
    finally:
        store.close()


def test_maybe_counts_as_include_for_training(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    store = project.open_store()
    try:
        s = ScreeningSession.open(project, store, "alice", Stage.TITLE_ABSTRACT)
        first, second = s.order[0], s.order[1]
        s.decide(Choice.MAYBE, work_id=first)
        s.decide(Choice.EXCLUDE, work_id=second)
        assert s.training_labels() == {first: True, second: False}
    finally:
        store.close()


def test_ranker_child_process_answers_like_in_process(tmp_path: Path) -> None:
    project = make_project(tmp_path, order="ranked")
    truth = add_labelled_works(project, size=60, relevant=6)
    store = project.open_store()
    try:
        ids = store.work_ids()
        labels = {w: bool(truth.get(w, 0)) for w in ids[:30]}
        child = Ranker(store.location, ids)
        try:
            assert child.rank({ids[0]: True}) is None
            far = child.rank(labels)
        finally:
            child.close()
        near = Ranker(store.location, ids, in_process=True).rank(labels)
        assert far is not None and near is not None
        assert far.order == near.order and far.trained_on == 30
        assert np.isclose(far.relevance[far.order[0]], 1.0)
    finally:
        store.close()
