"""``screener prisma``: the PRISMA 2020 flow diagram, every number counted from the project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screener.blinding import open_as
from screener.commands import (
    add_command,
    add_reviewer_option,
    blind_notice,
    emit,
    open_project,
    warn,
)
from screener.commands.sources import is_format_name
from screener.errors import ScreenerError
from screener.models import Stage
from screener.output_file import write_output
from screener.terminal import terminal_safe

INCOMPLETE_EXIT = 3
"""Exit code when the boxes do not add up (works pending, conflicts, missing decisions)."""

_BY_SUFFIX = {".svg": "svg", ".md": "md", ".mmd": "mermaid", ".json": "json", ".csv": "csv",
              ".txt": "txt"}


def register(sub: Any) -> None:
    p = add_command(
        sub, "prisma", "draw the PRISMA 2020 flow diagram from the recorded data",
        description="Count every box of the PRISMA 2020 flow diagram (new review; databases, "
        "registers and other methods) from the imported records, duplicates, decisions and "
        "full-text results, and render it. The arithmetic between boxes is checked: when it "
        f"does not hold (e.g. works still pending) the output says why and the exit code is "
        f"{INCOMPLETE_EXIT}.",
    )
    from screener.prisma.render import FORMATS

    p.add_argument("--format", choices=FORMATS, default=None,
                   help="output format (default: from the -o suffix, else txt)")
    p.add_argument("-o", "--output", metavar="FILE", type=Path,
                   help="write to FILE instead of stdout")
    p.add_argument("--force", action="store_true", help="replace FILE when it exists")
    p.add_argument("--title", metavar="TEXT", help="title drawn above the diagram")
    p.add_argument("--ta-reasons", action="store_true",
                   help="list title/abstract exclusion reasons in the 'Records excluded' box")
    p.add_argument("--no-footnotes", action="store_true",
                   help="leave out the template's footnotes (* and **) and source line")
    p.add_argument("--footnote", metavar="[BOX:]TEXT", action="append", default=[],
                   help="add a footnote (repeatable); with BOX (an R data name such as "
                   "records_excluded) its marker (\u2020, \u2021, ...) is put on that box")
    p.add_argument("--no-other-column", action="store_true",
                   help="draw the databases-and-registers-only template (refused when records "
                   "from other methods exist)")
    add_reviewer_option(p, "who is looking: while a stage is blinded, a reviewer who is not a "
                        "lead counts only their own decisions (default: $SCREENER_REVIEWER or "
                        "the login name)")
    p.add_argument("--tui", action="store_true",
                   help="show the diagram's counts in the terminal UI (r recounts, t toggles "
                   "title/abstract reasons)")
    p.set_defaults(func=run)


def _user_footnotes(values: list[str]) -> list[tuple[str | None, str]]:
    from screener.prisma.labels import box_keys

    keys = box_keys()
    out: list[tuple[str | None, str]] = []
    for value in values:
        key, sep, text = value.partition(":")
        if sep and key.strip() in keys:
            out.append((key.strip(), text.strip()))
        elif sep and key.strip().isidentifier() and "_" in key:
            raise ScreenerError(
                f"--footnote: unknown box {key.strip()!r} (one of: {', '.join(keys)})"
            )
        else:
            out.append((None, value.strip()))
    return out


def run(args: argparse.Namespace) -> int:
    from screener.prisma.counting import count_flow
    from screener.prisma.labels import RenderOptions
    from screener.prisma.render import render

    fmt = args.format or (_BY_SUFFIX.get(args.output.suffix.lower()) if args.output else None) or "txt"
    options = RenderOptions(
        title=args.title, ta_reasons=args.ta_reasons, footnotes=not args.no_footnotes,
        user_footnotes=_user_footnotes(args.footnote), other_column=not args.no_other_column,
    )
    project = open_project(args)
    protocol = project.protocol
    store, view = open_as(project, args.reviewer, protocol)
    blind_notice(view, *Stage)
    if args.tui:
        from screener.tui.launch import run_app
        from screener.tui.prisma_screen import PrismaApp

        try:
            run_app(PrismaApp(store, protocol, project.config.title,
                              notice=view.notice(Stage.TITLE_ABSTRACT)),
                    "PRISMA screen", debug=getattr(args, "debug", False))
        finally:
            store.close()
        return 0
    try:
        flow = count_flow(store, protocol, title=args.title or project.config.title)
    finally:
        store.close()
    if not options.other_column and flow.other_methods.records:
        raise ScreenerError(
            f"--no-other-column: {flow.other_methods.records} records come from other methods "
            "(citation searching, websites, organisations); they need the other-methods column"
        )
    text = render(flow, fmt, options)
    if args.output:
        write_output(args.output, text, project=project, force=args.force)
        emit(f"wrote {args.output} ({fmt})")
    else:
        sys.stdout.write(terminal_safe(text))
    unnamed = sorted(s.name for s in flow.database_specific_results if is_format_name(s.name))
    if unnamed:
        warn(f"screener: prisma: {', '.join(unnamed)} is a file format, not a database: name "
             "it with 'screener sources set FILE --source NAME' ('screener sources' lists files)")
    if not flow.consistent:
        for check in flow.failed_checks:
            warn(f"screener: prisma: {check.message()}")
        return INCOMPLETE_EXIT
    return 0
