"""With a hate crime strand exempt, the MPS hate crime total and the strands that include it are
withheld too (the total less the visible strands would come close to the exempt one); other
strands stay, and managers see everything. Real MPS Monthly Crime Dashboard extracts."""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from core.months import as_month
from dashboard import cache
from dashboard.auth import exempt
from dashboard.pages import hate_crime, provenance
from domain.exemptions import withheld
from etl.load import load_path
from layout_tree import find
from test_exempt import call_as
from test_priority_pages import BOROUGHS_CSV, WARDS_CSV

TOTAL, FEB = "Hate crime", as_month("2025-02")


def test_a_strand_withholds_every_total_that_includes_it():
    overall = "Overall crime"  # every offence (TNO) includes every strand
    assert withheld({"Transphobic Crime"}) == {"Transphobic Crime", TOTAL, overall}
    assert withheld({"AntiSemitic"}) == {
        "AntiSemitic",
        "Faith Crime",
        "Racist and Religious Crime",
        TOTAL,
        overall,
    }
    assert withheld({"Racist Crime"}) == {
        "Racist Crime",
        "Racist and Religious Crime",
        TOTAL,
        overall,
    }


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('hate')}/hate.db"
    engine = db.get_engine(url)
    for path in (BOROUGHS_CSV, WARDS_CSV):
        assert load_path(path, engine, user="test").status == "loaded"
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(engine, name, role)
    return url


@pytest.fixture
def site(loaded_url, monkeypatch):
    from core import db

    monkeypatch.setenv("DATABASE_URL", loaded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    engine = db.get_engine(loaded_url)
    exempt.mark(engine, "indicator", "AntiSemitic", "max")
    yield engine, webclient.the_app().server
    exempt.unmark(engine, "indicator", "AntiSemitic")


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_the_total_and_including_strands_are_only_for_managers(site, name, sees):
    shown = call_as(site, name, lambda: set(cache.dashboard_table(FEB)["indicator"]))
    for strand in (TOTAL, "Racist and Religious Crime", "Faith Crime", "AntiSemitic"):
        assert (strand in shown) is sees, strand
    assert {"Islamophobic Crime", "Homophobic Crime", "Racist Crime"} <= shown


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_the_strand_picker_and_the_page_follow(site, name, sees):
    def page():
        options = [o["value"] for o in find(hate_crime.layout(), "hate-strand-select").options]
        return options, str(hate_crime.update("2025-02", TOTAL)[0])

    options, summary = call_as(site, name, page)
    assert (TOTAL in options) is sees and ("Faith Crime" in options) is sees
    assert "Homophobic Crime" in options
    # a viewer asking for the total (an old link) reads about the first strand offered instead
    said = "hate crimes (the MPS total) in Barnet" if sees else f"{options[0]} offences in Barnet"
    assert said in summary


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_the_sources_page_hides_the_strand_and_its_totals(site, name, sees):
    shown = call_as(
        site, name, lambda: str(provenance.show("mps_dashboard_offences", "E09000003", "2025-02"))
    )
    for strand in ("AntiSemitic", "Faith Crime", "Racist and Religious Crime"):
        assert (strand in shown) is sees, strand
    assert "Islamophobic Crime" in shown
