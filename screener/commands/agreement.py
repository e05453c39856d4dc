"""``screener agreement``: inter-rater agreement of two reviewers (or a pilot round)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.agreement import AgreementStats, interpret_kappa
from screener.agreement_report import (
    MAYBE_NOTE,
    THREE_CATEGORIES,
    AgreementReport,
    agreement_report,
    choose_reviewers,
)
from screener.blinding import open_as
from screener.commands import add_command, add_reviewer_option, emit, open_project
from screener.models import Stage

_EPILOG = """\
Compares the two reviewers on the works both have screened. The 2x2 table is include vs
exclude, with a maybe counted as not excluded (with include); the three-category table
keeps maybe apart. Figures that a table leaves undefined are shown as n/a (null in JSON)
with the reason.
"""


def register(sub: Any) -> None:
    p = add_command(sub, "agreement", "inter-rater agreement: kappa, PABAK, AC1, alpha, ...",
                    description=None)
    p.epilog = _EPILOG
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--reviewers", nargs=2, metavar=("A", "B"),
                   help="the two reviewers to compare (default: the stage's two reviewers)")
    p.add_argument("--first", type=int, metavar="N",
                   help="pilot round: only each reviewer's first N decisions")
    p.add_argument("--stage", choices=[s.value for s in Stage], default=Stage.TITLE_ABSTRACT.value,
                   help="screening stage (default: title_abstract)")
    add_reviewer_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    protocol = project.protocol
    stage = Stage(args.stage)
    store, view = open_as(project, args.reviewer, protocol)
    try:
        view.require_combined(stage, "agreement")
        pair = choose_reviewers(store, stage, args.reviewers)
        report = agreement_report(store, stage, pair, first=args.first, protocol=protocol)
    finally:
        store.close()
    if args.json:
        emit(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        for line in render_report(report):
            emit(line)
    return 0


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ci(low: float | None, high: float | None) -> str:
    return "n/a" if low is None or high is None else f"{low:.3f} to {high:.3f}"


def _table(title: str, a: str, b: str, cats: list[str], table: list[list[int]]) -> list[str]:
    width = max(len(a), *(len(c) for c in cats)) + 2
    col = max(8, *(len(c) + 1 for c in cats))
    lines = [title, f"{'':{width}}{b:>{col * len(cats)}}",
             f"{a:<{width}}" + "".join(f"{c:>{col}}" for c in cats)]
    for cat, row in zip(cats, table, strict=True):
        lines.append(f"  {cat:<{width - 2}}" + "".join(f"{n:>{col}}" for n in row))
    return lines


_ROWS: list[tuple[str, Any]] = [
    ("works compared (n)", lambda s: str(s.n)),
    ("observed agreement", lambda s: _f(s.percent_agreement)),
    ("expected agreement", lambda s: _f(s.expected_agreement)),
    ("Cohen's kappa", lambda s: _f(s.cohen_kappa)),
    ("  SE (Fleiss-Cohen-Everitt)", lambda s: _f(s.kappa_se)),
    ("  95% CI", lambda s: _ci(s.kappa_ci_low, s.kappa_ci_high)),
    ("  95% CI, t(n-1)", lambda s: _ci(s.kappa_ci_t_low, s.kappa_ci_t_high)),
    ("  SE under H0 / z", lambda s: f"{_f(s.kappa_se0)} / {_f(s.kappa_z, 2)}"),
    ("  maximum kappa", lambda s: _f(s.kappa_max)),
    ("PABAK", lambda s: _f(s.pabak)),
    ("prevalence index", lambda s: _f(s.prevalence_index)),
    ("bias index", lambda s: _f(s.bias_index)),
    ("positive agreement", lambda s: _f(s.positive_agreement)),
    ("negative agreement", lambda s: _f(s.negative_agreement)),
    ("specific agreement", lambda s: " / ".join(_f(v, 2) for v in s.specific_agreement)),
    ("Scott's pi", lambda s: _f(s.scott_pi)),
    ("Gwet's AC1", lambda s: _f(s.gwet_ac1)),
    ("  SE", lambda s: _f(s.gwet_ac1_se)),
    ("  95% CI", lambda s: _ci(s.gwet_ac1_ci_low, s.gwet_ac1_ci_high)),
    ("Krippendorff's alpha", lambda s: _f(s.krippendorff_alpha)),
]


def _figures(two: AgreementStats, three: AgreementStats) -> list[str]:
    lines = [f"{'':30}{'2x2':>24}  {'3 categories':>24}"]
    for label, show in _ROWS:
        lines.append(f"{label:<30}{show(two):>24}  {show(three):>24}")
    return lines


def render_report(report: AgreementReport) -> list[str]:
    """The plain-text report of ``screener agreement``."""
    a, b = report.reviewers
    stage = report.stage.value.replace("_", "/")
    scope = f"pilot round: each reviewer's first {report.first} decisions, " if report.first else ""
    lines = [f"Agreement at {stage}: {a} (rows) vs {b} (columns); "
             f"{scope}{report.two.n} works screened by both", ""]
    lines += _table("Three categories:", a, b, THREE_CATEGORIES, report.three.table)
    lines.append("")
    lines += _table(f"2x2 include vs exclude ({MAYBE_NOTE}):", a, b,
                    ["include", "exclude"], report.two.table)
    lines += ["", *_figures(report.two, report.three), ""]
    lines.append("specific agreement is per category: include / exclude (/ maybe); prevalence "
                 "and bias indices and positive/negative agreement are 2x2 figures.")
    kappa = report.two.cohen_kappa
    lines.append(f"kappa {_f(kappa, 2)}: {report.interpretation}")
    if report.three.cohen_kappa is not None:
        lines.append(f"three categories: kappa {_f(report.three.cohen_kappa, 2)}: "
                     f"{interpret_kappa(report.three.cohen_kappa)}")
    if report.warning:
        lines.append(f"warning: {report.warning}")
    notes = dict.fromkeys(report.two.messages + [
        m for m in report.three.messages if m not in report.two.messages
    ])
    lines += [f"note: {m}" for m in notes]
    lines += ["", *_reason_lines(report)]
    return lines


def _reason_lines(report: AgreementReport) -> list[str]:
    if not report.both_excluded:
        return ["Exclusion reasons: no work excluded by both reviewers yet."]
    share = report.same_reasons / report.both_excluded
    lines = [f"Exclusion reasons where both excluded ({report.both_excluded} works; "
             f"same reasons on {report.same_reasons}, {share:.0%}):"]
    cited = [r for r in report.by_reason if r.by_a + r.by_b]
    width = max(10, *(len(r.reason) for r in cited))
    a, b = (r[:8] for r in report.reviewers)
    lines.append(f"  {'reason':<{width}}{a:>9}{b:>9}{'both':>6}{'specific':>10}{'kappa':>8}")
    for r in cited:
        lines.append(f"  {r.reason:<{width}}{r.by_a:>9}{r.by_b:>9}{r.both:>6}"
                     f"{_f(r.specific_agreement, 2):>10}{_f(r.cohen_kappa, 2):>8}")
    unused = len(report.by_reason) - len(cited)
    if unused:
        lines.append(f"  ({unused} other protocol reasons cited by neither)")
    return lines
