"""The analyst's command line: ``python -m etl load|status|history``."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from core import db
from etl import cli
from fixtures.extracts import REPO, text_file

GOOD = text_file(
    "MajorText,MinorText,BoroughName,202401,202402",
    "BURGLARY,BURGLARY IN A DWELLING,Barnet,10,11",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Brent,5,6",
)
BAD = text_file(
    "MajorText,MinorText,BoroughName,202401,202402",
    "BURGLARY,BURGLARY IN A DWELLING,Barnet,10,11",
    "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Barnet,5,1.5",
)


@pytest.fixture
def files(tmp_path):
    good, bad = tmp_path / "mps-good.csv", tmp_path / "mps-bad.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(BAD)
    return good, bad


PROBLEM_ROW = re.compile(
    r"^\s*(?P<sheet>\S*)\s+(?P<row>\d+)\s+(?P<column>\S+)\s+"
    r"(?P<kind>error|warning)\s+.*\s(?P<value>\S+)$"
)


def _problem_table(output: str) -> tuple[list[str], list[tuple]]:
    """The problem table's column names and its rows as (row, column, kind, value)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["sheet", "row"])
    rows = [PROBLEM_ROW.match(line) for line in lines[start + 1 :]]
    return lines[start].split(), [(m["row"], m["column"], m["kind"], m["value"]) for m in rows]


def test_load_as_a_separate_process_then_status_and_history(tmp_path, files, monkeypatch, capsys):
    good, bad = files
    url = f"sqlite:///{tmp_path}/cli.db"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO)}

    # one process, as the analyst types it (starting Python is the slow part)
    command = [sys.executable, "-m", "etl", "load", str(good), str(bad)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=120)

    assert run.returncode == 1, run.stderr
    loaded, rejected = run.stdout.split("mps-bad.csv: REJECTED")
    assert "mps-good.csv: LOADED" in loaded
    assert "layout detected: mps-borough-current" in loaded
    assert "layout detected: mps-borough-current" in rejected
    header, rows = _problem_table(rejected)
    assert header == ["sheet", "row", "column", "kind", "problem", "value"]
    assert rows == [("3", "202402", "error", "1.5")]

    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["status"]) == 0
    status = capsys.readouterr().out
    assert re.search(r"borough_crime\s+2\s+2024-01-01\s+2024-02-01\s+2", status)

    assert cli.main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.search(r"mps-bad\.csv\s+\S*\s*rejected", lines[1])  # newest first
    # rows read 2, figures added 4, replaced 0 (pandas prints 2.0 when the column has blanks)
    assert re.search(
        r"mps-good\.csv\s+mps-borough-current\s+loaded\s+2(\.0)?\s+4(\.0)?\s+0", lines[2]
    )
    db.dispose_engines()


def test_load_several_files_exits_1_if_any_is_rejected(use_database, files, capsys):
    good, bad = files
    assert cli.main(["load", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "mps-good.csv: LOADED" in out
    assert "mps-bad.csv: REJECTED" in out


def test_load_good_files_exits_0_and_reports_what_changed(use_database, files, capsys):
    good, _ = files
    assert cli.main(["load", str(good), "--user", "analyst"]) == 0
    out = capsys.readouterr().out
    assert "areas: 2; months: Jan 2024 to Feb 2024" in out
    assert re.search(r"rows read: 2; figures added: 4; figures replaced: 0", out)
    assert cli.main(["load", str(good)]) == 0
    assert "mps-good.csv: UNCHANGED" in capsys.readouterr().out


def test_load_missing_file_exits_1(use_database, tmp_path, capsys):
    assert cli.main(["load", str(tmp_path / "nowhere.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_status_and_history_of_an_empty_database(use_database, capsys):
    assert cli.main(["status"]) == 0
    assert "Nothing loaded yet" in capsys.readouterr().out
    assert cli.main(["history"]) == 0
    assert "No uploads yet" in capsys.readouterr().out


def test_history_lists_every_attempt_newest_first(use_database, files, capsys):
    good, bad = files
    cli.main(["load", str(good)])
    cli.main(["load", str(bad)])
    cli.main(["load", str(good)])  # unchanged: not a new upload
    capsys.readouterr()

    assert cli.main(["history"]) == 0

    body = capsys.readouterr().out.splitlines()[1:]
    assert [re.search(r"(mps-\w+\.csv)", line).group(1) for line in body] == [
        "mps-bad.csv",
        "mps-good.csv",
    ]
    assert ["rejected" in body[0], "loaded" in body[1]] == [True, True]


def test_status_lists_the_council_templates_and_police_uk(use_database, capsys):
    """A row per template dataset loaded, as its template writes its first and last period, and
    police.uk's, each with its last load. Expected periods read by eye from data/samples (SYV
    counts April 2023 to March 2024, its summary window ends March 2024; IOM 2022/23 Q3 and
    Q4; one MoJ cohort; WRAP as at 30 April 2018; reporting centres April 2022 to March 2023)
    and test_partnership_pages' two indicators (2021/22 and 2022/23; 2022/23 Q3 and Q4: the
    last is the quarter, which ends with its year but starts later)."""
    from etl.load import load_path
    from fixtures.extracts import SEED
    from test_partnership_pages import load_two
    from test_police_uk import JAN, loaded_lookups, street

    for path in sorted((SEED.parent / "samples").glob("*.xlsx")):
        if not path.name.startswith("partnership"):
            assert load_path(path, use_database, user="t").status == "loaded", path.name
    load_two(use_database)
    loaded_lookups(use_database)
    assert load_bytes_ok(use_database, "2023-01-metropolitan-street.csv", street(*JAN))
    assert cli.main(["status"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    stamp = r"\s+\d{4}-\d\d-\d\d \d\d:\d\d"
    expected = {
        "serious_youth_violence": r"2023-04-01\s+2024-03-01\s+12",
        "iom": r"2022/23 Q3\s+2022/23 Q4\s+2",
        "proven_reoffending": r"Jan 2022 to Mar 2022\s+Jan 2022 to Mar 2022\s+1",
        "wrap_training": r"2018-04-30\s+2018-04-30\s+1",
        "hate_reporting_centres": r"2022-04-01\s+2023-03-01\s+12",
        "partnership_indicators": r"2021/22\s+2022/23 Q4\s+4",
        "police_uk": r"1\s+2023-01-01\s+2023-01-01\s+1",  # JAN: Barnet only
    }
    for dataset, periods in expected.items():
        assert re.search(rf"^\s*{dataset}\s+{periods}{stamp}", lines[dataset]), lines[dataset]


def load_bytes_ok(engine, name: str, data: bytes) -> bool:
    from etl.load import load_bytes

    return load_bytes(name, data, engine, user="t").status == "loaded"
