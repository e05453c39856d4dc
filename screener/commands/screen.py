"""``screener screen``: the screening TUI for one reviewer."""

from __future__ import annotations

import argparse
import functools
from typing import TYPE_CHECKING, Any

from screener.blinding import open_as
from screener.commands import add_command, add_reviewer_option, open_project
from screener.errors import ScreenerError
from screener.keymap import APP_KEYS, SCREEN_KEYS, check_keymap
from screener.models import Stage
from screener.project import CONFIG_NAME
from screener.protocol import QueueOrder

if TYPE_CHECKING:
    from screener.screening import ScreeningSession


def register(sub: Any) -> None:
    p = add_command(
        sub, "screen", "screen works one at a time in the terminal (blind, per reviewer)",
        description="Open the screening screen for one reviewer. Every decision is committed\n"
        "before the next work is shown; quit at any time and resume where you stopped.\n"
        "Press ? for the keys; remap them in a [keys] table of screener.toml.",
    )
    add_reviewer_option(p, "who is screening (default: $SCREENER_REVIEWER or the login name)")
    p.add_argument("--stage", choices=[s.value for s in Stage], default=Stage.TITLE_ABSTRACT.value,
                   help="title_abstract (default) or fulltext (works included at title/abstract)")
    p.add_argument("--order", choices=[o.value for o in QueueOrder], default=None,
                   help="queue order for this session: ranked (learns from your own decisions), "
                   "random (your own shuffle) or import (default: the protocol's [screening] order)")
    p.set_defaults(func=run)


_KEY_NAMES = {"question_mark": "?", "slash": "/", "down": "↓", "up": "↑"}


def _keys(keymap: dict[str, str], binding_id: str) -> str:
    default = next(k.keys for k in SCREEN_KEYS + APP_KEYS if k.id == binding_id)
    keys = keymap.get(binding_id, default).split(",")
    return "/".join(_KEY_NAMES.get(k, k) for k in keys)


def intro_text(what: str, session: ScreeningSession, keymap: dict[str, str]) -> tuple[str, str]:
    """The first-run introduction: ``what`` this is, who screens, which keys to press."""
    k = functools.partial(_keys, keymap)
    stage = "title and abstract" if session.stage is Stage.TITLE_ABSTRACT else "full text"
    view = session.visibility
    blind = (" Decisions are blind: you see only your own."
             if view is not None and view.own_only(session.stage) else "")
    name = session.reviewer.replace("[", "\\[")
    text = (
        f"{what}\n\n"
        f"You are screening as [b]{name}[/b] ({stage}, {session.total} works).{blind} "
        "To screen under another name: --reviewer NAME.\n\n"
        f"Read each work against the criteria, then press\n"
        f"  [b]{k('include')}[/b] include   [b]{k('exclude')}[/b] exclude (pick a reason)   "
        f"[b]{k('maybe')}[/b] maybe   [b]{k('note')}[/b] note   [b]{k('undo')}[/b] undo\n"
        f"  [b]{k('next')}[/b] next   [b]{k('previous')}[/b] previous   "
        f"[b]{k('next-undecided')}[/b] next undecided   [b]{k('search')}[/b] search\n"
        f"  [b]{k('help')}[/b] every key   [b]{k('quit')}[/b] quit\n\n"
        "Every decision is saved the moment you make it; quit at any time and come back "
        "where you stopped."
    )
    return "Welcome to screener", text


def run(args: argparse.Namespace) -> int:
    from screener.screening import ScreeningSession

    project = open_project(args)
    keymap = check_keymap(project.config.keys, project.root / CONFIG_NAME)
    stage = Stage(args.stage)
    store, view = open_as(project, args.reviewer)
    try:
        order = QueueOrder(args.order) if getattr(args, "order", None) else None
        session = ScreeningSession.open(project, store, view.reviewer, stage, view,
                                        order_mode=order)
        if session.total == 0:
            hint = ("import records first with 'screener import'" if stage is Stage.TITLE_ABSTRACT
                    else "no work is included at title/abstract yet")
            if stage is Stage.FULLTEXT and view.own_only(Stage.TITLE_ABSTRACT):
                # The queue is the works included at title/abstract: a combined figure.
                hint = ("title/abstract is blinded for you; the full-text queue opens when the "
                        "lead runs 'screener unblind --stage title_abstract'")
            raise ScreenerError(f"nothing to screen at stage {stage.value}: {hint}", path=project.root)
        # Textual is imported only here, so the rest of the CLI starts fast without it.
        from screener.tui.app import ScreeningApp
        from screener.tui.launch import run_app

        what = getattr(args, "intro", None)
        intro = intro_text(what, session, keymap) if what else None
        run_app(ScreeningApp(session, keymap=keymap, review_title=project.config.title,
                             intro=intro),
                "screening screen", debug=getattr(args, "debug", False))
    finally:
        store.close()
    return 0
