"""A throwaway PostgreSQL server for the tests, started from the distribution's binaries.

One server per test process (per xdist worker): ``initdb`` into a temporary folder,
``pg_ctl start`` on a free localhost port with durability switched off (the data is
thrown away). TCP logins need their password (scram-sha-256), as on a real server, so the
tests can show a reviewer's login refused with a wrong one; the superuser's password is
handed to libpq through ``PGPASSWORD``, as a user would. As root (CI, containers)
the server runs as the ``postgres`` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

SEARCH = [Path("/usr/lib/postgresql"), Path("/usr/local/pgsql")]


def find_bindir() -> Path | None:
    """The newest installed server's bin folder (Debian/Ubuntu layout, else PATH)."""
    found = sorted(
        (p for base in SEARCH if base.is_dir() for p in base.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: _version(p.parent.name),
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(x) for x in name.split(".") if x.isdigit()) or (0,)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bindir: Path
    folder: Path
    port: int
    user: str = "postgres"
    password: str = "screener-test-superuser"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str = "postgres", user: str | None = None,
            password: str | None = None, schema: str | None = None) -> str:
        who = user or self.user
        if password is not None:
            who += f":{password}"
        url = f"postgresql://{who}@127.0.0.1:{self.port}/{dbname}"
        return url + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def fresh_schema_url(self) -> str:
        """A URL whose tables land in a new, empty schema: a whole project per test for the
        cost of one CREATE SCHEMA."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}".encode())
        return self.url(schema=name)

    def fresh_database_url(self) -> str:
        """A URL of a new, empty database (for tests of roles and grants)."""
        import psycopg

        name = "d_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY".encode())
        return self.url(name)

    def stop(self) -> None:
        if not self.folder.exists():
            return  # already stopped (by the test session or the watchdog)
        _run_as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                       "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def _run_as_owner(argv: list[str], check: bool = True) -> None:
    subprocess.run(_as_owner(argv), check=check, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=120)


def start_server(durable: bool = False) -> PgServer:
    """Start a new server; raises ``RuntimeError`` when PostgreSQL is not installed.

    ``durable``: commit to disk as a production server does (benchmarks); tests do not."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="screener-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    server = PgServer(bindir, folder, _free_port())
    try:
        pwfile = folder / "pwfile"
        pwfile.write_text(server.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres")
        _run_as_owner([str(bindir / "initdb"), "-D", str(server.data), "--auth-local=trust",
                       "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-U", server.user,
                       "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        options = (f"-k {folder} -p {server.port} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=200")
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _run_as_owner([str(bindir / "pg_ctl"), "-D", str(server.data), "-l",
                       str(folder / "server.log"), "-o", options, "-w", "start"])
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')}") from exc
    # A pytest run cut short (-x under xdist, Ctrl-C, a killed worker) never reaches the
    # fixture's teardown: stop the server at exit, and from a watchdog that outlives us.
    atexit.register(server.stop)
    _watch(server)
    return server


_WATCHDOG = """
import os, shutil, subprocess, sys, time
parent, pg_ctl, data, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
while True:
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        break
    if not os.path.isdir(folder):
        sys.exit(0)
    time.sleep(1)
argv = [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]
if os.geteuid() == 0:
    argv = ["runuser", "-u", "postgres", "--", *argv]
subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
shutil.rmtree(folder, ignore_errors=True)
"""


def _watch(server: PgServer) -> None:
    """Stop ``server`` once this process is gone, however it ended (even kill -9)."""
    subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(server.bindir / "pg_ctl"),
         str(server.data), str(server.folder)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # not in pytest's process group, so Ctrl-C does not kill it
    )
