"""Layout snapshot of the duplicate review screen (120x40, fixed data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from screener.project import init_project
from screener.tui.dedup_review import DedupReviewApp

RIS = """TY  - JOUR
TI  - Effects of walking on blood pressure in older adults with hypertension
AU  - Lee, K.
PY  - 2019
JO  - Journal of Hypertension
VL  - 12
SP  - 101-109
ER  -
TY  - JOUR
TI  - Effect of walking on blood pressure in older adults with hypertension
PY  - 2019
JO  - J Hypertens
ER  -
"""


@pytest.fixture
def app(tmp_path: Path) -> DedupReviewApp:
    from screener.cli import main

    project = init_project(tmp_path / "review", title="Snapshot review")
    (tmp_path / "walk.ris").write_text(RIS)
    assert main(["import", "--project", str(project.root), str(tmp_path / "walk.ris")]) == 0
    assert main(["dedup", "--project", str(project.root)]) == 0
    return DedupReviewApp(project.open_store(), "ann")


def test_pair_side_by_side(snap_compare: Any, app: DedupReviewApp) -> None:
    """Both records side by side; the differing title and journal are marked."""
    assert snap_compare(app, terminal_size=(120, 40))
