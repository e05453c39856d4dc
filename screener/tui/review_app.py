"""``ReviewApp``: the one app for the whole review (``screener`` / ``screener open``).

The home screen shows the dashboard; every step of the review is a screen pushed from it
(the same screens the single-purpose commands open) and Esc comes back. Which steps are
offered is decided by one call, ``screener.home.visible_views``. Keys come from the tables
in ``screener.keymap`` and are remapped by binding id through ``[keys]``.
"""

from __future__ import annotations

import gc
from pathlib import Path
from urllib.parse import unquote, urlsplit

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from screener.blinding import Visibility, open_as
from screener.errors import ScreenerError
from screener.home import View, visible_views
from screener.keymap import APP_KEYS, KEY_GROUPS, SHELL_KEYS, check_keymap
from screener.models import Stage
from screener.project import CONFIG_NAME, Project, find_project
from screener.protocol import ReviewProtocol
from screener.roster import require_lead
from screener.store import Store
from screener.tui.screens.help_screen import HelpScreen
from screener.tui.screens.home_screen import HomeScreen
from screener.tui.screens.saving_modal import quit_when_saved
from screener.write_queue import drain_writes


class ReviewApp(App[None]):
    CSS_PATH = ["screener.tcss", "conflicts.tcss", "dedup_review.tcss", "review_app.tcss"]
    # The footer needs the room for each screen's keys; ? lists every key of the app.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(k.keys, k.action, k.description, show=k.show, id=k.id)
                for k in APP_KEYS + SHELL_KEYS]

    def __init__(self, project: Project | None, reviewer: str,
                 folder: Path | None = None, login: bool = False) -> None:
        """``project`` None: the app offers to create one in ``folder``. ``login``: on
        PostgreSQL, ask for the reviewer's database login first (``screener serve``)."""
        super().__init__()
        self.pending_login = project if login and project is not None \
            and project.database.path is None else None
        self.project: Project | None = None
        self.store: Store | None = None
        """The UI thread's store, opened as the acting reviewer (blinded stages show only
        their own decisions)."""
        self.visibility: Visibility | None = None
        self.protocol: ReviewProtocol | None = None
        self.reviewer = reviewer.strip()
        self.views: list[View] = []
        """The steps the acting reviewer is offered (``screener.home.visible_views``)."""
        self.folder = folder or Path.cwd()
        self.user_keymap: dict[str, str] = {}
        if project is not None and self.pending_login is None:
            self._use(project)

    def _use(self, project: Project) -> None:
        self.project = project
        self.user_keymap = check_keymap(project.config.keys, project.root / CONFIG_NAME)
        self.protocol = project.protocol
        self.title = project.config.title
        self.set_reviewer(self.reviewer)

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        if self.pending_login is not None:
            from screener.tui.screens.login_screen import LoginScreen

            self.push_screen(LoginScreen(self.pending_login), self._logged_in)
        elif self.project is not None:
            self.push_screen(HomeScreen())
        else:
            from screener.tui.screens.new_project_screen import NewProjectScreen

            self.push_screen(NewProjectScreen(self.folder), self._created)
        gc.freeze()

    def _created(self, root: Path | None) -> None:
        if root is None:
            self.exit()
            return
        self._use(find_project(root))
        self.set_keymap(self.user_keymap)
        self.push_screen(HomeScreen())

    def _logged_in(self, project: Project | None) -> None:
        if project is None:
            self.exit()
            return
        parts = urlsplit(project.database.url)
        self.reviewer = unquote(parts.username or "")
        try:
            self._use(project)
        except ScreenerError as exc:  # a login the roster does not know
            self.notify(str(exc), severity="error", timeout=15)
            self.exit()
            return
        self.set_keymap(self.user_keymap)
        self.push_screen(HomeScreen())

    def on_unmount(self) -> None:
        # However the app ends: nothing queued by a screen is left behind.
        drain_writes()
        if self.store is not None:
            self.store.close()

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit once every queued decision is stored (a modal says so meanwhile)."""
        quit_when_saved(self)

    def open_store(self) -> Store:
        """A new store as the acting reviewer sees it, for a worker thread (it closes it)."""
        assert self.project is not None
        store, _ = open_as(self.project, self.reviewer, self.protocol)
        return store

    # --- who is acting ------------------------------------------------------------------
    def set_reviewer(self, name: str) -> None:
        """Act as ``name``: refused (RosterError) when a roster exists without them."""
        assert self.project is not None
        store, view = open_as(self.project, name, self.protocol)
        if self.store is not None:
            self.store.close()
        self.store, self.visibility = store, view
        self.reviewer = view.reviewer
        self.views = visible_views(view)
        self.sub_title = self.reviewer + (" · blinded" if view.hidden_stages else "")

    # --- navigation ---------------------------------------------------------------------
    def action_home(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_prisma(self) -> None:
        from screener.tui.prisma_screen import PrismaScreen

        if not isinstance(self.screen, PrismaScreen):
            self.open_view(View.PRISMA)

    def open_view(self, view: View) -> None:
        """Push the screen of ``view``, if the acting reviewer may see it."""
        if self.project is None or self.store is None:
            return
        if view not in self.views:
            self.notify(f"{view.value}: not shown to {self.reviewer} (blind screening).",
                        severity="warning")
            return
        try:
            screen = self._screen_for(view, self.project, self.store)
        except ScreenerError as exc:
            self.notify(str(exc), severity="warning", timeout=8)
            return
        if screen is not None:
            self.push_screen(screen)

    def _screen_for(self, view: View, project: Project, store: Store) -> Screen[None] | None:
        # Screens are imported when first opened: the home starts without them.
        if view in (View.SCREEN, View.FULLTEXT):
            return self._screening(project, store,
                                   Stage.FULLTEXT if view is View.FULLTEXT else Stage.TITLE_ABSTRACT)
        if view is View.CONFLICTS:
            return self._conflicts(store)
        if view is View.PRISMA:
            from screener.tui.screens.prisma_export import PrismaExportScreen

            notice = self.visibility.summary() if self.visibility else None
            return PrismaExportScreen(store, project, notice)
        if view is View.IMPORT:
            from screener.tui.screens.import_screen import ImportScreen

            return ImportScreen(project)
        if view is View.DEDUP:
            from screener.tui.screens.dedup_screen import DedupScreen

            return DedupScreen(project, self.reviewer)
        if view is View.AGREEMENT:
            from screener.tui.screens.agreement_screen import AgreementScreen

            return AgreementScreen(project, self.open_store)
        from screener.tui.screens.export_screen import ExportScreen

        return ExportScreen(project, self.open_store)

    def _screening(self, project: Project, store: Store, stage: Stage) -> Screen[None]:
        from screener.screening import ScreeningSession
        from screener.tui.screens.screening_screen import ScreeningScreen

        if not self.reviewer:
            raise ScreenerError("say who is screening first: press w")
        session = ScreeningSession.open(project, store, self.reviewer, stage, self.visibility)
        if session.total == 0:
            raise ScreenerError("nothing to screen yet: " + (
                "import records first (i)" if stage is Stage.TITLE_ABSTRACT
                else "no work is included at title/abstract yet"))
        screen = ScreeningScreen(session)
        screen.sub_title = f"{self.reviewer} · {stage.value.replace('_', '/')}"
        return screen

    def _conflicts(self, store: Store) -> Screen[None]:
        from screener.conflicts import ConflictSession, list_conflicts
        from screener.tui.screens.conflicts_screen import ConflictsScreen

        # The stage with open conflicts: title/abstract first, then full text.
        stage = next((s for s in Stage if list_conflicts(store, s, self.protocol)),
                     None)
        if stage is None:
            raise ScreenerError("no open conflicts: the reviewers agree so far")
        require_lead(store, self.reviewer, self.protocol, "resolve conflicts")
        session = ConflictSession(store, self.reviewer, stage, self.protocol)
        assert self.project is not None
        session.use_journal(self.project.root)
        screen = ConflictsScreen(session)
        screen.sub_title = f"lead {self.reviewer} · conflicts at {stage.value.replace('_', '/')}"
        return screen

    # --- help ---------------------------------------------------------------------------
    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections = []
        for title, group in KEY_GROUPS:
            rows = []
            for action in group:
                keys = self.user_keymap.get(action.id, action.keys)
                shown = ", ".join(self.get_key_display(Binding(k.strip(), action.action))
                                  for k in keys.split(","))
                rows.append((action, shown))
            sections.append((title, rows))
        self.push_screen(HelpScreen([], title="Every key of the app", sections=sections))
