"""Every reference key the clinical calculators cite resolves in the course bibliography (references/), which holds
the citations themselves; and the bibliography lists each key once."""

from collections import Counter

import pytest

from hnscc_edu.clinical.sources import REFERENCE_KEYS
from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import Bibliography
from tests.helpers import ROOT

CONTENT = load_course(ROOT)
BIBLIOGRAPHIES = [f for f in CONTENT.files if isinstance(f.model, Bibliography)]


def test_the_bibliography_loads_without_problems():
    assert BIBLIOGRAPHIES, "no bibliography file under references/ validated"
    assert [str(p) for f in BIBLIOGRAPHIES for p in f.problems] == []


@pytest.mark.parametrize("key", sorted(REFERENCE_KEYS))
def test_calculator_key_resolves_in_the_bibliography(key):
    reference = CONTENT.references.get(key)
    assert reference is not None, f"{key!r} is cited by hnscc_edu.clinical but missing from references/"
    assert reference.authors.strip() and reference.title.strip() and reference.year


def test_the_bibliography_has_no_duplicate_keys():
    counts = Counter(ref.key for f in BIBLIOGRAPHIES for ref in f.model.references)
    assert sorted(key for key, n in counts.items() if n > 1) == []
    assert not [p for p in CONTENT.problems if "duplicate reference key" in p.message]
