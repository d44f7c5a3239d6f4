"""The sign-in throttle: too many failed sign-ins in a row lock out an address or a user name."""

from __future__ import annotations

import threading
import time
from collections import deque

from core import config


class LoginThrottle:
    """Failed sign-ins per key (address and user name); too many in a row lock the key out."""

    def __init__(self) -> None:
        self._failures: dict[tuple, deque] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _limits() -> tuple[int, float]:
        return int(config.LOGIN_RATE_LIMIT.get()), float(config.LOGIN_LOCKOUT_SECONDS.get())

    def wait(self, *keys: tuple) -> float:
        """Seconds until any of ``keys`` may try again (0: now)."""
        limit, window = self._limits()
        now = time.monotonic()
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._failures.get(key)
                if not times:
                    continue
                while times and now - times[0] > window:
                    times.popleft()
                cap = limit * 4 if key[-1] == "*" else limit  # per address: any user name
                if len(times) >= cap:
                    longest = max(longest, window - (now - times[-1]))
        return max(longest, 0.0)

    def failed(self, *keys: tuple) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=1000)).append(now)

    def succeeded(self, key: tuple) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()


THROTTLE = LoginThrottle()
