"""Screening TUI benchmark: open time and decision-to-next-record time on 100k works.

    python bench/tui.py                     # 100k works, 200 decisions
    python bench/tui.py --works 20000 --decisions 50
    python bench/tui.py --rebuild           # rebuild the cached project

The project (records inserted straight through the store, synthetic titles and
abstracts of realistic length) is cached in the temp folder between runs. "open" is
the time from building the reviewer's session to the first work drawn (Pilot, headless
120x40). "decision" is the time from the ``i`` key event entering the app (sent through
the driver, as a terminal would) until the next work has been drawn
(``call_after_refresh``). The decision is committed by the screen's writing thread
(``screener.write_queue``; journaled before the screen moves on, so a kill loses nothing)
meanwhile: "stored" is the time from the key until that commit, printed too. ``pilot.press`` itself adds a
fixed idle-detection wait (it sleeps until the process looks idle), so its figure is
printed too, with an unbound key as the baseline of that harness cost.
Targets: open <= 2 s, decision <= 50 ms.

The queue is in the protocol's order (ranked by default; ``--order`` overrides it). In
ranked order the screen retrains the reviewer's model in a child process at open and after
every 5 decisions, or 1% of those made once that is more (alice, half-way, has includes
and excludes, so she retrains from the start: building the features of 100k texts takes
the child several seconds); the keys pressed while a retrain was running are timed separately, since that is
when the 50 ms budget is at risk on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run against this checkout even when another clone is the installed ``screener``.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from screener.models import Author, Choice, Method, ParsedRecord, Record, Stage  # noqa: E402
from screener.project import Project, find_project, init_project  # noqa: E402
from screener.protocol import QueueOrder  # noqa: E402
from screener.screening import ScreeningSession  # noqa: E402
from screener.store.schema import SCHEMA_VERSION  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "protocols" / "interorganizational-health-partnerships.toml"
WORDS = ["partnership", "collaboration", "hospital", "municipality", "network", "governance", "trust", "primary", "care", "public", "health", "alliance", "outcomes", "patients", "services", "integrated", "coordination", "evaluation", "qualitative", "interviews", "survey", "managers", "funding", "policy", "regional", "community", "social", "care", "trial", "randomised", "dosage", "efficacy", "cohort", "analysis", "study", "results", "methods", "data"]


# A long tail of rarer words, drawn Zipf-like, as real abstracts have: with the common
# words only, every word is in over 95% of the texts, the model's vocabulary is empty and
# it never ranks (the screen then measured a queue that could not be ranked).
_SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu", "bar", "den",
              "fil", "gor", "hut", "jin", "mek", "nol", "pra", "sut"]
RARE = sorted({"".join(random.Random(n).choices(_SYLLABLES, k=3)) for n in range(6000)})
RARE_WEIGHTS = [1 / (rank + 1) for rank in range(len(RARE))]


def _words(rng: random.Random, n: int) -> str:
    common = [rng.choice(WORDS) for _ in range(n - n // 4)]
    return " ".join(common + rng.choices(RARE, RARE_WEIGHTS, k=n // 4))


def synthetic(i: int, rng: random.Random) -> ParsedRecord:
    title = _words(rng, rng.randint(8, 16)).capitalize()
    abstract = _words(rng, rng.randint(150, 280)) + "."
    authors = [Author(family=f"Author{rng.randint(1, 5000)}", initials="AB") for _ in range(4)]
    record = Record(
        title=f"{title} ({i})", abstract=abstract, authors=authors, year=1990 + i % 35,
        journal="Journal of Synthetic Health Services", doi=f"10.9999/bench.{i}",
        keywords=rng.sample(WORDS, 4),
    )
    return ParsedRecord(record=record, index=i, line=i * 10 + 1, raw="")


def build(root: Path, works: int, decided: int) -> Project:
    project = init_project(root, title="TUI benchmark", protocol=PROTOCOL)
    store = project.open_store()
    rng = random.Random(7)
    try:
        with store.transaction():
            file_id = store.add_source_file(path="bench.ris", sha256="bench", format="ris",
                                            source="Synthetic", method=Method.DATABASE)
            store.add_records(file_id, Method.DATABASE, (synthetic(i, rng) for i in range(works)))
        # A reviewer half-way through, so opening also has to find the resume point.
        ids = store.work_ids()[:decided]
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, note, "
                "protocol_version, created_at) VALUES (?, 'alice', 'title_abstract', ?, '[]', "
                "NULL, 'bench', '2026-01-01T00:00:00+00:00')",
                [(w, Choice.INCLUDE.value if w % 3 else Choice.EXCLUDE.value) for w in ids],
            )
    finally:
        store.close()
    return project


async def key_to_draw(app: Any, session: ScreeningSession, key: str) -> tuple[float, float]:
    """Wall and CPU seconds from sending ``key`` through the driver to the next work drawn
    (CPU time: what the figure would be on an idle machine; the benchmark box is shared)."""
    from textual import events

    before = session.position
    committed = session.writes.committed if session.writes is not None else 0
    drawn = asyncio.Event()
    start, cpu = time.perf_counter(), time.process_time()
    event = events.Key(key, key)
    event.set_sender(app)
    app._driver.send_message(event)
    while session.position == before:
        await asyncio.sleep(0)
    app.call_after_refresh(drawn.set)
    await drawn.wait()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    STORED.append(await _stored(session, committed, start))
    return wall, used


STORED: list[float] = []
"""Seconds from each timed key to its decision committed by the writing thread."""


async def _stored(session: ScreeningSession, committed: int, start: float) -> float:
    writes = session.writes
    while writes is not None and writes.committed <= committed:
        await asyncio.sleep(0.0005)
    return time.perf_counter() - start


async def measure(project: Project, reviewer: str, decisions: int, order: QueueOrder | None = None
                  ) -> tuple[float, list[tuple[float, float, bool]], list[float], list[float]]:
    from screener.tui.app import ScreeningApp
    from screener.tui.widgets.decision_bar import DecisionBar

    start = time.perf_counter()
    store = project.open_store()
    session = ScreeningSession.open(project, store, reviewer, Stage.TITLE_ABSTRACT,
                                    order_mode=order)
    app = ScreeningApp(session)
    times: list[tuple[float, float, bool]] = []
    pilot_times: list[float] = []
    baseline: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        opened = time.perf_counter() - start
        bar = app.screen.query_one(DecisionBar)
        for _ in range(decisions):
            before = session.position
            retraining = bool(getattr(app.screen, "retraining", False))
            times.append((*await key_to_draw(app, session, "i"), retraining))
            assert session.position == before + 1 and f"· {before + 2} of" in str(bar.render())
        for _ in range(min(decisions, 30)):
            t0 = time.perf_counter()
            await pilot.press("i")
            await pilot.pause()
            pilot_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            await pilot.press("x")  # unbound: the harness's own cost
            await pilot.pause()
            baseline.append(time.perf_counter() - t0)
    store.close()
    return opened, times, pilot_times, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--order", choices=[o.value for o in QueueOrder], default=None,
                        help="queue order (default: the protocol's, ranked)")
    parser.add_argument("--without-agreement-panel", action="store_true",
                        help="stop the agreement panel's background computation, to time the "
                        "screen alone (the panel recomputes pilot agreement after each decision)")
    args = parser.parse_args()
    if args.without_agreement_panel:
        from screener.tui.widgets.agreement_panel import AgreementPanel

        AgreementPanel.refresh_figures = lambda self: None  # type: ignore[method-assign]
    # The schema version in the name: a cached project is never migrated under the feet of
    # another checkout's benchmark.
    root = Path(tempfile.gettempdir()) / f"screener-bench-tui-{args.works}-v{SCHEMA_VERSION}-t2"
    if args.rebuild or not (root / "screener.toml").exists():
        if root.exists():
            import shutil

            shutil.rmtree(root)
        t0 = time.perf_counter()
        project = build(root, args.works, args.works // 2)
        print(f"built {args.works} works ({args.works // 2} decided by alice) "
              f"in {time.perf_counter() - t0:.1f} s: {root}")
    else:
        project = find_project(root)
    print(f"project: {args.works} works; terminal 120x40 headless (Pilot); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for reviewer, label in (("bob", "new reviewer"), ("alice", "resuming half-way")):
        STORED.clear()
        opened, times, pilot_times, baseline = asyncio.run(
            measure(project, reviewer, args.decisions,
                    QueueOrder(args.order) if args.order else None))
        ms = sorted(t[0] * 1000 for t in times)
        cpu_ms = sorted(t[1] * 1000 for t in times)
        p95 = ms[max(int(len(ms) * 0.95) - 1, 0)]
        print(f"{label}: open {opened:.2f} s ({'ok' if opened <= 2 else 'OVER'}; target <= 2 s)")
        print(f"  decision key -> next work drawn, {len(ms)} decisions: median "
              f"{statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms "
              f"({'ok' if p95 <= 50 else 'OVER'}; target <= 50 ms)")
        print(f"  same, CPU time of this process: median {statistics.median(cpu_ms):.1f} ms, "
              f"p95 {cpu_ms[max(int(len(cpu_ms) * 0.95) - 1, 0)]:.1f} ms")
        stored = sorted(t * 1000 for t in STORED)
        print(f"  decision key -> decision committed (writing thread): median "
              f"{statistics.median(stored):.1f} ms, p95 {stored[max(int(len(stored) * 0.95) - 1, 0)]:.1f} ms")
        during = sorted(t[0] * 1000 for t in times if t[2])
        if during:
            p95_during = during[max(int(len(during) * 0.95) - 1, 0)]
            print(f"  while the model retrained in the background ({len(during)} of {len(ms)} "
                  f"keys): median {statistics.median(during):.1f} ms, p95 {p95_during:.1f} ms "
                  f"({'ok' if p95_during <= 50 else 'OVER'}; target <= 50 ms)")
        print(f"  pilot.press('i')+pause: median {statistics.median(pilot_times) * 1000:.1f} ms; "
              f"unbound key (harness only): median {statistics.median(baseline) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
