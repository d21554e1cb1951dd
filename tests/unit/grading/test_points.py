"""Scores are shown as people write them (issue 20 §2): "3.3 of 8", never "3.27778"."""

from __future__ import annotations

import pytest

from hnscc_edu.rules.grading.result import points


@pytest.mark.parametrize(
    "value, shown",
    [
        (3.27778, "3.3"),
        (8, "8"),
        (8.0, "8"),
        (0.5, "0.5"),
        (2.25, "2.25"),
        (0.75, "0.75"),
        (1 / 3, "0.3"),
        (2 / 3, "0.7"),
        (0.05, "0.1"),
        (12.96, "13"),
        (10.0, "10"),
        (0.0, "0"),
        (7 + 5 / 6, "7.8"),
    ],
)
def test_points_are_whole_quarters_or_one_decimal(value, shown):
    assert points(value) == shown
