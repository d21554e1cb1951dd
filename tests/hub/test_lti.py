"""LTI 1.3 launch into the course hub (issue 17): a platform on loopback (its own keys and key set) launches two
learners and an instructor into deploy/jupyterhub_config.py with HNSCC_HUB_AUTH=lti13; the hub checks each launch
(jupyterhub-ltiauthenticator) and hnscc_edu.lti sets the groups and refuses a replayed launch. A learner who passes
the post-test has their score posted to the platform's gradebook line item (hnscc_edu.grade_passback)."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

import pytest
import requests

from hnscc_edu.content.course import load_course
from hnscc_edu.rules.grading.keys import key_response
from hnscc_edu.service.client import ServiceClient
from hnscc_edu.store import Store
from hnscc_edu.store.passbacks import PassbackStore
from tests.conftest import fresh_database
from tests.helpers import ROOT
from tests.hub_harness import HubProcess
from tests.lti_platform import INSTRUCTOR, LEARNER, LINEITEM, Platform, new_key
from tests.service_harness import finish_case_through

CONTENT = load_course(ROOT)


@pytest.fixture(scope="module")
def platform_and_hub(tmp_path_factory, postgres):
    lms = Platform()
    folder = tmp_path_factory.mktemp("lti-hub")
    hub = HubProcess(
        folder,
        fresh_database(postgres),
        Path(os.environ["HNSCC_EDU_KEY_DIR"]),
        auth="lti13",
        extra_env={**lms.hub_environment(), "JUPYTERHUB_CRYPT_KEY": secrets.token_hex(32)},
    )
    lms.tool_jwks_url = hub.service("lti/jwks")  # registered with the platform, as an LMS administrator does
    yield lms, hub
    hub.stop()
    lms.stop()


def _me(hub: HubProcess, browser: requests.Session) -> dict:
    answer = browser.get(f"{hub.url}hub/api/user", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_learners_and_an_instructor_launch_with_their_lms_identity_and_role(platform_and_hub):
    lms, hub = platform_and_hub
    for sub, roles, group in [
        ("lms-learner-1", [LEARNER], "learners"),
        ("lms-learner-2", [LEARNER], "learners"),
        ("lms-teacher-1", [INSTRUCTOR, LEARNER], "course-directors"),
    ]:
        browser, answer, _ = lms.launch(hub.url, sub, roles)
        assert answer.status_code == 302, answer.text
        me = _me(hub, browser)
        assert me["name"] == sub and me["groups"] == [group] and not me["admin"]


@pytest.mark.parametrize(
    "forgery, status",
    [
        ({"key": "another"}, 400),  # signed with a key that is not in the platform's key set
        ({"audience": "someone-else"}, 401),  # meant for another tool
        ({"expires_in": -60}, 400),  # expired
    ],
)
def test_a_forged_or_stale_launch_is_refused(platform_and_hub, forgery, status):
    lms, hub = platform_and_hub
    options = {**forgery, "key": new_key()} if forgery.get("key") else forgery
    browser, answer, _ = lms.launch(hub.url, f"lms-forged-{status}-{len(forgery)}", [LEARNER], **options)
    assert answer.status_code == status, answer.text
    assert browser.get(f"{hub.url}hub/api/user", timeout=30).status_code in (401, 403)  # nobody signed in


def test_a_launch_captured_with_its_cookies_cannot_sign_in_again(platform_and_hub):
    lms, hub = platform_and_hub
    _, first, captured = lms.launch(hub.url, "lms-victim", [LEARNER])
    assert first.status_code == 302
    attacker = requests.Session()
    for name, value in captured["cookies"].items():
        attacker.cookies.set(name, value)
    again = attacker.post(captured["url"], data=captured["form"], allow_redirects=False, timeout=60)
    assert again.status_code == 403 and "already used" in again.text
    assert attacker.get(f"{hub.url}hub/api/user", timeout=30).status_code in (401, 403)


def _api_token(hub: HubProcess, browser: requests.Session, name: str) -> str:
    """A hub API token of the launched learner, as their server and kernels hold one."""
    browser.get(f"{hub.url}hub/token", timeout=30)
    xsrf = next(c.value for c in browser.cookies if c.name == "_xsrf")
    made = browser.post(
        f"{hub.url}hub/api/users/{name}/tokens", json={"expires_in": 3600}, headers={"X-XSRFToken": xsrf}, timeout=30
    )
    assert made.status_code == 201, made.text
    return made.json()["token"]


def test_an_lms_instructor_gets_the_directors_views_and_a_learner_does_not(platform_and_hub):
    """The instructor's launch puts them in the course-directors group (not a hub admin): the hub's course server
    then serves them the outcomes report and lets them start a live session; a learner of the same LMS is refused."""
    lms, hub = platform_and_hub
    answers = {}
    for sub, roles in (("lms-teacher-2", [INSTRUCTOR]), ("lms-learner-3", [LEARNER])):
        browser, launched, _ = lms.launch(hub.url, sub, roles)
        assert launched.status_code == 302
        headers = {"Authorization": f"token {_api_token(hub, browser, sub)}"}
        report = requests.get(f"{hub.url}services/hnscc/hnscc/api/v1/director/report", headers=headers, timeout=120)
        session = requests.post(hub.live("sessions"), headers=headers, timeout=60, json={"title": "Tumour board"})
        answers[sub] = (report.status_code, session.status_code)
        if report.status_code == 200:
            assert "participation" in report.json()["tables"]
    assert answers == {"lms-teacher-2": (200, 201), "lms-learner-3": (403, 403)}


def test_a_passed_post_test_reaches_the_lms_gradebook(platform_and_hub):
    lms, hub = platform_and_hub
    browser, launched, _ = lms.launch(hub.url, "lms-passer", [LEARNER])
    assert launched.status_code == 302
    client = ServiceClient(f"{hub.url}services/hnscc/", token=_api_token(hub, browser, "lms-passer"))
    client.path("acknowledge", profession="radiation_oncologist", degree="MD")
    client.path("pretest/skip")
    for case_id in CONTENT.info.core_path:
        finish_case_through(client, CONTENT.case(case_id))
    keys = {
        item.id: key_response(item) for bank in CONTENT.banks.values() if bank.purpose == "post" for item in bank.items
    }
    for item in client.path("posttest/start")["test"]["items"]:
        client.path("answer", item_id=item["id"], response=keys[item["id"]])
    finished = client.path("finish")["result"]
    assert finished["passed"]  # recorded at once: the gradebook is the course server's errand, not the learner's wait
    deadline = time.monotonic() + 60
    while not lms.scores.get(LINEITEM) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert lms.scores.get(LINEITEM), (lms.refused, PassbackStore(Store(hub.store_url)).all_rows())
    score = lms.scores[LINEITEM][0]
    assert score["userId"] == "lms-passer" and score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (finished["score"], finished["max_score"])
    assert lms.refused == []  # the assertion was checked against the tool's published key set and accepted
    rows = PassbackStore(Store(hub.store_url)).all_rows()
    assert len(rows) == 1 and rows[0]["sent_at"] is not None and rows[0]["learner_id"] == "lms-passer"
