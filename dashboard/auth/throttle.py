"""The sign-in throttle: too many failed sign-ins in a row lock out an address or a user name.

Failures are rows in the database (``core.db.login_failures``), so every process and server of a
deployment counts the same ones: an attacker gains nothing by spreading guesses over workers.
A key is (address, user name in lower case), or (address, ``ANY_NAME``) for the address's
failures under any name, which may reach four times LOGIN_RATE_LIMIT. A key is locked out for
LOGIN_LOCKOUT_SECONDS after its last failure once it has that many within that time.

A sign-in asks first (``attempt``): its failure under the name is noted before the password is
checked, in the same locked transaction that counts the key's failures, and forgotten if the
password is right. So simultaneous guesses at a name are counted one after another and at most
the limit are ever checked (counting, checking, then noting let 60 guesses at once all be
checked). The address's count under any name is noted only once a password is wrong
(``address_failed``): noted ahead, twenty colleagues signing in at once from one office address
would lock each other out.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Attempt:
    """A sign-in allowed to check its password (``wait`` 0, its failure already noted as
    ``ids``) or refused for ``wait`` seconds."""

    wait: float
    ids: tuple[int, ...] = ()


def attempt(engine: Engine, address: str, name: str) -> Attempt:
    """Count and note this sign-in as a failure at once, unless the name or the address is
    locked out: then how long it must wait. Call ``succeeded`` when the password is right."""
    limit, window = _limits()
    now = db.utc_now()
    address, name = _key(address, name)
    caps = {name: limit, ANY_NAME: limit * 4}
    ids, latest = store.reserve_login_attempt(engine, address, caps, now - window, now, [name])
    if ids:
        return Attempt(0.0, tuple(ids))
    return Attempt(max((window - (now - latest)).total_seconds(), 0.001))


def release(engine: Engine, allowed: Attempt) -> None:
    """Forget an attempt's noted failure without clearing the name's others (a right password
    for a disabled account)."""
    store.forget_login_attempt(engine, list(allowed.ids))


def address_failed(engine: Engine, address: str) -> None:
    """Count a wrong password against the address (its name's failure is noted already)."""
    _, window = _limits()
    store.add_login_failure(engine, address[:64], [ANY_NAME], db.utc_now() - window)


def failed(engine: Engine, address: str, name: str) -> None:
    """Count a failed sign-in against the name and against the address."""
    _, window = _limits()
    address, name = _key(address, name)
    store.add_login_failure(engine, address, [name, ANY_NAME], db.utc_now() - window)


def succeeded(engine: Engine, address: str, name: str, allowed: Attempt | None = None) -> None:
    """Forget the name's failures from this address and the attempt's own noted failure (the
    address's count of earlier failures stays)."""
    if allowed is not None:
        release(engine, allowed)
    store.clear_login_failures(engine, *_key(address, name))
