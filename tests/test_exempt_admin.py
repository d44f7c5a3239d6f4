"""Marking exempt items (issue 18, item 4): only names that exist, stored as the dashboard spells
them, with what viewers lose; managers do it on the Exempt items page too, with every change."""

from __future__ import annotations

import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import test_exempt
import webclient
from dashboard import cli
from dashboard.auth import exempt
from dashboard.pages import exempt_items
from test_exempt import call_as

site = test_exempt.site  # the fixture: FILE_A loaded, vera, anna and max


def test_a_name_in_another_letter_case_is_stored_as_the_dashboard_spells_it(site, capsys):
    assert cli.exempt_main(["add", "indicator", "burglary", "--user", "max"]) == 0
    assert list(exempt.items(site[0])["name"]) == ["Burglary"]
    said = capsys.readouterr().out
    assert "'Burglary' is now exempt" in said
    for total in ("MOPAC7 total", "TNO Victim Based", "Overall crime"):  # what includes it
        assert total in said


@pytest.mark.parametrize(
    ("kind", "name", "nearest"),
    [("indicator", "Burglery", "Burglary"), ("dataset", "ward_crimes", "ward_crime")],
)
def test_a_name_nothing_has_is_refused_with_the_nearest(site, capsys, kind, name, nearest):
    assert cli.exempt_main(["add", kind, name]) == 2
    assert f"Did you mean '{nearest}'" in capsys.readouterr().err
    assert exempt.items(site[0]).empty


def _press(client, button: str, name: str):
    """Press the page's button ``button`` with the indicator ``name`` chosen, as a browser does."""
    output = webclient.output_key("exempt-message")
    values = {button: 1, "exempt-kind": "indicator", "exempt-name": name, "exempt-refresh": 0}
    entry = webclient.callback_map()[output]
    inputs = [{**i, "value": values.get(i["id"])} for i in entry["inputs"]]
    state = [{**s, "value": values.get(s["id"])} for s in entry["state"]]
    body = {
        **webclient.callback_body(output, inputs, state),
        "changedPropIds": [f"{button}.n_clicks"],
    }
    headers = {"X-CSRFToken": webclient.csrf(client)}
    return client.post("/_dash-update-component", json=body, headers=headers)


def _client(server, name: str):
    client = server.test_client()
    webclient.sign_in(client, name)
    client.get("/exempt")
    return client


def test_a_manager_marks_and_unmarks_on_the_page_and_the_history_says_who(site):
    engine, server = site
    client = _client(server, "max")
    added = _press(client, "exempt-add", "ROBBERY").get_data(as_text=True)
    assert "Robbery is now exempt" in added and "MOPAC7 total" in added
    assert list(exempt.items(engine)["name"]) == ["Robbery"]
    assert _press(client, "exempt-remove", "Robbery").status_code == 200
    log = exempt.history(engine)
    assert list(zip(log["action"], log["name"], log["changed_by"], strict=True)) == [
        ("remove", "Robbery", "max"),
        ("add", "Robbery", "max"),
    ]
    shown = call_as(site, "max", lambda: str(exempt_items.show(2)))
    assert "marked exempt" in shown and "made visible" in shown
    assert exempt.items(engine).empty


def test_a_viewer_cannot_mark_an_item_exempt(site):
    _, server = site
    assert _press(_client(server, "vera"), "exempt-add", "Robbery").status_code == 403
    assert exempt.items(site[0]).empty


@pytest.mark.parametrize(("name", "sees"), [("vera", False), ("max", True)])
def test_exempt_youth_violence_figures_are_said_to_be_not_shown_not_missing(site, name, sees):
    """Issue 18 item 9: loaded but exempt is not 'none loaded' (page and default pack)."""
    from dashboard.pages import youth_violence
    from dashboard.reports.pack.audience import reading_as
    from dashboard.reports.pack.priorities import syv_section
    from dashboard.reports.pack.quarter import quarter_end
    from etl.load import load_path

    engine, _ = site
    assert (
        load_path(test_exempt.SAMPLES / "serious-youth-violence-sample.xlsx", engine).status
        == "loaded"
    )
    exempt.mark(engine, "dataset", "serious_youth_violence", "max")
    said = str(call_as(site, name, lambda: youth_violence.update("2024-03")[0]))
    assert ("Serious youth violence figures are not shown to your role" in said) is not sees
    assert "No serious youth violence figures are loaded" not in said
    assert "Not yet loaded for this borough: serious" not in said
    if not sees:
        with reading_as(False):  # the default pack reads as a viewer
            pack = " ".join(syv_section(quarter_end("2024/25-Q3")).sentences)
        assert "not shown to readers of this pack" in pack
        assert "youth violence monthly figures are loaded" not in pack
