"""What a page says when it has nothing to show: what to load and how, the 404, and where the
figures come from."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from core.months import Month
from dashboard.ui.addresses import provenance_href


def withheld_words(what: str) -> str:
    """'MPS ward crime figures are not shown to your role (marked exempt).': figures exempt for
    the reader, never called 'not loaded' (an analyst would load them again)."""
    name = what.split(" (")[0]
    return f"{name[:1].upper()}{name[1:]} are not shown to your role (marked exempt)."


def missing(what: str, can_load: bool, withheld: bool) -> tuple:
    """(the blank charts' line, the notice) for a crime page with none of ``what``: 'No ward
    crime figures loaded' and what to load, or (``withheld``: exempt) that they are not shown."""
    line = f"No {what.split(' (')[0].removeprefix('MPS ')} loaded"
    return (withheld_words(what) if withheld else line), empty_state(what, can_load, withheld)


def empty_state(what: str, can_load: bool, withheld: bool = False) -> dbc.Alert:
    """What to load, and how, when a page has no data, for those who can load it (``can_load``);
    else one line saying whom to ask (a board member is never shown commands or file names);
    figures exempt for the reader (``withheld``): one line saying they are not shown to them."""
    if withheld:
        return dbc.Alert(html.P(withheld_words(what), className="mb-0"), color="secondary")
    if not can_load:
        return dbc.Alert(html.P(not_loaded_words(what), className="mb-0"), color="info")
    return dbc.Alert(
        [
            html.H2("No figures loaded yet", className="h5"),
            html.P(f"This page needs {what}."),
            html.P(
                [
                    "Download it from the London Datastore (MPS borough or ward level crime, "
                    "CSV or XLSX) and load it on the ",
                    dcc.Link("Upload", href="/upload"),
                    " page or with ",
                    html.Code("python -m etl load PATH"),
                    ", then reload this page.",
                ]
            ),
        ],
        color="info",
    )


def not_found(message: str = "There is no page at this address.") -> html.Div:
    """The 404 content, also used for an unknown crime type or ward code."""
    return html.Div(
        [
            html.H1("Page not found"),
            html.P(message),
            html.P(
                [
                    "Try the ",
                    dcc.Link("overview", href="/"),
                    ", the ",
                    dcc.Link("crime trends", href="/crime/mopac7-total"),
                    " or the ",
                    dcc.Link("wards", href="/wards"),
                    ".",
                ]
            ),
        ],
        id="not-found",
    )


LOAD_HOW = [  # alert-link and text-reset: the alert's own dark text colour (4.5:1 on its fill)
    "Load it on the ",
    dcc.Link("Upload", href="/upload", className="alert-link"),
    " page or with ",
    html.Code("python -m etl load PATH", className="text-reset"),
    ", then reload this page.",
]


def can_load(user) -> bool:
    """Whether ``user`` (the page's ``guard.current_user()``, None off the web) may load figures:
    analysts and managers are shown how, board members whom to ask."""
    return user is not None and user.can("analyst")


def not_loaded_words(what: str) -> str:
    """A board member's one line for figures not loaded (``what`` without its file name)."""
    name = what.split(" (")[0]
    return (
        f"Not yet loaded for this borough: {name}. Ask the council's community safety team "
        "(its analysts load the figures) if you need them."
    )


def priority_empty_state(
    what: str,
    where: str,
    heading: str = "No figures loaded yet",
    can_load: bool = True,
    withheld: bool = False,
):
    """What to load (``what``), where it comes from (``where``) and how to load it, for those who
    can load it (``can_load``); else one line saying whom to ask. Figures exempt for the reader
    (``withheld``): one line saying they are not shown to this role."""
    if withheld:
        return dbc.Alert(html.P(withheld_words(what), className="mb-0"), color="secondary")
    if not can_load:
        return dbc.Alert(html.P(not_loaded_words(what), className="mb-0"), color="info")
    return dbc.Alert(
        [
            html.H2(heading, className="h5"),
            html.P(f"This needs {what}."),
            html.P(where),
            html.P(LOAD_HOW),
        ],
        color="info",
    )


def provenance_link(dataset: str, area_code: str | None, month: Month | None, what: str) -> html.P:
    """'Where do these figures come from?': the file, row and upload behind an area's latest
    month (``month``; the Sources page has a month picker for any other)."""
    if not area_code or month is None:
        return html.P()
    return html.P(
        dcc.Link(
            f"Where do {what} come from? The file, row and upload behind each figure",
            href=provenance_href(dataset, area_code, month),
        ),
        className="small",
    )


ILLUSTRATIVE_MARK = " (illustrative)"  # after a heading or label whose figures are made up
ILLUSTRATIVE_SENTENCE = "(Illustrative figures: made up, not real.)"  # after a page's sentence


def illustrative_notice(what: str, borough: str, can_load: bool = False) -> dbc.Alert:
    """The notice at the top of a section whose figures came from a file that says they are
    illustrative (``what``: 'the serious youth violence figures'), in a board member's words;
    those who load files are told how to replace them."""
    lines = [
        html.Strong("Illustrative figures: "),
        f"{what} below are made-up sample figures, not {borough}'s real figures. "
        "Do not quote them.",
    ]
    if can_load:
        lines.append(" Load the real return on the Upload page to replace them.")
    return dbc.Alert(html.P(lines, className="mb-0"), color="warning", className="illustrative")
