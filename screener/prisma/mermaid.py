"""The flow diagram as Mermaid (renders on GitHub/GitLab) and as a Markdown section."""

from __future__ import annotations

from screener.prisma.flow import Flow
from screener.prisma.labels import LEFT_HEADER, RIGHT_HEADER, Box, RenderOptions, boxes, footnotes

_EDGES = [
    ("dbr_identified", "dbr_removed"), ("dbr_identified", "records_screened"),
    ("records_screened", "records_excluded"), ("records_screened", "dbr_sought"),
    ("dbr_sought", "dbr_notretrieved"), ("dbr_sought", "dbr_assessed"),
    ("dbr_assessed", "dbr_excluded"), ("dbr_assessed", "included"),
    ("other_identified", "other_sought"), ("other_sought", "other_notretrieved"),
    ("other_sought", "other_assessed"), ("other_assessed", "other_excluded"),
    ("other_assessed", "included"),
]
_LEFT = ["dbr_identified", "dbr_removed", "records_screened", "records_excluded", "dbr_sought",
         "dbr_notretrieved", "dbr_assessed", "dbr_excluded"]
_RIGHT = ["other_identified", "other_sought", "other_notretrieved", "other_assessed",
          "other_excluded"]


def _label(box: Box) -> str:
    # Mermaid labels: quotes and angle brackets must be entities; <br/> breaks lines.
    text = "<br/>".join(
        line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        for line in box.lines
    )
    return f'"{text}"'


def render_mermaid(flow: Flow, options: RenderOptions | None = None) -> str:
    """A ``flowchart TD`` with both columns as subgraphs and the included box below."""
    options = options or RenderOptions()
    all_boxes = boxes(flow, options)
    out = ["flowchart TD"]
    columns = [("dbr", LEFT_HEADER, _LEFT), ("other", RIGHT_HEADER, _RIGHT)]
    for name, title, ids in columns if options.other_column else columns[:1]:
        out.append(f'  subgraph {name}["{title}"]')
        out += [f"    {i}[{_label(all_boxes[i])}]" for i in ids]
        out.append("  end")
    out.append(f"  included[{_label(all_boxes['included'])}]")
    shown = set(_LEFT) | ({"included"} | set(_RIGHT) if options.other_column else {"included"})
    out += [f"  {a} --> {b}" for a, b in _EDGES if a in shown]
    out.append("  style dbr fill:#fff8e0,stroke:#c09000")
    if options.other_column:
        out.append("  style other fill:#f2f2f2,stroke:#808080")
    return "\n".join(out) + "\n"


def render_markdown(flow: Flow, options: RenderOptions | None = None) -> str:
    """A README section: the Mermaid diagram, a table of every box, notes, checks."""
    options = options or RenderOptions()
    title = options.title or "PRISMA 2020 flow diagram"
    out = [f"## {title}", "", "```mermaid", render_mermaid(flow, options).rstrip(), "```", ""]
    out += ["| Box | n |", "| --- | ---: |"]
    data = flow.model_dump()
    for key in ("database_results", "register_results", "website_results",
                "organisation_results", "citations_results", "duplicates", "excluded_automatic",
                "excluded_other", "records_screened", "records_excluded", "dbr_sought_reports",
                "dbr_notretrieved_reports", "dbr_assessed", "other_sought_reports",
                "other_notretrieved_reports", "other_assessed", "new_studies", "new_reports"):
        out.append(f"| `{key}` | {data[key]:,} |")
    for key, items in (("dbr_excluded", flow.dbr_excluded), ("other_excluded", flow.other_excluded)):
        for r in items:
            out.append(f"| `{key}`: {r.label.replace('|', '/')} | {r.n:,} |")
    if flow.notes:
        out += ["", "**Notes** (numbers the PRISMA 2020 template has no box for):", ""]
        out += [f"- {n}" for n in flow.notes]
    out.append("")
    failed = flow.failed_checks
    if failed:
        out.append(f"**Checks:** {len(failed)} of {len(flow.checks)} do not hold:")
        out.append("")
        out += [f"- {c.message()}" for c in failed]
    else:
        out.append(f"**Checks:** all {len(flow.checks)} relations between boxes hold.")
    foot = footnotes(options)
    if foot:
        out += [""] + [f"<sub>{line.replace('*', chr(92) + '*')}</sub>  " for line in foot]
    return "\n".join(out) + "\n"
