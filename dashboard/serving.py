"""Serving the dashboard in production: ``bash scripts/serve.sh`` (``python -m dashboard.serving``).

It checks the settings, loads ``data/seed`` into an empty database, then replaces itself with
gunicorn serving ``app:server`` with WORKERS processes of THREADS threads each (and, with
REDIS_URL, CELERY_WORKERS Celery workers its master starts: ``celery_command``). Every worker
reads the same database (DATABASE_URL): sessions, the sign-in throttle, users, exempt items,
the uploads log and the uploads waiting for confirmation live there, and each worker's computed
figures are keyed by the data version read from the database on every request, so a load
committed by one worker shows in all of them from their next request. With REDIS_URL the
servers share the kept answers and the background jobs through Redis; no folder is shared.

``configure(server)`` (called by app.py) puts the proxy headers (TRUST_PROXY) and the log format
(LOG_FORMAT) on the Flask server, whichever WSGI server runs it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from core import config

JSON_ACCESS_LOG = json.dumps(
    {
        "time": "%(t)s",
        "remote": "%({x-forwarded-for}i)s %(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "ms": "%(M)s",
    }
)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and the traceback, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def trusted_proxies() -> int:
    value = config.TRUST_PROXY.get().strip().lower()
    if value in {"", "0", "no", "false", "off"}:
        return 0
    return 1 if value in {"yes", "true", "on"} else int(value)


def configure(server: Flask) -> None:
    """Proxy headers (only when TRUST_PROXY says a proxy is there) and the log format."""
    proxies = trusted_proxies()
    if proxies:
        server.wsgi_app = ProxyFix(
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    handler = logging.StreamHandler(sys.stderr)
    if config.LOG_FORMAT.get().strip().lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.dashboard = True
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "dashboard", False)] + [handler]
    root.setLevel(config.LOG_LEVEL.get().strip().upper() or "INFO")
    server.logger.handlers = []  # Flask's own handler would write each message twice


def gunicorn_command(executable: str | None = None) -> list[str]:
    """The gunicorn command line the settings ask for."""
    gunicorn = (
        executable or shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    )
    command = [
        gunicorn,
        "app:server",
        "--bind",
        f"{config.HOST.get()}:{config.PORT.get()}",
        "--workers",
        str(int(config.WORKERS.get())),
        "--worker-class",
        "gthread",
        "--threads",
        str(int(config.THREADS.get())),
        "--no-control-socket",
        "--preload",  # the master warms the figures once; the workers share them (gunicorn_hooks)
        "--config",
        "python:dashboard.gunicorn_hooks",
        "--timeout",
        "120",
        "--graceful-timeout",
        "60",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--log-level",
        config.LOG_LEVEL.get().strip().lower() or "info",
        "--chdir",
        str(config.PROJECT_ROOT),
    ]
    if config.LOG_FORMAT.get().strip().lower() == "json":
        command += ["--access-logformat", JSON_ACCESS_LOG]
    if trusted_proxies():
        command += ["--forwarded-allow-ips", "*"]  # the proxy's scheme header, like ProxyFix
    return command


def celery_command(executable: str | None = None) -> list[str] | None:
    """The Celery worker the production command starts beside gunicorn for the background jobs
    (board packs): only with REDIS_URL and CELERY_WORKERS above 0; None otherwise."""
    workers = int(config.CELERY_WORKERS.get() or 0)
    if not config.REDIS_URL.get().strip() or workers <= 0:
        return None
    celery = executable or shutil.which("celery") or str(Path(sys.executable).with_name("celery"))
    return [
        celery,
        "--app",
        "app:celery_app",
        "--workdir",
        str(config.PROJECT_ROOT),
        "worker",
        "--concurrency",
        str(workers),
        "--hostname",
        f"dashboard-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        config.LOG_LEVEL.get().strip().upper() or "INFO",
    ]


def prepare() -> None:
    """What must hold before serving: no open dashboard on a reachable address; data loaded."""
    from dashboard import pending
    from dashboard.auth import guard, sessions
    from etl.seed import seed_if_empty

    guard.check_startup(config.HOST.get())
    sessions.secret_key()  # made once here, not by each worker at the same moment
    pending.recover_abandoned()  # uploads a stopped server left "loading" say they failed
    seed_if_empty()


def main() -> None:
    prepare()
    command = gunicorn_command()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
