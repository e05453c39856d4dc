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
    # Moving and correcting stay out of the footer: at 80 columns it must still show
    # ? Help and q Quit, and ? lists every key.
    KeyAction("next", "j,down", "move(1)", "Next", "Next work", show=False),
    KeyAction("previous", "k,up", "move(-1)", "Prev", "Previous work", show=False),
    KeyAction("search", "slash", "search", "Search",
              "Search titles, abstracts, authors, keywords, DOI; #ID jumps to a work"),
    KeyAction("next-undecided", "g", "next_undecided", "Undecided",
              "Jump to the next work you have not decided (after the last, from the start)",
              show=False),
    KeyAction("first-undecided", "G", "first_undecided", "First undecided",
              "Jump to the first work you have not decided, even before this one", show=False),
    KeyAction("correct", "c", "correct", "Correct",
              "Correct this record's metadata (the original is kept)", show=False),
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


SHELL_KEYS: list[KeyAction] = [
    KeyAction("home", "escape", "home", "Home",
              "Back to the review's home (from any step of the app)", show=False),
]
"""Keys of the app shell (``screener`` / ``screener open``) on every screen."""

HOME_KEYS: list[KeyAction] = [
    KeyAction("open-import", "i", "open('import')", "Import",
              "Import files: browse, preview what each file is, import", show=False),
    KeyAction("open-dedup", "d", "open('dedup')", "Dedup",
              "Duplicates: run dedup, review uncertain pairs, explain a work, source overlap", show=False),
    KeyAction("open-screen", "s", "open('screen')", "Screen",
              "Screen titles and abstracts as the acting reviewer", show=False),
    KeyAction("open-conflicts", "c", "open('conflicts')", "Conflicts",
              "Resolve the reviewers' conflicts (lead)", show=False),
    KeyAction("open-fulltext", "f", "open('fulltext')", "Full text",
              "Full-text stage: retrieval and eligibility of the included works", show=False),
    KeyAction("open-agreement", "a", "open('agreement')", "Agreement",
              "Agreement report: kappa and the other figures, per exclusion reason", show=False),
    KeyAction("open-export", "x", "open('export')", "Export",
              "Export works with their decisions (RIS, CSV, BibTeX) or the decision log", show=False),
    KeyAction("switch-reviewer", "w", "switch_reviewer", "Reviewer",
              "Act as another reviewer (who decides is stored with every decision)"),
    KeyAction("refresh", "r", "refresh", "Refresh", "Count everything again", show=False),
]
"""Keys of the home screen; PRISMA is the app-wide ``p``. The steps are listed in the
home's menu with their keys, so the footer keeps its room for the rest."""

IMPORT_KEYS: list[KeyAction] = [
    KeyAction("import-file", "ctrl+s", "import_file", "Import file",
              "Import the selected file with the source and method shown"),
]
"""Keys of the import screen (arrows and Enter browse the folder tree)."""

DEDUP_STEP_KEYS: list[KeyAction] = [
    KeyAction("dedup-run", "r", "run_dedup", "Run", "Find duplicates across every import"),
    KeyAction("dedup-review", "v", "review", "Review pairs",
              "Review the uncertain pairs side by side"),
    KeyAction("dedup-explain", "e", "explain", "Explain",
              "Explain a work: which rules and scores joined its records"),
    KeyAction("dedup-overlap", "o", "overlap", "Overlap",
              "Works shared by each pair of sources"),
]
"""Keys of the dedup screen."""

DEDUP_KEYS: list[KeyAction] = [
    KeyAction("dedup-confirm", "c", "confirm", "Same work",
              "Confirm: the two records are the same work (they are merged)"),
    KeyAction("dedup-reject", "r", "reject", "Different works",
              "Reject: the two records are different works (they are kept apart)"),
    KeyAction("dedup-skip", "s", "skip", "Skip", "Leave this pair for later"),
    KeyAction("dedup-help", "question_mark", "help", "Help", "Show this help"),
    KeyAction("dedup-quit", "q", "quit", "Quit", "Quit (every decision is already saved)"),
]
"""Keys of the duplicate pair review (``screener dedup --review``)."""

CONFLICT_KEYS: list[KeyAction] = [
    KeyAction("resolve-include", "i", "resolve('include')", "Include",
              "Resolve: include this work (final)"),
    KeyAction("resolve-exclude", "e", "resolve_exclude", "Exclude",
              "Resolve: exclude this work; pick reason(s) with number keys, Enter"),
    KeyAction("resolve-note", "n", "note", "Note", "Write the resolution's note"),
    KeyAction("resolve-withdraw", "u", "withdraw", "Withdraw",
              "Withdraw this resolution (the conflict is open again)"),
    # Moving stays out of the footer so that ? Help and q Quit fit at 80 columns.
    KeyAction("conflict-next", "j,down", "move(1)", "Next", "Next conflict", show=False),
    KeyAction("conflict-previous", "k,up", "move(-1)", "Prev", "Previous conflict", show=False),
    KeyAction("conflict-next-open", "g", "next_open", "Open",
              "Jump to the next unresolved conflict", show=False),
    KeyAction("scroll-down", "space,pagedown", "scroll_record(1)", "Scroll",
              "Scroll the record down", show=False),
    KeyAction("scroll-up", "b,pageup", "scroll_record(-1)", "Scroll up",
              "Scroll the record up", show=False),
]
"""Keys of the conflicts screen (binding ids are stable, for remapping)."""

PRISMA_KEYS: list[KeyAction] = [
    KeyAction("prisma-close", "escape,p", "close", "Back", "Leave the PRISMA diagram"),
    KeyAction("prisma-recount", "r", "recount", "Recount", "Count every box again"),
    KeyAction("prisma-ta-reasons", "t", "toggle_reasons", "Title/abstract reasons",
              "Show or hide the title/abstract exclusion reasons"),
]
"""Keys of the PRISMA screen."""

PRISMA_EXPORT_KEYS: list[KeyAction] = [
    KeyAction("prisma-export", "x", "export", "Export",
              "Write the diagram to a file (SVG, Markdown, Mermaid, CSV, JSON, text)"),
]
"""Extra PRISMA key in the app shell."""

KEY_GROUPS: list[tuple[str, list[KeyAction]]] = [
    ("Everywhere", APP_KEYS + SHELL_KEYS),
    ("Home", HOME_KEYS),
    ("Import", IMPORT_KEYS),
    ("Dedup", DEDUP_STEP_KEYS),
    ("Duplicate pair review", DEDUP_KEYS),
    ("Screening (title/abstract and full text)", SCREEN_KEYS),
    ("Conflicts", CONFLICT_KEYS),
    ("PRISMA", PRISMA_KEYS + PRISMA_EXPORT_KEYS),
]
"""Every key of the app, grouped by screen, for the one help screen."""


def keys_for(stage: Stage) -> list[KeyAction]:
    return [k for k in SCREEN_KEYS + APP_KEYS if stage in k.stages]


def check_keymap(keymap: Mapping[str, str], path: Path | None = None) -> dict[str, str]:
    """Validate a ``[keys]`` table: every id must be a known binding, every value keys."""
    known = {k.id for _, group in KEY_GROUPS for k in group}
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
