"""``python -m dashboard users``: passwords from standard input only, hashed; roles; disabling."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from werkzeug.security import check_password_hash

from core import queries
from dashboard import cli
from dashboard.auth import users

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def store(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    return sqlite_engine


def run(store, monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.users_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_reads_the_password_from_standard_input_and_hashes_it(store):
    env = {**os.environ, "DATABASE_URL": store.url.render_as_string(hide_password=False)}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "add", "anna", "--role", "analyst"],
        input="a long enough secret\n",
        text=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    row = queries.user_row(store, "anna")
    assert row.role == "analyst" and not row.disabled
    assert row.password_hash.startswith("scrypt:")
    assert "a long enough secret" not in row.password_hash
    assert check_password_hash(row.password_hash, "a long enough secret")


def test_a_password_on_the_command_line_is_refused(store, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        cli.users_main(["add", "anna", "--role", "analyst", "--password", "a long enough secret"])
    assert queries.user_row(store, "anna") is None


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (["add", "anna", "--role", "analyst"], "short\n", "at least 10"),
        (["add", "anna", "--role", "analyst"], "", "No password"),
        (["add", "an na", "--role", "analyst"], "a long enough secret\n", "no spaces"),
        (["passwd", "nobody"], "a long enough secret\n", "no user called"),
        (["disable", "nobody"], "", "no user called"),
    ],
)
def test_refusals_change_nothing(store, monkeypatch, capsys, argv, stdin, says):
    code, _, err = run(store, monkeypatch, capsys, *argv, stdin=stdin)
    assert code == 1 and says in err
    assert queries.user_list(store) == []


def test_unknown_roles_are_refused(store, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        run(store, monkeypatch, capsys, "add", "anna", "--role", "admin", stdin="x" * 12)
    with pytest.raises(users.UserError):
        users.add_user(store, "anna", "a long enough secret", "admin")


def test_passwd_disable_enable_role_and_list(store, monkeypatch, capsys):
    assert (
        run(
            store,
            monkeypatch,
            capsys,
            "add",
            "max",
            "--role",
            "manager",
            stdin="first long secret\n",
        )[0]
        == 0
    )
    assert (
        run(
            store,
            monkeypatch,
            capsys,
            "add",
            "max",
            "--role",
            "viewer",
            stdin="first long secret\n",
        )[0]
        == 1
    )
    before = queries.user_row(store, "max").password_hash
    assert run(store, monkeypatch, capsys, "passwd", "max", stdin="second long secret\n")[0] == 0
    after = queries.user_row(store, "max").password_hash
    assert before != after and check_password_hash(after, "second long secret")
    assert run(store, monkeypatch, capsys, "disable", "max")[0] == 0
    assert queries.user_row(store, "max").disabled
    code, out, _ = run(store, monkeypatch, capsys, "list")
    assert code == 0 and "max" in out and "disabled" in out and "secret" not in out
    assert run(store, monkeypatch, capsys, "enable", "max")[0] == 0
    assert run(store, monkeypatch, capsys, "role", "max", "analyst")[0] == 0
    row = queries.user_row(store, "max")
    assert (row.role, row.disabled) == ("analyst", False)


def test_list_with_no_users_says_the_dashboard_is_local(store, monkeypatch, capsys):
    code, out, _ = run(store, monkeypatch, capsys, "list")
    assert code == 0 and "No users yet" in out
