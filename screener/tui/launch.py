"""Run a Textual app from a CLI command: a crash becomes exit 1 and one line on stderr.

Textual catches an exception raised inside the app, prints a long traceback with locals
and returns normally (``run()`` gives ``None``; only ``return_code`` says it failed), so a
command that just calls ``run()`` exits 0 after a crash.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from screener.errors import ScreenerError


def run_app(app: App[Any], what: str, *, debug: bool = False, headless: bool = False) -> Any:
    """Run ``app``; returns its return value, or raises ``ScreenerError`` when it crashed.

    ``what`` names the screen in the message ("screening screen"). With ``debug`` Textual's
    traceback is printed as well.
    """
    if not debug:
        # Keep the one-line promise of the CLI: drop the traceback Textual prints on exit.
        setattr(app, "_print_error_renderables", app._exit_renderables.clear)  # noqa: B010
    result = app.run(headless=headless)
    if app.return_code:
        error: BaseException | None = getattr(app, "_exception", None)
        detail = f"{type(error).__name__}: {error}" if error is not None else (
            f"exit code {app.return_code}")
        detail = " ".join(detail.split())
        hint = "" if debug else "; run with --debug for the traceback"
        raise ScreenerError(f"the {what} stopped on an internal error ({detail}){hint}")
    return result
