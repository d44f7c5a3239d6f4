"""What an exemption withholds: an exempt indicator, what it includes, and every figure that
includes either.

The rule (README, *Exempt items*), general rather than a list: a figure the viewer may see must
not let an exempt one be worked out by arithmetic. So, from what each figure includes
(``core.reference.INCLUDES``: the MOPAC7 total its types, TNO every offence group, the hate crime
total its strands, each MPS dashboard group its subgroups):

- an exempt item is withheld with everything it includes (else the parts add up to it), and
- every figure that includes any of those is withheld too (else the total less the visible
  parts gives it back).

Defined once here; ``dashboard.auth.exempt`` applies it where frames are handed out, so pages,
exports, the pack, ranks, sentences and the upload preview follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.reference import (
    INCLUDES,
    MPS_DASHBOARD_DATASETS,
    MPS_DASHBOARD_UPLOAD,
    OVERALL_CRIME,
    SAME_INDICATOR,
    TNO_NON_VICTIM_BASED,
    TNO_VICTIM_BASED,
    category_totals,
    mopac7_type,
)

# each part and the totals that include it directly
_INCLUDED_IN: dict[str, set[str]] = {}
for _total, _parts in INCLUDES.items():
    for _part in _parts:
        _INCLUDED_IN.setdefault(_part, set()).add(_total)
_KNOWN = {*INCLUDES, *_INCLUDED_IN, *SAME_INDICATOR}


def _reach(start: set[str], step: Mapping[str, Iterable[str]]) -> set[str]:
    """``start`` and everything ``step`` leads to from it, any number of steps on."""
    found, todo = set(start), list(start)
    while todo:
        for name in step.get(todo.pop(), ()):
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


def _spellings(names: set[str]) -> set[str]:
    """The names with each indicator's other spelling (the publisher spells one two ways)."""
    other = {**SAME_INDICATOR, **{v: k for k, v in SAME_INDICATOR.items()}}
    return names | {other[n] for n in names if n in other}


def covered(exempt: Iterable[str]) -> set[str]:
    """The exempt indicators and everything they include (their parts, parts of parts)."""
    return _spellings(_reach(_spellings(set(exempt)), INCLUDES))


def withheld(exempt: Iterable[str]) -> set[str]:
    """Every indicator hidden when ``exempt`` are: what they include and what includes that. A
    name the hierarchy does not know (a subgroup new to the publisher) may be in any TNO figure,
    so withholds them all."""
    found = _reach(covered(exempt), _INCLUDED_IN)
    if any(name not in _KNOWN for name in found):
        found |= {TNO_VICTIM_BASED, TNO_NON_VICTIM_BASED, OVERALL_CRIME}
    return _spellings(found)


def category_withheld(
    major: str | None, minor: str | None, exempt: Iterable[str], hidden: set[str]
) -> bool:
    """Whether a borough or ward file's category (a row of the Sources page) is withheld: it is
    named among the ``hidden`` (``withheld(exempt)``), its MOPAC7 type is, or it lies within an
    exempt total (TNO, Overall crime: the visible categories would add up to it)."""
    if minor in hidden or mopac7_type(major, minor) in hidden:
        return True
    return bool(set(category_totals(major, minor)) & covered(exempt))


def datasets_withheld(exempt: Iterable[str]) -> set[str]:
    """The exempt datasets and the upload log's name of a file holding one of them (an MPS
    dashboard file of offences and outcomes is logged as one upload)."""
    names = set(exempt)
    return names | ({MPS_DASHBOARD_UPLOAD} if names & set(MPS_DASHBOARD_DATASETS) else set())
