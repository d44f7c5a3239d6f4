"""The pack's sections for the other priorities: serious youth violence and knife crime,
reoffending and IOM, Prevent training and hate crime, each from the cache, domain, prose and
chart functions its page calls."""

from __future__ import annotations

import pandas as pd

from core.months import Month
from dashboard import cache, council_figures, over_time
from dashboard.auth import exempt
from dashboard.charts.crime import ranked_bar_figure
from dashboard.charts.hate_crime import break_trend_figure
from dashboard.charts.priorities import bars_figure, iom_cohort_figure
from dashboard.prose import hate_crime as hate_words
from dashboard.prose import priorities as words
from dashboard.prose.words import none_loaded
from dashboard.reports.pack.content import BARS_HEIGHT, READERS, Chart, Section
from dashboard.text import fmt_int, fmt_share, month_label
from dashboard.ui.priorities import iom_frame
from domain import hate_crime as hate
from domain.crime import r12_at, trend_frame
from domain.indicators import area_series, record
from domain.london import london_rate, london_rows
from domain.periods import month_end
from domain.priorities import (
    KNIFE_INDICATORS,
    KNIFE_VICTIMS,
    SYV,
    WRAP_TARGET_PERCENT,
    WRAP_TOTAL,
    cohorts_by,
    iom_quarters_by,
    iom_table,
    latest_cohorts,
    wrap_coverage_table,
)

PER_10000 = "Victims per 10,000 residents (12 months)"


def london_chart(title: str, table: pd.DataFrame, indicator: str, home: dict, label: str):
    rows = london_rows(table, cache.reference()[0], indicator)
    overall = london_rate(rows, 10_000)
    bars = pd.DataFrame({"name": rows["area_name"], "value": rows["rate_per_10000"].astype(float)})
    mine = record(table, home["code"], indicator)
    data = bars.sort_values("value").assign(value=lambda f: f["value"].map(lambda v: f"{v:.2f}"))
    return Chart(
        title,
        lambda: ranked_bar_figure(bars, home["name"], label, overall, "London", ",.2f"),
        words.london_rate_caption("victims", home["name"], mine, overall),
        data.rename(columns={"name": "Borough", "value": label}),
        BARS_HEIGHT,
    )


def nothing_shown(datasets: dict[str, str]) -> str:
    """A section's line when none of ``datasets`` ({dataset: its name in words}) has a figure
    for the pack: those exempt for its readers are withheld from them, never "none loaded"."""
    withheld = [said for name, said in datasets.items() if exempt.none_shown(name)]
    missing = [said for said in datasets.values() if said not in withheld]
    parts = [none_loaded(f"{' and '.join(withheld)} figures", True, READERS)] if withheld else []
    parts += [f"No {' or '.join(missing)} figures are loaded."] if missing else []
    return " ".join(parts)


def syv_section(end: Month) -> Section:
    section = Section("syv", "Serious youth violence and knife crime")
    home = cache.home_area()
    if home is None:
        section.missing = "No serious youth violence or knife crime figures are loaded."
        return section
    month = section.period("syv", end)
    if month is not None:
        table = cache.judged(council_figures.syv_table(month), month)
        row = record(table, home["code"], SYV, month)
        overall = london_rate(london_rows(table, cache.reference()[0], SYV), 10_000)
        section.add(words.syv_sentence(home["name"], month, row, overall))
        section.headline.append((section.mark("syv", words.HEADLINE_LABELS[SYV]), row))
        section.charts.append(
            london_chart(
                section.mark("syv", "Serious youth violence: London boroughs compared"),
                table,
                SYV,
                home,
                PER_10000,
            )
        )
        section.month = month
    else:
        withheld = "serious_youth_violence" in exempt.hidden("dataset")  # not "none loaded"
        what = "serious youth violence monthly figures"
        section.sentences.append(none_loaded(what, withheld, READERS))
    knife_into(section, end, home)
    return section


def knife_into(section: Section, end: Month, home: dict) -> None:
    month = section.period("knife", end)
    if exempt.none_shown(cache.DASHBOARD_OFFENCES, KNIFE_INDICATORS):  # never "none loaded"
        section.sentences.append(none_loaded("knife crime figures", True, READERS))
        return
    table = cache.judged(cache.dashboard_table(month), month) if month else pd.DataFrame()
    if table.empty or home["code"] not in set(table["area_code"]):
        section.sentences.append("No knife crime figures are loaded.")
        return
    areas, _ = cache.reference()
    for indicator in KNIFE_INDICATORS:
        row = record(table, home["code"], indicator, month)
        if row:
            section.headline.append((words.HEADLINE_LABELS[indicator], row))
    knife = record(table, home["code"], KNIFE_VICTIMS, month)
    if knife:
        overall = london_rate(london_rows(table, areas, KNIFE_VICTIMS), 10_000)
        section.add(words.knife_sentence(home["name"], month, knife, overall))
        title = "Knife crime with injury (victims 1 to 24): London boroughs compared"
        section.charts.append(london_chart(title, table, KNIFE_VICTIMS, home, PER_10000))
    section.month = max(m for m in (section.month, month) if m is not None)


def reoffending_section(end: Month) -> Section:
    section = Section("reoffending", "Reoffending and Integrated Offender Management (IOM)")
    quarters = council_figures.council_table("iom_quarters")
    rates = council_figures.council_table("reoffending_rates")
    if quarters.empty and rates.empty:
        section.missing = nothing_shown({"iom": "IOM", "proven_reoffending": "proven reoffending"})
        return section
    section.month = end
    section.period("iom", end)
    section.period("reoffending", end)
    quarters = iom_quarters_by(quarters, end) if not quarters.empty else quarters
    if quarters.empty:
        section.sentences.append(words.no_quarter_words(end))
    else:
        table = iom_table(quarters)
        section.sentences.append(words.iom_sentence(table))
        shown = iom_frame(table)
        section.tables.append((section.mark("iom", "IOM cohort by quarter"), shown))
        section.charts.append(
            Chart(
                "IOM cohort size by quarter",
                lambda table=table: iom_cohort_figure(table),
                words.iom_cohort_caption(table.iloc[-1]),
                shown[["Quarter", "Cohort size"]],
            )
        )
    if not rates.empty:
        table = cohorts_by(rates, end)
        borough = cache.home_name()
        latest = latest_cohorts(table, borough)
        section.sentences.append(words.reoffending_sentence(borough, latest))
        home_rows = latest[latest["geography"].str.lower() == borough.lower()]
        section.figures["cohorts"] = home_rows.to_dict("records")
        section.tables.append(
            (
                section.mark(
                    "reoffending", "Proven reoffending, latest cohort (Ministry of Justice)"
                ),
                cohort_frame(latest),
            )
        )
    return section


def cohort_frame(latest: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Area": latest["geography"],
            "Group": latest["adult_juvenile"],
            "Cohort": latest["cohort"],
            "Offenders": [fmt_int(v) for v in latest["offenders"]],
            "Reoffenders": [fmt_int(v) for v in latest["reoffenders"]],
            "Proven reoffending rate": [fmt_share(v) for v in latest["reoffending_rate"]],
        }
    )


def prevent_section(end: Month, target: float = WRAP_TARGET_PERCENT) -> Section:
    section = Section("prevent", "Prevent training (WRAP)")
    training = council_figures.council_table("wrap_training")
    if training.empty:
        section.missing = nothing_shown({"wrap_training": "Prevent WRAP training"})
        return section
    section.period("prevent", end)
    training = training[pd.to_datetime(training["as_at"]) <= month_end(end)]
    if training.empty:
        section.sentences.append(words.no_return_words(month_end(end)))
        return section
    as_at = training["as_at"].max()
    table = wrap_coverage_table(training[training["as_at"] == as_at], target)
    section.month = end
    section.sentences.append(words.prevent_sentence(as_at, table, target))
    total = table[table["department"] == WRAP_TOTAL]
    section.figures.update(
        wrap_total=total.iloc[0].to_dict() if len(total) else None,
        wrap_period=f"as at {pd.Timestamp(as_at):%d %B %Y}",
        wrap_target=target,
    )
    section.tables.append(
        (
            section.mark("prevent", f"WRAP coverage as at {pd.Timestamp(as_at):%d %B %Y}"),
            wrap_frame(table, target),
        )
    )
    rows = table[table["coverage"].notna()]
    bars = pd.DataFrame({"name": rows["department"], "value": rows["coverage"].astype(float)})
    label = "Staff trained, % of those requiring it"
    section.charts.append(
        Chart(
            "WRAP coverage by department or partner",
            lambda: bars_figure(
                bars.assign(text=[fmt_share(v) for v in bars["value"]]),
                label,
                ",.1f",
                target,
                "Target",
            ),
            words.wrap_coverage_caption(as_at, target, int(table["coverage"].isna().sum())),
            bars.assign(value=[fmt_share(v) for v in bars["value"]]).rename(
                columns={"name": "Department", "value": label}
            ),
        )
    )
    return section


def wrap_frame(table: pd.DataFrame, target: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Department or partner": table["department"],
            "Staff requiring training": [fmt_int(v) for v in table["staff_requiring"]],
            "Staff trained": [fmt_int(v) for v in table["staff_trained"]],
            "Coverage": [fmt_share(v) for v in table["coverage"]],
            "RAG": [words.wrap_rag_text(r, target) for r in table.to_dict("records")],
        }
    )


def hate_section(end: Month) -> Section:
    section = Section("hate", "Hate crime")
    home = cache.home_area()
    month = section.period("hate", end)
    if exempt.none_shown(cache.DASHBOARD_OFFENCES, [hate.TOTAL, *hate.STRANDS]):
        # every strand exempt for this pack's readers: withheld, never "none loaded" nor silent
        section.missing = none_loaded("hate crime figures", True, READERS)
        return section
    table = cache.judged(cache.dashboard_table(month), month) if month else pd.DataFrame()
    if home is None or table.empty or home["code"] not in set(table["area_code"]):
        section.missing = "No MPS hate crime figures are loaded for this quarter."
        return section
    section.month = month
    areas, _ = cache.reference()
    across = hate.spans_break(month, 24)
    section.across_break = across
    shown = [s for s in [hate.TOTAL, *hate.STRANDS] if record(table, home["code"], s)]
    for strand in shown:
        section.headline.append((strand, record(table, home["code"], strand, month)))
    if shown:
        strand = shown[0]
        overall = london_rate(london_rows(table, areas, strand), 10_000)
        rec = record(table, home["code"], strand)
        rates = over_time.hate_outcome_rates(strand, [home["code"]])  # as the page reads them
        window = rates[rates["month"] == month]
        outcomes = window["outcomes"].iloc[0] if len(window) else None
        sentence = hate_words.hate_sentence(
            strand, home["name"], month, rec, overall, outcomes, across
        )
        section.add(sentence)
        offences = area_series(cache.dashboard_monthly(), [home["code"]], strand)
        frame = trend_frame(offences)
        recent = frame[frame["month"] <= month].tail(24)
        section.charts.append(
            Chart(
                f"{strand}: month by month (the MPS recording change marked)",
                lambda: break_trend_figure(frame, month, "offences"),
                hate_words.trend_caption(strand, home["name"], month, r12_at(frame, month)),
                pd.DataFrame(
                    {
                        "Month": [month_label(m) for m in recent["month"]],
                        "Offences": [fmt_int(v) for v in recent["count"]],
                    }
                ),
            )
        )
    return section
