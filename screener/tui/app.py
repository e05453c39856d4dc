"""``ScreeningApp``: hosts the screening screen, the help screen and app-wide keys.

Screens live in ``screens/`` (one per module) and receive what they show as attributes;
they report back with messages. A feature adds a screen module and, if it needs a key,
a ``KeyAction`` in ``screener.keymap``.
"""

from __future__ import annotations

import gc

from textual.app import App
from textual.binding import Binding

from screener.keymap import APP_KEYS, keys_for
from screener.screening import ScreeningSession
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.screens.intro_modal import IntroModal
from screener.tui.screens.saving_modal import quit_when_saved
from screener.tui.screens.screening_screen import ScreeningScreen
from screener.write_queue import drain_writes


class ScreeningApp(App[None]):
    CSS_PATH = "screener.tcss"
    # The footer needs the room for the screening keys; ? lists everything.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id) for k in APP_KEYS]

    def __init__(
        self,
        session: ScreeningSession,
        keymap: dict[str, str] | None = None,
        review_title: str | None = None,
        intro: tuple[str, str] | None = None,
    ) -> None:
        """``intro``: (title, text) shown over the first work until Enter (``screener demo``)."""
        super().__init__()
        self.session = session
        self.intro = intro
        self.user_keymap = dict(keymap or {})
        self.title = review_title or session.protocol.review.title
        self.sub_title = f"{session.reviewer} · {session.stage.value.replace('_', '/')}"
        view = session.visibility
        if view is not None and view.own_only(session.stage):
            self.sub_title += " · blinded"

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        self.push_screen(ScreeningScreen(self.session))
        if self.intro is not None:
            self.push_screen(IntroModal(*self.intro))
        # Everything loaded so far lives as long as the app: keep it out of the garbage
        # collector's full scans, which otherwise show up as slow keystrokes.
        gc.freeze()

    def action_prisma(self) -> None:
        from screener.tui.prisma_screen import PrismaScreen

        if isinstance(self.screen, PrismaScreen):
            return
        self.push_screen(
            PrismaScreen(self.session.store, self.session.protocol, self.title or "",
                         notice=self.session.visibility.summary() if self.session.visibility else None)
        )

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit once every queued decision is stored (a modal says so meanwhile)."""
        quit_when_saved(self)

    def on_unmount(self) -> None:
        # However the app ends: nothing queued is left behind.
        drain_writes()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        rows = []
        for action in keys_for(self.session.stage):
            keys = self.user_keymap.get(action.id, action.keys)
            shown = ", ".join(
                self.get_key_display(Binding(k.strip(), action.action)) for k in keys.split(",")
            )
            rows.append((action, shown))
        self.push_screen(HelpScreen(rows))
