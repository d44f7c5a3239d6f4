"""The ward page's judged table kept per borough and month (``dashboard.ward_figures``) is, for
every month, ``cache.judged(cache.ward_table(...))`` worked out afresh, with the target the
manager set in force, and a viewer never gets the figures an exempt indicator withholds after a
manager drew them first. Barnet's three wards of test_crime_pages."""

from __future__ import annotations

import pandas as pd
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from core.months import as_month
from dashboard import cache, targets
from dashboard.auth import exempt
from dashboard.ward_figures import ward_figures
from etl.load import load_bytes
from test_crime_pages import borough_csv, population_csv, ward_csv
from test_exempt import call_as

BARNET = "E09000003"


@pytest.fixture
def site(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    for name, data in [
        ("b.csv", borough_csv()),
        ("p.csv", population_csv()),
        ("w.csv", ward_csv()),
    ]:
        assert load_bytes(name, data, sqlite_engine, user="test").status == "loaded"
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(sqlite_engine, name, role)
    targets.set_target(sqlite_engine, "Burglary", kind="absolute", value=30, from_year="2023/24")
    return sqlite_engine, webclient.the_app().server


def test_every_months_kept_table_is_the_judged_ward_table(site):
    months = pd.date_range("2022-03-01", "2025-02-01", freq="MS")

    def compare():
        targeted = 0
        for start in months:
            month = as_month(start)
            kept = ward_figures(BARNET, month)
            expected = cache.judged(cache.ward_table(BARNET, month), month)
            pd.testing.assert_frame_equal(kept, expected)
            assert ward_figures(BARNET, month) is kept  # kept, not worked out again
            targeted += int((kept["target_value"] == 30).any())
        return targeted

    # April 2023 on: the 30 the manager set is in force (23 of the 36 months)
    assert call_as(site, "max", compare) == 23


def test_a_viewer_never_gets_what_an_exempt_indicator_withholds(site):
    engine, _ = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    month = as_month("2025-02")

    def burglary_rows():
        table = ward_figures(BARNET, month)
        return 0 if table.empty else int((table["indicator"] == "Burglary").sum())

    assert call_as(site, "max", burglary_rows) == 3  # the manager first: Barnet's 3 wards
    assert call_as(site, "vera", burglary_rows) == 0
    assert call_as(site, "max", burglary_rows) == 3
