"""The accessibility statement (/accessibility), linked from every page's footer, as the
Public Sector Bodies Accessibility Regulations 2018 require. Its words: dashboard.prose.accessibility.
"""

from __future__ import annotations

import dash
from dash import html

from core import config
from dashboard.auth import guard
from dashboard.prose import accessibility as words

dash.register_page(
    __name__,
    path="/accessibility",
    name="Accessibility statement",
    title="Accessibility statement",
    nav=False,
)


def _parts(parts: list) -> list:
    """Paragraphs from strings, bulleted lists from lists of strings."""
    return [html.Ul([html.Li(i) for i in p]) if isinstance(p, list) else html.P(p) for p in parts]


def layout(**_query) -> html.Div:
    borough = config.home_borough()
    sections = [
        ("How accessible this dashboard is", words.COMPLIANCE),
        ("Feedback and how to report a problem", words.report_problem(config.A11Y_CONTACT.get())),
        ("Enforcement procedure", words.ENFORCEMENT),
        ("Non-accessible content", words.NON_ACCESSIBLE),
        ("How we tested this dashboard", words.HOW_TESTED),
        ("What we're doing to improve accessibility", words.IMPROVING),
    ]
    return html.Div(
        [
            html.H1(f"Accessibility statement for the {borough} community safety dashboard"),
            *_parts(words.intro(borough)),
            *[
                el
                for heading, parts in sections
                for el in [html.H2(heading, className="h4 mt-4"), *_parts(parts)]
            ],
        ],
        id="accessibility-statement",
        className="col-lg-8",
    )


guard.make_public("/accessibility", "Accessibility statement", layout)  # signed in or not
