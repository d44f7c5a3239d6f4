"""An analyst loads MPS crime extracts of every vintage and gets the DOMAIN.md MOPAC7 figures.

Expected figures are worked out from the source file with pandas (or by hand, for the literal
numbers below, from the raw CSV with awk), never taken from the loader's own output.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import select

from core import db
from etl.formats import mps_crime
from etl.load import load_bytes, load_path
from fixtures.extracts import (
    BARNET,
    BARNET_WARD,
    BOROUGH_HISTORICAL,
    BOROUGH_PRE2019,
    BOROUGH_RECENT,
    FORMS,
    WARD_HISTORICAL,
    WARD_RECENT,
    area,
    domain_mopac7,
    encode,
    expected_mopac7,
    history,
    loaded_mopac7,
    month_columns,
    raw_seed,
)

CAFE_CATEGORY = "THEFT FROM A CAFÉ – ‘TEST’"  # é, en dash and curly quotes: all in Windows-1252
CAFE_WARD = "Barnet Vale – Café ‘Quarter’"


def _month_range(raw: pd.DataFrame) -> tuple[date, date]:
    months = sorted(month_columns(raw))
    first, last = months[0], months[-1]
    return date(int(first[:4]), int(first[4:]), 1), date(int(last[:4]), int(last[4:]), 1)


# ---------------------------------------------------------------- the real borough files


@pytest.mark.parametrize(
    ("seed", "layout", "vintage", "major", "minor", "borough"),
    [
        (
            BOROUGH_HISTORICAL,
            "mps-borough-current",
            "current",
            "MajorText",
            "MinorText",
            "BoroughName",
        ),
        (BOROUGH_RECENT, "mps-borough-current", "current", "MajorText", "MinorText", "BoroughName"),
        (
            BOROUGH_PRE2019,
            "mps-borough-pre2019",
            "pre2019",
            "Major Category",
            "Minor Category",
            "Borough",
        ),
    ],
    ids=["historical", "recent-24-months", "pre-2019"],
)
def test_real_borough_file_loads_with_barnet_mopac7_as_the_domain_table_gives(
    engine, seed, layout, vintage, major, minor, borough
):
    raw = raw_seed(seed)

    result = load_path(seed, engine)

    assert (result.status, result.layout, result.dataset) == ("loaded", layout, "borough_crime")
    assert result.errors == []
    assert (result.month_from, result.month_to) == _month_range(raw)
    assert result.areas == raw[borough].nunique()
    assert result.rows_read == len(raw)
    barnet = raw[raw[borough] == "Barnet"]
    assert_frame_equal(
        loaded_mopac7(engine, "borough_crime", BARNET),
        expected_mopac7(barnet, vintage, major, minor),
        check_names=False,
    )


@pytest.fixture(scope="module")
def borough_dbs(tmp_path_factory):
    """Two SQLite databases loaded once: the current-layout files, and the pre-2019 file."""
    folder = tmp_path_factory.mktemp("boroughs")
    engines = {}
    for name, seeds in (
        ("current", [BOROUGH_HISTORICAL, BOROUGH_RECENT]),
        ("pre2019", [BOROUGH_PRE2019]),
    ):
        engines[name] = db.make_engine(f"sqlite:///{folder}/{name}.db")
        db.metadata.create_all(engines[name])
        for seed in seeds:
            assert load_path(seed, engines[name]).status == "loaded"
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.mark.parametrize(
    ("vintage", "month", "indicator", "count"),
    [
        # worked out with awk on the raw CSV: the sum of every minor under major BURGLARY
        ("current", date(2024, 3, 1), "Burglary", 166 + 61 + 0 + 1),
        ("current", date(2011, 4, 1), "Burglary", 121 + 291),
        ("pre2019", date(2011, 4, 1), "Burglary", 291 + 123),
        # pre-2019: Assault with Injury + Wounding/GBH (Grievous Bodily Harm is 0 here)
        ("pre2019", date(2011, 4, 1), "Violence with injury", 143 + 14),
    ],
)
def test_barnet_figure_checked_by_hand(borough_dbs, vintage, month, indicator, count):
    monthly = loaded_mopac7(borough_dbs[vintage], "borough_crime", BARNET)
    assert monthly.loc[indicator, pd.Timestamp(month)] == count


def test_pre2019_grievous_bodily_harm_is_not_violence_with_injury(borough_dbs):
    # Barking and Dagenham, April 2008 (awk on the raw file): Assault with Injury 164,
    # Wounding/GBH 0, Grievous Bodily Harm 30 -> violence with injury is 164, not 194.
    monthly = loaded_mopac7(borough_dbs["pre2019"], "borough_crime", "E09000002")
    assert monthly.loc["Violence with injury", pd.Timestamp(2008, 4, 1)] == 164


@pytest.mark.parametrize(
    ("vintage", "seeds", "major", "minor"),
    [
        ("current", [BOROUGH_HISTORICAL, BOROUGH_RECENT], "MajorText", "MinorText"),
        ("pre2019", [BOROUGH_PRE2019], "Major Category", "Minor Category"),
    ],
)
def test_every_category_in_the_real_files_maps_as_the_domain_table_says(
    borough_dbs, vintage, seeds, major, minor
):
    labels = set()
    for seed in seeds:
        raw = raw_seed(seed)
        labels |= set(zip(raw[major].str.upper(), raw[minor].str.upper(), strict=True))
    with borough_dbs[vintage].connect() as conn:
        categories = conn.execute(select(db.categories)).mappings().all()

    assert {(c["major_key"], c["minor_key"]) for c in categories} == labels
    for cat in categories:
        expected = domain_mopac7(cat["major_text"], cat["minor_text"], vintage)
        assert cat["mopac7"] == expected, (cat["major_text"], cat["minor_text"])
        assert cat["known"] is True


PRE2019_INLINE = """\
Borough,Major Category,Minor Category,201501,201502
Barnet,Violence Against the Person,Assault with Injury,100,90
Barnet,Violence Against the Person,Wounding/GBH,20,10
Barnet,Violence Against the Person,Grievous Bodily Harm,5,7
Barnet,Violence Against the Person,Common Assault,300,280
Barnet,Criminal Damage,Criminal Damage To Dwelling,10,11
Barnet,Criminal Damage,Criminal Damage To Motor Vehicle,20,21
Barnet,Criminal Damage,Other Criminal Damage,3,4
Barnet,Burglary,Burglary in a Dwelling,250,240
Barnet,Burglary,Burglary in Other Buildings,60,50
Barnet,Robbery,Personal Property,70,60
Barnet,Robbery,Business Property,8,9
Barnet,Theft and Handling,Theft From M/V,180,170
Barnet,Theft and Handling,Theft/Taking of M/V,90,80
Barnet,Theft and Handling,Theft Person,40,30
Barnet,Theft and Handling,Theft From Shops,120,110
"""


PRE2019_EXPECTED = {
    # indicator: (Jan, Feb) worked out by hand from PRE2019_INLINE
    "Violence with injury": [100 + 20, 90 + 10],  # not Grievous Bodily Harm, not Common Assault
    "Criminal damage": [10 + 20 + 3, 11 + 21 + 4],
    "Burglary": [250 + 60, 240 + 50],
    "Robbery": [70 + 8, 60 + 9],
    "Theft from motor vehicle": [180, 170],
    "Theft of motor vehicle": [90, 80],
    "Theft from the person": [40, 30],
    "MOPAC7 total": [120 + 33 + 310 + 78 + 180 + 90 + 40, 100 + 36 + 290 + 69 + 170 + 80 + 30],
}


def test_pre2019_labels_map_to_mopac7(engine):
    result = load_bytes("pre2019.csv", PRE2019_INLINE.encode(), engine)
    assert (result.status, result.layout) == ("loaded", "mps-borough-pre2019")
    monthly = loaded_mopac7(engine, "borough_crime", BARNET)
    assert {k: monthly.loc[k].tolist() for k in PRE2019_EXPECTED} == PRE2019_EXPECTED


# ---------------------------------------------------------------- the real ward files


@pytest.fixture(scope="module")
def ward_db(tmp_path_factory):
    """The big ward Historical file then the recent one, loaded once for this module."""
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('wards')}/wards.db")
    db.metadata.create_all(engine)
    historical = load_path(WARD_HISTORICAL, engine)
    recent = load_path(WARD_RECENT, engine)
    yield engine, historical, recent
    engine.dispose()


def _ward_keys(raw: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(raw["WardCode"], raw["LookUp_BoroughName"], strict=True))


def test_real_ward_files_load_with_their_layouts(ward_db):
    _, historical, recent = ward_db
    hist_raw, recent_raw = raw_seed(WARD_HISTORICAL), raw_seed(WARD_RECENT)
    assert (historical.status, historical.layout) == ("loaded", "mps-ward-historical")
    assert (recent.status, recent.layout) == ("loaded", "mps-ward-recent")
    assert historical.errors == recent.errors == []
    assert (historical.month_from, historical.month_to) == _month_range(hist_raw)
    assert (recent.month_from, recent.month_to) == _month_range(recent_raw)
    assert historical.areas == len(_ward_keys(hist_raw))
    overlap = set(month_columns(hist_raw)) & set(month_columns(recent_raw))
    shared = _ward_keys(hist_raw) & _ward_keys(recent_raw)
    assert recent.area_months_replaced == len(shared) * len(overlap)


def test_ward_figures_come_from_the_newest_file_for_each_month(ward_db):
    engine, _, _ = ward_db
    hist_raw, recent_raw = raw_seed(WARD_HISTORICAL), raw_seed(WARD_RECENT)
    old = expected_mopac7(hist_raw[hist_raw["WardCode"] == BARNET_WARD], "current")
    new = expected_mopac7(recent_raw[recent_raw["WardCode"] == BARNET_WARD], "current")
    expected = pd.concat([old.loc[:, old.columns < new.columns.min()], new], axis=1)

    loaded = loaded_mopac7(engine, "ward_crime", BARNET_WARD)

    assert_frame_equal(loaded, expected, check_names=False)
    # May 2023 (awk on the raw files): the old file's RES BURGLARY OF A HOME 5 + business 1 was
    # renamed BURGLARY IN A DWELLING 5 + business 1 in the new one: 6, not 12.
    assert loaded.loc["Burglary", pd.Timestamp(2023, 5, 1)] == 6


def test_replaced_ward_figures_are_kept_in_history(ward_db):
    engine, historical, recent = ward_db
    hist_raw = raw_seed(WARD_HISTORICAL)
    overlap = [m for m in month_columns(hist_raw) if m >= "202304"]
    barnet_vale = hist_raw[hist_raw["WardCode"] == BARNET_WARD]
    long = barnet_vale.melt(id_vars=["MinorText"], value_vars=overlap, var_name="month")
    long = long[long["value"] != 0]

    kept = history(engine)
    kept = kept[kept["area_code"] == BARNET_WARD]

    assert set(kept["reason"]) == {"replaced"}
    assert set(kept["upload_id"]) == {historical.upload_id}
    assert set(kept["replaced_by"]) == {recent.upload_id}
    got = sorted(
        zip(kept["minor"], kept["month"].str[:7].str.replace("-", ""), kept["count"], strict=True)
    )
    want = sorted(zip(long["MinorText"], long["month"], long["value"], strict=True))
    assert got == want


@pytest.mark.parametrize(
    ("code", "area_type", "parent"),
    [
        (BARNET_WARD, "ward", BARNET),
        ("E05013651", "ward", BARNET),  # Woodhouse, the last of Barnet's 24
        ("E05013570", "ward", "E09000017"),  # Heathrow Villages under Hillingdon
        ("MPS-SO18:E05013570", "other", "MPS-SO18"),  # the same ward under Aviation Security
        ("MPS-SO18", "other", None),
    ],
)
def test_ward_areas_and_non_borough_groups(ward_db, code, area_type, parent):
    engine, _, _ = ward_db
    row = area(engine, code)
    assert (row["area_type"], row["parent_code"]) == (area_type, parent)
    assert row["is_london_borough"] is False


def test_barnet_has_its_24_wards(ward_db):
    engine, _, _ = ward_db
    with engine.connect() as conn:
        codes = conn.execute(
            select(db.areas.c.code).where(db.areas.c.parent_code == BARNET)
        ).scalars()
        assert sorted(codes) == [f"E05013{n}" for n in range(628, 652)]


# ---------------------------------------------------------------- every layout in every encoding


def _borough_slice(seed, area_col: str, major: str, cafe_major: str) -> pd.DataFrame:
    raw = raw_seed(seed)
    barnet = raw[raw[area_col] == "Barnet"].copy()
    extra = barnet.iloc[[0]].copy()
    extra[major] = cafe_major
    extra[[c for c in barnet.columns if "Minor" in c][0]] = CAFE_CATEGORY
    extra[month_columns(barnet)] = 1
    return pd.concat([barnet, extra], ignore_index=True).copy()


def _ward_slice(seed) -> pd.DataFrame:
    raw = raw_seed(seed)
    ward = raw[raw["WardCode"] == BARNET_WARD].copy()
    ward["WardName"] = CAFE_WARD
    return ward


def _title_case_2019() -> pd.DataFrame:
    rows = [
        ("Arson and Criminal Damage", "Arson", "Barnet", 4, 5, 6),
        ("Arson and Criminal Damage", "Criminal Damage", "Barnet", 150, 160, 170),
        ("Burglary", "Burglary - Residential", "Barnet", 200, 210, 220),
        ("Burglary", "Burglary - Business and Community", "Barnet", 50, 40, 30),
        ("Robbery", "Robbery of Personal Property", "Barnet", 70, 80, 90),
        ("Robbery", "Robbery of Business Property", "Barnet", 9, 8, 7),
        ("Theft", "Theft from Person", "Barnet", 60, 61, 62),
        ("Theft", "Shoplifting", "Barnet", 120, 125, 130),
        ("Theft", CAFE_CATEGORY, "Barnet", 1, 1, 1),
        ("Vehicle Offences", "Theft from a Motor Vehicle", "Barnet", 180, 190, 200),
        ("Vehicle Offences", "Theft or Taking of a Motor Vehicle", "Barnet", 100, 110, 120),
        ("Vehicle Offences", "Interfering with a Motor Vehicle", "Barnet", 30, 30, 30),
        ("Violence Against the Person", "Violence with Injury", "Barnet", 190, 195, 200),
        ("Violence Against the Person", "Violence without Injury", "Barnet", 400, 410, 420),
        ("Burglary", "Burglary - Residential", "Brent", 300, 310, 320),
    ]
    return pd.DataFrame(
        rows,
        columns=["MajorText", "MinorText", "LookUp_BoroughName", "201901", "201902", "201903"],
    )


SLICES = {
    # name: (build, layout, dataset, area code, vintage, major, minor)
    "borough-historical": (
        lambda: _borough_slice(BOROUGH_HISTORICAL, "BoroughName", "MajorText", "THEFT"),
        "mps-borough-current",
        "borough_crime",
        BARNET,
        "current",
        "MajorText",
        "MinorText",
    ),
    "borough-recent": (
        lambda: _borough_slice(BOROUGH_RECENT, "BoroughName", "MajorText", "THEFT"),
        "mps-borough-current",
        "borough_crime",
        BARNET,
        "current",
        "MajorText",
        "MinorText",
    ),
    "borough-pre2019": (
        lambda: _borough_slice(BOROUGH_PRE2019, "Borough", "Major Category", "Theft and Handling"),
        "mps-borough-pre2019",
        "borough_crime",
        BARNET,
        "pre2019",
        "Major Category",
        "Minor Category",
    ),
    "borough-2019-title-case": (
        _title_case_2019,
        "mps-borough-2019",
        "borough_crime",
        BARNET,
        "current",
        "MajorText",
        "MinorText",
    ),
    "ward-historical": (
        lambda: _ward_slice(WARD_HISTORICAL),
        "mps-ward-historical",
        "ward_crime",
        BARNET_WARD,
        "current",
        "MajorText",
        "MinorText",
    ),
    "ward-recent": (
        lambda: _ward_slice(WARD_RECENT),
        "mps-ward-recent",
        "ward_crime",
        BARNET_WARD,
        "current",
        "MajorText",
        "MinorText",
    ),
}


def _check_layout_slice(engine, slice_name: str, form: str) -> None:
    build, layout, dataset, code, vintage, major, minor = SLICES[slice_name]
    frame = build()
    filename, data = encode(frame, form, stem=slice_name)

    result = load_bytes(filename, data, engine)

    assert (result.status, result.layout, result.dataset) == ("loaded", layout, dataset)
    assert (result.month_from, result.month_to) == _month_range(frame)
    area_col = (
        "WardCode" if dataset == "ward_crime" else frame.columns[2 if major == "MajorText" else 0]
    )
    mine = frame[frame[area_col].isin([code, "Barnet"])]
    assert_frame_equal(
        loaded_mopac7(engine, dataset, code),
        expected_mopac7(mine, vintage, major, minor),
        check_names=False,
    )
    if dataset == "ward_crime":
        assert area(engine, code)["name"] == CAFE_WARD
        assert result.warnings == []
    else:
        with engine.connect() as conn:
            labels = set(conn.execute(select(db.categories.c.minor_text)).scalars())
        assert CAFE_CATEGORY in labels
        assert [(p.code, p.value) for p in result.warnings] == [("unknown-category", CAFE_CATEGORY)]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("slice_name", list(SLICES))
def test_each_layout_loads_in_each_encoding_and_as_xlsx(sqlite_engine, slice_name, form):
    _check_layout_slice(sqlite_engine, slice_name, form)


@pytest.mark.parametrize("slice_name", list(SLICES))
def test_each_layout_loads_on_both_databases(engine, slice_name):
    _check_layout_slice(engine, slice_name, "utf-8")


TITLE_CASE_EXPECTED = {
    # indicator: (Jan, Mar 2019) worked out by hand from _title_case_2019
    "Burglary": [200 + 50, 220 + 30],
    "Criminal damage": [150, 170],  # Arson is not criminal damage
    "Robbery": [70 + 9, 90 + 7],
    "Theft from motor vehicle": [180, 200],
    "Theft of motor vehicle": [100, 120],
    "Theft from the person": [60, 62],
    "Violence with injury": [190, 200],
    "MOPAC7 total": [250 + 150 + 79 + 180 + 100 + 60 + 190, 250 + 170 + 97 + 200 + 120 + 62 + 200],
}


def test_2019_title_case_labels_by_hand(sqlite_engine):
    filename, data = encode(_title_case_2019(), "utf-8", stem="mps-2019")
    load_bytes(filename, data, sqlite_engine)
    monthly = loaded_mopac7(sqlite_engine, "borough_crime", BARNET)
    jan_mar = [pd.Timestamp(2019, 1, 1), pd.Timestamp(2019, 3, 1)]
    assert {k: monthly.loc[k, jan_mar].tolist() for k in TITLE_CASE_EXPECTED} == (
        TITLE_CASE_EXPECTED
    )


@pytest.mark.parametrize(
    ("lines", "layout", "code"),
    [
        (
            [
                "WardName,WardCode,MajorText,MinorText,LookUp_BoroughName,202401,Refreshed Date",
                "Barnet Vale,E05013628,BURGLARY,BURGLARY IN A DWELLING,Barnet,7,05/02/2025",
            ],
            "mps-ward-historical",
            BARNET_WARD,
        ),
        (
            [
                "MajorText,MinorText,BoroughName,202401,Refreshed Date",
                "BURGLARY,BURGLARY IN A DWELLING,Barnet,7,05/02/2025",
            ],
            "mps-borough-current",
            BARNET,
        ),
    ],
)
def test_publishers_refreshed_date_column_is_accepted(sqlite_engine, lines, layout, code):
    result = load_bytes("mps.csv", "\r\n".join(lines).encode(), sqlite_engine)
    assert (result.status, result.layout, result.problems) == ("loaded", layout, [])
    dataset = "ward_crime" if code == BARNET_WARD else "borough_crime"
    assert loaded_mopac7(sqlite_engine, dataset, code).loc["Burglary"].tolist() == [7]


# ---------------------------------------------------------------- layout detection


@pytest.mark.parametrize(
    ("header", "layout", "missing"),
    [
        ("MajorText,MinorText,BoroughName,202401", "mps-borough-current", 0),
        ("majortext,minortext,boroughname,202401", "mps-borough-current", 0),
        ("MajorText,MinorText,LookUp_BoroughName,201901", "mps-borough-2019", 0),
        ("Borough,Major Category,Minor Category,200801", "mps-borough-pre2019", 0),
        (
            "WardName,WardCode,MajorText,MinorText,LookUp_BoroughName,201004",
            "mps-ward-historical",
            0,
        ),
        ("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202304", "mps-ward-recent", 0),
        ("MajorText,BoroughName,202401", "mps-borough-current", 1),
        ("Name,Value,202401", None, 0),
    ],
)
def test_detect_layout(header, layout, missing):
    found, count = mps_crime.detect_layout(header.split(","))
    assert (found.name if found else None, count) == (layout, missing)
