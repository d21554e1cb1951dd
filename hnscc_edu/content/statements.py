"""The statements a learner reads before the content and a certificate prints, built from ``course.yaml`` so they
always say what the activity record says: accreditation, credit designation, participation, commercial support and
disclosures.

Wording follows the AMA's and ACCME's own forms (sources in ``references/evidence-log.md``, section "issue 18"):

- designation (AMA PRA booklet, enduring material): "<accredited provider> designates this enduring material for a
  maximum of <N> AMA PRA Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent
  of their participation in the activity." The credit phrase is printed in italics (``AMA_PHRASE`` finds it), in the
  template's own "Credit(s)" form: the AMA sets no rule for choosing the singular or plural;
- accreditation (ACCME): "<provider> is accredited by the Accreditation Council for Continuing Medical Education
  (ACCME) to provide continuing medical education for physicians.", with the joint-providership sentence before it
  when a non-accredited organisation shares the activity;
- participation: non-physicians receive a certificate that says the activity was designated for AMA PRA Category 1
  Credit™ (providers' established practice; the AMA text itself could not be read, see the evidence log).

While the course is a draft (``mode: draft``) the provider is not yet accredited for it, so the accreditation sentence
says so instead of claiming accreditation.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from .models import CourseInfo, CreditType, Person

AMA_PHRASE = re.compile(r"AMA PRA Category 1 Credits?(?:\(s\))?™")
DRAFT_ACCREDITATION = (
    "This activity is in draft: it has not been run for credit. The accredited provider that runs "
    "it states its accreditation here (course.yaml: provider, mode: for_credit)."
)


def amount_text(amount: float | Decimal) -> str:
    """Credit as the AMA writes it: two decimals, e.g. 1.00 or 0.75."""
    return f"{Decimal(str(amount)):.2f}"


# The AMA's template writes the phrase with "(s)"; it sets no rule for choosing "Credit" or "Credits", so the
# statements keep the template's form (the amount line of a certificate uses the credit type's own label).
AMA_CREDITS = "AMA PRA Category 1 Credit(s)™"


def ama_type(info: CourseInfo) -> CreditType | None:
    return next((t for t in info.credit.types if t.kind == "ama-pra-category-1"), None)


def designation_statement(info: CourseInfo) -> str | None:
    """The AMA credit designation statement, or None when the course designates no AMA credit."""
    if ama_type(info) is None:
        return None
    amount = info.credit.designated_amount
    return (
        f"{info.provider} designates this enduring material for a maximum of {amount_text(amount)} "
        f"{AMA_CREDITS}. Physicians should claim only the credit commensurate with the extent of "
        "their participation in the activity."
    )


def participation_statement(info: CourseInfo) -> str | None:
    """What a non-physician's certificate says the activity was designated for (None without AMA credit)."""
    if ama_type(info) is None:
        return None
    amount = info.credit.designated_amount
    return f"This activity was designated for a maximum of {amount_text(amount)} {AMA_CREDITS} by {info.provider}."


def statement_for(info: CourseInfo, credit_type: CreditType) -> str | None:
    """The statement printed on a certificate of this type: the designation for physicians' credit, the
    participation statement otherwise."""
    return designation_statement(info) if credit_type.kind == "ama-pra-category-1" else participation_statement(info)


def accreditation_statement(info: CourseInfo) -> str:
    if info.mode != "for_credit":
        return DRAFT_ACCREDITATION
    accredited = (
        f"{info.provider} is accredited by the Accreditation Council for Continuing Medical Education "
        "(ACCME) to provide continuing medical education for physicians."
    )
    if not info.joint_provider:
        return accredited
    return (
        "This activity has been planned and implemented in accordance with the accreditation requirements and "
        "policies of the Accreditation Council for Continuing Medical Education (ACCME) through the joint "
        f"providership of {info.provider} and {info.joint_provider}. {info.provider} is accredited by the ACCME to "
        "provide continuing medical education for physicians."
    )


def commercial_support_statement(info: CourseInfo) -> str:
    if info.commercial_support == "none":
        return "This activity received no commercial support."
    parts = []
    for supporter in info.commercial_support:
        if supporter.kind == "educational grant":
            parts.append(f"an educational grant from {supporter.name}")
        else:
            what = f" ({supporter.description})" if supporter.description else ""
            parts.append(f"in-kind support from {supporter.name}{what}")
    return "This activity is supported by " + "; ".join(parts) + "."


def disclosure_text(person: Person) -> str:
    if person.financial_relationships == "none":
        return "No relevant financial relationships with ineligible companies."
    return " ".join(f"{r.company}: {r.nature}. Mitigated: {r.mitigation}" for r in person.financial_relationships)


def mitigation_statement(info: CourseInfo) -> str:
    if all(p.financial_relationships == "none" for p in info.people):
        return (
            "No one in control of the content has a relevant financial relationship with an ineligible company, "
            "so none needed mitigating."
        )
    return "All relevant financial relationships listed above have been mitigated, as stated beside each."


def html_with_ama_italics(text: str) -> str:
    """``text`` escaped for HTML, with the AMA credit phrase in italics (the AMA prints it so)."""
    return AMA_PHRASE.sub(lambda m: f"<em>{m.group(0)}</em>", html.escape(text))
