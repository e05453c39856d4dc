"""The PRISMA 2020 flow diagram as a standalone, print-ready SVG, drawn by screener.

Layout of the official template (new review, databases, registers and other methods):
phase bars on the left, the two column headers, main boxes with their exclusion boxes to
the right, arrows, the included box, then notes (numbers without a box) and footnotes.
All text is measured (``textmetrics``) and wrapped before boxes are sized, so no text
overlaps or leaves its box. Only SVG 1.1 presentation attributes are used (no CSS, no
scripts, no external fonts), so browsers, Inkscape and print tools draw it the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from screener.prisma.flow import Flow
from screener.prisma.labels import (
    LEFT_HEADER,
    PHASES,
    RIGHT_HEADER,
    Box,
    RenderOptions,
    boxes,
    footnotes,
)
from screener.prisma.textmetrics import text_width, wrap

FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"
SIZE, LINE, PAD = 11.0, 14.0, 8.0
HEAD_SIZE, NOTE_SIZE, FOOT_SIZE = 12.0, 10.0, 9.0
MARGIN, BAR_X, BAR_W = 20.0, 20.0, 26.0
GAP = 34.0
"""Vertical space between rows: room for an arrow."""
COLS = {"LM": (60.0, 220.0), "LS": (310.0, 220.0), "RM": (570.0, 200.0), "RS": (800.0, 200.0)}
RIGHT = COLS["RS"][0] + COLS["RS"][1]
LEFT_ONLY_RIGHT = COLS["LS"][0] + COLS["LS"][1]
"""Right edge of the drawing without the other-methods column ("new SRs v1" template)."""
ROWS: list[dict[str, str]] = [
    {"LM": "dbr_identified", "LS": "dbr_removed", "RM": "other_identified"},
    {"LM": "records_screened", "LS": "records_excluded"},
    {"LM": "dbr_sought", "LS": "dbr_notretrieved", "RM": "other_sought", "RS": "other_notretrieved"},
    {"LM": "dbr_assessed", "LS": "dbr_excluded", "RM": "other_assessed", "RS": "other_excluded"},
    {"LM": "included"},
]
PHASE_ROWS = {"Identification": (0, 0), "Screening": (1, 3), "Included": (4, 4)}
YELLOW, GREY, BLUE, NOTE_FILL, WARN = "#ffc000", "#d9d9d9", "#a9c4eb", "#f4f4f4", "#a40000"


@dataclass
class _Laid:
    """A box's wrapped lines: (text, x offset from the box's text start)."""

    box: Box
    lines: list[tuple[str, float]]
    centered: bool

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + 2 * PAD


def _lay(box: Box, width: float) -> _Laid:
    inner = width - 2 * PAD
    centered = box.id == "included" or all(line.startswith("(n =") for line in box.lines[1:])
    lines: list[tuple[str, float]] = []
    for i, line in enumerate(box.lines):
        indent = 10.0 if i in box.indent else 0.0
        lines += [(part, indent) for part in wrap(line, inner - indent, SIZE)]
    return _Laid(box, lines, centered)


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str = "#ffffff",
             rx: float = 0.0, stroke: str = "#000000") -> None:
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx:.0f}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
        )

    def text(self, x: float, y: float, text: str, size: float = SIZE, bold: bool = False,
             anchor: str = "start", fill: str = "#000000", rotate: bool = False) -> None:
        attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"'
        if bold:
            attrs += ' font-weight="bold"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if fill != "#000000":
            attrs += f' fill="{fill}"'
        if rotate:
            attrs += f' transform="rotate(-90 {x:.1f} {y:.1f})"'
        self.parts.append(f"<text {attrs}>{escape(text)}</text>")

    def arrow(self, *points: tuple[float, float]) -> None:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(
            f'<polyline points="{pts}" fill="none" stroke="#000000" stroke-width="1.2" '
            'marker-end="url(#arrowhead)"/>'
        )

    def group(self, ident: str, keys: tuple[str, ...]) -> None:
        self.parts.append(f'<g id="box-{ident}" data-prisma={quoteattr(" ".join(keys))}>')

    def end(self) -> None:
        self.parts.append("</g>")


def _draw_box(c: _Canvas, laid: _Laid, x: float, y: float, w: float, h: float) -> None:
    c.group(laid.box.id, laid.box.data)
    c.rect(x, y, w, h)
    top = y + (h - len(laid.lines) * LINE) / 2 + LINE * 0.78
    for i, (line, indent) in enumerate(laid.lines):
        if laid.centered:
            c.text(x + w / 2, top + i * LINE, line, anchor="middle")
        else:
            c.text(x + PAD + indent, top + i * LINE, line)
    c.end()


def _header(c: _Canvas, text: str, x: float, w: float, y: float, fill: str) -> float:
    lines = wrap(text, w - 2 * PAD, HEAD_SIZE, bold=True)
    h = len(lines) * (HEAD_SIZE + 3) + 2 * PAD
    c.rect(x, y, w, h, fill=fill, rx=6)
    for i, line in enumerate(lines):
        c.text(x + w / 2, y + PAD + (i + 0.8) * (HEAD_SIZE + 3), line, HEAD_SIZE, True, "middle")
    return h


def _paragraphs(c: _Canvas, items: list[tuple[str, bool]], x: float, y: float, w: float,
                size: float, bullet: str = "") -> float:
    """Wrapped paragraphs (text, is_warning) from ``y``; returns the height used."""
    line_h = size * 1.3
    used = 0.0
    lead = text_width(bullet, size) if bullet else 0.0
    for text, warning in items:
        for i, line in enumerate(wrap(text, w - lead, size, bold=warning)):
            if bullet and i == 0:
                c.text(x, y + used + line_h * 0.8, bullet, size)
            c.text(x + lead, y + used + line_h * 0.8, line, size, warning,
                   fill=WARN if warning else "#000000")
            used += line_h
        used += line_h * 0.25
    return used


def render_svg(flow: Flow, options: RenderOptions | None = None) -> str:
    """The diagram as an SVG document (UTF-8 text)."""
    options = options or RenderOptions()
    all_boxes = boxes(flow, options)
    right = RIGHT if options.other_column else LEFT_ONLY_RIGHT
    width = right + MARGIN
    c = _Canvas()
    y = MARGIN
    if options.title:
        for line in wrap(options.title, right - BAR_X, 14, bold=True):
            c.text((BAR_X + right) / 2, y + 14, line, 14, True, "middle")
            y += 18
        y += 8
    left_w = COLS["LS"][0] + COLS["LS"][1] - COLS["LM"][0]
    c.parts.append('<g id="column-headers">')
    h = _header(c, LEFT_HEADER, COLS["LM"][0], left_w, y, YELLOW)
    if options.other_column:
        h = max(h, _header(c, RIGHT_HEADER, COLS["RM"][0], RIGHT - COLS["RM"][0], y, GREY))
    c.end()
    y += h + 14
    laid: dict[str, tuple[_Laid, float, float, float]] = {}
    row_y: list[tuple[float, float]] = []
    phase_min = {0: text_width(PHASES[0], HEAD_SIZE, True) + 20,
                 4: text_width(PHASES[2], HEAD_SIZE, True) + 20}
    for r, row in enumerate(ROWS):
        items = {col: _lay(all_boxes[b], COLS[col][1]) for col, b in row.items()
                 if options.other_column or col in ("LM", "LS")}
        h = max([it.height for it in items.values()] + [phase_min.get(r, 0.0)])
        for col, it in items.items():
            # Boxes keep their own height, top-aligned in the row, as in the template.
            box_h = max(it.height, phase_min.get(r, 0.0) if col == "LM" else 0.0)
            laid[it.box.id] = (it, COLS[col][0], y, box_h)
            _draw_box(c, it, COLS[col][0], y, COLS[col][1], box_h)
        row_y.append((y, h))
        y += h + GAP
    _arrows(c, laid, options.other_column)
    c.parts.append('<g id="phases">')
    for name, (first, last) in PHASE_ROWS.items():
        top, bottom = row_y[first][0], row_y[last][0] + row_y[last][1]
        c.rect(BAR_X, top, BAR_W, bottom - top, fill=BLUE, rx=6)
        c.text(BAR_X + BAR_W / 2 + HEAD_SIZE * 0.35, (top + bottom) / 2, name, HEAD_SIZE, True,
               "middle", rotate=True)
    c.end()
    y = _notes(c, flow, y - GAP + 22, right)
    foot = footnotes(options)
    if foot:
        c.parts.append('<g id="footnotes">')
        y += _paragraphs(c, [(f, False) for f in foot], BAR_X, y, right - BAR_X, FOOT_SIZE)
        c.end()
    height = y + MARGIN
    desc = (f"PRISMA 2020 flow diagram: {flow.records_screened:,} records screened, "
            f"{flow.new_studies:,} studies included.")
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f"font-family={quoteattr(FONT)}>\n"
        f"<title>{escape(options.title or 'PRISMA 2020 flow diagram')}</title>\n"
        f"<desc>{escape(desc)}</desc>\n"
        '<defs><marker id="arrowhead" markerWidth="10" markerHeight="8" refX="9" refY="4" '
        'orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L10,4 L0,8 z" '
        'fill="#000000"/></marker></defs>\n'
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>\n'
    )
    return head + "\n".join(c.parts) + "\n</svg>\n"


def _arrows(c: _Canvas, laid: dict[str, tuple[_Laid, float, float, float]],
            other_column: bool) -> None:
    def geo(box_id: str) -> tuple[float, float, float, float]:
        _, x, y, h = laid[box_id]
        col = next(k for k, v in COLS.items() if v[0] == x)
        return x, y, COLS[col][1], h

    c.parts.append('<g id="arrows">')
    for main, side in [("dbr_identified", "dbr_removed"), ("records_screened", "records_excluded"),
                       ("dbr_sought", "dbr_notretrieved"), ("dbr_assessed", "dbr_excluded"),
                       ("other_sought", "other_notretrieved"),
                       ("other_assessed", "other_excluded")]:
        if main not in laid:
            continue
        x, y, w, h = geo(main)
        mid = y + min(h, geo(side)[3]) / 2
        c.arrow((x + w, mid), (geo(side)[0], mid))
    for upper, lower in [("dbr_identified", "records_screened"), ("records_screened", "dbr_sought"),
                         ("dbr_sought", "dbr_assessed"), ("dbr_assessed", "included"),
                         ("other_identified", "other_sought"), ("other_sought", "other_assessed")]:
        if upper not in laid:
            continue
        x, y, w, h = geo(upper)
        c.arrow((x + w / 2, y + h), (x + w / 2, geo(lower)[1]))
    if other_column:
        x, y, w, h = geo("other_assessed")
        ix, iy, iw, ih = geo("included")
        c.arrow((x + w / 2, y + h), (x + w / 2, iy + ih / 2), (ix + iw, iy + ih / 2))
    c.end()


def _notes(c: _Canvas, flow: Flow, y: float, right: float) -> float:
    """The notes box (numbers the template has no box for, and failed checks)."""
    if not flow.notes:
        return y
    x, w = COLS["LM"][0], right - COLS["LM"][0]
    items = [(n, n.startswith("INCOMPLETE")) for n in flow.notes]
    heading = "Notes (numbers the PRISMA 2020 template has no box for)"
    c.parts.append('<g id="notes">')
    start = len(c.parts)
    c.text(x + PAD, y + PAD + NOTE_SIZE, heading, NOTE_SIZE + 0.5, True)
    used = _paragraphs(c, items, x + PAD, y + PAD + NOTE_SIZE * 1.6, w - 2 * PAD, NOTE_SIZE,
                       bullet="\u2022 ")
    h = used + NOTE_SIZE * 1.6 + 2 * PAD
    # The box goes under its text: insert the rect before the text drawn above.
    c.parts.insert(start, f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                   f'fill="{NOTE_FILL}" stroke="#808080" stroke-width="1"/>')
    c.end()
    return y + h + 12
