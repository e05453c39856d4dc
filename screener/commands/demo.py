"""``screener demo [DIR]``: the whole flow on the bundled example review.

Creates a project (default ``./demo-review``) with the shipped protocol, imports every
file in the repository's ``imports/`` folder, deduplicates, and opens the screening
screen. ``--simulate`` adds two simulated reviewers, a lead resolving their conflicts and
the full-text stage, then prints status, agreement and the PRISMA diagram. Re-running
reuses the demo project (only files not imported yet are imported).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import screener
from screener.commands import add_command, emit, warn
from screener.errors import ScreenerError
from screener.models import Role, Stage
from screener.project import CONFIG_NAME, Project, find_project, init_project
from screener.protocol import load_protocol
from screener.store import Store

SOURCES_FILE = "sources.toml"
"""Optional file in the example folder: ``[sources]`` maps a file name to the database its
records came from (the name PRISMA lists), for formats that do not say."""
MARKER = ".screener-demo"
"""File that marks a folder as created by ``screener demo`` (so it may be reused/reset)."""
PROTOCOL_NAME = "interorganizational-health-partnerships.toml"
_DESCRIPTION = """\
Run the whole review flow on the bundled example: create a project (default
./demo-review) with the shipped protocol, import every file of the repository's imports/
folder, deduplicate, and open the screening screen. --simulate adds two simulated
reviewers, a lead who resolves their conflicts and the full-text stage, then prints
status, agreement and the PRISMA diagram. Running it again reuses the demo project: only
files not imported yet are imported."""


def register(sub: Any) -> None:
    p = add_command(
        sub, "demo", "run the whole review flow on the bundled example (imports/ + protocols/)",
        description=_DESCRIPTION, project=False,
    )
    p.add_argument("dir", metavar="DIR", nargs="?", type=Path, default=Path("demo-review"),
                   help="demo project folder (default: ./demo-review)")
    p.add_argument("--simulate", action="store_true",
                   help="fill two reviewers' decisions, resolve conflicts, do the full-text "
                   "stage, then print status, agreement and PRISMA")
    p.add_argument("--no-tui", action="store_true", help="do not open the screening screen")
    p.add_argument("--reviewer", metavar="NAME", default=None,
                   help="who screens in the TUI (default: $SCREENER_REVIEWER or the login "
                   "name; with --simulate, the simulated reviewer ana)")
    p.add_argument("--fresh", action="store_true",
                   help="delete the demo project and start again (only a folder the demo made)")
    p.add_argument("--seed", type=int, metavar="N", default=None,
                   help="seed of the simulation (default: 2020)")
    p.add_argument("--imports", metavar="DIR", type=Path, default=None,
                   help="folder of files to import (default: the repository's imports/)")
    p.add_argument("--protocol", metavar="FILE", type=Path, default=None,
                   help=f"protocol (default: the repository's protocols/{PROTOCOL_NAME})")
    p.set_defaults(func=run)


def repo_root() -> Path:
    """The source checkout the package is installed from (``pip install -e .``)."""
    return Path(screener.__file__).resolve().parent.parent


def demo_inputs(imports: Path | None, protocol: Path | None) -> tuple[list[Path], Path]:
    """The files to import and the protocol; a clear error when they are missing."""
    root = repo_root()
    folder = imports or root / "imports"
    protocol = protocol or root / "protocols" / PROTOCOL_NAME
    hint = "" if imports else " (the demo runs from a source checkout: pip install -e .)"
    if not folder.is_dir():
        raise ScreenerError(f"example folder not found{hint}", path=folder)
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.name != SOURCES_FILE
                   and not p.name.lower().startswith("readme"))
    if not files:
        raise ScreenerError("no files to import in the example folder", path=folder)
    if not protocol.is_file():
        raise ScreenerError(f"protocol not found{hint}", path=protocol)
    return files, protocol


def open_demo(root: Path, protocol: Path, fresh: bool) -> tuple[Project, bool]:
    """The demo project at ``root`` (created, reused or recreated) and whether it is new."""
    is_demo = (root / MARKER).is_file() and (root / CONFIG_NAME).is_file()
    if root.exists() and not is_demo and (not root.is_dir() or any(root.iterdir())):
        raise ScreenerError(
            "folder exists and was not made by 'screener demo'; give another DIR", path=root
        )
    if is_demo and fresh:
        shutil.rmtree(root)
        is_demo = False
    if is_demo:
        return find_project(root), False
    title = f"Demo: {load_protocol(protocol).review.title}"
    project = init_project(root, title=title, protocol=protocol)
    marker = {"created": datetime.now(UTC).isoformat(timespec="seconds"), "by": "screener demo"}
    (root / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    return project, True


def file_sources(folder: Path) -> dict[str, str]:
    """File name -> source name from the folder's ``sources.toml`` (none when absent)."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("sources", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScreenerError(f"not a valid TOML file: {exc}", path=path) from exc
    if not isinstance(table, dict) or not all(
            isinstance(v, str) and v.strip() for v in table.values()):
        raise ScreenerError('[sources] maps file names to source names ("a.bib" = "CINAHL")',
                            path=path)
    return {str(k): v.strip() for k, v in table.items()}


def import_new(store: Store, files: list[Path]) -> int:
    """Import the files not imported yet; returns how many were imported."""
    from screener.importing import import_file

    sources = file_sources(files[0].parent) if files else {}
    done = 0
    for path in files:
        if store.find_file_by_sha(hashlib.sha256(path.read_bytes()).hexdigest()) is not None:
            continue
        try:
            result = import_file(store, path, source=sources.get(path.name))
        except ScreenerError as exc:
            warn(f"  warning: skipped: {exc}")
            continue
        methods = ", ".join(f"{m} {n}" for m, n in sorted(result.by_method.items()))
        noun = "record" if result.records == 1 else "records"
        emit(f"  {path.name}: {result.records} {noun} ({result.format}; source "
             f"{result.source}; {methods})")
        done += 1
    return done


def deduplicate(store: Store) -> None:
    from screener.commands.dedup import DedupProgress
    from screener.dedup.run import run_dedup

    progress = DedupProgress()
    summary = run_dedup(store, progress)
    progress.clear()
    queue = (f"; {summary.review_queue} uncertain pairs to review with 'screener dedup --review'"
             if summary.review_queue else "")
    emit(f"dedup: {summary.records} records -> {summary.unique_works} unique works "
         f"({summary.duplicates_removed} duplicates merged{queue})")


def run(args: argparse.Namespace) -> int:
    files, protocol_file = demo_inputs(args.imports, args.protocol)
    project, created = open_demo(args.dir, protocol_file, args.fresh)
    emit(f"{'created' if created else 'reusing'} demo project {project.root} "
         f"(protocol {project.config.protocol})")
    store = project.open_store()
    try:
        if import_new(store, files):
            deduplicate(store)
        elif not created:
            emit(f"  all {len(files)} example files already imported")
        if args.simulate:
            _simulate(project, store, args.seed)
    finally:
        store.close()
    _print_status(project)
    if args.simulate:
        _print_results(project)
    tty = sys.stdin.isatty() and sys.stdout.isatty()
    reviewer = args.reviewer or _default_reviewer(args.simulate)
    if args.no_tui or not tty:
        root = project.root
        emit("")
        emit("next:")
        what = f"{reviewer}'s screen" if args.simulate and not args.reviewer else "screen it yourself"
        emit(f"  screener screen --project {root} --reviewer {reviewer}   # {what}")
        lead = _lead(project)
        as_lead = f" --reviewer {lead}" if lead else ""
        emit(f"  screener prisma --project {root}{as_lead} -o prisma.svg   # the PRISMA diagram as SVG")
        emit(f"  screener export --project {root}{as_lead} --what included -o included.ris")
        return 0
    from screener.commands.screen import run as run_screen

    code = run_screen(argparse.Namespace(
        project=str(project.root), reviewer=reviewer, stage=Stage.TITLE_ABSTRACT.value,
        intro=_intro(project), debug=getattr(args, "debug", False), order=None,
    ))
    hint = "" if args.simulate else "; 'screener demo --fresh --simulate' simulates a whole review"
    emit(f"every decision is saved in {project.root} (screener status --project "
         f"{project.root}){hint}")
    return code


def _intro(project: Project) -> str:
    """What the demo is, for the introduction over the first work."""
    store = project.open_store()
    try:
        records, works = store.record_count(), store.work_count()
        sources = sorted(store.counts_by("source"))
    finally:
        store.close()
    title = (project.config.title or "").removeprefix("Demo: ").replace("[", "\\[")
    return (f"This is screener's demo: an example systematic review, [i]{title}[/i]. "
            f"{records} records exported from {', '.join(sources)} were imported and "
            f"deduplicated into {works} works, saved in {project.root}/. Screen a few of them "
            "the way a review team does: the PRISMA diagram (p) counts your decisions.")


def _default_reviewer(simulated: bool) -> str:
    """After a simulation the screen opens as its first reviewer (their decisions shown),
    so a look around does not add a third reviewer to the simulated review."""
    if simulated:
        from screener.simulate import REVIEWERS

        return REVIEWERS[0]
    from screener.roster import requested_name

    return requested_name(None)


def _simulate(project: Project, store: Store, seed: int | None) -> None:
    from screener.simulate import DEFAULT_SEED, LEAD, REVIEWERS, simulate_review

    protocol = project.require_protocol()
    existing = store.reviewers(Stage.TITLE_ABSTRACT)
    if set(REVIEWERS) <= set(existing):
        emit(f"simulation: already recorded ({' and '.join(REVIEWERS)}); --fresh starts again")
        return
    if existing:
        raise ScreenerError(
            f"the demo project has decisions by {', '.join(existing)}; the simulation needs "
            "a clean project: run 'screener demo --fresh --simulate'", path=project.root
        )
    # The simulated team is on the roster, so blinding holds in the demo as in a real review:
    # ana's screen shows only ana's decisions; carla, the lead, sees everything.
    for name in REVIEWERS:
        store.put_member(name, Role.REVIEWER.value)
    store.put_member(LEAD, Role.LEAD.value)
    result = simulate_review(store, protocol, project.protocol_version,
                             DEFAULT_SEED if seed is None else seed)
    a, b = REVIEWERS
    emit(f"simulation: {a} and {b} screened {result.works} works each; {LEAD} resolved "
         f"{_plural(result.conflicts_resolved, 'conflict')}")
    emit(f"  full text: {result.fulltext_sought} reports sought, {result.not_retrieved} not "
         f"retrieved, {result.fulltext_included} included, {result.fulltext_excluded} excluded"
         + (f", {_plural(result.fulltext_conflicts_resolved, 'conflict')} resolved"
            if result.fulltext_conflicts_resolved else ""))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _lead(project: Project) -> str | None:
    """The simulated lead, who sees the combined figures, when the demo has a team."""
    from screener.simulate import LEAD

    store = project.open_store()
    try:
        return LEAD if any(m.name == LEAD for m in store.roster()) else None
    finally:
        store.close()


def _print_status(project: Project) -> None:
    from screener.commands.status import run as run_status

    emit("")
    run_status(argparse.Namespace(project=str(project.root), json=False, reviewer=_lead(project)))


def _print_results(project: Project) -> None:
    from screener.agreement_report import agreement_report
    from screener.commands.agreement import render_report
    from screener.prisma.counting import count_flow
    from screener.prisma.text import render_text
    from screener.simulate import REVIEWERS

    protocol = project.protocol
    store = project.open_store()
    try:
        report = agreement_report(store, Stage.TITLE_ABSTRACT, REVIEWERS, protocol=protocol)
        flow = count_flow(store, protocol, title=project.config.title)
    finally:
        store.close()
    emit("")
    for line in render_report(report):
        emit(line)
    emit("")
    sys.stdout.write(render_text(flow))
    for check in flow.failed_checks:
        warn(f"screener: prisma: {check.message()}")
