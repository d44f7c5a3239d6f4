"""Charts as SVG for the PDF: the pages' Plotly figures drawn by kaleido, which drives the
Chromium on PATH (Debian's ``chromium``; ``BROWSER_PATH`` names another).

``draw_all`` draws a build's charts with one Chromium of its own, two tabs at a time, and closes
it before returning: no browser outlives the build that started it (``mathjax=False``: it would
fetch MathJax from the network). Without Chromium (or when a chart fails) a chart's SVG is None
and the pack prints the chart's figures as a table with a note instead: the pack is still
complete, only plainer.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import plotly.graph_objects as go

NO_CHARTS_NOTE = (
    "Charts could not be drawn on this server (the Chromium browser is not installed), so "
    "their figures are printed as tables."
)
TABS = 2  # charts drawn at once (the server has two cores)
_state = {"broken": False}  # set True to draw no charts (tests; a server without Chromium)


def printable(figure: go.Figure, width: int, height: int) -> go.Figure:
    return go.Figure(figure).update_layout(
        paper_bgcolor="white", plot_bgcolor="white", width=width, height=height
    )


async def _draw(figures: list[tuple[go.Figure, int]], width: int) -> list[str | None]:
    import kaleido

    for name in ("kaleido", "choreographer"):  # their start and exit chatter: not ours
        logging.getLogger(name).setLevel(logging.WARNING)

    async with kaleido.Kaleido(n=TABS, mathjax=False) as browser:

        async def one(figure: go.Figure, height: int) -> str | None:
            opts = {"format": "svg", "width": width, "height": height}
            try:
                drawn = await browser.calc_fig(printable(figure, width, height), opts=opts)
                return drawn.decode("utf-8")
            except Exception:  # this chart as a table; the others still drawn
                return None

        return list(await asyncio.gather(*(one(f, h) for f, h in figures)))


def draw_all(figures: list[tuple[go.Figure, int]], width: int = 720) -> list[str | None]:
    """Each (figure, height) as SVG text for print (white background), or None where it cannot
    be drawn; Chromium is started for these and closed before this returns. Runs in a thread of
    its own, so it works the same from a request, a background job or the command line."""
    if not figures or _state["broken"]:
        return [None] * len(figures)
    found: list = [None] * len(figures)

    def run() -> None:
        try:
            found[:] = asyncio.run(_draw(figures, width))
        except Exception:  # no kaleido or no Chromium: tables instead of charts
            pass

    worker = threading.Thread(target=run, name="pack-charts", daemon=True)
    worker.start()
    worker.join()
    return found
