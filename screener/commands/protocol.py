"""``screener protocol check FILE`` and ``screener protocol show``: validate and read protocols."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, open_project, project_options
from screener.protocol import ReviewProtocol, load_protocol, protocol_version
from screener.starter_protocol import STARTER_NAME, write_starter_protocol


def register(sub: Any) -> None:
    p = add_command(sub, "protocol", "check or show a review protocol", project=False)
    group = p.add_subparsers(dest="protocol_command", metavar="ACTION")
    check = group.add_parser(
        "check", help="validate a protocol file", description="Validate a protocol TOML file; "
        "an error names the file, the line, the key and the problem.",
    )
    check.add_argument("file", metavar="FILE", type=Path)
    check.set_defaults(func=run_check)
    show = group.add_parser(
        "show", help="show the project's protocol", parents=[project_options()],
        description="Show the project's protocol: question, criteria, reasons, keywords, policy.",
    )
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(func=run_show)
    new = group.add_parser(
        "new", help="write a starter protocol to edit",
        description="Write a starter protocol (generic population, intervention, outcome and "
        "design criteria, every key explained) to FILE for the team to edit. An existing "
        "file is never overwritten.",
    )
    new.add_argument("file", metavar="FILE", type=Path, nargs="?", default=Path(STARTER_NAME),
                     help=f"where to write it (default: {STARTER_NAME})")
    new.add_argument("--title", metavar="T", help="review title (default: 'My systematic review')")
    new.set_defaults(func=run_new)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage()
    return 2


def run_new(args: argparse.Namespace) -> int:
    write_starter_protocol(args.file, args.title or "My systematic review")
    emit(f"wrote {args.file}: a starter protocol; edit the question and criteria, then "
         f"'screener protocol check {args.file}', and use it with "
         f"'screener init DIR --protocol {args.file}'")
    return 0


def run_check(args: argparse.Namespace) -> int:
    protocol = load_protocol(args.file)
    c = protocol.criteria
    emit(
        f"{args.file}: ok: version {protocol_version(args.file, protocol)}, "
        f"{len(c.inclusion)} inclusion and {len(c.exclusion)} exclusion criteria, "
        f"{len(protocol.fulltext_reasons)} full-text reasons, "
        f"{len(protocol.keywords.include)}+{len(protocol.keywords.exclude)} keywords, "
        f"policy {protocol.screening.policy.value}"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    project = open_project(args)
    protocol = project.require_protocol()
    path, version = project.protocol_path, project.protocol_version
    assert version is not None
    if args.json:
        emit(json.dumps({"path": str(path), "version": version, **protocol.model_dump(mode="json")},
                        indent=2, ensure_ascii=False))
        return 0
    for line in describe(protocol, version):
        emit(line)
    return 0


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), 88, initial_indent=indent, subsequent_indent=indent)


def describe(protocol: ReviewProtocol, version: str) -> list[str]:
    """The protocol as readable text."""
    out = [protocol.review.title, f"version {version}", ""]
    out += _wrap(protocol.review.question, "") + ["", "Inclusion criteria:"]
    for c in protocol.criteria.inclusion:
        out.append(f"  {c.id}  {c.label}")
        out += _wrap(c.description, "      ")
    out += ["", "Exclusion criteria (reason code):"]
    for e in protocol.criteria.exclusion:
        out.append(f"  {e.id}  {e.label}  [{e.reason}]")
        out += _wrap(e.description, "      ")
    if protocol.fulltext_reasons:
        out += ["", "Full-text exclusion reasons:"]
        out += [f"  {r.reason:<24} {r.label}" for r in protocol.fulltext_reasons]
    out += ["", "Highlighted keywords:"]
    out += _wrap("include: " + ", ".join(protocol.keywords.include), "  ")
    out += _wrap("exclude: " + ", ".join(protocol.keywords.exclude), "  ")
    s = protocol.screening
    out += ["", f"Screening: title/abstract {s.policy.value}, full text {s.fulltext_policy.value}"]
    if s.pilot_size:
        kappa = f", kappa >= {s.kappa_threshold}" if s.kappa_threshold is not None else ""
        out.append(f"Pilot: first {s.pilot_size} decisions per reviewer{kappa}")
    return out
