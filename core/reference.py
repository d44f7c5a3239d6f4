"""Fixed vocabularies: the London boroughs, MPS non-borough areas and categories, MOPAC7 types."""

from __future__ import annotations

import re

import pandas as pd

from core.months import Month
from core.values import is_missing

# ONS GSS codes of the 33 London local authorities. The City of London is policed separately
# (not in MPS data) so it is never among the 32 boroughs that a London rank needs.
LONDON_AUTHORITIES: dict[str, str] = {
    "E09000001": "City of London",
    "E09000002": "Barking and Dagenham",
    "E09000003": "Barnet",
    "E09000004": "Bexley",
    "E09000005": "Brent",
    "E09000006": "Bromley",
    "E09000007": "Camden",
    "E09000008": "Croydon",
    "E09000009": "Ealing",
    "E09000010": "Enfield",
    "E09000011": "Greenwich",
    "E09000012": "Hackney",
    "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey",
    "E09000015": "Harrow",
    "E09000016": "Havering",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea",
    "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth",
    "E09000023": "Lewisham",
    "E09000024": "Merton",
    "E09000025": "Newham",
    "E09000026": "Redbridge",
    "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark",
    "E09000029": "Sutton",
    "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth",
    "E09000033": "Westminster",
}
CITY_OF_LONDON = "E09000001"
LONDON_BOROUGH_CODES = frozenset(c for c in LONDON_AUTHORITIES if c != CITY_OF_LONDON)

# ONS statistical Inner London (DOMAIN.md "Most Similar Group"), less the City (not in MPS data);
# Outer London is the other 19 boroughs. The comparator groups shipped with the dashboard.
INNER_LONDON_CODES = frozenset(
    c
    for c, name in LONDON_AUTHORITIES.items()
    if name
    in {
        "Camden",
        "Hackney",
        "Hammersmith and Fulham",
        "Haringey",
        "Islington",
        "Kensington and Chelsea",
        "Lambeth",
        "Lewisham",
        "Newham",
        "Southwark",
        "Tower Hamlets",
        "Wandsworth",
        "Westminster",
    }
)
OUTER_LONDON_CODES = LONDON_BOROUGH_CODES - INNER_LONDON_CODES
SHIPPED_GROUPS: dict[str, frozenset[str]] = {
    "London (32 boroughs)": LONDON_BOROUGH_CODES,
    "Inner London": INNER_LONDON_CODES,
    "Outer London": OUTER_LONDON_CODES,
}


def ons_group_of(borough_code: str | None) -> str | None:
    """The ONS grouping (Inner or Outer London) a borough belongs to: its default most similar
    group (None for an area that is not one of the 32 boroughs)."""
    if borough_code in INNER_LONDON_CODES:
        return "Inner London"
    return "Outer London" if borough_code in OUTER_LONDON_CODES else None


# MPS rows that are not boroughs: loaded and shown, never ranked.
NON_BOROUGH_AREAS: dict[str, str] = {
    "london heathrow and london city airports": "MPS-AIRPORTS",
    "heathrow": "MPS-HEATHROW",
    "aviation security (so18)": "MPS-SO18",
    "unknown": "MPS-UNKNOWN",
    "city of london": CITY_OF_LONDON,
}

WARD_CODE = re.compile(r"^[EW]05\d{6}$")


def name_key(name: str) -> str:
    """Comparable form of an area name: case, '&' and spacing do not matter."""
    text = str(name).strip().lower().replace("&", "and")
    return re.sub(r"[\s\-]+", " ", text)


_BOROUGH_BY_KEY = {name_key(n): c for c, n in LONDON_AUTHORITIES.items()}


def borough_code(name: str) -> str | None:
    """The GSS code of a London borough (or MPS non-borough area) named in an MPS file."""
    key = name_key(name)
    return _BOROUGH_BY_KEY.get(key) or NON_BOROUGH_AREAS.get(key)


def is_london_borough(code: str) -> bool:
    return code in LONDON_BOROUGH_CODES


def borough_names() -> list[str]:
    return sorted(n for c, n in LONDON_AUTHORITIES.items() if c != CITY_OF_LONDON)


# Every minor category label seen in MPS recorded-crime files, across vintages (upper case).
# A label outside this list is loaded under its own name and reported as a warning.
KNOWN_MINOR_CATEGORIES = frozenset(
    s.upper()
    for s in [
        # current files (2022 onwards)
        "ARSON",
        "CRIMINAL DAMAGE",
        "BURGLARY BUSINESS AND COMMUNITY",
        "BURGLARY IN A DWELLING",
        "DOMESTIC BURGLARY",
        "BURGLARY - RESIDENTIAL",
        "BURGLARY NON-DWELLING",
        "RES BURGLARY OF A HOME",
        "RES BURGLARY OF UNCONNECTED BUILDING",
        "POSSESSION OF DRUGS",
        "TRAFFICKING OF DRUGS",
        "FRAUD AND FORGERY",
        "MISC CRIMES AGAINST SOCIETY",
        "NFIB",
        "POSSESSION OF WEAPONS",
        "OTHER OFFENCES PUBLIC ORDER",
        "PUBLIC FEAR ALARM OR DISTRESS",
        "RACE OR RELIGIOUS AGG PUBLIC FEAR",
        "VIOLENT DISORDER",
        "ROBBERY OF BUSINESS PROPERTY",
        "ROBBERY OF PERSONAL PROPERTY",
        "OTHER SEXUAL OFFENCES",
        "RAPE",
        "BICYCLE THEFT",
        "OTHER THEFT",
        "SHOPLIFTING",
        "THEFT FROM THE PERSON",
        "AGGRAVATED VEHICLE TAKING",
        "INTERFERING WITH A MOTOR VEHICLE",
        "THEFT FROM A VEHICLE",
        "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
        "DEATH SERIOUS INJURY ILLEGAL DRIVING",
        "HOMICIDE",
        "STALKING AND HARASSMENT",
        "VIOLENCE WITH INJURY",
        "VIOLENCE WITHOUT INJURY",
        # 2019-2022 files (Title Case)
        "Burglary - Business and Community",
        "Burglary - Residential",
        "Drug Trafficking",
        "Possession of Drugs",
        "Misc Crimes Against Society",
        "Possession of Weapon",
        "Possession of Article with Blade or Point",
        "Possession of Other Weapon",
        "Possession of Firearms Offences",
        "Possession of Firearm with Intent",
        "Other Firearm Offences",
        "Other Offences Against the State, or Public Order",
        "Racially or Religiously Aggravated Public Fear, Al",
        "Race or Religious Aggravated Public Fear",
        "Theft from Person",
        "Theft from a Motor Vehicle",
        "Theft or Taking of a Motor Vehicle",
        "Absconding from Lawful Custody",
        "Soliciting for Prostitution",
        "Concealing an Infant Death Close to Birth",
        "Bail Offences",
        "Bigamy",
        "Dangerous Driving",
        "Disclosure, Obstruction, False or Misleading State",
        "Forgery or Use of Drug Prescription",
        "Fraud or Forgery Associated with Driver Records",
        "Going Equipped for Stealing",
        "Handling Stolen Goods",
        "Making, Supplying or Possessing Articles for use i",
        "Obscene Publications",
        "Other Forgery",
        "Other Notifiable Offences",
        "Perjury",
        "Perverting Course of Justice",
        "Possession of False Documents",
        "Profitting From or Concealing Proceeds of Crime",
        "Threat or Possession With Intent to Commit Crimina",
        "Wildlife Crime",
        "Exploitation of Prostitution",
        "Offender Management Act",
        # pre-2019 files
        "Burglary in Other Buildings",
        "Burglary in a Dwelling",
        "Criminal Damage To Dwelling",
        "Criminal Damage To Motor Vehicle",
        "Criminal Damage To Other Building",
        "Other Criminal Damage",
        "Other Drugs",
        "Counted per Victim",
        "Other Fraud & Forgery",
        "Going Equipped",
        "Other Notifiable",
        "Business Property",
        "Personal Property",
        "Other Sexual",
        "Motor Vehicle Interference & Tampering",
        "Other Theft Person",
        "Theft Person",
        "Theft From Motor Vehicle",
        "Theft From M/V",
        "Theft From Shops",
        "Theft/Taking Of Motor Vehicle",
        "Theft/Taking of M/V",
        "Theft/Taking of Pedal Cycle",
        "Assault with Injury",
        "Common Assault",
        "Grievous Bodily Harm",
        "Harassment",
        "Murder",
        "Offensive Weapon",
        "Other violence",
        "Wounding/GBH",
    ]
)


# --- MOPAC7: the seven neighbourhood crime types (DOMAIN.md) -----------------------------

MOPAC7_TYPES: list[str] = [
    "Burglary",
    "Criminal damage",
    "Robbery",
    "Theft from motor vehicle",
    "Theft from the person",
    "Theft of motor vehicle",
    "Violence with injury",
]
MOPAC7_TOTAL = "MOPAC7 total"
# every offence in an MPS borough or ward file, whatever its categories (DOMAIN.md "Overall crime")
OVERALL_CRIME = "Overall crime"
CRIME_INDICATORS = [*MOPAC7_TYPES, MOPAC7_TOTAL, OVERALL_CRIME]
LONDON_BOROUGH_COUNT = 32


_MINOR_TYPES: dict[str, str] = {
    **dict.fromkeys(
        [
            "THEFT FROM A VEHICLE",
            "THEFT FROM A MOTOR VEHICLE",
            "THEFT FROM MOTOR VEHICLE",
            "THEFT FROM M/V",
        ],
        "Theft from motor vehicle",
    ),
    **dict.fromkeys(
        [
            "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
            "THEFT OR TAKING OF A MOTOR VEHICLE",
            "THEFT/TAKING OF MOTOR VEHICLE",
            "THEFT/TAKING OF M/V",
        ],
        "Theft of motor vehicle",
    ),
    **dict.fromkeys(
        ["THEFT FROM THE PERSON", "THEFT FROM PERSON", "OTHER THEFT PERSON", "THEFT PERSON"],
        "Theft from the person",
    ),
    **dict.fromkeys(
        ["VIOLENCE WITH INJURY", "ASSAULT WITH INJURY", "WOUNDING/GBH"], "Violence with injury"
    ),
    "CRIMINAL DAMAGE": "Criminal damage",
}


def _label(value: str | None) -> str:
    """Upper-case label with spaces tidied, since MPS letter case changes between files."""
    if is_missing(value):
        return ""
    return " ".join(str(value).split()).upper()


def mopac7_type(major: str | None, minor: str | None) -> str | None:
    """MOPAC7 type of an MPS (major, minor) category pair, or None if it is not one of the 7."""
    major_label, minor_label = _label(major), _label(minor)
    if major_label == "BURGLARY":
        return "Burglary"
    if major_label == "ROBBERY":
        return "Robbery"
    if major_label == "CRIMINAL DAMAGE" and minor_label != "ARSON":  # pre-2019 files
        return "Criminal damage"
    return _MINOR_TYPES.get(minor_label)


# --- the other priorities' fixed lists ----------------------------------------------------------

# The MPS Monthly Crime Dashboard's two datasets; a file holding both is one upload logged under
# MPS_DASHBOARD_UPLOAD (a file holding one is logged under that one's name).
MPS_DASHBOARD_DATASETS = ("mps_dashboard_offences", "mps_dashboard_outcomes")
MPS_DASHBOARD_UPLOAD = "mps_dashboard"

# Domestic abuse (DOMAIN.md): the MPS dashboard's offences and DA violence with injury, which the
# file spells "Domestic Abuse violence with injury" under Offences and "Domestic Abuse Violence
# with Injury" under Positive Outcomes: one indicator, named as the offences spell it.
DOMESTIC_ABUSE = "Domestic Abuse"
DA_VIOLENCE_WITH_INJURY = "Domestic Abuse violence with injury"
DOMESTIC_ABUSE_INDICATORS = [DOMESTIC_ABUSE, DA_VIOLENCE_WITH_INJURY]
_SUBGROUP_NAMES = {_label(name): name for name in DOMESTIC_ABUSE_INDICATORS}


def dashboard_subgroup(name: str) -> str:
    """The one name of an MPS dashboard subgroup, however the file's measure spells it."""
    return _SUBGROUP_NAMES.get(_label(name), name)


HATE_CRIME_TOTAL = "Hate crime"  # the MPS total of every strand
# The MPS hate crime strands, as the Monthly Crime Dashboard and the council template name them.
HATE_STRANDS = [
    "Racist and Religious Crime",
    "Racist Crime",
    "Faith Crime",
    "AntiSemitic",
    "Islamophobic Crime",
    "Homophobic Crime",
    "Transphobic Crime",
    "Disability Crime",
]
# Strands that are themselves totals of others (a crime may be flagged under several strands, so
# these "include" rather than "add up to" their parts): what an exemption of a part withholds.
HATE_STRAND_PARTS: dict[str, frozenset[str]] = {
    "Racist and Religious Crime": frozenset(
        {"Racist Crime", "Faith Crime", "AntiSemitic", "Islamophobic Crime"}
    ),
    "Faith Crime": frozenset({"AntiSemitic", "Islamophobic Crime"}),
}
# The MPS recording system changed at the end of February 2024: the last old month, the first new.
RECORDING_BREAK_LAST_OLD = Month(pd.Timestamp(2024, 2, 1))
RECORDING_BREAK_FIRST_NEW = Month(pd.Timestamp(2024, 3, 1))
# Prevent WRAP training: the audiences people trained are counted by (the council template).
WRAP_AUDIENCES = [
    "Education professionals",
    "Frontline staff",
    "Parents",
    "Pupils",
    "Foster carers",
]

# --- police.uk street-level crime (DOMAIN "Anti-social behaviour and police.uk") ---------------

POLICE_UK_DATASET = "police_uk"
POLICE_UK_ASB = "Anti-social behaviour"
# The 14 crime types of data.police.uk's street-level files, in the publisher's order.
POLICE_UK_TYPES: list[str] = [
    POLICE_UK_ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]


# --- what each figure includes: what an exemption withholds (domain.exemptions) ------------------

TNO_VICTIM_BASED = "TNO Victim Based"  # MPS dashboard: total notifiable offences with a victim
TNO_NON_VICTIM_BASED = "TNO Non Victim Based"
DA_VWI = "Domestic Abuse violence with injury"
# The MPS Monthly Crime Dashboard's offence groups as published: the subgroup named as the group
# includes the group's other subgroups (a crime may be flagged several ways, so they include rather
# than add up to their parts).
_DASHBOARD_GROUPS: dict[str, frozenset[str]] = {
    HATE_CRIME_TOTAL: frozenset(HATE_STRANDS),
    **HATE_STRAND_PARTS,
    "Domestic Abuse": frozenset({DA_VWI}),
    "Knife Crime": frozenset({"Knife Crime with Injury"}),
    "Knife Crime with Injury": frozenset({"Knife Crime with Injury (Personal Robbery)"}),
    "Knife Injury Victims (1-24)": frozenset({"Knife Injury Victims (non DA 1-24)"}),
    "Gun Crime": frozenset({"Gun Crime Personal Robbery", "Lethal Barrel Discharge"}),
}
# Offence groups that count offences with and without a victim (hate crime includes public order
# offences): neither TNO figure includes one whole, Overall crime (TNO) includes each.
_FLAGGED_GROUPS = frozenset({HATE_CRIME_TOTAL, "Domestic Abuse", "Knife Crime", "Gun Crime"})
# Each total and the figures it includes directly (their parts are looked up in turn). A figure
# named nowhere here includes nothing; every offence count is inside Overall crime.
INCLUDES: dict[str, frozenset[str]] = {
    OVERALL_CRIME: frozenset({TNO_VICTIM_BASED, TNO_NON_VICTIM_BASED, *_FLAGGED_GROUPS}),
    TNO_VICTIM_BASED: frozenset({MOPAC7_TOTAL}),
    MOPAC7_TOTAL: frozenset(MOPAC7_TYPES),
    "Robbery": frozenset({"Robbery Mobile phone"}),
    "Theft from the person": frozenset({"Theft Person - Mobile phone"}),
    **_DASHBOARD_GROUPS,
}
# One indicator the publisher spells two ways (offences, positive outcomes): exempt together.
SAME_INDICATOR: dict[str, str] = {"Domestic Abuse Violence with Injury": DA_VWI}
# The datasets an exemption may name (the upload log's names of figures pages show).
EXEMPTIBLE_DATASETS = (
    "borough_crime",
    "ward_crime",
    *MPS_DASHBOARD_DATASETS,
    "serious_youth_violence",
    "iom",
    "proven_reoffending",
    "wrap_training",
    "hate_reporting_centres",
    POLICE_UK_DATASET,
)
# Every indicator name an exemption may name (besides subgroups loaded under new names).
INDICATOR_NAMES: frozenset[str] = frozenset(
    {*INCLUDES, *(p for parts in INCLUDES.values() for p in parts), *SAME_INDICATOR}
    | set(POLICE_UK_TYPES)
)

# Major categories of the MPS borough and ward files whose offences have no victim (any vintage,
# upper case): their rows count towards TNO Non Victim Based, every other row towards Victim Based.
NON_VICTIM_MAJORS = frozenset(
    {
        "DRUG OFFENCES",
        "DRUGS",
        "POSSESSION OF WEAPONS",
        "PUBLIC ORDER OFFENCES",
        "MISCELLANEOUS CRIMES AGAINST SOCIETY",
        "OTHER NOTIFIABLE OFFENCES",
        "FRAUD AND FORGERY",
        "FRAUD OR FORGERY",
        "NFIB FRAUD",
    }
)


def category_totals(major: str | None, minor: str | None) -> tuple[str, ...]:
    """The figures a borough or ward file's category counts towards, nearest first: its MOPAC7
    type (if one), the MOPAC7 total, TNO (victim based or not) and Overall crime."""
    kind = mopac7_type(major, minor)
    tno = TNO_NON_VICTIM_BASED if _label(major) in NON_VICTIM_MAJORS else TNO_VICTIM_BASED
    mopac7 = (kind, MOPAC7_TOTAL) if kind else ()
    return (*mopac7, tno, OVERALL_CRIME)
