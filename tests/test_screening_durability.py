"""Durability and concurrency of screening: a killed TUI loses nothing it showed as
recorded; two reviewers screening at once lose nothing and do not block each other."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from screening_fixtures import add_works, make_project

from screener.models import Choice, Stage
from screener.project import Project
from screener.screening import ScreeningSession

CHILD = Path(__file__).parent / "screening_child.py"


def _child(project: Project, reviewer: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(project.root), reviewer, str(count)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TEXTUAL": ""},
    )


def _stored(project: Project, reviewer: str) -> dict[int, Choice]:
    """The reviewer's standing decisions as their next session sees them (it first stores
    what a killed screen had queued in its journal)."""
    store = project.open_store()
    try:
        ScreeningSession.open(project, store, reviewer, Stage.TITLE_ABSTRACT)
        return {d.work_id: d.decision for d in store.current_decisions(Stage.TITLE_ABSTRACT, reviewer)}
    finally:
        store.close()


def test_kill_9_mid_session_loses_no_shown_decision(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    add_works(project, 300)
    child = _child(project, "alice", 0)  # decides until killed
    assert child.stdout is not None
    shown: list[int] = []
    deadline = time.monotonic() + 60
    while len(shown) < 25 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        shown.append(int(line.split()[0]))
    # Kill while it is still pressing keys: a decision may be half-way through.
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert len(shown) == 25, child.stderr.read() if child.stderr else ""
    stored = _stored(project, "alice")
    assert all(stored.get(w) is Choice.INCLUDE for w in shown)
    # Anything after the last line shown was either committed whole or not at all.
    assert len(stored) >= len(shown)


def test_two_reviewers_at_once_lose_nothing_and_do_not_block(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    add_works(project, 100)
    count = 40
    children = {name: _child(project, name, count) for name in ("alice", "bob")}
    outputs = {name: child.communicate(timeout=120) for name, child in children.items()}
    for name, child in children.items():
        assert child.returncode == 0, outputs[name][1]
        lines = outputs[name][0].split()
        ids = [int(x) for x in lines[0::2]]
        latencies = [float(x) for x in lines[1::2]]
        assert len(ids) == count
        # Neither waits on the other's write lock for long (busy timeout is 30 s).
        assert max(latencies) < 2.0, (name, max(latencies))
        assert _stored(project, name) == dict.fromkeys(ids, Choice.INCLUDE)


def test_real_terminal_session_killed_keeps_what_it_showed(tmp_path: Path) -> None:
    """``screener screen`` in a pseudo-terminal: after each ``i`` wait until the terminal
    shows the next work, then ``kill -9``; every decision shown as made is stored."""
    import fcntl
    import struct
    import termios
    import threading

    project = make_project(tmp_path)
    add_works(project, 50)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "screener", "screen", "--reviewer", "alice", "--project",
         str(project.root)],
        stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"},
    )
    os.close(slave)
    screen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    threading.Thread(target=drain, daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 30
        while text.encode() not in screen:
            assert time.monotonic() < deadline, f"{text!r} never shown"
            time.sleep(0.02)

    try:
        wait_for("· 1 of 56")
        for n in range(2, 12):
            os.write(master, b"i")
            wait_for(f"· {n} of 56")
    finally:
        # The whole process group: the screen's own children (the ranking process) too,
        # so nothing is left running after the test.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    stored = _stored(project, "alice")
    assert [w for w, c in sorted(stored.items()) if c is Choice.INCLUDE][:10] == list(range(1, 11))


@pytest.mark.sqlite_only
def test_kill_9_while_decisions_wait_for_the_lock_loses_none(tmp_path: Path) -> None:
    """Decisions queued behind another process's write lock are in the screen's journal:
    after a kill -9 the reviewer's next session stores them, in order, once each."""
    project = make_project(tmp_path)
    add_works(project, 20)
    assert project.database.path is not None
    lock = sqlite3.connect(project.database.path, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    child = _child(project, "alice", 5)
    assert child.stdout is not None
    shown = [int(child.stdout.readline().split()[0]) for _ in range(5)]
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    child.wait()
    lock.execute("ROLLBACK")
    lock.close()
    store = project.open_store()
    try:
        assert store.current_decisions(Stage.TITLE_ABSTRACT, "alice") == []  # none got through
    finally:
        store.close()
    assert _stored(project, "alice") == dict.fromkeys(shown, Choice.INCLUDE)
    # Replayed once: a second session adds nothing.
    _stored(project, "alice")
    store = project.open_store()
    try:
        assert len(store.decision_history(Stage.TITLE_ABSTRACT)) == 5
    finally:
        store.close()
    assert not list((project.root / ".pending-writes").glob("*.jsonl"))


def test_a_retrieval_status_queued_by_a_killed_screen_is_stored_once(tmp_path: Path) -> None:
    """Full text: an r or x key that was journaled but not committed when the screen died
    is stored by the reviewer's next session, once."""
    import json
    from dataclasses import asdict

    from test_fulltext import make_project as make_fulltext_project
    from test_fulltext import screen_ta

    from screener.models import Retrieval
    from screener.write_queue import PENDING_DIR, PendingWrite

    project, _ = make_fulltext_project(tmp_path, n=2)
    store = project.open_store()
    a, b = store.work_ids()
    screen_ta(store, include=[a, b], exclude=[])
    store.close()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process number that no longer runs: the journal's writer died
    journals = project.root / PENDING_DIR
    journals.mkdir()
    write = PendingWrite("retrieval", a, Stage.FULLTEXT.value, Retrieval.NOT_RETRIEVED.value,
                         "ana", "2026-12-08T00:00:00+00:00")
    (journals / f"{dead.pid}-1.jsonl").write_text(json.dumps(asdict(write)) + "\n",
                                                   encoding="utf-8")
    for _ in range(2):
        store = project.open_store()
        try:
            session = ScreeningSession.open(project, store, "ana", Stage.FULLTEXT)
            assert session.retrieval_of(a) is Retrieval.NOT_RETRIEVED
            assert session.retrieval_of(b) is None
            rows = store.conn.execute("SELECT work_id, status FROM retrievals").fetchall()
            assert [tuple(r) for r in rows] == [(a, "not-retrieved")]
        finally:
            store.close()
    assert not list(journals.glob("*.jsonl"))
