"""``screener simulate``: replay ranked screening over a labelled CSV."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit
from screener.errors import ScreenerError


def register(sub: Any) -> None:
    p = add_command(
        sub, "simulate", "replay ranked screening over a labelled CSV and measure it",
        description="Pretend to be a reviewer: starting from prior records drawn with each seed,\n"
        "the ranking picks the next record and its label is revealed, until every include\n"
        "is found and the stopping rule (when set) has said stop. Prints WSS@95, recall\n"
        "at 10 %, loss and ATD per seed. The CSV needs title, abstract and a 0/1 label\n"
        "column. The stopping rule comes from --stop-recall, else from the project's\n"
        "protocol ([screening] stop_recall) when run inside a project.",
        project=True,
    )
    p.add_argument("file", metavar="FILE", type=Path, help="labelled CSV")
    p.add_argument("--seeds", type=int, default=1, metavar="N",
                   help="runs with seeds 1..N (default 1)")
    p.add_argument("--prior-included", type=int, default=1, metavar="N",
                   help="included records known before ranking starts (default 1)")
    p.add_argument("--prior-excluded", type=int, default=1, metavar="N",
                   help="excluded records known before ranking starts (default 1)")
    p.add_argument("--label-column", default="label_included", metavar="NAME",
                   help="the 0/1 label column (default label_included)")
    p.add_argument("--stop-recall", type=float, default=None, metavar="R",
                   help="recall target of the stopping rule (e.g. 0.95)")
    p.add_argument("--stop-confidence", type=float, default=None, metavar="C",
                   help="confidence of the stopping rule (default 0.95)")
    p.add_argument("--json", action="store_true",
                   help='print {"runs": [...], "mean": {...}} as JSON')
    p.set_defaults(func=run)


def _protocol_rule(args: argparse.Namespace) -> tuple[float | None, float | None]:
    """(stop_recall, stop_confidence) of the project's protocol, when inside a project."""
    from screener.errors import NotAProjectError
    from screener.project import find_project
    from screener.protocol import load_protocol

    try:
        project = find_project(args.project)
    except NotAProjectError:
        if args.project is not None:
            raise
        return None, None
    if project.protocol_path is None:
        return None, None
    screening = load_protocol(project.protocol_path).screening
    return screening.stop_recall, screening.stop_confidence


def run(args: argparse.Namespace) -> int:
    from screener.ranking.replay import read_labelled, recall_at, simulate

    if args.seeds < 1:
        raise ScreenerError("--seeds must be at least 1")
    if args.prior_included < 0 or args.prior_excluded < 0:
        raise ScreenerError("prior counts cannot be negative")
    recall, confidence = args.stop_recall, args.stop_confidence
    if recall is None:
        recall, protocol_confidence = _protocol_rule(args)
        confidence = confidence if confidence is not None else protocol_confidence
    confidence = 0.95 if confidence is None else confidence
    for name, value in (("--stop-recall", recall), ("--stop-confidence", confidence)):
        if value is not None and not 0 < value < 1:
            raise ScreenerError(f"{name} must be between 0 and 1, not {value}")
    data = read_labelled(args.file, args.label_column)
    result = simulate(data, range(1, args.seeds + 1), args.prior_included, args.prior_excluded,
                      recall, confidence)
    if args.json:
        emit(json.dumps(result))
        return 0
    total, includes = len(data.labels), sum(data.labels)
    emit(f"{args.file.name}: {total} records, {includes} includes ({args.label_column})")
    emit(f"{'seed':>5} {'WSS@95':>7} {'recall@10%':>10} {'loss':>6} {'ATD':>6}  stopping rule")
    for r in result["runs"]:
        stop = "no rule" if recall is None else (
            "never fired" if r["stopped_at"] is None else
            f"stop at {r['stopped_at']} read, recall "
            f"{recall_at(r['order'], data.labels, r['stopped_at']):.3f}")
        emit(f"{r['seed']:>5} {r['wss95']:>7.3f} {r['recall_at_10']:>10.3f} {r['loss']:>6.3f} "
             f"{r['atd']:>6.3f}  {stop}")
    m = result["mean"]
    emit(f"{'mean':>5} {m['wss95']:>7.3f} {m['recall_at_10']:>10.3f} {m['loss']:>6.3f} "
         f"{m['atd']:>6.3f}")
    return 0
