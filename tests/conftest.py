"""Shared fixtures: temporary projects and the CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screener.cli import main
from screener.project import Project, find_project, init_project

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty review project."""
    return init_project(tmp_path / "review", title="Test review")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Call ``screener`` in-process: returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def reopen(project: Project) -> Project:
    return find_project(project.root)
