"""The full-text stage: entry, retrieval, eligibility under single and dual review, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.errors import ScreenerError
from screener.fulltext import (
    UNSPECIFIED,
    fulltext_summary,
    fulltext_works,
    record_eligibility,
    record_retrieval,
)
from screener.importing import import_file
from screener.models import Choice, Retrieval, Stage
from screener.outcome import Outcome
from screener.project import Project, init_project
from screener.protocol import Policy, ReviewProtocol, Screening, load_protocol
from screener.store import Store

PROTOCOL = """
[review]
title = "Test"
question = "Does it work?"

[criteria]
inclusion = [{ id = "I1", label = "Health", description = "Health care setting" }]
exclusion = [{ id = "E1", label = "Not health", description = "Not health", reason = "not-health" }]

[[fulltext_reasons]]
reason = "wrong-design"
label = "Wrong study design"

[[fulltext_reasons]]
reason = "no-data"
label = "No empirical data"

[screening]
policy = "two-independent"
fulltext_policy = "{ft_policy}"
"""


def write_ris(path: Path, titles: list[str]) -> Path:
    entries = [f"TY  - JOUR\nTI  - {t}\nPY  - 2020\nDO  - 10.5555/ft.{i}\nER  - \n" for i, t in enumerate(titles)]
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def make_project(tmp_path: Path, n: int = 5, ft_policy: str = "single") -> tuple[Project, ReviewProtocol]:
    proto = tmp_path / "protocol.toml"
    proto.write_text(PROTOCOL.replace("{ft_policy}", ft_policy), encoding="utf-8")
    project = init_project(tmp_path / "review", protocol=proto)
    store = project.open_store()
    import_file(store, write_ris(tmp_path / "a.ris", [f"Work {i}" for i in range(n)]))
    store.close()
    return project, load_protocol(proto)


def screen_ta(store: Store, include: list[int], exclude: list[int]) -> None:
    for reviewer in ("ana", "ben"):
        for w in include:
            store.record_decision(w, reviewer, Stage.TITLE_ABSTRACT, Choice.INCLUDE)
        for w in exclude:
            store.record_decision(w, reviewer, Stage.TITLE_ABSTRACT, Choice.EXCLUDE)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Project, ReviewProtocol, Store]:
    project, protocol = make_project(tmp_path)
    store = project.open_store()
    ids = store.work_ids()
    screen_ta(store, include=ids[:4], exclude=ids[4:])
    yield project, protocol, store
    store.close()


def test_only_works_included_at_title_abstract_enter(setup) -> None:
    _, protocol, store = setup
    ids = store.work_ids()
    works = fulltext_works(store, protocol)
    assert [w.work_id for w in works] == ids[:4]
    assert all(w.retrieval is None and w.outcome is Outcome.PENDING for w in works)


def test_excluded_work_cannot_get_a_retrieval(setup) -> None:
    _, protocol, store = setup
    excluded = store.work_ids()[4]
    with pytest.raises(ScreenerError, match="title/abstract outcome is excluded"):
        record_retrieval(store, excluded, Retrieval.RETRIEVED, "ana", protocol)
    assert store.retrieval_history() == []


def test_retrieval_and_eligibility_give_prisma_states(setup) -> None:
    _, protocol, store = setup
    a, b, c, d = store.work_ids()[:4]
    record_retrieval(store, a, Retrieval.NOT_RETRIEVED, "ana", protocol)
    record_eligibility(store, b, Choice.INCLUDE, "ana", protocol)
    record_eligibility(store, c, Choice.EXCLUDE, "ana", protocol, reasons=["wrong-design"])
    record_retrieval(store, d, Retrieval.RETRIEVED, "ana", protocol)
    works = {w.work_id: w for w in fulltext_works(store, protocol)}
    assert works[a].retrieval is Retrieval.NOT_RETRIEVED and works[a].outcome is None
    assert works[b].retrieval is Retrieval.RETRIEVED and works[b].outcome is Outcome.INCLUDED
    assert works[c].outcome is Outcome.EXCLUDED and works[c].primary_reason == "wrong-design"
    assert works[d].assessed and works[d].outcome is Outcome.PENDING
    summary = fulltext_summary(list(works.values()))
    assert summary == {
        "sought": 4, "awaiting_retrieval": 0, "not_retrieved": 1, "assessed": 3, "pending": 1,
        "conflicts": 0, "included": 1, "excluded": 1, "excluded_by_reason": {"wrong-design": 1},
    }


def test_decision_on_unrecorded_retrieval_records_it_as_retrieved(setup) -> None:
    _, protocol, store = setup
    a = store.work_ids()[0]
    record_eligibility(store, a, Choice.INCLUDE, "ana", protocol)
    (row,) = store.retrieval_history()
    assert (row["work_id"], row["status"], row["recorded_by"]) == (a, "retrieved", "ana")


def test_not_retrieved_work_cannot_be_assessed(setup) -> None:
    _, protocol, store = setup
    a = store.work_ids()[0]
    record_retrieval(store, a, Retrieval.NOT_RETRIEVED, "ana", protocol)
    with pytest.raises(ScreenerError, match="not retrieved"):
        record_eligibility(store, a, Choice.INCLUDE, "ana", protocol)
    assert store.current_decisions(Stage.FULLTEXT) == []


@pytest.mark.parametrize(
    ("reasons", "message"),
    [([], "needs --reason"), (["not-health"], "unknown full-text reason 'not-health'")],
)
def test_exclusion_needs_a_protocol_fulltext_reason(setup, reasons, message) -> None:
    _, protocol, store = setup
    a = store.work_ids()[0]
    with pytest.raises(ScreenerError, match=message):
        record_eligibility(store, a, Choice.EXCLUDE, "ana", protocol, reasons=reasons)
    assert store.current_decisions(Stage.FULLTEXT) == []
    assert store.retrieval_history() == []


def test_dual_review_at_full_text_gives_conflicts_and_resolutions(tmp_path: Path) -> None:
    project, protocol = make_project(tmp_path, n=3, ft_policy="two-independent")
    store = project.open_store()
    a, b, c = store.work_ids()
    screen_ta(store, include=[a, b, c], exclude=[])
    for reviewer in ("ana", "ben"):
        record_eligibility(store, a, Choice.INCLUDE, reviewer, protocol)
    record_eligibility(store, b, Choice.INCLUDE, "ana", protocol)
    record_eligibility(store, b, Choice.EXCLUDE, "ben", protocol, reasons=["no-data"])
    record_eligibility(store, c, Choice.INCLUDE, "ana", protocol)
    works = {w.work_id: w for w in fulltext_works(store, protocol)}
    assert works[a].outcome is Outcome.INCLUDED
    assert works[b].outcome is Outcome.CONFLICT
    assert works[c].outcome is Outcome.PENDING
    store.record_resolution(b, Stage.FULLTEXT, Choice.EXCLUDE, "lead", reasons=["wrong-design"])
    works = {w.work_id: w for w in fulltext_works(store, protocol)}
    assert works[b].outcome is Outcome.EXCLUDED and works[b].reasons == ["wrong-design"]
    store.close()


def test_exclusion_without_reason_counts_as_unspecified(setup) -> None:
    _, _, store = setup
    a = store.work_ids()[0]
    record_eligibility(store, a, Choice.EXCLUDE, "ana", None)
    (work,) = [w for w in fulltext_works(store, Screening(policy=Policy.TWO_INDEPENDENT)) if w.work_id == a]
    assert work.primary_reason == UNSPECIFIED


def test_cli_records_retrieval_and_exclusion(setup, run_cli) -> None:
    project, _, store = setup
    a, b = store.work_ids()[:2]
    root = str(project.root)
    code, out, _ = run_cli("fulltext", str(a), "not-retrieved", "--by", "ana", "--project", root)
    assert code == 0
    assert f"work {a}: not-retrieved by ana; report not-retrieved" in out
    code, out, _ = run_cli(
        "fulltext", str(b), "exclude", "--reason", "no-data", "--by", "ana", "--project", root
    )
    assert code == 0
    assert "full-text outcome excluded (no-data)" in out
    (decision,) = store.current_decisions(Stage.FULLTEXT)
    assert decision.protocol_version and decision.protocol_version.startswith("1+")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["exclude", "--reason", "nope"], "unknown full-text reason 'nope'"),
        (["exclude"], "needs --reason"),
        (["retrieved", "--reason", "no-data"], "--reason goes with 'exclude' only"),
    ],
)
def test_cli_bad_input_is_one_line_and_stores_nothing(setup, run_cli, argv, message) -> None:
    project, _, store = setup
    a = store.work_ids()[0]
    code, _, err = run_cli("fulltext", str(a), *argv, "--by", "ana", "--project", str(project.root))
    assert code == 1
    assert err.count("\n") == 1 and message in err
    assert store.retrieval_history() == [] and store.decision_history(Stage.FULLTEXT) == []


def test_cli_unknown_work_is_an_error(setup, run_cli) -> None:
    project, _, _ = setup
    code, _, err = run_cli("fulltext", "999", "retrieved", "--by", "ana", "--project", str(project.root))
    assert code == 1 and "no work with id 999" in err


def test_cli_help(run_cli) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("fulltext", "--help")
    assert exc.value.code == 0
