"""Systemic-therapy options for recurrent/metastatic HNSCC by line of therapy and PD-L1 CPS.

Sources: systemic-surgery.md §1-4 and its independent test cases 1-6, with confirmations.md items 6-10 and 26.
Only [verified] facts are taught in the rationales; [verified-secondary] facts carry a hedge and [synthesis] marks
this project's own reasoning. Recalled NCCN categories are not used. Education, not clinical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _validate as check
from .biomarkers import cps_group

FIRST_LINE = "first line"
PLATINUM_REFRACTORY = "platinum-refractory, anti-PD-1-naive"
AFTER_IO_AND_PLATINUM = "after anti-PD-1 and platinum"
AFTER_IO_PLATINUM_NAIVE = "after anti-PD-1, platinum-naive"

# Regimens the evidence sheet says not to suggest, with the reason.
NOT_SUGGESTED: dict[str, str] = {
    "pembrolizumab monotherapy at CPS <1": "KEYNOTE-048 CPS <1 subgroup: OS HR 1.51 (0.96-2.37) against EXTREME.",
    "buparlisib + paclitaxel": "BURAN phase 3 after PD-1/PD-L1 therapy: OS 9.6 vs 9.7 months, HR 1.02.",
    "monalizumab + cetuximab": "INTERLINK-1 phase 3: OS HR 1.00, stopped for futility.",
}


@dataclass(frozen=True)
class SystemicOption:
    """One option: ``status`` is established / emerging / investigational; ``evidence`` names its basis."""

    regimen: str
    preferred: bool
    status: str
    rationale: str
    references: tuple[str, ...]
    evidence: str
    trials: tuple[str, ...] = ()


_KN048 = ("burtness2019-keynote048", "harrington2023-keynote048", "tahara2025-keynote048")


def _pembro_chemo(preferred: bool, group: str) -> SystemicOption:
    if group == ">=20":
        why = ("KEYNOTE-048: longer OS than EXTREME in CPS >=20, CPS >=1 and the total population; CPS >=20 OS HR "
               "0.63 (0.47-0.84) at 5 years, with 5-year OS 16.0% vs 5.2% in the total population.")
        evidence = "ASCO 2023 Rec 2.1; phase 3 (KEYNOTE-048)"
    elif group == "1-19":
        why = ("KEYNOTE-048 post hoc CPS 1-19 subgroup: OS HR 0.71 (0.54-0.94) against EXTREME, a clearer benefit "
               "than pembrolizumab alone in this group, so favour it when chemotherapy is tolerable [synthesis].")
        evidence = "ASCO 2023 Rec 2.1; phase 3 subgroup (post hoc)"
    else:
        why = ("ASCO 2023 says it may be offered at CPS <1 (moderate evidence). In the post hoc CPS <1 subgroup the "
               "OS HR against EXTREME was 1.21 (0.76-1.94): no shown advantage. The EU licence covers CPS >=1 only.")
        evidence = "ASCO 2023 Rec 2.2 (may be offered); phase 3 subgroup (post hoc)"
    return SystemicOption("Pembrolizumab + platinum + 5-FU", preferred, "established", why,
                          _KN048 + ("burtness2022-keynote048-cps", "yilmaz2023-asco"), evidence)


def _pembro_mono(preferred: bool, group: str) -> SystemicOption:
    if group == ">=20":
        why = ("KEYNOTE-048, CPS >=20: OS HR 0.61 (0.46-0.81) against EXTREME at 4 and 5 years. PFS was not longer "
               "than with EXTREME (median 3.2 vs 5.0 months in CPS >=1) and early responses were reportedly fewer, "
               "so it suits low-volume, asymptomatic disease best [synthesis].")
        evidence = "ASCO 2023 Rec 2.1; phase 3 (KEYNOTE-048)"
    else:
        why = ("ASCO 2023 endorses it for CPS >=1, but in the post hoc CPS 1-19 subgroup the OS HR against EXTREME "
               "was 0.86 (0.66-1.12); a choice when chemotherapy is not tolerable [synthesis].")
        evidence = "ASCO 2023 Rec 2.1; phase 3 subgroup (post hoc)"
    return SystemicOption("Pembrolizumab monotherapy", preferred, "established", why,
                          _KN048 + ("burtness2022-keynote048-cps", "yilmaz2023-asco"), evidence)


def _first_line_trial(group: str, preferred: bool = False) -> SystemicOption:
    trials = (("FORTIFI-HN01 (ficerafusp alfa + pembrolizumab; CPS >=1, HPV-positive oropharynx excluded)",
               "LiGeR-HN1 (petosemtamab + pembrolizumab; CPS >=1)") if group != "<1" else ()) + (
        "OrigAMI-5 (subcutaneous amivantamab + pembrolizumab + carboplatin; HPV-unrelated, any PD-L1)",)
    keys = (("fortifi-hn01-nct06788990", "liger-hn1-nct06525220") if group != "<1" else ()) + ("origami5-trial",)
    return SystemicOption(
        "Clinical trial of an investigational first-line regimen", preferred, "investigational",
        "Running phase 2/3 and phase 3 trials aimed mainly at HPV-negative disease; in the sources read (to mid-2026) "
        "none of these agents was approved for R/M HNSCC and no positive phase 3 result had been reported.", keys,
        "Investigational (trials running)", trials)


def _extreme(preferred: bool, why: str) -> SystemicOption:
    return SystemicOption("Cetuximab + platinum + 5-FU (EXTREME)", preferred, "established", why,
                          ("vermorken2008-extreme", "burtness2022-keynote048-cps"), "Phase 3 (EXTREME)")


def _first_line(group: str, platinum_eligible: bool) -> list[SystemicOption]:
    if platinum_eligible and group == ">=20":
        return [_pembro_chemo(True, group), _pembro_mono(True, group), _first_line_trial(group)]
    if platinum_eligible and group == "1-19":
        return [_pembro_chemo(True, group), _pembro_mono(False, group), _first_line_trial(group)]
    if platinum_eligible:
        return [
            _pembro_chemo(False, group),
            _extreme(False, "EXTREME prolonged OS over platinum/5-FU (10.1 vs 7.4 months, HR 0.80). At CPS <1 "
                            "pembrolizumab + chemotherapy showed no advantage over it (HR 1.21, 0.76-1.94)."),
            SystemicOption(
                "Docetaxel + cisplatin + cetuximab, then cetuximab maintenance (TPEx)", False, "emerging",
                "Randomised phase 2 TPExtreme: overall survival similar to EXTREME, with fewer severe adverse "
                "events during chemotherapy; the trial enrolled patients aged 18-70 with ECOG 0-1.",
                ("guigay2021-tpextreme",), "Randomised phase 2 (TPExtreme)"),
            _first_line_trial(group),
        ]
    if group != "<1":
        mono = _pembro_mono(True, group)
        return [SystemicOption(mono.regimen, True, mono.status,
                               "Platinum is not an option, and ASCO 2023 endorses pembrolizumab alone for CPS >=1. "
                               + mono.rationale, mono.references, mono.evidence), _first_line_trial(group)]
    return [
        _first_line_trial(group, preferred=True),
        SystemicOption(
            "Individualised non-platinum therapy (cetuximab- or taxane-based) or supportive care", False,
            "established",
            "The evidence sheets hold no first-line regimen for CPS <1 without platinum, and pembrolizumab alone did "
            "worse than EXTREME at CPS <1 (HR 1.51); decide with the patient [synthesis].",
            ("burtness2022-keynote048-cps",), "Expert opinion [synthesis]"),
    ]


def _post_io_trial(preferred: bool) -> SystemicOption:
    return SystemicOption(
        "Clinical trial", preferred, "investigational",
        "After anti-PD-1 and platinum no regimen has shown an OS benefit: the phase 3 trials INTERLINK-1 and BURAN "
        "were negative. Candidate trials test agents aimed mainly at HPV-negative disease.",
        ("fayette2025-interlink1", "soulieres2025-buran", "liger-hn2-nct06496178", "origami4-nct06385080",
         "swiecicki2024-ev202", "innovatv207-nct03485209"),
        "No standard of care; trial enrolment first [synthesis]",
        ("LiGeR-HN2 (petosemtamab vs investigator's choice; after anti-PD-1 and platinum)",
         "Subcutaneous amivantamab studies (HPV-unrelated disease after platinum and PD-(L)1)",
         "Antibody-drug conjugate studies (enfortumab vedotin, tisotumab vedotin)"))


_CETUXIMAB = SystemicOption(
    "Cetuximab-based therapy (alone or with chemotherapy)", False, "established",
    "Benchmark: cetuximab alone after IO and platinum gave ORR 23.9% and median OS 8.6 months in the INTERLINK-1 "
    "control arm [synthesis from verified data]; one real-world series of cetuximab-based chemotherapy after IO "
    "reported ORR 59% (seen only in a secondary summary).",
    ("fayette2025-interlink1", "cabezas2025-post-io-cetuximab"), "Trial control arm and real-world data")
_TAXANE = SystemicOption(
    "Taxane-based therapy (weekly paclitaxel or docetaxel, with or without cetuximab)", False, "established",
    "In the KEYNOTE-048 4-year analysis, PFS2 with a taxane as next-line therapy was similar after pembrolizumab "
    "and longer after pembrolizumab + chemotherapy, which supports taxanes after first-line IO.",
    ("harrington2023-keynote048",), "Exploratory phase 3 analysis (post hoc)")


def line_of_therapy(prior_platinum: bool, prior_anti_pd1: bool, platinum_refractory: bool = False) -> str:
    """The treatment setting the options are chosen for.

    ``prior_platinum``: platinum already given (for locally advanced or R/M disease). ``platinum_refractory``:
    progression on or after platinum given for R/M disease, or within 6 months of platinum given with curative
    intent - the CheckMate 141 / KEYNOTE-040 window [verified]. A patient whose curative platinum ended more than
    6 months before recurrence and who has had no anti-PD-1 is treated as first line.
    """
    platinum = check.flag(prior_platinum, "prior_platinum")
    io = check.flag(prior_anti_pd1, "prior_anti_pd1")
    refractory = check.flag(platinum_refractory, "platinum_refractory")
    if refractory and not platinum:
        raise ValueError("Platinum-refractory disease means progression during or within 6 months of platinum, so "
                         "prior_platinum must be True when platinum_refractory is True.")
    if io:
        return AFTER_IO_AND_PLATINUM if platinum else AFTER_IO_PLATINUM_NAIVE
    return PLATINUM_REFRACTORY if refractory else FIRST_LINE


def systemic_options(cps: float | None, prior_platinum: bool, prior_anti_pd1: bool, platinum_eligible: bool = True,
                     platinum_refractory: bool = False) -> list[SystemicOption]:
    """Systemic options for R/M HNSCC, best-supported first; each has ``regimen``, ``preferred``, ``references``
    (reference keys), ``rationale``, ``status`` and ``evidence``.

    - **First line** (KEYNOTE-048; ASCO 2023 Rec 2.1-2.2): CPS >=20 -> pembrolizumab + platinum/5-FU and
      pembrolizumab alone, both preferred; CPS 1-19 -> pembrolizumab + platinum/5-FU preferred, pembrolizumab alone
      an option; CPS <1 -> pembrolizumab + platinum/5-FU ("may be offered"), EXTREME or TPEx, none preferred, and
      never pembrolizumab alone. Platinum-ineligible: pembrolizumab alone for CPS >=1; a trial first for CPS <1.
      Investigational first-line trials are listed, never preferred.
    - **Platinum-refractory, anti-PD-1-naive** (ASCO Rec 3.1, regardless of CPS): nivolumab (CheckMate 141) and
      pembrolizumab (KEYNOTE-040, taught as supportive: its HR is unconfirmed, confirmations.md item 26).
    - **After anti-PD-1 and platinum**: clinical trial first, then cetuximab- or taxane-based therapy.
      Buparlisib and monalizumab are never suggested (:data:`NOT_SUGGESTED`).
    - **After anti-PD-1 without platinum**: platinum + cetuximab if eligible [synthesis: the sheets have no
      randomised post-IO data], with a trial, taxane- and cetuximab-based options.

    Valid input: ``cps`` 0-100, or None when CPS does not decide the setting (a first-line call needs it);
    the four flags True/False; ``platinum_refractory`` requires ``prior_platinum``. See :func:`line_of_therapy`.
    """
    setting = line_of_therapy(prior_platinum, prior_anti_pd1, platinum_refractory)
    eligible = check.flag(platinum_eligible, "platinum_eligible")
    group = None if cps is None else cps_group(cps)
    if setting == FIRST_LINE:
        if group is None:
            raise ValueError("The first-line choice depends on the PD-L1 CPS: test PD-L1 (22C3) on the recurrence "
                             "(ASCO 2023 Rec 1.1) and give the CPS.")
        return _first_line(group, eligible)
    if setting == PLATINUM_REFRACTORY:
        return [
            SystemicOption(
                "Nivolumab", True, "established",
                "CheckMate 141 (progression within 6 months of platinum): OS 7.5 vs 5.1 months against investigator's "
                "choice, HR 0.70; 1-year OS 36.0% vs 16.6%. ASCO 2023 Rec 3.1: offer regardless of CPS.",
                ("ferris2016-checkmate141", "yilmaz2023-asco"), "ASCO 2023 Rec 3.1; phase 3 (CheckMate 141)"),
            SystemicOption(
                "Pembrolizumab", True, "established",
                "KEYNOTE-040: median OS 8.4 vs 6.9 months against methotrexate, docetaxel or cetuximab. Secondary "
                "sources report that it did not formally meet its primary OS end point at first presentation, so "
                "treat it as supportive evidence. ASCO 2023 Rec 3.1: offer regardless of CPS.",
                ("cohen2019-keynote040", "yilmaz2023-asco"), "ASCO 2023 Rec 3.1; phase 3 (KEYNOTE-040)"),
            _post_io_trial(False),
        ]
    if setting == AFTER_IO_AND_PLATINUM:
        return [_post_io_trial(True), _CETUXIMAB, _TAXANE]
    options = [_post_io_trial(not eligible), _TAXANE, _CETUXIMAB]
    if eligible:
        options.insert(0, _extreme(
            True, "Platinum has not yet been used, and EXTREME prolonged OS over platinum/5-FU (10.1 vs 7.4 months, "
                  "HR 0.80); no randomised data after IO exist, so this is reasoning, not trial evidence "
                  "[synthesis]."))
    return options
