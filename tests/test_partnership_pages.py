"""What a board member, an analyst and the manager see of the partnership indicators, the
commentary and the action plans on the priority pages (callbacks called as plain functions,
each in a request for a user of the role), and the commands that write them."""

from __future__ import annotations

from datetime import date

import flask
import pandas as pd
import pytest

import app  # noqa: F401  (registers the pages, as in production)
import webclient
from core import queries
from core.strategy import STRATEGY_PRIORITIES
from dashboard import cli
from dashboard import partnership_admin as admin
from dashboard.auth.roles import User
from dashboard.partnership import actions_for, commentary_for, partnership_figures
from dashboard.reports.indicators import partnership_rows
from etl.formats.templates import partnership as template
from etl.load import load_bytes
from etl.templates_write import workbook, workbook_bytes
from layout_tree import find
from layout_tree import text as layout_text

ECINS = {
    "indicator": "ASB cases logged (ECINS)",
    "priority": "Anti-social behaviour",
    "unit": "count",
    "frequency": "financial year",
    "direction": "neither",
    "additive": "yes",
    "owner": "Barnet Council Community Safety Team",
}
IOM = {**ECINS, "indicator": "IOM adult cohort", "priority": "reducing offending"}
IOM |= {"frequency": "quarter", "additive": "no", "owner": "Barnet IOM"}


@pytest.fixture
def partnership(use_database):
    """Two indicators and their values, in one upload of the partnership template (SQLite and
    PostgreSQL: for the tests of what is written)."""
    return load_two(use_database)


@pytest.fixture
def shown(sqlite_engine, monkeypatch):
    """The same on SQLite only: for the tests of what a page shows."""
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    return load_two(sqlite_engine)


def load_two(engine):
    values = [
        {"indicator": ECINS["indicator"], "period": "2021/22", "value": 2495},
        {"indicator": ECINS["indicator"], "period": "2022/23", "value": 3602},
        {"indicator": IOM["indicator"], "period": "2022/23 Q3", "value": 101},
        {"indicator": IOM["indicator"], "period": "2022/23 Q4", "value": 105},
    ]
    rows = {"Indicators": [ECINS, {**IOM, "priority": STRATEGY_PRIORITIES["reducing-offending"]}]}
    data = workbook_bytes(workbook(template.TEMPLATE, {**rows, "Values": values}))
    assert load_bytes("partners.xlsx", data, engine).status == "loaded"
    return engine


def as_user(role: str | None):
    context = webclient.the_app().server.test_request_context("/")
    context.push()
    if role:
        flask.g.auth_user = User("max" if role == "manager" else "ann", role)
    return context


def test_each_priority_page_shows_its_own_partnership_indicators(shown):
    from dashboard.pages import priority_block

    youth = layout_text(priority_block.show_figures(None, "youth-violence"))
    assert "IOM adult cohort: 105 in 2022/23 Q4, up 4 (4%) on the period before" in youth
    assert "ECINS" not in youth  # an anti-social behaviour indicator
    asb = layout_text(priority_block.show_figures("2023-06", "asb"))
    # 3602 - 2495 = 1107; 1107 / 2495 = 44.4%
    assert "3,602 in 2022/23, up 1,107 (44.4%) on a year before (2021/22: 2,495)" in asb
    # as at March 2022, the latest year held is 2021/22
    assert "2,495 in 2021/22" in layout_text(priority_block.show_figures("2022-03", "asb"))


def test_the_figures_are_one_function_the_pack_can_call(shown):
    rows = partnership_figures("asb")
    assert rows[["indicator", "period", "value", "year_change"]].values.tolist() == [
        [ECINS["indicator"], "2022/23", 3602, 1107]
    ]
    export = partnership_rows(pd.Timestamp(2025, 6, 1))
    assert set(export["indicator"]) == {ECINS["indicator"], IOM["indicator"]}


def test_a_board_member_reads_the_commentary_and_actions_but_gets_no_forms(shown):
    from dashboard.pages import priority_block

    engine = shown
    words = "Cases are **up** on last year.\n\n- more officers\n- <script>alert(1)</script>"
    admin.set_commentary(engine, "prevent", "2025/26-Q3", words, "max")
    admin.add_action(
        engine,
        "prevent",
        {
            "strand": "Prevention",
            "action": "Train every school",
            "lead": "Prevent lead",
            "due": "2025-01-31",
            "status": "On track",
        },
        "max",
    )
    context = as_user("viewer")
    try:
        drawn = priority_block.show_notes("2025-12", "prevent", 0)
    finally:
        context.pop()
    view, form, plan, plan_form = drawn
    markdown = view[0]
    assert markdown.children == words and markdown.dangerously_allow_html is False
    assert form is None and plan_form is None
    assert "On track — OVERDUE" in layout_text(plan)  # due 31 January 2025, not complete


def test_the_manager_writes_the_commentary_and_every_version_is_kept(partnership):
    from dashboard.pages import priority_block

    context = as_user("manager")
    try:
        form = priority_block.show_notes("2025-12", "crime", 0)[1]
        assert find(form, "notes-text") is not None
        priority_block.save_commentary(1, "First words.", "crime", "2025-11", 0)
        priority_block.save_commentary(2, "Second words.", "crime", "2025-12", 1)
    finally:
        context.pop()
    record = commentary_for("2025/26-Q3", "crime")
    assert (record["text"], record["written_by"], record["versions"]) == ("Second words.", "max", 2)
    assert queries.commentary(partnership, "crime")["text"].tolist() == [
        "Second words.",
        "First words.",
    ]


def test_an_analyst_writes_only_when_the_manager_permits(partnership):
    from dashboard.pages import priority_block

    context = as_user("analyst")
    try:
        assert priority_block.show_notes("2025-12", "crime", 0)[1] is None
        refused = priority_block.save_commentary(1, "Words.", "crime", "2025-12", 0)
        assert "Only the manager" in layout_text(refused[1])
        admin.permit_writer(partnership, "ann", True, "max")
        priority_block.save_commentary(1, "Words.", "crime", "2025-12", 0)
    finally:
        context.pop()
    assert commentary_for("2025/26-Q3", "crime")["written_by"] == "ann"


def test_commentary_and_actions_from_the_command_line(partnership, tmp_path, capsys):
    words = tmp_path / "words.md"
    words.write_text("Burglary is down.\n\n- patrols\n", encoding="utf-8")
    args = ["commentary", "set", "--quarter", "2025/26-Q3", "--priority", "crime"]
    assert cli.main([*args, "--file", str(words), "--by", "max"]) == 0
    assert cli.main(["commentary", "show", "--quarter", "2025/26-Q3", "--priority", "crime"]) == 0
    assert "Burglary is down." in capsys.readouterr().out
    add = ["actions", "add", "--priority", "youth-violence", "--strand", "Enforcement"]
    add += ["--action", "Weapon sweeps", "--lead", "Police", "--due", "2026-03-31"]
    assert cli.main([*add, "--by", "max"]) == 0
    action_id = int(actions_for("youth-violence")["id"].iloc[0])
    update = ["actions", "update", str(action_id), "--status", "Complete", "--latest", "Done"]
    assert cli.main([*update, "--by", "max"]) == 0
    plan = actions_for("youth-violence", today=date(2026, 4, 1)).iloc[0]
    assert (plan["number"], plan["status"], plan["latest"], plan["overdue"]) == (
        "1",
        "Complete",
        "Done",
        False,
    )
    history = queries.action_changes(partnership, action_id)
    assert history["status"].tolist() == ["Complete", "Not started"]
    assert cli.main(["actions", "add", "--priority", "nowhere", "--strand", "Prevention"]) == 1


def test_a_target_the_manager_sets_gives_the_indicator_its_rag(shown):
    from dashboard import targets

    name = ECINS["indicator"]
    targets.set_target(
        shown, name, kind="absolute", value=3000, direction="lower", from_year="2022/23"
    )
    row = partnership_figures("asb").iloc[0]
    # 3,602 is above the 3,000 asked and above the year before's 2,495: Red
    assert (row["target"], row["rag"]) == (3000, "Red")
    targets.set_target(
        shown, name, kind="previous", value=10, direction="higher", from_year="2022/23"
    )
    # 10% above 2,495 = 2,744.5; 3,602 is past it: Green
    assert partnership_figures("asb").iloc[0]["rag"] == "Green"
    with pytest.raises(targets.ChangeRefused, match="a number for its period"):
        targets.set_target(shown, name, kind="baseline", value=10, from_year="2022/23")


def test_a_partnership_targets_words_name_its_own_period(shown):
    """A partnership indicator's target is for its own period (DOMAIN.md), never '12 months':
    ECINS is a financial-year count, the IOM cohort a quarterly one."""
    from dashboard import targets

    said = targets.set_target(
        shown,
        ECINS["indicator"],
        kind="absolute",
        value=3000,
        direction="lower",
        from_year="2022/23",
    )
    assert said == (
        "ASB cases logged (ECINS), every area: target: 3,000 or fewer in the financial year "
        "from 2022/23 (lower is better)."
    )
    targets.set_target(
        shown, IOM["indicator"], kind="previous", value=10, direction="higher", from_year="2022/23"
    )
    table = targets.targets_table(shown).set_index("Indicator")["Target"]
    assert table[IOM["indicator"]] == (
        "target: 10% above the same quarter a year before from 2022/23 (higher is better)"
    )
    history = " ".join(targets.history_table(shown)["Change"])
    assert "set target: 3,000 or fewer in the financial year" in history
    assert "12 months" not in " ".join(table) + history
    # a crime type's target keeps its 12 months
    targets.set_target(shown, "Robbery", kind="absolute", value=200, from_year="2022/23")
    robbery = targets.targets_table(shown).set_index("Indicator")["Target"]["Robbery"]
    assert robbery.startswith("target: 200 or fewer in 12 months")


@pytest.mark.parametrize(
    ("kind", "value", "direction", "unit", "frequency", "words"),
    [
        ("absolute", 40, "lower", "count", "month", "40 or fewer a month"),
        ("absolute", 75, "higher", "percent", "quarter", "75.0% or higher a quarter"),
        ("absolute", 500, "lower", "money", "month", "£500 or less a month"),
        ("absolute", 6, "higher", "count", "occasion", "6 or more at each occasion"),
        ("previous", 5, "lower", "count", "month", "5% below the same month a year before"),
        ("previous", 2.5, "higher", "rate", "quarter", "2.5% above the same quarter a year before"),
        ("previous", 3, "lower", "count", "financial year", "3% below the financial year before"),
        ("previous", 10, "lower", "count", "occasion", "10% below the occasion a year before"),
    ],
)
def test_partnership_target_words_by_period_and_unit(
    kind, value, direction, unit, frequency, words
):
    from dashboard.prose.partnership import target_words

    assert target_words(kind, value, direction, unit, frequency) == f"target: {words}"


@pytest.mark.parametrize(
    ("role", "forms"),
    [("viewer", []), ("analyst", ["value"]), ("manager", ["definition", "value"])],
)
def test_the_indicators_page_offers_each_role_its_forms(shown, role, forms):
    from dashboard.pages import partnership_indicators as page

    context = as_user(role)
    try:
        drawn = page.layout()
        offered = [
            n
            for n, i in (("definition", "indicators-save"), ("value", "indicators-value-save"))
            if find(drawn, i) is not None
        ]
        assert offered == forms
        if role == "manager":
            fields = ("Hate incidents supported", "Hate crime", "count", "quarter", "lower", "yes")
            page.change_definition(1, None, *fields, "Mencap", None, 0)
            page.give_value(1, "Hate incidents supported", "2025/26 Q1", 12, None, 0)
    finally:
        context.pop()
    if role == "manager":
        held = queries.partnership_values(shown)
        assert held.loc[held["indicator"] == "Hate incidents supported", "value"].tolist() == [12]
        assert "Hate incidents supported" in layout_text(page.show(1))


def test_the_pack_asks_by_section_title_or_slug_and_an_exempt_dataset_hides_the_figures(
    shown, monkeypatch
):
    admin.set_commentary(shown, "crime", "2025/26-Q3", "Words.", "max")
    assert commentary_for("2025/26 Q3", "Neighbourhood crime")["text"] == "Words."
    assert partnership_figures("Neighbourhood crime").empty  # no strategy priority of its own
    assert len(partnership_figures("Reoffending and IOM")) == 1  # priority 3: the IOM cohort
    monkeypatch.setattr("dashboard.auth.exempt.hidden", lambda kind: {"partnership_indicators"})
    assert partnership_figures("asb").empty
    from dashboard.pages import priority_block

    assert "exempt information" in layout_text(priority_block.show_figures(None, "asb"))


def test_the_manager_ticks_the_analysts_who_may_write(shown):
    from dashboard.auth.users import add_user
    from dashboard.pages import partnership_indicators as page

    for name, role in (("ann", "analyst"), ("bob", "analyst"), ("vic", "viewer")):
        add_user(shown, name, "a long enough password", role)
    context = as_user("manager")
    try:
        form = find(page.layout(), "notes-writers")
        assert [o["value"] for o in form.options] == ["ann", "bob"]  # analysts only
        page.save_writers(1, ["bob"])
    finally:
        context.pop()
    assert admin.writers(shown) == (["ann", "bob"], ["bob"])
    assert admin.may_write_commentary(shown, User("bob", "analyst"))
    assert not admin.may_write_commentary(shown, User("ann", "analyst"))


def test_the_asb_and_domestic_abuse_pages_carry_their_priority_s_partnership_block():
    """A board member on the ASB or domestic abuse page finds the council's own figures, the
    officer's commentary and the action plan of that priority beside the police figures."""
    from dashboard.pages import asb, domestic_abuse

    for page, title in (
        (asb, "Anti-social behaviour"),
        (domestic_abuse, "Domestic abuse and VAWG"),
    ):
        text = str(page.layout())
        assert f"Officer's commentary: {title}" in text
        assert f"Action plan: {title}" in text
