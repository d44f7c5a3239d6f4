"""Overview: the home borough's MOPAC7 figures for the latest month, one row per crime type."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components, metrics, service

dash.register_page(__name__, path="/", name="Overview", order=0)


def _row(record) -> html.Tr:
    rank = record["london_rank"]
    return html.Tr(
        [
            html.Th(record["indicator"], scope="row"),
            html.Td(components.fmt_int(record["r12"])),
            html.Td(components.fmt_int(record["baseline"])),
            html.Td(components.fmt_pct(record["change_vs_baseline_pct"])),
            html.Td(components.fmt_pct(record["change_vs_previous_pct"])),
            html.Td("not available" if rank is None or rank != rank else f"{int(rank)} of 32"),
            html.Td(components.rag_badge(record["rag"])),
        ]
    )


def layout(**_query) -> html.Div:
    home = service.home_borough()
    month = service.latest_month("borough_crime")
    if home is None or month is None:
        return html.Div([html.H1("Overview"), components.empty_state("MPS borough crime figures")])
    table = service.borough_table(month)
    rows = table[table["area_code"] == home["code"]]
    order = {name: i for i, name in enumerate([*metrics.MOPAC7_TYPES, metrics.MOPAC7_TOTAL])}
    rows = rows.sort_values("indicator", key=lambda s: s.map(order))
    header = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in [
                    "Crime type", "Last 12 months", "2011/12 baseline", "Change vs baseline",
                    "Change vs previous 12 months", "London rank (1 = lowest rate)", "RAG",
                ]
            ]
        )
    )  # fmt: skip
    return html.Div(
        [
            html.H1(f"{home['name']}: neighbourhood crime (MOPAC7)"),
            html.P(
                f"12 months to {month:%B %Y} compared with the 2011/12 baseline "
                "(target: 20% below baseline)."
            ),
            dbc.Table(
                [header, html.Tbody([_row(r) for r in rows.to_dict("records")])],
                bordered=True,
                hover=True,
                responsive=True,
                id="overview-table",
            ),
            components.source_line(month, "MPS borough level crime, London Datastore"),
        ]
    )
