"""The three roles, each allowed what the ones below it are, and the user behind a request."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "analyst", "manager")
ROLE_WORDS = {
    "viewer": "browse the dashboard",
    "analyst": "upload data",
    "manager": "revert uploads, manage exempt items and targets",
}


@dataclass(frozen=True)
class User:
    """The person behind a request (``signed_in`` False: the open, read-only local mode)."""

    name: str
    role: str
    signed_in: bool = True

    @property
    def label(self) -> str:
        """'vera (viewer)'; the role once when the name is the role ('viewer')."""
        return self.name if self.name == self.role else f"{self.name} ({self.role})"

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


OPEN_USER = User("local", "viewer", signed_in=False)
