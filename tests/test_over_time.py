"""The MPS dashboard figures over time (dashboard.over_time) are worked out once per data
version, from every figure loaded, and each user still gets only what they may see: a manager
filling the cache first shows a viewer no exempt strand or dataset. Real MPS Monthly Crime
Dashboard extracts."""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
from dashboard import cache, over_time
from dashboard.auth import exempt
from dashboard.pages import hate_crime
from domain.crime import trend_frame
from domain.hate_crime import outcome_rates
from domain.indicators import area_series
from test_exempt import call_as
from test_exempt_hate import loaded_url  # noqa: F401  (the fixture: the extracts loaded)

BARNET, STRAND, OUTCOMES = "E09000003", "Racist Crime", cache.DASHBOARD_OUTCOMES


@pytest.fixture
def site(loaded_url, monkeypatch):  # noqa: F811
    from core import db

    monkeypatch.setenv("DATABASE_URL", loaded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    engine = db.get_engine(loaded_url)
    yield engine, app.server
    for kind, name in [("indicator", "AntiSemitic"), ("dataset", OUTCOMES)]:
        exempt.unmark(engine, kind, name)


def test_a_strands_figures_over_time_are_worked_out_once(site):
    def read():
        series = over_time.dashboard_series(STRAND, [BARNET])
        return series, over_time.dashboard_trend(STRAND, [BARNET]), cache.dashboard_monthly()

    series, trend, monthly = call_as(site, "max", read)
    again, trend_again, _ = call_as(site, "vera", read)
    assert again is series and trend_again is trend  # one computation for every request
    expected = area_series(monthly, [BARNET], STRAND)  # the domain's own sum, from every row
    assert series.equals(expected) and series.sum() > 0
    assert trend.equals(trend_frame(expected))


def test_a_manager_first_shows_a_viewer_no_exempt_strand(site):
    engine, _ = site
    exempt.mark(engine, "indicator", "AntiSemitic", "max")

    def read():
        return (
            over_time.dashboard_series("AntiSemitic", [BARNET]),
            over_time.dashboard_trend("AntiSemitic", [BARNET]),
            over_time.hate_outcome_rates("AntiSemitic", [BARNET]),
            over_time.hate_outcome_rates("Hate crime", [BARNET]),  # includes it: withheld too
        )

    for name, sees in [("max", True), ("vera", False), ("max", True)]:
        series, trend, rates, total = call_as(site, name, read)
        assert bool(series.sum() > 0) is sees, name
        assert (len(trend) > 0) is sees and (len(rates) > 0) is sees and (len(total) > 0) is sees


def test_a_manager_first_shows_a_viewer_no_exempt_outcomes(site):
    engine, _ = site
    exempt.mark(engine, "dataset", OUTCOMES, "max")

    def read():
        return over_time.hate_outcome_rates(STRAND, [BARNET])

    managers = call_as(site, "max", read)
    viewers = call_as(site, "vera", read)
    assert managers["outcomes"].sum() > 0
    offences = call_as(site, "max", lambda: over_time.dashboard_series(STRAND, [BARNET]))
    none = offences.iloc[0:0]
    assert viewers.equals(outcome_rates(offences, none))  # offences stay, outcomes none
    assert viewers["outcomes"].fillna(0).sum() == 0


def _strand_lines(name: str) -> set[str]:
    figure = hate_crime.update("2025-02", STRAND)[1 + 3]  # the strands chart, after the trend's
    return {trace.name for trace in figure.data}


def test_the_strands_chart_leaves_out_an_exempt_strand_whoever_drew_it_first(site):
    engine, _ = site
    exempt.mark(engine, "indicator", "AntiSemitic", "max")
    managers = call_as(site, "max", lambda: _strand_lines("max"))
    viewers = call_as(site, "vera", lambda: _strand_lines("vera"))
    assert {"AntiSemitic", "Faith Crime", STRAND} <= managers
    assert "AntiSemitic" not in viewers and "Faith Crime" not in viewers and STRAND in viewers


def test_a_period_change_draws_the_tables_month_by_month_once(site):
    def tables(period: str):
        values = hate_crime.update(period, STRAND)
        return values[1 + 2], values[4 + 2], values[7 + 2]  # trend, strands, outcomes tables

    first = call_as(site, "vera", lambda: tables("2025-02"))
    again = call_as(site, "max", lambda: tables("2024-06"))
    assert all(a is b for a, b in zip(first, again, strict=True))  # drawn once, not per month
    assert "hate-trend-table" in first[0] and "hate-strands-table" in first[1]


def reference_london_figures(table, areas, area_code, indicators, month, per):
    """The straightforward path ``london_figures`` replaced: one filter per indicator."""
    from domain.indicators import record
    from domain.london import london_rate, london_rows

    return [
        (i, record(table, area_code, i, month), london_rate(london_rows(table, areas, i), per))
        for i in indicators
    ]


def test_london_figures_are_the_whole_tables_every_month(site):
    """Every month loaded, every indicator (and one not in the table): the same rows, types
    and London rates as one filter per indicator (repr: NaN and <NA> compared too)."""
    from domain.priorities import KNIFE_INDICATORS, london_figures

    def both():
        areas, found, expected = cache.reference()[0], [], []
        for n, month in enumerate(cache.dashboard_months()):
            table = cache.dashboard_table(month)
            wanted = [*sorted(set(table["indicator"])), *KNIFE_INDICATORS, "Not an indicator"]
            # Barnet every month; the City and a ward (not London boroughs) now and then
            for code in (BARNET, "E09000001", "E05013628")[: 1 if n % 12 else 3]:
                found.append(london_figures(table, areas, code, wanted, month))
                expected.append(reference_london_figures(table, areas, code, wanted, month, 10_000))
        return found, expected

    found, expected = call_as(site, "max", both)
    assert len(found) > 40 and repr(found) == repr(expected)
    assert any(row.get("r12") for rows in found for _, row, _ in rows)
