"""Small SQLite sites for the page tests: a module's database of inline files loaded through the
real loader, with its users; a test pointed at it (its DATABASE_URL, Barnet as the home borough,
a local HOST); and every exempt item unmarked after the test."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Engine

import webclient

VIEWER_AND_MANAGER = {"vera": "viewer", "max": "manager"}
EVERY_ROLE = {"vera": "viewer", "anna": "analyst", "max": "manager"}


def crime_files() -> list[tuple[str, bytes]]:
    """test_crime_pages' synthetic Barnet: the borough file, populations and the ward file."""
    from test_crime_pages import borough_csv, population_csv, ward_csv

    return [("b.csv", borough_csv()), ("p.csv", population_csv()), ("w.csv", ward_csv())]


def database(
    tmp_path_factory,
    name: str,
    files: Iterable[tuple[str, bytes]],
    users: dict[str, str] = VIEWER_AND_MANAGER,
) -> str:
    """A new SQLite database with ``files`` (file name, bytes) loaded and ``users`` ({name:
    role}) added; its URL."""
    from core import db
    from etl.load import load_bytes

    url = f"sqlite:///{tmp_path_factory.mktemp(name)}/{name}.db"
    engine = db.get_engine(url)
    for filename, data in files:
        assert load_bytes(filename, data, engine, user="test").status == "loaded", filename
    for user, role in users.items():
        webclient.add_user(engine, user, role)
    return url


def point_at(monkeypatch, url: str) -> Engine:
    """The test reads ``url`` (Barnet the home borough, served on 127.0.0.1); its engine."""
    from core import db

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOME_BOROUGH", "Barnet")
    monkeypatch.setenv("HOST", "127.0.0.1")
    return db.get_engine(url)


def with_server(monkeypatch, url: str) -> Iterator[tuple[Engine, object]]:
    """For a ``site`` fixture: (engine, the app's Flask server) on ``url``; afterwards every
    exempt item is unmarked, so each test starts with none."""
    from dashboard.auth import exempt

    engine = point_at(monkeypatch, url)
    yield engine, webclient.the_app().server
    for row in exempt.items(engine).to_dict("records"):
        exempt.unmark(engine, row["kind"], row["name"])
