"""LTI 1.3 launch into the course hub (issue 17): a platform on loopback (its own keys and key set) launches two
learners and an instructor into deploy/jupyterhub_config.py with HNSCC_HUB_AUTH=lti13; the hub checks each launch
(jupyterhub-ltiauthenticator) and hnscc_edu.lti sets the groups and refuses a replayed launch."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
import requests

from tests.conftest import fresh_database
from tests.hub_harness import HubProcess
from tests.lti_platform import INSTRUCTOR, LEARNER, Platform, new_key


@pytest.fixture(scope="module")
def platform_and_hub(tmp_path_factory, postgres):
    lms = Platform()
    folder = tmp_path_factory.mktemp("lti-hub")
    hub = HubProcess(folder, fresh_database(postgres), Path(os.environ["HNSCC_EDU_KEY_DIR"]), auth="lti13",
                     extra_env={**lms.hub_environment(), "JUPYTERHUB_CRYPT_KEY": secrets.token_hex(32)})
    yield lms, hub
    hub.stop()
    lms.stop()


def _me(hub: HubProcess, browser: requests.Session) -> dict:
    answer = browser.get(f"{hub.url}hub/api/user", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_learners_and_an_instructor_launch_with_their_lms_identity_and_role(platform_and_hub):
    lms, hub = platform_and_hub
    for sub, roles, group in [("lms-learner-1", [LEARNER], "learners"), ("lms-learner-2", [LEARNER], "learners"),
                              ("lms-teacher-1", [INSTRUCTOR, LEARNER], "course-directors")]:
        browser, answer, _ = lms.launch(hub.url, sub, roles)
        assert answer.status_code == 302, answer.text
        me = _me(hub, browser)
        assert me["name"] == sub and me["groups"] == [group] and not me["admin"]


@pytest.mark.parametrize("forgery, status", [
    ({"key": "another"}, 400),          # signed with a key that is not in the platform's key set
    ({"audience": "someone-else"}, 401),  # meant for another tool
    ({"expires_in": -60}, 400),         # expired
])
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
