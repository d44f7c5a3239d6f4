"""core.reference: every MPS label DOMAIN.md names maps to its MOPAC7 type, and no other does."""

from __future__ import annotations

import pytest

from core.reference import MOPAC7_TYPES, mopac7_type

# --- MOPAC7 categories ---------------------------------------------------------------------

MOPAC7_LABELS = [
    # Burglary: every minor under major BURGLARY, current and pre-2019
    ("BURGLARY", "BURGLARY IN A DWELLING", "Burglary"),
    ("Burglary", "Domestic Burglary", "Burglary"),
    ("burglary", "Burglary - Residential", "Burglary"),
    ("BURGLARY", "Res Burglary of a Home", "Burglary"),
    ("BURGLARY", "RES BURGLARY OF UNCONNECTED BUILDING", "Burglary"),
    ("Burglary", "Burglary Business and Community", "Burglary"),
    ("BURGLARY", "burglary non-dwelling", "Burglary"),
    ("Burglary", "Burglary in Other Buildings", "Burglary"),
    # Criminal damage: current minor CRIMINAL DAMAGE; pre-2019 major, any minor but Arson
    ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE", "Criminal damage"),
    ("Arson and Criminal Damage", "Criminal Damage", "Criminal damage"),
    ("Criminal Damage", "Criminal Damage To Dwelling", "Criminal damage"),
    ("Criminal Damage", "Criminal Damage To Motor Vehicle", "Criminal damage"),
    ("Criminal Damage", "Criminal Damage To Other Building", "Criminal damage"),
    ("CRIMINAL DAMAGE", "Other Criminal Damage", "Criminal damage"),
    # Robbery: every minor under major ROBBERY
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY", "Robbery"),
    ("Robbery", "Robbery of Business Property", "Robbery"),
    ("robbery", "Personal Property", "Robbery"),
    # Theft from motor vehicle
    ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE", "Theft from motor vehicle"),
    ("Vehicle Offences", "Theft from a Motor Vehicle", "Theft from motor vehicle"),
    ("Theft & Handling", "Theft From Motor Vehicle", "Theft from motor vehicle"),
    ("Theft & Handling", "Theft From M/V", "Theft from motor vehicle"),
    # Theft of motor vehicle
    ("VEHICLE OFFENCES", "THEFT OR UNAUTH TAKING OF A MOTOR VEH", "Theft of motor vehicle"),
    ("Vehicle Offences", "Theft or Taking of a Motor Vehicle", "Theft of motor vehicle"),
    ("Theft & Handling", "Theft/Taking Of Motor Vehicle", "Theft of motor vehicle"),
    ("Theft & Handling", "Theft/Taking of M/V", "Theft of motor vehicle"),
    # Theft from the person
    ("THEFT", "THEFT FROM THE PERSON", "Theft from the person"),
    ("Theft", "Theft from Person", "Theft from the person"),
    ("Theft & Handling", "Other Theft Person", "Theft from the person"),
    ("Theft & Handling", "Theft Person", "Theft from the person"),
    # Violence with injury
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", "Violence with injury"),
    ("Violence Against the Person", "Assault with Injury", "Violence with injury"),
    ("Violence Against the Person", "Wounding/GBH", "Violence with injury"),
    ("Violence Against The Person", "  violence with injury ", "Violence with injury"),
]


@pytest.mark.parametrize(("major", "minor", "expected"), MOPAC7_LABELS)
def test_mopac7_type_maps_every_domain_label(major, minor, expected):
    assert mopac7_type(major, minor) == expected


def test_mopac7_label_table_covers_all_seven_types():
    assert {expected for _, _, expected in MOPAC7_LABELS} == set(MOPAC7_TYPES)
    assert len(MOPAC7_TYPES) == 7


@pytest.mark.parametrize(
    ("major", "minor"),
    [
        ("ARSON AND CRIMINAL DAMAGE", "ARSON"),
        ("Arson and Criminal Damage", "Arson"),
        ("Criminal Damage", "Arson"),  # pre-2019: the one minor under Criminal Damage left out
        ("CRIMINAL DAMAGE", " arson "),
        ("Violence Against the Person", "Grievous Bodily Harm"),
        ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY"),
        ("Violence Against the Person", "Common Assault"),
        ("THEFT", "SHOPLIFTING"),
        ("THEFT", "OTHER THEFT"),
        ("VEHICLE OFFENCES", "INTERFERING WITH A MOTOR VEHICLE"),
        ("DRUG OFFENCES", "POSSESSION OF DRUGS"),
        ("", ""),
        (None, None),
    ],
)
def test_mopac7_type_negatives(major, minor):
    assert mopac7_type(major, minor) is None
