"""Twenty signed-in viewers at once against the production command, with an upload halfway.

Run: .venv/bin/python bench/concurrency.py [--seconds 60] [--viewers 20] [--workers N]
     [--databases sqlite postgresql] [--servers N] [--redis] [--pause SECONDS]

``--pause``: each viewer reads for a random 0 to 2 x SECONDS before each step (a page opened, a
period changed), as a board member does; without it every viewer goes at full speed, which
on a 2-CPU machine measures the server saturated (and the viewers share those CPUs).

``--servers 2 --redis``: two production servers (each WORKERS workers, its own PENDING_DIR) over
the one database and a private redis-server (REDIS_URL: the kept answers and tables shared),
the viewers shared between them in turn; the upload is dropped on the last server.

For each database (a temporary SQLite file, and a throw-away PostgreSQL server as the tests
start one), the production command (``python -m dashboard.serving``: seed if empty, then
gunicorn with WORKERS processes, --no-control-socket) is started on 127.0.0.1 with every seed
file (all London boroughs and wards). Each viewer is a thread with its own signed-in session
that, until the time is up, opens a random page for a random month of the last five years and
then changes the period a few times, through the real endpoints a browser uses:

* page load: GET the page's address, GET /_dash-layout, GET /_dash-dependencies, the Dash
  Pages routing callback (POST /_dash-update-component), which returns the page, and the
  callbacks Dash's renderer fires as the page appears (those not ``prevent_initial_call``: the
  priority pages draw their figures so; the crime and ward pages arrive drawn);
* period change: each callback of the page that listens to the period picker and whose outputs
  are on the page (Dash's renderer fires no other), with the other inputs and states the
  page's components hold (POST /_dash-update-component).

Halfway, an analyst drops a file with one new month for one borough on the Upload page, waits
for the check, confirms and waits until it is loaded. From the moment the loaded state is seen,
every /_dash-layout answer, from whichever worker, must offer the new month in the period
picker: answers started after that moment that do not are counted as "stale".

It prints, per database: requests/s, p50/p95/p99 in ms (all requests, and page loads and
period changes as the viewer sees them: the sum of their requests), errors (HTTP status >= 400
or no answer within 30 s), stale answers and the first open of each page after the upload (the
page's answers must be drawn again for the new data version). The viewers and the servers share
the machine. Targets: every request p95 <= 300 ms, page loads p95 <= 800 ms, the first open of
any page after the upload <= 1 s, no errors, no stale answers.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dash._utils import split_callback_id  # noqa: E402
from sqlalchemy import create_engine, insert  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

import pgserver  # noqa: E402
import redisserver  # noqa: E402
from core import db  # noqa: E402

PASSWORD = "bench password"
TIMEOUT = 30
DATA_PAGES = re.compile(r"^/($|crime/|wards$|ward/|hate-crime|youth-violence|reoffending|prevent)")
TARGET_P95_MS = 300
TARGET_PAGE_P95_MS = 800
TARGET_FIRST_OPEN_MS = 1000
HTML = {"Accept": "text/html"}
RETRIED: list[str] = []  # requests sent again after the server closed an idle connection


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def viewer_name(number: int) -> str:
    """Each viewer signs in with an account of its own, as each board member has: twenty
    sign-ins at once under one name would meet the sign-in throttle's limit on guesses in
    flight at a name."""
    return f"viewer{number + 1}"


def add_users(url: str, viewers: int) -> None:
    engine = create_engine(url)
    db.metadata.create_all(engine)
    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    names = [(viewer_name(n), "viewer") for n in range(viewers)] + [("analyst", "analyst")]
    with engine.begin() as conn:
        for name, role in names:
            conn.execute(
                insert(db.users).values(
                    name=name,
                    role=role,
                    disabled=False,
                    created_at=datetime.now(),
                    password_hash=password,
                )
            )
    engine.dispose()


@contextlib.contextmanager
def production_server(url: str, workers: int, folder: Path, redis_url: str = ""):
    """The production command on a free port; yields its address once /healthz answers."""
    port = free_port()
    folder.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "PENDING_DIR": str(folder / "pending"),
        "SECRET_KEY": "b" * 64,
        "LOG_LEVEL": "warning",
        "REDIS_URL": redis_url,
        # with Redis, an upload's check and load are Celery jobs: one worker, as in production
        "CELERY_WORKERS": "1" if redis_url else "0",
    }
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.serving"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # seeding all London takes a while
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {folder / 'server.log'}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=60).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz in 10 minutes")
            time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if os.environ.get("BENCH_LOGS"):
            Path(os.environ["BENCH_LOGS"]).write_bytes((folder / "server.log").read_bytes())


# ---------------------------------------------------------------- a browser's requests


class Viewer:
    """One signed-in browser: its session, the app's callbacks, and the page it has open."""

    def __init__(self, base: str, name: str, record):
        self.base, self.record = base, record
        self.http = requests.Session()
        form = self.http.get(f"{base}/login", timeout=TIMEOUT).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = {"username": name, "password": PASSWORD, "csrf_token": token, "next": "/"}
        self.http.post(f"{base}/login", data=data, timeout=TIMEOUT).raise_for_status()
        self.http.get(f"{base}/healthz", timeout=TIMEOUT)
        self.shell = self.http.get(f"{base}/_dash-layout", timeout=TIMEOUT).json()
        self.deps = self.http.get(f"{base}/_dash-dependencies", timeout=TIMEOUT).json()
        self.components: dict[str, dict] = {}

    # one request, timed and recorded
    def request(self, kind: str, method: str, path: str, step: str = "", **options):
        start = time.perf_counter()
        began = time.time()
        try:
            try:
                response = self.http.request(method, self.base + path, timeout=TIMEOUT, **options)
            except requests.ConnectionError:
                # gunicorn closes a connection idle for its keep-alive (2 s) at the moment a
                # viewer that paused reuses it: a browser sends the request again on a new one
                RETRIED.append(path)
                response = self.http.request(method, self.base + path, timeout=TIMEOUT, **options)
            status = response.status_code
        except requests.RequestException as exc:
            response, status = None, 0
            step = f"{step or path} [{type(exc).__name__}]"
        self.record(kind, path, began, time.perf_counter() - start, status, response, step)
        return response if status and status < 400 else None

    def callback(self, kind: str, dep: dict, values: dict[str, object], step: str = ""):
        def value(item):
            return {**item, "value": values.get(f"{item['id']}.{item['property']}")}

        body = {
            "output": dep["output"],
            "outputs": split_callback_id(dep["output"]),
            "inputs": [value(i) for i in dep["inputs"]],
            "state": [value(s) for s in dep["state"]],
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
        }
        headers = {"X-CSRFToken": self.http.cookies.get("_csrf_token") or ""}
        response = self.request(
            kind, "POST", "/_dash-update-component", step or kind, json=body, headers=headers
        )
        if response is None or response.status_code == 204:
            return None
        return response.json().get("response", {})

    def open_page(self, path: str, month: str) -> tuple[float, float]:
        began = time.time()
        start = time.perf_counter()
        search = f"?period={month}"
        self.request("page", "GET", path + search, "page: the address", headers=HTML)
        self.request("page", "GET", "/_dash-layout", "page: /_dash-layout")
        self.request("page", "GET", "/_dash-dependencies", "page: /_dash-dependencies")
        routing = next(d for d in self.deps if "_pages_content.children" in d["output"])
        values = {
            "_pages_location.pathname": path,
            "_pages_location.search": search,
            "_pages_location.href": f"{self.base}{path}{search}",
            "_pages_location.hash": "",
        }
        answer = self.callback("page", routing, values, "page: the routing callback") or {}
        self.components = {}
        collect(answer.get("_pages_content", {}).get("children"), self.components)
        self.fire_on_page("page", month, lambda dep: not dep.get("prevent_initial_call"))
        return began, time.perf_counter() - start

    def fire_on_page(self, kind: str, month: str, wanted) -> None:
        """Fire, as Dash's renderer does, each server callback ``wanted`` (not a clientside
        one) whose outputs are all on the page and whose inputs and states are on the page or
        the period picker, with the values the page's components hold."""
        values = {"period-select.value": month}
        for cid, props in self.components.items():
            for prop, value in props.items():
                values[f"{cid}.{prop}"] = value
        for dep in self.deps:
            if dep.get("clientside_function") or not wanted(dep):
                continue
            ids = [i["id"] for i in dep["inputs"] + dep["state"]]
            outputs = split_callback_id(dep["output"])
            outputs = outputs if isinstance(outputs, list) else [outputs]
            shown = all(o["id"] in self.components for o in outputs)
            if shown and all(i == "period-select" or i in self.components for i in ids):
                self.callback(kind, dep, values, f"{kind}: a page's callback")

    def change_period(self, month: str) -> float:
        start = time.perf_counter()
        self.fire_on_page(
            "change",
            month,
            lambda dep: any(
                i["id"] == "period-select" and i["property"] == "value" for i in dep["inputs"]
            ),
        )
        return time.perf_counter() - start


def collect(tree, found: dict[str, dict]) -> None:
    """Every component with a plain id in a layout tree: its props."""
    if isinstance(tree, list):
        for child in tree:
            collect(child, found)
    elif isinstance(tree, dict) and "props" in tree:
        props = tree["props"]
        if isinstance(props.get("id"), str):
            found[props["id"]] = props
        for value in props.values():
            if isinstance(value, dict | list):
                collect(value, found)


def hrefs(tree) -> set[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            href = node.get("props", {}).get("href") if "props" in node else None
            if isinstance(href, str) and href.startswith("/"):
                found.add(href.split("?")[0])
            for value in node.get("props", node).values():
                if isinstance(value, dict | list):
                    walk(value)

    walk(tree)
    return found


def period_values(shell) -> list[str]:
    found: dict[str, dict] = {}
    collect(shell, found)
    values = [o["value"] for o in found["period-select"].get("options", [])]
    return [v for v in values if re.fullmatch(r"\d{4}-\d{2}", v)]  # not "latest"


# ---------------------------------------------------------------- one run


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple] = []  # kind, path, began, seconds, status, stale, step
        self.pages: list[float] = []
        self.opened: list[tuple[str, float, float]] = []  # page, began, seconds
        self.changes: list[float] = []
        self.committed_at: float | None = None
        self.new_month: str | None = None

    def record(self, kind, path, began, seconds, status, response, step="") -> None:
        stale = False
        if path == "/_dash-layout" and self.committed_at and began > self.committed_at:
            stale = response is None or self.new_month not in response.text
        with self.lock:
            self.requests.append((kind, path, began, seconds, status, stale, step))


def upload_file(month: str) -> bytes:
    column = month.replace("-", "")
    return (
        f"MajorText,MinorText,BoroughName,{column}\n"
        "BURGLARY,BURGLARY IN A DWELLING,Barnet,10\n"
        "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,5\n"
    ).encode()


def next_month(value: str) -> str:
    year, month = map(int, value.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


def upload(base: str, results: Results, log: list[str]) -> None:
    analyst = Viewer(base, "analyst", lambda *a: None)
    deps = {d["output"]: d for d in analyst.deps}

    def dep(prefix: str) -> dict:
        return next(d for key, d in deps.items() if f"{prefix}." in key)

    data = upload_file(results.new_month)
    content = "data:text/csv;base64," + base64.b64encode(data).decode()
    answer = analyst.callback(
        "upload",
        dep("upload-batch"),
        {"upload-files.contents": [content], "upload-files.filename": ["bench.csv"]},
    )
    tokens = answer["upload-batch"]["data"]
    checking = {"upload-to-check.data": answer["upload-to-check"]["data"]}
    analyst.callback("upload", dep("upload-checked"), checking)  # the page's check job
    poll = {"upload-poll.n_intervals": 1, "upload-batch.data": tokens, "upload-confirmed.data": []}
    started = time.time()
    while True:
        shown = analyst.callback("upload", dep("upload-status"), poll) or {}
        if shown.get("upload-confirm", {}).get("disabled") is False:
            break
        if time.time() - started > 120:
            log.append("upload: not ready to confirm after 120 s")
            return
        time.sleep(0.2)
    clicked = {"upload-confirm.n_clicks": 1, "upload-batch.data": tokens}
    confirmed = analyst.callback("upload", dep("upload-confirmed"), clicked) or {}
    claimed = {"upload-confirmed.data": confirmed.get("upload-confirmed", {}).get("data", [])}
    analyst.callback("upload", dep("upload-loaded"), claimed)  # the page's load job
    while True:
        shown = analyst.callback("upload", dep("upload-status"), poll) or {}
        text = json.dumps(shown.get("upload-status", {}))
        if "Loaded." in text:
            results.committed_at = time.time()
            log.append(
                f"upload: {results.new_month} loaded {time.time() - started:.1f} s after the drop"
            )
            return
        if "Not loaded" in text or time.time() - started > 300:
            log.append(f"upload: failed: {text[:300]}")
            return
        time.sleep(0.2)


def drive(
    bases: list[str], seconds: float, viewers: int, seed: int, pause: float = 0.0
) -> tuple[Results, list[str]]:
    results = Results()
    log: list[str] = []
    probe = Viewer(bases[0], viewer_name(0), lambda *a: None)
    months = period_values(probe.shell)[:60]  # newest first: the last five years
    results.new_month = next_month(months[0])
    pages = sorted(h for h in hrefs(probe.shell) if DATA_PAGES.match(h))
    pages += ["/ward/E05013628", "/crime/robbery", "/crime/violence-with-injury"]
    log.append(f"pages: {len(set(pages))}, months: {len(months)} ({months[-1]} to {months[0]})")
    deadline = time.monotonic() + seconds
    start_gate = threading.Barrier(viewers + 1)

    def viewer(number: int) -> None:
        rng = random.Random(seed + number)
        try:
            me = Viewer(bases[number % len(bases)], viewer_name(number), results.record)
        except Exception:
            start_gate.abort()  # the run stops with the error, instead of waiting for ever
            raise
        start_gate.wait()
        while time.monotonic() < deadline:
            page = rng.choice(pages)
            time.sleep(rng.uniform(0, 2 * pause))  # reading the page before the next step
            began, took = me.open_page(page, rng.choice(months))
            results.pages.append(took)
            results.opened.append((page, began, took))
            for _ in range(rng.randint(1, 4)):
                if time.monotonic() >= deadline:
                    break
                time.sleep(rng.uniform(0, 2 * pause))
                results.changes.append(me.change_period(rng.choice(months)))

    threads = [threading.Thread(target=viewer, args=(n,), daemon=True) for n in range(viewers)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.time()
    time.sleep(seconds / 2)
    uploader = threading.Thread(target=upload, args=(bases[-1], results, log), daemon=True)
    uploader.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * TIMEOUT)
    uploader.join(timeout=TIMEOUT)
    results.elapsed = time.time() - began
    return results, log


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


def report(name: str, results: Results, log: list[str]) -> None:
    rows = [r for r in results.requests if r[0] in ("page", "change")]
    times = [r[3] for r in rows]
    errors = sum(1 for r in rows if not r[4] or r[4] >= 400)
    stale = sum(1 for r in results.requests if r[5])
    after = sum(
        1
        for r in results.requests
        if r[1] == "/_dash-layout" and results.committed_at and r[2] > results.committed_at
    )
    print(f"\n{name}")
    for line in log:
        print(f"  {line}")
    print(f"  {'':34}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    groups = [
        ("every request", times),
        ("callback requests", [r[3] for r in rows if r[1] == "/_dash-update-component"]),
        ("page loads (4-5 requests)", results.pages),
        ("period changes", results.changes),
    ]
    steps = sorted({r[6] for r in rows if r[6]})
    groups += [(f"  {step}", [r[3] for r in rows if r[6] == step]) for step in steps]
    for label, values in groups:
        print(
            f"  {label:34}{len(values):>8}{pct(values, 50):>9.0f}{pct(values, 95):>9.0f}"
            f"{pct(values, 99):>9.0f}"
        )
    rate = len(rows) / results.elapsed
    p95, page_p95 = pct(times, 95), pct(results.pages, 95)
    first = first_opens(results)
    worst = max(first.values(), default=float("nan")) * 1000
    print(
        f"  requests/s: {rate:.1f}  errors: {errors}  stale after the upload: {stale} of {after}"
        f"  sent again on a new connection (an idle one closed): {len(RETRIED)}"
    )
    RETRIED.clear()
    slowest = sorted(first, key=first.get, reverse=True)[:3]
    print(
        f"  first open of each page after the upload: {len(first)} pages, slowest {worst:.0f} ms"
        f" ({', '.join(f'{page} {first[page] * 1000:.0f}' for page in slowest)})"
    )
    met = p95 <= TARGET_P95_MS and errors == 0 and stale == 0 and results.committed_at
    met = met and page_p95 <= TARGET_PAGE_P95_MS and worst <= TARGET_FIRST_OPEN_MS
    print(
        f"  targets p95 <= {TARGET_P95_MS} ms, page loads p95 <= {TARGET_PAGE_P95_MS} ms, first "
        f"open after the upload <= {TARGET_FIRST_OPEN_MS} ms, no errors, upload seen by every "
        f"worker at once: {'met' if met else 'NOT MET'} (p95 {p95:.0f} ms, page loads "
        f"{page_p95:.0f} ms, first open {worst:.0f} ms)"
    )
    statuses = statistics.multimode([r[4] for r in rows if r[4] >= 400 or not r[4]] or [0])
    if errors:
        print(f"  most common error status: {statuses}")
        start = min(r[2] for r in rows)
        for r in [r for r in rows if not r[4] or r[4] >= 400][:5]:
            when = f"{r[2] - start:.1f} s in"
            if results.committed_at:
                when += f", {r[2] - results.committed_at:+.1f} s from the upload's load"
            print(f"    {r[4] or 'no answer'} after {r[3] * 1000:.0f} ms: {r[6] or r[1]} ({when})")


def first_opens(results: Results) -> dict[str, float]:
    """Each page's first load started after the upload was seen loaded: its seconds."""
    found: dict[str, float] = {}
    if results.committed_at:
        for page, began, took in sorted(results.opened, key=lambda o: o[1]):
            if began > results.committed_at and page not in found:
                found[page] = took
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "3")))
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="mean seconds a viewer reads before each step (0: none, every viewer at full speed)",
    )
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--redis", action="store_true", help="a redis-server as REDIS_URL")
    args = parser.parse_args()
    print(
        f"{args.viewers} viewers for {args.seconds:.0f} s, {args.servers} server(s) of "
        f"{args.workers} gunicorn workers{', Redis' if args.redis else ''}, "
        f"{'no pause' if not args.pause else f'a mean pause of {args.pause:g} s'} between steps; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    for name in args.databases:
        with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as folder:
            folder = Path(folder)
            with contextlib.ExitStack() as stack:
                if name == "sqlite":
                    url = f"sqlite:///{folder / 'bench.db'}"
                else:
                    url = stack.enter_context(pgserver.running())
                redis_url = stack.enter_context(redisserver.running()) if args.redis else ""
                add_users(url, args.viewers)
                seeded = time.monotonic()
                bases = [  # one after another: the first seeds the empty database
                    stack.enter_context(
                        production_server(url, args.workers, folder / f"s{n}", redis_url)
                    )
                    for n in range(args.servers)
                ]
                print(f"\n[{name}] seeded and serving after {time.monotonic() - seeded:.0f} s")
                results, log = drive(bases, args.seconds, args.viewers, args.seed, args.pause)
                label = f"{args.servers} x {args.workers} workers{', Redis' if args.redis else ''}"
                report(f"{name} ({label})", results, log)
                for n in range(args.servers):
                    print_tracebacks(folder / f"s{n}" / "server.log")


def print_tracebacks(log: Path, lines: int = 30) -> None:
    """The end of each traceback a server logged (what a 500 came from), before its temporary
    folder goes."""
    text = log.read_text(errors="replace") if log.exists() else ""
    for block in text.split("Traceback (most recent call last):")[1:]:
        print(f"  {log.parent.name}: Traceback (most recent call last):")
        print("\n".join(f"    {line}" for line in block.strip().splitlines()[-lines:]))


if __name__ == "__main__":
    main()
