"""The upload page over HTTP as an analyst: drop, preview, confirm, the report download (safe to
open in Excel), templates; and the exports helper on its own."""

from __future__ import annotations

import base64
import io
import os
import time
from urllib.parse import urlencode

import pandas as pd
import pytest

import webclient
from core import queries
from dashboard import pending
from dashboard.reports import exports
from etl.load import load_bytes
from fixtures.extracts import (
    CAMDEN,
    CAMDEN_BOUNDARIES,
    boundary_wards,
    current_counts,
    ward_crime_file,
)
from test_load import FILE_A
from test_pack_page import running
from test_police_uk import JAN, loaded_lookups, street, zip_of

RECEIVE, SHOW = "upload-batch", "upload-status"
JOBS_DONE = ("checked", "loaded", "cancelled")


@pytest.fixture
def analyst(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    webclient.add_user(sqlite_engine, "anna", "analyst")
    client = webclient.the_app().server.test_client()
    assert webclient.sign_in(client, "anna").status_code == 302
    return client, sqlite_engine


def drop(client, files: dict[str, bytes]) -> list[str]:
    """Drop the files, then start the check job with the ones to check, as the page does."""
    contents = [data_url(d) for d in files.values()]
    inputs = [{"id": "upload-files", "property": "contents", "value": contents}]
    state = [{"id": "upload-files", "property": "filename", "value": list(files)}]
    response = webclient.fire(client, webclient.output_key(RECEIVE), inputs, state)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.json["response"]
    if "upload-to-check" in answer:
        start_job(client, "upload-checked", "upload-to-check", answer["upload-to-check"]["data"])
    return answer["upload-batch"]["data"]


def data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def start_job(client, output: str, store: str, tokens: list[str]) -> dict:
    """Start the page's background callback (check or load) with these tokens, as the browser
    does when the store changes; its handles (the job runs in a process of its own)."""
    inputs = [{"id": store, "property": "data", "value": tokens}]
    response = webclient.fire(client, webclient.output_key(output), inputs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def cancel(client, handles: dict, tokens: list[str]) -> list[str]:
    """Click Cancel as the browser does: Dash's own callback on the button ends the job it is
    given; the page's marks the files cancelled (the ones it marked)."""
    click = [{"id": "upload-cancel", "property": "n_clicks", "value": 1}]
    ended = client.post(
        "/_dash-update-component?" + urlencode({"cancelJob": handles["job"]}),
        json=webclient.callback_body("upload-cancel.id", click, []),
        headers={"X-CSRFToken": webclient.csrf(client)},
    )
    assert ended.status_code in (200, 204), ended.get_data(as_text=True)
    state = [{"id": "upload-batch", "property": "data", "value": tokens}]
    answer = webclient.fire(client, webclient.output_key("upload-cancelled"), click, state)
    return answer.json["response"]["upload-cancelled"]["data"]


def job_process(handles: dict):
    import psutil

    return psutil.Process(int(handles["job"].split("~")[0]))


def confirm(client, tokens: list[str]) -> list[str]:
    """Click Confirm, then start the load job with the files it claimed, as the page does."""
    inputs = [{"id": "upload-confirm", "property": "n_clicks", "value": 1}]
    state = [{"id": "upload-batch", "property": "data", "value": tokens}]
    response = webclient.fire(client, webclient.output_key("upload-confirmed"), inputs, state)
    assert response.status_code == 200, response.get_data(as_text=True)
    claimed = response.json["response"]["upload-confirmed"]["data"]
    start_job(client, "upload-loaded", "upload-confirmed", claimed)
    return claimed


def settle(tokens: list[str], user: str = "anna", timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        records = [pending.meta(t, user) for t in tokens]
        if not any(r["state"] in ("checking", "loading") for r in records):
            return records
        assert time.monotonic() < deadline, records
        time.sleep(0.05)


def show(client, tokens, confirmed=()) -> dict:
    inputs = [
        {"id": "upload-poll", "property": "n_intervals", "value": 1},
        {"id": "upload-batch", "property": "data", "value": tokens},
        {"id": "upload-confirmed", "property": "data", "value": list(confirmed)},
        *({"id": f"upload-{n}", "property": "data", "value": []} for n in JOBS_DONE),
    ]
    response = webclient.fire(client, webclient.output_key(SHOW), inputs)
    assert response.status_code == 200
    return response.json["response"]


def test_drop_preview_confirm_load(analyst):
    client, engine = analyst
    bad = b'MajorText,MinorText,BoroughName,202401\nBURGLARY,X,=HYPERLINK("x"),3\n'
    tokens = drop(client, {"a.csv": FILE_A, "bad.csv": bad})
    good, rejected = settle(tokens)
    assert (good["state"], rejected["state"]) == ("ready", "rejected")
    assert current_counts(engine, "borough_crime") == {}
    shown = show(client, tokens)
    assert shown["upload-confirm"]["disabled"] is False
    assert shown["upload-report"]["disabled"] is False

    assert confirm(client, tokens) == [tokens[0]]
    loaded, still_rejected = settle(tokens)
    assert (loaded["state"], still_rejected["state"]) == ("loaded", "rejected")
    assert loaded["result"]["upload_id"] and current_counts(engine, "borough_crime")
    log = webclient_log(engine)
    assert [(r.filename, r.status, r.uploaded_by) for r in log] == [
        ("bad.csv", "rejected", "anna"),
        ("a.csv", "loaded", "anna"),
    ]


def webclient_log(engine):
    from sqlalchemy import select

    from core import db

    with engine.connect() as conn:
        return conn.execute(select(db.uploads).order_by(db.uploads.c.id)).all()


def test_the_report_download_cannot_run_formulas(analyst):
    client, _ = analyst
    bad = b'MajorText,MinorText,BoroughName,202401\nBURGLARY,X,=HYPERLINK("x"),3\n'
    tokens = drop(client, {"bad.csv": bad})
    settle(tokens)
    inputs = [{"id": "upload-report", "property": "n_clicks", "value": 1}]
    state = [{"id": "upload-batch", "property": "data", "value": tokens}]
    response = webclient.fire(client, webclient.output_key("upload-report-download"), inputs, state)
    content = response.json["response"]["upload-report-download"]["data"]["content"]
    assert "'=HYPERLINK" in content and ",=HYPERLINK" not in content


def test_a_file_over_the_limit_is_refused_without_being_kept(analyst, monkeypatch):
    client, _ = analyst
    monkeypatch.setenv("MAX_UPLOAD_MB", "0.0001")
    (token,) = drop(client, {"a.csv": FILE_A})
    record = pending.meta(token, "anna")
    assert record["state"] == "refused"
    assert [p["code"] for p in record["problems"]] == ["file-too-large"]
    with pytest.raises(pending.NotYours):
        pending.data(token)  # nothing of it kept


def test_files_past_the_drops_total_are_refused(analyst, monkeypatch):
    client, _ = analyst
    monkeypatch.setenv("MAX_DROP_UNCOMPRESSED_MB", str(1.5 * len(FILE_A) / 2**20))
    records = settle(drop(client, {"a.csv": FILE_A, "b.csv": FILE_A}))
    assert [r["state"] for r in records] == ["ready", "refused"]
    assert [p["code"] for p in records[1]["problems"]] == ["drop-too-large"]


def test_another_analysts_tokens_show_nothing(analyst, sqlite_engine):
    client, engine = analyst
    tokens = drop(client, {"a.csv": FILE_A})
    settle(tokens)
    webclient.add_user(engine, "bob", "analyst")
    other = webclient.the_app().server.test_client()
    webclient.sign_in(other, "bob")
    assert show(other, tokens)["upload-status"]["children"] == []


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("Barnet", "Barnet"),
        (-2, -2),
        (None, None),
    ],
)
def test_exported_cells_are_neutralised(value, safe):
    assert exports.neutralise(value) == safe


def test_csv_and_xlsx_exports_keep_numbers_and_neutralise_text():
    frame = pd.DataFrame({"Area": ["=cmd|'/c calc'!A1", "Barnet"], "Count": [-3, 4]})
    text = exports.csv_text(frame)
    assert "'=cmd" in text and "-3" in text and "'-3" not in text
    book = pd.read_excel(io.BytesIO(exports.xlsx_bytes(frame)), engine="openpyxl")
    assert book["Area"].tolist()[0].startswith("'=") and book["Count"].tolist() == [-3, 4]


def test_a_confirm_reaching_two_workers_at_once_loads_the_file_once(analyst):
    """Two workers may both read "ready" before either writes "loading": one of them claims it;
    two load jobs given it (a request sent twice) load it once."""
    client, engine = analyst
    (token,) = drop(client, {"a.csv": FILE_A})
    assert settle([token])[0]["state"] == "ready"
    inputs = [{"id": "upload-confirm", "property": "n_clicks", "value": 1}]
    state = [{"id": "upload-batch", "property": "data", "value": [token]}]
    key = webclient.output_key("upload-confirmed")
    first = webclient.fire(client, key, inputs, state).json["response"]
    pending.update(token, state="ready")  # as the second worker read it, a moment earlier
    second = webclient.fire(client, key, inputs, state)
    assert first["upload-confirmed"]["data"] == [token]
    assert "upload-confirmed" not in second.json["response"]  # no load job for it
    pending.update(token, state="loading")  # as the first confirm left it
    for _ in range(2):
        start_job(client, "upload-loaded", "upload-confirmed", [token])
    (loaded,) = settle([token])
    time.sleep(1)  # a second load would have ended by now: "unchanged", or a busy database
    assert pending.meta(token, "anna")["state"] == loaded["state"] == "loaded"
    assert [r.status for r in webclient_log(engine)] == ["loaded"]


# Barnet, Feb and Mar 2024 (test_preview): held 45 (file A), file B 50; Brent 43 -> 47.
@pytest.mark.parametrize(
    ("kind", "name", "shown"),
    [
        ("dataset", "borough_crime", False),
        ("indicator", "Burglary", False),  # in both areas' totals
        ("indicator", "Violence with injury", True),  # in neither file nor held: not in them
    ],
)
def test_an_analysts_preview_shows_no_figures_that_include_an_exempt_item(
    analyst, kind, name, shown
):
    from dashboard.auth import exempt
    from etl.load import load_bytes
    from test_load import FILE_B

    client, engine = analyst
    load_bytes("a.csv", FILE_A, engine)
    exempt.mark(engine, kind, name, "max")
    webclient.add_user(engine, "max", "manager")
    manager = webclient.the_app().server.test_client()
    webclient.sign_in(manager, "max")
    for who, user, sees in [(client, "anna", shown), (manager, "max", True)]:
        tokens = drop(who, {"b.csv": FILE_B})
        assert [r["state"] for r in settle(tokens, user)] == ["ready"]
        text = str(show(who, tokens)["upload-status"]["children"])
        assert ("45 → 50" in text and "43 → 47" in text) is sees, (user, text)
        assert ("with different figures" in text) is sees, user
        assert ("not shown (exempt)" in text) is not sees, user


def test_ward_boundaries_go_through_the_upload_page(analyst):
    """GeoJSON is dropped, previewed and confirmed like any file."""
    client, engine = analyst
    wards = boundary_wards(CAMDEN_BOUNDARIES)
    assert load_bytes("wards.csv", ward_crime_file(wards, "Camden"), engine).status == "loaded"
    tokens = drop(client, {"camden.geojson": CAMDEN_BOUNDARIES.read_bytes()})
    (ready,) = settle(tokens)
    assert ready["state"] == "ready", ready
    assert confirm(client, tokens) == tokens
    (loaded,) = settle(tokens)
    assert loaded["state"] == "loaded", loaded
    assert set(queries.ward_boundaries(engine, CAMDEN)["code"]) == set(wards)


def test_a_police_uk_zip_goes_through_the_upload_page(analyst):
    """The custom download's zip is dropped, previewed (per force) and confirmed."""
    client, engine = analyst
    loaded_lookups(engine)
    data = zip_of({"2023-01/2023-01-metropolitan-street.csv": street(*JAN)})
    tokens = drop(client, {"download.zip": data})
    (ready,) = settle(tokens)
    assert ready["state"] == "ready", ready
    assert "Street-level crime and ASB (police.uk)" in str(show(client, tokens))
    assert confirm(client, tokens) == tokens
    (loaded,) = settle(tokens)
    assert loaded["state"] == "loaded", loaded
    assert len(queries.police_uk.held_files(engine)) == 1


def wait_for(path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.05)


def test_a_job_starts_from_the_job_server_not_from_the_web_process(analyst):
    """A job forked from the web process would inherit any lock another of its threads held at
    that moment (SQLite's own, while the warm-up or another request queries), held for ever:
    the job hung, its upload "checking" for good."""
    import psutil

    client, engine = analyst
    contents = [{"id": "upload-files", "property": "contents", "value": [data_url(FILE_A)]}]
    names = [{"id": "upload-files", "property": "filename", "value": ["a.csv"]}]
    answer = webclient.fire(client, webclient.output_key(RECEIVE), contents, names).json
    tokens = answer["response"]["upload-batch"]["data"]
    with engine.connect() as held:  # the job cannot finish while the database is held
        held.exec_driver_sql("BEGIN EXCLUSIVE")
        job = job_process(start_job(client, "upload-checked", "upload-to-check", tokens))
        parent = psutil.Process(job.ppid())
        held.exec_driver_sql("COMMIT")
    assert parent.pid != os.getpid() and "forkserver" in " ".join(parent.cmdline())
    (ready,) = settle(tokens)
    assert ready["state"] == "ready", ready


def test_a_load_cancelled_mid_transaction_ends_its_job_and_changes_nothing(
    analyst, monkeypatch, tmp_path, forked_jobs
):
    from core import db

    client, engine = analyst
    (token,) = drop(client, {"a.csv": FILE_A})
    assert settle([token])[0]["state"] == "ready"
    written = tmp_path / "half-written"

    def stopping(original):  # the job's process writes its first figures, then waits there
        def insert(conn, table, *args):
            original(conn, table, *args)
            written.touch()
            time.sleep(60)

        return insert

    for name in ("bulk_insert", "bulk_insert_columns"):
        monkeypatch.setattr(db, name, stopping(getattr(db, name)))
    inputs = [{"id": "upload-confirm", "property": "n_clicks", "value": 1}]
    state = [{"id": "upload-batch", "property": "data", "value": [token]}]
    webclient.fire(client, webclient.output_key("upload-confirmed"), inputs, state)
    handles = start_job(client, "upload-loaded", "upload-confirmed", [token])
    job = job_process(handles)
    wait_for(written)  # mid-transaction: figures written, not committed
    assert cancel(client, handles, [token]) == [token]
    assert not running([job])  # the job's process has ended
    record = pending.meta(token, "anna")
    assert record["state"] == "cancelled"
    assert record["error"] == "You cancelled loading this file, so nothing changed."
    assert current_counts(engine, "borough_crime") == {} and webclient_log(engine) == []
    assert "Cancelled." in str(show(client, [token])["upload-status"]["children"])


def test_a_check_cancelled_midway_says_so_and_keeps_nothing(
    analyst, monkeypatch, tmp_path, forked_jobs
):
    import etl.preview

    client, engine = analyst
    started = tmp_path / "checking"

    def slow(*_args, **_kwargs):
        started.touch()
        time.sleep(60)

    monkeypatch.setattr(etl.preview, "preview_bytes", slow)
    inputs = [{"id": "upload-files", "property": "contents", "value": [data_url(FILE_A)]}]
    state = [{"id": "upload-files", "property": "filename", "value": ["a.csv"]}]
    answer = webclient.fire(client, webclient.output_key(RECEIVE), inputs, state).json["response"]
    tokens = answer["upload-batch"]["data"]
    handles = start_job(client, "upload-checked", "upload-to-check", tokens)
    job = job_process(handles)
    wait_for(started)
    assert cancel(client, handles, tokens) == tokens
    assert not running([job])
    (record,) = [pending.meta(t, "anna") for t in tokens]
    assert (record["state"], record["error"]) == ("cancelled", pending.CANCELLED["checking"])
    assert "Drop it again" in record["error"] and webclient_log(engine) == []
    with pytest.raises(pending.NotYours):
        pending.data(tokens[0])  # the file is not kept
    assert cancel(client, handles, tokens) == []  # nothing left to cancel


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("no-worker", "No worker was running, so this file was not checked and nothing changed."),
        ("stopped", "The server stopped while this file was being checked, so nothing changed."),
    ],
)
def test_a_job_found_dead_or_without_a_worker_leaves_its_files_saying_so(analyst, reason, words):
    """A job on a Celery worker of another machine that died (no heartbeat) or never started (no
    worker): its files say so as soon as the page's poll learns it, not after STALE_SECONDS."""
    import flask

    from dashboard import upload_jobs
    from dashboard.auth.roles import User

    mine, theirs = pending.save("anna", "a.csv", FILE_A), pending.save("bob", "b.csv", FILE_A)
    error = Exception(f"An error occurred inside a background callback: JobError:{reason}\n")
    body = {"inputs": [{"id": "upload-to-check", "property": "data", "value": [mine, theirs]}]}
    server = webclient.the_app().server
    with server.test_request_context("/_dash-update-component", method="POST", json=body):
        flask.g.auth_user = User("anna", "analyst")
        upload_jobs.stopped(error)
    record = pending.meta(mine, "anna")
    assert record["state"] == "failed" and record["error"].startswith(words), record["error"]
    assert pending.meta(theirs, "bob")["state"] == "checking"  # another's: left alone
