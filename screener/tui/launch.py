"""Run a Textual app from a CLI command: a crash becomes exit 1 and one line on stderr.

Textual catches an exception raised inside the app, prints a long traceback with locals
and returns normally (``run()`` gives ``None``; only ``return_code`` says it failed), so a
command that just calls ``run()`` exits 0 after a crash.
"""

from __future__ import annotations

import sys
from typing import Any

from textual.app import App

from screener.errors import ScreenerError
from screener.write_queue import WriteStatus, drain_writes


def _say_waiting(queued: int, status: WriteStatus) -> None:
    cause = status.error or ("the database is busy (an import or dedup?)" if status.busy else "")
    sys.stderr.write(f"screener: storing {queued} queued decision(s) before exiting"
                     f"{': ' + cause if cause else ''}; nothing is lost (wait)\n")
    sys.stderr.flush()


def run_app(app: App[Any], what: str, *, debug: bool = False, headless: bool = False) -> Any:
    """Run ``app``; returns its return value, or raises ``ScreenerError`` when it crashed.

    ``what`` names the screen in the message ("screening screen"). With ``debug`` Textual's
    traceback is printed as well.
    """
    if not debug:
        # Keep the one-line promise of the CLI: drop the traceback Textual prints on exit.
        setattr(app, "_print_error_renderables", app._exit_renderables.clear)  # noqa: B010
    try:
        result = app.run(headless=headless)
    finally:
        # The app waits for its queued decisions as it closes; this is the last net.
        drain_writes(_say_waiting)
    if app.return_code:
        error: BaseException | None = getattr(app, "_exception", None)
        detail = f"{type(error).__name__}: {error}" if error is not None else (
            f"exit code {app.return_code}")
        detail = " ".join(detail.split())
        hint = "" if debug else "; run with --debug for the traceback"
        raise ScreenerError(f"the {what} stopped on an internal error ({detail}){hint}")
    return result
