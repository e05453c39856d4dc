"""The stopping rule: exact hypergeometric tails, when it fires, and ``screener simulate``."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from ranking_fixtures import write_labelled_csv
from scipy.stats import hypergeom

from screener.cli import main
from screener.ranking.replay import read_labelled, recall_at, simulate
from screener.ranking.stopping import estimate, hypergeom_cdf, p_missed_target


def test_hypergeometric_tail_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    total = rng.integers(5, 3000, 3000)
    good = (rng.random(3000) * total).astype(np.int64)
    draws = (rng.random(3000) * total).astype(np.int64)
    k = (rng.random(3000) * np.minimum(good, draws)).astype(np.int64)
    assert np.allclose(hypergeom_cdf(k, total, good, draws),
                       hypergeom.cdf(k, total, good, draws), rtol=1e-9, atol=1e-12)


def test_rule_fires_after_a_long_run_without_includes_and_not_before() -> None:
    # 40 includes read first, then excludes: the rule needs enough excludes in a row.
    labels = [1] * 40 + [0] * 2000
    assert p_missed_target(labels[:60], 2500, 0.95) > 0.05
    assert p_missed_target(labels[:1000], 2500, 0.95) > 0.05
    assert p_missed_target(labels, 2500, 0.95) < 0.05
    verdict = estimate(labels, 2500, 0.95, 0.95)
    assert verdict.safe_to_stop and verdict.recall_bound is not None
    assert verdict.recall_bound >= 0.95 and verdict.includes == 40
    assert not estimate(labels[:60], 2500, 0.95, 0.95).safe_to_stop
    assert estimate([0] * 10, 100, 0.95, 0.95).recall_bound is None


def test_in_random_order_the_rule_misses_its_target_rarely() -> None:
    """Random reading order is where the test is exact: recall at the stop falls short of
    the target in about 5 % of reviews at most."""
    misses = 0
    rng = random.Random(5)
    for _ in range(60):
        labels = [1] * 30 + [0] * 570
        rng.shuffle(labels)
        for read in range(20, len(labels), 10):
            if p_missed_target(labels[:read], len(labels), 0.9) < 0.05:
                misses += sum(labels[:read]) / 30 < 0.9
                break
    assert misses <= 6


def test_simulate_json_shape_and_stop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_labelled_csv(tmp_path / "set.csv", size=300, relevant=15)
    code = main(["simulate", str(path), "--seeds", "2", "--stop-recall", "0.95", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["seed"] for r in out["runs"]] == [1, 2]
    for run in out["runs"]:
        assert set(run) == {"seed", "order", "stopped_at", "wss95", "recall_at_10", "loss", "atd"}
        assert len(set(run["order"])) == len(run["order"]) <= 300
        assert run["stopped_at"] is not None and run["stopped_at"] < 300
    assert set(out["mean"]) == {"wss95", "recall_at_10", "loss", "atd", "stopped_at"}


def test_simulate_priors_come_first_and_follow_the_seed(tmp_path: Path) -> None:
    data = read_labelled(write_labelled_csv(tmp_path / "set.csv"))
    one = simulate(data, [7], prior_included=2, prior_excluded=3)["runs"][0]
    again = simulate(data, [7], prior_included=2, prior_excluded=3)["runs"][0]
    assert one["order"] == again["order"]
    priors = one["order"][:5]
    assert sorted(data.labels[i] for i in priors) == [0, 0, 0, 1, 1]
    assert one["stopped_at"] is None
    # Without a rule the replay ends when the last include is read.
    assert recall_at(one["order"], data.labels, len(one["order"])) == 1.0
    assert data.labels[one["order"][-1]] == 1


def test_simulate_text_output_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_labelled_csv(tmp_path / "set.csv", size=120, relevant=8)
    assert main(["simulate", str(path), "--stop-recall", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "WSS@95" in out and "mean" in out and "stop at" in out
    assert main(["simulate", str(path), "--label-column", "label_abstract_screening"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("screener: error: ") and f"{path}:1: no column" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("title,abstract,label_included\na,b,1\nc,d,yes\n", encoding="utf-8")
    assert main(["simulate", str(bad)]) == 1
    assert f"{bad}:3: label_included must be 0 or 1" in capsys.readouterr().err
    assert main(["simulate", str(path), "--stop-recall", "1.5"]) == 1


def test_simulate_takes_the_rule_from_the_projects_protocol(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from screening_fixtures import make_project

    project = make_project(tmp_path)
    assert project.protocol_path is not None
    text = project.protocol_path.read_text(encoding="utf-8")
    project.protocol_path.write_text(
        text.replace("[screening]\n", "[screening]\nstop_recall = 0.9\n", 1), encoding="utf-8")
    path = write_labelled_csv(tmp_path / "set.csv", size=200, relevant=10)
    assert main(["simulate", str(path), "--json", "--project", str(project.root)]) == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["stopped_at"] is not None
    assert main(["simulate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["stopped_at"] is None
