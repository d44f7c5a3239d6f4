"""The pages' layout functions and callbacks, called as plain functions against a small database.

The database holds synthetic extracts whose figures are known by construction (loaded through
the real loader): 32 boroughs with 100,000 residents each, where every borough except Barnet
records 5i + 1 crimes a month of each MOPAC7 type (i = its alphabetical position), and Barnet's
windows are chosen so that each RAG status, a significant and a non-significant change and a
count too small to judge all appear:

| Barnet          | 2011/12 a month | P12 a month | R12 a month | R12 | vs 2011/12 | vs P12 |
|-----------------|-----------------|-------------|-------------|-----|------------|--------|
| Burglary        | 100             | 80          | 70          | 840 | −30% Green | −12.5% significant |
| Criminal damage | 20              | 20          | 18          | 216 | −10% Amber | −10% not significant |
| Robbery         | 10              | 10          | 15          | 180 | +50% Red   | +50% significant |
| Theft from the person | 2         | 1           | 1, 0, 1, 0… | 6   | too small to judge |
| the other three | 20              | 11          | 11          | 132 | −45% Green | no change |

Three Barnet wards have burglary only: Barnet Vale 10 a month throughout, Hendon 20 then 30 in
the R12 window, Whetstone none until five crimes in the R12 window.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import dash
import pandas as pd
import plotly
import pytest

import app as dashboard_app
from core.months import as_month
from core.reference import borough_names
from dashboard import cache
from dashboard.pages import crime, not_found_404, overview, ward, wards
from dashboard.prose.words import ACRONYMS
from dashboard.ui.addresses import SLUGS
from dashboard.ui.wards import ward_table_html
from domain import indicators
from etl.load import load_bytes
from fixtures.extracts import BARNET_BOUNDARIES
from layout_tree import find as _find
from layout_tree import text as _text

BARNET = "E09000003"
MONTHS = pd.date_range("2011-04-01", "2025-02-01", freq="MS")
LATEST = "2025-02"
CATEGORIES = {
    "Burglary": ("BURGLARY", "BURGLARY - RESIDENTIAL"),
    "Criminal damage": ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE"),
    "Robbery": ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    "Theft from motor vehicle": ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE"),
    "Theft from the person": ("THEFT", "THEFT FROM THE PERSON"),
    "Theft of motor vehicle": ("VEHICLE OFFENCES", "THEFT OR UNAUTH TAKING OF A MOTOR VEH"),
    "Violence with injury": ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
}
BARNET_WINDOWS = {  # type: (2011/12, in between, P12, R12) crimes a month
    "Burglary": (100, 90, 80, 70),
    "Criminal damage": (20, 20, 20, 18),
    "Robbery": (10, 10, 10, 15),
    "Theft from the person": (2, 2, 1, None),  # None: 1, 0, 1, 0, ... (R12 = 6)
}
WARDS = {"E05013628": "Barnet Vale", "E05013643": "Hendon", "E05013650": "Whetstone"}


def _window(month: pd.Timestamp) -> int:
    """0 baseline, 1 in between, 2 P12 (Mar 2023-Feb 2024), 3 R12 (Mar 2024-Feb 2025)."""
    if month <= pd.Timestamp(2012, 3, 1):
        return 0
    if month >= pd.Timestamp(2024, 3, 1):
        return 3
    return 2 if month >= pd.Timestamp(2023, 3, 1) else 1


def _barnet_count(kind: str, month: pd.Timestamp) -> int:
    value = BARNET_WINDOWS.get(kind, (20, 11, 11, 11))[_window(month)]
    return value if value is not None else int(month.month % 2 == 1)


def borough_csv() -> bytes:
    header = "MajorText,MinorText,BoroughName," + ",".join(f"{m:%Y%m}" for m in MONTHS)
    lines = [header]
    for position, name in enumerate(borough_names(), start=1):
        for kind, (major, minor) in CATEGORIES.items():
            if name == "Barnet":
                counts = [_barnet_count(kind, m) for m in MONTHS]
            else:
                counts = [5 * position + 1] * len(MONTHS)
            lines.append(f"{major},{minor},{name}," + ",".join(map(str, counts)))
    return ("\n".join(lines) + "\n").encode()


def population_csv() -> bytes:
    lines = ["area_code,area_name,year,population"]
    for name in borough_names():
        code = {"Barnet": BARNET}.get(name) or _code(name)
        lines += [f"{code},{name},{year},100000" for year in range(2011, 2025)]
    return ("\n".join(lines) + "\n").encode()


def _code(name: str) -> str:
    from core.reference import borough_code

    return borough_code(name)


def _ward_count(code: str, month: pd.Timestamp) -> int:
    window = _window(month)
    if code == "E05013628":
        return 10
    if code == "E05013643":
        return 30 if window == 3 else 20
    return int(window == 3 and month.month in (3, 5, 7, 9, 11))


def ward_csv() -> bytes:
    header = "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName," + ",".join(
        f"{m:%Y%m}" for m in MONTHS
    )
    lines = [header]
    for code, name in WARDS.items():
        counts = ",".join(str(_ward_count(code, m)) for m in MONTHS)
        lines.append(f"BURGLARY,BURGLARY - RESIDENTIAL,{name},{code},Barnet,{counts}")
    return ("\n".join(lines) + "\n").encode()


def ward_outlines() -> bytes:
    """Barnet's ward boundaries (the file the seed ships) for the wards of ``ward_csv``."""
    document = json.loads(BARNET_BOUNDARIES.read_text(encoding="utf-8"))
    features = [f for f in document["features"] if f["properties"]["WD22CD"] in WARDS]
    return json.dumps({**document, "features": features}).encode()


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('pages')}/pages.db"
    engine = db.get_engine(url)
    for filename, data in [
        ("boroughs.csv", borough_csv()),
        ("population.csv", population_csv()),
        ("wards.csv", ward_csv()),
        ("wards.geojson", ward_outlines()),
    ]:
        result = load_bytes(filename, data, engine, user="test")
        assert result.status == "loaded", (filename, result.message)
    return url


@pytest.fixture
def seeded(seeded_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return seeded_url


@pytest.fixture
def engine(sqlite_engine):
    """Only SQLite here: the pages read through queries/cache, tested on both elsewhere."""
    return sqlite_engine


# --- the app shell ------------------------------------------------------------------------------


def test_period_picker_offers_every_month_newest_first(seeded):
    """Chosen at first: each page's own latest month (an address without ?period=)."""
    picker = _find(dashboard_app.layout(), "period-select")
    assert picker.value == "latest"
    assert picker.options[0] == {"label": "Latest loaded for each page", "value": "latest"}
    assert picker.options[1] == {"label": "February 2025", "value": LATEST}
    assert picker.options[-1] == {"label": "April 2011", "value": "2011-04"}
    assert len(picker.options) == len(MONTHS) + 1


def test_navbar_is_built_from_the_page_registry(seeded):
    text = _text(dashboard_app.navbar())
    assert text.index("Overview") < text.index("Crime trends") < text.index("Wards")
    assert "Page not found" not in text and "Ward " not in text  # nav=False pages are left out
    matches = dashboard_app.nav_matches()
    assert ["/crime/"] in matches and ["/wards", "/ward/"] in matches


def test_empty_database_picker_is_disabled(use_database):
    picker = _find(dashboard_app.layout(), "period-select")
    assert picker.options == [] and picker.value is None and picker.disabled is True


# --- overview -----------------------------------------------------------------------------------


def test_overview_cards_say_r12_baseline_change_significance_rank_and_rag(seeded):
    summary, cards, source = overview.content(LATEST)
    assert summary == (
        "In the 12 months to February 2025 Barnet had 1,638 neighbourhood (MOPAC7) crimes: "
        "666 fewer crimes than 2011/12, −28.9%, and down 5.2% on the previous 12 months, "
        "not statistically significant; of the 7 crime types, 4 Green, 1 Amber and 1 Red "
        "against the target of 20% below 2011/12. "
        # the file holds MOPAC7 categories only, so every offence is the MOPAC7 total's 1,638
        "Overall crime (every offence recorded): 1,638, down 5.2% on the previous 12 months, "
        "not statistically significant; rank 3 of 32 London boroughs (1 = lowest rate)."
    )
    ids = [col.children.id for col in cards.children]
    assert ids[:2] == ["overview-card-mopac7-total", "overview-card-overall-crime"]
    overall = _text(_find(cards, "overview-card-overall-crime"))
    assert "No target" in overall and "Green" not in overall and "Red" not in overall
    assert set(ids) == {f"overview-card-{s}" for s in SLUGS}
    burglary = _text(_find(cards, "overview-card-burglary"))
    assert "840 crimes in the 12 months to February 2025" in burglary
    assert "360 fewer crimes than 2011/12, −30%" in burglary
    assert "▼ down 12.5%, statistically significant" in burglary
    assert "rank 13 of 32, 2 places better than a year earlier (15)" in burglary
    assert "✓ Green" in burglary
    assert "Figures shown: the 12 months to February 2025" in source


def test_overview_card_links_to_its_trend_page(seeded):
    _, cards, _ = overview.content(LATEST)
    card = _find(cards, "overview-card-theft-from-motor-vehicle")
    link = card.children.children[0].children
    assert link.href == "/crime/theft-from-motor-vehicle"


def test_overview_cards_reach_the_browser_as_the_same_html(seeded):
    """The callback sends the cards as HTML (static_html): the same words, ids and links,
    the links marked to navigate within the app."""
    summary, cards_html, source = overview.update(LATEST)
    assert summary.startswith("In the 12 months to February 2025 Barnet had 1,638 neighbourhood")
    assert source == (
        "Figures shown: the 12 months to February 2025. Source: Metropolitan Police Service "
        "(MPS) borough level crime (London Datastore); Office for National Statistics (ONS) "
        "mid-year population estimates. London ranks: 1 = lowest rate per 1,000 residents of "
        "the 32 boroughs."
    )
    for slug in SLUGS:
        assert f'id="overview-card-{slug}"' in cards_html
        assert f'<a class="stretched-link" data-app-link href="/crime/{slug}">' in cards_html
    assert "360 fewer crimes than 2011/12, −30%" in cards_html
    assert "▼ down 12.5%, statistically significant" in cards_html


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("criminal-damage", ["● Amber", "down 10%, not statistically significant"]),
        ("robbery", ["✕ Red", "▲ up 50%, statistically significant"]),
        ("theft-from-the-person", ["Too small to judge", "too few crimes to judge"]),
    ],
)
def test_overview_rag_and_small_counts(seeded, slug, words):
    _, cards, _ = overview.content(LATEST)
    text = _text(_find(cards, f"overview-card-{slug}"))
    for word in words:
        assert word in text
    if slug == "theft-from-the-person":
        assert "Red" not in text and "Green" not in text  # never coloured: too small to judge


def test_overview_period_is_any_month_loaded(seeded):
    summary, _, _ = overview.update("2012-03")
    assert summary.startswith("In the 12 months to March 2012 Barnet had 2,304 ")
    assert "same as 2011/12" in summary
    assert "no comparison with the previous 12 months (a month is missing)" in summary


@pytest.mark.parametrize("period", [None, "not a month"])
def test_overview_unknown_period_falls_back_to_latest(seeded, period):
    summary = overview.update(period)[0]
    assert summary.startswith("In the 12 months to February 2025 Barnet had 1,638 neighbourhood")


@pytest.mark.parametrize(
    ("period", "shown", "showing"),
    [
        ("2030-01", "February 2025", "February 2025"),
        ("1999-01", "March 2012", "the first 12 months they cover in full, to March 2012"),
    ],
)
def test_overview_period_outside_the_data_shows_the_nearest_month_and_says_so(
    seeded, period, shown, showing
):
    """A month the borough crime file does not reach (another dataset's, in the picker) shows
    the file's last month, or its first with 12 months' figures, in words."""
    summary, _, source = overview.update(period)
    note = f"Borough crime figures run from April 2011 to February 2025; showing {showing}."
    assert summary.startswith(note)
    assert f"Figures shown: the 12 months to {shown}." in source


@pytest.fixture(params=["viewer", "analyst"])
def reader(request, monkeypatch) -> str:
    """Who reads the page: a board member (viewer) or an analyst, who can load figures."""
    from dashboard.auth import guard
    from dashboard.auth.roles import User

    monkeypatch.setattr(guard, "current_user", lambda: User("someone", request.param))
    return request.param


def says_what_to_load(text: str, reader: str) -> bool:
    """An analyst reads how to load the figures; a board member one line saying whom to ask,
    never a command or a file."""
    if reader == "analyst":
        return "No figures loaded yet" in text and "python -m etl load PATH" in text
    return (
        "Not yet loaded for this borough" in text
        and "community safety team" in text
        and "python -m etl" not in text
        and "CSV" not in text
    )


def test_overview_empty_database_says_what_to_load(use_database, reader):
    summary, cards, source = overview.update(None)
    assert says_what_to_load(_text(summary), reader)
    assert cards == "" and source == ""


def test_overview_layout_has_its_summary_and_cards(seeded):
    page = overview.layout()
    assert _find(page, "overview-summary") is not None
    assert "overview-card-burglary" in _find(page, "overview-cards-html").data


# --- crime trends -------------------------------------------------------------------------------


def test_crime_page_arrives_drawn_for_the_period_in_its_address(seeded):
    page = crime.layout("robbery", period="2012-03")
    assert "12 months to March 2012" in _find(page, "crime-summary").children
    assert _find(page, "crime-period").data == "2012-03"
    assert len(_find(page, "crime-trend-graph").figure.data) > 0


def test_a_period_change_sends_only_the_moved_windows_when_the_bars_are_drawn(seeded):
    page = crime.layout("burglary")
    drawn = _find(page, "crime-drawn").data
    full = crime.change_period("2012-03", "burglary", None)
    light = crime.change_period("2012-03", "burglary", drawn)
    trend, trend_table, rank_table = (
        crime.OUTPUTS.index(o)
        for o in [
            ("crime-trend-graph", "figure"),
            ("crime-trend-table-html", "data"),
            ("crime-rank-table-html", "data"),
        ]
    )
    assert full[-1] == light[-1] == drawn  # same data, same type: the key holds
    assert full[0].startswith("Burglary in Barnet: 1,200 crimes in the 12 months to March 2012")
    rects = [s for s in full[trend].layout.shapes if s.type == "rect"]
    assert [pd.Timestamp(r.x1).strftime("%Y-%m") for r in rects] == ["2011-03", "2012-03"]
    assert isinstance(light[trend], dash.Patch) and light[trend_table] is dash.no_update
    assert light[rank_table] is dash.no_update
    windows = full[trend].layout.shapes[:2]
    patched = {
        op["location"][-1]: op["params"]["value"]
        for op in light[trend].to_plotly_json()["operations"]
    }
    assert patched["shapes"][:2] == [w.to_plotly_json() for w in windows]
    assert [n.to_plotly_json() for n in full[trend].layout.annotations] == patched["annotations"]
    # everything else is the same as the full answer
    same = [i for i in range(len(crime.OUTPUTS)) if i not in (trend, trend_table, rank_table)]
    assert all(_json(full[i]) == _json(light[i]) for i in same)
    # another crime type's bars on the page: the whole chart is sent
    assert crime.change_period("2012-03", "robbery", drawn)[trend] is not None
    assert not isinstance(crime.change_period("2012-03", "robbery", drawn)[trend], dash.Patch)


def _json(value) -> str:
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def _crime(period=LATEST, slug="burglary") -> dict:
    names = ["summary"] + [f"{c}-{p}" for c in crime.CHARTS for p in ("graph", "caption", "table")]
    return dict(zip([*names, "source"], crime.update(period, slug), strict=True))


def test_crime_layout_for_each_slug_and_not_found_otherwise(seeded):
    for slug, name in SLUGS.items():
        page = crime.layout(slug=slug)
        assert _text(page).startswith(f"{name} in Barnet")
        for chart in crime.CHARTS:
            assert _find(page, f"{chart}-graph") is not None
            assert _find(page, f"{chart}-table-toggle").children == "Show as table"
    assert _text(crime.layout(slug="arson")).startswith("Page not found")
    assert _text(crime.layout(slug=None)).startswith("Page not found")


INNER_LONDON = {  # DOMAIN.md's ONS Inner London; Barnet's most similar group is the other 19
    "Camden",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Islington",
    "Kensington and Chelsea",
    "Lambeth",
    "Lewisham",
    "Newham",
    "Southwark",
    "Tower Hamlets",
    "Wandsworth",
    "Westminster",
}


def outer_london_burglary_rank() -> int:
    """Barnet's burglary rank among the Outer London boroughs, from the synthetic counts: every
    borough has 100,000 residents, so the rank is by the 12 months' count (Barnet: 840; the
    others 12 x (5i + 1))."""
    others = [
        12 * (5 * position + 1)
        for position, name in enumerate(borough_names(), start=1)
        if name not in INNER_LONDON and name != "Barnet"
    ]
    assert len(others) == 18
    return 1 + sum(count < 840 for count in others)


def test_crime_summary_sentence(seeded):
    out = _crime()
    rank = outer_london_burglary_rank()
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank % 10 if rank not in (11, 12, 13) else 0, "th")
    assert out["summary"] == (
        "Burglary in Barnet: 840 crimes in the 12 months to February 2025, 360 fewer crimes "
        "than 2011/12, −30% (Green: at or better than the target; target: 20% below 2011/12 "
        "(960)); down 12.5% on the previous 12 months, statistically significant; rank 13 of 32 "
        "London boroughs (1 = lowest rate), 2 places better than a year earlier (15) and "
        f"{rank}{suffix} of 19 Outer London boroughs."
    )
    assert out["crime-trend-caption"].endswith(
        "840 in the 12 months to February 2025 against a 2011/12 baseline of 1,200 and a target "
        "of 20% below 2011/12 (960), at or better than the target."
    )


def test_crime_trend_figure_lines_and_windows(seeded):
    figure = _crime()["crime-trend-graph"]
    bars, line = figure.data[0], figure.data[1]
    assert list(bars.y[-13:]) == [80] + [70] * 12
    assert list(line.y)[-1] == 70  # 840 / 12
    shapes = figure.layout.shapes
    assert [s.y0 for s in shapes if s.type == "line"] == [100, 80]  # baseline, target a month
    rects = [s for s in shapes if s.type == "rect"]
    assert pd.Timestamp(rects[1].x0) < pd.Timestamp("2024-03-01") < pd.Timestamp(rects[1].x1)
    assert pd.Timestamp(rects[0].x1) < pd.Timestamp("2024-03-01")


def test_crime_london_comparison(seeded):
    out = _crime()
    figure = out["crime-london-graph"]
    bars = figure.data[0]
    assert len(bars.y) == 32
    assert bars.y[-1] == "Barking and Dagenham"  # lowest rate at the top
    barnet = list(bars.y).index("<b>Barnet</b>")
    assert bars.marker.color[barnet] == "#0072B2"
    assert bars.x[barnet] == pytest.approx(8.4)
    london = (840 + sum(60 * i + 12 for i in range(1, 33) if i != 2)) / 3_200_000 * 1000
    assert figure.layout.shapes[0].x0 == pytest.approx(london)
    assert "London's rate is 10.2" in out["crime-london-caption"]
    assert 'id="crime-london-table"' in out["crime-london-table"]
    assert "<td>13</td>" in out["crime-london-table"]


def test_crime_rank_over_time(seeded):
    out = _crime()
    figure = out["crime-rank-graph"]
    assert figure.layout.annotations[-1].text == "13 of 32"
    assert list(figure.layout.yaxis.range) == [32.5, 0.5]
    assert out["crime-rank-caption"].startswith(
        "Barnet's London rank month by month: rank 13 of 32 London boroughs (1 = lowest rate), "
        "2 places better than a year earlier (15)"
    )


def test_crime_type_picker_opens_the_types_address():
    assert crime.choose_type("robbery", "burglary") == "/crime/robbery"
    assert crime.choose_type("burglary", "burglary") is crime.no_update
    assert crime.choose_type("arson", "burglary") is crime.no_update


def test_crime_small_counts_are_flagged(seeded):
    summary = _crime(slug="theft-from-the-person")["summary"]
    assert "too small to judge against the target" in summary
    assert "too few crimes to judge" in summary


def test_crime_empty_database(use_database, reader):
    out = _crime(None)
    assert says_what_to_load(_text(out["summary"]), reader)
    assert out["crime-trend-graph"].layout.annotations[0].text == "No borough crime figures loaded"


# --- wards --------------------------------------------------------------------------------------


def _wards(period=LATEST, slug="burglary", measure="r12") -> dict:
    names = [component for component, _ in wards.OUTPUTS]
    return dict(zip(names, wards.update(period, slug, measure), strict=True))


def _ward_names(table_html: str) -> list[str]:
    return re.findall(r"data-app-link>([^<]+)</a>", table_html)


def test_wards_table_rows_link_to_ward_pages_sorted_by_the_measure(seeded):
    out = _wards()
    table = out["wards-table-html"]
    assert table.startswith('<table id="wards-table"')
    assert _ward_names(table) == ["Hendon", "Barnet Vale", "Whetstone"]
    assert '<a href="/ward/E05013643" data-app-link>Hendon</a>' in table
    assert (
        '<td data-change_p12="50.0">+50.0%<br><span class="small">statistically significant'
        in table
    )
    assert '<span class="small too-small">too small to judge</span>' in table
    assert (
        '<th scope="col" aria-sort="descending"><button type="button" class="sort-button" data-sort="r12">'
        in table
    )
    assert out["wards-summary"] == (
        "In the 12 months to February 2025 burglary crimes in Barnet's 3 wards ranged from 5 "
        "(Whetstone) to 360 (Hendon); compared with the previous 12 months, 0 wards fell and 1 "
        "rose by more than chance would explain; 1 too small to judge."
    )
    key = _text(out["wards-map-key"])  # counts: from 0 to the highest ward, nothing hatched
    assert key == "Colour key: crimes in the 12 months 0 360"


def test_wards_map_colours_and_hatches_small_counts(seeded):
    out = _wards(measure="change_p12")
    figure = out["wards-map-graph"]
    by_name = {t.name: t for t in figure.data if t.name}
    assert set(by_name) == set(WARDS.values())
    assert by_name["Whetstone"].fillpattern.shape == "/"  # too small to judge: hatched grey
    assert by_name["Hendon"].fillcolor != by_name["Barnet Vale"].fillcolor
    # a click's curveNumber indexes the codes: the ward traces come first, in the codes' order
    assert [t.name for t in figure.data[:3]] == [WARDS[c] for c in out["wards-map-codes"]]
    assert "Highest: Hendon (+50.0%)." in out["wards-map-caption"]
    assert "1 grey hatched: too few crimes to judge or no figure" in out["wards-map-caption"]
    # the colour key beside the map says the scale in words: symmetric around no change, set
    # by the judged wards (Hendon +50%), and what the hatching means
    key = _text(out["wards-map-key"])
    assert "Colour key: % change on the previous 12 months" in key
    assert "−50.0% (fewer)" in key and "+50.0% (more)" in key and "no change" in key
    assert "grey hatched: too few crimes to judge, or no figure" in key
    # the table follows the measure: biggest change first, no change-figure last
    assert _ward_names(out["wards-table-html"]) == ["Hendon", "Barnet Vale", "Whetstone"]
    assert (
        'aria-sort="descending"><button type="button" class="sort-button" data-sort="change_p12"'
        in out["wards-table-html"]
    )


def test_ward_table_html_sorted_by_name():
    rows = pd.DataFrame(
        {
            "area_code": ["W2", "W1"],
            "area_name": ["B & C", "A"],
            "r12": [20, 10],
            "p12": [15, 12],
            "significant": [False, False],
            "change_vs_previous_pct": [33.3, -16.7],
            "change_vs_baseline_pct": [None, 1.0],
            "ward_rank": [2, 1],
        }
    )
    table = ward_table_html(rows, False, "name", descending=False)
    assert _ward_names(table) == ["A", "B &amp; C"]
    assert (
        'aria-sort="ascending"><button type="button" class="sort-button" data-sort="name">Ward <span aria-hidden="true">▲</span>'
        in table
    )
    assert '<td data-change_baseline="">not available</td>' in table
    assert "Rate per 1,000" not in table
    assert "Rate per 1,000" in ward_table_html(rows.assign(rate_per_1000=1.5), True)


def test_ward_map_click_opens_the_ward_page():
    codes = ["E05013628", "E05013643"]
    assert wards.open_ward({"points": [{"curveNumber": 1}]}, codes) == "/ward/E05013643"
    assert wards.open_ward({"points": [{"curveNumber": 2}]}, codes) is wards.no_update
    assert wards.open_ward(None, codes) is wards.no_update


def test_wards_layout_offers_rates_only_with_ward_populations(seeded):
    page = wards.layout()
    measure = _find(page, "wards-measure")
    rate = next(o for o in measure.options if o["value"] == "rate")
    assert rate["disabled"] is True and "needs ward populations" in rate["label"]
    assert _find(page, "wards-table-wrap") is not None  # the table arrives as HTML
    assert "OS data" in _text(page)


def test_wards_empty_database(use_database, reader):
    assert says_what_to_load(_text(wards.layout()), reader)


# --- one ward -----------------------------------------------------------------------------------


def _ward(period=LATEST, code="E05013643", slug="burglary") -> dict:
    names = ["summary", "figures"] + [
        f"{c}-{p}" for c in ward.CHARTS for p in ("graph", "caption", "table")
    ]
    return dict(zip([*names, "source"], ward.update(period, code, slug), strict=True))


def test_ward_page_sentence_rank_and_borough_comparison(seeded):
    out = _ward()
    assert out["summary"] == (
        "Hendon had 360 MOPAC7 crimes in the 12 months to February 2025: 120 more crimes than "
        "2011/12, +50%, and up 50% on the previous 12 months, statistically significant; it "
        "ranks 3 of Barnet's 3 wards (1 = fewest crimes)."
    )
    assert (
        '<th scope="row">Burglary</th><td>360</td><td>240</td><td>+50.0%</td>'
        "<td>+50.0% (statistically significant)</td><td>3</td><td>−12.5%</td>"
    ) in out["figures"]
    bars = out["ward-compare-graph"].data[0]
    assert "<b>Hendon</b>" in bars.y
    assert out["ward-compare-caption"].endswith("Hendon had 360, above the middle ward's 120.")


def test_ward_layout_unknown_code_is_not_found(seeded):
    assert _text(ward.layout(ward_code="E05999999")).startswith("Page not found")
    page = ward.layout(ward_code="E05013650")
    assert _text(page).startswith("← All wards in Barnet Whetstone ward, Barnet")
    assert _find(page, "ward-trend-graph") is not None and _find(page, "ward-summary") is not None


def test_not_found_page():
    assert _text(not_found_404.layout()).startswith("Page not found")


# --- the cached London ranks agree with the indicator table -------------------------------------


def test_rank_history_matches_indicator_table(seeded):
    history = cache.rank_history()
    for month in ["2012-03", "2016-07", LATEST]:
        table = cache.borough_table(as_month(month))
        expected = table[table["london_rank"].notna()].set_index(["area_code", "indicator"])
        got = history[history["month"] == as_month(month)].set_index(["area_code", "indicator"])
        got = got.loc[expected.index]
        assert (got["london_rank"].astype(int) == expected["london_rank"].astype(int)).all()
        assert len(expected) == 32 * 9  # the seven types, the MOPAC7 total, overall crime


def test_borough_table_cache_gives_the_full_computation(seeded):
    monthly = cache.monthly("borough_crime")
    areas, pops = cache.reference()
    full = indicators.indicator_table(monthly, areas, pops, as_month(LATEST))
    cached = cache.borough_table(as_month(LATEST))
    columns = ["area_code", "indicator", "r12", "p12", "baseline", "london_rank", "rag"]
    pd.testing.assert_frame_equal(
        full[columns].reset_index(drop=True), cached[columns].reset_index(drop=True)
    )


def test_ward_boundaries_for_home_wards(seeded):
    outlines = cache.ward_boundaries(_code("Barnet"))
    assert dict(zip(outlines["code"], outlines["name"], strict=True)) == WARDS
    assert json.dumps(outlines["geometry"].iloc[0])[:9] == '{"type": '


def test_each_chart_table_is_sent_to_its_store():
    """The "Show as table" HTML goes to <chart>-table-html.data (assets/dashboard.js puts it in
    place); a typo here leaves the table empty in the browser only."""
    from dash._callback import GLOBAL_CALLBACK_MAP

    outputs = " ".join([*GLOBAL_CALLBACK_MAP, *dashboard_app.app.callback_map])
    slots = [f"{chart}-table" for chart in [*crime.CHARTS, *ward.CHARTS, "wards-map"]]
    for slot in [*slots, "wards-table", "ward-figures-table"]:
        assert f"{slot}-html.data" in outputs
        assert f"{slot}-wrap.className" in outputs


def test_warm_pages_runs_every_page_callback(seeded, caplog):
    dashboard_app.warm_pages()
    assert "warming the page caches failed" not in caplog.text


# --- the plotly.js bundle the browser gets ------------------------------------------------------

BASIC_BUNDLE = Path(dashboard_app.__file__).parent / "assets" / "vendor" / "plotly-basic.min.js"
BASIC_TRACES = {"bar", "scatter", "pie"}  # what plotly.js "basic" contains


def test_the_vendored_plotly_js_is_the_version_plotly_py_writes_figures_for():
    from plotly.offline import get_plotlyjs_version

    header = BASIC_BUNDLE.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in header


def test_every_crime_page_chart_draws_with_the_basic_bundle(seeded):
    outputs = [
        *crime.update(LATEST, "burglary"),
        *wards.update(LATEST, "mopac7-total", "change_p12"),
        *ward.update(LATEST, "E05013643", "robbery"),
    ]
    traces = [t for o in outputs if hasattr(o, "data") and hasattr(o, "layout") for t in o.data]
    assert traces and {t.type for t in traces} <= BASIC_TRACES


@pytest.mark.parametrize("name", ["overview", "crime", "wards", "ward"])
def test_each_acronym_is_spelled_out_once_where_first_used(seeded, name):
    """The crime pages' sources name the publishers in full once, then by their initials (the
    layout is drawn with its figures, as the browser first receives it)."""
    page = {
        "overview": overview.layout,
        "crime": lambda: crime.layout("mopac7-total"),
        "wards": wards.layout,
        "ward": lambda: ward.layout("E05013643"),
    }[name]()
    text = _text(page)
    used = [a for a in ACRONYMS if re.search(rf"\b{a}\b", text)]
    assert used, "the page uses none of the acronyms: the test checks nothing"
    for acronym in used:
        assert text.count(ACRONYMS[acronym]) == 1, acronym
        assert text.index(ACRONYMS[acronym]) < re.search(rf"\b{acronym}\b", text).start()
