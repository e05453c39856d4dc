"""The README documents every command and gives exactly the two set-up commands."""

from __future__ import annotations

import argparse
import re

from conftest import ROOT

from screener.cli import build_parser


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands() if not re.search(rf"`screener {c}\b", readme)]
    assert missing == []


def test_readme_gives_the_install_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert "pip install -e . && screener demo" in setup
    assert 'pip install -e ".[test]" && python -m pytest' in setup
