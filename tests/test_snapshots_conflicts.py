"""Layout snapshots of the conflicts screen (120x40, fixed data and fixed times)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conflict_fixtures import EXC, INC, MAY, TA, decide, make_review

from screener.conflicts import ConflictSession
from screener.protocol import load_protocol
from screener.tui.conflicts_app import ConflictsApp

SIZE = (120, 40)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ConflictsApp:
    monkeypatch.setattr("screener.store.decisions.now", lambda: "2026-01-05T09:30:00+00:00")
    # A queued resolution carries the time of its key.
    monkeypatch.setattr("screener.conflicts.now", lambda: "2026-01-05T09:30:00+00:00")
    project = make_review(tmp_path, n=4)
    protocol = load_protocol(project.protocol_path)  # type: ignore[arg-type]
    store = project.open_store()
    a, b, c, d = store.work_ids()
    decide(store, a, INC, INC)
    decide(store, b, INC, EXC, ([], ["clinical"]))
    decide(store, c, MAY, EXC, ([], ["not-health", "clinical"]))
    decide(store, d, EXC, EXC, (["clinical"], ["clinical"]))
    return ConflictsApp(ConflictSession(store, "lena", TA, protocol), review_title="Test review")


def test_first_conflict(snap_compare: Any, app: ConflictsApp) -> None:
    """Both reviewers' cards side by side, the unresolved banner, the highlighted record."""
    assert snap_compare(app, terminal_size=SIZE)


def test_resolved_conflict(snap_compare: Any, app: ConflictsApp) -> None:
    """After excluding the first conflict and going back: the resolved banner, a tick."""
    assert snap_compare(app, terminal_size=SIZE, press=["e", "2", "enter", "k"])


def test_small_terminal(snap_compare: Any, app: ConflictsApp) -> None:
    """80x24: the list, both decision cards wrapped at word boundaries, ? Help and q Quit."""
    assert snap_compare(app, terminal_size=(80, 24))


def test_large_terminal(snap_compare: Any, app: ConflictsApp) -> None:
    """200x60: the same conflict with room to spare."""
    assert snap_compare(app, terminal_size=(200, 60))
