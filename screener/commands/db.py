"""``screener db check|copy``: which database a project uses, and moving it to another."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.commands import add_command, emit, open_project
from screener.project import CONFIG_NAME, set_database
from screener.store import open_store
from screener.store.copy import copy_database
from screener.store.schema import SCHEMA_VERSION
from screener.store.url import parse_database_url

DESCRIPTION = """\
Which database a command uses: --database, else $SCREENER_DATABASE_URL, else database = in
screener.toml (a SQLite file in the project folder by default, or a postgresql:// URL).

  check   connect, and say which backend, schema version and server answer
  copy    copy every row to another database (a new PostgreSQL database, or a SQLite
          file) and point screener.toml at it; the old database is left as it was"""


def register(sub: Any) -> None:
    p = add_command(sub, "db", "check the project's database, or copy it to another one",
                    description=DESCRIPTION)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="which backend, schema version and server",
                               description="Connect to the project's database and report it.")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.set_defaults(func=run_check)
    copy = actions.add_parser(
        "copy", help="copy the project to another database and use that one from now on",
        description="Copy every table to an empty database (ids, history and roster kept) "
        "in one transaction, then write its URL (never its password) into screener.toml.")
    copy.add_argument("--to", metavar="URL", required=True,
                      help="target: a postgresql:// URL or a SQLite file name")
    copy.set_defaults(func=run_copy)
    for action in (check, copy):
        # The project options also after the action (screener db check --project X).
        action.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS,
                            help="project folder (default: $SCREENER_PROJECT or the current folder)")
        action.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                            help="database to use (default: $SCREENER_DATABASE_URL, else "
                            "database = in screener.toml)")


def run_check(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    try:
        info = {
            "backend": store.backend,
            "database": project.database.shown,
            "schema_version": store.conn.schema_version(),
            "screener_schema_version": SCHEMA_VERSION,
            "server": store.conn.server(),
            "records": store.record_count(),
        }
    finally:
        store.close()
    if args.json:
        emit(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    emit(f"backend: {info['backend']}")
    emit(f"database: {info['database']}")
    emit(f"schema version: {info['schema_version']} (this screener: {SCHEMA_VERSION})")
    emit(f"server: {info['server']}")
    emit(f"records: {info['records']}")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    project = open_project(args)
    target_url = parse_database_url(args.to, project.root)
    if target_url.url == project.database.url or (
            target_url.path is not None and target_url.path == project.database.path):
        from screener.errors import ScreenerError

        raise ScreenerError(f"the project already uses {target_url.shown}")
    source = project.open_store()
    try:
        target = open_store(target_url, create=True)
        try:
            counts = copy_database(source, target)
        finally:
            target.close()
    finally:
        source.close()
    set_database(project, args.to)
    emit(f"copied {counts.get('record_rows', 0)} records, {counts.get('decisions', 0)} decisions "
         f"and {sum(counts.values())} rows in all to {target_url.shown}")
    emit(f"{CONFIG_NAME} now uses it; the old database {project.database.shown} is unchanged")
    return 0
