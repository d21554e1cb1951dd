"""Imaging features that suggest a recurrent head and neck cancer is technically unresectable.

Each feature the course teaches rests on a source read for the course (re-based 2026-12-05, tag ``rebase``):

- **AJCC T4b criteria of the primary tumour** ("very advanced local disease", traditionally equated with
  unresectability). Read as the AJCC 7th-edition tables reprinted in the NCI PDQ summaries: hypopharynx
  (``nci-pdq-hypopharynx``: prevertebral fascia, carotid encasement, mediastinal structures) and p16-negative
  oropharynx (``nci-pdq-oropharynx-2014``: lateral pterygoid muscle, pterygoid plates, lateral nasopharynx, skull base,
  carotid encasement) [verified]; larynx (``aaohns-tnm-guide-5``: prevertebral space, carotid encasement, mediastinal
  structures) [verified-secondary]; oral cavity (``mattavelli2024-t4b``: masticator space, pterygoid plates, skull base,
  internal carotid encasement, under the current AJCC manual) [verified]. Staging pages for the 8th edition (2017) list
  the same T4b items for these sites [verified-secondary]; in the 8th edition p16-positive oropharyngeal cancer is
  staged separately (Lydiatt et al., CA Cancer J Clin 2017, abstract), so the oropharyngeal items apply to
  p16-negative tumours.
- **The carotid threshold** comes from Yousem DM et al., Radiology 1995;195:715-720 (PMID 7754000; reference key
  ``yousem1995-carotid-mr``) [verified: PubMed abstract]: MR was compared with surgical findings in 49 patients
  (53 arteries), and circumferential involvement of more than 270 degrees suggested unresectability (sensitivity 100%,
  12 of 12; specificity 88%, 36 of 41, so 5 of the 17 arteries read this way were in fact resectable [derived]; the
  authors conclude that such tumour "probably" cannot be removed). It is one small MR-surgical series, and no
  radiological criterion for encasement has been standardised (``frontiers2021-carotid-review``); Lodder 2013
  illustrates the sign with images.

T4b describes the **primary tumour**: carotid encasement by a nodal metastasis is not a T criterion (nodes are staged
in N), but it bears on resectability in the same way, so the carotid feature counts whichever mass surrounds the
artery (clinical-module2 E2). T4b is not uniform: oral cavity tumours in the masticator space below the mandibular
notch have been resected with outcomes like T4a disease (``mattavelli2024-t4b``, ``trivedi2018-masticator``; Liao
2007 found them to do better than supra-notch tumours, ``liao2007-infranotch``), so for such masticator-space tumours
the T4b feature opens the surgical question rather than closing it.

The NCCN Guidelines have a "Principles of Surgery" section (revised in 2014, per the published update: Pfister et al., J
Natl Compr Canc Netw 2014;12(10):1454-1487, PMID 25313184, abstract). It could not be read for this course in any
acceptable copy, so the list is not drawn from it and nothing here states what it says: not even whether it lists
features of unresectability (``nccn-head-neck``; the 2014 update, key pfister2014-nccn-hn; references/evidence-log.md,
"Module 2 unresectability features re-based on verified sources").
Two items of the list formerly recalled from NCCN were dropped because no readable source supported them as
resectability features: invasion of the cervical vertebrae, and "severe trismus" as a qualifier of pterygoid
involvement. "Along the Eustachian tube" was dropped from the nasopharyngeal item for the same reason: the staging
criterion is invasion of the lateral nasopharynx.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import _validate as check

SOURCE_NOTE = (
    "Each feature names its own source: the AJCC T4b criteria of the primary tumour (hypopharynx and "
    "oropharynx: 7th-edition tables reprinted by the NCI; larynx: an AAO-HNS staging guide; oral cavity: a "
    "2024 review citing the AJCC manual; 8th-edition staging pages list the same items), or, for the "
    "carotid threshold, a 1995 MR-surgical series (Yousem). T4b is traditionally equated with unresectable "
    "disease, but not uniformly: selected T4b tumours, such as oral cancers in the masticator space below "
    "the mandibular notch, have been resected with good outcomes. The NCCN Guidelines have a 'Principles "
    "of Surgery' section (revised in 2014, per the published update); it could not be read for this "
    "course, so the list is not drawn from it and nothing here states what it says."
)
RESECTABLE_NOTE = (
    "None of the listed imaging features is present, so the tumour looks technically resectable. "
    "Whether surgery is advisable is a separate judgement of the multidisciplinary team: performance "
    "status, comorbidity, expected function and the patient's wishes."
)
UNRESECTABLE_NOTE = (
    "These features suggest the tumour cannot be removed with clear margins; confirm with an "
    "experienced head and neck surgical team before ruling out salvage surgery."
)
NOT_ASSESSED_NOTE = "No imaging findings were given, so resectability has not been assessed."

# finding -> (plain-language reason, reference keys). The NCCN key is deliberately absent: the list is no longer
# attributed to an NCCN page nobody could read (re-based 2026-12-05).
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    # One feature for primary or nodal disease: the resectability question is the same, the staging is not (T4b only
    # when the primary tumour encases the artery), so the reason says both.
    "carotid_encasement_270": (
        (
            "Tumour (the primary or a nodal mass) surrounds the carotid artery by more than 270°, the imaging sign of "
            "encasement: in a 1995 MR-surgical series of 53 arteries, more than 270° suggested that the tumour probably "
            "could not be removed from the artery (12 of the 17 arteries read this way proved unresectable). No "
            "radiological criterion has been standardised, so borderline readings need joint review by the radiologist "
            "and surgeon. Encasement by the primary tumour is a T4b criterion in AJCC staging of oral cavity (internal "
            "carotid), p16-negative oropharynx, hypopharynx and larynx; encasement by a node is not (T describes the "
            "primary), although it still counts against resection."
        ),
        (
            "yousem1995-carotid-mr",
            "frontiers2021-carotid-review",
            "lodder2013-carotid",
            "nci-pdq-oropharynx-2014",
            "nci-pdq-hypopharynx",
            "aaohns-tnm-guide-5",
            "mattavelli2024-t4b",
        ),
    ),
    "prevertebral_fascia": (
        (
            "The primary tumour invades the prevertebral fascia or space: a T4b criterion for hypopharyngeal and "
            "laryngeal cancer in AJCC staging."
        ),
        ("nci-pdq-hypopharynx", "aaohns-tnm-guide-5"),
    ),
    "skull_base": (
        (
            "The primary tumour invades the skull base: a T4b criterion for oral cavity and p16-negative oropharyngeal "
            "cancer in AJCC staging."
        ),
        ("nci-pdq-oropharynx-2014", "mattavelli2024-t4b"),
    ),
    "mediastinal_structures": (
        (
            "The primary tumour involves mediastinal structures: a T4b criterion for hypopharyngeal and laryngeal cancer "
            "in AJCC staging."
        ),
        ("nci-pdq-hypopharynx", "aaohns-tnm-guide-5"),
    ),
    "pterygoid_masticator": (
        (
            "The primary tumour invades the lateral pterygoid muscle or the pterygoid plates (T4b for p16-negative "
            "oropharyngeal cancer) or, for an oral cavity cancer, the masticator space or pterygoid plates (T4b). "
            "Oral cavity tumours in the masticator space below the mandibular notch have been resected with good "
            "outcomes, so this feature calls for an experienced surgical opinion rather than settling the question."
        ),
        ("nci-pdq-oropharynx-2014", "mattavelli2024-t4b", "liao2007-infranotch"),
    ),
    "lateral_nasopharynx": (
        "The primary tumour invades the lateral nasopharynx: a T4b criterion for p16-negative oropharyngeal cancer.",
        ("nci-pdq-oropharynx-2014",),
    ),
}

# finding -> (evidence tag of the support as read for the course, what that support is). Tags as in
# references/evidence-log.md: [verified] = seen in the named source's own text; [verified-secondary] = seen only in
# a secondary page.
FEATURE_EVIDENCE: dict[str, tuple[str, str]] = {
    "carotid_encasement_270": (
        "verified",
        (
            "Yousem 1995 MR-surgical series (the > 270° sign, PubMed abstract); AJCC "
            "T4b when the primary tumour encases the artery"
        ),
    ),
    "prevertebral_fascia": (
        "verified",
        (
            "AJCC T4b, hypopharynx (NCI PDQ reprint of the 7th-edition table); larynx "
            "from the AAO-HNS staging guide (verified-secondary)"
        ),
    ),
    "skull_base": ("verified", "AJCC T4b, p16-negative oropharynx (NCI PDQ reprint) and oral cavity (Mattavelli 2024)"),
    "mediastinal_structures": (
        "verified",
        "AJCC T4b, hypopharynx (NCI PDQ reprint); larynx from the AAO-HNS staging guide (verified-secondary)",
    ),
    "pterygoid_masticator": (
        "verified",
        (
            "AJCC T4b, p16-negative oropharynx (NCI PDQ reprint) and oral cavity "
            "(Mattavelli 2024); infra-notch resection outcomes (Liao 2007)"
        ),
    ),
    "lateral_nasopharynx": ("verified", "AJCC T4b, p16-negative oropharynx (NCI PDQ reprint)"),
}

# Every source the list draws on, cited when no feature is present (the check was made against these).
REFERENCES: tuple[str, ...] = tuple(dict.fromkeys(key for _, refs in FEATURES.values() for key in refs))


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
    """Whether imaging findings suggest technical unresectability (each feature sourced; see the module note).

    ``findings`` is a list (or set) of feature names from :data:`FEATURES`, a single name, or a mapping of feature
    names to True/False (only the True ones count; every name is checked against the vocabulary). Any feature
    present -> ``resectable=False`` with one plain-language reason per feature; none -> ``resectable=True``
    (technically resectable; patient factors are judged separately, see ``note``); ``None`` -> not assessed
    (``resectable=None``). Names are matched ignoring case and surrounding spaces; duplicates count once.
    Sources: ``yousem1995-carotid-mr`` for the > 270° carotid sign and the AJCC T4b criteria named per feature in
    :data:`FEATURES` (evidence tags in :data:`FEATURE_EVIDENCE`); T4b applies to the primary tumour only.

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
        return Resectability(True, [], (), RESECTABLE_NOTE, references=REFERENCES)
    references: list[str] = []
    for name in seen:
        references.extend(key for key in FEATURES[name][1] if key not in references)
    return Resectability(
        False, [FEATURES[name][0] for name in seen], tuple(seen), UNRESECTABLE_NOTE, references=tuple(references)
    )
