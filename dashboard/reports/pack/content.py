"""What the pack says, gathered from the functions the pages call: the cache's tables, the
domain's figures, the prose's sentences and the charts' figures, for the quarter's last month
(each dataset its own latest month when its figures end earlier, and the section says so).

Nothing here computes a figure: a headline row is a record of the indicator table the pages read
(``dashboard.reports.pack.headline``), a sentence is the pages' sentence. Built inside
``audience.reading_as`` so exempt items follow the pages' rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.months import Month
from core.reference import MOPAC7_TOTAL, MOPAC7_TYPES, OVERALL_CRIME
from core.values import is_missing
from dashboard import cache
from dashboard.charts.base import TREND_START
from dashboard.charts.crime import ranked_bar_figure, trend_figure
from dashboard.prose.crime import (
    london_caption,
    overview_sentence,
    trend_caption,
)
from dashboard.reports.pack.periods import Period, dataset, period_of
from dashboard.text import fmt_int, month_label
from dashboard.ui.addresses import indicator_order
from domain.crime import is_small, whole
from domain.london import london_rate, london_rows
from domain.targets import target_of

PARTNERSHIP = "{borough} Safer Communities Partnership"
BARS_HEIGHT = 620  # a ranked bar chart of the 32 boroughs, every one labelled
READERS = "readers of this pack"  # whom a section withheld from them names (never "none loaded")


@dataclass
class Chart:
    """A chart with its sentence, and its figures as a table (printed when it cannot be drawn)."""

    title: str
    figure: object
    caption: str
    data: pd.DataFrame
    height: int = 360  # pixels at 720 wide; the 32 boroughs' bars need 620 to label each one
    svg: str | None = None  # drawn for the PDF (render.draw_all); None: its table instead

    def plotly(self):
        """The figure (made only when drawn: the workbook needs the figures' table alone)."""
        return self.figure() if callable(self.figure) else self.figure


@dataclass
class Section:
    key: str
    title: str
    month: Month | None = None
    sentences: list[str] = field(default_factory=list)
    headline: list[tuple[str, dict]] = field(default_factory=list)  # (label, record)
    charts: list[Chart] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (title, strings)
    missing: str | None = None  # one line when its data is not loaded
    periods: list[Period] = field(default_factory=list)  # each dataset's period, in the heading
    notes: list[str] = field(default_factory=list)  # e.g. the ranks' units, once
    across_break: bool = False  # its changes straddle the hate crime recording change
    figures: dict = field(default_factory=dict)  # figures a page-one row reads (summary.py)
    rate_digits: int | None = None  # a rate table (no target or baseline): the rate's decimals

    def add(self, sentence: str) -> None:
        self.sentences.append(sentence)

    def period(self, key: str, end: Month) -> Month | None:
        """The dataset's reporting month for the quarter, its period kept for the heading."""
        found = period_of(dataset(key), end)
        self.periods.append(found)
        return found.month

    def mark(self, key: str, label: str) -> str:
        """``label`` marked '(illustrative)' when that dataset's figures are."""
        found = next((p for p in self.periods if p.key == key), None)
        return found.mark(label) if found else label

    @property
    def illustrative(self) -> bool:
        """Some of its figures come from a file that says they are made up (the samples)."""
        made_up = any(p.illustrative for p in self.periods)
        return made_up or bool(self.figures.get("illustrative"))


def partnership() -> str:
    return PARTNERSHIP.format(borough=cache.home_name())


def home_records(table: pd.DataFrame, code: str) -> list[dict]:
    """The home borough's MOPAC7 rows, the seven types in DOMAIN.md's order then the total."""
    rows = table[table["area_code"] == code]
    return rows.sort_values("indicator", key=indicator_order).to_dict("records")


def crime_section(end: Month) -> Section:
    section = Section("crime", "Neighbourhood crime (MOPAC7)")
    home = cache.home_area()
    month = section.period("borough_crime", end)
    table = cache.borough_figures(month) if month is not None else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        section.missing = "No borough crime figures are loaded for this quarter."
        return section
    section.month = month
    records = home_records(table, home["code"])
    total = next((r for r in records if r["indicator"] == MOPAC7_TOTAL), None)
    types = [r for r in records if r["indicator"] in MOPAC7_TYPES]  # overall crime: not a type
    overall = [r for r in records if r["indicator"] == OVERALL_CRIME]
    section.add(overview_sentence(home["name"], month, total, types))  # each type: the table
    section.headline = [
        (r["indicator"], r) for r in [*types, *([total] if total else []), *overall]
    ]
    shown = total or types[0]
    section.charts = crime_charts(shown, home, month, table)
    watched = [r for r in types if r.get("rag") in ("Red", "Amber") and not is_small(r)]
    section.charts += [trend_chart(r, home, month) for r in watched]  # each Red or Amber type
    return section


def trend_chart(record: dict, home: dict, month: Month) -> Chart:
    """An indicator month by month against its 2011/12 baseline and target."""
    indicator = record["indicator"]
    frame = cache.trend("borough_crime", home["code"], indicator)
    target = target_of(record)
    rag = "" if is_missing(record.get("rag")) else f" ({record['rag']})"
    return Chart(
        f"{indicator}{rag}: month by month",
        lambda: trend_figure(frame, month, whole(record.get("baseline")), target),
        trend_caption(indicator, month, record, target),
        _months_table(frame, month),
    )


def crime_charts(record: dict, home: dict, month: Month, table: pd.DataFrame) -> list[Chart]:
    """The trend page's first two charts for the MOPAC7 total (a type when the total is
    withheld): month by month against the baseline and target, and London's boroughs."""
    indicator = record["indicator"]
    trend = trend_chart({**record, "rag": None}, home, month)
    rows = london_rows(table, cache.reference()[0], indicator)
    overall = london_rate(rows, 1000)
    bars = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_1000"].astype(float)})
    label = "Crimes per 1,000 residents (12 months)"
    london = Chart(
        f"{indicator}: London boroughs compared",
        lambda: ranked_bar_figure(bars, home["name"], label, overall, "London"),
        london_caption(indicator, home["name"], month, record, overall),
        bars.sort_values("value")
        .assign(value=lambda f: f["value"].map(lambda v: f"{v:.2f}"))
        .rename(columns={"name": "Borough", "value": label}),
        BARS_HEIGHT,
    )
    return [trend, london]


def _months_table(frame: pd.DataFrame, month: Month) -> pd.DataFrame:
    """The last 24 months of a trend (the chart's figures when it cannot be drawn)."""
    recent = frame[(frame["month"] <= month) & (frame["month"] >= TREND_START)].tail(24)
    return pd.DataFrame(
        {
            "Month": [month_label(m) for m in recent["month"]],
            "Crimes in the month": [fmt_int(v) for v in recent["count"]],
        }
    )
