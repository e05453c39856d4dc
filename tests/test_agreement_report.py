"""Agreement of a project's two reviewers: tables, pilot rounds, reasons, CLI and status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conflict_fixtures import EXC, INC, MAY, PROTOCOL, TA, Cli, decide, make_review

from screener.agreement_report import agreement_report, choose_reviewers, pilot_status
from screener.errors import ScreenerError
from screener.models import Stage
from screener.project import Project
from screener.protocol import load_protocol
from screener.store import Store

KEYS = [
    "n", "table", "percent_agreement", "expected_agreement", "cohen_kappa", "kappa_se",
    "kappa_ci_low", "kappa_ci_high", "kappa_se0", "kappa_z", "kappa_max", "pabak",
    "prevalence_index", "bias_index", "positive_agreement", "negative_agreement", "scott_pi",
    "gwet_ac1", "gwet_ac1_se", "gwet_ac1_ci_low", "gwet_ac1_ci_high", "krippendorff_alpha",
]


@pytest.fixture
def screened(tmp_path: Path) -> tuple[Project, Store, list[int]]:
    """Ten works: 3 both include, 3 both exclude, and every kind of disagreement."""
    project = make_review(tmp_path, n=12)
    store = project.open_store()
    ids = store.work_ids()
    plan = [
        (INC, INC), (INC, INC), (INC, INC),
        (EXC, EXC), (EXC, EXC), (EXC, EXC),
        (INC, EXC), (EXC, MAY), (MAY, INC), (MAY, MAY),
    ]
    reasons = [(["clinical"], ["clinical"]), (["not-health"], ["clinical"]), ([], [])]
    for i, (a, b) in enumerate(plan):
        why = reasons[i - 3] if 3 <= i < 6 else ([], [])
        decide(store, ids[i], a, b, why)
    decide(store, ids[10], INC)  # one reviewer only: not compared
    yield project, store, ids
    store.close()


def test_tables_count_maybe_with_include_in_the_2x2(screened) -> None:
    _, store, _ = screened
    report = agreement_report(store, TA, ("ana", "ben"))
    # rows ana, columns ben: include, exclude, maybe
    assert report.three.table == [[3, 1, 0], [0, 3, 1], [1, 0, 1]]
    # include-or-maybe vs exclude
    assert report.two.table == [[5, 1], [1, 3]]
    assert report.two.n == report.three.n == 10
    assert report.two.percent_agreement == pytest.approx(0.8)
    assert report.two.cohen_kappa == pytest.approx((0.8 - 0.52) / 0.48)


def test_undone_decision_leaves_the_comparison(screened) -> None:
    _, store, ids = screened
    store.record_decision(ids[0], "ben", TA, None)
    assert agreement_report(store, TA, ("ana", "ben")).two.n == 9


def test_pilot_round_uses_each_reviewers_first_decisions(screened) -> None:
    _, store, ids = screened
    report = agreement_report(store, TA, ("ana", "ben"), first=4)
    assert report.first == 4 and report.two.n == 4
    assert report.two.table == [[3, 0], [0, 1]]
    # A later change of a pilot work's decision keeps it in the pilot (its first row counts).
    store.record_decision(ids[0], "ben", TA, EXC, ["clinical"])
    assert agreement_report(store, TA, ("ana", "ben"), first=4).two.table == [[2, 1], [0, 1]]
    with pytest.raises(ScreenerError, match="positive number"):
        agreement_report(store, TA, ("ana", "ben"), first=0)


def test_reasons_are_compared_where_both_excluded(screened) -> None:
    project, store, _ = screened
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    report = agreement_report(store, TA, ("ana", "ben"), protocol=protocol)
    assert report.both_excluded == 3 and report.same_reasons == 2
    rows = {r.reason: r for r in report.by_reason}
    assert list(rows) == ["not-health", "clinical", "unspecified"]
    assert (rows["clinical"].by_a, rows["clinical"].by_b, rows["clinical"].both) == (1, 2, 1)
    assert rows["clinical"].specific_agreement == pytest.approx(2 / 3)
    assert rows["not-health"].specific_agreement == 0.0
    assert (rows["unspecified"].both, rows["unspecified"].label) == (1, "no reason given")


def test_reviewers_are_chosen_or_asked_for(screened, tmp_path: Path) -> None:
    _, store, ids = screened
    assert choose_reviewers(store, TA, None) == ("ana", "ben")
    assert choose_reviewers(store, TA, ["ben", "ana"]) == ("ben", "ana")
    with pytest.raises(ScreenerError, match="no title_abstract decisions by zoe"):
        choose_reviewers(store, TA, ["ana", "zoe"])
    with pytest.raises(ScreenerError, match="two different names"):
        choose_reviewers(store, TA, ["ana", "ana"])
    store.record_decision(ids[0], "cem", TA, INC)
    with pytest.raises(ScreenerError, match=r"3 reviewers \(ana, ben, cem\): choose two"):
        choose_reviewers(store, TA, None)


def test_agreement_json_has_every_key_and_no_nan(screened, run_cli: Cli) -> None:
    project, _, _ = screened
    code, out, err = run_cli("agreement", "--json", "--project", str(project.root))
    assert (code, err) == (0, "")
    data = json.loads(out)
    for key in KEYS:
        assert key in data and key in data["three_category"], key
    assert data["reviewers"] == ["ana", "ben"]
    assert data["note"] == "maybe counts with include, i.e. as not excluded"
    assert data["table"] == [[5, 1], [1, 3]]
    assert data["three_category"]["table"] == [[3, 1, 0], [0, 3, 1], [1, 0, 1]]
    assert data["three_category"]["prevalence_index"] is None
    assert data["three_category"]["specific_agreement"]["maybe"] == pytest.approx(0.5)
    json.dumps(data, allow_nan=False)


def test_undefined_figures_are_null_with_a_message(tmp_path: Path, run_cli: Cli) -> None:
    project = make_review(tmp_path, n=3)
    store = project.open_store()
    for w in store.work_ids():
        decide(store, w, INC, INC)
    store.close()
    code, out, _ = run_cli("agreement", "--json", "--project", str(project.root))
    data = json.loads(out)
    assert code == 0 and data["percent_agreement"] == 1.0 and data["cohen_kappa"] is None
    assert any("expected agreement 1" in m for m in data["messages"])
    code, out, _ = run_cli("agreement", "--project", str(project.root))
    assert "Cohen's kappa" in out and "n/a" in out
    assert "note: Cohen's kappa undefined" in out


def test_agreement_text_report(screened, run_cli: Cli) -> None:
    project, _, _ = screened
    code, out, _ = run_cli("agreement", "--project", str(project.root))
    assert code == 0
    assert out.startswith("Agreement at title/abstract: ana (rows) vs ben (columns); "
                          "10 works screened by both")
    assert "2x2 include vs exclude (maybe counts with include, i.e. as not excluded):" in out
    assert "kappa 0.58: moderate agreement (Landis & Koch)" in out
    assert "Exclusion reasons where both excluded (3 works; same reasons on 2, 67%):" in out
    code, out, _ = run_cli("agreement", "--first", "4", "--project", str(project.root))
    assert "pilot round: each reviewer's first 4 decisions, 4 works screened by both" in out


def test_agreement_without_two_reviewers_is_a_one_line_error(
    tmp_path: Path, run_cli: Cli
) -> None:
    project = make_review(tmp_path, n=2)
    code, out, err = run_cli("agreement", "--project", str(project.root))
    assert code == 1 and out == ""
    assert err == ("screener: error: agreement needs two reviewers' title_abstract decisions; "
                   "reviewers so far: none\n")


def _with_pilot(project: Project, size: int, threshold: float) -> None:
    path = project.protocol_path
    assert path is not None
    text = PROTOCOL.replace("{policy}", "two-independent")
    path.write_text(f"{text}pilot_size = {size}\nkappa_threshold = {threshold}\n")


def test_pilot_status_in_progress_reached_and_not_reached(
    screened, run_cli: Cli
) -> None:
    project, store, _ = screened
    _with_pilot(project, 20, 0.6)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    pilot = pilot_status(store, protocol)
    assert pilot is not None and not pilot.complete and not pilot.reached
    assert pilot.message == "pilot of 20: in progress (10 compared so far)"
    _with_pilot(project, 6, 0.6)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    pilot = pilot_status(store, protocol)
    assert pilot is not None and pilot.complete and pilot.reached and pilot.kappa == 1.0
    _with_pilot(project, 10, 0.7)
    code, out, _ = run_cli("status", "--project", str(project.root))
    assert "pilot NOT reached: kappa 0.58 < 0.7 on 10 works; discuss, refine the criteria" in out
    assert "title/abstract outcomes: included 3, excluded 3, conflicts 4, pending 2" in out
    code, out, _ = run_cli("status", "--json", "--project", str(project.root))
    data = json.loads(out)
    assert data["outcomes"] == {"included": 3, "excluded": 3, "conflict": 4, "pending": 2,
                                "excluded_automatic": 0}
    assert data["pilot"]["reached"] is False and data["pilot"]["n"] == 10


def test_no_pilot_without_threshold(screened) -> None:
    project, store, _ = screened
    assert pilot_status(store, load_protocol(project.protocol_path)) is None  # type: ignore[arg-type]
    assert pilot_status(store, None) is None


def test_no_shared_works_gives_nulls_and_a_message(tmp_path: Path, run_cli: Cli) -> None:
    project = make_review(tmp_path, n=2)
    store = project.open_store()
    a, b = store.work_ids()
    store.record_decision(a, "ana", TA, INC)
    store.record_decision(b, "ben", TA, EXC)
    store.close()
    code, out, _ = run_cli("agreement", "--json", "--project", str(project.root))
    data = json.loads(out)
    assert code == 0 and data["n"] == 0 and data["table"] == [[0, 0], [0, 0]]
    assert all(data[k] is None for k in KEYS if k not in ("n", "table"))
    assert data["messages"] == ["no works were screened by both reviewers: nothing to compare"]
    code, out, _ = run_cli("agreement", "--project", str(project.root))
    assert code == 0 and "0 works screened by both" in out
    assert "note: no works were screened by both reviewers" in out


def test_full_text_stage_uses_full_text_reasons(tmp_path: Path, run_cli: Cli) -> None:
    project = make_review(tmp_path, n=3)
    path = project.protocol_path
    assert path is not None
    path.write_text(path.read_text() + '\n[[fulltext_reasons]]\nreason = "no-data"\n'
                    'label = "No empirical data"\n')
    store = project.open_store()
    ft = Stage.FULLTEXT
    for w in store.work_ids():
        store.record_decision(w, "ana", ft, EXC, ["no-data"])
        store.record_decision(w, "ben", ft, EXC, ["no-data"] if w % 2 else [])
    store.close()
    code, out, _ = run_cli("agreement", "--stage", "fulltext", "--json",
                           "--project", str(project.root))
    data = json.loads(out)
    assert code == 0 and data["stage"] == "fulltext" and data["n"] == 3
    reasons = {r["reason"]: r for r in data["by_reason"]}
    assert reasons["no-data"]["label"] == "No empirical data"
    assert reasons["no-data"]["by_a"] == 3 and reasons["unspecified"]["by_b"] == 1


def test_pilot_restart_starts_a_new_round_under_the_next_version(tmp_path, run_cli) -> None:
    from screening_fixtures import make_project

    project = make_project(tmp_path)  # six works, protocol version 1.0
    path = project.protocol_path
    assert path is not None
    path.write_text(path.read_text().replace("pilot_size = 50", "pilot_size = 2")
                    .replace("kappa_threshold = 0.6", "kappa_threshold = 0.9"))
    root = str(project.root)

    def decide(work: int, ana: str, ben: str) -> None:
        for who, choice in (("ana", ana), ("ben", ben)):
            extra = ["--reason", "clinical"] if choice == "exclude" else []
            assert run_cli("decide", str(work), choice, "--reviewer", who, "--project", root,
                           *extra)[0] == 0

    decide(1, "include", "exclude")
    decide(2, "exclude", "include")
    out = run_cli("status", "--project", root)[1]
    assert "pilot NOT reached" in out and "'screener pilot restart' for a new round" in out
    code, out, _ = run_cli("pilot", "restart", "--project", root)
    assert code == 0
    assert out.startswith(f"{path.name}: version 1.0 -> 1.1: a new pilot round of 2 decisions")
    assert 'version = "1.1"' in path.read_text()
    assert "pilot of 2: in progress (0 compared so far)" in run_cli("status", "--project", root)[1]
    decide(3, "exclude", "exclude")
    decide(4, "include", "include")
    out = run_cli("status", "--project", root)[1]
    assert "pilot reached: kappa 1.00 >= 0.9 on 2 works" in out
    # The failed round stays in the history, under the old version.
    history = run_cli("decisions", "--project", root, "--history", "--format", "json")[1]
    assert '"protocol_version": "1.0+' in history


def test_pilot_restart_needs_a_pilot(tmp_path, run_cli) -> None:
    from screening_fixtures import make_project

    project = make_project(tmp_path)
    path = project.protocol_path
    assert path is not None
    path.write_text(path.read_text().replace("pilot_size = 50\n", ""))
    code, _, err = run_cli("pilot", "restart", "--project", str(project.root))
    assert code == 1 and "the protocol has no pilot" in err
