"""On a PostgreSQL project served to browsers, the app first asks for the reviewer's
database login: the server then knows who acts (its row-level security blinds them), so a
browser tab cannot act as someone else the way it could on SQLite."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from screener.errors import ScreenerError
from screener.project import Project
from screener.store.url import with_login


class LoginScreen(Screen[Project | None]):
    """Returns the project opened with the reviewer's login, or None when they leave."""

    BINDINGS = [Binding("escape", "leave", "Quit", id="login-leave")]

    def __init__(self, project: Project) -> None:
        super().__init__(id="login")
        self.project = project

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="step-body"):
            yield Static(f"{self.project.config.title}: log in with your database login "
                         f"({self.project.database.shown}).", classes="step-text")
            yield Input(placeholder="reviewer name (database login)", id="login-name")
            yield Input(placeholder="password", password=True, id="login-password")
            yield Button("Log in", variant="primary", id="login-go")
            yield Static("", id="login-error", classes="step-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#login-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "login-name":
            self.query_one("#login-password", Input).focus()
        else:
            self.log_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.log_in()

    def log_in(self) -> None:
        name = self.query_one("#login-name", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        error = self.query_one("#login-error", Static)
        if not name:
            error.update(Text("Give your name.", style="red"))
            return
        project = Project(root=self.project.root, config=self.project.config,
                          database_given=with_login(self.project.database.url, name, password))
        try:
            project.open_store().close()  # the server checks the login
        except ScreenerError as exc:
            error.update(Text(f"Not logged in: {exc}", style="red"))
            return
        self.dismiss(project)

    def action_leave(self) -> None:
        self.dismiss(None)
