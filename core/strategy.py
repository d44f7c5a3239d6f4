"""The partnership's strategy as reference data: its five priorities, the board pack sections
that commentary and action plans are written for, and the vocabularies of partnership
indicators and action plans. Apart from ``core.reference`` only for that module's size."""

from __future__ import annotations

from core.reference import name_key

# The partnership's 2022-27 strategy: its five priorities, in the annual report's order
# (slug -> name), and other spellings the partnership's own papers use.
STRATEGY_PRIORITIES = {
    "asb": "Anti-social behaviour",
    "domestic-abuse": "Domestic abuse and VAWG",
    "reducing-offending": "Reducing offending, violence, vulnerability and exploitation",
    "prevent": "Prevent",
    "hate-crime": "Hate crime",
}
PRIORITY_ALIASES = {
    "Reducing reoffending and supporting victims": "reducing-offending",
    "Reducing offending": "reducing-offending",
    "Hate crime and community cohesion": "hate-crime",
    "Domestic abuse": "domestic-abuse",
    "ASB": "asb",
}
# What the officer's commentary and the action plans are written for: each board pack section and
# priority page (slug -> (title, the strategy priority it belongs to, or None)).
BOARD_SECTIONS = {
    "crime": ("Neighbourhood crime", None),
    "asb": ("Anti-social behaviour", "asb"),
    "domestic-abuse": ("Domestic abuse and VAWG", "domestic-abuse"),
    "youth-violence": ("Serious youth violence and knife crime", "reducing-offending"),
    "reoffending": ("Reoffending and IOM", "reducing-offending"),
    "prevent": ("Prevent", "prevent"),
    "hate-crime": ("Hate crime", "hate-crime"),
}


def priority_slug(text: str | None) -> str | None:
    """A strategy priority's slug from its slug, name or another spelling (any case)."""
    key = name_key(str(text or ""))
    names = {
        **{name_key(s): s for s in STRATEGY_PRIORITIES},
        **{name_key(n): s for s, n in STRATEGY_PRIORITIES.items()},
        **{name_key(n): s for n, s in PRIORITY_ALIASES.items()},
    }
    return names.get(key)


# A partnership indicator's vocabularies (core/partnership.py) and an action plan's
# (core/board_notes.py): the Board's delivery plans' strands and the statuses of progress.
INDICATOR_UNITS = ("count", "percent", "rate", "money")
INDICATOR_DIRECTIONS = ("lower", "higher", "neither")  # which way is better
INDICATOR_ADDITIVE = ("yes", "no")  # do the periods' values add up over a year?
ACTION_STRANDS = ("Prevention", "Intervention", "Enforcement")
ACTION_STATUSES = ("Not started", "On track", "At risk", "Off track", "Complete")


def board_section(text: str | None) -> str | None:
    """A board section's slug from its slug or title, any case ('crime', 'Hate crime')."""
    key = name_key(str(text or ""))
    for slug, (title, _) in BOARD_SECTIONS.items():
        if key in (name_key(slug), name_key(title)):
            return slug
    return None
