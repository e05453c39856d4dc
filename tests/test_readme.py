"""The README documents every command and gives exactly the two set-up commands."""

from __future__ import annotations

import argparse
import re
import subprocess

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


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, re.S)
    commands = []
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) == 1, block
        commands.append(lines[0])
    return commands


def test_readme_gives_the_install_and_test_commands() -> None:
    install, tests = _setup_commands()
    assert install.endswith("&& .venv/bin/screener demo")
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest' in tests


def test_setup_commands_create_and_use_a_virtual_environment() -> None:
    # An externally managed system Python (Debian/Ubuntu) refuses a bare `pip install`:
    # each command makes its own .venv and never calls the system pip.
    for command in _setup_commands():
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -e ")
        words = command.replace("&&", " ").split()
        assert "pip" not in words and "python" not in words and "screener" not in words


def test_ci_runs_the_readmes_test_command() -> None:
    _, tests = _setup_commands()
    shown = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print-test-command"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert shown == tests
