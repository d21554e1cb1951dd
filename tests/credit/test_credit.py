"""Credit: attested minutes rounded to 0.25 and capped at 1.00; AMA wording only for MD/DO physicians."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hnscc_edu.content import statements
from hnscc_edu.content.models import CreditSettings, Profession
from hnscc_edu.rules.credit import credit_for_minutes, credit_type_for, minutes_for_first_increment
from tests.credit.conftest import INFO


@pytest.mark.parametrize(
    "minutes, credit",
    [
        (60, "1.00"),
        (45, "0.75"),
        (50, "0.75"),
        (52, "0.75"),
        (53, "1.00"),
        (120, "1.00"),
        (600, "1.00"),
        (30, "0.50"),
        (22, "0.25"),
        (23, "0.50"),
        (8, "0.25"),
        (7, "0.00"),
        (1, "0.00"),
    ],
)
def test_credit_is_rounded_to_the_nearest_quarter_and_capped(minutes, credit):
    assert credit_for_minutes(minutes, 0.25, 1.0) == Decimal(credit)


def test_other_increments_and_caps_come_from_configuration():
    assert credit_for_minutes(100, 0.5, 2.0) == Decimal("1.50")
    assert credit_for_minutes(200, 0.5, 2.0) == Decimal("2.00")
    assert minutes_for_first_increment(0.25) == 8 and minutes_for_first_increment(0.5) == 15


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, 30.5, "60", None, True])
def test_impossible_minutes_are_refused_with_a_plain_message(minutes):
    with pytest.raises(ValueError, match="minutes"):
        credit_for_minutes(minutes)


PHYSICIANS = [
    "radiation_oncologist",
    "medical_oncologist",
    "surgeon",
    "radiologist",
    "pathologist",
    "palliative_care",
    "trainee",
]


@pytest.mark.parametrize("profession", PHYSICIANS)
@pytest.mark.parametrize("degree", ["MD", "DO", "md"])
def test_md_and_do_physicians_receive_ama_credit(profession, degree):
    kind = credit_type_for(profession, degree, INFO.credit)
    assert kind.amount_label == "AMA PRA Category 1 Credit™" and kind.certificate_title == "Certificate of Credit"


@pytest.mark.parametrize("profession", [p.value for p in Profession])
@pytest.mark.parametrize("degree", ["RN", "NP", "PhD", "MSc", "PharmD", "DDS", "DMD", "RD", "MBBS", "Other", "PA"])
def test_everyone_else_receives_a_certificate_of_participation_without_ama_credit(profession, degree):
    kind = credit_type_for(profession, degree, INFO.credit)
    assert kind.certificate_title == "Certificate of Participation" and kind.kind == "participation"
    assert "AMA" not in f"{kind.certificate_title} {kind.amount_label} {kind.amount_heading}"
    # ... but it says what the activity was designated for, which PAs and NPs need (issue 18)
    assert statements.statement_for(INFO, kind) == (
        f"This activity was designated for a maximum of 1.00 AMA PRA Category 1 Credit(s)™ by {INFO.provider}."
    )


@pytest.mark.parametrize(
    "profession",
    ["nurse", "medical_physicist", "dosimetrist", "dentist", "pharmacist", "speech_language_pathologist", "dietitian"],
)
def test_a_non_physician_with_an_md_still_gets_attendance(profession):
    assert credit_type_for(profession, "MD", INFO.credit).id == "attendance"


def test_the_defaults_reproduce_the_course_file():
    assert CreditSettings().types[0].degrees == ["MD", "DO"]
    assert credit_type_for("nurse", "RN", CreditSettings()).id == "attendance"
