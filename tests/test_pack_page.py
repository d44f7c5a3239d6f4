"""The Board pack page over HTTP, as the browser drives its Dash background callback: a manager
starts a build, polls its progress and gets the file; no one else can fetch it with the job's
handles; viewers and analysts are refused (the guard answers 403 before the callback runs); a
build whose process dies says so in words."""

from __future__ import annotations

import base64
import io
import json
import re
import time
from urllib.parse import urlencode

import flask
import pytest
from dash import html
from openpyxl import load_workbook
from pypdf import PdfReader

import webclient
from dashboard.auth.roles import User
from etl.load import load_path
from fixtures.extracts import BOROUGH_RECENT, ONS_POPULATION
from layout_tree import find
from layout_tree import text as layout_text

BUILD = "pack-download"


@pytest.fixture
def served(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    for path in (BOROUGH_RECENT, ONS_POPULATION):
        assert load_path(path, sqlite_engine, user="test").status == "loaded"
    for name, role in (
        ("max", "manager"),
        ("meg", "manager"),
        ("anna", "analyst"),
        ("vic", "viewer"),
    ):
        webclient.add_user(sqlite_engine, name, role)
    return sqlite_engine


def signed_in(name: str):
    client = webclient.the_app().server.test_client()
    assert webclient.sign_in(client, name).status_code == 302
    return client


def page_load(client) -> str:
    """The page load's signed end_id (Dash binds a background job's handles to it)."""
    page = client.get("/board-pack", headers={"Accept": "text/html"}).get_data(as_text=True)
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))["end_id"]


def request(client, handles: dict, quarter="2024/25-Q3", fmt="xlsx", with_exempt=False):
    """The build callback's request, as the browser sends it (with the job's handles to poll)."""
    inputs = [{"id": "pack-build", "property": "n_clicks", "value": 1}]
    state = [
        {"id": "pack-quarter", "property": "value", "value": quarter},
        {"id": "pack-format", "property": "value", "value": fmt},
        {"id": "pack-exempt", "property": "value", "value": with_exempt},
    ]
    body = webclient.callback_body(webclient.output_key(BUILD), inputs, state)
    headers = {"X-CSRFToken": webclient.csrf(client)}
    return client.post("/_dash-update-component?" + urlencode(handles), json=body, headers=headers)


def start(client, **choices) -> dict:
    end_id = page_load(client)
    response = request(client, {"endId": end_id}, **choices)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"endId": end_id, **{k: response.json[k] for k in ("cacheKey", "job")}}


def finished(client, handles: dict, **choices) -> dict:
    """Poll as the browser does until the job answers; its outputs."""
    deadline = time.monotonic() + 120
    while True:
        answer = request(client, handles, **choices).json
        if "response" in answer:
            return answer["response"]
        assert "Building" in json.dumps(answer.get("progress", {"": "Building"}))
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_a_manager_builds_the_pack_and_downloads_it(served):
    client = signed_in("max")
    handles = start(client)
    # another manager cannot fetch it with the job's handles, nor end it
    other = finished(signed_in("meg"), handles)
    assert "pack-download" not in other
    assert other["pack-status"]["children"] == "That pack is not available."
    answer = finished(client, handles)
    sent = answer["pack-download"]["data"]
    assert sent["filename"] == "board-pack-2024-25-Q3.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert book.sheetnames[:2] == ["Indicators", "Neighbourhood crime"]


def test_a_build_whose_process_dies_says_so(served):
    import os
    import signal

    client = signed_in("max")
    handles = start(client, fmt="pdf")
    os.kill(int(handles["job"].split("~")[0]), signal.SIGKILL)
    answer = finished(client, handles, fmt="pdf")
    assert "the server building it stopped" in answer["pack-status"]["children"]
    assert "pack-download" not in answer


def cancel(client, handles: dict):
    """Cancel as the browser sends it: Dash's own callback on the button, given the job, and the
    page's callback saying so (both fire on the click)."""
    click = [{"id": "pack-cancel", "property": "n_clicks", "value": 1}]
    headers = {"X-CSRFToken": webclient.csrf(client)}
    params = urlencode({"endId": handles["endId"], "cancelJob": handles["job"]})
    ended = client.post(
        f"/_dash-update-component?{params}",
        json=webclient.callback_body("pack-cancel.id", click, []),
        headers=headers,
    )
    assert ended.status_code in (200, 204), ended.get_data(as_text=True)
    (said,) = [k for k in webclient.callback_map() if k.startswith("pack-status.children@")]
    return webclient.fire(client, said, click, []).json["response"]["pack-status"]["children"]


def running(processes, timeout: float = 10) -> list:
    """Those of ``processes`` still running after ``timeout`` (ended: gone, or a zombie whose
    parent has not read its end yet)."""
    import psutil

    deadline = time.monotonic() + timeout
    while True:
        left = []
        for process in processes:
            try:
                if process.status() != psutil.STATUS_ZOMBIE:
                    left.append(process)
            except psutil.NoSuchProcess:
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def test_a_cancelled_build_ends_its_process_and_its_chromium_and_says_so(served):
    import psutil

    client = signed_in("max")
    handles = start(client, fmt="pdf")
    job = psutil.Process(int(handles["job"].split("~")[0]))
    deadline = time.monotonic() + 90
    while True:  # cancelled while Chromium draws the charts
        chromium = [p for p in job.children(recursive=True) if "chrom" in p.name().lower()]
        if chromium:
            break
        assert job.is_running() and job.status() != psutil.STATUS_ZOMBIE, "ended before drawing"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    said = cancel(client, handles)
    assert not running([job, *chromium]), "the job or its Chromium is still running"
    assert said == "Cancelled: no pack was built. Build it again when you are ready."
    answer = finished(client, handles, fmt="pdf")  # a poll after the cancel gets no pack
    assert "pack-download" not in answer
    assert "it was cancelled" in answer["pack-status"]["children"]


@pytest.mark.parametrize("name", ["vic", "anna"])
def test_viewers_and_analysts_are_refused(served, name):
    client = signed_in(name)
    assert request(client, {"endId": page_load(client)}).status_code == 403


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_others_see_the_published_packs_and_no_build(served, role):
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("someone", role)
        shown = layout_text(pack.layout())
    assert "Published packs" in shown and "No pack has been published yet." in shown
    assert "Build the pack" not in shown and "Publish" not in shown.replace("Published", "")


def test_the_page_shows_each_datasets_period_before_the_build(served):
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("max", "manager")
        table = layout_text(html.Table(pack.show_periods("2024/25-Q4")))
    # borough crime (the recent file) runs to February 2025: March is named as not loaded
    assert (
        "Neighbourhood crime 12 months to February 2025 \u2014 the MPS borough file for March "
        "2025 was not loaded" in " ".join(table.split())
    )
    assert (
        "Hate crime left out because no figures for this quarter or before it are loaded"
        in " ".join(table.split())
    )


def publish_request(client, handles: dict, order: str):
    """The background publishing callback's request, as the browser sends it once the Publish
    button's callback has put the signed order in its Store."""
    inputs = [{"id": "pack-publish-order", "property": "data", "value": order}]
    body = webclient.callback_body(webclient.output_key("pack-published"), inputs, [])
    headers = {"X-CSRFToken": webclient.csrf(client)}
    return client.post("/_dash-update-component?" + urlencode(handles), json=body, headers=headers)


def published_now(client, order: str | None = None) -> dict:
    """Press Publish (unless ``order`` is given), then poll the background job as the browser
    does until it answers; its outputs."""
    if order is None:
        fired = webclient.fire(
            client,
            webclient.output_key("pack-publish-order"),
            [{"id": "pack-publish", "property": "n_clicks", "value": 1}],
            [
                {"id": "pack-quarter", "property": "value", "value": "2024/25-Q3"},
                {"id": "pack-exempt", "property": "value", "value": False},
            ],
        )
        assert fired.status_code == 200, fired.get_data(as_text=True)
        answer = fired.json["response"]
        assert "appears in the list below" in answer["pack-publish-status"]["children"]
        order = answer["pack-publish-order"]["data"]
    end_id = page_load(client)
    started = publish_request(client, {"endId": end_id}, order)
    assert started.status_code == 200, started.get_data(as_text=True)
    handles = {"endId": end_id, **{k: started.json[k] for k in ("cacheKey", "job")}}
    deadline = time.monotonic() + 240
    while True:
        answer = publish_request(client, handles, order).json
        if "response" in answer:
            return answer["response"]
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_an_order_to_publish_the_server_did_not_sign_publishes_nothing(served):
    from core import queries

    shown = published_now(signed_in("max"), order="forged")
    assert "The pack could not be built" in json.dumps(shown)
    assert queries.published_list(served).empty


def test_a_published_pack_is_downloaded_by_a_viewer_and_part_2_only_by_a_manager(served):
    from core import published, queries

    manager = signed_in("max")
    shown = published_now(manager)  # the list the page shows once the job is done: no reload
    assert "Published: version 1 is in the list below." in json.dumps(shown)
    rows = shown["pack-published"]["children"]["props"]["children"][2]["props"]["children"]
    assert len(rows) == 1 and "2024/25-Q3" in json.dumps(rows[0]) and "max" in json.dumps(rows)
    public = queries.published_list(served).iloc[0]
    assert (public["quarter"], public["version"], public["published_by"]) == (
        "2024/25-Q3",
        1,
        "max",
    )
    part2 = published.publish(served, "2024/25-Q3", True, "max", b"%PDF part 2", b"PK part 2")
    again = published.publish(served, "2024/25-Q3", False, "meg", b"%PDF v2", b"PK v2")
    assert (part2, again) == (1, 2)  # republished: a new version, the first kept
    ids = queries.published_list(served).set_index(["exempt", "version"])["id"]
    viewer = signed_in("vic")
    first = viewer.get(f"/board-pack/published/{ids[(False, 1)]}.pdf")
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/pdf"
    assert "Summary at a glance" in PdfReader(io.BytesIO(first.data)).pages[2].extract_text()
    book = viewer.get(f"/board-pack/published/{ids[(False, 1)]}.xlsx")
    assert load_workbook(io.BytesIO(book.data)).sheetnames[0] == "Indicators"
    assert viewer.get(f"/board-pack/published/{ids[(False, 2)]}.pdf").data == b"%PDF v2"
    assert viewer.get(f"/board-pack/published/{ids[(True, 1)]}.pdf").status_code == 404
    assert manager.get(f"/board-pack/published/{ids[(True, 1)]}.pdf").data == b"%PDF part 2"
    assert webclient.the_app().server.test_client().get(
        f"/board-pack/published/{ids[(False, 1)]}.pdf"
    ).status_code in (302, 401)  # not signed in
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("vic", "viewer")
        listed = pack.layout()
    rows = find(listed, "pack-published-table").children[2].children
    assert [layout_text(r).split()[0:2] for r in rows] == [["2024/25-Q3", "2"], ["2024/25-Q3", "1"]]
    assert "Part 2" not in layout_text(listed)


def test_the_targets_page_is_readable_by_every_role_without_forms(served):
    server = webclient.the_app().server
    from dashboard.pages import targets

    with server.test_request_context("/targets"):
        flask.g.auth_user = User("vic", "viewer")
        page = targets.layout()
    shown = layout_text(page)
    assert "needs the manager role" not in shown
    assert "No targets set: the MOPAC7 types" in shown and "Comparator groups" in shown
    assert find(page, "targets-set") is None and find(page, "targets-indicator") is None


def test_the_page_offers_the_complete_quarters_newest_first(served):
    from dashboard.pages import pack

    with webclient.the_app().server.test_request_context("/board-pack"):
        flask.g.auth_user = User("max", "manager")
        page = pack.layout()
    picker = find(page, "pack-quarter")
    # borough crime runs to February 2025: the latest complete quarter ends in December 2024
    assert picker.value == "2024/25-Q3"
    assert [o["value"] for o in picker.options[:2]] == ["2024/25-Q3", "2024/25-Q2"]
