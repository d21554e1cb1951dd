"""The keys of numeric items that are dose calculations agree with the project's calculators.

Content authors work the arithmetic by hand (and show it in ``working``); this recomputes each key from the inputs its
stem states, so a slip in a case file cannot teach a wrong number.
"""

import pytest

from hnscc_edu.clinical import biomarkers, dose, recist
from hnscc_edu.content.course import load_course
from tests.helpers import ROOT

CONTENT = load_course(ROOT)
ITEMS = {item.id: item for case in CONTENT.cases.values() for item in case.items}
ITEMS.update({item.id: item for bank in CONTENT.banks.values() for item in bank.items})

# item id -> (the value recomputed from the inputs the stem gives, a phrase of the stem that states those inputs)
RECOMPUTED = {
    "rc01-cord-eqd2": (dose.cumulative_eqd2([(45.5, 35), (24.0, 30)], 2.0, recovery=0.25), "25% recovery"),
    "m1q-rtog9610-eqd2": (dose.eqd2(60.0, 40, 10.0), "alpha/beta = 10 Gy"),
    "rb03-quad-bed": (3 * dose.bed(14.8, 4, 10.0), "alpha/beta = 10 Gy"),
    "rb03-cord-allowed": (
        dose.max_dose_for_eqd2(dose.remaining_eqd2(67.75, [(44.0, 35)], 2.0), 30, 2.0),
        "44.0 Gy in 35 fractions",
    ),
    "rp04-sbrt-carotid-eqd2": (dose.eqd2(40.0, 5, 3.0), "alpha/beta = 3 Gy"),
    "rp04-cord-eqd2": (dose.cumulative_eqd2([(46.2, 35), (21.0, 30)], 2.0, recovery=0.5), "50%"),
    "rp04-cord-budget": (
        dose.max_dose_for_eqd2(dose.remaining_eqd2(60.0, [(46.2, 35)], 2.0), 30, 2.0),
        "46.2 Gy in 35 fractions",
    ),
    "rt05-carotid-eqd2": (dose.cumulative_eqd2([(62.4, 30), (61.2, 30)], 3.0), "alpha/beta = 3 Gy"),
    "m1b-nieder-eqd2": (dose.eqd2_from_bed(135.5, 2.0), "135.5 Gy2"),
    "m1b-doi-allowed-dose": (
        dose.max_dose_for_eqd2(dose.remaining_eqd2(50.0, [(50.0, 25)], 2.0, recovery=0.5), 5, 2.0),
        "50% recovery",
    ),
    "m1b-sbrt-tumour-eqd2": (dose.eqd2(44.0, 5, 10.0), "alpha/beta = 10 Gy"),
    "m1b-quad-shot-bed": (3 * dose.bed(14.8, 4, 10.0), "alpha/beta = 10 Gy"),
    "sc07-percent-change": (
        recist.series(["Baseline", "Week 18"], [[52, 30], [24, 11]])[1].change_from_baseline_percent,
        "30 mm and 11 mm at week 18",
    ),
    "sp08-nadir-change": (
        recist.series([f"A{i}" for i in range(6)], [[32, 40, 30, 22, 20, 27], [28, 33, 24, 18, 17, 20]])[
            5
        ].change_from_nadir_percent,
        "27 mm and 20 mm",
    ),
    "m2b-recist-baseline-change": (
        recist.series(["Baseline", "Week 9"], [[46, 31], [18, 12]])[1].change_from_baseline_percent,
        "31 mm and 12 mm",
    ),
    "m2b-recist-nadir-change": (
        recist.series(["Baseline", "Week 18", "Week 27"], [[50, 30, 34], [30, 14, 19]])[2].change_from_nadir_percent,
        "34 and 19 mm at week 27",
    ),
    "sb13-cps": (biomarkers.combined_positive_score(30, 20, 200), "30 PD-L1-stained tumour cells"),
    "sb13-tps": (biomarkers.tumor_proportion_score(30, 200), "30 PD-L1-stained tumour cells"),
    "m3b-cps-count": (biomarkers.combined_positive_score(12, 6, 150), "150 viable tumour cells"),
}


@pytest.mark.parametrize("item_id", sorted(RECOMPUTED))
def test_numeric_key_matches_the_calculator(item_id):
    item = ITEMS[item_id]
    value, stated = RECOMPUTED[item_id]
    assert stated in item.stem
    assert abs(item.answer.value - value) <= 0.05 + 1e-9, (item.answer.value, value)
    assert item.answer.absolute_tolerance is not None and item.answer.absolute_tolerance <= 1.0
