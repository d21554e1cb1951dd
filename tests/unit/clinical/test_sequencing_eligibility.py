"""Every regimen the sequencing explorer can name is checked against the patient's eligibility flags, for every
combination of inputs (issue 15 §1; clinical-module3 E2 and claim #85): no cisplatin or carboplatin for a
platinum-ineligible patient, no anti-PD-1/PD-L1 for a patient in whom immunotherapy is contraindicated. A seeded bad
option shows that the check can fail."""

import itertools

import pytest

from hnscc_edu.clinical import sequencing as sq

CPS_VALUES = (None, 0, 0.5, 1, 5, 19, 20, 50, 100)
FLAGS = (False, True)


def every_input():
    """The exhaustive product of the explorer's inputs, without the combinations it rejects by design."""
    for cps, platinum, io, eligible, refractory, no_io in itertools.product(
        CPS_VALUES, FLAGS, FLAGS, FLAGS, FLAGS, FLAGS
    ):
        if refractory and not platinum:
            continue
        if cps is None and sq.line_of_therapy(platinum, io, refractory) == sq.FIRST_LINE and not no_io:
            continue
        yield cps, platinum, io, eligible, refractory, no_io


def test_the_product_covers_every_setting_and_flag():
    inputs = list(every_input())
    assert len(inputs) > 200
    settings = {sq.line_of_therapy(p, i, r) for _, p, i, _, r, _ in inputs}
    assert settings == {sq.FIRST_LINE, sq.PLATINUM_REFRACTORY, sq.AFTER_IO_AND_PLATINUM, sq.AFTER_IO_PLATINUM_NAIVE}


def test_no_option_violates_the_patients_eligibility_flags_for_any_input():
    problems = []
    for cps, platinum, io, eligible, refractory, no_io in every_input():
        for option in sq.systemic_options(cps, platinum, io, eligible, refractory, no_io):
            problems += [
                f"{(cps, platinum, io, eligible, refractory, no_io)}: {p}"
                for p in sq.violations(option, eligible, no_io)
            ]
    assert problems == []


def test_every_named_trial_has_its_agents_listed():
    for cps, platinum, io, eligible, refractory, no_io in every_input():
        for option in sq.systemic_options(cps, platinum, io, eligible, refractory, no_io):
            for trial in option.trials:
                assert sq.trial_agents(trial), trial


@pytest.mark.parametrize(
    "bad, eligible, no_io, expected",
    [
        # The old explorer offered OrigAMI-5 (amivantamab + pembrolizumab + carboplatin) to platinum-ineligible patients.
        (
            sq.SystemicOption(
                "Clinical trial",
                True,
                "investigational",
                "x",
                ("origami5-trial",),
                "x",
                ("OrigAMI-5 (subcutaneous amivantamab + pembrolizumab + carboplatin)",),
            ),
            False,
            False,
            "carboplatin",
        ),
        # A regimen whose agents field was forgotten is still caught from its name.
        (
            sq.SystemicOption("Cetuximab + platinum + 5-FU (EXTREME)", True, "established", "x", ("x",), "x"),
            False,
            False,
            "platinum",
        ),
        (sq.SystemicOption("Nivolumab", True, "established", "x", ("x",), "x"), True, True, "nivolumab"),
        (
            sq.SystemicOption(
                "Paclitaxel", True, "established", "x", ("x",), "x", agents=frozenset({"paclitaxel", "pembrolizumab"})
            ),
            True,
            True,
            "pembrolizumab",
        ),
    ],
)
def test_seeded_bad_option_is_caught(bad, eligible, no_io, expected):
    problems = sq.violations(bad, eligible, no_io)
    assert problems and any(expected in p for p in problems)


def test_seeded_bad_explorer_fails_the_exhaustive_check(monkeypatch):
    """Put the old bug back (the carboplatin trial for platinum-ineligible patients): the product check must fail."""
    original = sq._first_line_trial
    monkeypatch.setattr(sq, "_first_line_trial", lambda group, eligible, preferred=False: original(group, True))
    found = [
        p
        for cps, platinum, io, eligible, refractory, no_io in every_input()
        for option in sq.systemic_options(cps, platinum, io, eligible, refractory, no_io)
        for p in sq.violations(option, eligible, no_io)
    ]
    assert any("carboplatin" in p for p in found)


def test_an_unknown_trial_cannot_be_offered_unchecked():
    with pytest.raises(KeyError):
        sq.trial_agents("NEWTRIAL-1 (an agent nobody listed)")
