"""Pure clinical calculators for the course: LQ dose conversions and cumulative organ limits, re-irradiation
selection (MIRI RPA, ESTRO-EORTC categories), RECIST 1.1 / iRECIST, PD-L1 and p16 biomarkers, resectability features
and systemic-therapy sequencing.

Each function names its source in its docstring; ``sources.REFERENCE_KEYS`` lists every reference key cited, and the
citations themselves live in the course bibliography (references/references.yaml).
This package imports nothing else from ``hnscc_edu`` and nothing of Jupyter. Education, not clinical advice.
"""

from . import biomarkers, dose, keynote048, recist, reirradiation, resectability, sequencing, sources

__all__ = ["biomarkers", "dose", "keynote048", "recist", "reirradiation", "resectability", "sequencing", "sources"]
