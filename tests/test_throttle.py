"""The sign-in throttle kept in the database: every process counts the same failures, on SQLite
and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import db
from dashboard.auth import throttle

ADDRESS = "192.0.2.7"


@pytest.fixture
def clock(monkeypatch):
    now = [datetime(2025, 3, 1, 9, 0)]
    monkeypatch.setattr(db, "utc_now", lambda: now[0])
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "3")
    monkeypatch.setenv("LOGIN_LOCKOUT_SECONDS", "60")
    return now


@pytest.fixture
def two_processes(engine):
    """Two engines on one database, each with its own connections: like two workers."""
    other = db.make_engine(engine.url.render_as_string(hide_password=False))
    yield engine, other
    other.dispose()


def test_failures_in_one_process_lock_the_name_out_in_another(two_processes, clock):
    first, second = two_processes
    for _ in range(2):
        throttle.failed(first, ADDRESS, "Anna")
    throttle.failed(second, ADDRESS, "anna")
    assert throttle.wait(second, ADDRESS, "anna") == pytest.approx(60)
    assert throttle.wait(first, ADDRESS, "ANNA ") == pytest.approx(60)
    assert throttle.wait(first, "192.0.2.8", "anna") == 0  # another address
    assert throttle.wait(first, ADDRESS, "max") == 0  # another name (3 < 4 x 3)
    clock[0] += timedelta(seconds=45)
    assert throttle.wait(second, ADDRESS, "anna") == pytest.approx(15)
    clock[0] += timedelta(seconds=16)
    assert throttle.wait(second, ADDRESS, "anna") == 0


def test_an_address_trying_many_names_is_locked_out(two_processes, clock):
    first, second = two_processes
    for number in range(12):  # four times the limit, each name under it
        throttle.failed((first, second)[number % 2], ADDRESS, f"user{number}")
    assert throttle.wait(first, ADDRESS, "someone-new") > 0
    assert throttle.wait(first, "192.0.2.8", "someone-new") == 0


def test_signing_in_clears_the_names_failures_but_not_the_addresses(engine, clock):
    for number in range(11):
        throttle.failed(engine, ADDRESS, "anna" if number < 2 else f"user{number}")
    throttle.succeeded(engine, ADDRESS, "anna")
    assert throttle.wait(engine, ADDRESS, "anna") == 0
    throttle.failed(engine, ADDRESS, "anna")  # the twelfth failure from this address
    assert throttle.wait(engine, ADDRESS, "anna") > 0


def test_old_failures_are_deleted_as_new_ones_arrive(engine, clock):
    throttle.failed(engine, ADDRESS, "anna")
    clock[0] += timedelta(seconds=61)
    throttle.failed(engine, "192.0.2.8", "max")
    with engine.connect() as conn:
        rows = conn.execute(select(db.login_failures.c.address, func.count()).group_by("address"))
        assert dict(rows.all()) == {"192.0.2.8": 2}  # the name's row and the address's row


def test_simultaneous_wrong_passwords_check_at_most_the_limit(use_database, monkeypatch, tmp_path):
    """Thirty wrong passwords for one name at once (each password check slow, like scrypt): the
    count and the noting of each attempt are one locked step, so only the limit are checked."""
    import webclient
    from dashboard.auth import signin

    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5")
    webclient.add_user(use_database, "anna", "analyst")
    server = webclient.the_app().server
    checked, lock = [], threading.Lock()
    real_check = signin.check_password_hash

    def slow_check(stored, given):
        with lock:
            checked.append(given)
        time.sleep(0.2)
        return real_check(stored, given)

    monkeypatch.setattr(signin, "check_password_hash", slow_check)
    clients = [server.test_client() for _ in range(30)]
    tokens = [webclient.form_token(c) for c in clients]
    start = threading.Barrier(len(clients))
    answers = []

    def guess(client, token):
        start.wait()
        form = {"username": "anna", "password": "wrong", "csrf_token": token, "next": "/"}
        answers.append(client.post("/login", data=form).status_code)

    threads = [
        threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 5
    assert sorted(answers) == [401] * 5 + [429] * 25


def test_colleagues_signing_in_at_once_from_one_address_are_not_locked_out(
    use_database, monkeypatch, tmp_path
):
    """Twenty-five board members sign in at the same moment from the council's one address
    (the address may have four times the limit of failures): every one gets in."""
    import webclient
    from dashboard.auth import signin

    monkeypatch.setenv("PENDING_DIR", str(tmp_path / "pending"))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5")
    names = [f"member{i}" for i in range(25)]
    for name in names:
        webclient.add_user(use_database, name, "viewer")
    server = webclient.the_app().server
    real_check = signin.check_password_hash

    def slow_check(stored, given):
        time.sleep(0.2)  # each check overlaps the others, like scrypt under load
        return real_check(stored, given)

    monkeypatch.setattr(signin, "check_password_hash", slow_check)
    clients = [server.test_client() for _ in names]
    tokens = [webclient.form_token(c) for c in clients]
    start = threading.Barrier(len(clients))
    answers = []

    def sign_in(client, token, name):
        start.wait()
        form = {"username": name, "password": webclient.PASSWORD, "csrf_token": token, "next": "/"}
        answers.append(client.post("/login", data=form).status_code)

    threads = [
        threading.Thread(target=sign_in, args=t) for t in zip(clients, tokens, names, strict=False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [302] * 25
