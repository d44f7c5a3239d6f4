"""The sign-in throttle: too many failed sign-ins in a row lock out an address or a user name.

Failures are rows in the database (``core.db.login_failures``), so every process and server of a
deployment counts the same ones: an attacker gains nothing by spreading guesses over workers.
A key is (address, user name in lower case), or (address, ``ANY_NAME``) for the address's
failures under any name, which may reach four times LOGIN_RATE_LIMIT. A key is locked out for
LOGIN_LOCKOUT_SECONDS after its last failure once it has that many within that time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from core import config, db, queries
from dashboard.auth import store

ANY_NAME = " *"  # no name tried can be this: names are stripped of spaces first


def _limits() -> tuple[int, timedelta]:
    seconds = float(config.LOGIN_LOCKOUT_SECONDS.get())
    return int(config.LOGIN_RATE_LIMIT.get()), timedelta(seconds=seconds)


def _key(address: str, name: str) -> tuple[str, str]:
    return address[:64], name.strip().lower()[:200]


def wait(engine: Engine, address: str, name: str) -> float:
    """Seconds until ``name`` may try again from ``address`` (0: now)."""
    limit, window = _limits()
    now = db.utc_now()
    address, name = _key(address, name)
    counts = queries.login_failures(engine, address, [name, ANY_NAME], now - window)
    longest = timedelta(0)
    for key, (count, latest) in counts.items():
        cap = limit * 4 if key == ANY_NAME else limit
        if count >= cap:
            longest = max(longest, window - (now - latest))
    return max(longest.total_seconds(), 0.0)


def failed(engine: Engine, address: str, name: str) -> None:
    """Count a failed sign-in against the name and against the address."""
    _, window = _limits()
    address, name = _key(address, name)
    store.add_login_failure(engine, address, [name, ANY_NAME], db.utc_now() - window)


def succeeded(engine: Engine, address: str, name: str) -> None:
    """Forget the name's failures from this address (the address's own count stays)."""
    store.clear_login_failures(engine, *_key(address, name))
