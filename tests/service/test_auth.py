"""Who is asking (issue 16 section 1, the hub's part: the hub deployment itself is issue 17).

``HubAuthenticator`` is checked against a real HTTP endpoint that answers JupyterHub's ``GET /hub/api/user`` the way
the hub does (the owner of the token given in ``Authorization: token ...``, 403 for a token it does not know). It is
not JupyterHub itself (a hub needs configurable-http-proxy and a spawner); the stand-in keeps only that one route,
so what is tested is the service's side of the exchange and everything after it. ``LocalAuthenticator`` is the
one-machine secret, and the refusal to store anything under standalone Voila without a learner id of one's own.
"""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.service import CourseService, HubAuthenticator, LocalAuthenticator
from hnscc_edu.service.auth import AuthMissing, AuthRejected, HubUnavailable, LearnerIdRefused
from hnscc_edu.service.client import ServiceClient, ServiceRefused
from hnscc_edu.store.identity import SHARED_VIEWERS_VARIABLE, SharedLearnerId, learner_id
from tests.helpers import ROOT
from tests.hub_api_stand_in import HubApi
from tests.service_harness import ThreadedService


def test_the_hub_says_whose_token_it_is(hub):
    auth = HubAuthenticator(hub)
    assert auth.identify("token ana-token").learner_id == "ana"
    assert auth.identify("Bearer bo-token").learner_id == "bo@example.org"
    with pytest.raises(AuthRejected, match="does not recognise"):
        auth.identify("token forged")
    with pytest.raises(AuthRejected, match="not a user's"):
        auth.identify("token service-token")
    with pytest.raises(AuthMissing):
        auth.identify(None)
    calls = len(HubApi.calls)
    assert auth.identify("token ana-token").learner_id == "ana" and len(HubApi.calls) == calls  # cached briefly


def test_a_hub_that_cannot_be_reached_is_a_503_not_a_guess():
    with pytest.raises(HubUnavailable) as caught:
        HubAuthenticator("http://127.0.0.1:9/hub/api").identify("token ana-token")
    assert caught.value.status == 503


def test_on_a_hub_the_learner_is_the_hub_user_and_the_service_issues_credit(hub, tmp_path):
    """The kernel sends its hub token (JUPYTERHUB_API_TOKEN); the service asks the hub who that is. A kernel cannot
    name another learner, and a hub service is not a practice service."""
    service = CourseService(f"sqlite:///{tmp_path / 'hub.sqlite3'}", content=load_course(ROOT), practice=False)
    threaded = ThreadedService(service, HubAuthenticator(hub))
    try:
        kernel_env = {
            "HNSCC_EDU_SERVICE_URL": threaded.url,
            "JUPYTERHUB_USER": "ana",
            "JUPYTERHUB_API_TOKEN": "ana-token",
            "HNSCC_EDU_LEARNER_ID": "someone-else",
        }
        client = ServiceClient(environ=kernel_env)
        assert client.authorization == "token ana-token"
        status = client.status()
        assert (status["learner_id"], status["mode"]) == ("ana", "credit")
        client.path("acknowledge", profession="nurse", degree="RN")
        forged = ServiceClient(environ={**kernel_env, "JUPYTERHUB_API_TOKEN": "forged"})
        with pytest.raises(ServiceRefused) as refused:
            forged.status()
        assert refused.value.status == 403
        assert ServiceClient(environ={**kernel_env, "JUPYTERHUB_USER": "bo"}).status()["learner_id"] == "ana"
    finally:
        threaded.stop()


def test_the_local_secret_and_the_one_learner_of_a_one_machine_server():
    auth = LocalAuthenticator("s3cret", "jo")
    assert auth.identify("Bearer s3cret").learner_id == "jo" and auth.mode == "local"
    with pytest.raises(AuthRejected):
        auth.identify("Bearer s3cret-not")
    with pytest.raises(AuthMissing):
        auth.identify("Basic s3cret")
    assert LocalAuthenticator("s", environ={"HNSCC_EDU_LEARNER_ID": "ida"}).identify("Bearer s").learner_id == "ida"
    assert (
        LocalAuthenticator("s", environ={"JUPYTERHUB_USER": "ana", "HNSCC_EDU_LEARNER_ID": "x"})
        .identify("Bearer s")
        .learner_id
        == "ana"
    )  # a single-user server on a hub: its user


def test_standalone_voila_without_a_learner_id_stores_nothing_and_says_why(monkeypatch):
    shared = LocalAuthenticator("s", shared_viewers=True, environ={})
    with pytest.raises(LearnerIdRefused, match="cannot tell you apart from other viewers") as refused:
        shared.identify("Bearer s")
    assert refused.value.status == 403
    assert (
        LocalAuthenticator("s", shared_viewers=True, environ={"HNSCC_EDU_LEARNER_ID": "pres"})
        .identify("Bearer s")
        .learner_id
        == "pres"
    )
    monkeypatch.delenv("HNSCC_EDU_LEARNER_ID", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv(SHARED_VIEWERS_VARIABLE, "1")
    with pytest.raises(SharedLearnerId, match="your progress is not saved here"):
        learner_id()  # the kernel's own id (module self-checks) refuses too


def test_a_course_director_is_a_hub_admin_or_a_member_of_the_course_directors_group(hub, monkeypatch):
    auth = HubAuthenticator(hub)
    assert [auth.identify(f"token {who}-token").director for who in ("ana", "dee", "root", "eve")] == [
        False,
        True,
        True,
        False,
    ]
    monkeypatch.setenv("HNSCC_EDU_DIRECTOR_GROUP", "course-directors-2024")  # a provider's own group name
    renamed = HubAuthenticator(hub)
    assert [renamed.identify(f"token {who}-token").director for who in ("dee", "root", "eve")] == [False, True, True]
    assert LocalAuthenticator("s", "jo").identify("Bearer s").director  # one machine: its learner holds the store
