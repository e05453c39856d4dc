"""Writing a command's output file: never over the project, never half, never by surprise.

Every ``-o FILE`` goes through ``output_file``:

- the project's own files (screener.toml, the database and its ``-wal``/``-shm``/
  ``-journal`` companions, the protocol, the backups folder) and any SQLite database are
  refused, also through a symlink and also with ``--force``;
- an existing file is refused unless ``--force``;
- the text is written to a new temporary file in the target folder, created with
  ``O_EXCL`` (so a symlink planted at a predictable name is never followed), flushed to
  disk, and then put in place in one step: a failure or Ctrl-C leaves the old file (or no
  file) behind, never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from screener.errors import ScreenerError
from screener.store.backup import BACKUP_DIR

if TYPE_CHECKING:
    from screener.project import Project

_SQLITE_HEADER = b"SQLite format 3\x00"
_DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


def project_files(project: Project) -> set[Path]:
    """The files an output must never replace (resolved paths)."""
    from screener.project import CONFIG_NAME

    paths = {project.root / CONFIG_NAME}
    db = _db_path(project)
    if db is not None:
        paths.update(db.with_name(db.name + suffix) for suffix in _DB_COMPANIONS)
    if project.protocol_path is not None:
        paths.add(project.protocol_path)
    return {_resolved(p) for p in paths}


def _db_path(project: Project) -> Path | None:
    try:
        return project.db_path
    except ScreenerError:
        return None  # the data lives on a server, not in a file


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_output(path: Path, *, project: Project | None, force: bool,
                 database: bool = False) -> None:
    """Refuse ``path`` as an output (see the module docstring); nothing is written.
    ``database``: the output is itself a database (a backup), so an older backup may be
    replaced with ``force``."""
    target = _resolved(path)
    if project is not None:
        if target in project_files(project):
            raise ScreenerError(
                "is one of the project's own files; choose another output file", path=path
            )
        backups = _resolved(project.root / BACKUP_DIR)
        if backups in target.parents:
            raise ScreenerError(
                f"is inside the project's {BACKUP_DIR}/ folder; choose another output file",
                path=path,
            )
    if target.is_dir():
        raise ScreenerError("is a folder; give a file name", path=path)
    if _is_database(target) and not database:
        raise ScreenerError("is a database; screener never writes an output over one", path=path)
    if path.name.lower() == "screener.toml" or target.name.lower() == "screener.toml":
        raise ScreenerError("is a project configuration; choose another output file", path=path)
    if (path.exists() or path.is_symlink()) and not force:
        raise ScreenerError("already exists; use --force to replace it", path=path)


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


@contextlib.contextmanager
def output_file(
    name: str | Path, *, project: Project | None = None, force: bool = False
) -> Iterator[TextIO]:
    """A text stream for ``name`` (``-`` = stdout) that appears whole on success only."""
    if str(name) == "-":
        yield sys.stdout
        return
    path = Path(name)
    check_output(path, project=project, force=force)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # mkstemp opens with O_CREAT | O_EXCL and a random name: it never follows or reuses
        # an existing file or symlink.
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ScreenerError(f"cannot write: {exc.strerror}", path=path) from exc
    tmp = Path(tmp_name)
    try:
        # newline="" keeps the CSV writers' line endings as written.
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _set_default_mode(tmp)
        _put_in_place(tmp, path, force)
    except OSError as exc:
        raise ScreenerError(f"cannot write: {exc.strerror}", path=path) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_output(name: str | Path, text: str, *, project: Project | None = None,
                 force: bool = False) -> None:
    """Write ``text`` to ``name`` with the rules of ``output_file``."""
    with output_file(name, project=project, force=force) as handle:
        handle.write(text)


def _put_in_place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        # A hard link refuses to replace a file created meanwhile (no check-then-write race).
        os.link(tmp, path)
    except FileExistsError:
        raise ScreenerError("already exists; use --force to replace it", path=path) from None
    except OSError:
        os.replace(tmp, path)  # a file system without hard links


def _set_default_mode(path: Path) -> None:
    """mkstemp creates 0600; an export is an ordinary file (0666 minus the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
