"""A throw-away Redis server for the test suite, like ``pgserver`` for PostgreSQL.

``running()`` starts a private ``redis-server`` on 127.0.0.1 on a free port, with its files in
a temporary folder and nothing saved to disk, and yields its URL; on exit it stops the server
and removes the folder. If the environment names a server in ``TEST_REDIS_URL``, that one is
used instead and nothing is started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

EXTERNAL_URL_ENV = "TEST_REDIS_URL"


class RedisNotFound(RuntimeError):
    """No redis-server on this machine."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


def _start(binary: str, folder: Path, port: int) -> subprocess.Popen:
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"redis-server did not start:\n{(folder / 'server.log').read_text()}"
            )
        time.sleep(0.05)
    return process


@contextlib.contextmanager
def running() -> Iterator[str]:
    """Yield the URL of a Redis server for this test run (started here unless external)."""
    external = os.environ.get(EXTERNAL_URL_ENV)
    if external:
        yield external
        return
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise RedisNotFound("no redis-server (Debian package redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="test-redis-"))
    process = None
    try:
        for attempt in range(3):  # another process may take the free port before we bind it
            port = _free_port()
            try:
                process = _start(binary, folder, port)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)
