"""``python -m dashboard report|users|exempt``: help for every command, and the old paths
(``python -m dashboard.report``, ``.users``, ``.exempt``) running the same commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard import cli
from etl.load import load_bytes
from fixtures.extracts import REPO
from test_load import FILE_A

COMMANDS = {
    "report": ["indicators"],
    "users": ["add", "passwd", "role", "disable", "enable", "list"],
    "exempt": ["add", "remove", "list"],
}
OLD_PATHS = ["dashboard.report", "dashboard.users", "dashboard.exempt"]


def python_m(*argv: str, url: str | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """``python -m ARGV`` as someone types it, in its own process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if url:
        env["DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )


def help_text(capsys, main, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.fixture
def url(sqlite_engine) -> str:
    return sqlite_engine.url.render_as_string(hide_password=False)


# ---------------------------------------------------------------- help


def test_python_m_dashboard_help_names_every_group():
    done = python_m("dashboard", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m dashboard ")
    for group in COMMANDS:
        assert group in done.stdout


def test_a_group_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2
    assert "required" in capsys.readouterr().err


@pytest.mark.parametrize("group", COMMANDS)
def test_each_group_has_help_naming_its_commands(capsys, group):
    out = help_text(capsys, cli.main, [group, "--help"])
    assert out.startswith(f"usage: python -m dashboard {group} ")
    for command in COMMANDS[group]:
        assert command in out


@pytest.mark.parametrize(
    ("group", "command"), [(g, c) for g, commands in COMMANDS.items() for c in commands]
)
def test_each_command_has_help(capsys, group, command):
    out = help_text(capsys, cli.main, [group, command, "--help"])
    assert out.startswith(f"usage: python -m dashboard {group} {command} ")


@pytest.mark.parametrize("group", COMMANDS)
def test_the_old_paths_have_their_own_help(capsys, group):
    out = help_text(capsys, getattr(cli, f"{group}_main"), ["--help"])
    assert out.startswith(f"usage: python -m dashboard.{group} ")
    for command in COMMANDS[group]:
        assert command in out


# ---------------------------------------------------------------- the old paths still run


def test_old_and_new_users_commands_do_the_same(url):
    added = python_m("dashboard.users", "add", "anna", "--role", "analyst", url=url, stdin="x" * 12)
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added anna (analyst: can upload data).\n"
    again = python_m(
        "dashboard", "users", "add", "anna", "--role", "viewer", url=url, stdin="y" * 12
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    old, new = (
        python_m("dashboard.users", "list", url=url),
        python_m("dashboard", "users", "list", url=url),
    )
    assert old.returncode == new.returncode == 0, old.stderr + new.stderr
    assert old.stdout == new.stdout and old.stdout.startswith("anna ")


def test_old_and_new_exempt_commands_do_the_same(url):
    marked = python_m("dashboard.exempt", "add", "indicator", "Robbery", "--user", "max", url=url)
    assert marked.returncode == 0, marked.stderr
    assert "only managers see it" in marked.stdout
    old, new = (
        python_m("dashboard.exempt", "list", url=url),
        python_m("dashboard", "exempt", "list", url=url),
    )
    assert old.returncode == new.returncode == 0, old.stderr + new.stderr
    assert old.stdout == new.stdout and "Robbery" in old.stdout
    removed = python_m("dashboard", "exempt", "remove", "indicator", "Robbery", url=url)
    assert removed.returncode == 0 and "is visible again" in removed.stdout


def test_old_and_new_report_commands_write_the_same_csv(sqlite_engine, url):
    empty = python_m("dashboard.report", "indicators", "--month", "2024-03", url=url)
    assert empty.returncode == 1 and "python -m etl load" in empty.stderr
    load_bytes("a.csv", FILE_A, sqlite_engine)
    old = python_m("dashboard.report", "indicators", "--month", "2024-03", url=url)
    new = python_m("dashboard", "report", "indicators", "--month", "2024-03", url=url)
    assert old.returncode == new.returncode == 0, old.stderr + new.stderr
    assert old.stdout == new.stdout and old.stdout.startswith("area_code,")
    bad = python_m("dashboard.report", "indicators", "--month", "2024", url=url)
    assert bad.returncode == 2 and "--month must be a month written YYYY-MM" in bad.stderr


def test_nothing_imports_the_old_paths():
    import webclient

    webclient.the_app()
    assert not set(OLD_PATHS) & set(sys.modules)
