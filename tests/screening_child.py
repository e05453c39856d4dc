"""Run the screening TUI headless in a child process and press ``i`` on one work after
another, printing each work id once the screen shows the decision as recorded.

Usage: python screening_child.py PROJECT REVIEWER COUNT (then exits; COUNT 0 = forever).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from screener.models import Stage
from screener.project import find_project
from screener.screening import ScreeningSession
from screener.tui.app import ScreeningApp
from screener.tui.widgets.decision_bar import DecisionBar


async def main(root: Path, reviewer: str, count: int) -> None:
    project = find_project(root)
    store = project.open_store()
    session = ScreeningSession.open(project, store, reviewer, Stage.TITLE_ABSTRACT)
    app = ScreeningApp(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        done = 0
        while count == 0 or done < count:
            work_id = session.current_id
            start = time.perf_counter()
            await pilot.press("i")
            # "Shown as recorded": the screen has moved on past this work.
            assert session.current_id != work_id or session.progress().remaining == 0
            assert f" · {session.position + 1} of" in str(app.screen.query_one(DecisionBar).render())
            elapsed = time.perf_counter() - start
            sys.stdout.write(f"{work_id} {elapsed:.4f}\n")
            sys.stdout.flush()
            done += 1
    store.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
