"""Systemic options by setting and CPS against systemic-surgery.md test cases 1-6."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.clinical import sequencing as sq
from hnscc_edu.clinical.sources import REFERENCE_KEYS

STATUSES = {"established", "emerging", "investigational", "off-label"}


def regimens(options):
    return [o.regimen for o in options]


def by_name(options, name):
    return next(o for o in options if o.regimen == name)


def test_case_1_first_line_cps_20_lists_both_pembrolizumab_regimens():
    options = sq.systemic_options(25, prior_platinum=False, prior_anti_pd1=False)
    combo = by_name(options, "Pembrolizumab + platinum + 5-FU")
    mono = by_name(options, "Pembrolizumab monotherapy")
    assert combo.preferred and mono.preferred
    assert "PFS" in mono.rationale and "responses" in mono.rationale and "0.61 (0.46-0.81)" in mono.rationale
    assert "burtness2019-keynote048" in mono.references and "yilmaz2023-asco" in mono.references


def test_case_2_cps_1_to_19_favours_pembrolizumab_with_chemotherapy():
    options = sq.systemic_options(10, False, False)
    assert by_name(options, "Pembrolizumab + platinum + 5-FU").preferred is True
    mono = by_name(options, "Pembrolizumab monotherapy")
    assert mono.preferred is False and "0.86 (0.66-1.12)" in mono.rationale
    assert "0.71 (0.54-0.94)" in by_name(options, "Pembrolizumab + platinum + 5-FU").rationale


def test_case_3_cps_below_1_never_offers_pembrolizumab_alone():
    options = sq.systemic_options(0, False, False)
    names = regimens(options)
    assert "Pembrolizumab monotherapy" not in names
    combo = by_name(options, "Pembrolizumab + platinum + 5-FU")
    assert "may be offered" in combo.rationale and "1.21" in combo.rationale and "EU" in combo.rationale
    assert "Cetuximab + platinum + 5-FU (EXTREME)" in names
    assert any("TPEx" in name for name in names)
    assert not any(o.preferred for o in options)
    assert "pembrolizumab monotherapy at CPS <1" in sq.NOT_SUGGESTED


@pytest.mark.parametrize("cps", [None, 0, 5, 50])
def test_case_4_platinum_refractory_io_naive_gets_nivolumab_or_pembrolizumab_regardless_of_cps(cps):
    options = sq.systemic_options(cps, prior_platinum=True, prior_anti_pd1=False, platinum_refractory=True)
    assert regimens(options)[:2] == ["Nivolumab", "Pembrolizumab"]
    assert all(o.preferred for o in options[:2])
    nivo, pembro = options[:2]
    assert "ferris2016-checkmate141" in nivo.references and "0.70" in nivo.rationale
    assert "cohen2019-keynote040" in pembro.references and "supportive" in pembro.rationale


def test_case_5_after_pembrolizumab_chemotherapy_a_trial_comes_first():
    options = sq.systemic_options(30, prior_platinum=True, prior_anti_pd1=True)
    assert options[0].regimen == "Clinical trial" and options[0].preferred
    assert options[0].status == "investigational"
    assert any("LiGeR-HN2" in trial for trial in options[0].trials)
    names = " ".join(regimens(options)).lower()
    assert "cetuximab" in names and "taxane" in names
    assert "buparlisib" not in names and "monalizumab" not in names
    assert not any(o.preferred for o in options[1:])


def test_case_6_first_line_trials_for_hpv_negative_disease():
    trial = next(o for o in sq.systemic_options(5, False, False) if o.status == "investigational")
    text = " ".join(trial.trials)
    assert "FORTIFI-HN01" in text and "LiGeR-HN1" in text and "OrigAMI-5" in text
    assert trial.preferred is False
    low = next(o for o in sq.systemic_options(0, False, False) if o.status == "investigational")
    assert [t.split(" ")[0] for t in low.trials] == ["OrigAMI-5"]


def test_platinum_ineligible_first_line_never_gets_a_carboplatin_trial():
    # clinical-module3 E2 / claim #85: OrigAMI-5 contains carboplatin.
    high = sq.systemic_options(25, False, False, platinum_eligible=False)
    assert regimens(high)[0] == "Pembrolizumab monotherapy"
    trial = next(o for o in high if o.status == "investigational")
    assert not any("OrigAMI-5" in t for t in trial.trials) and "carboplatin" not in trial.agents
    low = sq.systemic_options(0, False, False, platinum_eligible=False)
    assert low[0].preferred and "Non-platinum" in low[0].regimen
    assert "Pembrolizumab monotherapy" not in regimens(low)
    assert not any(o.status == "investigational" for o in low)


@pytest.mark.parametrize("eligible", [True, False])
def test_immunotherapy_contraindicated_first_line(eligible):
    options = sq.systemic_options(30, False, False, platinum_eligible=eligible, immunotherapy_contraindicated=True)
    agents = set().union(*(o.agents for o in options))
    assert not agents & sq.ANTI_PD1_PDL1_AGENTS
    if eligible:
        assert options[0].regimen == "Cetuximab + platinum + 5-FU (EXTREME)" and options[0].preferred
        tpex = next(o for o in options if "TPEx" in o.regimen)
        assert "18-70" in tpex.rationale and "ECOG 0-1" in tpex.rationale
    else:
        assert not agents & sq.PLATINUM_AGENTS and options[0].preferred
    assert all(o.references and o.rationale for o in options)


def test_immunotherapy_contraindicated_platinum_refractory_has_no_anti_pd1():
    options = sq.systemic_options(50, True, False, platinum_refractory=True, immunotherapy_contraindicated=True)
    assert "Nivolumab" not in regimens(options) and "Pembrolizumab" not in regimens(options)


def test_pembrolizumab_after_platinum_shows_us_and_eu_licences_side_by_side():
    pembro = by_name(sq.systemic_options(None, True, False, platinum_refractory=True), "Pembrolizumab")
    licences = dict(pembro.licences)
    assert set(licences) == {"US (FDA label)", "EU (EMA product information)"}
    assert "TPS >=50%" in licences["EU (EMA product information)"]
    assert "no PD-L1" in licences["US (FDA label)"]
    assert {"keytruda-uspi", "keytruda-ema-smpc"} <= set(pembro.references)


def test_after_anti_pd1_without_platinum():
    assert sq.line_of_therapy(False, True) == sq.AFTER_IO_PLATINUM_NAIVE
    options = sq.systemic_options(None, prior_platinum=False, prior_anti_pd1=True)
    assert options[0].regimen == "Cetuximab + platinum + 5-FU (EXTREME)" and "[synthesis]" in options[0].rationale
    ineligible = sq.systemic_options(None, False, True, platinum_eligible=False)
    assert ineligible[0].regimen == "Clinical trial" and ineligible[0].preferred


def test_curative_platinum_long_ago_is_still_first_line():
    assert sq.line_of_therapy(prior_platinum=True, prior_anti_pd1=False) == sq.FIRST_LINE
    assert regimens(sq.systemic_options(25, True, False)) == regimens(sq.systemic_options(25, False, False))


@given(
    st.one_of(st.none(), st.floats(0, 100)), st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans()
)
def test_every_option_is_complete_and_trials_are_the_only_investigational_items(
    cps, platinum, io, eligible, refractory, no_io
):
    if refractory and not platinum:
        return
    if cps is None and not io and not refractory and not no_io:
        return
    options = sq.systemic_options(cps, platinum, io, eligible, refractory, no_io)
    assert options
    for option in options:
        assert option.status in STATUSES and option.rationale and option.evidence
        assert option.references and all(key in REFERENCE_KEYS for key in option.references)
        assert (option.status == "investigational") == ("trial" in option.regimen.lower())
        if option.status == "investigational":
            assert option.trials
    if cps is not None and cps < 1 and not io and not refractory:
        assert "Pembrolizumab monotherapy" not in regimens(options)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sq.systemic_options(None, False, False), "CPS"),
        (lambda: sq.systemic_options(10, False, False, platinum_refractory=True), "prior_platinum must be True"),
        (lambda: sq.systemic_options(10, "no", False), "True or False"),
        (lambda: sq.systemic_options(10, False, 0), "True or False"),
        (lambda: sq.systemic_options(10, False, False, platinum_eligible=None), "True or False"),
        (lambda: sq.systemic_options(10, False, False, immunotherapy_contraindicated="yes"), "True or False"),
        (lambda: sq.systemic_options(150, False, False), "at most 100"),
        (lambda: sq.systemic_options(-2, False, False), "cannot be negative"),
        (lambda: sq.systemic_options(True, False, False), "yes/no"),
        (lambda: sq.systemic_options(float("nan"), False, False), "finite"),
    ],
)
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _every_option():
    """Every option the explorer can show, over CPS groups, settings and flags."""
    for cps in (0, 5, 25):
        for platinum, io, refractory in (
            (False, False, False),
            (True, False, True),
            (True, True, False),
            (False, True, False),
        ):
            for eligible in (True, False):
                for no_io in (True, False):
                    yield from sq.systemic_options(cps, platinum, io, eligible, refractory, no_io)


def test_wording_follows_the_fact_check_fc_m3():
    """P2: pembrolizumab alone (KEYNOTE-048) and ELAN UNFIT are randomised first-line regimens without platinum, so no
    rationale may say none exists; P3: the CPS <1 HR 1.51 is a post hoc, non-significant trend; P7: the KEYTRUDA label
    lists no contraindications, only warnings, so immunotherapy is never called 'contraindicated'; P6: the total-population
    PFS/response caveat names its secondary source; P9: the 8.85-month OS pools 50 first- and 25 second-line
    patients."""
    texts = [o.rationale for o in _every_option()]
    assert not any("without platinum exists" in t for t in texts)
    assert not any(re.search(r"\bis contraindicated\b|\bdid worse than EXTREME\b", t) for t in texts)
    low = sq.systemic_options(0, False, False, platinum_eligible=False)
    assert "non-significant trend" in low[0].rationale and "0.96-2.37" in low[0].rationale
    assert "ELAN UNFIT" in low[0].rationale and "guigay2024-elan-unfit" in low[0].references
    assert "pooled median OS of 8.85 months in 75 platinum-ineligible patients (50 first-line, 25 second-line)" in (
        low[0].rationale
    )
    mono = by_name(sq.systemic_options(25, False, False), "Pembrolizumab monotherapy")
    assert "secondary summary" in mono.rationale and "metaevidence-keynote048" in mono.references
    no_io = sq.systemic_options(25, False, False, immunotherapy_contraindicated=True)[0]
    assert "lists no contraindications, only warnings" in no_io.rationale
