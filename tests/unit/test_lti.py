"""The tool's part of an LTI 1.3 launch (hnscc_edu.lti): roles to hub groups, and a nonce used once."""

from __future__ import annotations

import pytest

from hnscc_edu import lti

ROLES = lti.ROLES_CLAIM
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


@pytest.mark.parametrize(
    "roles, group",
    [
        ([INSTRUCTOR], "course-directors"),
        (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"], "course-directors"),
        (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], "learners"),
        ([INSTRUCTOR + "#TeachingAssistant"], "learners"),  # a sub-role is not the role
        ([], "learners"),
        ("Instructor", "learners"),  # not a list: nothing is assumed
    ],
)
def test_the_launch_roles_decide_the_group(roles, group):
    assert lti.groups_for({ROLES: roles}) == [group]


def test_a_nonce_is_accepted_once_and_forgotten_after_it_expires(tmp_path):
    now = [1000.0]
    record = lti.NonceRecord(tmp_path / "nonces.sqlite3", clock=lambda: now[0])
    claims = {"nonce": "n-1", "exp": 1300, ROLES: [INSTRUCTOR]}
    assert lti.check_launch(claims, record) == ["course-directors"]
    with pytest.raises(lti.ReplayedLaunch):
        lti.check_launch(claims, record)
    again = lti.NonceRecord(tmp_path / "nonces.sqlite3", clock=lambda: now[0])  # a hub restart keeps the record
    assert not again.first_use("n-1", 1300)
    now[0] = 1301.0  # its token has expired, so the platform's own expiry check refuses it from now on
    assert again.first_use("n-1", 1900)


def test_a_launch_without_a_nonce_is_refused(tmp_path):
    with pytest.raises(lti.ReplayedLaunch):
        lti.check_launch({ROLES: []}, lti.NonceRecord(tmp_path / "n.sqlite3"))
