"""A throw-away PostgreSQL server for the test suite.

``running()`` starts a private server on 127.0.0.1 on a free port, with its data in a temporary
folder, creates the database ``appdb`` for the role ``app`` and yields its SQLAlchemy URL; on
exit it stops the server and removes the folder. As root the server runs as the ``postgres``
user (PostgreSQL refuses to run as root); otherwise as the current user. If the environment
names a server in ``TEST_DATABASE_URL_PG``, that one is used instead and nothing is started.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

EXTERNAL_URL_ENV = "TEST_DATABASE_URL_PG"
ROLE = "app"
DATABASE = "appdb"
# Durability is pointless for a server that is deleted after the run.
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=50"
)


class PostgresNotFound(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path | None:
    """The bin folder of the newest PostgreSQL under /usr/lib/postgresql, if any."""
    dirs = [Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin") if Path(d, "initdb").exists()]
    return max(dirs, key=_version_key, default=None)


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str | Path], as_postgres: bool) -> None:
    cmd = [str(a) for a in args]
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")


def _start(bin_dir: Path, data_dir: Path, port: int, as_postgres: bool) -> None:
    log = data_dir.parent / "server.log"
    options = f"{SERVER_OPTIONS} -p {port} -c unix_socket_directories={data_dir.parent}"
    try:
        _run(
            [bin_dir / "pg_ctl", "-D", data_dir, "-l", log, "-w", "-o", options, "start"],
            as_postgres,
        )
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\nserver log:\n{_tail(log)}") from None


def _tail(path: Path) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-20:])
    return "(no log)"


def _create_database(port: int) -> None:
    with psycopg.connect(f"host=127.0.0.1 port={port} user={ROLE} dbname=postgres") as conn:
        conn.autocommit = True
        conn.execute(f"CREATE DATABASE {DATABASE}")


def reset_schema(url: str) -> None:
    """Empty the database at ``url`` (a test's fresh start).

    Dropping the schema (about 30 ms with create_all) also removes anything a test made outside
    ``metadata``; lock_timeout turns a connection a test left open into an error."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        admin.dispose()


@contextlib.contextmanager
def running() -> Iterator[str]:
    """Yield the URL of a PostgreSQL server for this test run (started here unless external)."""
    external = os.environ.get(EXTERNAL_URL_ENV)
    if external:
        yield external
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresNotFound("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
    as_postgres = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="test-pg-"))
    data_dir = base / "data"
    started = False
    try:
        if as_postgres:
            shutil.chown(base, user="postgres")
        _run(
            [bin_dir / "initdb", "-D", data_dir, "-U", ROLE, "-A", "trust", "--no-sync"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            as_postgres,
        )
        for attempt in range(3):  # another process may take the free port before we bind it
            port = _free_port()
            try:
                _start(bin_dir, data_dir, port, as_postgres)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        started = True
        _create_database(port)
        yield f"postgresql+psycopg://{ROLE}@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            _run([bin_dir / "pg_ctl", "-D", data_dir, "-m", "immediate", "-w", "stop"], as_postgres)
        shutil.rmtree(base, ignore_errors=True)
