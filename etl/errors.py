"""Problems found in an extract: typed records with the place an analyst would look in Excel.

Each code has one plain-English message template (the frictionless-py pattern). Row numbers are
Excel's: the header is row 1 and the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"

MESSAGES: dict[str, str] = {
    "file-unreadable": "The file could not be opened: {detail}.",
    "file-empty": "The file is empty: there is no header row or no data below it.",
    "file-too-large": "The file is {size_mb} MB, over the {limit_mb} MB limit.",
    "file-too-large-unzipped": (
        "The {what} would unpack to {size_mb} MB (limit {limit_mb} MB); it may be damaged "
        "or built to exhaust memory, so it was not opened."
    ),
    "drop-too-large": (
        "The files dropped together would unpack to more than {limit_mb} MB, the most one upload "
        "may hold, so this file was not opened. Upload it again on its own or with fewer files."
    ),
    "unknown-layout": "The column headings do not match any layout we accept{detail}.",
    "missing-column": "The column '{column}' is missing (expected for the {layout} layout).",
    "duplicate-column": "The month column '{value}' appears more than once in the header.",
    "unexpected-column": (
        "The column heading '{column}' is not a month written as YYYYMM (for example 202403)."
    ),
    "bad-month": "The column heading '{column}' is not a real month: {detail}.",
    "future-month": "The column heading '{column}' is a month in the future.",
    "no-months": "There are no month columns (headings written as YYYYMM, for example 202403).",
    "blank-count": "The count is blank; write 0 if there were no crimes.",
    "not-whole-number": "The count '{value}' is not a whole number.",
    "negative-count": "The count {value} is negative.",
    "blank-value": "The {column} is blank.",
    "duplicate-row": "This row repeats {what}, already given on row {first_row}.",
    "unknown-borough": "'{value}' is not a London borough or a known MPS area{hint}.",
    "bad-ward-code": "The ward code '{value}' is not a GSS ward code (E05 followed by six digits).",
    "wrong-field-count": "This row has {found} fields but the header has {expected}.",
    "unknown-category": (
        "The crime category '{value}' is new to us: it was loaded under its own name and "
        "{counted}. Tell the team if that is wrong."
    ),
    "bad-year": "The year '{value}' is not a year between 1990 and 2100.",
    "bad-population": "The population '{value}' is not a positive whole number.",
    "unknown-area": "The area code '{value}' is not a London borough or ward code we know.",
    "unexpected-value": "'{value}' is not one of the allowed values: {allowed}.",
    "bad-month-value": "'{value}' is not a month we can read (write it like 2021-08-01).",
    "merged-rows": (
        "Rows for {value} share the area code {code_value}; their counts were added together."
    ),
    "non-borough-rows": (
        "{count} rows are for '{value}', which is not a London borough or ward: they were "
        "loaded as an area of their own, which is never ranked{repeats}."
    ),
    "ward-in-two-teams": (
        "The ward {code_value} ({value}) is listed under {teams}. It is one ward: its rows were "
        "loaded as one, and counts for the same month, offence and measure were added together."
    ),
    "unknown-ward": (
        "The ward code '{value}' is not a ward of {borough} in the ward list we hold "
        "({source}){more}."
    ),
    "wards-not-checked": (
        "The ward codes {where} were not checked: no ward list covering them is loaded yet. "
        "Load the MPS ward crime file first to have them checked."
    ),
    # ward boundaries (GeoJSON)
    "not-boundaries": "The file is not ward boundary GeoJSON: {detail}.",
    "boundary-no-code": "Feature {number} has no ward code in its {column} property.",
    "boundary-not-polygon": (
        "Feature {number} ({value}) is {kind}, not a ward's outline: every feature must be a "
        "Polygon or MultiPolygon."
    ),
    "boundary-bad-shape": (
        "Feature {number} ({value}) is not a well-formed {kind}: {detail}. Download the file "
        "again from the ONS Open Geography Portal as GeoJSON."
    ),
    "boundary-too-detailed": (
        "Feature {number} ({value}) has {points} points even simplified for the map (limit "
        "{limit} a ward): it has too many separate parts to draw."
    ),
    "boundary-simplified": (
        "{wards} ward outlines were simplified for the map, from {before} to {after} points "
        "(at most {ward_limit} a ward and {file_limit} a file)."
    ),
    "boundary-not-wgs84": (
        "Feature {number} ({value}) has the point ({x}, {y}), which is not a longitude and "
        "latitude: the file seems to be in another coordinate system (British National Grid "
        "eastings and northings, perhaps). Download the GeoJSON in WGS84 (longitude, latitude)."
    ),
    "boundary-duplicate": (
        "Feature {number} repeats the ward {value}, already given as feature {first}."
    ),
    "boundary-unknown-ward": (
        "Feature {number} ({value}, {name}) is not a ward of a London borough in the ward list "
        "we hold ({source}). Load the MPS ward crime file that has this ward first, or check "
        "that the file is a London borough's wards."
    ),
    "boundary-missing-wards": (
        "The file has {found} of {borough}'s {total} wards: a borough's map must have all of "
        "them. Missing: {missing}."
    ),
    "illustrative-figures": "{what} figures are ILLUSTRATIVE (made up to show how the template "
    "looks; not published figures). If you load it, its figures are marked 'illustrative' on "
    "every page, export and board pack section that shows them; load the real return to "
    "replace them.",
    # ONS LSOA lookups and police.uk street-level files
    "bad-gss-code": "'{value}' is not a GSS code of the kind the {column} column holds.",
    "bad-police-month": "The month '{value}' is not a real month written as YYYY-MM.",
    "month-not-file-month": (
        "The month {value} is not the file's month ({expected}, from its name or its first "
        "row): each police.uk file holds one month."
    ),
    "police-file-twice": "The zip holds two files for {value}: {first} and {second}.",
    "police-files-skipped": (
        "{count} file(s) in the zip are not street-level crime files and were not read: {names}."
    ),
    "not-placed": (
        "{count:,} of {rows:,} rows could not be placed in a local authority and ward: {why}. "
        "They are counted for the file but in no area."
    ),
    "unknown-crime-type": (
        "The crime type '{value}' is not one of the 14 police.uk types; {count:,} rows were "
        "counted under it as written."
    ),
    "no-lookup": (
        "No LSOA lookup is loaded, so no row could be placed: load the ONS LSOA (2021) to "
        "ward to local authority lookup (and, for months before June 2023, the LSOA 2011 to "
        "2021 lookup) first."
    ),
    "too-many-problems": "Reached the limit of {limit} problems; there may be more.",
    # council templates
    "not-a-number": "The {column} '{value}' is not a number.",
    "out-of-range": "The {column} {value} is out of range: it must be {allowed}.",
    "bad-date": "'{value}' is not a date we can read (write it like 2018-04-30).",
    "bad-quarter": (
        "'{value}' is not a financial-year quarter written like 2022/23 Q3 "
        "(Q1 = April to June, Q4 = January to March)."
    ),
    "trained-exceeds-requiring": (
        "Staff trained ({value}) is more than the staff requiring training ({limit})."
    ),
    "reoffenders-exceed-cohort": (
        "The number who reoffended ({value}) is more than the number in the cohort ({limit})."
    ),
    "referred-exceeds-reports": (
        "The number referred to the police ({value}) is more than the reports made ({limit})."
    ),
    "unknown-indicator": (
        "The indicator '{value}' is not defined: add it to the Indicators sheet of this file, "
        "or ask the manager to define it (page Partnership indicators)."
    ),
    "bad-period": (
        "'{value}' is not a period we can read: write a month 2025-03, a quarter 2024/25 Q4, "
        "a financial year 2024/25 or a date 2025-03-14."
    ),
    "period-not-frequency": (
        "'{value}' is a {found}, but '{indicator}' is reported by {frequency}: write its "
        "period like {example}."
    ),
    "not-on-list": (
        "'{value}' is not on the template's list of {list_name}; it was loaded as written. "
        "Tell the team if the list should change."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an extract, where the analyst can find it."""

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = ERROR

    def as_dict(self) -> dict:
        return asdict(self)


def problem(
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    severity: str = ERROR,
    **details: object,
) -> Problem:
    """Build a Problem with the message template for ``code`` filled in."""
    text_value = None if value is None else str(value)
    message = MESSAGES[code].format(column=column, value=text_value, **details)
    return Problem(code, message, sheet, row, column, text_value, severity)


class ProblemList:
    """Collects problems up to a cap, then notes that the list was cut."""

    def __init__(self, limit: int = 500) -> None:
        self.limit = limit
        self.items: list[Problem] = []
        self.truncated = False
        self.error_count = 0  # counted even past the cap: one cut error still rejects the file

    def add(self, item: Problem) -> None:
        if item.severity == ERROR:
            self.error_count += 1
        if len(self.items) < self.limit:
            self.items.append(item)
        else:
            self.truncated = True

    def extend(self, items) -> None:
        for item in items:
            self.add(item)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def full(self) -> bool:
        return len(self.items) >= self.limit

    def final(self) -> list[Problem]:
        """The problems, with the cap note last when the list was cut."""
        if self.truncated:
            return [*self.items, problem("too-many-problems", limit=self.limit)]
        return list(self.items)
