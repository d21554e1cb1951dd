"""Reference keys cited by the calculators.

The citations themselves live in the course bibliography, ``references/references.yaml``, which is the one source of
truth for citations. This module keeps only the set of keys, so that the clinical package stays free of the content
layer (it imports nothing but the standard library); a content test (``tests/content/test_clinical_references.py``)
checks that every key here resolves in the loaded bibliography, and the unit tests check that every key a calculator
cites is listed here.
"""

from __future__ import annotations

REFERENCE_KEYS: frozenset[str] = frozenset(
    {
        # Linear-quadratic formulas
        "tsang-rbapp-equations",
        "icrpaedia-equieffective-dose",
        # Cumulative dose, recovery and organ limits
        "nieder2006",
        "doi2021",
        "kirkpatrick2010-quantec",
        "rulach2021-thoracic-delphi",
        "sahgal2012",
        "embring2021",
        "yazici2013",
        "survey2025-reirradiation-constraints",
        # Selection and definitions
        "ward2018-miri",
        "vargo2018",
        "ward2019-nomogram",
        "lee2021-snuh",
        "lee2020-krog1707",
        "andratschke2022-estro-eortc",
        "apm2024-astro-panel",
        # Response assessment
        "eisenhauer2009-recist",
        "seymour2017-irecist",
        # Biomarkers
        "yilmaz2023-asco",
        "lewis2018-cap-hpv",
        "lewis2025-cap-hpv",
        "cps-bioprotocol",
        "agilent-22c3-hnscc-cps",  # CPS formula and cap (references/m3.yaml)
        # Systemic therapy
        "burtness2019-keynote048",
        "harrington2023-keynote048",
        "tahara2025-keynote048",
        "tahara2022-keynote048-esmo",
        "bulbul2022-salvage",
        "elbers2019-salvage",
        "salvage-function-meta2023",
        "burtness2022-keynote048-cps",
        "vermorken2008-extreme",
        "guigay2021-tpextreme",
        "ferris2016-checkmate141",
        "cohen2019-keynote040",
        "fayette2025-interlink1",
        "cabezas2025-post-io-cetuximab",
        "soulieres2025-buran",
        "fortifi-hn01-nct06788990",
        "liger-hn1-nct06525220",
        "liger-hn2-nct06496178",
        "origami5-trial",
        "origami4-nct06385080",
        "swiecicki2024-ev202",
        "innovatv207-nct03485209",
        # Labels and non-immunotherapy options (references/m3.yaml, issue 15 clinical-module3)
        "keytruda-uspi",
        "keytruda-ema-smpc",
        "aguin2023-paclitaxel-cetuximab",
        "vermorken2007-cetuximab-mono",
        "metaevidence-keynote048",  # secondary source of the total-population PFS/response caveat (fact-check fc-m3 P6)
        "guigay2024-elan-unfit",  # named (results not taught) in the non-platinum rationale (m3-special.yaml; fc-m3 P2)
        # Resectability
        "nci-pdq-oropharynx-2014",
        "nci-pdq-hypopharynx",
        "aaohns-tnm-guide-5",
        "mattavelli2024-t4b",
        "frontiers2021-carotid-review",
        "lodder2013-carotid",
        "yousem1995-carotid-mr",  # origin of the > 270° carotid sign (references/m2.yaml)
        "liao2007-infranotch",
        "trivedi2018-masticator",  # infra-notch masticator-space tumours resected like T4a (references/rebase.yaml)
        "nccn-head-neck",
    }
)
