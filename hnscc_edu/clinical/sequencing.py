"""Systemic-therapy options for recurrent/metastatic HNSCC by line of therapy and PD-L1 CPS.

Sources: the bibliography keys each option carries (``SystemicOption.references``, references/*.yaml), chiefly
KEYNOTE-048 (``burtness2019-keynote048``, ``burtness2022-keynote048-cps``, ``harrington2023-keynote048``,
``tahara2025-keynote048``), CheckMate 141 (``ferris2016-checkmate141``), KEYNOTE-040 (``cohen2019-keynote040``) and
the ASCO guideline (``yilmaz2023-asco``). Only [verified] facts are taught in the rationales; [verified-secondary]
facts carry a hedge and [synthesis] marks this project's own reasoning. Recalled NCCN categories are not used.
Education, not clinical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _validate as check
from .biomarkers import cps_group

FIRST_LINE = "first line"
PLATINUM_REFRACTORY = "platinum-refractory, anti-PD-1-naive"
AFTER_IO_AND_PLATINUM = "after anti-PD-1 and platinum"
AFTER_IO_PLATINUM_NAIVE = "after anti-PD-1, platinum-naive"

# Regimens the course does not suggest, with the reason: KEYNOTE-048's CPS <1 subgroup (burtness2022-keynote048-cps),
# BURAN (soulieres2025-buran) and INTERLINK-1 (fayette2025-interlink1).
NOT_SUGGESTED: dict[str, str] = {
    "pembrolizumab monotherapy at CPS <1": "KEYNOTE-048 CPS <1 subgroup: OS HR 1.51 (0.96-2.37) against EXTREME.",
    "buparlisib + paclitaxel": "BURAN phase 3 after PD-1/PD-L1 therapy: OS 9.6 vs 9.7 months, HR 1.02.",
    "monalizumab + cetuximab": "INTERLINK-1 phase 3: OS HR 1.00, stopped for futility.",
}


PLATINUM_AGENTS = frozenset({"cisplatin", "carboplatin"})
ANTI_PD1_PDL1_AGENTS = frozenset(
    {
        "pembrolizumab",
        "nivolumab",
        "durvalumab",
        "atezolizumab",
        "avelumab",
        "toripalimab",
        "camrelizumab",
        "tislelizumab",
        "finotonlimab",
    }
)

# The agents of every trial the explorer can name, keyed by the trial's name (the first word of its entry in
# ``SystemicOption.trials``), from the trials' registry listings and reports (``fortifi-hn01-nct06788990``,
# ``liger-hn1-nct06525220``, ``origami5-trial``, ``liger-hn2-nct06496178``, ``origami4-nct06385080``,
# ``swiecicki2024-ev202``, ``innovatv207-nct03485209``): a trial is offered only if none of its experimental agents
# is excluded by the patient's flags (issue 15 §1; clinical-module3 E2, claim #85).
TRIAL_AGENTS: dict[str, frozenset[str]] = {
    "FORTIFI-HN01": frozenset({"ficerafusp alfa", "pembrolizumab"}),
    "LiGeR-HN1": frozenset({"petosemtamab", "pembrolizumab"}),
    "OrigAMI-5": frozenset({"amivantamab", "pembrolizumab", "carboplatin"}),
    "LiGeR-HN2": frozenset({"petosemtamab"}),
    "Subcutaneous": frozenset({"amivantamab"}),
    "Antibody-drug": frozenset({"enfortumab vedotin", "tisotumab vedotin"}),
}


def trial_agents(trial: str) -> frozenset[str]:
    """The experimental agents of one trial entry; an entry the table does not know raises ``KeyError`` so that a
    new trial cannot be offered without its agents being checked."""
    return TRIAL_AGENTS[trial.split(" ")[0]]


@dataclass(frozen=True)
class SystemicOption:
    """One option: ``status`` is established / emerging / investigational; ``evidence`` names its basis; ``agents``
    lists every drug the regimen may contain (for trials, the union of the trials' experimental agents), so that each
    option can be checked against the patient's eligibility flags."""

    regimen: str
    preferred: bool
    status: str
    rationale: str
    references: tuple[str, ...]
    evidence: str
    trials: tuple[str, ...] = ()
    agents: frozenset[str] = frozenset()
    licences: tuple[tuple[str, str], ...] = ()


# Pembrolizumab after platinum: the US and EU licences differ (issue 15 §1; clinical-module3 E3, claim #30).
PEMBROLIZUMAB_AFTER_PLATINUM_LICENCES: tuple[tuple[str, str], ...] = (
    (
        "US (FDA label)",
        "Monotherapy for R/M HNSCC progressing on or after platinum-containing chemotherapy; no PD-L1 threshold.",
    ),
    (
        "EU (EMA product information)",
        (
            "Monotherapy for R/M HNSCC progressing on or after platinum-containing "
            "chemotherapy only if the tumour expresses PD-L1 with TPS >=50%."
        ),
    ),
)


_KN048 = ("burtness2019-keynote048", "harrington2023-keynote048", "tahara2025-keynote048")


def _pembro_chemo(preferred: bool, group: str) -> SystemicOption:
    if group == ">=20":
        why = (
            "KEYNOTE-048: longer OS than EXTREME in CPS >=20, CPS >=1 and the total population; CPS >=20 OS HR "
            "0.63 (0.47-0.84) at 5 years, with 5-year OS 16.0% vs 5.2% in the total population."
        )
        evidence = "ASCO 2023 Rec 2.1; phase 3 (KEYNOTE-048)"
    elif group == "1-19":
        why = (
            "KEYNOTE-048 post hoc CPS 1-19 subgroup: OS HR 0.71 (0.54-0.94) against EXTREME, a clearer benefit "
            "than pembrolizumab alone in this group, so favour it when chemotherapy is tolerable [synthesis]."
        )
        evidence = "ASCO 2023 Rec 2.1; phase 3 subgroup (post hoc)"
    else:
        why = (
            "ASCO 2023 says it may be offered at CPS <1 (moderate evidence). In the post hoc CPS <1 subgroup the "
            "OS HR against EXTREME was 1.21 (0.76-1.94): no shown advantage. The EU licence covers CPS >=1 only."
        )
        evidence = "ASCO 2023 Rec 2.2 (may be offered); phase 3 subgroup (post hoc)"
    return SystemicOption(
        "Pembrolizumab + platinum + 5-FU",
        preferred,
        "established",
        why,
        _KN048 + ("burtness2022-keynote048-cps", "yilmaz2023-asco"),
        evidence,
        agents=frozenset({"pembrolizumab", "cisplatin", "carboplatin", "fluorouracil"}),
    )


def _pembro_mono(preferred: bool, group: str) -> SystemicOption:
    if group == ">=20":
        why = (
            "KEYNOTE-048, CPS >=20: longer OS than EXTREME in the pre-specified test (HR 0.61, 0.45-0.83), and "
            "0.61 (0.46-0.81) in the post hoc 4-year and the descriptive 5-year updates. PFS was not longer than "
            "with EXTREME (median 3.2 vs 5.0 months in CPS >=1) and early responses were reportedly fewer; in "
            "the total population it was only non-inferior for OS, with shorter PFS and fewer responses (seen "
            "only in a secondary summary of the 2019 report, not a pre-specified test). So it suits low-volume, asymptomatic disease best "
            "[synthesis]."
        )
        evidence = "ASCO 2023 Rec 2.1; phase 3 (KEYNOTE-048)"
    else:
        why = (
            "ASCO 2023 endorses it for CPS >=1, but in the post hoc CPS 1-19 subgroup the OS HR against EXTREME "
            "was 0.86 (0.66-1.12); a choice when chemotherapy is not tolerable [synthesis]."
        )
        evidence = "ASCO 2023 Rec 2.1; phase 3 subgroup (post hoc)"
    # The total-population PFS/response caveat is cited to its secondary source (fact-check fc-m3 P6).
    extra = ("metaevidence-keynote048",) if group == ">=20" else ()
    return SystemicOption(
        "Pembrolizumab monotherapy",
        preferred,
        "established",
        why,
        _KN048 + ("burtness2022-keynote048-cps", "yilmaz2023-asco") + extra,
        evidence,
        agents=frozenset({"pembrolizumab"}),
    )


def _first_line_trial(group: str, platinum_eligible: bool, preferred: bool = False) -> SystemicOption | None:
    """The running first-line trials the patient could be offered: OrigAMI-5 contains carboplatin, so it is never
    offered to a platinum-ineligible patient; FORTIFI-HN01 and LiGeR-HN1 need CPS >=1. None if no trial fits."""
    candidates = (
        (
            "FORTIFI-HN01 (ficerafusp alfa + pembrolizumab; CPS >=1, HPV-positive oropharynx excluded)",
            "fortifi-hn01-nct06788990",
        ),
        ("LiGeR-HN1 (petosemtamab + pembrolizumab; CPS >=1)", "liger-hn1-nct06525220"),
    )
    chosen = [c for c in candidates if group != "<1"]
    if platinum_eligible:
        chosen.append(
            (
                "OrigAMI-5 (subcutaneous amivantamab + pembrolizumab + carboplatin; HPV-unrelated, any PD-L1)",
                "origami5-trial",
            )
        )
    if not chosen:
        return None
    trials = tuple(t for t, _ in chosen)
    return SystemicOption(
        "Clinical trial of an investigational first-line regimen",
        preferred,
        "investigational",
        "Running phase 2/3 and phase 3 trials aimed mainly at HPV-negative disease; in the sources read (to mid-2026) "
        "none of these agents was approved for R/M HNSCC and no positive phase 3 result had been reported."
        + ("" if platinum_eligible else " OrigAMI-5 is not listed because its experimental arm contains carboplatin."),
        tuple(k for _, k in chosen),
        "Investigational (trials running)",
        trials,
        frozenset().union(*(trial_agents(t) for t in trials)),
    )


def _extreme(preferred: bool, why: str) -> SystemicOption:
    return SystemicOption(
        "Cetuximab + platinum + 5-FU (EXTREME)",
        preferred,
        "established",
        why,
        ("vermorken2008-extreme", "burtness2022-keynote048-cps"),
        "Phase 3 (EXTREME)",
        agents=frozenset({"cetuximab", "cisplatin", "carboplatin", "fluorouracil"}),
    )


def _tpex(preferred: bool = False) -> SystemicOption:
    return SystemicOption(
        "Docetaxel + cisplatin + cetuximab, then cetuximab maintenance (TPEx)",
        preferred,
        "emerging",
        "Randomised phase 2 TPExtreme: overall survival similar to EXTREME, with fewer severe adverse events during "
        "chemotherapy; the trial enrolled patients aged 18-70 with ECOG 0-1, so it applies to patients like them.",
        ("guigay2021-tpextreme",),
        "Randomised phase 2 (TPExtreme)",
        agents=frozenset({"docetaxel", "cisplatin", "cetuximab"}),
    )


_NON_PLATINUM = SystemicOption(
    "Non-platinum therapy: weekly paclitaxel with cetuximab, cetuximab alone, or supportive care",
    False,
    "established",
    "No randomised first-line regimen without both platinum and immunotherapy has shown longer survival in this "
    "course's sources. ELAN UNFIT compared cetuximab with methotrexate in frail patients aged 70 or more; this course "
    "did not read its results. A real-world series of weekly paclitaxel + cetuximab before the immunotherapy era "
    "reported a pooled median OS of 8.85 months in 75 platinum-ineligible patients (50 first-line, 25 second-line); "
    "cetuximab alone after platinum gave ORR 13% in a phase 2 study. Decide with the patient [synthesis].",
    ("aguin2023-paclitaxel-cetuximab", "vermorken2007-cetuximab-mono", "guigay2024-elan-unfit"),
    "Real-world series and phase 2; expert opinion",
    agents=frozenset({"paclitaxel", "cetuximab"}),
)


def _io_contraindicated_first_line(platinum_eligible: bool) -> list[SystemicOption]:
    """First line when anti-PD-1 therapy has been judged unsuitable (for example active autoimmune disease needing
    systemic treatment, an organ transplant or high-dose steroids: relative contraindications and trial exclusions;
    the KEYTRUDA US label lists no contraindications, only warnings): no anti-PD-(L)1 regimen and no trial containing
    one (fact-check fc-m3 P7)."""
    why = (
        "Immunotherapy has been judged unsuitable, so no pembrolizumab-containing regimen is offered (the KEYTRUDA "
        "label lists no contraindications, only warnings: severe immune-mediated reactions, and in transplant "
        "recipients benefit to be weighed against the risk of rejection). EXTREME "
        "prolonged OS over platinum/5-FU (10.1 vs 7.4 months, HR 0.80) and needs no PD-L1 selection."
    )
    if platinum_eligible:
        extreme = _extreme(True, why)
        return [
            SystemicOption(
                extreme.regimen,
                True,
                extreme.status,
                extreme.rationale,
                extreme.references + ("keytruda-uspi",),
                extreme.evidence,
                agents=extreme.agents,
            ),
            _tpex(),
            _NON_PLATINUM,
        ]
    return [
        SystemicOption(
            _NON_PLATINUM.regimen,
            True,
            _NON_PLATINUM.status,
            "Neither platinum nor immunotherapy can be given. " + _NON_PLATINUM.rationale,
            _NON_PLATINUM.references + ("keytruda-uspi",),
            _NON_PLATINUM.evidence,
            agents=_NON_PLATINUM.agents,
        )
    ]


def _first_line(group: str, platinum_eligible: bool) -> list[SystemicOption]:
    trial = _first_line_trial(group, platinum_eligible)
    trials = [trial] if trial else []
    if platinum_eligible and group == ">=20":
        return [_pembro_chemo(True, group), _pembro_mono(True, group), *trials]
    if platinum_eligible and group == "1-19":
        return [_pembro_chemo(True, group), _pembro_mono(False, group), *trials]
    if platinum_eligible:
        return [
            _pembro_chemo(False, group),
            _extreme(
                False,
                "EXTREME prolonged OS over platinum/5-FU (10.1 vs 7.4 months, HR 0.80). At CPS <1 "
                "pembrolizumab + chemotherapy showed no advantage over it (HR 1.21, 0.76-1.94).",
            ),
            _tpex(),
            *trials,
        ]
    if group != "<1":
        mono = _pembro_mono(True, group)
        return [
            SystemicOption(
                mono.regimen,
                True,
                mono.status,
                "Platinum is not an option, and ASCO 2023 endorses pembrolizumab alone for CPS >=1. " + mono.rationale,
                mono.references,
                mono.evidence,
                agents=mono.agents,
            ),
            *trials,
        ]
    # CPS <1 without platinum: no named trial fits (OrigAMI-5 contains carboplatin), and in the post hoc CPS <1
    # subgroup pembrolizumab alone trended worse than EXTREME (HR 1.51, 0.96-2.37: not significant), so a non-platinum
    # option comes first (fact-check fc-m3 P3).
    return [
        SystemicOption(
            _NON_PLATINUM.regimen,
            True,
            _NON_PLATINUM.status,
            "Platinum is not an option, and in a post hoc subgroup pembrolizumab alone showed an unfavourable, "
            "non-significant trend against EXTREME at CPS <1 (HR 1.51, 0.96-2.37). Ask about "
            "trials without platinum; none of the first-line trials this course names qualifies. "
            + _NON_PLATINUM.rationale,
            _NON_PLATINUM.references + ("burtness2022-keynote048-cps",),
            _NON_PLATINUM.evidence,
            agents=_NON_PLATINUM.agents,
        )
    ]


def _post_io_trial(preferred: bool) -> SystemicOption:
    return SystemicOption(
        "Clinical trial",
        preferred,
        "investigational",
        "After anti-PD-1 and platinum no regimen has shown an OS benefit: the phase 3 trials INTERLINK-1 and BURAN "
        "were negative. Candidate trials test agents aimed mainly at HPV-negative disease.",
        (
            "fayette2025-interlink1",
            "soulieres2025-buran",
            "liger-hn2-nct06496178",
            "origami4-nct06385080",
            "swiecicki2024-ev202",
            "innovatv207-nct03485209",
        ),
        "No standard of care; trial enrolment first [synthesis]",
        _POST_IO_TRIALS,
        frozenset().union(*(trial_agents(t) for t in _POST_IO_TRIALS)),
    )


_POST_IO_TRIALS = (
    "LiGeR-HN2 (petosemtamab vs investigator's choice; after anti-PD-1 and platinum)",
    "Subcutaneous amivantamab studies (HPV-unrelated disease after platinum and PD-(L)1)",
    "Antibody-drug conjugate studies (enfortumab vedotin, tisotumab vedotin)",
)


_CETUXIMAB = SystemicOption(
    "Cetuximab-based therapy (alone or with chemotherapy)",
    False,
    "established",
    "Benchmark: cetuximab alone after IO and platinum gave ORR 23.9% and median OS 8.6 months in the INTERLINK-1 "
    "control arm [synthesis from verified data]; one real-world series of cetuximab-based chemotherapy after IO "
    "reported ORR 59% (seen only in a secondary summary).",
    ("fayette2025-interlink1", "cabezas2025-post-io-cetuximab"),
    "Trial control arm and real-world data",
    agents=frozenset({"cetuximab", "paclitaxel", "docetaxel", "cisplatin", "carboplatin", "fluorouracil"}),
)
# For a platinum-ineligible patient the cetuximab option is named without platinum (issue 15 §1).
_CETUXIMAB_NO_PLATINUM = SystemicOption(
    "Cetuximab-based therapy without platinum (cetuximab alone or with a taxane)",
    False,
    "established",
    "Benchmark: cetuximab alone after IO and platinum gave ORR 23.9% and median OS 8.6 months in the INTERLINK-1 "
    "control arm [synthesis from verified data]; platinum is not given because the patient is not fit for it.",
    ("fayette2025-interlink1",),
    "Trial control arm",
    agents=frozenset({"cetuximab", "paclitaxel", "docetaxel"}),
)
_TAXANE = SystemicOption(
    "Taxane-based therapy (weekly paclitaxel or docetaxel, with or without cetuximab)",
    False,
    "established",
    "In the KEYNOTE-048 4-year analysis, PFS2 with a taxane as next-line therapy was similar after pembrolizumab "
    "and longer after pembrolizumab + chemotherapy, which supports taxanes after first-line IO.",
    ("harrington2023-keynote048",),
    "Exploratory phase 3 analysis (post hoc)",
    agents=frozenset({"paclitaxel", "docetaxel", "cetuximab"}),
)


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
        raise ValueError(
            "Platinum-refractory disease means progression during or within 6 months of platinum, so "
            "prior_platinum must be True when platinum_refractory is True."
        )
    if io:
        return AFTER_IO_AND_PLATINUM if platinum else AFTER_IO_PLATINUM_NAIVE
    return PLATINUM_REFRACTORY if refractory else FIRST_LINE


def systemic_options(
    cps: float | None,
    prior_platinum: bool,
    prior_anti_pd1: bool,
    platinum_eligible: bool = True,
    platinum_refractory: bool = False,
    immunotherapy_contraindicated: bool = False,
) -> list[SystemicOption]:
    """Systemic options for R/M HNSCC, best-supported first; each has ``regimen``, ``preferred``, ``references``
    (reference keys), ``rationale``, ``status``, ``evidence``, ``agents`` and, where they differ, ``licences``.

    - **First line** (KEYNOTE-048; ASCO 2023 Rec 2.1-2.2): CPS >=20 -> pembrolizumab + platinum/5-FU and
      pembrolizumab alone, both preferred; CPS 1-19 -> pembrolizumab + platinum/5-FU preferred, pembrolizumab alone
      an option; CPS <1 -> pembrolizumab + platinum/5-FU ("may be offered"), EXTREME or TPEx, none preferred, and
      never pembrolizumab alone. Platinum-ineligible: pembrolizumab alone for CPS >=1; non-platinum therapy for
      CPS <1. Investigational first-line trials are listed, never preferred, and never one containing carboplatin
      (OrigAMI-5) for a platinum-ineligible patient.
    - **Platinum-refractory, anti-PD-1-naive** (ASCO Rec 3.1, regardless of CPS): nivolumab (CheckMate 141) and
      pembrolizumab (KEYNOTE-040, taught as supportive: it missed its primary end point at first presentation); the
      pembrolizumab licence differs (US: any PD-L1; EU: TPS >=50%).
    - **After anti-PD-1 and platinum**: clinical trial first, then cetuximab- or taxane-based therapy.
      Buparlisib and monalizumab are never suggested (:data:`NOT_SUGGESTED`).
    - **After anti-PD-1 without platinum**: platinum + cetuximab if eligible [synthesis: no randomised post-IO
      data were found], with a trial, taxane- and cetuximab-based options.
    - ``immunotherapy_contraindicated``: immunotherapy judged not advisable (active autoimmune disease needing
      systemic treatment, organ transplant, high-dose steroids: relative contraindications and trial exclusions; the
      KEYTRUDA US label lists no contraindications, only warnings; the argument keeps its name for callers): no
      anti-PD-(L)1 regimen
      and no trial containing one, in any setting; first line offers EXTREME or TPEx (platinum-eligible) or
      non-platinum cetuximab/taxane therapy.
    - A platinum-ineligible patient is never offered cisplatin or carboplatin (:func:`violations` checks this).

    Valid input: ``cps`` 0-100, or None when CPS does not decide the setting (a first-line call needs it);
    the five flags True/False; ``platinum_refractory`` requires ``prior_platinum``. See :func:`line_of_therapy`.
    """
    setting = line_of_therapy(prior_platinum, prior_anti_pd1, platinum_refractory)
    eligible = check.flag(platinum_eligible, "platinum_eligible")
    no_io = check.flag(immunotherapy_contraindicated, "immunotherapy_contraindicated")
    group = None if cps is None else cps_group(cps)
    if setting == FIRST_LINE:
        if no_io:
            return _io_contraindicated_first_line(eligible)
        if group is None:
            raise ValueError(
                "The first-line choice depends on the PD-L1 CPS: test PD-L1 (22C3) on the recurrence "
                "(ASCO 2023 Rec 1.1) and give the CPS."
            )
        return _first_line(group, eligible)
    cetuximab = _CETUXIMAB if eligible else _CETUXIMAB_NO_PLATINUM
    if setting == PLATINUM_REFRACTORY:
        if no_io:
            # Without anti-PD-1 there is no survival-proven option here; no trial in the course's list is open to
            # anti-PD-1-naive patients, so cetuximab- and taxane-based therapy are offered [synthesis].
            return [
                SystemicOption(
                    _CETUXIMAB_NO_PLATINUM.regimen,
                    True,
                    "established",
                    "Immunotherapy has been judged unsuitable, so nivolumab and pembrolizumab are not "
                    "offered (the KEYTRUDA label lists no contraindications, only warnings: severe "
                    "immune-mediated reactions, organ rejection). Cetuximab "
                    "alone after platinum gave ORR 13% in a phase 2 study; no option here has shown "
                    "longer survival [synthesis].",
                    ("vermorken2007-cetuximab-mono", "keytruda-uspi"),
                    "Phase 2; expert opinion",
                    agents=_CETUXIMAB_NO_PLATINUM.agents,
                ),
                _TAXANE,
            ]
        return [
            SystemicOption(
                "Nivolumab",
                True,
                "established",
                "CheckMate 141 (progression within 6 months of platinum): OS 7.5 vs 5.1 months against investigator's "
                "choice, HR 0.70; 1-year OS 36.0% vs 16.6%. ASCO 2023 Rec 3.1: offer regardless of CPS.",
                ("ferris2016-checkmate141", "yilmaz2023-asco"),
                "ASCO 2023 Rec 3.1; phase 3 (CheckMate 141)",
                agents=frozenset({"nivolumab"}),
            ),
            SystemicOption(
                "Pembrolizumab",
                True,
                "established",
                "KEYNOTE-040: median OS 8.4 vs 6.9 months against methotrexate, docetaxel or cetuximab. Secondary "
                "sources report that it did not formally meet its primary OS end point at first presentation, so "
                "treat it as supportive evidence. ASCO 2023 Rec 3.1: offer regardless of CPS. Licences differ: the "
                "US label has no PD-L1 threshold here, the EU licence requires PD-L1 TPS >=50%.",
                ("cohen2019-keynote040", "yilmaz2023-asco", "keytruda-uspi", "keytruda-ema-smpc"),
                "ASCO 2023 Rec 3.1; phase 3 (KEYNOTE-040)",
                agents=frozenset({"pembrolizumab"}),
                licences=PEMBROLIZUMAB_AFTER_PLATINUM_LICENCES,
            ),
            _post_io_trial(False),
        ]
    if setting == AFTER_IO_AND_PLATINUM:
        return [_post_io_trial(True), cetuximab, _TAXANE]
    options = [_post_io_trial(not eligible), _TAXANE, cetuximab]
    if eligible:
        options.insert(
            0,
            _extreme(
                True,
                "Platinum has not yet been used, and EXTREME prolonged OS over platinum/5-FU (10.1 vs 7.4 months, "
                "HR 0.80); no randomised data after IO exist, so this is reasoning, not trial evidence "
                "[synthesis].",
            ),
        )
    return options


def violations(option: SystemicOption, platinum_eligible: bool, immunotherapy_contraindicated: bool) -> list[str]:
    """What is wrong with offering ``option`` to a patient with these flags (empty if nothing). Checks the option's
    ``agents``, the agents of every trial it names (:data:`TRIAL_AGENTS`) and the drug names in its regimen text,
    so that a regimen whose ``agents`` field was forgotten is still caught."""
    text = option.regimen.lower()
    agents = set(option.agents)
    for trial in option.trials:
        agents |= trial_agents(trial)
    named = {a for a in PLATINUM_AGENTS | ANTI_PD1_PDL1_AGENTS if a in text}
    if "platinum" in text.replace("non-platinum", "").replace("without platinum", ""):
        named.add("platinum")
    problems = []
    if not platinum_eligible:
        problems += [
            f"{option.regimen}: contains {a} for a platinum-ineligible patient"
            for a in sorted((agents | named) & (PLATINUM_AGENTS | {"platinum"}))
        ]
    if immunotherapy_contraindicated:
        problems += [
            f"{option.regimen}: contains {a} although immunotherapy was judged not advisable"
            for a in sorted((agents | named) & ANTI_PD1_PDL1_AGENTS)
        ]
    return problems
