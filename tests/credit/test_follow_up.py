"""Issue 18 §2: learners who committed to a change are asked 60-90 days later whether they made it; the report shows
the answers as Moore level 5 (self-reported) and `hnscc-edu follow-up --due` lists who is due and where."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hnscc_edu.cli import main
from hnscc_edu.export import report
from hnscc_edu.rules.follow_up import FollowUp, checked_outcomes, follow_up
from hnscc_edu.rules.learner_path import PathError
from hnscc_edu.sessions.credit_session import LearnerPath
from tests.credit.conftest import COURSE, EVALUATION, INFO, walk

DAY = dt.date(2026, 12, 1)
COMMITTED = tuple(o.id for o in INFO.objectives)


@pytest.mark.parametrize(
    "days, status", [(0, "not yet"), (59, "not yet"), (60, "due"), (90, "due"), (91, "late"), (400, "late")]
)
def test_the_follow_up_opens_at_60_days_and_is_late_after_90(days, status):
    state = follow_up(DAY, COMMITTED, False, DAY + dt.timedelta(days=days))
    assert state.status == status and state.due_from == dt.date(2027, 1, 30) and state.due_until == dt.date(2027, 3, 1)
    assert state.open is (status in ("due", "late"))


def test_no_commitment_no_follow_up_and_an_answer_closes_it():
    assert follow_up(DAY, (), False, DAY + dt.timedelta(days=70)) == FollowUp("none")
    assert follow_up(None, COMMITTED, False, DAY) == FollowUp("none")
    assert follow_up(DAY, COMMITTED, True, DAY + dt.timedelta(days=70)).status == "answered"


def test_the_outcomes_must_cover_every_commitment():
    due = follow_up(DAY, COMMITTED, False, DAY + dt.timedelta(days=61))
    with pytest.raises(PathError, match="each change you committed to"):
        checked_outcomes(due, {COMMITTED[0]: "made the change"})
    with pytest.raises(PathError, match="each change you committed to"):
        checked_outcomes(due, {o: "maybe" for o in COMMITTED})
    assert checked_outcomes(due, {o: "partly" for o in COMMITTED}) == {o: "partly" for o in COMMITTED}
    with pytest.raises(PathError, match="opens on 2027-01-30"):
        checked_outcomes(follow_up(DAY, COMMITTED, False, DAY), {o: "partly" for o in COMMITTED})


def test_a_learner_who_committed_is_asked_once_after_60_days(store, clock):
    walk(store, "ana", clock, until="attestation")  # evaluated on 2026-12-01, "will change" for every objective
    path = LearnerPath(COURSE, store, "ana", clock=clock)
    assert path.follow_up().status == "not yet"
    with pytest.raises(PathError, match="opens on 2027-01-30"):
        path.submit_follow_up({o: "made the change" for o in COMMITTED})
    clock.set_date(dt.date(2027, 2, 2))
    assert path.follow_up().status == "due" and path.follow_up().objectives == COMMITTED
    path.submit_follow_up({**{o: "made the change" for o in COMMITTED}, COMMITTED[2]: "not yet"}, "  No PET slots ")
    assert path.follow_up().status == "answered"
    with pytest.raises(PathError, match="already recorded"):
        path.submit_follow_up({o: "partly" for o in COMMITTED})


def test_a_learner_who_planned_no_change_is_not_asked(store, clock):
    path = walk(store, "ben", clock, until="evaluation")
    path.submit_evaluation(
        {o.id: "yes" for o in INFO.objectives},
        {},
        True,
        intents={o.id: "already do this" for o in INFO.objectives},
        answers=EVALUATION["answers"],
    )
    clock.set_date(dt.date(2027, 2, 2))
    assert path.follow_up().status == "none"
    with pytest.raises(PathError, match="did not commit"):
        path.submit_follow_up({})


def test_the_report_and_the_command_show_the_follow_ups(store, clock, capsys):
    walk(store, "ana", clock, until="attestation")
    walk(store, "cy", clock, until="attestation")
    clock.set_date(dt.date(2027, 2, 2))
    LearnerPath(COURSE, store, "ana", clock=clock).submit_follow_up(
        {**{o: "made the change" for o in COMMITTED}, COMMITTED[2]: "not yet"}, "No PET slots"
    )
    data = report.build(COURSE, store, today=dt.date(2027, 2, 2))
    first = data.follow_up[data.follow_up.objective == COMMITTED[0]].iloc[0]
    third = data.follow_up[data.follow_up.objective == COMMITTED[2]].iloc[0]
    assert (first.committed, first.asked, first.answered, first.made_the_change) == (2, 2, 1, 1)
    assert first.percent_made_the_change == 100.0 and (third.not_yet, third.percent_made_the_change) == (1, 0.0)
    comments = data.evaluation_comments
    assert list(comments[comments.about == "follow-up barriers"].comment) == ["No PET slots"]

    url = str(store.engine.url)
    assert main(["follow-up", "--due", "--db", url, "--today", "2027-01-29"]) == 0
    assert "No follow-up is due." in capsys.readouterr().out  # day 59: nobody is due yet
    assert main(["follow-up", "--due", "--db", url, "--today", "2027-02-02"]) == 0
    listed = capsys.readouterr().out
    assert "cy\t" in listed and "ana\t" not in listed and "due 2027-01-30 to 2027-03-01" in listed  # ana answered
    assert "voila/render/90_post_test_and_certificate.ipynb" in listed
    assert main(["follow-up", "--json", "--db", url, "--today", "2027-02-02"]) == 0
    rows = {row["learner_id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["ana"]["status"] == "answered" and rows["cy"]["status"] in ("due", "late")
