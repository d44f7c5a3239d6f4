"""domain.police_uk: which months an area is covered, and zeros only where it is."""

from __future__ import annotations

import pandas as pd

from domain.police_uk import area_monthly, boroughs_covered, covered

JAN, FEB = pd.Timestamp(2024, 1, 1), pd.Timestamp(2024, 2, 1)
LOOKUP = pd.DataFrame(
    {
        "ward_code": ["W-BARNET", "W-CAMDEN", "W-CITY"],
        "lad_code": ["E09000003", "E09000007", "E09000001"],
    }
)
# the Met's January file (a Barnet burglary) and the City's January and February files (an ASB
# incident in Camden each month)
COUNTS = pd.DataFrame(
    {
        "month": [JAN, JAN, FEB],
        "lad_code": ["E09000003", "E09000007", "E09000007"],
        "ward_code": ["W-BARNET", "W-CAMDEN", "W-CAMDEN"],
        "crime_type": ["Burglary", "Anti-social behaviour", "Anti-social behaviour"],
        "force": ["metropolitan", "city-of-london", "city-of-london"],
        "count": [2, 1, 1],
    }
)
FILES = pd.DataFrame(
    {"force": ["metropolitan", "city-of-london", "city-of-london"], "month": [JAN, JAN, FEB]}
)


def test_an_area_is_covered_by_its_own_forces_files_only():
    months = covered(COUNTS, FILES, LOOKUP)
    pairs = set(zip(months["area_code"], months["month"], strict=True))
    # Barnet and Camden: the Met's January only (the City's rows in Camden do not cover it);
    # the City: both months; each ward with its authority
    assert pairs == {
        ("E09000003", JAN),
        ("E09000007", JAN),
        ("E09000001", JAN),
        ("E09000001", FEB),
        ("W-BARNET", JAN),
        ("W-CAMDEN", JAN),
        ("W-CITY", JAN),
        ("W-CITY", FEB),
    }


def test_covered_months_without_a_row_are_zero_and_rows_elsewhere_are_kept():
    monthly = area_monthly(COUNTS, covered(COUNTS, FILES, LOOKUP))
    at = monthly.set_index(["area_code", "indicator", "month"])["count"]
    assert at[("E09000003", "Burglary", JAN)] == 2
    assert at[("E09000003", "Anti-social behaviour", JAN)] == 0  # covered, none reported
    assert at[("E09000007", "Anti-social behaviour", FEB)] == 1  # kept, though not covered
    assert ("E09000007", "Burglary", FEB) not in at.index  # not covered: missing, not zero
    assert len(monthly[monthly["area_code"] == "E09000001"]) == 28  # 14 types x 2 months


def test_boroughs_covered_needs_every_month_of_the_window():
    months = covered(COUNTS, FILES, LOOKUP)
    assert boroughs_covered(months, {"E09000003", "E09000007"}, JAN) == 0  # 1 month of 12
