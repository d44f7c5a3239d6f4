"""The data history's log: the months a quarterly upload covers, the file's own name and the
layout's name in words."""

from __future__ import annotations

import gzip

import pandas as pd

from core import queries
from dashboard.ui import history
from etl.formats import layout_names
from etl.load import load_bytes
from layout_tree import text

IOM = b"Quarter,Cohort size\n2022/23 Q3,101\n2022/23 Q4,105\n"


def test_quarters_end_with_their_last_month(sqlite_engine):
    """2022/23 Q3 to Q4 is October 2022 to March 2023 (was 'Oct 2022 to Jan 2023')."""
    assert load_bytes("iom.csv", IOM, sqlite_engine).status == "loaded"
    log = queries.upload_log(sqlite_engine)
    row = log.iloc[0]
    assert pd.Timestamp(row["month_from"]) == pd.Timestamp(2022, 10, 1)
    assert pd.Timestamp(row["month_to"]) == pd.Timestamp(2023, 3, 1)
    shown = text(history.log_table(log, False, layout_names()))
    assert "Oct 2022 to Mar 2023" in shown


def test_the_log_names_the_file_and_its_layout_as_the_upload_page_does(sqlite_engine):
    """Was 'iom.csv' for iom.csv.gz, and the code 'council-iom' for the layout."""
    assert load_bytes("iom.csv.gz", gzip.compress(IOM), sqlite_engine).status == "loaded"
    log = queries.upload_log(sqlite_engine)
    assert log.iloc[0]["filename"] == "iom.csv.gz"
    shown = text(history.log_table(log, False, layout_names()))
    assert "IOM template" in shown and "council-iom" not in shown
