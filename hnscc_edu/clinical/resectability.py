"""Imaging features that suggest a recurrent head and neck cancer is technically unresectable.

The feature list is a teaching list recalled from the NCCN "principles of surgery". That NCCN page was not readable in
any public copy, so **the list is unconfirmed as an NCCN statement** and may differ from the current guideline text
(confirmations.md item 15; the recalled version in the evidence sheet also named skin involvement, which is not
modelled here). Several features are separately confirmed as T4b criteria in AJCC staging (confirmations.md items
16-17); each reason names that support. T4b describes the **primary tumour**: carotid encasement by a nodal
metastasis is not a T criterion (nodes are staged in N), but it bears on resectability in the same way, so the carotid
feature counts whichever mass surrounds the artery (clinical-module2 E2).

The carotid threshold comes from Yousem DM et al., Radiology 1995;195:715-720 (PMID 7754000; reference key
``yousem1995-carotid-mr``) [verified: PubMed abstract]: MR was compared with surgical findings in 49 patients
(53 arteries), and circumferential involvement of more than 270 degrees predicted unresectability (sensitivity 100%,
12 of 12; specificity 88%, 36 of 41). It is one small MR-surgical series, and no radiological criterion for
encasement has been standardised (``frontiers2021-carotid-review``); Lodder 2013 illustrates the sign with images.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import _validate as check

SOURCE_NOTE = ("Teaching list recalled from the NCCN principles of surgery; the NCCN page could not be read, so "
               "the list is unconfirmed as an NCCN statement and may differ from the current guideline "
               "(confirmations.md item 15). Where a feature is also an AJCC T4b criterion of the primary tumour, "
               "that staging source is verified and named in the reason; the carotid threshold has its own source "
               "(Yousem 1995).")
RESECTABLE_NOTE = ("None of the listed imaging features is present, so the tumour looks technically resectable. "
                   "Whether surgery is advisable is a separate judgement of the multidisciplinary team: performance "
                   "status, comorbidity, expected function and the patient's wishes.")
UNRESECTABLE_NOTE = ("These features suggest the tumour cannot be removed with clear margins; confirm with an "
                     "experienced head and neck surgical team before ruling out salvage surgery.")
NOT_ASSESSED_NOTE = "No imaging findings were given, so resectability has not been assessed."

# finding -> (plain-language reason, reference keys)
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    # One feature for primary or nodal disease: the resectability question is the same, the staging is not (T4b only
    # when the primary tumour encases the artery), so the reason says both.
    "carotid_encasement_270": (
        ("Tumour (the primary or a nodal mass) surrounds the carotid artery by more than 270°, the imaging sign of "
         "encasement: in a 1995 MR-surgical series of 53 arteries, more than 270° predicted that the tumour could not "
         "be removed from the artery. No radiological criterion has been standardised, so borderline readings need "
         "joint review by the radiologist and surgeon. Encasement by the primary tumour is a T4b criterion in AJCC "
         "staging of oral cavity, oropharynx, hypopharynx and larynx; encasement by a node is not (T describes the "
         "primary), although it still counts against resection."),
        ("yousem1995-carotid-mr", "frontiers2021-carotid-review", "lodder2013-carotid", "nci-pdq-oropharynx-2014",
         "nci-pdq-hypopharynx", "nccn-head-neck")),
    "prevertebral_fascia": (
        "The tumour invades the prevertebral fascia or space (T4b for hypopharynx and larynx).",
        ("nccn-head-neck", "nci-pdq-hypopharynx", "aaohns-tnm-guide-5")),
    "cervical_vertebrae": (
        "The tumour invades the cervical vertebrae.",
        ("nccn-head-neck",)),
    "skull_base": (
        "The tumour invades the skull base (T4b for oral cavity and oropharynx).",
        ("nccn-head-neck", "mattavelli2024-t4b", "nci-pdq-oropharynx-2014")),
    "mediastinal_structures": (
        "The tumour involves mediastinal structures (T4b for hypopharynx and larynx).",
        ("nccn-head-neck", "nci-pdq-hypopharynx", "aaohns-tnm-guide-5")),
    "pterygoid_muscles_severe_trismus": (
        ("The tumour involves the pterygoid muscles with severe trismus (lateral pterygoid or pterygoid plate "
        "invasion is T4b for oropharynx; masticator-space or pterygoid-plate invasion is T4b for oral cavity, "
        "though infra-notch masticator-space tumours can be resected with good outcomes)."),
        ("nccn-head-neck", "nci-pdq-oropharynx-2014", "mattavelli2024-t4b", "liao2007-infranotch")),
    "nasopharynx_eustachian_extension": (
        ("The tumour extends into the nasopharynx or along the Eustachian tube (lateral nasopharynx invasion is "
         "T4b for oropharynx)."),
        ("nccn-head-neck", "nci-pdq-oropharynx-2014")),
}


@dataclass(frozen=True)
class Resectability:
    """Outcome of :func:`assess`: ``resectable`` is True, False, or None (not assessed)."""

    resectable: bool | None
    reasons: list[str]
    findings: tuple[str, ...]
    note: str
    source_note: str = SOURCE_NOTE
    references: tuple[str, ...] = field(default=())


def assess(findings: Iterable[str] | Mapping[str, bool] | str | None) -> Resectability:
    """Whether imaging findings suggest technical unresectability (teaching list recalled from NCCN; see module note).

    ``findings`` is a list (or set) of feature names from :data:`FEATURES`, a single name, or a mapping of feature
    names to True/False (only the True ones count; every name is checked against the vocabulary). Any feature
    present -> ``resectable=False`` with one plain-language reason per feature; none -> ``resectable=True``
    (technically resectable; patient factors are judged separately, see ``note``); ``None`` -> not assessed
    (``resectable=None``). Names are matched ignoring case and surrounding spaces; duplicates count once.
    Sources: ``nccn-head-neck`` (unconfirmed list), ``yousem1995-carotid-mr`` for the > 270° carotid sign and the AJCC
    T4b reprints named per reason [verified]; T4b applies to the primary tumour only.

    Raises ValueError for a finding outside the vocabulary, naming it and listing the vocabulary.
    """
    if findings is None:
        return Resectability(None, [], (), NOT_ASSESSED_NOTE)
    if isinstance(findings, Mapping):  # {feature: True/False}: every named feature is checked, the True ones count
        for name, present in findings.items():
            if not isinstance(name, str) or name.strip().lower() not in FEATURES:
                raise ValueError(f"Unknown imaging finding {name!r}. Use only these names: {', '.join(FEATURES)}.")
            check.flag(present, f"The finding {name!r}")
        listed = [name for name, present in findings.items() if present]
    else:
        listed = [findings] if isinstance(findings, str) else check.items(findings, "The imaging findings")
    seen: list[str] = []
    for finding in listed:
        name = finding.strip().lower() if isinstance(finding, str) else None
        if name not in FEATURES:
            raise ValueError(f"Unknown imaging finding {finding!r}. Use only these names: {', '.join(FEATURES)}.")
        if name not in seen:
            seen.append(name)
    if not seen:
        return Resectability(True, [], (), RESECTABLE_NOTE, references=("nccn-head-neck",))
    references: list[str] = []
    for name in seen:
        references.extend(key for key in FEATURES[name][1] if key not in references)
    return Resectability(False, [FEATURES[name][0] for name in seen], tuple(seen), UNRESECTABLE_NOTE,
                         references=tuple(references))
