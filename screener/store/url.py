"""Which database a project lives in: a SQLite file or a PostgreSQL URL.

``screener.toml`` keeps ``database =`` as a file name (relative to the project folder)
or a ``postgresql://`` URL without password; ``--database`` and
``SCREENER_DATABASE_URL`` override it for one command. A password never goes into
screener.toml: it comes from the URL in the environment, PGPASSWORD or ~/.pgpass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from screener.errors import ScreenerError

POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class DatabaseUrl:
    """A resolved database location."""

    backend: str
    """``sqlite`` or ``postgresql``."""
    url: str
    """The URL to connect with (a PostgreSQL URL may carry a password: never print it)."""
    path: Path | None = None
    """The SQLite file."""

    @property
    def shown(self) -> str:
        """The location as it is safe to print: the file, or the URL with no password."""
        return str(self.path) if self.path is not None else redact(self.url)


def parse_database_url(value: str, root: Path) -> DatabaseUrl:
    """``value`` as screener.toml, ``--database`` or the environment gives it."""
    text = value.strip()
    if not text:
        raise ScreenerError("the database is empty: give a file name or a postgresql:// URL")
    scheme = text.split(":", 1)[0].lower() if "://" in text else ""
    if scheme in POSTGRES_SCHEMES:
        return DatabaseUrl("postgresql", text)
    if scheme == "sqlite":
        path = Path(text.split("://", 1)[1])
        return DatabaseUrl("sqlite", text, path if path.is_absolute() else root / path)
    if scheme:
        raise ScreenerError(
            f"unsupported database {redact(text)!r}: use a SQLite file name or a "
            "postgresql:// URL"
        )
    path = Path(text)
    return DatabaseUrl("sqlite", str(path), path if path.is_absolute() else root / path)


def without_password(url: str) -> str:
    """The URL with any password removed (what may be written into screener.toml)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def redact(url: str) -> str:
    """The URL with its password shown as ``***`` (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def with_login(url: str, user: str, password: str) -> str:
    """The PostgreSQL URL connecting as ``user`` with ``password`` (a reviewer's login)."""
    from urllib.parse import quote

    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))
