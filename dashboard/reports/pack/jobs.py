"""The board pack as the Board pack page's background job (``dashboard.jobs`` runs it: a process
beside the server, or a Celery worker): the build with its progress, as the file to send."""

from __future__ import annotations

import logging

from dash import dcc

from dashboard import jobs
from dashboard.reports.pack.build import build, file_name
from dashboard.reports.pack.quarter import QuarterError, quarter_end, quarter_label

FAILED = (
    "The pack could not be built. Try again; if it fails again, tell whoever runs the dashboard."
)
CANCELLED = "Cancelled: no pack was built. Build it again when you are ready."
STOPPED = {  # the page's words for dashboard.jobs' reasons a build gave no pack
    jobs.NOT_YOURS: "That pack is not available.",
    jobs.STOPPED: (
        "The pack was not built: it was cancelled, or the server building it stopped. "
        "Build it again when you are ready."
    ),
    jobs.NO_WORKER: (
        "The pack was not built: no worker is running to build it. Tell whoever runs the "
        "dashboard (scripts/serve.sh starts them)."
    ),
}
log = logging.getLogger(__name__)


def run(quarter: str, fmt: str, with_exempt: bool, progress) -> tuple[str, dict | None]:
    """(what to say, the file for dcc.Download or None) for the chosen pack."""
    try:
        end = quarter_end(quarter or "")
        data = build(end, fmt, with_exempt, progress)
    except QuarterError as exc:
        return str(exc), None
    name = file_name(end, fmt, with_exempt)
    said = f"Ready: {name} ({quarter_label(end)}) has been downloaded."
    return said, dcc.send_bytes(data, name)
