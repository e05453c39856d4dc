"""``screener pilot restart``: a new calibration round after a failed pilot."""

from __future__ import annotations

import argparse
import re
from typing import Any

from screener.agreement_report import pilot_status
from screener.commands import add_command, emit, open_project, project_options
from screener.errors import ScreenerError
from screener.models import Stage

_VERSION_LINE = re.compile(r'^(\s*version\s*=\s*)"([^"]*)"', re.MULTILINE)


def register(sub: Any) -> None:
    p = add_command(sub, "pilot", "start a new pilot (calibration) round",
                    description="A pilot round compares each reviewer's first pilot_size "
                    "decisions made under the protocol's current [review].version with the "
                    "protocol's kappa_threshold.", project=False)
    group = p.add_subparsers(dest="pilot_command", metavar="ACTION")
    restart = group.add_parser(
        "restart", help="start a new pilot round (bumps the protocol's version)",
        description="Start a new pilot round: the project's protocol gets the next "
        "[review].version (1.0 -> 1.1), so the next pilot_size decisions of each reviewer, "
        "made under it, are the new round; the failed round's decisions stay in the history "
        "under the old version. Refine the criteria in the protocol first.",
        parents=[project_options()],
    )
    restart.set_defaults(func=run_restart)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    return 2


def next_version(version: str) -> str:
    """``1.0`` -> ``1.1``, ``2`` -> ``3``, ``draft`` -> ``draft.1``."""
    match = re.search(r"(\d+)$", version)
    if match is None:
        return f"{version}.1"
    return version[:match.start()] + str(int(match.group(1)) + 1)


def run_restart(args: argparse.Namespace) -> int:
    project = open_project(args)
    protocol = project.require_protocol()
    s = protocol.screening
    if s.pilot_size is None or s.kappa_threshold is None:
        raise ScreenerError("the protocol has no pilot: set pilot_size and kappa_threshold "
                            "in its [screening] table", path=project.protocol_path)
    path = project.protocol_path
    assert path is not None
    store = project.open_store()
    try:
        before = pilot_status(store, protocol, Stage.TITLE_ABSTRACT)
    finally:
        store.close()
    text = path.read_text(encoding="utf-8")
    review = text.find("[review]")
    match = _VERSION_LINE.search(text, review if review >= 0 else 0)
    old = protocol.review.version
    new = next_version(old)
    if match is None:
        # No version line: add one under [review].
        if review < 0:
            raise ScreenerError("no [review] table", path=path)
        end = text.index("\n", review) + 1
        text = text[:end] + f'version = "{new}"\n' + text[end:]
    else:
        text = text[:match.start()] + f'{match.group(1)}"{new}"' + text[match.end():]
    path.write_text(text, encoding="utf-8")
    if before is not None and before.complete and before.reached:
        emit(f"note: the pilot under version {old} had been reached "
             f"(kappa {before.kappa:.2f}); starting a new round anyway")
    emit(f"{path.name}: version {old} -> {new}: a new pilot round of {s.pilot_size} decisions "
         f"per reviewer starts; decisions of the earlier round stay in the history")
    return 0
