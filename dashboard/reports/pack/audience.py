"""Who a pack is for: the default pack holds what a viewer may see (no exempt dataset or
indicator, nor a total that includes one); the exempt pack, asked for with ``--exempt``, holds
everything and says so on every page.

The pack is built inside a request context whose user is a viewer or a manager, so the cache,
the indicators export and every rule the pages follow (``dashboard.auth.exempt.visible``,
``domain.exemptions.withheld``) decide what it holds: the rule is written once, not again here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flask

from dashboard.auth import exempt
from dashboard.auth.roles import User

EXEMPT_MARK = "Exempt information \u2014 not for publication"
_APP = flask.Flask(__name__)


@contextmanager
def reading_as(with_exempt: bool) -> Iterator[None]:
    """Run the enclosed reads as the pack's reader: a manager (exempt pack) or a viewer."""
    reader = User("board pack", "manager" if with_exempt else "viewer")
    with _APP.test_request_context("/board-pack"):
        flask.g.auth_user = reader
        yield


def withheld_names() -> tuple[set[str], set[str]]:
    """(datasets, indicators) left out of the pack being built (inside ``reading_as``)."""
    return exempt.hidden("dataset"), exempt.hidden("indicator")
