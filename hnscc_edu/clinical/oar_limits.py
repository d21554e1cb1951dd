"""Cumulative organ-at-risk limits for re-irradiation, one row per organ and per source.

No head-and-neck-specific consensus table of cumulative limits could be read, so the table keeps every source's own
number, metric and α/β side by side instead of choosing one. Rows whose metric or α/β the text read did not state
(``embring2021``; the row's ``tag`` says what is unverified) stay in the table with ``confirmed=False`` so that the
disagreement is taught, not hidden. Limits whose numbers could not be read (Dionisi 2019, key dionisi2019; Ng 2021,
key ng2021-npc-reirradiation; the RCR 2022 head and neck consensus; HyTEC, key grimm2021-hytec-carotid) have no row.

Organs: ``spinal_cord``, ``brachial_plexus``, ``great_vessels`` (thoracic aorta and great vessels, *not* the
carotid), ``carotid_artery`` and ``mandible``.
"""

from __future__ import annotations

from dataclasses import dataclass

CUMULATIVE_EQD2 = "cumulative_eqd2"
LAST_COURSE_PHYSICAL = "last_course_physical"

_DELPHI_NOTE = (
    "Thoracic re-irradiation consensus; assumes a 6-12-month interval and an organ taken to tolerance in "
    "the first course. Not head-and-neck-specific, but the closest readable consensus numbers."
)


@dataclass(frozen=True)
class OrganLimit:
    """One source's cumulative limit for one organ.

    ``limit_low_gy == limit_high_gy`` for a single number; a range (e.g. 80-95 Gy) keeps both ends. ``inclusive``
    says whether the source allows reaching the number (<=) or only staying below it (<). ``alpha_beta`` is the
    source's own α/β; where the text read does not give it, ``alpha_beta`` is None and ``assumed_alpha_beta`` (if
    any) is the α/β of the table that quotes the source, which the checker uses only with a visible note.
    ``quantity`` is what the number limits: the cumulative EQD2 over all courses, or the physical dose of the last
    course alone. The ``max_*`` fields hold extra per-course conditions that the source attaches to its limit.
    """

    organ: str
    metric: str
    limit_low_gy: float
    limit_high_gy: float
    inclusive: bool
    alpha_beta: float | None
    source: str
    source_label: str
    definition: str
    tag: str
    confirmed: bool = True
    quantity: str = CUMULATIVE_EQD2
    assumed_alpha_beta: float | None = None
    min_interval_months: float | None = None
    max_course_eqd2_gy: float | None = None
    max_last_course_eqd2_gy: float | None = None
    max_last_course_share: float | None = None

    @property
    def is_range(self) -> bool:
        return self.limit_high_gy != self.limit_low_gy

    @property
    def limit_text(self) -> str:
        value = (
            f"{self.limit_low_gy:g}-{self.limit_high_gy:g} Gy"
            if self.is_range
            else f"{'<=' if self.inclusive else '<'} {self.limit_low_gy:g} Gy"
        )
        if self.quantity == LAST_COURSE_PHYSICAL:
            return f"{value} physical dose in the last course"
        ab = self.alpha_beta if self.alpha_beta is not None else self.assumed_alpha_beta
        if ab is None and not self.confirmed:
            # the text read gives the cut-off only: calling it an EQD2 would state what was not seen
            return f"{value} (cumulative; whether EQD2, and at which α/β, not stated)"
        return f"{value} EQD2" + (f" (α/β {ab:g} Gy)" if ab is not None else " (α/β not stated)")


ORGAN_LIMITS: tuple[OrganLimit, ...] = (
    # --- Spinal cord -----------------------------------------------------------------------------------------
    OrganLimit(
        organ="spinal_cord",
        metric="cumulative BED (cervical/thoracic cord)",
        limit_low_gy=67.75,
        limit_high_gy=67.75,
        inclusive=True,
        alpha_beta=2.0,
        source="nieder2006",
        source_label="Nieder 2006",
        definition=(
            "Myelopathy risk appears small up to a cumulative BED of 135.5 Gy2 (α/β 2) when each course is "
            "<= 98 Gy2 and the interval is >= 6 months; no myelopathy had been reported up to 120 Gy2 under "
            "those conditions. 135.5 Gy2 = EQD2 67.75 Gy; 98 Gy2 = EQD2 49 Gy."
        ),
        tag="[verified] thresholds; EQD2 conversion [derived]",
        min_interval_months=6.0,
        max_course_eqd2_gy=49.0,
    ),
    OrganLimit(
        organ="spinal_cord",
        metric="Dmax",
        limit_low_gy=60.0,
        limit_high_gy=60.0,
        inclusive=True,
        alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Thoracic re-irradiation Delphi consensus",
        definition="Cumulative EQD2 Dmax 60 Gy (α/β 2). " + _DELPHI_NOTE,
        tag="[verified]",
        min_interval_months=6.0,
    ),
    OrganLimit(
        organ="spinal_cord",
        metric="D0.1cc",
        limit_low_gy=56.25,
        limit_high_gy=56.25,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Paradis (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 D0.1cc < 56.25 Gy, quoted for thoracic re-irradiation.",
        tag="[verified]",
    ),
    OrganLimit(
        organ="spinal_cord",
        metric="Dmax",
        limit_low_gy=65.0,
        limit_high_gy=65.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Troost (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 Dmax < 65 Gy after a 9-month interval, quoted for thoracic re-irradiation.",
        tag="[verified]",
        min_interval_months=9.0,
    ),
    OrganLimit(
        organ="spinal_cord",
        metric="Dmax",
        limit_low_gy=57.0,
        limit_high_gy=57.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="ARS thoracic abstract (as quoted in the thoracic Delphi Table 4)",
        definition=(
            "Cumulative EQD2 Dmax < 57 Gy for thoracic re-irradiation; ARS did not state the α/β "
            "(the quoting table uses 2 for the cord)."
        ),
        tag="[verified]",
    ),
    OrganLimit(
        organ="spinal_cord",
        metric="thecal sac Pmax (nBED = EQD2, α/β 2)",
        limit_low_gy=70.0,
        limit_high_gy=70.0,
        inclusive=True,
        alpha_beta=2.0,
        source="sahgal2012",
        source_label="Sahgal 2012 (spine SBRT re-irradiation)",
        definition=(
            "Conditions that appeared safe: SBRT >= 5 months after conventional RT, SBRT thecal-sac Pmax "
            "nBED 20-25 Gy, total Pmax nBED <= about 70 Gy, and SBRT contributing <= about 50% of the total. "
            "The numbers are approximate in the source."
        ),
        tag="[verified]",
        min_interval_months=5.0,
        max_last_course_eqd2_gy=25.0,
        max_last_course_share=0.5,
    ),
    # --- Brachial plexus -------------------------------------------------------------------------------------
    OrganLimit(
        organ="brachial_plexus",
        metric="Dmax",
        limit_low_gy=80.0,
        limit_high_gy=95.0,
        inclusive=True,
        alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Thoracic re-irradiation Delphi consensus",
        definition="Cumulative EQD2 Dmax 80-95 Gy (α/β 2). " + _DELPHI_NOTE,
        tag="[verified]",
        min_interval_months=6.0,
    ),
    OrganLimit(
        organ="brachial_plexus",
        metric="D0.1cc",
        limit_low_gy=85.0,
        limit_high_gy=85.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Paradis (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 D0.1cc < 85 Gy, quoted for thoracic re-irradiation.",
        tag="[verified]",
    ),
    OrganLimit(
        organ="brachial_plexus",
        metric="Dmax",
        limit_low_gy=85.0,
        limit_high_gy=85.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="Troost (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 Dmax < 85 Gy, quoted for thoracic re-irradiation.",
        tag="[verified]",
    ),
    OrganLimit(
        organ="brachial_plexus",
        metric="Dmax",
        limit_low_gy=85.0,
        limit_high_gy=85.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=2.0,
        source="rulach2021-thoracic-delphi",
        source_label="ARS thoracic abstract (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 Dmax < 85 Gy, quoted for thoracic re-irradiation.",
        tag="[verified]",
    ),
    # --- Thoracic aorta / great vessels (not the carotid) -------------------------------------------------------
    OrganLimit(
        organ="great_vessels",
        metric="Dmax",
        limit_low_gy=110.0,
        limit_high_gy=115.0,
        inclusive=True,
        alpha_beta=3.0,
        source="rulach2021-thoracic-delphi",
        source_label="Thoracic re-irradiation Delphi consensus",
        definition=(
            "Cumulative EQD2 Dmax 110-115 Gy (α/β 3) for the aorta and great vessels of the chest, not the "
            "carotid. " + _DELPHI_NOTE
        ),
        tag="[verified]",
        min_interval_months=6.0,
    ),
    OrganLimit(
        organ="great_vessels",
        metric="D0.1cc",
        limit_low_gy=123.0,
        limit_high_gy=123.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=3.0,
        source="rulach2021-thoracic-delphi",
        source_label="Paradis (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 D0.1cc < 123 Gy for the thoracic great vessels (not the carotid).",
        tag="[verified]",
    ),
    OrganLimit(
        organ="great_vessels",
        metric="Dmax",
        limit_low_gy=110.0,
        limit_high_gy=110.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=3.0,
        source="rulach2021-thoracic-delphi",
        source_label="Troost (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 Dmax < 110 Gy for the thoracic great vessels (not the carotid).",
        tag="[verified]",
    ),
    OrganLimit(
        organ="great_vessels",
        metric="Dmax",
        limit_low_gy=120.0,
        limit_high_gy=120.0,
        inclusive=False,
        alpha_beta=None,
        assumed_alpha_beta=3.0,
        source="rulach2021-thoracic-delphi",
        source_label="ARS thoracic abstract (as quoted in the thoracic Delphi Table 4)",
        definition="Cumulative EQD2 Dmax < 120 Gy for the thoracic great vessels (not the carotid).",
        tag="[verified]",
    ),
    # --- Carotid artery --------------------------------------------------------------------------------------
    OrganLimit(
        organ="carotid_artery",
        metric="Dmax (cumulative plan)",
        limit_low_gy=119.0,
        limit_high_gy=119.0,
        inclusive=False,
        alpha_beta=None,
        source="embring2021",
        source_label="Embring 2021 (54 patients, ROC)",
        definition=(
            "Carotid blowout vs maximum carotid dose from cumulative plans: AUC 0.92, cut-off 119 Gy "
            "(sensitivity 1.00, specificity 0.89). One cohort's threshold, not a consensus limit; whether it "
            "is an EQD2 and with which α/β was not stated in the text read."
        ),
        tag="[verified] cut-off; metric and α/β unverified",
        confirmed=False,
    ),
    OrganLimit(
        organ="carotid_artery",
        metric="Dmax of the SBRT course",
        limit_low_gy=34.0,
        limit_high_gy=34.0,
        inclusive=False,
        alpha_beta=None,
        source="yazici2013",
        source_label="Yazici 2013 (75 SBRT patients)",
        definition=(
            "No carotid blowout was seen when the maximum carotid dose from the SBRT re-irradiation course "
            "was below 34 Gy (physical dose of that course). A single-centre observation, not a limit."
        ),
        tag="[verified]",
        quantity=LAST_COURSE_PHYSICAL,
    ),
    # --- Mandible / bone -------------------------------------------------------------------------------------
    OrganLimit(
        organ="mandible",
        metric="bone near-maximum dose (cumulative plan)",
        limit_low_gy=119.0,
        limit_high_gy=119.0,
        inclusive=False,
        alpha_beta=None,
        source="embring2021",
        source_label="Embring 2021 (54 patients, ROC)",
        definition=(
            "Osteoradionecrosis vs near-maximum bone dose from cumulative plans: AUC 0.74, cut-off 119 Gy "
            "(sensitivity 1.00, specificity 0.52). One cohort's threshold; metric and α/β not stated in "
            "the text read."
        ),
        tag="[verified] cut-off; metric and α/β unverified",
        confirmed=False,
    ),
)

ORGANS: tuple[str, ...] = tuple(dict.fromkeys(row.organ for row in ORGAN_LIMITS))
