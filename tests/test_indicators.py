"""The indicators export a board report is built from, checked against the raw MPS and ONS files.

``python -m dashboard report indicators --month 2025-02`` over the real borough files, the ONS
populations and the recent ward file; every expected figure is recomputed here from the raw
CSVs with pandas and the DOMAIN.md definitions.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from core import db
from dashboard import cli
from domain import crime
from domain.indicators import poisson_p_values
from etl.load import load_bytes, load_path
from fixtures.extracts import (
    BARNET,
    BARNET_WARD,
    BOROUGH_HISTORICAL,
    BOROUGH_RECENT,
    MOPAC7,
    ONS_POPULATION,
    TOTAL,
    WARD_RECENT,
    expected_mopac7,
    ons_population,
    raw_seed,
)

EXPORT_COLUMNS = [
    "area_code",
    "area_name",
    "area_type",
    "indicator",
    "month",
    "r12",
    "p12",
    "baseline",
    "change_vs_baseline_pct",
    "change_vs_previous_pct",
    "population",
    "population_year",
    "rate_per_1000",
    "london_rank",
    "ward_rank",
    "p_value",
    "significant",
    "rag",
    "rate_per_10000",
    "value",
    "period",
    "target",
    "target_kind",
    "target_value",
    "target_direction",
    "target_from",
    "group_name",
    "group_size",
    "group_rank",
    "positive_outcomes_r12",
    "positive_outcome_rate_pct",
    "illustrative",
]
INDICATORS = [*MOPAC7, TOTAL]
R12 = [f"{m:%Y%m}" for m in pd.date_range("2024-03-01", "2025-02-01", freq="MS")]
P12 = [f"{m:%Y%m}" for m in pd.date_range("2023-03-01", "2024-02-01", freq="MS")]
FY2011 = [f"{m:%Y%m}" for m in pd.date_range("2011-04-01", "2012-03-01", freq="MS")]
BOROUGH_CODES = {f"E09{n:06d}" for n in range(2, 34)}  # the 32 boroughs, not the City


def _run_report(url: str, month: str, out) -> int:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        return cli.report_main(["indicators", "--month", month, "--out", str(out)])


def _read_export(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"area_code": str, "month": str})


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> pd.DataFrame:
    """The export to February 2025 of a database holding the real files (loaded once)."""
    folder = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{folder}/report.db"
    engine = db.make_engine(url)
    db.metadata.create_all(engine)
    for path in (BOROUGH_HISTORICAL, BOROUGH_RECENT, ONS_POPULATION, WARD_RECENT):
        assert load_path(path, engine).status == "loaded"
    engine.dispose()
    assert _run_report(url, "2025-02", folder / "indicators.csv") == 0
    yield _read_export(folder / "indicators.csv")
    db.dispose_engines()


def _borough_sums(seed, months: list[str]) -> pd.DataFrame:
    """indicator x borough name: the sum over ``months`` of the DOMAIN MOPAC7 categories."""
    raw = raw_seed(seed)
    return pd.DataFrame(
        {
            name: expected_mopac7(rows, "current")[pd.to_datetime(months, format="%Y%m")].sum(
                axis=1
            )
            for name, rows in raw.groupby("BoroughName")
        }
    )


@pytest.fixture(scope="module")
def independent() -> dict[str, pd.DataFrame]:
    return {
        "r12": _borough_sums(BOROUGH_RECENT, R12),
        "p12": _borough_sums(BOROUGH_RECENT, P12),
        "baseline": _borough_sums(BOROUGH_HISTORICAL, FY2011),
    }


def _borough_code(name: str) -> str:
    from core.reference import LONDON_AUTHORITIES

    return {n: c for c, n in LONDON_AUTHORITIES.items()}[name]


def test_export_has_exactly_these_columns(export):
    assert list(export.columns) == EXPORT_COLUMNS
    assert set(export["month"]) == {"2025-02"}


def _one_dp(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize("indicator", INDICATORS)
def test_barnet_row_matches_the_raw_files(export, independent, indicator):
    row = export[(export["area_code"] == BARNET) & (export["indicator"] == indicator)]
    assert len(row) == 1
    row = row.iloc[0]
    r12 = int(independent["r12"].loc[indicator, "Barnet"])
    p12 = int(independent["p12"].loc[indicator, "Barnet"])
    baseline = int(independent["baseline"].loc[indicator, "Barnet"])
    population = int(ons_population()[(BARNET, 2024)])

    assert (row["r12"], row["p12"], row["baseline"]) == (r12, p12, baseline)
    assert (row["population"], row["population_year"]) == (population, 2024)
    assert row["rate_per_1000"] == pytest.approx(round(r12 / population * 1000, 4), abs=1e-9)
    assert row["change_vs_baseline_pct"] == _one_dp(Decimal(r12 - baseline) / baseline * 100)
    assert row["change_vs_previous_pct"] == _one_dp(Decimal(r12 - p12) / p12 * 100)
    p_value = binomtest(r12, r12 + p12, 0.5).pvalue
    assert row["p_value"] == pytest.approx(min(1.0, p_value), rel=1e-9)
    assert bool(row["significant"]) == bool(p_value < 0.05)
    target = Decimal(baseline) * Decimal("0.8")
    rag = "Green" if r12 <= target else "Amber" if r12 < baseline else "Red"
    assert row["rag"] == rag


def test_barnet_burglary_by_hand(export):
    # the numbers the board sees for burglary, checked once more as plain figures
    raw = raw_seed(BOROUGH_RECENT)
    barnet = raw[(raw["BoroughName"] == "Barnet") & (raw["MajorText"] == "BURGLARY")]
    old = raw_seed(BOROUGH_HISTORICAL)
    old = old[(old["BoroughName"] == "Barnet") & (old["MajorText"] == "BURGLARY")]
    row = export[(export["area_code"] == BARNET) & (export["indicator"] == "Burglary")].iloc[0]
    assert row["r12"] == barnet[R12].to_numpy().sum()
    assert row["baseline"] == old[FY2011].to_numpy().sum()
    assert row["population"] == 405_050  # SOURCES.md: Barnet mid-2024


@pytest.mark.parametrize("indicator", INDICATORS)
def test_london_rank_is_the_rate_order_among_the_32_boroughs(export, independent, indicator):
    r12 = independent["r12"].loc[indicator]
    pops = ons_population()
    rates = {
        _borough_code(name): count / pops[(_borough_code(name), 2024)] * 1000
        for name, count in r12.items()
        if name not in ("Unknown", "London Heathrow and London City Airports")
    }
    assert set(rates) == BOROUGH_CODES
    # 1 = lowest rate; ties share the better rank
    expected = {
        code: 1 + sum(other < rate for other in rates.values()) for code, rate in rates.items()
    }

    rows = export[(export["indicator"] == indicator) & (export["area_type"] == "borough")]

    assert dict(zip(rows["area_code"], rows["london_rank"].astype(int), strict=True)) == expected


def test_non_borough_rows_never_get_a_london_rank(export):
    other = export[export["area_type"] == "other"]
    # the borough file's own; the ward file's (Heathrow's SO18 team) is no home ward
    assert set(other["area_code"]) == {"MPS-UNKNOWN", "MPS-AIRPORTS"}
    assert other["london_rank"].isna().all()
    assert other["ward_rank"].isna().all()
    ranked = export[export["london_rank"].notna()]
    assert set(ranked["area_code"]) == BOROUGH_CODES
    assert ranked["london_rank"].between(1, 32).all()


def test_barnet_wards_have_rows_and_ward_ranks(export):
    raw = raw_seed(WARD_RECENT)
    raw = raw[raw["LookUp_BoroughName"] == "Barnet"]
    r12 = {
        code: expected_mopac7(rows, "current")[pd.to_datetime(R12, format="%Y%m")].sum(axis=1)
        for code, rows in raw.groupby("WardCode")
    }
    assert len(r12) == 24

    wards = export[export["area_code"].isin(r12) & (export["indicator"] == "Burglary")]
    # the ward file covers London; the export (and the pack's Indicators sheet) the home wards
    assert set(export.loc[export["area_type"] == "ward", "area_code"]) == set(r12)

    assert set(wards["area_type"]) == {"ward"}
    got = dict(zip(wards["area_code"], wards["r12"].astype(int), strict=True))
    assert got == {code: int(sums["Burglary"]) for code, sums in r12.items()}
    # no ward populations loaded: wards rank by count, 1 = lowest, ties share the better rank
    counts = list(got.values())
    expected_rank = {code: 1 + sum(c < n for c in counts) for code, n in got.items()}
    assert dict(zip(wards["area_code"], wards["ward_rank"].astype(int), strict=True)) == (
        expected_rank
    )
    assert wards["london_rank"].isna().all()
    # March 2023 is not in the recent ward file, so the previous 12 months are not available
    assert wards["p12"].isna().all()
    assert wards.loc[wards["area_code"] == BARNET_WARD, "r12"].notna().all()


REAL_WINDOWS = [
    # (month, R12 available, P12 available) with only the Historical file (Apr 2010-Feb 2023)
    ("2023-02", True, True),  # the file's last month
    ("2023-06", False, True),  # Mar-Jun 2023 are not loaded: no R12, never a smaller sum
    ("2011-02", False, False),  # the file starts in April 2010: two months short
]


def test_window_with_a_missing_month_has_no_value(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string())
    load_path(BOROUGH_HISTORICAL, sqlite_engine)
    for month, r12_available, p12_available in REAL_WINDOWS:
        out = tmp_path / f"indicators-{month}.csv"
        assert cli.report_main(["indicators", "--month", month, "--out", str(out)]) == 0
        boroughs = _read_export(out).query("area_type == 'borough'")
        assert len(boroughs) == 32 * 9  # the seven types, the MOPAC7 total, overall crime
        assert boroughs["r12"].notna().all() == r12_available, month
        assert boroughs["r12"].isna().all() == (not r12_available), month
        assert boroughs["p12"].notna().all() == p12_available, month
        assert boroughs["p12"].isna().all() == (not p12_available), month
        assert boroughs["london_rank"].isna().all()  # no population loaded: no rates to rank


GAP_MONTHS = [
    m for m in pd.date_range("2023-01-01", "2024-12-01", freq="MS") if m != pd.Timestamp(2024, 6, 1)
]
GAP_FILE = "\r\n".join(
    [
        "MajorText,MinorText,BoroughName," + ",".join(f"{m:%Y%m}" for m in GAP_MONTHS),
        "BURGLARY,BURGLARY IN A DWELLING,Barnet," + ",".join("2" for _ in GAP_MONTHS),
    ]
).encode()
GAP_WINDOWS = [
    # (month, Barnet burglary R12): 2 a month, June 2024 missing from the file
    ("2023-12", 24),
    ("2024-05", 24),
    ("2024-06", None),
    ("2024-12", None),
    ("2023-11", None),  # December 2022 was never loaded
]


def test_window_over_a_gap_in_a_file_has_no_value(use_database, tmp_path):
    assert load_bytes("gap.csv", GAP_FILE, use_database).status == "loaded"
    got = []
    for month, _ in GAP_WINDOWS:
        out = tmp_path / f"indicators-{month}.csv"
        assert cli.report_main(["indicators", "--month", month, "--out", str(out)]) == 0
        table = _read_export(out)
        r12 = table.query("area_code == @BARNET and indicator == 'Burglary'")["r12"].iloc[0]
        got.append((month, None if pd.isna(r12) else int(r12)))
    assert got == GAP_WINDOWS


def test_report_on_an_empty_database_exits_1(use_database, tmp_path, capsys):
    assert (
        cli.report_main(["indicators", "--month", "2025-02", "--out", str(tmp_path / "x.csv")]) == 1
    )
    assert "python -m etl load" in capsys.readouterr().err


@pytest.mark.parametrize("month", ["2025-13", "202502", "2025", "25-02", "Feb 2025"])
def test_report_rejects_a_month_not_written_yyyy_mm(sqlite_engine, monkeypatch, month):
    # '2025' would otherwise be read as January 2025 and '25-02' as February 2001
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string())
    with pytest.raises(SystemExit) as exit_info:
        cli.report_main(["indicators", "--month", month])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (0, 0),
        (5, 0),
        (0, 5),
        (1, 0),
        (10, 10),
        (11, 10),
        (30, 10),
        (166, 165),
        (1019, 758),
        (2446, 2402),
        (12135, 11569),
        (None, 5),
        (5, None),
    ],
)
def test_vectorised_p_values_equal_the_scalar_test(a, b):
    vector = poisson_p_values(pd.Series([a], dtype="Int64"), pd.Series([b], dtype="Int64"))
    scalar = crime.poisson_p_value(a, b)
    if scalar is None:
        assert vector == [None]
    else:
        assert vector[0] == pytest.approx(scalar, rel=1e-9, abs=1e-15)


def test_vectorised_p_values_on_a_whole_column():
    a = pd.Series([0, 5, 10, 30, 166, 1019, pd.NA], dtype="Int64")
    b = pd.Series([0, 0, 10, 10, 165, 758, 3], dtype="Int64")
    expected = [
        crime.poisson_p_value(x, y) if x is not pd.NA else None for x, y in zip(a, b, strict=True)
    ]
    got = poisson_p_values(a, b)
    assert got[-1] is None
    np.testing.assert_allclose(got[:-1], expected[:-1], rtol=1e-9)


def test_barnet_overall_crime_is_every_row_of_the_raw_file(export):
    # DOMAIN.md "Overall crime": every offence, all major and minor categories summed
    recent, old = raw_seed(BOROUGH_RECENT), raw_seed(BOROUGH_HISTORICAL)
    barnet, old_barnet = (
        recent[recent["BoroughName"] == "Barnet"],
        old[old["BoroughName"] == "Barnet"],
    )
    row = export[(export["area_code"] == BARNET) & (export["indicator"] == "Overall crime")]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["r12"] == barnet[R12].to_numpy().sum()
    assert row["p12"] == barnet[P12].to_numpy().sum()
    assert row["baseline"] == old_barnet[FY2011].to_numpy().sum()
    assert pd.isna(row["rag"]) and pd.isna(row["target"])  # no target unless one is set
    assert 1 <= row["london_rank"] <= 32
