"""Course directors on a hub (issue 17 section 1, "Director's view on the hub"): the outcomes report and certificate
revocation are served by the hub's course server to hub admins and members of the course-directors group only; a
director's kernel, which holds no store, shows the same report as one built from the store itself.

The course service runs on a real tornado server in a thread with the real ``HubAuthenticator``, which asks a
stand-in for the hub's ``GET /hub/api/user`` (tests/hub_api_stand_in.py; tests/hub/ runs a real hub)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pandas as pd
import pytest

from hnscc_edu import path_notebook
from hnscc_edu.content.cache import load_course_with_credit
from hnscc_edu.export import report
from hnscc_edu.path_notebook import show_report
from hnscc_edu.rules.signing import Signer
from hnscc_edu.service import CourseService, HubAuthenticator
from hnscc_edu.service.client import ServiceClient, ServiceRefused
from hnscc_edu.sessions.simulation import simulate_cohort
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.service_harness import ThreadedService


@pytest.fixture(scope="module")
def content():
    return load_course_with_credit()


@pytest.fixture
def cohort(url, content) -> Store:
    store = Store(url)
    simulate_cohort(content, store, 12, seed=7, prefix="sim", signer=Signer.generate())
    return store


@pytest.fixture
def course_server(cohort, content, hub) -> Iterator[ThreadedService]:
    threaded = ThreadedService(CourseService(cohort.url, content=content, practice=False), HubAuthenticator(hub))
    yield threaded
    threaded.stop()


def _kernel(server: ThreadedService, token: str) -> dict[str, str]:
    """A hub kernel's environment: the course server's address and the user's hub token, no store."""
    return {
        "HNSCC_EDU_SERVICE_URL": server.url,
        "JUPYTERHUB_USER": token.removesuffix("-token"),
        "JUPYTERHUB_API_TOKEN": token,
    }


def test_the_report_is_for_directors_and_matches_the_one_built_from_the_store(course_server, cohort, content):
    for learner in ("ana-token", "eve-token"):
        with pytest.raises(ServiceRefused, match="The outcomes report is for the course") as refused:
            ServiceClient(environ=_kernel(course_server, learner)).request("GET", "director/report")
        assert refused.value.status == 403
    local = report.build(content, cohort)
    for director in ("dee-token", "root-token"):
        sent = ServiceClient(environ=_kernel(course_server, director)).request("GET", "director/report")
        remote = report.ReportData.from_json(sent)
        assert remote.summary == local.summary and remote.summary["learners"] == 12
        for field in dataclasses.fields(local):
            if field.name != "summary":
                pd.testing.assert_frame_equal(getattr(remote, field.name), getattr(local, field.name))
        assert report.text_alternative("participation", remote) == report.text_alternative("participation", local)


def test_the_director_notebook_shows_the_report_on_a_hub_and_a_learner_is_told_why_not(
    course_server, monkeypatch, capsys
):
    monkeypatch.delenv("HNSCC_EDU_SERVICE_TOKEN", raising=False)
    for name, value in _kernel(course_server, "ana-token").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HNSCC_EDU_DB_URL", "sqlite:////nonexistent/never-opened.sqlite3")  # the hub gives none
    shown: list = []
    monkeypatch.setattr(path_notebook, "display", lambda *things, **_: shown.extend(things))
    assert show_report() is None
    message = " ".join(getattr(thing, "data", "") or "" for thing in shown)
    assert "The outcomes report cannot be shown" in message and "for the course" in message
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "dee-token")
    shown.clear()
    data = show_report()
    assert data is not None and data.summary["learners"] == 12
    assert sum(type(thing).__name__ == "FigureWidget" or hasattr(thing, "to_plotly_json") for thing in shown) >= 5
    assert "Learners in the store: 12" in capsys.readouterr().out


def test_a_director_revokes_a_certificate_a_learner_cannot(course_server, cohort):
    issued = CreditStore(cohort).certificate_rows()[0]["certificate_id"]
    learner = ServiceClient(environ=_kernel(course_server, "ana-token"))
    director = ServiceClient(environ=_kernel(course_server, "dee-token"))
    with pytest.raises(ServiceRefused) as refused:
        learner.request("POST", f"director/certificates/{issued}/revoke", {"reason": "mine"})
    assert refused.value.status == 403
    assert CreditStore(cohort).certificate(issued)["revoked_at"] is None
    with pytest.raises(ValueError, match="Give the reason"):
        director.request("POST", f"director/certificates/{issued}/revoke", {"reason": "  "})
    answer = director.request(
        "POST", f"director/certificates/{issued.lower()}/revoke", {"reason": "Attested time not supported by the log"}
    )
    assert answer == {"certificate_id": issued, "status": "revoked"}
    row = CreditStore(cohort).certificate(issued)
    assert row["revoked_at"] is not None and row["revocation_reason"] == "Attested time not supported by the log"
    for again in (issued, "HNSCC-0000000000"):
        with pytest.raises(ServiceRefused) as refused:
            director.request("POST", f"director/certificates/{again}/revoke", {"reason": "again"})
        assert refused.value.status == 409
