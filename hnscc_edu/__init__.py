"""hnscc-edu: an open, case-based course kit on recurrent/metastatic head and neck cancer.

Education, not clinical advice. Notebooks import from ``hnscc_edu.notebook``; the command line is ``hnscc-edu``.
"""

__version__ = "0.1.0"
