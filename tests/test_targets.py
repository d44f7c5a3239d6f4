"""Targets and comparator groups the manager sets, end to end: the command line and the Targets
page's callbacks write them, and the overview cards, the crime page and the indicators export
judge RAG and rank by them.

The figures are test_crime_pages' synthetic Barnet (February 2025), known by construction:
Criminal damage R12 216 against 2011/12's 240 (−10%) and P12 240; Burglary R12 840, P12 960,
2011/12 1,200; Robbery R12 180, P12 120, 2011/12 120; the other three types R12 = P12 = 132
against 240; ward Hendon burglary R12 360 against 240, Barnet Vale 120 against 120.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import sites
import webclient
from core import queries
from core import reference_data as store
from core.months import as_month
from core.reference import INNER_LONDON_CODES, LONDON_BOROUGH_CODES, borough_names
from dashboard import cli
from dashboard.pages import crime, overview
from dashboard.reports.indicators import crime_indicators
from layout_tree import find, text

BARNET, HENDON, BARNET_VALE = "E09000003", "E05013643", "E05013628"
LATEST = "2025-02"


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    return sites.database(tmp_path_factory, "targets", sites.crime_files())


@pytest.fixture
def site(loaded_url, monkeypatch):
    engine = sites.point_at(monkeypatch, loaded_url)
    yield engine
    for row in queries.targets(engine).to_dict("records"):
        store.clear_target(engine, row["indicator"], row["area_code"], row["from_year"], "test")
    store.delete_group(engine, "Five")
    store.choose_group(engine, None, "test")


def run(*argv: str) -> int:
    return cli.main(list(argv))


def export_row(engine, area: str, indicator: str) -> dict:
    table = crime_indicators(engine, as_month(LATEST))
    rows = table[(table["area_code"] == area) & (table["indicator"] == indicator)]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


def card(slug: str) -> str:
    _, cards, _ = overview.content(LATEST)
    return text(find(cards, f"overview-card-{slug}"))


def summary(slug: str) -> str:
    return crime.update(LATEST, slug)[0]


def test_a_baseline_target_turns_an_amber_type_green_on_the_pages_and_the_export(site):
    before = export_row(site, BARNET, "Criminal damage")
    assert (before["rag"], before["target"], before["target_kind"]) == ("Amber", 192, "baseline")
    assert "● Amber" in card("criminal-damage")  # 216 is above 240 x 0.8 = 192

    assert run("targets", "set", "Criminal damage", "--value", "10", "--by", "max") == 0

    after = export_row(site, BARNET, "Criminal damage")
    assert (after["rag"], after["target"], after["target_value"]) == ("Green", 216, 10)
    assert "✓ Green" in card("criminal-damage")
    assert "(target: 10% below 2011/12 (216))" in card("criminal-damage")
    assert "(Green: at or better than the target; target: 10% below 2011/12 (216))" in summary(
        "criminal-damage"
    )
    assert "1 Amber" not in overview.content(LATEST)[0]  # the overview's count follows


def test_a_target_on_the_previous_12_months(site):
    assert run("targets", "set", "Burglary", "--kind", "previous", "--value", "15") == 0
    row = export_row(site, BARNET, "Burglary")
    assert (row["rag"], row["target"]) == ("Amber", 816)  # 960 x 0.85; 840 < 960
    assert "Amber better than the previous 12 months but not yet at the target" in card("burglary")
    assert "target: 15% below the previous 12 months (816)" in card("burglary")
    run("targets", "set", "Violence with injury", "--kind", "previous", "--value", "5")
    assert export_row(site, BARNET, "Violence with injury")["rag"] == "Red"  # 132 = P12


def test_an_absolute_target(site):
    assert run("targets", "set", "Robbery", "--kind", "absolute", "--value", "200") == 0
    assert export_row(site, BARNET, "Robbery")["rag"] == "Green"  # 180 <= 200
    assert "target: 200 or fewer in 12 months" in card("robbery")
    run("targets", "set", "Robbery", "--kind", "absolute", "--value", "150")
    assert export_row(site, BARNET, "Robbery")["rag"] == "Red"  # 180 > 150 and > P12 120


def test_a_target_for_one_ward_beats_the_one_for_every_area(site):
    assert export_row(site, HENDON, "Burglary")["rag"] == "Red"  # 360 against 240
    args = ["--kind", "absolute", "--value", "400", "--area", HENDON, "--from", "2024/25"]
    assert run("targets", "set", "Burglary", *args) == 0
    assert export_row(site, HENDON, "Burglary")["rag"] == "Green"
    assert export_row(site, BARNET_VALE, "Burglary")["rag"] == "Red"  # still the default


def test_a_target_from_a_later_year_is_not_yet_in_force(site):
    run("targets", "set", "Criminal damage", "--value", "10", "--from", "2025/26")
    assert export_row(site, BARNET, "Criminal damage")["rag"] == "Amber"  # Feb 2025: 2024/25


def test_every_change_is_kept_with_who_and_when(site, capsys):
    run("targets", "set", "Robbery", "--kind", "absolute", "--value", "200", "--by", "max")
    assert run("targets", "clear", "Robbery", "--by", "ann") == 0
    assert export_row(site, BARNET, "Robbery")["rag"] == "Red"  # back to 20% below 2011/12
    changes = queries.target_changes(site)
    latest = changes[changes["indicator"] == "Robbery"].head(2)
    assert latest["action"].tolist() == ["clear", "set"]
    assert latest["changed_by"].tolist() == ["ann", "max"]
    capsys.readouterr()
    assert run("targets", "list", "--history") == 0
    assert "cleared the target from 2011/12" in capsys.readouterr().out
    assert run("targets", "clear", "Robbery") == 1  # nothing left to clear


def test_bad_input_is_refused_in_words(site, capsys):
    assert run("targets", "set", "Arson", "--value", "10") == 1
    assert run("targets", "set", "Burglary", "--value", "10", "--from", "next year") == 1
    assert run("targets", "set", "Burglary", "--value", "10", "--area", "Gotham") == 1
    assert "No area called 'Gotham'" in capsys.readouterr().err
    for value in ("inf", "1e308", "nan"):
        assert run("targets", "set", "Burglary", "--value", value, "--kind", "absolute") == 1
    assert "not a plausible target" in capsys.readouterr().err


def _outer_london_rank(codes) -> int:
    """Barnet's burglary rank among ``codes``: every borough has 100,000 residents, so by count
    (Barnet 840; the borough in alphabetical position i: 12 x (5i + 1))."""
    counts = {
        code: 12 * (5 * i + 1)
        for i, name in enumerate(borough_names(), start=1)
        for code in [store_code(name)]
    }
    return 1 + sum(counts[c] < 840 for c in codes if c != BARNET)


def store_code(name: str) -> str:
    from core.reference import borough_code

    return borough_code(name)


def test_groups_are_shipped_and_the_home_borough_s_ons_group_is_the_default(site, capsys):
    assert run("groups", "list") == 0
    out = capsys.readouterr().out
    assert "London (32 boroughs)" in out and "Inner London" in out and "Outer London" in out
    row = export_row(site, BARNET, "Burglary")
    outer = LONDON_BOROUGH_CODES - INNER_LONDON_CODES
    assert (row["group_name"], row["group_size"]) == ("Outer London", 19)
    assert row["group_rank"] == _outer_london_rank(outer)
    assert "of 19 Outer London boroughs" in card("burglary")


def test_a_group_the_manager_makes_and_chooses_ranks_the_borough(site):
    five = ["Barnet", "Westminster", "Wandsworth", "Sutton", "Camden"]
    assert run("groups", "set", "Five", *five, "--by", "max") == 0
    assert run("groups", "choose", "Five") == 0
    codes = {store_code(n) for n in five}
    row = export_row(site, BARNET, "Burglary")
    assert (row["group_name"], row["group_size"]) == ("Five", 5)
    assert row["group_rank"] == _outer_london_rank(codes)
    assert run("groups", "remove", "Five", "Westminster") == 0
    assert export_row(site, BARNET, "Burglary")["group_size"] == 4
    assert run("groups", "add", "Five", "Gotham") == 1  # not a London borough
    assert run("groups", "delete", "Five") == 0
    assert export_row(site, BARNET, "Burglary")["group_name"] == "Outer London"


def test_the_crime_page_can_compare_with_the_group_only(site):
    values = crime.update(LATEST, "burglary", "group")
    figure = values[1 + 3]  # summary, trend (3), then the London chart's figure
    assert len(figure.data[0].y) == 19
    assert "19 boroughs of Outer London" in values[1 + 4]
    assert len(crime.update(LATEST, "burglary")[1 + 3].data[0].y) == 32


def _fire(client, output: str, values: dict, changed: str):
    entry = webclient.callback_map()[output]
    inputs = [{**i, "value": values.get(i["id"])} for i in entry["inputs"]]
    state = [{**s, "value": values.get(s["id"])} for s in entry["state"]]
    body = webclient.callback_body(output, inputs, state)
    body["changedPropIds"] = [changed]
    return client.post(
        "/_dash-update-component", json=body, headers={"X-CSRFToken": webclient.csrf(client)}
    )


FORM = {
    "targets-set": 1,
    "targets-indicator": "Criminal damage",
    "targets-area": "all",
    "targets-kind": "baseline",
    "targets-value": 10,
    "targets-direction": "lower",
    "targets-from": "2011/12",
    "targets-refresh": 0,
}


@pytest.mark.parametrize(("name", "status", "rag"), [("vera", 403, "Amber"), ("max", 200, "Green")])
def test_only_a_manager_sets_a_target_on_the_page(site, name, status, rag):
    server = webclient.the_app().server
    client = server.test_client()
    webclient.sign_in(client, name)
    client.get("/targets")
    output = webclient.output_key("targets-message")
    response = _fire(client, output, FORM, "targets-set.n_clicks")
    assert response.status_code == status
    assert export_row(site, BARNET, "Criminal damage")["rag"] == rag
    if status == 200:
        assert queries.target_changes(site)["changed_by"].iloc[0] == "max"
        page = client.get("/targets").status_code
        assert page == 200


def test_the_store_on_both_databases(engine):
    groups = queries.comparator_groups(engine)
    assert set(groups["name"]) == {"London (32 boroughs)", "Inner London", "Outer London"}
    members = queries.group_members(engine)
    assert members.groupby("group_name").size().to_dict() == {
        "Inner London": 13,
        "London (32 boroughs)": 32,
        "Outer London": 19,
    }
    row = {"indicator": "Burglary", "area_code": "", "from_year": 2025, "kind": "previous"}
    store.set_target(engine, {**row, "value": 5.0, "direction": "lower"}, "max")
    store.set_target(engine, {**row, "value": 7.5, "direction": "lower"}, "max")
    assert queries.targets(engine)["value"].tolist() == [7.5]
    assert len(queries.target_changes(engine)) == 2
    assert store.clear_target(engine, "Burglary", "", 2025, "max") is True
    assert store.clear_target(engine, "Burglary", "", 2025, "max") is False
    store.change_members(engine, "Pair", add=["E09000003", "E09000007"], by="max")
    store.change_members(engine, "Pair", remove=["E09000007"], by="max")
    assert store.choose_group(engine, "Pair", "max") and not store.choose_group(engine, "No", "m")
    groups = queries.comparator_groups(engine).set_index("name")
    assert bool(groups.loc["Pair", "most_similar"]) and groups["most_similar"].sum() == 1
    pair = queries.group_members(engine)
    assert pair.loc[pair["group_name"] == "Pair", "area_code"].tolist() == ["E09000003"]
    assert store.delete_group(engine, "Pair") is True
    assert pd.Series(queries.group_members(engine)["group_name"]).ne("Pair").all()


def test_sentences_name_the_target_and_the_group_rank():
    from dashboard.prose.crime import group_rank_words, ordinal, rag_and_target

    no_base = {
        "r12": 60,
        "p12": 100,
        "target_kind": "baseline",
        "target_value": 20.0,
        "target_direction": "lower",
        "target": None,
        "rag": None,
    }  # fmt: skip  (aligned record)
    assert rag_and_target(no_base) == "target: 20% below 2011/12, no 2011/12 figure to measure from"
    higher = {
        **no_base,
        "target_kind": "previous",
        "target_value": 10.0,
        "target_direction": "higher",
        "target": 110.0,
        "rag": "Red",
        "r12": 90,
    }  # fmt: skip  (aligned record)
    assert rag_and_target(higher) == (
        "Red: at or worse than the previous 12 months; target: 10% above the previous 12 months "
        "(110)"
    )
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]  # fmt: skip  (aligned table of literals)
    record = {"group_name": "Outer London", "group_size": 19, "group_rank": 3}
    assert group_rank_words(record) == "3rd of 19 Outer London boroughs"
    assert group_rank_words({**record, "group_rank": None}) == (
        "no rank among the 19 Outer London boroughs (not all have figures)"
    )
    assert group_rank_words({}) == ""


def test_the_overview_says_types_have_their_own_targets(site):
    run("targets", "set", "Criminal damage", "--value", "10")
    assert "against their targets." in overview.content(LATEST)[0]


def test_the_crime_page_offers_the_group_only_view_as_labelled_choices(site):
    page = crime.layout(slug="burglary")
    scope = find(page, "crime-london-scope")
    assert [o["value"] for o in scope.options] == ["london", "group"]
    assert scope.options[1]["label"] == "Only Outer London (most similar group)"
    assert "Boroughs to compare" in text(page)  # the fieldset's legend


def test_the_ward_page_draws_the_ward_s_own_target(site):
    from dashboard.pages import ward

    run("targets", "set", "Burglary", "--kind", "absolute", "--value", "400", "--area", HENDON)
    values = ward.update(LATEST, HENDON, "burglary")
    caption = next(v for v in values if isinstance(v, str) and v.startswith("Monthly burglary"))
    assert "a target of 400 or fewer in 12 months, at or better than the target" in caption
    figure = next(v for v in values if hasattr(v, "layout") and v.layout.shapes)
    assert 400 / 12 in [shape.y0 for shape in figure.layout.shapes if shape.type == "line"]


def test_naming_a_group_on_the_page_ticks_its_boroughs(site):
    from dashboard.pages import targets as page

    assert set(page.tick_members("Inner London", 0)) == INNER_LONDON_CODES
    assert page.tick_members("No such group", 0) == []


def test_a_chosen_group_without_the_home_borough_gives_no_group_view(site):
    assert run("groups", "choose", "Inner London") == 0  # Barnet is in Outer London
    row = export_row(site, BARNET, "Burglary")
    assert pd.isna(row["group_rank"]) and pd.isna(row["group_name"])
    scope = find(crime.layout(slug="burglary"), "crime-london-scope")
    assert [o["value"] for o in scope.options] == ["london"]
    values = crime.update(LATEST, "burglary", "group")  # a stale choice: London is shown
    assert len(values[1 + 3].data[0].y) == 32
    assert "Most similar group" not in card("burglary")


def test_the_page_s_form_refuses_a_missing_or_negative_value_in_words(site):
    from dashboard import targets as changes

    for value, words in [(None, "Give the target a value"), (-5, "at least 0")]:
        with pytest.raises(changes.ChangeRefused, match=words):
            changes.set_target(site, "Burglary", value=value)
    assert queries.targets(site).empty


def test_the_reference_version_changes_with_every_target_and_group_change(engine):
    """Kept answers are keyed by it (dashboard/answers.py): each change the manager makes must
    give another one, on SQLite and PostgreSQL, and reading it twice the same."""
    from core import db

    def target(value: int) -> dict:
        return {
            "indicator": "Burglary",
            "area_code": "",
            "from_year": 2011,
            "kind": "baseline",
            "value": value,
            "direction": "lower",
        }

    db.metadata.create_all(engine)
    seen = [queries.reference_version(engine)]
    assert queries.reference_version(engine) == seen[0]
    changes = [
        lambda: store.set_target(engine, target(5), "max"),
        lambda: store.set_group(engine, "Trio", [BARNET, *sorted(INNER_LONDON_CODES)[:2]], "max"),
        lambda: store.change_members(engine, "Trio", remove=[BARNET], by="max"),
        lambda: store.choose_group(engine, "Trio", "max"),
        lambda: store.choose_group(engine, None, "max"),
        lambda: store.delete_group(engine, "Trio"),
        lambda: store.clear_target(engine, "Burglary", "", 2011, "max"),
    ]
    for change in changes:
        change()
        seen.append(queries.reference_version(engine))
    # each change gives a new version (back to an earlier state, its answers hold again)
    assert all(a != b for a, b in itertools.pairwise(seen)), seen


def test_targets_are_read_once_until_one_changes(site):
    from dashboard import cache

    def read():
        with app.server.test_request_context("/"):
            return cache.targets(), cache.comparator_group()

    assert run("targets", "set", "Burglary", "--value", "15") == 0
    (first,), group = read()
    (again,), group_again = read()
    assert again is first and group_again == group  # no query for them while nothing changes
    assert run("targets", "set", "Burglary", "--value", "25") == 0
    (changed,), _ = read()
    assert changed.value == 25 and first.value == 15  # the next request reads the change
    store.set_group(site, "Five", list(INNER_LONDON_CODES)[:4] + [BARNET], "test")
    store.choose_group(site, "Five", "test")
    assert read()[1] == ("Five", sorted([*list(INNER_LONDON_CODES)[:4], BARNET]))
