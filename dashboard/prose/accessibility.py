"""The accessibility statement's words, after the GOV.UK model statement: how accessible the
dashboard is, what is not, how to report a problem, the enforcement procedure, how it was
tested and when the statement was prepared.

Each section is (heading, parts); a part is a paragraph (a string) or a bulleted list (a list
of strings). Keep "Non-accessible content" true: add a gap when one is found, remove it when a
test shows it is fixed.
"""

from __future__ import annotations

PREPARED = "30 November 2026"
STANDARD = "Web Content Accessibility Guidelines (WCAG) version 2.1 AA standard"
EASS = "https://www.equalityadvisoryservice.com/"


def intro(borough: str) -> list[str]:
    return [
        f"This accessibility statement applies to the {borough} community safety dashboard: "
        "its pages of crime figures, charts and tables, and the pages where analysts upload "
        "files and managers undo uploads.",
        f"The dashboard is run by the {borough} community safety partnership. We want as many "
        "people as possible to be able to use it. For example, you should be able to:",
        [
            "use every page, control and chart table with a keyboard alone",
            "choose the period, crime type, strand, dataset, area and month with the "
            "browser's own drop-down lists, which screen readers announce with their labels",
            "read every chart as a sentence above it and as a table ('Show as table')",
            "skip past the navigation to the main content with the first Tab",
        ],
    ]


def report_problem(contact: str) -> list:
    who = f"email {contact}" if contact else "contact the community safety team"
    return [
        "If you find a problem that is not listed on this page, or you need a figure in a "
        f"different format (for example a spreadsheet or large print), {who}. Tell us the "
        "page's address, what you were trying to do and the assistive technology you use, if "
        "any. We will reply within 10 working days.",
    ]


ENFORCEMENT = [
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
    "(the 'accessibility regulations'). If you're not happy with how we respond to your "
    f"complaint, contact the Equality Advisory and Support Service (EASS): {EASS}",
]

COMPLIANCE = [
    f"This dashboard is partially compliant with the {STANDARD}, due to the non-compliances "
    "listed below. It has not yet been assessed against the criteria WCAG 2.2 added.",
]

NON_ACCESSIBLE = [
    "The content listed below is non-accessible for the following reasons.",
    [
        "The ward map writes the names of the larger wards on the map, but a ward's figure, "
        "and the names of wards too small to label, show only when a mouse pointer rests on "
        "it: a keyboard or screen-reader user cannot reach the wards on the map (WCAG 2.1.1 "
        "Keyboard, 1.3.1 Info and relationships). The same figures are in the table under "
        "the map ('Show as table') and on each ward's page, linked from the wards table.",
        "The charts show exact values in a pop-up when a mouse pointer rests on a point; the "
        "pop-ups cannot be reached by keyboard (WCAG 2.1.1). Each chart's sentence and its "
        "'Show as table' give the same figures.",
        "Some charts tell their lines or bars apart by colour (WCAG 1.4.1 Use of colour). The "
        "chart's table gives the same figures as text.",
        "The map shades wards by colour; the colour key gives the ranges, and the table the "
        "values (WCAG 1.4.1).",
        "The files the dashboard makes (board pack, spreadsheets) have not been tested with "
        "assistive technology.",
        "When sign-in is switched on, this statement is shown only after signing in.",
    ],
]

HOW_TESTED = [
    f"This statement was prepared on {PREPARED}. It was last reviewed on {PREPARED}.",
    "The dashboard is tested automatically, every time it changes, in Chromium:",
    [
        "axe-core checks every page against WCAG 2.1 A and AA rules, both open to all and "
        "signed in as a manager with an upload report showing and a chart's table open; any serious "
        "or critical problem fails the tests",
        "a keyboard-only test goes from the overview to a ward's page, changes the period, "
        "opens a chart's table, uploads a file, reads its preview, confirms it and (as a "
        "manager) undoes it, using only Tab, Shift+Tab, Enter, Space and the arrow keys",
    ],
    "It has not yet been tested by disabled users, with screen readers (NVDA, JAWS, "
    "VoiceOver) or with speech recognition software, nor audited by an accessibility "
    "specialist.",
]

IMPROVING = [
    "We plan to give the ward map a keyboard-reachable list of wards, to mark chart lines by "
    "shape as well as colour, and to test with screen readers and disabled users. We will "
    "update this statement as each is done.",
]
