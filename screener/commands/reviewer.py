"""``screener reviewer add|list|remove``: the project's roster of reviewers and their roles."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from screener.commands import add_command, emit, open_project, warn
from screener.errors import RosterError
from screener.models import Role
from screener.roster import add_reviewer, remove_reviewer

DESCRIPTION = """\
The team of a review. Once anyone is on the roster, only its members may screen, decide or
resolve (an unknown --reviewer is refused with the closest name), and while a stage is
blinded a reviewer who is not a lead sees only their own decisions everywhere. Names are
stored normalised: " ALICE " is alice. Adding the first reviewer also enrols everyone who
already has decisions. Removing a reviewer keeps their decisions (they still count and
their conflicts are still resolved by a lead); they can no longer act."""


def register(sub: Any) -> None:
    p = add_command(sub, "reviewer", "manage the review team: add, list or remove reviewers",
                    description=DESCRIPTION)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a reviewer (or change their role)",
                             description="Add a reviewer to the roster, or change the role of "
                             "one already on it.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.REVIEWER.value,
                     help="lead: resolves conflicts, sees combined figures and unblinds "
                     "(default: reviewer)")
    add.add_argument("--password-stdin", action="store_true",
                     help="PostgreSQL projects: read the reviewer's database password from "
                     "stdin and create their login role")
    add.set_defaults(func=run_add)
    lst = actions.add_parser("list", help="list the roster")
    lst.add_argument("--all", action="store_true", help="removed reviewers too")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(func=run_list)
    rm = actions.add_parser("remove", help="take a reviewer off the roster (decisions stay)")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=run_remove)
    for action in (add, lst, rm):
        # The project option also after the action (screener reviewer add bob --project X).
        action.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS,
                            help="project folder (default: $SCREENER_PROJECT or the current folder)")


def run_add(args: argparse.Namespace) -> int:
    password = _read_password() if args.password_stdin else None
    project = open_project(args)
    store = project.open_store()
    try:
        member, enrolled = add_reviewer(store, args.name, Role(args.role))
        login = store.create_login(member.name, password) if password is not None else False
    finally:
        store.close()
    emit(f"{member.name}: {member.role.value}")
    if enrolled:
        emit(f"also enrolled, from their decisions: {', '.join(enrolled)}")
    if password is not None and not login:
        warn("screener: note: this project's database is SQLite, which has no logins; "
             "the password was not stored (identity is --reviewer / $SCREENER_REVIEWER)")
    return 0


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise RosterError("--password-stdin: no password on stdin")
    return password


def run_list(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    try:
        members = [m for m in store.roster() if args.all or m.active]
    finally:
        store.close()
    if args.json:
        emit(json.dumps([m.model_dump(mode="json") for m in members], indent=2, ensure_ascii=False))
        return 0
    if not members:
        emit("no reviewers on the roster (anyone may act until one is added)")
        return 0
    width = max(len(m.name) for m in members)
    for m in members:
        removed = f"  removed {m.removed_at[:10]}" if m.removed_at else ""
        emit(f"{m.name:<{width}}  {m.role.value:<8}  added {m.added_at[:10]}{removed}".rstrip())
    return 0


def run_remove(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    try:
        member = remove_reviewer(store, args.name)
    finally:
        store.close()
    emit(f"{member.name}: removed (their decisions stay and still count)")
    return 0
