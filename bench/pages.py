"""How fast each page draws in a browser, and how fast a period change redraws it.

Run: .venv/bin/python bench/pages.py [--runs N] [--database-url URL] [--pages PATH ...]

With every seed file loaded (all London boroughs and wards; seeded into a temporary SQLite
file unless --database-url names one already seeded) and the app served from a thread on
127.0.0.1, headless Chromium (Debian's) opens each page. The browser's own clock measures:

Measuring starts once the app's start-up warm-up (recent months computed in the background
after its first request) has finished.

* load: navigation start (performance.timeOrigin) to the first frame at which Dash has no
  pending callback and every chart is drawn (held for 100 ms, so a pause between two rounds of
  callbacks does not count). A full page load with the browser's HTTP cache warm; one
  unmeasured visit first warms it and the server's per-data-version caches.
* change: the choice of a new period in the picker (a native <select>: its input event, the
  moment the browser registers the month picked) to the first frame at which Dash has run its
  callbacks and every chart is drawn again. Each run picks another period.

"runs" counts the runs measured: a change after which no callback ran (the choice did not
register) is left out, and shows here as fewer than --runs.

"server ms" is the median time during which a Dash callback request was in flight (Python and
loopback network); the rest of the total is the browser's (JavaScript, React, Plotly, layout).

Targets: each page's load <= 1.0 s at p95, each period change <= 300 ms at p95.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

import harness  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

TARGET_LOAD_S, TARGET_CHANGE_S = 1.0, 0.300
DEFAULT_PAGES = [
    "/",
    *[f"/crime/{slug}" for slug in harness.CRIME_SLUGS],
    "/wards",
    f"/ward/{harness.SAMPLE_WARD}",
]

# The time of the next choice (the picker's input event), pointer press or key press, on the
# page's clock.
ARM_CLOCK_JS = """
() => {
  window.__inputAt = null;
  const mark = () => { if (window.__inputAt === null) window.__inputAt = performance.now(); };
  for (const type of ['input', 'pointerdown', 'keydown']) {
    document.addEventListener(type, mark, {capture: true, once: true});
  }
}
"""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with 10 runs, p95 is the slowest run."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


# Milliseconds during which at least one Dash callback request (sent after `since`) was in
# flight: the server's share of the wait, Python and network together.
SERVER_MS_JS = """
(since) => {
  const spans = performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/_dash-update-component') && e.startTime >= since)
    .map((e) => [e.startTime, e.responseEnd]).sort((a, b) => a[0] - b[0]);
  let total = 0, end = -1;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}
"""


def measure_load(page, base: str, path: str) -> tuple[float, float]:
    """(seconds to every chart drawn, seconds of it with a callback on the server)."""
    page.goto(base + path)
    settled = harness.wait_drawn(page)
    return settled / 1000, page.evaluate(SERVER_MS_JS, 0) / 1000


def measure_change(page, offset: int) -> tuple[float, float] | None:
    """The same for choosing another period; None if no callback ran."""
    values, selected = harness.period_options(page)
    chosen = harness.other_period(values, selected, offset)
    page.evaluate(ARM_CLOCK_JS)
    harness.watch_busy(page)
    harness.choose_period(page, chosen)
    try:
        page.wait_for_function("() => window.__dashWasBusy === true", timeout=3000)
    except PlaywrightError:
        return None
    settled = harness.wait_drawn(page)
    start = page.evaluate("() => window.__inputAt")
    return (settled - start) / 1000, page.evaluate(SERVER_MS_JS, start) / 1000


def wait_for_start_up_warming(base: str) -> None:
    """The app computes recent months' figures in a background thread after its first request
    (app.warm_pages): let it finish, so the first pages measured do not share the CPU with it.
    A board member arrives minutes after a restart, not during its first seconds."""
    urllib.request.urlopen(base + "/healthz", timeout=30).read()
    for thread in threading.enumerate():
        if thread.name == "warm-pages":
            thread.join(timeout=300)


def bench_page(context, base: str, path: str, runs: int, errors: list[str]) -> dict:
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(f"{path}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{path}: {e}"))
    measure_load(page, base, path)  # warm-up, not counted
    loads, changes = [], []
    for run in range(runs):
        loads.append(measure_load(page, base, path))
        if page.locator("#period-select").count():
            change = measure_change(page, offset=run + 1)
            if change is not None:
                changes.append(change)
    page.close()
    return {"path": path, "loads": loads, "changes": changes}


def row(label: str, runs: list[tuple[float, float]], target: float) -> str:
    if not runs:
        return f"{label:<34} {'no callback ran':>28}"
    totals = [total for total, _ in runs]
    med, p95 = statistics.median(totals), percentile(totals, 95)
    server = statistics.median(s for _, s in runs)
    verdict = "met" if p95 <= target else "NOT MET"
    return (
        f"{label:<34} {med * 1000:>9.0f} {p95 * 1000:>9.0f} {target * 1000:>9.0f}"
        f"   {verdict:<8} {server * 1000:>9.0f} {len(runs):>5}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", help="an already seeded database (default: seed one)")
    parser.add_argument("--pages", nargs="*", default=DEFAULT_PAGES)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or harness.seed_database(Path(tmp))
        errors: list[str] = []
        with harness.serving(url) as base, sync_playwright() as pw:
            wait_for_start_up_warming(base)
            browser = pw.chromium.launch(**harness.launch_args())
            # No request routing here: Playwright turns the HTTP cache off for a routed
            # context, and a board member's browser has one. The launch flags already stop
            # any request leaving the machine (harness.CHROMIUM_ARGS).
            context = browser.new_context()
            results = [bench_page(context, base, p, args.runs, errors) for p in args.pages]
            version = browser.version
            browser.close()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nPages: {args.runs} runs each, headless Chromium {version}, "
        f"{os.cpu_count()} cores (load average {load}), Python {platform.python_version()}"
    )
    print(
        f"{'':<34} {'median ms':>9} {'p95 ms':>9} {'target':>9}   {'':<8} {'server ms':>9}"
        f" {'runs':>5}"
    )
    print("page load (navigation -> every chart drawn)")
    for r in results:
        print(row("  " + r["path"], r["loads"], TARGET_LOAD_S))
    print("period change (choice -> every chart redrawn)")
    for r in results:
        print(row("  " + r["path"], r["changes"], TARGET_CHANGE_S))
    if errors:
        print(f"\nbrowser errors ({len(errors)}):")
        for error in sorted(set(errors)):
            print("  " + error)


if __name__ == "__main__":
    main()
