"""The core never imports Textual: each non-TUI module is imported alone in a fresh
interpreter and ``textual`` must not be loaded afterwards."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import screener


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(screener.__path__, "screener."):
        # __main__ runs the CLI when imported; the CLI itself is checked as screener.cli.
        if info.name == "screener.__main__" or info.name == "screener.tui" \
                or info.name.startswith("screener.tui."):
            continue
        names.append(info.name)
    return sorted(names)


def test_the_list_covers_the_screening_core() -> None:
    names = _core_modules()
    for name in ("screener.screening", "screener.protocol", "screener.highlight", "screener.keymap",
                 "screener.commands.screen", "screener.store.screening", "screener.cli"):
        assert name in names


@pytest.mark.parametrize("module", _core_modules())
def test_core_module_does_not_load_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} loads textual" if result.returncode == 1 else result.stderr
