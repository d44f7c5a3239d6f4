"""The page for an address that is not one of the dashboard's (Dash Pages' 404)."""

from __future__ import annotations

import dash

from dashboard.ui.notices import not_found

dash.register_page(__name__, name="Page not found", title="Page not found", nav=False)


def layout(**_query):
    return not_found()
