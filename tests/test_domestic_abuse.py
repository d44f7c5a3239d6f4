"""Domestic abuse (DOMAIN.md): offences and DA violence with injury from the MPS Monthly Crime
Dashboard (one indicator under both of the file's spellings), rates per 1,000, London rank and
the positive outcome rate (outcomes ÷ offences over the same 12 months, one decimal, not
available under 10 offences). Expected figures are worked by hand or by pandas over the file."""

from __future__ import annotations

import pandas as pd
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
from core import queries
from core.months import as_month
from core.reference import DA_VIOLENCE_WITH_INJURY, dashboard_subgroup
from core.reference import LONDON_BOROUGH_CODES as LONDON
from dashboard import domestic_abuse_figures as figures
from dashboard.auth import exempt
from dashboard.pages import domestic_abuse as page
from domain.domestic_abuse import positive_outcome_rate, with_outcomes
from etl.load import load_bytes, load_path
from fixtures.extracts import BARNET, ONS_POPULATION, SEED, ons_population
from test_mps_dashboard import HEADER
from test_priority_pages import raw_dashboard, raw_window

BOROUGHS_CSV = SEED / "monthly-crime-dashboard-boroughs.csv.gz"
WARDS_CSV = SEED / "monthly-crime-dashboard-barnet-wards.csv.gz"
VWI = DA_VIOLENCE_WITH_INJURY


@pytest.mark.parametrize(
    ("outcomes", "offences", "rate"),
    [
        (310, 2881, 10.8),  # 10.760...
        (100, 609, 16.4),  # 16.420...
        (1, 16, 6.3),  # 6.25: halves away from zero
        (1, 10, 10.0),  # 10 offences: judged
        (1, 9, None),  # under 10 offences: not available
        (None, 100, None),
        (0, 0, None),
    ],
)
def test_positive_outcome_rate(outcomes, offences, rate):
    assert positive_outcome_rate(outcomes, offences) == rate


@pytest.mark.parametrize(
    "spelling",
    [
        "Domestic Abuse violence with injury",  # under Offences
        "Domestic Abuse Violence with Injury",  # under Positive Outcomes
        "DOMESTIC ABUSE  VIOLENCE WITH INJURY",
    ],
)
def test_both_spellings_of_da_violence_with_injury_are_one_indicator(spelling):
    assert dashboard_subgroup(spelling) == VWI
    assert dashboard_subgroup("Hate crime") == "Hate crime"


def _row(month: str, subgroup: str, measure: str, count: int) -> str:
    return (
        f"{month},Borough,Barnet,Barnet,{BARNET},Domestic Abuse,{subgroup},{measure},"
        f"fy24-25,24-25_01,{count},2025-08-02"
    )


OFFENCES_FILE = "\n".join(
    [HEADER, _row("2025-01-01", "Domestic Abuse violence with injury", "Offences", 40)]
)
OUTCOMES_FILE = "\n".join(
    [HEADER, _row("2025-01-01", "Domestic Abuse Violence with Injury", "Positive Outcomes", 7)]
)


@pytest.mark.parametrize("order", [(OFFENCES_FILE, OUTCOMES_FILE), (OUTCOMES_FILE, OFFENCES_FILE)])
def test_offences_and_outcomes_of_da_vwi_meet_whichever_file_came_first(engine, order):
    for number, text in enumerate(order):
        result = load_bytes(f"dashboard-{number}.csv", (text + "\n").encode(), engine, user="t")
        assert result.status == "loaded", result.message
    offences = queries.subgroup_monthly(engine, "mps_dashboard_offences")
    outcomes = queries.subgroup_monthly(engine, "mps_dashboard_outcomes")
    assert offences[["indicator", "count"]].values.tolist() == [[VWI, 40]]
    assert outcomes[["indicator", "count"]].values.tolist() == [[VWI, 7]]


def test_with_outcomes_adds_the_outcomes_of_the_same_window():
    offences = pd.DataFrame(
        {"area_code": ["A", "A", "B"], "indicator": ["x", "y", "x"], "r12": [200, 9, 50]}
    ).astype({"r12": "Int64"})
    outcomes = pd.DataFrame({"area_code": ["A", "A"], "indicator": ["x", "y"], "r12": [25, 3]})
    out = with_outcomes(offences, outcomes)
    assert out["positive_outcomes_r12"].tolist() == [25, 3, pd.NA]
    # 25 / 200 = 12.5%; 9 offences: too few; B has no outcomes row
    assert out["positive_outcome_rate_pct"].tolist() == [12.5, pd.NA, pd.NA]


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    from core import db

    url = f"sqlite:///{tmp_path_factory.mktemp('da')}/da.db"
    engine = db.get_engine(url)
    for path in [BOROUGHS_CSV, WARDS_CSV, ONS_POPULATION]:
        assert load_path(path, engine, user="test").status == "loaded"
    return url


@pytest.fixture
def loaded(loaded_url, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", loaded_url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    return loaded_url


def _outputs(*args) -> dict:
    ids = ["da-summary", "da-figures-table"]
    ids += [f"{c}-{p}" for c in page.CHARTS for p in ("graph", "caption", "table-html")]
    values = page.update(*args)
    assert len(values) == len(ids) + 1
    return dict(zip([*ids, "da-source"], values, strict=True))


def test_barnet_domestic_abuse_to_july_2025(loaded):
    raw = raw_dashboard()
    offences = raw_window(raw, "Domestic Abuse", "2025-07-01")[BARNET]
    outcomes = raw_window(raw, "Domestic Abuse", "2025-07-01", "Positive Outcomes")[BARNET]
    # the window's mid-2025 population is not loaded: mid-2024, the latest earlier year
    pops = ons_population().xs(2024, level="Year")
    r12 = raw_window(raw, "Domestic Abuse", "2025-07-01")
    rates = pd.Series({c: r12.get(c, 0) / pops[c] for c in pops.index if c in LONDON})
    rank = int(rates.rank(method="min")[BARNET])
    assert (offences, outcomes) == (2881, 310)
    text = _outputs("2025-07", "Domestic Abuse")["da-summary"]
    # 2,881 / 405,050 (mid-2024) x 1,000 = 7.11; 310 / 2,881 = 10.76%
    assert "2,881 domestic abuse offences: 7.1 per 1,000 residents (mid-2024 population)" in text
    assert f"rank {rank} of 32 London boroughs" in text
    assert "Positive outcome rate: 10.8% (310 of 2,881 offences)" in text


def test_da_vwi_joins_the_offences_and_outcomes_spellings(loaded):
    raw = raw_dashboard()
    offences = raw_window(raw, "Domestic Abuse violence with injury", "2024-06-01")[BARNET]
    outcomes = raw_window(
        raw, "Domestic Abuse Violence with Injury", "2024-06-01", "Positive Outcomes"
    )[BARNET]
    assert (offences, outcomes) == (663, 43)
    row = figures.table(as_month("2024-06"))
    row = row[(row["area_code"] == BARNET) & (row["indicator"] == VWI)].iloc[0]
    assert (row["r12"], row["positive_outcomes_r12"]) == (663, 43)
    assert row["positive_outcome_rate_pct"] == 6.5  # 43 / 663 = 6.486%
    out = _outputs("2024-06", VWI)
    assert "6.5% (43 of 663 offences)" in out["da-summary"]
    assert "6.5% (43 of 663 offences)" in str(out["da-figures-table"])


def test_wards_table_has_every_barnet_ward(loaded):
    out = _outputs(None, "Domestic Abuse")
    assert "Barnet's 24 wards" in out["da-wards-caption"]
    assert out["da-wards-table-html"].count("<tr>") == 25  # the header and 24 wards


def test_with_outcomes_exempt_the_rate_is_not_available(loaded, monkeypatch):
    real = exempt.hidden
    monkeypatch.setattr(
        exempt,
        "hidden",
        lambda kind: {"mps_dashboard_outcomes"} if kind == "dataset" else real(kind),
    )
    text = _outputs("2025-07", "Domestic Abuse")["da-summary"]
    assert "2,881 domestic abuse offences" in text
    assert "Positive outcome rate: not available" in text


def test_an_empty_database_says_what_to_load(use_database):
    out = _outputs(None, None)
    assert "MPS Monthly Crime Dashboard" in str(out["da-summary"])


def test_the_page_is_in_the_navigation_before_youth_violence():
    import dash

    orders = {p["path"]: p.get("order") for p in dash.page_registry.values()}
    assert orders["/domestic-abuse"] < orders["/youth-violence"]
    layout = page.layout()
    assert "da-partnership" in str(layout)


def test_the_indicators_export_gives_positive_outcomes_and_their_rate(loaded, tmp_path):
    from dashboard import cli

    out = tmp_path / "indicators.csv"
    assert cli.report_main(["indicators", "--month", "2025-07", "--out", str(out)]) == 0
    export = pd.read_csv(out, dtype={"area_code": str})
    barnet = export[export["area_code"] == BARNET].set_index("indicator")
    raw = raw_dashboard()
    # pandas over the file: 310 of 2,881 = 10.76%; VWI (two spellings) 100 of 609 = 16.42%
    assert barnet.loc["Domestic Abuse", "positive_outcomes_r12"] == 310
    assert barnet.loc["Domestic Abuse", "positive_outcome_rate_pct"] == 10.8
    assert barnet.loc[VWI, "positive_outcomes_r12"] == 100
    assert barnet.loc[VWI, "positive_outcome_rate_pct"] == 16.4
    assert barnet.loc["Domestic Abuse", "rate_per_1000"] == pytest.approx(
        2881 / 405_050 * 1000, abs=1e-4
    )
    hate = raw_window(raw, "Hate crime", "2025-07-01", "Positive Outcomes")[BARNET]
    assert barnet.loc["Hate crime", "positive_outcomes_r12"] == hate
    knife = "Knife Injury Victims (non DA 1-24)"  # the publisher gives no outcomes for it
    assert pd.isna(barnet.loc[knife, "positive_outcomes_r12"])
