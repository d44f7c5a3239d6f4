"""Charts as SVG for the PDF: the pages' Plotly figures drawn by kaleido, which drives the
Chromium on PATH (Debian's ``chromium``; ``BROWSER_PATH`` names another). Started once per
process (``mathjax=False``: it would fetch MathJax from the network), then about 0.2 s a chart.

Without Chromium (or when a chart fails) ``svg`` returns None and the pack prints the chart's
figures as a table with a note instead: the pack is still complete, only plainer.
"""

from __future__ import annotations

import atexit
import logging
import threading

import plotly.graph_objects as go

_lock = threading.Lock()
_state = {"started": False, "broken": False}
NO_CHARTS_NOTE = (
    "Charts could not be drawn on this server (the Chromium browser is not installed), so "
    "their figures are printed as tables."
)


def _start() -> bool:
    if _state["broken"]:
        return False
    if not _state["started"]:
        try:
            import kaleido

            for name in ("kaleido", "choreographer"):  # their start and exit chatter: not ours
                logging.getLogger(name).setLevel(logging.WARNING)
            kaleido.start_sync_server(mathjax=False)
            _state["started"] = True
            atexit.register(_stop)
        except Exception:  # no kaleido or no Chromium: tables instead of charts
            _state["broken"] = True
            return False
    return True


def _stop() -> None:
    """Close the browser before the interpreter closes its streams (else its log lines fail)."""
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # already gone
        pass


def svg(figure: go.Figure, width: int = 720, height: int = 360) -> str | None:
    """The figure as SVG text for print (white background), or None when it cannot be drawn."""
    with _lock:  # one browser for the whole process: one chart at a time
        if not _start():
            return None
        try:
            import kaleido

            printable = go.Figure(figure).update_layout(
                paper_bgcolor="white", plot_bgcolor="white", width=width, height=height
            )
            opts = {"format": "svg", "width": width, "height": height}
            return kaleido.calc_fig_sync(printable, opts=opts).decode("utf-8")
        except Exception:
            return None
