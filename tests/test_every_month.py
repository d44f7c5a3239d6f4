"""Every page at every month the period picker offers (and one before and one after them), for
each role: the page answers, no chart is an empty frame, and a sentence names the month shown.

The pages come from dash.page_registry, so a new page is covered as it lands. The database
holds the real seed extracts and the council template samples, as ``python app.py`` loads them.
A page is opened as the browser does (the router's answer for ``?period=``, then the callbacks
that run as it opens), then the picker is moved to the month (the callbacks a change fires).

Cost: a month of every page is about a second, so all 213 months of every page for three roles
would take minutes. The viewer gets every month on the pages of quarterly and dated figures
(where the early months crashed), their functions called directly; every page, over HTTP, gets
every 47th month for the viewer and both ends and the middle for the other roles, always with
the month before the first, the month after the last and "latest".
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import app
import page_check
import webclient
from dashboard import answers, cache
from dashboard.auth.roles import User
from dashboard.text import month_label, month_value
from etl.load import load_path
from fixtures.extracts import SEED

SAMPLES = SEED.parent / "samples"
EXAMPLES = {"slug": "burglary", "ward_code": "E05013628"}  # a path template's variables
ROLES = {"viewer": "vera", "analyst": "ann", "manager": "max"}
SHOWING = re.compile(
    rf"showing (?:the first 12 months they cover in full, to )?"
    rf"(?:{page_check.MONTH_NAMES}) \d{{4}}"
)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> str:
    from core import db
    from etl.seed import seed_files

    url = f"sqlite:///{tmp_path_factory.mktemp('every-month')}/every-month.db"
    engine = db.get_engine(url)
    files = [p for p in seed_files(SEED) if "ward-historical" not in p.name]  # lookups first
    for path in [*files, *sorted(SAMPLES.glob("*.xlsx"))]:
        assert load_path(path, engine, user="test").status == "loaded", path.name
    for role, name in ROLES.items():
        webclient.add_user(engine, name, role)
    return url


@pytest.fixture
def site(site_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", site_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setattr(app, "_warmed", True)  # no warming thread racing the test
    answers.clear()
    yield site_url
    answers.clear()


def client_for(role: str):
    client = webclient.the_app().server.test_client()
    webclient.sign_in(client, ROLES[role])
    return client


def picker_periods(stride: int = 1) -> list[str]:
    """'latest', the month before the first, every ``stride``-th month the picker offers (the
    first and last always), the month after the last."""
    months = cache.picker_months()
    chosen = sorted({*months[::stride], months[-1]})
    before, after = months[0] - pd.DateOffset(months=1), months[-1] + pd.DateOffset(months=1)
    return ["latest", *(month_value(m) for m in [before, *chosen, after])]


def names_the_month(words: str, period: str) -> bool:
    """A sentence names the month shown: the month chosen, or the month the page shows instead
    ("... showing July 2025."); with "latest", some month."""
    if period == "latest":
        return bool(page_check.MONTH_LABEL.search(words))
    return month_label(pd.Timestamp(period)) in words or bool(SHOWING.search(words))


def problems(client, path: str, period: str) -> list[str]:
    """What is wrong with a page opened at ``period`` (from a link, then from the picker)."""
    search = "" if period == "latest" else f"?period={period}"
    found = []
    tree = page_check.open_page(client, path, search)
    if not page_check.shows_a_month(tree):
        return found
    states = {"opened": page_check.pick(client, tree, period, opening=True)}
    if page_check.waits_for_the_picker(tree):  # drawn by its layout: a change is another path
        states["picked"] = page_check.pick(client, page_check.open_page(client, path), period)
    for how, state in states.items():
        if empty := page_check.empty_frames(state):
            found.append(f"{path} {period} {how}: empty chart frames {empty}")
        if not names_the_month(page_check.text(state), period):
            found.append(f"{path} {period} {how}: no sentence names the month shown")
    return found


def month_pages() -> list[str]:
    return [path for _, path in page_check.page_addresses(EXAMPLES)]


# quarterly and dated figures (a few ms a month): where the early months crashed
QUICK = ("dashboard.pages.reoffending", "dashboard.pages.prevent")


def test_quick_pages_at_every_month(site):
    """Opened from a link at every month, their functions called directly (no HTTP)."""
    viewer = User(ROLES["viewer"], "viewer")
    found = []
    for module in QUICK:
        for period in picker_periods():
            tree = page_check.open_directly(module, period, viewer)
            if empty := page_check.empty_frames(tree):
                found.append(f"{module} {period}: empty chart frames {empty}")
            if not names_the_month(page_check.text(tree), period):
                found.append(f"{module} {period}: no sentence names the month shown")
    assert found == []


@pytest.mark.parametrize(("role", "stride"), [("viewer", 47), ("analyst", 106), ("manager", 106)])
def test_every_page_at_a_stride_of_months(site, role, stride):
    """Every page (HTTP, as the browser asks); the other roles at both ends and the middle."""
    client = client_for(role)
    found = [
        p
        for path in month_pages()
        for period in picker_periods(stride)
        for p in problems(client, path, period)
    ]
    assert found == []
