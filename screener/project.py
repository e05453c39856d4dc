"""A review project: a folder with ``screener.toml`` and an embedded SQLite database."""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from screener.errors import NotAProjectError, ScreenerError
from screener.store import Store, open_store

CONFIG_NAME = "screener.toml"
DB_NAME = "screener.db"


class ProjectConfig(BaseModel):
    """The contents of ``screener.toml``."""

    model_config = ConfigDict(extra="forbid")

    title: str = "Untitled review"
    protocol: str | None = None
    """Path of the review protocol, relative to the project folder."""
    database: str = DB_NAME
    keys: dict[str, str] = {}
    """``[keys]``: screening key bindings remapped by binding id (``include = "y"``)."""


@dataclass
class Project:
    root: Path
    config: ProjectConfig

    @property
    def db_path(self) -> Path:
        return self.root / self.config.database

    @property
    def protocol_path(self) -> Path | None:
        return self.root / self.config.protocol if self.config.protocol else None

    def open_store(self) -> Store:
        return open_store(self.db_path)


def _write_config(root: Path, config: ProjectConfig) -> None:
    lines = [f"title = {_toml_str(config.title)}"]
    if config.protocol:
        lines.append(f"protocol = {_toml_str(config.protocol)}")
    lines.append(f"database = {_toml_str(config.database)}")
    (root / CONFIG_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def init_project(root: Path, *, title: str | None = None, protocol: Path | None = None) -> Project:
    """Create a project folder; the protocol file is copied in so the project is portable."""
    if (root / CONFIG_NAME).exists():
        raise ScreenerError("already a screener project", path=root / CONFIG_NAME)
    root.mkdir(parents=True, exist_ok=True)
    config = ProjectConfig(title=title or root.resolve().name)
    if protocol is not None:
        # Validate before creating anything, so a bad protocol leaves no half project.
        from screener.protocol import load_protocol

        load_protocol(protocol)
        shutil.copyfile(protocol, root / protocol.name)
        config.protocol = protocol.name
    _write_config(root, config)
    project = Project(root=root, config=config)
    project.open_store().close()
    return project


def find_project(given: str | Path | None) -> Project:
    """The project at ``given``, else ``$SCREENER_PROJECT``, else the current folder."""
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
    return Project(root=root, config=config)
