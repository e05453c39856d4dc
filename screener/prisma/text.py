"""The flow diagram as plain text for the terminal: phases, both columns, notes, checks."""

from __future__ import annotations

import textwrap

from screener.prisma.flow import Flow
from screener.prisma.labels import (
    LEFT_HEADER,
    RIGHT_HEADER,
    Box,
    RenderOptions,
    boxes,
    footnotes,
)

_WIDTH = 88

_LAYOUT = {
    "Identification": {
        LEFT_HEADER: ["dbr_identified", "dbr_removed"],
        RIGHT_HEADER: ["other_identified"],
    },
    "Screening": {
        LEFT_HEADER: ["records_screened", "records_excluded", "dbr_sought", "dbr_notretrieved",
                      "dbr_assessed", "dbr_excluded"],
        RIGHT_HEADER: ["other_sought", "other_notretrieved", "other_assessed", "other_excluded"],
    },
}


def _box_lines(box: Box) -> list[str]:
    lead = "  -> " if box.side else "  "
    pad = " " * len(lead)
    lines = box.lines
    # "Records screened" + "(n = 8)" read best on one line.
    joined = len(lines) > 1 and lines[1].startswith("(n =")
    out = [f"{lead}{lines[0]} {lines[1]}" if joined else f"{lead}{lines[0]}"]
    for i, line in enumerate(lines[1:], start=1):
        if joined and i == 1:
            continue
        out.append(f"{pad}  {'  ' if i in box.indent else ''}{line}")
    return out


def render_text(flow: Flow, options: RenderOptions | None = None) -> str:
    """A readable outline of the diagram, followed by notes, checks and footnotes."""
    options = options or RenderOptions()
    all_boxes = boxes(flow, options)
    out = [f"PRISMA 2020 flow diagram{': ' + options.title if options.title else ''}"]
    for phase, columns in _LAYOUT.items():
        out += ["", phase.upper()]
        for header, ids in columns.items():
            if header == RIGHT_HEADER and not options.other_column:
                continue
            out.append(f" {header}")
            for box_id in ids:
                out += [f"  {line}" for line in _box_lines(all_boxes[box_id])]
    inc = all_boxes["included"].lines
    out += ["", "INCLUDED", f"   {inc[0]} {inc[1]}", f"   {inc[2]} {inc[3]}"]
    if flow.notes:
        out += ["", "Notes (numbers the template has no box for):"]
        for note in flow.notes:
            out += textwrap.wrap(note, _WIDTH, initial_indent="  - ", subsequent_indent="    ",
                                 break_on_hyphens=False)
    failed = flow.failed_checks
    out.append("")
    if failed:
        out.append(f"Checks: {len(failed)} of {len(flow.checks)} do not hold "
                   "(the review is not finished or the data are inconsistent):")
        for c in failed:
            out += textwrap.wrap(
                c.message(),
                _WIDTH, initial_indent="  x ", subsequent_indent="    ")
    else:
        out.append(f"Checks: all {len(flow.checks)} relations between boxes hold.")
    notes = footnotes(options)
    if notes:
        out.append("")
        for line in notes:
            out += textwrap.wrap(line, _WIDTH, break_on_hyphens=False)
    return "\n".join(out) + "\n"
