"""``screener init DIR``: create a review project."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit
from screener.project import CONFIG_NAME, init_project
from screener.starter_protocol import STARTER_NAME, write_starter_protocol


def register(sub: Any) -> None:
    p = add_command(sub, "init", "create a review project folder", project=False)
    p.add_argument("dir", metavar="DIR", type=Path, help="folder to create (may exist, empty)")
    p.add_argument("--title", metavar="T", help="review title (default: the folder name)")
    p.add_argument("--protocol", metavar="FILE", type=Path,
                   help="review protocol (TOML) to copy in (default: a starter protocol, "
                   f"{STARTER_NAME}, to edit)")
    p.add_argument(
        "--database", metavar="URL", default=None,
        help="keep the project in this database: a postgresql:// URL (its password is never "
        "written to screener.toml) or a SQLite file (default: $SCREENER_DATABASE_URL, else "
        "screener.db in DIR)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.protocol is not None:
        project = init_project(args.dir, title=args.title, protocol=args.protocol,
                               database=args.database)
    else:
        # A project without a protocol cannot be screened: start from the starter one.
        with tempfile.TemporaryDirectory() as tmp:
            starter = Path(tmp) / STARTER_NAME
            write_starter_protocol(starter, args.title or args.dir.resolve().name)
            project = init_project(args.dir, title=args.title, protocol=starter,
                                   database=args.database)
    emit(f"created project {project.root} ({CONFIG_NAME}, {project.config.database})")
    if args.protocol is not None:
        emit(f"protocol: {project.config.protocol}")
    else:
        emit(f"protocol: {STARTER_NAME}, a starter: edit its question and criteria, then "
             f"'screener protocol check {project.root / STARTER_NAME}'")
    return 0
