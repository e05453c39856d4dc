"""A review project: the root object every command and screen starts from.

A project is a folder with ``screener.toml``. ``Project`` holds what everything else
needs from it: the config, the review protocol (loaded once), the database location and
the store built from it (the acting reviewer is resolved against the store's roster by
``screener.roster.acting_reviewer``). Services take what they need from the
project; nobody re-reads screener.toml or reopens the database file by path.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from screener.errors import NotAProjectError, ScreenerError
from screener.store import Store, open_store
from screener.store.url import DatabaseUrl, parse_database_url, redact, without_password
from screener.terminal import refuse_controls

if TYPE_CHECKING:
    from screener.protocol import ReviewProtocol

CONFIG_NAME = "screener.toml"
DB_NAME = "screener.db"
DATABASE_ENV = "SCREENER_DATABASE_URL"


class ProjectConfig(BaseModel):
    """The contents of ``screener.toml``."""

    model_config = ConfigDict(extra="forbid")

    title: str = "Untitled review"
    protocol: str | None = None
    """Path of the review protocol, relative to the project folder."""
    database: str = DB_NAME
    """A SQLite file (relative to the project folder) or a ``postgresql://`` URL, never with
    a password in it."""
    keys: dict[str, str] = {}
    """``[keys]``: screening key bindings remapped by binding id (``include = "y"``)."""


@dataclass
class Project:
    root: Path
    config: ProjectConfig
    database_given: str | None = field(default=None, repr=False)
    """``--database`` or ``$SCREENER_DATABASE_URL`` when one was given (may hold a password)."""

    @cached_property
    def database(self) -> DatabaseUrl:
        """Where the project's data lives: ``--database``, else ``$SCREENER_DATABASE_URL``,
        else ``database =`` in screener.toml."""
        return parse_database_url(self.database_given or self.config.database, self.root)

    @property
    def db_path(self) -> Path:
        """The SQLite file (an error on PostgreSQL, where there is no file)."""
        if self.database.path is None:
            raise ScreenerError(f"the project's database is not a file: {self.database.shown}")
        return self.database.path

    @property
    def protocol_path(self) -> Path | None:
        return self.root / self.config.protocol if self.config.protocol else None

    @cached_property
    def protocol(self) -> ReviewProtocol | None:
        """The review protocol, read and validated once; None when the project has none
        (commands then use the default policy and accept any reason)."""
        from screener.protocol import load_protocol

        path = self.protocol_path
        return load_protocol(path) if path is not None else None

    @cached_property
    def protocol_version(self) -> str | None:
        """The protocol's declared version plus a hash of its file (stored with decisions)."""
        from screener.protocol import protocol_version

        protocol, path = self.protocol, self.protocol_path
        return protocol_version(path, protocol) if protocol is not None and path else None

    def require_protocol(self) -> ReviewProtocol:
        """The protocol, for stages that cannot run without one (screening)."""
        protocol = self.protocol
        if protocol is None:
            raise ScreenerError(
                "the project has no protocol; add protocol = \"FILE.toml\" to screener.toml",
                path=self.root / CONFIG_NAME,
            )
        return protocol

    def open_store(self, *, create: bool = False) -> Store:
        """A store on a new connection to the project's database (the caller closes it);
        a SQLite file that is missing is an error unless ``create`` (``screener init``)."""
        return open_store(self.database, create=create)


def _write_config(root: Path, config: ProjectConfig) -> None:
    lines = [f"title = {_toml_str(config.title)}"]
    if config.protocol:
        lines.append(f"protocol = {_toml_str(config.protocol)}")
    lines.append(f"database = {_toml_str(config.database)}")
    (root / CONFIG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")


def set_database(project: Project, value: str) -> None:
    """Point screener.toml at another database (its password-free form); the rest of the
    file, comments and tables included, stays as the user wrote it."""
    location = parse_database_url(value, project.root)
    stored = without_password(location.url) if location.path is None else value
    path = project.root / CONFIG_NAME
    lines = path.read_text(encoding="utf-8").splitlines()
    new = f"database = {_toml_str(stored)}"
    top = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    for i in range(top):
        if lines[i].split("=", 1)[0].strip() == "database":
            lines[i] = new
            break
    else:
        lines.insert(top, new)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.config.database = stored


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def init_project(
    root: Path,
    *,
    title: str | None = None,
    protocol: Path | None = None,
    database: str | None = None,
) -> Project:
    """Create a project folder; the protocol file is copied in so the project is portable.

    ``database`` (else ``$SCREENER_DATABASE_URL``, else a SQLite file in the folder) is
    where the data will live; only its password-free form is written to screener.toml.
    """
    if (root / CONFIG_NAME).exists():
        raise ScreenerError("already a screener project", path=root / CONFIG_NAME)
    given = database or os.environ.get(DATABASE_ENV) or None
    location = parse_database_url(given, root) if given else None
    if title is not None:
        refuse_controls(title, "--title")
    root.mkdir(parents=True, exist_ok=True)
    config = ProjectConfig(title=title or root.resolve().name)
    if location is not None:
        config.database = without_password(location.url) if location.path is None else location.url
    if protocol is not None:
        # Validate before creating anything, so a bad protocol leaves no half project.
        from screener.protocol import load_protocol

        load_protocol(protocol)
        shutil.copyfile(protocol, root / protocol.name)
        config.protocol = protocol.name
    project = Project(root=root, config=config, database_given=given)
    # Open (and migrate) the database before writing screener.toml: a server that cannot
    # be reached leaves no half project behind.
    store = project.open_store(create=True)
    try:
        if store.record_count():
            raise ScreenerError(
                f"the database {project.database.shown} already holds a screener project "
                f"({store.record_count()} records); work on it from that project's folder "
                "(share it, or keep it in git), or give another database",
                path=root,
            )
    finally:
        store.close()
    _write_config(root, config)
    return project


def find_project(given: str | Path | None, *, database: str | None = None) -> Project:
    """The project at ``given``, else ``$SCREENER_PROJECT``, else the current folder; its
    database is ``database`` (``--database``), else ``$SCREENER_DATABASE_URL``, else the
    one in screener.toml."""
    root = Path(given or os.environ.get("SCREENER_PROJECT") or ".")
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        raise NotAProjectError(
            f"not a screener project (no {CONFIG_NAME}); create one with 'screener init DIR'",
            path=root,
        )
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        config = ProjectConfig.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ScreenerError(f"invalid TOML: {exc}", path=config_path) from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ScreenerError(f"{key}: {err['msg']}", path=config_path) from exc
    if without_password(config.database) != config.database:
        raise ScreenerError(
            f"database: {redact(config.database)} holds a password; keep it in "
            f"${DATABASE_ENV}, PGPASSWORD or ~/.pgpass instead",
            path=config_path,
        )
    given_db = database or os.environ.get(DATABASE_ENV) or None
    return Project(root=root, config=config, database_given=given_db)
