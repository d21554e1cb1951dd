"""Outcomes of salvage surgery for recurrent head and neck cancer, as data.

Only figures tagged [verified] (seen in the source's own text, as in references/evidence-log.md) are tabulated, each
with its study, the course reference key (references/references.yaml) and the course evidence label:

- Bulbul MG et al., Head Neck 2022;44(1):275-285, PMID 34729845 (reference key: bulbul2022-salvage): systematic
  review and meta-analysis of salvage surgery against non-surgical management of recurrent head and neck SCC in
  general (not only recurrences after radiotherapy or chemoradiation); 15 studies; 5-year overall survival 26-67%
  after salvage surgery against 0-32% without surgery, the range across studies; pooled hazard ratio for death 0.25
  (0.16-0.38) from the 6 studies that reported one, i.e. about a quarter of the death rate, not four times the
  survival. The authors themselves name confounding factors, including subsite and treatment intent [verified:
  PubMed abstract]; and the operated patients were those judged operable, so the comparison cannot isolate the
  effect of the operation [synthesis].
- Elbers JBW et al., Eur Arch Otorhinolaryngol 2019 (reference key: elbers2019-salvage): meta-analysis of salvage
  surgery for advanced-stage disease after radiotherapy or chemoradiation, 16 studies, 729 patients; pooled 5-year
  overall survival 37% (30-45%), positive margins 32%, re-operation 17%, fistula 33%, wound infection 24%, flap
  failure 3%, treatment-related mortality 1% [verified: the authors' institutional research page and the
  PubMed/QxMD abstract]. The pooled series were mainly laryngeal and hypopharyngeal (larynx 6 studies/397 patients,
  hypopharynx 2/47, both 4/203; oral cavity 1 study/11 patients, oropharynx 1/34, mixed 2/37), and the authors say
  non-laryngeal data were too sparse for firm conclusions about subsites: quote these figures for an oral or
  oropharyngeal recurrence only with that caveat (clinical-module2 E7).
- The 2023 meta-analysis of function after salvage surgery, Eur Arch Otorhinolaryngol 2023, PMID 37329358
  (reference key: salvage-function-meta2023): long-term feeding tube 18%, tracheostomy 7%; feeding-tube rate by
  procedure 41% (open oral/oropharyngeal), 25% (transoral robotic surgery), 11% (total laryngectomy), 4% (partial
  laryngectomy) [verified].

Left out on purpose: the often-quoted Goodwin 2000 meta-analysis (about 39% at 5 years), whose numbers were not seen
in source text here [recalled]. Every row comes from series of selected patients (retrospective studies pooled), so
the course labels them GRADE low. Percentages are of patients. Education, not clinical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

FIVE_YEAR_OS = "5-year overall survival"
POSITIVE_MARGINS = "Positive surgical margins"
REOPERATION = "Re-operation"
FISTULA = "Fistula"
WOUND_INFECTION = "Wound infection"
FLAP_FAILURE = "Flap failure"
TREATMENT_DEATH = "Treatment-related mortality"
FEEDING_TUBE = "Long-term feeding tube"
FEEDING_TUBE_BY_PROCEDURE = "Feeding tube, by procedure"
TRACHEOSTOMY = "Long-term tracheostomy"

AFTER_SURGERY = "After salvage surgery"
WITHOUT_SURGERY = "Without salvage surgery"

_BULBUL = "bulbul2022-salvage"
_ELBERS = "elbers2019-salvage"
_FUNCTION = "salvage-function-meta2023"
_BULBUL_STUDY = "Bulbul 2022, meta-analysis of 15 studies"
_ELBERS_STUDY = "Elbers 2019, meta-analysis of 16 studies (729 patients)"
_FUNCTION_STUDY = "Meta-analysis of function after salvage surgery, 2023"
_ACROSS = "range across the included studies"
_POOLED = "interval reported with the pooled estimate"
_ONLY = "pooled estimate only"
_VERIFIED = "verified"
_LOW = "grade-low"
_SELECTION = (
    "Confounded by selection (the authors name subsite and treatment intent among the confounders): patients "
    "fit and resectable enough to operate on did better for that reason too."
)
# Elbers' series were mostly larynx and hypopharynx (oral cavity: 1 study, 11 patients), so the figures travel badly
# to other sites; every Elbers row says so (clinical-module2 E7).
_MAINLY_LARYNX = "mainly laryngeal and hypopharyngeal series (oral cavity and oropharynx one study each)."
_MAINLY_LARYNX_NOTE = _MAINLY_LARYNX[0].upper() + _MAINLY_LARYNX[1:]


@dataclass(frozen=True)
class SalvageOutcome:
    """One reported outcome: a pooled value (``value_percent``) and/or an interval (``low_percent``-``high_percent``,
    whose meaning ``spread`` states), the study it comes from, its reference key, its confidence tag and the course
    evidence label."""

    measure: str
    group: str
    value_percent: float | None
    low_percent: float | None
    high_percent: float | None
    spread: str
    study: str
    reference: str
    tag: str
    evidence: str
    note: str = ""

    @property
    def text(self) -> str:
        """The number as a reader sees it: '37% (30-45%)', '26-67%' or '32%'."""
        interval = (
            f"{self.low_percent:g}-{self.high_percent:g}%"
            if self.low_percent is not None and self.high_percent is not None
            else ""
        )
        if self.value_percent is None:
            return interval
        return f"{self.value_percent:g}%" + (f" ({interval})" if interval else "")


@dataclass(frozen=True)
class PooledHazardRatio:
    """A pooled hazard ratio with its interval (here: death with against without salvage surgery)."""

    comparison: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    study: str
    reference: str
    tag: str
    evidence: str
    note: str


SURVIVAL_AND_MARGINS: tuple[SalvageOutcome, ...] = (
    SalvageOutcome(
        FIVE_YEAR_OS, AFTER_SURGERY, None, 26.0, 67.0, _ACROSS, _BULBUL_STUDY, _BULBUL, _VERIFIED, _LOW, _SELECTION
    ),
    SalvageOutcome(
        FIVE_YEAR_OS, WITHOUT_SURGERY, None, 0.0, 32.0, _ACROSS, _BULBUL_STUDY, _BULBUL, _VERIFIED, _LOW, _SELECTION
    ),
    SalvageOutcome(
        FIVE_YEAR_OS,
        AFTER_SURGERY,
        37.0,
        30.0,
        45.0,
        _POOLED,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        "Advanced-stage recurrences after radiotherapy or chemoradiation; " + _MAINLY_LARYNX,
    ),
    SalvageOutcome(
        POSITIVE_MARGINS,
        AFTER_SURGERY,
        32.0,
        None,
        None,
        _ONLY,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        "About a third of salvage resections had involved margins; " + _MAINLY_LARYNX,
    ),
)

COMPLICATIONS_AND_FUNCTION: tuple[SalvageOutcome, ...] = (
    SalvageOutcome(
        REOPERATION,
        AFTER_SURGERY,
        17.0,
        None,
        None,
        _ONLY,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        _MAINLY_LARYNX_NOTE,
    ),
    SalvageOutcome(
        FISTULA, AFTER_SURGERY, 33.0, None, None, _ONLY, _ELBERS_STUDY, _ELBERS, _VERIFIED, _LOW, _MAINLY_LARYNX_NOTE
    ),
    SalvageOutcome(
        WOUND_INFECTION,
        AFTER_SURGERY,
        24.0,
        None,
        None,
        _ONLY,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        _MAINLY_LARYNX_NOTE,
    ),
    SalvageOutcome(
        FLAP_FAILURE,
        AFTER_SURGERY,
        3.0,
        None,
        None,
        _ONLY,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        _MAINLY_LARYNX_NOTE,
    ),
    SalvageOutcome(
        TREATMENT_DEATH,
        AFTER_SURGERY,
        1.0,
        None,
        None,
        _ONLY,
        _ELBERS_STUDY,
        _ELBERS,
        _VERIFIED,
        _LOW,
        _MAINLY_LARYNX_NOTE,
    ),
    SalvageOutcome(FEEDING_TUBE, AFTER_SURGERY, 18.0, None, None, _ONLY, _FUNCTION_STUDY, _FUNCTION, _VERIFIED, _LOW),
    SalvageOutcome(TRACHEOSTOMY, AFTER_SURGERY, 7.0, None, None, _ONLY, _FUNCTION_STUDY, _FUNCTION, _VERIFIED, _LOW),
    SalvageOutcome(
        FEEDING_TUBE_BY_PROCEDURE,
        "After open oral or oropharyngeal resection",
        41.0,
        None,
        None,
        _ONLY,
        _FUNCTION_STUDY,
        _FUNCTION,
        _VERIFIED,
        _LOW,
    ),
    SalvageOutcome(
        FEEDING_TUBE_BY_PROCEDURE,
        "After transoral robotic surgery",
        25.0,
        None,
        None,
        _ONLY,
        _FUNCTION_STUDY,
        _FUNCTION,
        _VERIFIED,
        _LOW,
    ),
    SalvageOutcome(
        FEEDING_TUBE_BY_PROCEDURE,
        "After total laryngectomy",
        11.0,
        None,
        None,
        _ONLY,
        _FUNCTION_STUDY,
        _FUNCTION,
        _VERIFIED,
        _LOW,
    ),
    SalvageOutcome(
        FEEDING_TUBE_BY_PROCEDURE,
        "After partial laryngectomy",
        4.0,
        None,
        None,
        _ONLY,
        _FUNCTION_STUDY,
        _FUNCTION,
        _VERIFIED,
        _LOW,
    ),
)

SURGERY_HAZARD_RATIO = PooledHazardRatio(
    "Death, salvage surgery against no surgery", 0.25, 0.16, 0.38, _BULBUL_STUDY, _BULBUL, _VERIFIED, _LOW, _SELECTION
)

REFERENCES: tuple[str, ...] = (_BULBUL, _ELBERS, _FUNCTION)


def outcomes(measure: str | None = None) -> tuple[SalvageOutcome, ...]:
    """Every tabulated outcome, or those of one measure (for example ``FIVE_YEAR_OS`` or ``POSITIVE_MARGINS``).
    Sources: the meta-analyses listed in the module docstring [verified]."""
    rows = SURVIVAL_AND_MARGINS + COMPLICATIONS_AND_FUNCTION
    if measure is None:
        return rows
    chosen = tuple(row for row in rows if row.measure == measure)
    if not chosen:
        known = ", ".join(dict.fromkeys(row.measure for row in rows))
        raise ValueError(f"No salvage-surgery outcome is tabulated for {measure!r}; use one of: {known}.")
    return chosen
