"""``screener stop`` / ``resume-screening``: the lead's stop, PRISMA, exports, the log."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ranking_fixtures import add_labelled_works
from screening_fixtures import make_project, open_session

from screener.cli import main
from screener.models import Choice, Stage
from screener.prisma import count_flow
from screener.prisma.flow import Flow
from screener.project import Project
from screener.store import open_store


def _with_rule(project: Project) -> None:
    assert project.protocol_path is not None
    text = project.protocol_path.read_text(encoding="utf-8")
    project.protocol_path.write_text(
        text.replace("[screening]\n", "[screening]\nstop_recall = 0.9\nstop_confidence = 0.9\n", 1),
        encoding="utf-8")


def _screen(project: Project, reviewer: str, truth: dict[int, int], count: int) -> None:
    store, s = open_session(project, reviewer)
    try:
        for work_id in list(s.order)[:count]:
            s.decide(Choice.INCLUDE if truth.get(work_id) else Choice.EXCLUDE, ["not-health"]
                     if not truth.get(work_id) else None, work_id=work_id)
    finally:
        store.close()


def _screening_adds_up(flow: Flow) -> bool:
    """Identification - duplicates - automation = screened; screened - excluded = sought
    (later boxes wait for retrieval, which these tests do not record)."""
    checks = {c.name: c.ok for c in flow.checks}
    return checks["records_screened"] and checks["dbr_sought_reports"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stop_excludes_the_unscreened_works_and_resume_undoes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    _with_rule(project)
    truth = add_labelled_works(project, size=60, relevant=6)
    for reviewer in ("alice", "bob"):
        _screen(project, reviewer, truth, 30)
    root = str(project.root)
    code, out, _ = _run(capsys, "status", "--project", root, "--json")
    before = json.loads(out)
    assert before["screening"]["reviewers"]["alice"]["stopping"]["screened"] == 30
    assert before["screening"]["stop"] is None

    code, out, err = _run(capsys, "stop", "--by", "carla", "--project", root)
    assert code == 0, err
    assert "alice: stopping rule (recall 0.9, confidence 0.9): 30 screened" in out
    assert "36 unscreened works marked as ineligible" in out

    store = project.open_store()
    try:
        flow = count_flow(store, project.protocol)
        assert flow.excluded_automatic == 36
        assert flow.records_screened == 30 and _screening_adds_up(flow)
        assert any("automation tools (n = 36)" in n and "carla" in n and "recall target 0.9" in n
                   for n in flow.notes)
        assert flow.pending.title_abstract["dbr"] == 0
        s = open_session(project, "alice")[1]
        assert s.total == 30
    finally:
        store.close()
    code, out, _ = _run(capsys, "status", "--project", root)
    assert "36 works marked ineligible" in out and "excluded by the stopping rule 36" in out
    # Stopping twice is refused; the database is unchanged.
    code, _, err = _run(capsys, "stop", "--by", "carla", "--project", root)
    assert code == 1 and "already stopped" in err

    code, out, _ = _run(capsys, "export", "--project", root, "--what", "excluded", "--format",
                        "csv", "-o", "-", "--reviewer", "carla")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(r["outcome"] == "excluded_automatic" for r in rows) == 36

    code, out, err = _run(capsys, "resume-screening", "--by", "carla", "--project", root)
    assert code == 0, err
    store = project.open_store()
    try:
        flow = count_flow(store, project.protocol)
        assert flow.excluded_automatic == 0 and flow.records_screened == 66
        # Pending again: screened - excluded = sought waits for them, as before the stop.
        assert {c.name: c.ok for c in flow.checks}["records_screened"]
        assert flow.pending.title_abstract["dbr"] == 36
        assert open_session(project, "alice")[1].total == 66
    finally:
        store.close()
    code, _, err = _run(capsys, "resume-screening", "--by", "carla", "--project", root)
    assert code == 1 and "not stopped" in err
    log = tmp_path / "log.csv"
    code, _, err = _run(capsys, "export", "--project", root, "--log", "-o", str(log),
                        "--reviewer", "carla")
    assert code == 0, err
    events = list(csv.DictReader(log.open(encoding="utf-8")))
    stopped = [e for e in events if e["event"] == "excluded by stopping rule"]
    withdrawn = [e for e in events if e["event"] == "stop withdrawn"]
    assert len(stopped) == len(withdrawn) == 36
    assert stopped[0]["who"] == "carla" and "recall target 0.9" in stopped[0]["note"]


def test_stop_needs_a_rule_in_the_protocol(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    code, _, err = _run(capsys, "stop", "--by", "carla", "--project", str(project.root))
    assert code == 1 and "no stopping rule" in err
    store = project.open_store()
    try:
        assert store.active_stop() is None
    finally:
        store.close()


def test_stop_keeps_an_automatic_backup_of_the_database_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    _with_rule(project)
    truth = add_labelled_works(project, size=40, relevant=4)
    _screen(project, "alice", truth, 20)
    root = str(project.root)
    code, out, err = _run(capsys, "stop", "--by", "carla", "--project", root, "--json")
    assert code == 0, err
    saved = Path(json.loads(out)["backup"])
    assert saved.parent == project.root / "backups" and saved.name.endswith("-before-stop.db")
    # The backup is the database as it was: no stop, alice's 20 decisions.
    backup = open_store(saved)
    try:
        assert backup.active_stop() is None
        assert len(backup.current_decisions(Stage.TITLE_ABSTRACT, "alice")) == 20
    finally:
        backup.close()
    # Restoring it undoes the stop.
    code, _, err = _run(capsys, "restore", str(saved), "--project", root)
    assert code == 0, err
    store = project.open_store()
    try:
        assert store.active_stop() is None
    finally:
        store.close()
    # A refused stop (already stopped, or no rule) keeps no backup.
    _run(capsys, "stop", "--by", "carla", "--project", root)
    _run(capsys, "stop", "--by", "carla", "--project", root)
    code, _, err = _run(capsys, "stop", "--by", "carla", "--project", root)
    assert code == 1 and "already stopped" in err
    assert len(list((project.root / "backups").glob("auto-*-before-stop.db"))) == 2
