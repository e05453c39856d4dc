"""``ConflictsApp``: the lead's conflict resolution (``screener conflicts --reviewer LEAD``)."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from screener.conflicts import ConflictSession
from screener.keymap import APP_KEYS, CONFLICT_KEYS
from screener.tui.screens.conflicts_screen import ConflictsScreen
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.screens.saving_modal import quit_when_saved
from screener.write_queue import drain_writes


class ConflictsApp(App[None]):
    CSS_PATH = ["screener.tcss", "conflicts.tcss"]
    # The footer needs the room for the keys; ? lists everything.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id) for k in APP_KEYS]

    def __init__(self, session: ConflictSession, review_title: str | None = None,
                 keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.user_keymap = dict(keymap or {})
        self.title = review_title or "Conflicts"
        self.sub_title = (f"lead {session.lead} · conflicts at "
                          f"{session.stage.value.replace('_', '/')}")

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        self.push_screen(ConflictsScreen(self.session))

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
        for action in CONFLICT_KEYS + APP_KEYS:
            keys = self.user_keymap.get(action.id, action.keys)
            shown = ", ".join(
                self.get_key_display(Binding(k.strip(), action.action)) for k in keys.split(",")
            )
            rows.append((action, shown))
        self.push_screen(HelpScreen(rows, title="Conflict resolution keys"))
