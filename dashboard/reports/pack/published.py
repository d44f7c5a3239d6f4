"""Published board packs: the manager publishes a quarter's pack (the PDF and the workbook,
built as a viewer reads them, or the Part 2 pack with exempt items); every signed-in role lists
and downloads them, the Part 2 ones only the roles that may see exempt items. A republished
pack is a new version; the earlier ones are kept. Publishing builds both files (seconds), so the
Board pack page runs it as a background job (``order`` signs who asked, ``carry_out`` does it)
and the list shows the new pack when it is stored.

Files are served by ``blueprint`` (``/board-pack/published/<id>.pdf|.xlsx``), which checks the
reader's role itself (the guard in front of every route has already required a signed-in user).
"""

from __future__ import annotations

import flask
import pandas as pd
from itsdangerous import BadData, URLSafeTimedSerializer

from core import db, queries
from core.months import Month
from core.published import publish
from dashboard.auth import exempt, guard, sessions
from dashboard.reports.pack.build import build
from dashboard.reports.pack.quarter import quarter_end, quarter_label

blueprint = flask.Blueprint("published_packs", __name__)
TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def publish_pack(end: Month, with_exempt: bool, by: str) -> int:
    """Build the quarter's pack as PDF and workbook and store them; returns the version."""
    pdf, xlsx = build(end, "pdf", with_exempt), build(end, "xlsx", with_exempt)
    return publish(db.get_engine(), quarter_label(end), with_exempt, by, pdf, xlsx)


ORDER_SALT = "publish-board-pack"
ORDER_SECONDS = 600  # an order is carried out within this (the job starts at once)


class OrderError(Exception):
    """An order to publish that this server did not sign, or signed too long ago."""


def order(end: Month, with_exempt: bool, user) -> str:
    """The manager's order to publish, signed with the server's key: the background job that
    carries it out runs outside the request, so it learns who published it from here."""
    signer = URLSafeTimedSerializer(sessions.secret_key(), salt=ORDER_SALT)
    return signer.dumps(
        {
            "quarter": quarter_label(end),
            "exempt": bool(with_exempt),
            "by": user.name,
            "part_2": exempt.sees_exempt(user),
        }
    )


def carry_out(token: str) -> tuple[int, pd.DataFrame]:
    """Publish the pack a signed ``order`` asks for; (its version, the packs its publisher may
    download, newest first)."""
    signer = URLSafeTimedSerializer(sessions.secret_key(), salt=ORDER_SALT)
    try:
        said = signer.loads(token, max_age=ORDER_SECONDS)
    except BadData as exc:
        raise OrderError(str(exc)) from exc
    version = publish_pack(quarter_end(said["quarter"]), said["exempt"], said["by"])
    return version, listed_packs(said["part_2"])


def listed(user) -> pd.DataFrame:
    """The published packs ``user`` may download, newest first."""
    return listed_packs(exempt.sees_exempt(user))


def listed_packs(part_2: bool) -> pd.DataFrame:
    """The published packs, newest first (the Part 2 ones only with ``part_2``)."""
    packs = queries.published_list(db.get_engine())
    return packs if part_2 else packs[~packs["exempt"].astype(bool)]


@blueprint.route("/board-pack/published/<int:pack_id>.<fmt>")
def download(pack_id: int, fmt: str):
    user = guard.current_user()
    found = queries.published_file(db.get_engine(), pack_id, fmt) if user else None
    if found is None or (found[0]["exempt"] and not exempt.sees_exempt(user)):
        flask.abort(404)  # the same answer for a Part 2 pack as for none: nothing to learn
    meta, data = found
    end_name = file_name_of(meta, fmt)
    response = flask.make_response(data)
    response.headers["Content-Type"] = TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{end_name}"'
    return response


def file_name_of(meta: dict, fmt: str) -> str:
    label = meta["quarter"].replace("/", "-")
    part2 = "-part-2" if meta["exempt"] else ""
    return f"board-pack-{label}{part2}-v{int(meta['version'])}.{fmt}"
