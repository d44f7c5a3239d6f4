"""The data pages' callback answers are kept per data version, role and exempt items
(dashboard/answers.py): asking again is answered from memory, but a load, another role or a
newly exempt item is never answered from before it.

Figures are test_crime_pages' (Barnet, Feb 2025: MOPAC7 total R12 1,638).
"""

from __future__ import annotations

import json

import flask
import pytest

import app  # noqa: F401  (the app first: the pages register with it)
import webclient
from dashboard import answers, memo, targets
from dashboard.auth import exempt
from etl.load import load_bytes
from test_crime_pages import MONTHS, borough_csv, population_csv

TOTAL = "MOPAC7 total"


@pytest.fixture
def site(tmp_path, monkeypatch):
    from core import db

    url = f"sqlite:///{tmp_path}/answers.db"
    engine = db.get_engine(url)
    for name, data in [("b.csv", borough_csv()), ("p.csv", population_csv())]:
        assert load_bytes(name, data, engine, user="test").status == "loaded"
    for name, role in [("vera", "viewer"), ("max", "manager")]:
        webclient.add_user(engine, name, role)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    answers.clear()
    yield engine, webclient.the_app().server
    answers.clear()
    db.dispose_engines()


def client_of(server, name: str):
    client = server.test_client()
    webclient.sign_in(client, name)
    return client


def overview_answer(client, search: str = ""):
    """The overview as the browser asks for it (Dash Pages' router callback): the response."""
    key = webclient.output_key("_pages_content")
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": "/"},
        {"id": "_pages_location", "property": "search", "value": search},
    ]
    response = webclient.fire(client, key, inputs)
    assert response.status_code == 200
    return response


def overview(client, search: str = "") -> str:
    return overview_answer(client, search).get_data(as_text=True)


def kept(response) -> bool:
    """Whether the answer was sent as kept, not drawn (Flask-Caching's hit indication)."""
    return response.headers.get("hit_cache") == "True"


def test_the_same_question_is_answered_from_memory(site):
    _, server = site
    vera = client_of(server, "vera")
    first = overview_answer(vera)
    again = overview_answer(vera)
    assert not kept(first) and kept(again)
    assert again.get_data() == first.get_data()
    assert "1,638" in first.get_data(as_text=True)


def test_a_load_is_shown_at_the_next_request(site):
    engine, server = site
    vera = client_of(server, "vera")
    before = overview(vera)
    month = MONTHS[-1] + (MONTHS[-1] - MONTHS[-2])  # the month after the last loaded
    column = f"{month:%Y%m}"
    new_file = (
        f"MajorText,MinorText,BoroughName,{column}\nBURGLARY,BURGLARY IN A DWELLING,Barnet,7\n"
    )
    assert load_bytes("new.csv", new_file.encode(), engine, user="test").status == "loaded"
    after = overview(vera)
    assert after != before
    label = f"{month:%B %Y}"
    assert label not in before and label in after


def test_a_role_never_gets_another_roles_answer(site):
    engine, server = site
    exempt.mark(engine, "indicator", TOTAL, "max")
    assert "1,638" in overview(client_of(server, "max"))  # kept for managers
    assert "1,638" not in overview(client_of(server, "vera"))


def test_an_item_made_exempt_is_withheld_at_the_next_request(site):
    engine, server = site
    vera = client_of(server, "vera")
    assert "1,638" in overview(vera)
    exempt.mark(engine, "indicator", TOTAL, "max")
    assert "1,638" not in overview(vera)


def test_only_the_data_pages_answers_are_kept(site):
    key = webclient.output_key("_pages_content")

    def routing(path):
        inputs = [{"id": "_pages_location", "property": "pathname", "value": path}]
        return {"output": key, "inputs": inputs}

    assert answers.keepable(routing("/crime/burglary"))
    assert not answers.keepable(routing("/upload"))  # the user's own uploads
    assert not answers.keepable(routing("/history"))
    assert not answers.keepable(routing("crime/burglary"))  # no address Dash routes: not kept
    assert answers.keepable({"output": webclient.output_key("crime-summary")})
    assert answers.keepable({"output": webclient.output_key("asb-summary")})  # police.uk's ASB
    assert not answers.keepable({"output": webclient.output_key("upload-batch")})


def test_workers_share_answers_through_the_pending_folder(site, monkeypatch, tmp_path):
    from dashboard import memo

    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setattr(memo, "_shared_folder", None)
    answers.share()
    written = []
    monkeypatch.setattr(
        memo, "put", lambda key, value, put=memo.put: (written.append(key), put(key, value))
    )
    _, server = site
    vera = client_of(server, "vera")
    first = overview(vera)
    written = [key for key in written if not key.startswith("table:")]  # the tables too
    assert len(written) == 1 and any((tmp_path / "pending" / "answers").iterdir())
    # the next request (any worker) is answered from the folder, not drawn again
    marker = json.dumps({"drawn by": "another worker"})
    memo.put(written[0], flask.Response(marker, mimetype="application/json"))
    assert overview(vera) == marker != first
    monkeypatch.setattr(memo, "_shared_folder", None)


def test_the_shell_is_kept_per_session_and_data_version(site):
    engine, server = site
    vera, max_ = client_of(server, "vera"), client_of(server, "max")
    drawn = vera.get("/_dash-layout")
    first, again = drawn.get_data(as_text=True), vera.get("/_dash-layout")
    assert not kept(drawn) and kept(again) and again.get_data(as_text=True) == first
    other = max_.get("/_dash-layout").get_data(as_text=True)
    assert "max (manager)" in other and "vera (viewer)" in first and "max" not in first
    month = MONTHS[-1] + (MONTHS[-1] - MONTHS[-2])
    new_file = f"MajorText,MinorText,BoroughName,{month:%Y%m}\nROBBERY,ROBBERY,Barnet,3\n"
    assert load_bytes("new.csv", new_file.encode(), engine, user="test").status == "loaded"
    assert f"{month:%Y-%m}" not in first
    assert f"{month:%Y-%m}" in vera.get("/_dash-layout").get_data(as_text=True)


def test_a_target_or_group_set_is_shown_at_the_next_request(site):
    """Targets and groups change no figure (no new data version) but every RAG and group rank:
    an answer kept from before them is not given again."""
    engine, server = site
    vera = client_of(server, "vera")

    def shown() -> str:  # the answer as text (Dash's JSON escapes "/")
        return json.dumps(json.loads(overview(vera)), ensure_ascii=False)

    before = shown()
    assert "target: 20% below 2011/12" in before and "target: 5% below" not in before
    targets.set_target(engine, TOTAL, value=5, by="max")
    after_target = shown()
    assert "target: 5% below 2011/12" in after_target
    targets.change_group(engine, "choose", "London (32 boroughs)", by="max")
    assert shown() != after_target


def test_a_database_made_again_at_the_same_address_is_not_answered_from_the_old(site, tmp_path):
    """As the tests do: the same address and data version, other figures (Barnet's rows and
    Barking and Dagenham's swapped): the answer kept from the old database is not given."""
    from core import db
    from dashboard import cache

    engine, server = site
    assert "1,638" in overview(client_of(server, "vera"))
    version = cache.data_version(engine)
    db.dispose_engines()
    (tmp_path / "answers.db").unlink()
    engine = db.get_engine(f"sqlite:///{tmp_path}/answers.db")
    swapped = {b"Barnet": b"Barking and Dagenham", b"Barking and Dagenham": b"Barnet"}
    other = b"\n".join(
        b",".join(swapped.get(cell, cell) for cell in line.split(b","))
        for line in borough_csv().split(b"\n")
    )
    for name, data in [("b.csv", other), ("p.csv", population_csv())]:
        assert load_bytes(name, data, engine, user="test").status == "loaded"
    webclient.add_user(engine, "vera", "viewer")
    assert cache.data_version(engine) == version
    memo.forget()  # the computed tables are keyed by address too
    assert "1,638" not in overview(client_of(server, "vera"))


def test_many_kept_answers_never_push_out_a_running_jobs_owner(monkeypatch):
    """Without Redis or the production folder, the answers share the process's cache with the
    background jobs' owners: a full cache lets the oldest entries go, never all at once."""
    from dashboard import memo

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(memo, "_shared_folder", None)
    memo.shared().clear()
    for n in range(memo.LOCAL_ANSWERS // 2):
        memo.put(f"answer:old{n}", n)
    memo.put("job-owner:k", {"user": "max"})
    for n in range(memo.LOCAL_ANSWERS // 2 + 10):  # past the threshold
        memo.put(f"answer:new{n}", n)
    assert memo.get("job-owner:k") == {"user": "max"}
    assert memo.get("answer:old0") is None and memo.get("answer:new0") == 0
    memo.shared().clear()
