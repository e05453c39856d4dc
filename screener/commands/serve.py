"""``screener serve``: the app in a web browser, through textual-serve.

Each browser tab that connects starts its own ``screener open`` process, so a reviewer
who does not live in a terminal gets the same app (keys, mouse, every step). It listens on
127.0.0.1 unless ``--host`` widens it.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, warn
from screener.commands.open import locate

DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"

_DESCRIPTION = """\
Serve the app (the review's home and every step from it) to a web browser on
http://127.0.0.1:PORT/. Each browser tab runs its own copy of the app on this machine,
with this machine's files and database. --host widens who can connect: on SQLite there
are no logins, so anyone who can reach the port can act as any reviewer."""


def register(sub: Any) -> None:
    p = add_command(sub, "serve", "serve the app to a web browser (textual-serve)",
                    description=_DESCRIPTION)
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                   help=f"port to listen on (default: {DEFAULT_PORT})")
    p.add_argument("--host", metavar="ADDRESS", default=LOOPBACK,
                   help="address to listen on (default: 127.0.0.1, this machine only); "
                   "0.0.0.0 = every network interface")
    p.add_argument("--reviewer", metavar="NAME", default=None,
                   help="who the app starts acting as (default: $SCREENER_REVIEWER or the "
                   "login name; w switches in the app)")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(folder: Path, reviewer: str | None, login: bool = False) -> str:
    """The shell command textual-serve runs for each browser tab."""
    parts = [sys.executable, "-m", "screener", "open", str(folder.resolve())]
    if reviewer:
        parts += ["--reviewer", reviewer]
    if login:
        parts.append("--login")
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    project, where = locate(Path(args.project) if args.project else None)
    if not is_loopback(args.host):
        warn(f"screener serve: warning: listening on {args.host}: anyone who can reach port "
             f"{args.port} can open the app and act as any reviewer"
             + (" (SQLite has no logins); keep to 127.0.0.1 unless you trust the network"
                if project is None or project.database.path is not None else
                "; on PostgreSQL the app asks each of them for their database login first"))
    from screener.tui.web import serve_app

    title = project.config.title if project is not None else "screener"
    shown = args.host if ":" not in args.host else f"[{args.host}]"
    emit(f"screener serve: {title} on http://{shown}:{args.port}/ (Ctrl+C stops)")
    # On PostgreSQL each tab logs in as its reviewer: the server then enforces who acts.
    login = project is not None and project.database.path is None
    serve_app(app_command(where, args.reviewer, login), args.host, args.port, title)
    return 0
