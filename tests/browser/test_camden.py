"""Any home borough end to end: the whole app with HOME_BOROUGH=Camden, seeded as a first run
would (every borough's borough rows, Camden's ward rows), then Camden's ward boundaries loaded as
an analyst would. Overview, crime, the wards map (all 20 wards drawn), a ward and hate crime's
wards speak of Camden and its wards, never of Barnet, and never of "0 wards".

The seed's MPS dashboard ward file is Barnet's teams only, so hate crime's ward rows for Camden
come from a small file in that layout: Barnet's rows for twenty of its wards, given Camden's
ward codes and names (the figures are not the point; the names are).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import harness
import pytest
from test_wards import DRAWN_WARD, ward_shapes

from fixtures.extracts import CAMDEN_BOUNDARIES, boundary_wards

pytestmark = pytest.mark.browser

CAMDEN_WARDS = boundary_wards(CAMDEN_BOUNDARIES)
BARNET_TEAMS = harness.SEED_DIR / "monthly-crime-dashboard-barnet-wards.csv.gz"


def camden_team_file() -> bytes:
    """Barnet's team rows for its first 20 wards, recast as Camden's 20 wards."""
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(BARNET_TEAMS.read_bytes()).decode())))
    named = {}  # one name per ward (Barnet's file lists Edgware also as "Edgware (SX)")
    for row in rows:
        named.setdefault(row["area_code"], row["area_name"])
    barnet = sorted(named)[: len(CAMDEN_WARDS)]
    recast = dict(zip(barnet, sorted(CAMDEN_WARDS.items()), strict=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        if row["area_code"] in recast and row["area_name"] == named[row["area_code"]]:
            code, name = recast[row["area_code"]]
            writer.writerow(
                {**row, "area_code": code, "area_name": name, "borough_snt": f"Camden {name}"}
            )
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def camden_site(tmp_path_factory) -> Iterator[str]:
    """A first-run database for HOME_BOROUGH=Camden with Camden's boundaries, served; its URL."""
    from core import db
    from etl.load import load_bytes, load_path

    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME_BOROUGH", "Camden")
        url = harness.seed_database(Path(tmp_path_factory.mktemp("camden")))
        engine = db.get_engine(url)
        for result in [
            load_path(CAMDEN_BOUNDARIES, engine, user="anna"),
            load_bytes("camden-teams.csv", camden_team_file(), engine, user="anna"),
        ]:
            assert result.status == "loaded", [p.message for p in result.problems]
        with harness.serving(url) as base:
            yield base


@pytest.fixture
def camden_page(browser, camden_site) -> Iterator:
    """A page on the Camden server whose browser errors fail the test."""
    context = browser.new_context(base_url=camden_site)
    harness.block_outside_requests(context)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, "browser errors:\n" + "\n".join(errors)


# The words a page shows (charts' SVG text included), without the London charts and tables,
# which rightly name every borough, Barnet among them.
WORDS_JS = """
() => {
  const copy = document.body.cloneNode(true);
  for (const node of copy.querySelectorAll('[id*="london"], [id*="rank"], script, style')) {
    node.remove();
  }
  return copy.textContent;
}
"""


def _words(page) -> str:
    return page.evaluate(WORDS_JS)


def _visit(page, path: str) -> str:
    page.goto(path)
    harness.wait_drawn(page)
    words = _words(page)
    assert "Camden" in words, f"{path} does not name Camden"
    assert "Barnet" not in words, f"{path} names Barnet: {_around(words, 'Barnet')}"
    assert " 0 wards" not in words, f"{path}: {_around(words, ' 0 wards')}"
    return words


def _around(words: str, needle: str) -> str:
    at = words.find(needle)
    return words[max(0, at - 120) : at + 120]


def test_camden_end_to_end(camden_page):
    page = camden_page
    _visit(page, "/")
    _visit(page, "/crime/mopac7-total")

    words = _visit(page, "/wards")
    shapes = ward_shapes(harness.figure_data(page, "wards-map-graph") or [])
    assert sorted(s.get("name") for s in shapes) == sorted(CAMDEN_WARDS.values())
    assert page.locator("#wards-map-graph").locator(DRAWN_WARD).count() == 20
    labels = [t for t in harness.figure_data(page, "wards-map-graph") if t.get("mode") == "text"]
    drawn = {text.replace("<br>", " ") for text in labels[0]["text"]}
    assert drawn and drawn <= set(CAMDEN_WARDS.values())  # names where they fit
    for name in CAMDEN_WARDS.values():
        assert name in words

    code, name = sorted(CAMDEN_WARDS.items())[0]
    words = _visit(page, f"/ward/{code}")
    assert name in words

    _visit(page, "/hate-crime")
    wards = page.evaluate("() => document.querySelector('#hate-wards-graph').textContent")
    for ward in CAMDEN_WARDS.values():
        assert ward in wards
