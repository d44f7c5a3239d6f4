"""Two servers, one PostgreSQL, one Redis, no shared folder: the production command twice (each
server its own PENDING_DIR; server A also runs the Celery worker), as a council would run two
machines behind a load balancer.

An upload previewed on one is confirmed on the other; a board pack started on one is fetched
from the other; a load on one shows on the other at its next request; answers drawn on one
serve the other, yet a viewer never gets a manager's. A small borough file keeps the servers'
start quick: Barnet has 11 burglaries and 6 robberies a month from March 2023 to February 2025,
so its MOPAC7 total R12 for February 2025 is 12 x 17 = 204.
"""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import urlencode

import pandas as pd
import pytest
import redis
import requests
from dash._utils import split_callback_id
from openpyxl import load_workbook

import pgserver
import webclient
from core import db
from dashboard import memo
from etl.load import load_bytes
from test_crime_pages import population_csv
from test_serving import (
    fire,
    output_key,
    poll,
    production_servers,
    signed_in,
    start_job,
    wait_until,
)

pytestmark = pytest.mark.postgres
TOTAL = "MOPAC7 total"
NEW_MONTH = "2025-03"  # the month after the borough file's last
NEW_FILE = b"MajorText,MinorText,BoroughName,202503\nBURGLARY,BURGLARY IN A DWELLING,Barnet,7\n"


@pytest.fixture
def deployment(pg_url, redis_url, tmp_path):
    pgserver.reset_schema(pg_url)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    engine = db.get_engine(pg_url)
    for name, data in [("b.csv", small_borough_csv()), ("p.csv", population_csv())]:
        assert load_bytes(name, data, engine, user="test").status == "loaded"
    for name, role in [("anna", "analyst"), ("max", "manager"), ("vera", "viewer")]:
        webclient.add_user(engine, name, role)
    (tmp_path / "seed").mkdir()
    env = {
        "DATABASE_URL": pg_url,
        "REDIS_URL": redis_url,
        "SEED_DIR": str(tmp_path / "seed"),
        "SECRET_KEY": "k" * 64,
        "HOME_BOROUGH": "Barnet",
    }
    yield env, engine, client
    db.dispose_engines()


def small_borough_csv() -> bytes:
    months = pd.date_range("2023-03-01", "2025-02-01", freq="MS")
    lines = ["MajorText,MinorText,BoroughName," + ",".join(f"{m:%Y%m}" for m in months)]
    for borough, (burglaries, robberies) in {"Barnet": (11, 6), "Brent": (20, 9)}.items():
        for category, count in [
            ("BURGLARY,BURGLARY IN A DWELLING", burglaries),
            ("ROBBERY,ROBBERY OF PERSONAL PROPERTY", robberies),
        ]:
            lines.append(f"{category},{borough}," + ",".join([str(count)] * len(months)))
    return ("\n".join(lines) + "\n").encode()


def overview(session: requests.Session, base: str) -> str:
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": "/"},
        {"id": "_pages_location", "property": "search", "value": ""},
    ]
    return str(fire(session, base, "_pages_content", inputs))


def answers_kept(client) -> int:
    return len(client.keys(f"{memo.PREFIX}answer:*"))


def test_two_servers_share_uploads_packs_answers_and_loads(deployment, tmp_path):
    env, engine, client = deployment
    from dashboard.auth import exempt

    exempt.mark(engine, "indicator", TOTAL, "max")  # managers see it, viewers do not
    a_env = {**env, "PENDING_DIR": str(tmp_path / "a"), "CELERY_WORKERS": "1"}
    b_env = {**env, "PENDING_DIR": str(tmp_path / "b"), "CELERY_WORKERS": "0"}
    with (
        open(tmp_path / "a.log", "wb") as log_a,
        open(tmp_path / "b.log", "wb") as log_b,
        production_servers([(a_env, 1, log_a), (b_env, 1, log_b)]) as (a, b),
    ):
        # answers: drawn on A, served by B from Redis; a viewer never gets the manager's
        vera_a, vera_b = signed_in(a, "vera"), signed_in(b, "vera")
        for base, session in ((a, vera_a), (b, vera_b)):
            assert NEW_MONTH not in session.get(f"{base}/_dash-layout", timeout=30).text
        max_a = signed_in(a, "max")
        assert "204" in overview(max_a, a)
        drawn = overview(vera_a, a)
        kept = answers_kept(client)
        assert overview(vera_b, b) == drawn and answers_kept(client) == kept  # from Redis
        assert "204" not in drawn

        # a pack started on A (built by A's Celery worker) is fetched from B
        handles, choices = start_pack(max_a, a)
        max_b = signed_in(b, "max")
        sent = wait_for_pack(max_b, b, handles, choices)["pack-download"]["data"]
        book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
        assert book.sheetnames[0] == "Indicators"

        # an upload checked on A is confirmed (so loaded) on B, and shows on both at once
        confirm_upload_across(signed_in(a, "anna"), a, b)
        for base, session in ((a, vera_a), (b, vera_b)):  # the period picker offers it
            assert NEW_MONTH in session.get(f"{base}/_dash-layout", timeout=30).text


def start_pack(session: requests.Session, base: str):
    page = session.get(f"{base}/board-pack", headers={"Accept": "text/html"}, timeout=30).text
    end_id = re.search(r'"end_id":\s*"([^"]+)"', page).group(1)
    choices = [
        {"id": "pack-quarter", "property": "value", "value": "2024/25-Q3"},
        {"id": "pack-format", "property": "value", "value": "xlsx"},
        {"id": "pack-exempt", "property": "value", "value": False},
    ]
    started = callback(session, base, {"endId": end_id}, choices)
    return {"endId": end_id, "cacheKey": started["cacheKey"], "job": started["job"]}, choices


def wait_for_pack(session: requests.Session, base: str, handles: dict, choices) -> dict:
    found = {}

    def answered() -> bool:
        found.update(callback(session, base, handles, choices))
        return "response" in found

    wait_until(answered, timeout=90)
    return found["response"]


def callback(session: requests.Session, base: str, params: dict, state) -> dict:
    key = output_key(session, base, "pack-download")
    body = {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": [{"id": "pack-build", "property": "n_clicks", "value": 1}],
        "state": state,
        "changedPropIds": [],
    }
    headers = {"X-CSRFToken": session.cookies.get("_csrf_token")}
    address = f"{base}/_dash-update-component?{urlencode(params)}"
    response = session.post(address, json=body, headers=headers, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def confirm_upload_across(session: requests.Session, a: str, b: str) -> None:
    content = "data:text/csv;base64," + base64.b64encode(NEW_FILE).decode()
    inputs = [{"id": "upload-files", "property": "contents", "value": [content]}]
    state = [{"id": "upload-files", "property": "filename", "value": ["a.csv"]}]
    tokens = fire(session, a, "upload-batch", inputs, state)["upload-batch"]["data"]
    start_job(session, a, "upload-checked", "upload-to-check", tokens)  # a Celery worker checks
    wait_until(
        lambda: fire(session, b, "upload-status", poll(tokens))["upload-confirm"]["disabled"]
        is False
    )
    clicked = [{"id": "upload-confirm", "property": "n_clicks", "value": 1}]
    batch = [{"id": "upload-batch", "property": "data", "value": tokens}]
    assert (
        fire(session, b, "upload-confirmed", clicked, batch)["upload-confirmed"]["data"] == tokens
    )
    start_job(session, b, "upload-loaded", "upload-confirmed", tokens)  # started on B, run on A's
    wait_until(lambda: "Loaded." in str(fire(session, a, "upload-status", poll(tokens))))
