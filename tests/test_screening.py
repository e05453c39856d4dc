"""The screening core: queue order, resume, decisions with history, undo, notes, blinding,
search, highlighting, corrections, status counts, and the decide/decisions commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from screening_fixtures import make_project, open_session

from screener.errors import ScreenerError
from screener.highlight import Highlighter, Hint
from screener.models import Choice, Stage
from screener.protocol import Keywords
from screener.status import project_status

Cli = Callable[..., tuple[int, str, str]]


def test_queue_is_every_work_in_import_order_and_starts_at_the_first(tmp_path: Path) -> None:
    store, s = open_session(make_project(tmp_path), "alice")
    assert s.order == store.work_ids() and s.total == 6
    assert s.position == 0 and s.current_work() is not None
    assert s.progress().screened == 0


def test_decision_is_committed_with_protocol_version(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, s = open_session(project, "alice")
    s.decide(Choice.EXCLUDE, ["clinical"], note="drug trial")
    other = project.open_store()  # another connection sees it at once: it is committed
    [row] = other.decision_history()
    assert row["decision"] == "exclude" and row["reasons"] == ["clinical"]
    assert row["note"] == "drug trial" and row["protocol_version"] == s.version
    assert row["reviewer"] == "alice" and row["stage"] == "title_abstract"


def test_resume_after_the_last_decided_work(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, s = open_session(project, "alice")
    s.go_to(2)
    s.decide(Choice.INCLUDE)
    s.go_to(0)
    s.decide(Choice.MAYBE)  # last decision: position 0 -> resume at the next undecided, 1
    store.close()
    _, again = open_session(project, "alice")
    assert again.position == 1
    assert again.progress().counts[Choice.INCLUDE] == 1
    _, bob = open_session(project, "bob")
    assert bob.position == 0


def test_change_and_undo_are_history_not_overwrites(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, s = open_session(project, "alice")
    first = s.current_id
    s.decide(Choice.INCLUDE)
    s.go_to(0)
    s.decide(Choice.EXCLUDE, ["no-data"])
    assert s.undo() == first  # back to the include
    assert s.choices[first] is Choice.INCLUDE
    assert s.undo() == first  # back to undecided
    assert first not in s.choices and s.undo() is None
    history = [(r["decision"], r["reasons"]) for r in store.decision_history()]
    assert history == [("include", []), ("exclude", ["no-data"]), ("include", []), (None, [])]
    assert store.current_decisions(Stage.TITLE_ABSTRACT) == []


def test_undo_without_session_history_clears_current_decision(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, s = open_session(project, "alice")
    s.decide(Choice.MAYBE)
    store.close()
    store, again = open_session(project, "alice")
    again.go_to(0)
    assert again.undo() == again.order[0]
    assert store.current_decisions(Stage.TITLE_ABSTRACT, "alice") == []


def test_note_before_deciding_is_saved_with_the_decision(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, s = open_session(project, "alice")
    assert s.set_note("ask Bob") is None
    # Kept at once as a draft (a row without a decision): quitting does not lose it.
    assert [(r["decision"], r["note"]) for r in store.decision_history()] == [(None, "ask Bob")]
    store.close()
    store, s = open_session(project, "alice")  # a new session: the draft is there
    assert s.pending_notes == {1: "ask Bob"}
    s.go_to(0)
    s.decide(Choice.MAYBE)
    assert store.decision_history()[-1]["note"] == "ask Bob"
    assert store.current_decisions(Stage.TITLE_ABSTRACT, "alice")[0].note == "ask Bob"
    s.go_to(0)
    changed = s.set_note("asked: include")
    assert changed is not None and changed.decision is Choice.MAYBE
    assert [r["note"] for r in store.decision_history()] == ["ask Bob", "ask Bob", "asked: include"]


def test_reasons_are_checked_against_the_stage(tmp_path: Path) -> None:
    store, s = open_session(make_project(tmp_path), "alice")
    with pytest.raises(ScreenerError, match="unknown reason 'wrong-setting'"):
        s.decide(Choice.EXCLUDE, ["wrong-setting"])  # a full-text reason
    with pytest.raises(ScreenerError, match="only with an exclusion"):
        s.decide(Choice.INCLUDE, ["clinical"])
    assert store.decision_history() == []


def test_reviewers_are_blind_to_each_other(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _, alice = open_session(project, "alice")
    alice.decide(Choice.EXCLUDE, ["clinical"])
    _, bob = open_session(project, "bob")
    assert bob.choices == {} and bob.progress().screened == 0
    assert bob.current_decision() is None


def test_next_undecided_wraps_around(tmp_path: Path) -> None:
    _, s = open_session(make_project(tmp_path), "alice")
    for _ in range(3):
        s.decide(Choice.INCLUDE)
        s.move(1)
    s.go_to(5)
    s.decide(Choice.INCLUDE)
    assert s.next_undecided_position() == 3
    assert s.move(1) is False  # end of the queue


def test_search_finds_next_match_and_work_ids(tmp_path: Path) -> None:
    _, s = open_session(make_project(tmp_path), "alice")
    pos = s.search("integrated care")
    assert pos is not None and "Co-creation" in (s.store.get_work(s.order[pos]).record.title or "")
    assert s.search("Müller") == 2  # author, non-ASCII
    assert s.search(f"#{s.order[4]}") == 4
    assert s.search("no such words anywhere") is None
    assert s.search("100%") is None  # LIKE wildcards are literal


def test_fulltext_queue_is_the_title_abstract_includes(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _, alice = open_session(project, "alice")
    _, bob = open_session(project, "bob")
    for s in (alice, bob):
        s.decide(Choice.INCLUDE, work_id=s.order[0])
        s.decide(Choice.INCLUDE, work_id=s.order[5])
    alice.decide(Choice.INCLUDE, work_id=alice.order[3])
    bob.decide(Choice.EXCLUDE, ["not-health"], work_id=bob.order[3])  # a conflict
    _, ft = open_session(project, "alice", Stage.FULLTEXT)
    assert ft.order == [alice.order[0], alice.order[5]]
    assert ft.reason_codes[0] == "wrong-setting"
    ft.decide(Choice.EXCLUDE, ["wrong-setting"])


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("A public-private partnership", [("public-private", Hint.INCLUDE), ("partnership", Hint.INCLUDE)]),
        ("interorganisational and inter-organizational ties",
         [("interorganisational", Hint.INCLUDE), ("inter-organizational", Hint.INCLUDE)]),
        ("a randomised trial in mice", [("randomised", Hint.EXCLUDE), ("trial", Hint.EXCLUDE),
                                        ("mice", Hint.EXCLUDE)]),
        ("the rate of rats", [("rats", Hint.EXCLUDE)]),  # no stem: 'rat' is not 'rate'
        ("Integrated  Care", [("Integrated  Care", Hint.INCLUDE)]),
        # "inter-sector*": the hyphen also matches nothing
        ("intersectoral work", [("intersectoral", Hint.INCLUDE)]),
    ],
)
def test_keyword_spans(text: str, marked: list[tuple[str, Hint]]) -> None:
    from screening_fixtures import PROTOCOL

    from screener.protocol import load_protocol

    hl = Highlighter(load_protocol(PROTOCOL).keywords)
    assert [(text[s.start:s.end], s.hint) for s in hl.spans(text)] == marked


def test_overlapping_include_and_exclude_keep_the_longer() -> None:
    hl = Highlighter(Keywords(include=["network*"], exclude=["net"]))
    assert [(s.start, s.end, s.hint) for s in hl.spans("net networks")] == [
        (0, 3, Hint.EXCLUDE), (4, 12, Hint.INCLUDE)]


def test_correction_is_stored_beside_the_original(tmp_path: Path) -> None:
    store, s = open_session(make_project(tmp_path), "alice")
    work_id = s.current_id
    assert work_id is not None
    original = store.get_record(work_id).record.title
    assert s.correct({"title": "Trust and governance in a regional partnership", "year": "2018",
                      "journal": "Journal of Interorganizational Health Care", "doi": ""}) == [
        "title", "year", "doi"]
    work = s.current_work()
    assert work is not None and work.record.year == 2018 and work.record.doi is None
    assert store.get_record(work_id).record.title == original
    with pytest.raises(ScreenerError, match="four-digit year"):
        s.correct({"year": "20x9"})


def test_status_counts_works_awaiting_second_reviewer(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    store, alice = open_session(project, "alice")
    _, bob = open_session(project, "bob")
    alice.decide(Choice.INCLUDE)
    alice.move(1)
    alice.decide(Choice.EXCLUDE, ["clinical"])
    bob.decide(Choice.INCLUDE)
    status = project_status(project, store)["screening"]
    assert status["awaiting_second_reviewer"] == 1 and status["unscreened"] == 4
    assert status["reviewers"]["alice"] == {"screened": 2, "include": 1, "exclude": 1, "maybe": 0}
    assert status["reviewers"]["bob"]["screened"] == 1


def test_cli_decide_and_decisions(run_cli: Cli, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    p = str(project.root)
    code, out, _ = run_cli("decide", "2", "exclude", "--reviewer", "bob", "--project", p)
    assert code == 0 and "reason unspecified" in out
    code, _, _ = run_cli("decide", "1", "include", "--reviewer", "alice", "--note", "clear", "--project", p)
    assert code == 0
    code, _, err = run_cli("decide", "3", "exclude", "--reviewer", "bob", "--reason", "nope", "--project", p)
    assert code == 1 and "unknown reason 'nope'" in err
    code, _, err = run_cli("decide", "999", "include", "--reviewer", "bob", "--project", p)
    assert code == 1 and "not in the title_abstract queue" in err
    code, out, _ = run_cli("decisions", "--project", p)
    rows = json.loads(out)
    assert [(r["work_id"], r["reviewer"], r["decision"], r["reasons"], r["note"]) for r in rows] == [
        (2, "bob", "exclude", [], None), (1, "alice", "include", [], "clear")]
    assert all(set(r) >= {"work_id", "reviewer", "decision", "reasons", "note", "time"} for r in rows)
    code, out, _ = run_cli("decisions", "--reviewer", "alice", "--format", "csv", "--project", p)
    assert out.splitlines()[0].startswith("work_id,reviewer,decision,reasons,note,time")
    assert len(out.splitlines()) == 2 and ",alice,include,,clear," in out


def test_help_for_every_screening_command(run_cli: Cli) -> None:
    for command in (["screen"], ["decide"], ["decisions"], ["protocol", "check"], ["protocol", "show"]):
        with pytest.raises(SystemExit) as info:
            run_cli(*command, "--help")
        assert info.value.code == 0


def test_only_canonical_works_are_screened(tmp_path: Path, run_cli: Cli) -> None:
    project = make_project(tmp_path)
    store = project.open_store()
    merged = store.get_work(1).record.model_copy(update={"title": "Merged title"})
    store.set_groups([[1, 3]], {1: merged})  # record 3 is a duplicate of work 1
    store.close()
    store, s = open_session(project, "alice")
    assert s.order == [1, 2, 4, 5, 6]
    work = s.current_work()
    assert work is not None and work.record.title == "Merged title" and work.record_ids == [1, 3]
    # One number everywhere: record 3's number finds the work it was merged into.
    code, out, err = run_cli("decide", "3", "include", "--reviewer", "alice", "--project",
                             str(project.root))
    assert code == 0, err
    assert out == "work 1: include by alice at title_abstract (record 3 is part of work 1)\n"
    store, s = open_session(project, "alice")
    assert s.search("#3") == 0 and s.search("3") == 0
    assert s.search("#99") is None
    store.close()


def test_screen_refuses_without_protocol_or_with_unknown_key(run_cli: Cli, tmp_path: Path) -> None:
    from screener.project import init_project

    bare = init_project(tmp_path / "bare")
    code, _, err = run_cli("screen", "--reviewer", "alice", "--project", str(bare.root))
    assert code == 1 and "has no protocol" in err and "screener.toml" in err
    project = make_project(tmp_path, keys={"includ": "y"})
    code, _, err = run_cli("screen", "--reviewer", "alice", "--project", str(project.root))
    assert code == 1 and "screener.toml: keys.includ: unknown key binding" in err


def test_undecided_counts_stay_true_through_moves_decisions_undo_and_reorders(
        tmp_path: Path) -> None:
    """The bar's 'to screen: N before, M after' is kept incrementally (a full count per key
    is too slow at 100k works); it must match a full count after any sequence of steps."""
    import random

    from screener.protocol import QueueOrder

    project = make_project(tmp_path)
    _, s = open_session(project, "alice")
    rng = random.Random(7)

    def full_count() -> tuple[int, int]:
        before = sum(1 for w in s.order[:s.position] if w not in s.choices)
        here = 0 if s.order[s.position] in s.choices else 1
        return before, len(s.order) - len(s.choices) - before - here

    for _ in range(300):
        step = rng.choice(["go", "decide", "decide", "undo", "random", "import", "move"])
        if step == "go":
            s.go_to(rng.randrange(len(s.order)))
        elif step == "decide":
            s.decide(rng.choice([Choice.INCLUDE, Choice.MAYBE]))
        elif step == "undo":
            s.undo()
        elif step == "move":
            s.move(rng.choice([-1, 1]))
        else:
            s.set_order(QueueOrder(step))
        assert s.undecided_around() == full_count(), step
