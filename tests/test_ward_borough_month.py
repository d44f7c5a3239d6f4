"""The ward page when the ward file ends a month after the borough file (as the real MPS files
do): the borough's change is compared at the latest month both have, and its heading says which.
Figures are test_crime_pages' (Hendon burglary; Barnet's burglary change at February 2025 is
-12.5%, worked by hand there)."""

from __future__ import annotations

import pandas as pd
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
from dashboard.pages import ward
from etl.load import load_bytes
from test_crime_pages import _ward_count, borough_csv, population_csv, ward_csv

MARCH = pd.Timestamp(2025, 3, 1)


def ward_csv_to_march() -> bytes:
    """test_crime_pages' ward file with March 2025 added (the borough file ends in February)."""
    lines = ward_csv().decode().splitlines()
    rows = [lines[0] + ",202503"]
    for line in lines[1:]:
        code = line.split(",")[3]
        rows.append(f"{line},{_ward_count(code, MARCH)}")
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    from core import db

    url = f"sqlite:///{tmp_path}/apart.db"
    engine = db.get_engine(url)
    for name, data in [("b.csv", borough_csv()), ("p.csv", population_csv())]:
        assert load_bytes(name, data, engine, user="test").status == "loaded"
    assert load_bytes("w.csv", ward_csv_to_march(), engine, user="test").status == "loaded"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    yield url
    db.dispose_engines()


def test_borough_change_is_at_the_latest_month_both_files_have(loaded):
    summary, figures, *_ = ward.update(None, "E05013643", "burglary")
    assert "in the 12 months to March 2025" in summary  # the ward's own latest month
    assert "Borough: change on previous 12 months (to February 2025)" in figures
    burglary = figures.split('<th scope="row">Burglary</th>')[1].split("</tr>")[0]
    assert burglary.endswith("<td>−12.5%</td>")  # was "not available"
