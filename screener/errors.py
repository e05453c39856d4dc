"""The one exception family of screener; the CLI turns each into a one-line message."""

from __future__ import annotations

from pathlib import Path


class ScreenerError(Exception):
    """An operational error: printed as ``screener: error: <where>: <message>``, exit 1."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"


class NotAProjectError(ScreenerError):
    """The folder has no screener.toml."""


class RecordImportError(ScreenerError):
    """A file cannot be imported at all (binary, unknown format, truncated, undecodable)."""


class ProtocolError(ScreenerError):
    """A review protocol file is invalid."""


class StoreError(ScreenerError):
    """The project database refused an operation (unknown id, schema too new, ...)."""


class RosterError(ScreenerError):
    """A reviewer name is invalid or unknown, or the reviewer may not do what was asked."""


class DatabaseConnectionError(StoreError):
    """The database server cannot be reached, or the connection to it dropped."""
