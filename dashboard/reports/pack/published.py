"""Published board packs: the manager publishes a quarter's pack (the PDF and the workbook,
built as a viewer reads them, or the Part 2 pack with exempt items); every signed-in role lists
and downloads them, the Part 2 ones only the roles that may see exempt items. A republished
pack is a new version; the earlier ones are kept.

Files are served by ``blueprint`` (``/board-pack/published/<id>.pdf|.xlsx``), which checks the
reader's role itself (the guard in front of every route has already required a signed-in user).
"""

from __future__ import annotations

import threading
import traceback

import flask
import pandas as pd

from core import db, queries
from core.months import Month
from core.published import publish
from dashboard.auth import exempt, guard
from dashboard.reports.pack.build import build
from dashboard.reports.pack.quarter import quarter_label

blueprint = flask.Blueprint("published_packs", __name__)
TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def publish_pack(end: Month, with_exempt: bool, by: str) -> int:
    """Build the quarter's pack as PDF and workbook and store them; returns the version."""
    pdf, xlsx = build(end, "pdf", with_exempt), build(end, "xlsx", with_exempt)
    return publish(db.get_engine(), quarter_label(end), with_exempt, by, pdf, xlsx)


def start(end: Month, with_exempt: bool, by: str) -> None:
    """Publish in the background (a build takes a while); the list shows it when stored."""

    def run() -> None:
        try:
            publish_pack(end, with_exempt, by)
        except Exception:  # the server log keeps the detail; the pack is not listed
            traceback.print_exc()

    threading.Thread(target=run, name="publish-pack", daemon=True).start()


def listed(user) -> pd.DataFrame:
    """The published packs ``user`` may download, newest first."""
    packs = queries.published_list(db.get_engine())
    if exempt.sees_exempt(user):
        return packs
    return packs[~packs["exempt"].astype(bool)]


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
