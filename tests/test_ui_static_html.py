"""Read-only blocks written as HTML (dashboard/ui/static_html.py) say exactly what the components
would have shown, and nothing is silently lost."""

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.ui.static_html import render


def test_html_components_keep_their_text_classes_and_accessible_attributes():
    block = html.Div(
        [
            html.H2("Burglary & robbery", className="h6", id="t"),
            html.Label("Period", htmlFor="p"),
            html.Span("<b>not bold</b>", title='say "hi"', **{"aria-label": "a", "data-x": 1}),
            html.Br(),
            42,
        ],
        style={"marginTop": "4px", "color": "red"},
    )
    assert render(block) == (
        '<div style="margin-top: 4px; color: red">'
        '<h2 class="h6" id="t">Burglary &amp; robbery</h2>'
        '<label for="p">Period</label>'
        '<span aria-label="a" data-x="1" title="say &quot;hi&quot;">&lt;b&gt;not bold&lt;/b&gt;</span>'
        "<br>42</div>"
    )


def test_links_navigate_within_the_app():
    assert render(dcc.Link("Burglary", href="/crime/burglary", className="stretched-link")) == (
        '<a class="stretched-link" data-app-link href="/crime/burglary">Burglary</a>'
    )


def test_bootstrap_cards_rows_and_columns_get_bootstrap_classes():
    block = dbc.Row(
        dbc.Col(
            dbc.Card(dbc.CardBody("x"), className="h-100", id="c"),
            xs=12,
            md=6,
            xl=3,
            className="mb-3",
        ),
    )
    assert render(block) == (
        '<div class="row"><div class="col-12 col-md-6 col-xl-3 mb-3">'
        '<div class="card h-100" id="c"><div class="card-body">x</div></div></div></div>'
    )
    assert render(dbc.Col("y")) == '<div class="col">y</div>'


def test_nothing_is_dropped_silently():
    with pytest.raises(TypeError, match="dash_core_components.Graph"):
        render(html.Div(dcc.Graph(id="g")))
    with pytest.raises(TypeError, match="n_clicks"):
        render(html.Button("Go", n_clicks=1))
    assert render(None) == "" and render([]) == ""
