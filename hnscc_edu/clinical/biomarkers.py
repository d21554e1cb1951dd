"""PD-L1 scores (CPS, TPS), their treatment groups, and the reading of p16 immunohistochemistry.

Sources: the PD-L1 IHC 22C3 interpretation material (``agilent-22c3-hnscc-cps``); the CPS cut-offs of KEYNOTE-048
and the ASCO guideline (``burtness2019-keynote048``, ``yilmaz2023-asco``); the CAP HPV testing guidelines for p16
(``lewis2018-cap-hpv``, ``lewis2025-cap-hpv``).
"""

from __future__ import annotations

from . import _validate as check

CPS_CAP = 100.0
CPS_SOURCES: tuple[str, ...] = ("agilent-22c3-hnscc-cps", "yilmaz2023-asco", "burtness2019-keynote048")
P16_POSITIVE_PERCENT = 70.0
P16_EQUIVOCAL_PERCENT = 50.0


def _counts(pdl1_tumor_cells: object, viable_tumor_cells: object, subset: bool = True) -> tuple[float, float]:
    positive = check.non_negative(pdl1_tumor_cells, "The number of PD-L1-positive tumour cells", "cells")
    viable = check.non_negative(viable_tumor_cells, "The number of viable tumour cells", "cells")
    if viable == 0:
        raise ValueError("A PD-L1 score needs at least one viable tumour cell; with none, the sample is not evaluable.")
    if subset and positive > viable:
        raise ValueError(
            f"PD-L1-positive tumour cells ({positive:g}) cannot outnumber the viable tumour cells "
            f"({viable:g}) they are counted among."
        )
    return positive, viable


def combined_positive_score(pdl1_tumor_cells: float, pdl1_immune_cells: float, viable_tumor_cells: float) -> float:
    """PD-L1 combined positive score (22C3).

    ``CPS = (PD-L1+ tumour cells + PD-L1+ lymphocytes and macrophages) / viable tumour cells * 100``, reported as
    at most 100. Formula and cap: the PD-L1 IHC 22C3 pharmDx interpretation material as reproduced on
    biomarkertesting.ca (``agilent-22c3-hnscc-cps``), which defines the maximum score as CPS 100 (read 2026-12-05 for
    issue 15, clinical-module3 E5; an earlier check, which had read only the formula in ``cps-bioprotocol``, had not
    found the cap). Worked example: (30 + 20) / 200 * 100 = 25.

    Valid input: cell counts >= 0 (numbers, not yes/no values); viable tumour cells > 0. Whatever the counts, the
    result never exceeds 100, as the API promises; counts where stained tumour cells outnumber viable ones are
    impossible and are refused by :func:`tumor_proportion_score`, which the calculator view computes alongside.
    """
    tumour, viable = _counts(pdl1_tumor_cells, viable_tumor_cells, subset=False)
    immune = check.non_negative(pdl1_immune_cells, "The number of PD-L1-positive immune cells", "cells")
    return min(CPS_CAP, (tumour + immune) / viable * 100.0)


def tumor_proportion_score(pdl1_tumor_cells: float, viable_tumor_cells: float) -> float:
    """PD-L1 tumour proportion score in percent: ``TPS = PD-L1+ tumour cells / viable tumour cells * 100``.

    Only tumour cells with partial or complete membrane staining count; immune cells and cytoplasmic staining are
    excluded (a 22C3 staining protocol as read on pubcompare [verified]; it has no bibliography entry). Worked
    example: 30 / 200 = 15%.
    Valid input as for :func:`combined_positive_score`; the result lies in 0-100.
    """
    tumour, viable = _counts(pdl1_tumor_cells, viable_tumor_cells)
    return tumour / viable * 100.0


def cps_group(cps: float) -> str:
    """Treatment group of a CPS: "<1", "1-19" or ">=20".

    Cut-offs 1 and 20 as used in KEYNOTE-048 and the ASCO 2023 guideline (``burtness2019-keynote048``,
    ``yilmaz2023-asco`` [verified]). The groups are defined by the cut-offs, so "1-19" means 1 <= CPS < 20: a
    non-integer CPS between 19 and 20 (e.g. 19.5) is "1-19", and 0.5 is "<1". CPS is normally reported as a
    whole number.
    Valid input: 0 <= cps <= 100.
    """
    value = check.non_negative(cps, "A CPS")
    if value > CPS_CAP:
        raise ValueError(f"A CPS is reported as at most 100: got {value:g}.")
    if value < 1:
        return "<1"
    if value < 20:
        return "1-19"
    return ">=20"


def p16_interpretation(percent_stained: float, *, moderate_to_strong: bool = True, site: str = "oropharynx") -> str:
    """Reading of p16 immunohistochemistry as a surrogate for HPV-associated squamous cell carcinoma.

    Rules (CAP 2018 ``lewis2018-cap-hpv`` and CAP 2025 ``lewis2025-cap-hpv`` [verified]):

    - oropharynx: >= 70% nuclear and cytoplasmic staining of at least moderate intensity -> "positive";
      50-<70%, or >= 50% but weak -> "equivocal: do HPV-specific testing"; below 50% -> "negative"
      (the < 50% reading is [synthesis]: the sources give only the positive and equivocal bands);
    - sinonasal: "test HPV directly by RNA-ISH (p16 may be used as a screen)" (CAP 2025);
    - any other site (e.g. oral cavity): "not routinely tested or reported as HPV-associated".

    Valid input: 0 <= ``percent_stained`` <= 100; ``site`` one of "oropharynx", "sinonasal", "oral_cavity",
    "larynx", "hypopharynx", "other".
    """
    percent = check.non_negative(percent_stained, "The percentage of stained tumour cells", "%")
    if percent > 100:
        raise ValueError(f"A percentage of stained cells cannot exceed 100: got {percent:g}%.")
    strong = check.flag(moderate_to_strong, "moderate_to_strong")
    sites = ("oropharynx", "sinonasal", "oral_cavity", "larynx", "hypopharynx", "other")
    if site not in sites:
        raise ValueError(f"Unknown site {site!r}; use one of {', '.join(sites)}.")
    if site == "sinonasal":
        return "test HPV directly by RNA-ISH (p16 may be used as a screen)"
    if site != "oropharynx":
        return "not routinely tested or reported as HPV-associated"
    if percent >= P16_POSITIVE_PERCENT and strong:
        return "positive"
    if percent >= P16_EQUIVOCAL_PERCENT:
        return "equivocal: do HPV-specific testing"
    return "negative"
