"""What the browser tests and bench/pages.py share: a seeded database, the app served from a
thread, Chromium's launch options, and the JavaScript that tells when a page has settled.

Nothing here asserts; the tests and the bench decide what the numbers mean.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "data" / "seed"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"

# From shared RECIPES: the last flag is what stops Chromium's remaining DNS look-ups.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]

# axe's impacts that fail a test. Every control is a native element (links, buttons, <select>,
# <details>), so no library component needs an exemption.
BLOCKING_IMPACTS = {"serious", "critical"}

CRIME_SLUGS = [
    "burglary",
    "criminal-damage",
    "robbery",
    "theft-from-motor-vehicle",
    "theft-from-the-person",
    "theft-of-motor-vehicle",
    "violence-with-injury",
    "mopac7-total",
    "overall-crime",
]
SAMPLE_WARD = "E05013628"

# True once the page has settled: Dash has rendered the page, no callback is pending and
# every graph has been drawn by Plotly. Checked every animation frame by wait_drawn.
SETTLED_JS = """
() => {
  const stores = window.dash_stores;
  if (!stores || !stores.length) return 'Dash has not started';
  if (stores.some((s) => s.getState().isLoading)) return 'Dash callbacks pending';
  const busy = document.querySelector(
      '._dash-loading, ._dash-loading-callback, [data-dash-is-loading="true"], .dash-graph--pending');
  if (busy) return 'still loading: ' + busy.outerHTML.slice(0, 120);
  const content = document.getElementById('_pages_content');
  if (content && !content.children.length) return 'page content empty';
  for (const g of document.querySelectorAll('.dash-graph')) {
    if (!g.querySelector('.js-plotly-plot .main-svg')) return 'chart not drawn: #' + g.id;
  }
  return true;
}
"""

# Resolves with performance.now() at the first frame of a run of settled frames lasting
# `quietMs`: a page that is settled for a moment between two callback rounds does not count.
WAIT_SETTLED_JS = (
    """
async ({quietMs, timeoutMs}) => {
  const settled = """
    + SETTLED_JS
    + """;
  const start = performance.now();
  let firstSettled = null;
  return await new Promise((resolve, reject) => {
    const tick = () => {
      const now = performance.now();
      const state = settled();
      if (state === true) {
        if (firstSettled === null) firstSettled = now;
        if (now - firstSettled >= quietMs) return resolve(firstSettled);
      } else {
        firstSettled = null;
      }
      if (state !== true && now - start > timeoutMs) {
        return reject(new Error(`page did not settle in ${timeoutMs} ms: ${state}`));
      }
      requestAnimationFrame(tick);
    };
    tick();
  });
}
"""
)

# Records, from now on, whether Dash has had a pending callback (window.__dashWasBusy).
WATCH_BUSY_JS = """
() => {
  window.__dashWasBusy = false;
  for (const store of window.dash_stores || []) {
    if (store.__busyWatch) continue;
    store.__busyWatch = true;
    store.subscribe(() => { if (store.getState().isLoading) window.__dashWasBusy = true; });
  }
}
"""


def launch_args() -> dict:
    """Keyword arguments for ``playwright.chromium.launch``: Debian's Chromium, headless."""
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


def seed_database(directory: Path) -> str:
    """A new SQLite database in `directory` with every file in data/seed loaded; its URL."""
    from core import db
    from etl.seed import seed_if_empty

    url = f"sqlite:///{Path(directory) / 'browser.db'}"
    seed_if_empty(db.get_engine(url), SEED_DIR)
    return url


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """The dashboard on 127.0.0.1 (a free port) in a thread, reading `database_url`; its URL.

    DATABASE_URL is set before the app is imported and restored afterwards; core.config
    reads it on every request, so the app follows it even if it was imported earlier. The
    variable is process-wide: while a nested serving() is open, every server in the process
    reads its database, so drive only the innermost one.
    """
    from werkzeug.serving import make_server

    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = database_url
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    app = importlib.import_module("app")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dash-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous


OUTSIDE = re.compile(r"^(?![a-z]+://(127\.0\.0\.1|localhost)[:/])[a-z]+://")


def block_outside_requests(context) -> None:
    """Refuse at once any request that would leave this machine (a CDN stylesheet, a map tile,
    a font): it fails as a console error naming the address, so the test says what to vendor.

    The pattern is matched inside Playwright's driver, so local requests pay nothing for it.
    """
    context.route(OUTSIDE, lambda route: route.abort("blockedbyclient"))


serve_cdn_locally = block_outside_requests  # its first name; test_upload_flow.py still uses it


def wait_drawn(page, quiet_ms: int = 100, timeout_ms: int = 30_000) -> float:
    """Wait until Dash is idle and every chart is drawn; performance.now() when that began."""
    return page.evaluate(WAIT_SETTLED_JS, {"quietMs": quiet_ms, "timeoutMs": timeout_ms})


def watch_busy(page) -> None:
    """Start recording whether Dash runs a callback (call before an interaction)."""
    page.evaluate(WATCH_BUSY_JS)


def wait_redrawn(page, quiet_ms: int = 100, timeout_ms: int = 30_000) -> float:
    """After watch_busy and an interaction: wait for Dash to have run callbacks and settled."""
    page.wait_for_function("() => window.__dashWasBusy === true", timeout=timeout_ms)
    return wait_drawn(page, quiet_ms, timeout_ms)


def run_axe(page) -> list[dict]:
    """axe-core's violations for the page as it is now (inject once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluated by the browser's DevTools, not as an inline <script>, which the dashboard's
        # Content-Security-Policy (rightly) blocks
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
          }));
        }"""
    )


def blocking_violations(page) -> str:
    """axe's serious and critical violations on the page as it is now, described ('' if none)."""
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING_IMPACTS]
    if not violations:
        return ""
    return f"axe: serious or critical violations on {page.url}:\n" + describe_violations(violations)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {json.dumps(node['target'])}: {summary}")
    return "\n".join(lines)


def figure_data(page, graph_id: str) -> list[dict] | None:
    """The traces Plotly drew in dcc.Graph `graph_id`, with Plotly's defaults filled in.

    Only the plain fields a test compares (arrays as lists): Plotly's full traces link back
    to their axes, so they cannot be copied whole.
    """
    return page.evaluate(
        """(id) => {
          const gd = document.querySelector('#' + CSS.escape(id) + ' .js-plotly-plot');
          if (!gd || !gd._fullData) return null;
          const keys = ['type', 'name', 'visible', 'orientation', 'fill', 'mode', 'x', 'y', 'z',
                        'locations', 'text', 'hovertext', 'customdata'];
          const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
          return gd._fullData.map((t) => Object.fromEntries(
            keys.filter((k) => t[k] !== undefined).map((k) => [k, plain(t[k])])));
        }""",
        graph_id,
    )


LATEST = "latest"  # the period picker's first option: each page its own latest month


def period_options(page) -> tuple[list[str], str | None]:
    """The period picker's (a native <select>) option values, newest first, and the selected one."""
    return page.eval_on_selector(
        "#period-select", "(s) => [[...s.options].map((o) => o.value), s.value || null]"
    )


def period_shown(page) -> str:
    """The month the period picker shows, in words."""
    return page.eval_on_selector("#period-select", "(s) => s.selectedOptions[0].textContent")


def choose_period(page, value: str) -> None:
    """Choose the period `value` in the picker, as a board member picking it from the list."""
    page.select_option("#period-select", value)


def pick_another_period(page, offset: int = 1) -> str:
    """Choose the `offset`-th period after the selected one and wait until the page is redrawn
    for it; the period chosen."""
    values, selected = period_options(page)
    chosen = other_period(values, selected, offset)
    watch_busy(page)
    choose_period(page, chosen)
    wait_redrawn(page)
    return chosen


def other_period(values: list[str], selected: str | None, offset: int = 1) -> str:
    """The `offset`-th period after the selected one (wrapping), never the selected one nor
    "latest" (each page its own latest month). From "latest", counting starts a year back: the
    newest months are only some datasets' (the borough file ends before the MPS dashboard's)."""
    months = [v for v in values if v != LATEST]
    others = [v for v in months if v != selected]
    start = months.index(selected) if selected in months else 12
    ordered = others[start:] + others[:start]  # those after the selected one first
    return ordered[(offset - 1) % len(ordered)]


def page_snapshot(page) -> dict:
    """What a period change should alter: the page's text and every chart's data."""
    return page.evaluate(
        """() => {
          const plain = (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
          const graphs = {};
          for (const g of document.querySelectorAll('.dash-graph')) {
            const gd = g.querySelector('.js-plotly-plot');
            graphs[g.id] = gd && gd.data ? JSON.stringify(gd.data, plain) : null;
          }
          const content = document.getElementById('_pages_content') || document.body;
          return {text: content.innerText, graphs};
        }"""
    )


def table_rows(page, table_id: str) -> list[list[str]]:
    """The text of every cell of an HTML table or ARIA grid, row by row (headers included)."""
    return page.evaluate(
        """(id) => {
          const table = document.getElementById(id);
          if (!table) return null;
          const rows = table.querySelectorAll('tr, [role=row]');
          return [...rows].map((r) => [...r.querySelectorAll(
              'th, td, [role=gridcell], [role=columnheader], [role=rowheader]'
          )].map((c) => c.innerText.trim()));
        }""",
        table_id,
    )
