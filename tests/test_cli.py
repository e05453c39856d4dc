"""The command line as a whole: --help for every registered subcommand, --version."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from screener import __version__
from screener.cli import build_parser, main


def _subcommands() -> list[list[str]]:
    """Every registered subcommand path, including nested groups (``a b``)."""
    paths: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    paths.append(prefix + [name])
                    walk(sub, prefix + [name])

    walk(build_parser(), [])
    return paths


SUBCOMMANDS = _subcommands()


def test_the_core_commands_are_registered() -> None:
    names = {p[0] for p in SUBCOMMANDS}
    assert {"init", "import", "status", "records"} <= names


@pytest.mark.parametrize("path", SUBCOMMANDS, ids=[" ".join(p) for p in SUBCOMMANDS])
def test_every_subcommand_has_help(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: screener {' '.join(path)}")
    assert len(out.splitlines()) >= 3


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"screener {__version__}"


def test_unknown_subcommand_is_a_usage_error_without_traceback(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["no-such-command"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


def test_building_the_command_line_leaves_the_heavy_modules_unloaded() -> None:
    """Every command pays for building the parser: numpy (ranking), the dedup engine, the
    importers and the screening queue are loaded by the commands that run them."""
    import subprocess
    import sys

    heavy = ("numpy", "sklearn", "textual", "rapidfuzz", "bibtexparser", "screener.dedup.run",
             "screener.screening", "screener.importing")
    code = ("import sys, screener.cli; screener.cli.build_parser(); "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
