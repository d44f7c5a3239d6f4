"""The partnership figures and histories kept per indicator and last period held are, for every
month, what the straightforward computation gives (each indicator's values filtered to the
month's end, its target in force that month), and an exempt indicator's history stays withheld.
The partnership sample (monthly, quarterly, yearly and occasional values) and a target."""

from __future__ import annotations

from datetime import date

import flask
import pandas as pd
import pytest

import app  # noqa: F401  (registers the pages, as in production)
import webclient
from core import config, queries
from core.months import Month, as_month
from core.strategy import STRATEGY_PRIORITIES
from dashboard import partnership, targets
from dashboard.auth.roles import User
from domain import partnership as figures_of
from domain.periods import month_end
from domain.targets import from_rows, in_force
from etl.load import load_path

SAMPLE = config.DATA_DIR / "samples" / "partnership-indicators-sample.xlsx"
MARAC = "Cases on CS MARAC"


def reference_figures(tables, slug: str, until: date | None) -> pd.DataFrame:
    """The path the kept figures replaced: every indicator of the priority worked out afresh."""
    definitions, values, kept = tables
    month = Month(pd.Timestamp(until or date.today()).normalize().replace(day=1))
    rows = []
    for row in definitions[definitions["priority"] == STRATEGY_PRIORITIES[slug]].to_dict("records"):
        indicator = figures_of.indicator_from_row(row)
        mine = values[values["indicator"] == indicator.name]
        target = in_force(kept, indicator.name, None, month) if len(mine) else None
        found = figures_of.figures(indicator, mine, until, target)
        rows.append(
            {**{c: row.get(c) for c in partnership.COLUMNS}, "source": row.get("source"), **found}
        )
    return pd.DataFrame(rows)


@pytest.fixture
def sample(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    assert load_path(SAMPLE, sqlite_engine, user="test").status == "loaded"
    targets.set_target(
        sqlite_engine, MARAC, kind="absolute", value=20, direction="lower", from_year="2022/23"
    )
    return sqlite_engine


def as_user(name: str, role: str):
    context = webclient.the_app().server.test_request_context("/")
    context.push()
    flask.g.auth_user = User(name, role)
    return context


def test_every_months_figures_and_histories_are_the_straightforward_ones(sample):
    months = [None, *pd.date_range("2021-10-01", "2024-06-01", freq="MS")]
    values = queries.partnership_values(sample)
    tables = queries.partnership_indicators(sample), values, from_rows(queries.targets(sample))
    context = as_user("max", "manager")
    try:
        for start in months:
            month = None if start is None else as_month(start)
            until = None if month is None else month_end(month).date()
            for slug in STRATEGY_PRIORITIES:
                found = partnership.partnership_figures(slug, month)
                expected = reference_figures(tables, slug, until)
                pd.testing.assert_frame_equal(found.reset_index(drop=True), expected)
            for name in sorted(set(values["indicator"])):
                found = partnership.partnership_history(name, month)
                expected = figures_of.history(values[values["indicator"] == name], until)
                pd.testing.assert_frame_equal(found, expected)
    finally:
        context.pop()
    rows = partnership.partnership_figures("asb", as_month("2023-01"))
    marac = rows[rows["indicator"] == MARAC].iloc[0]
    assert (marac["value"], marac["target_value"]) == (20, 20)  # the January 2023 meeting


def test_a_withheld_history_stays_withheld_after_a_manager_drew_it(sample, monkeypatch):
    """What ``exempt.visible`` withholds of the values (the dataset, or an indicator by name in
    any letter case) is withheld from the kept histories too, whoever asked first."""
    month, other = as_month("2023-02"), "New cases on CS MARAC"
    lengths = lambda: [len(partnership.partnership_history(n, month)) for n in (MARAC, other)]  # noqa: E731
    assert lengths() == [8, 8]  # the manager's, off the web: every value kept
    withheld = {"indicator": {MARAC.upper()}, "dataset": set()}
    monkeypatch.setattr("dashboard.auth.exempt.hidden", lambda kind: withheld[kind])
    assert lengths() == [0, 8]
    withheld = {"indicator": set(), "dataset": {partnership.DATASET}}
    assert lengths() == [0, 0]
