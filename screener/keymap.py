"""The screening keys as data: binding ids, default keys and help text.

The TUI builds its ``Binding``s from these tables, the help screen lists them, and a
``[keys]`` table in ``screener.toml`` remaps them by id (``include = "y"``). Keeping the
table here (no Textual) lets the CLI validate a keymap before the TUI starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import ScreenerError
from screener.models import Stage

_ALL_STAGES = frozenset(Stage)


@dataclass(frozen=True)
class KeyAction:
    id: str
    """Stable kebab-case binding id, the name used in ``[keys]``."""
    keys: str
    """Default keys, comma-separated in Textual's key names (``j,down``)."""
    action: str
    """The Textual action it runs (``decide('include')``)."""
    description: str
    """Footer label."""
    help: str
    """One line for the ``?`` help screen."""
    show: bool = True
    """Shown in the footer."""
    stages: frozenset[Stage] = field(default=_ALL_STAGES)
    """Stages where the key is active; a stage may add its own keys (full text adds
    retrieval keys) by listing only itself here."""


SCREEN_KEYS: list[KeyAction] = [
    KeyAction("include", "i", "decide('include')", "Include", "Include this work and move on"),
    KeyAction("exclude", "e", "exclude", "Exclude",
              "Exclude this work: pick reason(s) with number keys, Enter to confirm"),
    KeyAction("maybe", "m", "decide('maybe')", "Maybe", "Mark as maybe (unsure) and move on"),
    KeyAction("note", "n", "note", "Note", "Write a note on this work (saved with your decision)"),
    KeyAction("undo", "u", "undo", "Undo", "Undo your last decision (or clear this one)"),
    KeyAction("next", "j,down", "move(1)", "Next", "Next work"),
    KeyAction("previous", "k,up", "move(-1)", "Prev", "Previous work"),
    KeyAction("search", "slash", "search", "Search",
              "Search titles, abstracts, authors, keywords, DOI; #ID jumps to a work"),
    KeyAction("next-undecided", "g", "next_undecided", "Undecided",
              "Jump to the next work you have not decided"),
    KeyAction("correct", "c", "correct", "Correct",
              "Correct this record's metadata (the original is kept)"),
    KeyAction("order", "o", "toggle_order", "Order",
              "Switch the works after this one between ranked and random order",
              show=False, stages=frozenset({Stage.TITLE_ABSTRACT})),
    KeyAction("retrieved", "r", "retrieval('retrieved')", "Retrieved",
              "Full text: record that the full report was retrieved",
              stages=frozenset({Stage.FULLTEXT})),
    KeyAction("not-retrieved", "x", "retrieval('not-retrieved')", "Missing",
              "Full text: record that the report could not be obtained (it is not assessed)",
              stages=frozenset({Stage.FULLTEXT})),
    KeyAction("scroll-down", "space,pagedown", "scroll_abstract(1)", "Scroll", "Scroll the abstract down",
              show=False),
    KeyAction("scroll-up", "b,pageup", "scroll_abstract(-1)", "Scroll up", "Scroll the abstract up",
              show=False),
]
"""Keys of the screening screen."""

APP_KEYS: list[KeyAction] = [
    KeyAction("help", "question_mark", "help", "Help", "Show this help"),
    KeyAction("quit", "q", "quit", "Quit", "Quit (every decision is already saved)"),
    KeyAction("prisma", "p", "prisma", "PRISMA",
              "Show the PRISMA 2020 flow diagram counted so far (Esc or p goes back)", show=False),
]
"""Keys that work on every screen of the app."""


DEDUP_KEYS: list[KeyAction] = [
    KeyAction("dedup-confirm", "c", "confirm", "Same work",
              "Confirm: the two records are the same work (they are merged)"),
    KeyAction("dedup-reject", "r", "reject", "Different works",
              "Reject: the two records are different works (they are kept apart)"),
    KeyAction("dedup-skip", "s", "skip", "Skip", "Leave this pair for later"),
    KeyAction("dedup-help", "question_mark", "help", "Help", "Show this help"),
    KeyAction("dedup-quit", "q", "quit", "Quit", "Quit (every decision is already saved)"),
]
"""Keys of the duplicate review screen (``screener dedup --review``)."""


def keys_for(stage: Stage) -> list[KeyAction]:
    return [k for k in SCREEN_KEYS + APP_KEYS if stage in k.stages]


def check_keymap(keymap: Mapping[str, str], path: Path | None = None) -> dict[str, str]:
    """Validate a ``[keys]`` table: every id must be a known binding, every value keys."""
    known = {k.id for k in APP_KEYS + SCREEN_KEYS}
    out: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            raise ScreenerError(
                f"keys.{binding_id}: unknown key binding (known: {', '.join(sorted(known))})",
                path=path,
            )
        if not isinstance(keys, str) or not keys.strip():
            raise ScreenerError(f"keys.{binding_id}: give the key(s) as a string", path=path)
        out[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return out
