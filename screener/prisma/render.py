"""One entry point for every output format of ``screener prisma``."""

from __future__ import annotations

import json

from screener.prisma.flow import Flow
from screener.prisma.labels import RenderOptions

FORMATS = ("txt", "svg", "md", "mermaid", "json", "csv")


def render_json(flow: Flow) -> str:
    """The counts under the R package's data names, plus notes, checks and ``consistent``."""
    data = flow.model_dump(mode="json")
    data["consistent"] = flow.consistent
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(flow: Flow, fmt: str, options: RenderOptions | None = None) -> str:
    """The diagram in ``fmt`` (one of ``FORMATS``)."""
    options = options or RenderOptions()
    if fmt == "json":
        return render_json(flow)
    if fmt == "txt":
        from screener.prisma.text import render_text

        return render_text(flow, options)
    if fmt == "svg":
        from screener.prisma.svg import render_svg

        return render_svg(flow, options)
    if fmt == "mermaid":
        from screener.prisma.mermaid import render_mermaid

        return render_mermaid(flow, options)
    if fmt == "md":
        from screener.prisma.mermaid import render_markdown

        return render_markdown(flow, options)
    if fmt == "csv":
        from screener.prisma.csv_template import render_csv

        return render_csv(flow)
    raise ValueError(f"unknown format {fmt!r}")
