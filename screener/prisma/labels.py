"""The wording of every box, as in the official PRISMA 2020 template, shared by renderers.

Box ids are this module's own; ``data`` lists the R package data names a box shows, so a
user footnote can be attached to a box by any of its data names (``records_excluded``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screener.prisma.flow import Flow, ReasonCount, SourceCount

LEFT_HEADER = "Identification of studies via databases and registers"
RIGHT_HEADER = "Identification of studies via other methods"
PHASES = ("Identification", "Screening", "Included")
TEMPLATE_FOOTNOTES = [
    "*Consider, if feasible to do so, reporting the number of records identified from each "
    "database or register searched (rather than the total number across all "
    "databases/registers).",
    "**If automation tools were used, indicate how many records were excluded by a human "
    "and how many were excluded by automation tools.",
]
SOURCE_LINE = (
    "From: Page MJ, McKenzie JE, Bossuyt PM, Boutron I, Hoffmann TC, Mulrow CD, et al. The "
    "PRISMA 2020 statement: an updated guideline for reporting systematic reviews. BMJ "
    "2021;372:n71. doi: 10.1136/bmj.n71. For more information, visit: "
    "http://www.prisma-statement.org/"
)
MARKERS = ["\u2020", "\u2021", "\u00a7", "\u00b6", "\u2020\u2020", "\u2021\u2021"]
"""Markers of user footnotes (†, ‡, §, ¶, ...), after the template's * and **."""


@dataclass
class RenderOptions:
    """What the user chose beyond the counts."""

    title: str | None = None
    ta_reasons: bool = False
    """List title/abstract exclusion reasons in the "Records excluded" box."""
    footnotes: bool = True
    """Print the template's footnotes (* and **) and its source line."""
    user_footnotes: list[tuple[str | None, str]] = field(default_factory=list)
    """(data name of the box to mark, or None; text) of the user's own footnotes."""
    other_column: bool = True
    """Draw the other-methods column; without it the diagram is the template for reviews
    that searched databases and registers only ("new SRs v1")."""


@dataclass
class Box:
    id: str
    lines: list[str]
    """First line is the heading; the others are counts, one per line."""
    data: tuple[str, ...]
    side: bool = False
    """An exclusion box to the right of a main box."""
    indent: set[int] = field(default_factory=set)
    """Indexes of lines that are per-source details (drawn indented)."""


def n(value: int) -> str:
    """``(n = 1,234)``: the template's count format, thousands separated."""
    return f"(n = {value:,})"


def _sources(box: Box, items: list[SourceCount]) -> None:
    for item in items:
        box.indent.add(len(box.lines))
        box.lines.append(f"{item.name} {n(item.n)}")


def _reasons(box: Box, items: list[ReasonCount]) -> None:
    if not items:
        box.lines.append(n(0))
    for item in items:
        box.lines.append(f"{item.label} {n(item.n)}")


def boxes(flow: Flow, options: RenderOptions) -> dict[str, Box]:
    """Every box of the diagram with its template wording and counts, by id."""
    f = flow
    ident = Box("dbr_identified", ["Records identified from*:", f"Databases {n(f.database_results)}"],
                ("database_results", "database_specific_results", "register_results",
                 "register_specific_results"))
    _sources(ident, f.database_specific_results)
    ident.lines.append(f"Registers {n(f.register_results)}")
    _sources(ident, f.register_specific_results)
    other_lines = [
        "Records identified from:",
        f"Websites {n(f.website_results)}",
        f"Organisations {n(f.organisation_results)}",
        f"Citation searching {n(f.citations_results)}",
    ]
    if f.other_results:
        other_lines.append(f"Other methods {n(f.other_results)}")
    excluded = Box("records_excluded", ["Records excluded**", n(f.records_excluded)],
                   ("records_excluded",), side=True)
    if options.ta_reasons:
        for item in f.records_excluded_reasons:
            excluded.indent.add(len(excluded.lines))
            excluded.lines.append(f"{item.label} {n(item.n)}")
    dbr_excl = Box("dbr_excluded", ["Reports excluded:"], ("dbr_excluded",), side=True)
    _reasons(dbr_excl, f.dbr_excluded)
    other_excl = Box("other_excluded", ["Reports excluded:"], ("other_excluded",), side=True)
    _reasons(other_excl, f.other_excluded)
    all_boxes = [
        ident,
        Box("dbr_removed", [
            "Records removed before screening:",
            f"Duplicate records removed {n(f.duplicates)}",
            f"Records marked as ineligible by automation tools {n(f.excluded_automatic)}",
            f"Records removed for other reasons {n(f.excluded_other)}",
        ], ("duplicates", "excluded_automatic", "excluded_other"), side=True),
        Box("records_screened", ["Records screened", n(f.records_screened)],
            ("records_screened",)),
        excluded,
        Box("dbr_sought", ["Reports sought for retrieval", n(f.dbr_sought_reports)],
            ("dbr_sought_reports",)),
        Box("dbr_notretrieved", ["Reports not retrieved", n(f.dbr_notretrieved_reports)],
            ("dbr_notretrieved_reports",), side=True),
        Box("dbr_assessed", ["Reports assessed for eligibility", n(f.dbr_assessed)],
            ("dbr_assessed",)),
        dbr_excl,
        Box("other_identified", other_lines,
            ("website_results", "organisation_results", "citations_results")),
        Box("other_sought", ["Reports sought for retrieval", n(f.other_sought_reports)],
            ("other_sought_reports",)),
        Box("other_notretrieved", ["Reports not retrieved", n(f.other_notretrieved_reports)],
            ("other_notretrieved_reports",), side=True),
        Box("other_assessed", ["Reports assessed for eligibility", n(f.other_assessed)],
            ("other_assessed",)),
        other_excl,
        Box("included", ["Studies included in review", n(f.new_studies),
                         "Reports of included studies", n(f.new_reports)],
            ("new_studies", "new_reports")),
    ]
    out = {b.id: b for b in all_boxes}
    for marker, (key, _) in zip(MARKERS, options.user_footnotes, strict=False):
        for b in all_boxes:
            if key is not None and key in b.data:
                b.lines[0] += marker
    return out


def box_keys() -> list[str]:
    """Every data name a user footnote may be attached to."""
    return sorted({k for b in boxes(Flow(), RenderOptions()).values() for k in b.data})


def footnotes(options: RenderOptions) -> list[str]:
    """The footnote lines under the diagram, in order."""
    lines = list(TEMPLATE_FOOTNOTES) if options.footnotes else []
    lines += [f"{m}{text}" for m, (_, text) in zip(MARKERS, options.user_footnotes, strict=False)]
    if options.footnotes:
        lines.append(SOURCE_LINE)
    return lines
