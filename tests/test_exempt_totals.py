"""A total that includes an exempt part is itself exempt: with Burglary exempt a viewer sees
the MOPAC7 total nowhere (else total − the six visible types = Burglary); pickers offer only
what the user may see; pages answer (not 500) whatever is exempt. Managers see everything.

The figures are test_crime_pages' (Barnet, Feb 2025): MOPAC7 total R12 840 + 216 + 180 + 6 +
3 × 132 = 1,638; Hendon ward (burglary only) R12 360.
"""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import sites
import webclient
from core.months import as_month
from dashboard.auth import exempt
from dashboard.pages import crime, overview, ward, wards
from dashboard.reports.indicators import crime_indicators
from domain.exemptions import withheld
from layout_tree import find
from test_exempt import call_as

HENDON = "E05013643"
TOTAL = "MOPAC7 total"


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    return sites.database(tmp_path_factory, "totals", sites.crime_files(), sites.EVERY_ROLE)


@pytest.fixture
def site(loaded_url, monkeypatch):
    yield from sites.with_server(monkeypatch, loaded_url)


def test_a_total_including_an_exempt_type_is_withheld():
    # Burglary is in the MOPAC7 total, TNO Victim Based and Overall crime (TNO)
    assert withheld({"Burglary"}) == {"Burglary", TOTAL, "TNO Victim Based", "Overall crime"}
    assert withheld(set()) == set()


def test_an_exempt_total_withholds_its_parts_and_what_includes_it():
    # else the seven types add up to it, and TNO Victim Based less the other categories gives it
    types = {
        "Burglary",
        "Criminal damage",
        "Robbery",
        "Theft from motor vehicle",
        "Theft from the person",
        "Theft of motor vehicle",
        "Violence with injury",
    }
    phones = {"Robbery Mobile phone", "Theft Person - Mobile phone"}  # within two of the types
    assert withheld({TOTAL}) == {TOTAL, *types, *phones, "TNO Victim Based", "Overall crime"}
    # the publisher spells one indicator two ways: both are withheld
    assert {"Domestic Abuse Violence with Injury", "Domestic Abuse violence with injury"} <= (
        withheld({"Domestic Abuse Violence with Injury"})
    )


def _pages(period=None) -> str:
    """Everything the crime pages send for the total (and the ward and wards pages' defaults)."""
    return str(
        [
            overview.content(period),
            crime.update(period, "mopac7-total"),
            wards.update(period, "mopac7-total", "r12"),
            wards.layout(period),
            ward.update(period, HENDON, "mopac7-total"),
            ward.layout(HENDON, period),
        ]
    )


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("anna", False), ("max", True)])
def test_with_burglary_exempt_the_mopac7_total_is_shown_only_to_managers(site, name, sees):
    engine, _ = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    text = call_as(site, name, _pages)
    assert ("1,638" in text) is sees  # the borough's MOPAC7 total
    assert ("'360'" in text or "360 MOPAC7" in text) is sees  # Hendon's, all burglary
    assert ("not shown to your role" in text) is not sees


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_with_burglary_exempt_the_indicators_export_has_no_total(site, name, sees):
    engine, _ = site
    exempt.mark(engine, "indicator", "Burglary", "max")
    table = call_as(site, name, lambda: crime_indicators(engine, as_month("2025-02")))
    assert (TOTAL in set(table["indicator"])) is sees
    assert ("Burglary" in set(table["indicator"])) is sees
    assert "Robbery" in set(table["indicator"])


def _options(tree, picker_id) -> list[str]:
    return [o["value"] for o in find(tree, picker_id).options]


def test_pickers_offer_no_exempt_type_and_an_exempt_choice_falls_back(site):
    engine, _ = site
    exempt.mark(engine, "indicator", "Burglary", "max")

    def views():
        return (
            _options(ward.layout(HENDON), "ward-crime-select"),
            _options(wards.layout(), "wards-crime"),
            _options(crime.layout("robbery"), "crime-type-select"),
            ward.update(None, HENDON, "burglary"),  # an old address: no IndexError
        )

    *pickers, update = call_as(site, "vera", views)
    for options in pickers:
        assert "burglary" not in options and "mopac7-total" not in options
        assert "robbery" in options
    assert "not shown to your role" in str(update[0])
    manager = call_as(site, "max", lambda: _options(ward.layout(HENDON), "ward-crime-select"))
    assert "burglary" in manager and "mopac7-total" in manager


def _page(client, path: str):
    """The page's content as the browser asks for it: Dash Pages' router callback."""
    key = webclient.output_key("_pages_content")
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": ""},
    ]
    return webclient.fire(client, key, inputs)


@pytest.mark.parametrize("path", ["/", f"/ward/{HENDON}", "/wards", "/crime/burglary"])
def test_with_the_mopac7_total_exempt_the_pages_answer(site, path):
    engine, server = site
    exempt.mark(engine, "indicator", TOTAL, "max")
    for name in ("vera", "max"):
        client = server.test_client()
        webclient.sign_in(client, name)
        response = _page(client, path)
        assert response.status_code == 200, (name, path)
        shown = "1,638" in response.get_data(as_text=True)
        assert shown is (name == "max" and path == "/"), (name, path)


@pytest.mark.parametrize(
    ("dataset", "page"),
    [
        ("borough_crime", "overview"),
        ("borough_crime", "crime"),
        ("ward_crime", "wards"),
        ("ward_crime", "ward"),
    ],
)
def test_an_exempt_crime_file_is_not_shown_never_not_loaded(site, dataset, page):
    """The borough or ward file exempt: a viewer reads that its figures are not shown to this
    role (notice and blank charts), never 'Not yet loaded' (which an analyst would act on)."""
    from test_priority_pages import _all_text

    engine, _ = site
    exempt.mark(engine, "dataset", dataset, "max")
    update = {
        "overview": lambda: overview.update("2025-02"),
        "crime": lambda: crime.update("2025-02", "burglary"),
        "wards": lambda: wards.update("2025-02", "burglary", "r12"),
        "ward": lambda: ward.update("2025-02", HENDON, "burglary"),
    }[page]
    text = _all_text(call_as(site, "vera", update))
    what = "MPS borough" if dataset == "borough_crime" else "MPS ward"
    assert text.startswith(f"{what} crime figures")
    assert "are not shown to your role (marked exempt)." in text
    assert "loaded" not in text
