"""``screener unblind --stage S``: the lead lifts blinding at a stage, for everyone, for good."""

from __future__ import annotations

import argparse
from typing import Any

from screener.blinding import unblind
from screener.commands import add_command, add_reviewer_option, emit, open_project
from screener.models import Stage

DESCRIPTION = """\
While a stage is blinded (protocol [screening] blind, by default every two-independent
stage), reviewers who are not leads see only their own decisions in every command and
screen. The lead unblinds a stage when its screening is done: from then on everyone sees
every decision, conflict and combined figure at that stage. Unblinding is recorded in the
project database (who and when) and cannot be undone: what was seen cannot be unseen."""


def register(sub: Any) -> None:
    p = add_command(sub, "unblind", "let every reviewer see all decisions at a stage (lead only)",
                    description=DESCRIPTION)
    p.add_argument("--stage", required=True, choices=[s.value for s in Stage])
    add_reviewer_option(p, "the lead (default: $SCREENER_REVIEWER or the login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    stage = Stage(args.stage)
    lead, new = unblind(project, args.reviewer, stage)
    if new:
        emit(f"{stage.value}: unblinded by {lead}; every reviewer now sees all decisions")
    else:
        emit(f"{stage.value}: already unblinded")
    return 0
