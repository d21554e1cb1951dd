"""Pure clinical calculators for the course: LQ dose conversions and cumulative organ limits, re-irradiation
selection (MIRI RPA, ESTRO-EORTC categories), RECIST 1.1 / iRECIST, PD-L1 and p16 biomarkers, resectability features
and systemic-therapy sequencing.

Each function names its source in its docstring; ``sources.SOURCES`` maps every reference key to its citation.
This package imports nothing else from ``hnscc_edu`` and nothing of Jupyter. Education, not clinical advice.
"""

from . import biomarkers, dose, recist, reirradiation, resectability, sequencing, sources

__all__ = ["biomarkers", "dose", "recist", "reirradiation", "resectability", "sequencing", "sources"]
